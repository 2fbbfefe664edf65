//! A bounded load generator for `chorus serve`: N clients (one keep-alive HTTP/1.1 connection
//! each) send requests for T seconds on loopback, then stop by themselves and report
//! latency percentiles per kind of request, requests/s, status counts, 5xx count and the
//! server's resident memory over time (from `/proc/PID/status`, every 2 s): at the start,
//! after warm-up (the first third of the run), mid-run and at the end, and whether it stayed
//! flat after warm-up (growth within `--rss-tolerance` percent, default 10).
//!
//! ```text
//! cargo run --release -p chorus-server --example load -- --addr 127.0.0.1:8080 \
//!     --clients 200 --secs 30 --mix mixed --token T --max-body 1048576 --pid $(pidof chorus)
//! ```
//! `--mix story`: story reports only (`GET /stories/{id}`). `--mix mixed`: story reports (whole
//! and paged, `?offset=&limit=`) and UI pages (page 1 and `?page=2`, which a story of one
//! page answers 404), lists, the UI list, search, articles, new articles and repeated ones (`POST`),
//! bodies one byte over `--max-body` (must be 413) and bad tokens (must be 401). Exits 1 when
//! any response is a 5xx or not the status its request must get, or when the server's RSS
//! grew past the tolerance after warm-up.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// Command-line options.
#[derive(Debug, Clone)]
struct Opts {
    addr: SocketAddr,
    clients: usize,
    secs: u64,
    mixed: bool,
    token: Option<String>,
    max_body: usize,
    pid: Option<u32>,
    rss_tolerance: f64,
    corpus: String,
    /// Distinguishes this run's new article ids from earlier runs' (seconds since the epoch).
    run: u64,
}

fn opts() -> Result<Opts, String> {
    let mut o = Opts {
        addr: "127.0.0.1:8080".parse().map_err(|e| format!("{e}"))?,
        clients: 50,
        secs: 30,
        mixed: false,
        token: None,
        max_body: 16 * 1024 * 1024,
        pid: None,
        rss_tolerance: 10.0,
        corpus: concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/corpus/articles.jsonl").into(),
        run: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let [k, v] = pair else { return Err(format!("{} needs a value", pair[0])) };
        let bad = |e: &dyn std::fmt::Display| format!("{k} {v}: {e}");
        match k.as_str() {
            "--addr" => o.addr = v.parse().map_err(|e| bad(&e))?,
            "--clients" => o.clients = v.parse().map_err(|e| bad(&e))?,
            "--secs" => o.secs = v.parse().map_err(|e| bad(&e))?,
            "--mix" => o.mixed = v == "mixed",
            "--token" => o.token = Some(v.clone()),
            "--max-body" => o.max_body = v.parse().map_err(|e| bad(&e))?,
            "--pid" => o.pid = Some(v.parse().map_err(|e| bad(&e))?),
            "--rss-tolerance" => o.rss_tolerance = v.parse().map_err(|e| bad(&e))?,
            "--corpus" => o.corpus = v.clone(),
            _ => return Err(format!("unknown option {k}")),
        }
    }
    Ok(o)
}

/// The kinds of request, with the share of the mixed workload (per mille) of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Story,
    StoryJsonPage,
    StoryPage,
    StoryPage2,
    List,
    UiList,
    Search,
    Article,
    PostNew,
    PostDuplicate,
    TooLarge,
    BadToken,
}

const MIX: [(Kind, u32); 12] = [
    (Kind::Story, 250),
    (Kind::StoryJsonPage, 60),
    (Kind::StoryPage, 80),
    (Kind::StoryPage2, 40),
    (Kind::List, 140),
    (Kind::UiList, 60),
    (Kind::Search, 100),
    (Kind::Article, 120),
    (Kind::PostNew, 80),
    (Kind::PostDuplicate, 30),
    (Kind::TooLarge, 20),
    (Kind::BadToken, 20),
];

/// A request unanswered this long counts as an error (and its connection is dropped).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// What the server holds: ids to read, articles to post.
struct Targets {
    stories: Vec<String>,
    articles: Vec<String>,
    corpus: Vec<serde_json::Value>,
}

/// One client's connection; reconnects after an error or a server-closed connection.
struct Conn {
    addr: SocketAddr,
    sender: Option<hyper::client::conn::http1::SendRequest<Full<Bytes>>>,
}

impl Conn {
    async fn send(&mut self, req: Request<Full<Bytes>>) -> Result<(StatusCode, Bytes), String> {
        if self.sender.as_ref().is_none_or(|s| s.is_closed()) {
            let stream = TcpStream::connect(self.addr).await.map_err(|e| e.to_string())?;
            stream.set_nodelay(true).map_err(|e| e.to_string())?;
            let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
                .await
                .map_err(|e| e.to_string())?;
            tokio::spawn(conn);
            self.sender = Some(sender);
        }
        let Some(sender) = self.sender.as_mut() else { return Err("no connection".into()) };
        sender.ready().await.map_err(|e| e.to_string())?;
        let result = sender.send_request(req).await;
        let resp = match result {
            Ok(r) => r,
            Err(e) => {
                self.sender = None;
                return Err(e.to_string());
            }
        };
        let status = resp.status();
        let body = resp.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
        Ok((status, body))
    }
}

fn request(method: Method, path: &str, accept: &str) -> hyper::http::request::Builder {
    Request::builder().method(method).uri(path).header("host", "chorus").header("accept", accept)
}

/// xorshift64: a cheap per-client random stream.
fn rand(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

fn pick(items: &[String], r: u64) -> &str {
    items.get((r as usize) % items.len().max(1)).map_or("none", String::as_str)
}

/// Builds one request of `kind` and the status it must get.
fn build(
    kind: Kind,
    t: &Targets,
    o: &Opts,
    client: usize,
    n: u64,
    r: u64,
) -> (Request<Full<Bytes>>, StatusCode) {
    let empty = || Full::new(Bytes::new());
    let auth = format!("Bearer {}", o.token.as_deref().unwrap_or(""));
    let post = |body: String, auth: &str| {
        request(Method::POST, "/articles", "application/json")
            .header("content-type", "application/x-ndjson")
            .header("authorization", auth)
            .body(Full::new(Bytes::from(body)))
    };
    let article = |k: usize, id: String| {
        let mut a = t.corpus[k % t.corpus.len()].clone();
        let text = a["text"].as_str().unwrap_or("").to_string();
        a["id"] = serde_json::json!(id);
        a["text"] = serde_json::json!(format!(
            "{text}\nUpdate {id}: officials will brief reporters again at {} p.m.",
            1 + n % 11
        ));
        a.to_string()
    };
    let ok = StatusCode::OK;
    let built = match kind {
        Kind::Story => {
            request(Method::GET, &format!("/stories/{}", pick(&t.stories, r)), "application/json")
                .body(empty())
        }
        Kind::StoryJsonPage => {
            // A reader paging through the members, 100 at a time.
            let (id, offset) = (pick(&t.stories, r), (r >> 32) % 10 * 100);
            let path = format!("/stories/{id}?offset={offset}&limit=100");
            request(Method::GET, &path, "application/json").body(empty())
        }
        Kind::StoryPage => {
            request(Method::GET, &format!("/stories/{}", pick(&t.stories, r)), "text/html")
                .body(empty())
        }
        Kind::StoryPage2 => {
            let path = format!("/stories/{}?page=2", pick(&t.stories, r));
            request(Method::GET, &path, "text/html").body(empty())
        }
        Kind::List => {
            let order = if r & 1 == 0 { "newest" } else { "biggest" };
            request(
                Method::GET,
                &format!("/stories?order={order}&offset={}&limit=50", r % 40),
                "application/json",
            )
            .body(empty())
        }
        Kind::UiList => {
            request(Method::GET, &format!("/?offset={}", r % 40), "text/html").body(empty())
        }
        Kind::Search => {
            let words = [
                "ferry", "harbour", "recall", "minister", "storm", "Kessaly", "council", "missing",
            ];
            request(
                Method::GET,
                &format!("/search?q={}&limit=10", words[(r % 8) as usize]),
                "application/json",
            )
            .body(empty())
        }
        Kind::Article => {
            request(Method::GET, &format!("/articles/{}", pick(&t.articles, r)), "application/json")
                .body(empty())
        }
        Kind::PostNew => {
            let k = (r % 17) as usize;
            post(article(k, format!("load-{}-{client}-{n}", o.run)), &auth)
        }
        Kind::PostDuplicate => post(article(0, "load-dup".into()), &auth),
        Kind::TooLarge => post("x".repeat(o.max_body + 1), &auth),
        Kind::BadToken => {
            post(article(1, format!("load-bad-{client}-{n}")), "Bearer not-the-token")
        }
    };
    let want = match kind {
        Kind::PostNew => StatusCode::ACCEPTED,
        Kind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Kind::BadToken => StatusCode::UNAUTHORIZED,
        _ => ok,
    };
    // The builder only fails on invalid header values, and every value here is ASCII.
    (built.expect("valid request"), want)
}

/// What the clients measured.
#[derive(Default)]
struct Tally {
    latencies: BTreeMap<Kind, Vec<u32>>,
    statuses: BTreeMap<Kind, BTreeMap<u16, usize>>,
    unexpected: Vec<String>,
    errors: usize,
}

async fn client(
    id: usize,
    o: Arc<Opts>,
    t: Arc<Targets>,
    until: Instant,
    tally: Arc<Mutex<Tally>>,
) {
    let mut conn = Conn { addr: o.addr, sender: None };
    let mut seed = 0x9E37_79B9_7F4A_7C15u64 ^ ((id as u64 + 1) * 0x1000_0001);
    let mut local = Tally::default();
    let mut n = 0u64;
    while Instant::now() < until {
        let r = rand(&mut seed);
        let kind = if o.mixed {
            let mut x = (r % 1000) as u32;
            MIX.iter()
                .find(|(_, share)| {
                    if x < *share {
                        true
                    } else {
                        x -= share;
                        false
                    }
                })
                .map_or(Kind::Story, |m| m.0)
        } else {
            Kind::Story
        };
        let (req, want) = build(kind, &t, &o, id, n, rand(&mut seed));
        n += 1;
        let start = Instant::now();
        let result = match tokio::time::timeout(REQUEST_TIMEOUT, conn.send(req)).await {
            Ok(r) => r,
            Err(_) => {
                conn.sender = None;
                Err(format!("no answer within {} s", REQUEST_TIMEOUT.as_secs()))
            }
        };
        let micros = u32::try_from(start.elapsed().as_micros()).unwrap_or(u32::MAX);
        match result {
            Ok((status, _)) => {
                if matches!(kind, Kind::TooLarge | Kind::BadToken) {
                    // The server refuses these without reading the body and closes the connection.
                    conn.sender = None;
                }
                local.latencies.entry(kind).or_default().push(micros);
                *local.statuses.entry(kind).or_default().entry(status.as_u16()).or_default() += 1;
                // A write may meet a full write queue (429: back-pressure, retry later).
                let write = matches!(kind, Kind::PostNew | Kind::PostDuplicate);
                // A story of at most one page of members has no page 2.
                let short = kind == Kind::StoryPage2 && status == StatusCode::NOT_FOUND;
                let fine =
                    status == want || (write && status == StatusCode::TOO_MANY_REQUESTS) || short;
                if !fine && local.unexpected.len() < 20 {
                    local.unexpected.push(format!("{kind:?}: got {status}, want {want}"));
                }
            }
            Err(e) => {
                local.errors += 1;
                if local.unexpected.len() < 20 {
                    local.unexpected.push(format!("{kind:?}: {e}"));
                }
            }
        }
    }
    let mut g = tally.lock().unwrap_or_else(|p| p.into_inner());
    for (k, v) in local.latencies {
        g.latencies.entry(k).or_default().extend(v);
    }
    for (k, m) in local.statuses {
        for (s, c) in m {
            *g.statuses.entry(k).or_default().entry(s).or_default() += c;
        }
    }
    g.unexpected.extend(local.unexpected);
    g.errors += local.errors;
}

/// Resident memory of `pid` in MiB, from `/proc`.
fn rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

async fn get_json(conn: &mut Conn, path: &str) -> Result<serde_json::Value, String> {
    let req = request(Method::GET, path, "application/json")
        .body(Full::new(Bytes::new()))
        .map_err(|e| e.to_string())?;
    let (status, body) = conn.send(req).await?;
    if status != StatusCode::OK {
        return Err(format!("{path}: {status}"));
    }
    serde_json::from_slice(&body).map_err(|e| format!("{path}: {e}"))
}

/// Reads story and article ids from the server, and the corpus to post.
async fn targets(o: &Opts) -> Result<Targets, String> {
    let mut conn = Conn { addr: o.addr, sender: None };
    let mut stories = Vec::new();
    for offset in [0, 200, 400, 600, 800] {
        let page = get_json(&mut conn, &format!("/stories?limit=200&offset={offset}")).await?;
        let ids = page["stories"].as_array().cloned().unwrap_or_default();
        stories.extend(ids.iter().filter_map(|s| s["id"].as_str().map(str::to_string)));
    }
    let mut articles = Vec::new();
    for id in stories.iter().take(100) {
        let s = get_json(&mut conn, &format!("/stories/{id}")).await?;
        articles.extend(
            s["articles"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str().map(str::to_string)),
        );
    }
    let text = std::fs::read_to_string(&o.corpus).map_err(|e| format!("{}: {e}", o.corpus))?;
    let corpus: Vec<serde_json::Value> =
        text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    if stories.is_empty() || corpus.is_empty() {
        return Err(
            "the server holds no stories (ingest a corpus first) or the corpus is empty".into()
        );
    }
    Ok(Targets { stories, articles, corpus })
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted.get(i).copied().unwrap_or(0)) / 1000.0
}

fn report(tally: &Tally, secs: f64, rss: &[(f64, f64)], tolerance: f64) -> bool {
    println!(
        "{:<14} {:>8} {:>9} {:>9} {:>9}  statuses",
        "request", "count", "p50 ms", "p99 ms", "max ms"
    );
    let mut all: Vec<u32> = Vec::new();
    let mut fivexx = 0;
    for (kind, lat) in &tally.latencies {
        let mut v = lat.clone();
        v.sort_unstable();
        let statuses = &tally.statuses[kind];
        fivexx += statuses.iter().filter(|(s, _)| **s >= 500).map(|(_, c)| c).sum::<usize>();
        println!(
            "{:<14} {:>8} {:>9.1} {:>9.1} {:>9.1}  {:?}",
            format!("{kind:?}"),
            v.len(),
            percentile(&v, 0.5),
            percentile(&v, 0.99),
            percentile(&v, 1.0),
            statuses
        );
        all.extend(v);
    }
    all.sort_unstable();
    println!(
        "{:<14} {:>8} {:>9.1} {:>9.1} {:>9.1}",
        "all",
        all.len(),
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        percentile(&all, 1.0)
    );
    println!(
        "requests/s: {:.0}   5xx: {fivexx}   connection errors: {}",
        all.len() as f64 / secs,
        tally.errors
    );
    let flat = rss_verdict(rss, secs, tolerance);
    for u in tally.unexpected.iter().take(10) {
        println!("unexpected: {u}");
    }
    fivexx == 0 && tally.unexpected.is_empty() && flat
}

/// Prints the RSS samples and whether memory stayed flat after warm-up (the first third of
/// the run): growth from the first sample after warm-up to the last within `tolerance`
/// percent. True when flat or when there are no samples.
fn rss_verdict(rss: &[(f64, f64)], secs: f64, tolerance: f64) -> bool {
    let (Some(&(_, start)), Some(&(_, end))) = (rss.first(), rss.last()) else { return true };
    let line: Vec<String> = rss.iter().map(|(t, m)| format!("{t:.0}s {m:.0}")).collect();
    println!("server RSS MiB over time: {}", line.join(", "));
    let warm = rss.iter().find(|(t, _)| *t >= secs / 3.0).map_or(end, |s| s.1);
    let mid = rss.iter().find(|(t, _)| *t >= secs / 2.0).map_or(end, |s| s.1);
    let growth = if warm > 0.0 { (end - warm) / warm * 100.0 } else { 0.0 };
    let flat = growth <= tolerance;
    println!(
        "server RSS MiB: start {start:.0}, after warm-up {warm:.0}, mid {mid:.0}, end {end:.0}; \
         {growth:+.1}% after warm-up: {} (tolerance {tolerance}%)",
        if flat { "flat" } else { "NOT flat" }
    );
    flat
}

fn main() -> std::process::ExitCode {
    let o = match opts() {
        Ok(o) => Arc::new(o),
        Err(e) => {
            eprintln!("load: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("load: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let ok = rt.block_on(async {
        let t = match targets(&o).await {
            Ok(t) => Arc::new(t),
            Err(e) => {
                eprintln!("load: {e}");
                return false;
            }
        };
        if o.mixed {
            // The repeated article is stored before the clock starts, so that every
            // PostDuplicate must be answered 200 (or 429).
            let (req, _) = build(Kind::PostDuplicate, &t, &o, 0, 0, 0);
            let mut conn = Conn { addr: o.addr, sender: None };
            match conn.send(req).await {
                Ok((status, _)) if status.is_success() => {}
                other => {
                    eprintln!("load: storing the repeated article: {:?}", other.map(|r| r.0));
                    return false;
                }
            }
        }
        println!(
            "{} clients × {} s, {} mix, {} stories, {} articles known",
            o.clients,
            o.secs,
            if o.mixed { "mixed" } else { "story" },
            t.stories.len(),
            t.articles.len()
        );
        let start = Instant::now();
        let until = start + Duration::from_secs(o.secs);
        let tally = Arc::new(Mutex::new(Tally::default()));
        let mut rss = Vec::new();
        let tasks: Vec<_> = (0..o.clients)
            .map(|i| tokio::spawn(client(i, o.clone(), t.clone(), until, tally.clone())))
            .collect();
        while Instant::now() < until {
            if let Some(m) = o.pid.and_then(rss_mib) {
                rss.push((start.elapsed().as_secs_f64(), m));
            }
            tokio::time::sleep(
                Duration::from_secs(2).min(until.saturating_duration_since(Instant::now())),
            )
            .await;
        }
        // Bounded: a request still running 30 s after the end is abandoned.
        let _ = tokio::time::timeout(Duration::from_secs(30), async {
            for task in tasks {
                let _ = task.await;
            }
        })
        .await;
        if let Some(m) = o.pid.and_then(rss_mib) {
            rss.push((start.elapsed().as_secs_f64(), m));
        }
        let g = tally.lock().unwrap_or_else(|p| p.into_inner());
        report(&g, start.elapsed().as_secs_f64(), &rss, o.rss_tolerance)
    });
    if ok {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
