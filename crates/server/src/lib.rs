//! chorus-server: the HTTP face of a chorus archive — a JSON API and a web UI over any
//! [`Store`](chorus_engine::store::Store).
//!
//! [`router`] builds the axum application from an `Arc<dyn Store>` and a [`ServerConfig`];
//! [`serve`] runs it on a listener until a shutdown future resolves (in-flight requests
//! finish). The routes are one table ([`routes`]) that the router and the OpenAPI document
//! ([`openapi::document`]) are both built from, so a route cannot go undocumented. Errors
//! become HTTP statuses through one table ([`error::ErrorKind::status`]). Store calls are
//! blocking, so handlers run them on tokio's blocking pool.
//!
//! ```no_run
//! # async fn demo(store: std::sync::Arc<dyn chorus_engine::store::Store>) -> std::io::Result<()> {
//! let app = chorus_server::router(store, chorus_server::ServerConfig::default());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! chorus_server::serve(listener, app, chorus_server::shutdown_signal()).await
//! # }
//! ```
#![deny(missing_docs)]

pub mod api;
pub mod cache;
pub mod error;
pub mod ingest;
pub mod openapi;
pub mod synth;
pub mod ui;
pub mod writer;

use std::future::Future;
use std::sync::Arc;

use axum::http::Method;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use chorus_engine::store::Store;

/// Default request body limit: 16 MiB.
pub const DEFAULT_MAX_BODY: usize = 16 * 1024 * 1024;

/// Default bound on pending writes (each waits with its parsed body: at most this many
/// bodies of `max_body` bytes are held at once).
pub const DEFAULT_PENDING_WRITES: usize = 16;

/// Default bound on store reads running at once (see [`ServerConfig::max_concurrent_reads`]).
pub const DEFAULT_CONCURRENT_READS: usize = 4;

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// When set, `POST /articles` requires `Authorization: Bearer <token>`.
    pub token: Option<String>,
    /// Largest request body accepted, in bytes (413 above).
    pub max_body: usize,
    /// Most `POST /articles` calls running or waiting for the archive at once; more get a
    /// 429 with `Retry-After`, so a burst of writes cannot pile up without bound. Waiting
    /// writes are ingested together ([`writer`]).
    pub max_pending_writes: usize,
    /// Most read calls (listings, reports, articles, search) running on the blocking pool at
    /// once; more wait their turn in the async runtime. Without this bound every waiting
    /// request holds a blocking thread (up to tokio's 512), each with its own allocator
    /// arena and, on SQLite, its own connection and page cache: memory grew with the number
    /// of clients, and writes got a 1/N share of the CPU.
    pub max_concurrent_reads: usize,
    /// Bytes of story bodies (reports, pages) kept per report revision ([`cache`]).
    pub story_cache_bytes: usize,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            token: None,
            max_body: DEFAULT_MAX_BODY,
            max_pending_writes: DEFAULT_PENDING_WRITES,
            max_concurrent_reads: DEFAULT_CONCURRENT_READS,
            story_cache_bytes: cache::DEFAULT_CACHE_BYTES,
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The archive.
    pub store: Arc<dyn Store>,
    /// The configuration.
    pub config: Arc<ServerConfig>,
    /// Writes running or waiting (see [`ServerConfig::max_pending_writes`]).
    pub pending_writes: Arc<std::sync::atomic::AtomicUsize>,
    /// Permits for read calls (see [`ServerConfig::max_concurrent_reads`]).
    pub reads: Arc<tokio::sync::Semaphore>,
    /// Story bodies kept per report revision ([`ServerConfig::story_cache_bytes`]).
    pub stories: Arc<cache::StoryCache>,
    /// The writer thread (group commit of `POST /articles`); `None` when it could not be
    /// started (writes then answer 503).
    pub writer: Option<writer::Writer>,
}

/// One route of the application: its path (axum and OpenAPI syntax), its method and handler.
pub struct Route {
    /// Path, e.g. `/stories/{id}`.
    pub path: &'static str,
    /// HTTP method.
    pub method: Method,
    /// The handler.
    pub handler: MethodRouter<AppState>,
}

/// Every route of the application. [`router`] mounts exactly these.
pub fn routes() -> Vec<Route> {
    let r = |path, method, handler| Route { path, method, handler };
    vec![
        r("/", Method::GET, get(ui::index)),
        r("/healthz", Method::GET, get(api::healthz)),
        r("/openapi.json", Method::GET, get(api::openapi)),
        r("/articles", Method::POST, post(api::post_articles)),
        r("/articles/{id}", Method::GET, get(api::get_article)),
        r("/stories", Method::GET, get(api::list_stories)),
        r("/stories/{id}", Method::GET, get(api::get_story)),
        r("/search", Method::GET, get(api::search)),
    ]
}

/// The application: every route of [`routes`], a JSON 404 for anything else.
pub fn router(store: Arc<dyn Store>, config: ServerConfig) -> Router {
    let reads = Arc::new(tokio::sync::Semaphore::new(config.max_concurrent_reads.max(1)));
    let writer = match writer::Writer::start(store.clone()) {
        Ok(w) => Some(w),
        Err(e) => {
            tracing::error!("cannot start the writer thread: {e}");
            None
        }
    };
    let stories = Arc::new(cache::StoryCache::new(config.story_cache_bytes));
    let state = AppState {
        store,
        config: Arc::new(config),
        pending_writes: Arc::default(),
        reads,
        stories,
        writer,
    };
    let mut app = Router::new();
    for route in routes() {
        app = app.route(route.path, route.handler.fallback(api::method_not_allowed));
    }
    // Bodies are read by the handlers themselves, against `max_body` (see `api`).
    app.fallback(api::not_found).layer(axum::extract::DefaultBodyLimit::disable()).with_state(state)
}

/// Serves `app` on `listener` until `shutdown` resolves; requests in flight then finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
