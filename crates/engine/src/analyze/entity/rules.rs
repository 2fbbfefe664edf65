//! News rules applied after the tagger, on token spans: a capitalised name after a title
//! ("President X", "spokesman X", "Mr. X") is a person; Arabic name particles join the
//! name ("Bashar al-Assad", "Abu Mohammed"); an acronym in parentheses after an entity
//! takes its kind ("Hayat Tahrir al-Sham (HTS)"); and a name tagged somewhere in the
//! document is tagged everywhere it appears alone ("Peskov" after "Dmitry Peskov"), and a
//! ship named with its prefix somewhere ("MV Orla Grey") is a ship everywhere.

use crate::analyze::signature::FastMap;

use super::designate;
use super::features::{gaz_class, GAZ_LOC, GAZ_MISC, GAZ_TITLE};
use super::tokenize::Tok;
use crate::record::{EntityKind, Mention, Span};

/// A tagged sentence: tokens and entity spans over them (start, end exclusive, kind).
#[derive(Debug, Clone)]
pub struct Tagged<'a> {
    /// The whole text the token spans point into.
    pub text: &'a str,
    /// Tokens.
    pub toks: Vec<Tok<'a>>,
    /// Entities as token ranges.
    pub ents: Vec<(usize, usize, EntityKind)>,
}

impl Tagged<'_> {
    /// The mentions, with byte spans into the text.
    pub fn mentions(&self) -> Vec<Mention> {
        let mut out = Vec::new();
        for &(s, e, kind) in &self.ents {
            let (Some(first), Some(last)) = (self.toks.get(s), self.toks.get(e.wrapping_sub(1)))
            else {
                continue;
            };
            let span = Span::new(first.span.start, last.span.end);
            out.push(Mention { span, kind, text: span.slice(self.text).to_string() });
        }
        out
    }

    fn covered(&self, i: usize) -> Option<usize> {
        self.ents.iter().position(|&(s, e, _)| s <= i && i < e)
    }

    fn word(&self, i: usize) -> &str {
        self.toks.get(i).map(|t| t.text).unwrap_or("")
    }
}

fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Arabic (and similar) article prefixes that stay lowercase inside names.
const PREFIXES: &[&str] = &["al-", "el-", "ad-", "ash-", "as-", "an-", "ar-", "at-", "az-", "ul-"];

/// `al-Assad`-style token: a lowercase article prefix then a capitalised name.
pub fn is_prefixed_name(w: &str) -> bool {
    PREFIXES.iter().any(|p| w.strip_prefix(p).is_some_and(is_cap))
}

/// The name without an article prefix (`al-Assad` → `Assad`).
pub fn strip_prefix(w: &str) -> &str {
    PREFIXES.iter().find_map(|p| w.strip_prefix(p).filter(|r| is_cap(r))).unwrap_or(w)
}

/// Separate particle tokens that join the surrounding name ("bin", "ibn", "al").
fn is_particle(w: &str) -> bool {
    matches!(w, "bin" | "ibn" | "bint" | "al" | "el" | "abu" | "de" | "van" | "von" | "der")
}

/// Capitalised tokens that open an Arabic name before the tagged part ("Abu Mohammed").
fn is_name_opener(w: &str) -> bool {
    matches!(w, "Abu" | "Umm" | "Ibn" | "Bin" | "Abd" | "Abdul")
}

/// Whether `w` can be part of a name run after a title.
fn is_name_word(w: &str) -> bool {
    (is_cap(w) && w.chars().any(char::is_lowercase) && gaz_class(w) & GAZ_TITLE == 0)
        || is_prefixed_name(w)
        || w.chars().count() > 1 && w.chars().all(|c| c.is_uppercase() || c == '.')
}

/// Applies the sentence-level rules.
pub fn apply(t: &mut Tagged) {
    extend_names(t);
    title_rule(t);
    acronym_rule(t);
    code_rule(t);
    product_rule(t);
    t.ents.sort_by_key(|e| e.0);
}

/// Whether `w` is a model number: up to 6 letters, digits and dots with at least one digit
/// ("2", "15", "X5", "S23", "2.0").
fn is_model_number(w: &str) -> bool {
    w.chars().count() <= 6
        && w.chars().any(|c| c.is_ascii_digit())
        && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        && !w.ends_with('.')
}

/// Whether `w` is an alphanumeric code: letters and digits (both) with hyphens or slashes
/// ("LM2-A", "A320neo-7", "X-15B"), no spaces.
fn is_code(w: &str) -> bool {
    w.chars().any(|c| c.is_ascii_digit())
        && w.chars().any(char::is_alphabetic)
        && w.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '/')
}

/// Words that introduce identifiers ("serial numbers beginning LM2-A", "model code X5-B").
fn is_code_cue(w: &str) -> bool {
    matches!(
        w.to_lowercase().trim_end_matches('.'),
        "serial"
            | "serials"
            | "model"
            | "models"
            | "number"
            | "numbers"
            | "numbered"
            | "code"
            | "codes"
            | "part"
            | "parts"
            | "batch"
            | "batches"
            | "lot"
            | "lots"
            | "sku"
            | "skus"
            | "reference"
            | "ref"
            | "no"
            | "prefix"
            | "prefixes"
    )
}

/// How far back (in tokens) a cue word makes a code an identifier.
const CODE_CUE_WINDOW: usize = 6;

/// Codes are no names: an entity of alphanumeric codes only ("LM2-A") within
/// [`CODE_CUE_WINDOW`] tokens after a cue word ("units with serial numbers beginning LM2-A
/// and LM2-B") is dropped; the window stops at a sentence-internal stop (`;`, `.`).
fn code_rule(t: &mut Tagged) {
    let toks = &t.toks;
    let word = |i: usize| toks.get(i).map(|t| t.text).unwrap_or("");
    t.ents.retain(|&(s, e, _)| {
        if s >= e || !(s..e).all(|i| is_code(word(i))) {
            return true;
        }
        let cued = (s.saturating_sub(CODE_CUE_WINDOW)..s)
            .rev()
            .take_while(|&i| !matches!(word(i), ";" | "."))
            .any(|i| is_code_cue(word(i)));
        !cued
    });
}

/// Lowercase words (adjectives, nouns) looked at after a model number for a product noun.
const PRODUCT_NOUN_WINDOW: usize = 4;

/// The end of the product name when entity `(s, e)` names a product: the name followed by
/// a model number (inside the span or right after it) and, within
/// [`PRODUCT_NOUN_WINDOW`] lowercase words, a product noun ("Lumo 2 smart space heaters",
/// "the Pixel 8 phone").
fn product_end(t: &Tagged, s: usize, e: usize) -> Option<usize> {
    let end = if e > s + 1 && is_model_number(t.word(e - 1)) {
        e
    } else if is_model_number(t.word(e)) && t.covered(e).is_none() {
        e + 1
    } else {
        return None;
    };
    let d = designate::designators();
    for i in end..end + PRODUCT_NOUN_WINDOW {
        let w = t.word(i);
        if d.is_product_noun(w) {
            return Some(end);
        }
        let lower = w.chars().next().is_some_and(char::is_lowercase);
        if !(lower || w == "-") {
            return None;
        }
    }
    None
}

/// A maker's name is not its product: a non-person name with a model number and a product
/// noun ([`product_end`]) becomes the misc entity "name + number".
fn product_rule(t: &mut Tagged) {
    for k in 0..t.ents.len() {
        let (s, e, kind) = t.ents[k];
        if kind == EntityKind::Person {
            continue;
        }
        if let Some(end) = product_end(t, s, e) {
            t.ents[k] = (s, end, EntityKind::Misc);
        }
    }
}

/// A product named with its number and product noun somewhere ("Lumo 2 smart space
/// heaters") is that product wherever its name and number appear ("launched the Lumo 2
/// last autumn"): such a non-person entity followed by the same number becomes the misc
/// "name + number".
pub fn product_consistency(sentences: &mut [Tagged]) {
    let mut products: Vec<Vec<&str>> = Vec::new();
    for t in sentences.iter() {
        for &(s, e, kind) in &t.ents {
            // Only those the product rule made: a number last, the product noun after.
            if kind == EntityKind::Misc
                && e > s
                && is_model_number(t.word(e - 1))
                && product_end(t, s, e).is_some()
            {
                let words: Vec<&str> = (s..e).map(|i| t.word(i)).collect();
                if !products.contains(&words) {
                    products.push(words);
                }
            }
        }
    }
    if products.is_empty() {
        return;
    }
    let products: Vec<Vec<String>> =
        products.into_iter().map(|p| p.into_iter().map(str::to_string).collect()).collect();
    for t in sentences.iter_mut() {
        for k in 0..t.ents.len() {
            let (s, e, kind) = t.ents[k];
            if kind == EntityKind::Person {
                continue;
            }
            // The whole product ("Lumo 2" tagged as a firm), or its name before the number.
            let whole =
                |p: &Vec<String>| p.len() == e - s && (s..e).zip(p).all(|(i, w)| t.word(i) == w);
            let name = |p: &Vec<String>| {
                p.len() == e - s + 1 && (s..=e).zip(p).all(|(i, w)| t.word(i) == w)
            };
            if products.iter().any(whole) {
                t.ents[k] = (s, e, EntityKind::Misc);
            } else if t.covered(e).is_none() && products.iter().any(name) {
                t.ents[k] = (s, e + 1, EntityKind::Misc);
            }
        }
    }
}

fn title_rule(t: &mut Tagged) {
    for i in 1..t.toks.len() {
        let prev = t.word(i - 1);
        if gaz_class(prev) & GAZ_TITLE == 0 || !is_name_word(t.word(i)) {
            continue;
        }
        let honorific = matches!(
            prev.to_lowercase().trim_end_matches('.'),
            "mr" | "mrs" | "ms" | "dr" | "president"
        );
        match t.covered(i) {
            Some(k) if honorific && t.ents[k].0 == i => t.ents[k].2 = EntityKind::Person,
            Some(_) => {}
            None => {
                let w = t.word(i);
                if gaz_class(w) & (GAZ_LOC | GAZ_MISC) != 0 {
                    continue;
                }
                let mut j = i + 1;
                while j < t.toks.len() && j < i + 4 && t.covered(j).is_none() {
                    if !(is_name_word(t.word(j)) || is_particle(t.word(j))) {
                        break;
                    }
                    j += 1;
                }
                while j > i + 1 && is_particle(t.word(j - 1)) {
                    j -= 1;
                }
                t.ents.push((i, j, EntityKind::Person));
            }
        }
    }
}

fn extend_names(t: &mut Tagged) {
    t.ents.sort_by_key(|e| e.0);
    let mut k = 0;
    while k < t.ents.len() {
        let (s, mut e, kind) = t.ents[k];
        if kind != EntityKind::Misc {
            loop {
                let w = t.word(e);
                let next_is = t.ents.get(k + 1).map(|n| n.0);
                if is_prefixed_name(w) && next_is == Some(e) {
                    e = t.ents[k + 1].1;
                    t.ents.remove(k + 1);
                } else if is_prefixed_name(w) && t.covered(e).is_none() {
                    e += 1;
                } else if is_particle(w) && is_cap(t.word(e + 1)) && next_is != Some(e + 1) {
                    if t.covered(e + 1).is_some() {
                        break;
                    }
                    e += 2;
                } else {
                    break;
                }
            }
        }
        let s = if s > 0 && is_name_opener(t.word(s - 1)) && t.covered(s - 1).is_none() {
            s - 1
        } else {
            s
        };
        t.ents[k] = (s, e, kind);
        k += 1;
    }
}

fn acronym_rule(t: &mut Tagged) {
    let snapshot = t.ents.clone();
    for &(_, e, kind) in &snapshot {
        let acr = t.word(e + 1);
        let is_acr = (2..=6).contains(&acr.chars().count())
            && acr.chars().all(|c| c.is_uppercase() || c == '-' || c == '&');
        if t.word(e) == "(" && is_acr && t.word(e + 2) == ")" {
            t.ents.retain(|&(s2, e2, _)| !(s2 <= e + 1 && e + 1 < e2));
            t.ents.push((e + 1, e + 2, kind));
        }
    }
}

/// The key a lone token is matched by across the document.
fn doc_key(w: &str) -> Option<&str> {
    let core = strip_prefix(w);
    (core.chars().count() >= 3 && is_cap(core)).then_some(core)
}

/// Tags untagged occurrences of names the document tags elsewhere (single tokens and the
/// last word of multi-word person names), with the majority kind.
pub fn document_consistency(sentences: &mut [Tagged]) {
    // Only looked up, never iterated: the map's order cannot reach the output.
    let mut votes: FastMap<String, [u32; 4]> = FastMap::default();
    let mut vote = |key: &str, k: usize| match votes.get_mut(key) {
        Some(v) => v[k] += 1,
        None => {
            let mut v = [0; 4];
            v[k] = 1;
            votes.insert(key.to_string(), v);
        }
    };
    for t in sentences.iter() {
        for &(s, e, kind) in &t.ents {
            let k = kind_index(kind);
            let last = if e == s + 1 {
                s
            } else if kind == EntityKind::Person {
                e - 1
            } else {
                continue;
            };
            if let Some(key) = doc_key(t.word(last)) {
                vote(key, k);
            }
        }
    }
    for t in sentences.iter_mut() {
        for i in 0..t.toks.len() {
            if t.covered(i).is_some() || !(is_cap(t.word(i)) || is_prefixed_name(t.word(i))) {
                continue;
            }
            let Some(v) = doc_key(t.word(i)).and_then(|k| votes.get(k)) else {
                continue;
            };
            let best = (0..4).max_by_key(|&k| v[k]).unwrap_or(0);
            t.ents.push((i, i + 1, KINDS[best]));
        }
        t.ents.sort_by_key(|e| e.0);
    }
}

/// Gives the kind of a vessel-prefixed name ("MV Orla Grey", misc) to the same name
/// written without the prefix elsewhere in the document ("the Orla Grey").
pub fn vessel_consistency(sentences: &mut [Tagged]) {
    let mut vessels: Vec<String> = Vec::new();
    let d = designate::designators();
    for t in sentences.iter() {
        // Only a name that opens with a ship prefix is looked at more closely.
        for &(s, e, _) in t.ents.iter().filter(|&&(s, _, _)| d.is_vessel_prefix(t.word(s))) {
            let words: Vec<&str> = (s..e).map(|i| t.word(i)).collect();
            if let Some(name) = designate::vessel_name(&words) {
                vessels.push(name);
            }
        }
    }
    if vessels.is_empty() {
        return;
    }
    for t in sentences.iter_mut() {
        for k in 0..t.ents.len() {
            let (s, e, _) = t.ents[k];
            let words: Vec<&str> = (s..e).map(|i| t.word(i)).collect();
            let name = words.join(" ");
            if vessels.contains(&name) {
                t.ents[k].2 = EntityKind::Misc;
            }
        }
    }
}

const KINDS: [EntityKind; 4] =
    [EntityKind::Person, EntityKind::Organization, EntityKind::Location, EntityKind::Misc];

fn kind_index(k: EntityKind) -> usize {
    KINDS.iter().position(|&x| x == k).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::entity::tokenize::tokenize;

    fn run(text: &str, ents: &[(usize, usize, EntityKind)]) -> Vec<(String, EntityKind)> {
        let mut t = Tagged { text, toks: tokenize(text, 0, text.len()), ents: ents.to_vec() };
        apply(&mut t);
        t.mentions().into_iter().map(|m| (m.text, m.kind)).collect()
    }

    type Case<'a> = (&'a str, &'a [(usize, usize, EntityKind)], &'a [(&'a str, EntityKind)]);

    /// Runs the rules on each case's text and tagged spans and compares the entities out.
    fn check(cases: &[Case]) {
        for (text, ents, want) in cases {
            let got = run(text, ents);
            let want: Vec<(String, EntityKind)> =
                want.iter().map(|(s, k)| (s.to_string(), *k)).collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn sentence_rules() {
        use EntityKind::*;
        let cases: &[Case] = &[
            ("spokesman Karel Vosk said", &[], &[("Karel Vosk", Person)]),
            ("Mr. Vosk said", &[(1, 2, Location)], &[("Vosk", Person)]),
            ("leader Omar al-Zibari spoke", &[(1, 2, Person)], &[("Omar al-Zibari", Person)]),
            ("Abu Karim al-Tasi spoke", &[(1, 2, Person)], &[("Abu Karim al-Tasi", Person)]),
            (
                "the Jaysh Nur al-Fath (JNF) fought",
                &[(1, 3, Organization)],
                &[("Jaysh Nur al-Fath", Organization), ("JNF", Organization)],
            ),
            ("President Syria", &[], &[]),
            ("the president said", &[], &[]),
        ];
        check(cases);
    }

    #[test]
    fn products_and_codes_are_no_organisations() {
        use EntityKind::*;
        let cases: &[Case] = &[
            // A name, a model number and a product noun: the product, with its number.
            (
                "Brightline is recalling 9,000 Vexa 3 smart space heaters",
                &[(0, 1, Organization), (4, 5, Organization)],
                &[("Brightline", Organization), ("Vexa 3", Misc)],
            ),
            ("the Orbit X5 phone sold well", &[(1, 2, Organization)], &[("Orbit X5", Misc)]),
            ("the Orbit X5 phone sold", &[(1, 3, Organization)], &[("Orbit X5", Misc)]),
            ("sales of Kelto 7 electric scooters", &[(2, 3, Organization)], &[("Kelto 7", Misc)]),
            // No product noun, a capitalised word next, or a person: unchanged.
            ("Kelto 7 said on Monday", &[(0, 1, Organization)], &[("Kelto", Organization)]),
            ("Kelto 7 Holdings phones", &[(0, 1, Organization)], &[("Kelto", Organization)]),
            ("Anna 2 phones", &[(0, 1, Person)], &[("Anna", Person)]),
            // Codes after a serial/model/number/code word are no names …
            (
                "units with serial numbers beginning QX4-C and QX4-D .",
                &[(5, 6, Organization), (7, 8, Organization)],
                &[],
            ),
            ("the part code ZB-19 failed", &[(3, 4, Misc)], &[]),
            ("model numbers : T7/2 and T7/3", &[(3, 4, Organization)], &[]),
            // … but a code without a cue, a cue past a full stop, or a plain name stays.
            ("the F-16 jets flew", &[(1, 2, Misc)], &[("F-16", Misc)]),
            ("serial numbers . QX4-C said", &[(3, 4, Organization)], &[("QX4-C", Organization)]),
            ("code names like Orion", &[(3, 4, Misc)], &[("Orion", Misc)]),
        ];
        check(cases);
    }

    #[test]
    fn a_product_is_a_product_wherever_its_number_follows() {
        let a = "Brightline recalls Vexa 3 space heaters.";
        let b = "It launched the Vexa 3 last year, and Vexa sales fell.";
        let mut doc = vec![
            Tagged {
                text: a,
                toks: tokenize(a, 0, a.len()),
                ents: vec![(0, 1, EntityKind::Organization), (2, 3, EntityKind::Organization)],
            },
            Tagged {
                text: b,
                toks: tokenize(b, 0, b.len()),
                ents: vec![(3, 4, EntityKind::Organization), (9, 10, EntityKind::Organization)],
            },
        ];
        for t in doc.iter_mut() {
            apply(t);
        }
        product_consistency(&mut doc);
        let got: Vec<(String, EntityKind)> =
            doc.iter().flat_map(|t| t.mentions()).map(|m| (m.text, m.kind)).collect();
        let want = [
            ("Brightline", EntityKind::Organization),
            ("Vexa 3", EntityKind::Misc),
            ("Vexa 3", EntityKind::Misc),
            ("Vexa", EntityKind::Organization),
        ];
        let want: Vec<(String, EntityKind)> =
            want.iter().map(|(s, k)| (s.to_string(), *k)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn vessel_names_are_vessels_everywhere() {
        let a = "The MV Orla Grey sank.";
        let b = "Orla Grey and Orla Greyhound sailed.";
        let mut doc = vec![
            Tagged { text: a, toks: tokenize(a, 0, a.len()), ents: vec![(1, 4, EntityKind::Misc)] },
            Tagged {
                text: b,
                toks: tokenize(b, 0, b.len()),
                ents: vec![(0, 2, EntityKind::Organization), (3, 5, EntityKind::Person)],
            },
        ];
        vessel_consistency(&mut doc);
        let got: Vec<EntityKind> = doc[1].ents.iter().map(|e| e.2).collect();
        assert_eq!(got, [EntityKind::Misc, EntityKind::Person]);
    }

    #[test]
    fn document_consistency_tags_lone_names() {
        let a = "Karel Vosk left Zarnia.";
        let b = "Vosk and al-Vosk went to Zarnia quickly.";
        let mut doc = vec![
            Tagged {
                text: a,
                toks: tokenize(a, 0, a.len()),
                ents: vec![(0, 2, EntityKind::Person), (3, 4, EntityKind::Location)],
            },
            Tagged { text: b, toks: tokenize(b, 0, b.len()), ents: vec![] },
        ];
        document_consistency(&mut doc);
        let got: Vec<(String, EntityKind)> =
            doc[1].mentions().into_iter().map(|m| (m.text, m.kind)).collect();
        assert_eq!(
            got,
            [
                ("Vosk".to_string(), EntityKind::Person),
                ("al-Vosk".to_string(), EntityKind::Person),
                ("Zarnia".to_string(), EntityKind::Location),
            ]
        );
    }
}
