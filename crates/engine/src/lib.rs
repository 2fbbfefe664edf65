//! chorus-engine: reads many outlets' articles and tells what the pile says.
//!
//! Records flow one way through the stages, each a module named after what it does:
//!
//! ```text
//! ingest  → Article    bytes (txt, JSONL, stdin; any charset) → articles
//! repair  → Repaired   mojibake, cut links, page furniture, repeated paragraphs; offset map
//! analyze → Analyzed   language, sentences, entities, quotes, time expressions, signature
//! derive  → Derivation copy / rewrite / translation edges → origin groups
//! cluster → Story      online story assignment with stable ids
//! synthesize → Report  entities, quotes, facts, conflicts, timeline, summary
//! render               JSON, Markdown, HTML
//! store                the growing archive: SQLite (PostgreSQL in chorus-pgstore)
//! ```
//!
//! [`pipeline::run`] calls them in order:
//!
//! ```
//! use chorus_engine::{pipeline, record::Article};
//! let articles = vec![
//!     Article::new("a", "The mayor of Port Ellery said on Monday that the bridge will reopen."),
//!     Article::new("b", "The mayor of Port Ellery said on Monday that the bridge will reopen soon."),
//! ];
//! let report = pipeline::run(articles, &pipeline::PipelineConfig::default());
//! assert_eq!(report.stories.len(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

pub mod analyze;
pub mod cluster;
pub mod derive;
pub mod error;
pub mod eval;
pub mod ingest;
pub mod offsets;
pub mod pipeline;
pub mod record;
pub mod render;
pub mod repair;
pub mod report;
pub mod store;
pub mod synthesize;
pub mod text;
