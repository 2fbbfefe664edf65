use super::*;
use crate::analyze::signature::{combine, hash_str};
use crate::pipeline::{Batch, PipelineConfig};
use crate::record::Derivation;

fn run(texts: &[(&str, &str)]) -> Vec<Story> {
    let articles = texts.iter().map(|(id, t)| Article::new(*id, *t)).collect();
    let b = Batch::build(articles, &PipelineConfig::default());
    crate::pipeline::cluster(&b)
}

fn groups(stories: &[Story]) -> Vec<Vec<usize>> {
    stories.iter().map(|s| s.articles.clone()).collect()
}

const QUAKE_A1: &str = "A magnitude 6.1 earthquake struck near Port Ellery on Tuesday, \
    damaging the harbour and killing 14 people, officials in Port Ellery said. \
    Mayor Alma Reyes asked residents of Port Ellery to stay out of damaged buildings.";
const QUAKE_A2: &str = "Rescue teams searched collapsed buildings in Port Ellery after Tuesday's \
    magnitude 6.1 earthquake. The death toll rose to 14, said Mayor Alma Reyes, and the \
    harbour of Port Ellery remains closed.";
const QUAKE_B1: &str = "A magnitude 5.4 earthquake hit the mountain town of Vell Andora on \
    Sunday, injuring 3 people. Governor Tomas Okafor said damage in Vell Andora was light \
    and schools would reopen.";
const QUAKE_B2: &str = "Schools in Vell Andora reopened after Sunday's magnitude 5.4 earthquake, \
    Governor Tomas Okafor said, adding that the 3 injured residents of Vell Andora had left \
    hospital.";
const BAKERY: &str = "A new bakery opened downtown selling sourdough bread and pastries; the \
    owner, Lena Marsh, trained in Lyon for six years.";

#[test]
fn same_kind_different_events_split() {
    type Case<'a> = (&'a [(&'a str, &'a str)], Vec<Vec<usize>>);
    let cases: &[Case] = &[
        (&[("a1", QUAKE_A1), ("a2", QUAKE_A2)], vec![vec![0, 1]]),
        (
            &[("a1", QUAKE_A1), ("b1", QUAKE_B1), ("a2", QUAKE_A2), ("b2", QUAKE_B2)],
            vec![vec![0, 2], vec![1, 3]],
        ),
        (&[("a1", QUAKE_A1), ("k", BAKERY), ("b1", QUAKE_B1)], vec![vec![0], vec![1], vec![2]]),
    ];
    for (texts, want) in cases {
        assert_eq!(
            &groups(&run(texts)),
            want,
            "{:?}",
            texts.iter().map(|t| t.0).collect::<Vec<_>>()
        );
    }
}

#[test]
fn ids_are_stable_and_why_is_given() {
    let s = run(&[("AP/quake 1", QUAKE_A1), ("x", BAKERY), ("AP/quake 1", QUAKE_A2)]);
    assert_eq!(s[0].id, "s-AP-quake-1");
    assert_eq!(s[0].why[0].score, 0.0);
    assert!(s[0].why[1].score > 0.0);
    assert!(s[0].why[1].shared.iter().any(|t| t == "elleri" || t == "port"), "{:?}", s[0].why[1]);
    assert_eq!(story_id("a b/ü"), "s-a-b--");
}

#[test]
fn far_apart_dates_split() {
    let mut a = Article::new("a", QUAKE_A1);
    let mut b = Article::new("b", QUAKE_A2);
    a.date = chrono::NaiveDate::from_ymd_opt(2024, 1, 1);
    b.date = chrono::NaiveDate::from_ymd_opt(2024, 1, 3);
    let bt = Batch::build(vec![a.clone(), b.clone()], &PipelineConfig::default());
    assert_eq!(crate::pipeline::cluster(&bt).len(), 1);
    b.date = chrono::NaiveDate::from_ymd_opt(2025, 1, 3);
    let bt = Batch::build(vec![a, b], &PipelineConfig::default());
    assert_eq!(crate::pipeline::cluster(&bt).len(), 2);
}

#[test]
fn synthetic_stream_clusters_well() {
    let data = synthetic::synthetic_labelled(800, 3);
    let gold: Vec<String> = data.iter().map(|(_, s)| s.to_string()).collect();
    let b = Batch::build(data.into_iter().map(|(a, _)| a).collect(), &PipelineConfig::default());
    let s = crate::eval::cluster::score(&gold, &crate::pipeline::cluster(&b));
    assert!(s.b3_f1 > 0.9, "{s}");
}

/// A streamed run (small chunks, compact records, features and derive preparation made
/// ahead in parallel) finds the same stories, the same derivations (scores and evidence
/// included) and the same origin groups as the whole-batch pipeline, which vectorizes and
/// prepares each article where it is used.
fn assert_stream_matches_batch(articles: &[Article], chunks: &[usize]) {
    let b = Batch::build(articles.to_vec(), &PipelineConfig::default());
    let whole = crate::pipeline::derive_stories(&b, crate::pipeline::cluster(&b));
    assert!(whole.iter().any(|d| !d.derivations.is_empty()), "the stream has derivations");
    for &chunk in chunks {
        let s =
            crate::pipeline::stream_derive(articles.to_vec(), &PipelineConfig::default(), chunk);
        assert_eq!(s.records.len(), articles.len());
        let got: Vec<_> = s.stories.iter().map(|d| (&d.story, &d.origin_groups)).collect();
        let want: Vec<_> = whole.iter().map(|d| (&d.story, &d.origin_groups)).collect();
        assert_eq!(got, want, "chunk {chunk}");
        let edges = |x: &[crate::pipeline::DerivedStory]| -> Vec<Derivation> {
            x.iter().flat_map(|d| d.derivations.iter().cloned()).collect()
        };
        assert_eq!(edges(&s.stories), edges(&whole), "chunk {chunk}");
    }
}

#[test]
fn streaming_matches_the_batch_pipeline() {
    let data = synthetic::synthetic_labelled(240, 5);
    let articles: Vec<Article> = data.iter().map(|(a, _)| a.clone()).collect();
    assert_eq!(synthetic::synthetic_stream(240, 5).len(), 240);
    assert_eq!(articles[17].raw, synthetic::Synthetic::new(240, 5).nth(17).unwrap().0.raw);
    assert_stream_matches_batch(&articles, &[1, 50, 1000]);
}

#[test]
fn streaming_matches_the_batch_pipeline_on_the_example_corpus() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/corpus/articles.jsonl");
    let read = crate::ingest::read_inputs(&[path]);
    assert!(read.errors.is_empty() && read.articles.len() > 5, "{:?}", read.errors);
    assert_stream_matches_batch(&read.articles, &[1, 7, 1000]);
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// Throughput of cluster + derive on the synthetic stream, streamed in chunks of 2,000
/// (run with `--release --ignored`; sizes from `SIZES`, default 10000,100000). Peak RSS is
/// the process high-water mark, so run one size per process to read it per size.
#[test]
#[ignore]
fn throughput_synthetic() {
    let sizes = std::env::var("SIZES").unwrap_or_else(|_| "10000,100000".into());
    for n in sizes.split(',').filter_map(|x| x.trim().parse::<usize>().ok()) {
        let mut gold = Vec::with_capacity(n);
        let stream = synthetic::Synthetic::new(n, 11).map(|(a, s)| {
            gold.push(s.to_string());
            a
        });
        let r = crate::pipeline::stream_derive(stream, &PipelineConfig::default(), 2000);
        let stories: Vec<Story> = r.stories.iter().map(|d| d.story.clone()).collect();
        let scores = crate::eval::cluster::score(&gold, &stories);
        let edges: usize = r.stories.iter().map(|d| d.derivations.len()).sum();
        let groups: usize = r.stories.iter().map(|d| d.origin_groups.len()).sum();
        let kept: usize = r.records.iter().map(|x| x.heap_bytes()).sum();
        // One number for "same result": story ids and members, edges and their scores,
        // origin groups (compare it across changes that must not change the output).
        let digest = r.stories.iter().fold(0u64, |mut h, d| {
            h = combine(h, hash_str(&d.story.id));
            let edges = d.derivations.iter().flat_map(|e| {
                [e.article as u64, e.from as u64, u64::from(e.score.to_bits()), e.kind as u64]
            });
            let groups =
                d.origin_groups.iter().flat_map(|g| g.iter().map(|&a| a as u64 + 1).chain([0]));
            let members = d.story.articles.iter().map(|&a| a as u64);
            members.chain(edges).chain(groups).fold(h, combine)
        });
        let (tc, td) = (r.cluster_secs, r.derive_secs);
        eprintln!(
            "n={n}: analyze {:.2}s; cluster {tc:.2}s ({:.0}/s), derive {td:.2}s ({:.0}/s), \
             cluster+derive {:.0} articles/s ({:.1} µs/article); stories {} B3 F1 {:.3}; \
             edges {edges} origin groups {groups} digest {digest:016x}; records {:.0} MB; peak RSS {:.0} MB; \
             CPU s: analyze {:.2} cluster {:.2} (sequential {:.2}) derive {:.2} \
             ({:.1} µs/article cluster+derive)",
            r.analyze_secs,
            n as f64 / tc,
            n as f64 / td,
            n as f64 / (tc + td),
            (tc + td) * 1e6 / n as f64,
            r.stories.len(),
            scores.b3_f1,
            kept as f64 / 1e6,
            peak_rss_mb(),
            r.analyze_cpu,
            r.cluster_cpu,
            r.sequential_cpu,
            r.derive_cpu,
            (r.cluster_cpu + r.derive_cpu) * 1e6 / n as f64,
        );
    }
}

#[test]
fn seeds_are_one_story() {
    let dir = std::path::Path::new("/work/shared/seeds");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    files.sort();
    let articles: Vec<Article> = files
        .iter()
        .filter_map(|p| {
            Some(Article::new(p.file_stem()?.to_string_lossy(), std::fs::read_to_string(p).ok()?))
        })
        .collect();
    let b = Batch::build(articles, &PipelineConfig::default());
    let stories = crate::pipeline::cluster(&b);
    for s in &stories {
        eprintln!("{} {:?} {:?}", s.id, s.articles, s.why);
    }
    assert_eq!(stories.len(), 1);
}

#[test]
fn merging_keeps_earliest_id_and_arrival_order() {
    // With a high join threshold every article opens a story; the merge pass then joins
    // the two quake reports under the first one's id, members in arrival order.
    let cfg = ClusterConfig {
        threshold: 0.99,
        merge_small: 5,
        merge_threshold: 0.1,
        ..ClusterConfig::default()
    };
    let texts = [("a1", QUAKE_A1), ("k", BAKERY), ("a2", QUAKE_A2)];
    let b = Batch::build(
        texts.iter().map(|(i, t)| Article::new(*i, *t)).collect(),
        &PipelineConfig::default(),
    );
    let mut c = Clusterer::with_config(cfg.clone());
    for i in [2usize, 1, 0] {
        c.assign(i, &b.articles[i], &b.analyzed[i]);
    }
    let s = c.finish();
    let got: Vec<(&str, Vec<usize>)> =
        s.iter().map(|s| (s.id.as_str(), s.articles.clone())).collect();
    assert_eq!(got, [("s-a2", vec![2, 0]), ("s-k", vec![1])]);
    assert!(s[0].why[1].score > 0.1);
    let off = ClusterConfig { merge_small: 0, ..cfg };
    let mut c = Clusterer::with_config(off);
    for i in 0..3 {
        c.assign(i, &b.articles[i], &b.analyzed[i]);
    }
    assert_eq!(c.finish().len(), 3);
}

/// An independent report in its own words joins the story whose names it shares when it is
/// dated within the story's days, and not two months later (names alone may be another event).
#[test]
fn shared_names_join_only_within_days() {
    let wire = "The ferry Orla Grey capsized off Kessaly Point near Port Ellery, the Varnes \
        Maritime Safety Authority said. Commissioner Ilse Marrow said divers from Port Ellery \
        searched the Orla Grey overnight. The Orla Grey carried 212 passengers.";
    let local = "At St Brannoc hospital on Quay Lane, nurses treated survivors of the Orla Grey \
        through the night. Volunteers from Port Ellery brought blankets to the community hall, \
        and Ilse Marrow visited the wards at dawn. Families waited by the Orla Grey notice board.";
    let filler = "A new bakery opened downtown selling sourdough bread and pastries; the \
        owner, Lena Marsh, trained in Lyon for six years.";
    let build = |gap_days: u64| {
        let mut articles: Vec<Article> = [("w", wire), ("k", filler), ("l", local)]
            .iter()
            .map(|(id, t)| Article::new(*id, *t))
            .collect();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 4);
        for a in &mut articles {
            a.date = day;
        }
        articles[2].date = day.and_then(|d| d.checked_add_days(chrono::Days::new(gap_days)));
        let b = Batch::build(articles, &PipelineConfig::default());
        groups(&crate::pipeline::cluster(&b))
    };
    assert_eq!(build(1), vec![vec![0, 2], vec![1]]);
    assert_eq!(build(60), vec![vec![0], vec![1], vec![2]]);
}

/// Two events forced into one story (join threshold near 0) are split when the stream
/// ends: the half with the first article keeps the id, the other is named after its first
/// article; with splitting off they stay together.
#[test]
fn two_events_in_one_story_split() {
    let texts = [("a1", QUAKE_A1), ("a2", QUAKE_A2), ("b1", QUAKE_B1), ("b2", QUAKE_B2)];
    let b = Batch::build(
        texts.iter().map(|(i, t)| Article::new(*i, *t)).collect(),
        &PipelineConfig::default(),
    );
    type Case = (usize, Vec<(&'static str, Vec<usize>)>);
    let cases: Vec<Case> = vec![
        (2, vec![("s-a1", vec![0, 1]), ("s-b1", vec![2, 3])]),
        (0, vec![("s-a1", vec![0, 1, 2, 3])]),
    ];
    for (split_min, want) in cases {
        let cfg = ClusterConfig {
            threshold: 0.0001,
            key_weight: 0.0,
            merge_small: 0,
            split_min,
            ..ClusterConfig::default()
        };
        let mut c = Clusterer::with_config(cfg);
        for i in 0..texts.len() {
            c.assign(i, &b.articles[i], &b.analyzed[i]);
        }
        let s = c.finish();
        let got: Vec<(&str, Vec<usize>)> =
            s.iter().map(|s| (s.id.as_str(), s.articles.clone())).collect();
        assert_eq!(got, want, "split_min {split_min}");
        assert!(s.iter().all(|s| s.why.len() == s.articles.len()));
        assert_eq!(s[0].why[0].score, 0.0);
    }
}
