//! The report: what `chorus run --format json` prints, and what every renderer reads.
//!
//! ## Wire format
//! Field names are fixed by the JSON contract in `DESIGN.md` (tests outside the project read
//! them); fields may be added, never renamed. All `start`/`end` are byte offsets into the
//! article's *original* text (`Article::raw`), never into the repaired text.

use serde::{Deserialize, Serialize};

/// The whole report for a batch of articles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// A stories-only triage run (`chorus run --stories-only`): stories, origins,
    /// derivations, entities and why, with every story's quotes, facts, conflicts, timeline
    /// and summary left empty. Absent (false) in a full report.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stories_only: bool,
    /// Every article read, with its repairs.
    pub articles: Vec<ArticleReport>,
    /// Stories, largest first.
    pub stories: Vec<StoryReport>,
}

/// One article as the report shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleReport {
    /// Article id.
    pub id: String,
    /// Outlet name, when known.
    pub source: Option<String>,
    /// URL, when known.
    pub url: Option<String>,
    /// Title, when known.
    pub title: Option<String>,
    /// Byline, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Publication date as given.
    pub published: Option<String>,
    /// ISO 639-1 language code, or "und".
    pub language: String,
    /// Repairs made or flagged, with offsets into the original text.
    pub repairs: Vec<RepairReport>,
}

/// One repair.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepairReport {
    /// `mojibake`, `missing_text`, `boilerplate`, `repeated_paragraph`, `foreign_word`, `unicode`.
    pub kind: String,
    /// Start byte offset in the original text.
    pub start: usize,
    /// End byte offset in the original text.
    pub end: usize,
    /// The original bytes.
    pub original: String,
    /// What replaced them ("" when removed; equal to `original` when only flagged).
    pub replacement: String,
}

/// One story.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoryReport {
    /// Stable story id.
    pub id: String,
    /// A headline for the story (the title or lead sentence of its most central article).
    pub headline: String,
    /// Member article ids.
    pub articles: Vec<String>,
    /// Articles that share one origin (copies, rewrites, translations of one text).
    pub origin_groups: Vec<Vec<String>>,
    /// Number of origin groups.
    pub independent_sources: usize,
    /// Derivation edges: `article` derives from `from`.
    pub derivations: Vec<DerivationReport>,
    /// Entities, one per real thing.
    pub entities: Vec<EntityReport>,
    /// Quotes, one per utterance, with all their wordings.
    pub quotes: Vec<QuoteReport>,
    /// Facts, ranked by independent support then centrality.
    pub facts: Vec<FactReport>,
    /// Conflicting values for the same slot across origins.
    pub conflicts: Vec<ConflictReport>,
    /// Dated events in order.
    pub timeline: Vec<TimelineEntry>,
    /// 3–7 lines, each a supported fact.
    pub summary: Vec<SummaryLine>,
    /// Why each article joined the story (assignment evidence).
    #[serde(default)]
    pub why: Vec<WhyReport>,
}

/// Why an article was assigned to its story.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WhyReport {
    /// Article id.
    pub article: String,
    /// Similarity to the story when it joined (0 when it opened the story).
    pub score: f32,
    /// Shared salient terms and entities.
    pub shared: Vec<String>,
}

/// A derivation edge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DerivationReport {
    /// The derived article id.
    pub article: String,
    /// The article id it derives from.
    pub from: String,
    /// `copy`, `rewrite` or `translation`.
    pub kind: String,
    /// Strength of the evidence, 0..1.
    pub score: f32,
    /// Shared sentences or phrases.
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// An entity across the story's articles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EntityReport {
    /// Canonical name (the fullest, most frequent form).
    pub name: String,
    /// `person`, `organization`, `location`, `misc`.
    pub kind: String,
    /// Every other surface form seen.
    pub aliases: Vec<String>,
    /// Article ids that mention it.
    pub articles: Vec<String>,
    /// Number of mentions.
    pub mentions: usize,
}

/// A quote with all its wordings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuoteReport {
    /// Canonical speaker name, when known.
    pub speaker: Option<String>,
    /// The representative wording.
    pub text: String,
    /// Every wording, one per article that carries it.
    pub variants: Vec<QuoteVariant>,
}

/// One wording of a quote in one article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuoteVariant {
    /// Article id.
    pub article: String,
    /// The wording (repaired text).
    pub text: String,
    /// Start byte offset in the original text.
    pub start: usize,
    /// End byte offset in the original text.
    pub end: usize,
    /// True when this wording's negation differs from the representative text (the
    /// wording changes the meaning).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub meaning_changed: bool,
    /// The wording's language (ISO 639-1) when it is a translation: written in another
    /// language than the representative text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation: Option<String>,
    /// True when this wording paraphrases the representative text in its own language:
    /// other words for it ("the fixes were finished" / "the repairs were completed"), not
    /// the same words, nor a trim of them or they of it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub paraphrase: bool,
    /// True when text was cut out of the article at or next to this wording (a link or a
    /// name removed: a `missing_text` repair), so the wording may be incomplete ("granted
    /// … asylum in , saying").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub gap: bool,
}

/// A sentence supporting a fact or a conflict side.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Support {
    /// Article id.
    pub article: String,
    /// The sentence (repaired text).
    pub sentence: String,
    /// Start byte offset in the original text.
    pub start: usize,
    /// End byte offset in the original text.
    pub end: usize,
}

/// A fact: matched sentences across the story's articles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FactReport {
    /// A representative wording.
    pub text: String,
    /// Every supporting sentence.
    pub support: Vec<Support>,
    /// Number of origin groups among the supporting articles.
    pub independent_support: usize,
    /// The language of `text` when no supporting sentence is in the story's main language
    /// (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// A conflict: the same slot with different values across origins.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConflictReport {
    /// What the sides disagree about ("death toll", "date of the attack").
    pub topic: String,
    /// What kind of slot it is: `number`, `date`, `place`, `polarity` or `who`.
    #[serde(default)]
    pub kind: String,
    /// The competing values, each with its support.
    pub sides: Vec<ConflictSide>,
    /// True when a later report updates an earlier count (and says so) instead of contradicting it.
    #[serde(default)]
    pub update: bool,
}

/// One side of a conflict.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConflictSide {
    /// The value this side gives.
    pub value: String,
    /// The sentences that give it.
    pub support: Vec<Support>,
}

/// A dated event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, or `XXXX-MM-DD` when the year is unknown.
    pub date: String,
    /// The sentence that dates it (repaired text).
    pub text: String,
    /// Article ids that report it.
    pub articles: Vec<String>,
    /// The topic of the date conflict (in the story's `conflicts`, kind `date`) this
    /// entry's sentence is a side of: other origins date the same event differently.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<String>,
    /// The date is after the publication of the article that gives it: a scheduled event
    /// ("the inquiry will open on April 14").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub scheduled: bool,
    /// The date lies years before the story's publication: history the story recalls,
    /// not one of its events.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub background: bool,
}

/// A summary line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SummaryLine {
    /// The line (a fact's wording).
    pub text: String,
    /// Article ids that support it.
    pub support: Vec<String>,
}
