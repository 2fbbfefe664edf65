//! Facts. (stub)

use crate::pipeline::{Batch, DerivedStory};
use crate::report::FactReport;

/// Aligns sentences across the story's articles into facts.
pub fn align(_batch: &Batch, _story: &DerivedStory) -> Vec<FactReport> {
    Vec::new()
}
