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

criterion_group!(benches, stages);
criterion_main!(benches);
