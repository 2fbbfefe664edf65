//! Page metadata: title, author, publication date, canonical URL and site name, from the
//! OpenGraph/`article:` meta tags, JSON-LD (`NewsArticle`, `@graph`…), `<time datetime>`,
//! `<link rel=canonical>`, `<title>` and the first `<h1>`, in that order of trust.

use std::collections::HashMap;

use ego_tree::NodeRef;
use scraper::Node;
use serde_json::Value;

/// What a page says about itself.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Meta {
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub site: Option<String>,
    /// JSON-LD `articleBody`, as written (paragraphs separated by newlines, or HTML).
    pub body: Option<String>,
}

/// Everything collected in one pass over the tree.
#[derive(Default)]
struct Found {
    metas: HashMap<String, String>,
    title_tag: Option<String>,
    h1: Option<String>,
    canonical: Option<String>,
    rel_author: Option<String>,
    /// Microdata `itemprop=author` (its text, or its nested `itemprop=name`).
    item_author: Option<String>,
    time: Option<String>,
    time_is_pubdate: bool,
    jsonld: Vec<Value>,
}

/// Reads the metadata of a page.
pub(super) fn read(root: NodeRef<'_, Node>) -> Meta {
    let f = collect(root);
    let ld = article_ld(&f.jsonld);
    let m = |k: &str| f.metas.get(k).cloned();
    let ld_str = |k: &str| ld.and_then(|o| o.get(k)).and_then(text_of);
    let title = m("og:title")
        .or_else(|| m("twitter:title"))
        .or_else(|| ld_str("headline"))
        .or_else(|| f.h1.clone().filter(|h| f.title_tag.as_ref().is_some_and(|t| t.contains(h))))
        .or_else(|| f.title_tag.as_deref().map(clean_title))
        .or_else(|| f.h1.clone());
    let author = m("author")
        .or_else(|| m("article:author").filter(|a| !a.contains("://")))
        .or_else(|| ld.and_then(|o| o.get("author")).and_then(names))
        .or_else(|| AUTHOR_KEYS.iter().find_map(|k| m(k)))
        .or_else(|| f.item_author.clone())
        .or_else(|| f.rel_author.clone())
        .map(|a| strip_by(&a));
    let date_keys = [
        "date",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "dc.date",
        "dc.date.issued",
        "dcterms.date",
        "dcterms.issued",
        "dcterms.created",
        "parsely-pub-date",
        "sailthru.date",
    ];
    let published = m("article:published_time")
        .or_else(|| ld_str("datePublished"))
        .or_else(|| m("datepublished"))
        .or_else(|| f.time.clone().filter(|_| f.time_is_pubdate))
        .or_else(|| date_keys.iter().find_map(|k| m(k)))
        .or_else(|| f.time.clone());
    let url = f.canonical.clone().or_else(|| m("og:url")).or_else(|| ld_str("url"));
    let site = m("og:site_name")
        .or_else(|| ld.and_then(|o| o.get("publisher")).and_then(names))
        .or_else(|| m("application-name"));
    let body = ld.and_then(|o| o.get("articleBody")).and_then(|v| v.as_str()).map(str::to_string);
    Meta { title, author, published, url, site, body }
}

/// Meta names of an author besides `author` and `article:author`.
const AUTHOR_KEYS: &[&str] =
    &["dc.creator", "dcterms.creator", "parsely-author", "sailthru.author", "byl"];

/// A byline without its leading "By " ("By Ann Lee" → "Ann Lee").
fn strip_by(a: &str) -> String {
    let rest = a.strip_prefix("By ").or_else(|| a.strip_prefix("by ")).unwrap_or(a);
    rest.trim().to_string()
}

fn collect(root: NodeRef<'_, Node>) -> Found {
    let mut f = Found::default();
    for node in root.descendants() {
        let Node::Element(e) = node.value() else { continue };
        match e.name() {
            "meta" => {
                let key = e.attr("property").or(e.attr("name")).or(e.attr("itemprop"));
                if let (Some(k), Some(v)) = (key, e.attr("content")) {
                    let v = collapse(v);
                    if !v.is_empty() {
                        f.metas.entry(k.trim().to_ascii_lowercase()).or_insert(v);
                    }
                }
            }
            "title" if f.title_tag.is_none() => f.title_tag = non_empty(text(node)),
            "h1" if f.h1.is_none() => f.h1 = non_empty(text(node)),
            "link" if has_word(e.attr("rel"), "canonical") && f.canonical.is_none() => {
                f.canonical = e.attr("href").and_then(|h| non_empty(h.trim().to_string()));
            }
            "a" if has_word(e.attr("rel"), "author") && f.rel_author.is_none() => {
                f.rel_author = non_empty(text(node));
            }
            _ if has_word(e.attr("itemprop"), "author") && f.item_author.is_none() => {
                f.item_author = item_name(node)
                    .or_else(|| non_empty(text(node)))
                    .filter(|a| a.split_whitespace().count() <= 6);
            }
            "time" => {
                let Some(dt) = e.attr("datetime").and_then(|d| non_empty(d.trim().to_string()))
                else {
                    continue;
                };
                let pubdate = e.attr("pubdate").is_some()
                    || e.attr("itemprop").is_some_and(|p| p.contains("datePublished"));
                if f.time.is_none() || (pubdate && !f.time_is_pubdate) {
                    f.time = Some(dt);
                    f.time_is_pubdate = pubdate;
                }
            }
            "script"
                if e.attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                if let Ok(v) = serde_json::from_str::<Value>(text(node).trim()) {
                    f.jsonld.push(v);
                }
            }
            _ => {}
        }
    }
    f
}

/// The text of the first `itemprop=name` under a node.
fn item_name(node: NodeRef<'_, Node>) -> Option<String> {
    node.descendants().find_map(|n| match n.value() {
        Node::Element(e) if has_word(e.attr("itemprop"), "name") => {
            e.attr("content").map(collapse).or_else(|| non_empty(text(n)))
        }
        _ => None,
    })
}

/// The text under a node, whitespace collapsed.
fn text(node: NodeRef<'_, Node>) -> String {
    let mut s = String::new();
    for n in node.descendants() {
        if let Node::Text(t) = n.value() {
            s.push_str(t);
            s.push(' ');
        }
    }
    collapse(&s)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn has_word(attr: Option<&str>, word: &str) -> bool {
    attr.is_some_and(|a| a.split_whitespace().any(|w| w.eq_ignore_ascii_case(word)))
}

/// `<title>` minus a trailing or leading site name ("Story | Site", "Site - Story").
fn clean_title(t: &str) -> String {
    for sep in [" | ", " – ", " — ", " - ", " :: "] {
        let parts: Vec<&str> = t.split(sep).collect();
        if parts.len() > 1 {
            if let Some(best) = parts.iter().rev().max_by_key(|p| p.split_whitespace().count()) {
                if best.split_whitespace().count() >= 3 {
                    return best.trim().to_string();
                }
            }
        }
    }
    t.to_string()
}

const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "Report",
    "LiveBlogPosting",
    "ScholarlyArticle",
    "TechArticle",
];

/// The JSON-LD object describing the article: the first of an article type, searched through
/// arrays and `@graph`s (a few levels deep).
fn article_ld(values: &[Value]) -> Option<&serde_json::Map<String, Value>> {
    let mut stack: Vec<(&Value, usize)> = values.iter().rev().map(|v| (v, 0)).collect();
    let mut with_headline = None;
    while let Some((v, depth)) = stack.pop() {
        match v {
            Value::Array(items) if depth < 4 => {
                stack.extend(items.iter().rev().map(|i| (i, depth + 1)));
            }
            Value::Object(o) => {
                if is_article(o.get("@type")) {
                    return Some(o);
                }
                if with_headline.is_none() && o.contains_key("headline") {
                    with_headline = Some(o);
                }
                if let Some(g) = o.get("@graph").filter(|_| depth < 4) {
                    stack.push((g, depth + 1));
                }
            }
            _ => {}
        }
    }
    with_headline
}

fn is_article(t: Option<&Value>) -> bool {
    match t {
        Some(Value::String(s)) => ARTICLE_TYPES.contains(&s.as_str()),
        Some(Value::Array(a)) => a.iter().any(|v| is_article(Some(v))),
        _ => false,
    }
}

/// A JSON-LD string value (or the first string of an array).
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => non_empty(collapse(s)),
        Value::Array(a) => a.iter().find_map(text_of),
        Value::Object(o) => o.get("@id").or(o.get("url")).and_then(text_of),
        _ => None,
    }
}

/// Person/organisation names: `"A"`, `{"name": "A"}` or a list of those, joined by ", ".
fn names(v: &Value) -> Option<String> {
    let one = |v: &Value| match v {
        Value::String(s) => non_empty(collapse(s)),
        Value::Object(o) => {
            o.get("name").and_then(|n| n.as_str()).and_then(|n| non_empty(collapse(n)))
        }
        _ => None,
    };
    match v {
        Value::Array(a) => non_empty(a.iter().filter_map(one).collect::<Vec<_>>().join(", ")),
        _ => one(v),
    }
}
