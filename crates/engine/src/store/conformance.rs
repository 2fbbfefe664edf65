//! The store conformance suite: checks every [`Store`] implementation must pass, written
//! against `&dyn Store` so that the SQLite tests (`tests/integration/store.rs`) and the
//! PostgreSQL crate run the very same checks. Each check takes a factory of fresh, empty
//! stores and panics (with a message) when the store misbehaves: this is test support.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{Store, StoryQuery, StoryRevision, StoryStatus, StoryStatusJson};
use crate::cluster::synthetic::synthetic_stream;
use crate::record::Article;

/// Makes a fresh, empty store.
pub type Fresh<'a> = &'a dyn Fn() -> Box<dyn Store>;

/// Runs every check of the suite.
pub fn run_all(fresh: Fresh<'_>) {
    idempotent_ingest(fresh);
    same_content_other_id_is_duplicate(fresh);
    incremental_equals_all_at_once(fresh);
    batches_ingest_as_one_after_the_other(fresh);
    search_finds_words(fresh);
    story_filters(fresh);
    article_view_spans(fresh);
    unknown_ids_and_bad_queries(fresh);
    reconcile_converges_and_redirects(fresh);
    status_json_is_the_status_encoded(fresh);
}

/// A small synthetic stream (several stories, copies and rewrites among them).
pub fn stream(n: usize) -> Vec<Article> {
    synthetic_stream(n, 7)
}

/// Hand-written articles about two events, with sources, titles, dates, names and quotes.
pub fn harbour_and_election() -> Vec<Article> {
    let mk = |id: &str, source: &str, date: &str, title: &str, text: &str| {
        let mut a = Article::new(id, text);
        a.source = Some(source.into());
        a.title = Some(title.into());
        a.published = Some(date.into());
        a.date = date.parse().ok();
        a
    };
    vec![
        mk(
            "h1",
            "Gazette",
            "2024-03-04",
            "Port Ellery harbour bridge closes",
            "The harbour bridge in Port Ellery closed on Monday after inspectors found cracks.\n\
             Mayor Ilse Varga said: “We will reopen the bridge within 12 weeks.”\n\
             Engineers from Brightwater Consulting examined the span.",
        ),
        mk(
            "h2",
            "Courier",
            "2024-03-05",
            "Cracks shut Port Ellery bridge",
            "Port Ellery's harbour bridge was shut on Monday when cracks were found by inspectors.\n\
             Ilse Varga, the mayor, told reporters the bridge would reopen in 12 weeks.\n\
             Brightwater Consulting engineers are studying the damage.",
        ),
        mk(
            "h3",
            "Ledger",
            "2024-03-05",
            "Port Ellery bridge closure",
            "Inspectors closed the Port Ellery harbour bridge on Monday because of cracks.\n\
             Mayor Ilse Varga promised a reopening within 12 weeks.",
        ),
        mk(
            "e1",
            "Gazette",
            "2024-06-10",
            "Tomas Reyk wins Kessland election",
            "Tomas Reyk won the Kessland presidential election on Sunday with 54 percent.\n\
             Reyk thanked voters in Marnholt and promised new railways.",
        ),
        mk(
            "e2",
            "Courier",
            "2024-06-11",
            "Reyk elected in Kessland",
            "Kessland voters elected Tomas Reyk president on Sunday, giving him 54 percent.\n\
             In Marnholt, Reyk promised railways to cheering supporters.",
        ),
    ]
}

/// Story id → its article ids, for every story in the store.
pub fn partition(store: &dyn Store) -> BTreeMap<String, Vec<String>> {
    let q = StoryQuery { limit: 10_000, ..StoryQuery::default() };
    let page = store.stories(&q).expect("list stories");
    assert_eq!(page.total, page.stories.len(), "one page holds all stories");
    page.stories
        .iter()
        .map(|s| {
            let report = store.story(&s.id).expect("story").expect("listed story exists");
            assert_eq!(report.id, s.id);
            assert_eq!(report.articles.len(), s.articles, "summary count of {}", s.id);
            assert_eq!(report.independent_sources, s.independent_sources);
            (s.id.clone(), report.articles)
        })
        .collect()
}

/// The same input twice is stored once and changes nothing.
pub fn idempotent_ingest(fresh: Fresh<'_>) {
    let store = fresh();
    let articles = stream(48);
    let first = store.ingest(articles.clone()).expect("first ingest");
    assert_eq!(first.added, 48);
    assert_eq!(first.duplicates, 0);
    assert!(!first.stories.is_empty());
    assert_eq!(first.new_stories, first.stories.len());
    let before = partition(&*store);
    let members: usize = before.values().map(Vec::len).sum();
    assert_eq!(members, 48, "every article in exactly one story");
    let second = store.ingest(articles).expect("second ingest");
    assert_eq!((second.added, second.duplicates, second.new_stories), (0, 48, 0));
    assert!(second.stories.is_empty());
    assert_eq!(partition(&*store), before);
}

/// An article with another id but the same text (up to whitespace) is a duplicate.
pub fn same_content_other_id_is_duplicate(fresh: Fresh<'_>) {
    let store = fresh();
    let articles = harbour_and_election();
    store.ingest(articles.clone()).expect("ingest");
    let mut copy = articles[0].clone();
    copy.id = "h1-mirror".into();
    copy.raw = format!("  {}\n", copy.raw.replace('\n', "\n\n"));
    let out = store.ingest(vec![copy]).expect("ingest copy");
    assert_eq!((out.added, out.duplicates), (0, 1));
    assert!(store.article("h1-mirror").expect("article").is_none());
    // Within one call too: the second of two equal texts is the duplicate.
    let store = fresh();
    let mut twin = articles[3].clone();
    twin.id = "e1-twin".into();
    let out = store.ingest(vec![articles[3].clone(), twin]).expect("ingest twins");
    assert_eq!((out.added, out.duplicates), (1, 1));
}

/// Ingesting a stream in two halves gives the same stories (ids included) as all at once,
/// and adding articles never renames a story.
pub fn incremental_equals_all_at_once(fresh: Fresh<'_>) {
    let articles = stream(96);
    let whole = fresh();
    whole.ingest(articles.clone()).expect("ingest all");
    let halves = fresh();
    halves.ingest(articles[..40].to_vec()).expect("first half");
    let early = partition(&*halves);
    halves.ingest(articles[40..].to_vec()).expect("second half");
    let late = partition(&*halves);
    assert_eq!(late, partition(&*whole), "two halves == all at once");
    for (id, members) in &early {
        let now = late.get(id).unwrap_or_else(|| panic!("story {id} was renamed or lost"));
        assert!(now.starts_with(members), "story {id} lost articles");
    }
}

/// Batches ingested together ([`Store::ingest_batches`]) are stored as one after the other
/// would be, with the same stories; each batch gets its own counts and stories, and an
/// invalid batch its own error.
pub fn batches_ingest_as_one_after_the_other(fresh: Fresh<'_>) {
    let articles = stream(40);
    let sequential = fresh();
    for chunk in articles.chunks(10) {
        sequential.ingest(chunk.to_vec()).expect("ingest chunk");
    }
    let mut batches: Vec<Vec<Article>> = articles.chunks(10).map(<[Article]>::to_vec).collect();
    batches[2].push(articles[0].clone());
    batches.push(vec![Article::new(" ", "an article without an id")]);
    let together = fresh();
    let out = together.ingest_batches(batches.clone()).expect("store");
    assert_eq!(out.len(), 5);
    let expected = partition(&*sequential);
    assert_eq!(partition(&*together), expected, "together == one after the other");
    let story_of: BTreeMap<&str, &str> = expected
        .iter()
        .flat_map(|(s, members)| members.iter().map(move |a| (a.as_str(), s.as_str())))
        .collect();
    let mut opened = 0;
    for (i, batch) in batches.iter().enumerate().take(4) {
        let o = out[i].as_ref().expect("valid batch");
        assert_eq!((o.added, o.duplicates), (10, usize::from(i == 2)), "batch {i}");
        let mut want: Vec<&str> = batch[..10].iter().map(|a| story_of[a.id.as_str()]).collect();
        want.sort_unstable();
        want.dedup();
        assert_eq!(o.stories, want, "batch {i}'s stories");
        opened += o.new_stories;
    }
    assert_eq!(opened, expected.len(), "each story opened by exactly one batch");
    let bad = out[4].as_ref().map(|_| ()).map_err(|e| e.kind());
    assert_eq!(bad, Err(super::StoreErrorKind::Invalid));
}

/// Full-text search finds articles by their words, best first, with their story.
pub fn search_finds_words(fresh: Fresh<'_>) {
    let store = fresh();
    store.ingest(harbour_and_election()).expect("ingest");
    let hits = store.search("railways", 10).expect("search");
    let ids: Vec<&str> = hits.iter().map(|h| h.article.as_str()).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids.contains(&"e1") && ids.contains(&"e2"), "{ids:?}");
    assert!(hits.iter().all(|h| h.story.is_some() && !h.snippet.is_empty()));
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score), "best first");
    let both = store.search("bridge cracks", 10).expect("search");
    assert!(both.iter().all(|h| h.article.starts_with('h')), "{both:?}");
    assert_eq!(store.search("railways", 1).expect("search").len(), 1, "limit");
    assert!(store.search("zyxxyqq", 10).expect("search").is_empty());
    // Query syntax characters are words, not errors.
    store.search("bridge AND \"(cracks* OR", 10).expect("hostile query");
}

/// Story listings filter by date, entity and text, and page.
pub fn story_filters(fresh: Fresh<'_>) {
    let store = fresh();
    store.ingest(harbour_and_election()).expect("ingest");
    let all = partition(&*store);
    let story_of = |article: &str| {
        all.iter().find(|(_, m)| m.iter().any(|a| a == article)).map(|(id, _)| id.clone())
    };
    let harbour = story_of("h1").expect("h1 in a story");
    let election = story_of("e1").expect("e1 in a story");
    assert_ne!(harbour, election);
    let ids = |q: StoryQuery| -> Vec<String> {
        store.stories(&q).expect("stories").stories.into_iter().map(|s| s.id).collect()
    };
    let date = |s: &str| s.parse::<NaiveDate>().ok();
    let june = ids(StoryQuery { since: date("2024-06-01"), ..StoryQuery::default() });
    assert!(june.contains(&election) && !june.contains(&harbour), "{june:?}");
    let spring = ids(StoryQuery { until: date("2024-04-01"), ..StoryQuery::default() });
    assert!(spring.contains(&harbour) && !spring.contains(&election), "{spring:?}");
    let later = ids(StoryQuery { since: date("2030-01-01"), ..StoryQuery::default() });
    assert!(later.is_empty());
    let text = ids(StoryQuery { text: Some("railways".into()), ..StoryQuery::default() });
    assert_eq!(text, vec![election.clone()]);
    let entity = ids(StoryQuery { entity: Some("ilse varga".into()), ..StoryQuery::default() });
    assert_eq!(entity, vec![harbour.clone()]);
    let newest = store.stories(&StoryQuery::default()).expect("stories");
    assert_eq!(newest.stories.first().map(|s| s.id.clone()), Some(election.clone()));
    assert_eq!(newest.stories.first().map(|s| s.updated.as_str()), Some("2024-06-11"));
    let paged =
        store.stories(&StoryQuery { limit: 1, offset: 1, ..StoryQuery::default() }).expect("page");
    assert_eq!(paged.total, all.len());
    assert_eq!(paged.stories.len(), 1);
    assert_eq!(paged.stories[0].id, newest.stories[1].id);
}

/// The article view's highlights point at well-formed spans of both texts.
pub fn article_view_spans(fresh: Fresh<'_>) {
    let store = fresh();
    let mut articles = harbour_and_election();
    articles[1].raw = articles[1].raw.replace("mayor,", "mayor,\u{a0}Ã©tÃ©");
    store.ingest(articles.clone()).expect("ingest");
    for a in &articles {
        let view = store.article(&a.id).expect("article").expect("stored");
        assert_eq!(view.raw, a.raw);
        assert_eq!(view.report.id, a.id);
        assert!(view.story.is_some());
        assert!(!view.highlights.is_empty(), "{} has entities", a.id);
        for h in &view.highlights {
            assert!(h.start <= h.end && h.raw_start <= h.raw_end, "{h:?}");
            assert!(view.text.get(h.start..h.end).is_some(), "{} text span {h:?}", a.id);
            assert!(view.raw.get(h.raw_start..h.raw_end).is_some(), "{} raw span {h:?}", a.id);
        }
        assert!(view.highlights.windows(2).all(|w| w[0].start <= w[1].start), "sorted");
    }
    let view = store.article("h1").expect("article").expect("stored");
    let shown: Vec<(&str, &str)> = view
        .highlights
        .iter()
        .map(|h| (h.kind.as_str(), view.text.get(h.start..h.end).unwrap_or("")))
        .collect();
    assert!(shown.iter().any(|(k, t)| *k == "person" && t.contains("Varga")), "{shown:?}");
    assert!(shown.iter().any(|(k, t)| *k == "quote" && t.contains("12 weeks")), "{shown:?}");
}

/// Unknown ids are `None`; bad queries are `Invalid` errors, not panics.
pub fn unknown_ids_and_bad_queries(fresh: Fresh<'_>) {
    use super::StoreErrorKind;
    let store = fresh();
    assert!(store.story("s-nothing").expect("story").is_none());
    assert!(store.article("nothing").expect("article").is_none());
    assert_eq!(store.stories(&StoryQuery::default()).expect("empty").total, 0);
    let empty = store.search("  ", 10).expect_err("empty query");
    assert_eq!(empty.kind(), StoreErrorKind::Invalid);
    let punct = store.search("!!! ???", 10).expect_err("no words");
    assert_eq!(punct.kind(), StoreErrorKind::Invalid);
    let no_id = store.ingest(vec![Article::new(" ", "text")]).expect_err("no id");
    assert_eq!(no_id.kind(), StoreErrorKind::Invalid);
    assert_eq!(store.ingest(vec![]).expect("nothing").added, 0);
}

/// A reconcile pass gives the same stories whenever it runs (after everything, or also in
/// between), runs once per state, keeps every article in exactly one listed story, and a
/// story that lost all its articles redirects to a listed story.
pub fn reconcile_converges_and_redirects(fresh: Fresh<'_>) {
    let articles = stream(96);
    let whole = fresh();
    whole.ingest(articles.clone()).expect("ingest all");
    let online = partition(&*whole);
    let done = whole.reconcile().expect("reconcile");
    assert!(done.ran);
    while whole.synthesize_pending(64).expect("synthesize") > 0 {}
    let again = whole.reconcile().expect("reconcile again");
    assert!(!again.ran, "nothing new to reconcile");
    let after = partition(&*whole);
    assert_eq!(after.values().map(Vec::len).sum::<usize>(), 96, "every article in one story");
    for (id, members) in &online {
        match whole.story_status(id).expect("status").expect("a seen story stays known") {
            StoryStatus::Ready { stale, .. } => assert!(!stale, "{id} resynthesized"),
            StoryStatus::Merged { into } => {
                assert!(after.contains_key(&into), "{id} redirects to a listed story");
                let moved = whole.article(&members[0]).expect("article").expect("stored");
                assert_eq!(moved.story.as_deref(), Some(into.as_str()));
                let report = whole.story(id).expect("story").expect("follows the redirect");
                assert_eq!(report.id, into);
            }
            StoryStatus::Pending => panic!("{id} left without a report"),
        }
    }
    // Reconciling half-way too changes nothing in the end.
    let halves = fresh();
    halves.ingest(articles[..40].to_vec()).expect("first half");
    halves.reconcile().expect("reconcile half");
    halves.ingest(articles[40..].to_vec()).expect("second half");
    halves.reconcile().expect("reconcile all");
    while halves.synthesize_pending(64).expect("synthesize") > 0 {}
    assert_eq!(partition(&*halves), after, "reconciled in between == reconciled once");
}

/// [`Store::story_status_json`] answers what [`Store::story_status`] does, its report as the
/// compact JSON a re-encoding of the decoded report gives (byte for byte), for pending,
/// ready (fresh and stale), merged and unknown stories.
pub fn status_json_is_the_status_encoded(fresh: Fresh<'_>) {
    let store = fresh();
    let articles = stream(96);
    store.ingest(articles[..60].to_vec()).expect("ingest");
    let mut ids: Vec<String> = partition(&*store).into_keys().collect();
    ids.push("no-such-story".into());
    // Every report seen under each (story, revision): one text per revision.
    let revisions = std::cell::RefCell::new(BTreeMap::<(String, u64), String>::new());
    let check = |ids: &[String]| {
        let mut seen = [0usize; 3];
        for id in ids {
            let status = store.story_status(id).expect("status");
            let json = store.story_status_json(id).expect("status json");
            let revision = store.story_revision(id).expect("revision");
            match (&json, revision) {
                (None, None) | (Some(StoryStatusJson::Pending), Some(StoryRevision::Pending)) => {}
                (
                    Some(StoryStatusJson::Merged { into }),
                    Some(StoryRevision::Merged { into: to }),
                ) => {
                    assert_eq!(into, &to, "{id}: redirect of the revision");
                }
                (
                    Some(StoryStatusJson::Ready { json, stale }),
                    Some(StoryRevision::Ready { revision, stale: stale_rev }),
                ) => {
                    assert_eq!(*stale, stale_rev, "{id}: stale flag of the revision");
                    let mut known = revisions.borrow_mut();
                    let text = known.entry((id.clone(), revision)).or_insert_with(|| json.clone());
                    assert!(text == json, "{id}: revision {revision} stands for two reports");
                }
                (a, b) => panic!("{id}: status json {a:?} but revision {b:?}"),
            }
            match (status, json) {
                (None, None) => {}
                (Some(StoryStatus::Pending), Some(StoryStatusJson::Pending)) => seen[0] += 1,
                (
                    Some(StoryStatus::Ready { report, stale }),
                    Some(StoryStatusJson::Ready { json, stale: stale_json }),
                ) => {
                    assert_eq!(stale, stale_json, "{id}: stale flags");
                    let encoded = serde_json::to_string(&report).expect("encode");
                    assert_eq!(json, encoded, "{id}: stored JSON == re-encoded report");
                    seen[1] += 1;
                }
                (
                    Some(StoryStatus::Merged { into }),
                    Some(StoryStatusJson::Merged { into: to }),
                ) => {
                    assert_eq!(into, to, "{id}: redirect");
                    seen[2] += 1;
                }
                (a, b) => panic!("{id}: status {a:?} but status json {b:?}"),
            }
        }
        seen
    };
    check(&ids);
    while store.synthesize_pending(64).expect("synthesize") > 0 {}
    assert!(check(&ids)[1] > 0, "synthesized stories are ready");
    store.ingest(articles[60..].to_vec()).expect("more");
    store.reconcile().expect("reconcile");
    ids.extend(partition(&*store).into_keys());
    ids.sort();
    ids.dedup();
    check(&ids);
    while store.synthesize_pending(64).expect("synthesize") > 0 {}
    check(&ids);
    let mut per_story = BTreeMap::<String, usize>::new();
    for (id, _) in revisions.borrow().keys() {
        *per_story.entry(id.clone()).or_default() += 1;
    }
    assert!(per_story.values().any(|&n| n > 1), "a rebuilt report comes with a new revision");
    // The story page's batch read is the per-article one, in order, unknown ids skipped.
    let mut wanted: Vec<String> = articles.iter().rev().map(|a| a.id.clone()).collect();
    wanted.insert(3, "no-such-article".into());
    let one_by_one: Vec<_> =
        wanted.iter().filter_map(|id| store.article(id).expect("article")).collect();
    assert_eq!(one_by_one.len(), articles.len());
    assert_eq!(store.articles(&wanted).expect("articles"), one_by_one);
    let reports: Vec<_> = one_by_one.into_iter().map(|v| v.report).collect();
    assert_eq!(store.article_reports(&wanted).expect("article reports"), reports);
}
