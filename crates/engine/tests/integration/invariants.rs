//! Property tests of the pipeline's invariants on arbitrary input.

use chorus_engine::pipeline::{self, PipelineConfig};
use chorus_engine::record::Article;
use chorus_engine::repair;
use proptest::prelude::*;

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[A-Z][a-z]{1,8}",
            "[a-z]{1,10}",
            Just(". ".to_string()),
            Just(", ".to_string()),
            Just("\n".to_string()),
            Just(" “".to_string()),
            Just("” ".to_string()),
            Just("â€™".to_string()),
            Just("Ã©".to_string()),
            Just("Advertisement\n".to_string()),
            Just(" in , ".to_string()),
            "[0-9]{1,4}",
            "\\PC{1,3}",
        ],
        0..60,
    )
    .prop_map(|parts| parts.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn repair_is_idempotent_and_in_bounds(raw in text_strategy()) {
        let once = repair::repair(&raw);
        for r in &once.repairs {
            prop_assert!(r.start <= r.end && r.end <= raw.len());
            prop_assert_eq!(raw.get(r.start..r.end), Some(r.original.as_str()));
        }
        let twice = repair::repair(&once.text);
        prop_assert_eq!(&twice.text, &once.text);
    }

    #[test]
    fn stories_partition_the_input(texts in prop::collection::vec(text_strategy(), 1..8)) {
        let articles: Vec<Article> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Article::new(format!("a{i}"), t.clone()))
            .collect();
        let n = articles.len();
        let report = pipeline::run(articles, &PipelineConfig::default());
        let mut ids: Vec<String> = report.stories.iter().flat_map(|s| s.articles.clone()).collect();
        ids.sort();
        ids.dedup();
        prop_assert_eq!(ids.len(), n);
        prop_assert_eq!(report.stories.iter().map(|s| s.articles.len()).sum::<usize>(), n);
        for (i, art) in report.articles.iter().enumerate() {
            let raw = &texts[i];
            for r in &art.repairs {
                prop_assert!(r.end <= raw.len());
            }
        }
    }
}
