//! The repeated-paragraph pass: a paragraph (line) that repeats an earlier one verbatim or
//! nearly (a "spun" rewrite with the same facts in other words) is removed; the first
//! occurrence is kept.
//!
//! Similarity is on sets of content words (stopwords dropped, cut to 5 letters): containment
//! of the smaller set in the larger, plus Jaccard, with the lengths in the same ballpark.
//! A near repeat must also keep its names and numbers (a tweet by another person, or an
//! update with new figures, is a different paragraph).
//! Thresholds were set on the seed sample: a spun repeat scored Jaccard 0.59 / containment
//! 0.79, while different paragraphs about the same event (even across outlets) stayed below
//! Jaccard 0.37.

use crate::analyze::signature::sorted_overlap;
use std::collections::HashSet;
use std::sync::OnceLock;

use super::{line_removal, lines, Edit};
use crate::text::is_stopword;

/// Characters of a word kept as its stem.
const STEM_CHARS: usize = 5;
/// Fewest content terms a paragraph needs to be compared (shorter lines are headings etc.).
const MIN_TERMS: usize = 6;
/// Containment of the smaller term set in the larger one.
const MIN_CONTAINMENT: f64 = 0.6;
/// Jaccard similarity of the two term sets.
const MIN_JACCARD: f64 = 0.45;
/// Smaller set size over larger set size.
const MIN_SIZE_RATIO: f64 = 0.6;

/// Earlier paragraphs a paragraph is compared with (keeps long texts linear).
const MAX_COMPARED: usize = 64;

/// A paragraph's content terms, hashed, sorted and deduplicated.
///
/// Words are runs of letters and digits (inner apostrophes kept). A term is the lowercased
/// word cut to its first [`STEM_CHARS`] characters: a cheap stem
/// ("advance"/"advanced", "militia"/"militias") that keeps this pass fast.
pub(crate) fn term_set(line: &str) -> (Vec<u64>, Vec<u64>) {
    // About one term per six bytes of prose: sized once instead of grown word by word.
    let mut v: Vec<u64> = Vec::with_capacity(line.len() / 6 + 1);
    let mut names: Vec<u64> = Vec::with_capacity(line.len() / 24 + 1);
    let (mut full, mut prefix, mut len) = (FNV_START, FNV_START, 0usize);
    let (mut is_name, mut words) = (false, 0usize);
    let mut flush = |full: &mut u64, prefix: &mut u64, len: &mut usize, is_name: bool| {
        if *len > 0 {
            words += 1;
            if is_name && words > 1 {
                names.push(*full);
            }
        }
        if *len > 1 && stopword_hashes().binary_search(full).is_err() {
            v.push(*prefix);
        }
        (*full, *prefix, *len) = (FNV_START, FNV_START, 0);
    };
    for c in line.chars() {
        if c.is_ascii_alphanumeric() {
            if len == 0 {
                is_name = c.is_ascii_uppercase() || c.is_ascii_digit();
            }
            let l = c.to_ascii_lowercase();
            full = fnv(full, l);
            if len < STEM_CHARS {
                prefix = fnv(prefix, l);
            }
            len += 1;
        } else if !c.is_ascii() && c.is_alphanumeric() {
            if len == 0 {
                is_name = c.is_uppercase();
            }
            for l in c.to_lowercase() {
                full = fnv(full, l);
                if len < STEM_CHARS {
                    prefix = fnv(prefix, l);
                }
                len += 1;
            }
        } else if !(matches!(c, '\'' | '’' | ',' | '.') && len > 0) {
            flush(&mut full, &mut prefix, &mut len, is_name);
        }
    }
    flush(&mut full, &mut prefix, &mut len, is_name);
    for x in [&mut v, &mut names] {
        x.sort_unstable();
        x.dedup();
    }
    (v, names)
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv(h: u64, c: char) -> u64 {
    (h ^ c as u64).wrapping_mul(0x0100_0000_01b3)
}

/// FNV hashes of the stopwords of [`crate::text::is_stopword`], for a hash-only lookup.
fn stopword_hashes() -> &'static [u64] {
    static SET: OnceLock<Vec<u64>> = OnceLock::new();
    SET.get_or_init(|| {
        // Every lowercase word up to 10 letters that `is_stopword` accepts is in this list.
        const WORDS: &str = "a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just may me might more most must my myself no nor not now of off on once only or other our ours ourselves out over own said same says say she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves told according since per via yet still however although though one two new mr mrs ms dr";
        WORDS
            .split(' ')
            .filter(|w| is_stopword(w))
            .map(|w| w.chars().fold(FNV_START, fnv))
            .collect::<std::collections::BTreeSet<u64>>()
            .into_iter()
            .collect()
    })
}

/// A paragraph's terms with a 256-bit Bloom mask that rejects most pairs at once.
struct Terms {
    set: Vec<u64>,
    mask: [u64; 4],
    /// Capitalised words (not line-initial) and numbers.
    names: Vec<u64>,
}

impl Terms {
    fn new((set, names): (Vec<u64>, Vec<u64>)) -> Terms {
        let mut mask = [0u64; 4];
        for &h in &set {
            mask[(h >> 62) as usize] |= 1 << (h & 63);
        }
        Terms { set, mask, names }
    }
}

/// Similarity verdict of two term sets.
fn similar(a: &Terms, b: &Terms) -> bool {
    let (small, large) =
        if a.set.len() <= b.set.len() { (&a.set, &b.set) } else { (&b.set, &a.set) };
    if small.len() < MIN_TERMS || (small.len() as f64) < MIN_SIZE_RATIO * large.len() as f64 {
        return false;
    }
    let shared_bits: u32 = a.mask.iter().zip(&b.mask).map(|(x, y)| (x & y).count_ones()).sum();
    if (shared_bits as f64) < MIN_CONTAINMENT * small.len() as f64 {
        return false;
    }
    let inter = sorted_overlap(small, large) as f64;
    let union = (small.len() + large.len()) as f64 - inter;
    inter / small.len() as f64 >= MIN_CONTAINMENT
        && inter / union >= MIN_JACCARD
        && same_names(a, b)
}

/// A rewrite keeps its names and numbers: at most a third of the later paragraph's may be
/// new (different speakers or different figures make a different paragraph).
fn same_names(earlier: &Terms, later: &Terms) -> bool {
    let new = later.names.len() - sorted_overlap(&earlier.names, &later.names);
    new * 3 <= later.names.len().max(1) + 1
}

/// Removal edits for paragraphs repeating an earlier one.
pub(crate) fn repeated(text: &str) -> Vec<Edit> {
    let mut kept: Vec<Terms> = Vec::new();
    let mut seen_exact: HashSet<&str> = HashSet::new();
    let mut edits = Vec::new();
    for (s, e) in lines(text) {
        let line = text[s..e].trim();
        if line.is_empty() {
            continue;
        }
        let exact_repeat = line.split_whitespace().nth(3).is_some() && !seen_exact.insert(line);
        if exact_repeat {
            edits.push(line_removal(text, s, e));
            continue;
        }
        let terms = Terms::new(term_set(line));
        if kept.iter().rev().take(MAX_COMPARED).any(|k| similar(k, &terms)) {
            edits.push(line_removal(text, s, e));
        } else {
            kept.push(terms);
        }
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn removed(text: &str) -> Vec<&str> {
        repeated(text).iter().map(|e| text[e.start..e.end].trim()).collect()
    }

    #[test]
    fn repeated_table() {
        let spun_a = "After a rapid offensive by a rebel coalition headed by the northern militia, the governor of the province fled to the capital, raising fears over the two airports in the region.";
        let spun_b = "Following a swift offensive by a rebel alliance led by the northern militia, the province's governor escaped to the capital, raising concerns about the two key airports in the region.";
        let other = "The governor's office said on Tuesday that talks with the rebel leaders would begin in the capital next week.";
        let cases: Vec<(String, Vec<&str>)> = vec![
            (
                format!("{spun_a}\nShort line.\n{spun_b}\n{other}"),
                vec![spun_b],
            ),
            (format!("{other}\n{other}"), vec![other]),
            (format!("{spun_a}\n{other}"), vec![]),
            ("Yes.\nYes.".to_string(), vec![]),
            // Same wording, different people and figures: kept.
            (
                "Governor Smith said 1,200 delegates backed the plan at the convention in Ohio on Monday.\nSenator Jones said 1,450 delegates backed the plan at the convention in Iowa on Monday.".to_string(),
                vec![],
            ),
        ];
        for (text, want) in &cases {
            assert_eq!(removed(text), *want, "text {text:?}");
        }
    }
}
