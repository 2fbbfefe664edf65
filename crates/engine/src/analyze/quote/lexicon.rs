//! Word lists for attribution, all loaded from data files at build time: cue verbs
//! (`data/quote/cues.txt`), role nouns and titles (`data/quote/roles.txt`), and the closed word
//! classes and small lexicons the rules test words against (`data/quote/words.txt`: pronouns,
//! determiners, prepositions, adverbs that may sit between a speaker and its verb, …), each
//! list with the reason for its words in a comment there.

use std::sync::OnceLock;

use crate::analyze::signature::StrMap;

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

/// The bit of [`table`] values marking a role noun or title (`roles.txt`).
pub const ROLE_BIT: u64 = 1 << 58;
/// Where [`table`] values keep a cue class (`cues.txt`): three bits, 0 = no cue.
const CUE_SHIFT: u32 = 59;

/// The cue class of a lowercased word, if it is a verb of saying.
pub fn cue_class(lower: &str) -> Option<Class> {
    cue_of(bits(lower))
}

/// The cue class held in a [`bits`] value.
pub fn cue_of(bits: u64) -> Option<Class> {
    match (bits >> CUE_SHIFT) & 0b111 {
        1 => Some(Class::Say),
        2 => Some(Class::Verb),
        3 => Some(Class::That),
        4 => Some(Class::Ing),
        _ => None,
    }
}

/// Whether a lowercased word is a role noun or title ("spokesman", "president", "mr").
pub fn is_role(lower: &str) -> bool {
    let lower = lower.trim_end_matches('.');
    bits(lower) & ROLE_BIT != 0 || is_compound_role(lower)
}

/// Letters a German compound role noun has before its head ("Vize" + "präsident"); shorter
/// prefixes are English words that merely end like a head ("ad" + "minister").
const COMPOUND_PREFIX: usize = 3;

/// Whether a lowercased word is a German compound role noun: letters, then a head of
/// `roles.txt`'s `-head` lines ("regierungssprecher", "außenministerin").
pub fn is_compound_role(lower: &str) -> bool {
    if lower.len() < COMPOUND_PREFIX + 4 {
        return false;
    }
    compound_heads().iter().any(|h| {
        lower.strip_suffix(h).is_some_and(|p| {
            p.chars().count() >= COMPOUND_PREFIX && p.chars().all(char::is_alphabetic)
        })
    })
}

/// The heads of German compound role nouns (`roles.txt` lines starting with `-`), longest
/// first.
fn compound_heads() -> &'static [&'static str] {
    static HEADS: OnceLock<Vec<&'static str>> = OnceLock::new();
    HEADS.get_or_init(|| {
        let mut heads: Vec<&'static str> = include_str!("../../../data/quote/roles.txt")
            .lines()
            .filter_map(|l| l.trim().strip_prefix('-'))
            .filter(|h| !h.is_empty())
            .collect();
        heads.sort_by_key(|h| std::cmp::Reverse(h.len()));
        heads
    })
}

/// A word list of `data/quote/words.txt` (each list's reason is the comment under its name
/// there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Words {
    /// `[pronoun]`.
    Pronoun,
    /// `[det]`.
    Det,
    /// `[np_stop]`.
    NpStop,
    /// `[skippable]`.
    Skippable,
    /// `[sentence_adverb]`.
    SentenceAdverb,
    /// `[adjunct_opener]`.
    AdjunctOpener,
    /// `[preposition]`.
    Preposition,
    /// `[time_word]`.
    TimeWord,
    /// `[quantifier]`.
    Quantifier,
    /// `[count]`.
    Count,
    /// `[head_count]`.
    HeadCount,
    /// `[plural_head]`.
    PluralHead,
    /// `[nounlike_cue]`.
    NounlikeCue,
    /// `[noun_cue]`.
    NounCue,
    /// `[article]`.
    Article,
    /// `[object_det]`.
    ObjectDet,
    /// `[colon_label]`.
    ColonLabel,
    /// `[asked_frame]`.
    AskedFrame,
    /// `[raising_verb]`.
    RaisingVerb,
    /// `[adjunct_start]`.
    AdjunctStart,
    /// `[addressee_cue]`.
    AddresseeCue,
    /// `[object_cue]`.
    ObjectCue,
    /// `[request_cue]`.
    RequestCue,
    /// `[promise_cue]`.
    PromiseCue,
    /// `[wh]`.
    Wh,
    /// `[modal]`.
    Modal,
    /// `[subordinator]`.
    Subordinator,
    /// `[continuation_stop]`.
    ContinuationStop,
    /// `[fronted_adjunct]`.
    FrontedAdjunct,
    /// `[circumstance]`.
    Circumstance,
    /// `[approximator]`.
    Approximator,
    /// `[ago_count]`.
    AgoCount,
    /// `[clause_word]`.
    ClauseWord,
    /// `[irregular_verb]`.
    IrregularVerb,
    /// `[ly_word]`.
    LyWord,
    /// `[name_particle]`.
    NameParticle,
    /// `[before_name]`.
    BeforeName,
    /// `[abbreviation]`.
    Abbreviation,
    /// `[apposition_circumstance]`.
    AppositionCircumstance,
    /// `[sentence_starter]`.
    SentenceStarter,
    /// `[fronted_time]`.
    FrontedTime,
    /// `[clause_opener]`.
    ClauseOpener,
    /// `[relative]`.
    Relative,
    /// `[finite]`.
    Finite,
    /// `[foreign_cue]`.
    ForeignCue,
    /// `[foreign_aux]`.
    ForeignAux,
    /// `[according_word]`.
    AccordingWord,
    /// `[foreign_pronoun]`.
    ForeignPronoun,
    /// `[foreign_det]`.
    ForeignDet,
}

impl Words {
    /// Every list, in the order of their bits in [`table`].
    const ALL: [Words; 49] = [
        Words::Pronoun,
        Words::Det,
        Words::NpStop,
        Words::Skippable,
        Words::SentenceAdverb,
        Words::AdjunctOpener,
        Words::Preposition,
        Words::TimeWord,
        Words::Quantifier,
        Words::Count,
        Words::HeadCount,
        Words::PluralHead,
        Words::NounlikeCue,
        Words::NounCue,
        Words::Article,
        Words::ObjectDet,
        Words::ColonLabel,
        Words::AskedFrame,
        Words::RaisingVerb,
        Words::AdjunctStart,
        Words::AddresseeCue,
        Words::ObjectCue,
        Words::RequestCue,
        Words::PromiseCue,
        Words::Wh,
        Words::Modal,
        Words::Subordinator,
        Words::ContinuationStop,
        Words::FrontedAdjunct,
        Words::Circumstance,
        Words::Approximator,
        Words::AgoCount,
        Words::ClauseWord,
        Words::IrregularVerb,
        Words::LyWord,
        Words::NameParticle,
        Words::BeforeName,
        Words::Abbreviation,
        Words::AppositionCircumstance,
        Words::SentenceStarter,
        Words::FrontedTime,
        Words::ClauseOpener,
        Words::Relative,
        Words::Finite,
        Words::ForeignCue,
        Words::ForeignAux,
        Words::AccordingWord,
        Words::ForeignPronoun,
        Words::ForeignDet,
    ];

    /// The list's `[name]` in the data file.
    fn name(self) -> &'static str {
        match self {
            Words::Pronoun => "pronoun",
            Words::Det => "det",
            Words::NpStop => "np_stop",
            Words::Skippable => "skippable",
            Words::SentenceAdverb => "sentence_adverb",
            Words::AdjunctOpener => "adjunct_opener",
            Words::Preposition => "preposition",
            Words::TimeWord => "time_word",
            Words::Quantifier => "quantifier",
            Words::Count => "count",
            Words::HeadCount => "head_count",
            Words::PluralHead => "plural_head",
            Words::NounlikeCue => "nounlike_cue",
            Words::NounCue => "noun_cue",
            Words::Article => "article",
            Words::ObjectDet => "object_det",
            Words::ColonLabel => "colon_label",
            Words::AskedFrame => "asked_frame",
            Words::RaisingVerb => "raising_verb",
            Words::AdjunctStart => "adjunct_start",
            Words::AddresseeCue => "addressee_cue",
            Words::ObjectCue => "object_cue",
            Words::RequestCue => "request_cue",
            Words::PromiseCue => "promise_cue",
            Words::Wh => "wh",
            Words::Modal => "modal",
            Words::Subordinator => "subordinator",
            Words::ContinuationStop => "continuation_stop",
            Words::FrontedAdjunct => "fronted_adjunct",
            Words::Circumstance => "circumstance",
            Words::Approximator => "approximator",
            Words::AgoCount => "ago_count",
            Words::ClauseWord => "clause_word",
            Words::IrregularVerb => "irregular_verb",
            Words::LyWord => "ly_word",
            Words::NameParticle => "name_particle",
            Words::BeforeName => "before_name",
            Words::Abbreviation => "abbreviation",
            Words::AppositionCircumstance => "apposition_circumstance",
            Words::SentenceStarter => "sentence_starter",
            Words::FrontedTime => "fronted_time",
            Words::ClauseOpener => "clause_opener",
            Words::Relative => "relative",
            Words::Finite => "finite",
            Words::ForeignCue => "foreign_cue",
            Words::ForeignAux => "foreign_aux",
            Words::AccordingWord => "according_word",
            Words::ForeignPronoun => "foreign_pronoun",
            Words::ForeignDet => "foreign_det",
        }
    }
}

/// Every listed word with the set of lists holding it (bit `i` = `Words::ALL[i]`), its role
/// bit ([`ROLE_BIT`]) and its cue class (at [`CUE_SHIFT`]): one hash lookup answers any list
/// test.
fn table() -> &'static StrMap<&'static str, u64> {
    static TABLE: OnceLock<StrMap<&'static str, u64>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map: StrMap<&'static str, u64> = StrMap::default();
        let lines = |t: &'static str| t.lines().map(str::trim).filter(|l| !l.starts_with('#'));
        let roles = lines(include_str!("../../../data/quote/roles.txt"));
        for l in roles.filter(|l| !l.is_empty() && !l.starts_with('-')) {
            *map.entry(l).or_insert(0) |= ROLE_BIT;
        }
        for l in lines(include_str!("../../../data/quote/cues.txt")) {
            let mut it = l.split_whitespace();
            let (Some(word), Some(class)) = (it.next(), it.next()) else {
                continue;
            };
            let code: u64 = match class {
                "say" => 1,
                "ing" => 4,
                "that" => 3,
                _ => 2,
            };
            // A later line for the same word replaces the class of an earlier one.
            let v = map.entry(word).or_insert(0);
            *v = (*v & !(0b111 << CUE_SHIFT)) | code << CUE_SHIFT;
        }
        let mut bit: Option<usize> = None;
        for line in include_str!("../../../data/quote/words.txt").lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                bit = Words::ALL.iter().position(|w| w.name() == name);
                continue;
            }
            if let Some(b) = bit {
                for word in line.split_whitespace() {
                    *map.entry(word).or_insert(0) |= 1 << b;
                }
            }
        }
        map
    })
}

/// Whether the lowercased word `lower` is in `list`.
pub fn is(list: Words, lower: &str) -> bool {
    has(bits(lower), list)
}

/// The set of lists holding the lowercased word `lower`, for [`has`] (words of a unit look
/// theirs up once).
pub fn bits(lower: &str) -> u64 {
    table().get(lower).copied().unwrap_or(0)
}

/// Whether the list set `bits` holds `list`.
pub fn has(bits: u64, list: Words) -> bool {
    // The position in `ALL` is the bit; `ALL` lists the variants in declaration order.
    bits & (1 << list as usize) != 0
}

/// Personal pronouns that can name a speaker.
pub fn is_pronoun(lower: &str) -> bool {
    is(Words::Pronoun, lower)
}

/// Determiners and possessives that may open a speaker noun phrase.
pub fn is_det(lower: &str) -> bool {
    is(Words::Det, lower)
}

/// Sentence adverbs that are capitalised at a sentence start but are no part of a name.
pub fn is_sentence_adverb(lower: &str) -> bool {
    is(Words::SentenceAdverb, lower)
}

/// Words that may follow a cue before its content: time and place phrases ("said on
/// Monday that", "told reporters in Moscow that").
pub fn opens_adjunct(lower: &str) -> bool {
    is(Words::AdjunctOpener, lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_compound_role_nouns_are_roles() {
        let table: &[(&str, bool)] = &[
            ("regierungssprecher", true),
            ("außenministerin", true),
            ("bundeskanzler", true),
            ("oberbürgermeister", true),
            ("vizepräsident", true),
            ("sprecher", true),
            ("administer", false),
            ("minister", true),
            ("ministerium", false),
            ("regierungs-sprecher", false),
            ("spokesman", true),
            ("spokesmanship", false),
        ];
        for (word, want) in table {
            assert_eq!(is_role(word), *want, "{word}");
        }
    }

    #[test]
    fn every_list_is_in_the_data_file_and_every_section_is_a_list() {
        assert!(Words::ALL.len() <= 58, "one bit per list, below the role and cue bits");
        for (i, w) in Words::ALL.iter().enumerate() {
            assert_eq!(*w as usize, i, "ALL is in declaration order");
            assert!(table().values().any(|m| m & (1 << i) != 0), "[{}] has no word", w.name());
        }
        for line in include_str!("../../../data/quote/words.txt").lines() {
            if let Some(name) = line.trim().strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                assert!(Words::ALL.iter().any(|w| w.name() == name), "unknown list [{name}]");
            }
        }
    }

    #[test]
    fn lists_answer_membership() {
        let cases = [
            (Words::Pronoun, "she", true),
            (Words::Pronoun, "said", false),
            (Words::NpStop, "says,", true),
            (Words::Det, "the", true),
            (Words::Det, "says", false),
            (Words::PluralHead, "officials", true),
            (Words::Abbreviation, "u.s", true),
            (Words::LyWord, "rally", true),
            (Words::LyWord, "angrily", false),
        ];
        for (list, word, want) in cases {
            assert_eq!(is(list, word), want, "{list:?} {word}");
        }
    }
}
