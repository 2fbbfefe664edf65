//! Per-article material for derivation: each sentence's *own wording* as a sequence of
//! folded-word hashes with quoted text removed (independent outlets quote the same speaker
//! verbatim, so quotes are not evidence of a shared origin), its content terms and numbers,
//! and the sampled wording keys used to find candidate pairs without comparing all pairs.
//!
//! Sentences come from `Analyzed::sentences`; an overlong "sentence" (a whole paragraph from
//! a line-based splitter) is cut again at sentence-final punctuation, so the unit compared is
//! always about one sentence.

use crate::analyze::signature::{combine, hash_str};
use crate::record::{Analyzed, Sentence, Span};
use crate::text;

/// Sentences with fewer own (unquoted) words than this are never evidence.
pub const MIN_WORDS: usize = 6;

/// One sentence, reduced to what derivation compares.
#[derive(Debug, Clone)]
pub struct SentPrep {
    /// Span in the repaired text.
    pub span: Span,
    /// Folded-word hashes of the unquoted words, in order.
    pub words: Vec<u64>,
    /// Content-word hashes (folded, no stopwords), sorted and deduplicated.
    pub content: Vec<u64>,
}

/// One article, reduced to what derivation compares.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    /// Sentences with at least [`MIN_WORDS`] own words.
    pub sentences: Vec<SentPrep>,
    /// Total own words over those sentences.
    pub words: usize,
    /// Hashes of numbers and capitalised words in order (language-independent anchors).
    pub anchors: Vec<u64>,
    /// Sampled wording keys (5-grams of own words and content-term bigrams), deduplicated.
    pub keys: Vec<u64>,
    /// Every (content term, sentence index) pair, sorted: the sentences holding a term are
    /// one run (in sentence order), found by binary search when aligning.
    pub index: Vec<(u64, u32)>,
}

/// Byte ranges of `text` inside quote marks (“…”, «…», „…“, "…"), plus `direct`, the
/// direct-quote contents found by the analyzer.
pub fn quoted_ranges(text: &str, direct: &[Span]) -> Vec<Span> {
    let mut out: Vec<Span> = direct.to_vec();
    let mut open: Option<(usize, char)> = None;
    // Every mark is `"`, a newline, or a char whose UTF-8 starts with 0xC2 (« ») or 0xE2
    // (“ ” „); no other char changes the state, so only those bytes are decoded.
    for (i, &b) in text.as_bytes().iter().enumerate() {
        let c = match b {
            b'"' | b'\n' => char::from(b),
            0xC2 | 0xE2 => match text.get(i..).and_then(|t| t.chars().next()) {
                Some(c) => c,
                None => continue,
            },
            _ => continue,
        };
        match open {
            None => {
                if matches!(c, '“' | '«' | '„' | '"') {
                    open = Some((i, c));
                }
            }
            Some((s, o)) => {
                let closes = match o {
                    '“' | '„' => matches!(c, '”' | '“'),
                    '«' => c == '»',
                    _ => c == '"',
                };
                if closes {
                    out.push(Span::new(s, i + c.len_utf8()));
                    open = None;
                } else if c == '\n' {
                    // Quotes do not run across paragraphs here; an unclosed mark is dropped.
                    open = None;
                }
            }
        }
    }
    out.sort_unstable();
    out
}

/// Cuts a long sentence span at sentence-final punctuation followed by a space and an
/// uppercase letter (`. The`), so paragraph-sized units become sentences.
fn resplit(text: &str, span: Span) -> Vec<Span> {
    let Some(s) = text.get(span.start..span.end) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = s.as_bytes();
    // The mark and the space are ASCII, so a byte match is a char match, and the char after
    // them starts at `i + 2`.
    for i in 0..bytes.len().saturating_sub(2) {
        let (c, sp) = (bytes[i], bytes[i + 1]);
        if !(matches!(c, b'.' | b'!' | b'?') && sp == b' ') {
            continue;
        }
        let up = s.get(i + 2..).and_then(|r| r.chars().next());
        if up.is_some_and(char::is_uppercase) {
            let before = s.get(start..i).unwrap_or("");
            let last = before.rsplit(' ').next().unwrap_or("");
            // Keep abbreviations ("Mr.", "U.S.") and initials inside the sentence.
            if last.chars().count() <= 2 || last.contains('.') {
                continue;
            }
            out.push(Span::new(span.start + start, span.start + i + 1));
            start = i + 2;
        }
    }
    out.push(Span::new(span.start + start, span.end));
    out
}

fn in_ranges(ranges: &[Span], pos: usize) -> bool {
    let i = ranges.partition_point(|r| r.start <= pos);
    i > 0 && pos < ranges[i - 1].end
}

/// Keeps one key in `1 << SAMPLE_BITS` (by value) so candidate search stays cheap.
const SAMPLE_BITS: u32 = 2;

fn sampled(h: u64) -> bool {
    h.trailing_zeros() >= SAMPLE_BITS
}

/// Prepares one article from its repaired text and analysis.
pub fn prepare(text: &str, analyzed: &Analyzed) -> Prepared {
    prepare_parts(text, &analyzed.sentences, &super::record::direct_quotes(analyzed))
}

/// Prepares one article from its repaired text, its sentences and its direct-quote spans.
pub fn prepare_parts(text: &str, sentences: &[Sentence], direct: &[Span]) -> Prepared {
    let quoted = quoted_ranges(text, direct);
    let mut p = Prepared::default();
    let mut folded = String::new();
    for sent in sentences {
        for span in resplit(text, sent.span) {
            prepare_sentence(text, span, &quoted, &mut p, &mut folded);
        }
    }
    p.keys.sort_unstable();
    p.keys.dedup();
    // Sentence indices fit in u32: a text of 4 GiB would be needed to overflow.
    p.index = (p.sentences.iter().enumerate())
        .flat_map(|(j, s)| s.content.iter().map(move |&c| (c, j as u32)))
        .collect();
    p.index.sort_unstable();
    p
}

/// Adds the sentence at `span` to `p` (`f` is a reused buffer for folded words).
fn prepare_sentence(text: &str, span: Span, quoted: &[Span], p: &mut Prepared, f: &mut String) {
    let s = span.slice(text);
    let mut words = Vec::new();
    let mut content = Vec::new();
    let mut first_token = true;
    text::for_each_token(s, |t| {
        let first = t.text.chars().next().unwrap_or(' ');
        let anchor = first.is_ascii_digit() || (!first_token && first.is_uppercase());
        first_token = false;
        let quoted = in_ranges(quoted, span.start + t.span.start);
        if !anchor && quoted {
            return;
        }
        f.clear();
        text::fold_into(t.text, f);
        let h = hash_str(f);
        if anchor {
            p.anchors.push(h);
        }
        if quoted {
            return;
        }
        words.push(h);
        if f.chars().nth(1).is_some() && !text::is_stopword(f) {
            // Folded, not stemmed: a spun rewrite keeps most content words as they were, and
            // stemming every word would dominate the cost of derivation.
            content.push(h);
        }
    });
    if words.len() < MIN_WORDS {
        return;
    }
    for w in words.windows(5) {
        let h = w.iter().fold(5, |h, &x| combine(h, x));
        if sampled(h) {
            p.keys.push(h);
        }
    }
    for w in content.windows(2) {
        let h = combine(combine(2, w[0]), w[1]);
        if sampled(h) {
            p.keys.push(h);
        }
    }
    content.sort_unstable();
    content.dedup();
    p.words += words.len();
    p.sentences.push(SentPrep { span, words, content });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzed(text: &str) -> Analyzed {
        Analyzed {
            sentences: vec![Sentence { span: Span::new(0, text.len()), paragraph: 0 }],
            ..Default::default()
        }
    }

    #[test]
    fn quotes_are_masked() {
        let cases: &[(&str, &[&str])] = &[
            ("He said “it is early” today.", &["“it is early”"]),
            ("« oui » and \"no\" and „ja“", &["« oui »", "\"no\"", "„ja“"]),
            ("An “unclosed quote\nnext", &[]),
            // Other multi-byte chars (two, three and four bytes) around and inside marks.
            ("Él dijo «sí» — “ok ½” 中文 \"x 😀\" ¿", &["«sí»", "“ok ½”", "\"x 😀\""]),
        ];
        for (text, want) in cases {
            let got: Vec<&str> =
                quoted_ranges(text, &super::super::record::direct_quotes(&analyzed(text)))
                    .iter()
                    .map(|s| s.slice(text))
                    .collect();
            assert_eq!(&got, want, "{text}");
        }
    }

    /// The byte scan cuts where a scan of the chars does, non-ASCII text included.
    #[test]
    fn resplit_cuts_where_the_char_scan_does() {
        fn by_chars(text: &str, span: Span) -> Vec<Span> {
            let s = span.slice(text);
            let (mut out, mut start) = (Vec::new(), 0);
            let chars: Vec<(usize, char)> = s.char_indices().collect();
            for w in 0..chars.len().saturating_sub(2) {
                let ((i, c), (_, sp), (_, up)) = (chars[w], chars[w + 1], chars[w + 2]);
                if matches!(c, '.' | '!' | '?') && sp == ' ' && up.is_uppercase() {
                    let last = s.get(start..i).unwrap_or("").rsplit(' ').next().unwrap_or("");
                    if last.chars().count() <= 2 || last.contains('.') {
                        continue;
                    }
                    out.push(Span::new(span.start + start, span.start + i + 1));
                    start = i + 2;
                }
            }
            out.push(Span::new(span.start + start, span.end));
            out
        }
        for text in [
            "Él llegó ayer. Él dijo que sí! Über alles. État prévu? Ça va.",
            "Done. ",
            "A. B",
            "x",
            "",
            "Word. É",
            "Ends here. ",
            "Привет мир. Это тест! Да.",
            "He left. a lower start. Mr. X went. Then.",
        ] {
            let span = Span::new(0, text.len());
            assert_eq!(resplit(text, span), by_chars(text, span), "{text:?}");
        }
    }

    #[test]
    fn long_units_are_resplit() {
        let text = "Mr. Smith went to Washington on Monday. He met the U.S. envoy there. Done!";
        let got: Vec<&str> =
            resplit(text, Span::new(0, text.len())).iter().map(|s| s.slice(text)).collect();
        assert_eq!(
            got,
            ["Mr. Smith went to Washington on Monday.", "He met the U.S. envoy there.", "Done!"]
        );
    }

    #[test]
    fn quoted_words_are_not_own_words() {
        let text = "The spokesman told reporters on Monday: “It is premature to talk about it.”";
        let p = prepare(text, &analyzed(text));
        assert_eq!(p.sentences.len(), 1);
        assert_eq!(p.words, 6);
        let short = "He said: “It is premature to talk about it yet, really.”";
        assert_eq!(prepare(short, &analyzed(short)).sentences.len(), 0);
    }
}
