//! Named-entity mentions (person, organisation, location, misc) with byte spans.
//!
//! An averaged perceptron ([`model`]) trained on CoNLL-2003 tags CoNLL-style tokens
//! ([`tokenize`]) of each sentence; then a few news rules ([`rules`]) fix what the Reuters
//! 1996 training data under-represents: designator words that fix a name's kind
//! ([`designate`]: "Tarvik Line", "Kessaly Point", "MV Orla Grey"), titles before names,
//! Arabic name particles (`al-`, `Abu`), acronyms in parentheses, and document-level label
//! consistency.
//! The trained weights ship in `data/ner/model.bin`, loaded once on first use.

pub mod designate;
pub mod features;
pub mod model;
pub mod rules;
pub mod tokenize;

use std::sync::OnceLock;

pub use model::{read_conll, train, Model};

use crate::record::{Mention, Sentence, Span};

/// The shipped model (loaded lazily; an unreadable file gives an empty model).
pub fn shipped_model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        Model::load(include_bytes!("../../../data/ner/model.bin")).unwrap_or_default()
    })
}

/// Finds entity mentions with the shipped model.
pub fn extract(text: &str, sentences: &[Sentence]) -> Vec<Mention> {
    extract_with(shipped_model(), text, sentences)
}

/// Finds entity mentions with `model`. When `sentences` is empty, the text is split into
/// lines and sentence-final punctuation.
pub fn extract_with(model: &Model, text: &str, sentences: &[Sentence]) -> Vec<Mention> {
    let spans: Vec<Span> = if sentences.is_empty() {
        fallback_sentences(text)
    } else {
        sentences.iter().map(|s| s.span).collect()
    };
    let mut tagged: Vec<rules::Tagged> = spans
        .iter()
        .map(|s| {
            let toks = tokenize::tokenize(text, s.start, s.end);
            let words: Vec<&str> = toks.iter().map(|t| t.text).collect();
            let mut t = rules::Tagged { text, toks, ents: Vec::new() };
            if !is_title_case(&words) {
                t.ents = model::spans_of(&model.tag(&words));
                designate::correct(&words, &mut t.ents);
                rules::apply(&mut t);
            }
            t
        })
        .collect();
    rules::document_consistency(&mut tagged);
    rules::vessel_consistency(&mut tagged);
    rules::product_consistency(&mut tagged);
    let mut out: Vec<Mention> = tagged.iter().flat_map(|t| t.mentions()).collect();
    out.sort_by_key(|m| (m.span.start, m.span.end));
    out
}

/// Whether a sentence is a Title Case headline ("Assad Seeks Asylum in Russia"): most of
/// its longer words capitalised. The tagger (trained on sentence case) over-tags those;
/// they get only the names the rest of the document tags (document consistency).
pub fn is_title_case(words: &[&str]) -> bool {
    let (mut long, mut caps) = (0usize, 0usize);
    for w in words {
        // Most words are ASCII: bytes stand for chars there.
        let (longer, lower) = if w.is_ascii() {
            (w.len() > 3, w.bytes().any(|b| b.is_ascii_lowercase()))
        } else {
            (w.chars().nth(3).is_some(), w.chars().any(char::is_lowercase))
        };
        if longer && lower {
            long += 1;
            caps += usize::from(w.chars().next().is_some_and(char::is_uppercase));
        }
    }
    long >= 4 && caps * 5 >= long * 4
}

/// Sentence spans when no splitter ran: lines, cut after `.`, `!`, `?` followed by a space
/// and an uppercase letter or quote.
pub fn fallback_sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        let cut_here = c == '\n'
            || (c.is_whitespace()
                && matches!(prev, Some('.' | '!' | '?'))
                && next.is_some_and(|n| n.is_uppercase() || matches!(n, '"' | '“'))
                && !ends_with_abbreviation(&text[start..i]));
        if cut_here {
            push_trimmed(&mut out, text, start, i);
            start = i + c.len_utf8();
        }
        prev = Some(c);
    }
    push_trimmed(&mut out, text, start, text.len());
    out
}

fn ends_with_abbreviation(s: &str) -> bool {
    let last = s.trim_end().trim_end_matches('.').rsplit(' ').next().unwrap_or("");
    let low = last.to_lowercase();
    last.chars().count() == 1 || matches!(low.as_str(), "mr" | "mrs" | "ms" | "dr" | "st" | "gen")
}

fn push_trimmed(out: &mut Vec<Span>, text: &str, start: usize, end: usize) {
    let Some(part) = text.get(start..end) else {
        return;
    };
    let lead = part.len() - part.trim_start().len();
    let trail = part.len() - part.trim_end().len();
    if part.trim().is_empty() {
        return;
    }
    out.push(Span::new(start + lead, end - trail));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::EntityKind;

    #[test]
    fn fallback_splits_lines_and_sentences() {
        let text = "Mr. Smith left. He said so!\n\nNext line here";
        let got: Vec<&str> = fallback_sentences(text).iter().map(|s| s.slice(text)).collect();
        assert_eq!(got, ["Mr. Smith left.", "He said so!", "Next line here"]);
    }

    #[test]
    fn shipped_model_finds_news_entities() {
        let text = "Kremlin spokesman Dmitry Peskov said on Monday that Russian President \
                    Vladimir Putin met Bashar al-Assad in Moscow.";
        let got: Vec<(&str, EntityKind)> =
            extract(text, &[]).iter().map(|m| (m.span.slice(text), m.kind)).collect();
        for want in [
            ("Dmitry Peskov", EntityKind::Person),
            ("Vladimir Putin", EntityKind::Person),
            ("Bashar al-Assad", EntityKind::Person),
            ("Moscow", EntityKind::Location),
        ] {
            assert!(got.contains(&want), "{want:?} not in {got:?}");
        }
    }

    /// Issue 6: metonyms stay places (the CoNLL policy); an "X of Y" institution stays one
    /// organisation; a Romance name cut by the tagger is joined back to its head.
    #[test]
    fn metonyms_institutions_and_romance_names() {
        let cases: &[(&str, &[(&str, EntityKind)])] = &[
            (
                "The Bank of England raised rates on Thursday, a spokesman for the Bank of \
                 England said.",
                &[("Bank of England", EntityKind::Organization); 2],
            ),
            (
                "The Kremlin and the White House did not comment.",
                &[("Kremlin", EntityKind::Location), ("White House", EntityKind::Location)],
            ),
            (
                "Trois personnes sont mortes, a annoncé mardi l’Autorité de sécurité maritime \
                 de Varnes (VMSA).",
                &[
                    ("l’Autorité de sécurité maritime de Varnes", EntityKind::Organization),
                    ("VMSA", EntityKind::Organization),
                ],
            ),
        ];
        for (text, want) in cases {
            let got: Vec<(&str, EntityKind)> =
                extract(text, &[]).iter().map(|m| (m.span.slice(text), m.kind)).collect();
            assert_eq!(&got, want, "{text}");
        }
    }

    #[test]
    fn title_case_headlines() {
        let cases = [
            ("Vosk Seeks Asylum in Zarnia Following Escape", true),
            ("Karel Vosk said on Monday that Zarnia Port was closed", false),
            ("Vosk Left", false),
        ];
        for (s, want) in cases {
            let words: Vec<&str> = s.split(' ').collect();
            assert_eq!(is_title_case(&words), want, "{s}");
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in ["", "   ", "«»—’s", "é’s (", "A"] {
            let _ = extract(text, &[]);
            let _ = extract(text, &[Sentence { span: Span::new(0, 99), paragraph: 0 }]);
        }
    }
}
