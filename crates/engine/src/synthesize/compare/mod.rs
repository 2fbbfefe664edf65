//! The same-fact test for two statements ("12 people were killed" vs "Twelve people died"):
//! [`Statement`] prepares a sentence once (stems, word n-grams, character 4-grams, numbers
//! incl. number words, synonym keys, names, negated predicates) and [`Statement::score`]
//! turns about thirty overlap/agreement features ([`features`]) into a probability with a
//! small gradient-boosted model ([`model`]), trained on MSRP by [`train_weights`].
//!
//! Hand-written: no crate offers a light, dependency-free paraphrase scorer. A negation
//! mismatch on a shared predicate ("reopened" / "did not reopen") is never the same fact.

pub mod embedding;
pub mod features;
#[cfg(feature = "embeddings")]
pub mod minilm;
pub mod model;
pub mod numbers;
pub(crate) mod probe;

use std::sync::{Arc, OnceLock};

use crate::analyze::signature::FastMap;
use crate::text::{fold, is_stopword, tokens};

pub use embedding::{embedding_features, model_dir, Embed, Embedding, N_EMB, WEIGHTS_EMB};
pub use features::{N_FEATURES, N_LEXICAL};
#[cfg(feature = "embeddings")]
pub use minilm::MiniLm;
pub use model::{
    best_threshold, cv_probabilities, examples, fit, fit_tuned, fit_with, predict, read_examples,
    read_pairs, train_weights, Example, Pair, Params, Tree, Weights, PARAMS, WEIGHTS,
};
pub use numbers::{numbers, NumberMention};

/// Highest score a pair with a negation mismatch on a shared predicate can get: below the
/// same-fact threshold and below the facts stage's alignment threshold.
pub const NEGATION_CAP: f32 = 0.2;

/// A statement prepared for comparison.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Lowercased word tokens (all of them, stopwords included).
    pub words: Vec<String>,
    /// Distinct stemmed content terms with their weights, in text order.
    pub terms: Vec<(String, f32)>,
    /// Numbers, in order.
    pub numbers: Vec<NumberMention>,
    /// Lowercased capitalised words that are not sentence-initial (names), sorted,
    /// distinct.
    pub names: Vec<String>,
    /// Whether the statement is negated ("not", "never", "no", "n't").
    pub negated: bool,
    /// Whether the statement is hedged ("may", "could", "reportedly").
    pub modal: bool,
    /// Number of content words.
    pub content_len: usize,
    /// Hashes of the terms with their weights, sorted by hash.
    pub(super) hterms: Vec<(u64, f32)>,
    /// Hashes of the terms ([`hash`] of [`Statement::terms`]' stems), in text order.
    thashes: Vec<u64>,
    /// The key lists read for every pair, in one allocation (see [`Lists`]).
    lists: Lists,
    /// Bitmap of the stem hashes of all words (a one-probe set: see [`bit_of`]).
    pub(super) stem_bits: Bits,
    /// Bitmap of the content words' synonym/stem keys and prefix keys.
    pub(super) align_bits: Bits,
    /// Character 4-grams of the folded words (numbers excluded), hashed into a bitmap.
    pub(super) chars: [u64; CHAR_WORDS],
    /// Number of bits set in [`Statement::chars`].
    pub(super) n_chars: u32,
    /// The distinct content words.
    pub(super) content: Vec<ContentWord>,
    /// Sorted distinct synonym/stem keys of the content words.
    pub(super) keys: Vec<u64>,
    /// Sorted keys of the predicates under a negation ("not reopen" -> key of "reopen").
    pub(super) neg_preds: Vec<u64>,
    /// The sentence embedding, when an encoder was given ([`Statement::with_embedding`]).
    pub embedding: Option<Arc<Embedding>>,
    /// Sum of the term weights (in [`Statement::hterms`] order).
    pub(super) total: f32,
    /// The distinct elements of [`Statement::cseq`], each with the mask of its positions
    /// (bit `j` for `cseq[j]`; at most [`MAX_SEQ`] = 64): the match masks of the
    /// bit-parallel LCS, looked up instead of compared against every position.
    pub(super) cmask: probe::Table,
}

/// A 1,024-bit set of hashes: a membership test is one bit (a sentence sets ~20-40 bits,
/// so a false hit is rare, ~3%), far cheaper than a binary search per word.
pub(super) type Bits = [u64; 16];

/// Word index and bit mask of a hash in [`Bits`].
pub(super) fn bit_of(h: u64) -> (usize, u64) {
    let b = (h >> 54) as usize;
    (b / 64, 1 << (b % 64))
}

/// Whether `h` is (probably) in `bits`.
pub(super) fn has(bits: &Bits, h: u64) -> bool {
    let (w, m) = bit_of(h);
    bits[w] & m != 0
}

fn bits_of(hashes: impl Iterator<Item = u64>) -> Bits {
    let mut bits = [0u64; 16];
    for h in hashes {
        let (w, m) = bit_of(h);
        bits[w] |= m;
    }
    bits
}

/// The key lists of a statement that every pair reads, back to back in one allocation:
/// fetched as one run of cache lines rather than from seven places on the heap (a story's
/// statements do not fit in the first-level cache, so each pair waits on the other side's).
#[derive(Debug, Clone)]
struct Lists {
    /// The lists, concatenated in [`Lists`] order.
    all: Vec<u64>,
    /// End of each list in `all` (`u32::MAX`: not pushed yet).
    ends: [u32; 7],
    /// Number of lists pushed.
    pushed: usize,
}

/// Index of the sorted distinct word 1-gram hashes in [`Lists`] (2- and 3-grams follow).
const GRAMS: usize = 0;
/// Index of the sorted distinct content-term bigram hashes.
const BIGRAMS: usize = 3;
/// Index of the sorted distinct name hashes.
const NAMES: usize = 4;
/// Index of the stem hashes in text order (numbers as one placeholder), ≤ [`MAX_SEQ`].
const SEQ: usize = 5;
/// Index of the content-word stem hashes in text order, ≤ [`MAX_SEQ`].
const CSEQ: usize = 6;

impl Lists {
    /// Appends the next list: `keys`, sorted and deduplicated when `distinct`.
    fn push(&mut self, keys: impl Iterator<Item = u64>, distinct: bool) {
        let start = self.all.len();
        self.all.extend(keys);
        if distinct {
            self.all[start..].sort_unstable();
            let mut w = start;
            for r in start..self.all.len() {
                if w == start || self.all[r] != self.all[w - 1] {
                    self.all[w] = self.all[r];
                    w += 1;
                }
            }
            self.all.truncate(w);
        }
        if let Some(end) = self.ends.get_mut(self.pushed) {
            // A sentence of 4 billion words cannot be read into memory first.
            *end = u32::try_from(self.all.len()).unwrap_or(u32::MAX);
            self.pushed += 1;
        }
    }

    fn with_capacity(n: usize) -> Lists {
        Lists { all: Vec::with_capacity(n), ends: [u32::MAX; 7], pushed: 0 }
    }

    fn get(&self, k: usize) -> &[u64] {
        let start = k.checked_sub(1).map_or(0, |p| self.ends[p] as usize);
        self.all.get(start..self.ends[k] as usize).unwrap_or(&[])
    }
}

/// A distinct content word of a statement, for soft alignment.
#[derive(Debug, Clone, Copy)]
pub(super) struct ContentWord {
    /// Synonym-group key, or the stem hash.
    pub key: u64,
    /// Hash of the 5-letter prefix of a word of 6+ letters, else 0.
    pub prefix: u64,
    /// Term weight.
    pub weight: f32,
    /// Whether it is a name.
    pub name: bool,
}

/// Longest token sequence kept for the longest-common-subsequence feature (one bit each).
pub const MAX_SEQ: usize = 64;
// The position masks of `Statement::cmask` and the one-block LCS need MAX_SEQ <= 64.
const _: () = assert!(MAX_SEQ <= 64);

/// Size of the character 4-gram bitmap, in 64-bit words (2,048 bits: a 120-character
/// sentence sets ~6% of them, so the overlap count is nearly exact and costs 32 ANDs).
pub const CHAR_WORDS: usize = 32;

/// FNV-1a: a small, fast, stable hash for short strings.
pub fn hash(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

fn hash_bytes(s: &[u8]) -> u64 {
    s.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3))
}

fn sorted_distinct(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v.dedup();
    v
}

use crate::text::{stem_folded, with_stem};

/// Stem hash -> synonym-group key, from `data/compare/synonyms.txt`.
///
/// Hashed with [`FastMap`]'s multiply-mix, not SipHash: the keys are the stems of the
/// shipped word list (fixed at build time), so text cannot choose colliding keys to slow
/// the map down (a lookup only reads it).
fn synonyms() -> &'static FastMap<u64, u64> {
    static MAP: OnceLock<FastMap<u64, u64>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = FastMap::default();
        let data = include_str!("../../../data/compare/synonyms.txt");
        for line in data.lines().filter(|l| !l.starts_with('#')) {
            let mut words = line.split_whitespace().map(|w| hash(&stem_folded(w)));
            let Some(group) = words.next() else { continue };
            map.entry(group).or_insert(group);
            for w in words {
                map.entry(w).or_insert(group);
            }
        }
        map
    })
}

/// Whether `w` negates the statement ("not", "never", "no", "denied" …; "n't" apart).
/// (`matches!` on strings dispatches on the length: this runs on every word.)
fn is_negation(w: &str) -> bool {
    matches!(
        w,
        "not"
            | "no"
            | "never"
            | "none"
            | "nobody"
            | "nothing"
            | "neither"
            | "nor"
            | "without"
            | "denied"
    )
}

/// Negation words that scope over the next content word (the negated predicate).
pub(in crate::synthesize) fn is_neg_scope(w: &str) -> bool {
    matches!(w, "not" | "no" | "never" | "neither" | "nor" | "without")
}

/// Whether `w` hedges the statement ("may", "reportedly", "expected" …).
fn is_modal(w: &str) -> bool {
    matches!(
        w,
        "may"
            | "might"
            | "could"
            | "would"
            | "reportedly"
            | "allegedly"
            | "possibly"
            | "likely"
            | "probably"
            | "expected"
            | "plans"
            | "planned"
            | "should"
    )
}

/// Weight of a content term: longer words are rarer and carry more meaning; names more so.
fn term_weight(word: &str, is_name: bool) -> f32 {
    let n = word.chars().count().min(12) as f32;
    let base = 0.5 + n / 8.0;
    if is_name {
        base * 1.5
    } else {
        base
    }
}

/// Placeholder hash standing for any number in the lexical sequence.
fn number_placeholder() -> u64 {
    hash("#num")
}

/// Whether folded word `w` is a content word (not a stopword, number or single letter).
fn is_content(w: &str) -> bool {
    w.chars().any(char::is_alphabetic)
        && w.chars().count() >= 2
        && !is_stopword(w)
        && numbers::small_number(w).is_none()
}

/// Key of a content word: its synonym group, or its stem.
fn key_of(stem: u64) -> u64 {
    synonyms().get(&stem).copied().unwrap_or(stem)
}

/// Key of the first five letters of a word of at least six (derivations: "acquisition" /
/// "acquire"), or 0.
fn prefix_key(w: &str) -> u64 {
    match w.char_indices().nth(5) {
        Some((i, _)) if w.chars().all(char::is_alphabetic) => hash_bytes(&w.as_bytes()[..i]) | 1,
        _ => 0,
    }
}

/// Bitmap of the character 4-grams of the words (numbers skipped), with word boundaries.
fn char_grams(words: &[String], is_num: &[bool]) -> [u64; CHAR_WORDS] {
    let mut buf: Vec<u8> = Vec::with_capacity(words.iter().map(|w| w.len() + 1).sum());
    for (w, num) in words.iter().zip(is_num) {
        if !num {
            buf.push(b' ');
            buf.extend_from_slice(w.as_bytes());
        }
    }
    buf.push(b' ');
    let mut bits = [0u64; CHAR_WORDS];
    for h in buf.windows(4).map(hash_bytes) {
        let bit = (h >> 40) as usize % (CHAR_WORDS * 64);
        bits[bit / 64] |= 1 << (bit % 64);
    }
    bits
}

/// The n-gram hashes of `seq`, in order.
fn ngrams(seq: &[u64], n: usize) -> impl Iterator<Item = u64> + '_ {
    seq.windows(n).map(|g| g.iter().fold(0u64, |h, x| h.rotate_left(19) ^ x))
}

/// Keys of the predicates under a scoping negation: the next content word within 4 tokens.
fn negated_predicates(words: &[String], stems: &[Option<u64>]) -> Vec<u64> {
    let mut out = Vec::new();
    for (k, w) in words.iter().enumerate() {
        if !(is_neg_scope(w) || w.ends_with("n't")) {
            continue;
        }
        if let Some(s) = (k + 1..(k + 5).min(words.len())).find_map(|j| stems[j]) {
            out.push(key_of(s));
        }
    }
    sorted_distinct(out)
}

impl Statement {
    /// Prepares `text` for comparison.
    pub fn new(text: &str) -> Statement {
        let toks = tokens(text);
        let words: Vec<String> = toks.iter().map(|t| fold(t.text)).collect();
        let numbers = numbers(&words);
        let mut is_num = vec![false; words.len()];
        for n in &numbers {
            for f in is_num.iter_mut().take(n.last).skip(n.first) {
                *f = true;
            }
        }
        let mut terms: Vec<(String, f32)> = Vec::new();
        let mut hterms: Vec<(u64, f32)> = Vec::new();
        let mut content_seq: Vec<u64> = Vec::new();
        let mut content: Vec<ContentWord> = Vec::new();
        let mut content_stems: Vec<Option<u64>> = vec![None; words.len()];
        let mut seq: Vec<u64> = Vec::with_capacity(words.len());
        let mut names: Vec<String> = Vec::new();
        let (mut negated, mut modal, mut content_len) = (false, false, 0);
        for (k, (t, w)) in toks.iter().zip(&words).enumerate() {
            if is_negation(w) || w.ends_with("n't") {
                negated = true;
            }
            modal |= is_modal(w);
            if is_num[k] {
                if k == 0 || !is_num[k - 1] {
                    seq.push(number_placeholder());
                    content_seq.push(number_placeholder());
                }
                continue;
            }
            // One stem lookup per word; the stem is copied out of the cache only for a new
            // content term.
            let content_word = is_content(w);
            let (h, new_stem) = with_stem(w, |s| {
                let h = hash(s);
                let new = content_word && !hterms.iter().any(|(x, _)| *x == h);
                (h, new.then(|| s.to_string()))
            });
            seq.push(h);
            if !content_word {
                continue;
            }
            let is_name = k > 0 && t.text.chars().next().is_some_and(char::is_uppercase);
            if is_name {
                names.push(w.clone());
            }
            content_len += 1;
            content_seq.push(h);
            content_stems[k] = Some(h);
            let weight = term_weight(w, is_name);
            match hterms.iter().position(|(x, _)| *x == h) {
                Some(i) => {
                    hterms[i].1 = hterms[i].1.max(weight);
                    terms[i].1 = hterms[i].1;
                }
                None => {
                    hterms.push((h, weight));
                    terms.push((new_stem.unwrap_or_default(), weight));
                    content.push(ContentWord {
                        key: key_of(h),
                        prefix: prefix_key(w),
                        weight,
                        name: is_name,
                    });
                }
            }
        }
        names.sort_unstable();
        names.dedup();
        let thashes: Vec<u64> = hterms.iter().map(|t| t.0).collect();
        hterms.sort_unstable_by_key(|x| x.0);
        let mut lists = Lists::with_capacity(3 * seq.len() + 2 * content_seq.len() + names.len());
        for n in 1..=3 {
            lists.push(ngrams(&seq, n), true);
        }
        lists.push(ngrams(&content_seq, 2), true);
        lists.push(names.iter().map(|w| hash(w)), true);
        let stem_bits = bits_of(seq.iter().copied());
        content_seq.truncate(MAX_SEQ);
        seq.truncate(MAX_SEQ);
        lists.push(seq.iter().copied(), false);
        lists.push(content_seq.iter().copied(), false);
        let keys = sorted_distinct(content.iter().map(|c| c.key).collect());
        let prefixes =
            sorted_distinct(content.iter().map(|c| c.prefix).filter(|&p| p != 0).collect());
        let align_bits = bits_of(keys.iter().chain(&prefixes).copied());
        let neg_preds = negated_predicates(&words, &content_stems);
        let chars = char_grams(&words, &is_num);
        let total: f32 = hterms.iter().map(|t| t.1).sum();
        let mut s = Statement {
            words,
            terms,
            numbers,
            names,
            negated,
            modal,
            content_len,
            hterms,
            thashes,
            lists,
            stem_bits,
            align_bits,
            chars,
            n_chars: chars.iter().map(|w| w.count_ones()).sum(),
            content,
            keys,
            neg_preds,
            embedding: None,
            total,
            cmask: probe::Table::default(),
        };
        s.cmask.reset(content_seq.len(), true);
        for (j, &k) in content_seq.iter().enumerate() {
            let m = s.cmask.get(k).unwrap_or(0) | 1 << j;
            s.cmask.set(k, m);
        }
        s
    }

    /// The terms as ([`hash`] of the stem, weight), in text order: what indexes and
    /// weighs a statement's terms without hashing their text again.
    pub fn keyed_terms(&self) -> impl Iterator<Item = (u64, f32)> + '_ {
        self.thashes.iter().zip(&self.terms).map(|(h, t)| (*h, t.1))
    }

    /// Sorted distinct hashes of the word `n + 1`-grams (`n` < 3; stems, numbers as one
    /// placeholder).
    pub(super) fn grams(&self, n: usize) -> &[u64] {
        self.lists.get(GRAMS + n.min(2))
    }

    /// Sorted distinct hashes of content-term bigrams.
    pub(super) fn hbigrams(&self) -> &[u64] {
        self.lists.get(BIGRAMS)
    }

    /// Sorted distinct hashes of the names.
    pub(super) fn hnames(&self) -> &[u64] {
        self.lists.get(NAMES)
    }

    /// The stem hashes in text order (numbers as one placeholder), at most [`MAX_SEQ`].
    pub(super) fn seq(&self) -> &[u64] {
        self.lists.get(SEQ)
    }

    /// The content-word stem hashes in text order (numbers as one placeholder), at most
    /// [`MAX_SEQ`].
    pub(super) fn cseq(&self) -> &[u64] {
        self.lists.get(CSEQ)
    }

    /// The statement with its sentence embedding: two statements that both have one are
    /// scored with the embeddings-aware model [`WEIGHTS_EMB`].
    pub fn with_embedding(mut self, embedding: Embedding) -> Statement {
        self.embedding = Some(Arc::new(embedding));
        self
    }

    /// The model that scores `self` against `other`: [`WEIGHTS_EMB`] when both have an
    /// embedding (and that model is present), else the lexical [`WEIGHTS`].
    pub fn weights(&self, other: &Statement) -> &'static Weights {
        if self.embedding.is_some() && other.embedding.is_some() && !WEIGHTS_EMB.trees.is_empty() {
            &WEIGHTS_EMB
        } else {
            &WEIGHTS
        }
    }

    /// The pair features (see [`N_FEATURES`]); with `mask_numbers` the number features are
    /// neutral, so two statements differing only in a count still match.
    /// The embedding features are 0 unless both statements have an embedding.
    pub fn features(&self, other: &Statement, mask_numbers: bool) -> [f32; N_FEATURES] {
        let mut f = features::pair_features(self, other, mask_numbers);
        if let (Some(a), Some(b)) = (&self.embedding, &other.embedding) {
            f[N_LEXICAL..].copy_from_slice(&embedding_features(a, b));
        }
        f
    }

    /// Whether one side negates a predicate the other states without negation.
    pub fn negation_mismatch(&self, other: &Statement) -> bool {
        let one_way = |a: &Statement, b: &Statement| {
            a.neg_preds
                .iter()
                .any(|p| b.keys.binary_search(p).is_ok() && b.neg_preds.binary_search(p).is_err())
        };
        one_way(self, other) || one_way(other, self)
    }

    /// Probability that `self` and `other` state the same fact.
    pub fn score(&self, other: &Statement) -> f32 {
        predict(self.weights(other), &self.features(other, false))
    }

    /// Like [`Statement::score`] but ignoring the numbers (for finding conflicting counts).
    pub fn score_masked(&self, other: &Statement) -> f32 {
        predict(self.weights(other), &self.features(other, true))
    }

    /// Whether [`Statement::same_fact`] holds, else whether [`Statement::score_masked`]
    /// exceeds `masked_min`, from one computation of the features (the masked ones are the
    /// plain ones with the number features at 0).
    pub fn same_fact_or_masked_above(&self, other: &Statement, masked_min: f32) -> bool {
        let w = self.weights(other);
        let mut f = self.features(other, false);
        if predict(w, &f) >= w.threshold {
            return true;
        }
        f[features::NUMBERS].fill(0.0);
        predict(w, &f) > masked_min
    }

    /// Like [`Statement::score`] but blind to negation ("was arrested" / "was not
    /// arrested" score as the same claim): for finding claims that sources contradict.
    pub fn score_unnegated(&self, other: &Statement) -> f32 {
        let mut f = self.features(other, false);
        f[features::NEG_MISMATCH] = 0.0;
        f[features::NEGATED] = 0.0;
        predict(self.weights(other), &f)
    }

    /// The predicate one side negates and the other states ("was not arrested" /
    /// "was arrested" → `arrested`, as written on the stating side), and whether `self` is
    /// the negating side.
    pub fn negated_predicate(&self, other: &Statement) -> Option<(String, bool)> {
        let one_way = |a: &Statement, b: &Statement| {
            let p = a.neg_preds.iter().copied().find(|p| {
                b.keys.binary_search(p).is_ok() && b.neg_preds.binary_search(p).is_err()
            })?;
            b.words.iter().find(|w| is_content(w) && key_of(hash(&stem_folded(w))) == p).cloned()
        };
        one_way(self, other).map(|w| (w, true)).or_else(|| one_way(other, self).map(|w| (w, false)))
    }

    /// Whether `self` and `other` state the same fact.
    pub fn same_fact(&self, other: &Statement) -> bool {
        self.score(other) >= self.weights(other).threshold
    }
}

/// Same-fact test for two statements: (decision, probability).
pub fn same_fact(a: &str, b: &str) -> (bool, f32) {
    same_fact_statements(&Statement::new(a), &Statement::new(b))
}

/// Same-fact test for two prepared statements (with their embeddings, if any):
/// (decision, probability).
pub fn same_fact_statements(a: &Statement, b: &Statement) -> (bool, f32) {
    let p = a.score(b);
    (p >= a.weights(b).threshold, p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_flags() {
        let s = Statement::new("The Kremlin did not confirm that Assad may be in Moscow.");
        assert!(s.negated && s.modal);
        let has = |n: &str| s.names.iter().any(|x| x == n);
        assert!(has("assad") && has("moscow"));
        assert!(!has("the"));
    }

    #[test]
    fn same_fact_judgements() {
        let table = [
            (
                "Twelve people were killed in the blast in the city centre on Monday.",
                "12 people were killed on Monday in a blast in the city centre.",
                true,
            ),
            (
                "Putin personally granted asylum to Bashar al-Assad and his family.",
                "Bashar al-Assad and his family were granted asylum by Putin personally.",
                true,
            ),
            (
                "Twelve people were killed in the blast in the city centre on Monday.",
                "The central bank raised interest rates by half a point on Thursday.",
                false,
            ),
            ("The bridge reopened.", "The bridge did not reopen.", false),
            ("The bridge did not reopen.", "The bridge reopened on Monday.", false),
            ("The bridge did not reopen.", "The bridge didn't reopen.", true),
            (
                "No one was killed in the fire at the plant.",
                "Two workers were killed in the fire at the plant.",
                false,
            ),
        ];
        for (a, b, want) in table {
            let (got, p) = same_fact(a, b);
            assert_eq!(got, want, "{a} | {b} p={p}");
        }
    }

    #[test]
    fn negation_mismatch_needs_a_shared_predicate() {
        let table = [
            ("The bridge reopened.", "The bridge did not reopen.", true),
            ("Police did not name the suspect.", "Police named the suspect.", true),
            ("Police did not name the suspect.", "Police have not named the suspect.", false),
            ("Police did not name the suspect.", "The suspect was arrested.", false),
        ];
        for (a, b, want) in table {
            let (a, b) = (Statement::new(a), Statement::new(b));
            assert_eq!(a.negation_mismatch(&b), want, "{:?} | {:?}", a.words, b.words);
            assert_eq!(b.negation_mismatch(&a), want);
        }
    }

    /// The conflicts stage pairs sentences that differ only in a count or a date with the
    /// masked score (it needs 0.5 for dates, 0.38 to align).
    #[test]
    fn masking_numbers_ignores_count_differences() {
        let table = [
            (
                "Twelve people were killed in the blast in the city centre.",
                "Nine people were killed in the blast in the city centre.",
            ),
            (
                "The ceasefire began on 12 March, officials said.",
                "The ceasefire began on 15 March, officials said.",
            ),
            ("At least 40 people died in the floods.", "At least 25 people died in the floods."),
            (
                "Assad fled to Moscow on 8 December 2024.",
                "Assad fled to Moscow on 7 December 2024.",
            ),
        ];
        for (a, b) in table {
            let (a, b) = (Statement::new(a), Statement::new(b));
            assert!(a.score_masked(&b) >= 0.6, "{:?}: {}", a.words, a.score_masked(&b));
            assert!(a.score_masked(&b) >= a.score(&b));
        }
    }

    /// Masking is the plain features with the number features at 0, so one computation
    /// serves both scores.
    #[test]
    fn masked_features_are_plain_ones_without_numbers() {
        let table = [
            ("Twelve people were killed in the blast.", "Nine people were killed in the blast."),
            ("Shares rose 4.4% to $4.57 on 3 May.", "Shares rose 4.4% to a record on 3 May."),
            ("The bridge did not reopen.", "The bridge reopened on Monday."),
            ("", "1 2 3"),
        ];
        for (a, b) in table {
            let (a, b) = (Statement::new(a), Statement::new(b));
            for (x, y) in [(&a, &b), (&b, &a)] {
                let mut plain = x.features(y, false);
                plain[features::NUMBERS].fill(0.0);
                assert_eq!(plain, x.features(y, true), "{:?} | {:?}", x.words, y.words);
                for min in [0.0, 0.5, 0.8] {
                    let want = x.same_fact(y) || x.score_masked(y) > min;
                    assert_eq!(x.same_fact_or_masked_above(y, min), want);
                }
            }
        }
    }

    /// The summary stage drops a sentence whose masked score against a chosen one is > 0.8.
    #[test]
    fn identical_statements_score_high() {
        for t in [
            "Russia granted asylum to Assad and his family on humanitarian grounds.",
            "The bridge did not reopen.",
            "Shares rose 4.4% to a record high of $4.57.",
        ] {
            let a = Statement::new(t);
            assert!(a.score(&a) > 0.8 && a.score_masked(&a) > 0.8, "{t}: {}", a.score(&a));
        }
    }

    #[test]
    fn synonyms_and_shipped_model_load() {
        assert!(WEIGHTS.trees.len() >= 50);
        assert_eq!(key_of(hash(&stem_folded("bought"))), key_of(hash(&stem_folded("acquired"))));
        assert_ne!(key_of(hash(&stem_folded("bought"))), key_of(hash(&stem_folded("sold"))));
    }

    #[test]
    fn embedding_features_only_when_both_sides_have_one() {
        let e = |v: [f32; 2]| Embedding { sentence: v.to_vec(), tokens: v.to_vec() };
        let a = Statement::new("The mayor opened the bridge.");
        let b = Statement::new("The bridge was opened by the mayor.");
        let f = a.features(&b, false);
        assert!(f[N_LEXICAL..].iter().all(|x| *x == 0.0));
        assert!(std::ptr::eq(a.weights(&b), &*WEIGHTS));
        let (ae, be) = (a.clone().with_embedding(e([1.0, 0.0])), b.with_embedding(e([0.6, 0.8])));
        assert!(std::ptr::eq(ae.weights(&a), &*WEIGHTS), "one side only: lexical model");
        let f = ae.features(&be, false);
        assert!((f[embedding::EMB_COSINE] - 0.6).abs() < 1e-6);
        let want: &Weights = if WEIGHTS_EMB.trees.is_empty() { &WEIGHTS } else { &WEIGHTS_EMB };
        assert!(std::ptr::eq(ae.weights(&be), want));
        let (same, p) = same_fact_statements(&ae, &be);
        assert_eq!(same, p >= want.threshold);
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        for s in ["", "   ", "¿¡", "日本語のテキスト", &"word ".repeat(300), "1 2 3 4 5 6 7 8 9"]
        {
            let a = Statement::new(s);
            let p = a.score(&Statement::new("A normal sentence about a bridge."));
            assert!((0.0..=1.0).contains(&p), "{s}");
            assert!(a.score(&a).is_finite());
        }
    }
}
