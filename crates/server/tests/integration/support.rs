//! Test support: a small in-memory [`Store`] over the real pipeline (every ingest re-runs
//! `pipeline::run` on all articles: fine for the 17-article corpus), the corpus loader, and
//! helpers to call the router in-process or to run it on a loopback port.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use chorus_engine::ingest::{self, Ingested, InputFormat};
use chorus_engine::pipeline::{self, PipelineConfig};
use chorus_engine::record::Article;
use chorus_engine::report::{Report, StoryReport};
use chorus_engine::store::*;
use chorus_server::{router, ServerConfig};
use tower::ServiceExt;

/// The archive of these tests: articles in memory, the report recomputed on every ingest.
#[derive(Default)]
pub struct MemStore {
    state: Mutex<(Vec<Article>, Report)>,
}

fn lock(m: &Mutex<(Vec<Article>, Report)>) -> std::sync::MutexGuard<'_, (Vec<Article>, Report)> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl MemStore {
    fn updated(articles: &[Article], st: &StoryReport) -> String {
        let dates = articles.iter().filter(|a| st.articles.contains(&a.id)).filter_map(|a| a.date);
        dates.max().map_or_else(|| "1970-01-01".to_string(), |d| d.to_string())
    }

    fn matches(articles: &[Article], st: &StoryReport, q: &StoryQuery) -> bool {
        let members: Vec<&Article> =
            articles.iter().filter(|a| st.articles.contains(&a.id)).collect();
        let text_ok = q.text.as_ref().is_none_or(|t| {
            let t = t.to_lowercase();
            members.iter().any(|a| a.raw.to_lowercase().contains(&t))
        });
        let entity_ok = q.entity.as_ref().is_none_or(|e| {
            let e = e.to_lowercase();
            st.entities.iter().any(|x| {
                x.name.to_lowercase() == e || x.aliases.iter().any(|a| a.to_lowercase() == e)
            })
        });
        let since_ok =
            q.since.is_none_or(|d| members.iter().any(|a| a.date.is_some_and(|x| x >= d)));
        let until_ok =
            q.until.is_none_or(|d| members.iter().any(|a| a.date.is_some_and(|x| x <= d)));
        text_ok && entity_ok && since_ok && until_ok
    }
}

impl Store for MemStore {
    fn ingest(&self, batch: Vec<Article>) -> Result<IngestOutcome, StoreError> {
        let mut g = lock(&self.state);
        let (articles, report) = &mut *g;
        let mut out = IngestOutcome::default();
        let mut new_ids = HashSet::new();
        for a in batch {
            if articles.iter().any(|b| b.id == a.id || b.raw == a.raw) {
                out.duplicates += 1;
            } else {
                new_ids.insert(a.id.clone());
                articles.push(a);
                out.added += 1;
            }
        }
        if out.added > 0 {
            let old: HashSet<String> = report.stories.iter().map(|s| s.id.clone()).collect();
            *report = pipeline::run(articles.clone(), &PipelineConfig::default());
            for st in &report.stories {
                if st.articles.iter().any(|a| new_ids.contains(a)) {
                    out.stories.push(st.id.clone());
                    out.new_stories += usize::from(!old.contains(&st.id));
                }
            }
            out.stories.sort();
        }
        Ok(out)
    }

    fn stories(&self, q: &StoryQuery) -> Result<StoryPage, StoreError> {
        let g = lock(&self.state);
        let (articles, report) = &*g;
        let mut all: Vec<StorySummary> = report
            .stories
            .iter()
            .filter(|st| MemStore::matches(articles, st, q))
            .map(|st| {
                let mut outlets: Vec<String> = articles
                    .iter()
                    .filter(|a| st.articles.contains(&a.id))
                    .map(|a| a.outlet())
                    .collect();
                outlets.sort();
                outlets.dedup();
                StorySummary {
                    id: st.id.clone(),
                    headline: st.headline.clone(),
                    articles: st.articles.len(),
                    independent_sources: st.independent_sources,
                    updated: MemStore::updated(articles, st),
                    outlets,
                }
            })
            .collect();
        match q.order {
            StoryOrder::Newest => {
                all.sort_by(|a, b| b.updated.cmp(&a.updated).then(a.id.cmp(&b.id)))
            }
            StoryOrder::Biggest => {
                all.sort_by(|a, b| b.articles.cmp(&a.articles).then(a.id.cmp(&b.id)))
            }
        }
        let total = all.len();
        let stories = all.into_iter().skip(q.offset).take(q.limit).collect();
        Ok(StoryPage { stories, total })
    }

    fn story(&self, id: &str) -> Result<Option<StoryReport>, StoreError> {
        Ok(lock(&self.state).1.stories.iter().find(|s| s.id == id).cloned())
    }

    fn article(&self, id: &str) -> Result<Option<ArticleView>, StoreError> {
        let g = lock(&self.state);
        let (articles, report) = &*g;
        let Some(a) = articles.iter().find(|a| a.id == id) else { return Ok(None) };
        let Some(r) = report.articles.iter().find(|r| r.id == id) else { return Ok(None) };
        let story = report.stories.iter().find(|s| s.articles.iter().any(|x| x == id));
        // Text = raw here, so repaired and raw offsets coincide.
        let mut highlights: Vec<Highlight> = r
            .repairs
            .iter()
            .map(|x| (x.kind.clone(), x.start, x.end, None))
            .chain(story.into_iter().flat_map(|s| &s.quotes).flat_map(|q| {
                q.variants
                    .iter()
                    .filter(|v| v.article == id)
                    .map(|v| ("quote".to_string(), v.start, v.end, q.speaker.clone()))
            }))
            .map(|(kind, start, end, label)| Highlight {
                kind,
                start,
                end,
                raw_start: start,
                raw_end: end,
                label,
            })
            .collect();
        highlights.sort_by_key(|h| h.start);
        Ok(Some(ArticleView {
            report: r.clone(),
            story: story.map(|s| s.id.clone()),
            raw: a.raw.clone(),
            text: a.raw.clone(),
            highlights,
        }))
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let g = lock(&self.state);
        let (articles, report) = &*g;
        let q = query.to_lowercase();
        let mut hits: Vec<SearchHit> = articles
            .iter()
            .filter_map(|a| {
                let lower = a.raw.to_lowercase();
                let n = lower.matches(&q).count();
                (n > 0).then(|| SearchHit {
                    article: a.id.clone(),
                    story: report
                        .stories
                        .iter()
                        .find(|s| s.articles.contains(&a.id))
                        .map(|s| s.id.clone()),
                    title: a.title.clone(),
                    snippet: a.raw.chars().take(80).collect(),
                    score: n as f64,
                })
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.article.cmp(&b.article)));
        hits.truncate(limit);
        Ok(hits)
    }
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
    static STORE: OnceLock<Arc<MemStore>> = OnceLock::new();
    STORE
        .get_or_init(|| {
            let s = MemStore::default();
            s.ingest(corpus()).expect("ingest corpus");
            Arc::new(s)
        })
        .clone()
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
