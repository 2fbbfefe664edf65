//! The typed records that flow between stages, one struct per stage boundary:
//! `Article → Repaired → Analyzed → (Derivation, Story) → Report`.
//!
//! A record is never changed after its stage hands it on; later stages point back to
//! earlier ones by index into the batch (`ArticleIdx`). Spans inside `Analyzed` are byte
//! offsets into the *repaired* text (`Repaired::text`); the report converts them to byte
//! offsets into the original text with [`crate::offsets::OffsetMap`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::offsets::OffsetMap;

/// Index of an article in the batch being processed (position in the `Vec<Article>`).
pub type ArticleIdx = usize;

/// An article as read from the input, before any repair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable id: JSONL `id`, a file's stem, or the URL.
    pub id: String,
    /// Outlet name (`source`), when known.
    pub source: Option<String>,
    /// Canonical URL, when known.
    pub url: Option<String>,
    /// Title, when known.
    pub title: Option<String>,
    /// Byline (author), when known.
    pub author: Option<String>,
    /// Publication date as given (RFC 3339 or YYYY-MM-DD), when known.
    pub published: Option<String>,
    /// Publication date parsed from `published` (or the `--date` default).
    pub date: Option<NaiveDate>,
    /// The decoded original text. All reported offsets point into this string.
    pub raw: String,
}

impl Article {
    /// A bare article with only an id and text.
    pub fn new(id: impl Into<String>, raw: impl Into<String>) -> Article {
        Article {
            id: id.into(),
            source: None,
            url: None,
            title: None,
            author: None,
            published: None,
            date: None,
            raw: raw.into(),
        }
    }

    /// The outlet name to show: `source`, else the URL's host, else the id.
    pub fn outlet(&self) -> String {
        if let Some(s) = &self.source {
            return s.clone();
        }
        if let Some(u) = &self.url {
            let host = u.split("://").nth(1).unwrap_or(u).split('/').next().unwrap_or(u);
            return host.trim_start_matches("www.").to_string();
        }
        self.id.clone()
    }
}

/// The kind of a repair made to an article's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepairKind {
    /// Text decoded with the wrong charset (`Russiaâ€™s` → `Russia’s`).
    Mojibake,
    /// A gap where a link or name was cut out (`asylum in , saying`): flagged, text unchanged.
    MissingText,
    /// Page furniture ("READ ALSO: …", "Advertisement", "Headlines"): removed from the text.
    Boilerplate,
    /// A paragraph that repeats an earlier one (verbatim or nearly): removed.
    RepeatedParagraph,
    /// A word of another language injected into a sentence: flagged, text unchanged.
    ForeignWord,
    /// Unicode normalisation: NFC, invisible characters, odd spaces.
    Unicode,
}

impl RepairKind {
    /// The name used in the JSON contract.
    pub fn as_str(self) -> &'static str {
        match self {
            RepairKind::Mojibake => "mojibake",
            RepairKind::MissingText => "missing_text",
            RepairKind::Boilerplate => "boilerplate",
            RepairKind::RepeatedParagraph => "repeated_paragraph",
            RepairKind::ForeignWord => "foreign_word",
            RepairKind::Unicode => "unicode",
        }
    }
}

/// One repair, located in the original text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repair {
    /// What kind of damage was repaired or flagged.
    pub kind: RepairKind,
    /// Byte offset of the damaged span in the original text.
    pub start: usize,
    /// Byte offset one past the damaged span in the original text.
    pub end: usize,
    /// The original bytes (`raw[start..end]`).
    pub original: String,
    /// What replaced them in the repaired text ("" when removed; equal to `original`
    /// when only flagged).
    pub replacement: String,
}

/// The repaired text of one article, with its repairs and the map back to the original.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Repaired {
    /// The repaired text every later stage reads.
    pub text: String,
    /// Every repair, ordered by `start`, with offsets into the original text.
    pub repairs: Vec<Repair>,
    /// Maps byte offsets in `text` back to byte offsets in the original text.
    pub map: OffsetMap,
    /// Lines removed as furniture that carry metadata (bylines, datelines), as found.
    pub metadata: Vec<String>,
}

/// A byte span `[start, end)` in the repaired text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
}

impl Span {
    /// A new span.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
    /// The text of this span in `text`, or "" when out of bounds.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
    /// Whether this span contains `other`.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    /// Whether the span is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The kind of a named entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A person.
    Person,
    /// An organisation (government bodies, companies, armed groups, media).
    Organization,
    /// A place.
    Location,
    /// Anything else named (nationalities, events, works).
    Misc,
}

impl EntityKind {
    /// The name used in the JSON contract.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Location => "location",
            EntityKind::Misc => "misc",
        }
    }
}

/// A mention of a named entity in one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// Span in the repaired text.
    pub span: Span,
    /// Entity kind.
    pub kind: EntityKind,
    /// The surface text (`span.slice(text)`).
    pub text: String,
}

/// A quote or reported speech in one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// The span naming the speaker as written ("Peskov", "he", "the spokesman"), if any.
    pub source: Option<Span>,
    /// The speaker's name resolved in this article ("Dmitry Peskov"), if the text makes it clear.
    pub speaker: Option<String>,
    /// The verb or phrase of saying ("said", "according to"), if any.
    pub cue: Option<Span>,
    /// The quoted or reported content, without the quote marks.
    pub content: Span,
    /// True for direct quotes (in quote marks), false for indirect speech.
    pub direct: bool,
    /// What the content is: a quotation, a reported clause, or only a noun phrase (the
    /// object of "confirmed", "denied", "reported": an attribution, but no statement to
    /// report as a quote). Absent in records stored before it existed: read as a clause.
    #[serde(default)]
    pub content_kind: ContentKind,
}

/// What the content of a [`Quote`] is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContentKind {
    /// Reported speech with a verb of its own ("that the talks failed", "the talks failed").
    #[default]
    Clause,
    /// A noun phrase only ("confirmed the meeting", "refused to confirm Assad’s presence").
    Np,
    /// Words in quote marks, exactly.
    Quotation,
    /// A clause that is itself an attribution found on its own ("Kremlin spokesman Dmitry
    /// Peskov confirmed that …", Al Jazeera reported): the inner quote is the statement.
    Attribution,
}

impl ContentKind {
    /// The lowercase name written in JSON (`clause`, `np`, `quotation`, `attribution`).
    pub fn as_str(self) -> &'static str {
        match self {
            ContentKind::Clause => "clause",
            ContentKind::Np => "np",
            ContentKind::Quotation => "quotation",
            ContentKind::Attribution => "attribution",
        }
    }
}

/// TIMEX3 type of a time expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimeType {
    /// A calendar date or period ("December 8", "last week", "2015").
    Date,
    /// A time of day ("3 p.m.", "last night").
    Time,
    /// A duration ("nine years", "49-year").
    Duration,
    /// A recurrence ("every Monday").
    Set,
}

/// A time expression in one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeExpr {
    /// Span in the repaired text.
    pub span: Span,
    /// The surface text.
    pub text: String,
    /// TIMEX3 type.
    pub kind: TimeType,
    /// TIMEX3 value: `2024-12-08`, `XXXX-11-27`, `2024-W49`, `P9Y`, `PRESENT_REF`…
    pub value: String,
}

/// One sentence of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// Span in the repaired text (trimmed of surrounding whitespace).
    pub span: Span,
    /// Index of the paragraph (block of text separated by a line break) it belongs to.
    pub paragraph: usize,
}

/// Everything read out of one article.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Analyzed {
    /// ISO 639-1 code of the article's language ("en"), or "und".
    pub language: String,
    /// Sentences, in order.
    pub sentences: Vec<Sentence>,
    /// Named-entity mentions, in order.
    pub mentions: Vec<Mention>,
    /// Quotes and reported speech, in order.
    pub quotes: Vec<Quote>,
    /// Time expressions, in order.
    pub times: Vec<TimeExpr>,
    /// MinHash signature of the article's word shingles (for near-duplicate detection).
    pub signature: Vec<u64>,
    /// Content terms (lowercased, stemmed where possible) with their counts in the article.
    pub terms: Vec<(String, u32)>,
    /// The people the article introduces with a role ("Kremlin spokesman Dmitry Peskov"), as
    /// (name, role folded) pairs in text order, read by the quote extractor; `None` in an
    /// analysis stored before they were kept (readers then recompute them from the text).
    #[serde(default)]
    pub roles: Option<Vec<(String, String)>>,
}

/// How one article derives from another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DerivationKind {
    /// A verbatim or lightly edited copy.
    Copy,
    /// A rewrite (spun, reworded, trimmed) of the same text.
    Rewrite,
    /// A translation into another language (or back).
    Translation,
}

/// An edge of the derivation graph: `article` derives from `from`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Derivation {
    /// The derived article.
    pub article: ArticleIdx,
    /// The article it derives from (earlier-published when dates are known).
    pub from: ArticleIdx,
    /// Copy, rewrite or translation.
    pub kind: DerivationKind,
    /// Strength of the evidence, 0..1.
    pub score: f32,
    /// Shared sentences or phrases that show it (as text of `article`).
    pub evidence: Vec<String>,
}

/// Why an article joined (or opened) a story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    /// The article.
    pub article: ArticleIdx,
    /// Similarity to the story it joined (0 when it opened a new story).
    pub score: f32,
    /// The shared salient terms and entities that decided it.
    pub shared: Vec<String>,
}

/// A story: articles about one real-world event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    /// Stable id (derived from its first article, never renamed as articles arrive).
    pub id: String,
    /// Member articles, in arrival order.
    pub articles: Vec<ArticleIdx>,
    /// Why each article was assigned here.
    pub why: Vec<Assignment>,
}
