//! The foreign-word pass: flags a single common word of another language injected into an
//! English sentence ("forces, viele of whom abandoned their posts"). The text is unchanged.
//!
//! The lexicon (`data/repair/foreign.txt`) holds frequent German/French/Spanish/Italian/Dutch
//! function words that are not English words or names. A word is flagged only when it is
//! lowercase, it is the only lexicon word of its sentence, and the sentence is otherwise
//! English (enough English stopwords), so quoted foreign passages are never flagged.

use std::sync::OnceLock;

use super::scan::known_class;
use super::Edit;
use crate::analyze::signature::FastSet;
use crate::text::{is_stopword, tokens};

const LEXICON: &str = include_str!("../../data/repair/foreign.txt");

/// Fewest words a sentence needs for its language to be judged.
const MIN_WORDS: usize = 6;
/// Share of English stopwords among a sentence's words for it to count as English.
const MIN_STOPWORD_SHARE: f64 = 0.25;

/// The lexicon, with what the candidate scan needs to reject most words without hashing.
struct Lexicon {
    words: FastSet<&'static str>,
    /// Entries with a non-word character inside (`aujourd'hui`), by their first word run.
    multi: Vec<(&'static str, &'static str)>,
    /// Per first-run length in bytes (up to [`MAX_RUN`]) and first byte mod 32, a bit per
    /// last byte mod 32 of the entries' first runs: most words fail here without hashing.
    shapes: Vec<[u32; 32]>,
}

/// Longest first word run of an entry that the shape filter knows (longer ones all pass it).
const MAX_RUN: usize = 15;

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let words: FastSet<&'static str> = LEXICON
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        let mut lex = Lexicon {
            words: FastSet::default(),
            multi: Vec::new(),
            shapes: vec![[0; 32]; MAX_RUN + 2],
        };
        for &w in &words {
            let first = w.split(|c: char| !is_word_char(c)).next().unwrap_or(w);
            if first.len() != w.len() {
                lex.multi.push((first, w));
            }
            let b = first.as_bytes();
            if let (Some(x), Some(y)) = (b.first(), b.last()) {
                lex.shapes[first.len().min(MAX_RUN + 1)][usize::from(x & 31)] |= 1 << (y & 31);
            }
        }
        lex.words = words;
        lex
    })
}

/// A word character as the regex `\w` (and `\b`) sees it.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        known_class(c).unwrap_or_else(|| regex_syntax::is_word_character(c))
    }
}

impl Lexicon {
    #[inline]
    /// The end of the lexicon entry that starts with the word run `text[s..e]`, if any: the
    /// run itself, or a multi-run entry (`aujourd'hui`) that continues it up to a word
    /// boundary.
    fn entry_at(&self, text: &str, s: usize, e: usize) -> Option<usize> {
        let run = text.get(s..e)?;
        let (first, last) = (*run.as_bytes().first()?, *run.as_bytes().last()?);
        let shape = self.shapes[run.len().min(MAX_RUN + 1)][usize::from(first & 31)];
        if shape >> (last & 31) & 1 == 0 {
            return None;
        }
        if self.words.contains(run) {
            return Some(e);
        }
        self.multi.iter().find_map(|&(first, entry)| {
            let end = s + entry.len();
            let boundary =
                text.get(end..).is_some_and(|r| !r.chars().next().is_some_and(is_word_char));
            let here = text.get(s..).is_some_and(|r| r.starts_with(entry));
            (first == run && here && boundary).then_some(end)
        })
    }
}

/// Per byte: 1 for an ASCII word character (`[0-9A-Za-z_]`), 2 for a byte of a non-ASCII
/// character (decoded to decide), 0 for any other ASCII byte.
static WORD_BYTES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' | b'_' => 1,
            0x80..=0xFF => 2,
            _ => 0,
        };
        b += 1;
    }
    t
};

/// The length of the non-ASCII character at byte `i` when it is a word character, else 0.
fn wide_word_len(text: &str, i: usize) -> usize {
    text.get(i..).and_then(|r| r.chars().next()).map_or(0, |c| {
        if is_word_char(c) {
            c.len_utf8()
        } else {
            0
        }
    })
}

/// The next lexicon word at or after byte `from` (a whole word, as `\b(?:…)\b` would find
/// it): its start and end; `None` at the end. One table load per ASCII byte.
fn next_candidate(text: &str, from: usize) -> Option<(usize, usize)> {
    let lex = lexicon();
    let bytes = text.as_bytes();
    let class = |i: usize| WORD_BYTES[usize::from(bytes[i])];
    let mut i = from;
    loop {
        while i < bytes.len() && class(i) == 0 {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        if class(i) == 2 {
            let n = wide_word_len(text, i);
            if n == 0 {
                // A non-word character: step over its whole UTF-8 sequence.
                i += 1;
                while i < bytes.len() && (bytes[i] & 0xC0) == 0x80 {
                    i += 1;
                }
                continue;
            }
        }
        let s = i;
        loop {
            while i < bytes.len() && class(i) == 1 {
                i += 1;
            }
            let n = if i < bytes.len() && class(i) == 2 { wide_word_len(text, i) } else { 0 };
            if n == 0 {
                break;
            }
            i += n;
        }
        if let Some(end) = lex.entry_at(text, s, i) {
            return Some((s, end));
        }
    }
}

/// The sentence around byte `at`: from after the previous `.`/`!`/`?`/newline to the next.
fn sentence_around(text: &str, at: usize) -> (usize, usize) {
    let is_end = |c: char| matches!(c, '.' | '!' | '?' | '\n');
    let start = text[..at].rfind(is_end).map_or(0, |i| i + 1);
    let end = text[at..].find(is_end).map_or(text.len(), |i| at + i + 1);
    (start, end)
}

/// Flags for injected foreign words in `text`.
pub(crate) fn find(text: &str) -> Vec<Edit> {
    let lex = &lexicon().words;
    let mut edits = Vec::new();
    let mut done_until = 0;
    let mut at = 0;
    while let Some((start, end)) = next_candidate(text, at) {
        at = end;
        if start < done_until {
            continue;
        }
        let (s, e) = sentence_around(text, start);
        done_until = e;
        let Some(sentence) = text.get(s..e) else {
            continue;
        };
        let toks = tokens(sentence);
        if toks.len() < MIN_WORDS {
            continue;
        }
        let foreign: Vec<_> = toks.iter().filter(|t| lex.contains(t.text)).collect();
        if foreign.len() != 1 {
            continue;
        }
        let english = toks.iter().filter(|t| is_stopword(&t.text.to_lowercase())).count();
        if (english as f64) < MIN_STOPWORD_SHARE * toks.len() as f64 {
            continue;
        }
        let t = foreign[0];
        edits.push(Edit::flag(s + t.span.start, s + t.span.end));
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flagged(text: &str) -> Vec<&str> {
        find(text).iter().map(|e| &text[e.start..e.end]).collect()
    }

    #[test]
    fn foreign_table() {
        let cases: &[(&str, &[&str])] = &[
            ("The army collapsed quickly, viele of whom had not been paid for months.", &["viele"]),
            ("He said the talks were très difficult for all of the parties.", &["très"]),
            // A quoted foreign sentence has many lexicon words or few English stopwords.
            ("Er sagte: Wir sind nicht und auch nicht bereit.", &[]),
            ("The motto was « toujours avec vous » for the campaign in the city.", &[]),
            // Capitalised names and English homographs are not flagged.
            ("Simone Weil wrote about the need for roots in the modern world.", &[]),
            ("The committee met on Monday and agreed on the new budget for the year.", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(flagged(text), *want, "text {text:?}");
        }
    }
}
