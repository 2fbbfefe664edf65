//! The same-fact test for two statements ("12 people were killed" vs "Twelve people died"):
//! [`Statement`] prepares a sentence once (stemmed content terms with weights, numbers incl.
//! number words, negation, modality, capitalised names) and [`Statement::score`] combines a
//! few overlap/agreement features with a small logistic regression.
//!
//! Hand-written: no crate offers a light, dependency-free paraphrase scorer. The weights are
//! trained on MSRP train with [`train_weights`] (batch gradient descent on the log loss, L2
//! 1e-3, 3000 steps, then the threshold that maximises training accuracy) and shipped in
//! [`WEIGHTS`]; `chorus eval compare` (see `eval::compare`) reports 10-fold CV scores.

use std::collections::HashSet;
use std::path::Path;

use crate::text::{fold, is_stopword, parse_number, tokens};

/// Number of features of a pair.
pub const N_FEATURES: usize = 12;

/// Logistic-regression weights over the pair features, and the decision threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// One weight per feature.
    pub w: [f32; N_FEATURES],
    /// Intercept.
    pub bias: f32,
    /// Probability above which two statements are the same fact.
    pub threshold: f32,
}

/// Weights trained on MSRP train (`train_weights`, all 4,076 pairs).
/// Regenerate with `cargo test --release -p chorus-engine --lib msrp_train -- --ignored
/// --nocapture` after changing the features.
pub const WEIGHTS: Weights = Weights {
    w: [
        1.164_876_6,
        0.412_224_56,
        2.596_412_2,
        -1.518_545_6,
        0.290_652_4,
        -0.991_827_37,
        0.105_550_58,
        -1.084_557_2,
        -0.109_777_72,
        0.069_360_77,
        3.002_477_4,
        -1.164_767_4,
    ],
    bias: -2.607_165,
    threshold: 0.56,
};

/// A number mentioned in a statement.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberMention {
    /// The value ("two dozen" = 24, "1.5 million" = 1500000).
    pub value: f64,
    /// Index of the first token of the number in [`Statement::words`].
    pub first: usize,
    /// Index one past the last token of the number.
    pub last: usize,
}

/// A statement prepared for comparison.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Lowercased word tokens (all of them, stopwords included).
    pub words: Vec<String>,
    /// Distinct stemmed content terms with their weights, in text order.
    pub terms: Vec<(String, f32)>,
    /// Numbers, in order.
    pub numbers: Vec<NumberMention>,
    /// Lowercased capitalised words that are not sentence-initial (names).
    pub names: HashSet<String>,
    /// Whether the statement is negated ("not", "never", "no", "n't").
    pub negated: bool,
    /// Whether the statement is hedged ("may", "could", "reportedly").
    pub modal: bool,
    /// Number of content words.
    pub content_len: usize,
    /// Hashes of the terms with their weights, sorted by hash (for fast intersection).
    hterms: Vec<(u64, f32)>,
    /// Sorted distinct hashes of content-term bigrams.
    hbigrams: Vec<u64>,
    /// Sorted distinct hashes of all words.
    hwords: Vec<u64>,
    /// Sorted distinct hashes of the names.
    hnames: Vec<u64>,
}

/// FNV-1a: a small, fast, stable hash for short strings.
pub fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

fn sorted_distinct(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v.dedup();
    v
}

/// Number of common elements of two sorted distinct lists.
fn common(a: &[u64], b: &[u64]) -> usize {
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

/// Summed weights of the shared terms, on each side.
fn shared_weights(a: &[(u64, f32)], b: &[(u64, f32)]) -> (f32, f32, usize) {
    let (mut i, mut j) = (0, 0);
    let (mut wa, mut wb, mut n) = (0.0, 0.0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                wa += a[i].1;
                wb += b[j].1;
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (wa, wb, n)
}

fn stemmer() -> &'static rust_stemmers::Stemmer {
    static STEMMER: std::sync::OnceLock<rust_stemmers::Stemmer> = std::sync::OnceLock::new();
    STEMMER.get_or_init(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English))
}

/// The stem of an already folded word (same result as [`crate::text::term`]).
fn stem_folded(w: &str) -> String {
    if w.bytes().all(|b| b.is_ascii_alphabetic()) {
        stemmer().stem(w).into_owned()
    } else {
        w.to_string()
    }
}

const NEGATIONS: &[&str] =
    &["not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "denied"];
const MODALS: &[&str] = &[
    "may",
    "might",
    "could",
    "would",
    "reportedly",
    "allegedly",
    "possibly",
    "likely",
    "probably",
    "expected",
    "plans",
    "planned",
    "should",
];

fn small_number(w: &str) -> Option<f64> {
    const SMALL: &[&str] = &[
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: &[&str] =
        &["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    if let Some(i) = SMALL.iter().position(|s| *s == w) {
        return Some(i as f64);
    }
    if let Some(i) = TENS.iter().position(|s| *s == w) {
        return Some(20.0 + 10.0 * i as f64);
    }
    // "twenty-five"
    let (a, b) = w.split_once('-')?;
    let t = TENS.iter().position(|s| *s == a)?;
    let u = SMALL.iter().position(|s| *s == b).filter(|&u| (1..10).contains(&u))?;
    Some(20.0 + 10.0 * t as f64 + u as f64)
}

fn multiplier(w: &str) -> Option<f64> {
    match w {
        "dozen" | "dozens" => Some(12.0),
        "hundred" | "hundreds" => Some(100.0),
        "thousand" | "thousands" => Some(1e3),
        "million" | "millions" | "mln" => Some(1e6),
        "billion" | "billions" | "bln" | "bn" => Some(1e9),
        "trillion" => Some(1e12),
        _ => None,
    }
}

fn digits(w: &str) -> Option<f64> {
    if !w.starts_with(|c: char| c.is_ascii_digit() || c == '$') {
        return None;
    }
    let w = w.trim_end_matches('%');
    let w = w.strip_prefix('$').unwrap_or(w);
    parse_number(w)
}

/// Reads the numbers in lowercased `words`: digits, number words, multipliers.
pub fn numbers(words: &[String]) -> Vec<NumberMention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        let start_val = digits(w).or_else(|| small_number(w)).or_else(|| {
            // "a hundred", "a dozen"
            let next = words.get(i + 1).map(String::as_str).and_then(multiplier);
            (matches!(w, "a" | "an") && next.is_some()).then_some(1.0)
        });
        let Some(mut value) = start_val else {
            // a bare multiplier word: "hundreds of", "dozens"
            i += 1;
            continue;
        };
        let first = i;
        let lone_word = small_number(w).is_some();
        i += 1;
        while let Some(next) = words.get(i) {
            if let Some(m) = multiplier(next) {
                value *= m;
            } else if let Some(s) = small_number(next).filter(|_| value >= 100.0) {
                value += s; // "a hundred and five" style tails after a multiplier
            } else if next == "and" && words.get(i + 1).and_then(|n| small_number(n)).is_some() {
                // keep reading "hundred and five"
            } else {
                break;
            }
            i += 1;
        }
        // "one" alone is mostly a pronoun ("one of the"), not a count.
        if !(lone_word && w == "one" && i == first + 1) {
            out.push(NumberMention { value, first, last: i });
        }
    }
    out
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

impl Statement {
    /// Prepares `text` for comparison.
    pub fn new(text: &str) -> Statement {
        let toks = tokens(text);
        let words: Vec<String> = toks.iter().map(|t| fold(t.text)).collect();
        let mut terms: Vec<(String, f32)> = Vec::new();
        let mut hterms: Vec<(u64, f32)> = Vec::new();
        let mut seq: Vec<u64> = Vec::new();
        let mut names = HashSet::new();
        let mut negated = false;
        let mut modal = false;
        let mut content_len = 0;
        for (k, (t, w)) in toks.iter().zip(&words).enumerate() {
            if NEGATIONS.contains(&w.as_str()) || w.ends_with("n't") {
                negated = true;
            }
            if MODALS.contains(&w.as_str()) {
                modal = true;
            }
            let alpha = w.chars().any(|c| c.is_alphabetic());
            if !alpha || w.chars().count() < 2 || is_stopword(w) || small_number(w).is_some() {
                continue;
            }
            let cap = t.text.chars().next().is_some_and(char::is_uppercase);
            let is_name = cap && k > 0;
            if is_name {
                names.insert(w.clone());
            }
            content_len += 1;
            let st = stem_folded(w);
            let h = hash(&st);
            seq.push(h);
            let weight = term_weight(w, is_name);
            match hterms.iter().position(|(x, _)| *x == h) {
                Some(i) => {
                    hterms[i].1 = hterms[i].1.max(weight);
                    terms[i].1 = hterms[i].1;
                }
                None => {
                    hterms.push((h, weight));
                    terms.push((st, weight));
                }
            }
        }
        hterms.sort_unstable_by_key(|x| x.0);
        let hbigrams = sorted_distinct(
            seq.windows(2).map(|p| p[0].rotate_left(17) ^ p[1].wrapping_mul(31)).collect(),
        );
        let hwords = sorted_distinct(words.iter().map(|w| hash(w)).collect());
        let hnames = sorted_distinct(names.iter().map(|w| hash(w)).collect());
        let numbers = numbers(&words);
        Statement {
            words,
            terms,
            numbers,
            names,
            negated,
            modal,
            content_len,
            hterms,
            hbigrams,
            hwords,
            hnames,
        }
    }

    /// The pair features (see [`N_FEATURES`]); with `mask_numbers` the number features are
    /// neutral, so two statements differing only in a count still match.
    pub fn features(&self, other: &Statement, mask_numbers: bool) -> [f32; N_FEATURES] {
        let total_a: f32 = self.hterms.iter().map(|t| t.1).sum();
        let total_b: f32 = other.hterms.iter().map(|t| t.1).sum();
        let (shared_a, shared_b, n_shared) = shared_weights(&self.hterms, &other.hterms);
        let ra = ratio(shared_a, total_a);
        let rb = ratio(shared_b, total_b);
        let union = self.hterms.len() + other.hterms.len() - n_shared;
        let jacc = ratio(n_shared as f32, union as f32);
        let bi_shared = common(&self.hbigrams, &other.hbigrams) as f32;
        let bi = ratio(2.0 * bi_shared, (self.hbigrams.len() + other.hbigrams.len()) as f32);
        let (num_agree, num_clash) =
            if mask_numbers { (0.0, 0.0) } else { number_agreement(&self.numbers, &other.numbers) };
        let names_shared = common(&self.hnames, &other.hnames) as f32;
        let names_union = (self.hnames.len() + other.hnames.len()) as f32 - names_shared;
        let name_only = ratio(names_union - names_shared, names_union.max(1.0));
        let len_ratio = ratio(
            self.content_len.min(other.content_len) as f32,
            self.content_len.max(other.content_len) as f32,
        );
        let wshared = common(&self.hwords, &other.hwords) as f32;
        let wdice = ratio(2.0 * wshared, (self.hwords.len() + other.hwords.len()) as f32);
        [
            ra.min(rb),
            ra.max(rb),
            jacc,
            bi,
            num_agree,
            num_clash,
            name_only,
            f32::from(self.negated != other.negated),
            f32::from(self.modal != other.modal),
            len_ratio,
            wdice,
            (self.content_len.abs_diff(other.content_len) as f32 / 10.0).min(2.0),
        ]
    }

    /// Probability that `self` and `other` state the same fact.
    pub fn score(&self, other: &Statement) -> f32 {
        predict(&WEIGHTS, &self.features(other, false))
    }

    /// Like [`Statement::score`] but ignoring the numbers (for finding conflicting counts).
    pub fn score_masked(&self, other: &Statement) -> f32 {
        predict(&WEIGHTS, &self.features(other, true))
    }

    /// Whether `self` and `other` state the same fact.
    pub fn same_fact(&self, other: &Statement) -> bool {
        self.score(other) >= WEIGHTS.threshold
    }
}

fn ratio(a: f32, b: f32) -> f32 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

/// (agreement, disagreement) of two number lists: shared values over the union, and 1 when
/// both have numbers but share none.
fn number_agreement(a: &[NumberMention], b: &[NumberMention]) -> (f32, f32) {
    if a.is_empty() && b.is_empty() {
        return (0.0, 0.0);
    }
    let eq = |x: f64, y: f64| (x - y).abs() <= 1e-6 * x.abs().max(1.0);
    let shared = a.iter().filter(|x| b.iter().any(|y| eq(x.value, y.value))).count();
    let only_a = a.len() - shared;
    let only_b = b.iter().filter(|y| !a.iter().any(|x| eq(x.value, y.value))).count();
    let union = (shared + only_a + only_b) as f32;
    let agree = shared as f32 / union;
    let clash = if !a.is_empty() && !b.is_empty() { (only_a + only_b) as f32 / union } else { 0.0 };
    (agree, clash)
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// The model's probability for a feature vector.
pub fn predict(w: &Weights, f: &[f32; N_FEATURES]) -> f32 {
    sigmoid(w.bias + w.w.iter().zip(f).map(|(a, b)| a * b).sum::<f32>())
}

/// Same-fact test for two statements: (decision, probability).
pub fn same_fact(a: &str, b: &str) -> (bool, f32) {
    let p = Statement::new(a).score(&Statement::new(b));
    (p >= WEIGHTS.threshold, p)
}

/// A labelled pair: features and whether it is a paraphrase.
pub type Example = ([f32; N_FEATURES], bool);

/// Reads MSRP-format pairs (TSV: Quality, #1 ID, #2 ID, #1 String, #2 String; header line)
/// into feature vectors.
pub fn read_examples(path: &Path) -> std::io::Result<Vec<Example>> {
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
            let (a, b) = (Statement::new(cols.get(3)?), Statement::new(cols.get(4)?));
            Some((a.features(&b, false), label))
        })
        .collect())
}

/// Fits logistic-regression weights on `examples` (batch gradient descent on the log loss
/// with L2 1e-3, 3000 steps, rate 0.5), then picks the threshold maximising accuracy.
pub fn fit(examples: &[Example]) -> Weights {
    let mut w = Weights { w: [0.0; N_FEATURES], bias: 0.0, threshold: 0.5 };
    let n = examples.len().max(1) as f32;
    for _ in 0..3000 {
        let mut gw = [0.0f32; N_FEATURES];
        let mut gb = 0.0;
        for (f, y) in examples {
            let err = predict(&w, f) - f32::from(u8::from(*y));
            for (g, x) in gw.iter_mut().zip(f) {
                *g += err * x;
            }
            gb += err;
        }
        for (wi, g) in w.w.iter_mut().zip(gw) {
            *wi -= 0.5 * (g / n + 1e-3 * *wi);
        }
        w.bias -= 0.5 * gb / n;
    }
    let mut best = (0usize, 0.5f32);
    for k in 20..80 {
        let t = k as f32 / 100.0;
        let correct = examples.iter().filter(|(f, y)| (predict(&w, f) >= t) == *y).count();
        if correct > best.0 {
            best = (correct, t);
        }
    }
    w.threshold = best.1;
    w
}

/// Trains the shipped weights from an MSRP-format file (see [`fit`]).
pub fn train_weights(path: &Path) -> std::io::Result<Weights> {
    Ok(fit(&read_examples(path)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(s: &str) -> Vec<f64> {
        Statement::new(s).numbers.iter().map(|n| n.value).collect()
    }

    #[test]
    fn number_words_are_read() {
        let table: &[(&str, &[f64])] = &[
            ("two dozen people", &[24.0]),
            ("a hundred homes", &[100.0]),
            ("1.5 million dollars", &[1_500_000.0]),
            ("nine were killed", &[9.0]),
            ("one of the men said 12", &[12.0]),
            ("twenty-five and 1,500", &[25.0, 1500.0]),
            ("no numbers here", &[]),
        ];
        for (s, want) in table {
            assert_eq!(values(s), *want, "{s}");
        }
    }

    #[test]
    fn statement_flags() {
        let s = Statement::new("The Kremlin did not confirm that Assad may be in Moscow.");
        assert!(s.negated && s.modal);
        assert!(s.names.contains("assad") && s.names.contains("moscow"));
        assert!(!s.names.contains("the"));
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
        ];
        for (a, b, want) in table {
            let (got, p) = same_fact(a, b);
            assert_eq!(got, want, "{a} | {b} p={p}");
        }
    }

    #[test]
    fn masking_numbers_ignores_count_differences() {
        let a = Statement::new("Twelve people were killed in the blast in the city centre.");
        let b = Statement::new("Nine people were killed in the blast in the city centre.");
        assert!(a.score_masked(&b) > a.score(&b));
        assert!(a.score_masked(&b) >= WEIGHTS.threshold);
    }
}
