//! Summary: 3–7 lines, each a supported fact, highest independent support first (the facts
//! arrive ranked), skipping lines that restate one already chosen (same-fact test).

use super::compare::Statement;
use crate::report::{FactReport, SummaryLine};

/// Most lines in a summary.
pub const MAX_LINES: usize = 7;

/// Picks up to seven supported, non-redundant lines from ranked `facts`.
pub fn summarize(facts: &[FactReport]) -> Vec<SummaryLine> {
    let mut chosen: Vec<Statement> = Vec::new();
    let mut out = Vec::new();
    for f in facts.iter().filter(|f| !f.support.is_empty() && !f.text.trim().is_empty()) {
        let stmt = Statement::new(&f.text);
        if chosen.iter().any(|c| c.same_fact(&stmt) || c.score_masked(&stmt) > 0.8) {
            continue;
        }
        let mut support: Vec<String> = Vec::new();
        for s in &f.support {
            if !support.contains(&s.article) {
                support.push(s.article.clone());
            }
        }
        chosen.push(stmt);
        out.push(SummaryLine { text: f.text.trim().to_string(), support });
        if out.len() == MAX_LINES {
            break;
        }
    }
    out
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
