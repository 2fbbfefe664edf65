//! The HTTP API in-process (tower `oneshot`): listings, story and article bodies (insta
//! snapshots), content negotiation, the error table's statuses (400/401/404/413/415),
//! idempotent writes, and hostile text kept inert in the UI pages.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chorus_server::{router, ServerConfig};
use serde_json::{json, Value};

use super::support::{
    big_story, call, corpus, corpus_app, get, post, posted_stories, settle, sqlite_store,
};

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).expect("json")
}

#[tokio::test]
async fn health_and_unknown_routes() {
    let app = corpus_app();
    let r = get(&app, "/healthz", None).await;
    assert_eq!((r.status, r.json()), (StatusCode::OK, json!({"status": "ok"})));
    let r = get(&app, "/nope", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    insta::assert_snapshot!("unknown_route", pretty(&r.json()));
    let r = get(&app, "/articles", None).await;
    assert_eq!(
        (r.status, r.json()["error"]["kind"].clone()),
        (StatusCode::METHOD_NOT_ALLOWED, json!("method_not_allowed"))
    );
    let r = get(&app, "/stories/%FF%FE", None).await;
    assert_eq!(
        (r.status, r.json()["error"]["kind"].clone()),
        (StatusCode::BAD_REQUEST, json!("bad_request"))
    );
}

#[tokio::test]
async fn stories_are_listed_paged_and_filtered() {
    let app = corpus_app();
    let r = get(&app, "/stories?limit=3&order=biggest", None).await;
    assert_eq!(r.status, StatusCode::OK);
    insta::assert_snapshot!("stories_biggest_3", pretty(&r.json()));

    let all = get(&app, "/stories?limit=200", None).await.json();
    let total = all["total"].as_u64().expect("total");
    assert_eq!(all["stories"].as_array().map(Vec::len), Some(total as usize));
    let second = get(&app, "/stories?offset=1&limit=1", None).await.json();
    assert_eq!(second["stories"][0], all["stories"][1]);
    assert_eq!((second["offset"].clone(), second["limit"].clone()), (json!(1), json!(1)));

    let cases = [
        ("/stories?q=ferry", true),
        ("/stories?q=zzzunmatchedzzz", false),
        ("/stories?entity=Port%20Ellery", true),
        ("/stories?since=2030-01-01", false),
        ("/stories?since=2026-03-01&until=2026-03-31", true),
    ];
    for (uri, some) in cases {
        let r = get(&app, uri, None).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        let n = r.json()["total"].as_u64().expect("total");
        assert_eq!(n > 0, some, "{uri}: {n}");
        assert!(n <= total);
    }
}

#[tokio::test]
async fn bad_query_parameters_are_400_with_the_error_shape() {
    let app = corpus_app();
    for uri in [
        "/stories?since=yesterday",
        "/stories?order=random",
        "/stories?limit=0",
        "/stories?offset=x",
        "/search",
        "/search?q=%20",
    ] {
        let r = get(&app, uri, None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(r.json()["error"]["kind"], "bad_request", "{uri}");
    }
    insta::assert_snapshot!(
        "bad_since",
        pretty(&get(&app, "/stories?since=yesterday", None).await.json())
    );
}

#[tokio::test]
async fn a_story_is_the_contract_shape_or_the_ui_page() {
    let app = corpus_app();
    let story = big_story();
    let r = get(&app, &format!("/stories/{story}"), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    for key in [
        "id",
        "headline",
        "articles",
        "origin_groups",
        "independent_sources",
        "derivations",
        "entities",
        "quotes",
        "facts",
        "conflicts",
        "timeline",
        "summary",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let outline = json!({
        "id": v["id"], "headline": v["headline"], "articles": v["articles"],
        "origin_groups": v["origin_groups"], "independent_sources": v["independent_sources"],
        "conflicts": v["conflicts"].as_array().map(|c| c.iter().map(|c| c["topic"].clone()).collect::<Vec<_>>()),
    });
    insta::assert_snapshot!("story_outline", pretty(&outline));

    let page = get(&app, &format!("/stories/{story}"), Some("text/html,*/*;q=0.8")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.headers["content-type"].to_str().expect("ct").starts_with("text/html"));
    let headline = v["headline"].as_str().expect("headline");
    let first = v["articles"][0].as_str().expect("an article");
    let mut wants = vec![
        headline.to_string(),
        "Outlets by origin".into(),
        format!("href=\"/articles/{first}\""),
    ];
    let sections = [
        ("facts", "Who reports what"),
        ("quotes", "Quotes"),
        ("conflicts", "Conflicts"),
        ("timeline", "Timeline"),
    ];
    for (key, title) in sections {
        if v[key].as_array().is_some_and(|a| !a.is_empty()) {
            wants.push(title.to_string());
        }
    }
    assert!(wants.len() >= 5, "the corpus's big story has facts and quotes: {v}");
    for want in wants {
        assert!(page.body.contains(&want), "story page lacks {want:?}");
    }
}

#[tokio::test]
async fn unknown_ids_are_404_in_json_and_in_html() {
    let app = corpus_app();
    for uri in ["/stories/s-nope", "/articles/nope"] {
        let r = get(&app, uri, None).await;
        assert_eq!(
            (r.status, r.json()["error"]["kind"].clone()),
            (StatusCode::NOT_FOUND, json!("not_found"))
        );
        let r = get(&app, uri, Some("text/html")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.body.contains("<!doctype html>"), "{uri}");
    }
}

#[tokio::test]
async fn an_article_is_its_view_or_its_page() {
    let app = corpus_app();
    let story = big_story();
    let r = get(&app, "/articles/a01-meridian-wire", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["story"], json!(story));
    assert_eq!(v["report"]["source"], json!("Meridian Press"));
    let text = v["text"].as_str().expect("text");
    let highlights = v["highlights"].as_array().expect("highlights");
    assert!(!highlights.is_empty());
    for h in highlights {
        let (s, e) = (
            h["start"].as_u64().expect("start") as usize,
            h["end"].as_u64().expect("end") as usize,
        );
        assert!(s < e && text.get(s..e).is_some(), "{h}");
    }
    let page = get(&app, "/articles/a01-meridian-wire", Some("text/html")).await;
    let kind = highlights[0]["kind"].as_str().expect("kind");
    assert!(page.body.contains(&format!("k-{kind}")), "no {kind} highlighted");
    assert!(page.body.contains("raw bytes "));
    assert!(page.body.contains(&format!("href=\"/stories/{story}\"")));
}

#[tokio::test]
async fn search_finds_articles() {
    let app = corpus_app();
    let r = get(&app, "/search?q=Kessaly&limit=3", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    let hits = v["hits"].as_array().expect("hits");
    assert!(!hits.is_empty() && hits.len() <= 3, "{v}");
    assert!(hits.iter().all(|h| h["article"].is_string() && h["snippet"].is_string()));
}

#[tokio::test]
async fn every_documented_get_route_answers() {
    let app = corpus_app();
    let story = big_story();
    let doc = get(&app, "/openapi.json", None).await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        if ops.get("get").is_none() {
            continue;
        }
        let uri = path
            .replace("/stories/{id}", &format!("/stories/{story}"))
            .replace("{id}", "a01-meridian-wire");
        let uri = if uri == "/search" { "/search?q=ferry".to_string() } else { uri };
        let r = get(&app, &uri, None).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
    }
}

fn small() -> axum::Router {
    let config =
        ServerConfig { token: Some("s3cret".into()), max_body: 4096, ..ServerConfig::default() };
    router(sqlite_store(), config)
}

const TWO: &str = "{\"id\":\"x1\",\"source\":\"Port Ellery Gazette\",\"published\":\"2026-05-02\",\"text\":\"The harbour master of Port Ellery said on Friday that the north pier will reopen next week after repairs.\"}\n{\"id\":\"x2\",\"source\":\"Varnes Radio\",\"published\":\"2026-05-02\",\"text\":\"Port Ellery's north pier reopens next week, the harbour master said on Friday, after months of repairs.\"}\n";

#[tokio::test]
async fn writes_need_the_token_and_are_idempotent() {
    let app = small();
    let r = post(&app, "/articles", "application/x-ndjson", None, TWO).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers["www-authenticate"], "Bearer");
    insta::assert_snapshot!("no_token", pretty(&r.json()));
    let r = post(&app, "/articles", "application/x-ndjson", Some("wrong"), TWO).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    let first = post(&app, "/articles", "application/x-ndjson", Some("s3cret"), TWO).await;
    assert_eq!(first.status, StatusCode::ACCEPTED, "{}", first.body);
    insta::assert_snapshot!("first_post", pretty(&first.json()));
    settle(&app, &posted_stories(&first)).await;
    let again = post(&app, "/articles", "application/x-ndjson", Some("s3cret"), TWO).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(
        (again.json()["added"].clone(), again.json()["duplicates"].clone()),
        (json!(0), json!(2))
    );
    let as_array: Vec<Value> =
        TWO.lines().map(|l| serde_json::from_str(l).expect("line")).collect();
    let r = post(
        &app,
        "/articles",
        "application/json",
        Some("s3cret"),
        Value::Array(as_array).to_string(),
    )
    .await;
    assert_eq!((r.status, r.json()["duplicates"].clone()), (StatusCode::OK, json!(2)));
    let list = get(&app, "/stories", None).await.json();
    let articles: u64 = list["stories"]
        .as_array()
        .expect("stories")
        .iter()
        .map(|s| s["articles"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(articles, 2, "{list}");
    // Reads stay open.
    assert_eq!(get(&app, "/stories", None).await.status, StatusCode::OK);
}

const THIRD: &str = "{\"id\":\"x3\",\"source\":\"Ellery Courier\",\"published\":\"2026-05-03\",\"text\":\"The north pier of Port Ellery will reopen next week after repairs, the harbour master said on Friday.\"}\n";

#[tokio::test]
async fn a_rebuilt_story_is_served_fresh_not_its_earlier_report() {
    let app = small();
    let first = post(&app, "/articles", "application/x-ndjson", Some("s3cret"), TWO).await;
    let ids = posted_stories(&first);
    assert_eq!(ids.len(), 1, "{}", first.body);
    settle(&app, &ids).await;
    let uri = format!("/stories/{}", ids[0]);
    let before = get(&app, &uri, None).await;
    assert_eq!(before.headers["content-type"], "application/json");
    assert_eq!(before.json()["articles"], json!(["x1", "x2"]));
    let more = post(&app, "/articles", "application/x-ndjson", Some("s3cret"), THIRD).await;
    assert_eq!(posted_stories(&more), ids, "the third copy joins the story");
    settle(&app, &ids).await;
    let after = get(&app, &uri, None).await;
    assert_eq!(after.headers["x-chorus-stale"], "false");
    assert_eq!(after.json()["articles"], json!(["x1", "x2", "x3"]), "{}", after.body);
}

/// The story bodies kept per report revision are never older than the archive, even when
/// another process (here a second store on the same file, as `chorus ingest` would be) saves
/// the newer report.
#[tokio::test]
async fn kept_story_bodies_follow_reports_saved_by_another_process() {
    let store = sqlite_store();
    let path = store.backend().path().to_path_buf();
    let config = ServerConfig { token: Some("s3cret".into()), ..ServerConfig::default() };
    let app = router(store, config);
    let first = post(&app, "/articles", "application/x-ndjson", Some("s3cret"), TWO).await;
    let ids = posted_stories(&first);
    settle(&app, &ids).await;
    let uri = format!("/stories/{}", ids[0]);
    for _ in 0..2 {
        let json = get(&app, &uri, None).await;
        assert_eq!(json.json()["articles"], json!(["x1", "x2"]), "{}", json.body);
        let page = get(&app, &uri, Some("text/html")).await;
        assert_eq!(page.headers["content-type"], "text/html; charset=utf-8");
        assert!(page.body.contains("/articles/x2") && !page.body.contains("/articles/x3"));
    }
    let other = chorus_engine::store::sqlite::SqliteStore::open(&path).expect("second opener");
    let mut third = chorus_engine::ingest::Ingested::default();
    let format = chorus_engine::ingest::InputFormat::Jsonl;
    chorus_engine::ingest::read_bytes("t", "t", THIRD.as_bytes(), format, &mut third);
    let done = chorus_engine::store::Store::ingest(&other, third.articles).expect("ingest");
    assert_eq!(done.stories, ids, "the third copy joins the story");
    let json = get(&app, &uri, None).await;
    assert_eq!(json.headers["x-chorus-stale"], "false");
    assert_eq!(json.json()["articles"], json!(["x1", "x2", "x3"]), "{}", json.body);
    let page = get(&app, &uri, Some("text/html")).await;
    assert_eq!(page.headers["x-chorus-stale"], "false");
    assert!(page.body.contains("/articles/x3"), "the page of the new report");
}

#[tokio::test]
async fn bodies_over_the_limit_are_413_declared_or_not() {
    let app = small();
    let big = format!("{{\"id\":\"big\",\"text\":\"{}\"}}", "word ".repeat(2000));
    let declared = Request::post("/articles")
        .header("content-type", "application/json")
        .header("content-length", big.len().to_string())
        .header("authorization", "Bearer s3cret")
        .body(Body::from(big.clone()))
        .expect("request");
    let r = call(&app, declared).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    insta::assert_snapshot!("too_large", pretty(&r.json()));
    // No Content-Length: the body is cut off while read.
    let r = post(&app, "/articles", "application/json", Some("s3cret"), big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn unreadable_bodies_are_400_or_415() {
    let app = small();
    let cases = [
        ("text/plain", "hello", StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        ("application/json", "{oops", StatusCode::BAD_REQUEST, "bad_request"),
        ("application/json", "[{\"id\":\"no-text\"}]", StatusCode::BAD_REQUEST, "bad_request"),
        ("application/x-ndjson", "\n\n", StatusCode::BAD_REQUEST, "bad_request"),
    ];
    for (ct, body, status, kind) in cases {
        let r = post(&app, "/articles", ct, Some("s3cret"), body).await;
        assert_eq!(
            (r.status, r.json()["error"]["kind"].clone()),
            (status, json!(kind)),
            "{ct} {body}"
        );
    }
    let mixed = format!("{TWO}not json\n");
    let r = post(&app, "/articles", "application/x-ndjson", Some("s3cret"), mixed).await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    assert_eq!(r.json()["errors"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn an_html_page_is_ingested_under_its_url() {
    let app = small();
    let page = "<html><head><title>Pier to reopen</title></head><body><article><p>The harbour master of Port Ellery said on Friday that the north pier will reopen next week after months of repairs.</p></article></body></html>";
    let r = post(
        &app,
        "/articles?url=https%3A%2F%2Fgazette.test%2Fpier&source=Gazette",
        "text/html",
        Some("s3cret"),
        page,
    )
    .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let v = get(&app, "/articles/https%3A%2F%2Fgazette.test%2Fpier", None).await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.body);
    assert_eq!(v.json()["report"]["source"], json!("Gazette"));
}

#[tokio::test]
async fn hostile_text_stays_inert_in_the_pages() {
    let app = small();
    let evil = json!({"id": "evil", "title": "<script>alert(1)</script>", "source": "<img src=x onerror=alert(2)>",
        "text": "The mayor said \"<script>alert(3)</script>\" on Monday in Port Ellery, and <b onmouseover=alert(4)>left</b>."});
    let r = post(&app, "/articles", "application/json", Some("s3cret"), evil.to_string()).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let story = r.json()["stories"][0].as_str().expect("story id").to_string();
    settle(&app, &posted_stories(&r)).await;
    for uri in ["/articles/evil".to_string(), format!("/stories/{story}"), "/".to_string()] {
        let page = get(&app, &uri, Some("text/html")).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        for bad in ["<script>alert", "<img src=x", "<b onmouseover"] {
            assert!(!page.body.contains(bad), "{uri} contains {bad}");
        }
    }
}

/// Writes sent at once are ingested together (group commit) and each answered with its own
/// outcome: every one stored, each told the story its article joined.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writes_are_each_answered_with_their_own_outcome() {
    let config = ServerConfig { token: Some("s3cret".into()), ..ServerConfig::default() };
    let app = router(sqlite_store(), config);
    let corpus = corpus();
    let posts = corpus.iter().take(12).map(|a| {
        let body = json!({
            "id": a.id, "text": a.raw, "source": a.source, "title": a.title,
            "published": a.published,
        })
        .to_string();
        let app = app.clone();
        tokio::spawn(async move {
            post(&app, "/articles", "application/json", Some("s3cret"), body).await
        })
    });
    let replies: Vec<_> = futures_join(posts.collect()).await;
    for (a, r) in corpus.iter().zip(&replies) {
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}: {}", a.id, r.body);
        let out = r.json();
        assert_eq!((out["added"].clone(), out["duplicates"].clone()), (json!(1), json!(0)));
        let view = get(&app, &format!("/articles/{}", a.id), None).await.json();
        assert_eq!(out["stories"], json!([view["story"].clone()]), "{}", a.id);
    }
    let opened: u64 = replies.iter().map(|r| r.json()["new_stories"].as_u64().unwrap_or(0)).sum();
    for r in &replies {
        settle(&app, &posted_stories(r)).await;
    }
    let total = get(&app, "/stories?limit=200", None).await.json()["total"].clone();
    assert_eq!(json!(opened), total, "each story opened by exactly one write");
}

/// Awaits every task, in order.
async fn futures_join<T>(tasks: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(t.await.expect("task"));
    }
    out
}
