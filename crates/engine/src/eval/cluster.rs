//! Evaluation of story clustering against gold story labels (JSONL with `id`, `text`,
//! `story`, optionally `published`/`title`): runs the real per-article stages and the online
//! clusterer, then scores BCubed, pairwise P/R/F1 and the adjusted Rand index. Because the
//! clusterer is online, [`evaluate_shuffled`] also measures robustness to arrival order.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::Path;

use crate::analyze::signature::mix;
use crate::cluster::ClusterConfig;
use crate::ingest::parse_date;
use crate::pipeline::{self, Batch};
use crate::record::{Article, Story};

/// Clustering scores.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ClusterScores {
    /// Number of articles.
    pub articles: usize,
    /// Number of gold stories.
    pub gold: usize,
    /// Number of predicted stories.
    pub predicted: usize,
    /// BCubed precision.
    pub b3_precision: f64,
    /// BCubed recall.
    pub b3_recall: f64,
    /// BCubed F1.
    pub b3_f1: f64,
    /// Pairwise precision.
    pub pair_precision: f64,
    /// Pairwise recall.
    pub pair_recall: f64,
    /// Pairwise F1.
    pub pair_f1: f64,
    /// Adjusted Rand index.
    pub ari: f64,
}

impl fmt::Display for ClusterScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "articles {}  gold stories {}  predicted {}",
            self.articles, self.gold, self.predicted
        )?;
        writeln!(
            f,
            "BCubed    P {:.3}  R {:.3}  F1 {:.3}",
            self.b3_precision, self.b3_recall, self.b3_f1
        )?;
        writeln!(
            f,
            "pairwise  P {:.3}  R {:.3}  F1 {:.3}",
            self.pair_precision, self.pair_recall, self.pair_f1
        )?;
        write!(f, "ARI {:.3}", self.ari)
    }
}

#[derive(serde::Deserialize)]
struct Row {
    id: serde_json::Value,
    text: String,
    story: String,
    published: Option<String>,
    title: Option<String>,
}

/// Reads a labelled JSONL file into articles and their gold story labels.
pub fn read(path: &Path) -> io::Result<(Vec<Article>, Vec<String>)> {
    let text = std::fs::read_to_string(path)?;
    let mut articles = Vec::new();
    let mut gold = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let row: Row = serde_json::from_str(line).map_err(|e| {
            io::Error::new(io::ErrorKind::InvalidData, format!("line {}: {e}", n + 1))
        })?;
        let id = match row.id {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        let mut a = Article::new(id, row.text);
        a.date = row.published.as_deref().and_then(parse_date);
        a.published = row.published;
        a.title = row.title;
        articles.push(a);
        gold.push(row.story);
    }
    Ok((articles, gold))
}

/// Clusters the file in its order and scores the result.
pub fn evaluate(path: &Path) -> io::Result<ClusterScores> {
    let (articles, gold) = read(path)?;
    let batch = Batch::build(articles, &Default::default());
    Ok(score(&gold, &pipeline::cluster(&batch)))
}

/// Clusters the file once per seed in a shuffled order (analysis is done once); returns
/// the scores of each run.
pub fn evaluate_shuffled(path: &Path, seeds: &[u64]) -> io::Result<Vec<ClusterScores>> {
    let (articles, gold) = read(path)?;
    let batch = Batch::build(articles, &Default::default());
    Ok(seeds
        .iter()
        .map(|&s| score(&gold, &cluster_in_order(&batch, &shuffled(batch.len(), s))))
        .collect())
}

/// Clusters `batch` feeding articles in `order` (indices stay batch indices).
pub fn cluster_in_order(batch: &Batch, order: &[usize]) -> Vec<Story> {
    cluster_with(batch, order, &ClusterConfig::default())
}

/// Clusters `batch` feeding articles in `order` with the given settings.
pub fn cluster_with(batch: &Batch, order: &[usize], config: &ClusterConfig) -> Vec<Story> {
    let mut c = crate::cluster::Clusterer::with_config(config.clone());
    if std::env::var("WARM").is_ok() {
        for &i in order {
            c.observe(&batch.articles[i], &batch.analyzed[i]);
        }
    }
    for &i in order {
        c.assign(i, &batch.articles[i], &batch.analyzed[i]);
    }
    c.finish()
}

/// A deterministic permutation of `0..n` (Fisher–Yates over splitmix64).
pub fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).collect();
    let mut state = seed;
    for i in (1..n).rev() {
        state = mix(state);
        v.swap(i, (state % (i as u64 + 1)) as usize);
    }
    v
}

/// Scores predicted stories against gold labels (`gold[i]` for article `i`).
pub fn score(gold: &[String], stories: &[Story]) -> ClusterScores {
    let mut pred = vec![usize::MAX; gold.len()];
    for (s, story) in stories.iter().enumerate() {
        for &a in &story.articles {
            if let Some(p) = pred.get_mut(a) {
                *p = s;
            }
        }
    }
    // Unassigned articles count as singletons.
    for (k, p) in pred.iter_mut().filter(|p| **p == usize::MAX).enumerate() {
        *p = stories.len() + k;
    }
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let g: Vec<usize> = gold
        .iter()
        .map(|s| {
            let n = ids.len();
            *ids.entry(s.as_str()).or_insert(n)
        })
        .collect();
    score_labels(&g, &pred)
}

fn pairs(n: u64) -> f64 {
    (n * n.saturating_sub(1) / 2) as f64
}

/// Scores two labelings of the same items.
pub fn score_labels(gold: &[usize], pred: &[usize]) -> ClusterScores {
    let n = gold.len().min(pred.len());
    let mut joint: HashMap<(usize, usize), u64> = HashMap::new();
    let mut gs: HashMap<usize, u64> = HashMap::new();
    let mut ps: HashMap<usize, u64> = HashMap::new();
    for i in 0..n {
        *joint.entry((gold[i], pred[i])).or_default() += 1;
        *gs.entry(gold[i]).or_default() += 1;
        *ps.entry(pred[i]).or_default() += 1;
    }
    let (mut bp, mut br) = (0.0, 0.0);
    for (&(g, p), &c) in &joint {
        bp += (c * c) as f64 / ps[&p] as f64;
        br += (c * c) as f64 / gs[&g] as f64;
    }
    let nf = n.max(1) as f64;
    let (bp, br) = (bp / nf, br / nf);
    let same: f64 = joint.values().map(|&c| pairs(c)).sum();
    let gp: f64 = gs.values().map(|&c| pairs(c)).sum();
    let pp: f64 = ps.values().map(|&c| pairs(c)).sum();
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 1.0 };
    let (pr, rc) = (ratio(same, pp), ratio(same, gp));
    let expected = ratio(gp * pp, pairs(n as u64));
    let max = (gp + pp) / 2.0;
    let ari =
        if (max - expected).abs() < 1e-12 { 1.0 } else { (same - expected) / (max - expected) };
    ClusterScores {
        articles: n,
        gold: gs.len(),
        predicted: ps.len(),
        b3_precision: bp,
        b3_recall: br,
        b3_f1: f1(bp, br),
        pair_precision: pr,
        pair_recall: rc,
        pair_f1: f1(pr, rc),
        ari,
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_on_small_labelings() {
        // (gold, predicted, b3 P, b3 R, pair F1, ARI)
        type Case<'a> = (&'a [usize], &'a [usize], f64, f64, f64, f64);
        let cases: &[Case] = &[
            (&[0, 0, 1, 1], &[5, 5, 7, 7], 1.0, 1.0, 1.0, 1.0),
            (&[0, 0, 1, 1], &[0, 0, 0, 0], 0.5, 1.0, 0.5, 0.0),
            (&[0, 0, 1, 1], &[0, 1, 2, 3], 1.0, 0.5, 0.0, 0.0),
            (&[0, 0, 0, 1], &[0, 0, 1, 1], 0.75, 2.0 / 3.0, 0.4, 0.0),
        ];
        for (g, p, bp, br, pf, ari) in cases {
            let s = score_labels(g, p);
            assert!((s.b3_precision - bp).abs() < 1e-9, "{g:?} {p:?} {s:?}");
            assert!((s.b3_recall - br).abs() < 1e-9, "{g:?} {p:?} {s:?}");
            assert!((s.pair_f1 - pf).abs() < 1e-9, "{g:?} {p:?} {s:?}");
            assert!((s.ari - ari).abs() < 1e-9, "{g:?} {p:?} {s:?}");
        }
    }

    #[test]
    fn shuffles_are_permutations() {
        let mut s = shuffled(50, 7);
        assert_ne!(s, (0..50).collect::<Vec<_>>());
        s.sort();
        assert_eq!(s, (0..50).collect::<Vec<_>>());
    }

    #[test]
    #[ignore]
    fn ecbplus_dev() {
        let path = Path::new("/work/shared/data/ecbplus-dev.jsonl");
        if !path.exists() {
            return;
        }
        let Ok(s) = evaluate(path) else { return };
        eprintln!("file order:\n{s}");
        let runs = evaluate_shuffled(path, &[1, 2, 3, 4, 5]).unwrap_or_default();
        for r in &runs {
            eprintln!(
                "shuffled: B3 F1 {:.3} P {:.3} R {:.3} ARI {:.3} stories {}",
                r.b3_f1, r.b3_precision, r.b3_recall, r.ari, r.predicted
            );
        }
        let mean = runs.iter().map(|r| r.b3_f1).sum::<f64>() / runs.len().max(1) as f64;
        eprintln!("mean shuffled B3 F1 {mean:.3}");
    }

    /// Sweeps settings on ECB+ dev: mean BCubed F1 over 5 shuffles, on all articles and on
    /// odd/even topics separately (tune on one half, check on the other).
    #[test]
    #[ignore]
    fn ecbplus_sweep() {
        let path = Path::new("/work/shared/data/ecbplus-dev.jsonl");
        let Ok((articles, gold)) = read(path) else {
            return;
        };
        let batch = Batch::build(articles, &Default::default());
        let topic = |g: &str| {
            g.chars()
                .take_while(|c| c.is_ascii_digit())
                .collect::<String>()
                .parse::<u32>()
                .unwrap_or(0)
        };
        let halves: Vec<Vec<usize>> = (0..2)
            .map(|h| (0..batch.len()).filter(|&i| topic(&gold[i]) % 2 == h).collect())
            .collect();
        let grid = std::env::var("SWEEP").unwrap_or_default();
        let base = ClusterConfig::default();
        let mut configs = vec![("default".to_string(), base.clone())];
        for ev in [8.0f32, 10.0, 12.0, 15.0, 18.0, 22.0, 30.0, f32::INFINITY] {
            if grid.is_empty() {
                continue;
            }
            configs.push((
                format!("evidence {ev}"),
                ClusterConfig { split_evidence: ev, ..base.clone() },
            ));
        }
        for (name, cfg) in &configs {
            let all: Vec<usize> = (0..batch.len()).collect();
            let file = score(&gold, &cluster_with(&batch, &all, cfg)).b3_f1;
            let mut line = format!("{name:>16}: file {file:.3}");
            for half in &halves {
                line.push_str(&format!(" {:.3}", subset_score(&batch, &gold, half, half, cfg)));
            }
            line.push_str(" (all/even/odd); shuffled all/even/odd");
            for subset in
                [(0..batch.len()).collect::<Vec<_>>(), halves[0].clone(), halves[1].clone()]
            {
                let mut f = 0.0;
                for seed in 1..=5u64 {
                    let order: Vec<usize> =
                        shuffled(subset.len(), seed).into_iter().map(|k| subset[k]).collect();
                    f += subset_score(&batch, &gold, &subset, &order, cfg);
                }
                line.push_str(&format!(" {:.3}", f / 5.0));
            }
            eprintln!("{line}");
        }
    }

    /// BCubed F1 of clustering the articles `subset` of `batch`, fed in `order`.
    fn subset_score(
        batch: &Batch,
        gold: &[String],
        subset: &[usize],
        order: &[usize],
        cfg: &ClusterConfig,
    ) -> f64 {
        let stories = cluster_with(batch, order, cfg);
        let g: Vec<String> = subset.iter().map(|&i| gold[i].clone()).collect();
        let pos: HashMap<usize, usize> = subset.iter().enumerate().map(|(k, &i)| (i, k)).collect();
        let remapped: Vec<Story> = stories
            .into_iter()
            .map(|mut s| {
                s.articles = s.articles.iter().filter_map(|a| pos.get(a).copied()).collect();
                s
            })
            .collect();
        score(&g, &remapped).b3_f1
    }

    #[test]
    #[ignore]
    fn ecbplus_dump() {
        let path = Path::new("/work/shared/data/ecbplus-dev.jsonl");
        let Ok((articles, gold)) = read(path) else {
            return;
        };
        let batch = Batch::build(articles, &Default::default());
        let order = match std::env::var("SEED").ok().and_then(|s| s.parse::<u64>().ok()) {
            Some(seed) => shuffled(batch.len(), seed),
            None => (0..batch.len()).collect(),
        };
        let stories = cluster_in_order(&batch, &order);
        for s in &stories {
            let mut c: HashMap<&str, usize> = HashMap::new();
            for &a in &s.articles {
                *c.entry(gold[a].as_str()).or_default() += 1;
            }
            let mut c: Vec<_> = c.into_iter().collect();
            c.sort();
            eprintln!("{} {} {:?}", s.id, s.articles.len(), c);
            if std::env::var("WHY").is_ok() {
                for (a, w) in s.articles.iter().zip(&s.why) {
                    eprintln!(
                        "    {} {} {:.3} {:?}",
                        batch.articles[*a].id, gold[*a], w.score, w.shared
                    );
                }
            }
        }
    }
}
