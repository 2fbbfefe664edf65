//! The stories-only run (`chorus run --stories-only`, `PipelineConfig::stories_only`)
//! against the full run: the same articles, stories, story ids, members, origin groups,
//! derivations, entities and why, on the example corpus and on a synthetic stream, with
//! every story's quotes, facts, conflicts, timeline and summary empty.

use super::corpus::articles as corpus;
use chorus_engine::cluster::synthetic::synthetic_stream;
use chorus_engine::pipeline::{self, PipelineConfig, Step};
use chorus_engine::record::Article;
use chorus_engine::render;
use chorus_engine::report::{Report, StoryReport};

fn no_progress(_: Step, _: usize, _: usize) {}

/// The streamed run's report (the path of `chorus run`).
fn streamed(articles: Vec<Article>, config: &PipelineConfig) -> Report {
    let run = pipeline::stream_run(articles, config, &no_progress).expect("spill");
    run.into_report(&no_progress).expect("loaded")
}

/// The story as a stories-only run reports it: what synthesis adds, emptied.
fn outline(story: &StoryReport) -> StoryReport {
    StoryReport {
        quotes: vec![],
        facts: vec![],
        conflicts: vec![],
        timeline: vec![],
        summary: vec![],
        ..story.clone()
    }
}

/// Runs `articles` both ways and checks the stories-only report is the full one's outline;
/// returns the full report (for checks that the comparison was not empty).
fn same_stories(name: &str, articles: Vec<Article>) -> Report {
    let full_config = PipelineConfig::default();
    let light_config = PipelineConfig { stories_only: true, ..PipelineConfig::default() };
    let full = streamed(articles.clone(), &full_config);
    let light = streamed(articles.clone(), &light_config);
    assert!(light.stories_only && !full.stories_only, "{name}");
    assert_eq!(light.articles, full.articles, "{name}: article entries (repairs, languages)");
    let ids = |r: &Report| r.stories.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&light), ids(&full), "{name}: story ids in report order");
    for (l, f) in light.stories.iter().zip(&full.stories) {
        assert_eq!(l.articles, f.articles, "{name}: members of {}", f.id);
        assert_eq!(l.origin_groups, f.origin_groups, "{name}: origin groups of {}", f.id);
        assert_eq!(l.derivations, f.derivations, "{name}: derivations of {}", f.id);
        assert_eq!(*l, outline(f), "{name}: outline of {}", f.id);
    }
    // The in-memory run gives the streamed run's stories-only report, byte for byte.
    let in_memory = pipeline::run(articles, &light_config);
    assert!(render::json(&in_memory) == render::json(&light), "{name}: in-memory differs");
    let json = render::json(&light);
    assert!(json.contains("\"stories_only\": true"), "{name}");
    assert!(!render::json(&full).contains("stories_only"), "{name}: absent from full reports");
    full
}

#[test]
fn the_corpus_has_the_full_runs_stories() {
    let full = same_stories("corpus", corpus());
    // The comparison covers what the corpus is about: three stories with copies, rewrites
    // and a translation, and facts the stories-only run leaves out.
    assert!(full.stories.len() >= 3);
    let kinds: Vec<&str> =
        full.stories.iter().flat_map(|s| &s.derivations).map(|d| d.kind.as_str()).collect();
    for kind in ["copy", "rewrite", "translation"] {
        assert!(kinds.contains(&kind), "corpus derivations {kinds:?}");
    }
    assert!(full.stories.iter().any(|s| !s.facts.is_empty() && !s.quotes.is_empty()));
}

#[test]
fn a_synthetic_stream_has_the_full_runs_stories() {
    // Several hundred articles over some fifty stories, chunked by the streamed run.
    let full = same_stories("synthetic", synthetic_stream(400, 23));
    assert!(full.stories.len() >= 20, "{} stories", full.stories.len());
    assert!(full.stories.iter().any(|s| s.origin_groups.len() < s.articles.len()));
}
