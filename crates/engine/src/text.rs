//! Shared text primitives every stage uses: word tokens with byte spans, normalised
//! (lowercased, stemmed) terms, stopwords, and number parsing.
//!
//! Tokenising is done here once, by hand, because stages need byte spans into the text and
//! a stable notion of "word" (letters/digits with inner apostrophes, hyphens, periods and
//! commas in numbers); stemming uses rust-stemmers (Snowball English).

use std::cell::RefCell;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::analyze::signature::{StrMap, StrSet};
use crate::record::Span;

pub mod numbers;

/// Month names and their abbreviations, lowercase (the calendar words several stages
/// recognise: dates in conflicts, clock times continued by a date in the sentence splitter).
pub const MONTH_NAMES: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// A word token: its span in the text and its surface form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// Span in the text.
    pub span: Span,
    /// Surface form.
    pub text: &'a str,
}

#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '‐' | '.' | ',' | '_')
}

/// Splits `text` into word tokens (letters and digits, with inner apostrophes, hyphens and
/// number separators kept: `al-Assad`, `Russia’s`, `1,500`, `3.5`, `U.S`).
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    // About one token per six bytes of news text: most calls never regrow.
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    for_each_token(text, |t| out.push(t));
    out
}

/// Calls `f` with each of [`tokens`]`(text)` in order, without collecting them.
pub fn for_each_token<'a>(text: &'a str, mut f: impl FnMut(Token<'a>)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // ASCII is classified byte by byte; only other chars are decoded.
        let first = if b.is_ascii() {
            if !b.is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            1
        } else {
            match char_at(text, i) {
                Some(c) if is_word_char(c) => c.len_utf8(),
                Some(c) => {
                    i += c.len_utf8();
                    continue;
                }
                None => break,
            }
        };
        let mut end = i + first;
        loop {
            // The run of ASCII letters and digits, then whatever char ends it.
            while bytes.get(end).is_some_and(u8::is_ascii_alphanumeric) {
                end += 1;
            }
            let Some(d) = char_at(text, end) else { break };
            if is_word_char(d) {
                end += d.len_utf8();
            } else if is_joiner(d) {
                // Keep the joiner only when a word char follows it directly.
                let next = char_at(text, end + d.len_utf8());
                // The previous char is an ASCII digit iff the previous byte is one (UTF-8
                // continuation bytes are ≥ 0x80).
                let prev_digit =
                    end.checked_sub(1).and_then(|p| bytes.get(p)).is_some_and(u8::is_ascii_digit);
                let keep = match next {
                    Some(n) if is_word_char(n) => match d {
                        ',' => prev_digit && n.is_ascii_digit(),
                        '.' => (prev_digit && n.is_ascii_digit()) || n.is_uppercase(),
                        _ => true,
                    },
                    _ => false,
                };
                if !keep {
                    break;
                }
                end += d.len_utf8();
            } else {
                break;
            }
        }
        f(Token { span: Span::new(i, end), text: text.get(i..end).unwrap_or("") });
        // The char at `end` (if any) is not a word char: the outer loop skips it.
        i = end;
    }
}

/// The char starting at byte `i` of `text` (`None` at the end or off a char boundary),
/// decoding ASCII bytes directly.
#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    match text.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        Some(_) => text.get(i..).and_then(|t| t.chars().next()),
        None => None,
    }
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// Lowercases a word, folds curly apostrophes and strips a possessive `'s`.
pub fn fold(word: &str) -> String {
    let mut w = String::with_capacity(word.len());
    fold_into(word, &mut w);
    w
}

/// Appends [`fold`]`(word)` to `out` (no allocation for ASCII words when `out` has room).
pub fn fold_into(word: &str, out: &mut String) {
    let start = out.len();
    if word.is_ascii() {
        out.push_str(word);
        if let Some(tail) = out.get_mut(start..) {
            tail.make_ascii_lowercase();
        }
    } else {
        let low = word.to_lowercase();
        if low.contains(['’', '‘']) {
            out.push_str(&low.replace(['’', '‘'], "'"));
        } else {
            out.push_str(&low);
        }
    }
    if out.get(start..).is_some_and(|w| w.ends_with("'s")) {
        out.truncate(out.len() - 2);
    }
}

/// Most stems cached per thread before the cache is emptied.
const STEM_CACHE_MAX: usize = 50_000;

thread_local! {
    /// Folded word → stem: news text repeats its words, and stemming is the costly part of
    /// making terms.
    static STEMS: RefCell<StrMap<Box<str>, Box<str>>> = RefCell::new(StrMap::default());
}

/// The stem of an already folded word (Snowball English for ASCII-alphabetic words, the
/// word itself otherwise), cached per thread.
pub fn stem_folded(w: &str) -> String {
    with_stem(w, str::to_string)
}

/// Calls `f` with [`stem_folded`]`(w)` without copying a cached stem.
pub fn with_stem<R>(w: &str, f: impl FnOnce(&str) -> R) -> R {
    if !w.bytes().all(|b| b.is_ascii_alphabetic()) {
        return f(w);
    }
    STEMS.with(|cell| {
        let Ok(mut cache) = cell.try_borrow_mut() else {
            return f(&stemmer().stem(w));
        };
        if let Some(s) = cache.get(w) {
            return f(s);
        }
        let stem = stemmer().stem(w).into_owned();
        if cache.len() >= STEM_CACHE_MAX {
            cache.clear();
        }
        cache.insert(w.into(), stem.as_str().into());
        f(&stem)
    })
}

/// The normalised term of a word: folded and stemmed.
pub fn term(word: &str) -> String {
    stem_folded(&fold(word))
}

const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "may",
    "me",
    "might",
    "more",
    "most",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "said",
    "same",
    "says",
    "say",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "told",
    "according",
    "since",
    "per",
    "via",
    "yet",
    "still",
    "however",
    "although",
    "though",
    "one",
    "two",
    "new",
    "mr",
    "mrs",
    "ms",
    "dr",
];

/// Whether a (lowercased) word is a stopword.
pub fn is_stopword(lower: &str) -> bool {
    static SET: OnceLock<StrSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOPWORDS.iter().copied().collect()).contains(lower)
}

/// Content terms of a text: tokens that are not stopwords nor 1-character, normalised.
pub fn content_terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_content_term(text, |t| out.push(t.to_string()));
    out
}

/// Calls `f` with each of [`content_terms`]`(text)` in order, without allocating a string
/// per term.
pub fn for_each_content_term(text: &str, mut f: impl FnMut(&str)) {
    for_each_folded(text, |w| with_content_term(w, &mut f));
}

/// Calls `f` with [`fold`] of every word token of `text`, in order (one reused buffer).
pub fn for_each_folded(text: &str, mut f: impl FnMut(&str)) {
    let mut w = String::new();
    for_each_token(text, |t| {
        w.clear();
        fold_into(t.text, &mut w);
        f(&w);
    });
}

/// Calls `f` with the stem of the folded word `w` when it is a content term (longer than
/// one char, not a stopword).
pub fn with_content_term(w: &str, f: impl FnOnce(&str)) {
    if w.chars().nth(1).is_some() && !is_stopword(w) {
        with_stem(w, f);
    }
}

/// Parses a numeric token (`1,500`, `3.5`, `49`, `900.000`, `1,5`) to a number, its
/// language unknown: [`parse_number_in`] with no language.
pub fn parse_number(tok: &str) -> Option<f64> {
    parse_number_in(tok, "")
}

/// Languages that write a decimal comma and group thousands with a dot ("1,5 millones",
/// "900.000 pasajeros", "23.500 Euro").
const DECIMAL_COMMA: &[&str] = &["de", "es", "fr", "it", "pt", "nl", "da", "sv", "no", "pl"];

/// Parses a numeric token written in language `lang` (ISO 639-1; empty or "und" when
/// unknown) to a number. Separators are read as a writer of the language means them:
/// both a dot and a comma ("1,234.5", "1.234,5"): the last one is the decimal mark; one
/// separator repeated ("1,200,000", "1.200.000"): thousands (a dot must then group
/// digits by three, else the token is no number: "17.03.2026"); one comma: thousands when
/// three digits follow and the number does not start with a 0 ("1,500"), else a decimal
/// mark ("1,5", "0,750"); one dot: a decimal mark in English, in languages not known to
/// write a decimal comma and when the language is unknown ("1.5", "2.125", "$1.125
/// billion": callers without a language — the same-fact matcher, conflicts — read
/// English news most), thousands when it groups three digits in a decimal-comma language
/// ("900.000", "23.500").
pub fn parse_number_in(tok: &str, lang: &str) -> Option<f64> {
    if !tok.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let dots = tok.matches('.').count();
    let commas = tok.matches(',').count();
    let decimal = match (dots, commas) {
        (0, 0) => None,
        (_, 0) if dots > 1 => {
            if !groups_by_three(tok, '.') {
                return None;
            }
            None
        }
        (_, 0) => {
            let thousands = DECIMAL_COMMA.contains(&lang) && groups_by_three(tok, '.');
            (!thousands).then_some('.')
        }
        (0, 1) => (!groups_by_three(tok, ',')).then_some(','),
        // "1,50,000" (grouped in lakhs) as before: commas group.
        (0, _) => None,
        _ => tok.rfind(['.', ',']).and_then(|k| tok[k..].chars().next()),
    };
    let mut t = String::with_capacity(tok.len());
    for c in tok.chars() {
        match c {
            '.' | ',' if Some(c) == decimal => t.push('.'),
            '.' | ',' => {}
            _ => t.push(c),
        }
    }
    t.parse::<f64>().ok()
}

/// Whether `sep` groups the digits of `tok` by thousands: one to three digits, not
/// starting with a 0 unless alone before the first separator ("0.500" is no grouping),
/// then groups of exactly three.
fn groups_by_three(tok: &str, sep: char) -> bool {
    let mut parts = tok.split(sep);
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let head = parts.next().unwrap_or("");
    (1..=3).contains(&head.len())
        && digits(head)
        && !head.starts_with('0')
        && parts.all(|p| p.len() == 3 && digits(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The char-iterator tokenizer [`tokens`] replaced (ASCII now decoded byte by byte):
    /// the oracle its output must equal.
    fn tokens_by_chars(text: &str) -> Vec<Token<'_>> {
        let mut out = Vec::new();
        let mut iter = text.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            if !c.is_alphanumeric() {
                continue;
            }
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = iter.peek() {
                if d.is_alphanumeric() {
                    end = j + d.len_utf8();
                    iter.next();
                } else if is_joiner(d) {
                    let next = text[j + d.len_utf8()..].chars().next();
                    let prev_digit =
                        text[..j].chars().next_back().is_some_and(|p| p.is_ascii_digit());
                    let keep = match next {
                        Some(n) if n.is_alphanumeric() => match d {
                            ',' => prev_digit && n.is_ascii_digit(),
                            '.' => (prev_digit && n.is_ascii_digit()) || n.is_uppercase(),
                            _ => true,
                        },
                        _ => false,
                    };
                    if !keep {
                        break;
                    }
                    iter.next();
                    end = j + d.len_utf8();
                } else {
                    break;
                }
            }
            out.push(Token { span: Span::new(i, end), text: &text[i..end] });
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn tokens_equal_the_char_tokenizer(
            text in "([a-zA-Z0-9 .,'’_‐\\-]|[éÉ٣ß中Ωⅷ]|\\PC){0,60}",
        ) {
            proptest::prop_assert_eq!(tokens(&text), tokens_by_chars(&text));
        }
    }

    #[test]
    fn tokens_equal_the_char_tokenizer_on_edge_cases() {
        for text in [
            "", "a", "1,5", "1,a", "a,1", "3.x", "3.X", "٣.٣", "é-", "-é", "U.S.", "a’s", "x_y",
            "9,é",
        ] {
            assert_eq!(tokens(text), tokens_by_chars(text), "{text:?}");
        }
    }

    #[test]
    fn tokens_keep_inner_joiners() {
        let t: Vec<&str> = tokens("Russia’s al-Assad paid 1,500 or 3.5 (U.S. sources), he said.")
            .iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            t,
            ["Russia’s", "al-Assad", "paid", "1,500", "or", "3.5", "U.S", "sources", "he", "said"]
        );
    }

    #[test]
    fn terms_are_stemmed_and_folded() {
        assert_eq!(term("Bases"), "base");
        assert_eq!(term("Russia’s"), "russia");
        assert_eq!(content_terms("The bases of Russia"), ["base", "russia"]);
        // Cached and uncached stems agree; non-ASCII words are not stemmed.
        for _ in 0..2 {
            assert_eq!(stem_folded("running"), "run");
            assert_eq!(stem_folded("café"), "café");
        }
        let table = [("Russia’S", "russia"), ("ÉTÉ’s", "été"), ("U.S", "u.s"), ("'s", "")];
        for (w, want) in table {
            assert_eq!(fold(w), want, "{w}");
        }
        assert_eq!(parse_number("1,500"), Some(1500.0));
    }

    #[test]
    fn numbers_are_read_as_their_language_writes_them() {
        // (token, language, value)
        let table: &[(&str, &str, Option<f64>)] = &[
            ("49", "", Some(49.0)),
            ("1,500", "", Some(1500.0)),
            ("1,500", "en", Some(1500.0)),
            ("1,500", "es", Some(1500.0)),
            ("1,200,000", "en", Some(1.2e6)),
            ("1,50,000", "en", Some(150_000.0)),
            ("1.5", "", Some(1.5)),
            ("1.5", "en", Some(1.5)),
            ("1.5", "de", Some(1.5)),
            ("3.000", "en", Some(3.0)),
            ("2.125", "en", Some(2.125)),
            ("3.000", "", Some(3.0)),
            ("1.125", "", Some(1.125)),
            ("900.000", "es", Some(900_000.0)),
            ("900.000", "", Some(900.0)),
            ("23.500", "de", Some(23_500.0)),
            ("1.200.000", "it", Some(1.2e6)),
            ("1.200.000", "en", Some(1.2e6)),
            ("0.500", "", Some(0.5)),
            ("0.500", "fr", Some(0.5)),
            ("1234.5", "pt", Some(1234.5)),
            ("1,5", "es", Some(1.5)),
            ("1,5", "", Some(1.5)),
            ("12,25", "fr", Some(12.25)),
            ("0,750", "de", Some(0.75)),
            ("1.234,5", "de", Some(1234.5)),
            ("1,234.5", "en", Some(1234.5)),
            ("1.234.567,89", "es", Some(1_234_567.89)),
            ("17.03.2026", "de", None),
            ("1.2.3", "", None),
            ("3.40pm", "en", None),
            ("abc", "", None),
            ("", "", None),
            (".5", "", None),
        ];
        for &(tok, lang, want) in table {
            assert_eq!(parse_number_in(tok, lang), want, "{tok} ({lang})");
        }
    }
}
