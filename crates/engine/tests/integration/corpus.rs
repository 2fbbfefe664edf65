//! The pipeline on `examples/corpus`: the report's invariants and its expected content.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::OnceLock;

use chorus_engine::ingest;
use chorus_engine::pipeline::{self, PipelineConfig};
use chorus_engine::record::Article;
use chorus_engine::report::{Report, StoryReport, Support};

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus")
}

/// The corpus's articles as read (reading them must report no error).
pub fn articles() -> Vec<Article> {
    let ingested = ingest::read_inputs(&[corpus_dir()]);
    assert!(ingested.errors.is_empty(), "{:?}", ingested.errors);
    ingested.articles
}

/// The articles' original texts by id, and the report (computed once for all tests).
pub fn report() -> &'static (HashMap<String, String>, Report) {
    static REPORT: OnceLock<(HashMap<String, String>, Report)> = OnceLock::new();
    REPORT.get_or_init(|| {
        let articles = articles();
        let raw = articles.iter().map(|a| (a.id.clone(), a.raw.clone())).collect();
        (raw, pipeline::run(articles, &PipelineConfig::default()))
    })
}

pub fn story_of<'a>(report: &'a Report, article: &str) -> &'a chorus_engine::report::StoryReport {
    report
        .stories
        .iter()
        .find(|s| s.articles.iter().any(|a| a == article))
        .unwrap_or_else(|| panic!("{article} is in no story"))
}

/// A span is within its article, on char boundaries, and names the text it points at
/// (exactly, unless a repair changed those bytes).
fn check_span(raw: &HashMap<String, String>, report: &Report, s: &Support) {
    let text = &raw[&s.article];
    assert!(s.start <= s.end && s.end <= text.len(), "{s:?} out of bounds");
    let slice = text.get(s.start..s.end).expect("span on char boundaries");
    let art = report.articles.iter().find(|a| a.id == s.article).expect("article reported");
    let touched = art.repairs.iter().any(|r| r.start < s.end && s.start < r.end);
    if !touched {
        assert_eq!(slice, s.sentence, "span of {} does not name its text", s.article);
    }
}

#[test]
fn every_article_is_in_exactly_one_story() {
    let (raw, report) = report();
    let mut seen = HashSet::new();
    for s in &report.stories {
        for a in &s.articles {
            assert!(seen.insert(a.clone()), "{a} in two stories");
        }
        let grouped: Vec<&String> = s.origin_groups.iter().flatten().collect();
        assert_eq!(grouped.len(), s.articles.len(), "origin groups partition story {}", s.id);
        assert_eq!(s.independent_sources, s.origin_groups.len());
    }
    assert_eq!(seen.len(), raw.len());
}

#[test]
fn every_span_points_at_its_text() {
    let (raw, report) = report();
    for art in &report.articles {
        let text = &raw[&art.id];
        for r in &art.repairs {
            assert!(r.start <= r.end && r.end <= text.len(), "{r:?}");
            assert_eq!(text.get(r.start..r.end), Some(r.original.as_str()), "{r:?}");
        }
    }
    for st in &report.stories {
        for f in &st.facts {
            assert!(!f.support.is_empty());
            f.support.iter().for_each(|s| check_span(raw, report, s));
        }
        for c in &st.conflicts {
            c.sides.iter().flat_map(|side| &side.support).for_each(|s| check_span(raw, report, s));
        }
        for q in &st.quotes {
            for v in &q.variants {
                let s = Support {
                    article: v.article.clone(),
                    sentence: v.text.clone(),
                    start: v.start,
                    end: v.end,
                };
                check_span(raw, report, &s);
            }
        }
    }
}

#[test]
fn stories_match_the_answer_key() {
    let (_, report) = report();
    let a = story_of(report, "a01-meridian-wire");
    for id in ["a02-coastline-daily-copy", "a05-newsbeat-spun", "a08-ellery-post-local"] {
        assert!(a.articles.iter().any(|x| x == id), "{id} not with a01");
    }
    let b = story_of(report, "b01-northwind-wire");
    assert_ne!(a.id, b.id, "two ferry disasters must be two stories");
    let c = story_of(report, "c01-techledger-recall");
    assert_ne!(c.id, a.id);
    assert_ne!(c.id, b.id);
}

#[test]
fn origins_conflicts_quotes_and_entities_match_the_answer_key() {
    let (_, report) = report();
    let a = story_of(report, "a01-meridian-wire");
    assert_eq!(a.articles.len(), 10);
    assert_eq!(a.independent_sources, 4, "{:?}", a.origin_groups);
    let wire = a.origin_groups.iter().find(|g| g.iter().any(|x| x == "a01-meridian-wire")).unwrap();
    for id in ["a02-coastline-daily-copy", "a04-harbour-watch-mojibake", "a05-newsbeat-spun"] {
        assert!(wire.iter().any(|x| x == id), "{id} shares the wire's origin");
    }
    assert!(!wire.iter().any(|x| x == "a08-ellery-post-local"), "the local report is independent");
    assert_eq!(story_of(report, "b01-northwind-wire").independent_sources, 4);
    assert_eq!(story_of(report, "c01-techledger-recall").independent_sources, 2);

    let values = |c: &chorus_engine::report::ConflictReport| -> Vec<String> {
        c.sides.iter().map(|s| s.value.clone()).collect()
    };
    let injured = a.conflicts.iter().find(|c| c.topic.contains("injured")).expect("injured");
    assert!(values(injured).contains(&"14".into()) && values(injured).contains(&"19".into()));
    assert!(!injured.update, "14 vs 19 injured is a contradiction");
    let killed = a.conflicts.iter().find(|c| c.topic.contains("killed")).expect("killed");
    assert!(killed.update, "the toll that rose to five is an update: {killed:?}");

    let marrow = a
        .quotes
        .iter()
        .find(|q| {
            q.speaker.as_deref().is_some_and(|s| s.contains("Marrow")) && q.variants.len() >= 3
        })
        .expect("Marrow's quote with several wordings");
    assert!(marrow.variants.iter().any(|v| v.article == "a07-global-digest-backtranslated"));

    let entity = |alias: &str| {
        a.entities
            .iter()
            .find(|e| e.name == alias || e.aliases.iter().any(|x| x == alias))
            .unwrap_or_else(|| panic!("no entity {alias}"))
    };
    assert_eq!(entity("VMSA").name, entity("Varnes Maritime Safety Authority").name);
    assert_eq!(entity("Marrow").name, entity("Ilse Marrow").name);
    assert_eq!(entity("Kessali Point").name, entity("Kessaly Point").name);

    // Facts: every fact of the English story is shown in English; the recall's 48,000
    // heaters and story B's death toll are corroborated across origins.
    assert!(a.facts.iter().all(|f| f.language.is_none()), "{:?}", a.facts);
    let corroborated = |st: &StoryReport, needle: &str| {
        st.facts.iter().any(|f| {
            f.independent_support >= 2 && f.support.iter().any(|s| s.sentence.contains(needle))
        })
    };
    assert!(corroborated(story_of(report, "c01-techledger-recall"), "48,000"));
    assert!(corroborated(story_of(report, "b01-northwind-wire"), "23"));
    // Quotes: reported speech with other numbers is another statement.
    for q in &a.quotes {
        let texts: Vec<&str> = q.variants.iter().map(|v| v.text.as_str()).collect();
        let update = texts.iter().any(|t| t.contains("down from 11"));
        assert!(!update || texts.len() == 1, "one group, two statements: {texts:?}");
    }

    let dates: Vec<&str> = a.timeline.iter().map(|t| t.date.as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "timeline in date order");
    assert!(dates.contains(&"2026-03-03"), "the capsizing, dated from “on Tuesday”: {dates:?}");
}

#[test]
fn damage_is_repaired_and_recorded() {
    let (raw, report) = report();
    let kinds = |id: &str| -> Vec<String> {
        report
            .articles
            .iter()
            .find(|a| a.id == id)
            .unwrap()
            .repairs
            .iter()
            .map(|r| r.kind.clone())
            .collect()
    };
    assert!(kinds("a04-harbour-watch-mojibake").iter().any(|k| k == "mojibake"));
    assert!(kinds("a03-varnes-today-copy").iter().any(|k| k == "missing_text"));
    assert!(kinds("a02-coastline-daily-copy").iter().any(|k| k == "boilerplate"));
    assert!(kinds("a08-ellery-post-local").iter().any(|k| k == "repeated_paragraph"));
    assert!(raw["a04-harbour-watch-mojibake"].contains("â€™"));
    let a = story_of(report, "a04-harbour-watch-mojibake");
    assert!(
        a.facts.iter().flat_map(|f| &f.support).all(|s| !s.sentence.contains("â€")),
        "facts quote repaired text"
    );
}
