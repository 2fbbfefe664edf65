//! `chorus bench`: times each stage and the whole run on a generated corpus, at one or more
//! sizes, and prints articles/s, MB/s and peak memory.
//!
//! The corpus is `examples/corpus` (or `--input`) replicated: each replica renames every
//! capitalised word with a replica tag (`Ellery` → `Ellerybq`) and shifts dates, so replicas
//! become distinct events with the same structure — copies, rewrites, damage and all — and
//! the stream has many stories instead of three huge ones.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;
use chorus_engine::ingest;
use chorus_engine::pipeline::{self, Batch, PipelineConfig};
use chorus_engine::record::Article;
use chorus_engine::render::{self, Format};
use chorus_engine::synthesize;
use rayon::prelude::*;

/// Runs the benchmark at each size and prints a table.
pub fn run(inputs: &[PathBuf], sizes: &[usize]) -> Result<()> {
    let seed = ingest::read_inputs(inputs);
    anyhow::ensure!(!seed.articles.is_empty(), "bench: no articles in the seed corpus");
    crate::outln!(
        "{:>8} {:>10} {:>12} {:>10} {:>10} {:>10} {:>10} {:>10} {:>9}",
        "articles",
        "MB",
        "analyze/s",
        "cluster/s",
        "derive/s",
        "synth/s",
        "render/s",
        "total/s",
        "peak MiB"
    )?;
    for &n in sizes {
        let articles = replicate(&seed.articles, n);
        let mb = articles.iter().map(|a| a.raw.len()).sum::<usize>() as f64 / 1e6;
        let t0 = Instant::now();
        let batch = Batch::build(articles, &PipelineConfig::default());
        let t_analyze = t0.elapsed().as_secs_f64();
        let t1 = Instant::now();
        let stories = pipeline::cluster(&batch);
        let t_cluster = t1.elapsed().as_secs_f64();
        let t2 = Instant::now();
        let derived = pipeline::derive_stories(&batch, stories);
        let t_derive = t2.elapsed().as_secs_f64();
        let t3 = Instant::now();
        let reports: Vec<_> =
            derived.par_iter().map(|s| synthesize::synthesize(&batch, s)).collect();
        let t_synth = t3.elapsed().as_secs_f64();
        let t4 = Instant::now();
        let report = chorus_engine::report::Report { articles: Vec::new(), stories: reports };
        let json = render::render(&report, Format::Json);
        let t_render = t4.elapsed().as_secs_f64();
        let total = t0.elapsed().as_secs_f64();
        let rate = |t: f64| n as f64 / t.max(1e-9);
        crate::outln!(
            "{:>8} {:>10.1} {:>12.0} {:>10.0} {:>10.0} {:>10.0} {:>10.0} {:>10.0} {:>9.0}",
            n,
            mb,
            rate(t_analyze),
            rate(t_cluster),
            rate(t_derive),
            rate(t_synth),
            rate(t_render),
            rate(total),
            peak_rss_mib()
        )?;
        tracing::info!(stories = report.stories.len(), bytes = json.len(), "bench size done");
    }
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
