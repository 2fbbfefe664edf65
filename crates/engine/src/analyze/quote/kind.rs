//! What a found content is ([`ContentKind`]): a quotation, a reported clause, or only a noun
//! phrase. PolNeAR annotates the object of a verb of saying as content even when it is a
//! noun phrase ("confirmed the meeting", "announced his resignation"), so the extractor keeps
//! those for the evaluation; the report's quote list shows only quotations and clauses, since
//! "refused to confirm Assad’s presence in Russia" quotes nobody. The test is lexical: a
//! clause has a finite verb (an auxiliary, a copula, a modal, a common irregular verb or a
//! past in -ed after its subject) before any relative clause of its head noun.

use super::attrib::has_opener;
#[cfg(doc)]
use super::lexicon::Class;
use super::lexicon::{is, Words};
use crate::record::{ContentKind, Span};
use crate::text::{fold, tokens};

/// The kind of `content` (a span of `text`), `direct` when it is exactly a quoted segment,
/// `say` when its cue is a verb that takes a bare clause ("said", "told": [`Class::Say`]) or
/// comes after the content (`…, officials said`): such a content is a clause even when its
/// verb is no word the test knows ("said nine people remain missing").
pub(super) fn content_kind(text: &str, content: Span, direct: bool, say: bool) -> ContentKind {
    if direct {
        return ContentKind::Quotation;
    }
    if say {
        return ContentKind::Clause;
    }
    let t = content.slice(text);
    // A mixed quote ("it was “far too soon” to talk") carries the speaker's own words.
    if has_opener(t) {
        return ContentKind::Clause;
    }
    let toks = tokens(t);
    let words: Vec<String> = toks.iter().map(|x| fold(x.text)).collect();
    let Some(first) = words.first() else {
        return ContentKind::Clause;
    };
    if is(Words::ClauseOpener, first) {
        return ContentKind::Clause; // "that …", "whether …", "he …", "there …"
    }
    for (i, w) in words.iter().enumerate() {
        if i > 0 && is(Words::Relative, w) {
            break; // "information that was confirmed …": the verb of a relative clause
        }
        let next = words.get(i + 1).map_or("", String::as_str);
        let infinitive = w == "to"
            && !next.is_empty()
            && !is(Words::Det, next)
            && !next.starts_with(|c: char| c.is_ascii_digit())
            && toks.get(i + 1).is_some_and(|x| x.text.starts_with(char::is_lowercase));
        if is(Words::Finite, w) || is(Words::IrregularVerb, w) || infinitive {
            return ContentKind::Clause;
        }
        if w.ends_with("n't") || w.ends_with("n’t") {
            return ContentKind::Clause;
        }
        // "the ferry sank", "officials denied …": a past in -ed right after a subject word
        // (not after a determiner or a preposition, where it is an adjective: "the alleged").
        let prev = if i > 0 { words[i - 1].as_str() } else { "" };
        let past = i > 0
            && w.len() > 4
            && w.ends_with("ed")
            && toks[i].text.starts_with(char::is_lowercase)
            && !is(Words::Det, prev)
            && !is(Words::Preposition, prev)
            && !is(Words::Article, prev);
        if past {
            return ContentKind::Clause;
        }
    }
    ContentKind::Np
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_contents() {
        use ContentKind::{Clause, Np, Quotation};
        let cases: &[(&str, bool, ContentKind)] = &[
            ("We will not stop searching", true, Quotation),
            ("the bases’ future", true, Quotation),
            ("that the talks failed", false, Clause),
            ("the talks failed", false, Clause),
            ("whether the authority was examining the records", false, Clause),
            ("it came too late", false, Clause),
            ("owners to act quickly", false, Clause),
            ("the company would hand over its records", false, Clause),
            ("it was “far too soon” to talk about blame", false, Clause),
            ("the engines went quiet", false, Clause),
            ("he didn’t know", false, Clause),
            ("the reports", false, Np),
            ("the meeting", false, Np),
            ("Assad’s presence in Russia", false, Np),
            ("significant territorial gains", false, Np),
            ("corrosion on the hull of the ship in January 2025", false, Np),
            ("information that was confirmed by an eyewitness", false, Np),
            ("the alleged bribes paid to the minister", false, Np),
            ("three deaths", false, Np),
            ("", false, Clause),
        ];
        for &(t, direct, want) in cases {
            let got = content_kind(t, Span::new(0, t.len()), direct, false);
            assert_eq!(got, want, "{t:?}");
        }
    }

    #[test]
    fn a_bare_clause_after_say_is_a_clause() {
        let t = "Nine people remain missing";
        let s = Span::new(0, t.len());
        assert_eq!(content_kind(t, s, false, true), ContentKind::Clause);
        assert_eq!(content_kind(t, s, false, false), ContentKind::Np);
    }
}
