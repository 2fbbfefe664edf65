//! chorus's archive on PostgreSQL: [`PgBackend`] implements the engine's
//! [`Backend`](chorus_engine::store::archive::Backend), so [`PgStore`] (an
//! [`Archive`](chorus_engine::store::archive::Archive) over it) is a
//! [`Store`](chorus_engine::store::Store) that several `chorus ingest` workers can share.
//!
//! It lives outside the engine crate because the `postgres` client brings tokio with it.
//!
//! How several workers give the same stories as one:
//! - **Articles are stored once**: `id` and `hash` are unique; new articles are inserted
//!   under a transaction-scoped advisory lock, and their sequence numbers (the canonical
//!   assignment order) are taken from `max(seq)` under that lock, so sequence numbers follow
//!   commit order without gaps and no worker ever sees a lower number appear after a higher
//!   one.
//! - **Analysis is shared out** with `FOR UPDATE SKIP LOCKED`: a claim marks rows with the
//!   claiming connection's backend pid; claims of a connection that is gone (a killed
//!   worker) are taken over at once, because the server drops the dead session from
//!   `pg_stat_activity`.
//! - **Story assignment is serialized** under `pg_advisory_xact_lock` and runs strictly in
//!   sequence order; the clusterer state carries a version counter, and a worker reads the
//!   snapshot (and replays the assignments after it) only when another worker has moved the
//!   version on.
//! - **Stale story reports** are claimed the same way as analyses, and a report is only
//!   marked fresh if no assignment touched its story in the meantime (generations).
//!
//! Every method is one transaction, so a worker killed at any point loses nothing
//! committed and duplicates nothing; the next ingest finishes the pending work.

mod pool;
pub mod schema;
pub mod testdb;

use std::borrow::Cow;
use std::collections::HashSet;

use chorus_engine::record::Article;
use chorus_engine::store::archive::{
    AnalysisRow, Archive, ArticleRow, AssignFn, AssignStep, Backend, ClusterState, DirtyStory,
    Inserted, NewArticle, PlacedRow, ReconcileFn, ReconcilePlan, RevisionRecord, StoryRecord,
    StoryRow,
};
use chorus_engine::store::{SearchHit, StoreError, StoryPage, StoryQuery, StorySummary};
use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Row, Transaction};

use pool::Pool;

/// The archive on PostgreSQL.
pub type PgStore = Archive<PgBackend>;

/// Opens (creating or migrating the schema if needed) the archive in the PostgreSQL
/// database at `url` (`postgres://user@host:port/db` or `postgresql://…`).
pub fn open(url: &str) -> Result<PgStore, StoreError> {
    Ok(Archive::new(PgBackend::open(url)?))
}

/// Whether `db` names a PostgreSQL database rather than an SQLite file.
pub fn is_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// First key of every advisory lock this crate takes ("chor"); the second says which.
const LOCK_SPACE: i32 = 0x6368_6f72;
/// Advisory lock: schema creation and migration.
const LOCK_SCHEMA: i32 = 1;
/// Advisory lock: inserting articles (sequence numbers follow commit order).
const LOCK_INSERT: i32 = 2;
/// Advisory lock: story assignment.
const LOCK_ASSIGN: i32 = 3;

/// Most bytes of an article's repaired text put into its search vector (PostgreSQL's
/// `tsvector` holds at most 1 MiB); the rest of a longer text is not searchable.
const TSV_MAX_BYTES: usize = 400_000;

/// Articles per `INSERT` statement.
const INSERT_CHUNK: usize = 1000;

/// Attempts of a transaction that failed on a deadlock or serialization conflict.
const RETRIES: usize = 5;

/// The PostgreSQL persistence of an archive (see the crate docs).
#[derive(Debug)]
pub struct PgBackend {
    pool: Pool,
}

impl PgBackend {
    /// Connects to `url` and creates or migrates the schema.
    pub fn open(url: &str) -> Result<PgBackend, StoreError> {
        let pool = Pool::new(url)?;
        let mut client = pool.get()?;
        let res = migrate(&mut client);
        pool.put(client);
        res?;
        Ok(PgBackend { pool })
    }

    /// Runs `f` in one transaction on a pooled connection, committing when it returns `Ok`.
    /// Retried (a few times) when the server reports a deadlock or serialization failure,
    /// so `f` must be safe to run again.
    fn tx<T>(
        &self,
        mut f: impl FnMut(&mut Transaction<'_>) -> Result<T, TxError>,
    ) -> Result<T, StoreError> {
        let mut client = self.pool.get()?;
        let mut attempt = 0;
        let out = loop {
            attempt += 1;
            let res = client.transaction().map_err(TxError::Pg).and_then(|mut tx| {
                let v = f(&mut tx)?;
                tx.commit()?;
                Ok(v)
            });
            match res {
                Err(TxError::Pg(e)) if attempt < RETRIES && retryable(&e) => continue,
                other => break other.map_err(StoreError::from),
            }
        };
        self.pool.put(client);
        out
    }

    /// Runs `f` (read-only) on a pooled connection.
    fn read<T>(
        &self,
        f: impl FnOnce(&mut postgres::Client) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut client = self.pool.get()?;
        let out = f(&mut client);
        self.pool.put(client);
        out
    }
}

/// Creates the schema or applies the migrations it lacks, under the schema lock.
fn migrate(client: &mut postgres::Client) -> Result<(), StoreError> {
    let mut tx = client.transaction().map_err(db_err)?;
    tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&LOCK_SPACE, &LOCK_SCHEMA])
        .map_err(db_err)?;
    tx.batch_execute(schema::META).map_err(db_err)?;
    let version: i64 = tx
        .query_opt("SELECT schema_version FROM chorus_meta WHERE k = 1", &[])
        .map_err(db_err)?
        .map_or(0, |r| r.get(0));
    if version > schema::SCHEMA_VERSION {
        return Err(StoreError::Unavailable(format!(
            "the database has archive schema version {version}; this chorus reads version {}",
            schema::SCHEMA_VERSION
        )));
    }
    for (from, sql) in schema::MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
        tx.batch_execute(sql).map_err(|e| {
            StoreError::Unavailable(format!(
                "migrating the archive from version {from}: {}",
                describe(&e)
            ))
        })?;
    }
    if version < schema::SCHEMA_VERSION {
        tx.execute(
            "INSERT INTO chorus_meta (k, schema_version) VALUES (1, $1)
             ON CONFLICT (k) DO UPDATE SET schema_version = excluded.schema_version",
            &[&schema::SCHEMA_VERSION],
        )
        .map_err(db_err)?;
    }
    tx.commit().map_err(db_err)
}

fn retryable(e: &postgres::Error) -> bool {
    matches!(
        e.code(),
        Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE
    )
}

/// A client error's full message (the server's message and detail, or the cause).
pub(crate) fn describe(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut s = format!("{}: {}", db.severity(), db.message());
        if let Some(d) = db.detail() {
            s.push_str(&format!(" ({d})"));
        }
        return s;
    }
    match std::error::Error::source(e) {
        Some(cause) => format!("{e}: {cause}"),
        None => e.to_string(),
    }
}

/// Maps a client error to the store's error kinds.
fn db_err(e: postgres::Error) -> StoreError {
    if e.is_closed() {
        return StoreError::Unavailable(format!("connection to PostgreSQL lost: {}", describe(&e)));
    }
    let msg = describe(&e);
    match e.code() {
        Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE || *c == SqlState::QUERY_CANCELED => {
            StoreError::Busy(msg)
        }
        Some(c)
            if *c == SqlState::UNDEFINED_TABLE
                || *c == SqlState::INSUFFICIENT_PRIVILEGE
                || *c == SqlState::INVALID_CATALOG_NAME
                || *c == SqlState::TOO_MANY_CONNECTIONS =>
        {
            StoreError::Unavailable(msg)
        }
        // No SQLSTATE: the connection itself failed.
        None => StoreError::Unavailable(msg),
        _ => StoreError::Database(msg),
    }
}

/// An error inside a transaction: from the server (perhaps worth a retry) or from us.
#[derive(Debug)]
enum TxError {
    Pg(postgres::Error),
    Store(StoreError),
}

impl From<postgres::Error> for TxError {
    fn from(e: postgres::Error) -> TxError {
        TxError::Pg(e)
    }
}

impl From<StoreError> for TxError {
    fn from(e: StoreError) -> TxError {
        TxError::Store(e)
    }
}

impl From<TxError> for StoreError {
    fn from(e: TxError) -> StoreError {
        match e {
            TxError::Pg(e) => db_err(e),
            TxError::Store(e) => e,
        }
    }
}

/// PostgreSQL text cannot hold NUL: it becomes U+FFFD in the columns that are compared or
/// searched (the article itself is stored as JSON, where NUL is escaped, and read back
/// intact).
fn pg_text(s: &str) -> Cow<'_, str> {
    if s.contains('\0') {
        Cow::Owned(s.replace('\0', "\u{fffd}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// At most `max` leading bytes of `s`, cut on a char boundary.
fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The words of a user's search text, all required, as `plainto_tsquery` input; `None`
/// when it has no word (same word split as the SQLite backend).
pub fn search_words(text: &str) -> Option<String> {
    let words: Vec<&str> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(32).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

const ROW_COLUMNS: &str = "seq, article, analyzed, story, why";

/// Reads a row of [`ROW_COLUMNS`].
fn article_row(r: &Row) -> Result<ArticleRow, StoreError> {
    let seq: i64 = r.get(0);
    let json: &str = r.get(1);
    let article: Article = serde_json::from_str(json)
        .map_err(|e| StoreError::Database(format!("stored article {seq} unreadable: {e}")))?;
    Ok(ArticleRow { seq: seq as u64, article, analyzed: r.get(2), story: r.get(3), why: r.get(4) })
}

fn article_rows(rows: &[Row]) -> Result<Vec<ArticleRow>, StoreError> {
    let mut out: Vec<ArticleRow> = rows.iter().map(article_row).collect::<Result<_, _>>()?;
    out.sort_by_key(|r| r.seq);
    Ok(out)
}

impl Backend for PgBackend {
    fn insert_articles(&self, articles: &[NewArticle<'_>]) -> Result<Vec<Inserted>, StoreError> {
        let ids: Vec<String> =
            articles.iter().map(|a| pg_text(&a.article.id).into_owned()).collect();
        let hashes: Vec<String> = articles.iter().map(|a| a.hash.clone()).collect();
        let json: Vec<String> = articles
            .iter()
            .map(|a| serde_json::to_string(a.article))
            .collect::<Result<_, _>>()
            .map_err(|e| StoreError::Database(format!("encoding article: {e}")))?;
        self.tx(|tx| {
            // Serializes inserts: sequence numbers are handed out in commit order.
            tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&LOCK_SPACE, &LOCK_INSERT])?;
            let mut seen_ids: HashSet<String> = HashSet::new();
            let mut seen_hashes: HashSet<String> = HashSet::new();
            for r in tx.query(
                "SELECT id, hash FROM chorus_articles WHERE id = ANY($1) OR hash = ANY($2)",
                &[&ids, &hashes],
            )? {
                seen_ids.insert(r.get(0));
                seen_hashes.insert(r.get(1));
            }
            let last: i64 = tx.query_one("SELECT coalesce(max(seq), 0) FROM chorus_articles", &[])?.get(0);
            let mut out = Vec::with_capacity(articles.len());
            let (mut seqs, mut new_ids, mut new_hashes, mut titles, mut bodies) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for (i, a) in articles.iter().enumerate() {
                // Earlier articles of this call count as stored.
                if seen_ids.contains(&ids[i]) || seen_hashes.contains(&hashes[i]) {
                    out.push(Inserted::Duplicate);
                    continue;
                }
                seen_ids.insert(ids[i].clone());
                seen_hashes.insert(hashes[i].clone());
                let seq = last + seqs.len() as i64 + 1;
                seqs.push(seq);
                new_ids.push(ids[i].as_str());
                new_hashes.push(hashes[i].as_str());
                titles.push(a.article.title.as_deref().map(|t| pg_text(t).into_owned()));
                bodies.push(json[i].as_str());
                out.push(Inserted::Added(seq as u64));
            }
            // In pieces: one statement's parameters must stay well under PostgreSQL's 1 GiB.
            for lo in (0..seqs.len()).step_by(INSERT_CHUNK) {
                let hi = (lo + INSERT_CHUNK).min(seqs.len());
                tx.execute(
                    "INSERT INTO chorus_articles (seq, id, hash, title, article)
                     SELECT * FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[])",
                    &[&&seqs[lo..hi], &&new_ids[lo..hi], &&new_hashes[lo..hi], &&titles[lo..hi], &&bodies[lo..hi]],
                )?;
            }
            Ok(out)
        })
    }

    fn claim_analysis(&self, limit: usize) -> Result<Vec<ArticleRow>, StoreError> {
        let rows = self.tx(|tx| {
            Ok(tx.query(
                &format!(
                    "UPDATE chorus_articles SET claimed_by = pg_backend_pid()
                     WHERE seq IN (
                        SELECT seq FROM chorus_articles
                        WHERE analyzed IS NULL
                          AND (claimed_by IS NULL OR claimed_by = pg_backend_pid()
                               OR claimed_by NOT IN (SELECT pid FROM pg_stat_activity))
                        ORDER BY seq LIMIT $1
                        FOR UPDATE SKIP LOCKED)
                     RETURNING {ROW_COLUMNS}"
                ),
                &[&(limit as i64)],
            )?)
        })?;
        article_rows(&rows)
    }

    fn save_analyses(&self, rows: &[AnalysisRow]) -> Result<(), StoreError> {
        let mut rows: Vec<&AnalysisRow> = rows.iter().collect();
        // One lock order for every writer of these rows: no deadlock between workers.
        rows.sort_by_key(|r| r.seq);
        let seqs: Vec<i64> = rows.iter().map(|r| r.seq as i64).collect();
        let analyzed: Vec<&str> = rows.iter().map(|r| r.analyzed.as_str()).collect();
        let bodies: Vec<String> = rows.iter().map(|r| pg_text(&r.text).into_owned()).collect();
        let indexed: Vec<&str> = bodies.iter().map(|b| prefix(b, TSV_MAX_BYTES)).collect();
        self.tx(|tx| {
            tx.execute(
                "UPDATE chorus_articles a SET
                    analyzed = n.analyzed, body = n.body, claimed_by = NULL,
                    tsv = setweight(to_tsvector('simple', coalesce(a.title, '')), 'A')
                          || to_tsvector('simple', n.indexed)
                 FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[])
                      AS n(seq, analyzed, body, indexed)
                 WHERE a.seq = n.seq AND a.analyzed IS NULL",
                &[&seqs, &analyzed, &bodies, &indexed],
            )?;
            Ok(())
        })
    }

    fn assign(&self, limit: usize, step: &mut AssignFn<'_>) -> Result<usize, StoreError> {
        let mut client = self.pool.get()?;
        let res = self.assign_on(&mut client, limit, step);
        self.pool.put(client);
        res
    }

    fn reconcile(&self, step: &mut ReconcileFn<'_>) -> Result<Option<ReconcilePlan>, StoreError> {
        let mut client = self.pool.get()?;
        let res = self.reconcile_on(&mut client, step);
        self.pool.put(client);
        res
    }

    fn claim_dirty(&self, limit: usize) -> Result<Vec<DirtyStory>, StoreError> {
        let rows = self.tx(|tx| {
            Ok(tx.query(
                "UPDATE chorus_stories SET claimed_by = pg_backend_pid()
                 WHERE id IN (
                    SELECT id FROM chorus_stories
                    WHERE generation > done_generation AND merged_into IS NULL
                      AND (claimed_by IS NULL OR claimed_by = pg_backend_pid()
                           OR claimed_by NOT IN (SELECT pid FROM pg_stat_activity))
                    ORDER BY id LIMIT $1
                    FOR UPDATE SKIP LOCKED)
                 RETURNING id, generation",
                &[&(limit as i64)],
            )?)
        })?;
        let mut out: Vec<DirtyStory> = rows
            .iter()
            .map(|r| DirtyStory { id: r.get(0), generation: r.get::<_, i64>(1) as u64 })
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    fn story_members(&self, story: &str) -> Result<Vec<ArticleRow>, StoreError> {
        self.read(|c| {
            let rows = c
                .query(
                    &format!(
                        "SELECT {ROW_COLUMNS} FROM chorus_articles WHERE story = $1 ORDER BY seq"
                    ),
                    &[&story],
                )
                .map_err(db_err)?;
            article_rows(&rows)
        })
    }

    fn save_story(&self, row: &StoryRow, generation: u64) -> Result<(), StoreError> {
        let s = &row.summary;
        let outlets = serde_json::to_string(&s.outlets)
            .map_err(|e| StoreError::Database(format!("encoding outlets: {e}")))?;
        let headline = pg_text(&s.headline);
        let first = row.first.map(|d| d.to_string());
        let last = row.last.map(|d| d.to_string());
        let entities: Vec<String> = row.entities.iter().map(|e| pg_text(e).into_owned()).collect();
        let (articles, sources, generation) =
            (s.articles as i64, s.independent_sources as i64, generation as i64);
        self.tx(|tx| {
            // Only over an older report: the saved generation is the report's revision.
            let saved = tx.execute(
                "UPDATE chorus_stories SET headline = $2, articles = $3, independent_sources = $4,
                    updated = $5, outlets = $6, first = $7, last = $8, report = $9,
                    done_generation = $10, claimed_by = NULL
                 WHERE id = $1 AND done_generation < $10",
                &[
                    &s.id,
                    &headline.as_ref(),
                    &articles,
                    &sources,
                    &s.updated,
                    &outlets,
                    &first,
                    &last,
                    &row.report,
                    &generation,
                ],
            )?;
            if saved == 0 {
                // Another worker saved this report or a newer one: just release the claim.
                tx.execute(
                    "UPDATE chorus_stories SET claimed_by = NULL
                     WHERE id = $1 AND claimed_by = pg_backend_pid()",
                    &[&s.id],
                )?;
                return Ok(());
            }
            tx.execute("DELETE FROM chorus_story_entities WHERE story = $1", &[&s.id])?;
            tx.execute(
                "INSERT INTO chorus_story_entities (name, story)
                 SELECT DISTINCT unnest($1::text[]), $2 ON CONFLICT DO NOTHING",
                &[&entities, &s.id],
            )?;
            Ok(())
        })
    }

    fn list_stories(&self, q: &StoryQuery) -> Result<StoryPage, StoreError> {
        let mut filters = vec!["report IS NOT NULL AND merged_into IS NULL".to_string()];
        let mut args: Vec<Box<dyn ToSql + Sync>> = Vec::new();
        if let Some(d) = q.since {
            args.push(Box::new(d.to_string()));
            filters.push(format!("last >= ${}", args.len()));
        }
        if let Some(d) = q.until {
            args.push(Box::new(d.to_string()));
            filters.push(format!("first <= ${}", args.len()));
        }
        if let Some(t) = &q.text {
            let words = search_words(t)
                .ok_or_else(|| StoreError::Invalid(format!("no words to search in {t:?}")))?;
            args.push(Box::new(words));
            filters.push(format!(
                "id IN (SELECT story FROM chorus_articles
                        WHERE story IS NOT NULL AND tsv @@ plainto_tsquery('simple', ${}))",
                args.len()
            ));
        }
        if let Some(e) = &q.entity {
            args.push(Box::new(pg_text(&e.trim().to_lowercase()).into_owned()));
            filters.push(format!(
                "id IN (SELECT story FROM chorus_story_entities WHERE name = ${})",
                args.len()
            ));
        }
        let filter = filters.join(" AND ");
        let order = q.order.order_by();
        let n = args.len();
        let (limit, offset) =
            (q.limit.min(i64::MAX as usize) as i64, q.offset.min(i64::MAX as usize) as i64);
        self.read(|c| {
            let params: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref()).collect();
            let total: i64 = c
                .query_one(&format!("SELECT count(*) FROM chorus_stories WHERE {filter}"), &params)
                .map_err(db_err)?
                .get(0);
            let mut page_params = params.clone();
            page_params.push(&limit);
            page_params.push(&offset);
            let rows = c
                .query(
                    &format!(
                        "SELECT id, headline, articles, independent_sources, updated, outlets
                         FROM chorus_stories WHERE {filter} ORDER BY {order}
                         LIMIT ${} OFFSET ${}",
                        n + 1,
                        n + 2
                    ),
                    &page_params,
                )
                .map_err(db_err)?;
            let stories = rows
                .iter()
                .map(|r| StorySummary {
                    id: r.get(0),
                    headline: r.get::<_, Option<String>>(1).unwrap_or_default(),
                    articles: r.get::<_, Option<i64>>(2).unwrap_or(0).max(0) as usize,
                    independent_sources: r.get::<_, Option<i64>>(3).unwrap_or(0).max(0) as usize,
                    updated: r.get::<_, Option<String>>(4).unwrap_or_default(),
                    outlets: r
                        .get::<_, Option<String>>(5)
                        .and_then(|o| serde_json::from_str(&o).ok())
                        .unwrap_or_default(),
                })
                .collect();
            Ok(StoryPage { stories, total: total.max(0) as usize })
        })
    }

    fn story_record(&self, id: &str) -> Result<Option<StoryRecord>, StoreError> {
        let id = pg_text(id);
        self.read(|c| {
            Ok(c.query_opt(
                "SELECT report, generation > done_generation, merged_into FROM chorus_stories
                 WHERE id = $1",
                &[&id.as_ref()],
            )
            .map_err(db_err)?
            .map(|r| StoryRecord {
                report: r.get(0),
                dirty: r.get(1),
                merged_into: r.get(2),
            }))
        })
    }

    fn story_revision(&self, id: &str) -> Result<Option<RevisionRecord>, StoreError> {
        let id = pg_text(id);
        // `report IS NOT NULL` does not detoast the report.
        self.read(|c| {
            Ok(c.query_opt(
                "SELECT done_generation, report IS NOT NULL, generation > done_generation,
                    merged_into FROM chorus_stories WHERE id = $1",
                &[&id.as_ref()],
            )
            .map_err(db_err)?
            .map(|r| RevisionRecord {
                revision: r.get::<_, i64>(0) as u64,
                has_report: r.get(1),
                dirty: r.get(2),
                merged_into: r.get(3),
            }))
        })
    }

    fn article(&self, id: &str) -> Result<Option<ArticleRow>, StoreError> {
        let id = pg_text(id);
        self.read(|c| {
            c.query_opt(
                &format!("SELECT {ROW_COLUMNS} FROM chorus_articles WHERE id = $1"),
                &[&id.as_ref()],
            )
            .map_err(db_err)?
            .map(|r| article_row(&r))
            .transpose()
        })
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let Some(words) = search_words(query) else {
            return Err(StoreError::Invalid(format!("no words to search in {query:?}")));
        };
        let limit = limit.min(i64::MAX as usize) as i64;
        self.read(|c| {
            // Rank first, then cut snippets for the page only (ts_headline is costly).
            let rows = c
                .query(
                    "WITH q AS (SELECT plainto_tsquery('simple', $1) AS q),
                     hits AS (
                        SELECT a.seq, a.id, a.story, a.title, a.body, ts_rank_cd(a.tsv, q.q) AS score
                        FROM chorus_articles a, q WHERE a.tsv @@ q.q
                        ORDER BY score DESC, a.seq LIMIT $2)
                     SELECT h.id, h.story, h.title,
                            ts_headline('simple', coalesce(h.body, ''), q.q,
                                'StartSel=\"\", StopSel=\"\", MaxWords=16, MinWords=6, ShortWord=0, MaxFragments=1, FragmentDelimiter=…'),
                            h.score::float8
                     FROM hits h, q ORDER BY h.score DESC, h.seq",
                    &[&words, &limit],
                )
                .map_err(db_err)?;
            Ok(rows
                .iter()
                .map(|r| SearchHit {
                    article: r.get(0),
                    story: r.get(1),
                    title: r.get(2),
                    snippet: r.get(3),
                    score: r.get(4),
                })
                .collect())
        })
    }

    fn count_articles(&self) -> Result<usize, StoreError> {
        self.read(|c| {
            let n: i64 =
                c.query_one("SELECT count(*) FROM chorus_articles", &[]).map_err(db_err)?.get(0);
            Ok(n.max(0) as usize)
        })
    }
}

impl PgBackend {
    /// [`Backend::assign`] on one connection: one transaction under the assignment lock.
    /// Not retried (the step has effects on the caller's side); the assignment lock keeps
    /// other assignment steps out, so there is nothing for it to deadlock with.
    fn assign_on(
        &self,
        client: &mut postgres::Client,
        limit: usize,
        step: &mut AssignFn<'_>,
    ) -> Result<usize, StoreError> {
        let mut tx = client.transaction().map_err(db_err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&LOCK_SPACE, &LOCK_ASSIGN])
            .map_err(db_err)?;
        let candidates = article_rows(
            &tx.query(
                &format!(
                    "SELECT {ROW_COLUMNS} FROM chorus_articles
                     WHERE story IS NULL ORDER BY seq LIMIT $1"
                ),
                &[&(limit.min(i64::MAX as usize) as i64)],
            )
            .map_err(db_err)?,
        )?;
        // Strictly in sequence order: stop at the first article still being analyzed.
        let pending: Vec<ArticleRow> =
            candidates.into_iter().take_while(|r| r.analyzed.is_some()).collect();
        if pending.is_empty() {
            return Ok(0);
        }
        let n = pending.len();
        let version = tx
            .query_opt("SELECT version FROM chorus_cluster_state WHERE k = 1", &[])
            .map_err(db_err)?
            .map_or(0, |r| r.get::<_, i64>(0).max(0) as u64);
        let AssignStep { snapshot, rows } = step(&mut PgState { tx: &mut tx, version }, pending)?;
        if rows.len() != n {
            return Err(StoreError::Database(format!(
                "assignment step returned {} rows for {n} articles",
                rows.len()
            )));
        }
        let next = version as i64 + 1;
        let saved = match &snapshot {
            Some(snapshot) => tx.execute(
                "INSERT INTO chorus_cluster_state (k, version, snapshot) VALUES (1, $1, $2)
                 ON CONFLICT (k) DO UPDATE SET version = excluded.version,
                                               snapshot = excluded.snapshot",
                &[&next, snapshot],
            ),
            None => {
                tx.execute("UPDATE chorus_cluster_state SET version = $1 WHERE k = 1", &[&next])
            }
        }
        .map_err(db_err)?;
        if saved != 1 {
            return Err(StoreError::Database("no clusterer snapshot to extend".into()));
        }
        let seqs: Vec<i64> = rows.iter().map(|r| r.seq as i64).collect();
        let stories: Vec<&str> = rows.iter().map(|r| r.story.as_str()).collect();
        let whys: Vec<&str> = rows.iter().map(|r| r.why.as_str()).collect();
        let online: Vec<Option<&str>> =
            rows.iter().map(|r| (r.online != r.story).then_some(r.online.as_str())).collect();
        tx.execute(
            "UPDATE chorus_articles a SET story = n.story, why = n.why, online = n.online
             FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[])
                  AS n(seq, story, why, online)
             WHERE a.seq = n.seq",
            &[&seqs, &stories, &whys, &online],
        )
        .map_err(db_err)?;
        let mut touched: Vec<&str> = stories.clone();
        touched.sort_unstable();
        touched.dedup();
        tx.execute(
            "INSERT INTO chorus_stories (id, generation) SELECT unnest($1::text[]), 1
             ON CONFLICT (id) DO UPDATE SET generation = chorus_stories.generation + 1",
            &[&touched],
        )
        .map_err(db_err)?;
        tx.commit().map_err(db_err)?;
        Ok(n)
    }
}

impl PgBackend {
    /// [`Backend::reconcile`] on one connection: one transaction under the assignment lock
    /// (not retried, like [`PgBackend::assign_on`]).
    fn reconcile_on(
        &self,
        client: &mut postgres::Client,
        step: &mut ReconcileFn<'_>,
    ) -> Result<Option<ReconcilePlan>, StoreError> {
        let mut tx = client.transaction().map_err(db_err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&LOCK_SPACE, &LOCK_ASSIGN])
            .map_err(db_err)?;
        let state = tx
            .query_opt("SELECT version, reconciled FROM chorus_cluster_state WHERE k = 1", &[])
            .map_err(db_err)?
            .map(|r| (r.get::<_, i64>(0), r.get::<_, i64>(1)));
        let Some((version, _)) = state.filter(|(v, r)| v > r) else { return Ok(None) };
        let placed: Vec<PlacedRow> = tx
            .query(
                "SELECT seq, story FROM chorus_articles WHERE story IS NOT NULL ORDER BY seq",
                &[],
            )
            .map_err(db_err)?
            .iter()
            .map(|r| PlacedRow { seq: r.get::<_, i64>(0) as u64, story: r.get(1) })
            .collect();
        let plan = step(&mut PgState { tx: &mut tx, version: version as u64 }, placed)?;
        let seqs: Vec<i64> = plan.moves.iter().map(|m| m.0 as i64).collect();
        let stories: Vec<&str> = plan.moves.iter().map(|m| m.1.as_str()).collect();
        tx.execute(
            "UPDATE chorus_articles a SET online = coalesce(a.online, a.story), story = n.story
             FROM unnest($1::int8[], $2::text[]) AS n(seq, story) WHERE a.seq = n.seq",
            &[&seqs, &stories],
        )
        .map_err(db_err)?;
        tx.execute(
            "INSERT INTO chorus_stories (id, generation) SELECT unnest($1::text[]), 1
             ON CONFLICT (id) DO UPDATE SET generation = chorus_stories.generation + 1",
            &[&plan.dirty],
        )
        .map_err(db_err)?;
        let ids: Vec<&str> = plan.redirects.iter().map(|r| r.0.as_str()).collect();
        let into: Vec<Option<&str>> = plan.redirects.iter().map(|r| r.1.as_deref()).collect();
        tx.execute(
            "INSERT INTO chorus_stories (id, generation, merged_into)
             SELECT n.id, 0, n.target FROM unnest($1::text[], $2::text[]) AS n(id, target)
             ON CONFLICT (id) DO UPDATE SET merged_into = excluded.merged_into,
                done_generation = CASE WHEN excluded.merged_into IS NULL
                    THEN chorus_stories.done_generation ELSE chorus_stories.generation END",
            &[&ids, &into],
        )
        .map_err(db_err)?;
        let kinds: Vec<&str> = plan.events.iter().map(|e| e.kind).collect();
        let story: Vec<&str> = plan.events.iter().map(|e| e.story.as_str()).collect();
        let other: Vec<&str> = plan.events.iter().map(|e| e.other.as_str()).collect();
        tx.execute(
            "INSERT INTO chorus_story_events (version, kind, story, other)
             SELECT $1, n.kind, n.story, n.other
             FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS n(kind, story, other, i)
             ORDER BY n.i",
            &[&version, &kinds, &story, &other],
        )
        .map_err(db_err)?;
        tx.execute("UPDATE chorus_cluster_state SET reconciled = $1 WHERE k = 1", &[&version])
            .map_err(db_err)?;
        tx.commit().map_err(db_err)?;
        Ok(Some(plan))
    }
}

/// The stored clusterer state inside an assignment transaction.
struct PgState<'a, 'b> {
    tx: &'a mut Transaction<'b>,
    version: u64,
}

impl ClusterState for PgState<'_, '_> {
    fn version(&self) -> u64 {
        self.version
    }

    fn snapshot(&mut self) -> Result<Option<Vec<u8>>, StoreError> {
        let row = self
            .tx
            .query_opt("SELECT snapshot FROM chorus_cluster_state WHERE k = 1", &[])
            .map_err(db_err)?;
        Ok(row.map(|r| r.get(0)))
    }

    fn assigned_after(&mut self, seq: u64) -> Result<Vec<ArticleRow>, StoreError> {
        let rows = self
            .tx
            .query(
                "SELECT seq, article, analyzed, coalesce(online, story), why
                 FROM chorus_articles
                 WHERE seq > $1 AND story IS NOT NULL ORDER BY seq",
                &[&(seq.min(i64::MAX as u64) as i64)],
            )
            .map_err(db_err)?;
        article_rows(&rows)
    }

    fn merged_into(&mut self, story: &str) -> Result<Option<String>, StoreError> {
        let row = self
            .tx
            .query_opt("SELECT merged_into FROM chorus_stories WHERE id = $1", &[&story])
            .map_err(db_err)?;
        Ok(row.and_then(|r| r.get(0)))
    }
}
