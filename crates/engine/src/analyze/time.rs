//! Time expressions. (stub)

use chrono::NaiveDate;

use crate::record::TimeExpr;

/// Finds time expressions, resolving relative ones against `anchor`.
pub fn extract(_text: &str, _anchor: Option<NaiveDate>) -> Vec<TimeExpr> {
    Vec::new()
}
