//! The `chorus` command line: parses arguments, calls the engine, writes output.
//!
//! This is the only place `anyhow` lives. Exit codes: 0 success; 1 failure; 2 usage error
//! (clap); 3 partial success (some inputs could not be read: each is reported on stderr by
//! name, everything else was processed). A closed stdout (`chorus run … | head`) is success.

mod annotate;
mod archive;
mod bench;
mod cli;
mod eval;
mod serve;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use chorus_engine::ingest::{self, Ingested};
use chorus_engine::pipeline::{self, PipelineConfig, Step};
use chorus_engine::render::{self, Format};
use clap::Parser;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use cli::{Cli, Command, ExtractFormat, OutputFormat};

/// mimalloc instead of the system allocator: a run allocates many small strings and vectors
/// on every thread, and glibc malloc took about a fifth of its CPU time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's option that delays returning freed memory to the OS, in milliseconds.
const PURGE_DELAY: &str = "MIMALLOC_PURGE_DELAY";

/// Restarts this process (`exec`, same pid, arguments and descriptors) with mimalloc told
/// never to return freed memory to the OS, unless [`PURGE_DELAY`] is already set.
///
/// A batch command frees and reallocates large buffers all the time; by default mimalloc
/// hands idle memory back after a moment and the next allocation faults it in again (as
/// zeroed transparent huge pages): 4–13% of the CPU time of `chorus run`/`annotate` went to
/// the kernel zeroing pages. Kept, the memory is simply reused (page faults of `run` on
/// 10,000 articles: 18,453 → 969; peak resident memory ≈6% higher). mimalloc reads its
/// options when the process loads, before `main`, hence the `exec` (about a millisecond);
/// the server keeps the default, returning memory after load peaks. If `exec` fails, the
/// command runs on with the default.
#[cfg(unix)]
fn keep_freed_memory() {
    use std::os::unix::process::CommandExt;
    if std::env::var_os(PURGE_DELAY).is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else { return };
    let mut args = std::env::args_os();
    let mut cmd = std::process::Command::new(exe);
    if let Some(arg0) = args.next() {
        cmd.arg0(arg0);
    }
    // `exec` returns only when it failed; then this process simply carries on.
    let _failed = cmd.args(args).env(PURGE_DELAY, "-1").exec();
}

/// Elsewhere mimalloc keeps its default (no `exec`).
#[cfg(not(unix))]
fn keep_freed_memory() {}

/// Exit code when some inputs were skipped but the rest was processed.
const EXIT_PARTIAL: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(
        cli.command,
        Command::Run { .. }
            | Command::Annotate { .. }
            | Command::Bench { .. }
            | Command::Ingest { .. }
    ) {
        keep_freed_memory();
    }
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CHORUS_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    match dispatch(cli) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("chorus: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Prints a line to stdout, returning the error (a closed pipe ends the command quietly in
/// `main`) where `println!` would panic.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}
pub(crate) use outln;

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn dispatch(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Run { inputs, format, out, date, quiet, html_all, stories_only } => {
            let opts = RunOptions { quiet, html_all, stories_only };
            run(&inputs, format, out.as_deref(), date.as_deref(), opts)
        }
        Command::Ingest { inputs, db, date } => archive::ingest(&inputs, db, date.as_deref()),
        Command::Stories { since, search, entity, order, limit, format, db } => {
            archive::stories(archive::StoriesArgs {
                db,
                since,
                search,
                entity,
                order,
                limit,
                format,
            })
        }
        Command::Show { story, format, db } => archive::show(&story, db, format),
        Command::Search { query, limit, format, db } => archive::search(&query, db, limit, format),
        Command::Repair { input, explain } => repair(&input, explain),
        Command::Extract { input, format } => extract(&input, format),
        Command::Compare { model_dir, no_embeddings } => {
            eval::compare(model_dir.as_deref(), no_embeddings)
        }
        Command::Eval { what } => eval::eval(what),
        Command::Train { what } => eval::train(what),
        Command::Bench { input, sizes, child, stories_only } => {
            match (child, sizes.as_slice()) {
                (true, &[n]) => bench::child(&input, n, stories_only)?,
                _ => bench::run(&input, &sizes)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { addr, db, token, max_body } => {
            let store = archive::open_store(&archive::resolve_db(db)?)?;
            let token = token.or_else(|| std::env::var("CHORUS_TOKEN").ok());
            serve::run(store, serve::ServeArgs { addr, token, max_body })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Annotate { inputs, date, .. } => {
            let config = config(date.as_deref())?;
            let ingested = read(&inputs)?;
            let code = exit_code(&ingested);
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            annotate::write_jsonl(ingested.articles, &config, &mut out)?;
            out.flush()?;
            Ok(code)
        }
    }
}

fn config(date: Option<&str>) -> Result<PipelineConfig> {
    let default_date = match date {
        Some(d) => Some(
            ingest::parse_date(d).with_context(|| format!("--date {d:?}: expected YYYY-MM-DD"))?,
        ),
        None => None,
    };
    Ok(PipelineConfig { default_date, ..PipelineConfig::default() })
}

/// Reads the inputs, reporting every skipped file or record on stderr.
fn read(inputs: &[PathBuf]) -> Result<Ingested> {
    let ingested = ingest::read_inputs(inputs);
    for e in &ingested.errors {
        eprintln!("chorus: skipped {e}");
    }
    if ingested.articles.is_empty() {
        anyhow::bail!(
            "no articles read from {}",
            inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        );
    }
    Ok(ingested)
}

fn exit_code(ingested: &Ingested) -> ExitCode {
    if ingested.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_PARTIAL)
    }
}

/// The switches of `chorus run`.
struct RunOptions {
    /// No progress bars.
    quiet: bool,
    /// Markdown and HTML list everything.
    html_all: bool,
    /// Stories, origins and derivations only.
    stories_only: bool,
}

fn run(
    inputs: &[PathBuf],
    format: OutputFormat,
    out: Option<&Path>,
    date: Option<&str>,
    RunOptions { quiet, html_all, stories_only }: RunOptions,
) -> Result<ExitCode> {
    let config = PipelineConfig { stories_only, ..config(date)? };
    let ingested = read(inputs)?;
    let code = exit_code(&ingested);
    let n = ingested.articles.len();
    let started = std::time::Instant::now();
    let bars = Bars::new(!quiet && std::io::stderr().is_terminal());
    let progress = |step, done, total| bars.update(step, done, total);
    // Articles wait in a temporary spill file between analysis and synthesis, and the JSON
    // report is written story by story: memory grows slowly with the corpus.
    let streamed = pipeline::stream_run(ingested.articles, &config, &progress)
        .context("cannot keep analyzed articles in a temporary file (TMPDIR)")?;
    let format = match format {
        OutputFormat::Json => Format::Json,
        OutputFormat::Md => Format::Markdown,
        OutputFormat::Html => Format::Html,
    };
    let open = |path: &Path| {
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))
    };
    match (format, out) {
        (Format::Json, Some(path)) => {
            let mut w = std::io::BufWriter::new(open(path)?);
            streamed
                .write_json(&mut w, &progress)
                .and_then(|_| w.flush())
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        (Format::Json, None) => {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            streamed.write_json(&mut w, &progress)?;
            w.write_all(b"\n")?;
            w.flush()?;
        }
        (format, out) => {
            let report = streamed.into_report(&progress)?;
            let text = match format {
                Format::Html if html_all => {
                    render::html::render_with(&report, &render::Limits::UNLIMITED)
                }
                Format::Markdown if html_all => {
                    render::markdown::render_with(&report, &render::Limits::UNLIMITED)
                }
                format => render::render(&report, format),
            };
            match out {
                Some(path) => std::fs::write(path, text)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => {
                    let mut stdout = std::io::stdout().lock();
                    stdout.write_all(text.as_bytes())?;
                    stdout.write_all(b"\n")?;
                    stdout.flush()?;
                }
            }
        }
    }
    bars.finish();
    tracing::info!(articles = n, secs = started.elapsed().as_secs_f64(), "run finished");
    Ok(code)
}

fn repair(input: &Path, explain: bool) -> Result<ExitCode> {
    let bytes = if input.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf)?;
        buf
    } else {
        std::fs::read(input).with_context(|| format!("cannot read {}", input.display()))?
    };
    let raw = ingest::decode::decode(&bytes)
        .map_err(|why| anyhow::anyhow!("{}: cannot decode: {why}", input.display()))?;
    let repaired = chorus_engine::repair::repair(&raw);
    let mut stdout = std::io::stdout().lock();
    if explain {
        serde_json::to_writer_pretty(&mut stdout, &repaired.repairs)?;
        stdout.write_all(b"\n")?;
    } else {
        stdout.write_all(repaired.text.as_bytes())?;
        if !repaired.text.ends_with('\n') {
            stdout.write_all(b"\n")?;
        }
    }
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn extract(input: &Path, format: ExtractFormat) -> Result<ExitCode> {
    let mut bytes = if input.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf)?;
        buf
    } else {
        std::fs::read(input).with_context(|| format!("cannot read {}", input.display()))?
    };
    if ingest::gzip::is_gzip(&bytes) {
        bytes = ingest::gzip::gunzip(&bytes)
            .map_err(|why| anyhow::anyhow!("{}: {why}", input.display()))?;
    }
    let page = ingest::html::extract_bytes(&bytes, None)
        .map_err(|why| anyhow::anyhow!("{}: cannot decode: {why}", input.display()))?;
    let mut stdout = std::io::stdout().lock();
    match format {
        ExtractFormat::Json => {
            serde_json::to_writer_pretty(&mut stdout, &page)?;
            stdout.write_all(b"\n")?;
        }
        ExtractFormat::Text => {
            stdout.write_all(page.text.as_bytes())?;
            if !page.text.is_empty() {
                stdout.write_all(b"\n")?;
            }
        }
    }
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Progress bars on stderr, one per step, shown only on a terminal.
struct Bars {
    multi: Option<MultiProgress>,
    bars: [ProgressBar; 3],
}

impl Bars {
    fn new(show: bool) -> Bars {
        let style =
            ProgressStyle::with_template("{prefix:>10} [{bar:30}] {pos}/{len} {per_sec} eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
        let multi = show.then(MultiProgress::new);
        let bars = [Step::Analyze, Step::Cluster, Step::Synthesize].map(|s| {
            let bar = ProgressBar::hidden().with_style(style.clone()).with_prefix(s.label());
            match &multi {
                Some(m) => m.add(bar),
                None => bar,
            }
        });
        Bars { multi, bars }
    }

    fn update(&self, step: Step, done: usize, total: usize) {
        if self.multi.is_none() {
            return;
        }
        let bar = &self.bars[step as usize];
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    }

    fn finish(&self) {
        if self.multi.is_some() {
            for b in &self.bars {
                b.finish_and_clear();
            }
        }
    }
}
