//! The archive: a store that grows as articles arrive, keeps story ids stable and answers
//! queries — the contract the CLI (`chorus ingest|stories|show|search`) and the HTTP server
//! (`crates/server`) program against.
//!
//! [`Store`] is the one interface. Its implementations own persistence: SQLite by default
//! (one file, WAL), PostgreSQL when several workers share one archive (in its own crate, so
//! that this crate stays free of tokio). Every implementation gives the same answers for the
//! same input: the same articles stored once, the same stories with the same ids.

pub mod archive;
#[doc(hidden)]
pub mod conformance;
pub mod sqlite;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::record::Article;
use crate::report::{ArticleReport, StoryReport};

/// A growing archive of articles and the stories they tell.
///
/// Methods take `&self` and may be called from several threads at once.
pub trait Store: Send + Sync {
    /// Adds articles. An article already stored (same id, or same content) is counted as a
    /// duplicate and changes nothing, so ingesting the same input twice is a no-op. New
    /// articles are repaired, analyzed, assigned to stories (existing stories keep their
    /// ids), and the reports of the stories they touch are brought up to date.
    fn ingest(&self, articles: Vec<Article>) -> Result<IngestOutcome, StoreError>;

    /// Ingests several callers' batches at once, as [`Store::ingest`] of each in turn would
    /// store them (in order, a later batch's repeat of an earlier one's article is a
    /// duplicate), but with one pass of analysis, assignment and synthesis for all: a story
    /// touched by many batches is rebuilt once. Each batch's outcome counts its own articles
    /// and the stories they joined or opened; a batch that is invalid on its own gets its
    /// error and the others go on. The outer error is a failure of the store itself.
    ///
    /// The default runs [`Store::ingest`] per batch.
    fn ingest_batches(
        &self,
        batches: Vec<Vec<Article>>,
    ) -> Result<Vec<Result<IngestOutcome, StoreError>>, StoreError> {
        batches
            .into_iter()
            .map(|b| match self.ingest(b) {
                Err(e) if e.kind() == StoreErrorKind::Invalid => Ok(Err(e)),
                other => other.map(Ok),
            })
            .collect()
    }

    /// [`Store::ingest_batches`] without bringing the touched stories' reports up to date:
    /// the articles are stored, analyzed and assigned (each outcome names their stories),
    /// and the stories they touched are left marked for [`Store::synthesize_pending`]. The
    /// server answers writes after this and synthesizes in the background.
    ///
    /// The default is [`Store::ingest_batches`] (synthesis included).
    fn assign_batches(
        &self,
        batches: Vec<Vec<Article>>,
    ) -> Result<Vec<Result<IngestOutcome, StoreError>>, StoreError> {
        self.ingest_batches(batches)
    }

    /// Rebuilds the reports of up to `limit` stories whose members changed since their last
    /// report (a story touched many times is rebuilt once). Returns how many were rebuilt:
    /// 0 when nothing is pending. The default has nothing pending.
    fn synthesize_pending(&self, limit: usize) -> Result<usize, StoreError> {
        let _ = limit;
        Ok(0)
    }

    /// Corrects the archive's stories toward what a batch run over the same articles gives
    /// (the end-of-stream merges and splits of online clustering), without renaming a story:
    /// a story absorbed into another answers with a redirect ([`StoryStatus::Merged`]), a
    /// split-off part gets a new id. Deterministic: the result depends only on the stored
    /// articles and their order, not on when or how often this runs. The stories it changes
    /// are left for [`Store::synthesize_pending`]. The default changes nothing.
    fn reconcile(&self) -> Result<ReconcileOutcome, StoreError> {
        Ok(ReconcileOutcome::default())
    }

    /// A story's state: its report (and whether newer articles await synthesis), pending
    /// (assigned articles, no report yet), or merged into another story; `None` for an
    /// unknown id. The default reads [`Store::story`].
    fn story_status(&self, id: &str) -> Result<Option<StoryStatus>, StoreError> {
        Ok(self
            .story(id)?
            .map(|report| StoryStatus::Ready { report: Box::new(report), stale: false }))
    }

    /// [`Store::story_status`] with the report as its stored JSON text, not decoded: what a
    /// server answers as is, without decoding and re-encoding a report that can weigh
    /// megabytes. The text is the compact JSON of the same [`StoryReport`]. The default
    /// encodes [`Store::story_status`]'s report.
    fn story_status_json(&self, id: &str) -> Result<Option<StoryStatusJson>, StoreError> {
        Ok(match self.story_status(id)? {
            None => None,
            Some(StoryStatus::Ready { report, stale }) => {
                let json = serde_json::to_string(&report)
                    .map_err(|e| StoreError::Database(format!("encoding: {e}")))?;
                Some(StoryStatusJson::Ready { json, stale })
            }
            Some(StoryStatus::Pending) => Some(StoryStatusJson::Pending),
            Some(StoryStatus::Merged { into }) => Some(StoryStatusJson::Merged { into }),
        })
    }

    /// [`Store::story_status`] without the report: its revision instead, so that whatever
    /// was made from a report (an encoded body, a rendered page) can be checked against the
    /// store without reading the report. Two calls that answer the same revision for a story
    /// stand for the same stored report text (a new report always comes with a new
    /// revision; a revision may also change with the report unchanged). The default hashes
    /// [`Store::story_status_json`]'s text (correct, not cheap); the archive reads one
    /// number next to the report.
    fn story_revision(&self, id: &str) -> Result<Option<StoryRevision>, StoreError> {
        Ok(match self.story_status_json(id)? {
            None => None,
            Some(StoryStatusJson::Ready { json, stale }) => {
                use std::hash::{Hash, Hasher};
                // `DefaultHasher::new` has fixed keys: the same text hashes alike in every
                // call and process.
                let mut h = std::hash::DefaultHasher::new();
                json.hash(&mut h);
                Some(StoryRevision::Ready { revision: h.finish(), stale })
            }
            Some(StoryStatusJson::Pending) => Some(StoryRevision::Pending),
            Some(StoryStatusJson::Merged { into }) => Some(StoryRevision::Merged { into }),
        })
    }

    /// Lists stories matching `query`, one page of them.
    fn stories(&self, query: &StoryQuery) -> Result<StoryPage, StoreError>;

    /// One story's report (the JSON contract's story shape), or `None` for an unknown id or
    /// a story not synthesized yet. A story merged into another answers the other's report.
    fn story(&self, id: &str) -> Result<Option<StoryReport>, StoreError>;

    /// One article as stored, with its repaired text and the spans read out of it, or
    /// `None` for an unknown id.
    fn article(&self, id: &str) -> Result<Option<ArticleView>, StoreError>;

    /// [`Store::article`] for each of `ids` (unknown ids skipped), in order: what a story
    /// page shows. An implementation reads each story's report once for all its members,
    /// not once per article. The default calls [`Store::article`] per id.
    fn articles(&self, ids: &[String]) -> Result<Vec<ArticleView>, StoreError> {
        let mut views = Vec::with_capacity(ids.len());
        for id in ids {
            views.extend(self.article(id)?);
        }
        Ok(views)
    }

    /// The [`ArticleReport`] of each of `ids` (unknown ids skipped), in order: each view's
    /// `report` of [`Store::articles`], without the text, spans and story names a story
    /// page does not show (it lists hundreds of articles). The default takes them from
    /// [`Store::articles`].
    fn article_reports(&self, ids: &[String]) -> Result<Vec<ArticleReport>, StoreError> {
        Ok(self.articles(ids)?.into_iter().map(|v| v.report).collect())
    }

    /// Full-text search over the stored articles, best first.
    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError>;
}

/// What one [`Store::ingest`] call did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestOutcome {
    /// Articles stored by this call.
    pub added: usize,
    /// Articles skipped because they were already stored (same id or same content).
    pub duplicates: usize,
    /// Ids of the stories that gained articles (new ones included), sorted.
    pub stories: Vec<String>,
    /// How many of those stories this call opened.
    pub new_stories: usize,
    /// Each article this call stored, in input order, with its story.
    #[serde(default)]
    pub articles: Vec<Placement>,
}

/// Where an article went: its id and its story's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    /// Article id.
    pub article: String,
    /// Story id.
    pub story: String,
}

/// A story's state ([`Store::story_status`]).
#[derive(Debug, Clone, PartialEq)]
pub enum StoryStatus {
    /// The story has a report.
    Ready {
        /// The last synthesized report.
        report: Box<StoryReport>,
        /// Articles joined (or left) the story after that report; a newer one is pending.
        stale: bool,
    },
    /// The story has articles but no report yet.
    Pending,
    /// The story was absorbed into this one ([`Store::reconcile`]).
    Merged {
        /// The story that holds its articles now.
        into: String,
    },
}

/// A story's state with its report as stored JSON text ([`Store::story_status_json`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoryStatusJson {
    /// The story has a report.
    Ready {
        /// The last synthesized report: compact JSON of a [`StoryReport`].
        json: String,
        /// Articles joined (or left) the story after that report; a newer one is pending.
        stale: bool,
    },
    /// The story has articles but no report yet.
    Pending,
    /// The story was absorbed into this one ([`Store::reconcile`]).
    Merged {
        /// The story that holds its articles now.
        into: String,
    },
}

/// A story's state with its report's revision instead of the report
/// ([`Store::story_revision`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoryRevision {
    /// The story has a report.
    Ready {
        /// Changes whenever the stored report does (see [`Store::story_revision`]).
        revision: u64,
        /// Articles joined (or left) the story after that report; a newer one is pending.
        stale: bool,
    },
    /// The story has articles but no report yet.
    Pending,
    /// The story was absorbed into this one ([`Store::reconcile`]).
    Merged {
        /// The story that holds its articles now.
        into: String,
    },
}

/// What one [`Store::reconcile`] changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconcileOutcome {
    /// Whether there was anything new to reconcile since the last pass.
    pub ran: bool,
    /// Articles that changed story.
    pub moved: usize,
    /// Stories absorbed into another (now redirects).
    pub merged: usize,
    /// Stories opened for a split-off part (or brought back by one).
    pub split: usize,
}

/// Order of a story listing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoryOrder {
    /// Most recently updated first.
    #[default]
    Newest,
    /// Most articles first.
    Biggest,
}

impl StoryOrder {
    /// The SQL `ORDER BY` terms of this order over the stories table (`updated`, `articles`
    /// and `id` columns; ties broken by id), shared by every SQL backend so that listings
    /// order alike.
    pub fn order_by(self) -> &'static str {
        match self {
            StoryOrder::Newest => "updated DESC, id",
            StoryOrder::Biggest => "articles DESC, updated DESC, id",
        }
    }
}

/// A story listing's filters and page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryQuery {
    /// Only stories with an article published on or after this date.
    pub since: Option<NaiveDate>,
    /// Only stories with an article published on or before this date.
    pub until: Option<NaiveDate>,
    /// Only stories whose articles match this full-text query.
    pub text: Option<String>,
    /// Only stories naming this entity (canonical name or alias, case-insensitive).
    pub entity: Option<String>,
    /// Sort order.
    pub order: StoryOrder,
    /// Stories to skip (paging).
    pub offset: usize,
    /// Most stories to return.
    pub limit: usize,
}

impl Default for StoryQuery {
    fn default() -> StoryQuery {
        StoryQuery {
            since: None,
            until: None,
            text: None,
            entity: None,
            order: StoryOrder::Newest,
            offset: 0,
            limit: 50,
        }
    }
}

/// One line of a story listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StorySummary {
    /// Stable story id.
    pub id: String,
    /// The story's headline.
    pub headline: String,
    /// Number of articles.
    pub articles: usize,
    /// Number of origin groups.
    pub independent_sources: usize,
    /// Latest publication date among its articles (`YYYY-MM-DD`), or the ingest time's date
    /// when none is dated.
    pub updated: String,
    /// Outlets carrying the story, sorted.
    pub outlets: Vec<String>,
}

/// A page of a story listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryPage {
    /// The stories of this page.
    pub stories: Vec<StorySummary>,
    /// How many stories match the query in all.
    pub total: usize,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// Article id.
    pub article: String,
    /// Its story's id.
    pub story: Option<String>,
    /// Its title, if any.
    pub title: Option<String>,
    /// A short passage of the repaired text around the match.
    pub snippet: String,
    /// Relevance (higher is better; comparable within one result list only).
    pub score: f64,
}

/// An article as stored: its metadata and repairs, its repaired text, and the spans read
/// out of it for display.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleView {
    /// Metadata and repairs, as in the report (offsets into the raw text).
    pub report: ArticleReport,
    /// The story it belongs to.
    pub story: Option<String>,
    /// The original text as ingested.
    pub raw: String,
    /// The repaired text.
    pub text: String,
    /// Spans to highlight, sorted by start.
    pub highlights: Vec<Highlight>,
}

/// A span of an [`ArticleView`] to highlight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Highlight {
    /// `person`, `organization`, `location`, `misc`, `quote`, `speaker`, `time` or a
    /// repair kind (`mojibake`, `missing_text`, …).
    pub kind: String,
    /// Byte offsets into the repaired text ([`ArticleView::text`]).
    pub start: usize,
    /// End (exclusive) in the repaired text.
    pub end: usize,
    /// Byte offsets into the raw text ([`ArticleView::raw`]): the provenance.
    pub raw_start: usize,
    /// End (exclusive) in the raw text.
    pub raw_end: usize,
    /// What to show on hover: a canonical name, a normalised date, a speaker.
    pub label: Option<String>,
}

/// Why a store operation failed. [`StoreError::kind`] is what the HTTP server maps to a status.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The request itself is wrong (a bad query, an article without text).
    #[error("invalid request: {0}")]
    Invalid(String),
    /// The archive is busy (locked by another writer) beyond the wait limit.
    #[error("archive busy: {0}")]
    Busy(String),
    /// The archive cannot be opened or is in a state this version cannot read.
    #[error("archive unavailable: {0}")]
    Unavailable(String),
    /// The database failed.
    #[error("database error: {0}")]
    Database(String),
}

/// The kind of a [`StoreError`], without its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreErrorKind {
    /// See [`StoreError::Invalid`].
    Invalid,
    /// See [`StoreError::Busy`].
    Busy,
    /// See [`StoreError::Unavailable`].
    Unavailable,
    /// See [`StoreError::Database`].
    Database,
}

impl StoreError {
    /// The error's kind.
    pub fn kind(&self) -> StoreErrorKind {
        match self {
            StoreError::Invalid(_) => StoreErrorKind::Invalid,
            StoreError::Busy(_) => StoreErrorKind::Busy,
            StoreError::Unavailable(_) => StoreErrorKind::Unavailable,
            StoreError::Database(_) => StoreErrorKind::Database,
        }
    }
}
