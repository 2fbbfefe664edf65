//! Quotes across outlets on `examples/corpus`: a rewrite's paraphrased wording joins its
//! origin's, and is marked as a paraphrase; trims and copies are not.

use super::corpus::{report, story_of};
use chorus_engine::report::QuoteReport;

/// The group holding `article`'s wording that contains `needle`.
fn group_with<'a>(quotes: &'a [QuoteReport], article: &str, needle: &str) -> &'a QuoteReport {
    quotes
        .iter()
        .find(|q| q.variants.iter().any(|v| v.article == article && v.text.contains(needle)))
        .unwrap_or_else(|| panic!("no wording of {article} with {needle:?}"))
}

#[test]
fn a_rewrites_paraphrased_wordings_join_their_origins() {
    let (_, report) = report();
    let a = story_of(report, "a01-meridian-wire");
    // (the rewrite's wording, the origin's wording it paraphrases).
    let pairs = [
        ("the fixes were finished that spring", "the repairs were completed that spring"),
        ("collaborating completely with investigators", "cooperating fully with investigators"),
        ("We will not cease searching", "We will not stop searching"),
        ("It is much too early to say what caused the vessel to overturn", "It is far too early"),
    ];
    for (spun, origin) in pairs {
        let q = group_with(&a.quotes, "a05-newsbeat-spun", spun);
        let v = q.variants.iter().find(|v| v.article == "a05-newsbeat-spun").unwrap();
        assert!(v.paraphrase && !v.meaning_changed && v.translation.is_none(), "{v:?}");
        let wire = q.variants.iter().find(|v| v.article == "a01-meridian-wire");
        assert!(wire.is_some_and(|w| w.text.contains(origin)), "{spun:?} apart from a01: {q:?}");
        // The wire's copies carry the same words: no paraphrase.
        for v in q.variants.iter().filter(|v| v.text.contains(origin)) {
            assert!(!v.paraphrase, "{v:?}");
        }
    }
    // Every one of the rewrite's quotes with a speaker has its origin's wording beside it.
    for q in a.quotes.iter().filter(|q| q.speaker.is_some()) {
        let arts: Vec<&str> = q.variants.iter().map(|v| v.article.as_str()).collect();
        if arts.contains(&"a05-newsbeat-spun") {
            assert!(arts.contains(&"a01-meridian-wire"), "{q:?}");
        }
    }
    // Independent reports keep their own quotes: a09's update stands alone.
    let update = group_with(&a.quotes, "a09-vbc-toll-update", "down from 11");
    assert_eq!(update.variants.len(), 1, "{update:?}");
}
