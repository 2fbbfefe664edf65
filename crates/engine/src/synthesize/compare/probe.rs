//! Exact sequence primitives for the per-pair comparisons: [`Table`], a small bucketed
//! open-addressing hash map of `u64` keys (hashes), and the bit-parallel longest common
//! subsequence of two hash sequences ([`lcs64`] with the match masks given, [`lcs_len`] of
//! any lengths).
//!
//! Why: the LCS by dynamic programming fills `|a| · |b|` cells (or compares every element
//! of one side with every element of the other to build the masks); with each distinct
//! element's position mask in a table, it is one lookup and four word operations per
//! element. Results are exact (keys are compared, not fingerprints). The keys are
//! FNV/n-gram hashes of the text, not a denial-of-service concern: a table holds one
//! sentence's keys, and a full bucket only moves the probe on to the next one.

use std::cell::RefCell;

/// Slots per bucket (one 32-byte group compared at once).
const SLOTS: usize = 4;

/// Multiplier spreading a key over the buckets (Fibonacci hashing).
const SPREAD: u64 = 0x9E37_79B9_7F4A_7C15;

/// A hash table of distinct `u64` keys, with a `u64` value each when it is a map.
///
/// Layout: buckets of 4 key slots, each followed by its 4 value slots in a map (one
/// 64-byte line), alone in a set; key 0 marks a free slot, so the key 0 itself is kept
/// aside in [`Table::zero`]. A key sits in the first bucket, from its home bucket on, that
/// had a free slot; a lookup stops at a hit or at a bucket with a free slot. At most half
/// the slots are used, so every lookup ends.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    /// The buckets: keys (0 = free), and in a map the values.
    slots: Vec<u64>,
    /// Number of buckets minus one (a power of two minus one).
    mask: usize,
    /// Whether the table keeps values.
    map: bool,
    /// The value of the key 0 (0 in a set), when present.
    zero: Option<u64>,
    /// Number of keys.
    len: usize,
}

impl Table {
    /// A map of the `(key, value)` pairs (a repeated key keeps its first value).
    #[cfg(test)]
    fn map_of(entries: impl ExactSizeIterator<Item = (u64, u64)>) -> Table {
        let mut t = Table::default();
        t.reset(entries.len(), true);
        for (k, v) in entries {
            t.put(k, v, false);
        }
        t
    }

    /// Empties the table and sizes it for `n` keys (a map when `map`), reusing its memory.
    pub(crate) fn reset(&mut self, n: usize, map: bool) {
        let buckets = n.div_ceil(2).max(1).next_power_of_two();
        self.mask = buckets - 1;
        self.map = map;
        self.slots.clear();
        self.slots.resize(self.stride() * buckets, 0);
        self.zero = None;
        self.len = 0;
    }

    /// Slots per bucket: the keys, and the values in a map.
    fn stride(&self) -> usize {
        SLOTS << usize::from(self.map)
    }

    /// Index of the first slot of `k`'s home bucket.
    #[inline]
    fn home(&self, k: u64) -> usize {
        ((k.wrapping_mul(SPREAD) >> 32) as usize & self.mask) * self.stride()
    }

    /// Index of the first slot of the bucket after the one at `b`.
    #[inline]
    fn next(&self, b: usize) -> usize {
        (b + self.stride()) % self.slots.len().max(1)
    }

    /// Sets the value of `k` to `v` (in a map), adding `k` if absent.
    pub(crate) fn set(&mut self, k: u64, v: u64) {
        self.put(k, v, true);
    }

    /// Adds `k` with value `v`; an existing key's value is replaced when `overwrite`.
    fn put(&mut self, k: u64, v: u64, overwrite: bool) {
        let v = if self.map { v } else { 0 };
        if k == 0 {
            if self.zero.is_none() {
                self.len += 1;
            }
            if self.zero.is_none() || overwrite {
                self.zero = Some(v);
            }
            return;
        }
        if 2 * (self.len + 1) > self.slots.len() / self.stride() * SLOTS {
            // More keys than `reset` was told: grow, so that half the slots stay free.
            let old = std::mem::take(self);
            self.reset(2 * (old.len + 1), old.map);
            old.for_each(|k, v| self.put(k, v, false));
        }
        let mut b = self.home(k);
        loop {
            for s in b..b + SLOTS {
                if self.slots[s] == k || self.slots[s] == 0 {
                    if self.slots[s] == 0 {
                        self.slots[s] = k;
                        self.len += 1;
                    } else if !overwrite {
                        return;
                    }
                    if self.map {
                        self.slots[s + SLOTS] = v;
                    }
                    return;
                }
            }
            b = self.next(b);
        }
    }

    fn for_each(&self, mut f: impl FnMut(u64, u64)) {
        if let Some(v) = self.zero {
            f(0, v);
        }
        for bucket in self.slots.chunks(self.stride()) {
            for s in 0..SLOTS {
                if bucket[s] != 0 {
                    f(bucket[s], if self.map { bucket[s + SLOTS] } else { 0 });
                }
            }
        }
    }

    /// The slot index of `k` (not 0), if present.
    #[inline]
    fn find(&self, k: u64) -> Option<usize> {
        let mut b = self.home(k);
        loop {
            let keys: &[u64; SLOTS] = self.slots.get(b..b + SLOTS)?.try_into().ok()?;
            // Branch-free bucket compare: the hit/miss outcome is unpredictable.
            let mut at = SLOTS;
            let mut free = false;
            for (i, &s) in keys.iter().enumerate().rev() {
                at = if s == k { i } else { at };
                free |= s == 0;
            }
            if at < SLOTS {
                return Some(b + at);
            }
            if free {
                return None;
            }
            b = self.next(b);
        }
    }

    /// The value of `k` (0 in a set), if present.
    #[inline]
    pub(crate) fn get(&self, k: u64) -> Option<u64> {
        if k == 0 {
            return self.zero;
        }
        let s = self.find(k)?;
        if self.map {
            self.slots.get(s + SLOTS).copied()
        } else {
            Some(0)
        }
    }
}

/// The `lcs` step of Hyyrö (2004) over one 64-bit block: `v` has a 0 bit for each
/// position of the bit side that ends a common subsequence, `m` marks the positions equal
/// to the current element; returns the new `v` and the carry out.
#[inline]
fn step(v: u64, m: u64, carry: bool) -> (u64, bool) {
    let u = v & m;
    let (s, c1) = v.overflowing_add(u);
    let (s, c2) = s.overflowing_add(u64::from(carry));
    (s | (v & !u), c1 | c2)
}

/// Length of the longest common subsequence of `a` and `b` when `b` has at most 64
/// elements, with `mask_of(x)` the positions of `b` equal to `x` (bit `j` for `b[j]`).
pub(crate) fn lcs64(a: &[u64], b_len: usize, mask_of: impl Fn(u64) -> u64) -> usize {
    let mut v: u64 = !0;
    for &x in a {
        v = step(v, mask_of(x), false).0;
    }
    let mask = if b_len >= 64 { !0 } else { (1u64 << b_len) - 1 };
    (!v & mask).count_ones() as usize
}

/// Reused memory of [`lcs_len`]: the table of the bit side's distinct elements (value =
/// row), the rows of position masks and the state vector.
#[derive(Default)]
struct Scratch {
    rows_of: Table,
    rows: Vec<u64>,
    v: Vec<u64>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Length of the longest common subsequence of two hash sequences of any lengths
/// (bit-parallel over 64-position blocks of the shorter one, Hyyrö 2004): exact, in
/// `O(|long| · ⌈|short| / 64⌉)` word operations instead of the DP's `|a| · |b|` cells.
pub(crate) fn lcs_len(a: &[u64], b: &[u64]) -> usize {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return 0;
    }
    let words = short.len().div_ceil(64);
    SCRATCH.with(|s| {
        let Ok(mut s) = s.try_borrow_mut() else {
            // Re-entered (cannot happen: nothing here calls back); fresh memory is correct.
            return lcs_with(long, short, words, &mut Scratch::default());
        };
        lcs_with(long, short, words, &mut s)
    })
}

fn lcs_with(long: &[u64], short: &[u64], words: usize, s: &mut Scratch) -> usize {
    let Scratch { rows_of, rows, v } = s;
    rows_of.reset(short.len(), true);
    rows.clear();
    for (j, &y) in short.iter().enumerate() {
        let row = match rows_of.get(y) {
            Some(r) => r as usize,
            None => {
                let r = rows.len() / words;
                rows_of.set(y, r as u64);
                rows.resize(rows.len() + words, 0);
                r
            }
        };
        rows[row * words + j / 64] |= 1 << (j % 64);
    }
    if words == 1 {
        return lcs64(long, short.len(), |x| rows_of.get(x).map_or(0, |r| rows[r as usize]));
    }
    v.clear();
    v.resize(words, !0);
    for &x in long {
        let Some(r) = rows_of.get(x) else { continue };
        let row = &rows[r as usize * words..(r as usize + 1) * words];
        let mut carry = false;
        for (v, &m) in v.iter_mut().zip(row) {
            (*v, carry) = step(*v, m, carry);
        }
    }
    let tail = short.len() % 64;
    v.iter()
        .enumerate()
        .map(|(k, &w)| {
            let mask = if k + 1 == words && tail != 0 { (1u64 << tail) - 1 } else { !0 };
            (!w & mask).count_ones() as usize
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lcs_dp(a: &[u64], b: &[u64]) -> usize {
        let mut t = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for i in 0..a.len() {
            for j in 0..b.len() {
                t[i + 1][j + 1] =
                    if a[i] == b[j] { t[i][j] + 1 } else { t[i][j + 1].max(t[i + 1][j]) };
            }
        }
        t[a.len()][b.len()]
    }

    #[test]
    fn lcs_matches_dynamic_programming_on_edge_cases() {
        let long: Vec<u64> = (0..200).map(|i| i % 7).collect();
        let other: Vec<u64> = (0..150).map(|i| (i * 3) % 11).collect();
        let table: &[(&[u64], &[u64])] = &[
            (&[1, 2, 3, 4], &[1, 3, 4]),
            (&[1, 2, 3, 4], &[]),
            (&[0, 0, 1], &[0, 1, 0]),
            (&[5, 1, 5, 2, 5], &[1, 5, 5, 2, 2, 5, 1]),
            (&[7, 8, 9], &[9, 8, 7]),
            (&long, &long),
            (&long, &other),
            (&long[..64], &long[..64]),
            (&long[..65], &other[..64]),
            (&long[..128], &long[1..129]),
        ];
        for (a, b) in table {
            assert_eq!(lcs_len(a, b), lcs_dp(a, b), "{a:?} {b:?}");
        }
    }

    #[test]
    fn table_finds_exactly_its_keys_even_when_buckets_fill() {
        // Keys sharing a home bucket (equal high product bits) overflow into the next ones.
        let keys: Vec<u64> = (1..41u64).map(|i| i << 40).chain([0, 1, u64::MAX]).collect();
        let t = Table::map_of(keys.iter().map(|&k| (k, k ^ 5)));
        assert_eq!(t.len, keys.len());
        for &k in &keys {
            assert_eq!(t.get(k), Some(k ^ 5), "{k}");
        }
        for k in [2, 3, 41 << 40, u64::MAX - 1] {
            assert_eq!(t.get(k), None, "{k}");
        }
        let mut grown = Table::map_of([(7, 1)].into_iter());
        for k in 8..100 {
            grown.put(k, k, false);
        }
        assert!((8..100).all(|k| grown.get(k) == Some(k)) && grown.get(7) == Some(1));
        assert_eq!(grown.len, 93);
    }

    proptest! {
        #[test]
        fn lcs_is_the_dp_lcs(a in proptest::collection::vec(0u64..6, 0..150),
                             b in proptest::collection::vec(0u64..6, 0..150)) {
            prop_assert_eq!(lcs_len(&a, &b), lcs_dp(&a, &b));
        }

    }
}
