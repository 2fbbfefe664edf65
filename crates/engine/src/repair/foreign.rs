//! The foreign-word pass: flags a single common word of another language injected into an
//! English sentence ("forces, viele of whom abandoned their posts"). The text is unchanged.
//!
//! The lexicon (`data/repair/foreign.txt`) holds frequent German/French/Spanish/Italian/Dutch
//! function words that are not English words or names. A word is flagged only when it is
//! lowercase, it is the only lexicon word of its sentence, and the sentence is otherwise
//! English (enough English stopwords), so quoted foreign passages are never flagged.

use std::collections::HashSet;
use std::sync::OnceLock;

use regex::Regex;

use super::Edit;
use crate::text::{is_stopword, tokens};

const LEXICON: &str = include_str!("../../data/repair/foreign.txt");

/// Fewest words a sentence needs for its language to be judged.
const MIN_WORDS: usize = 6;
/// Share of English stopwords among a sentence's words for it to count as English.
const MIN_STOPWORD_SHARE: f64 = 0.25;

fn lexicon() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        LEXICON.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect()
    })
}

/// One regex matching any lexicon word, to find candidates in one scan.
fn finder() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        let alts: Vec<String> = lexicon().iter().map(|w| regex::escape(w)).collect();
        Regex::new(&format!(r"\b(?:{})\b", alts.join("|"))).ok()
    })
    .as_ref()
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
    let Some(re) = finder() else {
        return Vec::new();
    };
    let lex = lexicon();
    let mut edits = Vec::new();
    let mut done_until = 0;
    for m in re.find_iter(text) {
        if m.start() < done_until {
            continue;
        }
        let (s, e) = sentence_around(text, m.start());
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
