//! Sentence alignment between two prepared articles: each sentence of one is matched to its
//! most similar sentence of the other (word-sequence LCS, so kept structure and order count,
//! not just shared facts), and only matches in the same order in both articles are kept
//! (longest increasing subsequence) — a rewrite keeps the original's order, independent
//! reports of the same facts rarely do.

use super::prep::{Prepared, SentPrep};
use crate::synthesize::compare::features::common;
use crate::synthesize::compare::probe::lcs_len;

/// A sentence pair at or above this LCS-Dice similarity is near-identical (copied).
pub const NEAR: f32 = 0.8;
/// A sentence pair at or above this similarity keeps the structure of the other (spun).
pub const SPUN: f32 = 0.6;

/// One aligned sentence pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    /// Sentence index in the first article.
    pub a: usize,
    /// Sentence index in the second article.
    pub b: usize,
    /// LCS-Dice similarity of their own words.
    pub sim: f32,
}

/// The alignment of two articles and its summary numbers.
#[derive(Debug, Clone, Default)]
pub struct Alignment {
    /// Order-consistent matches with similarity ≥ [`SPUN`].
    pub matches: Vec<Match>,
    /// Share of the smaller article's own words in near-identical matches.
    pub near_cover: f32,
    /// Share of the smaller article's own words in any match.
    pub cover: f32,
}

/// LCS-Dice similarity of two word sequences: `2·LCS / (|a| + |b|)`. The LCS is
/// bit-parallel ([`lcs_len`]); it is capped at `u16::MAX` as the former 16-bit DP table
/// saturated there, so the similarity is unchanged to the bit on any input.
pub fn lcs_dice(a: &[u64], b: &[u64]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    // A copied sentence is its own LCS: one comparison instead of the bit-parallel pass.
    let l = if a == b { a.len() } else { lcs_len(a, b) };
    let l = l.min(usize::from(u16::MAX)) as f32;
    2.0 * l / (a.len() + b.len()) as f32
}

/// The largest [`lcs_dice`] of sequences of `a` and `b` words: its value for an LCS of the
/// shorter length, computed the same way (float rounding is monotone, so no LCS gives more).
fn dice_bound(a: usize, b: usize) -> f32 {
    if a == 0 || b == 0 {
        return 0.0;
    }
    let l = a.min(b).min(usize::from(u16::MAX)) as f32;
    2.0 * l / (a + b) as f32
}

/// Whether two sentences share enough content terms to be worth an LCS.
fn plausible(a: &SentPrep, b: &SentPrep) -> bool {
    let need = a.content.len().min(b.content.len()).div_ceil(2);
    let len_ok = a.words.len() * 3 >= b.words.len() && b.words.len() * 3 >= a.words.len();
    if !len_ok {
        return false;
    }
    // Copied sentences have equal (sorted, distinct) content terms: all are shared.
    let shared =
        if a.content == b.content { a.content.len() } else { common(&a.content, &b.content) };
    shared >= need.max(2)
}

/// Aligns the sentences of `a` and `b`.
pub fn align(a: &Prepared, b: &Prepared) -> Alignment {
    let mut best: Vec<Match> = Vec::new();
    // `seen[j] == i + 1`: sentence `j` of `b` was already tried against sentence `i`.
    let mut seen: Vec<usize> = vec![0; b.sentences.len()];
    for (i, sa) in a.sentences.iter().enumerate() {
        let mut top: Option<Match> = None;
        let mut rest = b.index.as_slice();
        for &c in &sa.content {
            // `sa.content` is sorted, so each term's run starts after the previous one's.
            rest = &rest[rest.partition_point(|e| e.0 < c)..];
            for &(_, j) in rest.iter().take_while(|e| e.0 == c) {
                let j = j as usize;
                let (Some(mark), Some(sb)) = (seen.get_mut(j), b.sentences.get(j)) else {
                    continue;
                };
                if *mark == i + 1 {
                    continue;
                }
                *mark = i + 1;
                // The LCS is at most the shorter sentence: a pair whose bound cannot reach
                // SPUN or beat the best match so far is not worth one.
                let bound = dice_bound(sa.words.len(), sb.words.len());
                if bound < SPUN || top.is_some_and(|t| bound <= t.sim) || !plausible(sa, sb) {
                    continue;
                }
                let sim = lcs_dice(&sa.words, &sb.words);
                if sim >= SPUN && top.is_none_or(|t| sim > t.sim) {
                    top = Some(Match { a: i, b: j, sim });
                }
            }
        }
        best.extend(top);
    }
    let matches = increasing(&best);
    summarize(a, b, matches)
}

fn summarize(a: &Prepared, b: &Prepared, matches: Vec<Match>) -> Alignment {
    let small_is_a = a.words <= b.words;
    let words_of = |m: &Match| {
        if small_is_a {
            a.sentences[m.a].words.len()
        } else {
            b.sentences[m.b].words.len()
        }
    };
    let total = a.words.min(b.words).max(1) as f32;
    let near: usize = matches.iter().filter(|m| m.sim >= NEAR).map(words_of).sum();
    let all: usize = matches.iter().map(words_of).sum();
    Alignment {
        near_cover: (near as f32 / total).min(1.0),
        cover: (all as f32 / total).min(1.0),
        matches,
    }
}

/// The longest subsequence of `ms` (ordered by `a`) whose `b` indices strictly increase.
fn increasing(ms: &[Match]) -> Vec<Match> {
    if ms.is_empty() {
        return Vec::new();
    }
    let mut len = vec![1usize; ms.len()];
    let mut prev = vec![usize::MAX; ms.len()];
    for i in 0..ms.len() {
        for j in 0..i {
            if ms[j].b < ms[i].b && len[j] + 1 > len[i] {
                len[i] = len[j] + 1;
                prev[i] = j;
            }
        }
    }
    let mut end = 0;
    for i in 0..ms.len() {
        if len[i] > len[end] {
            end = i;
        }
    }
    let mut out = Vec::new();
    let mut k = end;
    while k != usize::MAX {
        out.push(ms[k]);
        k = prev[k];
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<u64> {
        crate::analyze::signature::word_hashes(s)
    }

    #[test]
    fn lcs_dice_measures_kept_structure() {
        let cases: &[(&str, &str, f32, f32)] = &[
            ("a b c d", "a b c d", 1.0, 1.0),
            ("a b c d", "a x c d", 0.74, 0.76),
            ("a b c d", "d c b a", 0.24, 0.26),
            ("", "a", 0.0, 0.0),
        ];
        for (a, b, lo, hi) in cases {
            let s = lcs_dice(&w(a), &w(b));
            assert!(s >= *lo && s <= *hi, "{a} / {b}: {s}");
        }
    }

    #[test]
    fn dice_bound_bounds_lcs_dice() {
        for (a, b) in [("a b c d", "a b c d"), ("a b c", "a b c d e f g"), ("a b", "x"), ("", "a")]
        {
            let (wa, wb) = (w(a), w(b));
            assert!(lcs_dice(&wa, &wb) <= dice_bound(wa.len(), wb.len()), "{a} / {b}");
        }
        assert_eq!(dice_bound(4, 4), 1.0);
        assert_eq!(dice_bound(3, 7), lcs_dice(&w("a b c"), &w("a b c d e f g")));
    }

    #[test]
    fn only_ordered_matches_survive() {
        let m = |a, b| Match { a, b, sim: 1.0 };
        let got: Vec<(usize, usize)> =
            increasing(&[m(0, 3), m(1, 0), m(2, 1), m(3, 2)]).iter().map(|m| (m.a, m.b)).collect();
        assert_eq!(got, [(1, 0), (2, 1), (3, 2)]);
    }
}
