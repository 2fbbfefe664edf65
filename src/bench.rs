//! `chorus bench`: times each stage and the whole run on a generated corpus, at one or more
//! sizes, and prints articles/s, MB/s and peak memory, and how the cost per article grows
//! from the smallest size to the largest (the scale curve).
//!
//! The corpus is `examples/corpus` (or `--input`) replicated: each replica renames every
//! capitalised word with a replica tag (`Ellery` → `Ellerybq`) and shifts dates, so replicas
//! become distinct events with the same structure — copies, rewrites, damage and all — and
//! the stream has many stories instead of three huge ones.
//!
//! Each size is measured twice: a full run and a stories-only run (`chorus run
//! --stories-only`: the light analysis, clustering, derivation and story outlines), whose
//! CPU cost per stage is printed under the full run's, with the ratio of the totals.
//!
//! Each size runs in a fresh child process (`chorus bench --child --sizes N`), so the peak
//! resident memory (`VmHWM`) is that size's own. Stages are timed in wall seconds and in CPU
//! seconds of the process (all threads): on a machine shared with other work the CPU cost
//! per article is the figure that compares sizes honestly.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result};
use chorus_engine::ingest;
use chorus_engine::pipeline::{self, cpu_seconds, PipelineConfig};
use chorus_engine::record::Article;
use serde::{Deserialize, Serialize};

/// The stages timed, in order (the last is the whole run; the others are
/// [`pipeline::STAGES`]: "derive" includes loading each story's articles back from the
/// spill file, "render" is writing the JSON report, on its own thread while the next stories
/// are derived and synthesized, so the wall times of the last three stages overlap).
const STAGES: [&str; 6] = ["analyze", "cluster", "derive", "synth", "render", "total"];

/// What one size measured.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Measure {
    articles: usize,
    /// Megabytes of input text.
    mb: f64,
    stories: usize,
    /// Articles of the largest story, and the sum of squared story sizes over the
    /// number of articles (the mean story size an article is in): work that grows
    /// faster than linearly with a story's size shows up when these grow with `articles`.
    largest_story: usize,
    weighted_story: f64,
    /// Wall seconds per stage ([`STAGES`]).
    wall: [f64; 6],
    /// CPU seconds per stage.
    cpu: [f64; 6],
    /// Peak resident memory of the process, MiB.
    peak_mib: f64,
}

/// Runs the benchmark at each size (each mode in a child process) and prints the curve.
pub fn run(inputs: &[PathBuf], sizes: &[usize]) -> Result<()> {
    // Checked here first, so a bad input is one clear error, not one per child.
    seed(inputs)?;
    let mut rows = Vec::new();
    print_header()?;
    for &n in sizes {
        let m = run_child(inputs, n, false)?;
        print_row(&m)?;
        let light = run_child(inputs, n, true)?;
        print_stories_only(&light, &m)?;
        rows.push(m);
    }
    print_curve(&rows)
}

/// Measures one size in this process and prints it as one JSON line (the child's side).
pub fn child(inputs: &[PathBuf], n: usize, stories_only: bool) -> Result<()> {
    let m = measure(inputs, n, stories_only)?;
    crate::outln!("{}", serde_json::to_string(&m)?)?;
    Ok(())
}

fn run_child(inputs: &[PathBuf], n: usize, stories_only: bool) -> Result<Measure> {
    let exe = std::env::current_exe().context("bench: cannot find the chorus binary")?;
    let mut cmd = Command::new(exe);
    cmd.args(["bench", "--child", "--sizes", &n.to_string()]);
    if stories_only {
        cmd.arg("--stories-only");
    }
    for i in inputs {
        cmd.arg("--input").arg(i);
    }
    let out = cmd.output().context("bench: cannot run the child process")?;
    anyhow::ensure!(
        out.status.success(),
        "bench: size {n} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(line.trim()).context("bench: unreadable child output")
}

/// The seed corpus' articles, or an error that names the inputs and why none was read.
fn seed(inputs: &[PathBuf]) -> Result<Vec<Article>> {
    let seed = ingest::read_inputs(inputs);
    if seed.articles.is_empty() {
        let first = seed.errors.first().map(|e| format!(" ({e})")).unwrap_or_default();
        let paths: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
        anyhow::bail!(
            "bench: no articles in the seed corpus {}{first}; run from the repository \
             (the default is examples/corpus) or pass --input",
            paths.join(", ")
        );
    }
    Ok(seed.articles)
}

/// Times every stage of a full (or stories-only) run on `n` replicated articles.
fn measure(inputs: &[PathBuf], n: usize, stories_only: bool) -> Result<Measure> {
    let articles = replicate(&seed(inputs)?, n);
    let mut m = Measure {
        articles: n,
        mb: articles.iter().map(|a| a.raw.len()).sum::<usize>() as f64 / 1e6,
        ..Measure::default()
    };
    // The path of `chorus run --format json`: streamed analysis and clustering, articles
    // spilled to a temporary file, stories synthesized and written one chunk at a time.
    let start = (Instant::now(), cpu_seconds());
    let config = PipelineConfig { stories_only, ..PipelineConfig::default() };
    let streamed = pipeline::stream_run(articles, &config, &|_, _, _| {})
        .context("bench: cannot spill analyzed articles (TMPDIR)")?;
    m.stories = streamed.story_count();
    m.largest_story = streamed.story_sizes().next().unwrap_or(0);
    m.weighted_story =
        streamed.story_sizes().map(|s| (s * s) as f64).sum::<f64>() / n.max(1) as f64;
    let mut out = Counter(0);
    let times = streamed.write_json(std::io::BufWriter::new(&mut out), &|_, _, _| {})?;
    m.wall[5] = start.0.elapsed().as_secs_f64();
    m.cpu[5] = cpu_seconds() - start.1;
    m.wall[..5].copy_from_slice(&times.wall);
    m.cpu[..5].copy_from_slice(&times.cpu);
    m.peak_mib = peak_rss_mib();
    tracing::info!(stories = m.stories, bytes = out.0, "bench size done");
    Ok(m)
}

fn print_header() -> Result<()> {
    crate::outln!(
        "{:>8} {:>7} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>8} {:>12} {:>9}",
        "articles",
        "MB",
        "analyze/s",
        "cluster/s",
        "derive/s",
        "synth/s",
        "render/s",
        "total/s",
        "MB/s",
        "CPU µs/art",
        "peak MiB"
    )?;
    Ok(())
}

fn print_row(m: &Measure) -> Result<()> {
    let rate = |t: f64| m.articles as f64 / t.max(1e-9);
    crate::outln!(
        "{:>8} {:>7.1} {:>10.0} {:>10.0} {:>10.0} {:>10.0} {:>10.0} {:>10.0} {:>8.2} {:>12.0} {:>9.0}",
        m.articles,
        m.mb,
        rate(m.wall[0]),
        rate(m.wall[1]),
        rate(m.wall[2]),
        rate(m.wall[3]),
        rate(m.wall[4]),
        rate(m.wall[5]),
        m.mb / m.wall[5].max(1e-9),
        per_article(m, m.cpu[5]),
        m.peak_mib
    )?;
    let mut line = "  CPU µs/art:".to_string();
    for (k, name) in STAGES.iter().enumerate() {
        line.push_str(&format!(" {name} {:.0}", per_article(m, m.cpu[k])));
    }
    line.push_str(&format!(
        "; {} stories, largest {}, an article's story has {:.1} on average",
        m.stories, m.largest_story, m.weighted_story
    ));
    crate::outln!("{line}")?;
    Ok(())
}

/// The stories-only run of a size, under its full run's rows: CPU per stage, and how much
/// less CPU and wall time it took than `full`.
fn print_stories_only(m: &Measure, full: &Measure) -> Result<()> {
    let mut line = "  stories-only CPU µs/art:".to_string();
    for (k, name) in STAGES.iter().enumerate() {
        line.push_str(&format!(" {name} {:.0}", per_article(m, m.cpu[k])));
    }
    line.push_str(&format!(
        "; {:.2} s wall, {:.1}× less CPU and {:.1}× less wall than full; peak {:.0} MiB",
        m.wall[5],
        full.cpu[5] / m.cpu[5].max(1e-9),
        full.wall[5] / m.wall[5].max(1e-9),
        m.peak_mib
    ));
    crate::outln!("{line}")?;
    Ok(())
}

fn per_article(m: &Measure, secs: f64) -> f64 {
    secs * 1e6 / m.articles.max(1) as f64
}

/// Per stage: CPU µs per article at the largest size over that at the smallest.
fn print_curve(rows: &[Measure]) -> Result<()> {
    let (Some(small), Some(large)) = (rows.first(), rows.last()) else {
        return Ok(());
    };
    if rows.len() < 2 {
        return Ok(());
    }
    let mut line = format!("cost per article {} / {} (CPU):", large.articles, small.articles);
    for (k, name) in STAGES.iter().enumerate() {
        let ratio = per_article(large, large.cpu[k]) / per_article(small, small.cpu[k]).max(1e-9);
        line.push_str(&format!(" {name} {ratio:.2}×"));
    }
    let wall = per_article(large, large.wall[5]) / per_article(small, small.wall[5]).max(1e-9);
    line.push_str(&format!("; wall total {wall:.2}×"));
    crate::outln!("{line}")?;
    Ok(())
}

/// `n` articles made of replicas of `seed`, each replica a distinct set of events.
pub fn replicate(seed: &[Article], n: usize) -> Vec<Article> {
    (0..n)
        .map(|i| {
            let (rep, a) = (i / seed.len(), &seed[i % seed.len()]);
            let tag = tag(rep);
            let mut b = a.clone();
            b.id = format!("{}-r{rep}", a.id);
            b.raw = rename(&a.raw, &tag, rep);
            b.title = a.title.as_ref().map(|t| rename(t, &tag, rep));
            b.date = a.date.and_then(|d| d.checked_add_days(chrono::Days::new((rep % 700) as u64)));
            b
        })
        .collect()
}

fn tag(mut rep: usize) -> String {
    let mut s = String::new();
    loop {
        s.push((b'a' + (rep % 26) as u8) as char);
        rep /= 26;
        if rep == 0 {
            break s;
        }
    }
}

/// Appends `tag` to every capitalised word of four letters or more, and shifts numbers.
fn rename(text: &str, tag: &str, rep: usize) -> String {
    if rep == 0 {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.chars().count() >= 4 && word.chars().next().is_some_and(char::is_uppercase) {
            out.push_str(word);
            out.push_str(tag);
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A writer that only counts the bytes it is given (the report's size).
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Peak resident memory of this process (Linux `VmHWM`), 0 elsewhere.
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse::<f64>().ok()))
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicas_rename_names_not_words() {
        assert_eq!(
            rename("Harbour Commissioner Marrow said", "bq", 1),
            "Harbourbq Commissionerbq Marrowbq said"
        );
        assert_eq!(rename("Harbour", "bq", 0), "Harbour");
        let seed = vec![Article::new("x", "Port Ellery is calm.")];
        let r = replicate(&seed, 3);
        assert_eq!(r.len(), 3);
        assert_eq!(r[2].id, "x-r2");
        assert_ne!(r[1].raw, r[2].raw);
    }
}
