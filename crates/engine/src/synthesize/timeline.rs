//! Timeline. (stub)

use crate::pipeline::Batch;
use crate::record::ArticleIdx;
use crate::report::TimelineEntry;

/// Orders the story's dated events.
pub fn build(_batch: &Batch, _members: &[ArticleIdx]) -> Vec<TimelineEntry> {
    Vec::new()
}
