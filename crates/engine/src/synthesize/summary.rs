//! Summary. (stub)

use crate::report::{FactReport, SummaryLine};

/// Picks 3–7 supported lines.
pub fn summarize(_facts: &[FactReport]) -> Vec<SummaryLine> {
    Vec::new()
}
