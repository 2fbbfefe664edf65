//! Summary: 3–7 lines, each a supported fact, highest independent support first (the facts
//! arrive ranked), skipping lines that restate one already chosen (same-fact test).
//!
//! A line is worded by one of its fact's own support sentences (so no line says anything
//! its citations do not): the one that reads best in the story's language — a wording in the
//! language most of the story's articles are in, without a gap left where a link was cut
//! out ("citing , as"), and that stands on its own; its dateline ("PORT ELLERY, Varnes (Meridian
//! Press) — ") is cut.
//!
//! A summary line is read without the article around it, so a wording that leans on that
//! context is a poor line: a bare quotation with no speaker in it ("“We are sorry.”"), a
//! sentence opening on a pronoun or demonstrative that points back ("He added, …", "These
//! bases served …"), or a clause cut from inside a sentence ("it serves as …"). Such a
//! wording is taken only when the fact has no other, and such a fact only when fewer than
//! [`MIN_LINES`] facts read on their own. The word lists are short closed classes, written
//! here by hand for the languages chorus reads.

use std::collections::HashMap;

use super::compare::Statement;
use super::dateline::dateline;
use super::facts::has_gap;
use crate::report::{FactReport, SummaryLine};

/// Most lines in a summary.
pub const MAX_LINES: usize = 7;
/// Fewest lines a summary fills, with lines that lean on their article if it must.
pub const MIN_LINES: usize = 3;

/// Picks up to seven supported, non-redundant lines from ranked `facts`, in the fact's
/// representative wording (datelines cut).
pub fn summarize(facts: &[FactReport]) -> Vec<SummaryLine> {
    summarize_in(facts, |_| None)
}

/// [`summarize`], each line worded by the best of its fact's support sentences given the
/// language of each article (`language_of(article id)`).
pub fn summarize_in<'a>(
    facts: &[FactReport],
    language_of: impl Fn(&str) -> Option<&'a str>,
) -> Vec<SummaryLine> {
    let main = main_language(facts, &language_of);
    let mut chosen: Vec<Statement> = Vec::new();
    // (rank, line): lines that read on their own first, the others kept to fill up to
    // MIN_LINES; both in rank order, merged back into it at the end.
    let mut out: Vec<(usize, SummaryLine)> = Vec::new();
    let mut leaning: Vec<(usize, String, Statement, Vec<String>)> = Vec::new();
    let ranked = facts.iter().filter(|f| !f.support.is_empty() && !f.text.trim().is_empty());
    for (rank, f) in ranked.enumerate() {
        let text = wording(f, main, &language_of);
        let stmt = Statement::new(&text);
        if chosen.iter().any(|c| c.same_fact_or_masked_above(&stmt, 0.8)) {
            continue;
        }
        let mut support: Vec<String> = Vec::new();
        for s in &f.support {
            if !support.contains(&s.article) {
                support.push(s.article.clone());
            }
        }
        if leans_on_context(&text) {
            leaning.push((rank, text, stmt, support));
            continue;
        }
        chosen.push(stmt);
        out.push((rank, SummaryLine { text, support }));
        if out.len() == MAX_LINES {
            break;
        }
    }
    for (rank, text, stmt, support) in leaning {
        if out.len() >= MIN_LINES {
            break;
        }
        if chosen.iter().any(|c| c.same_fact_or_masked_above(&stmt, 0.8)) {
            continue;
        }
        chosen.push(stmt);
        out.push((rank, SummaryLine { text, support }));
    }
    out.sort_by_key(|&(rank, _)| rank);
    out.into_iter().map(|(_, line)| line).collect()
}

/// The language most of the facts' supporting articles are in.
fn main_language<'a>(
    facts: &[FactReport],
    language_of: &impl Fn(&str) -> Option<&'a str>,
) -> Option<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    let mut count: HashMap<&'a str, usize> = HashMap::new();
    for s in facts.iter().flat_map(|f| &f.support) {
        if seen.contains(&s.article.as_str()) {
            continue;
        }
        seen.push(&s.article);
        if let Some(l) = language_of(&s.article) {
            *count.entry(l).or_default() += 1;
        }
    }
    count.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0))).map(|x| x.0)
}

/// The fact's best wording: its representative text or one of its support sentences, in
/// the main language, without a gap, reading on its own (in that order of weight); the
/// representative, then the earliest support, wins ties. Its dateline, if any, is cut.
fn wording<'a>(
    f: &FactReport,
    main: Option<&str>,
    language_of: &impl Fn(&str) -> Option<&'a str>,
) -> String {
    // The representative is one of the support sentences: its language is that article's.
    let rep_lang =
        f.support.iter().find(|s| s.sentence == f.text).and_then(|s| language_of(&s.article));
    let candidates = std::iter::once((f.text.as_str(), rep_lang))
        .chain(f.support.iter().map(|s| (s.sentence.as_str(), language_of(&s.article))));
    let mut best: Option<((bool, bool, bool), &str)> = None;
    for (text, lang) in candidates {
        let alone = !leans_on_context(dateline(text).map_or(text, |at| &text[at..]));
        let key = (main.is_none() || lang == main, !has_gap(text), alone);
        if best.is_none_or(|(k, _)| key > k) {
            best = Some((key, text));
        }
    }
    let text = best.map_or(f.text.as_str(), |b| b.1).trim();
    dateline(text).map_or(text, |at| text[at..].trim_start()).to_string()
}

/// Whether `text` needs the article around it to be understood: it is a quotation and
/// nothing else, opens on a word pointing back to something said before (a personal
/// pronoun, or a demonstrative not naming a time: "He added, …", "These bases …", "Ces
/// bases …", but not "This week …"), or is a clause from inside a sentence (it starts in
/// lower case: "it serves as …").
pub fn leans_on_context(text: &str) -> bool {
    let text = text.trim_start();
    let Some(first) = text.chars().next() else { return true };
    if first.is_lowercase() {
        return true;
    }
    if only_quotation(text) {
        return true;
    }
    if text.starts_with(OPEN_QUOTES) {
        // The first words are the speaker's, and the speaker is named after the quote.
        return false;
    }
    let mut words = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase());
    let Some(word) = words.next() else { return false };
    if PRONOUNS.contains(&word.as_str()) {
        return true;
    }
    DEMONSTRATIVES.contains(&word.as_str())
        && words.next().is_none_or(|next| !TIME_WORDS.contains(&next.as_str()))
}

/// Third-person personal pronouns that open a sentence about someone named before (en, fr,
/// es, de, it, pt). "It" / "il" / "es" are left out: they are as often impersonal ("It is
/// too early", "Il faut").
const PRONOUNS: &[&str] = &[
    "he", "she", "they", "his", "her", "their", // en
    "elle", "ils", "elles", // fr
    "él", "ella", "ellos", "ellas", // es
    "er", "sie", // de
    "lui", "lei", "loro", "egli", // it
    "ele", "ela", "eles", "elas", // pt
];

/// Demonstratives (en, fr, es, de, it, pt).
const DEMONSTRATIVES: &[&str] = &[
    "this", "that", "these", "those", // en
    "cette", "ces", "cet", // fr ("ce" opens "ce que", "c'est" too often)
    "este", "esta", "estos", "estas", "ese", "esa", "esos", "esas", // es
    "dieser", "diese", "dieses", "diesen", "jener", "jene", // de
    "questo", "questa", "questi", "queste", "quel", "quella", // it
    "estes", "esse", "essa", "esses", "essas", // pt
];

/// Words naming a time after a demonstrative ("This week", "Ce matin", "Este lunes"): the
/// time is relative to the article's date, not to a sentence before.
const TIME_WORDS: &[&str] = &[
    "morning",
    "afternoon",
    "evening",
    "night",
    "week",
    "weekend",
    "month",
    "year",
    "time",
    "season",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday", // en
    "matin",
    "semaine",
    "année",
    "fois",
    "nuit",
    "soirée",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche", // fr
    "mañana",
    "tarde",
    "noche",
    "semana",
    "mes",
    "año",
    "vez",
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo", // es
    "woche",
    "jahr",
    "monat",
    "nacht",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag", // de
    "mattina",
    "settimana",
    "anno",
    "mese",
    "volta",
    "notte",
    "sera", // it
    "semana",
    "ano",
    "vez",
    "noite",
    "manhã", // pt
];

/// Quotation marks that open a quote.
const OPEN_QUOTES: &[char] = &['“', '„', '«', '"'];

/// Whether `text` opens on a quotation mark and has no letter outside quotation marks (a
/// quote with no speaker and nothing else).
fn only_quotation(text: &str) -> bool {
    const OPEN: &[char] = OPEN_QUOTES;
    const CLOSE: &[char] = &['”', '»', '"', '“'];
    if !text.starts_with(OPEN) {
        return false;
    }
    let mut inside = false;
    for c in text.chars() {
        if !inside && OPEN.contains(&c) {
            inside = true;
        } else if inside && CLOSE.contains(&c) {
            inside = false;
        } else if !inside && c.is_alphabetic() {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Support;

    fn fact(text: &str, articles: &[&str]) -> FactReport {
        FactReport {
            text: text.into(),
            support: articles
                .iter()
                .map(|a| Support {
                    article: a.to_string(),
                    sentence: text.into(),
                    start: 0,
                    end: 1,
                })
                .collect(),
            independent_support: articles.len(),
            language: None,
        }
    }

    #[test]
    fn lines_take_the_best_supported_wording() {
        let sup = |a: &str, t: &str| Support {
            article: a.into(),
            sentence: t.into(),
            start: 0,
            end: t.len(),
        };
        let wire =
            "PORT ELLERY, Varnes (Meridian Press) — Three people died after the ferry capsized.";
        let fr =
            "PORT ELLERY (Varnes) — Trois personnes sont mortes après le chavirement du ferry.";
        let gap = "Three people died after , the ferry capsized off the point.";
        let local = "Three people died when the ferry capsized off the point.";
        let lang = |id: &str| Some(if id == "fr" { "fr" } else { "en" });
        /// (representative, support as (article, sentence), wanted line).
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
        let table: &[Case] = &[
            (fr, &[("fr", fr), ("wire", wire)], "Three people died after the ferry capsized."),
            (fr, &[("wire", wire), ("fr", fr)], "Three people died after the ferry capsized."),
            (gap, &[("gap", gap), ("local", local)], local),
            (wire, &[("wire", wire)], "Three people died after the ferry capsized."),
            (local, &[("local", local), ("wire", wire)], local),
        ];
        for (text, support, want) in table {
            let f = FactReport {
                text: text.to_string(),
                support: support.iter().map(|(a, t)| sup(a, t)).collect(),
                independent_support: support.len(),
                language: None,
            };
            // Most articles are in English: one more English fact weighs the vote.
            let other =
                fact("Rescue boats searched the bay through the night for survivors.", &["x", "y"]);
            let s = summarize_in(&[f, other], lang);
            assert_eq!(s[0].text, *want);
            let ids: Vec<&str> = support.iter().map(|x| x.0).collect();
            assert_eq!(s[0].support, ids);
        }
    }

    #[test]
    fn lines_are_supported_distinct_and_capped() {
        let mut facts = vec![
            fact(
                "Rebels captured the northern city of Aleppo after a week of fighting.",
                &["a", "b"],
            ),
            fact(
                "After a week of fighting, rebels captured the northern city of Aleppo.",
                &["c", "c"],
            ),
            fact("The president fled the capital on a plane to Moscow overnight.", &["a"]),
            fact("Nobody supports this line at all in any article here.", &[]),
        ];
        let others = [
            "The central bank raised interest rates by half a point.",
            "Heavy snow closed mountain roads across the northern provinces.",
            "The football club appointed a new coach from Portugal.",
            "Oil prices fell sharply after the pipeline reopened.",
            "Scientists discovered a new species of frog in the rainforest.",
            "The parliament approved the annual budget after a long debate.",
        ];
        for o in others {
            facts.push(fact(o, &["x"]));
        }
        let s = summarize(&facts);
        assert_eq!(s.len(), MAX_LINES);
        assert_eq!(s[0].support, ["a", "b"]);
        assert!(s[1].text.contains("president"), "{s:?}");
        assert!(s.iter().all(|l| !l.support.is_empty()));
    }

    #[test]
    fn lines_that_lean_on_their_article_are_told_apart() {
        let table: &[(&str, bool)] = &[
            ("“We are sorry, and we will make this right for every single owner.”", true),
            ("\"We will rebuild,\" the mayor said.", false),
            ("“Customer safety comes first,” said chief executive Nadia Pemberly.", false),
            ("“This is a matter for discussion,” he said.", false),
            ("„Wir bauen wieder auf“, sagte die Bürgermeisterin.", false),
            ("« Nous reconstruirons. »", true),
            ("He added, “This is a matter for discussion.”", true),
            ("These bases served as hubs for contractors.", true),
            ("Ces bases servaient de relais.", true),
            ("Ella dijo que el puente estaba cerrado.", true),
            ("Sie sagte, die Brücke sei gesperrt.", true),
            ("This week the ministry opened an inquiry.", false),
            ("Este lunes el ministerio abrió una investigación.", false),
            ("That is the advice of the safety board.", true),
            ("it serves as a staging post for contractors", true),
            ("It is too early to say what caused the crash.", false),
            ("Theyre", false),
            ("The Tartous base is Russia’s sole repair hub", false),
            ("Heavy rain closed the roads.", false),
            ("Helsinki confirmed the deal.", false),
            ("48,000 units are affected.", false),
            ("", true),
        ];
        for (text, want) in table {
            assert_eq!(leans_on_context(text), *want, "{text}");
        }
    }

    #[test]
    fn lines_that_read_on_their_own_come_first() {
        let sup = |a: &str, t: &str| Support {
            article: a.into(),
            sentence: t.into(),
            start: 0,
            end: t.len(),
        };
        // A fact worded "He added, …" in one article and with its speaker in another takes
        // the second wording.
        let he = "He added, “The bridge will reopen in May.”";
        let named = "“The bridge will reopen in May,” the mayor said.";
        let f = FactReport {
            text: he.into(),
            support: vec![sup("a", he), sup("b", named)],
            independent_support: 2,
            language: None,
        };
        let s = summarize(std::slice::from_ref(&f));
        assert_eq!(s[0].text, named);
        // A bare quotation ranked second gives way to the lines that read alone …
        let mut facts = vec![
            fact("Floods closed the main bridge across the river on Monday.", &["a", "b"]),
            fact("“We are doing everything we can.”", &["a", "b"]),
        ];
        for o in [
            "The central bank raised interest rates by half a point.",
            "Heavy snow closed mountain roads across the northern provinces.",
            "The football club appointed a new coach from Portugal.",
        ] {
            facts.push(fact(o, &["x"]));
        }
        let s = summarize(&facts);
        assert_eq!(s.len(), 4);
        assert!(s.iter().all(|l| !l.text.starts_with('“')), "{s:?}");
        // … but fills a summary that would otherwise have fewer than three lines, in rank
        // order.
        let s = summarize(&facts[..3]);
        let texts: Vec<&str> = s.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, [facts[0].text.as_str(), facts[1].text.as_str(), facts[2].text.as_str()]);
    }
}
