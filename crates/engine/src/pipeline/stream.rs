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
//! keep the order of the batch-wide ones.

use std::collections::{HashSet, VecDeque};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{
    article_report, cpu_seconds, learn_furniture, thread_cpu_seconds, Batch, DerivedStory,
    PipelineConfig,
};
use super::{Progress, Step};
use crate::cluster::Clusterer;
use crate::record::{Analyzed, Article, ArticleIdx, Assignment, Mention, Quote, Repaired};
use crate::record::{Sentence, Story, TimeExpr};
use crate::report::{ArticleReport, Report, StoryReport};
use crate::{analyze, derive, render, repair, synthesize};

/// Articles repaired and analyzed (and then clustered) per chunk.
const ANALYZE_CHUNK: usize = 1024;
/// Articles (summed over stories) loaded back and synthesized per chunk.
const SYNTH_CHUNK: usize = 1024;

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
        let now = Lap::now();
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
}

impl Entry {
    /// The analysis as spilled (without term counts).
    fn analyzed(self) -> (Article, Repaired, Analyzed) {
        let Entry { article, repaired, language, sentences, mentions, quotes, times, signature } =
            self;
        let analyzed =
            Analyzed { language, sentences, mentions, quotes, times, signature, terms: Vec::new() };
        (article, repaired, analyzed)
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

/// A temporary file of encoded articles, each found by its arrival number.
struct Spill {
    file: File,
    /// Byte offset and length of each article's entry.
    index: Vec<(u64, usize)>,
    _path: TempPath,
}

impl Spill {
    /// Loads article `i` (an arrival number) back.
    fn load(&self, i: ArticleIdx) -> io::Result<Entry> {
        let &(offset, len) = self.index.get(i).ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, format!("no spilled article {i}"))
        })?;
        let mut buf = vec![0; len];
        // Positioned reads: the story loaders read in parallel without a shared cursor.
        read_exact_at(&self.file, &mut buf, offset)?;
        serde_json::from_slice(&buf).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

/// Appends encoded entries to a spill file, recording where each lies.
struct SpillWriter {
    out: BufWriter<File>,
    index: Vec<(u64, usize)>,
    end: u64,
    path: TempPath,
}

impl SpillWriter {
    fn create() -> io::Result<SpillWriter> {
        let (path, file) = TempPath::create()?;
        Ok(SpillWriter {
            out: BufWriter::with_capacity(1 << 20, file),
            index: vec![],
            end: 0,
            path,
        })
    }

    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.index.push((self.end, bytes.len()));
        self.end += bytes.len() as u64;
        Ok(())
    }

    fn finish(self) -> io::Result<Spill> {
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        Ok(Spill { file, index: self.index, _path: self.path })
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

/// What the parallel part of the analysis yields per article: the analysis, the report
/// entry and the encoded spill entry.
type Analyzed3 = (Analyzed, ArticleReport, Vec<u8>);

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
        for (a, (an, report, bytes)) in part.iter().zip(analyzed) {
            let i = self.reports.len();
            self.clusterer.assign(i, a, &an);
            self.spill.append(&bytes)?;
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
    stream_chunked(articles, config, progress, [ANALYZE_CHUNK, SYNTH_CHUNK])
}

/// [`stream_run`] with the chunk sizes of analysis and synthesis (in articles).
fn stream_chunked(
    mut articles: Vec<Article>,
    config: &PipelineConfig,
    progress: Progress<'_>,
    [analyze_chunk, synth_chunk]: [usize; 2],
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
    let analyzer = |part: &[Article]| -> Vec<Analyzed3> {
        part.par_iter()
            .map(|a| {
                let learned = a.source.as_ref().and_then(|s| furniture.get(s)).unwrap_or(&none);
                let repaired = repair::repair_with(&a.raw, learned);
                let analyzed = analyze::analyze(a, &repaired);
                let report = article_report(a, &repaired, &analyzed.language);
                let entry = EntryRef::of(a, &repaired, &analyzed);
                // Plain structs of strings, numbers and dates always serialise.
                let bytes = serde_json::to_vec(&entry).unwrap_or_default();
                progress(Step::Analyze, done.fetch_add(1, Ordering::Relaxed) + 1, total);
                (analyzed, report, bytes)
            })
            .collect()
    };
    let mut sink = ClusterSink {
        spill: SpillWriter::create()?,
        clusterer: Clusterer::new(),
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
    Ok(StreamedRun { articles: reports, stories, spill: spill.finish()?, synth_chunk, times })
}

impl StreamedRun {
    /// Number of stories.
    pub fn story_count(&self) -> usize {
        self.stories.len()
    }

    /// The story reports in report order, computed a chunk of stories at a time (in
    /// parallel) as the iterator is drained.
    pub fn reports<'a>(&'a mut self, progress: Progress<'a>) -> StoryReports<'a> {
        StoryReports {
            spill: &self.spill,
            stories: &self.stories,
            next: 0,
            chunk: self.synth_chunk,
            ready: VecDeque::new(),
            times: &mut self.times,
            progress,
        }
    }

    /// Writes the report as [`render::json`] would print it, story by story; returns the
    /// time each stage took over the whole run.
    pub fn write_json(mut self, out: impl Write, progress: Progress<'_>) -> io::Result<StageTimes> {
        let (start, before) = (Lap::now(), self.times);
        let articles = std::mem::take(&mut self.articles);
        render::write_json(out, &articles, self.reports(progress))?;
        let mut times = self.times;
        times.add(4, start);
        for k in 2..4 {
            times.wall[4] -= times.wall[k] - before.wall[k];
            times.cpu[4] -= times.cpu[k] - before.cpu[k];
        }
        Ok(times)
    }

    /// The whole report in memory (for renderers that need all of it at once).
    pub fn into_report(mut self, progress: Progress<'_>) -> io::Result<Report> {
        let stories = self.reports(progress).collect::<io::Result<Vec<_>>>()?;
        Ok(Report { articles: std::mem::take(&mut self.articles), stories })
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
    ready: VecDeque<StoryReport>,
    times: &'a mut StageTimes,
    progress: Progress<'a>,
}

impl std::fmt::Debug for StoryReports<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoryReports").field("next", &self.next).finish_non_exhaustive()
    }
}

impl Iterator for StoryReports<'_> {
    type Item = io::Result<StoryReport>;

    fn next(&mut self) -> Option<io::Result<StoryReport>> {
        if self.ready.is_empty() && self.next < self.stories.len() {
            let (mut end, mut size) = (self.next, 0);
            while end < self.stories.len() && (end == self.next || size < self.chunk) {
                size += self.stories[end].articles.len();
                end += 1;
            }
            let chunk = &self.stories[self.next..end];
            self.next = end;
            let lap = Lap::now();
            let loaded = chunk.par_iter().map(|s| load_story(self.spill, s)).collect();
            let loaded: Vec<(Batch, DerivedStory)> = match loaded {
                Ok(x) => x,
                Err(e) => {
                    self.next = self.stories.len();
                    return Some(Err(e));
                }
            };
            let lap = self.times.add(2, lap);
            let (total, done) = (self.stories.len(), end - chunk.len());
            let counter = AtomicUsize::new(done);
            self.ready = loaded
                .par_iter()
                .map(|(batch, story)| {
                    let r = synthesize::synthesize(batch, story);
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
            self.times.add(3, lap);
        }
        self.ready.pop_front().map(Ok)
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
    let mut batch = Batch {
        articles: Vec::with_capacity(members.len()),
        repaired: Vec::with_capacity(members.len()),
        analyzed: Vec::with_capacity(members.len()),
    };
    for &m in &members {
        let (article, repaired, analyzed) = spill.load(m)?.analyzed();
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

    /// The JSON of a streamed run, with the given chunk sizes.
    fn streamed_json(articles: Vec<Article>, chunks: [usize; 2]) -> String {
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
        // One chunk, chunks that split stories, and one article (or story) at a time.
        for chunks in [[1000, 1000], [37, 5], [1, 1]] {
            assert_eq!(streamed_json(articles.clone(), chunks), expected, "chunks {chunks:?}");
        }
    }

    #[test]
    fn empty_and_single_article_runs() {
        let config = PipelineConfig::default();
        for articles in [vec![], vec![Article::new("only", "One short text about a harbour.")]] {
            let expected = render::json(&run(articles.clone(), &config));
            assert_eq!(streamed_json(articles, [4, 4]), expected);
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
        let streamed =
            stream_chunked(articles, &PipelineConfig::default(), &progress, [8, 8]).expect("spill");
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
            [8, 8],
        );
        let mut streamed = streamed.expect("spill");
        streamed.spill.index.truncate(3);
        let err = streamed.write_json(io::sink(), &no_progress).expect_err("entries are missing");
        assert!(err.to_string().contains("no spilled article"), "{err}");
    }
}
