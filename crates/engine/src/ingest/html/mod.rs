//! HTML input: a page's main text and metadata. The charset comes from the BOM, the
//! transport (a WARC record's HTTP `Content-Type`), `<meta charset>`, else detection
//! ([`decode_html`]); the page is parsed with html5ever (`scraper`), its metadata read by
//! `meta` and its article text chosen by `content` (readability-style scoring), one
//! paragraph per line because later stages treat a line as a paragraph.

mod content;
mod meta;

use std::sync::OnceLock;

use regex::bytes::Regex;
use scraper::Html;
use serde::Serialize;

use super::{decode, parse_date};
use crate::record::Article;

/// What [`extract`] found in a page.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Page {
    /// Headline: `og:title`, JSON-LD `headline`, `<title>` or the first `<h1>`.
    pub title: Option<String>,
    /// Byline: `<meta name=author>`, JSON-LD `author`, `rel=author`.
    pub author: Option<String>,
    /// Publication date as written: `article:published_time`, JSON-LD `datePublished`,
    /// `<time datetime>`.
    pub published: Option<String>,
    /// Canonical URL: `<link rel=canonical>`, `og:url`, JSON-LD `url`.
    pub url: Option<String>,
    /// Outlet name: `og:site_name`, JSON-LD `publisher`.
    pub site: Option<String>,
    /// The article text, one paragraph per line, furniture removed.
    pub text: String,
}

impl Page {
    /// The page as an article with id `id`; `None` when it has no text.
    pub fn into_article(self, id: impl Into<String>) -> Option<Article> {
        if self.text.trim().is_empty() {
            return None;
        }
        let date = self.published.as_deref().and_then(parse_date);
        Some(Article {
            id: id.into(),
            source: self.site,
            url: self.url,
            title: self.title,
            author: self.author,
            published: self.published,
            date,
            raw: self.text,
        })
    }
}

/// Extracts the main text and metadata of an HTML document.
pub fn extract(html: &str) -> Page {
    let doc = Html::parse_document(html);
    let root = doc.tree.root();
    let m = meta::read(root);
    let mut text = content::main_text(root, m.title.as_deref());
    if let Some(body) = m.body.as_deref().map(body_text) {
        // The page shows little of what its JSON-LD says the article is (a script-rendered
        // page, an empty shell): the structured body is the better text.
        if text.len() * 3 < body.len() {
            text = body;
        }
    }
    Page {
        title: m.title,
        author: m.author,
        published: m.published,
        url: m.url,
        site: m.site,
        text,
    }
}

/// The paragraphs of a JSON-LD `articleBody`: plain text with newlines, or HTML.
fn body_text(body: &str) -> String {
    let looks_html = body.contains("</p>") || body.contains("<br") || body.contains("</div>");
    if looks_html {
        return fragment_text(body);
    }
    let lines: Vec<String> = body
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

/// Decodes (see [`decode_html`]) and extracts a page.
pub fn extract_bytes(bytes: &[u8], transport_charset: Option<&str>) -> Result<Page, String> {
    decode_html(bytes, transport_charset).map(|s| extract(&s))
}

/// The text of an HTML fragment (a feed item's description): every paragraph that is not
/// only links, one per line.
pub fn fragment_text(html: &str) -> String {
    let doc = Html::parse_fragment(html);
    content::all_text(doc.tree.root())
}

/// Decodes an HTML document: BOM, then the transport charset, then `<meta charset>` /
/// `<meta http-equiv=Content-Type>` in the first 1024 bytes, then detection. A declared
/// UTF-8 that is not valid UTF-8 falls back to detection.
pub fn decode_html(bytes: &[u8], transport_charset: Option<&str>) -> Result<String, String> {
    if encoding_rs::Encoding::for_bom(bytes).is_some() {
        return decode::decode(bytes);
    }
    if decode::looks_binary(bytes) {
        return Err("binary data, not HTML".into());
    }
    let declared = transport_charset
        .and_then(|c| encoding_rs::Encoding::for_label(c.trim().as_bytes()))
        .or_else(|| meta_charset(bytes))
        .map(|e| e.output_encoding());
    // A page that declares a legacy charset but is valid (non-ASCII) UTF-8 is UTF-8: valid
    // multi-byte UTF-8 almost never occurs in legacy text, and a wrong `<meta charset>` is
    // common in copied templates.
    let valid_utf8 = !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok();
    match declared {
        Some(enc) if enc != encoding_rs::UTF_8 && !valid_utf8 => {
            let (text, _) = enc.decode_without_bom_handling(bytes);
            Ok(text.into_owned())
        }
        _ => decode::decode(bytes),
    }
}

/// The encoding named by a `<meta>` tag near the top of the page.
fn meta_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r#"(?i-u)<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.-]+)"#)
            .expect("static regex")
    });
    let head = bytes.get(..1024).unwrap_or(bytes);
    let label = re.captures(head)?.get(1)?.as_bytes();
    encoding_rs::Encoding::for_label(label)
}

/// Whether bytes look like an HTML document (`<!doctype html` or `<html` first).
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = bytes.get(..1024).unwrap_or(bytes);
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    fn skip_ws(h: &[u8]) -> &[u8] {
        let start = h.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(h.len());
        h.get(start..).unwrap_or(&[])
    }
    let mut head = skip_ws(head);
    if head.starts_with(b"<?xml") {
        let end = head.windows(2).position(|w| w == b"?>").map_or(head.len(), |i| i + 2);
        head = skip_ws(head.get(end..).unwrap_or(&[]));
    }
    let lower: Vec<u8> = head.iter().take(64).map(u8::to_ascii_lowercase).collect();
    lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || (lower.starts_with(b"<!--") && head.windows(5).any(|w| w.eq_ignore_ascii_case(b"<html")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One fixture page and what must come out of it.
    struct Case {
        file: &'static str,
        title: Option<&'static str>,
        author: Option<&'static str>,
        published: Option<&'static str>,
        url: Option<&'static str>,
        site: Option<&'static str>,
        lines: usize,
        has: &'static [&'static str],
        not: &'static [&'static str],
    }

    const NONE: Case = Case {
        file: "",
        title: None,
        author: None,
        published: None,
        url: None,
        site: None,
        lines: 0,
        has: &[],
        not: &[],
    };

    fn fixture(name: &str) -> Vec<u8> {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/ingest").join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[test]
    fn fixtures_give_their_text_and_metadata() {
        let cases = [
            Case {
                file: "news_nav_aside.html",
                title: Some("Harbour bridge reopens after storm repairs"),
                author: Some("Mira Okonkwo"),
                published: Some("2031-03-14T08:30:00Z"),
                url: Some("https://coastal-ledger.example/news/harbour-bridge-reopens"),
                site: Some("The Coastal Ledger"),
                lines: 6,
                has: &["reopened to traffic on Friday", "Tomas Reyl", "Traffic expected to return"],
                not: &[
                    "Most read",
                    "Finally!",
                    "Subscribe",
                    "Share on",
                    "Advertisement",
                    "Topics",
                    "Storm damage",
                    "dataLayer",
                    "Home",
                    "transport correspondent",
                ],
            },
            Case {
                file: "jsonld_article.html",
                title: Some("Researchers open a laboratory inside a glacier"),
                author: Some("Lena Sarvik, Piet Amundsen"),
                published: Some("2030-11-02T06:00:00+01:00"),
                url: Some("https://nsd.example/2030/11/glacier-lab"),
                site: Some("Northfield Science Daily"),
                lines: 3,
                has: &["thirty metres into the Halvbreen", "we see the glacier breathe"],
                not: &["Follow us", "Climate"],
            },
            Case {
                file: "time_tag.html",
                title: Some("Night market returns to the old tram depot"),
                published: Some("2029-06-21T19:00:00+02:00"),
                lines: 3,
                has: &["sixty stalls", "end of September."],
                not: &["Archives", "Updated", "Posted"],
                ..NONE
            },
            Case {
                file: "latin1.html",
                title: Some("Le festival de musique de Brévanne attire un public record"),
                lines: 3,
                has: &["Hélène Moreau", "« Nous avons été dépassés par le succès »", "préfecture"],
                not: &["Accueil"],
                ..NONE
            },
            Case { file: "link_farm.html", title: Some("Best links directory"), lines: 0, ..NONE },
            Case {
                file: "div_soup.html",
                title: Some("Council votes to plant 5,000 trees"),
                lines: 3,
                has: &["5,000 trees along the river path", "Ida Fenn", "nine votes to two."],
                not: &["garden furniture", "Sunny", "Mill Lane", "Riverside Gazette"],
                ..NONE
            },
            Case {
                file: "table_layout.html",
                title: Some("Dam inspection finds cracks"),
                lines: 3,
                has: &["Osterholm dam", "village hall"],
                not: &["Front page", "poll", "Copyright"],
                ..NONE
            },
            Case {
                file: "og_split.html",
                title: Some("Rail strike ends after pay deal"),
                published: Some("2032-01-09"),
                url: Some("https://metro-post.example/rail-strike-ends"),
                site: Some("Metro Post"),
                lines: 4,
                has: &[
                    "6 percent over two years",
                    "first demanded 9 percent",
                    "transport minister",
                ],
                not: &["Subscribe", "More stories"],
                ..NONE
            },
            Case {
                file: "cp1252_comment.html",
                title: Some("Museum returns carved panel to village"),
                lines: 2,
                has: &["“safekeeping”", "museum’s director", "do” – a decision"],
                ..NONE
            },
            Case {
                file: "bare.htm",
                title: Some("Library extends opening hours"),
                lines: 2,
                has: &["ten in the evening", "Weekend hours will not change."],
                ..NONE
            },
        ];
        for c in cases {
            let page =
                extract_bytes(&fixture(c.file), None).unwrap_or_else(|e| panic!("{}: {e}", c.file));
            let f = c.file;
            assert_eq!(page.title.as_deref(), c.title, "{f} title");
            assert_eq!(page.author.as_deref(), c.author, "{f} author");
            assert_eq!(page.published.as_deref(), c.published, "{f} published");
            assert_eq!(page.url.as_deref(), c.url, "{f} url");
            assert_eq!(page.site.as_deref(), c.site, "{f} site");
            let lines: Vec<&str> = page.text.lines().filter(|l| !l.trim().is_empty()).collect();
            assert_eq!(lines.len(), c.lines, "{f} lines:\n{}", page.text);
            for h in c.has {
                assert!(page.text.contains(h), "{f} lacks {h:?}:\n{}", page.text);
            }
            for n in c.not {
                assert!(!page.text.contains(n), "{f} keeps {n:?}:\n{}", page.text);
            }
        }
    }

    #[test]
    fn the_byline_reaches_the_article() {
        let page = extract(
            "<html><head><meta name=author content=\"Ines Okafor\"><title>Pier closes</title></head>\
             <body><article><p>The old pier in Marlow Bay closed on Friday after inspectors found \
             cracks in three of its supports, the council said.</p><p>Repairs will take a year, \
             officials said, and ferries will use the north quay meanwhile.</p></article></body></html>",
        );
        let article = page.into_article("p1").expect("text");
        assert_eq!(article.author.as_deref(), Some("Ines Okafor"));
    }

    #[test]
    fn paragraphs_in_divs_are_kept_together() {
        let para = |t: &str| {
            format!("<div class=\"para\">{t} The committee met on Tuesday, heard from witnesses, and agreed to meet again.</div>")
        };
        let html = format!(
            "<html><body><div class=\"story\">{}{}</div><div class=\"box\"><a href=/a>Weather</a> <a href=/b>Traffic</a></div></body></html>",
            para("First."),
            para("Second.")
        );
        let page = extract(&html);
        assert_eq!(page.text.lines().count(), 2, "{}", page.text);
        assert!(page.text.starts_with("First.") && !page.text.contains("Weather"));
    }

    #[test]
    fn furniture_inside_the_article_is_dropped() {
        let story = "<p>The harbour authority said on Monday that the north quay would close for \
            repairs, and that ferries would use the south quay until the work was finished.</p>\
            <p>Engineers found cracks in the quay wall last month, after a winter of storms, the \
            authority said, and repairs are expected to take until the end of the summer.</p>";
        // (furniture inserted before the second paragraph, text that must not come out)
        let cases = [
            ("<p class=\"post-date\">Posted: 22/07/2031 by newsdesk</p>", "Posted"),
            ("<div>January 22, 2033 1:47 PM</div>", "2033"),
            ("<amp-ad width=300><div placeholder>Promoted content</div></amp-ad>", "Promoted"),
            ("<div class=\"box\"><b>Anzeige</b></div>", "Anzeige"),
            (
                "<div class=\"more\"><span>Mehr zum Thema</span><ul><li><a href=/a>Quay repairs: \
                 a timeline of the works</a></li><li><a href=/b>Ferries change their routes</a></li></ul></div>",
                "Mehr zum Thema",
            ),
            ("<p class=\"standfirst\">Ferries will use the south quay</p>", "Ferries will"),
            ("<div class=\"wp-caption\"><p>The quay at dawn</p></div>", "dawn"),
        ];
        for (furniture, not) in cases {
            let (first, second) = story.split_at(story.find("<p>Engineers").unwrap_or(0));
            let html =
                format!("<html><body><article>{first}{furniture}{second}</article></body></html>");
            let text = extract(&html).text;
            assert_eq!(text.lines().count(), 2, "{furniture}:\n{text}");
            assert!(!text.contains(not), "{furniture}:\n{text}");
        }
    }

    #[test]
    fn jsonld_body_stands_in_for_a_script_rendered_page() {
        let body =
            "First paragraph of the story, long enough to count as text.\n\nSecond paragraph, \
            with the rest of what happened on the day.";
        let ld = serde_json::json!({"@type": "NewsArticle", "headline": "H", "articleBody": body});
        let html = format!(
            "<html><head><script type=\"application/ld+json\">{ld}</script></head>\
             <body><div id=root></div></body></html>"
        );
        let page = extract(&html);
        assert_eq!(page.text.lines().count(), 2, "{}", page.text);
        assert!(page.text.starts_with("First paragraph"));
        // A page that shows its text keeps it.
        let shown = format!(
            "<html><head><script type=\"application/ld+json\">{{\"@type\": \"NewsArticle\", \
             \"articleBody\": \"Short.\"}}</script></head><body><article>{}</article></body></html>",
            "<p>The page shows this paragraph, which is longer than the structured body.</p>"
        );
        assert!(extract(&shown).text.starts_with("The page shows"));
    }

    #[test]
    fn charset_sources_in_order() {
        let latin =
            b"<html><head><meta charset=\"iso-8859-1\"></head><body><p>caf\xe9</p></body></html>";
        assert!(decode_html(latin, None).is_ok_and(|s| s.contains("café")));
        // The transport charset wins over the meta tag.
        let koi = b"<html><head><meta charset=\"utf-8\"></head><body><p>\xf0\xd2\xc9\xd7\xc5\xd4</p></body></html>";
        assert!(decode_html(koi, Some("koi8-r")).is_ok_and(|s| s.contains("Привет")));
        // A declared UTF-8 that is not UTF-8 is detected instead.
        let lying = b"<html><head><meta charset=utf-8></head><body><p>Le pr\xe9sident fran\xe7ais a d\xe9clar\xe9</p></body></html>";
        assert!(decode_html(lying, None).is_ok_and(|s| s.contains("président")));
        assert!(decode_html(&[0, 1, 2, 3, 0, 0, 9, 0], None).is_err());
    }

    #[test]
    fn sniffing_and_fragments() {
        assert!(looks_like_html(b"  <!DOCTYPE html><html>"));
        assert!(looks_like_html(b"\xEF\xBB\xBF<html lang=en>"));
        assert!(looks_like_html(b"<!-- saved -->\n<html>"));
        assert!(looks_like_html(b"<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"x\">"));
        assert!(!looks_like_html(b"<?xml version=\"1.0\"?><rss>"));
        assert!(!looks_like_html(b"Plain text about <html> tags."));
        assert_eq!(
            fragment_text("<p>One &amp; two.</p><script>x()</script><p>Three</p>"),
            "One & two.\nThree"
        );
    }

    #[test]
    fn hostile_markup_does_not_panic() {
        let deep = "<div>".repeat(20_000) + "text" + &"</div>".repeat(20_000);
        let cases = [
            deep.as_str(),
            "",
            "<",
            "<html><body><p>\u{0}</p>",
            "<a><a><a>",
            "<table><td>x<p>y</table>",
        ];
        for c in cases {
            let _ = extract(c);
            let _ = fragment_text(c);
        }
    }

    /// A large page of the usual shape: 300 menu links, 60 KB of script, 40 paragraphs of
    /// article, related links, 30 comments, a footer.
    fn synthetic_page() -> String {
        let mut s =
            String::from("<!doctype html><html><head><title>Big page | Site</title><script>");
        s.push_str(&"var tracker = { id: 12345, events: [1, 2, 3] }; ".repeat(1200));
        s.push_str("</script></head><body><header><nav><ul>");
        for i in 0..300 {
            s.push_str(&format!("<li><a href=\"/section/{i}\">Section {i}</a></li>"));
        }
        s.push_str("</ul></nav></header><main><article><h1>Big page</h1><div class=\"body\">");
        for i in 0..40 {
            s.push_str(&format!("<p>Paragraph {i} of the story, in which the minister said that the plan, costing 4.5 million, would go ahead despite objections from residents, and that a review would follow in the spring. <a href=\"/x\">A link</a> inside the text.</p>"));
        }
        s.push_str("</div></article><aside class=\"related\">");
        for i in 0..50 {
            s.push_str(&format!(
                "<p><a href=\"/r/{i}\">Related story number {i} about something else</a></p>"
            ));
        }
        s.push_str("</aside><section id=\"comments\">");
        for i in 0..30 {
            s.push_str(&format!("<div class=\"comment\"><p>Comment {i}: I do not agree with this at all, and neither does anyone I know.</p></div>"));
        }
        s.push_str("</section></main><footer><p>Copyright, privacy, cookies, contact.</p></footer></body></html>");
        s
    }

    #[test]
    #[ignore = "throughput; run with --release -- --ignored --nocapture"]
    fn throughput() {
        let names = [
            "news_nav_aside.html",
            "jsonld_article.html",
            "time_tag.html",
            "latin1.html",
            "link_farm.html",
            "div_soup.html",
            "table_layout.html",
            "og_split.html",
            "cp1252_comment.html",
            "bare.htm",
        ];
        let fixtures: Vec<Vec<u8>> = names.iter().map(|n| fixture(n)).collect();
        let big = synthetic_page();
        assert_eq!(extract(&big).text.lines().count(), 40);
        for (label, set) in
            [("fixtures (3-4 KB)", fixtures), ("synthetic page", vec![big.into_bytes()])]
        {
            let start = std::time::Instant::now();
            let (mut pages, mut bytes) = (0usize, 0usize);
            while start.elapsed().as_secs_f64() < 3.0 {
                for p in &set {
                    let page = extract_bytes(p, None).expect("fixture decodes");
                    std::hint::black_box(page);
                    pages += 1;
                    bytes += p.len();
                }
            }
            let secs = start.elapsed().as_secs_f64();
            println!(
                "{label}: {:.0} pages/s, {:.1} MB/s, avg {:.1} KB/page",
                pages as f64 / secs,
                bytes as f64 / secs / 1e6,
                bytes as f64 / pages as f64 / 1e3
            );
        }
    }
}
