//! Datelines: the place (and outlet, and date) that opens a wire report, "PORT ELLERY,
//! Varnes (Meridian Press) — ", "LONDON (Reuters) - ", "MOSCOW, Dec 9 (Reuters) - ".
//!
//! A dateline is not part of any fact, quote or dated event: fact units, reported-speech
//! wordings, timeline texts and summary lines start after it. [`dateline`] finds one at the
//! start of a text; [`trim`] moves a span of an article past the dateline of its sentence,
//! looking only where datelines are written (the first sentence of one of the article's
//! first paragraphs), so that a sentence that merely opens with a name and a dash keeps it.

use crate::record::{Sentence, Span};

/// Longest dateline, in bytes (the place, outlet and date before the dash).
const DATELINE_MAX: usize = 60;
/// Most words in a dateline.
const DATELINE_WORDS: usize = 6;
/// Sentences of an article (from its start) that may open with a dateline: a title line or
/// a place line ("PORT ELLERY:") may come before it.
const LEAD_SENTENCES: usize = 3;

/// Where the text after a leading dateline starts ("PORT ELLERY, Varnes (Meridian Press) —
/// Three people…" → the offset of "Three"), if `text` opens with one: a short run of
/// capitalised words, numbers (a date) and a parenthesised outlet before an em or en dash
/// (a hyphen only after an all-capital place or an outlet in parentheses), followed by a
/// capitalised word, a number or a quotation; a dash that comes back later in the sentence
/// opens an aside ("Mr. Smith — the mayor — said"), not a dateline.
pub fn dateline(text: &str) -> Option<usize> {
    let (dash, len, hyphen) = [(" — ", false), (" – ", false), (" - ", true), (" -- ", true)]
        .iter()
        .filter_map(|(d, h)| text.find(d).map(|i| (i, d.len(), *h)))
        .min()?;
    if dash > DATELINE_MAX {
        return None;
    }
    let head = &text[..dash];
    let words: Vec<&str> = head.split_whitespace().collect();
    let capitalised = words.iter().all(|w| {
        let w = w.trim_start_matches('(');
        w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    });
    let marked = head.contains('(')
        || words.iter().any(|w| {
            let letters = w.trim_matches(|c: char| !c.is_alphabetic());
            letters.chars().count() >= 2 && letters.chars().all(char::is_uppercase)
        });
    let rest = text[dash + len..].trim_start();
    let opens = rest
        .trim_start_matches(['“', '"', '‘', '\'', '«'])
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let aside = text[dash + len..].contains(&text[dash..dash + len]);
    (!words.is_empty()
        && words.len() <= DATELINE_WORDS
        && capitalised
        && (marked || !hyphen)
        && opens
        && !aside)
        .then_some(text.len() - rest.len())
}

/// Whether sentence `k` of `sentences` is where a dateline may stand: one of the article's
/// first sentences, opening its paragraph.
fn may_open_with_dateline(sentences: &[Sentence], k: usize) -> bool {
    k < LEAD_SENTENCES
        && (k == 0
            || sentences.get(k - 1).map(|p| p.paragraph) != sentences.get(k).map(|s| s.paragraph))
}

/// `span` (of `text`, the article's repaired text) moved past the dateline of the sentence
/// it starts in, when it starts within that dateline; otherwise `span` itself.
pub fn trim(text: &str, sentences: &[Sentence], span: Span) -> Span {
    let k = sentences.partition_point(|s| s.span.end <= span.start);
    let Some(s) = sentences.get(k) else { return span };
    if s.span.start > span.start || !may_open_with_dateline(sentences, k) {
        return span;
    }
    let Some(sentence) = text.get(s.span.start..s.span.end) else { return span };
    match dateline(sentence).map(|at| s.span.start + at) {
        Some(cut) if cut > span.start && cut < span.end => Span::new(cut, span.end),
        _ => span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines_of_several_shapes_are_found() {
        // (text, the text after the dateline; None: no dateline)
        let table: &[(&str, Option<&str>)] = &[
            ("LONDON (Reuters) - Oil prices fell on Monday.", Some("Oil prices fell on Monday.")),
            (
                "PORT ELLERY, Varnes (Meridian Press) — Three people died.",
                Some("Three people died."),
            ),
            ("Port Ellery — Safety inspectors warned.", Some("Safety inspectors warned.")),
            ("MOSCOW, Dec 9 (Reuters) - The Kremlin said.", Some("The Kremlin said.")),
            ("CALDPORT — Two passengers died.", Some("Two passengers died.")),
            ("KYIV (AP) — “We will stay,” he said.", Some("“We will stay,” he said.")),
            ("GENEVA -- 12 people were hurt.", Some("12 people were hurt.")),
            ("Mr. Smith — the mayor — said the port would reopen.", None),
            ("Rebels — Hamas and Hezbollah — said they would fight.", None),
            ("“Hope” — that was the word she used.", None),
            ("“Never again,” said Ms. Marrow — The Harbour chief.", None),
            ("Smith - The mayor said the port would reopen.", None),
            ("The ferry — an old one — sank.", None),
            ("It was, he said — and he meant it — over.", None),
            ("PORT ELLERY — ", None),
            ("Fourteen people were injured, four of them seriously.", None),
        ];
        for (text, want) in table {
            assert_eq!(dateline(text).map(|at| &text[at..]), *want, "{text}");
        }
    }

    #[test]
    fn spans_move_past_the_dateline_of_a_lead_sentence_only() {
        let text = "PORT ELLERY — Three died.\nLONDON (Reuters) - Later lines keep theirs.";
        let nl = text.find('\n').unwrap_or(0);
        let first = Span::new(0, nl);
        let second = Span::new(nl + 1, text.len());
        let sentences =
            [Sentence { span: first, paragraph: 0 }, Sentence { span: second, paragraph: 1 }];
        let cut = text.find("Three").unwrap_or(0);
        // (span, wanted span)
        let table = [
            (first, Span::new(cut, nl)),
            (Span::new(cut, nl), Span::new(cut, nl)),
            (Span::new(0, 11), Span::new(0, 11)),
            (second, Span::new(text.find("Later").unwrap_or(0), text.len())),
        ];
        for (span, want) in table {
            assert_eq!(trim(text, &sentences, span), want, "{span:?}");
        }
        // The same dateline deep in an article (its fourth paragraph) is left alone.
        let text = "One.\nTwo.\nThree.\nLONDON (Reuters) - Oil fell.";
        let starts = [0, 5, 10, 17];
        let sentences: Vec<Sentence> = starts
            .iter()
            .enumerate()
            .map(|(p, &s)| {
                let end = starts.get(p + 1).map_or(text.len(), |n| n - 1);
                Sentence { span: Span::new(s, end), paragraph: p }
            })
            .collect();
        let last = Span::new(17, text.len());
        assert_eq!(trim(text, &sentences, last), last);
        assert_eq!(trim(text, &sentences[1..], last), Span::new(36, text.len()));
    }
}
