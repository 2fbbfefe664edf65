//! Renderers: the report as JSON, Markdown or a self-contained HTML page, and the JSON
//! written story by story ([`write_json`]) for runs too large to hold the whole report.

pub mod html;
pub mod markdown;

use serde::ser::{Error as _, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::report::{ArticleReport, QuoteVariant, Report, StoryReport};

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

/// Month names for [`timeline_date`].
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A timeline date as a reader sees it: a TIMEX3 value without a year (`XXXX-11-27`,
/// `XXXX-11`) says so ("27 November (year not stated)"); other values are shown as given.
pub fn timeline_date(value: &str) -> String {
    let Some(rest) = value.strip_prefix("XXXX-") else { return value.to_string() };
    let mut parts = rest.split('-');
    let month = parts.next().and_then(|m| m.parse::<usize>().ok());
    let name = month.and_then(|m| MONTH_NAMES.get(m.wrapping_sub(1)));
    match (name, parts.next().and_then(|d| d.parse::<u32>().ok())) {
        (Some(n), Some(d)) => format!("{d} {n} (year not stated)"),
        (Some(n), None) => format!("{n} (year not stated)"),
        _ => value.to_string(),
    }
}

/// A distinct wording of a quote: its text, whether any of its variants changes the
/// meaning, its language when it is a translation, and the articles that use it.
pub(crate) type Wording<'a> = (&'a str, bool, Option<&'a str>, Vec<&'a str>);

/// The variants of a quote grouped by wording (copies repeat a wording word for word), in
/// order of first use; a wording's language is that of its first variant.
pub(crate) fn wordings(variants: &[QuoteVariant]) -> Vec<Wording<'_>> {
    let mut wordings: Vec<Wording<'_>> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for v in variants {
        let k = *index.entry(&v.text).or_insert_with(|| {
            wordings.push((&v.text, false, v.translation.as_deref(), Vec::new()));
            wordings.len() - 1
        });
        wordings[k].1 |= v.meaning_changed;
        wordings[k].3.push(&v.article);
    }
    wordings
}

/// The report as pretty-printed JSON.
pub fn json(report: &Report) -> String {
    // Serialising plain structs of strings and numbers cannot fail.
    serde_json::to_string_pretty(report).expect("report serialises")
}

/// Writes a report as pretty-printed JSON to `out`, byte for byte what [`json`] returns for
/// `Report { articles, stories }`, pulling the stories one at a time so that neither the
/// whole report nor the whole text needs to be in memory. An `Err` from `stories` stops
/// the writing and is returned. `out` gets many small writes: give it a buffered writer.
pub fn write_json<E: std::fmt::Display>(
    out: impl std::io::Write,
    articles: &[ArticleReport],
    stories: impl Iterator<Item = Result<StoryReport, E>>,
) -> std::io::Result<()> {
    let report =
        StreamedReport { articles, stories: StorySeq(std::cell::RefCell::new(Some(stories))) };
    serde_json::to_writer_pretty(out, &report).map_err(std::io::Error::from)
}

/// A [`Report`] whose stories come from an iterator (serialised once).
struct StreamedReport<'a, I> {
    articles: &'a [ArticleReport],
    stories: StorySeq<I>,
}

impl<I, E> Serialize for StreamedReport<'_, I>
where
    I: Iterator<Item = Result<StoryReport, E>>,
    E: std::fmt::Display,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The field names and order of `Report`'s derived `Serialize`.
        let mut s = serializer.serialize_struct("Report", 2)?;
        s.serialize_field("articles", self.articles)?;
        s.serialize_field("stories", &self.stories)?;
        s.end()
    }
}

/// A sequence serialised from an iterator that is taken on first use.
struct StorySeq<I>(std::cell::RefCell<Option<I>>);

impl<I, E> Serialize for StorySeq<I>
where
    I: Iterator<Item = Result<StoryReport, E>>,
    E: std::fmt::Display,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Some(stories) = self.0.borrow_mut().take() else {
            return Err(S::Error::custom("the stories were already written"));
        };
        // An unknown length writes `[]` for no element, as a known zero length does.
        let mut seq = serializer.serialize_seq(None)?;
        for story in stories {
            seq.serialize_element(&story.map_err(S::Error::custom)?)?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn year_less_dates_say_so() {
        let table = [
            ("XXXX-11-27", "27 November (year not stated)"),
            ("XXXX-03", "March (year not stated)"),
            ("2026-03-04", "2026-03-04"),
            ("1998", "1998"),
            ("XXXX-13-01", "XXXX-13-01"),
            ("XXXX-00", "XXXX-00"),
            ("XXXX-WXX-1", "XXXX-WXX-1"),
        ];
        for (value, want) in table {
            assert_eq!(super::timeline_date(value), want, "{value}");
        }
    }
}
