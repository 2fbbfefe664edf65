//! HTML extraction on the hand-checked pages of `tests/fixtures/extract`: the scores of
//! `chorus eval extract` must stay above floors a little below what was measured (micro F1
//! 0.997, macro F1 0.997, metadata 88/88 when the floors were set), so a regression fails.

use std::path::PathBuf;

use chorus_engine::eval::extract::{evaluate, ExtractScores};

fn scores() -> ExtractScores {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extract");
    evaluate(&dir).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn extraction_scores_stay_above_their_floors() {
    let s = scores();
    assert!(s.pages.len() >= 30, "{} pages", s.pages.len());
    let micro = s.micro();
    let (_, _, macro_f1) = s.macro_avg();
    let floors = [
        ("micro precision", micro.precision(), 0.98),
        ("micro recall", micro.recall(), 0.98),
        ("micro F1", micro.f1(), 0.985),
        ("macro F1", macro_f1, 0.98),
        ("title accuracy", s.title.accuracy(), 0.95),
        ("author accuracy", s.author.accuracy(), 0.9),
        ("date accuracy", s.published.accuracy(), 0.95),
    ];
    for (what, got, floor) in floors {
        assert!(got >= floor, "{what} {got:.3} < {floor}\n{s}");
    }
}

#[test]
fn no_page_is_lost() {
    // Every page has an article: an empty extraction is a failure of its own, whatever the
    // average says.
    for p in scores().pages {
        assert!(p.overlap.f1() >= 0.9, "{}: F1 {:.3}", p.name, p.overlap.f1());
    }
}
