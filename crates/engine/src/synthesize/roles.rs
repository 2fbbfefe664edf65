//! Role-named speakers across a story: "the spokesman said" in an article that never names
//! the spokesman resolves to the one person the story's articles introduce with that role
//! ("Kremlin spokesman Dmitry Peskov" in another outlet). Within one article the quote
//! extractor already resolves a role to the person that article introduced with it; this
//! table is the story-wide fallback, and it answers only when the role names exactly one
//! person (by canonical entity), so "the president" in a story with two presidents stays
//! unresolved.

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
    /// Reads the role introductions of every article of `members`; names are canonicalised
    /// through `entities` (a name the table does not know stays as written).
    pub fn build(batch: &Batch, members: &[ArticleIdx], entities: &EntityTable) -> Roles {
        let mut by_role: HashMap<String, Vec<String>> = HashMap::new();
        for &a in members {
            let (Some(rep), Some(an)) = (batch.repaired.get(a), batch.analyzed.get(a)) else {
                continue;
            };
            for (name, role) in introduced_roles(&rep.text, &an.mentions) {
                let canonical = entities.resolve(&name).map_or(name, |e| e.name.clone());
                let names = by_role.entry(role).or_default();
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
        let role = role_head(source)?;
        match self.by_role.get(&role)?.as_slice() {
            [one] => Some(one.as_str()),
            _ => None,
        }
    }
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
}
