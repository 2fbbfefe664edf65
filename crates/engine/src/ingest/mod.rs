//! The ingest stage: turns input paths (files, directories walked recursively, `-` for
//! stdin) into [`Article`]s. Each file is decoded from whatever charset it is in
//! ([`decode`]); a file or JSONL line that cannot be read is reported as an [`IngestError`]
//! naming it, and everything else goes on.

pub mod decode;
pub mod jsonl;

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::error::IngestError;
use crate::record::Article;

/// What a batch of inputs gave: the articles, and the inputs that could not be read.
#[derive(Debug, Default)]
pub struct Ingested {
    /// Articles in input order.
    pub articles: Vec<Article>,
    /// One error per file or record that was skipped.
    pub errors: Vec<IngestError>,
}

/// The input formats recognised by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Whole file is one article's text.
    Text,
    /// One JSON article per line.
    Jsonl,
}

impl InputFormat {
    /// The format of a path, by extension; `None` for files chorus does not read.
    pub fn of(path: &Path) -> Option<InputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" | "md" => Some(InputFormat::Text),
            "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
            _ => None,
        }
    }
}

/// Lists the files under `inputs` (directories walked recursively, in name order).
/// Files given explicitly are kept whatever their extension; files found in directories
/// only when their format is known.
pub fn list_files(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<IngestError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            files.push(input.clone());
        } else if input.is_dir() {
            walk(input, &mut files, &mut errors);
        } else {
            files.push(input.clone());
        }
    }
    (files, errors)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<IngestError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return errors.push(IngestError::io(dir, e)),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, files, errors);
        } else if InputFormat::of(&p).is_some() {
            files.push(p);
        }
    }
}

/// Reads every input. Never fails as a whole: what cannot be read is in `errors`.
pub fn read_inputs(inputs: &[PathBuf]) -> Ingested {
    let (files, errors) = list_files(inputs);
    let mut out = Ingested {
        articles: Vec::new(),
        errors,
    };
    for f in files {
        read_file(&f, &mut out);
    }
    out
}

/// Reads one file (or stdin for `-`) into `out`.
pub fn read_file(path: &Path, out: &mut Ingested) {
    let stdin = path.as_os_str() == "-";
    let bytes = if stdin {
        let mut buf = Vec::new();
        match std::io::stdin().lock().read_to_end(&mut buf) {
            Ok(_) => buf,
            Err(e) => return out.errors.push(IngestError::io(path, e)),
        }
    } else {
        match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => return out.errors.push(IngestError::io(path, e)),
        }
    };
    let origin = path.display().to_string();
    let format = if stdin {
        sniff(&bytes)
    } else {
        InputFormat::of(path).unwrap_or(sniff(&bytes))
    };
    read_bytes(&origin, &stem(path), &bytes, format, out);
}

/// Reads bytes of a known format; `id` names a text article.
pub fn read_bytes(origin: &str, id: &str, bytes: &[u8], format: InputFormat, out: &mut Ingested) {
    let text = match decode::decode(bytes) {
        Ok(t) => t,
        Err(why) => return out.errors.push(IngestError::decode(origin, why)),
    };
    match format {
        InputFormat::Text => {
            if text.trim().is_empty() {
                out.errors.push(IngestError::empty(origin));
            } else {
                out.articles.push(Article::new(id, text));
            }
        }
        InputFormat::Jsonl => jsonl::read(origin, id, &text, out),
    }
}

/// Guesses the format of unnamed input (stdin): JSONL when the first non-blank line is a
/// JSON object, else text.
fn sniff(bytes: &[u8]) -> InputFormat {
    let first = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| bytes[i]);
    if first == Some(b'{') {
        InputFormat::Jsonl
    } else {
        InputFormat::Text
    }
}

fn stem(path: &Path) -> String {
    if path.as_os_str() == "-" {
        return "stdin".into();
    }
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "input".into())
}

/// Parses a publication date: RFC 3339, `YYYY-MM-DD`, or `YYYY-MM-DD hh:mm:ss`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(d.date_naive());
    }
    if let Ok(d) = chrono::DateTime::parse_from_rfc2822(s) {
        return Some(d.date_naive());
    }
    s.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse() {
        let d = NaiveDate::from_ymd_opt(2024, 12, 9);
        assert_eq!(parse_date("2024-12-09"), d);
        assert_eq!(parse_date("2024-12-09T10:00:00Z"), d);
        assert_eq!(parse_date("2024-12-09T23:30:00-05:00"), d);
        assert_eq!(parse_date("Mon, 09 Dec 2024 10:00:00 +0000"), d);
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn bad_lines_are_reported_and_the_rest_kept() {
        let mut out = Ingested::default();
        let data = "{\"id\":\"a\",\"text\":\"Hello there.\"}\nnot json\n{\"id\":\"b\"}\n\n{\"id\":\"c\",\"text\":\"More.\",\"published\":\"2024-01-02\"}\n";
        read_bytes(
            "x.jsonl",
            "x",
            data.as_bytes(),
            InputFormat::Jsonl,
            &mut out,
        );
        let ids: Vec<_> = out.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"]);
        assert_eq!(out.articles[1].date, NaiveDate::from_ymd_opt(2024, 1, 2));
        assert_eq!(out.errors.len(), 2);
        assert_eq!(out.errors[0].line(), Some(2));
        assert!(out.errors[1].to_string().starts_with("x.jsonl:3:"));
    }

    #[test]
    fn binary_is_rejected_by_name() {
        let mut out = Ingested::default();
        read_bytes(
            "blob.txt",
            "blob",
            &[0, 1, 2, 0, 0, 0, 255, 0],
            InputFormat::Text,
            &mut out,
        );
        assert!(out.articles.is_empty());
        assert!(out.errors[0].to_string().contains("blob.txt"));
    }
}
