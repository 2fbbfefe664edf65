//! Criterion benches of the hot stages on `examples/corpus` (checked into the repo), each
//! asserting a known count inside the loop so a broken stage cannot look fast.

use std::path::PathBuf;

use chorus_engine::pipeline::{self, Batch, PipelineConfig};
use chorus_engine::{analyze, ingest, repair};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn corpus() -> Vec<chorus_engine::record::Article> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    let ingested = ingest::read_inputs(&[dir]);
    assert!(ingested.errors.is_empty());
    ingested.articles
}

fn stages(c: &mut Criterion) {
    let articles = corpus();
    let n = articles.len();
    let bytes: usize = articles.iter().map(|a| a.raw.len()).sum();
    let mut g = c.benchmark_group("corpus");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("repair", |b| {
        b.iter(|| {
            let out: usize = articles.iter().map(|a| repair::repair(&a.raw).text.len()).sum();
            assert!(out > bytes / 2, "repair keeps the text");
        })
    });
    let repaired: Vec<_> = articles.iter().map(|a| repair::repair(&a.raw)).collect();
    g.bench_function("analyze", |b| {
        b.iter(|| {
            let sentences: usize = articles
                .iter()
                .zip(&repaired)
                .map(|(a, r)| analyze::analyze(a, r).sentences.len())
                .sum();
            assert!(sentences > n);
        })
    });
    let batch = Batch::build(articles.clone(), &PipelineConfig::default());
    g.bench_function("cluster+derive", |b| {
        b.iter(|| {
            let stories = pipeline::derive_stories(&batch, pipeline::cluster(&batch));
            assert_eq!(stories.iter().map(|s| s.story.articles.len()).sum::<usize>(), n);
        })
    });
    g.bench_function("report", |b| {
        b.iter(|| assert_eq!(pipeline::report(&batch).articles.len(), n))
    });
    g.finish();
}

/// `chorus annotate`'s work per batch: repair and analysis of every article (rayon over the
/// cores, as the CLI runs it) on the corpus replicated ×20 with fresh ids, so the per-article
/// rate is measured on a batch large enough to keep both cores busy. Throughput in articles.
fn annotate_throughput(c: &mut Criterion) {
    let base = corpus();
    let articles: Vec<_> = (0..20)
        .flat_map(|k| {
            base.iter().map(move |a| {
                let mut a = a.clone();
                a.id = format!("{}-r{k}", a.id);
                a
            })
        })
        .collect();
    let n = articles.len();
    let mut g = c.benchmark_group("annotate");
    g.throughput(Throughput::Elements(n as u64));
    g.sample_size(10);
    g.bench_function("batch_build", |b| {
        b.iter(|| {
            let batch = Batch::build(articles.clone(), &PipelineConfig::default());
            let quotes: usize = batch.analyzed.iter().map(|a| a.quotes.len()).sum();
            assert_eq!(batch.analyzed.len(), n);
            assert!(quotes > 0, "the corpus has quotes");
        })
    });
    g.finish();
}

criterion_group!(benches, stages, annotate_throughput);
criterion_main!(benches);
