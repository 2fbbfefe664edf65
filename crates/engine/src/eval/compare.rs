//! Evaluation of the same-fact test (`synthesize::compare`) on MSRP-format pairs: k-fold
//! cross-validation (train the boosted trees on k−1 folds and pick their decision threshold
//! by an inner cross-validation on those folds, then score the held-out fold), accuracy and
//! F1 of the paraphrase class; with a sentence encoder, the embeddings-aware model too.
//! Also scores the shipped weights on the whole file.

use std::fmt;
use std::io;
use std::path::Path;

use crate::synthesize::compare::{
    examples, fit_tuned, predict, read_pairs, Embed, Example, Params, Weights, PARAMS, WEIGHTS,
    WEIGHTS_EMB,
};

/// Scores of the same-fact test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompareScores {
    /// Number of pairs.
    pub pairs: usize,
    /// Number of folds.
    pub folds: usize,
    /// Cross-validated accuracy.
    pub accuracy: f64,
    /// Cross-validated precision of the paraphrase class.
    pub precision: f64,
    /// Cross-validated recall of the paraphrase class.
    pub recall: f64,
    /// Cross-validated F1 of the paraphrase class.
    pub f1: f64,
    /// Accuracy of the shipped weights on the whole file (trained on it: optimistic).
    pub shipped_accuracy: f64,
    /// Whether the embedding features were used (the embeddings-aware model).
    pub embeddings: bool,
    /// CPU milliseconds per sentence spent preparing the pairs (statements, and the
    /// embeddings when used).
    pub cpu_ms_per_sentence: f64,
}

#[derive(Default)]
struct Counts {
    tp: usize,
    fp: usize,
    tn: usize,
    fn_: usize,
}

impl Counts {
    fn add(&mut self, w: &Weights, examples: &[Example]) {
        for (f, y) in examples {
            match (predict(w, f) >= w.threshold, *y) {
                (true, true) => self.tp += 1,
                (true, false) => self.fp += 1,
                (false, false) => self.tn += 1,
                (false, true) => self.fn_ += 1,
            }
        }
    }
    fn total(&self) -> usize {
        self.tp + self.fp + self.tn + self.fn_
    }
    fn accuracy(&self) -> f64 {
        (self.tp + self.tn) as f64 / self.total().max(1) as f64
    }
}

/// Cross-validated counts of `params` on `examples` (contiguous folds, in file order); each
/// fold's threshold is chosen on its training part ([`fit_tuned`]).
fn cross_validate(examples: &[Example], folds: usize, params: &Params) -> Counts {
    let mut cv = Counts::default();
    let n = examples.len();
    for k in 0..folds {
        let (lo, hi) = (k * n / folds, (k + 1) * n / folds);
        let train: Vec<Example> = examples[..lo].iter().chain(&examples[hi..]).copied().collect();
        cv.add(&fit_tuned(&train, params), &examples[lo..hi]);
    }
    cv
}

/// Scores the same-fact test (lexical features only) on the MSRP-format file at `path`
/// with `folds`-fold cross-validation (folds are contiguous blocks, in file order).
pub fn evaluate(path: &Path, folds: usize) -> io::Result<CompareScores> {
    evaluate_with(path, folds, None)
}

/// Like [`evaluate`]; with an encoder, the embedding features are added (and the shipped
/// embeddings-aware model is scored).
pub fn evaluate_with(
    path: &Path,
    folds: usize,
    embed: Option<&dyn Embed>,
) -> io::Result<CompareScores> {
    let pairs = read_pairs(path)?;
    let cpu = crate::pipeline::cpu_seconds();
    let examples = examples(&pairs, embed).map_err(io::Error::other)?;
    let cpu_ms_per_sentence =
        (crate::pipeline::cpu_seconds() - cpu) * 1e3 / (2 * pairs.len()).max(1) as f64;
    let folds = folds.clamp(2, examples.len().max(2));
    let n = examples.len();
    let cv = cross_validate(&examples, folds, &PARAMS);
    let mut shipped = Counts::default();
    let shipped_weights = if embed.is_some() { &*WEIGHTS_EMB } else { &*WEIGHTS };
    shipped.add(shipped_weights, &examples);
    let precision = cv.tp as f64 / (cv.tp + cv.fp).max(1) as f64;
    let recall = cv.tp as f64 / (cv.tp + cv.fn_).max(1) as f64;
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    Ok(CompareScores {
        pairs: n,
        folds,
        accuracy: cv.accuracy(),
        precision,
        recall,
        f1,
        shipped_accuracy: shipped.accuracy(),
        embeddings: embed.is_some(),
        cpu_ms_per_sentence,
    })
}

impl fmt::Display for CompareScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.embeddings { "with MiniLM embeddings" } else { "lexical features" };
        writeln!(
            f,
            "same-fact test ({what}): {} pairs, {}-fold cross-validation",
            self.pairs, self.folds
        )?;
        writeln!(f, "  accuracy  {:.3}", self.accuracy)?;
        writeln!(
            f,
            "  F1        {:.3}  (precision {:.3}, recall {:.3})",
            self.f1, self.precision, self.recall
        )?;
        writeln!(f, "  preparing the pairs: {:.2} ms CPU per sentence", self.cpu_ms_per_sentence)?;
        write!(f, "  shipped weights on the whole file: accuracy {:.3}", self.shipped_accuracy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthesize::compare::embedding::normalize;
    use crate::synthesize::compare::{cv_probabilities, read_examples, Embedding};

    fn write_fixture() -> std::path::PathBuf {
        let mut s = String::from("Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n");
        let pairs = [
            (
                "1",
                "The mayor opened the new bridge on Monday.",
                "On Monday the mayor opened the new bridge.",
            ),
            (
                "0",
                "The mayor opened the new bridge on Monday.",
                "Rain fell across the northern hills overnight.",
            ),
            (
                "1",
                "Police arrested three men after the robbery.",
                "Three men were arrested by police after the robbery.",
            ),
            (
                "0",
                "Police arrested three men after the robbery.",
                "The company reported record profits this quarter.",
            ),
        ];
        for _ in 0..3 {
            for (q, a, b) in pairs {
                s.push_str(&format!("{q}\t1\t2\t{a}\t{b}\n"));
            }
        }
        let path = std::env::temp_dir().join(format!("chorus-msrp-{}.txt", std::process::id()));
        std::fs::write(&path, s).expect("write fixture");
        path
    }

    #[test]
    fn cross_validation_on_easy_pairs() {
        let path = write_fixture();
        let s = evaluate(&path, 3).expect("evaluate");
        let _ = std::fs::remove_file(&path);
        assert_eq!(s.pairs, 12);
        assert!(s.accuracy > 0.9, "{s}");
        assert!(s.to_string().contains("accuracy"));
    }

    /// A stand-in encoder: one dimension per (hashed) lowercase word, so the sentence
    /// cosine is a bag-of-words cosine and tokens align when the words are equal.
    struct BagOfWords;

    impl Embed for BagOfWords {
        fn embed(&self, texts: &[&str]) -> Result<Vec<Embedding>, String> {
            const DIM: usize = 64;
            let one = |w: &str| {
                let mut v = vec![0.0f32; DIM];
                v[(crate::synthesize::compare::hash(&w.to_lowercase()) % DIM as u64) as usize] =
                    1.0;
                v
            };
            Ok(texts
                .iter()
                .map(|t| {
                    let words: Vec<&str> = t.split_whitespace().collect();
                    let mut sentence = vec![0.0f32; DIM];
                    let mut tokens = Vec::new();
                    for w in &words {
                        let v = one(w);
                        sentence.iter_mut().zip(&v).for_each(|(s, x)| *s += x);
                        tokens.extend(v);
                    }
                    normalize(&mut sentence);
                    Embedding { sentence, tokens }
                })
                .collect())
        }
    }

    #[test]
    fn cross_validation_with_an_encoder() {
        let path = write_fixture();
        let s = evaluate_with(&path, 3, Some(&BagOfWords)).expect("evaluate");
        let _ = std::fs::remove_file(&path);
        assert!(s.embeddings && s.accuracy > 0.9, "{s}");
        assert!(s.to_string().contains("with MiniLM embeddings"), "{s}");
    }

    /// Trains the shipped model on the real MSRP file, rewrites `data/compare/model.txt`,
    /// and prints the CV scores and the scoring speed (run with --ignored --release).
    #[test]
    #[ignore]
    fn msrp_train_and_evaluate() {
        use crate::synthesize::compare::Statement;
        let path = Path::new("/work/shared/data/msrp/msr_paraphrase_train.txt");
        let w = crate::synthesize::compare::train_weights(path, None).expect("read msrp");
        let out = concat!(env!("CARGO_MANIFEST_DIR"), "/data/compare/model.txt");
        std::fs::write(out, w.to_text()).expect("write model");
        println!("{}", evaluate(path, 10).expect("evaluate"));
        let data = std::fs::read_to_string(path).expect("read msrp");
        let stmts: Vec<(Statement, Statement)> = data
            .lines()
            .skip(1)
            .filter_map(|l| {
                let c: Vec<&str> = l.split('\t').collect();
                Some((Statement::new(c.get(3)?), Statement::new(c.get(4)?)))
            })
            .collect();
        // Like the facts stage: every statement of a block of 100 against every other (the
        // block stays in cache), 9,900 ordered pairs a block.
        let block: Vec<&Statement> = stmts.iter().flat_map(|(a, b)| [a, b]).take(100).collect();
        let t = std::time::Instant::now();
        let mut sum = 0.0;
        for _ in 0..5 {
            for a in &block {
                for b in &block {
                    if !std::ptr::eq(*a, *b) {
                        sum += a.score(b);
                    }
                }
            }
        }
        let per = t.elapsed().as_secs_f64() * 1e6 / (5 * 9900) as f64;
        println!("score: {per:.2} us per prepared pair, in cache (checksum {sum:.1})");
        let t = std::time::Instant::now();
        for _ in 0..5 {
            for a in &block {
                for b in &block {
                    sum += a.features(b, false)[0];
                }
            }
        }
        let per = t.elapsed().as_secs_f64() * 1e6 / (5 * 10000) as f64;
        println!("features alone: {per:.2} us per prepared pair, in cache (checksum {sum:.1})");
        let t = std::time::Instant::now();
        for (a, b) in &stmts {
            sum += a.score(b);
        }
        let per = t.elapsed().as_secs_f64() * 1e6 / stmts.len() as f64;
        println!("score: {per:.2} us per prepared pair, all MSRP pairs (checksum {sum:.1})");
        if std::env::var("CHORUS_GRID").is_err() {
            return;
        }
        let ex = read_examples(path).expect("read");
        for trees in [100, 150, 300] {
            for rate in [0.06, 0.1] {
                for lambda in [1.0, 5.0] {
                    let p = Params { trees, rate, lambda };
                    let probs = cv_probabilities(&ex, 10, &p);
                    let accs: Vec<String> = [0.4f32, 0.45, 0.5, 0.55]
                        .iter()
                        .map(|t| {
                            let ok = probs.iter().filter(|(q, y)| (*q >= *t) == *y).count();
                            format!("{:.3}", ok as f64 / probs.len() as f64)
                        })
                        .collect();
                    println!("{p:?} acc@.40/.45/.50/.55 {}", accs.join(" "));
                }
            }
        }
    }
}
