//! Evaluation of HTML main-text extraction on a directory of hand-checked pages: each
//! `NAME.html` comes with `NAME.txt` (the article text a person would keep, one paragraph per
//! line) and optionally `NAME.meta.json` (`title`, `author`, `published`).
//!
//! Text is scored like the article-extraction-benchmark: both sides become bags of word tokens
//! (with multiplicity), and precision/recall/F1 count the tokens they share, per page, summed
//! over all pages (micro) and averaged over pages (macro). Metadata is scored per field present
//! in the `.meta.json`: title and author after whitespace/case folding, the date by its day.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::eval::ner::Counts;
use crate::ingest::html::{extract_bytes, Page};
use crate::ingest::parse_date;

/// Token overlap of one page: `correct` tokens shared by the extracted and the hand-checked
/// text, `predicted` tokens extracted, `gold` tokens hand-checked.
pub type Overlap = Counts;

/// Token overlap of `extracted` against `gold` (bags of tokens: a token counts as often as
/// it occurs on both sides).
pub fn overlap(extracted: &str, gold: &str) -> Overlap {
    let mut want: HashMap<&str, usize> = HashMap::new();
    let gold_tokens = tokens(gold);
    for t in &gold_tokens {
        *want.entry(t).or_default() += 1;
    }
    let got = tokens(extracted);
    let mut correct = 0;
    for t in &got {
        if let Some(n) = want.get_mut(t).filter(|n| **n > 0) {
            *n -= 1;
            correct += 1;
        }
    }
    Counts { correct, predicted: got.len(), gold: gold_tokens.len() }
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

/// Word tokens as the benchmark counts them (runs of letters, digits and `_`), except that
/// each CJK character is a token of its own, since those scripts do not separate words.
pub fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let word = c.is_alphanumeric() || c == '_' || is_mark(c);
        if word && !is_cjk(c) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(&text[s..i]);
        }
        if is_cjk(c) {
            out.push(&text[i..i + c.len_utf8()]);
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// Combining marks (Arabic harakat, decomposed accents) belong to the word they sit on.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{064B}'..='\u{065F}' | '\u{0670}')
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // kana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
    )
}

/// What the `.meta.json` of a page says (a field left out is not scored; `null` means the
/// page has no such value).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct GoldMeta {
    #[serde(default, deserialize_with = "present")]
    title: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    author: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    published: Option<Option<String>>,
}

/// Tells a missing field (`None`) from an explicit `null` (`Some(None)`).
fn present<'de, D>(d: D) -> Result<Option<Option<String>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    Option::<String>::deserialize(d).map(Some)
}

/// Correct answers out of the fields scored, for one metadata field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FieldScore {
    /// Pages where the extractor got the field right.
    pub correct: usize,
    /// Pages whose `.meta.json` gives the field.
    pub scored: usize,
}

impl FieldScore {
    fn add(&mut self, right: bool) {
        self.scored += 1;
        self.correct += usize::from(right);
    }

    /// Share right (1 when nothing was scored).
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct, self.scored)
    }
}

/// The score of one page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageScore {
    /// The page's file name without extension.
    pub name: String,
    /// Token overlap of its text.
    pub overlap: Overlap,
    /// Metadata fields that were scored and wrong: (field, expected, got).
    pub wrong_meta: Vec<(&'static str, String, String)>,
}

/// Scores over a directory of pages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExtractScores {
    /// Per page, in file-name order.
    pub pages: Vec<PageScore>,
    /// Title accuracy.
    pub title: FieldScore,
    /// Author accuracy.
    pub author: FieldScore,
    /// Publication-day accuracy.
    pub published: FieldScore,
}

impl ExtractScores {
    /// Token counts summed over all pages.
    pub fn micro(&self) -> Overlap {
        let mut total = Overlap::default();
        for p in &self.pages {
            total.correct += p.overlap.correct;
            total.predicted += p.overlap.predicted;
            total.gold += p.overlap.gold;
        }
        total
    }

    /// Mean of the per-page (precision, recall, F1).
    pub fn macro_avg(&self) -> (f64, f64, f64) {
        let n = self.pages.len().max(1) as f64;
        let sum = |f: fn(&Overlap) -> f64| self.pages.iter().map(|p| f(&p.overlap)).sum::<f64>();
        (sum(Overlap::precision) / n, sum(Overlap::recall) / n, sum(Overlap::f1) / n)
    }
}

impl std::fmt::Display for ExtractScores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for p in &self.pages {
            let o = &p.overlap;
            writeln!(
                f,
                "  {:<32} P {:.3}  R {:.3}  F1 {:.3}  ({} extracted, {} gold tokens)",
                p.name,
                o.precision(),
                o.recall(),
                o.f1(),
                o.predicted,
                o.gold
            )?;
            for (field, want, got) in &p.wrong_meta {
                writeln!(f, "      {field}: want {want:?}, got {got:?}")?;
            }
        }
        let m = self.micro();
        let (mp, mr, mf) = self.macro_avg();
        writeln!(f, "pages {}", self.pages.len())?;
        writeln!(f, "micro  P {:.3}  R {:.3}  F1 {:.3}", m.precision(), m.recall(), m.f1())?;
        writeln!(f, "macro  P {mp:.3}  R {mr:.3}  F1 {mf:.3}")?;
        write!(
            f,
            "metadata  title {}/{}  author {}/{}  date {}/{}",
            self.title.correct,
            self.title.scored,
            self.author.correct,
            self.author.scored,
            self.published.correct,
            self.published.scored
        )
    }
}

/// Scores the extractor on every `NAME.html` of `dir` that has a `NAME.txt`.
pub fn evaluate(dir: &Path) -> io::Result<ExtractScores> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| named(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html") && p.with_extension("txt").is_file())
        .collect();
    names.sort();
    if names.is_empty() {
        let msg = format!("{}: no NAME.html with NAME.txt", dir.display());
        return Err(io::Error::new(io::ErrorKind::NotFound, msg));
    }
    let mut scores = ExtractScores::default();
    for html in names {
        let bytes = std::fs::read(&html).map_err(|e| named(&html, e))?;
        let gold_path = html.with_extension("txt");
        let gold = std::fs::read_to_string(&gold_path).map_err(|e| named(&gold_path, e))?;
        let page = extract_bytes(&bytes, None).map_err(|m| invalid(&html, m))?;
        let name = html.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let meta_path = html.with_extension("meta.json");
        let meta = match std::fs::read_to_string(&meta_path) {
            Ok(s) => serde_json::from_str(&s).map_err(|e| invalid(&meta_path, e))?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => GoldMeta::default(),
            Err(e) => return Err(named(&meta_path, e)),
        };
        let wrong_meta = score_meta(&mut scores, &meta, &page);
        scores.pages.push(PageScore { name, overlap: overlap(&page.text, &gold), wrong_meta });
    }
    Ok(scores)
}

/// An I/O error with the file it is about.
fn named(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

fn invalid(path: &Path, e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("{}: {e}", path.display()))
}

/// Adds one page's metadata to the field scores; returns the fields it got wrong.
fn score_meta(
    scores: &mut ExtractScores,
    gold: &GoldMeta,
    page: &Page,
) -> Vec<(&'static str, String, String)> {
    let mut wrong = Vec::new();
    score_field("title", &gold.title, &page.title, &mut scores.title, &mut wrong);
    score_field("author", &gold.author, &page.author, &mut scores.author, &mut wrong);
    let (want, got) = (&gold.published, &page.published);
    score_field("published", want, got, &mut scores.published, &mut wrong);
    wrong
}

/// Scores one metadata field when the gold gives it: titles and authors compare with
/// whitespace and case folded, dates by their day.
fn score_field(
    field: &'static str,
    want: &Option<Option<String>>,
    got: &Option<String>,
    score: &mut FieldScore,
    wrong: &mut Vec<(&'static str, String, String)>,
) {
    let Some(want) = want else { return };
    let norm = |s: &str| {
        if field == "published" {
            parse_date(s).map(|d| d.to_string()).unwrap_or_else(|| s.to_string())
        } else {
            s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
        }
    };
    let right = want.as_deref().map(norm) == got.as_deref().map(norm);
    score.add(right);
    if !right {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
        wrong.push((field, show(want), show(got)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_overlap_counts_multiplicity() {
        // (extracted, gold, shared, extracted tokens, gold tokens)
        let cases: &[(&str, &str, usize, usize, usize)] = &[
            ("the cat sat", "the cat sat", 3, 3, 3),
            ("the the the", "the cat", 1, 3, 2),
            ("", "a b", 0, 0, 2),
            ("a b", "", 0, 2, 0),
            ("Sign up! The cat, sat.", "The cat sat.", 3, 5, 3),
            ("北海道で大雪", "北海道で", 4, 6, 4),
            ("£41.2 million", "41 2 million", 3, 3, 3),
        ];
        for &(got, gold, shared, extracted, g) in cases {
            let o = overlap(got, gold);
            assert_eq!(
                (o.correct, o.predicted, o.gold),
                (shared, extracted, g),
                "{got:?} vs {gold:?}"
            );
        }
        let o = overlap("one two three four", "one two six seven eight nine");
        assert!((o.precision() - 0.5).abs() < 1e-9);
        assert!((o.recall() - 1.0 / 3.0).abs() < 1e-9);
        assert!((o.f1() - 0.4).abs() < 1e-9);
        assert_eq!(overlap("", "a b").f1(), 0.0);
    }

    #[test]
    fn metadata_fields_are_scored_only_when_given() {
        let gold: GoldMeta = serde_json::from_str(
            r#"{"title": "A  Title", "author": null, "published": "2030-01-02"}"#,
        )
        .expect("valid json");
        let page = Page {
            title: Some("a title".into()),
            author: Some("Someone".into()),
            published: Some("2030-01-02T10:00:00+01:00".into()),
            ..Page::default()
        };
        let mut scores = ExtractScores::default();
        let wrong = score_meta(&mut scores, &gold, &page);
        assert_eq!(scores.title, FieldScore { correct: 1, scored: 1 });
        assert_eq!(scores.author, FieldScore { correct: 0, scored: 1 });
        assert_eq!(scores.published, FieldScore { correct: 1, scored: 1 });
        assert_eq!(wrong.len(), 1);
        let mut none = ExtractScores::default();
        assert!(score_meta(&mut none, &GoldMeta::default(), &page).is_empty());
        assert_eq!(none.title.scored + none.author.scored + none.published.scored, 0);
    }
}
