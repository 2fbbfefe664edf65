//! Keyword gates for the time-expression families: for each family, words one of which
//! every match contains (lowercase ASCII), so a family whose words are all absent from a
//! text is not scanned at all. Most articles mention no quarter, century, holiday or
//! spoken year, and a substring search of an ASCII-lowercased copy of the text is far
//! cheaper than running a case-insensitive regex over it.
//!
//! A gate only skips work: a family runs whenever one of its words occurs (anywhere, even
//! inside another word), so the matches found are exactly those of an ungated scan. The
//! regexes are case-insensitive with Unicode folding, under which `ſ` (long s) matches `s`
//! and `K` (Kelvin sign) matches `k`; a text with either is scanned ungated.

use memchr::memmem;

use super::lexicon::{HOLIDAYS, MONTHS, REFS, SET_WORDS, WEEKDAYS};
use super::rules::Rule;

/// Units of durations and relative expressions (`weekend` ⊃ `week`, `centurie` ⊃ `centur`).
const UNIT_WORDS: &[&str] = &[
    "second", "minute", "hour", "day", "night", "week", "month", "quarter", "year", "decade",
    "centur",
];

/// Words of which every match of `rule` contains at least one; empty: always scanned.
pub(super) fn words(rule: Rule) -> Vec<String> {
    let own = |w: &[&str]| w.iter().map(|s| s.to_string()).collect();
    let last_words = |table: &[&str]| {
        table.iter().filter_map(|p| p.split(' ').next_back()).map(str::to_string).collect()
    };
    let first_words = |table: &[&str]| {
        table.iter().filter_map(|p| p.split(' ').next()).map(str::to_string).collect()
    };
    match rule {
        Rule::Iso | Rule::Year | Rule::Bare => Vec::new(),
        Rule::Us => own(&["/"]),
        // Every month name and abbreviation contains its first three letters.
        Rule::DateMdy | Rule::DateDmy | Rule::Month => {
            MONTHS.iter().filter_map(|(m, _)| m.get(..3)).map(str::to_string).collect()
        }
        Rule::Clock => own(&["am", "pm", "a.m", "p.m"]),
        Rule::Clock24 => own(&[":"]),
        Rule::Noon => own(&["noon", "mid"]),
        Rule::RelDay => own(&[
            "today",
            "yesterday",
            "tomorrow",
            "tonight",
            "morning",
            "afternoon",
            "evening",
            "night",
        ]),
        Rule::Weekday => WEEKDAYS.iter().map(|(d, _)| d.to_string()).collect(),
        Rule::Quarter => own(&["quarter", "half"]),
        Rule::TheQuarter | Rule::YearPeriod => own(&["quarter", "period"]),
        Rule::Ago => own(&["ago", "earlier", "later", "from", "hence"]),
        Rule::Duration => own(UNIT_WORDS),
        Rule::Holiday => first_words(&HOLIDAYS.iter().map(|(h, _)| *h).collect::<Vec<_>>()),
        Rule::Spoken => own(&["nineteen", "thousand"]),
        Rule::RelUnit => own(&[
            "week", "month", "year", "quarter", "decade", "century", "spring", "summer", "fall",
            "autumn", "winter",
        ]),
        Rule::Weekend => own(&["weekend"]),
        Rule::Decade => own(&["0s", "0's"]),
        Rule::Century => own(&["century"]),
        Rule::YearAgo => own(&["year-"]),
        Rule::TheYear | Rule::YearEnd => own(&["year"]),
        Rule::Every => own(&["every", "each"]),
        Rule::SetWord => SET_WORDS.iter().map(|(w, _)| w.to_string()).collect(),
        Rule::Ref => last_words(&REFS.iter().map(|(r, _)| *r).collect::<Vec<_>>()),
    }
}

/// A text prepared for gate checks: its ASCII-lowercased bytes, or nothing when a
/// Unicode case fold could reach a gate word (then every family runs).
pub(super) struct Gated {
    low: Option<Vec<u8>>,
}

impl Gated {
    /// Prepares `text`.
    pub(super) fn new(text: &str) -> Gated {
        let folds_to_ascii = text.contains(['ſ', '\u{212A}']);
        Gated { low: (!folds_to_ascii).then(|| text.as_bytes().to_ascii_lowercase()) }
    }

    /// Whether a family with gate `words` may match the text.
    pub(super) fn may_match(&self, words: &[memmem::Finder<'static>]) -> bool {
        match &self.low {
            Some(low) => words.is_empty() || words.iter().any(|f| f.find(low).is_some()),
            None => true,
        }
    }
}

/// The searchers of a gate's words.
pub(super) fn finders(words: &[String]) -> Vec<memmem::Finder<'static>> {
    words.iter().map(|w| memmem::Finder::new(w.as_bytes()).into_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gate_words_are_lowercase_ascii_single_words() {
        for &rule in super::super::rules::RULES {
            for w in words(rule) {
                assert!(!w.is_empty() && w.is_ascii(), "{rule:?}: {w:?}");
                assert_eq!(w, w.to_ascii_lowercase(), "{rule:?}");
                assert!(!w.contains(char::is_whitespace), "{rule:?}: {w:?}");
            }
        }
    }

    #[test]
    fn lexicon_entries_pass_their_gates() {
        // Every table entry a family's regex is built from contains one of its gate words.
        let tables: [(Rule, Vec<&str>); 5] = [
            (Rule::Month, MONTHS.iter().map(|m| m.0).collect()),
            (Rule::Weekday, WEEKDAYS.iter().map(|m| m.0).collect()),
            (Rule::Holiday, HOLIDAYS.iter().map(|m| m.0).collect()),
            (Rule::SetWord, SET_WORDS.iter().map(|m| m.0).collect()),
            (Rule::Ref, REFS.iter().map(|m| m.0).collect()),
        ];
        for (rule, entries) in tables {
            let ws = words(rule);
            for e in entries {
                assert!(ws.iter().any(|w| e.contains(w.as_str())), "{rule:?}: {e}");
            }
        }
    }

    #[test]
    fn unicode_folds_disable_the_gate() {
        let f = finders(&["weekend".to_string()]);
        assert!(Gated::new("over the WEEKEND").may_match(&f));
        assert!(!Gated::new("over the days").may_match(&f));
        assert!(Gated::new("over the wee\u{212A}end").may_match(&f));
        assert!(Gated::new("anything").may_match(&[]));
    }
}
