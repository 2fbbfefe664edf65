//! Time expressions (TIMEX3 / TempEval-3 conventions): finds dates, times, durations, sets
//! and vague references in a text and normalises each to a TIMEX3 value, resolving relative
//! ones ("last week", "on Monday", "November 27") against the article date.
//!
//! Hand-written rules (in the spirit of HeidelTime) because no Rust crate does TIMEX3:
//! `rules.rs` holds one regex per expression family plus its normaliser, `resolve.rs` the
//! calendar arithmetic, `lexicon.rs` the word lists. This file keeps the longest
//! non-overlapping matches and builds the records.

mod lexicon;
mod resolve;
mod rules;

use chrono::NaiveDate;

use crate::record::{Span, TimeExpr};

/// Finds time expressions, resolving relative ones against `anchor` (the article date).
/// Without an anchor, relative values keep unknown parts as `X` (`XXXX-11-27`) or become
/// `PAST_REF`/`PRESENT_REF`/`FUTURE_REF`.
pub fn extract(text: &str, anchor: Option<NaiveDate>) -> Vec<TimeExpr> {
    let mut found = rules::find_all(text, anchor);
    // Longest first; on equal length the earlier start, then the earlier rule (stable sort).
    found.sort_by_key(|f| (std::cmp::Reverse(f.end - f.start), f.start));
    let mut kept: Vec<rules::Found> = Vec::new();
    for f in found {
        if f.end > f.start && kept.iter().all(|k| f.end <= k.start || f.start >= k.end) {
            kept.push(f);
        }
    }
    kept.sort_by_key(|f| f.start);
    kept.into_iter()
        .map(|f| TimeExpr {
            span: Span::new(f.start, f.end),
            text: text.get(f.start..f.end).unwrap_or("").to_string(),
            kind: f.kind,
            value: f.value,
        })
        .collect()
}
