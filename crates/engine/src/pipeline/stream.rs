//! The streamed run: the whole pipeline with memory that grows slowly with the corpus.
//!
//! [`stream_run`] repairs and analyzes the articles a chunk at a time (in parallel), assigns
//! each chunk to stories in arrival order, and then keeps of each article only its report
//! entry and its place in a temporary spill file that holds the article, its repaired text
//! and its analysis. [`StreamedRun`] then derives and synthesizes the stories a chunk at a
//! time in output order, loading each story's articles back from the spill, so a writer can
//! stream the report ([`StreamedRun::write_json`]) without the whole batch, the whole
//! report or the whole rendered text ever being in memory. The output is byte for byte the
//! in-memory [`super::run`]'s: the same furniture (learned over all articles), the same
//! online assignment, and derivation and synthesis over a story-sized batch whose indices
//! keep the order of the batch-wide ones. A stories-only run ([`PipelineConfig::stories_only`])
//! takes the same path with the light analysis and each story's outline for its report.

use std::collections::{HashSet, VecDeque};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use bincode::Options as _;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{
    article_report, cpu_seconds, learn_furniture, stat_cpu_seconds, story_report,
    thread_cpu_seconds, Batch, DerivedStory, PipelineConfig,
};
use super::{Progress, Step};
use crate::cluster::{Clusterer, Features};
use crate::record::{Analyzed, Article, ArticleIdx, Assignment, Mention, Quote, Repaired};
use crate::record::{Sentence, Story, TimeExpr};
use crate::report::{ArticleReport, Report, StoryReport};
use crate::{analyze, derive, render, repair};

/// Articles repaired and analyzed (and then clustered) per chunk.
const ANALYZE_CHUNK: usize = 1024;
/// Articles (summed over stories) loaded back and synthesized per chunk.
const SYNTH_CHUNK: usize = 1024;
/// Encoded analyzed articles held in memory before the rest go to the spill file, in bytes
/// (an article of the demo corpus encodes to a few KB, so 100,000 of them fit).
const MEMORY_BUDGET: usize = 512 << 20;

/// The timed stages of a streamed run, in order.
pub const STAGES: [&str; 5] = ["analyze", "cluster", "derive", "synth", "render"];

/// Wall and CPU seconds (all threads) per stage of [`STAGES`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StageTimes {
    /// Wall seconds per stage.
    pub wall: [f64; 5],
    /// CPU seconds per stage.
    pub cpu: [f64; 5],
}

impl StageTimes {
    /// Adds the time since `lap` to stage `k` and returns a new lap.
    fn add(&mut self, k: usize, lap: Lap) -> Lap {
        self.add_until(k, lap, Lap::now())
    }

    /// Adds the time from `lap` to `now` to stage `k` and returns `now`.
    fn add_until(&mut self, k: usize, lap: Lap, now: Lap) -> Lap {
        self.wall[k] += (now.0 - lap.0).as_secs_f64();
        self.cpu[k] += now.1 - lap.1;
        now
    }
}

/// A point in wall time and process CPU time.
#[derive(Clone, Copy)]
struct Lap(Instant, f64);

impl Lap {
    fn now() -> Lap {
        Lap(Instant::now(), cpu_seconds())
    }

    /// The process CPU time less that of the thread whose `/proc` stat file is `other`
    /// (a thread working on another stage meanwhile).
    fn without(other: Option<&str>) -> Lap {
        let Lap(t, cpu) = Lap::now();
        Lap(t, cpu - other.map_or(0.0, stat_cpu_seconds))
    }
}

/// The `/proc` stat file of the calling thread under a name other threads can read
/// (Linux; `None` elsewhere).
fn thread_stat_path() -> Option<String> {
    let link = std::fs::read_link("/proc/thread-self").ok()?;
    Some(format!("/proc/{}/stat", link.display()))
}

/// One article as the spill file keeps it (written borrowed, read back owned). The
/// analysis is kept whole but for its term counts, which only clustering reads (derive and
/// synthesize never do; the identity tests of the streamed run would show it if they did):
/// they are most of an analysis's small strings, and so of the time spent decoding.
#[derive(Serialize)]
struct EntryRef<'a> {
    article: &'a Article,
    repaired: &'a Repaired,
    language: &'a str,
    sentences: &'a [Sentence],
    mentions: &'a [Mention],
    quotes: &'a [Quote],
    times: &'a [TimeExpr],
    signature: &'a [u64],
    roles: &'a Option<Vec<(String, String)>>,
}

impl<'a> EntryRef<'a> {
    fn of(article: &'a Article, repaired: &'a Repaired, an: &'a Analyzed) -> EntryRef<'a> {
        EntryRef {
            article,
            repaired,
            language: &an.language,
            sentences: &an.sentences,
            mentions: &an.mentions,
            quotes: &an.quotes,
            times: &an.times,
            signature: &an.signature,
            roles: &an.roles,
        }
    }
}

/// [`EntryRef`], read back.
#[derive(Deserialize)]
struct Entry {
    article: Article,
    repaired: Repaired,
    language: String,
    sentences: Vec<Sentence>,
    mentions: Vec<Mention>,
    quotes: Vec<Quote>,
    times: Vec<TimeExpr>,
    signature: Vec<u64>,
    roles: Option<Vec<(String, String)>>,
}

impl Entry {
    /// The analysis as spilled (without term counts).
    fn analyzed(self) -> (Article, Repaired, Analyzed) {
        let analyzed = Analyzed {
            language: self.language,
            sentences: self.sentences,
            mentions: self.mentions,
            quotes: self.quotes,
            times: self.times,
            signature: self.signature,
            terms: Vec::new(),
            roles: self.roles,
        };
        (self.article, self.repaired, analyzed)
    }
}

/// The path of a temporary file, removed when this is dropped.
struct TempPath(PathBuf);

impl TempPath {
    /// Creates a new, empty file in the temporary directory (`TMPDIR`), open for reading
    /// and writing. The file is unlinked at once where the platform allows it (it lives
    /// on while open), so a killed run leaves nothing behind.
    fn create() -> io::Result<(TempPath, File)> {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        let name = format!(
            "chorus-spill-{}-{}-{}",
            std::process::id(),
            nanos.as_nanos(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        let file =
            File::options().read(true).write(true).create_new(true).open(&path).map_err(|e| {
                io::Error::new(e.kind(), format!("cannot create {}: {e}", path.display()))
            })?;
        // Best effort: where an open file cannot be removed, `Drop` removes it.
        let _ = std::fs::remove_file(&path);
        Ok((TempPath(path), file))
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Where one encoded article lies.
enum Slot {
    /// Held in memory (the run stayed under its memory budget so far).
    Held(Box<[u8]>),
    /// In the spill file: byte offset and length.
    File(u64, usize),
}

/// The encoded articles, each found by its arrival number: in memory up to a budget of
/// encoded bytes, beyond it in a temporary file.
struct Spill {
    /// The spill file, when any article went there.
    file: Option<(File, TempPath)>,
    /// Each article's place.
    index: Vec<Slot>,
}

/// The encoding of spilled entries: bincode with variable-length integers (offsets and
/// indices are mostly small), little endian.
fn codec() -> impl bincode::Options {
    bincode::DefaultOptions::new()
}

impl Spill {
    /// Loads article `i` (an arrival number) back.
    fn load(&self, i: ArticleIdx) -> io::Result<Entry> {
        let missing =
            || io::Error::new(io::ErrorKind::InvalidInput, format!("no spilled article {i}"));
        let mut buf = Vec::new();
        let bytes: &[u8] = match self.index.get(i).ok_or_else(missing)? {
            Slot::Held(bytes) => bytes,
            &Slot::File(offset, len) => {
                let (file, _) = self.file.as_ref().ok_or_else(missing)?;
                buf.resize(len, 0);
                // Positioned reads: the story loaders read in parallel without a shared cursor.
                read_exact_at(file, &mut buf, offset)?;
                &buf
            }
        };
        // The limit keeps a damaged entry from asking for more memory than it has bytes.
        codec()
            .with_limit(bytes.len() as u64)
            .deserialize(bytes)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

/// Takes encoded entries in arrival order, holding them in memory while their total stays
/// within the budget and appending the rest to a spill file (created on first need).
struct SpillWriter {
    out: Option<(BufWriter<File>, TempPath)>,
    index: Vec<Slot>,
    /// Bytes written to the file so far.
    end: u64,
    /// Encoded bytes that may still be held in memory.
    budget: usize,
}

impl SpillWriter {
    fn new(budget: usize) -> SpillWriter {
        SpillWriter { out: None, index: vec![], end: 0, budget }
    }

    fn append(&mut self, bytes: Vec<u8>) -> io::Result<()> {
        if bytes.len() <= self.budget && self.out.is_none() {
            self.budget -= bytes.len();
            self.index.push(Slot::Held(bytes.into_boxed_slice()));
            return Ok(());
        }
        let (out, _) = match &mut self.out {
            Some(out) => out,
            None => {
                let (path, file) = TempPath::create()?;
                self.out.insert((BufWriter::with_capacity(1 << 20, file), path))
            }
        };
        out.write_all(&bytes)?;
        self.index.push(Slot::File(self.end, bytes.len()));
        self.end += bytes.len() as u64;
        Ok(())
    }

    fn finish(self) -> io::Result<Spill> {
        let file = match self.out {
            Some((out, path)) => Some((out.into_inner().map_err(|e| e.into_error())?, path)),
            None => None,
        };
        Ok(Spill { file, index: self.index })
    }
}

/// Fills `buf` from `file` at `offset` without moving a shared cursor.
#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

/// Fills `buf` from `file` at `offset` without moving a shared cursor.
#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

/// What the parallel part of the analysis yields per article: its clustering features
/// (computed in parallel, so the sequential assignment only interns and looks up), the
/// report entry and the encoded spill entry.
type Analyzed3 = (Features, ArticleReport, Vec<u8>);

/// The sequential part of the analysis: assigns analyzed articles to stories in arrival
/// order and spills them.
struct ClusterSink<'p> {
    spill: SpillWriter,
    clusterer: Clusterer,
    reports: Vec<ArticleReport>,
    total: usize,
    progress: Progress<'p>,
    /// CPU and wall seconds spent here.
    cpu: f64,
    wall: f64,
}

impl ClusterSink<'_> {
    /// Clusters and spills one analyzed chunk.
    fn take(&mut self, (part, analyzed): (Vec<Article>, Vec<Analyzed3>)) -> io::Result<()> {
        let (t, c) = (Instant::now(), thread_cpu_seconds());
        for (a, (features, report, bytes)) in part.iter().zip(analyzed) {
            let i = self.reports.len();
            self.clusterer.assign_features(i, a, &features);
            self.spill.append(bytes)?;
            self.reports.push(report);
            if i % 64 == 63 || i + 1 == self.total {
                (self.progress)(Step::Cluster, i + 1, self.total);
            }
        }
        self.cpu += thread_cpu_seconds() - c;
        self.wall += t.elapsed().as_secs_f64();
        Ok(())
    }
}

/// A run whose articles are analyzed and clustered, ready to be synthesized and written
/// story by story.
pub struct StreamedRun {
    /// Every article's report entry, in input order.
    pub articles: Vec<ArticleReport>,
    /// The stories in report order (most articles first, then by id).
    stories: Vec<Story>,
    spill: Spill,
    /// Articles (summed over stories) synthesized per chunk.
    synth_chunk: usize,
    /// A stories-only run: each story's report is its outline.
    stories_only: bool,
    /// Time spent so far, per stage.
    pub times: StageTimes,
}

impl std::fmt::Debug for StreamedRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamedRun")
            .field("articles", &self.articles.len())
            .field("stories", &self.stories.len())
            .finish_non_exhaustive()
    }
}

/// Repairs, analyzes and clusters `articles` a chunk at a time, spilling each analyzed
/// article to a temporary file (in `TMPDIR`). Errors are those of the spill file.
pub fn stream_run(
    articles: Vec<Article>,
    config: &PipelineConfig,
    progress: Progress<'_>,
) -> io::Result<StreamedRun> {
    stream_chunked(articles, config, progress, [ANALYZE_CHUNK, SYNTH_CHUNK, MEMORY_BUDGET])
}

/// [`stream_run`] with the chunk sizes of analysis and synthesis (in articles) and the
/// memory budget of encoded articles (in bytes).
fn stream_chunked(
    mut articles: Vec<Article>,
    config: &PipelineConfig,
    progress: Progress<'_>,
    [analyze_chunk, synth_chunk, budget]: [usize; 3],
) -> io::Result<StreamedRun> {
    let mut times = StageTimes::default();
    let mut lap = Lap::now();
    if let Some(d) = config.default_date {
        for a in articles.iter_mut().filter(|a| a.date.is_none()) {
            a.date = Some(d);
        }
    }
    let total = articles.len();
    let furniture = learn_furniture(&articles);
    let none = HashSet::new();
    let done = AtomicUsize::new(0);
    let clusterer = Clusterer::new();
    let cluster_config = clusterer.config().clone();
    let depth = config.depth();
    let analyzer = |part: &[Article]| -> Vec<Analyzed3> {
        part.par_iter()
            .map(|a| {
                let learned = a.source.as_ref().and_then(|s| furniture.get(s)).unwrap_or(&none);
                let repaired = repair::repair_with(&a.raw, learned);
                let analyzed = analyze::analyze_to(a, &repaired, depth);
                let report = article_report(a, &repaired, &analyzed.language);
                let entry = EntryRef::of(a, &repaired, &analyzed);
                // Plain structs of strings, numbers and dates always serialise (were one
                // not to, its empty entry would fail to load: an error, not a panic).
                let bytes = codec().serialize(&entry).unwrap_or_default();
                let features = Features::of(a, &analyzed, &cluster_config);
                progress(Step::Analyze, done.fetch_add(1, Ordering::Relaxed) + 1, total);
                (features, report, bytes)
            })
            .collect()
    };
    let mut sink = ClusterSink {
        spill: SpillWriter::new(budget),
        clusterer,
        reports: Vec::with_capacity(total),
        total,
        progress,
        cpu: 0.0,
        wall: 0.0,
    };
    // Clustering is sequential: each chunk is clustered (and spilled) on one thread while
    // the next chunk is analyzed on the others.
    let mut rest = articles.into_iter();
    let mut pending: Option<(Vec<Article>, Vec<Analyzed3>)> = None;
    loop {
        let part: Vec<Article> = rest.by_ref().take(analyze_chunk.max(1)).collect();
        if part.is_empty() && pending.is_none() {
            break;
        }
        let (analyzed, clustered) =
            rayon::join(|| analyzer(&part), || pending.take().map(|p| sink.take(p)));
        clustered.transpose()?;
        pending = (!part.is_empty()).then_some((part, analyzed));
    }
    // Wall time overlaps: analysis is the loop's time, clustering the time it took on its
    // own thread; CPU time is split exactly.
    let now = Lap::now();
    times.wall[0] += (now.0 - lap.0).as_secs_f64();
    times.cpu[0] += now.1 - lap.1 - sink.cpu;
    times.wall[1] += sink.wall;
    times.cpu[1] += sink.cpu;
    lap = now;
    let ClusterSink { spill, clusterer, reports, .. } = sink;
    let mut stories = clusterer.finish();
    // The order of `report_with`: most articles first, then by id (a stable sort of the
    // clusterer's order, as there).
    stories.sort_by(|a, b| b.articles.len().cmp(&a.articles.len()).then_with(|| a.id.cmp(&b.id)));
    times.add(1, lap);
    Ok(StreamedRun {
        articles: reports,
        stories,
        spill: spill.finish()?,
        synth_chunk,
        stories_only: config.stories_only,
        times,
    })
}

impl StreamedRun {
    /// Number of stories.
    pub fn story_count(&self) -> usize {
        self.stories.len()
    }

    /// The number of articles of each story, in report order (largest first).
    pub fn story_sizes(&self) -> impl Iterator<Item = usize> + '_ {
        self.stories.iter().map(|s| s.articles.len())
    }

    /// The story reports in report order, computed a chunk of stories at a time (in
    /// parallel) as the iterator is drained.
    pub fn reports<'a>(&'a mut self, progress: Progress<'a>) -> StoryReports<'a> {
        StoryReports {
            spill: &self.spill,
            stories: &self.stories,
            next: 0,
            chunk: self.synth_chunk,
            stories_only: self.stories_only,
            ready: VecDeque::new(),
            times: &mut self.times,
            progress,
            other: None,
        }
    }

    /// Writes the report as [`render::json`] would print it, story by story; returns the
    /// time each stage took over the whole run. A second thread derives and synthesizes the
    /// next chunk of stories (in parallel) while this one writes the last: writing is
    /// sequential, and waiting for it left a core idle. The wall times of the stages after
    /// clustering overlap; "render" counts the writer's own wall and CPU time.
    pub fn write_json(mut self, out: impl Write, progress: Progress<'_>) -> io::Result<StageTimes> {
        let articles = std::mem::take(&mut self.articles);
        let stories_only = self.stories_only;
        let (start, render_cpu) = (Instant::now(), thread_cpu_seconds());
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let mut received = Received { rx, ready: Vec::new().into_iter(), waited: 0.0 };
        let writer = thread_stat_path();
        let written = std::thread::scope(|scope| {
            let mut reports = self.reports(progress);
            reports.other = writer;
            scope.spawn(move || {
                while let Some(chunk) = reports.next_chunk() {
                    let failed = chunk.is_err();
                    // A closed channel means the writer stopped (its error is reported).
                    if tx.send(chunk.map(Vec::from)).is_err() || failed {
                        break;
                    }
                }
            });
            let written = render::write_json_as(out, stories_only, &articles, &mut received);
            // Dropping the receiver stops the producer should the writer have failed.
            let waited = received.waited;
            drop(received);
            written.map(|()| waited)
        });
        let waited = written?;
        let mut times = self.times;
        times.wall[4] += start.elapsed().as_secs_f64() - waited;
        times.cpu[4] += thread_cpu_seconds() - render_cpu;
        Ok(times)
    }

    /// The whole report in memory (for renderers that need all of it at once).
    pub fn into_report(mut self, progress: Progress<'_>) -> io::Result<Report> {
        let stories = self.reports(progress).collect::<io::Result<Vec<_>>>()?;
        let articles = std::mem::take(&mut self.articles);
        Ok(Report { stories_only: self.stories_only, articles, stories })
    }
}

/// The iterator of [`StreamedRun::reports`].
pub struct StoryReports<'a> {
    spill: &'a Spill,
    stories: &'a [Story],
    /// The first story not computed yet.
    next: usize,
    /// Articles per chunk of stories.
    chunk: usize,
    /// Outlines only (a stories-only run).
    stories_only: bool,
    ready: VecDeque<StoryReport>,
    times: &'a mut StageTimes,
    progress: Progress<'a>,
    /// The `/proc` stat file of a thread writing the report meanwhile, whose CPU time is
    /// not this iterator's.
    other: Option<String>,
}

impl std::fmt::Debug for StoryReports<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoryReports").field("next", &self.next).finish_non_exhaustive()
    }
}

impl StoryReports<'_> {
    /// Derives and synthesizes the next chunk of stories (in parallel); `None` after the
    /// last one or an error.
    fn next_chunk(&mut self) -> Option<io::Result<VecDeque<StoryReport>>> {
        if self.next >= self.stories.len() {
            return None;
        }
        let sizes = self.stories.iter().map(|s| s.articles.len());
        let end = self.next + chunk_len(sizes.skip(self.next), self.chunk);
        let chunk = &self.stories[self.next..end];
        self.next = end;
        let other = self.other.as_deref();
        let lap = Lap::without(other);
        let loaded = chunk.par_iter().map(|s| load_story(self.spill, s)).collect();
        let loaded: Vec<(Batch, DerivedStory)> = match loaded {
            Ok(x) => x,
            Err(e) => {
                self.next = self.stories.len();
                return Some(Err(e));
            }
        };
        let lap = self.times.add_until(2, lap, Lap::without(other));
        let (total, done) = (self.stories.len(), end - chunk.len());
        let counter = AtomicUsize::new(done);
        let ready: VecDeque<StoryReport> = loaded
            .par_iter()
            .map(|(batch, story)| {
                let r = story_report(batch, story, self.stories_only);
                (self.progress)(
                    Step::Synthesize,
                    counter.fetch_add(1, Ordering::Relaxed) + 1,
                    total,
                );
                r
            })
            .collect::<Vec<_>>()
            .into();
        drop(loaded);
        self.times.add_until(3, lap, Lap::without(other));
        Some(Ok(ready))
    }
}

/// How many of `sizes` (story sizes in articles, largest first) the next synthesis chunk
/// takes: at least one story and `chunk` articles. One story is synthesized on one thread,
/// so a chunk also takes further stories while its first one holds more than a quarter of
/// its articles (up to four more chunks' worth): the other threads work through them while
/// one synthesizes the big story, and take over what is left when done. A chunk of one big
/// story, or of one big story and a little more, left them idle.
fn chunk_len(sizes: impl Iterator<Item = usize>, chunk: usize) -> usize {
    let (mut taken, mut size, mut first) = (0, 0, 0);
    for n in sizes {
        let more = taken == 0 || size < chunk || (4 * first > size && size < first + 4 * chunk);
        if !more {
            break;
        }
        first = first.max(n);
        size += n;
        taken += 1;
    }
    taken
}

impl Iterator for StoryReports<'_> {
    type Item = io::Result<StoryReport>;

    fn next(&mut self) -> Option<io::Result<StoryReport>> {
        if self.ready.is_empty() {
            match self.next_chunk()? {
                Ok(ready) => self.ready = ready,
                Err(e) => return Some(Err(e)),
            }
        }
        self.ready.pop_front().map(Ok)
    }
}

/// The writer's side of [`StreamedRun::write_json`]: the story reports of the chunks the
/// producer sends, in order, and how long the writer waited for them.
struct Received {
    rx: std::sync::mpsc::Receiver<io::Result<Vec<StoryReport>>>,
    ready: std::vec::IntoIter<StoryReport>,
    /// Wall seconds spent waiting for a chunk.
    waited: f64,
}

impl Iterator for Received {
    type Item = io::Result<StoryReport>;

    fn next(&mut self) -> Option<io::Result<StoryReport>> {
        loop {
            if let Some(r) = self.ready.next() {
                return Some(Ok(r));
            }
            let t = Instant::now();
            // A closed channel: the producer is done.
            let chunk = self.rx.recv().ok();
            self.waited += t.elapsed().as_secs_f64();
            match chunk? {
                Ok(ready) => self.ready = ready.into_iter(),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// Loads one story's articles back into a story-sized batch and derives its origins. Local
/// indices keep the order of arrival numbers, so every comparison of indices in derive and
/// synthesize decides as it would over the whole batch.
fn load_story(spill: &Spill, story: &Story) -> io::Result<(Batch, DerivedStory)> {
    let mut members: Vec<ArticleIdx> =
        story.articles.iter().chain(story.why.iter().map(|w| &w.article)).copied().collect();
    members.sort_unstable();
    members.dedup();
    // Every index looked up below is in `members`, so its position is its local index.
    let local = |i: ArticleIdx| members.partition_point(|&m| m < i);
    // Decoded on the pool: a story of a thousand articles is otherwise decoded on one thread.
    let loaded: Vec<(Article, Repaired, Analyzed)> = members
        .par_iter()
        .map(|&m| spill.load(m).map(Entry::analyzed))
        .collect::<io::Result<_>>()?;
    let mut batch = Batch {
        articles: Vec::with_capacity(members.len()),
        repaired: Vec::with_capacity(members.len()),
        analyzed: Vec::with_capacity(members.len()),
    };
    for (article, repaired, analyzed) in loaded {
        batch.articles.push(article);
        batch.repaired.push(repaired);
        batch.analyzed.push(analyzed);
    }
    let story = Story {
        id: story.id.clone(),
        articles: story.articles.iter().map(|&i| local(i)).collect(),
        why: story
            .why
            .iter()
            .map(|w| Assignment { article: local(w.article), ..w.clone() })
            .collect(),
    };
    let derivations =
        derive::derive(&batch.articles, &batch.repaired, &batch.analyzed, &story.articles);
    let origin_groups = derive::origin_groups(&story.articles, &derivations);
    let derivations = derive::best_parents(&derivations);
    Ok((batch, DerivedStory { story, derivations, origin_groups }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::synthetic::synthetic_stream;
    use crate::pipeline::run;
    use std::sync::Mutex;

    fn no_progress(_: Step, _: usize, _: usize) {}

    /// The JSON of a streamed run, with the given chunk sizes and memory budget.
    fn streamed_json(articles: Vec<Article>, chunks: [usize; 3]) -> String {
        let config = PipelineConfig::default();
        let streamed = stream_chunked(articles, &config, &no_progress, chunks).expect("spill");
        let mut out = Vec::new();
        streamed.write_json(&mut out, &no_progress).expect("written");
        String::from_utf8(out).expect("JSON is UTF-8")
    }

    #[test]
    fn chunk_boundaries_do_not_change_the_report() {
        let articles = synthetic_stream(160, 7);
        let expected = render::json(&run(articles.clone(), &PipelineConfig::default()));
        // One chunk, chunks that split stories, and one article (or story) at a time; every
        // article held in memory, every one in the spill file, and some of each.
        for chunks in [[1000, 1000, MEMORY_BUDGET], [37, 5, 0], [1, 1, 20_000], [37, 5, 20_000]] {
            assert_eq!(streamed_json(articles.clone(), chunks), expected, "chunks {chunks:?}");
        }
    }

    #[test]
    fn a_chunk_with_a_dominant_story_takes_more_stories() {
        // (story sizes, chunk, stories taken)
        let table: [(&[usize], usize, usize); 6] = [
            (&[], 10, 0),
            (&[50], 10, 1),
            (&[3, 3, 3, 3, 3], 10, 4),
            // The first story holds over a quarter of the chunk until it has 160 articles.
            (
                &[40, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5],
                40,
                25,
            ),
            // ... or until it reaches the bound: 40 + 4 × 10 articles.
            (&[40, 30, 30, 30, 30, 30, 30], 10, 3),
            // Bounded: at most four more chunks' worth after the first story.
            (&[1000, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3], 2, 4),
        ];
        for (sizes, chunk, taken) in table {
            assert_eq!(chunk_len(sizes.iter().copied(), chunk), taken, "{sizes:?} by {chunk}");
        }
    }

    #[test]
    fn empty_and_single_article_runs() {
        let config = PipelineConfig::default();
        for articles in [vec![], vec![Article::new("only", "One short text about a harbour.")]] {
            let expected = render::json(&run(articles.clone(), &config));
            assert_eq!(streamed_json(articles.clone(), [4, 4, MEMORY_BUDGET]), expected);
            assert_eq!(streamed_json(articles, [4, 4, 0]), expected);
        }
    }

    #[test]
    fn stages_are_timed_and_progress_reaches_the_totals() {
        let articles = synthetic_stream(40, 3);
        let seen = Mutex::new([0usize; 3]);
        let progress = |step: Step, done: usize, _: usize| {
            if let Ok(mut s) = seen.lock() {
                s[step as usize] = s[step as usize].max(done);
            }
        };
        let streamed = stream_chunked(articles, &PipelineConfig::default(), &progress, [8, 8, 0])
            .expect("spill");
        let stories = streamed.story_count();
        let times = streamed.write_json(io::sink(), &progress).expect("written");
        assert_eq!(*seen.lock().expect("not poisoned"), [40, 40, stories]);
        assert!(times.wall.iter().all(|&t| t >= 0.0) && times.wall[0] > 0.0, "{times:?}");
    }

    #[test]
    fn a_missing_spill_entry_is_an_error_not_a_panic() {
        let streamed = stream_chunked(
            synthetic_stream(16, 1),
            &PipelineConfig::default(),
            &no_progress,
            [8, 8, 0],
        );
        let mut streamed = streamed.expect("spill");
        streamed.spill.index.truncate(3);
        let err = streamed.write_json(io::sink(), &no_progress).expect_err("entries are missing");
        assert!(err.to_string().contains("no spilled article"), "{err}");
    }

    /// Where each article of a 40-article run went under a memory budget: `(held, in file)`.
    fn placement(budget: usize) -> (usize, usize) {
        let articles = synthetic_stream(40, 5);
        let streamed =
            stream_chunked(articles, &PipelineConfig::default(), &no_progress, [8, 8, budget])
                .expect("spill");
        let held = streamed.spill.index.iter().filter(|s| matches!(s, Slot::Held(_))).count();
        let in_file = streamed.spill.index.len() - held;
        assert_eq!(streamed.spill.file.is_some(), in_file > 0, "a file only when needed");
        (held, in_file)
    }

    #[test]
    fn articles_are_held_in_memory_up_to_the_budget_and_spilled_beyond() {
        assert_eq!(placement(0), (0, 40));
        assert_eq!(placement(MEMORY_BUDGET), (40, 0));
        let (held, in_file) = placement(20_000);
        assert!(held > 0 && in_file > 0, "{held} held, {in_file} in the file");
    }

    #[test]
    fn a_damaged_entry_is_an_error_not_a_panic() {
        let streamed = stream_chunked(
            synthetic_stream(16, 1),
            &PipelineConfig::default(),
            &no_progress,
            [8, 8, MEMORY_BUDGET],
        );
        let mut streamed = streamed.expect("spill");
        // A length prefix that claims far more than the entry holds, then nothing.
        streamed.spill.index[2] = Slot::Held(vec![0xfc, 0xff, 0xff, 0xff, 0x7f].into_boxed_slice());
        let err = streamed.write_json(io::sink(), &no_progress).expect_err("entry is damaged");
        assert!(!err.to_string().is_empty());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Whatever an article holds, it loads back from memory or from the file as it was
        /// analyzed (but for the term counts, which are not kept).
        #[test]
        fn entries_load_back_as_written(
            id in "\\PC{0,12}",
            raw in "(\\PC|\n|Ã©|“|”){0,160}",
            title in proptest::option::of("\\PC{0,12}"),
            days in proptest::option::of(700_000i32..750_000),
            in_memory: bool,
        ) {
            let mut article = Article::new(id, raw);
            article.title = title;
            article.date = days.and_then(chrono::NaiveDate::from_num_days_from_ce_opt);
            let repaired = repair::repair_with(&article.raw, &HashSet::new());
            let analyzed = analyze::analyze(&article, &repaired);
            let bytes = codec().serialize(&EntryRef::of(&article, &repaired, &analyzed));
            let mut writer = SpillWriter::new(if in_memory { usize::MAX } else { 0 });
            writer.append(bytes.expect("encodes")).expect("appended");
            let (a, r, an) = writer.finish().expect("spill").load(0).expect("loads").analyzed();
            proptest::prop_assert_eq!(a, article);
            proptest::prop_assert_eq!(r.text, repaired.text);
            proptest::prop_assert_eq!(r.repairs, repaired.repairs);
            proptest::prop_assert_eq!(r.map, repaired.map);
            proptest::prop_assert_eq!(r.metadata, repaired.metadata);
            proptest::prop_assert_eq!(an.language, analyzed.language);
            proptest::prop_assert_eq!(an.sentences, analyzed.sentences);
            proptest::prop_assert_eq!(an.mentions, analyzed.mentions);
            proptest::prop_assert_eq!(an.quotes, analyzed.quotes);
            proptest::prop_assert_eq!(an.times, analyzed.times);
            proptest::prop_assert_eq!(an.signature, analyzed.signature);
        }
    }
}
