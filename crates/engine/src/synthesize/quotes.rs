//! Quotes across outlets. (stub)

use super::canon::EntityTable;
use crate::pipeline::Batch;
use crate::record::ArticleIdx;
use crate::report::QuoteReport;

/// Groups the quotes of `members` into utterances with all their wordings.
pub fn group(_batch: &Batch, _members: &[ArticleIdx], _entities: &EntityTable) -> Vec<QuoteReport> {
    Vec::new()
}
