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

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read articles, and report their stories, origins, facts, conflicts, quotes and timeline.
    Run {
        /// Files (.txt, .jsonl) or directories (walked recursively); `-` reads stdin.
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
    },
}
