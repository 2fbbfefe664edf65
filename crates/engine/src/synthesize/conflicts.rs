//! Conflicts. (stub)

use crate::pipeline::{Batch, DerivedStory};
use crate::report::ConflictReport;

/// Finds conflicting values across origins.
pub fn find(_batch: &Batch, _story: &DerivedStory) -> Vec<ConflictReport> {
    Vec::new()
}
