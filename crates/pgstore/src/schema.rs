//! The archive's tables on PostgreSQL and the migrations that bring an older archive up to
//! date. Applied by [`crate::PgBackend::open`] under an advisory lock, so several workers
//! opening one new database at once create the schema exactly once.
//!
//! Text that is compared or sorted (`id`, `updated`, entity names) uses the `"C"` collation,
//! so listings order byte-wise exactly as the SQLite backend's do, whatever the database's
//! default locale.

/// The schema version this code reads and writes (the number of [`MIGRATIONS`]).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// `MIGRATIONS[i]` takes an archive from schema version `i` to `i + 1`. Never edit a
/// released entry: append a new one.
pub const MIGRATIONS: &[&str] = &[
    // 0 → 1: the first schema.
    r#"
CREATE TABLE chorus_articles (
    seq        bigint PRIMARY KEY,
    id         text COLLATE "C" NOT NULL UNIQUE,
    hash       text COLLATE "C" NOT NULL UNIQUE,
    title      text,
    article    text NOT NULL,
    analyzed   text,
    body       text,
    tsv        tsvector,
    story      text COLLATE "C",
    why        text,
    claimed_by integer
);
CREATE INDEX chorus_articles_story ON chorus_articles (story, seq) WHERE story IS NOT NULL;
CREATE INDEX chorus_articles_unanalyzed ON chorus_articles (seq) WHERE analyzed IS NULL;
CREATE INDEX chorus_articles_unassigned ON chorus_articles (seq) WHERE story IS NULL;
CREATE INDEX chorus_articles_tsv ON chorus_articles USING gin (tsv);
CREATE TABLE chorus_cluster_state (
    k        integer PRIMARY KEY CHECK (k = 1),
    version  bigint NOT NULL,
    snapshot bytea NOT NULL
);
CREATE TABLE chorus_stories (
    id                  text COLLATE "C" PRIMARY KEY,
    generation          bigint NOT NULL,
    done_generation     bigint NOT NULL DEFAULT 0,
    claimed_by          integer,
    headline            text,
    articles            bigint,
    independent_sources bigint,
    updated             text COLLATE "C",
    outlets             text,
    first               text COLLATE "C",
    last                text COLLATE "C",
    report              text
);
CREATE INDEX chorus_stories_dirty ON chorus_stories (id) WHERE generation > done_generation;
CREATE INDEX chorus_stories_updated ON chorus_stories (updated DESC, id);
CREATE INDEX chorus_stories_biggest ON chorus_stories (articles DESC, updated DESC, id);
CREATE TABLE chorus_story_entities (
    name  text COLLATE "C" NOT NULL,
    story text COLLATE "C" NOT NULL,
    PRIMARY KEY (name, story)
);
CREATE INDEX chorus_story_entities_story ON chorus_story_entities (story);
"#,
    // 1 → 2: reconcile passes. `online` keeps the clusterer's story of an article a pass
    // moved (the replay reproduces that one), `merged_into` redirects an absorbed story,
    // `reconciled` is the state version last reconciled, `chorus_story_events` records the
    // merges and splits.
    r#"
ALTER TABLE chorus_articles ADD COLUMN online text COLLATE "C";
ALTER TABLE chorus_stories ADD COLUMN merged_into text COLLATE "C";
ALTER TABLE chorus_cluster_state ADD COLUMN reconciled bigint NOT NULL DEFAULT 0;
CREATE TABLE chorus_story_events (
    n       bigserial PRIMARY KEY,
    version bigint NOT NULL,
    kind    text NOT NULL,
    story   text COLLATE "C" NOT NULL,
    other   text COLLATE "C" NOT NULL
);
CREATE INDEX chorus_story_events_story ON chorus_story_events (story, n);
"#,
];

/// Creates the version table (idempotent); run before reading the version.
pub const META: &str = "CREATE TABLE IF NOT EXISTS chorus_meta (
    k integer PRIMARY KEY CHECK (k = 1),
    schema_version bigint NOT NULL
)";
