//! Designator post-correction: a common noun inside a name says what the name names,
//! whatever the tagger guessed from its other words. "Tarvik Line" and "Safety Board" are
//! organisations (head word), "Kessaly Point" and "Gulf of Aden" places (head, or first
//! word before "of"), "Mount Kenya" a place (prefix), "MV Orla Grey" a vessel (misc).
//! The word lists live in `data/ner/designators.txt`.
//!
//! Metonyms keep the CoNLL-2003 policy the tagger was trained on: a place that stands for
//! its government or institution ("the Kremlin said", "the White House", "Downing Street")
//! is a location, not an organisation; nothing here retypes them. "Bank of England" stays
//! the one organisation the tagger finds: "bank" is no designator (see the list's notes).
//!
//! Also trims what the tagger wrongly glued to a name's end: a trailing lowercase noun
//! ("Varnes coast" → "Varnes", a place because "coast" is a place head) and a weekday
//! ("Caldport Tuesday"); and a person's leading titles ("Harbour Commissioner Ilse Marrow"
//! → "Ilse Marrow"). Works on words and token ranges, so the CoNLL evaluation runs it too.

use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use super::features::{class_lines, gaz_class, with_ascii_lowercase, GAZ_TITLE};
use crate::analyze::signature::StrMap;
use crate::record::EntityKind;

/// An entity as token range `(start, end exclusive, kind)`.
pub type Ent = (usize, usize, EntityKind);

/// Class bit of `@ORG_HEAD` words.
pub const DES_ORG_HEAD: u8 = 1;
/// Class bit of `@LOC_HEAD` words.
pub const DES_LOC_HEAD: u8 = 2;
/// Class bit of `@LOC_PREFIX` words.
pub const DES_LOC_PREFIX: u8 = 4;
/// Class bit of `@VESSEL_PREFIX` words (set by [`Designators::class_bits`] only for a
/// word written in capitals).
pub const DES_VESSEL_PREFIX: u8 = 8;
/// Class bit of `@TITLE` words (not a tagger feature).
const DES_TITLE: u8 = 16;
/// Class bit of `@LOC_NOUN` words (not a tagger feature).
const DES_LOC_NOUN: u8 = 32;
/// Class bit of `@STREET_HEAD` words (not a tagger feature).
const DES_STREET_HEAD: u8 = 64;
/// Class bit of `@PRODUCT_NOUN` words (not a tagger feature).
const DES_PRODUCT_NOUN: u8 = 128;

/// The designator word lists (see `data/ner/designators.txt`): one map from a folded
/// word to all its class bits, so a token costs one lookup.
#[derive(Debug, Default)]
pub struct Designators {
    classes: StrMap<String, u8>,
}

impl Designators {
    /// Parses the `@CLASS`-grouped list format.
    pub fn parse(text: &str) -> Designators {
        let mut d = Designators::default();
        for (class, line) in class_lines(text) {
            let class = match class {
                "ORG_HEAD" => DES_ORG_HEAD,
                "LOC_HEAD" => DES_LOC_HEAD,
                "LOC_PREFIX" => DES_LOC_PREFIX,
                "VESSEL_PREFIX" => DES_VESSEL_PREFIX,
                "TITLE" => DES_TITLE,
                "LOC_NOUN" => DES_LOC_NOUN,
                "STREET_HEAD" => DES_STREET_HEAD,
                "PRODUCT_NOUN" => DES_PRODUCT_NOUN,
                _ => 0,
            };
            if class != 0 {
                *d.classes.entry(fold(line)).or_insert(0) |= class;
            }
        }
        d
    }

    /// All class bits of `word` as listed, folded (lowercase, no accents); an ASCII
    /// word is lowercased on the stack, without allocating.
    fn lookup(&self, word: &str) -> u8 {
        if let Some(bits) = with_ascii_lowercase(word, |low| self.classes.get(low).copied()) {
            return bits.unwrap_or(0);
        }
        // Listed words fold to short ASCII: fold on the stack, give up on anything else.
        let mut buf = [0u8; 32];
        let mut n = 0;
        for c in word.nfd().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase) {
            match buf.get_mut(n) {
                Some(b) if c.is_ascii() => *b = c as u8,
                _ => return self.lookup_slow(word),
            }
            n += 1;
        }
        let low = buf.get(..n).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or("");
        self.classes.get(low).copied().unwrap_or(0)
    }

    /// [`Designators::lookup`] of a word whose fold is not short ASCII.
    fn lookup_slow(&self, word: &str) -> u8 {
        self.classes.get(fold(word).as_str()).copied().unwrap_or(0)
    }

    /// The kind a head word designates, if any.
    fn head_kind(&self, word: &str) -> Option<EntityKind> {
        let bits = self.lookup(strip_elision(word));
        if bits & DES_ORG_HEAD != 0 {
            Some(EntityKind::Organization)
        } else if bits & (DES_LOC_HEAD | DES_STREET_HEAD) != 0 {
            Some(EntityKind::Location)
        } else {
            None
        }
    }

    /// Whether `word` is a lowercase `@PRODUCT_NOUN` ("heaters", "phone", "laptops"): after a
    /// name and a model number it makes the name a product ("Lumo 2 smart space heaters").
    /// A plural in `-s`/`-es` is looked up by its singular too.
    pub fn is_product_noun(&self, word: &str) -> bool {
        if !word.chars().next().is_some_and(char::is_lowercase) {
            return false;
        }
        let listed = |w: &str| self.lookup(w) & DES_PRODUCT_NOUN != 0;
        listed(word)
            || word.strip_suffix('s').is_some_and(listed)
            || word.strip_suffix("es").is_some_and(listed)
    }

    /// Whether `word` is a lowercase place word, a `@LOC_HEAD` or `@LOC_NOUN` noun written
    /// in lowercase ("coast", "region", "estuary", "côte"): a name right before it is a
    /// place ("the Varnes coast").
    pub fn is_lowercase_place_word(&self, word: &str) -> bool {
        let base = strip_elision(word);
        base.chars().next().is_some_and(char::is_lowercase)
            && self.lookup(base) & (DES_LOC_HEAD | DES_LOC_NOUN) != 0
    }

    /// Designator classes of one word as bits ([`DES_ORG_HEAD`], [`DES_LOC_HEAD`],
    /// [`DES_LOC_PREFIX`], [`DES_VESSEL_PREFIX`]): a feature of the tagger. One map
    /// lookup.
    pub fn class_bits(&self, word: &str) -> u8 {
        self.feature_bits(word, self.lookup(strip_elision(word)))
    }

    /// [`Designators::class_bits`] of `word` from its `listed` bits (all the classes of
    /// its folded form, as [`Designators::entries`] gives them).
    pub fn feature_bits(&self, word: &str, listed: u8) -> u8 {
        let mut out = listed & (DES_ORG_HEAD | DES_LOC_HEAD | DES_LOC_PREFIX);
        if listed & DES_VESSEL_PREFIX != 0 && is_capitals(word) {
            out |= DES_VESSEL_PREFIX;
        }
        out
    }

    /// Every listed word (folded: lowercase, no accents) with all its class bits.
    pub fn entries(&self) -> impl Iterator<Item = (&str, u8)> {
        self.classes.iter().map(|(k, v)| (k.as_str(), *v))
    }

    /// Whether `word` is a title before a person's name: the gazetteer's titles (a
    /// tagger feature) and the business ones of `@TITLE` here ("CEO", "founder").
    pub fn is_title(&self, word: &str) -> bool {
        gaz_class(word) & GAZ_TITLE != 0 || self.is_business_title(word)
    }

    /// Whether `word` is one of the business titles of `@TITLE` (only these split a name:
    /// the gazetteer's "General" is also a word of names, "Caldport General Hospital").
    fn is_business_title(&self, word: &str) -> bool {
        self.lookup(word) & DES_TITLE != 0
    }

    /// Whether `word` is a ship prefix written in capitals ("MV", "HMS").
    pub fn is_vessel_prefix(&self, word: &str) -> bool {
        is_capitals(word) && self.lookup(word) & DES_VESSEL_PREFIX != 0
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
        if is_cap(first) && self.lookup(first) & DES_LOC_PREFIX != 0 {
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

/// Whether `word` is two or more ASCII capitals ("MV"), the way ship prefixes are written.
fn is_capitals(word: &str) -> bool {
    word.len() >= 2 && word.bytes().all(|b| b.is_ascii_uppercase())
}

/// Whether `w` opens with an elided article that [`strip_elision`] drops.
pub fn has_elision(w: &str) -> bool {
    strip_elision(w).len() != w.len()
}

/// A word without a French/Italian elided article ("l’Autorité" → "Autorité").
#[inline]
fn strip_elision(w: &str) -> &str {
    if !matches!(w.as_bytes().first(), Some(b'l' | b'L' | b'd')) {
        return w;
    }
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
    join_connected(d, words, &mut out);
    *ents = out;
}

/// Romance connectors between a head noun and its complement ("l’Autorité de sécurité
/// maritime de Varnes", "la pointe de Kessaly").
fn is_romance_connector(w: &str) -> bool {
    matches!(w, "de" | "du" | "des" | "del" | "della" | "dello" | "di" | "do" | "da" | "dos")
}

/// The most words between a capitalised head and the connector before the name.
const MAX_CONNECTED_WORDS: usize = 5;

/// Fixes names the tagger cut at a lowercase word of a Romance name, by what stands
/// before them (entities in order, not overlapping):
/// - "l’Autorité de sécurité maritime de Varnes" tagged "de Varnes": a capitalised head
///   followed by a connector, then lowercase words and a connector up to the name, makes
///   one name of the kind of the head (the head's elided article included, as written);
/// - "la pointe de Kessaly", "the coast of Varnes": a lowercase place noun and a
///   connector before a name make it a place; "l’île de Tarvik" tagged whole is the
///   place "Tarvik"; so does a place noun right after a person or organisation name
///   ("the Varnes coast").
fn join_connected(d: &Designators, words: &[&str], ents: &mut [Ent]) {
    let word = |i: usize| words.get(i).copied().unwrap_or("");
    let mut floor = 0;
    for ent in ents.iter_mut() {
        let (s, e, kind) = *ent;
        if kind != EntityKind::Misc {
            let conn = if is_romance_connector(word(s)) && e > s + 1 {
                Some(s)
            } else {
                s.checked_sub(1).filter(|&c| c >= floor && is_romance_connector(word(c)))
            };
            if let Some((h, k)) = conn.and_then(|c| connected_head(d, words, floor, c)) {
                *ent = (h, e, k);
            } else if e > s + 2 && is_place_noun(d, word(s)) && is_connector(word(s + 1)) {
                *ent = (s + 2, e, EntityKind::Location);
            } else if kind != EntityKind::Location
                && s >= floor + 2
                && is_connector(word(s - 1))
                && is_place_noun(d, word(s - 2))
            {
                ent.2 = EntityKind::Location;
            } else if matches!(kind, EntityKind::Person | EntityKind::Organization)
                && is_place_noun(d, word(e))
            {
                // "the Varnes coast", "Tarvik island".
                ent.2 = EntityKind::Location;
            }
        }
        floor = ent.1;
    }
}

/// The start and kind of the capitalised head noun that connector `c` belongs to, over
/// lowercase words: "l’Autorité" in "l’Autorité de sécurité maritime de Varnes". The
/// head must be followed by a Romance connector and lie at or after `floor`.
fn connected_head(
    d: &Designators,
    words: &[&str],
    floor: usize,
    c: usize,
) -> Option<(usize, EntityKind)> {
    let lowest = c.saturating_sub(MAX_CONNECTED_WORDS + 1).max(floor);
    for j in (lowest..c).rev() {
        let w = words.get(j)?;
        let base = strip_elision(w);
        if is_cap(base) {
            let next = words.get(j + 1)?;
            return d.head_kind(w).filter(|_| is_romance_connector(next)).map(|k| (j, k));
        }
        if !base.chars().all(char::is_alphabetic) || base.is_empty() {
            return None;
        }
    }
    None
}

/// Whether `w` is a lowercase place noun of `@LOC_NOUN` ("côte", "l’île", "coast").
fn is_place_noun(d: &Designators, w: &str) -> bool {
    let base = strip_elision(w);
    base.chars().next().is_some_and(char::is_lowercase) && d.lookup(base) & DES_LOC_NOUN != 0
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
    let span = words.get(s..e).unwrap_or(&[]);
    match d.kind_of(span) {
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
            ("in Downing Street", &[(1, 3, Person)], &[("Downing Street", Location)]),
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
            // A Romance name cut at its lowercase words is joined back to its head.
            (
                "annoncé l’Autorité de sécurité maritime de Varnes (",
                &[(5, 7, Person)],
                &[("l’Autorité de sécurité maritime de Varnes", Organization)],
            ),
            (
                "l’Autorité de sécurité maritime de Varnes",
                &[(5, 6, Person)],
                &[("l’Autorité de sécurité maritime de Varnes", Organization)],
            ),
            ("la Ministère de la Défense", &[(4, 5, Location)], &[("Défense", Location)]),
            (
                "Meridian Press de sécurité de Varnes",
                &[(0, 2, Organization), (4, 6, Person)],
                &[("Meridian Press", Organization), ("de Varnes", Person)],
            ),
            ("Agency said de Gaulle", &[(2, 4, Person)], &[("de Gaulle", Person)]),
            // A place noun before the name, or opening it, makes a place.
            ("la pointe de Kessaly", &[(3, 4, Person)], &[("Kessaly", Location)]),
            ("the coast of Varnes", &[(3, 4, Organization)], &[("Varnes", Location)]),
            ("l’île de Tarvik", &[(0, 3, Organization)], &[("Tarvik", Location)]),
            ("the point of Blair", &[(3, 4, Person)], &[("Blair", Person)]),
            ("on the Varnes coast", &[(2, 3, Organization)], &[("Varnes", Location)]),
            ("Russia’s Khmeimim airbase", &[(1, 2, Person)], &[("Khmeimim", Location)]),
            ("the Balkan region", &[(1, 2, Misc)], &[("Balkan", Misc)]),
            ("the Blair sound", &[(1, 2, Person)], &[("Blair", Person)]),
            ("the coast of Varnes", &[(3, 4, Misc)], &[("Varnes", Misc)]),
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
    fn class_bits_of_words() {
        let cases: &[(&str, u8)] = &[
            ("Line", DES_ORG_HEAD),
            ("AUTHORITY", DES_ORG_HEAD),
            ("l’Autorité", DES_ORG_HEAD),
            ("L'Autorite", DES_ORG_HEAD),
            ("Île", DES_LOC_HEAD),
            ("Behörde", DES_ORG_HEAD),
            ("Ελλάδα", 0),
            ("’s", 0),
            ("Überwachungsbehördenzusammenarbeit", 0),
            ("Point", DES_LOC_HEAD),
            ("Lake", DES_LOC_HEAD | DES_LOC_PREFIX),
            ("Mount", DES_LOC_PREFIX),
            ("MV", DES_VESSEL_PREFIX),
            // Ship prefixes count in capitals only; titles are no tagger feature.
            ("Mv", 0),
            ("mv", 0),
            ("CEO", 0),
            ("Karel", 0),
            ("", 0),
            ("Administrationdepartementsministeriums", 0),
        ];
        let d = designators();
        for &(word, want) in cases {
            assert_eq!(d.class_bits(word), want, "{word}");
        }
        assert!(d.is_business_title("CEO") && d.is_title("President") && !d.is_title("Line"));
    }

    #[test]
    fn vessel_names() {
        assert_eq!(vessel_name(&["MV", "Orla", "Grey"]).as_deref(), Some("Orla Grey"));
        assert_eq!(vessel_name(&["Mv", "Orla"]), None);
        assert_eq!(vessel_name(&["MV"]), None);
    }
}
