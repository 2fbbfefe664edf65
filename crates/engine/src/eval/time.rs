//! Evaluation of time-expression extraction against TIMEX3-labelled JSONL (TempEval-3
//! style: `text`, `published`, `timexes` with byte `start`/`end`, `type`, `value`).
//!
//! Scores as TempEval-3 does: strict span P/R/F1 (exact boundaries), relaxed span P/R/F1
//! (any overlap, one-to-one), type and value accuracy over the relaxed matches, and value F1
//! (relaxed F1 × value accuracy).

use std::fmt;
use std::io::BufRead;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::analyze::time::extract;
use crate::record::TimeType;

/// One labelled document.
#[derive(Debug, Deserialize)]
struct Doc {
    text: String,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    timexes: Vec<Gold>,
}

/// One gold time expression.
#[derive(Debug, Deserialize)]
struct Gold {
    start: usize,
    end: usize,
    #[serde(rename = "type")]
    kind: TimeType,
    value: String,
}

/// TempEval-3 scores of the time extractor on one labelled set.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TimeScores {
    /// Documents read.
    pub docs: usize,
    /// Gold expressions.
    pub gold: usize,
    /// Predicted expressions.
    pub predicted: usize,
    /// Exact-span precision.
    pub strict_p: f64,
    /// Exact-span recall.
    pub strict_r: f64,
    /// Exact-span F1.
    pub strict_f1: f64,
    /// Overlap precision.
    pub relaxed_p: f64,
    /// Overlap recall.
    pub relaxed_r: f64,
    /// Overlap F1.
    pub relaxed_f1: f64,
    /// Share of relaxed matches with the right TIMEX3 type.
    pub type_acc: f64,
    /// Share of relaxed matches with the right TIMEX3 value.
    pub value_acc: f64,
    /// Value F1 = relaxed F1 × value accuracy.
    pub value_f1: f64,
}

/// Raw counts, summed over documents.
#[derive(Debug, Default)]
struct Counts {
    docs: usize,
    gold: usize,
    predicted: usize,
    strict: usize,
    relaxed: usize,
    typed: usize,
    valued: usize,
}

/// Parses `published` ("1998-08-07" or "1998-08-07T10:35") into a date.
fn anchor(published: Option<&str>) -> Option<NaiveDate> {
    let p = published?;
    NaiveDate::parse_from_str(p.get(..10)?, "%Y-%m-%d").ok()
}

fn score_doc(doc: &Doc, c: &mut Counts) {
    let pred = extract(&doc.text, anchor(doc.published.as_deref()));
    c.docs += 1;
    c.gold += doc.timexes.len();
    c.predicted += pred.len();
    let mut used = vec![false; pred.len()];
    for g in &doc.timexes {
        if pred.iter().any(|p| p.span.start == g.start && p.span.end == g.end) {
            c.strict += 1;
        }
        // One-to-one relaxed matching: the exact match if any, else the first overlap.
        let hit = pred
            .iter()
            .enumerate()
            .filter(|(i, p)| !used[*i] && p.span.start < g.end && g.start < p.span.end)
            .max_by_key(|(_, p)| {
                (p.span.start == g.start && p.span.end == g.end, usize::MAX - p.span.start)
            })
            .map(|(i, _)| i);
        if let Some(i) = hit {
            used[i] = true;
            c.relaxed += 1;
            c.typed += usize::from(pred[i].kind == g.kind);
            c.valued += usize::from(pred[i].value == g.value);
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

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

impl From<&Counts> for TimeScores {
    fn from(c: &Counts) -> TimeScores {
        let (sp, sr) = (ratio(c.strict, c.predicted), ratio(c.strict, c.gold));
        let (rp, rr) = (ratio(c.relaxed, c.predicted), ratio(c.relaxed, c.gold));
        let value_acc = ratio(c.valued, c.relaxed);
        TimeScores {
            docs: c.docs,
            gold: c.gold,
            predicted: c.predicted,
            strict_p: sp,
            strict_r: sr,
            strict_f1: f1(sp, sr),
            relaxed_p: rp,
            relaxed_r: rr,
            relaxed_f1: f1(rp, rr),
            type_acc: ratio(c.typed, c.relaxed),
            value_acc,
            value_f1: f1(rp, rr) * value_acc,
        }
    }
}

/// Scores [`extract`] on a JSONL file of TIMEX3-labelled documents, anchoring each
/// document at its `published` date. Lines that do not parse are skipped.
pub fn evaluate(path: &Path) -> std::io::Result<TimeScores> {
    let file = std::io::BufReader::new(std::fs::File::open(path)?);
    let mut c = Counts::default();
    for line in file.lines() {
        let line = line?;
        if let Ok(doc) = serde_json::from_str::<Doc>(&line) {
            score_doc(&doc, &mut c);
        }
    }
    Ok(TimeScores::from(&c))
}

impl fmt::Display for TimeScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |x: f64| x * 100.0;
        writeln!(f, "docs {}  gold {}  predicted {}", self.docs, self.gold, self.predicted)?;
        writeln!(
            f,
            "strict  P {:.1}  R {:.1}  F1 {:.1}",
            pct(self.strict_p),
            pct(self.strict_r),
            pct(self.strict_f1)
        )?;
        writeln!(
            f,
            "relaxed P {:.1}  R {:.1}  F1 {:.1}",
            pct(self.relaxed_p),
            pct(self.relaxed_r),
            pct(self.relaxed_f1)
        )?;
        write!(
            f,
            "type acc {:.1}  value acc {:.1}  value F1 {:.1}",
            pct(self.type_acc),
            pct(self.value_acc),
            pct(self.value_f1)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_scores() {
        let dir = std::env::temp_dir().join(format!("chorus-time-eval-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("fixture.jsonl");
        let docs = [
            // Exact match with right value.
            r#"{"text": "He left on Friday.", "published": "2024-12-13", "timexes": [{"start": 11, "end": 17, "type": "DATE", "value": "2024-12-13"}]}"#,
            // Gold "last week" vs predicted "last week"; gold "the nine months" missed by one word.
            r#"{"text": "Sales fell last week and in the past nine months.", "published": "2024-12-09T10:00", "timexes": [{"start": 11, "end": 20, "type": "DATE", "value": "2024-W49"}, {"start": 28, "end": 37, "type": "DATE", "value": "PAST_REF"}]}"#,
            // A document without gold: any prediction is a false positive.
            r#"{"text": "Nothing here at all.", "published": "2024-12-09", "timexes": []}"#,
        ];
        std::fs::write(&path, docs.join("\n")).unwrap();
        let s = evaluate(&path).unwrap();
        assert_eq!((s.docs, s.gold, s.predicted), (3, 3, 3));
        // Strict: "Friday" and "last week" exact; "the past" ≠ "the past nine months".
        assert!((s.strict_r - 2.0 / 3.0).abs() < 1e-9, "{s}");
        assert!((s.relaxed_r - 1.0).abs() < 1e-9, "{s}");
        // Values: Friday and last week right, P9M ≠ PAST_REF.
        assert!((s.value_acc - 2.0 / 3.0).abs() < 1e-9, "{s}");
        assert!((s.type_acc - 2.0 / 3.0).abs() < 1e-9, "{s}");
        assert!(s.to_string().contains("value F1"));
        std::fs::remove_dir_all(&dir).ok();
    }

    /// Prints the scores on the dev set:
    /// `cargo test --release -p chorus-engine --lib eval::time -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn dev_set() {
        let path = std::env::var("CHORUS_TIMEBANK")
            .unwrap_or_else(|_| "/work/shared/data/timebank-aquaint.jsonl".into());
        let t = std::time::Instant::now();
        let s = evaluate(Path::new(&path)).expect("read dev set");
        println!("{s}\n({:?} total)", t.elapsed());
        if let Ok(out) = std::env::var("CHORUS_TIME_DUMP") {
            std::fs::write(out, dump(Path::new(&path))).expect("write dump");
        }
    }

    /// Lists false positives, misses, boundary and value errors (for error analysis).
    fn dump(path: &Path) -> String {
        let mut out = String::new();
        for line in std::fs::read_to_string(path).unwrap_or_default().lines() {
            let Ok(doc) = serde_json::from_str::<Doc>(line) else {
                continue;
            };
            let pred = extract(&doc.text, anchor(doc.published.as_deref()));
            let t = &doc.text;
            let ctx = |s: usize, e: usize| {
                let (mut a, mut b) = (s.saturating_sub(30), (e + 20).min(t.len()));
                while !t.is_char_boundary(a) {
                    a += 1;
                }
                while !t.is_char_boundary(b) {
                    b -= 1;
                }
                t[a..b].replace('\n', " ")
            };
            for g in &doc.timexes {
                let gt = &t[g.start..g.end];
                match pred.iter().find(|p| p.span.start < g.end && g.start < p.span.end) {
                    None => {
                        out += &format!(
                            "MISS\t{gt:?}\t{:?}\t{}\t{}\n",
                            g.kind,
                            g.value,
                            ctx(g.start, g.end)
                        )
                    }
                    Some(p) => {
                        if p.span.start != g.start || p.span.end != g.end {
                            out += &format!("SPAN\t{gt:?}\t{:?}\n", p.text);
                        }
                        if p.value != g.value {
                            out += &format!(
                                "VAL\t{gt:?}\t{}\t{}\t{:?}\t{}\n",
                                g.value,
                                p.value,
                                doc.published,
                                ctx(g.start, g.end)
                            );
                        }
                    }
                }
            }
            for p in &pred {
                if !doc.timexes.iter().any(|g| p.span.start < g.end && g.start < p.span.end) {
                    out += &format!(
                        "FP\t{:?}\t{}\t{}\n",
                        p.text,
                        p.value,
                        ctx(p.span.start, p.span.end)
                    );
                }
            }
        }
        out
    }
}
