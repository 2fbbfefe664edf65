//! The synthesize stage: turns one story's articles into its report — entities across
//! outlets, quotes with all their wordings, facts with independent support, conflicts,
//! timeline and summary. Each part is its own module; this file assembles them and owns the
//! conversion of repaired-text spans to original-text offsets ([`support`]).

pub mod anchors;
pub mod canon;
pub mod claims;
pub mod clauses;
pub mod compare;
pub mod conflicts;
pub mod crosslang;
pub mod dateline;
pub mod facts;
pub mod quotes;
pub mod roles;
pub mod summary;
pub mod timeline;
pub mod who;

use crate::pipeline::{Batch, DerivedStory};
use crate::record::{ArticleIdx, Span};
use crate::report::{DerivationReport, StoryReport, Support, WhyReport};

/// Builds the report of one story.
pub fn synthesize(batch: &Batch, story: &DerivedStory) -> StoryReport {
    let members = &story.story.articles;
    let entities = canon::canonicalize(batch, members);
    let quotes = quotes::group(batch, story, &entities);
    // Sentences are prepared for comparison once, for facts (cut into clauses) and
    // conflicts (whole statements) alike.
    let (units, sentences) = facts::units_and_sentences(batch, members);
    let facts = facts::align_units(batch, story, &units);
    let mut conflicts = conflicts::find_with(batch, story, &sentences);
    conflicts.extend(claims::find(batch, story, &sentences));
    conflicts.extend(who::find(batch, story, &sentences, &entities));
    let mut timeline = timeline::build_with(batch, story, &sentences);
    timeline::mark_conflicts(&mut timeline, &conflicts);
    let language: std::collections::HashMap<&str, &str> = members
        .iter()
        .filter_map(|&i| {
            Some((batch.articles.get(i)?.id.as_str(), batch.analyzed.get(i)?.language.as_str()))
        })
        .collect();
    let summary = summary::summarize_in(&facts, |id| language.get(id).copied());
    StoryReport {
        quotes,
        facts,
        conflicts,
        timeline,
        summary,
        ..outline_with(batch, story, &entities)
    }
}

/// The outline of one story, what a stories-only run reports: id, headline, members, origin
/// groups, derivations, entities and why, each as [`synthesize`] gives it, with quotes,
/// facts, conflicts, timeline and summary empty. Reads only what clustering and derivation
/// read of each article (no time expressions, no quote speakers).
pub fn outline(batch: &Batch, story: &DerivedStory) -> StoryReport {
    outline_with(batch, story, &canon::canonicalize(batch, &story.story.articles))
}

/// [`outline`] with the story's entities already canonicalized.
fn outline_with(batch: &Batch, story: &DerivedStory, entities: &canon::EntityTable) -> StoryReport {
    let members = &story.story.articles;
    let id = |i: ArticleIdx| batch.articles[i].id.clone();
    StoryReport {
        id: story.story.id.clone(),
        headline: headline(batch, members),
        articles: members.iter().map(|&i| id(i)).collect(),
        origin_groups: story
            .origin_groups
            .iter()
            .map(|g| g.iter().map(|&i| id(i)).collect())
            .collect(),
        independent_sources: story.origin_groups.len(),
        derivations: story
            .derivations
            .iter()
            .map(|d| DerivationReport {
                article: id(d.article),
                from: id(d.from),
                kind: serde_json::to_value(d.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                score: d.score,
                evidence: d.evidence.clone(),
            })
            .collect(),
        entities: entities.to_reports(batch),
        why: story
            .story
            .why
            .iter()
            .map(|w| WhyReport { article: id(w.article), score: w.score, shared: w.shared.clone() })
            .collect(),
        ..StoryReport::default()
    }
}

/// The story's headline: the given title of its earliest titled article, else the lead
/// sentence of its first article, shortened at a word boundary.
fn headline(batch: &Batch, members: &[ArticleIdx]) -> String {
    let mut titled: Vec<_> = members
        .iter()
        .filter_map(|&i| batch.articles[i].title.as_ref().map(|t| (batch.articles[i].date, i, t)))
        .filter(|(_, _, t)| !t.trim().is_empty())
        .collect();
    titled.sort();
    if let Some((_, _, t)) = titled.first() {
        return t.trim().to_string();
    }
    let lead = members
        .first()
        .and_then(|&i| {
            let text = &batch.repaired[i].text;
            batch.analyzed[i].sentences.first().map(|s| s.span.slice(text).to_string())
        })
        .unwrap_or_default();
    shorten(&lead, HEADLINE_MAX)
}

/// Longest headline made from a lead sentence, in bytes.
const HEADLINE_MAX: usize = 120;

/// `text` cut at the last word boundary before `max` bytes, with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &text[..cut];
    let head = head.rfind(' ').map_or(head, |i| &head[..i]);
    format!("{}…", head.trim_end_matches([',', ';', ':', ' ']))
}

/// A support entry for `span` (repaired-text offsets) of article `article`: the repaired
/// text of the span, with offsets into the original text.
pub fn support(batch: &Batch, article: ArticleIdx, span: Span) -> Support {
    let raw = batch.repaired[article].map.to_raw(span);
    Support {
        article: batch.articles[article].id.clone(),
        sentence: span.slice(&batch.repaired[article].text).to_string(),
        start: raw.start,
        end: raw.end,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shorten_cuts_at_words() {
        assert_eq!(super::shorten("short", 10), "short");
        assert_eq!(
            super::shorten("Kremlin spokesman Dmitry Peskov confirmed", 20),
            "Kremlin spokesman…"
        );
        assert_eq!(super::shorten("Ééééééééé", 5), "Éé…");
    }
}
