//! The OpenAPI 3.1 document served at `GET /openapi.json`, written by hand with
//! `serde_json::json!`. A test checks that its paths and methods are exactly those of
//! [`crate::routes`], so adding a route without documenting it fails the build's tests.

use serde_json::{json, Value};

use crate::error::ErrorKind;

fn error_response(description: &str) -> Value {
    json!({ "description": description,
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn json_response(description: &str, schema: &str) -> Value {
    json!({ "description": description,
            "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } })
}

fn param(name: &str, location: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": location, "required": location == "path",
            "description": description, "schema": schema })
}

fn string() -> Value {
    json!({ "type": "string" })
}

fn date() -> Value {
    json!({ "type": "string", "format": "date" })
}

fn html_or_json(description: &str, schema: &str) -> Value {
    json!({ "description": description, "content": {
        "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } },
        "text/html": { "schema": { "type": "string" } } } })
}

fn paths() -> Value {
    json!({
        "/": { "get": { "summary": "Web UI: the story list (newest or biggest, search, paging)",
            "parameters": [param("q", "query", "full-text filter", string()),
                           param("order", "query", "newest or biggest", json!({"type": "string", "enum": ["newest", "biggest"]})),
                           param("offset", "query", "stories to skip", json!({"type": "integer", "minimum": 0}))],
            "responses": { "200": { "description": "HTML page", "content": { "text/html": { "schema": string() } } },
                           "400": error_response("bad query parameter") } } },
        "/healthz": { "get": { "summary": "Liveness check",
            "responses": { "200": { "description": "the server is up",
                "content": { "application/json": { "schema": { "type": "object", "properties": { "status": string() } } } } } } } },
        "/openapi.json": { "get": { "summary": "This document",
            "responses": { "200": { "description": "OpenAPI 3.1 document", "content": { "application/json": { "schema": { "type": "object" } } } } } } },
        "/articles": { "post": { "summary": "Add articles (idempotent: an article already stored is counted as a duplicate)",
            "security": [ { "bearer": [] } ],
            "parameters": [param("url", "query", "for text/html: the page's URL (its article id)", string()),
                           param("source", "query", "for text/html: the outlet", string())],
            "requestBody": { "required": true, "content": {
                "application/x-ndjson": { "schema": { "type": "string", "description": "one Article per line" } },
                "application/json": { "schema": { "oneOf": [ { "$ref": "#/components/schemas/Article" },
                    { "type": "array", "items": { "$ref": "#/components/schemas/Article" } } ] } },
                "text/html": { "schema": { "type": "string", "description": "one HTML page" } } } },
            "responses": { "202": json_response("articles stored and assigned to stories; the stories' reports are rebuilt in the background (GET /stories/{id} says when one is stale or pending)", "IngestOutcome"),
                           "200": json_response("nothing new: every article was already stored", "IngestOutcome"),
                           "400": error_response("nothing readable in the body"),
                           "401": error_response("missing or bad bearer token"),
                           "413": error_response("body over the size limit"),
                           "415": error_response("unsupported Content-Type"),
                           "429": error_response("too many writes waiting; retry after Retry-After seconds"),
                           "503": error_response("archive busy or unavailable") } } },
        "/articles/{id}": { "get": { "summary": "One stored article: metadata, repairs, raw and repaired text, highlighted spans (HTML when Accept prefers text/html)",
            "parameters": [param("id", "path", "article id", string())],
            "responses": { "200": html_or_json("the article", "ArticleView"),
                           "404": error_response("no such article") } } },
        "/stories": { "get": { "summary": "List stories, paged and filtered",
            "parameters": [param("since", "query", "only stories with an article on or after", date()),
                           param("until", "query", "only stories with an article on or before", date()),
                           param("q", "query", "full-text filter", string()),
                           param("entity", "query", "only stories naming this entity", string()),
                           param("order", "query", "newest (default) or biggest", json!({"type": "string", "enum": ["newest", "biggest"]})),
                           param("offset", "query", "stories to skip", json!({"type": "integer", "minimum": 0})),
                           param("limit", "query", "page size (at most 200)", json!({"type": "integer", "minimum": 1, "maximum": 200}))],
            "responses": { "200": json_response("a page of stories", "StoryList"),
                           "400": error_response("bad query parameter") } } },
        "/stories/{id}": { "get": { "summary": "One story's report in the JSON contract's story shape (HTML when Accept prefers text/html); the whole report unless offset or limit asks for a page of its member lists",
            "parameters": [param("id", "path", "story id", string()),
                           param("offset", "query", "JSON: members skipped; with limit, answers the report with its member lists cut to a page (schema StoryPage)", json!({"type": "integer", "minimum": 0})),
                           param("limit", "query", "JSON: members kept (default 100 when offset is given, at most 1000), and entries kept of every other per-article list", json!({"type": "integer", "minimum": 1, "maximum": 1000})),
                           param("page", "query", "HTML: page of the story page's member list, from 1 (page 1 is the whole story; 100 members per page)", json!({"type": "integer", "minimum": 1}))],
            "responses": { "200": { "description": "the story's last synthesized report",
                                    "headers": { "X-Chorus-Stale": { "description": "true when articles joined the story after this report (a newer one is being synthesized), else false",
                                                                     "schema": { "type": "string", "enum": ["true", "false"] } } },
                                    "content": { "application/json": { "schema": { "oneOf": [
                                                     { "$ref": "#/components/schemas/Story" }, { "$ref": "#/components/schemas/StoryPage" } ] } },
                                                 "text/html": { "schema": string() } } },
                           "400": error_response("bad offset, limit or page"),
                           "202": { "description": "the story has articles but its first report is not ready yet; retry after Retry-After seconds",
                                    "content": { "application/json": { "schema": { "type": "object", "properties": {
                                        "story": string(), "status": { "type": "string", "enum": ["pending"] } } } } } },
                           "307": { "description": "a reconcile pass merged this story into another: Location is /stories/{merged_into}",
                                    "content": { "application/json": { "schema": { "type": "object", "properties": {
                                        "story": string(), "merged_into": string() } } } } },
                           "404": error_response("no such story, or no such page of its members") } } },
        "/search": { "get": { "summary": "Full-text search over articles, best first",
            "parameters": [param("q", "query", "the query (required)", string()),
                           param("limit", "query", "most hits (at most 100)", json!({"type": "integer", "minimum": 1, "maximum": 100}))],
            "responses": { "200": json_response("hits", "SearchResult"),
                           "400": error_response("missing q") } } }
    })
}

fn schemas() -> Value {
    let kinds: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.name()).collect();
    json!({
        "Error": { "type": "object", "required": ["error"], "properties": { "error": { "type": "object",
            "required": ["kind", "message"],
            "properties": { "kind": { "type": "string", "enum": kinds }, "message": string() } } } },
        "Article": { "type": "object", "required": ["id"], "description": "text or html is required",
            "properties": { "id": string(), "text": string(), "html": string(), "source": string(),
                            "url": string(), "title": string(), "author": string(),
                            "published": { "type": "string", "description": "RFC 3339 or YYYY-MM-DD" } } },
        "IngestOutcome": { "type": "object", "properties": {
            "added": { "type": "integer" }, "duplicates": { "type": "integer" },
            "stories": { "type": "array", "items": string() }, "new_stories": { "type": "integer" },
            "articles": { "type": "array", "description": "each stored article and the story it joined",
                          "items": { "type": "object", "properties": { "article": string(), "story": string() } } },
            "errors": { "type": "array", "items": string() } } },
        "StorySummary": { "type": "object", "properties": {
            "id": string(), "headline": string(), "articles": { "type": "integer" },
            "independent_sources": { "type": "integer" }, "updated": date(),
            "outlets": { "type": "array", "items": string() } } },
        "StoryList": { "type": "object", "properties": {
            "stories": { "type": "array", "items": { "$ref": "#/components/schemas/StorySummary" } },
            "total": { "type": "integer" }, "offset": { "type": "integer" }, "limit": { "type": "integer" } } },
        "Story": { "type": "object", "description": "the story object of the JSON contract (DESIGN.md)",
            "properties": { "id": string(), "headline": string(),
                "articles": { "type": "array", "items": string() },
                "origin_groups": { "type": "array", "items": { "type": "array", "items": string() } },
                "independent_sources": { "type": "integer" },
                "derivations": { "type": "array", "items": { "type": "object" } },
                "entities": { "type": "array", "items": { "type": "object" } },
                "quotes": { "type": "array", "items": { "type": "object" } },
                "facts": { "type": "array", "items": { "type": "object" } },
                "conflicts": { "type": "array", "items": { "type": "object" } },
                "timeline": { "type": "array", "items": { "type": "object" } },
                "summary": { "type": "array", "items": { "type": "object" } } } },
        "StoryPage": { "type": "object", "description": "GET /stories/{id}?offset=&limit=: the Story with its member lists cut to a page (articles offset..offset+limit; the first limit origin groups, derivations and why entries, each origin group cut to its first limit ids; in each entity, quote, fact, conflict side, timeline entry and summary line the article list cut to its first limit entries, with <list>_total beside it); facts, quotes, conflicts, timeline and summary stay complete",
            "allOf": [ { "$ref": "#/components/schemas/Story" } ],
            "properties": { "articles_total": { "type": "integer" },
                "origin_groups_total": { "type": "integer" },
                "origin_group_sizes": { "type": "array", "items": { "type": "integer" }, "description": "the full size of each origin group listed" },
                "derivations_total": { "type": "integer" }, "why_total": { "type": "integer" },
                "paging": { "type": "object", "properties": { "offset": { "type": "integer" }, "limit": { "type": "integer" } } } } },
        "Highlight": { "type": "object", "properties": {
            "kind": string(), "start": { "type": "integer" }, "end": { "type": "integer" },
            "raw_start": { "type": "integer" }, "raw_end": { "type": "integer" },
            "label": { "type": ["string", "null"] } } },
        "ArticleView": { "type": "object", "properties": {
            "report": { "type": "object", "description": "the article object of the JSON contract" },
            "story": { "type": ["string", "null"] }, "raw": string(), "text": string(),
            "highlights": { "type": "array", "items": { "$ref": "#/components/schemas/Highlight" } } } },
        "SearchResult": { "type": "object", "properties": { "query": string(), "hits": { "type": "array", "items": {
            "type": "object", "properties": { "article": string(), "story": { "type": ["string", "null"] },
                "title": { "type": ["string", "null"] }, "snippet": string(), "score": { "type": "number" } } } } } }
    })
}

/// The OpenAPI document of every route.
pub fn document() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": { "title": "chorus", "version": env!("CARGO_PKG_VERSION"),
                  "description": "Stories, independent sources, facts, conflicts and quotes of a growing news archive." },
        "paths": paths(),
        "components": {
            "schemas": schemas(),
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_documented_and_every_documented_route_exists() {
        let doc = document();
        let paths = doc["paths"].as_object().expect("paths object");
        let mut documented: Vec<(String, String)> = paths
            .iter()
            .flat_map(|(p, ops)| {
                let ops = ops.as_object().cloned().unwrap_or_default();
                ops.keys().map(|m| (p.clone(), m.to_uppercase())).collect::<Vec<_>>()
            })
            .collect();
        let mut mounted: Vec<(String, String)> =
            crate::routes().iter().map(|r| (r.path.to_string(), r.method.to_string())).collect();
        documented.sort();
        mounted.sort();
        assert_eq!(documented, mounted);
        for (p, ops) in paths {
            for (m, op) in ops.as_object().expect("operations") {
                assert!(op["summary"].is_string(), "{m} {p} has no summary");
                assert!(op["responses"]["200"].is_object(), "{m} {p} has no 200 response");
            }
        }
    }
}
