//! Markdown report. (stub)

use crate::report::Report;

/// Renders the report as Markdown.
pub fn render(report: &Report) -> String {
    let mut s = String::new();
    for st in &report.stories {
        s.push_str(&format!("# {}\n", st.headline));
    }
    s
}
