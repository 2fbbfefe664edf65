//! The pipeline: calls the stages in order over a batch of articles and assembles the report.
//!
//! Per-article stages (repair, analyze) run in parallel with rayon; clustering is online and
//! sequential in arrival order; derivation and synthesis run per story, in parallel.
//! [`run`] keeps the whole batch and report in memory; [`stream_run`] (module `stream`)
//! gives the same report with memory that grows slowly with the corpus.
//!
//! A stories-only run ([`PipelineConfig::stories_only`], `chorus run --stories-only`) is the
//! triage pass over a big dump: repair, the analysis clustering and derivation read
//! ([`analyze::Depth::Stories`]), clustering and derivation, and for each story only its
//! outline ([`synthesize::outline`]: members, origins, derivations, entities, why) — the
//! same stories, ids, members, origin groups and derivations as a full run, without facts,
//! conflicts, quotes, timeline or summary.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use crate::cluster::{Clusterer, Features};
use crate::record::{Analyzed, Article, ArticleIdx, Derivation, Repaired, Story};
use crate::report::{ArticleReport, RepairReport, Report, StoryReport};
use crate::{analyze, derive, repair, synthesize};

mod stream;
pub use stream::{stream_run, StageTimes, StoryReports, StreamedRun, STAGES};

/// Settings of a pipeline run.
#[derive(Debug, Clone, Default)]
pub struct PipelineConfig {
    /// Publication date given to articles that carry none (anchors relative dates).
    pub default_date: Option<chrono::NaiveDate>,
    /// Stories, origins and derivations only: a lighter analysis and no synthesis beyond
    /// each story's outline (the report says `"stories_only": true`).
    pub stories_only: bool,
}

impl PipelineConfig {
    /// How deep articles are analyzed under this configuration.
    pub fn depth(&self) -> analyze::Depth {
        if self.stories_only {
            analyze::Depth::Stories
        } else {
            analyze::Depth::Full
        }
    }
}

/// One story's report: the whole synthesis, or in a stories-only run its outline.
fn story_report(batch: &Batch, story: &DerivedStory, stories_only: bool) -> StoryReport {
    if stories_only {
        synthesize::outline(batch, story)
    } else {
        synthesize::synthesize(batch, story)
    }
}

/// The steps of a run, for progress reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Repairing and analyzing articles (counted per article).
    Analyze,
    /// Assigning articles to stories (counted per article).
    Cluster,
    /// Deriving origins and synthesizing story reports (counted per story).
    Synthesize,
}

impl Step {
    /// A short label for progress bars.
    pub fn label(self) -> &'static str {
        match self {
            Step::Analyze => "analyze",
            Step::Cluster => "cluster",
            Step::Synthesize => "synthesize",
        }
    }
}

/// Receives progress: `(step, done, total)`. Called from several threads.
pub type Progress<'a> = &'a (dyn Fn(Step, usize, usize) + Sync);

fn no_progress(_: Step, _: usize, _: usize) {}

/// Everything the per-article stages produced, indexed by [`ArticleIdx`].
#[derive(Debug)]
pub struct Batch {
    /// The articles as read.
    pub articles: Vec<Article>,
    /// Their repaired texts.
    pub repaired: Vec<Repaired>,
    /// Their analyses.
    pub analyzed: Vec<Analyzed>,
}

impl Batch {
    /// Repairs and analyzes every article (in parallel).
    pub fn build(articles: Vec<Article>, config: &PipelineConfig) -> Batch {
        Batch::build_with(articles, config, &no_progress)
    }

    /// [`Batch::build`], reporting progress per article.
    pub fn build_with(
        mut articles: Vec<Article>,
        config: &PipelineConfig,
        progress: Progress<'_>,
    ) -> Batch {
        if let Some(d) = config.default_date {
            for a in articles.iter_mut().filter(|a| a.date.is_none()) {
                a.date = Some(d);
            }
        }
        let total = articles.len();
        let done = AtomicUsize::new(0);
        let furniture = learn_furniture(&articles);
        let none = HashSet::new();
        let depth = config.depth();
        let (repaired, analyzed): (Vec<_>, Vec<_>) = articles
            .par_iter()
            .map(|a| {
                let learned = a.source.as_ref().and_then(|s| furniture.get(s)).unwrap_or(&none);
                let r = repair::repair_with(&a.raw, learned);
                let an = analyze::analyze_to(a, &r, depth);
                progress(Step::Analyze, done.fetch_add(1, Ordering::Relaxed) + 1, total);
                (r, an)
            })
            .unzip();
        Batch { articles, repaired, analyzed }
    }

    /// Number of articles.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// Whether the batch is empty.
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }
}

/// Lines each outlet repeats across its articles as page furniture ("Follow our live
/// coverage", "Sign up for the morning briefing"): short lines found in at least 3 of an
/// outlet's articles and in at least a third of them, that do not read as a sentence (no
/// final punctuation, or at most four words). Copies of one story share short real
/// sentences, which the sentence test and the share keep out.
pub fn learn_furniture(articles: &[Article]) -> HashMap<String, HashSet<String>> {
    let mut by_source: HashMap<&str, Vec<&str>> = HashMap::new();
    for a in articles {
        if let Some(s) = &a.source {
            by_source.entry(s.as_str()).or_default().push(a.raw.as_str());
        }
    }
    by_source
        .into_iter()
        .filter(|(_, texts)| texts.len() >= 3)
        .filter_map(|(source, texts)| {
            let min_share = texts.len().div_ceil(3);
            let lines: HashSet<String> = repair::repeated_lines(&texts)
                .into_iter()
                .filter(|line| {
                    let share =
                        texts.iter().filter(|t| t.lines().any(|l| l.trim() == line)).count();
                    let sentence = line.ends_with(['.', '!', '?', '”', '"'])
                        && line.split_whitespace().count() > 4;
                    share >= min_share && !sentence
                })
                .collect();
            (!lines.is_empty()).then(|| (source.to_string(), lines))
        })
        .collect()
}

/// A story with its derivation graph, ready to be synthesized.
#[derive(Debug, Clone)]
pub struct DerivedStory {
    /// The story.
    pub story: Story,
    /// Derivation edges among its articles.
    pub derivations: Vec<Derivation>,
    /// Origin groups (each a sorted list of article indices).
    pub origin_groups: Vec<Vec<ArticleIdx>>,
}

impl DerivedStory {
    /// The origin group index of a member article (`usize::MAX` for a non-member). Groups
    /// are sorted (as `derive::origin_groups` builds them), so each is searched by bisection:
    /// synthesis asks this for pairs of sentences and quotes, and a linear scan of the story
    /// made those loops cubic on big stories.
    pub fn origin_of(&self, article: ArticleIdx) -> usize {
        self.origin_groups
            .iter()
            .position(|g| {
                g.first().is_some_and(|&f| f <= article)
                    && g.last().is_some_and(|&l| article <= l)
                    && g.binary_search(&article).is_ok()
            })
            .unwrap_or(usize::MAX)
    }
}

/// Clusters the batch into stories (online, in input order).
pub fn cluster(batch: &Batch) -> Vec<Story> {
    cluster_with(batch, &no_progress)
}

/// [`cluster`], reporting progress per article.
pub fn cluster_with(batch: &Batch, progress: Progress<'_>) -> Vec<Story> {
    let mut clusterer = Clusterer::new();
    let total = batch.len();
    for (i, (a, an)) in batch.articles.iter().zip(&batch.analyzed).enumerate() {
        clusterer.assign(i, a, an);
        if i % 64 == 63 || i + 1 == total {
            progress(Step::Cluster, i + 1, total);
        }
    }
    clusterer.finish()
}

/// Derives origin edges and groups within each story.
pub fn derive_stories(batch: &Batch, stories: Vec<Story>) -> Vec<DerivedStory> {
    stories
        .into_par_iter()
        .map(|story| {
            let derivations =
                derive::derive(&batch.articles, &batch.repaired, &batch.analyzed, &story.articles);
            let origin_groups = derive::origin_groups(&story.articles, &derivations);
            let derivations = derive::best_parents(&derivations);
            DerivedStory { story, derivations, origin_groups }
        })
        .collect()
}

/// Origins per story from compact derive records (indices into `records`).
pub fn derive_records(records: &[derive::Record], stories: Vec<Story>) -> Vec<DerivedStory> {
    stories
        .into_par_iter()
        .map(|story| {
            let derivations = derive::derive_records(records, &story.articles);
            let origin_groups = derive::origin_groups(&story.articles, &derivations);
            let derivations = derive::best_parents(&derivations);
            DerivedStory { story, derivations, origin_groups }
        })
        .collect()
}

/// What a streaming cluster + derive run produced, and how long each part took.
#[derive(Debug, Default)]
pub struct Streamed {
    /// Stories with their derivation graphs (article indices are arrival numbers).
    pub stories: Vec<DerivedStory>,
    /// The compact derive record of each article, by arrival number.
    pub records: Vec<derive::Record>,
    /// Seconds spent repairing and analyzing.
    pub analyze_secs: f64,
    /// Seconds spent clustering (making features and records, assigning, finishing).
    pub cluster_secs: f64,
    /// Seconds spent deriving origins once the stream ended.
    pub derive_secs: f64,
    /// CPU seconds (all threads) spent repairing and analyzing.
    pub analyze_cpu: f64,
    /// CPU seconds spent clustering.
    pub cluster_cpu: f64,
    /// CPU seconds spent deriving origins.
    pub derive_cpu: f64,
    /// Of `cluster_cpu`, the seconds of the sequential part (assigning articles in order
    /// and finishing), which bounds how fast clustering can go on any number of cores.
    pub sequential_cpu: f64,
}

/// CPU time this process has used so far, all threads, user + system, in seconds (Linux
/// `/proc/self/stat`, at the usual 100 ticks per second; 0 elsewhere). Timings of a shared
/// machine are honest in CPU seconds when wall seconds include other people's work.
pub fn cpu_seconds() -> f64 {
    stat_cpu_seconds("/proc/self/stat")
}

/// CPU seconds used so far by the calling thread (Linux `/proc/thread-self/stat`; 0
/// elsewhere), for a stage that runs on one thread while others work on another stage.
pub fn thread_cpu_seconds() -> f64 {
    stat_cpu_seconds("/proc/thread-self/stat")
}

/// User + system CPU seconds of a `/proc/.../stat` file.
fn stat_cpu_seconds(path: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(path) else {
        return 0.0;
    };
    // Fields after the command name (which may hold spaces): state is the first, utime
    // and stime the 12th and 13th.
    let rest = stat.rsplit_once(')').map_or("", |x| x.1);
    let f: Vec<f64> = rest.split_whitespace().map(|x| x.parse().unwrap_or(0.0)).collect();
    (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) / 100.0
}

/// A story's origin groups and derivations (best parents), as [`stream_derive`] keeps them.
type Derived = (Vec<Vec<ArticleIdx>>, Vec<Derivation>);

/// A story's members, sorted and without repeats: the key of its derivation.
fn member_set(members: &[ArticleIdx]) -> Vec<ArticleIdx> {
    let mut set = members.to_vec();
    set.sort_unstable();
    set.dedup();
    set
}

/// Member sets of the stories no article joined during the last `chunk` articles before
/// `base` and that changed since they were last derived (recorded in `derived_at`, by the
/// story's first article): what can be derived while the next chunk is assigned.
fn settled_stories(
    stories: &[Story],
    base: usize,
    chunk: usize,
    derived_at: &mut HashMap<ArticleIdx, usize>,
) -> Vec<Vec<ArticleIdx>> {
    let Some(quiet_since) = base.checked_sub(chunk) else {
        return Vec::new();
    };
    stories
        .iter()
        .filter(|s| s.articles.iter().max().is_some_and(|&a| a < quiet_since))
        .filter_map(|s| {
            let first = *s.articles.first()?;
            let n = s.articles.len();
            (derived_at.insert(first, n) != Some(n)).then(|| member_set(&s.articles))
        })
        .collect()
}

/// Clusters and derives a stream without keeping it: articles are repaired and analyzed
/// `chunk` at a time (in parallel), each chunk is clustered in arrival order and then
/// dropped except for a compact [`derive::Record`] per article, and origins are derived per
/// story when the stream ends. Memory grows with the records and the clusterer's state,
/// not with raw texts, offset maps and analyses. Page furniture is learned per chunk.
///
/// Clustering keeps two cores busy: while this thread assigns a chunk's articles in order
/// (the only sequential part, [`Clusterer::assign_features`]), the pool makes the next
/// chunk's clustering features, which need no stream state, and derives the stories no
/// article joined during the last chunk (again if one changes later); and while this thread
/// runs the end-of-stream passes ([`Clusterer::finish`]), the pool derives the stories not
/// derived yet, keeping the result of every story those passes leave unchanged. Results are
/// those of assigning and deriving article by article, story by story.
pub fn stream_derive(
    articles: impl IntoIterator<Item = Article>,
    config: &PipelineConfig,
    chunk: usize,
) -> Streamed {
    let mut out = Streamed::default();
    let mut clusterer = Clusterer::new();
    let cluster_config = clusterer.config().clone();
    let features_of = |batch: Batch| {
        let features: Vec<_> = (0..batch.len())
            .into_par_iter()
            .map(|i| Features::of(&batch.articles[i], &batch.analyzed[i], &cluster_config))
            .collect();
        (batch, features)
    };
    let records_of = |records: &[derive::Record], members: &[ArticleIdx]| {
        let derivations = derive::derive_records(records, members);
        (derive::origin_groups(members, &derivations), derive::best_parents(&derivations))
    };
    let mut articles = articles.into_iter();
    // The analyzed chunk waiting to be assigned, with its clustering features.
    let mut pending: Option<(Batch, Vec<Features>)> = None;
    // Derivations of member sets, made while later chunks are assigned (a story no article
    // joined for a whole chunk is derived then; if it changes later, it is derived again).
    let mut early: HashMap<Vec<ArticleIdx>, Derived> = HashMap::new();
    // Story (by its first article) → members when it was last derived early.
    let mut derived_at: HashMap<ArticleIdx, usize> = HashMap::new();
    loop {
        let part: Vec<Article> = articles.by_ref().take(chunk.max(1)).collect();
        if part.is_empty() && pending.is_none() {
            break;
        }
        let (t, c) = (Instant::now(), cpu_seconds());
        let batch = (!part.is_empty()).then(|| Batch::build(part, config));
        out.analyze_secs += t.elapsed().as_secs_f64();
        out.analyze_cpu += cpu_seconds() - c;
        let (t, c, own) = (Instant::now(), cpu_seconds(), thread_cpu_seconds());
        let base = out.records.len();
        let settled = settled_stories(clusterer.stories(), base, chunk, &mut derived_at);
        let mut next = None;
        let next_slot = &mut next;
        let mut derived = Vec::new();
        let derived_slot = &mut derived;
        let mut fresh = Vec::new();
        let records = &out.records;
        // The assignment runs on this thread (not a pool thread): the records it keeps are
        // allocated here, away from the pool threads' short-lived analysis allocations.
        // Meanwhile the pool prepares the next chunk's features and derives settled stories
        // (from the records of earlier chunks, which this loop no longer changes).
        rayon::in_place_scope(|s| {
            s.spawn(move |_| *next_slot = batch.map(features_of));
            s.spawn(move |_| {
                *derived_slot = settled
                    .into_par_iter()
                    .map(|m| {
                        let d = records_of(records, &m);
                        (m, d)
                    })
                    .collect();
            });
            if let Some((b, features)) = pending.take() {
                fresh.reserve(features.len());
                for (i, f) in features.iter().enumerate() {
                    let (a, r, an) = (&b.articles[i], &b.repaired[i], &b.analyzed[i]);
                    clusterer.assign_features(base + i, a, f);
                    fresh.push(derive::Record::of(a, r, an));
                }
            }
        });
        out.records.append(&mut fresh);
        early.extend(derived);
        pending = next;
        out.cluster_secs += t.elapsed().as_secs_f64();
        out.cluster_cpu += cpu_seconds() - c;
        out.sequential_cpu += thread_cpu_seconds() - own;
    }
    // Finishing is sequential; meanwhile the other cores derive the stories as assigned so
    // far. A story's derivation depends only on its member set, so each story the end-of-
    // stream passes leave as it was keeps that result; only the changed ones are derived
    // afterwards.
    let (t, c) = (Instant::now(), cpu_seconds());
    let records = &out.records;
    let derive_members = |members: &[ArticleIdx]| records_of(records, members);
    let online: Vec<Vec<ArticleIdx>> = clusterer
        .stories()
        .iter()
        .map(|s| member_set(&s.articles))
        .filter(|m| !m.is_empty() && !early.contains_key(m))
        .collect();
    let mut late = Vec::new();
    let late_slot = &mut late;
    let own = thread_cpu_seconds();
    let stories = rayon::in_place_scope(|s| {
        s.spawn(move |_| {
            *late_slot = online
                .into_par_iter()
                .map(|m| {
                    let derived = derive_members(&m);
                    (m, derived)
                })
                .collect();
        });
        clusterer.finish()
    });
    early.extend(late);
    let finish_cpu = thread_cpu_seconds() - own;
    out.cluster_secs += t.elapsed().as_secs_f64();
    out.cluster_cpu += finish_cpu;
    out.sequential_cpu += finish_cpu;
    out.derive_cpu += cpu_seconds() - c - finish_cpu;
    let (t, c) = (Instant::now(), cpu_seconds());
    out.stories = stories
        .into_par_iter()
        .map(|story| {
            let (origin_groups, derivations) = match early.get(&member_set(&story.articles)) {
                Some(derived) => derived.clone(),
                None => derive_members(&story.articles),
            };
            DerivedStory { story, derivations, origin_groups }
        })
        .collect();
    out.derive_secs = t.elapsed().as_secs_f64();
    out.derive_cpu += cpu_seconds() - c;
    out
}

/// Runs every stage on `articles` and returns the report.
pub fn run(articles: Vec<Article>, config: &PipelineConfig) -> Report {
    run_with(articles, config, &no_progress)
}

/// [`run`], reporting progress.
pub fn run_with(articles: Vec<Article>, config: &PipelineConfig, progress: Progress<'_>) -> Report {
    let batch = Batch::build_with(articles, config, progress);
    report_in(&batch, config.stories_only, progress)
}

/// Clusters, derives and synthesizes an already analyzed batch.
pub fn report(batch: &Batch) -> Report {
    report_with(batch, &no_progress)
}

/// [`report`], reporting progress.
pub fn report_with(batch: &Batch, progress: Progress<'_>) -> Report {
    report_in(batch, false, progress)
}

/// [`report_with`], or with `stories_only` the stories-only report (story outlines).
fn report_in(batch: &Batch, stories_only: bool, progress: Progress<'_>) -> Report {
    let stories = cluster_with(batch, progress);
    let total = stories.len();
    let done = AtomicUsize::new(0);
    let mut stories: Vec<_> = derive_stories(batch, stories)
        .par_iter()
        .map(|s| {
            let r = story_report(batch, s, stories_only);
            progress(Step::Synthesize, done.fetch_add(1, Ordering::Relaxed) + 1, total);
            r
        })
        .collect();
    stories.sort_by(|a, b| b.articles.len().cmp(&a.articles.len()).then_with(|| a.id.cmp(&b.id)));
    Report { stories_only, articles: article_reports(batch), stories }
}

fn article_reports(batch: &Batch) -> Vec<ArticleReport> {
    batch
        .articles
        .iter()
        .zip(&batch.repaired)
        .zip(&batch.analyzed)
        .map(|((a, r), an)| article_report(a, r, &an.language))
        .collect()
}

/// One article's report entry: its metadata, language and repairs.
pub fn article_report(a: &Article, r: &Repaired, language: &str) -> ArticleReport {
    ArticleReport {
        id: a.id.clone(),
        source: a.source.clone(),
        url: a.url.clone(),
        title: a.title.clone(),
        author: a.author.clone(),
        published: a.published.clone(),
        language: language.to_string(),
        repairs: r
            .repairs
            .iter()
            .map(|x| RepairReport {
                kind: x.kind.as_str().to_string(),
                start: x.start,
                end: x.end,
                original: x.original.clone(),
                replacement: x.replacement.clone(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, source: &str, text: &str) -> Article {
        let mut a = Article::new(id, text);
        a.source = Some(source.into());
        a
    }

    #[test]
    fn outlet_furniture_is_learned_and_removed() {
        let tail = "Follow the Gazette on Quill for live updates";
        let quote = "“We are not an exception,” he said.";
        let articles: Vec<Article> = (0..4)
            .map(|i| {
                article(
                    &format!("g{i}"),
                    "Gazette",
                    &format!("Story number {i} about the harbour works.\n{quote}\n{tail}"),
                )
            })
            .chain([article("x", "Other", &format!("An unrelated text.\n{tail}"))])
            .collect();
        let learned = learn_furniture(&articles);
        assert_eq!(learned["Gazette"].iter().collect::<Vec<_>>(), [&tail.to_string()]);
        assert!(!learned.contains_key("Other"));
        let batch = Batch::build(articles, &PipelineConfig::default());
        assert!(!batch.repaired[0].text.contains(tail));
        assert!(batch.repaired[0].text.contains(quote));
        assert!(batch.repaired[4].text.contains(tail), "only the outlet's own articles");
    }
}
