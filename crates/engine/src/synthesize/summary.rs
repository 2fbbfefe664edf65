//! Summary: 3–7 lines, each a supported fact, highest independent support first (the facts
//! arrive ranked), skipping lines that restate one already chosen (same-fact test).
//!
//! A line is worded by one of its fact's own support sentences (so no line says anything
//! its citations do not): the one that reads best in the story's language — a wording in the
//! language most of the story's articles are in, without a gap left where a link was cut
//! out ("citing , as"); its dateline ("PORT ELLERY, Varnes (Meridian Press) — ") is cut.

use std::collections::HashMap;

use super::compare::Statement;
use super::dateline::dateline;
use super::facts::has_gap;
use crate::report::{FactReport, SummaryLine};

/// Most lines in a summary.
pub const MAX_LINES: usize = 7;

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
    let mut out = Vec::new();
    for f in facts.iter().filter(|f| !f.support.is_empty() && !f.text.trim().is_empty()) {
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
        chosen.push(stmt);
        out.push(SummaryLine { text, support });
        if out.len() == MAX_LINES {
            break;
        }
    }
    out
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
/// the main language, without a gap (in that order of weight); the representative, then
/// the earliest support, wins ties. Its dateline, if any, is cut.
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
    let mut best: Option<((bool, bool), &str)> = None;
    for (text, lang) in candidates {
        let key = (main.is_none() || lang == main, !has_gap(text));
        if best.is_none_or(|(k, _)| key > k) {
            best = Some((key, text));
        }
    }
    let text = best.map_or(f.text.as_str(), |b| b.1).trim();
    dateline(text).map_or(text, |at| text[at..].trim_start()).to_string()
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
}
