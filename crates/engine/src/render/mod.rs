//! Renderers: the report as JSON, Markdown or a self-contained HTML page, the JSON written
//! story by story ([`write_json`]) for runs too large to hold the whole report, and the
//! [`Limits`] that cut the lists of the HTML page and the Markdown alike.

pub mod html;
pub mod markdown;

use serde::ser::{Error as _, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::report::{ArticleReport, QuoteVariant, Report, StoryReport};

/// How much of a report the HTML page and the Markdown show (both cut their lists by the same
/// limits). [`Limits::COMPACT`] (the [`Default`]) is what the server and `chorus run --format
/// html|md` show; [`Limits::UNLIMITED`] (`chorus run --all`) lists everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Article chips per list (a fact's, a quote wording's, …) before "+K more".
    pub chips: usize,
    /// Supporting sentences per fact or conflict side.
    pub sentences: usize,
    /// Distinct wordings per quote.
    pub wordings: usize,
    /// Members listed per page.
    pub members_per_page: usize,
    /// Origin groups listed in "Outlets by origin".
    pub origins: usize,
    /// Derivation edges listed.
    pub derivations: usize,
    /// Origin groups given a column in the outlet × fact matrix.
    pub matrix_columns: usize,
    /// Entities listed.
    pub entities: usize,
    /// Quotes listed per story.
    pub quotes: usize,
    /// Sides shown per conflict.
    pub sides: usize,
    /// Stories a standalone file renders in full; the others are a row each in an index.
    pub stories: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits::COMPACT
    }
}

impl Limits {
    /// The compact page (the [`Default`]): a story of thousands of copies stays a page of
    /// some 100 kB.
    pub const COMPACT: Limits = Limits {
        chips: 10,
        sentences: 10,
        wordings: 20,
        members_per_page: 100,
        origins: 100,
        derivations: 25,
        matrix_columns: 40,
        entities: 40,
        quotes: 50,
        sides: 10,
        stories: 50,
    };

    /// Every list complete, every member on page 1.
    pub const UNLIMITED: Limits = Limits {
        chips: usize::MAX,
        sentences: usize::MAX,
        wordings: usize::MAX,
        members_per_page: usize::MAX,
        origins: usize::MAX,
        derivations: usize::MAX,
        matrix_columns: usize::MAX,
        entities: usize::MAX,
        quotes: usize::MAX,
        sides: usize::MAX,
        stories: usize::MAX,
    };

    /// Members per page, at least 1.
    pub(crate) fn per_page(&self) -> usize {
        self.members_per_page.max(1)
    }
}

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

/// A distinct wording of a quote.
pub(crate) struct Wording<'a> {
    /// The words as the articles print them.
    pub text: &'a str,
    /// Whether any of its variants changes the meaning.
    pub changed: bool,
    /// Its language when it is a translation.
    pub lang: Option<&'a str>,
    /// Whether it says the quote in other words than the representative (not a copy, a trim
    /// or a translation).
    pub paraphrase: bool,
    /// Whether text was cut out of an article at or next to it (it may be incomplete).
    pub gap: bool,
    /// The articles that use it.
    pub ids: Vec<&'a str>,
}

impl Wording<'_> {
    /// How the wording relates to the quote's representative, for a reader: "translation,
    /// LANG", "paraphrase", or nothing; then "text missing" when it may be incomplete.
    pub fn kind(&self) -> Option<String> {
        kind_label(self.lang, self.paraphrase, self.gap)
    }
}

/// What a reader is told of a quote wording: "translation, LANG" or "paraphrase", and
/// "text missing" when text was cut out at it; `None` for a plain copy.
pub(crate) fn kind_label(lang: Option<&str>, paraphrase: bool, gap: bool) -> Option<String> {
    let relation = match (lang, paraphrase) {
        (Some(l), _) => Some(format!("translation, {l}")),
        (None, true) => Some("paraphrase".to_string()),
        _ => None,
    };
    match (relation, gap) {
        (Some(r), true) => Some(format!("{r}; text missing")),
        (None, true) => Some("text missing".to_string()),
        (r, false) => r,
    }
}

/// The variants of a quote grouped by wording (copies repeat a wording word for word), in
/// order of first use; a wording's language and paraphrase mark are its first variant's.
pub(crate) fn wordings(variants: &[QuoteVariant]) -> Vec<Wording<'_>> {
    let mut wordings: Vec<Wording<'_>> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for v in variants {
        let k = *index.entry(&v.text).or_insert_with(|| {
            wordings.push(Wording {
                text: &v.text,
                changed: false,
                lang: v.translation.as_deref(),
                paraphrase: v.paraphrase,
                gap: false,
                ids: Vec::new(),
            });
            wordings.len() - 1
        });
        wordings[k].changed |= v.meaning_changed;
        wordings[k].gap |= v.gap;
        wordings[k].ids.push(&v.article);
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
    write_json_as(out, false, articles, stories)
}

/// [`write_json`] for `Report { stories_only, articles, stories }`.
pub fn write_json_as<E: std::fmt::Display>(
    out: impl std::io::Write,
    stories_only: bool,
    articles: &[ArticleReport],
    stories: impl Iterator<Item = Result<StoryReport, E>>,
) -> std::io::Result<()> {
    let stories = StorySeq(std::cell::RefCell::new(Some(stories)));
    let report = StreamedReport { stories_only, articles, stories };
    serde_json::to_writer_pretty(out, &report).map_err(std::io::Error::from)
}

/// A [`Report`] whose stories come from an iterator (serialised once).
struct StreamedReport<'a, I> {
    stories_only: bool,
    articles: &'a [ArticleReport],
    stories: StorySeq<I>,
}

impl<I, E> Serialize for StreamedReport<'_, I>
where
    I: Iterator<Item = Result<StoryReport, E>>,
    E: std::fmt::Display,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The field names and order of `Report`'s derived `Serialize` (`stories_only` only
        // when true).
        let mut s = serializer.serialize_struct("Report", 2 + usize::from(self.stories_only))?;
        if self.stories_only {
            s.serialize_field("stories_only", &true)?;
        }
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
    fn wording_kinds_read_as_a_label() {
        let table = [
            (Some("fr"), false, false, Some("translation, fr")),
            (Some("fr"), true, true, Some("translation, fr; text missing")),
            (None, true, false, Some("paraphrase")),
            (None, true, true, Some("paraphrase; text missing")),
            (None, false, true, Some("text missing")),
            (None, false, false, None),
        ];
        for (lang, paraphrase, gap, want) in table {
            assert_eq!(super::kind_label(lang, paraphrase, gap).as_deref(), want);
        }
    }

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
