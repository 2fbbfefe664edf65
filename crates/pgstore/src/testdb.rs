//! Throwaway databases for tests that need a real PostgreSQL (this crate's and the CLI's).
//!
//! The server comes from the environment: `CHORUS_TEST_PG` is the URL of a database on it
//! (`.ci/postgres.sh` starts one and exports it). Without it a test is skipped locally —
//! but under CI (`CI` set to `true` or `1`) it fails, so CI can never skip silently. Each
//! test gets its own database, dropped when the [`TestDb`] is, so tests run in parallel.

use std::sync::atomic::{AtomicUsize, Ordering};

use postgres::{Client, NoTls};

/// The environment variable naming the test server.
pub const ENV: &str = "CHORUS_TEST_PG";

/// The test server's URL; `None` (after printing that `test` is skipped) when
/// [`ENV`] is unset outside CI.
///
/// # Panics
/// Under CI without [`ENV`]: a test that needs PostgreSQL must not pass by skipping there.
pub fn server(test: &str) -> Option<String> {
    match std::env::var(ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            assert!(!ci, "{test}: {ENV} is not set under CI (source .ci/postgres.sh first)");
            eprintln!("{test}: skipped: {ENV} is not set (source .ci/postgres.sh to run it)");
            None
        }
    }
}

/// `url` with its database name replaced by `db` (any `?parameters` kept).
pub fn with_dbname(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let root = match base[authority_start..].find('/') {
        Some(i) => &base[..authority_start + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{db}?{q}"),
        None => format!("{root}/{db}"),
    }
}

/// A database of its own for one test, dropped (with any connections left) on drop.
#[derive(Debug)]
pub struct TestDb {
    server: String,
    name: String,
    url: String,
}

impl TestDb {
    /// Creates a fresh database named after `test` (and this process) on the server
    /// [`server`] returns; `None` when the test is to be skipped.
    ///
    /// # Panics
    /// When the server cannot be reached or the database cannot be made: a test setup
    /// failure.
    pub fn create(test: &str) -> Option<TestDb> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let server = self::server(test)?;
        let clean: String = test
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
            .take(30)
            .collect();
        let name = format!(
            "chorus_t_{clean}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = Client::connect(&server, NoTls)
            .unwrap_or_else(|e| panic!("{test}: cannot reach {ENV}={server}: {e}"));
        // Two statements: CREATE DATABASE cannot run inside a (multi-statement) transaction.
        for sql in [
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            format!("CREATE DATABASE {name}"),
        ] {
            admin
                .batch_execute(&sql)
                .unwrap_or_else(|e| panic!("{test}: {sql}: {}", crate::describe(&e)));
        }
        let url = with_dbname(&server, &name);
        Some(TestDb { server, name, url })
    }

    /// The URL of the test's database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A plain client on the test's database (for checks the store API does not offer).
    ///
    /// # Panics
    /// When the database cannot be reached.
    pub fn client(&self) -> Client {
        Client::connect(&self.url, NoTls)
            .unwrap_or_else(|e| panic!("cannot connect to {}: {e}", self.url))
    }
}

impl TestDb {
    /// Work the archive in this database has not finished: articles not analyzed, articles
    /// not assigned to a story, stories whose report is stale. `(0, 0, 0)` once every
    /// ingest has returned.
    ///
    /// # Panics
    /// When the database cannot be read.
    pub fn pending_work(&self) -> (i64, i64, i64) {
        let row = self
            .client()
            .query_one(
                "SELECT (SELECT count(*) FROM chorus_articles WHERE analyzed IS NULL),
                        (SELECT count(*) FROM chorus_articles WHERE story IS NULL),
                        (SELECT count(*) FROM chorus_stories WHERE generation > done_generation)",
                &[],
            )
            .unwrap_or_else(|e| panic!("reading pending work in {}: {e}", self.name));
        (row.get(0), row.get(1), row.get(2))
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = Client::connect(&self.server, NoTls) {
            let _ =
                admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::with_dbname;

    #[test]
    fn with_dbname_replaces_only_the_database() {
        let cases = [
            ("postgres://u@h:5/a", "postgres://u@h:5/b"),
            ("postgres://u@h:5", "postgres://u@h:5/b"),
            ("postgresql://u:p@h/a?sslmode=disable", "postgresql://u:p@h/b?sslmode=disable"),
            ("postgres://h/a/b", "postgres://h/b"),
        ];
        for (url, want) in cases {
            assert_eq!(with_dbname(url, "b"), want, "{url}");
        }
    }
}
