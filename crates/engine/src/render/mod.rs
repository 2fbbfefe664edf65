//! Renderers: the report as JSON, Markdown or a self-contained HTML page.

pub mod html;
pub mod markdown;

use crate::report::Report;

/// Output format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The JSON contract.
    Json,
    /// Markdown for a terminal or a chat.
    Markdown,
    /// One self-contained HTML file.
    Html,
}

/// Renders `report` in `format`.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Json => json(report),
        Format::Markdown => markdown::render(report),
        Format::Html => html::render(report),
    }
}

/// The report as pretty-printed JSON.
pub fn json(report: &Report) -> String {
    // Serialising plain structs of strings and numbers cannot fail.
    serde_json::to_string_pretty(report).expect("report serialises")
}
