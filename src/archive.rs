//! The archive commands: `chorus ingest`, `stories`, `show`, `search`. They open a
//! [`Store`] (SQLite file by default; [`open_store`] is where other backends plug in) and
//! print what it answers.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chorus_engine::render::{self, Format};
use chorus_engine::report::Report;
use chorus_engine::store::sqlite::{self, SqliteStore};
use chorus_engine::store::{Store, StoryOrder, StoryQuery};

use crate::cli::{ListFormat, OutputFormat, StoryOrderArg};
use crate::outln;

/// Opens the archive named by `db`: a `postgres://` URL or an SQLite file path.
pub fn open_store(db: &str) -> Result<Box<dyn Store>> {
    if chorus_pgstore::is_url(db) {
        let store = chorus_pgstore::open(db)
            .with_context(|| format!("cannot open PostgreSQL archive {}", redact(db)))?;
        return Ok(Box::new(store));
    }
    let store = SqliteStore::open(db).with_context(|| format!("cannot open archive {db}"))?;
    Ok(Box::new(store))
}

/// `db` with the password of a `postgres://user:password@…` URL hidden (for messages).
fn redact(db: &str) -> String {
    let Some((scheme, rest)) = db.split_once("://") else { return db.to_string() };
    let Some((userinfo, host)) = rest.split_once('@') else { return db.to_string() };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => db.to_string(),
    }
}

/// The archive to use: `--db`, else `$CHORUS_DB`, else the default file under the user's
/// data directory.
pub fn resolve_db(db: Option<String>) -> Result<String> {
    if let Some(db) = db.filter(|d| !d.is_empty()) {
        return Ok(db);
    }
    if let Some(db) = std::env::var("CHORUS_DB").ok().filter(|d| !d.is_empty()) {
        return Ok(db);
    }
    let path: PathBuf = sqlite::default_path().context(
        "no archive given: pass --db PATH or set CHORUS_DB (neither XDG_DATA_HOME nor HOME is set)",
    )?;
    Ok(path.display().to_string())
}

/// `chorus ingest`: reads the inputs and adds them to the archive.
pub fn ingest(inputs: &[PathBuf], db: Option<String>, date: Option<&str>) -> Result<ExitCode> {
    let config = crate::config(date)?;
    let db = resolve_db(db)?;
    let ingested = crate::read(inputs)?;
    let code = crate::exit_code(&ingested);
    let mut articles = ingested.articles;
    if let Some(d) = config.default_date {
        for a in articles.iter_mut().filter(|a| a.date.is_none()) {
            a.date = Some(d);
        }
    }
    let store = open_store(&db)?;
    let started = std::time::Instant::now();
    let n = articles.len();
    let out = store.ingest(articles).with_context(|| format!("ingest into {db}"))?;
    let fixed = reconcile(&*store).with_context(|| format!("reconcile {db}"))?;
    let secs = started.elapsed().as_secs_f64();
    tracing::info!(articles = n, secs, "ingest finished");
    outln!(
        "added {} articles, {} duplicates; {} stories updated ({} new) in {db}",
        out.added,
        out.duplicates,
        out.stories.len(),
        out.new_stories
    )?;
    if fixed.moved > 0 {
        outln!(
            "reconciled: {} articles moved, {} stories merged into others, {} split off",
            fixed.moved,
            fixed.merged,
            fixed.split
        )?;
    }
    Ok(code)
}

/// Runs the archive's reconcile pass and rebuilds the stories it changed, so the archive's
/// stories are those of a batch run when the command returns.
fn reconcile(store: &dyn Store) -> Result<chorus_engine::store::ReconcileOutcome> {
    let out = store.reconcile()?;
    while store.synthesize_pending(usize::MAX)? > 0 {}
    Ok(out)
}

/// Options of `chorus stories`.
pub struct StoriesArgs {
    /// `--db`.
    pub db: Option<String>,
    /// `--since`.
    pub since: Option<String>,
    /// `--search`.
    pub search: Option<String>,
    /// `--entity`.
    pub entity: Option<String>,
    /// `--order`.
    pub order: StoryOrderArg,
    /// `--limit`.
    pub limit: usize,
    /// `--format`.
    pub format: ListFormat,
}

/// `chorus stories`: lists stories.
pub fn stories(args: StoriesArgs) -> Result<ExitCode> {
    let since = match &args.since {
        Some(d) => Some(
            chorus_engine::ingest::parse_date(d)
                .with_context(|| format!("--since {d:?}: expected YYYY-MM-DD"))?,
        ),
        None => None,
    };
    let store = open_store(&resolve_db(args.db)?)?;
    let query = StoryQuery {
        since,
        text: args.search,
        entity: args.entity,
        order: match args.order {
            StoryOrderArg::Newest => StoryOrder::Newest,
            StoryOrderArg::Biggest => StoryOrder::Biggest,
        },
        limit: args.limit,
        ..StoryQuery::default()
    };
    let page = store.stories(&query)?;
    match args.format {
        ListFormat::Json => print_json(&page)?,
        ListFormat::Text => {
            for s in &page.stories {
                outln!(
                    "{}  {}  {:>3} articles  {:>2} sources  {}",
                    s.id,
                    s.updated,
                    s.articles,
                    s.independent_sources,
                    s.headline
                )?;
            }
            if page.total > page.stories.len() {
                outln!("({} of {} stories)", page.stories.len(), page.total)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `chorus show`: one story's report, rendered like `chorus run`'s.
pub fn show(story: &str, db: Option<String>, format: OutputFormat) -> Result<ExitCode> {
    let store = open_store(&resolve_db(db)?)?;
    let Some(report) = store.story(story)? else {
        anyhow::bail!("no story {story:?} in the archive (see `chorus stories`)");
    };
    let mut articles = Vec::with_capacity(report.articles.len());
    for id in &report.articles {
        if let Some(view) = store.article(id)? {
            articles.push(view.report);
        }
    }
    let report = Report { articles, stories: vec![report], stories_only: false };
    let format = match format {
        OutputFormat::Json => Format::Json,
        OutputFormat::Md => Format::Markdown,
        OutputFormat::Html => Format::Html,
    };
    let text = render::render(&report, format);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.write_all(b"\n")?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `chorus search`: full-text search over the archive's articles.
pub fn search(
    query: &str,
    db: Option<String>,
    limit: usize,
    format: ListFormat,
) -> Result<ExitCode> {
    let store = open_store(&resolve_db(db)?)?;
    let hits = store.search(query, limit)?;
    match format {
        ListFormat::Json => print_json(&serde_json::json!({ "hits": hits }))?,
        ListFormat::Text => {
            for h in &hits {
                outln!(
                    "{:.2}  {}  [{}]  {}",
                    h.score,
                    h.article,
                    h.story.as_deref().unwrap_or("-"),
                    h.title.as_deref().unwrap_or("")
                )?;
                outln!("      {}", h.snippet.replace('\n', " "))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `chorus eval cluster --archive`: ingests the labelled file into a fresh temporary
/// archive (online assignment, then the reconcile pass `chorus ingest` runs) and scores its stories like
/// `chorus eval cluster` scores `chorus run`'s. Articles the archive drops as duplicates
/// (same text as an earlier one) count as stories of their own.
pub fn eval_cluster(gold: &std::path::Path) -> Result<()> {
    use chorus_engine::eval::cluster;
    use chorus_engine::record::Story;
    let (articles, labels) =
        cluster::read(gold).with_context(|| format!("cannot read {}", gold.display()))?;
    let dir = std::env::temp_dir().join(format!("chorus-eval-archive-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let index: std::collections::HashMap<String, usize> =
        articles.iter().enumerate().map(|(i, a)| (a.id.clone(), i)).collect();
    let n = articles.len();
    let started = std::time::Instant::now();
    let result = (|| -> Result<Vec<Story>> {
        let store = SqliteStore::open(dir.join("eval.db"))?;
        store.ingest(articles)?;
        reconcile(&store)?;
        let page = store.stories(&StoryQuery { limit: 10_000, ..StoryQuery::default() })?;
        let mut seen = vec![false; n];
        let mut stories = Vec::new();
        for s in page.stories {
            let Some(report) = store.story(&s.id)? else { continue };
            let members: Vec<usize> =
                report.articles.iter().filter_map(|a| index.get(a).copied()).collect();
            for &m in &members {
                seen[m] = true;
            }
            stories.push(Story { id: s.id, articles: members, why: vec![] });
        }
        for (i, _) in seen.iter().enumerate().filter(|(_, s)| !**s) {
            stories.push(Story { id: format!("dup-{i}"), articles: vec![i], why: vec![] });
        }
        Ok(stories)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    let stories = result?;
    let secs = started.elapsed().as_secs_f64();
    outln!(
        "archive (online assignment + reconcile, {n} articles in {secs:.1}s)\n{}",
        cluster::score(&labels, &stories)
    )?;
    Ok(())
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, value)?;
    stdout.write_all(b"\n")?;
    stdout.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redact_hides_only_a_url_password() {
        let cases = [
            ("postgres://u:secret@h:5432/db", "postgres://u:***@h:5432/db"),
            ("postgresql://u@h/db", "postgresql://u@h/db"),
            ("postgres://h/db", "postgres://h/db"),
            ("/tmp/archive.db", "/tmp/archive.db"),
        ];
        for (db, want) in cases {
            assert_eq!(redact(db), want, "{db}");
        }
    }
}
