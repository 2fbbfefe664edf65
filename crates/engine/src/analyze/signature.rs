//! Article fingerprints: a MinHash signature over word 3-shingles (for near-duplicate
//! detection with LSH banding), content-term counts (for clustering), and the small
//! deterministic hash functions both derive and cluster build on.
//!
//! Hashing is hand-written (FNV-1a over bytes, finished with the splitmix64 mixer) because
//! std's hasher is randomised per process and signatures must be identical across runs and
//! platforms; the LSH index is a few lines, so no MinHash crate is pulled in.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use crate::text;

/// Number of MinHash permutations in a signature.
pub const PERMUTATIONS: usize = 64;
/// Rows per LSH band (`PERMUTATIONS / LSH_ROWS` bands): with 4 rows and 16 bands, pairs
/// with Jaccard ≈ 0.5 collide with probability ≈ 0.64, pairs at 0.8 with ≈ 0.9999.
pub const LSH_ROWS: usize = 4;

/// The splitmix64 finaliser: a fast, well-mixed bijection on `u64`.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A deterministic 64-bit hash of a string (FNV-1a, then mixed).
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    mix(h)
}

/// Combines a running hash with the next value (order-sensitive).
pub fn combine(h: u64, v: u64) -> u64 {
    mix(h.rotate_left(21) ^ v)
}

/// Hashes of the folded words of `text` (lowercased, curly apostrophes folded).
pub fn word_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    text::for_each_folded(text, |w| out.push(hash_str(w)));
    out
}

/// Hashes of consecutive word `n`-grams of a sequence of word hashes (one hash for a
/// sequence shorter than `n`, none for an empty one).
pub fn shingles(words: &[u64], n: usize) -> Vec<u64> {
    if words.is_empty() || n == 0 {
        return Vec::new();
    }
    if words.len() < n {
        return vec![words.iter().fold(0, |h, &w| combine(h, w))];
    }
    words.windows(n).map(|w| w.iter().fold(0, |h, &x| combine(h, x))).collect()
}

/// MinHash signature of a set of shingle hashes ([`PERMUTATIONS`] values; empty input
/// gives an empty signature).
///
/// One-permutation hashing: each shingle is mixed once; the top [`BIN_BITS`] bits of the
/// mixed value choose one of the [`PERMUTATIONS`] bins and the remaining bits are kept as
/// that bin's minimum (one mix per shingle instead of one per shingle and slot). A bin no
/// shingle fell into copies the value of a donor bin ([`densify`]), so short texts still
/// give full signatures whose agreement estimates Jaccard without bias.
pub fn minhash_of(shingles: &[u64]) -> Vec<u64> {
    if shingles.is_empty() {
        return Vec::new();
    }
    let mut sig = vec![EMPTY; PERMUTATIONS];
    for &s in shingles {
        let v = mix(s ^ OPH_SEED);
        let bin = (v >> (64 - BIN_BITS)) as usize;
        let value = v & VALUE_MASK;
        if let Some(slot) = sig.get_mut(bin) {
            if value < *slot {
                *slot = value;
            }
        }
    }
    densify(&mut sig);
    sig
}

/// Bits of a mixed shingle hash that choose its bin (`2^BIN_BITS == PERMUTATIONS`).
const BIN_BITS: u32 = PERMUTATIONS.trailing_zeros();
const _: () = assert!(1 << BIN_BITS == PERMUTATIONS);
/// The bits kept as a bin's value; [`EMPTY`] is above them all.
const VALUE_MASK: u64 = u64::MAX >> BIN_BITS;
/// Marks a bin no shingle fell into.
const EMPTY: u64 = u64::MAX;
/// Key xored into each shingle hash before mixing, so bins are independent of the
/// shingle hashes' own bits (which [`band_keys`] and others also use).
const OPH_SEED: u64 = 0x0123_4567_89AB_CDEF;

/// Fills each empty bin with the value of its donor: the first non-empty bin in that
/// bin's own fixed random order of all bins ("optimal densification", Shrivastava 2017).
///
/// Two sets agree on an empty-in-both bin exactly when their first bin that is non-empty
/// in the union holds a shared minimum — a uniformly random union bin, so the probability
/// is the Jaccard similarity, as for a filled bin. Each empty bin has its own order, so
/// empty bins borrow from different donors (a shared next-bin rule would copy one value
/// into runs of bins and correlate them). The orders are permutations of all bins, so a
/// donor is always found when any bin is filled.
fn densify(sig: &mut [u64]) {
    if sig.len() != PERMUTATIONS || sig.iter().all(|&v| v == EMPTY) {
        return;
    }
    let mut filled = [EMPTY; PERMUTATIONS];
    filled.copy_from_slice(sig);
    for (bin, slot) in sig.iter_mut().enumerate() {
        if *slot != EMPTY {
            continue;
        }
        if let Some(&v) = DONORS[bin].iter().map(|&d| &filled[d as usize]).find(|&&v| v != EMPTY) {
            *slot = v;
        }
    }
}

/// Each bin's donor order: a fixed pseudo-random permutation of all bins.
const DONORS: [[u8; PERMUTATIONS]; PERMUTATIONS] = donor_orders();

const fn donor_orders() -> [[u8; PERMUTATIONS]; PERMUTATIONS] {
    let mut out = [[0u8; PERMUTATIONS]; PERMUTATIONS];
    let mut z: u64 = 0x0123_4567_89AB_CDEF;
    let mut bin = 0;
    while bin < PERMUTATIONS {
        let mut i = 0;
        while i < PERMUTATIONS {
            out[bin][i] = i as u8;
            i += 1;
        }
        // Fisher–Yates with splitmix64 draws.
        let mut i = PERMUTATIONS - 1;
        while i > 0 {
            z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut x = z;
            x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            x ^= x >> 31;
            let j = (x % (i as u64 + 1)) as usize;
            let t = out[bin][i];
            out[bin][i] = out[bin][j];
            out[bin][j] = t;
            i -= 1;
        }
        bin += 1;
    }
    out
}

/// MinHash signature of the word 3-shingles of `text` (folded words).
pub fn minhash(text: &str) -> Vec<u64> {
    minhash_of(&shingles(&word_hashes(text), 3))
}

/// Estimated Jaccard similarity of two signatures (0 when either is empty or they differ
/// in length).
pub fn jaccard(a: &[u64], b: &[u64]) -> f32 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f32 / a.len() as f32
}

/// A fast, deterministic hasher for integer keys (each written integer is folded in with
/// [`mix`]); std's SipHash is needlessly slow for term ids and hashes.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3);
        }
        self.0 = mix(self.0);
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = mix(self.0 ^ v);
    }
    fn write_u32(&mut self, v: u32) {
        self.write_u64(u64::from(v));
    }
    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }
}

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
/// A `HashSet` with [`FastHasher`].
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// A `HashMap` for string keys with foldhash's fixed-seed hasher, which reads eight bytes
/// per multiply ([`FastHasher`] takes one byte per multiply, a chain of dependent
/// multiplies per word). Its hashes differ from [`FastHasher`]'s, and so would a map's
/// iteration order: it is for maps that are only looked up, or whose entries are sorted
/// before use.
pub type StrMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;
/// A `HashSet` for string keys (see [`StrMap`]).
pub type StrSet<K> = HashSet<K, foldhash::fast::FixedState>;

/// The LSH band keys of a signature: one key per band of [`LSH_ROWS`] values, salted with
/// the band number so equal rows in different bands do not collide.
pub fn band_keys(sig: &[u64]) -> Vec<u64> {
    sig.chunks(LSH_ROWS)
        .enumerate()
        .map(|(b, rows)| rows.iter().fold(b as u64, |h, &r| combine(h, r)))
        .collect()
}

/// An LSH banding index: finds earlier items whose signatures probably have a high
/// Jaccard similarity with a new one, without comparing it to every item.
#[derive(Debug, Default)]
pub struct LshIndex {
    buckets: FastMap<u64, Vec<usize>>,
}

impl LshIndex {
    /// An empty index.
    pub fn new() -> LshIndex {
        LshIndex::default()
    }

    /// Items already indexed that share at least one band with `sig` (each once, in
    /// insertion order, at most `limit` of them), then indexes `sig` as `item`.
    pub fn query_insert(&mut self, item: usize, sig: &[u64], limit: usize) -> Vec<usize> {
        let mut found = Vec::new();
        for key in band_keys(sig) {
            let bucket = self.buckets.entry(key).or_default();
            for &other in bucket.iter().take(limit) {
                if !found.contains(&other) && found.len() < limit {
                    found.push(other);
                }
            }
            bucket.push(item);
        }
        found.sort_unstable();
        found
    }
}

/// Content-term counts: the article's normalised content terms with their counts,
/// sorted by term.
pub fn term_counts(text: &str) -> Vec<(String, u32)> {
    let mut counts = TermCounts::default();
    text::for_each_content_term(text, |t| counts.add(t));
    counts.sorted()
}

/// [`minhash`] and [`term_counts`] of `text` from one tokenising and folding pass (each
/// alone tokenises and folds the whole text).
pub fn minhash_and_terms(text: &str) -> (Vec<u64>, Vec<(String, u32)>) {
    let mut hashes = Vec::new();
    let terms = WORD_TERMS.with(|cell| {
        let Ok(mut memo) = cell.try_borrow_mut() else {
            // Only reachable if this re-entered itself on the thread: no memo then.
            let mut counts = TermCounts::default();
            text::for_each_folded(text, |w| {
                hashes.push(hash_str(w));
                text::with_content_term(w, |t| counts.add(t));
            });
            return counts.sorted();
        };
        memo.start();
        text::for_each_folded(text, |w| hashes.push(memo.count(w)));
        memo.sorted()
    });
    (minhash_of(&shingles(&hashes, 3)), terms)
}

/// Most words whose terms are remembered per thread before the memo is emptied.
const WORD_TERMS_MAX: usize = 60_000;

thread_local! {
    /// Folded word → content term, and the counts of the text being read.
    static WORD_TERMS: RefCell<WordTerms> = RefCell::new(WordTerms::default());
}

/// A per-thread memo of each folded word's content term ([`text::with_content_term`]) as
/// a number, and of its [`hash_str`], so a word costs one string lookup (instead of a
/// stopword test, a stem lookup, a count lookup and hashing) and its count is an array slot.
#[derive(Default)]
struct WordTerms {
    /// Folded word → number of its term (`None` for a word that is no content term) and
    /// the word's [`hash_str`].
    words: StrMap<Box<str>, (Option<u32>, u64)>,
    /// Term → its number, and the terms by number.
    numbers: StrMap<Box<str>, u32>,
    terms: Vec<Box<str>>,
    /// Count of each term in the text being read (by number), and the terms counted.
    counts: Vec<u32>,
    counted: Vec<u32>,
}

impl WordTerms {
    /// Readies the memo for a new text (emptied first when it has grown too large).
    fn start(&mut self) {
        for &n in &self.counted {
            if let Some(c) = self.counts.get_mut(n as usize) {
                *c = 0;
            }
        }
        self.counted.clear();
        if self.words.len() >= WORD_TERMS_MAX {
            *self = WordTerms::default();
        }
    }

    /// Counts the content term of the folded word `w`, if it has one, and returns
    /// [`hash_str`]`(w)`.
    fn count(&mut self, w: &str) -> u64 {
        let (number, hash) = match self.words.get(w) {
            Some(&known) => known,
            None => {
                let mut n = None;
                text::with_content_term(w, |t| n = Some(self.number(t)));
                let known = (n, hash_str(w));
                self.words.insert(w.into(), known);
                known
            }
        };
        let Some(slot) = number.and_then(|n| self.counts.get_mut(n as usize)) else { return hash };
        if *slot == 0 {
            self.counted.extend(number);
        }
        *slot += 1;
        hash
    }

    fn number(&mut self, term: &str) -> u32 {
        if let Some(&n) = self.numbers.get(term) {
            return n;
        }
        let n = self.terms.len() as u32;
        self.terms.push(term.into());
        self.numbers.insert(term.into(), n);
        self.counts.push(0);
        n
    }

    /// The counts of the text read since [`WordTerms::start`], sorted by term.
    fn sorted(&self) -> Vec<(String, u32)> {
        let mut out: Vec<(String, u32)> = self
            .counted
            .iter()
            .filter_map(|&n| {
                let i = n as usize;
                Some((self.terms.get(i)?.to_string(), *self.counts.get(i)?))
            })
            .collect();
        out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

/// Term → count; a term is copied once, when first seen, and repeats only bump its count.
/// The counts are sorted by term before use, so the map's order does not matter.
#[derive(Default)]
struct TermCounts(StrMap<String, u32>);

impl TermCounts {
    fn add(&mut self, t: &str) {
        match self.0.get_mut(t) {
            Some(n) => *n += 1,
            None => {
                self.0.insert(t.to_string(), 1);
            }
        }
    }

    /// The counts sorted by term.
    fn sorted(self) -> Vec<(String, u32)> {
        let mut out: Vec<(String, u32)> = self.0.into_iter().collect();
        out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

/// Number of values two sorted, deduplicated slices share (a merge walk).
pub fn sorted_overlap<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pass_equals_minhash_and_term_counts() {
        for text in [
            "",
            "a",
            "The Kremlin said the bases of the Kremlin's allies were discussed.",
            "Russia’s al-Assad paid 1,500 or 3.5 (U.S. sources), he said. Él dijo: «sí».",
            "x y z x y z x y z Über über ÜBER 中文 I a an",
        ] {
            assert_eq!(minhash_and_terms(text), (minhash(text), term_counts(text)), "{text:?}");
            // Again, with the thread's memo of words already holding the text's words.
            assert_eq!(minhash_and_terms(text), (minhash(text), term_counts(text)), "{text:?}");
        }
    }

    #[test]
    fn hashes_are_deterministic() {
        // Fixed values: a change of hash function would silently change stored signatures.
        assert_eq!(hash_str("syria"), hash_str("syria"));
        assert_ne!(hash_str("syria"), hash_str("Syria"));
        assert_eq!(mix(0), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn jaccard_tracks_overlap() {
        let base = "The mayor of Port Ellery said on Monday that the old bridge over the river \
                    will reopen to traffic in March after two years of repairs costing 14 million.";
        let cases: &[(&str, f32, f32)] = &[
            (base, 1.0, 1.0),
            (
                "The mayor of Port Ellery said on Monday that the old bridge over the river \
                 will reopen to traffic in April after two years of repairs costing 14 million.",
                0.6,
                0.95,
            ),
            ("Storms hit the northern coast, cutting power to thousands of homes.", 0.0, 0.1),
        ];
        let a = minhash(base);
        assert_eq!(a.len(), PERMUTATIONS);
        for (text, lo, hi) in cases {
            let j = jaccard(&a, &minhash(text));
            assert!(j >= *lo && j <= *hi, "{text}: {j}");
        }
        assert_eq!(minhash(""), Vec::<u64>::new());
        assert_eq!(jaccard(&[], &a), 0.0);
    }

    /// Shingle hashes of the integer set `lo..hi` (as the shingle hashes of texts are).
    fn set(lo: u64, hi: u64, salt: u64) -> Vec<u64> {
        (lo..hi).map(|i| mix(i ^ salt.rotate_left(32))).collect()
    }

    #[test]
    fn estimate_tracks_exact_jaccard_at_all_sizes() {
        // (set size, shifted-away elements): sets `0..n` and `k..n+k`, Jaccard (n-k)/(n+k);
        // sizes below, near and far above the number of bins.
        let cases: &[(u64, u64)] = &[
            (1, 0),
            (1, 1),
            (3, 1),
            (5, 2),
            (10, 1),
            (10, 5),
            (30, 10),
            (63, 7),
            (64, 32),
            (100, 10),
            (100, 50),
            (500, 100),
            (2000, 200),
            (2000, 1500),
        ];
        const TRIALS: u64 = 400;
        for &(n, k) in cases {
            let exact = (n - k) as f64 / (n + k) as f64;
            let (mut sum, mut sq) = (0.0, 0.0);
            for salt in 0..TRIALS {
                let est = jaccard(&minhash_of(&set(0, n, salt)), &minhash_of(&set(k, n + k, salt)));
                let err = f64::from(est) - exact;
                sum += err;
                sq += err * err;
            }
            let bias = sum / TRIALS as f64;
            let rmse = (sq / TRIALS as f64).sqrt();
            // Independent permutations give sqrt(J(1-J)/64); binning without replacement
            // is as good on large sets, and densification costs a little on small ones
            // (a union of four shingles fills four bins; the rest copy them).
            let bound = (exact * (1.0 - exact) / PERMUTATIONS as f64).sqrt() * 1.5;
            assert!(bias.abs() <= 0.02, "n={n} k={k}: bias {bias}");
            assert!(rmse <= bound + 0.005, "n={n} k={k}: rmse {rmse} > {bound}");
        }
    }

    #[test]
    fn densified_signatures_are_full_and_exact_at_the_ends() {
        for n in [1u64, 2, 5, 40, 64, 300] {
            let a = minhash_of(&set(0, n, 7));
            assert_eq!(a.len(), PERMUTATIONS);
            assert!(a.iter().all(|&v| v <= VALUE_MASK), "n={n}: an empty bin is left");
            // The same set (in another order, with repeats) gives the same signature.
            let mut again = set(0, n, 7);
            again.reverse();
            again.extend(set(0, n.min(3), 7));
            assert_eq!(minhash_of(&again), a, "n={n}");
            assert_eq!(jaccard(&a, &minhash_of(&set(n, 2 * n, 7))), 0.0, "n={n}: disjoint");
        }
    }

    #[test]
    fn donor_orders_are_permutations() {
        for order in &DONORS {
            let mut seen = [false; PERMUTATIONS];
            for &d in order {
                seen[d as usize] = true;
            }
            assert!(seen.iter().all(|&s| s));
        }
        assert_ne!(DONORS[0], DONORS[1]);
    }

    #[test]
    fn lsh_finds_near_duplicates_only() {
        let texts = [
            "Rebels entered the capital on Sunday as the army withdrew from the city center.",
            "Rebels entered the capital on Sunday as the army withdrew from the city centre.",
            "A new bakery opened downtown, offering sourdough bread and pastries every day.",
        ];
        let mut idx = LshIndex::new();
        let found: Vec<Vec<usize>> =
            texts.iter().enumerate().map(|(i, t)| idx.query_insert(i, &minhash(t), 10)).collect();
        assert_eq!(found, vec![vec![], vec![0], vec![]]);
    }

    #[test]
    fn term_counts_count_stems() {
        assert_eq!(term_counts("Bases and the base."), vec![("base".to_string(), 2)]);
        // The same as counting `content_terms` in a sorted map.
        for t in ["Ça ira, ça ira! Zürich’s zoo, zoos and ZOOS; 1,500 x 2", "", "a b c", "Éé éÉ"]
        {
            let mut want = std::collections::BTreeMap::new();
            for term in text::content_terms(t) {
                *want.entry(term).or_insert(0u32) += 1;
            }
            assert_eq!(term_counts(t), want.into_iter().collect::<Vec<_>>(), "{t}");
        }
    }
}
