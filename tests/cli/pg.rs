//! Crash safety on PostgreSQL: `chorus ingest --db postgres://…` killed with SIGKILL at
//! random points, restarted, ends with every article stored exactly once and the stories of
//! an uninterrupted run. Needs `CHORUS_TEST_PG` (skipped without it locally, fails under
//! CI; see `chorus_pgstore::testdb`).

use std::ffi::OsStr;

use chorus_engine::store::archive::Backend;
use chorus_pgstore::testdb::TestDb;

use super::archive::{assert_same_archive, ingest_with_kills, Dir};

#[test]
fn sigkill_during_postgres_ingest_loses_and_duplicates_nothing() {
    const N: usize = 600;
    let Some(reference) = TestDb::create("crash reference") else { return };
    let Some(crashed) = TestDb::create("crash crashed") else { return };
    let dir = Dir::new("pg-crash");
    ingest_with_kills(&dir, N, 13, OsStr::new(reference.url()), OsStr::new(crashed.url()));
    assert_eq!(crashed.pending_work(), (0, 0, 0), "work left behind");
    let want = chorus_pgstore::open(reference.url()).expect("open reference");
    let got = chorus_pgstore::open(crashed.url()).expect("open crashed");
    assert_same_archive(&got, got.backend().count_articles().expect("count"), &want, N);
}
