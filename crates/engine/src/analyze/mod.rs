//! The analyze stage: reads one repaired article into an [`Analyzed`] record — language,
//! sentences, entity mentions, quotes, time expressions, MinHash signature and term counts.
//! Each extractor is its own module; this file only calls them in order.

pub mod entity;
pub mod language;
pub mod quote;
pub mod sentence;
pub mod signature;
pub mod time;

use crate::record::{Analyzed, Article, Repaired};

/// Analyzes one repaired article. `article.date` anchors relative time expressions.
pub fn analyze(article: &Article, repaired: &Repaired) -> Analyzed {
    let text = repaired.text.as_str();
    let sentences = sentence::split(text);
    let mentions = entity::extract(text, &sentences);
    let (quotes, roles) = quote::extract_with_roles(text, &sentences, &mentions);
    let language = language::detect(text);
    let times = time::extract_in(text, article.date, &language);
    let (signature, terms) = signature::minhash_and_terms(text);
    Analyzed { language, signature, terms, sentences, mentions, quotes, times, roles: Some(roles) }
}
