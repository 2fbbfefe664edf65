//! The streamed run (`pipeline::stream_run`, what `chorus run` uses) against the in-memory
//! `pipeline::run`: the same report, byte for byte, in every format.

use super::corpus::articles as corpus;
use chorus_engine::cluster::synthetic::synthetic_stream;
use chorus_engine::pipeline::{self, PipelineConfig, Step};
use chorus_engine::record::Article;
use chorus_engine::render::{self, Format};
use chorus_engine::report::{ArticleReport, Report, StoryReport};

fn no_progress(_: Step, _: usize, _: usize) {}

/// The example corpus followed by a synthetic stream whose outlets each end a third of
/// their articles with the same page furniture (learned over the whole input).
fn mixed(n: usize) -> Vec<Article> {
    let synthetic = synthetic_stream(n, 11).into_iter().enumerate().map(|(i, mut a)| {
        if i % 3 == 0 {
            a.raw.push_str("\n\nSign up for the Harbour Brief newsletter");
        }
        a
    });
    corpus().into_iter().chain(synthetic).collect()
}

fn streamed_json(articles: Vec<Article>, config: &PipelineConfig) -> String {
    let streamed = pipeline::stream_run(articles, config, &no_progress).expect("spill");
    let mut out = Vec::new();
    streamed.write_json(&mut out, &no_progress).expect("written");
    String::from_utf8(out).expect("JSON is UTF-8")
}

#[test]
fn streamed_json_is_the_in_memory_json() {
    let dated = PipelineConfig {
        default_date: chrono::NaiveDate::from_ymd_opt(2026, 3, 2),
        ..PipelineConfig::default()
    };
    let cases = [("corpus", corpus(), PipelineConfig::default()), ("mixed", mixed(300), dated)];
    for (name, articles, config) in cases {
        let expected = render::json(&pipeline::run(articles.clone(), &config));
        let got = streamed_json(articles, &config);
        assert!(got == expected, "{name}: streamed JSON differs ({} vs {} bytes)", got.len(), {
            expected.len()
        });
    }
}

#[test]
fn streamed_report_renders_as_the_in_memory_report() {
    let config = PipelineConfig::default();
    let expected = pipeline::run(corpus(), &config);
    let streamed = pipeline::stream_run(corpus(), &config, &no_progress).expect("spill");
    let got = streamed.into_report(&no_progress).expect("loaded");
    for format in [Format::Json, Format::Markdown, Format::Html] {
        assert_eq!(render::render(&got, format), render::render(&expected, format), "{format:?}");
    }
}

/// `render::write_json` prints what `render::json` prints, whatever the report holds.
#[test]
fn write_json_matches_json_on_edge_cases() {
    let article =
        ArticleReport { id: "a\"1\n".into(), language: "und".into(), ..Default::default() };
    let story =
        StoryReport { id: "s-ü".into(), articles: vec!["a\"1\n".into()], ..Default::default() };
    let report = |stories_only, articles, stories| Report { stories_only, articles, stories };
    let mut cases = Vec::new();
    for stories_only in [false, true] {
        cases.extend([
            report(stories_only, vec![], vec![]),
            report(stories_only, vec![article.clone()], vec![]),
            report(stories_only, vec![], vec![story.clone()]),
            report(
                stories_only,
                vec![article.clone(), article.clone()],
                vec![story.clone(), story.clone()],
            ),
        ]);
    }
    for report in cases {
        let mut out = Vec::new();
        let stories = report.stories.iter().cloned().map(Ok::<_, String>);
        render::write_json_as(&mut out, report.stories_only, &report.articles, stories)
            .expect("written");
        let json = String::from_utf8(out).expect("UTF-8");
        assert_eq!(json, render::json(&report));
        assert_eq!(json.contains("\"stories_only\": true"), report.stories_only, "{json}");
        if !report.stories_only {
            let mut plain = Vec::new();
            let stories = report.stories.iter().cloned().map(Ok::<_, String>);
            render::write_json(&mut plain, &report.articles, stories).expect("written");
            assert_eq!(String::from_utf8(plain).expect("UTF-8"), json);
        }
    }
}

#[test]
fn write_json_stops_at_the_first_error() {
    let stories = [Ok(StoryReport::default()), Err("spill file gone"), Ok(StoryReport::default())];
    let err = render::write_json(Vec::new(), &[], stories.into_iter()).expect_err("fails");
    assert!(err.to_string().contains("spill file gone"), "{err}");
}
