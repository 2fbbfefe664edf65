//! Request bodies of `POST /articles` → [`Article`]s, through the engine's ingest readers:
//! JSONL (`application/x-ndjson`), one JSON article or an array of them
//! (`application/json`, each element read as one JSONL record), or an HTML page
//! (`text/html`, id and outlet from `?url=` / `?source=` when given).
//!
//! Kept apart from the handlers so the parsing is plain synchronous code with its own tests.

use chorus_engine::ingest::{self, html, Ingested, InputFormat};
use chorus_engine::record::Article;

use crate::error::{ApiError, ErrorKind};

/// The body formats `POST /articles` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// One JSON article per line.
    Jsonl,
    /// One JSON article, or an array of them.
    Json,
    /// One HTML page.
    Html,
}

impl BodyFormat {
    /// The format named by a `Content-Type` value (parameters ignored), or a 415.
    pub fn from_content_type(content_type: Option<&str>) -> Result<BodyFormat, ApiError> {
        let Some(ct) = content_type else {
            return Err(ApiError::new(
                ErrorKind::UnsupportedMediaType,
                "missing Content-Type: send application/x-ndjson, application/json or text/html",
            ));
        };
        let mime = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        match mime.as_str() {
            "application/x-ndjson" | "application/jsonl" | "application/x-jsonlines"
            | "application/jsonlines" => Ok(BodyFormat::Jsonl),
            "application/json" => Ok(BodyFormat::Json),
            "text/html" | "application/xhtml+xml" => Ok(BodyFormat::Html),
            _ => Err(ApiError::new(
                ErrorKind::UnsupportedMediaType,
                format!(
                    "cannot read Content-Type {mime:?}: send application/x-ndjson, application/json or text/html"
                ),
            )),
        }
    }
}

/// Where an HTML page came from (query parameters of `POST /articles`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PageOrigin {
    /// The page's URL (also its article id).
    pub url: Option<String>,
    /// The outlet's name.
    pub source: Option<String>,
}

/// Articles read from a body, and a message per record that could not be read.
#[derive(Debug, Default)]
pub struct ParsedBody {
    /// The articles, in body order.
    pub articles: Vec<Article>,
    /// One message per skipped record (`body:LINE: why`).
    pub errors: Vec<String>,
}

/// Reads a body of `format`. Fails (400) only when nothing at all could be read.
pub fn parse(format: BodyFormat, body: &[u8], origin: &PageOrigin) -> Result<ParsedBody, ApiError> {
    let mut out = Ingested::default();
    match format {
        BodyFormat::Jsonl => ingest::read_bytes("body", "body", body, InputFormat::Jsonl, &mut out),
        BodyFormat::Json => {
            let jsonl = json_to_jsonl(body)?;
            ingest::read_bytes("body", "body", jsonl.as_bytes(), InputFormat::Jsonl, &mut out);
        }
        BodyFormat::Html => out.articles.push(page(body, origin)?),
    }
    let errors: Vec<String> = out.errors.iter().map(ToString::to_string).collect();
    if out.articles.is_empty() {
        let why = if errors.is_empty() {
            "no articles in the body".to_string()
        } else {
            errors.join("; ")
        };
        return Err(ApiError::bad_request(why));
    }
    Ok(ParsedBody { articles: out.articles, errors })
}

/// A JSON article or array of articles, as JSONL (one element per line), so that the
/// engine's JSONL reader gives every record the same treatment.
fn json_to_jsonl(body: &[u8]) -> Result<String, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("body is not JSON: {e}")))?;
    let items = match value {
        serde_json::Value::Array(items) => items,
        obj @ serde_json::Value::Object(_) => vec![obj],
        _ => return Err(ApiError::bad_request("body must be a JSON article or an array of them")),
    };
    let mut jsonl = String::new();
    for item in items {
        // A Value always serializes (string keys only).
        jsonl.push_str(&item.to_string());
        jsonl.push('\n');
    }
    Ok(jsonl)
}

/// One HTML page as an article: id = `?url=`, else the page's canonical URL, else a hash of
/// its text (so posting the same page twice is still idempotent).
fn page(body: &[u8], origin: &PageOrigin) -> Result<Article, ApiError> {
    let mut page = html::extract_bytes(body, None)
        .map_err(|e| ApiError::bad_request(format!("cannot read the page: {e}")))?;
    if origin.url.is_some() {
        page.url.clone_from(&origin.url);
    }
    if origin.source.is_some() {
        page.site.clone_from(&origin.source);
    }
    let id =
        page.url.clone().unwrap_or_else(|| format!("page-{:016x}", fnv1a(page.text.as_bytes())));
    page.into_article(id).ok_or_else(|| ApiError::bad_request("the page has no article text"))
}

/// FNV-1a, 64 bits: a stable content hash for ids (not for security).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_choose_the_reader() {
        let cases = [
            (Some("application/x-ndjson"), Ok(BodyFormat::Jsonl)),
            (Some("application/json; charset=utf-8"), Ok(BodyFormat::Json)),
            (Some("Text/HTML"), Ok(BodyFormat::Html)),
            (Some("text/plain"), Err(415)),
            (None, Err(415)),
        ];
        for (ct, want) in cases {
            let got = BodyFormat::from_content_type(ct).map_err(|e| e.kind.status().as_u16());
            assert_eq!(got, want, "{ct:?}");
        }
    }

    fn ids(format: BodyFormat, body: &str) -> Result<(Vec<String>, usize), u16> {
        parse(format, body.as_bytes(), &PageOrigin::default())
            .map(|p| (p.articles.into_iter().map(|a| a.id).collect(), p.errors.len()))
            .map_err(|e| e.kind.status().as_u16())
    }

    #[test]
    fn bodies_parse_or_fail_with_400() {
        let one = r#"{"id":"a","text":"The bridge reopened on Monday."}"#;
        let two = "{\"id\":\"a\",\"text\":\"x y\"}\nnot json\n{\"id\":\"b\",\"text\":\"z\"}\n";
        type Want = Result<(Vec<&'static str>, usize), u16>;
        let cases: &[(BodyFormat, &str, Want)] = &[
            (BodyFormat::Json, one, Ok((vec!["a"], 0))),
            (BodyFormat::Json, &format!("[{one},{one}]"), Ok((vec!["a", "a"], 0))),
            (BodyFormat::Json, "42", Err(400)),
            (BodyFormat::Json, "{not json", Err(400)),
            (BodyFormat::Json, "[]", Err(400)),
            (BodyFormat::Json, r#"{"id":"a"}"#, Err(400)),
            (BodyFormat::Jsonl, two, Ok((vec!["a", "b"], 1))),
            (BodyFormat::Jsonl, "", Err(400)),
            (BodyFormat::Html, "<html><body></body></html>", Err(400)),
        ];
        for (format, body, want) in cases {
            let want = want.clone().map(|(v, n)| (v.iter().map(|s| s.to_string()).collect(), n));
            assert_eq!(ids(*format, body), want, "{body}");
        }
    }

    #[test]
    fn an_html_page_takes_its_id_from_the_query_or_its_text() {
        let html = "<html><head><title>Bridge</title></head><body><article><p>The bridge over the Varn river reopened on Monday after three months of repairs, the mayor said.</p></article></body></html>";
        let origin = PageOrigin { url: Some("https://x.test/a".into()), source: Some("X".into()) };
        let a = parse(BodyFormat::Html, html.as_bytes(), &origin).expect("page");
        assert_eq!(a.articles[0].id, "https://x.test/a");
        assert_eq!(a.articles[0].source.as_deref(), Some("X"));
        let b = parse(BodyFormat::Html, html.as_bytes(), &PageOrigin::default()).expect("page");
        let c = parse(BodyFormat::Html, html.as_bytes(), &PageOrigin::default()).expect("page");
        assert!(b.articles[0].id.starts_with("page-"));
        assert_eq!(b.articles[0].id, c.articles[0].id);
    }
}
