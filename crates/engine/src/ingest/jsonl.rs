//! JSONL input: one article per line with `id`, `text` (or `html`, run through the HTML
//! extractor) and optional `source`, `url`, `title`, `published`. A bad line is reported
//! with its line number; the others are read.

use serde::Deserialize;

use super::{html, parse_date, Ingested};
use crate::error::IngestError;
use crate::record::Article;

#[derive(Debug, Deserialize)]
struct Record {
    id: Option<serde_json::Value>,
    text: Option<String>,
    html: Option<String>,
    source: Option<String>,
    url: Option<String>,
    title: Option<String>,
    author: Option<String>,
    published: Option<String>,
}

/// Reads the JSONL `text` of `origin` into `out`. Records without an id get `stem:line`.
pub fn read(origin: &str, stem: &str, text: &str, out: &mut Ingested) {
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        let rec: Record = match serde_json::from_str(line) {
            Ok(r) => r,
            Err(e) => {
                out.errors.push(IngestError::json(origin, line_no, e.to_string()));
                continue;
            }
        };
        let mut rec = rec;
        let page = match (&rec.text, &rec.html) {
            (None, Some(h)) => Some(html::extract(h)),
            _ => None,
        };
        if let Some(p) = page {
            rec.text = Some(p.text);
            rec.title = rec.title.or(p.title);
            rec.url = rec.url.or(p.url);
            rec.published = rec.published.or(p.published);
            rec.source = rec.source.or(p.site);
        }
        let Some(body) = rec.text.filter(|t| !t.trim().is_empty()) else {
            out.errors.push(IngestError::json(
                origin,
                line_no,
                "no `text` (or `html`) field".into(),
            ));
            continue;
        };
        let id = match rec.id {
            Some(serde_json::Value::String(s)) if !s.is_empty() => s,
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => rec.url.clone().unwrap_or_else(|| format!("{stem}:{line_no}")),
        };
        let date = rec.published.as_deref().and_then(parse_date);
        out.articles.push(Article {
            id,
            source: rec.source,
            url: rec.url,
            title: rec.title,
            author: rec.author,
            published: rec.published,
            date,
            raw: body,
        });
    }
}
