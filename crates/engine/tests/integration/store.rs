//! The store conformance suite (`store::conformance`) against the SQLite backend, plus
//! SQLite-specific checks: reopening, schema versions, concurrent readers.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use chorus_engine::store::conformance;
use chorus_engine::store::sqlite::SqliteStore;
use chorus_engine::store::{Store, StoreErrorKind, StoryQuery};

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "chorus-store-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
    fn db(&self) -> PathBuf {
        self.0.join("archive.db")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn sqlite_passes_the_conformance_suite() {
    let dirs = std::sync::Mutex::new(Vec::new());
    let fresh = || -> Box<dyn Store> {
        let dir = TempDir::new();
        let store = SqliteStore::open(dir.db()).expect("open");
        dirs.lock().expect("dirs").push(dir);
        Box::new(store)
    };
    conformance::run_all(&fresh);
}

#[test]
fn reopened_archive_keeps_everything_and_continues() {
    let dir = TempDir::new();
    let articles = conformance::stream(64);
    let before = {
        let store = SqliteStore::open(dir.db()).expect("open");
        store.ingest(articles[..32].to_vec()).expect("ingest");
        conformance::partition(&store)
    };
    let store = SqliteStore::open(dir.db()).expect("reopen");
    assert_eq!(conformance::partition(&store), before);
    let out = store.ingest(articles.clone()).expect("ingest rest");
    assert_eq!((out.added, out.duplicates), (32, 32));
    let fresh_dir = TempDir::new();
    let whole = SqliteStore::open(fresh_dir.db()).expect("open");
    whole.ingest(articles).expect("ingest all");
    assert_eq!(conformance::partition(&store), conformance::partition(&whole));
}

#[test]
fn foreign_or_newer_files_are_refused() {
    let dir = TempDir::new();
    let path = dir.db();
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch("CREATE TABLE other (x); PRAGMA user_version = 0;").expect("schema");
    }
    let err = SqliteStore::open(&path).expect_err("foreign file");
    assert_eq!(err.kind(), StoreErrorKind::Unavailable);
    let newer = dir.0.join("newer.db");
    SqliteStore::open(&newer).expect("create");
    {
        let conn = rusqlite::Connection::open(&newer).expect("open");
        conn.execute_batch("PRAGMA user_version = 99;").expect("bump");
    }
    let err = SqliteStore::open(&newer).expect_err("newer schema");
    assert_eq!(err.kind(), StoreErrorKind::Unavailable);
    assert!(err.to_string().contains("99"), "{err}");
    std::fs::write(dir.0.join("junk.db"), b"not a database at all, just bytes").expect("write");
    let err = SqliteStore::open(dir.0.join("junk.db")).expect_err("junk");
    assert_eq!(err.kind(), StoreErrorKind::Unavailable);
}

#[test]
fn readers_run_while_a_writer_ingests() {
    let dir = TempDir::new();
    let store = SqliteStore::open(dir.db()).expect("open");
    let articles = conformance::stream(160);
    store.ingest(articles[..40].to_vec()).expect("seed");
    std::thread::scope(|s| {
        let writer = s.spawn(|| store.ingest(articles[40..].to_vec()).expect("ingest"));
        for _ in 0..20 {
            let page = store.stories(&StoryQuery::default()).expect("read during write");
            assert!(page.total > 0);
            store.search("the", 5).expect("search during write");
        }
        assert_eq!(writer.join().expect("writer").added, 120);
    });
}

/// The archive (online assignment only, no end-of-stream passes) tells the example corpus's
/// stories as the answer key has them: the independent local report (a08) and the later toll
/// update (a09) join the ferry story through the names they share with it.
#[test]
fn archive_stories_of_the_example_corpus_match_the_answer_key() {
    let dir = TempDir::new();
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    let ingested = chorus_engine::ingest::read_inputs(&[corpus]);
    let store = SqliteStore::open(dir.db()).expect("open");
    store.ingest(ingested.articles).expect("ingest");
    let page = store.stories(&StoryQuery::default()).expect("stories");
    let mut sizes: Vec<(usize, usize)> =
        page.stories.iter().map(|s| (s.articles, s.independent_sources)).collect();
    sizes.sort();
    assert_eq!(sizes, vec![(3, 2), (5, 4), (10, 4)]);
}

/// The stored clusterer snapshot and the state version (rusqlite, beside the store).
fn cluster_state(db: &std::path::Path) -> (i64, Vec<u8>) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row("SELECT version, snapshot FROM cluster_state WHERE k = 1", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .expect("cluster state")
}

/// Small writes from fresh processes (a cold clusterer each time: the snapshot decoded and
/// the assignments after it replayed) give the stories of one ingest of everything, whether
/// the snapshot is rewritten along the way or never after the first step.
#[test]
fn cold_starts_replay_the_assignments_after_the_snapshot() {
    let articles = conformance::stream(60);
    let whole_dir = TempDir::new();
    let whole = SqliteStore::open(whole_dir.db()).expect("open");
    whole.ingest(articles.clone()).expect("ingest all");
    let expected = conformance::partition(&whole);
    let cases = [(10, true), (1000, false)];
    for (every, rewritten) in cases {
        let dir = TempDir::new();
        let mut first = None;
        for chunk in articles.chunks(7) {
            let store = SqliteStore::open(dir.db()).expect("open").with_snapshot_every(every);
            store.ingest(chunk.to_vec()).expect("ingest chunk");
            first.get_or_insert_with(|| cluster_state(&dir.db()));
        }
        let store = SqliteStore::open(dir.db()).expect("reopen");
        assert_eq!(conformance::partition(&store), expected, "snapshot every {every}");
        let (v0, snap0) = first.expect("a first step");
        let (v, snap) = cluster_state(&dir.db());
        assert_eq!((v0, v), (1, articles.chunks(7).count() as i64), "one step per chunk");
        assert_eq!(snap != snap0, rewritten, "snapshot every {every}");
    }
}

/// A log that the snapshot does not replay into the stored stories is refused, not
/// silently continued with different stories.
#[test]
fn a_replay_that_diverges_is_refused() {
    let articles = conformance::stream(24);
    let dir = TempDir::new();
    SqliteStore::open(dir.db()).expect("open").ingest(articles[..12].to_vec()).expect("first");
    SqliteStore::open(dir.db()).expect("open").ingest(articles[12..20].to_vec()).expect("second");
    {
        let conn = rusqlite::Connection::open(dir.db()).expect("open");
        conn.execute("UPDATE articles SET story = 's-elsewhere' WHERE seq = 15", [])
            .expect("tamper");
    }
    let store = SqliteStore::open(dir.db()).expect("open");
    let err = store.ingest(articles[20..].to_vec()).expect_err("diverged log");
    assert_eq!(err.kind(), StoreErrorKind::Unavailable);
    assert!(err.to_string().contains("diverged"), "{err}");
}
