//! Designator post-correction: a common noun inside a name says what the name names,
//! whatever the tagger guessed from its other words. "Tarvik Line" and "Safety Board" are
//! organisations (head word), "Kessaly Point" and "Gulf of Aden" places (head, or first
//! word before "of"), "Mount Kenya" a place (prefix), "MV Orla Grey" a vessel (misc).
//! The word lists live in `data/ner/designators.txt`.
//!
//! Also trims what the tagger wrongly glued to a name's end: a trailing lowercase noun
//! ("Varnes coast" → "Varnes", a place because "coast" is a place head) and a weekday
//! ("Caldport Tuesday"); and a person's leading titles ("Harbour Commissioner Ilse Marrow"
//! → "Ilse Marrow"). Works on words and token ranges, so the CoNLL evaluation runs it too.

use std::collections::HashSet;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use super::features::{gaz_class, GAZ_TITLE};
use crate::record::EntityKind;

/// An entity as token range `(start, end exclusive, kind)`.
pub type Ent = (usize, usize, EntityKind);

/// The designator word lists (see `data/ner/designators.txt`).
#[derive(Debug, Default)]
pub struct Designators {
    org_heads: HashSet<String>,
    loc_heads: HashSet<String>,
    loc_prefixes: HashSet<String>,
    vessel_prefixes: HashSet<String>,
    titles: HashSet<String>,
}

impl Designators {
    /// Parses the `@CLASS`-grouped list format.
    pub fn parse(text: &str) -> Designators {
        let mut d = Designators::default();
        let mut class = "";
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('@') {
                class = name;
                continue;
            }
            let set = match class {
                "ORG_HEAD" => &mut d.org_heads,
                "LOC_HEAD" => &mut d.loc_heads,
                "LOC_PREFIX" => &mut d.loc_prefixes,
                "VESSEL_PREFIX" => &mut d.vessel_prefixes,
                "TITLE" => &mut d.titles,
                _ => continue,
            };
            set.insert(fold(line));
        }
        d
    }

    /// The kind a head word designates, if any.
    fn head_kind(&self, word: &str) -> Option<EntityKind> {
        let w = fold(strip_elision(word));
        if self.org_heads.contains(&w) {
            Some(EntityKind::Organization)
        } else if self.loc_heads.contains(&w) {
            Some(EntityKind::Location)
        } else {
            None
        }
    }

    /// Designator classes of one word as bits (1 org head, 2 place head, 4 place prefix,
    /// 8 ship prefix): a feature of the tagger.
    pub fn class_bits(&self, word: &str) -> u8 {
        let w = fold(strip_elision(word));
        let mut bits = 0;
        for (bit, set) in [(1, &self.org_heads), (2, &self.loc_heads), (4, &self.loc_prefixes)] {
            if set.contains(&w) {
                bits |= bit;
            }
        }
        if self.is_vessel_prefix(word) {
            bits |= 8;
        }
        bits
    }

    /// Whether `word` is a title before a person's name: the gazetteer's titles (a
    /// tagger feature) and the business ones of `@TITLE` here ("CEO", "founder").
    pub fn is_title(&self, word: &str) -> bool {
        gaz_class(word) & GAZ_TITLE != 0 || self.titles.contains(&fold(word))
    }

    /// Whether `word` is one of the business titles of `@TITLE` (only these split a name:
    /// the gazetteer's "General" is also a word of names, "Caldport General Hospital").
    fn is_business_title(&self, word: &str) -> bool {
        self.titles.contains(&fold(word))
    }

    /// Whether `word` is a ship prefix written in capitals ("MV", "HMS").
    pub fn is_vessel_prefix(&self, word: &str) -> bool {
        word.chars().count() >= 2
            && word.chars().all(|c| c.is_ascii_uppercase())
            && self.vessel_prefixes.contains(&word.to_ascii_lowercase())
    }

    /// The kind the designators of a multi-word name give it: a vessel prefix, else the
    /// head (the word before the first "of"/"de", else the last word), else a place
    /// prefix. `None` for single words and names with no designator.
    pub fn kind_of(&self, words: &[&str]) -> Option<EntityKind> {
        let (first, rest) = words.split_first()?;
        if rest.is_empty() {
            return None;
        }
        if self.is_vessel_prefix(first) && rest.iter().any(|w| is_cap(w)) {
            return Some(EntityKind::Misc);
        }
        let of = words.iter().position(|w| is_connector(w));
        let head = match of {
            Some(0) => None,
            Some(i) => words.get(i - 1),
            None => words.last(),
        };
        let cap_head = head.filter(|w| is_cap(strip_elision(w)));
        if let Some(k) = cap_head.and_then(|w| self.head_kind(w)) {
            return Some(k);
        }
        if is_cap(first) && self.loc_prefixes.contains(&fold(first)) {
            return Some(EntityKind::Location);
        }
        None
    }
}

/// The shipped designator lists.
pub fn designators() -> &'static Designators {
    static D: OnceLock<Designators> = OnceLock::new();
    D.get_or_init(|| Designators::parse(include_str!("../../../data/ner/designators.txt")))
}

/// Lowercase, accents dropped ("Autorité" → "autorite").
fn fold(w: &str) -> String {
    if w.is_ascii() {
        return w.to_ascii_lowercase();
    }
    w.nfd().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// A word without a French/Italian elided article ("l’Autorité" → "Autorité").
fn strip_elision(w: &str) -> &str {
    for p in ["l’", "l'", "L’", "L'", "d’", "d'"] {
        if let Some(rest) = w.strip_prefix(p).filter(|r| !r.is_empty()) {
            return rest;
        }
    }
    w
}

fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Words that join a head to its complement ("Ministry of Defence", "Île de Ré").
fn is_connector(w: &str) -> bool {
    matches!(w, "of" | "de" | "du" | "des" | "del" | "della" | "di" | "der" | "für")
}

fn is_weekday(w: &str) -> bool {
    matches!(w, "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday")
}

/// Corrects the entities of one sentence of `words` in place: trims glued words, then
/// retypes each multi-word name by its designators.
pub fn correct(words: &[&str], ents: &mut Vec<Ent>) {
    let d = designators();
    let mut out = Vec::with_capacity(ents.len());
    for &ent in ents.iter() {
        // "Brightfold CEO Nadia Pemberly": an organisation, a title, then a person.
        let (s, e, kind) = ent;
        let word = |i: usize| words.get(i).copied().unwrap_or("");
        let inner = (s + 1..e.saturating_sub(1)).find(|&i| {
            kind != EntityKind::Person && d.is_business_title(word(i)) && is_cap(word(i + 1))
        });
        match inner {
            Some(t) => {
                out.push(correct_one(d, words, (s, t, kind)));
                out.push(correct_one(d, words, (t + 1, e, EntityKind::Person)));
            }
            None => out.push(correct_one(d, words, ent)),
        }
    }
    out.retain(|&(s, e, _)| s < e);
    *ents = out;
}

fn correct_one(d: &Designators, words: &[&str], (s, mut e, mut kind): Ent) -> Ent {
    let word = |i: usize| words.get(i).copied().unwrap_or("");
    // Trailing lowercase common nouns and weekdays are not part of a name; a trimmed
    // place noun still tells the kind ("Varnes coast"). Names with a connector may end
    // in lowercase words ("Organisation des Nations unies"): left whole.
    let connected = (s..e).any(|i| is_connector(word(i)));
    while e > s + 1 && !connected {
        let last = word(e - 1);
        let lower = last.chars().next().is_some_and(char::is_lowercase) && !last.contains('-');
        if !(lower || is_weekday(last)) {
            break;
        }
        if lower && kind != EntityKind::Misc && d.head_kind(last) == Some(EntityKind::Location) {
            kind = EntityKind::Location;
        }
        e -= 1;
    }
    let mut s = s;
    if kind == EntityKind::Person {
        // "Harbour Commissioner Ilse Marrow": the name starts after the last title word.
        if let Some(t) = (s..e.saturating_sub(1)).rev().find(|&i| d.is_title(word(i))) {
            s = t + 1;
        }
    }
    let span: Vec<&str> = (s..e).map(word).collect();
    match d.kind_of(&span) {
        // A misc name (an event, a work) keeps its kind unless it is a vessel.
        Some(k) if kind != EntityKind::Misc || k == EntityKind::Misc => (s, e, k),
        _ => (s, e, kind),
    }
}

/// The name a vessel-prefixed entity carries without its prefix ("MV Orla Grey" →
/// "Orla Grey"), if `words` is one.
pub fn vessel_name(words: &[&str]) -> Option<String> {
    let (first, rest) = words.split_first()?;
    (designators().is_vessel_prefix(first) && !rest.is_empty()).then(|| rest.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityKind::*;

    type Case<'a> = (&'a str, &'a [Ent], &'a [(&'a str, EntityKind)]);

    #[test]
    fn designators_retype_and_trim() {
        let cases: &[Case] = &[
            ("Tarvik Line said", &[(0, 2, Person)], &[("Tarvik Line", Organization)]),
            ("off Kessaly Point .", &[(1, 3, Person)], &[("Kessaly Point", Location)]),
            ("the MV Orla Grey sank", &[(1, 4, Organization)], &[("MV Orla Grey", Misc)]),
            (
                "the Ministry of Defence",
                &[(1, 4, Location)],
                &[("Ministry of Defence", Organization)],
            ),
            ("the Gulf of Aden", &[(1, 4, Organization)], &[("Gulf of Aden", Location)]),
            ("Mount Kenya", &[(0, 2, Person)], &[("Mount Kenya", Location)]),
            ("the Gulf War", &[(1, 3, Misc)], &[("Gulf War", Misc)]),
            ("the Lake Authority", &[(1, 3, Misc)], &[("Lake Authority", Misc)]),
            ("the Port Authority", &[(1, 3, Location)], &[("Port Authority", Organization)]),
            ("the Lake Authority", &[(1, 3, Location)], &[("Lake Authority", Organization)]),
            (
                "l’Autorité de sécurité",
                &[(0, 3, Person)],
                &[("l’Autorité de sécurité", Organization)],
            ),
            ("the Varnes coast", &[(1, 3, Organization)], &[("Varnes", Location)]),
            ("Tarvik Line company", &[(0, 3, Person)], &[("Tarvik Line", Organization)]),
            ("in Caldport Tuesday", &[(1, 3, Location)], &[("Caldport", Location)]),
            (
                "Harbour Commissioner Ilse Marrow said",
                &[(0, 4, Person)],
                &[("Ilse Marrow", Person)],
            ),
            (
                "Brightfold CEO Nadia Pemberly said",
                &[(0, 4, Organization)],
                &[("Brightfold", Organization), ("Nadia Pemberly", Person)],
            ),
            ("the Tarvik Line CEO", &[(1, 4, Organization)], &[("Tarvik Line CEO", Organization)]),
            (
                "Caldport General Hospital said",
                &[(0, 3, Location)],
                &[("Caldport General Hospital", Location)],
            ),
            // No designator, or a single word: the tagger's kind stands.
            ("Karel Vosk left", &[(0, 2, Person)], &[("Karel Vosk", Person)]),
            ("the Line", &[(1, 2, Person)], &[("Line", Person)]),
            ("an MV", &[(1, 2, Organization)], &[("MV", Organization)]),
            // Lowercase "of" heads and demonyms keep their kind.
            ("the Chinese coast", &[(1, 3, Misc)], &[("Chinese", Misc)]),
        ];
        for (text, ents, want) in cases {
            let words: Vec<&str> = text.split(' ').collect();
            let mut got = ents.to_vec();
            correct(&words, &mut got);
            let got: Vec<(String, EntityKind)> =
                got.iter().map(|&(s, e, k)| (words[s..e].join(" "), k)).collect();
            let want: Vec<(String, EntityKind)> =
                want.iter().map(|(w, k)| (w.to_string(), *k)).collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn vessel_names() {
        assert_eq!(vessel_name(&["MV", "Orla", "Grey"]).as_deref(), Some("Orla Grey"));
        assert_eq!(vessel_name(&["Mv", "Orla"]), None);
        assert_eq!(vessel_name(&["MV"]), None);
    }
}
