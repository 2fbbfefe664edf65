//! Pair features of the same-fact test: word n-gram precision/recall on stems, weighted
//! content-term recall, character 4-gram overlap, longest common subsequence, synonym- and
//! prefix-aligned content words, numbers, names, negation, modality and length.
//! Every lexical feature treats a number as one placeholder, so masking the number
//! features makes two statements that differ only in a count look identical.

use super::probe;
use super::{has, Statement};

/// Number of lexical features of a pair (computed by [`pair_features`]).
pub const N_LEXICAL: usize = 40;

/// Number of features of a pair: the lexical ones, then the embedding ones
/// ([`super::embedding::embedding_features`], 0 without embeddings).
pub const N_FEATURES: usize = N_LEXICAL + super::embedding::N_EMB;

/// Index of the negation-mismatch feature (1 when one side negates a shared predicate).
pub const NEG_MISMATCH: usize = 28;

/// Index of the feature "exactly one side is negated".
pub const NEGATED: usize = 25;

/// Indices of the number features ([`number_features`]), 0 when numbers are masked.
pub const NUMBERS: std::ops::Range<usize> = 18..23;

/// Walks two sorted lists of distinct keys, calling `f(x, y, key(x) == key(y))` on a set
/// of pairs that holds every equal pair exactly once, equal pairs in increasing key order.
/// Blocks of 4×4 are compared at once (the 16 comparisons are independent, and one step
/// passes 4 elements of a list), then a branch-free merge finishes the tails: a plain
/// merge waits on the previous comparison at every element. A block is passed only when
/// its largest key is at most the other block's, so no equal pair is skipped.
#[inline(always)]
fn merge_pairs<T: Copy>(a: &[T], b: &[T], key: impl Fn(T) -> u64, mut f: impl FnMut(T, T, bool)) {
    let (mut i, mut j) = (0, 0);
    while let (Some(x), Some(y)) = (a.get(i..i + 4), b.get(j..j + 4)) {
        for &p in x {
            for &q in y {
                f(p, q, key(p) == key(q));
            }
        }
        // Both blocks hold 4 elements (`get` of a 4-long range).
        let (xm, ym) = (key(x[3]), key(y[3]));
        i += 4 * usize::from(xm <= ym);
        j += 4 * usize::from(ym <= xm);
    }
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        let (kx, ky) = (key(x), key(y));
        f(x, y, kx == ky);
        i += usize::from(kx <= ky);
        j += usize::from(ky <= kx);
    }
}

/// Number of common elements of two sorted distinct lists (runs a dozen times per pair).
pub fn common(a: &[u64], b: &[u64]) -> usize {
    let mut n = 0;
    merge_pairs(a, b, |x| x, |_, _, eq| n += usize::from(eq));
    n
}

/// Summed weights of the shared terms, on each side, and their number. The weights must be
/// finite and non-negative: a non-shared pair adds `0 × weight`, which then leaves the sums
/// exactly as if only the shared terms were added, in key order.
pub(crate) fn shared_weights(a: &[(u64, f32)], b: &[(u64, f32)]) -> (f32, f32, usize) {
    let (mut wa, mut wb, mut n) = (0.0, 0.0, 0);
    merge_pairs(
        a,
        b,
        |x| x.0,
        |(_, u), (_, v), eq| {
            let e = f32::from(u8::from(eq));
            wa += e * u;
            wb += e * v;
            n += usize::from(eq);
        },
    );
    (wa, wb, n)
}

fn ratio(a: f32, b: f32) -> f32 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

/// (min, max) of the overlap of two sorted lists relative to each side's size, and the
/// overlap.
fn overlap(a: &[u64], b: &[u64]) -> (f32, f32, f32) {
    let c = common(a, b) as f32;
    let (pa, pb) = (ratio(c, a.len() as f32), ratio(c, b.len() as f32));
    (pa.min(pb), pa.max(pb), c)
}

/// Length of the longest common subsequence of the content sequences (bit-parallel over
/// `b`'s at most 64 positions, the match masks read from `b`'s table).
fn lcs(a: &Statement, b: &Statement) -> usize {
    probe::lcs64(a.cseq(), b.cseq().len(), |x| b.cmask.get(x).unwrap_or(0))
}

/// Content words of `a` aligned to `b` (same synonym key/stem, or same 5-letter prefix):
/// (count, weight of the unaligned ones, unaligned names).
fn aligned(a: &Statement, b: &Statement) -> (usize, f32, usize) {
    let (mut n, mut loose, mut names) = (0, 0.0, 0);
    // Branch-free (the outcome is unpredictable): an aligned word adds 0 × its (positive,
    // finite) weight, which leaves `loose` exactly as if it were skipped.
    for c in &a.content {
        let hit = has(&b.align_bits, c.key) | (c.prefix != 0) & has(&b.align_bits, c.prefix);
        n += usize::from(hit);
        loose += f32::from(u8::from(!hit)) * c.weight;
        names += usize::from(!hit & c.name);
    }
    (n, loose, names)
}

/// Tokens of `a` whose stem is not in `b`: (count, longest run of them) — a long run is an
/// extra clause, which makes the statements say different things.
fn unmatched_runs(a: &Statement, b: &Statement) -> (usize, usize) {
    let (mut n, mut run, mut longest) = (0, 0, 0);
    for h in a.seq() {
        let miss = usize::from(!has(&b.stem_bits, *h));
        n += miss;
        run = (run + 1) * miss;
        longest = longest.max(run);
    }
    (n, longest)
}

/// (agreement, disagreement, exact match, subset) of two number lists.
fn number_features(a: &Statement, b: &Statement) -> [f32; 5] {
    let (a, b) = (&a.numbers, &b.numbers);
    if a.is_empty() && b.is_empty() {
        return [0.0; 5];
    }
    let eq = |x: f64, y: f64| (x - y).abs() <= 1e-6 * x.abs().max(1.0);
    let only_a = a.iter().filter(|x| !b.iter().any(|y| eq(x.value, y.value))).count();
    let only_b = b.iter().filter(|y| !a.iter().any(|x| eq(x.value, y.value))).count();
    let shared = a.len() - only_a;
    let union = (shared + only_a + only_b) as f32;
    let both = !a.is_empty() && !b.is_empty();
    [
        shared as f32 / union,
        if both { (only_a + only_b) as f32 / union } else { 0.0 },
        f32::from(both && only_a == 0 && only_b == 0),
        f32::from(both && (only_a == 0 || only_b == 0)),
        f32::from(!both),
    ]
}

/// The pair features of `a` and `b`; `mask` neutralises the number features.
pub fn pair_features(a: &Statement, b: &Statement, mask: bool) -> [f32; N_FEATURES] {
    let mut f = [0.0f32; N_FEATURES];
    let (shared_a, shared_b, n_shared) = shared_weights(&a.hterms, &b.hterms);
    let (ra, rb) = (ratio(shared_a, a.total), ratio(shared_b, b.total));
    f[0] = ra.min(rb);
    f[1] = ra.max(rb);
    f[2] = ratio(n_shared as f32, (a.hterms.len() + b.hterms.len() - n_shared) as f32);
    f[3] = overlap(a.hbigrams(), b.hbigrams()).0;
    let mut shared_grams = [0.0f32; 3];
    for n in 0..3 {
        let (lo, hi, c) = overlap(a.grams(n), b.grams(n));
        f[4 + 2 * n] = lo;
        f[5 + 2 * n] = hi;
        shared_grams[n] = c;
    }
    let shared_chars: u32 = a.chars.iter().zip(&b.chars).map(|(x, y)| (x & y).count_ones()).sum();
    let (ca, cb) = (
        ratio(shared_chars as f32, a.n_chars as f32),
        ratio(shared_chars as f32, b.n_chars as f32),
    );
    let (clo, chi) = (ca.min(cb), ca.max(cb));
    f[10] = clo;
    f[11] = chi;
    let l = lcs(a, b) as f32;
    f[12] = ratio(l, a.cseq().len().min(b.cseq().len()) as f32);
    f[13] = ratio(l, a.cseq().len().max(b.cseq().len()) as f32);
    let ((al_a, loose_a, nm_a), (al_b, loose_b, nm_b)) = (aligned(a, b), aligned(b, a));
    f[32] = loose_a.max(loose_b);
    f[33] = loose_a.min(loose_b);
    f[34] = nm_a.max(nm_b) as f32;
    f[35] = (nm_a + nm_b) as f32;
    let (pa, pb) =
        (ratio(al_a as f32, a.content.len() as f32), ratio(al_b as f32, b.content.len() as f32));
    f[14] = pa.min(pb);
    f[15] = pa.max(pb);
    let (un_a, un_b) = (a.content.len() - al_a, b.content.len() - al_b);
    f[16] = un_a.max(un_b) as f32;
    f[17] = un_a.min(un_b) as f32;
    if !mask {
        f[NUMBERS].copy_from_slice(&number_features(a, b));
    }
    let names_shared = common(a.hnames(), b.hnames()) as f32;
    let names_union = (a.hnames().len() + b.hnames().len()) as f32 - names_shared;
    f[23] = names_union - names_shared;
    f[24] = ratio(names_shared, names_union);
    f[NEGATED] = f32::from(a.negated != b.negated);
    f[26] = f32::from(a.modal != b.modal);
    f[27] = (a.seq().len().abs_diff(b.seq().len()) as f32).min(30.0);
    f[NEG_MISMATCH] = f32::from(a.negation_mismatch(b));
    f[29] = ratio(a.seq().len().min(b.seq().len()) as f32, a.seq().len().max(b.seq().len()) as f32);
    // BLEU-like: geometric mean of the 1-3-gram precisions, in the weaker direction.
    let bleu = |x: &Statement| {
        let p: f32 =
            (0..3).map(|n| (shared_grams[n] + 0.1) / (x.grams(n).len() as f32 + 0.1)).product();
        p.cbrt()
    };
    f[30] = bleu(a).min(bleu(b));
    f[31] = a.content.len().min(b.content.len()) as f32;
    let ((na, ra), (nb, rb)) = (unmatched_runs(a, b), unmatched_runs(b, a));
    f[36] = na.max(nb) as f32;
    f[37] = na.min(nb) as f32;
    f[38] = ra.max(rb) as f32;
    f[39] = ra.min(rb) as f32;
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sentences for [`pairs`]: news-like, with numbers, names, negation, hedges, repeats,
    /// a sentence longer than [`super::super::MAX_SEQ`] words and degenerate inputs.
    const BASE: &[&str] = &[
        "Twelve people were killed in the blast in the city centre on Monday, police said.",
        "The central bank raised interest rates by half a point to 4.5% on Thursday.",
        "Putin personally granted asylum to Bashar al-Assad and his family in Moscow.",
        "The bridge did not reopen after the floods, the mayor of Valencia said.",
        "Apple may buy the start-up for $1.2 billion, people familiar with the talks said.",
        "At least 40 people died and two dozen were injured when the ferry capsized.",
        "The Kremlin denied reports that Assad had left Moscow for an undisclosed location.",
        "Shares of Tesla rose 4.4% to a record high after the company reported earnings.",
        "Rescue workers pulled three survivors from the rubble of the collapsed building.",
        "The government said it would never negotiate with the rebels who seized the port.",
        "Officials reportedly planned to evacuate 15,000 residents before the storm arrived.",
        "The the the company company said said it it would would expand expand.",
        "Negotiators from both sides met in Geneva on Tuesday but no agreement was reached, \
         and the talks, which had been expected to last three days, were suspended until \
         further notice after a dispute over the release of prisoners held by the rebels in \
         the north of the country and over the timetable for elections that both sides had \
         promised to hold before the end of next year under the previous accord.",
        "",
        "¿¡ 日本語のテキスト 1 2 3",
    ];

    /// Deterministic MSRP-like pairs: each sentence against rewrites of itself (words
    /// dropped, swapped, replaced by a synonym or a number, a negation added) and against
    /// the other sentences.
    fn pairs() -> Vec<(String, String)> {
        let subs: &[(&str, &str)] = &[
            ("killed", "died"),
            ("said", "stated"),
            ("raised", "increased"),
            ("buy", "acquire"),
            ("Monday", "Tuesday"),
            ("40", "forty"),
            ("three", "3"),
            ("was", "was not"),
            ("rose", "fell"),
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        };
        let mut out = Vec::new();
        for (i, a) in BASE.iter().enumerate() {
            for b in BASE {
                out.push((a.to_string(), b.to_string()));
            }
            for _ in 0..6 {
                let mut w: Vec<String> = a.split(' ').map(str::to_string).collect();
                for _ in 0..=next(3) {
                    let k = next(w.len());
                    match next(4) {
                        0 if w.len() > 1 => {
                            w.remove(k);
                        }
                        1 => {
                            let j = next(w.len());
                            w.swap(k, j);
                        }
                        2 => {
                            let (from, to) = subs[next(subs.len())];
                            w = w
                                .join(" ")
                                .replacen(from, to, 1)
                                .split(' ')
                                .map(str::to_string)
                                .collect();
                        }
                        _ => {
                            w.insert(k, ["not", "17", "Reuters", "reportedly"][next(4)].to_string())
                        }
                    }
                }
                let v = w.join(" ");
                out.push(if i % 2 == 0 { (a.to_string(), v) } else { (v, a.to_string()) });
            }
        }
        out
    }

    fn merge_count(a: &[u64], b: &[u64]) -> usize {
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            n += usize::from(a[i] == b[j]);
            (i, j) = (i + usize::from(a[i] <= b[j]), j + usize::from(b[j] <= a[i]));
        }
        n
    }

    proptest::proptest! {
        #[test]
        fn block_merge_counts_every_shared_key_once(
            a in proptest::collection::btree_set(0u64..300, 0..80),
            b in proptest::collection::btree_set(0u64..300, 0..80),
        ) {
            let (a, b): (Vec<u64>, Vec<u64>) = (a.into_iter().collect(), b.into_iter().collect());
            proptest::prop_assert_eq!(common(&a, &b), merge_count(&a, &b));
            let w = |v: &[u64]| v.iter().map(|&k| (k, 0.5 + (k % 7) as f32 / 3.0)).collect::<Vec<_>>();
            let (wa, wb) = (w(&a), w(&b));
            let (sa, sb, n) = shared_weights(&wa, &wb);
            let shared: Vec<u64> = a.iter().copied().filter(|k| b.binary_search(k).is_ok()).collect();
            let sum = |ws: &[(u64, f32)]| shared.iter().fold(0.0f32, |s, k| s + ws.iter().find(|x| x.0 == *k).map_or(0.0, |x| x.1));
            proptest::prop_assert_eq!((sa.to_bits(), sb.to_bits(), n), (sum(&wa).to_bits(), sum(&wb).to_bits(), shared.len()));
        }
    }

    /// FNV-1a over the bits of every feature (plain and number-masked) and score of
    /// [`pairs`]: the constant was recorded on the plain merges and the LCS that compared
    /// every position, before the block merges and the mask table replaced them, so any change to a feature's value, to the bit, fails this test.
    #[test]
    fn features_are_bit_identical_to_the_merge_implementation() {
        let pairs = pairs();
        assert!(pairs.len() > 300, "{}", pairs.len());
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |x: f32| h = (h ^ u64::from(x.to_bits())).wrapping_mul(0x100_0000_01b3);
        for (a, b) in &pairs {
            let (a, b) = (Statement::new(a), Statement::new(b));
            for mask in [false, true] {
                pair_features(&a, &b, mask).into_iter().for_each(&mut eat);
            }
            for x in [a.score(&b), a.score_masked(&b), a.score_unnegated(&b)] {
                eat(x);
            }
        }
        assert_eq!(h, 14_831_682_349_772_442_128, "digest");
    }

    #[test]
    fn identical_statements_overlap_fully() {
        let a = Statement::new("The mayor opened the new bridge over the river on Monday.");
        let f = pair_features(&a, &a, false);
        for k in [0, 1, 2, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15] {
            assert!((f[k] - 1.0).abs() < 1e-6, "feature {k} = {}", f[k]);
        }
        assert_eq!(f[16], 0.0);
        assert_eq!(f[NEG_MISMATCH], 0.0);
    }
}
