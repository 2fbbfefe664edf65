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

use crate::analyze::signature::{sorted_overlap, FastMap};
use std::sync::OnceLock;

use super::scan::{ascii_class, count_words_upto, is_alnum_class, is_alphanumeric, LOWER};
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

/// A paragraph's content terms, hashed, sorted and deduplicated, and its names.
///
/// Words are runs of letters and digits (inner apostrophes kept). A term is the lowercased
/// word cut to its first [`STEM_CHARS`] characters: a cheap stem
/// ("advance"/"advanced", "militia"/"militias") that keeps this pass fast.
#[cfg(test)]
pub(crate) fn term_set(line: &str) -> (Vec<u64>, Vec<u64>) {
    let scan = scan_line(line);
    (scan.set, scan.names)
}

/// What one scan of a paragraph finds.
struct LineScan {
    /// Content terms, hashed, sorted, deduplicated. Words are runs of letters and digits
    /// (inner apostrophes kept); a term is a word that is not a stopword, lowercased and cut
    /// to its first [`STEM_CHARS`] characters: a cheap stem ("advance"/"advanced").
    set: Vec<u64>,
    /// Capitalised words (not line-initial) and numbers, hashed, sorted, deduplicated.
    names: Vec<u64>,
    /// Whitespace-separated words (as `split_whitespace` counts them).
    spaced_words: usize,
    /// A hash of all the line's words in order: equal lines have equal keys.
    key: u64,
}

/// Longest stopword (characters) in [`stopword_hashes`].
const MAX_STOPWORD_CHARS: usize = 10;

/// One pass over the line's bytes: ASCII bytes are classified without decoding a `char`;
/// other characters are decoded and handled as before (lowercased letters, digits).
fn scan_line(line: &str) -> LineScan {
    let stop = stopword_hashes();
    let bytes = line.as_bytes();
    // About one term per six bytes of prose: sized once instead of grown word by word.
    let mut v: Vec<u64> = Vec::with_capacity(bytes.len() / 6 + 1);
    let mut names: Vec<u64> = Vec::with_capacity(bytes.len() / 24 + 1);
    // `prefix` is `full` as it was after STEM_CHARS characters (same FNV sequence).
    let (mut full, mut prefix, mut len) = (FNV_START, FNV_START, 0usize);
    let (mut is_name, mut words, mut key) = (false, 0usize, 0u64);
    let mut flush = |full: &mut u64, prefix: &mut u64, len: &mut usize, is_name: bool| {
        if *len > 0 {
            words += 1;
            if is_name && words > 1 {
                names.push(*full);
            }
            key = (key.rotate_left(5) ^ *full).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
        if *len > 1 && (*len > MAX_STOPWORD_CHARS || !stop.contains(*full)) {
            v.push(if *len < STEM_CHARS { *full } else { *prefix });
        }
        (*full, *len) = (FNV_START, 0);
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let c = if b < 0x80 {
            i += 1;
            let class = ascii_class(b);
            if is_alnum_class(class) {
                is_name = if len == 0 { class != LOWER } else { is_name };
                full = fnv(full, char::from(b | 0x20));
                len += 1;
                if len == STEM_CHARS {
                    prefix = full;
                }
                continue;
            }
            char::from(b)
        } else {
            let Some(c) = line[i..].chars().next() else { break };
            i += c.len_utf8();
            if is_alphanumeric(c) {
                if len == 0 {
                    is_name = c.is_uppercase();
                }
                for l in c.to_lowercase() {
                    full = fnv(full, l);
                    len += 1;
                    if len == STEM_CHARS {
                        prefix = full;
                    }
                }
                continue;
            }
            c
        };
        if !(matches!(c, '\'' | '’' | ',' | '.') && len > 0) {
            flush(&mut full, &mut prefix, &mut len, is_name);
        }
    }
    flush(&mut full, &mut prefix, &mut len, is_name);
    for x in [&mut v, &mut names] {
        x.sort_unstable();
        x.dedup();
    }
    let spaced_words = count_words_upto(line, 4);
    LineScan { set: v, names, spaced_words, key: key ^ bytes.len() as u64 }
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv(h: u64, c: char) -> u64 {
    (h ^ c as u64).wrapping_mul(0x0100_0000_01b3)
}

/// FNV hashes of the stopwords of [`crate::text::is_stopword`], for a hash-only lookup.
struct StopHashes {
    /// The hashes, sorted.
    sorted: Vec<u64>,
    /// A 1024-bit Bloom filter of the hashes: most content words miss it and skip the search.
    bloom: [u64; 16],
}

impl StopHashes {
    fn contains(&self, h: u64) -> bool {
        let bit = (h & 1023) as usize;
        self.bloom[bit >> 6] >> (bit & 63) & 1 == 1 && self.sorted.binary_search(&h).is_ok()
    }
}

fn stopword_hashes() -> &'static StopHashes {
    static SET: OnceLock<StopHashes> = OnceLock::new();
    SET.get_or_init(|| {
        // Every lowercase word up to 10 letters that `is_stopword` accepts is in this list.
        const WORDS: &str = "a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just may me might more most must my myself no nor not now of off on once only or other our ours ourselves out over own said same says say she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves told according since per via yet still however although though one two new mr mrs ms dr";
        let sorted: Vec<u64> = WORDS
            .split(' ')
            .filter(|w| is_stopword(w) && w.len() <= MAX_STOPWORD_CHARS)
            .map(|w| w.chars().fold(FNV_START, fnv))
            .collect::<std::collections::BTreeSet<u64>>()
            .into_iter()
            .collect();
        let mut bloom = [0u64; 16];
        for &h in &sorted {
            let bit = (h & 1023) as usize;
            bloom[bit >> 6] |= 1 << (bit & 63);
        }
        StopHashes { sorted, bloom }
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
    fn new(set: Vec<u64>, names: Vec<u64>) -> Terms {
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
///
/// Each line is scanned once ([`scan_line`]); an exact repeat is found through the line's
/// word-hash key (then confirmed by comparing the text), and a line with fewer than
/// [`MIN_TERMS`] terms, which [`similar`] never matches, is kept without being compared.
pub(crate) fn repeated(text: &str) -> Vec<Edit> {
    let mut kept: Vec<Terms> = Vec::new();
    // Key of a line already seen → the lines (indices into `seen`) with that key.
    let mut seen_exact: FastMap<u64, Vec<usize>> = FastMap::default();
    let mut seen: Vec<&str> = Vec::new();
    let mut edits = Vec::new();
    for (s, e) in lines(text) {
        let line = text[s..e].trim();
        if line.is_empty() {
            continue;
        }
        let scan = scan_line(line);
        if scan.spaced_words > 3 {
            let same_key = seen_exact.entry(scan.key).or_default();
            if same_key.iter().any(|&k| seen[k] == line) {
                edits.push(line_removal(text, s, e));
                continue;
            }
            same_key.push(seen.len());
            seen.push(line);
        }
        if scan.set.len() < MIN_TERMS {
            // Never similar to anything; it still takes its place in the window.
            kept.push(Terms::new(Vec::new(), Vec::new()));
            continue;
        }
        let terms = Terms::new(scan.set, scan.names);
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
