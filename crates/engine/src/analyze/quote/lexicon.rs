//! Word lists for attribution: cue verbs (from `data/quote/cues.txt`), role nouns and
//! titles (`data/quote/roles.txt`), and small closed classes (pronouns, determiners,
//! prepositions, adverbs that may sit between a speaker and its verb).

use std::collections::HashMap;
use std::sync::OnceLock;

/// How a cue introduces its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Takes a bare clause ("X said the talks failed").
    Say,
    /// Takes "that", a quote, a colon or a bare clause ("X warned (that) …").
    Verb,
    /// Needs "that", a quote or a colon ("X maintained that …", not "maintained bases").
    That,
    /// A participle whose speaker is its clause's subject (", saying that …").
    Ing,
}

fn cues() -> &'static HashMap<String, Class> {
    static CUES: OnceLock<HashMap<String, Class>> = OnceLock::new();
    CUES.get_or_init(|| {
        include_str!("../../../data/quote/cues.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut it = l.split_whitespace();
                let word = it.next()?;
                let class = match it.next()? {
                    "say" => Class::Say,
                    "ing" => Class::Ing,
                    "that" => Class::That,
                    _ => Class::Verb,
                };
                Some((word.to_string(), class))
            })
            .collect()
    })
}

/// The cue class of a lowercased word, if it is a verb of saying.
pub fn cue_class(lower: &str) -> Option<Class> {
    cues().get(lower).copied()
}

/// Whether a lowercased word is a role noun or title ("spokesman", "president", "mr").
pub fn is_role(lower: &str) -> bool {
    static ROLES: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    ROLES
        .get_or_init(|| {
            include_str!("../../../data/quote/roles.txt")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect()
        })
        .contains(lower.trim_end_matches('.'))
}

/// Personal pronouns that can name a speaker.
pub fn is_pronoun(lower: &str) -> bool {
    matches!(lower, "he" | "she" | "they" | "i" | "we" | "it" | "you")
}

/// Determiners and possessives that may open a speaker noun phrase.
pub fn is_det(lower: &str) -> bool {
    matches!(
        lower,
        "the"
            | "a"
            | "an"
            | "his"
            | "her"
            | "their"
            | "its"
            | "our"
            | "my"
            | "this"
            | "one"
            | "another"
            | "some"
            | "several"
            | "many"
            | "two"
            | "three"
    )
}

/// Words that end a speaker noun phrase (prepositions, conjunctions, verbs, relatives).
pub fn is_np_stop(lower: &str) -> bool {
    matches!(
        lower,
        "that"
            | "and"
            | "but"
            | "or"
            | "which"
            | "who"
            | "whom"
            | "as"
            | "while"
            | "when"
            | "because"
            | "if"
            | "after"
            | "before"
            | "in"
            | "on"
            | "at"
            | "to"
            | "for"
            | "with"
            | "by"
            | "from"
            | "about"
            | "into"
            | "than"
            | "is"
            | "was"
            | "are"
            | "were"
            | "be"
            | "been"
            | "so"
            | "not"
            | "also"
            | "where"
            | "what"
            | "how"
            | "why"
            | "whether"
            | "there"
            | "then"
            | "has"
            | "have"
            | "had"
            | "would"
            | "will"
            | "could"
            | "can"
            | "did"
            | "does"
            | "do"
            | "said"
            | "says"
            | "says,"
            | "over"
            | "under"
            | "during"
            | "since"
            | "until"
            | "though"
            | "although"
            | "despite"
            | "like"
            | "via"
            | "per"
            | "it's"
            | "it’s"
            | "this"
            | "these"
            | "those"
            | "him"
            | "them"
            | "me"
            | "us"
    )
}

/// Adverbs and auxiliaries that may stand between a speaker and the cue ("he also said").
pub fn is_skippable(lower: &str) -> bool {
    matches!(
        lower,
        "also"
            | "later"
            | "then"
            | "has"
            | "have"
            | "had"
            | "was"
            | "were"
            | "is"
            | "would"
            | "will"
            | "reportedly"
            | "further"
            | "previously"
            | "again"
            | "repeatedly"
            | "once"
            | "recently"
            | "publicly"
            | "earlier"
            | "subsequently"
            | "simply"
            | "explicitly"
            | "never"
            | "already"
            | "just"
            | "only"
            | "now"
            | "did"
            | "does"
            | "may"
            | "might"
            | "could"
            | "often"
            | "frequently"
            | "meanwhile"
            | "however"
            | "privately"
            | "initially"
            | "first"
            | "last"
            | "reportedly,"
            | "both"
            | "all"
            | "flatly"
            | "openly"
            | "angrily"
            | "quickly"
            | "bluntly"
            | "firmly"
            | "himself"
            | "herself"
            | "since"
            | "basically"
            | "gingerly"
            | "long"
            | "consistently"
            | "specifically"
            | "personally"
            | "even"
    )
}

/// Sentence adverbs that are capitalised at a sentence start but are no part of a name.
pub fn is_sentence_adverb(lower: &str) -> bool {
    matches!(
        lower,
        "meanwhile"
            | "however"
            | "but"
            | "and"
            | "so"
            | "also"
            | "then"
            | "now"
            | "still"
            | "instead"
            | "separately"
            | "additionally"
            | "moreover"
            | "furthermore"
            | "yet"
            | "thus"
            | "indeed"
            | "finally"
            | "later"
            | "earlier"
            | "today"
            | "yesterday"
    )
}

/// Words that may follow a cue before its content: time and place phrases ("said on
/// Monday that", "told reporters in Moscow that").
pub fn opens_adjunct(lower: &str) -> bool {
    matches!(
        lower,
        "on" | "in"
            | "at"
            | "during"
            | "last"
            | "this"
            | "late"
            | "earlier"
            | "yesterday"
            | "today"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "recently"
            | "afterwards"
            | "later"
            | "again"
            | "previously"
            | "also"
            | "repeatedly"
            | "publicly"
            | "privately"
            | "separately"
            | "before"
            | "after"
            | "to"
            | "through"
            | "via"
            | "over"
            | "out"
            | "up"
    )
}
