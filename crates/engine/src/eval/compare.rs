//! Evaluation of the same-fact test (`synthesize::compare`) on MSRP-format pairs: k-fold
//! cross-validation (train the logistic regression on k−1 folds, score the held-out fold),
//! accuracy and F1 of the paraphrase class. Also scores the shipped weights on the whole file.

use std::fmt;
use std::io;
use std::path::Path;

use crate::synthesize::compare::{fit, predict, read_examples, Example, Weights, WEIGHTS};

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

/// Scores the same-fact test on the MSRP-format file at `path` with `folds`-fold
/// cross-validation (folds are contiguous blocks, in file order).
pub fn evaluate(path: &Path, folds: usize) -> io::Result<CompareScores> {
    let examples = read_examples(path)?;
    let folds = folds.clamp(2, examples.len().max(2));
    let mut cv = Counts::default();
    let n = examples.len();
    for k in 0..folds {
        let (lo, hi) = (k * n / folds, (k + 1) * n / folds);
        let train: Vec<Example> = examples[..lo].iter().chain(&examples[hi..]).copied().collect();
        cv.add(&fit(&train), &examples[lo..hi]);
    }
    let mut shipped = Counts::default();
    shipped.add(&WEIGHTS, &examples);
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
    })
}

impl fmt::Display for CompareScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "same-fact test: {} pairs, {}-fold cross-validation", self.pairs, self.folds)?;
        writeln!(f, "  accuracy  {:.3}", self.accuracy)?;
        writeln!(
            f,
            "  F1        {:.3}  (precision {:.3}, recall {:.3})",
            self.f1, self.precision, self.recall
        )?;
        write!(f, "  shipped weights on the whole file: accuracy {:.3}", self.shipped_accuracy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// Prints the trained weights and CV scores on the real MSRP file (run with --ignored).
    #[test]
    #[ignore]
    fn msrp_train_and_evaluate() {
        let path = Path::new("/work/shared/data/msrp/msr_paraphrase_train.txt");
        let w = crate::synthesize::compare::train_weights(path).expect("read msrp");
        println!("{w:?}");
        println!("{}", evaluate(path, 10).expect("evaluate"));
    }
}
