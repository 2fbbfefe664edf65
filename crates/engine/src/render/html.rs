//! HTML report. (stub)

use crate::report::Report;

/// Renders the report as one HTML page.
pub fn render(report: &Report) -> String {
    format!(
        "<!doctype html><title>chorus</title><p>{} stories</p>",
        report.stories.len()
    )
}
