//! Quotes and reported speech. (stub)

use crate::record::{Mention, Quote, Sentence};

/// Finds quotes.
pub fn extract(_text: &str, _sentences: &[Sentence], _mentions: &[Mention]) -> Vec<Quote> {
    Vec::new()
}
