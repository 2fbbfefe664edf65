//! RSS (0.9x, 1.0, 2.0) and Atom input: one article per item/entry, with id = guid/id (else
//! the link), title, published, source = the feed's title, and text from the content or
//! description HTML through [`html::fragment_text`]. Hand-written over `quick-xml`
//! (`feed-rs` brings `url`/ICU/`uuid`, ~75 crates, for the same few fields).

use std::collections::HashMap;

use quick_xml::events::{BytesStart, BytesText, Event};
use quick_xml::Reader;

use super::{html, parse_date, Ingested};
use crate::error::IngestError;
use crate::record::Article;

/// Whether text starts like a feed (`<rss`, `<feed`, `<rdf:RDF` after the XML prolog).
pub fn looks_like_feed(text: &str) -> bool {
    root_name(text).is_some_and(|r| matches!(r.as_str(), "rss" | "feed" | "rdf:rdf"))
}

/// The lower-cased name of the first element in `text`.
fn root_name(text: &str) -> Option<String> {
    let mut reader = Reader::from_str(text);
    for _ in 0..64 {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => return Some(name(&e)),
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
    None
}

fn name(e: &BytesStart<'_>) -> String {
    let n = String::from_utf8_lossy(e.name().as_ref()).to_ascii_lowercase();
    n.strip_prefix("atom:").map(str::to_string).unwrap_or(n)
}

/// One item or entry: its child elements' text by name, and its link.
#[derive(Debug, Default)]
struct Item {
    fields: HashMap<String, String>,
    link: Option<String>,
    content_is_text: bool,
}

/// Parser state: the open elements and what is being captured.
#[derive(Default)]
struct State {
    path: Vec<String>,
    item: Option<(usize, Item)>,
    field: Option<(usize, String, String)>,
    feed_title: Option<String>,
    items: Vec<Item>,
}

impl State {
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let n = name(e);
        let depth = self.path.len();
        if let Some((_, _, buf)) = &mut self.field {
            buf.push('<');
            buf.push_str(&n);
            buf.push_str(if empty { "/>" } else { ">" });
        } else if let Some((item_depth, item)) = &mut self.item {
            if depth == *item_depth + 1 {
                if n == "link" {
                    let rel = attr(e, "rel");
                    if let Some(href) = attr(e, "href") {
                        if is_alternate(rel.as_deref()) && item.link.is_none() {
                            item.link = Some(href);
                        }
                    }
                }
                if n == "content" && attr(e, "type").as_deref() == Some("text") {
                    item.content_is_text = true;
                }
                if !empty {
                    self.field = Some((depth, n.clone(), String::new()));
                }
            }
        } else if matches!(n.as_str(), "item" | "entry") {
            if !empty {
                self.item = Some((depth, Item::default()));
            }
        } else if n == "title" && self.feed_title.is_none() && !empty {
            let parent = self.path.last().map(String::as_str);
            if matches!(parent, Some("channel" | "feed")) {
                self.field = Some((depth, n.clone(), String::new()));
            }
        }
        if !empty {
            self.path.push(n);
        }
    }

    fn text(&mut self, t: &str) {
        if let Some((_, _, buf)) = &mut self.field {
            buf.push_str(t);
        }
    }

    fn end(&mut self) {
        let Some(n) = self.path.pop() else { return };
        let depth = self.path.len();
        if let Some((field_depth, field, buf)) = &mut self.field {
            if *field_depth < depth {
                buf.push_str("</");
                buf.push_str(&n);
                buf.push('>');
                return;
            }
            let (field, buf) = (std::mem::take(field), std::mem::take(buf));
            self.field = None;
            match &mut self.item {
                Some((_, item)) => {
                    item.fields.entry(field).or_insert(buf);
                }
                None => self.feed_title = Some(buf.trim().to_string()),
            }
            return;
        }
        if self.item.as_ref().is_some_and(|(d, _)| *d == depth) {
            if let Some((_, item)) = self.item.take() {
                self.items.push(item);
            }
        }
    }
}

/// Whether an Atom link relation names the entry's own page.
fn is_alternate(rel: Option<&str>) -> bool {
    matches!(rel, None | Some("alternate"))
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref().eq_ignore_ascii_case(key.as_bytes())).map(
        |a| {
            a.unescape_value()
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned())
        },
    )
}

/// A few HTML entities that feeds write in XML text though XML does not define them.
fn html_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        "nbsp" => "\u{a0}",
        "mdash" => "—",
        "ndash" => "–",
        "hellip" => "…",
        "lsquo" => "‘",
        "rsquo" => "’",
        "ldquo" => "“",
        "rdquo" => "”",
        "copy" => "©",
        _ => "",
    })
}

fn unescape(t: &BytesText<'_>) -> String {
    t.unescape_with(html_entity)
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| String::from_utf8_lossy(t).into_owned())
}

/// Reads the feed `text` of `origin` into `out`; items without an id get `stem:n`.
pub fn read(origin: &str, stem: &str, text: &str, out: &mut Ingested) {
    if !looks_like_feed(text) {
        return out.errors.push(IngestError::malformed(origin, "not an RSS or Atom feed"));
    }
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = false;
    let mut st = State::default();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => st.start(&e, false),
            Ok(Event::Empty(e)) => st.start(&e, true),
            Ok(Event::End(_)) => st.end(),
            Ok(Event::Text(t)) => st.text(&unescape(&t)),
            Ok(Event::CData(c)) => st.text(&String::from_utf8_lossy(&c)),
            Ok(Event::Eof) => {
                if st.item.is_some() {
                    let n = st.items.len() + 1;
                    out.errors.push(IngestError::record(origin, n, "truncated feed item".into()));
                }
                break;
            }
            Ok(_) => {}
            Err(e) => {
                let at = reader.error_position();
                out.errors
                    .push(IngestError::malformed(origin, format!("XML error at byte {at}: {e}")));
                break;
            }
        }
    }
    let source = st.feed_title.filter(|t| !t.is_empty());
    for (i, item) in st.items.into_iter().enumerate() {
        match to_article(item, source.as_deref(), &format!("{stem}:{}", i + 1)) {
            Some(a) => out.articles.push(a),
            None => {
                out.errors.push(IngestError::record(origin, i + 1, "feed item has no text".into()))
            }
        }
    }
}

fn to_article(mut item: Item, source: Option<&str>, fallback_id: &str) -> Option<Article> {
    let mut take = |keys: &[&str]| {
        keys.iter().find_map(|k| {
            item.fields.remove(*k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
        })
    };
    let body = take(&["content:encoded", "content", "description", "summary"])?;
    let title = take(&["title"]).map(|t| if t.contains('<') { html::fragment_text(&t) } else { t });
    let rss_link = take(&["link"]);
    let guid = take(&["guid", "id"]);
    let published = take(&["pubdate", "published", "dc:date", "updated", "dc:created"]);
    let text = if item.content_is_text {
        body.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
    } else {
        html::fragment_text(&body)
    };
    if text.trim().is_empty() {
        return None;
    }
    let url = item.link.take().or(rss_link);
    let id = guid.or_else(|| url.clone()).unwrap_or_else(|| fallback_id.to_string());
    Some(Article {
        id,
        source: source.map(str::to_string),
        url,
        title,
        author: None,
        date: published.as_deref().and_then(parse_date),
        published,
        raw: text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/ingest").join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[test]
    fn rss2_items_become_articles() {
        let mut out = Ingested::default();
        read("h.rss", "h", &fixture("feed_rss2.rss"), &mut out);
        let a = &out.articles;
        assert_eq!(a.len(), 2, "{a:#?}");
        assert_eq!(a[0].id, "herald-1001");
        assert_eq!(a[0].title.as_deref(), Some("Lighthouse keeper retires after 40 years"));
        assert_eq!(a[0].source.as_deref(), Some("Harbour Town Herald"));
        assert_eq!(a[0].url.as_deref(), Some("https://herald.example/lighthouse-keeper"));
        assert_eq!(a[0].date, chrono::NaiveDate::from_ymd_opt(2031, 5, 5));
        assert_eq!(
            a[0].raw,
            "Harbour Town's last lighthouse keeper, Edvin Strand, retired on Sunday after forty years of service.\nThe lighthouse has been automatic since 2019, but Strand stayed on to maintain it."
        );
        assert_eq!(a[1].id, "https://herald.example/ferry-fares");
        assert_eq!(a[1].title.as_deref(), Some("Ferry fares frozen & timetable kept"));
        assert!(
            a[1].raw.starts_with("The ferry company will keep fares at this year’s level"),
            "{}",
            a[1].raw
        );
        assert_eq!(a[1].raw.lines().count(), 2);
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].record_number(), Some(3));
        assert!(out.errors[0].to_string().starts_with("h.rss: record 3:"));
    }

    #[test]
    fn atom_entries_become_articles() {
        let mut out = Ingested::default();
        read("u.atom", "u", &fixture("feed_atom.atom"), &mut out);
        let a = &out.articles;
        assert_eq!(a.len(), 2, "{:?}", out.errors);
        assert_eq!(a[0].id, "tag:upland.example,2031:school-roof");
        assert_eq!(a[0].title.as_deref(), Some("School roof finally fixed"));
        assert_eq!(a[0].url.as_deref(), Some("https://upland.example/school-roof"));
        assert_eq!(a[0].published.as_deref(), Some("2031-08-01T08:00:00Z"));
        assert_eq!(a[0].source.as_deref(), Some("Upland Weekly"));
        assert_eq!(a[0].raw.lines().count(), 2);
        assert_eq!(a[1].published.as_deref(), Some("2031-08-02T07:30:00Z"));
        assert!(a[1].raw.starts_with("Apple growers in the valley"), "{}", a[1].raw);
        assert!(out.errors.is_empty());
    }

    #[test]
    fn broken_and_foreign_xml_are_reported() {
        let cases = [
            ("<rss><channel><title>T</title><item><description>Kept text.</description></item><item><description>x</descr", 1),
            ("<html><body>not a feed</body></html>", 0),
            ("<?xml version=\"1.0\"?><catalog><book/></catalog>", 0),
        ];
        for (xml, kept) in cases {
            let mut out = Ingested::default();
            read("f.xml", "f", xml, &mut out);
            assert_eq!(out.articles.len(), kept, "{xml}");
            assert!(out.errors.iter().all(|e| e.origin() == "f.xml"));
            assert!(!out.errors.is_empty(), "{xml}");
        }
        assert!(looks_like_feed("<?xml version='1.0'?>\n<!-- c -->\n<rdf:RDF xmlns:rdf='x'>"));
    }

    /// Fuzz crash (feed target): a close tag running over many lines made the XML error
    /// quote them all, so the skipped file's report was not one line.
    #[test]
    fn an_xml_error_quoting_many_lines_is_reported_on_one_line() {
        let body = "  <title>Orchard</title>\n".repeat(40);
        let xml = format!(
            "<rss version=\"2.0\"><channel><item><description>Kept.</description></item>\
             </channel></rss></s:dc=\"x\n{body}\">"
        );
        let mut out = Ingested::default();
        read("f.rss", "f", &xml, &mut out);
        assert_eq!((out.articles.len(), out.errors.len()), (1, 1), "{:?}", out.errors);
        let line = out.errors[0].to_string();
        assert!(line.starts_with("f.rss: malformed: XML error at byte "), "{line}");
        assert!(!line.contains('\n') && line.chars().count() < 260, "{line}");
        assert!(line.contains("</s:dc=\"x\\n  <title>"), "the newline is shown escaped: {line}");
    }
}
