//! The JSON API's handlers. Each validates its input, runs the (blocking) store call on
//! tokio's blocking pool ([`blocking`]), and answers JSON — or, for the story and article
//! routes, the UI page when the client's `Accept` prefers `text/html`.
//!
//! ## Wire format
//! - `GET /stories` → `{"stories": [StorySummary…], "total", "offset", "limit"}`
//! - `GET /stories/{id}` → the JSON contract's story object (`StoryReport`), with header
//!   `X-Chorus-Stale: true` when articles joined the story after that report (a newer one is
//!   being synthesized) and `false` otherwise; 202 `{"story", "status": "pending"}` with
//!   `Retry-After` for a story whose first report is not ready yet; 307 to
//!   `/stories/{into}` with `{"story", "merged_into"}` for a story a reconcile pass merged
//!   into another
//! - `GET /articles/{id}` → `ArticleView` (`report`, `story`, `raw`, `text`, `highlights`)
//! - `GET /search?q=` → `{"query", "hits": [SearchHit…]}`
//! - `POST /articles` → `{"added", "duplicates", "stories", "new_stories", "articles":
//!   [{"article", "story"}…], "errors"}` (202 when something was added: the articles are
//!   stored and assigned, their stories' reports are rebuilt in the background; 200 when
//!   everything was already there)
//! - errors → `{"error": {"kind", "message"}}` (see [`crate::error`])

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::{Body as RequestBody, Bytes};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chorus_engine::store::{
    Placement, Store, StoreError, StoryOrder, StoryPage, StoryQuery, StoryRevision, StoryStatus,
    StoryStatusJson,
};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::{Deserialize, Serialize};

use crate::cache::Body;
use crate::error::{ApiError, ErrorKind};
use crate::ingest::{self, BodyFormat, PageOrigin};
use crate::{ui, AppState};

/// Most stories per page of `GET /stories`.
pub const MAX_LIMIT: usize = 200;
/// Stories per page when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 50;
/// Most hits of `GET /search`.
pub const MAX_HITS: usize = 100;

/// Runs a blocking store call off the async workers.
pub async fn blocking<T, F>(f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, StoreError> + Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result.map_err(ApiError::from),
        Err(e) => {
            tracing::error!("store task failed: {e}");
            Err(ApiError::new(ErrorKind::Internal, "the request failed; see the server log"))
        }
    }
}

/// Runs a read-only store call on the blocking pool once one of the
/// [`ServerConfig::max_concurrent_reads`](crate::ServerConfig::max_concurrent_reads) permits
/// is free (waiting costs a parked task, not a thread).
pub async fn read<T, F>(state: &AppState, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, StoreError> + Send + 'static,
{
    // `acquire_owned` fails only on a closed semaphore, and this one is never closed. The
    // permit moves into the call, so a client that goes away does not free it early.
    let permit = state
        .reads
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| ApiError::new(ErrorKind::Internal, "the server is shutting down"))?;
    blocking(move || {
        let _permit = permit;
        f()
    })
    .await
}

/// `GET /healthz`.
pub async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// `GET /openapi.json`.
pub async fn openapi() -> Json<serde_json::Value> {
    Json(crate::openapi::document())
}

/// Any unknown route.
pub async fn not_found() -> ApiError {
    ApiError::not_found("no such route; see /openapi.json")
}

/// A known route called with a method it does not serve.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        ErrorKind::MethodNotAllowed,
        "this route does not serve that method; see /openapi.json",
    )
}

/// The id of `/stories/{id}` or `/articles/{id}` (a 400 when it is not valid UTF-8).
fn path_id(p: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    p.map(|Path(id)| id).map_err(|e| ApiError::bad_request(e.body_text()))
}

/// Query parameters of `GET /stories` (and of the UI's story list), as sent.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StoriesParams {
    /// `YYYY-MM-DD`: stories with an article on or after.
    pub since: Option<String>,
    /// `YYYY-MM-DD`: stories with an article on or before.
    pub until: Option<String>,
    /// Full-text filter.
    pub q: Option<String>,
    /// Entity filter.
    pub entity: Option<String>,
    /// `newest` (default) or `biggest`.
    pub order: Option<String>,
    /// Stories to skip.
    pub offset: Option<String>,
    /// Page size, 1..=[`MAX_LIMIT`].
    pub limit: Option<String>,
}

impl StoriesParams {
    /// Validates the parameters into a store query (400 on a bad value).
    pub fn to_query(&self) -> Result<StoryQuery, ApiError> {
        let date = |name: &str, v: &Option<String>| match non_empty(v) {
            None => Ok(None),
            Some(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map(Some).map_err(|_| {
                ApiError::bad_request(format!("`{name}` must be YYYY-MM-DD, got {s:?}"))
            }),
        };
        let order = match non_empty(&self.order) {
            None | Some("newest") => StoryOrder::Newest,
            Some("biggest") => StoryOrder::Biggest,
            Some(o) => {
                return Err(ApiError::bad_request(format!(
                    "`order` must be newest or biggest, got {o:?}"
                )))
            }
        };
        let limit = number("limit", &self.limit)?.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 {
            return Err(ApiError::bad_request("`limit` must be at least 1"));
        }
        Ok(StoryQuery {
            since: date("since", &self.since)?,
            until: date("until", &self.until)?,
            text: non_empty(&self.q).map(str::to_string),
            entity: non_empty(&self.entity).map(str::to_string),
            order,
            offset: number("offset", &self.offset)?.unwrap_or(0),
            limit: limit.min(MAX_LIMIT),
        })
    }
}

fn non_empty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn number(name: &str, v: &Option<String>) -> Result<Option<usize>, ApiError> {
    match non_empty(v) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| {
            ApiError::bad_request(format!("`{name}` must be a non-negative integer, got {s:?}"))
        }),
    }
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(t)| t).map_err(|e| ApiError::bad_request(e.body_text()))
}

/// A page of `GET /stories`.
#[derive(Debug, Serialize)]
pub struct StoryList {
    /// The stories of this page.
    pub stories: Vec<chorus_engine::store::StorySummary>,
    /// How many stories match in all.
    pub total: usize,
    /// Stories skipped.
    pub offset: usize,
    /// Page size used.
    pub limit: usize,
}

/// Runs a story listing.
pub async fn story_page(
    state: &AppState,
    q: StoryQuery,
) -> Result<(StoryQuery, StoryPage), ApiError> {
    let store = state.store.clone();
    let q2 = q.clone();
    let page = read(state, move || store.stories(&q2)).await?;
    Ok((q, page))
}

/// `GET /stories`.
pub async fn list_stories(
    State(state): State<AppState>,
    params: Result<Query<StoriesParams>, QueryRejection>,
) -> Result<Json<StoryList>, ApiError> {
    let q = query(params)?.to_query()?;
    let (q, page) = story_page(&state, q).await?;
    Ok(Json(StoryList {
        stories: page.stories,
        total: page.total,
        offset: q.offset,
        limit: q.limit,
    }))
}

/// A store lookup by id for `GET /stories/{id}` and `GET /articles/{id}`.
type Find<T> = fn(&dyn Store, &str) -> Result<Option<T>, StoreError>;

/// Looks `id` up on the blocking pool. Errors, and a 404 for an unknown id, come back as
/// responses already: HTML pages when `html`, JSON otherwise.
async fn lookup<T: Send + 'static>(
    state: &AppState,
    html: bool,
    what: &str,
    id: String,
    find: Find<T>,
) -> Result<T, Response> {
    let fail = |e: ApiError| if html { ui::error_page(&e) } else { e.into_response() };
    let store = state.store.clone();
    let key = id.clone();
    read(state, move || find(&*store, &key))
        .await
        .map_err(fail)?
        .ok_or_else(|| fail(ApiError::not_found(format!("no {what} {id:?}"))))
}

/// Header of `GET /stories/{id}`: `true` when the report predates the story's latest
/// articles (a newer one is being synthesized).
pub const STALE_HEADER: &str = "x-chorus-stale";

/// Seconds a client is told to wait for a pending story's first report.
const PENDING_RETRY_SECS: &str = "1";

/// `GET /stories/{id}`: the story's report, or its UI page (see the module docs for the
/// pending and merged answers). Both are kept per report revision ([`crate::cache`]): a
/// read asks the store for the story's revision (one small row) and answers the body kept
/// for it, or makes it and keeps it.
pub async fn get_story(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let html = ui::wants_html(&headers);
    let id = path_id(id).map_err(IntoResponse::into_response)?;
    let fail = |e: ApiError| if html { ui::error_page(&e) } else { e.into_response() };
    let status = lookup(&state, html, "story", id.clone(), |s, id| s.story_revision(id)).await?;
    let (revision, stale) = match status {
        StoryRevision::Ready { revision, stale } => (revision, stale),
        StoryRevision::Pending => return Ok(pending(&id)),
        StoryRevision::Merged { into } => return Ok(merged(&id, &into)),
    };
    let body = if html { Body::Html } else { Body::Json };
    if let Some(kept) = state.stories.get(&id, revision, body) {
        return Ok(story_response(html, kept, stale));
    }
    // One request makes a revision's body (a page renders for 100s of ms, a report is
    // megabytes); the others wait for it and find it kept. The guard is held until then.
    let making = state.stories.making(&id, revision, body);
    let _making = match &making {
        Some(m) => Some(m.lock().await),
        None => None,
    };
    if let Some(kept) = making.as_ref().and_then(|_| state.stories.get(&id, revision, body)) {
        return Ok(story_response(html, kept, stale));
    }
    let store = state.store.clone();
    let key = id.clone();
    // The page is made, or the report read, after `revision` was: from a report at least
    // that new, so it may be kept under that revision. The report answers as stored: no
    // decoding and re-encoding of what can weigh megabytes.
    let made = read(&state, move || {
        if html {
            story_html(&*store, &key)
        } else {
            Ok(match store.story_status_json(&key)? {
                Some(StoryStatusJson::Ready { json, stale }) => {
                    StoryBody::Ready { body: json, stale }
                }
                Some(StoryStatusJson::Pending) => StoryBody::Pending,
                Some(StoryStatusJson::Merged { into }) => StoryBody::Merged { into },
                None => StoryBody::Unknown,
            })
        }
    })
    .await
    .map_err(fail)?;
    Ok(match made {
        StoryBody::Ready { body: made, stale } => {
            let made = Bytes::from(made);
            state.stories.put(&id, revision, body, made.clone());
            story_response(html, made, stale)
        }
        StoryBody::Pending => pending(&id),
        StoryBody::Merged { into } => merged(&id, &into),
        StoryBody::Unknown => fail(ApiError::not_found(format!("no story {id:?}"))),
    })
}

/// A story's body as made after its revision was read (its state may have moved on since).
enum StoryBody {
    Ready { body: String, stale: bool },
    Pending,
    Merged { into: String },
    Unknown,
}

/// The story page of `id`, made on the blocking pool: the report decoded, its members'
/// article reports read, the page rendered.
fn story_html(store: &dyn Store, id: &str) -> Result<StoryBody, StoreError> {
    Ok(match store.story_status(id)? {
        Some(StoryStatus::Ready { report, stale }) => {
            let articles = store.article_reports(&report.articles)?;
            StoryBody::Ready { body: ui::story_html(*report, articles), stale }
        }
        Some(StoryStatus::Pending) => StoryBody::Pending,
        Some(StoryStatus::Merged { into }) => StoryBody::Merged { into },
        None => StoryBody::Unknown,
    })
}

/// A story's report (JSON) or page (HTML) with its stale flag.
fn story_response(html: bool, body: Bytes, stale: bool) -> Response {
    let flag = [(STALE_HEADER, if stale { "true" } else { "false" })];
    if html {
        let kind = [(header::CONTENT_TYPE, "text/html; charset=utf-8")];
        (kind, [(header::VARY, "accept")], flag, body).into_response()
    } else {
        let kind = [(header::CONTENT_TYPE, "application/json")];
        (kind, flag, body).into_response()
    }
}

/// 202 for a story whose first report is not ready yet.
fn pending(id: &str) -> Response {
    let body = serde_json::json!({ "story": id, "status": "pending" });
    let retry = [(header::RETRY_AFTER, PENDING_RETRY_SECS)];
    (StatusCode::ACCEPTED, retry, Json(body)).into_response()
}

/// 307 to the story that absorbed `id`.
fn merged(id: &str, into: &str) -> Response {
    let location = format!("/stories/{}", percent_path(into));
    let body = serde_json::json!({ "story": id, "merged_into": into });
    let to = [(header::LOCATION, location)];
    (StatusCode::TEMPORARY_REDIRECT, to, Json(body)).into_response()
}

/// `id` made safe for a URL path segment (anything but unreserved characters
/// percent-encoded; story ids are mostly ASCII letters, digits, `-`, `_`, `.` and `+`).
fn percent_path(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `GET /articles/{id}`: the stored article with its highlights, or its UI page.
pub async fn get_article(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let html = ui::wants_html(&headers);
    let id = path_id(id).map_err(IntoResponse::into_response)?;
    let view = lookup(&state, html, "article", id, |s, id| s.article(id)).await?;
    Ok(if html { ui::article_page(&view) } else { Json(view).into_response() })
}

/// Query parameters of `GET /search`.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    /// The query (required).
    pub q: Option<String>,
    /// Most hits, 1..=[`MAX_HITS`] (default 20).
    pub limit: Option<String>,
}

/// `GET /search`.
pub async fn search(
    State(state): State<AppState>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let p = query(params)?;
    let q = non_empty(&p.q).ok_or_else(|| ApiError::bad_request("`q` is required"))?.to_string();
    let limit = number("limit", &p.limit)?.unwrap_or(20).clamp(1, MAX_HITS);
    let store = state.store.clone();
    let q2 = q.clone();
    let hits = read(&state, move || store.search(&q2, limit)).await?;
    Ok(Json(serde_json::json!({ "query": q, "hits": hits })))
}

/// What `POST /articles` answers.
#[derive(Debug, Serialize)]
pub struct PostOutcome {
    /// Articles stored by this request.
    pub added: usize,
    /// Articles already stored (same id or content).
    pub duplicates: usize,
    /// Stories that gained articles.
    pub stories: Vec<String>,
    /// How many of them are new.
    pub new_stories: usize,
    /// Each stored article with its story, in body order.
    pub articles: Vec<Placement>,
    /// Records of the body that could not be read (the others were stored).
    pub errors: Vec<String>,
}

/// `POST /articles`: token check, size check, parse, ingest.
pub async fn post_articles(
    State(state): State<AppState>,
    origin: Result<Query<PageOrigin>, QueryRejection>,
    headers: HeaderMap,
    body: RequestBody,
) -> Result<(StatusCode, Json<PostOutcome>), ApiError> {
    authorize(state.config.token.as_deref(), &headers)?;
    let origin = query(origin)?;
    let format = BodyFormat::from_content_type(
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()),
    )?;
    let bytes = read_body(body, &headers, state.config.max_body).await?;
    let parsed = ingest::parse(format, &bytes, &origin)?;
    let slot = WriteSlot::take(&state.pending_writes, state.config.max_pending_writes)?;
    let unavailable = || ApiError::new(ErrorKind::Unavailable, "the archive writer has stopped");
    let answer = state
        .writer
        .as_ref()
        .and_then(|w| w.submit(parsed.articles, Box::new(slot)))
        .ok_or_else(unavailable)?;
    let outcome = answer.await.map_err(|_| unavailable())??;
    let status = if outcome.added > 0 { StatusCode::ACCEPTED } else { StatusCode::OK };
    Ok((
        status,
        Json(PostOutcome {
            added: outcome.added,
            duplicates: outcome.duplicates,
            stories: outcome.stories,
            new_stories: outcome.new_stories,
            articles: outcome.articles,
            errors: parsed.errors,
        }),
    ))
}

/// A place among the pending writes, given back on drop (when the store call ends, even if
/// the client has gone).
struct WriteSlot(Arc<AtomicUsize>);

impl WriteSlot {
    fn take(counter: &Arc<AtomicUsize>, max: usize) -> Result<WriteSlot, ApiError> {
        let max = max.max(1);
        counter
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < max).then_some(n + 1))
            .map(|_| WriteSlot(counter.clone()))
            .map_err(|_| {
                ApiError::new(
                    ErrorKind::TooManyRequests,
                    format!("{max} writes are already waiting for the archive; retry later"),
                )
            })
    }
}

impl Drop for WriteSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Most bytes of a refused body read and dropped before the 413 goes out ([`drain`]).
const LINGER_BYTES: usize = 4 * 1024 * 1024;
/// Longest time spent draining a refused body.
const LINGER_TIME: std::time::Duration = std::time::Duration::from_secs(2);

/// Reads and drops (up to [`LINGER_BYTES`], within [`LINGER_TIME`]) a body that will be
/// refused. A client still sending when the server closes the connection gets a reset and
/// may never read the 413 (under load 47 of 763 oversized uploads did); reading the rest of
/// a moderately oversized body first lets it read the answer. Nothing is kept in memory.
async fn drain(mut body: RequestBody) {
    let read = async {
        let mut seen = 0;
        while let Some(Ok(frame)) = body.frame().await {
            seen += frame.data_ref().map_or(0, |d| d.len());
            if seen > LINGER_BYTES {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(LINGER_TIME, read).await;
}

/// Checks `Authorization: Bearer <token>` when the server has a token.
pub fn authorize(token: Option<&str>, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = token else { return Ok(()) };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(g) if constant_time_eq(g.as_bytes(), token.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::new(ErrorKind::Unauthorized, "bad bearer token")),
        None => {
            Err(ApiError::new(ErrorKind::Unauthorized, "writes need Authorization: Bearer TOKEN"))
        }
    }
}

/// Compares without stopping at the first difference, so timing does not reveal the prefix.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Reads the body, at most `max` bytes: a declared `Content-Length` over the limit is refused
/// before reading; a body that grows past it (chunked) is cut off.
async fn read_body(
    body: RequestBody,
    headers: &HeaderMap,
    max: usize,
) -> Result<Vec<u8>, ApiError> {
    let too_large = || {
        ApiError::new(ErrorKind::PayloadTooLarge, format!("the body is larger than {max} bytes"))
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        drain(body).await;
        return Err(too_large());
    }
    match Limited::new(body, max).collect().await {
        Ok(collected) => Ok(collected.to_bytes().to_vec()),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => Err(too_large()),
        Err(e) => Err(ApiError::bad_request(format!("cannot read the body: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn story_params_validate() {
        let p = |k: &str, v: &str| {
            let mut p = StoriesParams::default();
            let v = Some(v.to_string());
            match k {
                "since" => p.since = v,
                "order" => p.order = v,
                "limit" => p.limit = v,
                "offset" => p.offset = v,
                _ => p.q = v,
            }
            p.to_query().map_err(|e| e.kind.status().as_u16())
        };
        assert_eq!(p("since", "2024-12-09").map(|q| q.since.is_some()), Ok(true));
        assert_eq!(p("since", "yesterday").err(), Some(400));
        assert_eq!(p("order", "biggest").map(|q| q.order), Ok(StoryOrder::Biggest));
        assert_eq!(p("order", "random").err(), Some(400));
        assert_eq!(p("limit", "100000").map(|q| q.limit), Ok(MAX_LIMIT));
        assert_eq!(p("limit", "0").err(), Some(400));
        assert_eq!(p("offset", "-1").err(), Some(400));
        assert_eq!(p("q", "  ").map(|q| q.text), Ok(None));
    }

    #[test]
    fn pending_writes_are_bounded_and_given_back() {
        let counter = Arc::new(AtomicUsize::new(0));
        let a = WriteSlot::take(&counter, 2).expect("first");
        let b = WriteSlot::take(&counter, 2).expect("second");
        let third = WriteSlot::take(&counter, 2).map(|_| ()).map_err(|e| e.kind);
        assert_eq!(third, Err(ErrorKind::TooManyRequests));
        drop(a);
        let c = WriteSlot::take(&counter, 2).expect("a slot was given back");
        drop((b, c));
        assert_eq!(counter.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn bearer_tokens_are_checked() {
        let mut h = HeaderMap::new();
        assert!(authorize(None, &h).is_ok());
        assert_eq!(authorize(Some("s3"), &h).map_err(|e| e.kind), Err(ErrorKind::Unauthorized));
        h.insert(header::AUTHORIZATION, "Bearer s4".parse().expect("header"));
        assert_eq!(authorize(Some("s3"), &h).map_err(|e| e.kind), Err(ErrorKind::Unauthorized));
        h.insert(header::AUTHORIZATION, "Bearer s3".parse().expect("header"));
        assert!(authorize(Some("s3"), &h).is_ok());
    }
}
