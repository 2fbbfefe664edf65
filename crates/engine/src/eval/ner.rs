//! Evaluation of the NER tagger on CoNLL-2003 files (`eng.testa`): entity-level exact-match
//! precision, recall and F1, overall and per kind, as conlleval computes them, plus speed.
//! Scored: the tagger followed by the designator correction (`analyze::entity::designate`,
//! the sentence-level rule that needs only the words); the tagger alone is shown too.
//!
//! Run: `cargo test --release -p chorus-engine --lib eval::ner::tests::eval_testa -- --ignored
//! --nocapture` (reads `CONLL_TESTA`, default `/work/shared/data/conll2003/eng.testa`).

use std::fmt;
use std::io;
use std::path::Path;
use std::time::Instant;

use crate::analyze::entity::designate;
use crate::analyze::entity::model::{spans_of, Labelled};
use crate::analyze::entity::{read_conll, Model};
use crate::record::EntityKind;

/// Counts for one kind (or overall).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    /// Predicted entities that match a gold entity exactly (span and kind).
    pub correct: usize,
    /// Predicted entities.
    pub predicted: usize,
    /// Gold entities.
    pub gold: usize,
}

impl Counts {
    /// Precision (0..1).
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
    /// Recall (0..1).
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    /// F1 (0..1).
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores of the tagger on a labelled file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NerScores {
    /// All kinds together.
    pub overall: Counts,
    /// Per kind: person, organization, location, misc.
    pub per_kind: Vec<(EntityKind, Counts)>,
    /// Sentences tagged.
    pub sentences: usize,
    /// Tagging speed, sentences per second (one thread).
    pub sentences_per_sec: f64,
    /// All kinds together, for the tagger without the designator correction.
    pub tagger_only: Counts,
}

impl fmt::Display for NerScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = |f: &mut fmt::Formatter<'_>, name: &str, c: &Counts| {
            writeln!(
                f,
                "{name:<13} P {:6.2}  R {:6.2}  F1 {:6.2}  (gold {}, predicted {}, correct {})",
                100.0 * c.precision(),
                100.0 * c.recall(),
                100.0 * c.f1(),
                c.gold,
                c.predicted,
                c.correct
            )
        };
        line(f, "tagger only", &self.tagger_only)?;
        line(f, "overall", &self.overall)?;
        for (k, c) in &self.per_kind {
            line(f, k.as_str(), c)?;
        }
        write!(f, "{} sentences, {:.0} sentences/s", self.sentences, self.sentences_per_sec)
    }
}

/// Scores predicted entity spans against gold ones over labelled sentences.
pub fn score(gold: &[Labelled], predicted: &[Vec<(usize, usize, EntityKind)>]) -> NerScores {
    let kinds =
        [EntityKind::Person, EntityKind::Organization, EntityKind::Location, EntityKind::Misc];
    let mut scores = NerScores {
        per_kind: kinds.iter().map(|&k| (k, Counts::default())).collect(),
        sentences: gold.len(),
        ..NerScores::default()
    };
    for (g, p) in gold.iter().zip(predicted) {
        for (k, c) in scores.per_kind.iter_mut() {
            c.gold += g.spans.iter().filter(|s| s.2 == *k).count();
            c.predicted += p.iter().filter(|s| s.2 == *k).count();
            c.correct += p.iter().filter(|s| s.2 == *k && g.spans.contains(s)).count();
        }
    }
    for (_, c) in &scores.per_kind {
        scores.overall.gold += c.gold;
        scores.overall.predicted += c.predicted;
        scores.overall.correct += c.correct;
    }
    scores
}

/// Tags every sentence of a CoNLL-2003 file with `model` and scores it (entity-level exact).
pub fn evaluate(model: &Model, path: &Path) -> io::Result<NerScores> {
    let gold = read_conll(&std::fs::read_to_string(path)?);
    let start = Instant::now();
    let tagged: Vec<_> = gold
        .iter()
        .map(|s| {
            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
            let tagger = spans_of(&model.tag(&words));
            let mut corrected = tagger.clone();
            designate::correct(&words, &mut corrected);
            (tagger, corrected)
        })
        .collect();
    let secs = start.elapsed().as_secs_f64().max(1e-9);
    let (tagger, corrected): (Vec<_>, Vec<_>) = tagged.into_iter().unzip();
    let mut scores = score(&gold, &corrected);
    scores.tagger_only = score(&gold, &tagger).overall;
    scores.sentences_per_sec = gold.len() as f64 / secs;
    Ok(scores)
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityKind::*;

    #[test]
    fn scores_exact_matches_per_kind() {
        let gold = vec![Labelled {
            words: vec![],
            spans: vec![(0, 2, Person), (3, 4, Location), (5, 6, Misc)],
        }];
        let pred = vec![vec![(0, 2, Person), (3, 4, Organization), (5, 7, Misc)]];
        let s = score(&gold, &pred);
        assert_eq!(s.overall, Counts { correct: 1, predicted: 3, gold: 3 });
        assert!((s.overall.f1() - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(s.per_kind[0].1.f1(), 1.0);
        assert_eq!(s.per_kind[1].1, Counts { correct: 0, predicted: 1, gold: 0 });
        assert!(s.to_string().starts_with("tagger only"));
    }

    #[test]
    #[ignore = "needs CoNLL-2003 eng.testa; run with --release --nocapture"]
    fn eval_testa() {
        let path = std::env::var("CONLL_TESTA")
            .unwrap_or_else(|_| "/work/shared/data/conll2003/eng.testa".into());
        let scores = evaluate(crate::analyze::entity::shipped_model(), Path::new(&path))
            .expect("testa readable");
        println!("{scores}");
        assert!(scores.overall.f1() > 0.8);
    }

    #[test]
    #[ignore = "trains on CoNLL-2003 eng.train (release build), writes data/ner/model.bin"]
    fn train_model() {
        let dir = "/work/shared/data/conll2003";
        let train = std::env::var("CONLL_TRAIN").unwrap_or_else(|_| format!("{dir}/eng.train"));
        let testa = std::env::var("CONLL_TESTA").unwrap_or_else(|_| format!("{dir}/eng.testa"));
        let epochs = std::env::var("NER_EPOCHS").ok().and_then(|e| e.parse().ok()).unwrap_or(15);
        let t = Instant::now();
        let model = crate::analyze::entity::train(Path::new(&train), epochs).expect("train data");
        println!("trained {} features in {:?}", model.features(), t.elapsed());
        let out = concat!(env!("CARGO_MANIFEST_DIR"), "/data/ner/model.bin");
        model.save(Path::new(out)).expect("write model");
        let loaded = Model::load(&model.to_bytes()).expect("reload");
        println!("{}", evaluate(&loaded, Path::new(&testa)).expect("testa readable"));
    }
}
