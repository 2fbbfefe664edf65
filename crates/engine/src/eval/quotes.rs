//! Evaluation of quote extraction on PolNeAR-style JSONL (`id`, `text`, `attributions`:
//! `source`/`cue`/`content` byte spans, any may be null).
//!
//! Scored gold attributions are the speech ones: cue containing a verb of saying from
//! [`SPEECH_CUES`] (fixed here, independent of the extractor's lexicon, so the scored set does
//! not move when the extractor changes) or "according to", or content opening with a quote mark;
//! beliefs and endorsements (think, want, support) are not scored, nor are gold attributions
//! whose content span holds no word (a few PolNeAR spans are empty or punctuation only: no
//! prediction could overlap them, so they would only lower recall). Predictions are matched
//! one-to-one to gold by content token overlap (greedy, largest overlap first). Scores are
//! token-overlap precision/recall/F1 with partial credit, as in PARC/citron: a matched pair
//! earns `overlap/|pred|` toward precision and `overlap/|gold|` toward recall; an unmatched
//! prediction earns 0 precision (unless it overlaps an unscored gold attribution, then it is
//! ignored); an unmatched gold earns 0 recall. Source spans are scored the same way over the
//! gold attributions that have a source and the predictions that have one.

use std::collections::HashSet;
use std::io::{self, BufRead};
use std::path::Path;

use serde::Deserialize;

use crate::analyze::quote::extract;
use crate::record::Span;
use crate::text::tokens;

/// Precision, recall and F1 (0..1).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
}

impl Prf {
    fn new(p_num: f64, p_den: f64, r_num: f64, r_den: f64) -> Prf {
        let precision = if p_den > 0.0 { p_num / p_den } else { 0.0 };
        let recall = if r_den > 0.0 { r_num / r_den } else { 0.0 };
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf { precision, recall, f1 }
    }
}

/// Scores of quote extraction over a file.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct QuoteScores {
    /// Documents read.
    pub documents: usize,
    /// Gold speech attributions scored.
    pub gold: usize,
    /// Predictions scored (matched + false positives).
    pub predicted: usize,
    /// Matched pairs.
    pub matched: usize,
    /// Source span overlap scores.
    pub source: Prf,
    /// Content span overlap scores.
    pub content: Prf,
}

impl std::fmt::Display for QuoteScores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pct = |x: f64| 100.0 * x;
        writeln!(
            f,
            "docs {}  gold speech attributions {}  predicted {}  matched {}",
            self.documents, self.gold, self.predicted, self.matched
        )?;
        for (name, s) in [("source", &self.source), ("content", &self.content)] {
            writeln!(
                f,
                "{name:<8} P {:5.1}  R {:5.1}  F1 {:5.1}",
                pct(s.precision),
                pct(s.recall),
                pct(s.f1)
            )?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct GoldSpan {
    start: usize,
    end: usize,
}

#[derive(Deserialize)]
struct GoldAttr {
    source: Option<GoldSpan>,
    cue: Option<GoldSpan>,
    content: Option<GoldSpan>,
}

#[derive(Deserialize)]
struct Doc {
    text: String,
    #[serde(default)]
    attributions: Vec<GoldAttr>,
}

/// Running sums.
#[derive(Default)]
struct Acc {
    gold: usize,
    pred: usize,
    matched: usize,
    c_p: f64,
    c_r: f64,
    s_p: f64,
    s_pden: f64,
    s_r: f64,
    s_rden: f64,
}

/// Evaluates quote extraction on the JSONL file at `path`.
pub fn evaluate(path: &Path) -> io::Result<QuoteScores> {
    let file = std::fs::File::open(path)?;
    let mut acc = Acc::default();
    let mut documents = 0;
    for line in io::BufReader::new(file).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let doc: Doc = serde_json::from_str(&line)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        documents += 1;
        score_doc(&doc, &mut acc);
    }
    Ok(QuoteScores {
        documents,
        gold: acc.gold,
        predicted: acc.pred,
        matched: acc.matched,
        content: Prf::new(acc.c_p, acc.pred as f64, acc.c_r, acc.gold as f64),
        source: Prf::new(acc.s_p, acc.s_pden, acc.s_r, acc.s_rden),
    })
}

/// Verbs of saying (all inflections listed) that make a gold attribution speech.
pub const SPEECH_CUES: &[&str] = &[
    "say",
    "says",
    "said",
    "saying",
    "tell",
    "tells",
    "told",
    "telling",
    "add",
    "adds",
    "added",
    "adding",
    "state",
    "states",
    "stated",
    "stating",
    "ask",
    "asks",
    "asked",
    "asking",
    "write",
    "writes",
    "wrote",
    "writing",
    "note",
    "notes",
    "noted",
    "noting",
    "explain",
    "explains",
    "explained",
    "explaining",
    "announce",
    "announces",
    "announced",
    "declare",
    "declares",
    "declared",
    "claim",
    "claims",
    "claimed",
    "claiming",
    "argue",
    "argues",
    "argued",
    "arguing",
    "insist",
    "insists",
    "insisted",
    "warn",
    "warns",
    "warned",
    "warning",
    "emphasize",
    "emphasized",
    "emphasised",
    "stress",
    "stressed",
    "reply",
    "replied",
    "respond",
    "responded",
    "answer",
    "answered",
    "tweet",
    "tweets",
    "tweeted",
    "acknowledge",
    "acknowledged",
    "admit",
    "admitted",
    "confirm",
    "confirmed",
    "deny",
    "denied",
    "suggest",
    "suggests",
    "suggested",
    "report",
    "reports",
    "reported",
    "continue",
    "continued",
    "recall",
    "recalled",
    "conclude",
    "concluded",
    "promise",
    "promised",
    "vow",
    "vowed",
    "pledge",
    "pledged",
    "reiterate",
    "reiterated",
    "remark",
    "remarked",
    "testify",
    "testified",
    "concede",
    "conceded",
    "comment",
    "commented",
    "complain",
    "complained",
    "mention",
    "mentioned",
    "reveal",
    "revealed",
    "assert",
    "asserted",
    "allege",
    "alleged",
    "quip",
    "quipped",
    "urge",
    "urged",
];

/// Whether a gold attribution is speech: a cue of saying or quoted content.
pub fn is_speech(text: &str, cue: Option<Span>, content: Span) -> bool {
    let cue_text = cue.map_or("", |c| c.slice(text)).to_lowercase();
    let by_cue = cue_text.contains("according to")
        || tokens(&cue_text).iter().any(|t| SPEECH_CUES.contains(&t.text));
    let quoted = content.slice(text).trim_start().starts_with(['“', '"', '«', '„', '‘', '\'']);
    by_cue || quoted
}

/// Token indices (positions) of the words inside `span`.
fn toks(words: &[Span], span: Span) -> HashSet<usize> {
    words.iter().enumerate().filter(|(_, w)| span.contains(**w)).map(|(i, _)| i).collect()
}

fn score_doc(doc: &Doc, acc: &mut Acc) {
    let text = doc.text.as_str();
    let words: Vec<Span> = tokens(text).iter().map(|t| t.span).collect();
    let sp = |s: &Option<GoldSpan>| s.as_ref().map(|g| Span::new(g.start, g.end));
    let mut gold = Vec::new();
    let mut other = Vec::new();
    for a in &doc.attributions {
        let Some(content) = sp(&a.content) else {
            continue;
        };
        let entry = (sp(&a.source), toks(&words, content));
        if entry.1.is_empty() {
            continue; // a content span without a word (broken offsets) can match nothing
        }
        if is_speech(text, sp(&a.cue), content) {
            gold.push(entry);
        } else {
            other.push(entry.1);
        }
    }
    let pred: Vec<(Option<Span>, HashSet<usize>)> =
        extract(text, &[], &[]).into_iter().map(|q| (q.source, toks(&words, q.content))).collect();
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (i, p) in pred.iter().enumerate() {
        for (j, g) in gold.iter().enumerate() {
            let o = p.1.intersection(&g.1).count();
            if o > 0 {
                pairs.push((o, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut pm, mut gm) = (vec![false; pred.len()], vec![false; gold.len()]);
    acc.gold += gold.len();
    acc.s_rden += gold.iter().filter(|g| g.0.is_some()).count() as f64;
    for (o, i, j) in pairs {
        if pm[i] || gm[j] {
            continue;
        }
        pm[i] = true;
        gm[j] = true;
        acc.matched += 1;
        acc.pred += 1;
        acc.c_p += o as f64 / pred[i].1.len().max(1) as f64;
        acc.c_r += o as f64 / gold[j].1.len().max(1) as f64;
        if let Some(ps) = pred[i].0 {
            acc.s_pden += 1.0;
            if let Some(gs) = gold[j].0 {
                let (a, b) = (toks(&words, ps), toks(&words, gs));
                let o = a.intersection(&b).count() as f64;
                acc.s_p += o / a.len().max(1) as f64;
                acc.s_r += o / b.len().max(1) as f64;
            }
        }
    }
    for (i, p) in pred.iter().enumerate().filter(|(i, _)| !pm[*i]) {
        let _ = i;
        if other.iter().any(|o| o.intersection(&p.1).next().is_some()) {
            continue;
        }
        acc.pred += 1;
        acc.s_pden += if p.0.is_some() { 1.0 } else { 0.0 };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scores a one-document file holding `line` (written to a temporary file named by `tag`).
    fn evaluate_line(line: &serde_json::Value, tag: &str) -> QuoteScores {
        let path = std::env::temp_dir()
            .join(format!("chorus-quote-eval-{tag}-{}.jsonl", std::process::id()));
        std::fs::write(&path, format!("{line}\n")).ok();
        let s = evaluate(&path).ok();
        std::fs::remove_file(&path).ok();
        s.unwrap_or_default()
    }

    #[test]
    fn scores_a_small_file() {
        let text = "\u{201c}We will win,\u{201d} he said. Officials believe it is over.";
        let at = |w: &str| text.find(w).unwrap_or(0);
        let sp = |w: &str| serde_json::json!({"start": at(w), "end": at(w) + w.len()});
        let line = serde_json::json!({
            "id": "x", "text": text,
            "attributions": [
                {"source": sp("he"), "cue": sp("said"), "content": sp("\u{201c}We will win,\u{201d}")},
                {"source": sp("Officials"), "cue": sp("believe"), "content": sp("it is over")}
            ]
        });
        let s = evaluate_line(&line, "a");
        assert_eq!((s.documents, s.gold, s.matched), (1, 1, 1));
        assert!((s.content.f1 - 1.0).abs() < 1e-9, "{s:?}");
        assert!((s.source.f1 - 1.0).abs() < 1e-9, "{s:?}");
    }

    #[test]
    fn wordless_gold_content_is_not_scored() {
        let text = "\u{201c}We will win,\u{201d} he said. \u{201c}\u{201d} she added.";
        let at = |w: &str| text.find(w).unwrap_or(0);
        let sp = |w: &str| serde_json::json!({"start": at(w), "end": at(w) + w.len()});
        let empty = "\u{201c}\u{201d} she";
        let line = serde_json::json!({
            "id": "x", "text": text,
            "attributions": [
                {"source": sp("he"), "cue": sp("said"), "content": sp("\u{201c}We will win,\u{201d}")},
                {"source": sp("she"), "cue": sp("added"),
                 "content": {"start": at(empty), "end": at(empty) + 6}}
            ]
        });
        let s = evaluate_line(&line, "e");
        assert_eq!((s.gold, s.matched), (1, 1), "{s:?}");
        assert!((s.content.recall - 1.0).abs() < 1e-9, "{s:?}");
    }

    #[test]
    #[ignore]
    fn polnear_dev() {
        let path = std::env::var("POLNEAR").unwrap_or("/work/shared/data/polnear-dev.jsonl".into());
        match evaluate(Path::new(&path)) {
            Ok(s) => println!("{s:#?}"),
            Err(e) => println!("cannot read {path}: {e}"),
        }
    }
}

/// Diagnostics on a training file: unmatched gold and false predictions (ignored test).
#[cfg(test)]
mod diag {
    use super::*;

    /// Writes the predictions for every document of `POLNEAR` (default train) as JSONL to
    /// `DUMP` (default /tmp/quote-pred.jsonl) for offline error analysis.
    #[test]
    #[ignore]
    fn polnear_dump_predictions() {
        let path =
            std::env::var("POLNEAR").unwrap_or("/work/shared/data/polnear-train.jsonl".into());
        let out = std::env::var("DUMP").unwrap_or("/tmp/quote-pred.jsonl".into());
        let Ok(f) = std::fs::File::open(&path) else {
            return;
        };
        let mut lines = Vec::new();
        for line in io::BufReader::new(f).lines().map_while(Result::ok) {
            let Ok(doc) = serde_json::from_str::<Doc>(&line) else {
                continue;
            };
            let sp = |s: Option<Span>| s.map(|s| [s.start, s.end]);
            let preds: Vec<_> = extract(&doc.text, &[], &[])
                .iter()
                .map(|q| {
                    serde_json::json!({"source": sp(q.source), "cue": sp(q.cue),
                        "content": [q.content.start, q.content.end], "direct": q.direct,
                        "speaker": q.speaker})
                })
                .collect();
            lines.push(serde_json::json!({ "pred": preds }).to_string());
        }
        std::fs::write(&out, lines.join("\n")).ok();
    }

    #[test]
    #[ignore]
    fn polnear_train_errors() {
        let path =
            std::env::var("POLNEAR").unwrap_or("/work/shared/data/polnear-train.jsonl".into());
        let Ok(f) = std::fs::File::open(&path) else {
            return;
        };
        let lim: usize = std::env::var("NDOC").ok().and_then(|x| x.parse().ok()).unwrap_or(30);
        for line in io::BufReader::new(f).lines().map_while(Result::ok).take(lim) {
            let Ok(doc) = serde_json::from_str::<Doc>(&line) else {
                continue;
            };
            let text = doc.text.as_str();
            let preds = extract(text, &[], &[]);
            for a in &doc.attributions {
                let (Some(c), cue) =
                    (a.content.as_ref(), a.cue.as_ref().map(|c| Span::new(c.start, c.end)))
                else {
                    continue;
                };
                let c = Span::new(c.start, c.end);
                if !is_speech(text, cue, c) {
                    continue;
                }
                let src = a.source.as_ref().map_or("-", |s| Span::new(s.start, s.end).slice(text));
                let m = preds.iter().find(|p| p.content.start < c.end && c.start < p.content.end);
                match m {
                    None => println!(
                        "MISS [{}] [{}] {}",
                        src,
                        cue.map_or("-", |s| s.slice(text)),
                        c.slice(text).chars().take(120).collect::<String>()
                    ),
                    Some(p) => {
                        let ps = p.source.map_or("-", |s| s.slice(text));
                        if ps != src {
                            println!(
                                "SRC gold[{src}] pred[{ps}] cue[{}]",
                                cue.map_or("-", |s| s.slice(text))
                            );
                        }
                        if p.content != c {
                            println!(
                                "CONT\n  gold {}\n  pred {}",
                                c.slice(text).chars().take(150).collect::<String>(),
                                p.content.slice(text).chars().take(150).collect::<String>()
                            );
                        }
                    }
                }
            }
            for p in &preds {
                if !doc.attributions.iter().any(|a| {
                    a.content
                        .as_ref()
                        .is_some_and(|c| p.content.start < c.end && c.start < p.content.end)
                }) {
                    println!(
                        "FP [{}] [{}] {}",
                        p.source.map_or("-", |s| s.slice(text)),
                        p.cue.map_or("-", |s| s.slice(text)),
                        p.content.slice(text).chars().take(120).collect::<String>()
                    );
                }
            }
        }
    }
}
