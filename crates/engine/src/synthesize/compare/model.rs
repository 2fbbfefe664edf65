//! The learner of the same-fact test: gradient-boosted oblivious decision trees (every
//! node of a level splits on the same feature/threshold, so a tree is DEPTH comparisons and
//! a table lookup) fitted on the log loss with Newton leaf values. Deterministic: features
//! are binned at training-set quantiles and ties are broken by feature/bin order, so
//! [`train_weights`] on MSRP train reproduces the shipped `data/compare/model.txt` exactly.
//! Hand-written because a boosting crate would be a heavy dependency for ~300 tiny trees.

use std::path::Path;
use std::sync::LazyLock;

use super::embedding::Embed;
use super::features::{NEG_MISMATCH, N_FEATURES};
use super::{Statement, NEGATION_CAP};

/// Depth of each tree (number of splits on a root-to-leaf path).
pub const DEPTH: usize = 4;
const LEAVES: usize = 1 << DEPTH;
/// Training settings of [`fit_with`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Number of boosting rounds.
    pub trees: usize,
    /// Shrinkage of each tree's leaf values.
    pub rate: f64,
    /// L2 penalty on leaf values (in hessian units).
    pub lambda: f64,
}

/// The settings of the shipped model.
pub const PARAMS: Params = Params { trees: 150, rate: 0.06, lambda: 5.0 };
/// Number of quantile bins per feature.
const N_BINS: usize = 32;

/// One oblivious tree: a (feature, threshold) per level and 2^DEPTH leaf values.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    /// Feature index tested at each level.
    pub feature: [u8; DEPTH],
    /// Threshold at each level: `x >= threshold` goes right (bit 1).
    pub threshold: [f32; DEPTH],
    /// Leaf values (added to the log-odds), indexed by the path bits, first level highest.
    pub leaves: [f32; LEAVES],
}

impl Tree {
    /// The leaf value for the features `f`, padded to every `u8` index (see [`padded`]).
    fn value(&self, f: &Padded) -> f32 {
        let mut idx = 0;
        for (feat, thr) in self.feature.iter().zip(&self.threshold) {
            idx = idx * 2 + usize::from(f[usize::from(*feat)] >= *thr);
        }
        self.leaves[idx]
    }
}

/// A feature vector with a slot for every `u8` feature index a tree can name.
type Padded = [f32; 256];

/// `f` padded with 0 for the indices past [`N_FEATURES`] (what a tree reads for a feature
/// that does not exist), so that no tree test needs a bounds check.
fn padded(f: &[f32; N_FEATURES]) -> Padded {
    let mut p = [0.0; 256];
    p[..N_FEATURES].copy_from_slice(f);
    p
}

/// A boosted model over the pair features, and the decision threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// The trees, summed.
    pub trees: Vec<Tree>,
    /// Initial log-odds.
    pub bias: f32,
    /// Probability above which two statements are the same fact.
    pub threshold: f32,
}

/// The shipped model, trained on MSRP train (all 4,076 pairs) with [`train_weights`].
/// Regenerate with `chorus train compare` (built without the `embeddings` feature, or with
/// `--no-embeddings`) after changing the features.
pub static WEIGHTS: LazyLock<Weights> =
    LazyLock::new(|| Weights::parse(include_str!("../../../data/compare/model.txt")));

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// The model's probability for a feature vector; a negation mismatch caps it at
/// [`NEGATION_CAP`].
pub fn predict(w: &Weights, f: &[f32; N_FEATURES]) -> f32 {
    let f_all = padded(f);
    let z = w.bias + w.trees.iter().map(|t| t.value(&f_all)).sum::<f32>();
    let p = sigmoid(z);
    if f[NEG_MISMATCH] > 0.5 {
        p.min(NEGATION_CAP)
    } else {
        p
    }
}

impl Weights {
    /// Reads the text form written by [`Weights::to_text`]; malformed lines are skipped.
    pub fn parse(text: &str) -> Weights {
        let mut w = Weights { trees: Vec::new(), bias: 0.0, threshold: 0.5 };
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let mut it = line.split_whitespace();
            if line.starts_with("bias") {
                let v: Vec<f32> = it.filter_map(|x| x.parse().ok()).collect();
                if let [b, t] = v[..] {
                    (w.bias, w.threshold) = (b, t);
                }
                continue;
            }
            let mut tree =
                Tree { feature: [0; DEPTH], threshold: [0.0; DEPTH], leaves: [0.0; LEAVES] };
            let splits = it.by_ref().take(DEPTH).filter_map(|s| {
                let (f, t) = s.split_once(':')?;
                Some((f.parse::<u8>().ok()?, t.parse::<f32>().ok()?))
            });
            let mut n = 0;
            for (d, (f, t)) in splits.enumerate() {
                (tree.feature[d], tree.threshold[d], n) = (f, t, d + 1);
            }
            let leaves: Vec<f32> =
                it.filter(|s| *s != "|").filter_map(|s| s.parse().ok()).collect();
            if n == DEPTH
                && leaves.len() == LEAVES
                && usize::from(tree.feature.iter().max().copied().unwrap_or(0)) < N_FEATURES
            {
                tree.leaves.copy_from_slice(&leaves);
                w.trees.push(tree);
            }
        }
        w
    }

    /// The text form of the model (read back by [`Weights::parse`]).
    pub fn to_text(&self) -> String {
        let mut s = String::from(
            "# Same-fact model (synthesize::compare::model): gradient-boosted oblivious trees\n\
             # trained on MSRP train by `train_weights`; one tree a line: feature:threshold per\n\
             # level, then the leaf values. Generated, do not edit.\n",
        );
        s.push_str(&format!("bias {} {}\n", self.bias, self.threshold));
        for t in &self.trees {
            let splits: Vec<String> =
                t.feature.iter().zip(&t.threshold).map(|(f, x)| format!("{f}:{x}")).collect();
            let leaves: Vec<String> = t.leaves.iter().map(|x| x.to_string()).collect();
            s.push_str(&format!("{} | {}\n", splits.join(" "), leaves.join(" ")));
        }
        s
    }
}

/// A labelled pair: features and whether it is a paraphrase.
pub type Example = ([f32; N_FEATURES], bool);

/// A labelled pair of texts: (first, second, whether they are paraphrases).
pub type Pair = (String, String, bool);

/// Reads MSRP-format pairs (TSV: Quality, #1 ID, #2 ID, #1 String, #2 String; header line).
pub fn read_pairs(path: &Path) -> std::io::Result<Vec<Pair>> {
    let data = std::fs::read_to_string(path)?;
    Ok(data
        .lines()
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let label = match cols.first()?.trim_start_matches('\u{feff}') {
                "1" => true,
                "0" => false,
                _ => return None,
            };
            Some((cols.get(3)?.to_string(), cols.get(4)?.to_string(), label))
        })
        .collect())
}

/// Reads MSRP-format pairs into feature vectors (lexical features only).
pub fn read_examples(path: &Path) -> std::io::Result<Vec<Example>> {
    examples(&read_pairs(path)?, None).map_err(std::io::Error::other)
}

/// Pairs per call of the encoder in [`examples`] (bounds the memory of token vectors).
const EMBED_CHUNK: usize = 256;

/// Feature vectors of `pairs`; with an encoder, the embedding features too (an encoder
/// failure is the error).
pub fn examples(pairs: &[Pair], embed: Option<&dyn Embed>) -> Result<Vec<Example>, String> {
    let mut out = Vec::with_capacity(pairs.len());
    for chunk in pairs.chunks(EMBED_CHUNK) {
        let mut stmts: Vec<(Statement, Statement)> =
            chunk.iter().map(|(a, b, _)| (Statement::new(a), Statement::new(b))).collect();
        if let Some(e) = embed {
            let texts: Vec<&str> =
                chunk.iter().flat_map(|(a, b, _)| [a.as_str(), b.as_str()]).collect();
            let mut embs = e.embed(&texts)?.into_iter();
            for (a, b) in &mut stmts {
                let (Some(x), Some(y)) = (embs.next(), embs.next()) else {
                    return Err("the encoder returned fewer embeddings than texts".into());
                };
                *a = a.clone().with_embedding(x);
                *b = b.clone().with_embedding(y);
            }
        }
        out.extend(stmts.iter().zip(chunk).map(|((a, b), p)| (a.features(b, false), p.2)));
    }
    Ok(out)
}

/// Bin edges of each feature: distinct training-set quantiles.
fn bin_edges(examples: &[Example]) -> Vec<Vec<f32>> {
    (0..N_FEATURES)
        .map(|f| {
            let mut v: Vec<f32> = examples.iter().map(|e| e.0[f]).collect();
            v.sort_by(f32::total_cmp);
            let mut edges: Vec<f32> =
                (1..N_BINS).filter_map(|k| v.get(k * v.len() / N_BINS).copied()).collect();
            edges.dedup();
            edges.retain(|e| Some(e) != v.first());
            edges
        })
        .collect()
}

/// Gradient and hessian sums of one histogram cell.
type Cell = (f64, f64);

fn leaf_gain(c: Cell, lambda: f64) -> f64 {
    c.0 * c.0 / (c.1 + lambda)
}

/// The best (feature, bin) split for the level, over all nodes: `hist[node][feature][bin]`.
fn best_split(
    hist: &[Cell],
    nodes: usize,
    edges: &[Vec<f32>],
    lambda: f64,
) -> Option<(usize, usize)> {
    let nb = N_BINS + 1;
    let mut best: Option<(f64, usize, usize)> = None;
    for (f, fe) in edges.iter().enumerate() {
        let mut gains = vec![0.0f64; fe.len() + 1];
        for k in 0..nodes {
            let cells = &hist[(k * N_FEATURES + f) * nb..(k * N_FEATURES + f + 1) * nb];
            let total = cells.iter().fold((0.0, 0.0), |a, c| (a.0 + c.0, a.1 + c.1));
            let mut right = (0.0, 0.0);
            for j in (1..=fe.len()).rev() {
                right = (right.0 + cells[j].0, right.1 + cells[j].1);
                let left = (total.0 - right.0, total.1 - right.1);
                gains[j] += leaf_gain(left, lambda) + leaf_gain(right, lambda);
            }
        }
        for (j, g) in gains.iter().enumerate().skip(1) {
            if best.is_none_or(|b| *g > b.0 + 1e-12) {
                best = Some((*g, f, j));
            }
        }
    }
    best.map(|b| (b.1, b.2))
}

/// Fits the boosted trees on `examples` with the shipped [`PARAMS`].
pub fn fit(examples: &[Example]) -> Weights {
    fit_with(examples, &PARAMS)
}

/// Fits the boosted trees on `examples` (see the module doc); the threshold is 0.5.
pub fn fit_with(examples: &[Example], params: &Params) -> Weights {
    let n = examples.len();
    let pos = examples.iter().filter(|e| e.1).count();
    let bias = ((pos as f64 + 1.0) / ((n - pos) as f64 + 1.0)).ln();
    let mut w = Weights { trees: Vec::new(), bias: bias as f32, threshold: 0.5 };
    let edges = bin_edges(examples);
    let bins: Vec<[u8; N_FEATURES]> = examples
        .iter()
        .map(|(f, _)| {
            let mut b = [0u8; N_FEATURES];
            for (k, e) in edges.iter().enumerate() {
                b[k] = e.partition_point(|x| *x <= f[k]) as u8;
            }
            b
        })
        .collect();
    let mut margin = vec![bias; n];
    let nb = N_BINS + 1;
    for _ in 0..params.trees {
        let grad: Vec<Cell> = examples
            .iter()
            .zip(&margin)
            .map(|((_, y), m)| {
                let p = 1.0 / (1.0 + (-m).exp());
                (p - f64::from(u8::from(*y)), (p * (1.0 - p)).max(1e-6))
            })
            .collect();
        let mut node = vec![0usize; n];
        let mut tree =
            Tree { feature: [0; DEPTH], threshold: [f32::INFINITY; DEPTH], leaves: [0.0; LEAVES] };
        for d in 0..DEPTH {
            let nodes = 1 << d;
            let mut hist = vec![(0.0, 0.0); nodes * N_FEATURES * nb];
            for i in 0..n {
                for f in 0..N_FEATURES {
                    let c = &mut hist[(node[i] * N_FEATURES + f) * nb + usize::from(bins[i][f])];
                    c.0 += grad[i].0;
                    c.1 += grad[i].1;
                }
            }
            let split = best_split(&hist, nodes, &edges, params.lambda);
            for i in 0..n {
                let right = split.is_some_and(|(f, j)| usize::from(bins[i][f]) >= j);
                node[i] = node[i] * 2 + usize::from(right);
            }
            if let Some((f, j)) = split {
                tree.feature[d] = f as u8;
                tree.threshold[d] = edges[f][j - 1];
            }
        }
        let mut sums = [(0.0f64, 0.0f64); LEAVES];
        for i in 0..n {
            sums[node[i]].0 += grad[i].0;
            sums[node[i]].1 += grad[i].1;
        }
        for (l, s) in tree.leaves.iter_mut().zip(sums) {
            *l = (-params.rate * s.0 / (s.1 + params.lambda)) as f32;
        }
        for i in 0..n {
            margin[i] += f64::from(tree.leaves[node[i]]);
        }
        w.trees.push(tree);
    }
    w
}

/// Out-of-fold probabilities of `examples` under `params` (`folds` contiguous folds).
pub fn cv_probabilities(examples: &[Example], folds: usize, params: &Params) -> Vec<(f32, bool)> {
    let n = examples.len();
    let folds = folds.clamp(2, n.max(2));
    let mut out = Vec::with_capacity(n);
    for k in 0..folds {
        let (lo, hi) = (k * n / folds, (k + 1) * n / folds);
        let train: Vec<Example> = examples[..lo].iter().chain(&examples[hi..]).copied().collect();
        let w = fit_with(&train, params);
        out.extend(examples[lo..hi].iter().map(|(f, y)| (predict(&w, f), *y)));
    }
    out
}

/// The decision threshold (0.30..=0.70 by 0.01) with the highest accuracy on `probs`;
/// ties go to the one nearest 0.5.
pub fn best_threshold(probs: &[(f32, bool)]) -> f32 {
    let mut best = (0usize, 0.5f32);
    for t in (30..=70).map(|k| k as f32 / 100.0) {
        let ok = probs.iter().filter(|(p, y)| (*p >= t) == *y).count();
        let nearer = (t - 0.5).abs() < (best.1 - 0.5).abs();
        if ok > best.0 || (ok == best.0 && nearer) {
            best = (ok, t);
        }
    }
    best.1
}

/// Folds of the cross-validation that picks the threshold of [`fit_tuned`].
pub const THRESHOLD_FOLDS: usize = 5;

/// [`fit_with`], with the decision threshold that maximises the accuracy of a
/// [`THRESHOLD_FOLDS`]-fold cross-validation on `examples` itself.
pub fn fit_tuned(examples: &[Example], params: &Params) -> Weights {
    let mut w = fit_with(examples, params);
    w.threshold = best_threshold(&cv_probabilities(examples, THRESHOLD_FOLDS, params));
    w
}

/// Trains the shipped model from an MSRP-format file (see [`fit_tuned`]); with an encoder,
/// the embeddings-aware model.
pub fn train_weights(path: &Path, embed: Option<&dyn Embed>) -> std::io::Result<Weights> {
    let ex = examples(&read_pairs(path)?, embed).map_err(std::io::Error::other)?;
    Ok(fit_tuned(&ex, &PARAMS))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bounds-checked reading of the trees that [`predict`] replaced (the oracle).
    fn predict_checked(w: &Weights, f: &[f32; N_FEATURES]) -> f32 {
        let value = |t: &Tree| {
            let mut idx = 0;
            for (feat, thr) in t.feature.iter().zip(&t.threshold) {
                let x = f.get(usize::from(*feat)).copied().unwrap_or(0.0);
                idx = idx * 2 + usize::from(x >= *thr);
            }
            t.leaves[idx]
        };
        let p = sigmoid(w.bias + w.trees.iter().map(value).sum::<f32>());
        if f[NEG_MISMATCH] > 0.5 {
            p.min(NEGATION_CAP)
        } else {
            p
        }
    }

    proptest::proptest! {
        /// The padded reading gives the shipped model's exact probabilities, and a tree
        /// naming a feature past [`N_FEATURES`] reads 0 there as before.
        #[test]
        fn padded_trees_predict_exactly_as_checked_ones(
            f in proptest::collection::vec(-1.0f32..40.0, N_FEATURES),
            zeros in proptest::collection::vec(proptest::bool::ANY, N_FEATURES),
        ) {
            let mut x = [0.0f32; N_FEATURES];
            for (k, v) in x.iter_mut().enumerate() {
                *v = if zeros[k] { 0.0 } else { f[k] };
            }
            let mut w = WEIGHTS.clone();
            w.trees.push(Tree {
                feature: [200, 3, 255, u8::try_from(N_FEATURES).unwrap_or(u8::MAX)],
                threshold: [0.0, 0.5, -1.0, 0.0],
                leaves: std::array::from_fn(|k| k as f32 / 8.0 - 1.0),
            });
            proptest::prop_assert_eq!(predict(&w, &x).to_bits(), predict_checked(&w, &x).to_bits());
            proptest::prop_assert_eq!(
                predict(&WEIGHTS, &x).to_bits(),
                predict_checked(&WEIGHTS, &x).to_bits()
            );
        }
    }

    fn toy() -> Vec<Example> {
        (0..200)
            .map(|i| {
                let mut f = [0.0f32; N_FEATURES];
                f[0] = (i % 20) as f32 / 20.0;
                f[3] = ((i * 7) % 13) as f32;
                (f, f[0] >= 0.5)
            })
            .collect()
    }

    #[test]
    fn fit_learns_a_threshold_and_round_trips_as_text() {
        let ex = toy();
        let w = fit_with(&ex, &Params { trees: 40, rate: 0.3, lambda: 1.0 });
        let ok = ex.iter().filter(|(f, y)| (predict(&w, f) >= w.threshold) == *y).count();
        assert_eq!(ok, ex.len());
        let back = Weights::parse(&w.to_text());
        assert_eq!(back, w);
        assert_eq!(fit_with(&ex, &Params { trees: 40, rate: 0.3, lambda: 1.0 }), w);
    }

    #[test]
    fn negation_mismatch_caps_the_probability() {
        let w = Weights { trees: Vec::new(), bias: 5.0, threshold: 0.5 };
        let mut f = [0.0f32; N_FEATURES];
        assert!(predict(&w, &f) > 0.9);
        f[NEG_MISMATCH] = 1.0;
        assert!(predict(&w, &f) <= NEGATION_CAP);
    }

    #[test]
    fn best_threshold_maximises_accuracy() {
        let table: &[(&[(f32, bool)], f32)] = &[
            (&[(0.9, true), (0.62, true), (0.58, false), (0.1, false)], 0.59),
            (&[(0.45, true), (0.35, false)], 0.45),
            (&[(0.9, true), (0.1, false)], 0.5),
            (&[], 0.5),
        ];
        for (probs, want) in table {
            assert!((best_threshold(probs) - want).abs() < 1e-6, "{probs:?}");
        }
    }

    #[test]
    fn parse_skips_malformed_lines() {
        let w = Weights::parse("# c\nbias 0.3 0.6\n1:0.5 2:x | 1 2\nnonsense\n");
        assert!(w.trees.is_empty());
        assert_eq!((w.bias, w.threshold), (0.3, 0.6));
    }
}
