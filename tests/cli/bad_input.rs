//! Bad input at scale (issue #8, item 3; issue #3, "Bad input"): hostile files mixed into a
//! batch of good ones. Every good article is processed, every unreadable file (or record) is
//! reported once on stderr by name with a one-line reason, the exit code is 3 ("partial
//! success"), and nothing panics. One test per hostile kind, and one batch of
//! `CHORUS_BAD_INPUT_FILES` files (default 1,000; `bench/bad-input.sh` runs 10,000) with 1%
//! hostile.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// A scratch directory removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("chorus-bad-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
    fn write(&self, name: &str, data: &[u8]) {
        std::fs::write(self.0.join(name), data).unwrap();
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What a hostile file must give.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Reported once by name, the line containing this reason; `n` articles read from it.
    Reported { reason: &'static str, articles: usize },
    /// Read as this many articles, without complaint.
    Read(usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Hostile {
    Binary,
    TruncatedGzip,
    TruncatedWarc,
    InvalidUtf8,
    HugeLine,
    LongJsonlRecord,
    Empty,
    NestedHtml,
    DeclaredWrongCharset,
    BrokenUtf16,
    NestedJson,
}

const KINDS: [Hostile; 11] = [
    Hostile::Binary,
    Hostile::TruncatedGzip,
    Hostile::TruncatedWarc,
    Hostile::InvalidUtf8,
    Hostile::HugeLine,
    Hostile::LongJsonlRecord,
    Hostile::Empty,
    Hostile::NestedHtml,
    Hostile::DeclaredWrongCharset,
    Hostile::BrokenUtf16,
    Hostile::NestedJson,
];

const TOWNS: [&str; 7] =
    ["Port Ellery", "Upland", "Marrowby", "Kestrel Bay", "Haldane", "Orrin", "Saltmere"];
const THINGS: [&str; 6] =
    ["harbour bridge", "ferry line", "school roof", "rail depot", "orchard", "clinic"];

/// A good article text; `i` picks the town and subject so the batch holds many stories.
fn good_text(i: usize) -> String {
    let town = TOWNS[i % TOWNS.len()];
    let thing = THINGS[(i / TOWNS.len()) % THINGS.len()];
    format!(
        "The {town} council voted on Monday to reopen the {thing} after repairs, officials said.\n\
         Councillor Ilse Marrow said the {thing} had cost {} thousand crowns to fix. \
         “We are ready,” Marrow said in {town}.\n",
        100 + i % 37
    )
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut child = Command::new("gzip")
        .arg("-c")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gzip is installed");
    child.stdin.take().unwrap().write_all(data).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    out.stdout
}

fn warc_record(uri: &str, html: &str) -> Vec<u8> {
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
    let mut r = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n\
         WARC-Date: 2031-02-03T04:05:06Z\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    r.extend_from_slice(http.as_bytes());
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><article><p>{body}</p></article></body></html>"
    )
}

/// Writes the hostile file of `kind` as `name_stem.*` into `dir`; returns its file name and
/// what it must give.
fn write_hostile(dir: &Scratch, kind: Hostile, stem: &str) -> (String, Expect) {
    let text = good_text(3);
    let (name, data, expect): (String, Vec<u8>, Expect) = match kind {
        Hostile::Binary => {
            let junk: Vec<u8> =
                (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
            let reason = "binary data";
            (format!("{stem}.txt"), junk, Expect::Reported { reason, articles: 0 })
        }
        Hostile::TruncatedGzip => {
            let z = gz(text.repeat(20).as_bytes());
            let reason = "corrupt or truncated gzip";
            (
                format!("{stem}.txt.gz"),
                z[..z.len() / 2].to_vec(),
                Expect::Reported { reason, articles: 0 },
            )
        }
        Hostile::TruncatedWarc => {
            let mut w = warc_record("https://x.example/ok", &page("Bridge", &text));
            let cut = warc_record("https://x.example/cut", &page("Cut", &text));
            w.extend_from_slice(&cut[..cut.len() * 2 / 3]);
            (format!("{stem}.warc"), w, Expect::Reported { reason: "record 2", articles: 1 })
        }
        Hostile::InvalidUtf8 => {
            let mut b =
                "Le président a déclaré que la réunion aura lieu à Paris. ".as_bytes().to_vec();
            b.extend_from_slice(b"Puis \xff\xfe la suite.");
            let reason = "invalid UTF-8 at byte 67";
            (format!("{stem}.txt"), b, Expect::Reported { reason, articles: 0 })
        }
        Hostile::HugeLine => {
            let line = "word ".repeat(20 << 20); // 100 MiB, one line
            let reason = "the file is 104857600 bytes, over the limit of 67108864";
            (format!("{stem}.txt"), line.into_bytes(), Expect::Reported { reason, articles: 0 })
        }
        Hostile::LongJsonlRecord => {
            let long = "Long text. ".repeat(30_000);
            let lines = format!(
                "{}\n{}\n",
                serde_json::json!({"id": format!("{stem}-ok"), "text": text}),
                serde_json::json!({"id": format!("{stem}-long"), "text": long})
            );
            let reason = "its text is 330000 bytes, over the limit of 262144";
            (format!("{stem}.jsonl"), lines.into_bytes(), Expect::Reported { reason, articles: 1 })
        }
        Hostile::Empty => {
            (format!("{stem}.txt"), Vec::new(), Expect::Reported { reason: "no text", articles: 0 })
        }
        Hostile::NestedHtml => {
            let deep = format!(
                "<!doctype html><html><head><title>Deep</title></head><body>{}<p>{text}</p>{}</body></html>",
                "<div>".repeat(10_000),
                "</div>".repeat(10_000)
            );
            (format!("{stem}.html"), deep.into_bytes(), Expect::Read(1))
        }
        Hostile::DeclaredWrongCharset => {
            let html =
                page("Réunion", "Le président a déclaré que la réunion aura lieu à Paris demain.")
                    .replace("charset=\"utf-8\"", "charset=\"windows-1252\"");
            (format!("{stem}.html"), html.into_bytes(), Expect::Read(1))
        }
        Hostile::BrokenUtf16 => {
            let mut b = vec![0xFF, 0xFE];
            b.extend("Hello".encode_utf16().flat_map(u16::to_le_bytes));
            b.extend_from_slice(&[0x00, 0xD8, b'x']); // an unpaired surrogate, an odd byte
            let reason = "invalid UTF-16LE after its byte-order mark";
            (format!("{stem}.txt"), b, Expect::Reported { reason, articles: 0 })
        }
        Hostile::NestedJson => {
            let deep =
                format!("{{\"id\":{}{},\"text\":\"x\"}}", "[".repeat(100_000), "]".repeat(100_000));
            let ok = serde_json::json!({"id": format!("{stem}-ok"), "text": text});
            let reason = ":2: bad JSONL record: recursion limit exceeded";
            (
                format!("{stem}.jsonl"),
                format!("{ok}\n{deep}\n").into_bytes(),
                Expect::Reported { reason, articles: 1 },
            )
        }
    };
    dir.write(&name, &data);
    (name, expect)
}

/// What one run gave: exit code, stderr, number of articles in the report.
struct Outcome {
    code: Option<i32>,
    stderr: String,
    articles: usize,
}

fn run(dir: &Path) -> Outcome {
    let out = Command::new(env!("CARGO_BIN_EXE_chorus"))
        .args(["run", "--format", "json", "-q"])
        .arg(dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON report ({e}); stderr: {stderr}"));
    let articles = report["articles"].as_array().map_or(0, Vec::len);
    Outcome { code: out.status.code(), stderr, articles }
}

/// Checks an outcome against the hostile files written: each reported one named on exactly
/// one stderr line, with its reason; the article count; exit code 3 when anything was
/// reported.
fn check(out: &Outcome, good: usize, hostile: &[(String, Expect)]) {
    let mut articles = good;
    let mut reported = 0;
    for (name, expect) in hostile {
        let lines: Vec<&str> =
            out.stderr.lines().filter(|l| l.contains(&format!("/{name}"))).collect();
        match *expect {
            Expect::Reported { reason, articles: n } => {
                assert_eq!(lines.len(), 1, "{name} must be reported once: {lines:?}");
                assert!(lines[0].starts_with("chorus: skipped "), "{}", lines[0]);
                assert!(lines[0].contains(reason), "{name}: want {reason:?} in {}", lines[0]);
                articles += n;
                reported += 1;
            }
            Expect::Read(n) => {
                assert!(lines.is_empty(), "{name} must be read: {lines:?}");
                articles += n;
            }
        }
    }
    let skipped = out.stderr.lines().filter(|l| l.starts_with("chorus: skipped ")).count();
    assert_eq!(skipped, reported, "only the hostile files are reported: {}", out.stderr);
    assert_eq!(out.articles, articles, "{}", out.stderr);
    let want = if reported > 0 { 3 } else { 0 };
    assert_eq!(out.code, Some(want), "{}", out.stderr);
}

/// Writes good file `i` in one of four formats; returns its article count (1).
fn write_good(dir: &Scratch, i: usize) -> usize {
    let text = good_text(i);
    match i % 4 {
        0 => dir.write(&format!("g{i:05}.txt"), text.as_bytes()),
        1 => dir.write(
            &format!("g{i:05}.jsonl"),
            format!("{}\n", serde_json::json!({"id": format!("g{i}"), "text": text})).as_bytes(),
        ),
        2 => dir.write(
            &format!("g{i:05}.html"),
            page(&format!("Story {i}"), &text.replace('\n', "</p><p>")).as_bytes(),
        ),
        _ => dir.write(&format!("g{i:05}.txt.gz"), &gz(text.as_bytes())),
    }
    1
}

#[test]
fn each_hostile_kind_is_reported_once_and_the_rest_processed() {
    for kind in KINDS {
        let dir = Scratch::new(&format!("{kind:?}"));
        let good: usize = (0..3).map(|i| write_good(&dir, i)).sum();
        let hostile = [write_hostile(&dir, kind, "hostile")];
        let started = Instant::now();
        let out = run(&dir.0);
        check(&out, good, &hostile);
        assert!(started.elapsed().as_secs() < 60, "{kind:?} took {:?}", started.elapsed());
    }
}

#[test]
fn a_wrongly_declared_charset_is_read_as_what_it_is() {
    let dir = Scratch::new("charset");
    write_hostile(&dir, Hostile::DeclaredWrongCharset, "page");
    let out = Command::new(env!("CARGO_BIN_EXE_chorus"))
        .arg("extract")
        .arg(dir.0.join("page.html"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Le président a déclaré"));
}

#[test]
fn a_large_batch_with_one_percent_hostile() {
    let n: usize =
        std::env::var("CHORUS_BAD_INPUT_FILES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let dir = Scratch::new("batch");
    let mut good = 0;
    let mut hostile = Vec::new();
    for i in 0..n {
        if i % 100 == 50 {
            // The 100 MiB file once per batch; the other kinds in turn.
            let kind = KINDS[(i / 100) % KINDS.len()];
            let kind = if kind == Hostile::HugeLine && i >= 100 * KINDS.len() {
                Hostile::Empty
            } else {
                kind
            };
            hostile.push(write_hostile(&dir, kind, &format!("h{i:05}")));
        } else {
            good += write_good(&dir, i);
        }
    }
    let started = Instant::now();
    let out = run(&dir.0);
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "bad-input batch: {n} files ({} hostile), {} articles, {secs:.2} s",
        hostile.len(),
        out.articles
    );
    check(&out, good, &hostile);
}
