//! The ingest stage: turns input paths (files, directories walked recursively, `-` for
//! stdin) into [`Article`]s. Formats: text, JSONL, HTML pages ([`html`]), RSS/Atom feeds
//! ([`feed`]), WARC archives ([`warc`], streamed), each optionally gzip-compressed
//! ([`gzip`]); chosen by extension, else by content. Each file is decoded from whatever
//! charset it is in ([`decode`]); a file, JSONL line, feed item or WARC record that cannot be
//! read is reported as an [`IngestError`] naming it, and everything else goes on.

pub mod decode;
pub mod feed;
pub mod gzip;
pub mod html;
pub mod jsonl;
pub mod warc;

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::error::IngestError;
use crate::record::Article;

/// The longest article text read, in bytes (256 KiB, several times the longest feature
/// article). Longer texts are reported, not read: they are dumps or junk, and per-article
/// analysis grows faster than linearly with text length (256 KiB takes ~3 s, 1 MiB ~1 min).
pub const MAX_ARTICLE_BYTES: usize = 256 << 10;

/// The largest text or HTML file read as one document (64 MiB, as a WARC record): checked
/// before reading, so a huge file costs nothing.
pub const MAX_DOCUMENT_BYTES: u64 = 64 << 20;

/// The largest file of many articles (JSONL, feed) read, as [`gzip::MAX_DECOMPRESSED`]:
/// such files are read whole. WARC files are streamed and have no limit.
pub const MAX_FILE_BYTES: u64 = gzip::MAX_DECOMPRESSED;

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
    /// One HTML page.
    Html,
    /// An RSS or Atom feed: one article per item.
    Feed,
    /// A WARC archive: one article per HTML response.
    Warc,
}

impl InputFormat {
    /// The format of a path, by extension (under a `.gz`); `None` for files chorus does not
    /// read by name (`.xml` is a feed only if its content says so).
    pub fn of(path: &Path) -> Option<InputFormat> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = name.rsplit_once('.')?.1;
        match ext {
            "txt" | "text" => Some(InputFormat::Text),
            "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
            "html" | "htm" | "xhtml" => Some(InputFormat::Html),
            "rss" | "atom" => Some(InputFormat::Feed),
            "warc" => Some(InputFormat::Warc),
            _ => None,
        }
    }

    /// Guesses the format of bytes (already decompressed): WARC, HTML, feed (any XML, so
    /// that a non-feed XML file is reported rather than read as text), JSONL, text.
    pub fn sniff(bytes: &[u8]) -> InputFormat {
        let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
        let head = &bytes[start..];
        if head.starts_with(b"WARC/1.") {
            InputFormat::Warc
        } else if html::looks_like_html(bytes) {
            InputFormat::Html
        } else if head.starts_with(b"<?xml") || (head.starts_with(b"<") && is_feed(head)) {
            InputFormat::Feed
        } else if head.starts_with(b"{") {
            InputFormat::Jsonl
        } else {
            InputFormat::Text
        }
    }
}

fn is_feed(head: &[u8]) -> bool {
    let head = head.get(..4096).unwrap_or(head);
    let text = String::from_utf8_lossy(head);
    feed::looks_like_feed(&text)
}

/// Whether a file found in a directory walk is read: a known extension, or `.xml`.
fn readable(path: &Path) -> bool {
    if InputFormat::of(path).is_some() {
        return true;
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    name.ends_with(".xml") || name.ends_with(".xml.gz")
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
        } else if readable(&p) {
            files.push(p);
        }
    }
}

/// Reads every input. Never fails as a whole: what cannot be read is in `errors`.
pub fn read_inputs(inputs: &[PathBuf]) -> Ingested {
    let (files, errors) = list_files(inputs);
    let mut out = Ingested { articles: Vec::new(), errors };
    for f in files {
        read_file(&f, &mut out);
    }
    out
}

/// Reads one file (or stdin for `-`) into `out`. WARC files are streamed; other formats
/// are read whole (decompressed when gzip).
pub fn read_file(path: &Path, out: &mut Ingested) {
    let from = out.articles.len();
    read_file_uncapped(path, out);
    drop_too_long(&path.display().to_string(), from, out);
}

fn read_file_uncapped(path: &Path, out: &mut Ingested) {
    let origin = path.display().to_string();
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        return match std::io::stdin().lock().read_to_end(&mut buf) {
            Ok(_) => read_unknown(&origin, &stem(path), &buf, out),
            Err(e) => out.errors.push(IngestError::io(path, e)),
        };
    }
    let by_name = InputFormat::of(path);
    if by_name == Some(InputFormat::Warc)
        || (by_name.is_none() && peek_format(path) == Some(InputFormat::Warc))
    {
        return match std::fs::File::open(path) {
            Ok(f) => warc::read(&origin, BufReader::new(f), out),
            Err(e) => out.errors.push(IngestError::io(path, e)),
        };
    }
    let limit = match by_name {
        Some(InputFormat::Text | InputFormat::Html) => MAX_DOCUMENT_BYTES,
        _ => MAX_FILE_BYTES,
    };
    if let Some(size) = std::fs::metadata(path).ok().map(|m| m.len()).filter(|&n| n > limit) {
        return out.errors.push(IngestError::too_large(origin, "the file", size, limit));
    }
    match std::fs::read(path) {
        Ok(b) => read_as(&origin, &stem(path), &b, by_name, out),
        Err(e) => out.errors.push(IngestError::io(path, e)),
    }
}

/// The sniffed format of a file's first bytes (decompressed when gzip).
fn peek_format(path: &Path) -> Option<InputFormat> {
    let file = std::fs::File::open(path).ok()?;
    let mut peek = gzip::Peek::new(file);
    let gz = gzip::is_gzip(peek.peek(2).ok()?);
    let mut head = Vec::new();
    if gz {
        let mut dec = flate2::bufread::GzDecoder::new(peek).take(4096);
        let _ = dec.read_to_end(&mut head);
    } else {
        head.extend_from_slice(peek.peek(4096).ok()?);
    }
    Some(InputFormat::sniff(&head))
}

/// Reads bytes of a known format (gunzipped first when they are gzip); `id` names a text
/// or HTML article, and prefixes unnamed records.
pub fn read_bytes(origin: &str, id: &str, bytes: &[u8], format: InputFormat, out: &mut Ingested) {
    let from = out.articles.len();
    read_as(origin, id, bytes, Some(format), out);
    drop_too_long(origin, from, out);
}

/// Reads bytes whose format is sniffed from their content (see [`InputFormat::sniff`]).
pub fn read_unknown(origin: &str, id: &str, bytes: &[u8], out: &mut Ingested) {
    let from = out.articles.len();
    read_as(origin, id, bytes, None, out);
    drop_too_long(origin, from, out);
}

/// Moves the articles from index `from` on whose text is over [`MAX_ARTICLE_BYTES`] to
/// `out.errors`, one error each naming the article.
fn drop_too_long(origin: &str, from: usize, out: &mut Ingested) {
    if out.articles.get(from..).unwrap_or(&[]).iter().all(|a| a.raw.len() <= MAX_ARTICLE_BYTES) {
        return;
    }
    let read: Vec<Article> = out.articles.drain(from..).collect();
    for a in read {
        if a.raw.len() <= MAX_ARTICLE_BYTES {
            out.articles.push(a);
        } else {
            let what = format!("article {:?}: its text", a.id);
            let (size, limit) = (a.raw.len() as u64, MAX_ARTICLE_BYTES as u64);
            out.errors.push(IngestError::too_large(origin, what, size, limit));
        }
    }
}

fn read_as(origin: &str, id: &str, bytes: &[u8], format: Option<InputFormat>, out: &mut Ingested) {
    if gzip::is_gzip(bytes) {
        return match gzip::gunzip(bytes) {
            Ok(plain) if gzip::is_gzip(&plain) => {
                out.errors.push(IngestError::decode(origin, "gzip inside gzip"))
            }
            Ok(plain) => read_as(origin, id, &plain, format, out),
            Err(why) => out.errors.push(IngestError::decode(origin, why)),
        };
    }
    let format = format.unwrap_or_else(|| InputFormat::sniff(bytes));
    match format {
        InputFormat::Warc => return warc::read(origin, bytes, out),
        InputFormat::Html => {
            return match html::extract_bytes(bytes, None) {
                Ok(page) => match page.into_article(id) {
                    Some(a) => out.articles.push(a),
                    None => out.errors.push(IngestError::empty(origin)),
                },
                Err(why) => out.errors.push(IngestError::decode(origin, why)),
            }
        }
        _ => {}
    }
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
        InputFormat::Feed => feed::read(origin, id, &text, out),
        InputFormat::Html | InputFormat::Warc => {}
    }
}

fn stem(path: &Path) -> String {
    if path.as_os_str() == "-" {
        return "stdin".into();
    }
    let name = path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let name = name.strip_suffix(".gz").or(name.strip_suffix(".GZ")).unwrap_or(&name);
    let stem = Path::new(name).file_stem().map(|s| s.to_string_lossy().into_owned());
    stem.filter(|s| !s.is_empty()).unwrap_or_else(|| "input".into())
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

    s.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
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
        read_bytes("x.jsonl", "x", data.as_bytes(), InputFormat::Jsonl, &mut out);
        let ids: Vec<_> = out.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"]);
        assert_eq!(out.articles[1].date, NaiveDate::from_ymd_opt(2024, 1, 2));
        assert_eq!(out.errors.len(), 2);
        assert_eq!(out.errors[0].line(), Some(2));
        assert!(out.errors[1].to_string().starts_with("x.jsonl:3:"));
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).expect("write to vec");
        e.finish().expect("finish gzip")
    }

    fn fixture(name: &str) -> Vec<u8> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/ingest");
        std::fs::read(dir.join(name)).expect("fixture")
    }

    #[test]
    fn a_mixed_batch_reads_the_good_and_names_the_bad() {
        let dir = std::env::temp_dir().join(format!("chorus-ingest-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).expect("temp dir");
        let page = fixture("news_nav_aside.html");
        let truncated = gz(&page);
        let files: Vec<(&str, Vec<u8>)> = vec![
            ("a_page.html", page.clone()),
            ("b_page.html.gz", gz(&fixture("bare.htm"))),
            ("c_cut.html.gz", truncated[..truncated.len() / 2].to_vec()),
            ("d_garbage.html", vec![0, 159, 146, 150, 0, 0, 1, 2, 3]),
            ("e_feed.rss", fixture("feed_atom.atom")),
            ("f_notes.txt", b"Plain text article.".to_vec()),
            ("g_junk.warc", b"\x00\x01\x02 not a warc".to_vec()),
            ("sub/h_sniffed.xml", fixture("feed_rss2.rss")),
            ("sub/i_ignored.png", vec![0x89, b'P', b'N', b'G']),
        ];
        for (name, data) in &files {
            std::fs::write(dir.join(name), data).expect("write fixture");
        }
        let got = read_inputs(std::slice::from_ref(&dir));
        let ids: Vec<&str> = got.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "a_page",
                "b_page",
                "tag:upland.example,2031:school-roof",
                "tag:upland.example,2031:orchard",
                "f_notes",
                "herald-1001",
                "https://herald.example/ferry-fares"
            ]
        );
        let named: Vec<String> = got
            .errors
            .iter()
            .map(|e| {
                e.path()
                    .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(
            named,
            ["c_cut.html.gz", "d_garbage.html", "g_junk.warc", "h_sniffed.xml"],
            "{:?}",
            got.errors
        );
        // An explicitly named file of unknown extension is sniffed.
        std::fs::write(dir.join("page.dat"), &page).expect("write");
        let got = read_inputs(&[dir.join("page.dat")]);
        assert_eq!(got.articles.len(), 1);
        assert_eq!(
            got.articles[0].title.as_deref(),
            Some("Harbour bridge reopens after storm repairs")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn formats_by_name_and_content() {
        let cases: [(&str, Option<InputFormat>); 7] = [
            ("a.txt", Some(InputFormat::Text)),
            ("a.JSONL.gz", Some(InputFormat::Jsonl)),
            ("a.htm", Some(InputFormat::Html)),
            ("a.rss", Some(InputFormat::Feed)),
            ("crawl.warc.gz", Some(InputFormat::Warc)),
            ("a.gz", None),
            ("a.xml", None),
        ];
        for (name, want) in cases {
            assert_eq!(InputFormat::of(Path::new(name)), want, "{name}");
        }
        let sniffed: [(&[u8], InputFormat); 5] = [
            (b"WARC/1.0\r\n", InputFormat::Warc),
            (b"<!DOCTYPE html>", InputFormat::Html),
            (b"<?xml version='1.0'?><feed xmlns='x'>", InputFormat::Feed),
            (b"{\"id\":1}", InputFormat::Jsonl),
            (b"Just words.", InputFormat::Text),
        ];
        for (bytes, want) in sniffed {
            assert_eq!(InputFormat::sniff(bytes), want);
        }
    }

    #[test]
    fn jsonl_html_records_use_the_extractor() {
        let mut out = Ingested::default();
        let html = String::from_utf8(fixture("og_split.html")).expect("utf-8");
        let line = serde_json::json!({"id": "x1", "html": html}).to_string();
        read_bytes("h.jsonl", "h", line.as_bytes(), InputFormat::Jsonl, &mut out);
        assert_eq!(out.articles.len(), 1, "{:?}", out.errors);
        let a = &out.articles[0];
        assert_eq!(a.title.as_deref(), Some("Rail strike ends after pay deal"));
        assert_eq!(a.source.as_deref(), Some("Metro Post"));
        assert_eq!(a.raw.lines().count(), 4);
    }

    #[test]
    fn binary_is_rejected_by_name() {
        let mut out = Ingested::default();
        read_bytes("blob.txt", "blob", &[0, 1, 2, 0, 0, 0, 255, 0], InputFormat::Text, &mut out);
        assert!(out.articles.is_empty());
        assert!(out.errors[0].to_string().contains("blob.txt"));
    }
}
