//! WARC input (WARC/1.0 and 1.1, plain or gzip-compressed per record), streamed: one
//! record in memory at a time. Every `response` record whose HTTP payload is HTML (and
//! every `resource` record of HTML) becomes an article: id and url = `WARC-Target-URI`,
//! published = the page's own date, else `WARC-Date`. Hand-written (the `warc` crate reads
//! whole gzip files and stops at the first bad record): a truncated or corrupt record is
//! reported by number and reading goes on with the next one.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read};

use super::gzip::{self, Members, Peek};
use super::{html, parse_date, Ingested};
use crate::error::IngestError;

/// Records larger than this are skipped unread (no web page is that large).
const MAX_RECORD: u64 = 64 << 20;
/// Header lines longer than this are cut (their rest is discarded).
const MAX_LINE: usize = 64 * 1024;

/// The byte source: plain, or gzip members that can be resynchronised after an error.
enum Source<R: Read> {
    Plain(Peek<R>),
    Gz(BufReader<Members<R>>),
}

impl<R: Read> Source<R> {
    fn reader(&mut self) -> &mut dyn BufRead {
        match self {
            Source::Plain(p) => p,
            Source::Gz(g) => g,
        }
    }

    /// After an error: skips what is left of a broken gzip member. False at the end.
    fn recover(&mut self) -> bool {
        match self {
            Source::Plain(_) => true,
            Source::Gz(g) => {
                let n = g.buffer().len();
                g.consume(n);
                g.get_mut().resync()
            }
        }
    }
}

/// One WARC record's named headers (lower-cased) and, when it was kept, its block.
#[derive(Debug, Default)]
struct Record {
    headers: HashMap<String, String>,
    block: Option<Vec<u8>>,
}

impl Record {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// Reads the WARC stream `input` (gzip-compressed or not: sniffed) into `out`.
pub fn read<R: Read>(origin: &str, input: R, out: &mut Ingested) {
    let number = for_each_record(input, |number, rec| match rec {
        Ok(rec) => to_article(origin, number, rec, out),
        Err(e) => out.errors.push(IngestError::record(origin, number, e)),
    });
    if number == 0 {
        out.errors.push(IngestError::malformed(origin, "no WARC records"));
    }
}

/// What [`scan`] found in a WARC stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanCounts {
    /// Records read, broken ones included.
    pub records: usize,
    /// Broken records (truncated, bad headers).
    pub broken: usize,
    /// Bytes of the blocks kept (`response` and `resource` records).
    pub block_bytes: u64,
}

/// Reads every record of the WARC stream `input` (inflating and parsing headers and
/// blocks exactly as [`read`] does) without extracting pages: the reader's own cost, which
/// the `warc` benchmark compares with inflating alone.
pub fn scan<R: Read>(input: R) -> ScanCounts {
    let (mut broken, mut block_bytes) = (0, 0);
    let records = for_each_record(input, |_, rec| match rec {
        Ok(rec) => block_bytes += rec.block.as_ref().map_or(0, |b| b.len() as u64),
        Err(_) => broken += 1,
    });
    ScanCounts { records, broken, block_bytes }
}

/// Reads the records of `input` in order, calling `each` with the number (from 1) and the
/// record, or the error of a broken one; after a broken gzip member, reading goes on at the
/// next member. Returns the number of records.
fn for_each_record<R: Read>(
    input: R,
    mut each: impl FnMut(usize, Result<&Record, String>),
) -> usize {
    let mut peek = Peek::new(input);
    let gz = peek.peek(2).map(gzip::is_gzip).unwrap_or(false);
    let mut source =
        if gz { Source::Gz(BufReader::new(Members::new(peek))) } else { Source::Plain(peek) };
    let mut number = 0;
    let mut resync = false;
    loop {
        let next = next_record(source.reader(), resync);
        resync = false;
        match next {
            Ok(None) => break,
            Ok(Some(rec)) => {
                number += 1;
                each(number, Ok(&rec));
            }
            Err(e) => {
                number += 1;
                each(number, Err(e));
                if !source.recover() {
                    break;
                }
                resync = true;
            }
        }
    }
    number
}

/// Reads one line (without its end), at most [`MAX_LINE`] bytes kept; `None` at the end.
fn read_line(r: &mut dyn BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    let mut any = false;
    loop {
        let (done, used) = {
            let avail = r.fill_buf()?;
            if avail.is_empty() {
                break;
            }
            any = true;
            match avail.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    let room = MAX_LINE.saturating_sub(line.len());
                    line.extend_from_slice(&avail[..i.min(room)]);
                    (true, i + 1)
                }
                None => {
                    let room = MAX_LINE.saturating_sub(line.len());
                    line.extend_from_slice(&avail[..avail.len().min(room)]);
                    (false, avail.len())
                }
            }
        };
        r.consume(used);
        if done {
            break;
        }
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(any.then_some(line))
}

/// Reads the next record. With `resync`, first skips to the next `WARC/1.x` line.
fn next_record(r: &mut dyn BufRead, resync: bool) -> Result<Option<Record>, String> {
    let io_err = |e: io::Error| format!("cannot read: {e}");
    loop {
        let Some(line) = read_line(r).map_err(io_err)? else { return Ok(None) };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if line.starts_with(b"WARC/1.") {
            break;
        }
        if !resync {
            return Err("expected a WARC/1.0 or WARC/1.1 header line".into());
        }
    }
    let mut rec = Record::default();
    let mut last: Option<String> = None;
    loop {
        let Some(line) = read_line(r).map_err(io_err)? else {
            return Err("truncated in its headers".into());
        };
        if line.is_empty() {
            break;
        }
        let line = String::from_utf8_lossy(&line);
        if line.starts_with([' ', '\t']) {
            if let Some(v) = last.as_ref().and_then(|k| rec.headers.get_mut(k)) {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            return Err(format!("bad header line {:?}", line.chars().take(60).collect::<String>()));
        };
        let k = k.trim().to_ascii_lowercase();
        rec.headers.insert(k.clone(), v.trim().to_string());
        last = Some(k);
    }
    let len: u64 = rec
        .header("content-length")
        .and_then(|l| l.parse().ok())
        .ok_or("no valid Content-Length")?;
    let wanted = matches!(rec.header("warc-type"), Some("response" | "resource"));
    let mut body = r.take(len);
    if wanted && len <= MAX_RECORD {
        let mut block = Vec::with_capacity(len.min(1 << 20) as usize);
        body.read_to_end(&mut block).map_err(io_err)?;
        if (block.len() as u64) < len {
            return Err(format!("truncated: {} of {len} bytes", block.len()));
        }
        rec.block = Some(block);
    } else {
        let got = io::copy(&mut body, &mut io::sink()).map_err(io_err)?;
        if got < len {
            return Err(format!("truncated: {got} of {len} bytes"));
        }
    }
    Ok(Some(rec))
}

/// Turns an HTML response or resource record into an article; other records are skipped.
fn to_article(origin: &str, number: usize, rec: &Record, out: &mut Ingested) {
    let Some(block) = &rec.block else { return };
    let ctype = rec.header("content-type").unwrap_or("").to_ascii_lowercase();
    let payload = if ctype.starts_with("application/http") {
        match http_payload(block) {
            Ok(Some(p)) => p,
            Ok(None) => return,
            Err(e) => return out.errors.push(IngestError::record(origin, number, e)),
        }
    } else if is_html_type(&ctype) {
        Payload { charset: charset_of(&ctype), body: block.clone() }
    } else {
        return;
    };
    let page = match html::extract_bytes(&payload.body, payload.charset.as_deref()) {
        Ok(p) => p,
        Err(e) => return out.errors.push(IngestError::record(origin, number, e)),
    };
    let uri = rec.header("warc-target-uri").map(|u| u.trim_matches(['<', '>']).to_string());
    let warc_date = rec.header("warc-date").map(str::to_string);
    let id = uri.clone().unwrap_or_else(|| format!("{origin}#{number}"));
    let Some(mut article) = page.into_article(id) else { return };
    if uri.is_some() {
        article.url = uri;
    }
    if article.date.is_none() {
        article.date = warc_date.as_deref().and_then(parse_date);
        article.published = warc_date;
    }
    out.articles.push(article);
}

/// An HTML payload and its declared charset.
struct Payload {
    charset: Option<String>,
    body: Vec<u8>,
}

fn is_html_type(ctype: &str) -> bool {
    ctype.starts_with("text/html") || ctype.starts_with("application/xhtml")
}

fn charset_of(ctype: &str) -> Option<String> {
    ctype.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim() == "charset").then(|| v.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// The body of an HTTP response when it is a successful HTML page (dechunked and
/// gunzipped as its headers say); `None` for other responses.
fn http_payload(block: &[u8]) -> Result<Option<Payload>, String> {
    let (head_len, body_at) = match find(block, b"\r\n\r\n") {
        Some(i) => (i, i + 4),
        None => match find(block, b"\n\n") {
            Some(i) => (i, i + 2),
            None => return Err("HTTP headers never end".into()),
        },
    };
    let head = String::from_utf8_lossy(&block[..head_len]);
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split_whitespace().nth(1)).unwrap_or("");
    if !status.starts_with('2') {
        return Ok(None);
    }
    let mut headers = HashMap::new();
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_ascii_lowercase());
        }
    }
    let ctype = headers.get("content-type").map_or("", String::as_str);
    let body = block.get(body_at..).unwrap_or(&[]);
    if !(is_html_type(ctype) || (ctype.is_empty() && html::looks_like_html(body))) {
        return Ok(None);
    }
    let mut body = body.to_vec();
    if headers.get("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        body = dechunk(&body);
    }
    match headers.get("content-encoding").map(String::as_str) {
        None | Some("identity") => {}
        Some("gzip" | "x-gzip") => body = gzip::gunzip(&body)?,
        Some(other) => return Err(format!("unsupported Content-Encoding {other}")),
    }
    Ok(Some(Payload { charset: charset_of(ctype), body }))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Removes HTTP/1.1 chunked transfer coding; a malformed tail is kept as it is.
fn dechunk(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut rest = data;
    while let Some(eol) = find(rest, b"\r\n") {
        let size_field = String::from_utf8_lossy(&rest[..eol]);
        let size_hex = size_field.split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_hex, 16) else { break };
        let start = eol + 2;
        if size == 0 {
            return out;
        }
        let Some(chunk) = start.checked_add(size).and_then(|end| rest.get(start..end)) else {
            out.extend_from_slice(rest.get(start..).unwrap_or(&[]));
            return out;
        };
        out.extend_from_slice(chunk);
        rest = rest.get(start + chunk.len() + 2..).unwrap_or(&[]);
    }
    out.extend_from_slice(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use std::io::Write;

    fn record(typ: &str, uri: &str, ctype: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.1\r\nWARC-Type: {typ}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2031-02-03T04:05:06Z\r\nWARC-Record-ID: <urn:uuid:{typ}-{}>\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
            uri.len(),
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
        let mut r = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
        r.extend_from_slice(body);
        r
    }

    fn page(p: &str) -> String {
        format!("<!doctype html><html><head><title>T</title></head><body><nav><a href=/>Home</a></nav><p>{p}</p></body></html>")
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).expect("write to vec");
        e.finish().expect("finish gzip")
    }

    /// A small archive: 8 records, 4 of them HTML pages that give articles.
    fn archive() -> Vec<Vec<u8>> {
        let resp = "application/http; msgtype=response";
        let html = "Content-Type: text/html; charset=utf-8\r\n";
        let chunked_body = {
            let z = gz(page("Chunked and gzipped page text.").as_bytes());
            let (a, b) = z.split_at(z.len() / 2);
            let mut c = format!("{:x}\r\n", a.len()).into_bytes();
            c.extend_from_slice(a);
            c.extend_from_slice(format!("\r\n{:x};ext=1\r\n", b.len()).as_bytes());
            c.extend_from_slice(b);
            c.extend_from_slice(b"\r\n0\r\n\r\n");
            c
        };
        vec![
            record("warcinfo", "", "application/warc-fields", b"software: test\r\n"),
            record("request", "https://a.example/1", "application/http; msgtype=request", b"GET /1 HTTP/1.1\r\n\r\n"),
            record("response", "https://a.example/1", resp, &http("200 OK", html, page("First page text.").as_bytes())),
            record("response", "https://a.example/latin", resp, &http("200 OK", "Content-Type: text/html; charset=ISO-8859-1\r\n", page("Caf\u{e9} cr\u{e8}me.").chars().map(|c| c as u8).collect::<Vec<u8>>().as_slice())),
            record("response", "https://a.example/missing", resp, &http("404 Not Found", html, page("Not found.").as_bytes())),
            record("response", "https://a.example/logo.png", resp, &http("200 OK", "Content-Type: image/png\r\n", b"\x89PNG\r\n\x1a\n\0\0")),
            record("resource", "file:///saved.html", "text/html", page("Resource page text.").as_bytes()),
            record("response", "https://a.example/chunked", resp, &http("200 OK", "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n", &chunked_body)),
        ]
    }

    fn ids(out: &Ingested) -> Vec<&str> {
        out.articles.iter().map(|a| a.id.as_str()).collect()
    }

    #[test]
    fn plain_archive_gives_its_html_pages() {
        let mut out = Ingested::default();
        read("a.warc", archive().concat().as_slice(), &mut out);
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(
            ids(&out),
            [
                "https://a.example/1",
                "https://a.example/latin",
                "file:///saved.html",
                "https://a.example/chunked"
            ]
        );
        let a = &out.articles;
        assert_eq!(a[0].raw, "First page text.");
        assert_eq!(a[0].url.as_deref(), Some("https://a.example/1"));
        assert_eq!(a[0].published.as_deref(), Some("2031-02-03T04:05:06Z"));
        assert_eq!(a[0].date, chrono::NaiveDate::from_ymd_opt(2031, 2, 3));
        assert_eq!(a[1].raw, "Café crème.");
        assert_eq!(a[3].raw, "Chunked and gzipped page text.");
    }

    #[test]
    fn gzip_per_record_with_a_truncated_member_goes_on() {
        let mut members: Vec<Vec<u8>> = archive().iter().map(|r| gz(r)).collect();
        let bad = &mut members[3];
        bad.truncate(bad.len() / 2);
        let mut out = Ingested::default();
        read("a.warc.gz", members.concat().as_slice(), &mut out);
        assert_eq!(
            ids(&out),
            ["https://a.example/1", "file:///saved.html", "https://a.example/chunked"]
        );
        assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
        assert_eq!(out.errors[0].record_number(), Some(4));
        assert!(out.errors[0].to_string().starts_with("a.warc.gz: record 4:"), "{}", out.errors[0]);
    }

    #[test]
    fn truncated_and_corrupt_records_are_reported_by_number() {
        let recs = archive();
        // Corrupt header block in record 2, and the archive cut inside record 8.
        let mut data = recs[0].clone();
        data.extend_from_slice(b"WARC/1.0\r\nWARC-Type: response\r\nno colon here\r\n\r\n");
        for r in &recs[2..7] {
            data.extend_from_slice(r);
        }
        data.extend_from_slice(&recs[7][..recs[7].len() - 40]);
        let mut out = Ingested::default();
        read("cut.warc", data.as_slice(), &mut out);
        assert_eq!(
            ids(&out),
            ["https://a.example/1", "https://a.example/latin", "file:///saved.html"]
        );
        let nums: Vec<_> = out.errors.iter().map(|e| e.record_number()).collect();
        assert_eq!(nums, [Some(2), Some(8)], "{:?}", out.errors);
    }

    #[test]
    fn garbage_is_one_error() {
        for data in [&b"\x00\x01garbage\xff\xfe"[..], b"", b"\x1f\x8b\x08\x00garbage"] {
            let mut out = Ingested::default();
            read("g.warc", data, &mut out);
            assert!(out.articles.is_empty());
            assert!(!out.errors.is_empty() && out.errors.len() <= 2, "{:?}", out.errors);
            assert!(out.errors.iter().all(|e| e.origin() == "g.warc"));
        }
    }

    #[test]
    fn dechunk_cases() {
        let cases: [(&[u8], &[u8]); 4] = [
            (b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", b"abcde"),
            (b"ffffffffffffffff\r\nab", b"ab"),
            (b"zz\r\nraw", b"zz\r\nraw"),
            (b"5\r\nab", b"ab"),
        ];
        for (input, want) in cases {
            assert_eq!(dechunk(input), want, "{:?}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    #[ignore = "throughput; run with --release -- --ignored --nocapture"]
    fn throughput() {
        let body: String = (0..30)
            .map(|i| format!("<p>Paragraph {i}: the council said the plan, costing 4.5 million, would go ahead.</p>"))
            .collect();
        let html = format!("<!doctype html><html><head><title>T</title></head><body><nav><a href=/>Home</a></nav><article>{body}</article></body></html>");
        let resp = http("200 OK", "Content-Type: text/html; charset=utf-8\r\n", html.as_bytes());
        let members: Vec<u8> = (0..2000)
            .flat_map(|i| {
                gz(&record(
                    "response",
                    &format!("https://a.example/{i}"),
                    "application/http; msgtype=response",
                    &resp,
                ))
            })
            .collect();
        let start = std::time::Instant::now();
        let mut out = Ingested::default();
        read("t.warc.gz", members.as_slice(), &mut out);
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(out.articles.len(), 2000);
        println!(
            "warc.gz: {:.0} records/s, {:.1} MB/s compressed, {:.1} KB/record uncompressed",
            2000.0 / secs,
            members.len() as f64 / secs / 1e6,
            resp.len() as f64 / 1e3
        );
    }
}
