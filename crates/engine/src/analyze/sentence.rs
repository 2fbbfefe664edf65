//! Sentence splitting. (stub: one sentence per line; to be replaced)

use crate::record::{Sentence, Span};

/// Splits text into sentences.
pub fn split(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut pos = 0;
    for (p, line) in text.split('\n').enumerate() {
        let t = line.trim();
        if !t.is_empty() {
            let s = pos + line.find(t).unwrap_or(0);
            out.push(Sentence {
                span: Span::new(s, s + t.len()),
                paragraph: p,
            });
        }
        pos += line.len() + 1;
    }
    out
}
