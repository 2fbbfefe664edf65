//! Backend-agnostic archive logic: [`Archive`] implements [`Store`] on top of a [`Backend`],
//! a small set of persistence primitives that SQLite (`sqlite.rs`) and PostgreSQL
//! (`chorus-pgstore`) implement.
//!
//! Ingest runs in four resumable phases, each of them committed by the backend:
//!
//! 1. **store**: new articles (by id and by content hash) get the next sequence number;
//!    duplicates change nothing.
//! 2. **analyze**: articles without an analysis are claimed, repaired and analyzed in
//!    parallel (rayon), and their [`Analyzed`] saved (JSON).
//! 3. **assign**: under the backend's writer lock, the analyzed but unassigned articles are
//!    assigned in sequence order (only the contiguous analyzed prefix, so several workers
//!    reproduce one worker's stories), and the state version (+ 1), each article's story and
//!    the touched stories' "dirty" marks are saved in one transaction. The clusterer itself
//!    is saved as a snapshot only every [`SNAPSHOT_EVERY`] articles: the assigned articles
//!    after the snapshot are its log. A process whose in-memory clusterer is not the stored
//!    version (a fresh process, or another worker moved on) decodes the snapshot and replays
//!    the log — assignment is deterministic, and each replayed article must land in the
//!    story it was stored with. Assignment is plain online assignment; an article whose
//!    clusterer story was absorbed by a reconcile pass goes where the redirect leads.
//! 4. **synthesize**: dirty stories are rebuilt from their members (repair again, analysis
//!    from the store), derived and synthesized; report and summary row are saved
//!    ([`Store::ingest`] does it before returning; the server's writes leave it to a
//!    background thread through [`Store::assign_batches`] + [`Store::synthesize_pending`]).
//!
//! **Reconcile** ([`Store::reconcile`], one transaction under the writer lock, once per
//! state version) runs the end-of-stream passes of [`Clusterer::finish`] on a copy of the
//! clusterer and moves articles so the stored stories equal that batch result: a story
//! left empty redirects (`merged_into`) to the story holding its first article, a split-off
//! part gets the new id `<story>+<seq of its first article>`, and each merge and split is
//! recorded as a story event. Articles keep their clusterer story (`online`) for the replay.
//! The result depends only on the stored articles and their order.
//!
//! A process killed in any phase leaves committed work behind; the next ingest first
//! finishes whatever is pending, so the archive converges to what an uninterrupted run
//! gives. Repair here uses no learned outlet furniture (it would depend on which articles
//! share a call), so an article's analysis depends on the article alone.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use super::{
    ArticleView, Highlight, IngestOutcome, Placement, ReconcileOutcome, SearchHit, Store,
    StoreError, StoryPage, StoryQuery, StoryRevision, StoryStatus, StoryStatusJson, StorySummary,
};
use crate::cluster::Clusterer;
use crate::pipeline::{self, Batch};
use crate::record::{Analyzed, Article, Assignment, Repaired, Span, Story};
use crate::report::{ArticleReport, StoryReport};
use crate::{analyze, repair, synthesize};

/// An article to store, with its content hash ([`content_hash`]).
#[derive(Debug, Clone)]
pub struct NewArticle<'a> {
    /// The article.
    pub article: &'a Article,
    /// [`content_hash`] of its text.
    pub hash: String,
}

/// What [`Backend::insert_articles`] did with one article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    /// Stored under this sequence number (the canonical assignment order).
    Added(u64),
    /// Already stored (same id or same content hash); nothing changed.
    Duplicate,
}

/// A stored article and what the archive knows about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRow {
    /// Sequence number: the order articles were first stored (1, 2, …).
    pub seq: u64,
    /// The article as ingested.
    pub article: Article,
    /// Its [`Analyzed`] as JSON, once analyzed.
    pub analyzed: Option<String>,
    /// Its story id, once assigned.
    pub story: Option<String>,
    /// Why it joined its story ([`Assignment`] as JSON, `article` = its seq), once assigned.
    pub why: Option<String>,
}

/// An analysis to save ([`Backend::save_analyses`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisRow {
    /// The article's sequence number.
    pub seq: u64,
    /// Its [`Analyzed`] as JSON.
    pub analyzed: String,
    /// Its repaired text (what full-text search indexes).
    pub text: String,
}

/// The stored clusterer state, as [`Backend::assign`] hands it to its step: the version is
/// read up front; the snapshot and the log after it are read only when the caller's
/// in-memory clusterer is not that version.
pub trait ClusterState {
    /// Incremented by every saved assignment step (0 = nothing assigned yet).
    fn version(&self) -> u64;
    /// The last saved clusterer snapshot; `None` before the first step.
    fn snapshot(&mut self) -> Result<Option<Vec<u8>>, StoreError>;
    /// The assigned articles with a sequence number above `seq`, in sequence order (the
    /// log of assignments made after a snapshot), each with the story the clusterer gave it
    /// ([`AssignedRow::online`]) in [`ArticleRow::story`].
    fn assigned_after(&mut self, seq: u64) -> Result<Vec<ArticleRow>, StoreError>;
    /// The story `story` was absorbed into by [`Backend::reconcile`], if it was.
    fn merged_into(&mut self, story: &str) -> Result<Option<String>, StoreError>;
}

/// One article's assignment, as saved by [`Backend::assign`].
#[derive(Debug, Clone, PartialEq)]
pub struct AssignedRow {
    /// The article's sequence number.
    pub seq: u64,
    /// Its story id (the clusterer's story, or the story that absorbed it).
    pub story: String,
    /// The clusterer's story (what a replay must reproduce).
    pub online: String,
    /// Why ([`Assignment`] as JSON).
    pub why: String,
}

/// One assigned article as [`Backend::reconcile`] hands it to its step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedRow {
    /// Sequence number.
    pub seq: u64,
    /// Its story now.
    pub story: String,
}

/// A change of story shape, kept as a record of what a reconcile pass did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryEvent {
    /// `merge` (the story was absorbed into `other`) or `split` (the story was opened for
    /// articles taken from `other`).
    pub kind: &'static str,
    /// The story.
    pub story: String,
    /// The other story.
    pub other: String,
}

/// What one reconcile step decided ([`Backend::reconcile`] saves it in one transaction).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReconcilePlan {
    /// Articles whose story changes: (sequence number, new story).
    pub moves: Vec<(u64, String)>,
    /// Stories to mark dirty (their members changed; each exists after the moves).
    pub dirty: Vec<String>,
    /// Redirects to set (`Some`: the story was absorbed; its dirty mark is cleared) or to
    /// clear (`None`: the story holds articles again).
    pub redirects: Vec<(String, Option<String>)>,
    /// What happened, for the record.
    pub events: Vec<StoryEvent>,
}

/// The callback [`Backend::reconcile`] runs under its writer lock, given the stored
/// clusterer state and every assigned article (sequence order).
pub type ReconcileFn<'a> =
    dyn FnMut(&mut dyn ClusterState, Vec<PlacedRow>) -> Result<ReconcilePlan, StoreError> + 'a;

/// A story's stored state ([`Backend::story_record`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryRecord {
    /// The last report (JSON), if one was synthesized.
    pub report: Option<String>,
    /// Members changed after that report.
    pub dirty: bool,
    /// The story it was absorbed into, if any.
    pub merged_into: Option<String>,
}

/// A story's stored state without its report ([`Backend::story_revision`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionRecord {
    /// The generation of the saved report ([`Backend::save_story`] saves a report only over
    /// an older one, so each saved report has its own): the report's revision.
    pub revision: u64,
    /// Whether a report was synthesized.
    pub has_report: bool,
    /// Members changed after that report.
    pub dirty: bool,
    /// The story it was absorbed into, if any.
    pub merged_into: Option<String>,
}

/// What one assignment step decided: the assignments and, now and then, a new snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignStep {
    /// The clusterer after the step, to save in place of the stored snapshot; `None` keeps
    /// the stored one (the step's assignments extend its log). The version is incremented
    /// either way.
    pub snapshot: Option<Vec<u8>>,
    /// One row per pending article given to the step, in the same order.
    pub rows: Vec<AssignedRow>,
}

/// The callback [`Backend::assign`] runs under its writer lock: given the stored state and
/// the pending articles (sequence order, analyzed), it returns what to save.
pub type AssignFn<'a> =
    dyn FnMut(&mut dyn ClusterState, Vec<ArticleRow>) -> Result<AssignStep, StoreError> + 'a;

/// A story whose report is stale, as claimed by [`Backend::claim_dirty`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirtyStory {
    /// Story id.
    pub id: String,
    /// Its dirty generation when claimed: [`Backend::save_story`] clears the mark only if
    /// no assignment touched the story since.
    pub generation: u64,
}

/// A synthesized story as saved ([`Backend::save_story`]).
#[derive(Debug, Clone, PartialEq)]
pub struct StoryRow {
    /// The listing row.
    pub summary: StorySummary,
    /// The report (JSON contract story shape).
    pub report: String,
    /// Earliest publication date among its articles.
    pub first: Option<NaiveDate>,
    /// Latest publication date among its articles.
    pub last: Option<NaiveDate>,
    /// Entity names and aliases, lowercased, sorted, unique (for the entity filter).
    pub entities: Vec<String>,
}

/// Persistence primitives of an archive. All methods are atomic: each either commits
/// entirely or leaves the store unchanged, so a process may die between any two calls.
///
/// Determinism contract: sequence numbers are assigned in call order (input order within
/// a call), and [`Backend::assign`] hands out articles strictly in sequence order, only
/// the contiguous prefix of analyzed articles after the last assigned one. Then one worker
/// or several produce the same stories with the same ids.
pub trait Backend: Send + Sync {
    /// Stores the articles not stored yet (neither the id nor the content hash is known;
    /// earlier articles of the same call count), giving each the next sequence number.
    /// Returns one entry per input article, in order.
    fn insert_articles(&self, articles: &[NewArticle<'_>]) -> Result<Vec<Inserted>, StoreError>;

    /// Claims up to `limit` stored articles without an analysis, lowest sequence first
    /// (PostgreSQL: `FOR UPDATE SKIP LOCKED` so workers split the work). Claims need not
    /// outlive the call: saving an analysis twice is harmless.
    fn claim_analysis(&self, limit: usize) -> Result<Vec<ArticleRow>, StoreError>;

    /// Saves analyses (ignored for articles already analyzed).
    fn save_analyses(&self, rows: &[AnalysisRow]) -> Result<(), StoreError>;

    /// One assignment step under the writer lock, in one transaction: loads up to `limit`
    /// pending articles (unassigned, analyzed, in sequence order, stopping at the first
    /// unanalyzed one), calls `step` with the stored state (not called when none is
    /// pending), then saves version + 1 and the returned snapshot if any (a step without
    /// one when nothing was ever saved is an error), each article's story and why, and
    /// marks those stories dirty (a new generation). Returns how many articles were
    /// assigned.
    fn assign(&self, limit: usize, step: &mut AssignFn<'_>) -> Result<usize, StoreError>;

    /// One reconcile step under the writer lock, in one transaction: when the state version
    /// was already reconciled, returns `None` without calling `step`; otherwise calls it
    /// with the stored state and every assigned article (sequence order), saves the plan
    /// (moves, dirty marks, redirects, events) and the version as reconciled, and returns
    /// the plan.
    fn reconcile(&self, step: &mut ReconcileFn<'_>) -> Result<Option<ReconcilePlan>, StoreError>;

    /// Claims up to `limit` dirty stories, never absorbed ones (PostgreSQL: `SKIP LOCKED`).
    fn claim_dirty(&self, limit: usize) -> Result<Vec<DirtyStory>, StoreError>;

    /// A story's member articles in sequence order (analyzed and assigned).
    fn story_members(&self, story: &str) -> Result<Vec<ArticleRow>, StoreError>;

    /// Saves a story's report and summary row; clears its dirty mark if its generation is
    /// still `generation`. A report claimed at a generation no newer than the saved one's
    /// changes nothing (another worker saved one as new, or newer): the saved report's
    /// generation is its revision ([`Backend::story_revision`]).
    fn save_story(&self, row: &StoryRow, generation: u64) -> Result<(), StoreError>;

    /// One page of stories matching `query` (only synthesized stories are listed).
    fn list_stories(&self, query: &StoryQuery) -> Result<StoryPage, StoreError>;

    /// A story's report JSON, dirty mark and redirect; `None` for an unknown story.
    fn story_record(&self, id: &str) -> Result<Option<StoryRecord>, StoreError>;

    /// [`Backend::story_record`] without the report: its revision instead (one small row
    /// read, however large the report); `None` for an unknown story.
    fn story_revision(&self, id: &str) -> Result<Option<RevisionRecord>, StoreError>;

    /// One stored article.
    fn article(&self, id: &str) -> Result<Option<ArticleRow>, StoreError>;

    /// Full-text search over stored articles (title and text), best first.
    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError>;

    /// Number of stored articles (for tests and summaries).
    fn count_articles(&self) -> Result<usize, StoreError>;
}

/// Articles analyzed per claim.
const ANALYZE_CHUNK: usize = 256;
/// Articles assigned per transaction.
const ASSIGN_CHUNK: usize = 512;
/// Stories synthesized per claim.
const SYNTH_CHUNK: usize = 64;
/// Articles assigned between two clusterer snapshots. Encoding the clusterer costs in
/// proportion to the whole archive, so a snapshot per step made every small write pay for
/// the archive's size; between snapshots a step saves only its assignments, and a cold
/// process replays at most this many (plus one step) after decoding the snapshot.
pub const SNAPSHOT_EVERY: u64 = 1024;

/// Per article assigned by this process (by sequence number): its story, and whether the
/// article opened it.
type AssignedStories = HashMap<u64, (String, bool)>;

/// The clusterer of this process at the state version it was saved under.
#[derive(Debug)]
struct Cached {
    version: u64,
    clusterer: Clusterer,
    /// The last sequence number inside the stored snapshot.
    snapshot_upto: u64,
}

/// The archive logic over a backend: implements [`Store`].
#[derive(Debug)]
pub struct Archive<B: Backend> {
    backend: B,
    /// The clusterer as of the state version it was saved under, so that consecutive
    /// assignment steps of this process skip decoding the snapshot and replaying its log.
    cached: Mutex<Option<Cached>>,
    /// Articles assigned between two snapshots ([`SNAPSHOT_EVERY`] unless set).
    snapshot_every: u64,
    /// Entity names of story reports read lately, by story id, with the report's revision
    /// ([`Archive::story_names`]).
    names: Mutex<HashMap<String, (u64, Arc<StoryNames>)>>,
}

/// Most stories whose entity names [`Archive`] keeps (the map is emptied when full).
const NAMES_KEPT: usize = 256;

impl<B: Backend> Archive<B> {
    /// An archive over `backend`.
    pub fn new(backend: B) -> Archive<B> {
        Archive {
            backend,
            cached: Mutex::new(None),
            snapshot_every: SNAPSHOT_EVERY,
            names: Mutex::default(),
        }
    }

    /// Saves a clusterer snapshot every `n` assigned articles (at least 1) instead of every
    /// [`SNAPSHOT_EVERY`]. The stories are the same either way; only the cost of a write
    /// and of a cold start change (tests use a small `n` to exercise the replay).
    pub fn with_snapshot_every(mut self, n: u64) -> Archive<B> {
        self.snapshot_every = n.max(1);
        self
    }

    /// The backend.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// Finishes pending work (analysis, assignment, synthesis) left by this or an earlier,
    /// interrupted ingest. Returns the stories assigned articles and how many were opened.
    pub fn complete(&self) -> Result<(BTreeSet<String>, usize), StoreError> {
        let done = self.complete_assigned()?;
        let opened = done.values().filter(|(_, opened)| *opened).count();
        Ok((done.into_values().map(|(story, _)| story).collect(), opened))
    }

    /// [`Archive::complete`], returning each article this call assigned (by sequence
    /// number): its story and whether it opened that story.
    fn complete_assigned(&self) -> Result<AssignedStories, StoreError> {
        let assigned = self.analyze_and_assign()?;
        self.synthesize_dirty()?;
        Ok(assigned)
    }

    /// The analysis and assignment phases of [`Archive::complete_assigned`] (synthesis
    /// left to [`Store::synthesize_pending`]).
    fn analyze_and_assign(&self) -> Result<AssignedStories, StoreError> {
        self.analyze_pending()?;
        self.assign_pending()
    }

    fn analyze_pending(&self) -> Result<(), StoreError> {
        loop {
            let rows = self.backend.claim_analysis(ANALYZE_CHUNK)?;
            if rows.is_empty() {
                return Ok(());
            }
            let done: Vec<AnalysisRow> = rows
                .par_iter()
                .map(|r| {
                    let repaired = repair_article(&r.article);
                    let an = analyze::analyze(&r.article, &repaired);
                    serde_json::to_string(&an)
                        .map(|analyzed| AnalysisRow { seq: r.seq, analyzed, text: repaired.text })
                        .map_err(|e| StoreError::Database(format!("encoding analysis: {e}")))
                })
                .collect::<Result<_, _>>()?;
            self.backend.save_analyses(&done)?;
        }
    }

    fn assign_pending(&self) -> Result<AssignedStories, StoreError> {
        let mut assigned = HashMap::new();
        loop {
            let mut saved: Option<(Cached, AssignedStories)> = None;
            let mut step = |state: &mut dyn ClusterState, pending: Vec<ArticleRow>| {
                let version = state.version();
                let cached = self.cached.lock().ok().and_then(|mut c| c.take());
                let Cached { mut clusterer, snapshot_upto, .. } = match cached {
                    Some(c) if c.version == version => c,
                    _ => restore(state)?,
                };
                let mut rows = Vec::with_capacity(pending.len());
                let mut done = AssignedStories::with_capacity(pending.len());
                let mut resolved = HashMap::new();
                for r in &pending {
                    let an = decode_analysis(r)?;
                    let before = clusterer.stories().len();
                    let s = clusterer.assign(r.seq as usize, &r.article, &an);
                    let story = &clusterer.stories()[s];
                    // Invariant: `assign` just pushed this article's assignment.
                    let why = story.why.last().cloned().unwrap_or(Assignment {
                        article: r.seq as usize,
                        score: 0.0,
                        shared: vec![],
                    });
                    // A story absorbed by a reconcile pass sends its new articles on.
                    let shown = resolve(state, &story.id, &mut resolved)?;
                    done.insert(r.seq, (shown.clone(), s >= before));
                    rows.push(AssignedRow {
                        seq: r.seq,
                        story: shown,
                        online: story.id.clone(),
                        why: encode(&why)?,
                    });
                }
                let last = pending.last().map_or(snapshot_upto, |r| r.seq);
                let due = version == 0 || last.saturating_sub(snapshot_upto) >= self.snapshot_every;
                let snapshot = due
                    .then(|| serde_json::to_vec(&clusterer))
                    .transpose()
                    .map_err(|e| StoreError::Database(format!("encoding clusterer: {e}")))?;
                let snapshot_upto = if due { last } else { snapshot_upto };
                saved = Some((Cached { version: version + 1, clusterer, snapshot_upto }, done));
                Ok(AssignStep { snapshot, rows })
            };
            let n = self.backend.assign(ASSIGN_CHUNK, &mut step)?;
            // Only a committed step's clusterer is kept (an error above leaves none cached).
            if let Some((cached, done)) = saved {
                assigned.extend(done);
                if let Ok(mut c) = self.cached.lock() {
                    *c = Some(cached);
                }
            }
            if n == 0 {
                return Ok(assigned);
            }
        }
    }

    fn synthesize_dirty(&self) -> Result<(), StoreError> {
        while self.synthesize_some(SYNTH_CHUNK)? > 0 {}
        Ok(())
    }

    /// Synthesizes up to `limit` dirty stories (in parallel); returns how many.
    fn synthesize_some(&self, limit: usize) -> Result<usize, StoreError> {
        {
            let dirty = self.backend.claim_dirty(limit.max(1))?;
            if dirty.is_empty() {
                return Ok(0);
            }
            let rows: Vec<(StoryRow, u64)> = dirty
                .par_iter()
                .map(|d| {
                    let members = self.backend.story_members(&d.id)?;
                    Ok((synthesize_story(&d.id, members)?, d.generation))
                })
                .collect::<Result<_, StoreError>>()?;
            for (row, generation) in &rows {
                self.backend.save_story(row, *generation)?;
            }
            Ok(rows.len())
        }
    }

    /// [`Store::reconcile`]: finishes pending analysis and assignment, then runs one
    /// reconcile step (nothing when this state version was reconciled already).
    fn reconcile_pass(&self) -> Result<ReconcileOutcome, StoreError> {
        self.analyze_and_assign()?;
        let mut step = |state: &mut dyn ClusterState, placed: Vec<PlacedRow>| {
            let version = state.version();
            let cached = self.cached.lock().ok().and_then(|mut c| c.take());
            let cached = match cached {
                Some(c) if c.version == version => c,
                _ => restore(state)?,
            };
            let plan = plan_reconcile(&cached.clusterer, &placed);
            // The clusterer is unchanged (the batch passes ran on a copy): keep it.
            if let Ok(mut c) = self.cached.lock() {
                *c = Some(cached);
            }
            plan
        };
        Ok(match self.backend.reconcile(&mut step)? {
            None => ReconcileOutcome::default(),
            Some(plan) => ReconcileOutcome {
                ran: true,
                moved: plan.moves.len(),
                merged: plan.events.iter().filter(|e| e.kind == "merge").count(),
                split: plan.events.iter().filter(|e| e.kind == "split").count(),
            },
        })
    }

    /// The entity names of story `id`'s report (where its redirects lead): what an article
    /// view labels its mentions with. A big story's report weighs megabytes, and decoding
    /// it for every article read cost 5–10 ms: the names are read out of it without
    /// decoding the rest, and kept per report revision ([`Store::story_revision`], one
    /// small row), so the report is read again only when a newer one is saved. Never
    /// older than the store: they are read after their revision, from a report at least
    /// that new.
    fn story_names(&self, id: &str) -> Result<Option<Arc<StoryNames>>, StoreError> {
        let (live, revision) = match self.story_revision(id)? {
            Some(StoryRevision::Ready { revision, .. }) => (id.to_string(), revision),
            Some(StoryRevision::Merged { into }) => match self.story_revision(&into)? {
                Some(StoryRevision::Ready { revision, .. }) => (into, revision),
                _ => return Ok(None),
            },
            _ => return Ok(None),
        };
        let kept = self.names.lock().ok().and_then(|m| m.get(&live).cloned());
        if let Some((_, names)) = kept.filter(|(rev, _)| *rev == revision) {
            return Ok(Some(names));
        }
        let names: Arc<StoryNames> = match self.backend.story_record(&live)? {
            Some(StoryRecord { report: Some(json), .. }) => {
                Arc::new(serde_json::from_str(&json).map_err(|e| {
                    StoreError::Database(format!("story {live}: unreadable report: {e}"))
                })?)
            }
            _ => return Ok(None),
        };
        if let Ok(mut m) = self.names.lock() {
            if m.len() >= NAMES_KEPT {
                m.clear();
            }
            match m.get(&live) {
                Some((rev, _)) if *rev > revision => {}
                _ => {
                    m.insert(live, (revision, names.clone()));
                }
            }
        }
        Ok(Some(names))
    }

    /// Follows `id`'s redirects to the story that holds its articles now.
    fn live_story(&self, id: &str) -> Result<Option<(String, StoryRecord)>, StoreError> {
        let mut id = id.to_string();
        for _ in 0..MAX_REDIRECTS {
            let Some(rec) = self.backend.story_record(&id)? else { return Ok(None) };
            match rec.merged_into.clone() {
                Some(next) => id = next,
                None => return Ok(Some((id, rec))),
            }
        }
        Err(StoreError::Database(format!("story {id}: too many redirects")))
    }
}

/// Most redirects followed from one story id (each reconcile pass points a redirect at a
/// story that holds articles, so chains are short; this bounds a damaged archive).
const MAX_REDIRECTS: usize = 16;

/// The story that holds the articles of clusterer story `online` now: itself, or where its
/// redirects lead. `memo` keeps the answers of one assignment step.
fn resolve(
    state: &mut dyn ClusterState,
    online: &str,
    memo: &mut HashMap<String, String>,
) -> Result<String, StoreError> {
    if let Some(id) = memo.get(online) {
        return Ok(id.clone());
    }
    let mut id = online.to_string();
    for _ in 0..MAX_REDIRECTS {
        match state.merged_into(&id)? {
            Some(next) => id = next,
            None => break,
        }
    }
    memo.insert(online.to_string(), id.clone());
    Ok(id)
}

/// The reconcile step: runs the end-of-stream passes of [`Clusterer::finish`] on a copy of
/// the archive's clusterer and plans the moves that make the stored stories equal to its
/// result. Ids: a final story carrying a clusterer story's id keeps it (merges keep the
/// earlier story's id); a split-off part, which the clusterer names afresh, is named
/// `<story of its first article>+<seq of its first article>` (`+` never occurs in a
/// clusterer id, so it cannot collide with a story opened later). A story left without
/// articles redirects to the story its first article is in now.
fn plan_reconcile(
    clusterer: &Clusterer,
    placed: &[PlacedRow],
) -> Result<ReconcilePlan, StoreError> {
    let bytes = serde_json::to_vec(clusterer)
        .map_err(|e| StoreError::Database(format!("encoding clusterer: {e}")))?;
    let copy: Clusterer = serde_json::from_slice(&bytes)
        .map_err(|e| StoreError::Database(format!("copying clusterer: {e}")))?;
    let mut online: HashMap<u64, &str> = HashMap::new();
    for s in clusterer.stories() {
        for &a in &s.articles {
            online.insert(a as u64, s.id.as_str());
        }
    }
    let online_ids: HashSet<&str> = online.values().copied().collect();
    let mut target: HashMap<u64, String> = HashMap::with_capacity(online.len());
    for story in copy.finish() {
        let Some(first) = story.articles.iter().min().map(|&a| a as u64) else { continue };
        let id = if online_ids.contains(story.id.as_str()) {
            story.id
        } else {
            format!("{}+{first}", online.get(&first).copied().unwrap_or("s"))
        };
        for &a in &story.articles {
            target.insert(a as u64, id.clone());
        }
    }
    Ok(plan_moves(placed, &target))
}

/// The plan that takes the stored stories (`placed`) to `target` (sequence number → story;
/// articles missing from it stay where they are).
fn plan_moves(placed: &[PlacedRow], target: &HashMap<u64, String>) -> ReconcilePlan {
    let mut plan = ReconcilePlan::default();
    let mut before: BTreeMap<&str, u64> = BTreeMap::new();
    let mut after: BTreeMap<&str, u64> = BTreeMap::new();
    let mut was: HashMap<u64, &str> = HashMap::with_capacity(placed.len());
    let mut dirty = BTreeSet::new();
    for r in placed {
        was.insert(r.seq, r.story.as_str());
        let first = before.entry(r.story.as_str()).or_insert(r.seq);
        *first = (*first).min(r.seq);
        let now = target.get(&r.seq).map_or(r.story.as_str(), String::as_str);
        let first = after.entry(now).or_insert(r.seq);
        *first = (*first).min(r.seq);
        if now != r.story {
            plan.moves.push((r.seq, now.to_string()));
            dirty.insert(now.to_string());
            dirty.insert(r.story.clone());
        }
    }
    plan.moves.sort_by_key(|m| m.0);
    for (&story, first) in &before {
        if after.contains_key(story) {
            continue;
        }
        let into = target.get(first).cloned().unwrap_or_default();
        dirty.remove(story);
        plan.events.push(StoryEvent {
            kind: "merge",
            story: story.to_string(),
            other: into.clone(),
        });
        plan.redirects.push((story.to_string(), Some(into)));
    }
    for (&story, first) in &after {
        if before.contains_key(story) {
            continue;
        }
        let from = was.get(first).copied().unwrap_or_default().to_string();
        plan.events.push(StoryEvent { kind: "split", story: story.to_string(), other: from });
        plan.redirects.push((story.to_string(), None));
    }
    plan.dirty = dirty.into_iter().collect();
    plan
}

impl<B: Backend> Archive<B> {
    /// Stores one batch (sequence numbers in input order); per article, its sequence number
    /// when added.
    fn insert(&self, articles: &[Article]) -> Result<Vec<Option<u64>>, StoreError> {
        if let Some(a) = articles.iter().find(|a| a.id.trim().is_empty()) {
            return Err(StoreError::Invalid(format!("article without an id: {:.40}", a.raw)));
        }
        let new: Vec<NewArticle<'_>> = articles
            .iter()
            .map(|a| NewArticle { article: a, hash: content_hash(&a.raw) })
            .collect();
        let inserted = self.backend.insert_articles(&new)?;
        Ok(inserted
            .into_iter()
            .map(|i| match i {
                Inserted::Added(seq) => Some(seq),
                Inserted::Duplicate => None,
            })
            .collect())
    }
}

/// One batch's outcome of a shared ingest: its articles' stories, those it opened.
fn batch_outcome(
    batch: &[Article],
    added: &[Option<u64>],
    done: &AssignedStories,
) -> IngestOutcome {
    let mut stories = BTreeSet::new();
    let mut opened = BTreeSet::new();
    let mut articles = Vec::new();
    for (a, (story, opener)) in
        batch.iter().zip(added).filter_map(|(a, seq)| Some((a, done.get(&(*seq)?)?)))
    {
        articles.push(Placement { article: a.id.clone(), story: story.clone() });
        stories.insert(story.clone());
        if *opener {
            opened.insert(story.clone());
        }
    }
    let n = added.iter().flatten().count();
    IngestOutcome {
        added: n,
        duplicates: added.len() - n,
        stories: stories.into_iter().collect(),
        new_stories: opened.len(),
        articles,
    }
}

impl<B: Backend> Store for Archive<B> {
    fn ingest(&self, articles: Vec<Article>) -> Result<IngestOutcome, StoreError> {
        let added = self.insert(&articles)?;
        let done = self.complete_assigned()?;
        // The stories count whatever this call assigned (an interrupted ingest's articles too).
        let opened = done.values().filter(|(_, opened)| *opened).count();
        let touched: BTreeSet<String> = done.values().map(|(story, _)| story.clone()).collect();
        Ok(IngestOutcome {
            stories: touched.into_iter().collect(),
            new_stories: opened,
            ..batch_outcome(&articles, &added, &done)
        })
    }

    fn ingest_batches(
        &self,
        batches: Vec<Vec<Article>>,
    ) -> Result<Vec<Result<IngestOutcome, StoreError>>, StoreError> {
        let out = self.assign_batches(batches)?;
        self.synthesize_dirty()?;
        Ok(out)
    }

    fn assign_batches(
        &self,
        batches: Vec<Vec<Article>>,
    ) -> Result<Vec<Result<IngestOutcome, StoreError>>, StoreError> {
        let mut inserted = Vec::with_capacity(batches.len());
        for batch in &batches {
            inserted.push(match self.insert(batch) {
                Err(e) if e.kind() == super::StoreErrorKind::Invalid => Err(e),
                other => Ok(other?),
            });
        }
        let done = self.analyze_and_assign()?;
        Ok(inserted
            .into_iter()
            .zip(&batches)
            .map(|(r, batch)| r.map(|added| batch_outcome(batch, &added, &done)))
            .collect())
    }

    fn synthesize_pending(&self, limit: usize) -> Result<usize, StoreError> {
        self.synthesize_some(limit.min(SYNTH_CHUNK))
    }

    fn reconcile(&self) -> Result<ReconcileOutcome, StoreError> {
        self.reconcile_pass()
    }

    fn story_status(&self, id: &str) -> Result<Option<StoryStatus>, StoreError> {
        let Some((live, rec)) = self.live_story(id)? else { return Ok(None) };
        if live != id {
            return Ok(Some(StoryStatus::Merged { into: live }));
        }
        Ok(Some(match rec.report {
            None => StoryStatus::Pending,
            Some(json) => {
                StoryStatus::Ready { report: Box::new(decode_report(id, &json)?), stale: rec.dirty }
            }
        }))
    }

    fn story_status_json(&self, id: &str) -> Result<Option<StoryStatusJson>, StoreError> {
        let Some((live, rec)) = self.live_story(id)? else { return Ok(None) };
        if live != id {
            return Ok(Some(StoryStatusJson::Merged { into: live }));
        }
        Ok(Some(match rec.report {
            None => StoryStatusJson::Pending,
            Some(json) => StoryStatusJson::Ready { json, stale: rec.dirty },
        }))
    }

    fn story_revision(&self, id: &str) -> Result<Option<StoryRevision>, StoreError> {
        let mut live = id.to_string();
        for _ in 0..MAX_REDIRECTS {
            let Some(rec) = self.backend.story_revision(&live)? else { return Ok(None) };
            if let Some(next) = rec.merged_into {
                live = next;
                continue;
            }
            return Ok(Some(if live != id {
                StoryRevision::Merged { into: live }
            } else if rec.has_report {
                StoryRevision::Ready { revision: rec.revision, stale: rec.dirty }
            } else {
                StoryRevision::Pending
            }));
        }
        Err(StoreError::Database(format!("story {live}: too many redirects")))
    }

    fn stories(&self, query: &StoryQuery) -> Result<StoryPage, StoreError> {
        if query.limit > 10_000 {
            return Err(StoreError::Invalid(format!("limit {} is over 10000", query.limit)));
        }
        self.backend.list_stories(query)
    }

    fn story(&self, id: &str) -> Result<Option<StoryReport>, StoreError> {
        match self.live_story(id)? {
            Some((live, StoryRecord { report: Some(json), .. })) => {
                decode_report(&live, &json).map(Some)
            }
            _ => Ok(None),
        }
    }

    fn article(&self, id: &str) -> Result<Option<ArticleView>, StoreError> {
        let Some(row) = self.backend.article(id)? else { return Ok(None) };
        let names = match &row.story {
            Some(s) => self.story_names(s)?,
            None => None,
        };
        Ok(Some(article_view(row, names.as_deref())?))
    }

    fn articles(&self, ids: &[String]) -> Result<Vec<ArticleView>, StoreError> {
        let mut stories: HashMap<String, Option<Arc<StoryNames>>> = HashMap::new();
        let mut views = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(row) = self.backend.article(id)? else { continue };
            let names = match &row.story {
                Some(s) => {
                    if !stories.contains_key(s) {
                        stories.insert(s.clone(), self.story_names(s)?);
                    }
                    stories.get(s).and_then(Option::as_deref)
                }
                None => None,
            };
            views.push(article_view(row, names)?);
        }
        Ok(views)
    }

    fn article_reports(&self, ids: &[String]) -> Result<Vec<ArticleReport>, StoreError> {
        let mut reports = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(row) = self.backend.article(id)? else { continue };
            // Only the language is read out of the analysis (as `article_view` does with
            // the whole of it: none yet is the default, "").
            let language = match &row.analyzed {
                Some(json) => {
                    serde_json::from_str::<AnalysisLanguage>(json)
                        .map_err(|e| {
                            StoreError::Database(format!("article {id}: unreadable analysis: {e}"))
                        })?
                        .language
                }
                None => String::new(),
            };
            let repaired = repair_article(&row.article);
            reports.push(pipeline::article_report(&row.article, &repaired, &language));
        }
        Ok(reports)
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        if query.trim().is_empty() {
            return Err(StoreError::Invalid("empty search query".into()));
        }
        self.backend.search(query, limit.min(1000))
    }
}

/// Repairs an article as the archive does: per article, without learned outlet furniture.
pub fn repair_article(article: &Article) -> Repaired {
    repair::repair_with(&article.raw, &HashSet::new())
}

/// A stable content hash of an article's text (whitespace runs folded, ends trimmed):
/// 128-bit FNV-1a, hex. Stable across versions and platforms (it is stored).
pub fn content_hash(text: &str) -> String {
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x6c62_272e_07bb_0142;
    let mut feed = |byte: u8| {
        a = (a ^ byte as u64).wrapping_mul(0x0000_0100_0000_01b3);
        b = (b ^ byte as u64).wrapping_mul(0x0000_0100_0000_01b3).rotate_left(29);
    };
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            feed(b' ');
        }
        word.bytes().for_each(&mut feed);
    }
    format!("{a:016x}{b:016x}")
}

/// The stored clusterer: the snapshot decoded, then the assignments made after it replayed
/// in sequence order. Each replayed article must land in the story it was stored with
/// (assignment is deterministic); anything else means the stored state cannot be trusted.
fn restore(state: &mut dyn ClusterState) -> Result<Cached, StoreError> {
    let version = state.version();
    let mut clusterer = match state.snapshot()? {
        Some(bytes) => serde_json::from_slice::<Clusterer>(&bytes)
            .map_err(|e| StoreError::Unavailable(format!("clusterer state unreadable: {e}")))?,
        None => Clusterer::new(),
    };
    let snapshot_upto = clusterer
        .stories()
        .iter()
        .flat_map(|s| s.articles.iter().copied())
        .max()
        .map_or(0, |seq| seq as u64);
    for r in state.assigned_after(snapshot_upto)? {
        let an = decode_analysis(&r)?;
        let s = clusterer.assign(r.seq as usize, &r.article, &an);
        let replayed = &clusterer.stories()[s].id;
        if r.story.as_deref() != Some(replayed.as_str()) {
            return Err(StoreError::Unavailable(format!(
                "clusterer replay diverged at article {} (stored in story {:?}, replayed into {replayed})",
                r.article.id, r.story
            )));
        }
    }
    Ok(Cached { version, clusterer, snapshot_upto })
}

fn decode_report(id: &str, json: &str) -> Result<StoryReport, StoreError> {
    serde_json::from_str(json)
        .map_err(|e| StoreError::Database(format!("story {id}: unreadable report: {e}")))
}

fn encode<T: Serialize>(x: &T) -> Result<String, StoreError> {
    serde_json::to_string(x).map_err(|e| StoreError::Database(format!("encoding: {e}")))
}

fn decode_analysis(row: &ArticleRow) -> Result<Analyzed, StoreError> {
    let json = row.analyzed.as_deref().ok_or_else(|| {
        StoreError::Database(format!("article {} has no analysis", row.article.id))
    })?;
    serde_json::from_str(json).map_err(|e| {
        StoreError::Unavailable(format!("article {}: unreadable analysis: {e}", row.article.id))
    })
}

/// Rebuilds one story from its members: derivation, synthesis, summary row.
fn synthesize_story(id: &str, members: Vec<ArticleRow>) -> Result<StoryRow, StoreError> {
    let index: HashMap<u64, usize> = members.iter().enumerate().map(|(i, r)| (r.seq, i)).collect();
    let mut why = Vec::with_capacity(members.len());
    let mut analyzed = Vec::with_capacity(members.len());
    for (i, r) in members.iter().enumerate() {
        analyzed.push(decode_analysis(r)?);
        let mut w: Assignment = match &r.why {
            Some(j) => serde_json::from_str(j).map_err(|e| {
                StoreError::Unavailable(format!("article {}: unreadable why: {e}", r.article.id))
            })?,
            None => Assignment { article: i, score: 0.0, shared: vec![] },
        };
        w.article = index.get(&(w.article as u64)).copied().unwrap_or(i);
        why.push(w);
    }
    let articles: Vec<Article> = members.into_iter().map(|r| r.article).collect();
    let repaired = articles.par_iter().map(repair_article).collect();
    let batch = Batch { articles, repaired, analyzed };
    let story = Story { id: id.to_string(), articles: (0..batch.len()).collect(), why };
    let derived = pipeline::derive_stories(&batch, vec![story]);
    let report = derived
        .first()
        .map(|d| synthesize::synthesize(&batch, d))
        .ok_or_else(|| StoreError::Database(format!("story {id}: derivation lost it")))?;
    let dates: Vec<NaiveDate> = batch.articles.iter().filter_map(|a| a.date).collect();
    let first = dates.iter().min().copied();
    let last = dates.iter().max().copied();
    let updated = last.unwrap_or_else(today).to_string();
    let outlets: BTreeSet<String> = batch.articles.iter().map(Article::outlet).collect();
    let entities: BTreeSet<String> = report
        .entities
        .iter()
        .flat_map(|e| std::iter::once(&e.name).chain(&e.aliases))
        .map(|n| n.to_lowercase())
        .collect();
    let summary = StorySummary {
        id: id.to_string(),
        headline: report.headline.clone(),
        articles: report.articles.len(),
        independent_sources: report.independent_sources,
        updated,
        outlets: outlets.into_iter().collect(),
    };
    Ok(StoryRow {
        summary,
        report: encode(&report)?,
        first,
        last,
        entities: entities.into_iter().collect(),
    })
}

/// Today's date (UTC) from the system clock.
fn today() -> NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    NaiveDate::default() + chrono::Days::new(days)
}

/// The smallest repaired-text offset whose original offset is at least `raw` (the map is
/// monotone), on a char boundary of `text`.
fn raw_to_text(repaired: &Repaired, raw: usize) -> usize {
    let text = &repaired.text;
    let (mut lo, mut hi) = (0, text.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        if repaired.map.to_raw_start(mid) < raw {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    let mut p = lo.min(text.len());
    while !text.is_char_boundary(p) {
        p -= 1;
    }
    p
}

/// The article view: repaired again (deterministic), spans from the stored analysis.
/// The language of an [`Analyzed`] (the rest is skipped when read).
#[derive(Debug, serde::Deserialize)]
struct AnalysisLanguage {
    language: String,
}

/// The entity names of a story report (the rest of the report is skipped when read).
#[derive(Debug, Default, serde::Deserialize)]
struct StoryNames {
    entities: Vec<EntityNames>,
}

/// One entity's canonical name and aliases ([`crate::report::EntityReport`]).
#[derive(Debug, serde::Deserialize)]
struct EntityNames {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
}

fn article_view(row: ArticleRow, story: Option<&StoryNames>) -> Result<ArticleView, StoreError> {
    let repaired = repair_article(&row.article);
    let analyzed = match row.analyzed {
        Some(_) => decode_analysis(&row)?,
        None => Analyzed::default(),
    };
    let text = &repaired.text;
    let raw = &row.article.raw;
    let canonical: HashMap<String, String> = story
        .map(|s| {
            s.entities
                .iter()
                .flat_map(|e| {
                    std::iter::once(&e.name)
                        .chain(&e.aliases)
                        .map(move |n| (n.to_lowercase(), e.name.clone()))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut highlights = Vec::new();
    let mut push = |kind: &str, span: Span, label: Option<String>| {
        let ok = span.start <= span.end
            && text.get(span.start..span.end).is_some()
            && span.end <= text.len();
        if !ok {
            return;
        }
        let r = repaired.map.to_raw(span);
        if raw.get(r.start..r.end).is_none() {
            return;
        }
        highlights.push(Highlight {
            kind: kind.to_string(),
            start: span.start,
            end: span.end,
            raw_start: r.start,
            raw_end: r.end,
            label,
        });
    };
    for m in &analyzed.mentions {
        let label = canonical.get(&m.text.to_lowercase()).cloned().or_else(|| Some(m.text.clone()));
        push(m.kind.as_str(), m.span, label);
    }
    for q in &analyzed.quotes {
        push("quote", q.content, q.speaker.clone());
        if let Some(s) = q.source {
            push("speaker", s, q.speaker.clone());
        }
    }
    for t in &analyzed.times {
        push("time", t.span, Some(t.value.clone()));
    }
    for rep in &repaired.repairs {
        if raw.get(rep.start..rep.end).is_none() {
            continue;
        }
        let start = raw_to_text(&repaired, rep.start);
        let end = raw_to_text(&repaired, rep.end).max(start);
        highlights.push(Highlight {
            kind: rep.kind.as_str().to_string(),
            start,
            end,
            raw_start: rep.start,
            raw_end: rep.end,
            label: Some(rep.replacement.clone()),
        });
    }
    highlights.sort_by(|a, b| a.start.cmp(&b.start).then(a.end.cmp(&b.end)));
    let report = pipeline::article_report(&row.article, &repaired, &analyzed.language);
    Ok(ArticleView {
        report,
        story: row.story.clone(),
        raw: row.article.raw.clone(),
        text: repaired.text.clone(),
        highlights,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn row_of(raw: &str) -> ArticleRow {
        let article = Article::new("p", raw);
        let an = analyze::analyze(&article, &repair_article(&article));
        let analyzed = serde_json::to_string(&an).ok();
        ArticleRow { seq: 1, article, analyzed, story: None, why: None }
    }

    const PIECES: [&str; 10] = [
        "Mayor Ilse Varga said ",
        "“We will reopen the bridge,” ",
        "on Monday, March 4. ",
        "Ã©tÃ© cafÃ© ",
        "READ ALSO: Other news\n",
        "asylum in , saying ",
        "\u{a0}\u{200b}",
        "Port Ellery ",
        "\n\n",
        "12 weeks. ",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
        /// Whatever the text, every highlight of the article view is a well-formed span of
        /// both the repaired and the raw text, and highlights come sorted.
        #[test]
        fn article_view_spans_are_well_formed(parts in proptest::collection::vec(0..PIECES.len(), 0..24), tail in ".{0,40}") {
            let raw: String = parts.iter().map(|&i| PIECES[i]).collect::<String>() + &tail;
            let view = article_view(row_of(&raw), None).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&view.raw, &raw);
            for h in &view.highlights {
                prop_assert!(h.start <= h.end && h.raw_start <= h.raw_end, "{:?}", h);
                prop_assert!(view.text.get(h.start..h.end).is_some(), "text {:?}", h);
                prop_assert!(raw.get(h.raw_start..h.raw_end).is_some(), "raw {:?}", h);
            }
            prop_assert!(view.highlights.windows(2).all(|w| w[0].start <= w[1].start));
        }
    }

    /// Moves, dirty marks, redirects and events of a reconcile plan, per case:
    /// (stored stories by seq, target stories by seq, expected moves, redirects, events).
    #[test]
    fn reconcile_plans_moves_redirects_and_events() {
        type Case<'a> = (
            &'a [&'a str],
            &'a [&'a str],
            &'a [(u64, &'a str)],
            &'a [(&'a str, Option<&'a str>)],
            &'a [(&'a str, &'a str, &'a str)],
        );
        let cases: [Case<'_>; 4] = [
            (&["a", "a", "b"], &["a", "a", "b"], &[], &[], &[]),
            // b merged into a
            (
                &["a", "b", "a"],
                &["a", "a", "a"],
                &[(2, "a")],
                &[("b", Some("a"))],
                &[("merge", "b", "a")],
            ),
            // a split: seqs 2 and 3 to a new story
            (
                &["a", "a", "a"],
                &["a", "a+2", "a+2"],
                &[(2, "a+2"), (3, "a+2")],
                &[("a+2", None)],
                &[("split", "a+2", "a")],
            ),
            // both at once: b absorbed by a, and a brought back (redirect cleared)
            (
                &["b", "b"],
                &["a", "a"],
                &[(1, "a"), (2, "a")],
                &[("b", Some("a")), ("a", None)],
                &[("merge", "b", "a"), ("split", "a", "b")],
            ),
        ];
        for (stored, target, moves, redirects, events) in cases {
            let placed: Vec<PlacedRow> = stored
                .iter()
                .enumerate()
                .map(|(i, s)| PlacedRow { seq: i as u64 + 1, story: s.to_string() })
                .collect();
            let target: HashMap<u64, String> =
                target.iter().enumerate().map(|(i, s)| (i as u64 + 1, s.to_string())).collect();
            let plan = plan_moves(&placed, &target);
            let want: Vec<(u64, String)> = moves.iter().map(|(q, s)| (*q, s.to_string())).collect();
            assert_eq!(plan.moves, want, "{stored:?}");
            let want: Vec<(String, Option<String>)> =
                redirects.iter().map(|(s, i)| (s.to_string(), i.map(str::to_string))).collect();
            assert_eq!(plan.redirects, want, "{stored:?}");
            let got: Vec<(&str, &str, &str)> =
                plan.events.iter().map(|e| (e.kind, e.story.as_str(), e.other.as_str())).collect();
            assert_eq!(got, events.to_vec(), "{stored:?}");
            // Dirty: every story that holds articles after the moves and whose members changed.
            for d in &plan.dirty {
                assert!(target.values().any(|t| t == d), "{d} dirty but empty");
            }
            assert_eq!(plan.dirty.is_empty(), plan.moves.is_empty(), "{stored:?}");
        }
    }

    #[test]
    fn content_hash_folds_whitespace_only() {
        let cases = [
            ("a b", " a\n\tb ", true),
            ("a b", "a  b", true),
            ("a b", "ab", false),
            ("a b", "a c", false),
            ("", "  ", true),
        ];
        for (x, y, same) in cases {
            assert_eq!(content_hash(x) == content_hash(y), same, "{x:?} vs {y:?}");
            assert_eq!(content_hash(x).len(), 32);
        }
    }
}
