//! Criterion benches of the hot stages on `examples/corpus` (checked into the repo), each
//! asserting a known count inside the loop so a broken stage cannot look fast; plus repair on
//! clean and on damaged text, and HTML extraction, on the extraction fixtures
//! (`tests/fixtures/extract`: 33 pages and their hand-checked texts); and reading a gzipped
//! WARC of those pages against inflating it alone.

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

/// The extraction fixtures: (page bytes, hand-checked text), in file-name order.
fn fixtures() -> Vec<(Vec<u8>, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extract");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    pages.sort();
    pages
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(p.with_extension("txt")).expect("gold text");
            (std::fs::read(&p).expect("page"), text)
        })
        .collect()
}

/// Clean texts (the hand-checked article texts, several languages), and the same texts
/// damaged the usual way: UTF-8 read as windows-1252, plus page furniture lines.
fn texts() -> (Vec<String>, Vec<String>) {
    let clean: Vec<String> = fixtures().into_iter().map(|(_, t)| t).collect();
    let damaged = clean
        .iter()
        .map(|t| {
            let (moji, _, _) = encoding_rs::WINDOWS_1252.decode(t.as_bytes());
            format!("Advertisement\n{moji}\nREAD ALSO: Another story\n")
        })
        .collect();
    (clean, damaged)
}

fn repair_and_extract(c: &mut Criterion) {
    let (clean, damaged) = texts();
    let mut g = c.benchmark_group("repair");
    for (label, set) in [("clean", &clean), ("damaged", &damaged)] {
        let bytes: usize = set.iter().map(String::len).sum();
        let want_repairs = label == "damaged";
        g.throughput(Throughput::Bytes(bytes as u64));
        g.bench_function(label, |b| {
            b.iter(|| {
                let repaired: Vec<_> = set.iter().map(|t| repair::repair(t)).collect();
                let with_repairs = repaired.iter().filter(|r| !r.repairs.is_empty()).count();
                // Every damaged text is repaired; the clean ones only get unicode touches.
                assert!(!want_repairs || with_repairs == set.len());
            })
        });
    }
    g.finish();
    let pages = fixtures();
    let n = pages.len();
    let mut g = c.benchmark_group("extract");
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("pages", |b| {
        b.iter(|| {
            let with_text = pages
                .iter()
                .filter(|(p, _)| {
                    ingest::html::extract_bytes(p, None).is_ok_and(|page| !page.text.is_empty())
                })
                .count();
            assert_eq!(with_text, n);
        })
    });
    g.finish();
}

/// A `.warc.gz` as crawlers write it: one gzip member per record, a `request`-less stream of
/// `response` records whose HTTP payloads are the extraction fixtures' pages (repeated to
/// `records` records), each after a `warcinfo`-like `metadata` record.
fn warc_gz(records: usize) -> Vec<u8> {
    use std::io::Write;
    let pages = fixtures();
    let mut out = Vec::new();
    for i in 0..records {
        let (page, _) = &pages[i % pages.len()];
        let mut http = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
            page.len()
        )
        .into_bytes();
        http.extend_from_slice(page);
        for (typ, ctype, block) in [
            ("metadata", "application/warc-fields", b"via: bench\r\n".to_vec()),
            ("response", "application/http; msgtype=response", http),
        ] {
            let mut rec = format!(
                "WARC/1.1\r\nWARC-Type: {typ}\r\nWARC-Target-URI: https://example.org/{i}\r\nWARC-Date: 2031-02-03T04:05:06Z\r\nWARC-Record-ID: <urn:uuid:{typ}-{i}>\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
                block.len()
            )
            .into_bytes();
            rec.extend_from_slice(&block);
            rec.extend_from_slice(b"\r\n\r\n");
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(&rec).expect("write to a Vec");
            out.extend(gz.finish().expect("gzip to a Vec"));
        }
    }
    out
}

/// Reading a gzipped WARC: inflating alone (the floor), inflating and parsing every record
/// (`warc::scan`), and the whole reader with HTML extraction (`warc::read`). Throughput in
/// compressed bytes; the share of `records` above `inflate` is the WARC parser's own cost.
fn warc_reading(c: &mut Criterion) {
    use std::io::Read;
    let n = 330;
    let data = warc_gz(n);
    let mut g = c.benchmark_group("warc");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.sample_size(20);
    g.bench_function("inflate", |b| {
        b.iter(|| {
            let mut members = ingest::gzip::Members::new(ingest::gzip::Peek::new(&data[..]));
            let mut buf = vec![0u8; 64 * 1024];
            let mut total = 0usize;
            loop {
                match members.read(&mut buf) {
                    Ok(0) => break,
                    Ok(k) => total += k,
                    Err(e) => panic!("inflate: {e}"),
                }
            }
            assert!(total > data.len());
        })
    });
    g.bench_function("records", |b| {
        b.iter(|| {
            let counts = ingest::warc::scan(&data[..]);
            assert_eq!((counts.records, counts.broken), (2 * n, 0));
        })
    });
    g.bench_function("read", |b| {
        b.iter(|| {
            let mut out = ingest::Ingested::default();
            ingest::warc::read("bench.warc.gz", &data[..], &mut out);
            assert_eq!(out.articles.len(), n);
        })
    });
    g.finish();
}

/// The same-fact test's per-pair work on the corpus sentences (crudely cut at ". "): each
/// sentence against its next 40, as the facts stage compares a story's sentences.
/// `statement` prepares them, `pair_features` and `score` compare them. Throughput in pairs.
fn compare_pairs(c: &mut Criterion) {
    use chorus_engine::synthesize::compare::{features::pair_features, Statement};
    let texts: Vec<String> = corpus()
        .iter()
        .flat_map(|a| a.raw.split(". ").map(str::to_string).collect::<Vec<_>>())
        .filter(|s| s.split(' ').count() >= 6)
        .take(600)
        .collect();
    let stmts: Vec<Statement> = texts.iter().map(|t| Statement::new(t)).collect();
    let pairs: Vec<(usize, usize)> = (0..stmts.len())
        .flat_map(|i| (i + 1..(i + 41).min(stmts.len())).map(move |j| (i, j)))
        .collect();
    let mut g = c.benchmark_group("compare");
    g.sample_size(20);
    g.throughput(Throughput::Elements(texts.len() as u64));
    g.bench_function("statement", |b| {
        b.iter(|| {
            let words: usize = texts.iter().map(|t| Statement::new(t).words.len()).sum();
            assert!(words > 6 * texts.len());
        })
    });
    g.throughput(Throughput::Elements(pairs.len() as u64));
    g.bench_function("pair_features", |b| {
        b.iter(|| {
            let sum: f32 =
                pairs.iter().map(|&(i, j)| pair_features(&stmts[i], &stmts[j], false)[13]).sum();
            assert!(sum > 0.0 && sum < pairs.len() as f32);
        })
    });
    g.bench_function("score", |b| {
        b.iter(|| {
            let sum: f32 = pairs.iter().map(|&(i, j)| stmts[i].score(&stmts[j])).sum();
            assert!(sum > 0.0 && sum < pairs.len() as f32);
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    stages,
    annotate_throughput,
    repair_and_extract,
    warc_reading,
    compare_pairs
);
criterion_main!(benches);
