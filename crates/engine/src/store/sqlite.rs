//! The SQLite backend: the archive in one file (WAL), full-text search with FTS5, schema
//! versioned with `PRAGMA user_version`.
//!
//! Every [`Backend`] method is one transaction (`BEGIN IMMEDIATE` for writes), so a process
//! killed at any point leaves each article stored exactly once or not at all, and the
//! pending work (analysis, assignment, synthesis) is found again by the next ingest. Writes
//! go through one connection behind a mutex (other processes wait on SQLite's lock up to
//! [`BUSY_TIMEOUT`]); reads use a small pool of separate connections, which WAL lets run
//! while a write is under way.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior};

use super::archive::{
    AnalysisRow, Archive, ArticleRow, AssignFn, AssignStep, Backend, ClusterState, DirtyStory,
    Inserted, NewArticle, PlacedRow, ReconcileFn, ReconcilePlan, RevisionRecord, StoryRecord,
    StoryRow,
};
use super::{SearchHit, StoreError, StoryPage, StoryQuery, StorySummary};
use crate::record::Article;

/// The schema version this code reads and writes.
pub const SCHEMA_VERSION: i64 = 2;

/// How long a writer waits for another process's write lock before [`StoreError::Busy`].
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// Read connections kept for reuse.
const READ_POOL: usize = 8;

const SCHEMA: &str = "
CREATE TABLE articles (
    seq      INTEGER PRIMARY KEY,
    id       TEXT NOT NULL UNIQUE,
    hash     TEXT NOT NULL UNIQUE,
    article  TEXT NOT NULL,
    analyzed TEXT,
    story    TEXT,
    why      TEXT
);
CREATE INDEX articles_story ON articles(story, seq) WHERE story IS NOT NULL;
CREATE INDEX articles_unanalyzed ON articles(seq) WHERE analyzed IS NULL;
CREATE INDEX articles_unassigned ON articles(seq) WHERE story IS NULL;
CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE cluster_state (
    k        INTEGER PRIMARY KEY CHECK (k = 1),
    version  INTEGER NOT NULL,
    snapshot BLOB NOT NULL
);
CREATE TABLE stories (
    id                  TEXT PRIMARY KEY,
    generation          INTEGER NOT NULL,
    done_generation     INTEGER NOT NULL DEFAULT 0,
    headline            TEXT,
    articles            INTEGER,
    independent_sources INTEGER,
    updated             TEXT,
    outlets             TEXT,
    first               TEXT,
    last                TEXT,
    report              TEXT
);
CREATE INDEX stories_dirty ON stories(id) WHERE generation > done_generation;
CREATE INDEX stories_updated ON stories(updated DESC, id);
CREATE INDEX stories_biggest ON stories(articles DESC, updated DESC, id);
CREATE TABLE story_entities (
    name  TEXT NOT NULL,
    story TEXT NOT NULL,
    PRIMARY KEY (name, story)
) WITHOUT ROWID;
";

/// Schema version 1 → 2: reconcile passes ([`super::Store::reconcile`]). `online` keeps the
/// clusterer's story of an article when a pass moved it (the replay reproduces that one),
/// `merged_into` redirects an absorbed story, `reconciled` is the state version last
/// reconciled, `story_events` records the merges and splits.
const MIGRATE_2: &str = "
ALTER TABLE articles ADD COLUMN online TEXT;
ALTER TABLE stories ADD COLUMN merged_into TEXT;
ALTER TABLE cluster_state ADD COLUMN reconciled INTEGER NOT NULL DEFAULT 0;
CREATE TABLE story_events (
    n       INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    story   TEXT NOT NULL,
    other   TEXT NOT NULL
);
CREATE INDEX story_events_story ON story_events(story, n);
";

/// Indexes added after schema version 1 was released: created by [`SqliteBackend::open`]
/// when missing (an index changes no answer, so the version stays).
///
/// `articles_seq_story` maps a full-text hit (an article's `seq`) to its story without
/// reading the article row, whose `story` column sits behind the article and analysis
/// JSON on overflow pages: the story listing's text filter went from 1.0 s to a few ms on
/// 57,000 articles.
const INDEXES: &str = "
CREATE INDEX IF NOT EXISTS articles_seq_story ON articles(seq, story);
";

/// The SQLite persistence of an archive (see the module docs).
#[derive(Debug)]
pub struct SqliteBackend {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

/// The archive on SQLite.
pub type SqliteStore = Archive<SqliteBackend>;

impl Archive<SqliteBackend> {
    /// Opens (creating if needed) the archive file at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        Ok(Archive::new(SqliteBackend::open(path)?))
    }
}

/// The default archive file: `$XDG_DATA_HOME/chorus/archive.db`, else
/// `$HOME/.local/share/chorus/archive.db`; `None` when neither variable is set.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".local").join("share"))
        })?;
    Some(base.join("chorus").join("archive.db"))
}

fn db_err(e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            StoreError::Busy(e.to_string())
        }
        Some(ErrorCode::NotADatabase | ErrorCode::CannotOpen | ErrorCode::ReadOnly) => {
            StoreError::Unavailable(e.to_string())
        }
        _ => StoreError::Database(e.to_string()),
    }
}

fn json_err(what: &str, e: serde_json::Error) -> StoreError {
    StoreError::Database(format!("{what}: {e}"))
}

/// A user's search text as a safe FTS5 query: its words, each quoted, all required.
/// `None` when it has no word.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(32)
        .map(|w| format!("\"{w}\""))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

impl SqliteBackend {
    /// Opens (creating if needed) the archive file at `path` and checks its schema.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteBackend, StoreError> {
        let path = path.as_ref().to_path_buf();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Unavailable(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let mut writer = Connection::open(&path)
            .map_err(|e| StoreError::Unavailable(format!("cannot open {}: {e}", path.display())))?;
        configure(&writer)?;
        writer.pragma_update(None, "journal_mode", "WAL").map_err(db_err)?;
        writer.pragma_update(None, "synchronous", "NORMAL").map_err(db_err)?;
        let tx =
            writer.transaction_with_behavior(TransactionBehavior::Immediate).map_err(db_err)?;
        let version: i64 =
            tx.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(db_err)?;
        match version {
            0 => {
                let tables: i64 = tx
                    .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
                    .map_err(db_err)?;
                if tables > 0 {
                    return Err(StoreError::Unavailable(format!(
                        "{} is an SQLite file but not a chorus archive",
                        path.display()
                    )));
                }
                tx.execute_batch(SCHEMA).map_err(db_err)?;
                tx.execute_batch(MIGRATE_2).map_err(db_err)?;
                tx.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(db_err)?;
            }
            1 => {
                tx.execute_batch(MIGRATE_2).map_err(db_err)?;
                tx.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(db_err)?;
            }
            SCHEMA_VERSION => {}
            v => {
                return Err(StoreError::Unavailable(format!(
                    "{} has archive schema version {v}; this chorus reads version {SCHEMA_VERSION}",
                    path.display()
                )))
            }
        }
        tx.execute_batch(INDEXES).map_err(db_err)?;
        tx.commit().map_err(db_err)?;
        Ok(SqliteBackend { path, writer: Mutex::new(writer), readers: Mutex::new(Vec::new()) })
    }

    /// The archive file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on the write connection.
    fn write<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self
            .writer
            .lock()
            .map_err(|_| StoreError::Database("write connection poisoned".into()))?;
        f(&mut conn)
    }

    /// Runs `f` on a read connection from the pool (opened on demand).
    fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let pooled = self.readers.lock().ok().and_then(|mut p| p.pop());
        let conn = match pooled {
            Some(c) => c,
            None => {
                let c = Connection::open_with_flags(
                    &self.path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map_err(|e| {
                    StoreError::Unavailable(format!("cannot open {}: {e}", self.path.display()))
                })?;
                configure(&c)?;
                c
            }
        };
        let out = f(&conn);
        if let Ok(mut pool) = self.readers.lock() {
            if pool.len() < READ_POOL {
                pool.push(conn);
            }
        }
        out
    }
}

/// The stored clusterer state inside an assignment transaction.
struct SqliteState<'a> {
    tx: &'a Connection,
    version: u64,
}

impl ClusterState for SqliteState<'_> {
    fn version(&self) -> u64 {
        self.version
    }

    fn snapshot(&mut self) -> Result<Option<Vec<u8>>, StoreError> {
        self.tx
            .query_row("SELECT snapshot FROM cluster_state WHERE k = 1", [], |r| r.get(0))
            .optional()
            .map_err(db_err)
    }

    fn assigned_after(&mut self, seq: u64) -> Result<Vec<ArticleRow>, StoreError> {
        query_rows(
            self.tx,
            "SELECT seq, article, analyzed, coalesce(online, story), why FROM articles
             WHERE seq > ?1 AND story IS NOT NULL ORDER BY seq",
            [seq as i64],
        )
    }

    fn merged_into(&mut self, story: &str) -> Result<Option<String>, StoreError> {
        self.tx
            .query_row("SELECT merged_into FROM stories WHERE id = ?1", [story], |r| r.get(0))
            .optional()
            .map(Option::flatten)
            .map_err(db_err)
    }
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(BUSY_TIMEOUT).map_err(db_err)
}

fn article_row(
    seq: i64,
    article: &str,
    analyzed: Option<String>,
    story: Option<String>,
    why: Option<String>,
) -> Result<ArticleRow, StoreError> {
    let article: Article =
        serde_json::from_str(article).map_err(|e| json_err("stored article unreadable", e))?;
    Ok(ArticleRow { seq: seq as u64, article, analyzed, story, why })
}

/// Reads rows of `(seq, article, analyzed, story, why)`.
fn query_rows(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<ArticleRow>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(db_err)?;
    let raw = stmt
        .query_map(params, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })
        .map_err(db_err)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err)?;
    raw.into_iter().map(|(s, a, an, st, w)| article_row(s, &a, an, st, w)).collect()
}

impl Backend for SqliteBackend {
    fn insert_articles(&self, articles: &[NewArticle<'_>]) -> Result<Vec<Inserted>, StoreError> {
        self.write(|conn| {
            let tx =
                conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(db_err)?;
            let mut out = Vec::with_capacity(articles.len());
            {
                let mut stmt = tx
                    .prepare_cached(
                        "INSERT OR IGNORE INTO articles (id, hash, article) VALUES (?1, ?2, ?3)",
                    )
                    .map_err(db_err)?;
                for a in articles {
                    let json = serde_json::to_string(a.article)
                        .map_err(|e| json_err("encoding article", e))?;
                    let n = stmt.execute(params![a.article.id, a.hash, json]).map_err(db_err)?;
                    out.push(if n == 1 {
                        Inserted::Added(tx.last_insert_rowid() as u64)
                    } else {
                        Inserted::Duplicate
                    });
                }
            }
            tx.commit().map_err(db_err)?;
            Ok(out)
        })
    }

    fn claim_analysis(&self, limit: usize) -> Result<Vec<ArticleRow>, StoreError> {
        self.write(|conn| {
            query_rows(
                conn,
                "SELECT seq, article, analyzed, story, why FROM articles
                 WHERE analyzed IS NULL ORDER BY seq LIMIT ?1",
                [limit as i64],
            )
        })
    }

    fn save_analyses(&self, rows: &[AnalysisRow]) -> Result<(), StoreError> {
        self.write(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(db_err)?;
            {
                let mut update = tx
                    .prepare_cached(
                        "UPDATE articles SET analyzed = ?2 WHERE seq = ?1 AND analyzed IS NULL",
                    )
                    .map_err(db_err)?;
                let mut fts = tx
                    .prepare_cached(
                        "INSERT INTO articles_fts (rowid, title, body)
                         SELECT seq, json_extract(article, '$.title'), ?2 FROM articles WHERE seq = ?1",
                    )
                    .map_err(db_err)?;
                for r in rows {
                    if update.execute(params![r.seq as i64, r.analyzed]).map_err(db_err)? == 1 {
                        fts.execute(params![r.seq as i64, r.text]).map_err(db_err)?;
                    }
                }
            }
            tx.commit().map_err(db_err)
        })
    }

    fn assign(&self, limit: usize, step: &mut AssignFn<'_>) -> Result<usize, StoreError> {
        self.write(|conn| {
            let tx =
                conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(db_err)?;
            let version = tx
                .query_row("SELECT version FROM cluster_state WHERE k = 1", [], |r| {
                    r.get::<_, i64>(0)
                })
                .optional()
                .map_err(db_err)?
                .map_or(0, |v| v.max(0) as u64);
            let candidates = query_rows(
                &tx,
                "SELECT seq, article, analyzed, story, why FROM articles
                 WHERE story IS NULL ORDER BY seq LIMIT ?1",
                [limit as i64],
            )?;
            let pending: Vec<ArticleRow> =
                candidates.into_iter().take_while(|r| r.analyzed.is_some()).collect();
            if pending.is_empty() {
                return Ok(0);
            }
            let n = pending.len();
            let AssignStep { snapshot, rows } =
                step(&mut SqliteState { tx: &tx, version }, pending)?;
            if rows.len() != n {
                return Err(StoreError::Database(format!(
                    "assignment step returned {} rows for {n} articles",
                    rows.len()
                )));
            }
            let next = (version + 1) as i64;
            let saved = match snapshot {
                Some(snapshot) => tx.execute(
                    "INSERT INTO cluster_state (k, version, snapshot) VALUES (1, ?1, ?2)
                     ON CONFLICT (k) DO UPDATE SET version = excluded.version,
                                                   snapshot = excluded.snapshot",
                    params![next, snapshot],
                ),
                None => tx.execute("UPDATE cluster_state SET version = ?1 WHERE k = 1", [next]),
            }
            .map_err(db_err)?;
            if saved != 1 {
                return Err(StoreError::Database("no clusterer snapshot to extend".into()));
            }
            {
                let mut set = tx
                    .prepare_cached(
                        "UPDATE articles SET story = ?2, why = ?3,
                            online = CASE WHEN ?4 = ?2 THEN NULL ELSE ?4 END
                         WHERE seq = ?1",
                    )
                    .map_err(db_err)?;
                let mut dirty = tx
                    .prepare_cached(
                        "INSERT INTO stories (id, generation) VALUES (?1, 1)
                         ON CONFLICT (id) DO UPDATE SET generation = generation + 1",
                    )
                    .map_err(db_err)?;
                let mut seen = std::collections::HashSet::new();
                for r in &rows {
                    set.execute(params![r.seq as i64, r.story, r.why, r.online]).map_err(db_err)?;
                    if seen.insert(r.story.as_str()) {
                        dirty.execute([&r.story]).map_err(db_err)?;
                    }
                }
            }
            tx.commit().map_err(db_err)?;
            Ok(n)
        })
    }

    fn reconcile(&self, step: &mut ReconcileFn<'_>) -> Result<Option<ReconcilePlan>, StoreError> {
        self.write(|conn| {
            let tx =
                conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(db_err)?;
            let state = tx
                .query_row("SELECT version, reconciled FROM cluster_state WHERE k = 1", [], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
                })
                .optional()
                .map_err(db_err)?;
            let Some((version, _)) = state.filter(|(v, r)| v > r) else {
                return Ok(None);
            };
            let placed = {
                let mut stmt = tx
                    .prepare("SELECT seq, story FROM articles WHERE story IS NOT NULL ORDER BY seq")
                    .map_err(db_err)?;
                let rows = stmt
                    .query_map([], |r| {
                        Ok(PlacedRow { seq: r.get::<_, i64>(0)? as u64, story: r.get(1)? })
                    })
                    .map_err(db_err)?
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(db_err)?;
                rows
            };
            let plan = step(&mut SqliteState { tx: &tx, version: version as u64 }, placed)?;
            {
                let mut set = tx
                    .prepare_cached(
                        "UPDATE articles SET online = coalesce(online, story), story = ?2
                         WHERE seq = ?1",
                    )
                    .map_err(db_err)?;
                for (seq, story) in &plan.moves {
                    set.execute(params![*seq as i64, story]).map_err(db_err)?;
                }
                let mut dirty = tx
                    .prepare_cached(
                        "INSERT INTO stories (id, generation) VALUES (?1, 1)
                         ON CONFLICT (id) DO UPDATE SET generation = generation + 1",
                    )
                    .map_err(db_err)?;
                for story in &plan.dirty {
                    dirty.execute([story]).map_err(db_err)?;
                }
                let mut redirect = tx
                    .prepare_cached(
                        "INSERT INTO stories (id, generation, merged_into) VALUES (?1, 0, ?2)
                         ON CONFLICT (id) DO UPDATE SET merged_into = excluded.merged_into,
                            done_generation = CASE WHEN excluded.merged_into IS NULL
                                THEN done_generation ELSE generation END",
                    )
                    .map_err(db_err)?;
                for (story, into) in &plan.redirects {
                    redirect.execute(params![story, into]).map_err(db_err)?;
                }
                let mut event = tx
                    .prepare_cached(
                        "INSERT INTO story_events (version, kind, story, other) VALUES (?1, ?2, ?3, ?4)",
                    )
                    .map_err(db_err)?;
                for e in &plan.events {
                    event.execute(params![version, e.kind, e.story, e.other]).map_err(db_err)?;
                }
            }
            tx.execute("UPDATE cluster_state SET reconciled = ?1 WHERE k = 1", [version])
                .map_err(db_err)?;
            tx.commit().map_err(db_err)?;
            Ok(Some(plan))
        })
    }

    fn claim_dirty(&self, limit: usize) -> Result<Vec<DirtyStory>, StoreError> {
        self.write(|conn| {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT id, generation FROM stories
                     WHERE generation > done_generation AND merged_into IS NULL
                     ORDER BY id LIMIT ?1",
                )
                .map_err(db_err)?;
            let rows = stmt
                .query_map([limit as i64], |r| {
                    Ok(DirtyStory { id: r.get(0)?, generation: r.get::<_, i64>(1)? as u64 })
                })
                .map_err(db_err)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(db_err);
            rows
        })
    }

    fn story_members(&self, story: &str) -> Result<Vec<ArticleRow>, StoreError> {
        self.read(|conn| {
            query_rows(
                conn,
                "SELECT seq, article, analyzed, story, why FROM articles
                 WHERE story = ?1 ORDER BY seq",
                [story],
            )
        })
    }

    fn save_story(&self, row: &StoryRow, generation: u64) -> Result<(), StoreError> {
        let s = &row.summary;
        let outlets = serde_json::to_string(&s.outlets).map_err(|e| json_err("outlets", e))?;
        self.write(|conn| {
            let tx =
                conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(db_err)?;
            // Only over an older report: the saved generation is the report's revision.
            let saved = tx
                .execute(
                    "UPDATE stories SET headline = ?2, articles = ?3, independent_sources = ?4,
                    updated = ?5, outlets = ?6, first = ?7, last = ?8, report = ?9,
                    done_generation = ?10
                 WHERE id = ?1 AND done_generation < ?10",
                    params![
                        s.id,
                        s.headline,
                        s.articles as i64,
                        s.independent_sources as i64,
                        s.updated,
                        outlets,
                        row.first.map(|d| d.to_string()),
                        row.last.map(|d| d.to_string()),
                        row.report,
                        generation as i64
                    ],
                )
                .map_err(db_err)?;
            if saved == 0 {
                return Ok(());
            }
            tx.execute("DELETE FROM story_entities WHERE story = ?1", [&s.id]).map_err(db_err)?;
            {
                let mut ins = tx
                    .prepare_cached(
                        "INSERT OR IGNORE INTO story_entities (name, story) VALUES (?1, ?2)",
                    )
                    .map_err(db_err)?;
                for e in &row.entities {
                    ins.execute(params![e, s.id]).map_err(db_err)?;
                }
            }
            tx.commit().map_err(db_err)
        })
    }

    fn list_stories(&self, q: &StoryQuery) -> Result<StoryPage, StoreError> {
        let mut filters = vec!["report IS NOT NULL AND merged_into IS NULL".to_string()];
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(d) = q.since {
            args.push(d.to_string().into());
            filters.push(format!("last >= ?{}", args.len()));
        }
        if let Some(d) = q.until {
            args.push(d.to_string().into());
            filters.push(format!("first <= ?{}", args.len()));
        }
        if let Some(t) = &q.text {
            let fts = fts_query(t)
                .ok_or_else(|| StoreError::Invalid(format!("no words to search in {t:?}")))?;
            args.push(fts.into());
            filters.push(format!(
                "id IN (SELECT a.story FROM articles_fts f
                        JOIN articles a INDEXED BY articles_seq_story ON a.seq = f.rowid
                        WHERE articles_fts MATCH ?{})",
                args.len()
            ));
        }
        if let Some(e) = &q.entity {
            args.push(e.trim().to_lowercase().into());
            filters.push(format!(
                "id IN (SELECT story FROM story_entities WHERE name = ?{})",
                args.len()
            ));
        }
        let filter = filters.join(" AND ");
        let order = q.order.order_by();
        self.read(|conn| {
            let total: i64 = conn
                .query_row(
                    &format!("SELECT count(*) FROM stories WHERE {filter}"),
                    rusqlite::params_from_iter(args.iter()),
                    |r| r.get(0),
                )
                .map_err(db_err)?;
            let n = args.len();
            let mut page_args = args.clone();
            page_args.push((q.limit as i64).into());
            page_args.push((q.offset as i64).into());
            let sql = format!(
                "SELECT id, headline, articles, independent_sources, updated, outlets
                 FROM stories WHERE {filter} ORDER BY {order} LIMIT ?{} OFFSET ?{}",
                n + 1,
                n + 2
            );
            let mut stmt = conn.prepare(&sql).map_err(db_err)?;
            let rows = stmt
                .query_map(rusqlite::params_from_iter(page_args.iter()), |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                        r.get::<_, Option<i64>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<String>>(5)?,
                    ))
                })
                .map_err(db_err)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(db_err)?;
            let stories = rows
                .into_iter()
                .map(|(id, headline, articles, sources, updated, outlets)| StorySummary {
                    id,
                    headline: headline.unwrap_or_default(),
                    articles: articles.unwrap_or(0).max(0) as usize,
                    independent_sources: sources.unwrap_or(0).max(0) as usize,
                    updated: updated.unwrap_or_default(),
                    outlets: outlets
                        .and_then(|o| serde_json::from_str(&o).ok())
                        .unwrap_or_default(),
                })
                .collect();
            Ok(StoryPage { stories, total: total.max(0) as usize })
        })
    }

    fn story_record(&self, id: &str) -> Result<Option<StoryRecord>, StoreError> {
        self.read(|conn| {
            conn.query_row(
                "SELECT report, generation > done_generation, merged_into FROM stories
                 WHERE id = ?1",
                [id],
                |r| Ok(StoryRecord { report: r.get(0)?, dirty: r.get(1)?, merged_into: r.get(2)? }),
            )
            .optional()
            .map_err(db_err)
        })
    }

    fn story_revision(&self, id: &str) -> Result<Option<RevisionRecord>, StoreError> {
        // `report IS NOT NULL` reads the column's type from the record header, not the
        // report on its overflow pages.
        self.read(|conn| {
            conn.query_row(
                "SELECT done_generation, report IS NOT NULL, generation > done_generation,
                    merged_into FROM stories WHERE id = ?1",
                [id],
                |r| {
                    Ok(RevisionRecord {
                        revision: r.get::<_, i64>(0)? as u64,
                        has_report: r.get(1)?,
                        dirty: r.get(2)?,
                        merged_into: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(db_err)
        })
    }

    fn article(&self, id: &str) -> Result<Option<ArticleRow>, StoreError> {
        self.read(|conn| {
            let rows = query_rows(
                conn,
                "SELECT seq, article, analyzed, story, why FROM articles WHERE id = ?1",
                [id],
            )?;
            Ok(rows.into_iter().next())
        })
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let Some(fts) = fts_query(query) else {
            return Err(StoreError::Invalid(format!("no words to search in {query:?}")));
        };
        self.read(|conn| {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT a.id, a.story, json_extract(a.article, '$.title'),
                            snippet(articles_fts, 1, '', '', '…', 16), bm25(articles_fts)
                     FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid
                     WHERE articles_fts MATCH ?1
                     ORDER BY bm25(articles_fts), a.seq LIMIT ?2",
                )
                .map_err(db_err)?;
            let hits = stmt
                .query_map(params![fts, limit as i64], |r| {
                    Ok(SearchHit {
                        article: r.get(0)?,
                        story: r.get(1)?,
                        title: r.get(2)?,
                        snippet: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                        score: -r.get::<_, f64>(4)?,
                    })
                })
                .map_err(db_err)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(db_err);
            hits
        })
    }

    fn count_articles(&self) -> Result<usize, StoreError> {
        self.read(|conn| {
            conn.query_row("SELECT count(*) FROM articles", [], |r| r.get::<_, i64>(0))
                .map(|n| n.max(0) as usize)
                .map_err(db_err)
        })
    }
}
