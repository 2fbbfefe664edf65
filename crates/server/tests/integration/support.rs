//! Test support: real SQLite archives in temp directories (one shared, loaded once with
//! `examples/corpus`), and helpers to call the router in-process or to run it on a
//! loopback port.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use chorus_engine::ingest::{self, Ingested, InputFormat};
use chorus_engine::record::Article;
use chorus_engine::store::sqlite::SqliteStore;
use chorus_engine::store::{Store, StoryOrder, StoryQuery};
use chorus_server::{router, ServerConfig};
use tower::ServiceExt;

/// A fresh SQLite archive in its own directory under the system temp dir. Directories left
/// by earlier test processes that are gone are removed first.
pub fn sqlite_store() -> Arc<SqliteStore> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let tmp = std::env::temp_dir();
    let prefix = "chorus-server-test-";
    for entry in std::fs::read_dir(&tmp).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name
            .strip_prefix(prefix)
            .and_then(|r| r.split('-').next())
            .and_then(|p| p.parse::<u32>().ok());
        if pid
            .is_some_and(|p| p != std::process::id() && !Path::new(&format!("/proc/{p}")).exists())
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let n = N.fetch_add(1, Ordering::SeqCst);
    let dir = tmp.join(format!("{prefix}{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    Arc::new(SqliteStore::open(dir.join("archive.db")).expect("open archive"))
}

/// The articles of `examples/corpus`.
pub fn corpus() -> Vec<Article> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus/articles.jsonl");
    let bytes = std::fs::read(&path).expect("examples/corpus/articles.jsonl");
    let mut out = Ingested::default();
    ingest::read_bytes("corpus", "corpus", &bytes, InputFormat::Jsonl, &mut out);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    out.articles
}

/// One store holding the corpus, shared by the read-only tests (built once).
pub fn corpus_store() -> Arc<dyn Store> {
    static STORE: OnceLock<Arc<SqliteStore>> = OnceLock::new();
    STORE
        .get_or_init(|| {
            let s = sqlite_store();
            s.ingest(corpus()).expect("ingest corpus");
            s
        })
        .clone()
}

/// The id of the corpus's biggest story (the ferry disaster off Varnes).
pub fn big_story() -> String {
    let q = StoryQuery { order: StoryOrder::Biggest, limit: 1, ..StoryQuery::default() };
    let page = corpus_store().stories(&q).expect("stories");
    page.stories.first().expect("a story").id.clone()
}

/// The app over the shared corpus store.
pub fn corpus_app() -> Router {
    router(corpus_store(), ServerConfig::default())
}

/// What a call returned.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    /// The body as JSON (panics with the body when it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Calls `app` in-process.
pub async fn call(app: &Router, req: Request<Body>) -> Reply {
    let resp = app.clone().oneshot(req).await.expect("infallible router");
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await.expect("body");
    Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

/// `GET uri` with an optional `Accept`.
pub async fn get(app: &Router, uri: &str, accept: Option<&str>) -> Reply {
    let mut req = Request::get(uri);
    if let Some(a) = accept {
        req = req.header("accept", a);
    }
    call(app, req.body(Body::empty()).expect("request")).await
}

/// Waits (up to a minute) until every story of `ids` has a report that is not stale (or
/// was merged into another): writes answer before their stories are synthesized.
pub async fn settle(app: &Router, ids: &[String]) {
    for id in ids {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let r = get(app, &format!("/stories/{id}"), None).await;
            let fresh = r.headers.get("x-chorus-stale").is_some_and(|v| v == "false");
            if (r.status == StatusCode::OK && fresh) || r.status == StatusCode::TEMPORARY_REDIRECT {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "story {id} never synthesized: {} {}",
                r.status,
                r.body
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

/// The story ids of a `POST /articles` answer.
pub fn posted_stories(r: &Reply) -> Vec<String> {
    r.json()["stories"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// `POST /articles` with a content type, optional token and body.
pub async fn post(
    app: &Router,
    uri: &str,
    ct: &str,
    token: Option<&str>,
    body: impl Into<Body>,
) -> Reply {
    let mut req = Request::post(uri).header("content-type", ct);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    call(app, req.body(body.into()).expect("request")).await
}

/// Serves `app` on an ephemeral loopback port in a background runtime thread; returns the
/// address. The server lives as long as the test process.
pub fn spawn_server(app: Router) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            tx.send(listener.local_addr().expect("addr")).expect("send addr");
            chorus_server::serve(listener, app, std::future::pending()).await.expect("serve");
        });
    });
    rx.recv().expect("server address")
}
