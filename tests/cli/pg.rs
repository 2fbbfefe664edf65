//! Crash safety on PostgreSQL: `chorus ingest --db postgres://…` killed with SIGKILL at
//! random points, restarted, ends with every article stored exactly once and the stories of
//! an uninterrupted run. Needs `CHORUS_TEST_PG` (skipped without it locally, fails under
//! CI; see `chorus_pgstore::testdb`).

use std::process::Stdio;
use std::time::Instant;

use chorus_engine::store::archive::Backend;
use chorus_engine::store::conformance::partition;
use chorus_pgstore::testdb::TestDb;

use super::archive::{chorus, delays, write_stream, Dir};

/// Articles still waiting for analysis, assignment or a report.
fn pending(db: &TestDb) -> (i64, i64, i64) {
    let row = db
        .client()
        .query_one(
            "SELECT (SELECT count(*) FROM chorus_articles WHERE analyzed IS NULL),
                    (SELECT count(*) FROM chorus_articles WHERE story IS NULL),
                    (SELECT count(*) FROM chorus_stories WHERE generation > done_generation)",
            &[],
        )
        .expect("pending work");
    (row.get(0), row.get(1), row.get(2))
}

#[test]
fn sigkill_during_postgres_ingest_loses_and_duplicates_nothing() {
    const N: usize = 600;
    let Some(reference) = TestDb::create("crash reference") else { return };
    let Some(crashed) = TestDb::create("crash crashed") else { return };
    let dir = Dir::new("pg-crash");
    let input = write_stream(&dir, N, 13);

    let started = Instant::now();
    let out =
        chorus().arg("ingest").arg(&input).arg("--db").arg(reference.url()).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let full = started.elapsed();

    let mut interrupted = 0;
    for delay in delays(0x9e37, 6, full) {
        let mut child = chorus()
            .arg("ingest")
            .arg(&input)
            .arg("--db")
            .arg(crashed.url())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(delay);
        if child.try_wait().expect("poll").is_none() {
            interrupted += 1;
        }
        child.kill().ok(); // SIGKILL on Unix; an error means it had already exited.
        child.wait().expect("reap");
    }
    assert!(interrupted >= 2, "only {interrupted} of 6 runs were killed mid-ingest");
    let out =
        chorus().arg("ingest").arg(&input).arg("--db").arg(crashed.url()).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    assert_eq!(pending(&crashed), (0, 0, 0), "work left behind");
    let want = chorus_pgstore::open(reference.url()).expect("open reference");
    let got = chorus_pgstore::open(crashed.url()).expect("open crashed");
    assert_eq!(got.backend().count_articles().expect("count"), N, "each article stored once");
    let got_stories = partition(&got);
    let mut members: Vec<&String> = got_stories.values().flatten().collect();
    members.sort();
    members.dedup();
    assert_eq!(members.len(), N, "each article in exactly one story");
    assert_eq!(got_stories, partition(&want), "same stories as an uninterrupted run");
}
