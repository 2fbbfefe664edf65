//! The boilerplate pass: whole lines of page furniture ("Headlines", "READ ALSO: …",
//! "Advertisement", "5 min read") are removed; dateline-only and byline lines ("Moscow:",
//! "By Jane Doe") are removed and kept as metadata.
//!
//! The phrases live in `data/repair/boilerplate.txt` (one commented lexicon) compiled into one
//! `RegexSet`; only short lines are tested, so long article paragraphs cost one length check.
//! [`repeated_lines`] learns an outlet's own furniture from lines shared by many articles.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use regex::{Regex, RegexSet};

use super::{line_removal, lines, Edit};

const LEXICON: &str = include_str!("../../data/repair/boilerplate.txt");

/// Non-empty lines at the head of an article where datelines and bylines are looked for.
const HEAD_LINES: usize = 4;

/// Longest line (bytes) that can be furniture.
const MAX_LINE: usize = 300;

struct Rules {
    set: RegexSet,
    dateline: Regex,
    byline: Regex,
}

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut pats = Vec::new();
        for line in LEXICON.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (kind, pat) = line.split_once(' ').unwrap_or((line, ""));
            let pat = pat.trim();
            match kind {
                "exact" => pats.push(format!(r"(?i)^{}[:.|]?$", regex::escape(pat))),
                "prefix" => pats.push(format!(r"(?i)^{}\s*[:\-–—|›»]", regex::escape(pat))),
                "starts" => pats.push(format!(r"(?i)^{}(?:$|[\s:\-–—|›».,!])", regex::escape(pat))),
                "regex" => pats.push(format!(r"(?i)^(?:{pat})$")),
                _ => {}
            }
        }
        Rules {
            set: RegexSet::new(&pats).unwrap_or_else(|_| RegexSet::empty()),
            // "Moscow:", "NEW YORK —", "Damascus, Syria:" alone on a line.
            dateline: Regex::new(r"^\p{Lu}[\p{L}.'’-]*(?:,? \p{Lu}[\p{L}.'’-]*){0,3}\s*[:—–-]$")
                .unwrap_or_else(|_| Regex::new("$^").expect("trivial regex")),
            // "By Jane Doe", "By Jane Doe and John Roe, BBC News".
            byline: Regex::new(
                r"^(?i:by)\s+\p{Lu}[\p{L}.'’-]+(?:\s+\p{Lu}[\p{L}.'’-]+){0,3}(?:\s+(?:and|&)\s+\p{Lu}[\p{L}.'’-]+(?:\s+\p{Lu}[\p{L}.'’-]+){0,3})?(?:,\s*[\p{L} ]{2,40})?$",
            )
            .unwrap_or_else(|_| Regex::new("$^").expect("trivial regex")),
        }
    })
}

/// Whitespace-separated words of `s`, counted up to 26 (no line with more is furniture).
fn word_count(s: &str) -> usize {
    super::scan::count_words_upto(s, 26)
}

/// What a line is, as furniture.
#[derive(Debug, PartialEq, Eq)]
enum Furniture {
    /// Not furniture.
    None,
    /// Removed.
    Plain,
    /// Removed and kept as metadata.
    Metadata,
}

/// Words that end a label line ("Online:", "Update:") but are not places.
const LABEL_WORDS: &[&str] = &[
    "update",
    "updated",
    "note",
    "editor",
    "editors",
    "correction",
    "source",
    "sources",
    "contact",
    "video",
    "photo",
    "watch",
    "listen",
    "read",
    "transcript",
    "statement",
    "background",
    "context",
    "quote",
    "summary",
    "breaking",
    "analysis",
    "opinion",
    "comment",
    "comments",
    "online",
    "previously",
    "reads",
    "more",
    "also",
    "related",
    "highlights",
    "timeline",
    "facts",
];

/// Whether a `Word Word:` line looks like a place rather than a label or a speech intro
/// ("From Bloomberg:", "Stated Stone:"): no stopword (unless in capitals), no label word,
/// no verb-like `-ed`.
fn is_place_like(line: &str) -> bool {
    // Wire datelines are in capitals ("NEW YORK —"), where "new" is no stopword.
    let caps = !line.chars().any(char::is_lowercase);
    line.split(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | '—' | '–' | '-'))
        .filter(|w| !w.is_empty())
        .all(|w| {
            let lower = w.to_lowercase();
            let stop = !caps && crate::text::is_stopword(&lower);
            let label = LABEL_WORDS.contains(&lower.as_str());
            let verb_like = lower.ends_with("ed") && lower.len() > 4;
            !(stop || label || verb_like)
        })
}

fn classify(line: &str) -> Furniture {
    let t = line.trim();
    if t.is_empty() || t.len() > MAX_LINE {
        return Furniture::None;
    }
    // The anchored patterns fail within a few bytes on prose, so they run before the words
    // are counted (at most 25 words for any furniture).
    let r = rules();
    if r.set.is_match(t) {
        return if word_count(t) <= 25 { Furniture::Plain } else { Furniture::None };
    }
    if r.dateline.is_match(t) && word_count(t) <= 4 && is_place_like(t) {
        return Furniture::Metadata;
    }
    if r.byline.is_match(t) && word_count(t) <= 12 {
        return Furniture::Metadata;
    }
    Furniture::None
}

/// Furniture lines of `text`: removal edits and the metadata lines found. `learned` holds
/// lines (trimmed) known to be furniture of this text's outlet ([`repeated_lines`]).
pub(crate) fn find(text: &str, learned: &HashSet<String>) -> (Vec<Edit>, Vec<String>) {
    let mut edits = Vec::new();
    let mut meta = Vec::new();
    // Non-empty lines kept so far: removed lines do not count, so the head is the same when
    // the repaired text (without them) is repaired again (repair stays idempotent).
    let mut kept = 0;
    for (s, e) in lines(text) {
        let line = &text[s..e];
        let kind = match classify(line) {
            Furniture::None if !learned.is_empty() && learned.contains(line.trim()) => {
                Furniture::Plain
            }
            k => k,
        };
        match kind {
            Furniture::Plain => {}
            // Datelines and bylines head an article; further down, "KENYA:" heads a table.
            Furniture::Metadata if kept < HEAD_LINES => meta.push(line.trim().to_string()),
            Furniture::None | Furniture::Metadata => {
                if !line.trim_start().is_empty() {
                    kept += 1;
                }
                continue;
            }
        }
        edits.push(line_removal(text, s, e));
    }
    (edits, meta)
}

/// Lines (trimmed) that occur in at least 3 distinct texts and are short (≤ 12 words): an
/// outlet's own furniture ("Follow our live coverage here"), learnt from its articles.
/// Callers should pass the texts of ONE outlet and filter further (see
/// `pipeline::learn_furniture`): copies of one story share short real sentences too.
pub fn repeated_lines(texts: &[&str]) -> HashSet<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for text in texts {
        let mut seen = HashSet::new();
        for line in text.lines().map(str::trim) {
            if !line.is_empty() && word_count(line) <= 12 && seen.insert(line) {
                *counts.entry(line).or_insert(0) += 1;
            }
        }
    }
    counts.into_iter().filter(|&(_, n)| n >= 3).map(|(l, _)| l.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_table() {
        use Furniture::*;
        let cases = [
            ("Headlines", Plain),
            ("Advertisement", Plain),
            ("READ ALSO:Rebels say the president has fled", Plain),
            ("Read more: Who are the rebels?", Plain),
            ("Related:", Plain),
            ("Share this article", Plain),
            ("Subscribe to our newsletter", Plain),
            ("Follow us on Twitter", Plain),
            ("Photo: AFP", Plain),
            ("5 min read", Plain),
            ("Updated 3 hours ago", Plain),
            ("Moscow:", Metadata),
            ("NEW YORK —", Metadata),
            ("From Bloomberg:", None),
            ("Stated Stone:", None),
            ("Update:", None),
            ("By Jane Doe", Metadata),
            ("By Jane Doe and John Roe, BBC News", Metadata),
            // Real sentences stay.
            ("The future of Russian relations", None),
            (
                "Related talks in Geneva failed on Monday after both sides walked out of the room.",
                None,
            ),
            ("By Monday the rebels had taken the capital.", None),
            (
                "Moscow: the Kremlin said it was too early to decide on the future of the bases.",
                None,
            ),
            ("Subscribers will pay more from June, the company said.", None),
            ("Share prices fell.", None),
            ("He was updated on the situation.", None),
        ];
        for (line, want) in cases {
            assert_eq!(classify(line), want, "line {line:?}");
        }
    }

    #[test]
    fn finds_and_removes_lines() {
        let text =
            "Headlines\nA real sentence.\nMoscow:\nAnother one.\nx\ny\nKENYA:\nAdvertisement";
        let (edits, meta) = find(text, &HashSet::new());
        assert_eq!(meta, vec!["Moscow:".to_string()]);
        let removed: Vec<&str> = edits.iter().map(|e| &text[e.start..e.end]).collect();
        assert_eq!(removed, vec!["Headlines\n", "Moscow:\n", "\nAdvertisement"]);
    }

    #[test]
    fn repeated_lines_need_three_texts() {
        let a = "Story one.\nFollow our live coverage\n";
        let b = "Story two.\nFollow our live coverage";
        let c = "Story three.\n  Follow our live coverage  \nFollow our live coverage";
        let got = repeated_lines(&[a, b]);
        assert!(got.is_empty());
        let got = repeated_lines(&[a, b, c]);
        assert_eq!(got, HashSet::from(["Follow our live coverage".to_string()]));
    }
}
