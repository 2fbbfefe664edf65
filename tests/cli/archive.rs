//! The archive commands as a user runs them (`ingest`, `stories`, `show`, `search`), and
//! crash safety: `chorus ingest` killed with SIGKILL at random points, restarted, ends with
//! every article stored exactly once and the stories of an uninterrupted run.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chorus_engine::cluster::synthetic::synthetic_stream;
use chorus_engine::store::archive::Backend;
use chorus_engine::store::conformance::partition;
use chorus_engine::store::sqlite::SqliteStore;
use chorus_engine::store::Store;

pub(super) fn chorus() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chorus"));
    c.env_remove("CHORUS_DB");
    c
}

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/corpus")
}

/// A fresh temp directory, removed on drop.
pub(super) struct Dir(PathBuf);

impl Dir {
    pub(super) fn new(name: &str) -> Dir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("chorus-archive-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Dir(dir)
    }
    pub(super) fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(args: &[&str], db: &Path) -> Output {
    chorus().args(args).arg("--db").arg(db).output().expect("run chorus")
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn ingest_is_idempotent_and_the_archive_answers() {
    let dir = Dir::new("cli");
    let db = dir.path("a.db");
    let input = corpus();
    let input = input.to_str().expect("utf-8 path");
    let first = stdout(&run(&["ingest", input], &db));
    assert!(first.starts_with("added 18 articles, 0 duplicates;"), "{first}");
    let again = stdout(&run(&["ingest", input], &db));
    assert!(again.starts_with("added 0 articles, 18 duplicates; 0 stories"), "{again}");

    let listing: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["stories", "--format", "json"], &db))).expect("json");
    let stories = listing["stories"].as_array().expect("stories");
    assert_eq!(listing["total"].as_u64(), Some(stories.len() as u64));
    let total: u64 = stories.iter().filter_map(|s| s["articles"].as_u64()).sum();
    assert_eq!(total, 18, "every article in one story");
    let biggest = stdout(&run(&["stories", "--order", "biggest", "--limit", "1"], &db));
    assert_eq!(biggest.lines().count(), 2, "one story and the 'n of m' line: {biggest}");
    let id = stories[0]["id"].as_str().expect("id");

    let shown: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["show", id, "--format", "json"], &db))).expect("json");
    assert_eq!(shown["stories"][0]["id"].as_str(), Some(id));
    assert_eq!(
        shown["articles"].as_array().map(Vec::len),
        shown["stories"][0]["articles"].as_array().map(Vec::len)
    );
    let html = stdout(&run(&["show", id, "--format", "html"], &db));
    assert!(html.contains("<html"), "html page");
    let missing = run(&["show", "s-no-such-story"], &db);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("s-no-such-story"));

    let hits: serde_json::Value = serde_json::from_str(&stdout(&run(
        &["search", "ferry", "--format", "json", "--limit", "3"],
        &db,
    )))
    .expect("json");
    let hits = hits["hits"].as_array().expect("hits");
    assert!(!hits.is_empty() && hits.len() <= 3);
    assert!(hits.iter().all(|h| h["snippet"].as_str().is_some_and(|s| !s.is_empty())));
    let filtered =
        stdout(&run(&["stories", "--search", "Brightfold", "--since", "2026-01-01"], &db));
    assert_eq!(filtered.lines().count(), 1, "{filtered}");
    assert!(filtered.contains("Brightfold"), "{filtered}");
}

#[test]
fn db_from_env_partial_success_and_postgres_hook() {
    let dir = Dir::new("env");
    let db = dir.path("env.db");
    std::fs::write(dir.path("good.txt"), "The council voted on Monday to close the bridge.")
        .expect("write");
    std::fs::write(dir.path("bad.txt"), [0u8, 1, 2, 3, 0, 0, 255, 0]).expect("write");
    let out = chorus()
        .args(["ingest", "--date", "2024-05-01"])
        .arg(&dir.0)
        .env("CHORUS_DB", &db)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "partial success: {stderr}");
    assert!(stderr.contains("bad.txt"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("added 1 articles"));
    assert!(db.exists(), "CHORUS_DB names the archive");
    let listed = chorus().args(["stories"]).env("CHORUS_DB", &db).output().expect("run");
    assert!(stdout(&listed).contains("2024-05-01"), "--date applied");
    let pg =
        chorus().args(["stories", "--db", "postgres://localhost/chorus"]).output().expect("run");
    assert_eq!(pg.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&pg.stderr).contains("PostgreSQL"));
}

/// Pseudo-random kill delays: the `i`-th within `full × 0.7^i × [0.05, 0.65)`, since each
/// restart has less left to do than the one before.
pub(super) fn delays(seed: u64, n: usize, full: Duration) -> Vec<Duration> {
    let mut x = seed;
    (0..n)
        .map(|i| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let frac = (x >> 33) as f64 / (1u64 << 31) as f64;
            full.mul_f64((0.05 + 0.6 * frac) * 0.7f64.powi(i as i32))
        })
        .collect()
}

/// Writes `n` synthetic articles (seed `seed`) as `stream.jsonl` in `dir`.
pub(super) fn write_stream(dir: &Dir, n: usize, seed: u64) -> PathBuf {
    let input = dir.path("stream.jsonl");
    let lines: Vec<String> = synthetic_stream(n, seed)
        .into_iter()
        .map(|a| {
            serde_json::json!({
                "id": a.id, "text": a.raw, "title": a.title, "source": a.source,
                "published": a.published,
            })
            .to_string()
        })
        .collect();
    std::fs::write(&input, lines.join("\n") + "\n").expect("corpus");
    input
}

/// The crash scenario for any archive: ingests `n` synthetic articles (seed `seed`) into
/// `reference` uninterrupted, then into `crashed` through runs SIGKILLed at pseudo-random
/// points (up to six of them mid-ingest, at least two) and one run to the end.
pub(super) fn ingest_with_kills(
    dir: &Dir,
    n: usize,
    seed: u64,
    reference: &OsStr,
    crashed: &OsStr,
) {
    let input = write_stream(dir, n, seed);
    let ingest = |db: &OsStr| {
        let mut c = chorus();
        c.arg("ingest").arg(&input).arg("--db").arg(db);
        c
    };
    let started = Instant::now();
    let out = ingest(reference).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let full = started.elapsed();

    // Up to 12 runs, until 6 were killed mid-ingest. A run that finished before its kill
    // halves the delays after it: on a loaded machine the reference time says little, and
    // each restart has less left to do, so the kills move earlier until they land.
    let (mut interrupted, mut scale) = (0, 1.0);
    for delay in delays(seed ^ 0x5eed, 12, full) {
        if interrupted == 6 {
            break;
        }
        let mut child =
            ingest(crashed).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn");
        std::thread::sleep(delay.mul_f64(scale));
        if child.try_wait().expect("poll").is_none() {
            interrupted += 1;
        } else {
            scale *= 0.5;
        }
        child.kill().ok(); // SIGKILL on Unix; an error means it had already exited.
        child.wait().expect("reap");
    }
    assert!(interrupted >= 2, "only {interrupted} runs were killed mid-ingest");
    let out = ingest(crashed).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Checks that `got` (holding `stored` articles) has each of `n` articles once, each in
/// one story, and the stories of `want`.
pub(super) fn assert_same_archive(got: &dyn Store, stored: usize, want: &dyn Store, n: usize) {
    assert_eq!(stored, n, "each article stored once");
    let got_stories = partition(got);
    let mut members: Vec<&String> = got_stories.values().flatten().collect();
    members.sort();
    members.dedup();
    assert_eq!(members.len(), n, "each article in exactly one story");
    assert_eq!(got_stories, partition(want), "same stories as an uninterrupted run");
}

#[test]
fn sigkill_during_ingest_loses_and_duplicates_nothing() {
    const N: usize = 1000;
    let dir = Dir::new("crash");
    let (reference, crashed) = (dir.path("reference.db"), dir.path("crashed.db"));
    ingest_with_kills(&dir, N, 11, reference.as_os_str(), crashed.as_os_str());
    let want = SqliteStore::open(&reference).expect("open reference");
    let got = SqliteStore::open(&crashed).expect("open crashed");
    assert_same_archive(&got, got.backend().count_articles().expect("count"), &want, N);
}
