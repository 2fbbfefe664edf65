//! The archive on PostgreSQL: schema on open, idempotent ingest, listings, reports,
//! article views and full-text search.

use chorus_engine::record::Article;
use chorus_engine::store::{Store, StoreErrorKind, StoryOrder, StoryQuery};
use chorus_pgstore::testdb::TestDb;

use super::common::{corpus, partition, sequence};

#[test]
fn ingest_is_idempotent_and_everything_can_be_read_back() {
    let Some(db) = TestDb::create("idempotent") else { return };
    let store = chorus_pgstore::open(db.url()).expect("open");
    let articles = corpus();
    let n = articles.len();
    let first = store.ingest(articles.clone()).expect("first ingest");
    assert_eq!((first.added, first.duplicates), (n, 0));
    assert!(first.new_stories > 0 && first.new_stories <= first.stories.len());
    let before = partition(&db);
    let again = store.ingest(articles.clone()).expect("second ingest");
    assert_eq!((again.added, again.duplicates, again.new_stories), (0, n, 0));
    assert_eq!(partition(&db), before, "a second ingest changed the stories");
    let seqs: Vec<i64> = sequence(&db).iter().map(|x| x.0).collect();
    assert_eq!(seqs, (1..=n as i64).collect::<Vec<_>>(), "sequence numbers without gaps");

    let page = store.stories(&StoryQuery { limit: 1000, ..StoryQuery::default() }).expect("list");
    assert_eq!(page.total, before.len());
    assert_eq!(page.stories.iter().map(|s| s.articles).sum::<usize>(), n);
    let biggest = store
        .stories(&StoryQuery { order: StoryOrder::Biggest, limit: 1, ..StoryQuery::default() })
        .expect("biggest");
    let top = &biggest.stories[0];
    assert_eq!(top.articles, before.values().map(Vec::len).max().unwrap_or(0));
    let report = store.story(&top.id).expect("story").expect("the biggest story has a report");
    assert_eq!(report.id, top.id);
    assert_eq!(report.articles.len(), top.articles);
    assert!(store.story("s-no-such-story").expect("unknown story").is_none());

    let a = &articles[0];
    let view = store.article(&a.id).expect("article").expect("stored article");
    assert_eq!(view.raw, a.raw);
    for h in &view.highlights {
        assert!(view.text.get(h.start..h.end).is_some(), "{h:?} outside the text");
        assert!(view.raw.get(h.raw_start..h.raw_end).is_some(), "{h:?} outside the raw text");
    }
    assert!(store.article("no-such-article").expect("unknown article").is_none());
}

#[test]
fn search_finds_words_in_titles_and_text_and_rejects_empty_queries() {
    let Some(db) = TestDb::create("search") else { return };
    let store = chorus_pgstore::open(db.url()).expect("open");
    let mut a = Article::new("harbour", "The harbour master closed the quay after the storm.");
    a.title = Some("Quay closed".into());
    let b = Article::new("budget", "The council approved the budget for the new library.");
    let c = Article::new("nul", "A text with a NUL \0 byte about the harbour.");
    store.ingest(vec![a, b, c]).expect("ingest");
    let cases: &[(&str, &[&str])] = &[
        ("harbour", &["harbour", "nul"]),
        ("HARBOUR quay", &["harbour"]),
        ("closed", &["harbour"]),
        ("library budget", &["budget"]),
        ("volcano", &[]),
        ("quay?", &["harbour"]),
    ];
    for (q, want) in cases {
        let mut got: Vec<String> =
            store.search(q, 10).expect(q).into_iter().map(|h| h.article).collect();
        got.sort();
        assert_eq!(got, *want, "search {q:?}");
    }
    let hit = &store.search("library", 10).expect("library")[0];
    assert!(hit.snippet.contains("library"), "{hit:?}");
    assert!(hit.story.is_some() && hit.score > 0.0, "{hit:?}");
    for q in ["", "  ", "!?"] {
        let e = store.search(q, 10).expect_err(q);
        assert_eq!(e.kind(), StoreErrorKind::Invalid, "{q:?}");
    }
    let page = store
        .stories(&StoryQuery { text: Some("budget".into()), ..StoryQuery::default() })
        .expect("text filter");
    assert_eq!(page.total, 1);
    let view = store.article("nul").expect("nul").expect("stored");
    assert!(view.raw.contains('\0'), "the article itself keeps its NUL byte");
}

#[test]
fn schema_is_created_once_and_a_newer_schema_is_refused() {
    let Some(db) = TestDb::create("schema") else { return };
    // Several workers opening a new database at once create the schema once.
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let url = db.url().to_string();
            std::thread::spawn(move || chorus_pgstore::PgBackend::open(&url).map(|_| ()))
        })
        .collect();
    for h in handles {
        h.join().expect("thread").expect("concurrent open");
    }
    let version: i64 = db
        .client()
        .query_one("SELECT schema_version FROM chorus_meta", &[])
        .expect("version")
        .get(0);
    assert_eq!(version, chorus_pgstore::schema::SCHEMA_VERSION);
    db.client().execute("UPDATE chorus_meta SET schema_version = 999", &[]).expect("bump");
    let e = chorus_pgstore::open(db.url()).expect_err("newer schema");
    assert_eq!(e.kind(), StoreErrorKind::Unavailable);
    assert!(e.to_string().contains("999"), "{e}");
}

#[test]
fn unreachable_or_malformed_urls_are_clear_errors() {
    let Some(db) = TestDb::create("urls") else { return };
    let missing = chorus_pgstore::testdb::with_dbname(db.url(), "chorus_no_such_database");
    let cases = [
        (missing.as_str(), StoreErrorKind::Unavailable),
        ("postgres://127.0.0.1:1/x?connect_timeout=2", StoreErrorKind::Unavailable),
        ("postgres://host:notaport/x", StoreErrorKind::Invalid),
    ];
    for (url, kind) in cases {
        let e = chorus_pgstore::open(url).expect_err(url);
        assert_eq!(e.kind(), kind, "{url}: {e}");
    }
}

#[test]
fn postgres_passes_the_conformance_suite() {
    if chorus_pgstore::testdb::server("conformance").is_none() {
        return;
    }
    let dbs = std::sync::Mutex::new(Vec::new());
    let fresh = || -> Box<dyn Store> {
        let db = TestDb::create("conformance").expect("server checked above");
        let store = chorus_pgstore::open(db.url()).expect("open");
        dbs.lock().expect("dbs").push(db);
        Box::new(store)
    };
    chorus_engine::store::conformance::run_all(&fresh);
}
