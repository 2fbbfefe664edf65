//! Errors of the engine's stage boundaries: a public struct around a private kind, so the
//! kinds can grow without breaking callers.

use std::fmt;
use std::path::PathBuf;

/// Why an input (a file, a JSONL line, stdin) could not be read into articles.
#[derive(Debug)]
pub struct IngestError {
    origin: String,
    kind: IngestErrorKind,
}

#[derive(Debug)]
enum IngestErrorKind {
    Io(std::io::Error),
    Decode(String),
    Json {
        line: usize,
        message: String,
    },
    Empty,
    /// The file is not valid in its format (an XML error, an unknown feed root…).
    Malformed(String),
    /// A file or an article is larger than chorus reads (see the limits in `ingest`).
    TooLarge {
        what: String,
        size: u64,
        limit: u64,
    },
    /// One record of a container file (a WARC record, a feed item) could not be read.
    Record {
        record: usize,
        message: String,
    },
}

/// The most characters of a message kept (parser messages can quote whole stretches of the
/// input, e.g. an XML close tag that runs over many lines).
const MAX_MESSAGE_CHARS: usize = 200;

/// A message as one short line: control characters (newlines, tabs…) escaped, cut at
/// [`MAX_MESSAGE_CHARS`] with `…`, so every skipped input is reported on one line.
fn one_line(message: String) -> String {
    let clean = |c: char| c.is_control() || c == '\u{2028}' || c == '\u{2029}';
    if message.chars().count() <= MAX_MESSAGE_CHARS && !message.chars().any(clean) {
        return message;
    }
    let mut out = String::new();
    for (i, c) in message.chars().enumerate() {
        if i == MAX_MESSAGE_CHARS {
            out.push('…');
            break;
        }
        if clean(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

impl IngestError {
    pub(crate) fn io(path: &std::path::Path, err: std::io::Error) -> IngestError {
        IngestError { origin: path.display().to_string(), kind: IngestErrorKind::Io(err) }
    }
    pub(crate) fn decode(origin: impl Into<String>, why: impl Into<String>) -> IngestError {
        IngestError { origin: origin.into(), kind: IngestErrorKind::Decode(one_line(why.into())) }
    }
    pub(crate) fn json(origin: impl Into<String>, line: usize, message: String) -> IngestError {
        let message = one_line(message);
        IngestError { origin: origin.into(), kind: IngestErrorKind::Json { line, message } }
    }
    pub(crate) fn empty(origin: impl Into<String>) -> IngestError {
        IngestError { origin: origin.into(), kind: IngestErrorKind::Empty }
    }
    pub(crate) fn malformed(origin: impl Into<String>, why: impl Into<String>) -> IngestError {
        IngestError {
            origin: origin.into(),
            kind: IngestErrorKind::Malformed(one_line(why.into())),
        }
    }
    pub(crate) fn too_large(
        origin: impl Into<String>,
        what: impl Into<String>,
        size: u64,
        limit: u64,
    ) -> IngestError {
        IngestError {
            origin: origin.into(),
            kind: IngestErrorKind::TooLarge { what: what.into(), size, limit },
        }
    }
    pub(crate) fn record(origin: impl Into<String>, record: usize, message: String) -> IngestError {
        let message = one_line(message);
        IngestError { origin: origin.into(), kind: IngestErrorKind::Record { record, message } }
    }
    /// The file (or `-` for stdin) the error comes from.
    pub fn origin(&self) -> &str {
        &self.origin
    }
    /// The path, when the origin is a file.
    pub fn path(&self) -> Option<PathBuf> {
        (self.origin != "-").then(|| PathBuf::from(&self.origin))
    }
    /// The 1-based JSONL line number, when the error is about one line.
    pub fn line(&self) -> Option<usize> {
        match self.kind {
            IngestErrorKind::Json { line, .. } => Some(line),
            _ => None,
        }
    }
    /// The 1-based record number (WARC record, feed item), when the error is about one.
    pub fn record_number(&self) -> Option<usize> {
        match self.kind {
            IngestErrorKind::Record { record, .. } => Some(record),
            _ => None,
        }
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            IngestErrorKind::Io(e) => write!(f, "{}: cannot read: {e}", self.origin),
            IngestErrorKind::Decode(why) => write!(f, "{}: cannot decode: {why}", self.origin),
            IngestErrorKind::Json { line, message } => {
                write!(f, "{}:{line}: bad JSONL record: {message}", self.origin)
            }
            IngestErrorKind::Empty => write!(f, "{}: no text", self.origin),
            IngestErrorKind::Malformed(why) => write!(f, "{}: malformed: {why}", self.origin),
            IngestErrorKind::TooLarge { what, size, limit } => {
                write!(f, "{}: {what} is {size} bytes, over the limit of {limit}", self.origin)
            }
            IngestErrorKind::Record { record, message } => {
                write!(f, "{}: record {record}: {message}", self.origin)
            }
        }
    }
}

impl std::error::Error for IngestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            IngestErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::IngestError;

    #[test]
    fn messages_are_one_short_line() {
        let long = format!("close tag `</s:dc=\"x\n  <title>{}` does not match", "y".repeat(500));
        let cases = [
            IngestError::malformed("f.rss", long.clone()),
            IngestError::record("f.warc", 2, long.clone()),
            IngestError::json("f.jsonl", 3, long.clone()),
            IngestError::decode("f.txt", long),
        ];
        for e in cases {
            let line = e.to_string();
            assert!(!line.contains('\n'), "{line}");
            assert!(line.contains("\\n  <title>"), "{line}");
            assert!(line.ends_with('…') && line.chars().count() < 240, "{line}");
        }
        let short = IngestError::malformed("f.rss", "not an RSS or Atom feed");
        assert_eq!(short.to_string(), "f.rss: malformed: not an RSS or Atom feed");
    }
}
