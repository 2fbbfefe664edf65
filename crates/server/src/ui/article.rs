//! The article page: the repaired text with its spans (entities, quotes, speakers, times,
//! repairs) highlighted; hovering a span shows its label and its raw byte offsets. Spans may
//! nest or overlap, so the text is cut at every span boundary ([`segments`]) and each piece
//! carries the classes of all spans covering it. Spans whose offsets are out of bounds or
//! not on character boundaries are skipped, never trusted.

use std::fmt::Write;

use axum::response::Response;
use chorus_engine::store::{ArticleView, Highlight};

use super::{encode, escape, html_response, layout};

/// One piece of the text and the highlights covering it.
#[derive(Debug, PartialEq)]
struct Segment<'a> {
    start: usize,
    end: usize,
    active: Vec<&'a Highlight>,
}

/// Cuts `text` at every boundary of the valid highlights. Sweep over sorted boundaries, so
/// the cost is the number of pieces times the spans open at once.
fn segments<'a>(text: &str, highlights: &'a [Highlight]) -> Vec<Segment<'a>> {
    let valid: Vec<&Highlight> = highlights
        .iter()
        .filter(|h| {
            h.start < h.end
                && h.end <= text.len()
                && text.is_char_boundary(h.start)
                && text.is_char_boundary(h.end)
        })
        .collect();
    let mut cuts: Vec<usize> = vec![0, text.len()];
    cuts.extend(valid.iter().flat_map(|h| [h.start, h.end]));
    cuts.sort_unstable();
    cuts.dedup();
    let mut by_start = valid.clone();
    by_start.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let mut next = 0;
    let mut open: Vec<&Highlight> = Vec::new();
    let mut out = Vec::with_capacity(cuts.len());
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        open.retain(|h| h.end > a);
        while next < by_start.len() && by_start[next].start <= a {
            open.push(by_start[next]);
            next += 1;
        }
        out.push(Segment { start: a, end: b, active: open.clone() });
    }
    out
}

/// A CSS class name for a highlight kind (anything but `[a-z0-9_]` dropped).
fn class(kind: &str) -> String {
    kind.chars().filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_').collect()
}

/// The hover text of a highlight: kind, label, offsets in the raw text.
fn tip(h: &Highlight) -> String {
    match &h.label {
        Some(l) => format!("{}: {} · raw bytes {}–{}", h.kind, l, h.raw_start, h.raw_end),
        None => format!("{} · raw bytes {}–{}", h.kind, h.raw_start, h.raw_end),
    }
}

/// The text with highlights as HTML.
fn highlighted(text: &str, highlights: &[Highlight]) -> String {
    let mut s = String::with_capacity(text.len() * 2);
    for seg in segments(text, highlights) {
        // Cuts come from char boundaries (checked above), so this slice exists.
        let piece = escape(text.get(seg.start..seg.end).unwrap_or(""));
        if seg.active.is_empty() {
            s.push_str(&piece);
            continue;
        }
        let classes: Vec<String> =
            seg.active.iter().map(|h| format!("k-{}", class(&h.kind))).collect();
        let tips: Vec<String> = seg.active.iter().map(|h| tip(h)).collect();
        let tips = escape(&tips.join("\n"));
        let _ = write!(
            s,
            "<span class=\"hl {}\" title=\"{tips}\" data-tip=\"{tips}\">{piece}</span>",
            classes.join(" ")
        );
    }
    s
}

/// `GET /articles/{id}` as HTML.
pub fn article_page(view: &ArticleView) -> Response {
    let a = &view.report;
    let title = a.title.clone().unwrap_or_else(|| a.id.clone());
    let mut s = String::from("<section class=\"panel\">");
    let _ = write!(
        s,
        "<h2>{}</h2><div class=\"meta\">{} · {} · <code>{}</code>",
        escape(&title),
        escape(a.source.as_deref().unwrap_or("unknown outlet")),
        escape(a.published.as_deref().unwrap_or("undated")),
        escape(&a.id)
    );
    if let Some(story) = &view.story {
        let _ = write!(s, " · <a href=\"/stories/{}\">the story</a>", encode(story));
    }
    s.push_str("</div>");
    if let Some(u) = &a.url {
        let _ = write!(s, "<div class=\"meta\">{}</div>", escape(u));
    }
    let mut kinds: Vec<&str> = view.highlights.iter().map(|h| h.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    s.push_str("<p class=\"legend\">");
    for k in kinds {
        let _ = write!(s, "<span class=\"hl k-{}\">{}</span>", class(k), escape(k));
    }
    s.push_str("</p>");
    let _ = write!(s, "<div class=\"text\">{}</div>", highlighted(&view.text, &view.highlights));
    if !a.repairs.is_empty() {
        s.push_str("<h3>Repairs</h3><table><tr><th>kind</th><th>raw bytes</th><th>original → replacement</th></tr>");
        for r in &a.repairs {
            let _ = write!(
                s,
                "<tr><td class=\"kind\">{}</td><td class=\"meta\">{}–{}</td><td><del>{}</del> → <ins>{}</ins></td></tr>",
                escape(&r.kind), r.start, r.end, escape(&r.original), escape(&r.replacement)
            );
        }
        s.push_str("</table>");
    }
    let _ = write!(s, "<details><summary>Original text as received</summary><pre class=\"raw\">{}</pre></details>", escape(&view.raw));
    s.push_str("</section>");
    html_response(layout(&title, "", &s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hl(kind: &str, start: usize, end: usize) -> Highlight {
        Highlight {
            kind: kind.into(),
            start,
            end,
            raw_start: start + 100,
            raw_end: end + 100,
            label: None,
        }
    }

    #[test]
    fn overlapping_spans_cut_the_text_into_pieces() {
        let text = "Mayor Ana Ruiz said “the bridge opens Monday”.";
        let hs = [
            hl("quote", 20, 49),
            hl("person", 6, 14),
            hl("time", 40, 46),
            hl("bad", 3, 999),
            hl("bad", 21, 22),
        ];
        let segs = segments(text, &hs);
        let pieces: Vec<(&str, Vec<&str>)> = segs
            .iter()
            .map(|s| (&text[s.start..s.end], s.active.iter().map(|h| h.kind.as_str()).collect()))
            .collect();
        assert_eq!(
            pieces,
            vec![
                ("Mayor ", vec![]),
                ("Ana Ruiz", vec!["person"]),
                (" said ", vec![]),
                ("“the bridge opens ", vec!["quote"]),
                ("Monday", vec!["quote", "time"]),
                ("”", vec!["quote"]),
                (".", vec![]),
            ]
        );
    }

    #[test]
    fn hostile_text_and_labels_are_escaped() {
        let text = "<script>alert(1)</script> said Bob";
        let mut h = hl("person\"><script>", 31, 34);
        h.label = Some("<img src=x onerror=alert(1)>".into());
        let out = highlighted(text, &[h]);
        assert!(!out.contains("<script>"), "{out}");
        assert!(!out.contains("<img"), "{out}");
        assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(out.contains("class=\"hl k-personscript\""));
        assert!(out.contains("raw bytes 131–134"));
    }

    /// The page text with tags stripped and entities decoded.
    fn visible(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    proptest::proptest! {
        #[test]
        fn highlighting_never_loses_or_reorders_text(
            text in "[a-zé<>&\"' ]{0,40}",
            spans in proptest::collection::vec((0usize..50, 0usize..50), 0..8),
        ) {
            let hs: Vec<Highlight> = spans.iter().map(|&(a, b)| hl("person", a, b)).collect();
            let segs = segments(&text, &hs);
            let mut at = 0;
            for s in &segs {
                proptest::prop_assert_eq!(s.start, at);
                proptest::prop_assert!(s.start < s.end || text.is_empty());
                for h in &s.active {
                    proptest::prop_assert!(h.start <= s.start && s.end <= h.end);
                }
                at = s.end;
            }
            proptest::prop_assert_eq!(at, text.len());
            proptest::prop_assert_eq!(visible(&highlighted(&text, &hs)), text);
        }
    }
}
