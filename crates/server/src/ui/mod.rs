//! The web UI: server-rendered HTML pages, no build step. The story list (`/`, paged on the
//! server so 10,000 stories cost one page), the story page (the engine's HTML report of one
//! story, with links), and the article page ([`article`]: repaired text with highlighted
//! spans). CSS is the engine's report stylesheet plus `ui.css`; `ui.js` only turns article
//! chips into links. Every piece of stored text goes through [`escape`]: article text is
//! hostile input.

mod article;

use std::fmt::Write;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use chorus_engine::render::html;
use chorus_engine::report::{ArticleReport, Report, StoryReport};
use chorus_engine::store::{StoryOrder, StoryPage, StoryQuery};

pub use article::article_page;

use crate::api::{self, StoriesParams};
use crate::error::ApiError;
use crate::AppState;

/// The report stylesheet of the engine, shared so the UI and `chorus run --format html` look alike.
const REPORT_CSS: &str = include_str!("../../../engine/src/render/html.css");
const UI_CSS: &str = include_str!("ui.css");
const UI_JS: &str = include_str!("ui.js");

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    html::escape(text)
}

/// Percent-encodes one path segment or query value (everything but RFC 3986 unreserved).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Whether the client's `Accept` prefers HTML to JSON (browsers do; `curl` and API clients,
/// sending `*/*` or `application/json`, do not).
pub fn wants_html(headers: &HeaderMap) -> bool {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let (mut html_q, mut json_q) = (0.0f32, 0.0f32);
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let mime = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        match mime.as_str() {
            "text/html" | "application/xhtml+xml" => html_q = html_q.max(q),
            "application/json" => json_q = json_q.max(q),
            _ => {}
        }
    }
    html_q > 0.0 && html_q >= json_q
}

/// A whole page: head (title, stylesheets), the navigation bar, `body`, the script.
fn layout(title: &str, search: &str, body: &str) -> String {
    let mut s = String::with_capacity(body.len() + REPORT_CSS.len() + 2048);
    let _ = write!(
        s,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} — chorus</title><style>{REPORT_CSS}{UI_CSS}</style></head><body><main>\n",
        escape(title)
    );
    s.push_str(&nav(search, None));
    s.push_str(body);
    let _ = writeln!(s, "</main><script>{UI_JS}</script></body></html>");
    s
}

/// The navigation bar: home link and the story search form.
fn nav(search: &str, order: Option<StoryOrder>) -> String {
    let sel = |o: StoryOrder| if order == Some(o) { " selected" } else { "" };
    format!(
        "<nav class=\"bar\"><a class=\"home\" href=\"/\">chorus</a>\
         <form action=\"/\" method=\"get\" role=\"search\">\
         <input type=\"search\" name=\"q\" value=\"{}\" placeholder=\"Search stories\" aria-label=\"Search stories\">\
         <select name=\"order\" aria-label=\"Order\"><option value=\"newest\"{}>newest</option>\
         <option value=\"biggest\"{}>biggest</option></select><button type=\"submit\">Search</button></form></nav>\n",
        escape(search),
        sel(StoryOrder::Newest),
        sel(StoryOrder::Biggest)
    )
}

fn html_response(page: String) -> Response {
    let mut resp = Html(page).into_response();
    resp.headers_mut().insert(header::VARY, HeaderValue::from_static("accept"));
    resp
}

/// An error as an HTML page, with the error's status.
pub fn error_page(err: &ApiError) -> Response {
    let body = format!(
        "<section class=\"panel\"><h2>{}</h2><p>{}</p><p><a href=\"/\">All stories</a></p></section>",
        err.kind.status(),
        escape(&err.message)
    );
    let mut resp = html_response(layout("error", "", &body));
    *resp.status_mut() = err.kind.status();
    resp
}

/// `GET /`: the story list.
pub async fn index(
    State(state): State<AppState>,
    params: Result<Query<StoriesParams>, QueryRejection>,
) -> Response {
    let params = match params {
        Ok(Query(p)) => p,
        Err(e) => return error_page(&ApiError::bad_request(e.body_text())),
    };
    let q = match params.to_query() {
        Ok(q) => q,
        Err(e) => return error_page(&e),
    };
    match api::story_page(&state, q).await {
        Ok((q, page)) => html_response(story_list(&q, &page)),
        Err(e) => error_page(&e),
    }
}

/// The story list page for one page of a query.
fn story_list(q: &StoryQuery, page: &StoryPage) -> String {
    let text = q.text.as_deref().unwrap_or("");
    let mut s = String::new();
    let _ = write!(s, "<section class=\"panel\"><header class=\"top\"><h1>");
    match &q.text {
        Some(t) => {
            let _ = write!(s, "Stories matching “{}”", escape(t));
        }
        None => s.push_str("Stories"),
    }
    let _ = write!(
        s,
        "</h1><span class=\"meta\">{} stories · {}</span></header>",
        page.total,
        if q.order == StoryOrder::Biggest { "biggest first" } else { "newest first" }
    );
    if page.stories.is_empty() {
        s.push_str("<p class=\"empty\">No stories.</p>");
    } else {
        s.push_str("<table class=\"stories\"><tr><th>story</th><th>articles</th><th>independent</th><th>updated</th></tr>");
        for st in &page.stories {
            let _ = write!(
                s,
                "<tr><td><a class=\"headline\" href=\"/stories/{}\">{}</a><div class=\"meta\">{}</div></td>\
                 <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"date\">{}</td></tr>",
                encode(&st.id),
                escape(&st.headline),
                escape(&st.outlets.join(" · ")),
                st.articles,
                st.independent_sources,
                escape(&st.updated)
            );
        }
        s.push_str("</table>");
    }
    s.push_str(&pager(q, page.total));
    s.push_str("</section>");
    let mut out = layout("stories", text, &s);
    // The list page's bar shows the order in force.
    out = out.replacen(&nav(text, None), &nav(text, Some(q.order)), 1);
    out
}

/// Previous/next links that keep the query's filters.
fn pager(q: &StoryQuery, total: usize) -> String {
    let link = |offset: usize, label: &str| {
        let mut href = format!("/?offset={offset}&limit={}", q.limit);
        if q.order == StoryOrder::Biggest {
            href.push_str("&order=biggest");
        }
        let mut add = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                let _ = write!(href, "&{k}={}", encode(&v));
            }
        };
        add("q", q.text.clone());
        add("entity", q.entity.clone());
        add("since", q.since.map(|d| d.to_string()));
        add("until", q.until.map(|d| d.to_string()));
        format!("<a rel=\"{}\" href=\"{}\">{label}</a>", label.to_lowercase(), escape(&href))
    };
    let mut s = String::from("<div class=\"pager\"><span>");
    if q.offset > 0 {
        s.push_str(&link(q.offset.saturating_sub(q.limit), "Prev"));
    }
    let shown_to = (q.offset + q.limit).min(total);
    let _ = write!(
        s,
        "</span><span class=\"meta\">{}–{} of {total}</span><span>",
        if total == 0 { 0 } else { q.offset.min(total) + 1 },
        shown_to
    );
    if q.offset + q.limit < total {
        s.push_str(&link(q.offset + q.limit, "Next"));
    }
    s.push_str("</span></div>");
    s
}

/// The story page: the engine's HTML report of this one story, inside the UI's frame, with
/// a list of links to its articles.
pub fn story_html(story: StoryReport, articles: Vec<ArticleReport>) -> String {
    let mut links =
        String::from("<section class=\"panel\"><h3>Read the articles</h3><ul class=\"plain\">");
    for a in &articles {
        let _ = write!(
            links,
            "<li><a href=\"/articles/{}\">{}</a> <span class=\"meta\">{} · {}</span></li>",
            encode(&a.id),
            escape(a.title.as_deref().unwrap_or(&a.id)),
            escape(a.source.as_deref().unwrap_or("unknown outlet")),
            escape(a.published.as_deref().unwrap_or("undated"))
        );
    }
    links.push_str("</ul></section>");
    let headline = story.headline.clone();
    let report = Report { articles, stories: vec![story] };
    let rendered = html::render(&report);
    // The report page is one `<section class="story">…</section>` after a header; keep the
    // section, drop the batch header, frame it with the UI.
    let section = rendered
        .find("<section class=\"story\"")
        .and_then(|start| {
            rendered.rfind("</section>").map(|end| &rendered[start..end + "</section>".len()])
        })
        .unwrap_or("");
    layout(&headline, "", &format!("{section}\n{links}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_headers_choose_html_or_json() {
        let cases = [
            (None, false),
            (Some("*/*"), false),
            (Some("application/json"), false),
            (Some("text/html"), true),
            (Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"), true),
            (Some("application/json, text/html;q=0.5"), false),
            (Some("text/html;q=0"), false),
        ];
        for (accept, want) in cases {
            let mut h = HeaderMap::new();
            if let Some(a) = accept {
                h.insert(header::ACCEPT, a.parse().expect("header"));
            }
            assert_eq!(wants_html(&h), want, "{accept:?}");
        }
    }

    #[test]
    fn ids_are_encoded_for_urls() {
        assert_eq!(encode("a01-x_y.z~"), "a01-x_y.z~");
        assert_eq!(encode("https://x.test/a?b=1"), "https%3A%2F%2Fx.test%2Fa%3Fb%3D1");
        assert_eq!(encode("é"), "%C3%A9");
    }

    #[test]
    fn the_pager_keeps_filters_and_stops_at_the_ends() {
        let q =
            StoryQuery { offset: 50, limit: 50, text: Some("a&b".into()), ..StoryQuery::default() };
        let p = pager(&q, 120);
        assert!(p.contains("href=\"/?offset=0&amp;limit=50&amp;q=a%26b\""), "{p}");
        assert!(p.contains("href=\"/?offset=100&amp;limit=50&amp;q=a%26b\""), "{p}");
        assert!(p.contains("51–100 of 120"));
        let last = pager(&StoryQuery { offset: 100, ..q }, 120);
        assert!(!last.contains("rel=\"next\""));
    }
}
