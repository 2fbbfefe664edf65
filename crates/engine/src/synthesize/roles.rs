//! Role-named speakers across a story: "the spokesman said" in an article that never names
//! the spokesman resolves to the one person the story's articles introduce with that role
//! ("Kremlin spokesman Dmitry Peskov" in another outlet). Within one article the quote
//! extractor already resolves a role to the person that article introduced with it; this
//! table is the story-wide fallback, and it answers only when the role names exactly one
//! person (by canonical entity), so "the president" in a story with two presidents stays
//! unresolved.

use std::borrow::Cow;
use std::collections::HashMap;

use super::canon::EntityTable;
use crate::analyze::quote::{introduced_roles, role_head};
use crate::pipeline::Batch;
use crate::record::ArticleIdx;

/// The people a story's articles introduce with each role.
#[derive(Debug, Default)]
pub struct Roles {
    /// Role (folded) → distinct canonical names introduced with it, in first-seen order.
    by_role: HashMap<String, Vec<String>>,
}

impl Roles {
    /// Reads the role introductions of every article of `members` (kept on its analysis by
    /// the quote extractor); names are canonicalised through `entities` (a name the table
    /// does not know stays as written).
    pub fn build(batch: &Batch, members: &[ArticleIdx], entities: &EntityTable) -> Roles {
        let mut by_role: HashMap<String, Vec<String>> = HashMap::new();
        for &a in members {
            let (Some(rep), Some(an)) = (batch.repaired.get(a), batch.analyzed.get(a)) else {
                continue;
            };
            // Kept by the analysis; an analysis stored before they were kept reads them
            // from the text again.
            let roles: Cow<'_, [(String, String)]> = match &an.roles {
                Some(r) => Cow::Borrowed(r),
                None => Cow::Owned(introduced_roles(&rep.text, &an.mentions)),
            };
            for (name, role) in roles.iter() {
                let canonical =
                    entities.resolve(name).map_or_else(|| name.clone(), |e| e.name.clone());
                let names = by_role.entry(role.clone()).or_default();
                if !names.contains(&canonical) {
                    names.push(canonical);
                }
            }
        }
        Roles { by_role }
    }

    /// The one person the story introduces with the role `source` (a speaker phrase such as
    /// "the presidency’s spokesman") names its speaker by; `None` when the phrase names no
    /// role, or the role belongs to nobody or to several people.
    pub fn resolve(&self, source: &str) -> Option<&str> {
        let role = role_of(source)?;
        match self.by_role.get(&role)?.as_slice() {
            [one] => Some(one.as_str()),
            _ => None,
        }
    }
}

/// The words that mean "of (the)" after a role noun in the languages the quote extractor
/// reads: English, German, French, Spanish, Italian, Portuguese.
const OF_WORDS: &[&str] = &[
    "of", "der", "des", "von", "vom", "du", "de", "d’", "d'", "del", "dello", "della", "dei",
    "degli", "delle", "do", "da", "dos", "das",
];

/// The role a speaker phrase names: [`role_head`], else the role noun before the first
/// "of the X" of any language ("der Sprecher der Regierung" → `sprecher`, where a German
/// capitalised noun and the article "der" read as a name to the extractor).
fn role_of(source: &str) -> Option<String> {
    if let Some(role) = role_head(source) {
        return Some(role);
    }
    let words: Vec<&str> = source.split_whitespace().collect();
    let of = (1..words.len()).find(|&k| {
        let w = words[k].to_lowercase();
        OF_WORDS.contains(&w.as_str()) || w.starts_with("d’") || w.starts_with("d'")
    })?;
    role_head(&words[..of].join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthesize::facts::tests::batch_of;

    #[test]
    fn a_role_resolves_to_the_one_person_introduced_with_it() {
        let a = "Kremlin spokesman Dmitry Peskov confirmed the decision on Monday.";
        let b = "Oskar Venn, director of the VMSA, spoke. President Anna Holt and President Bo Lind met.";
        let c = "The presidency’s spokesman refused to comment.";
        let (batch, _) = batch_of(&[a, b, c], vec![vec![0], vec![1], vec![2]]);
        let roles = Roles::build(&batch, &[0, 1, 2], &EntityTable::default());
        // (source phrase, wanted speaker)
        let table: &[(&str, Option<&str>)] = &[
            ("the presidency’s spokesman", Some("Dmitry Peskov")),
            ("The Kremlin spokesman", Some("Dmitry Peskov")),
            ("the director of the VMSA", Some("Oskar Venn")),
            ("the president", None),
            ("the harbour commissioner", None),
            ("Dmitry Peskov", None),
            ("he", None),
        ];
        for (source, want) in table {
            assert_eq!(roles.resolve(source), *want, "{source}");
        }
    }

    #[test]
    fn roles_of_other_languages_resolve_too() {
        // (introducing sentence, source phrase of an unnamed speaker, wanted speaker)
        let table: &[(&str, &str, Option<&str>)] = &[
            (
                "Le porte-parole Dmitri Peskov a confirmé la visite.",
                "le porte-parole du Kremlin",
                Some("Dmitri Peskov"),
            ),
            (
                "Oskar Venn, directeur de la VMSA, a parlé.",
                "le directeur de la VMSA",
                Some("Oskar Venn"),
            ),
            (
                "Ana Gil, portavoz del Gobierno, lo confirmó.",
                "la portavoz del Gobierno",
                Some("Ana Gil"),
            ),
            (
                "Pia Conte, portavoce della Farnesina, ha confermato.",
                "la portavoce della Farnesina",
                Some("Pia Conte"),
            ),
            (
                "Selon la directrice Anne Morel, le site rouvrira.",
                "la directrice",
                Some("Anne Morel"),
            ),
            ("El portavoz Carlos Ruiz lo confirmó el lunes.", "el portavoz", Some("Carlos Ruiz")),
            ("Der Sprecher Jan Vogel bestätigte den Besuch.", "der Sprecher", Some("Jan Vogel")),
            (
                "Il portavoce Marco Bini ha confermato la visita.",
                "il portavoce",
                Some("Marco Bini"),
            ),
            ("O porta-voz João Prates confirmou a visita.", "o porta-voz", Some("João Prates")),
            ("Le ministre Paul Andrieu a confirmé la visite.", "le ministre", Some("Paul Andrieu")),
            // Role noun + "of the X" in each language, introduced with or without the X.
            (
                "Der Sprecher Jan Vogel bestätigte den Besuch.",
                "der Sprecher der Regierung",
                Some("Jan Vogel"),
            ),
            (
                "Le porte-parole Dmitri Peskov a confirmé la visite.",
                "le porte-parole du gouvernement",
                Some("Dmitri Peskov"),
            ),
            (
                "El portavoz Carlos Ruiz lo confirmó el lunes.",
                "el portavoz del Gobierno",
                Some("Carlos Ruiz"),
            ),
            (
                "Il portavoce Marco Bini ha confermato la visita.",
                "il portavoce del governo",
                Some("Marco Bini"),
            ),
            (
                "O porta-voz João Prates confirmou a visita.",
                "o porta-voz do governo",
                Some("João Prates"),
            ),
            (
                "A porta-voz Rita Sousa confirmou a visita.",
                "a porta-voz da presidência",
                Some("Rita Sousa"),
            ),
            // A role phrase set before the name between commas.
            (
                "Le porte-parole du gouvernement, Paul Andrieu, a confirmé la visite.",
                "le porte-parole",
                Some("Paul Andrieu"),
            ),
            ("La portavoz del Gobierno, Ana Gil, lo confirmó.", "la portavoz", Some("Ana Gil")),
            // German compound role nouns: the compound is the role.
            (
                "Regierungssprecher Jan Vogel bestätigte den Besuch.",
                "der Regierungssprecher",
                Some("Jan Vogel"),
            ),
            (
                "Der Regierungssprecher, Jan Vogel, bestätigte den Besuch.",
                "der Regierungssprecher",
                Some("Jan Vogel"),
            ),
            ("Außenministerin Eva Lenz reiste ab.", "die Außenministerin", Some("Eva Lenz")),
            ("Regierungssprecher Jan Vogel bestätigte den Besuch.", "der Sprecher", None),
            ("Der Sprecher Jan Vogel bestätigte den Besuch.", "die Regierung", None),
            ("El portavoz Carlos Ruiz lo confirmó.", "del Gobierno", None),
        ];
        let mut failures = Vec::new();
        for (intro, source, want) in table {
            let article = crate::record::Article::new("a0", *intro);
            let batch = Batch::build(vec![article], &crate::pipeline::PipelineConfig::default());
            let roles = Roles::build(&batch, &[0], &EntityTable::default());
            if roles.resolve(source) != *want {
                failures.push(format!("{intro} / {source}: {:?}", roles.resolve(source)));
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn the_analysis_keeps_the_roles_the_text_introduces() {
        let texts = [
            "Kremlin spokesman Dmitry Peskov confirmed it. Peskov said “no”, he added.",
            "Oskar Venn, director of the VMSA, spoke. President Anna Holt and President Bo Lind met.",
            "“We will wait,” the spokesman said. Mayor Ines Pardo - a lawyer - declined.",
            "No one here has a role.",
            "",
        ];
        for text in texts {
            let article = crate::record::Article::new("a", text);
            let rep = crate::repair::repair(&article.raw);
            let an = crate::analyze::analyze(&article, &rep);
            assert_eq!(an.roles, Some(introduced_roles(&rep.text, &an.mentions)), "{text}");
        }
    }

    #[test]
    fn an_analysis_stored_before_roles_were_kept_loads() {
        let an = crate::analyze::analyze(
            &crate::record::Article::new("a", "Mayor Ines Pardo spoke."),
            &crate::repair::repair("Mayor Ines Pardo spoke."),
        );
        let mut json: serde_json::Value = serde_json::to_value(&an).unwrap_or_default();
        assert!(json.get("roles").is_some_and(|r| r.is_array()));
        if let Some(o) = json.as_object_mut() {
            o.remove("roles");
        }
        let old: crate::record::Analyzed = serde_json::from_value(json).expect("loads");
        assert_eq!(old.roles, None);
        assert_eq!(old.sentences, an.sentences);
    }

    #[test]
    fn kept_roles_are_read_and_missing_ones_recomputed() {
        let a = "Kremlin spokesman Dmitry Peskov confirmed the decision on Monday.";
        let (mut batch, _) = batch_of(&[a], vec![vec![0]]);
        // An analysis stored before roles were kept: read from the text.
        let recomputed = Roles::build(&batch, &[0], &EntityTable::default());
        assert_eq!(recomputed.resolve("the spokesman"), Some("Dmitry Peskov"));
        // Kept roles are what is read (the text is not tokenised again).
        batch.analyzed[0].roles = Some(vec![("Maria Zakharova".into(), "spokesman".into())]);
        let kept = Roles::build(&batch, &[0], &EntityTable::default());
        assert_eq!(kept.resolve("the spokesman"), Some("Maria Zakharova"));
        batch.analyzed[0].roles = Some(Vec::new());
        let none = Roles::build(&batch, &[0], &EntityTable::default());
        assert_eq!(none.resolve("the spokesman"), None);
    }
}
