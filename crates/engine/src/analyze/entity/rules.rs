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
    t.ents.sort_by_key(|e| e.0);
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
        for (text, ents, want) in cases {
            let got = run(text, ents);
            let want: Vec<(String, EntityKind)> =
                want.iter().map(|(s, k)| (s.to_string(), *k)).collect();
            assert_eq!(got, want, "{text}");
        }
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
