//! Main-text extraction from a parsed page, readability-style. Hand-written (the Rust
//! readability ports pull in a network stack or keep their own DOM): the tree is walked once
//! without recursion, page furniture (nav, header, footer, aside, forms, scripts, blocks
//! whose class/id say share/related/comments…) is skipped, the text is cut into paragraph
//! blocks, and every block scores the containers above it (length, commas, link density,
//! class/id hints). The best container and its good siblings give the text, one paragraph
//! per line.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use regex::Regex;
use scraper::node::Element;
use scraper::Node;

/// Elements whose whole subtree is furniture or not text.
const SKIP_TAGS: &[&str] = &[
    "head",
    "title",
    "nav",
    "header",
    "footer",
    "aside",
    "script",
    "style",
    "noscript",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
    "textarea",
    "template",
    "figure",
    "menu",
    "dialog",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "map",
    "input",
    "label",
    "math",
    // AMP's furniture elements.
    "amp-ad",
    "amp-embed",
    "amp-sticky-ad",
    "amp-sidebar",
    "amp-consent",
    "amp-social-share",
    "amp-analytics",
    "amp-iframe",
];

/// Elements that end a paragraph (the HTML block-level elements that hold text).
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "html",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// How many enclosing block elements a paragraph remembers (bounds memory on absurdly deep
/// pages; real articles sit far less deep below their container).
const MAX_STACK: usize = 48;

/// ARIA roles of page furniture.
const SKIP_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "complementary",
    "contentinfo",
    "search",
    "dialog",
    "menu",
    "menubar",
    "alert",
    "alertdialog",
    "toolbar",
];

/// Class/id words of blocks that are never the article text (share bars, comment threads,
/// related-story lists, ads, bylines), whatever else the class says.
fn always_furniture() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"\bcomments?\b|comment[-_]|[-_]comment|commentlist|disqus|\bshare|sharing|social|related|recommend|newsletter|subscribe|promo|sponsor|outbrain|taboola|cookie|gdpr|breadcrumb|pagination|most-?popular|trending|more-stories|read-?more|sidebar|advert|\bads?\b|\bad-|-ad\b|signup|popup|modal|\bbyline|author-?(bio|info|box)|\bmeta\b|(post|entry|article)-meta|kicker|standfirst|\bdek\b|sub-?headline|strapline|credits|caption|timestamp|(^|[\s_-])date($|[\s_-])|newsdate|posted-on",
        )
        .expect("static regex")
    })
}

/// Class/id words of likely furniture, kept when the class also says content
/// (readability's `unlikelyCandidates` / `okMaybeItsACandidate`).
fn unlikely() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"banner|combx|community|extra|footer|paywall|header|legends|menu|remark|replies|rss|shoutbox|skyscraper|supplemental|agegate|pager|masthead|topbar|navbar|\bnav\b|widget|toolbar")
            .expect("static regex")
    })
}

fn maybe_content() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"article|body|column|content|main|shadow|story|entry").expect("static regex")
    })
}

/// Class/id words that raise or lower a container's score.
fn positive() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story")
            .expect("static regex")
    })
}

fn negative() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"hidden|banner|combx|comment|contact|foot|masthead|media|meta|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|byline|caption")
            .expect("static regex")
    })
}

/// One paragraph of text with the block elements open around it (outermost first; the last
/// is the element holding the text).
#[derive(Debug)]
struct Block {
    text: String,
    chars: usize,
    link_chars: usize,
    tag: String,
    stack: Vec<NodeId>,
}

impl Block {
    fn link_density(&self) -> f64 {
        self.link_chars as f64 / self.chars.max(1) as f64
    }
}

/// The blocks of a tree, and what the walk learnt about each block element.
#[derive(Default)]
struct Walk {
    blocks: Vec<Block>,
    buf: String,
    link_chars: usize,
    in_link: usize,
    stack: Vec<NodeId>,
    tags: HashMap<NodeId, String>,
    parent: HashMap<NodeId, Option<NodeId>>,
    weight: HashMap<NodeId, f64>,
    /// Block elements with block elements inside (the others hold a paragraph's text).
    containers: HashSet<NodeId>,
}

impl Walk {
    fn run(root: NodeRef<'_, Node>) -> Walk {
        let mut w = Walk::default();
        let mut skip: Option<NodeId> = None;
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) if skip.is_none() => match node.value() {
                    Node::Text(t) => w.text(t),
                    Node::Element(e) if should_skip(e) => skip = Some(node.id()),
                    Node::Element(e) => w.open(node.id(), e),
                    _ => {}
                },
                Edge::Close(node) => {
                    if skip == Some(node.id()) {
                        skip = None;
                    } else if skip.is_none() {
                        if let Node::Element(e) = node.value() {
                            w.close(node.id(), e);
                        }
                    }
                }
                Edge::Open(_) => {}
            }
        }
        w.flush();
        w
    }

    fn text(&mut self, t: &str) {
        self.buf.push_str(t);
        if self.in_link > 0 {
            self.link_chars += t.chars().filter(|c| !c.is_whitespace()).count();
        }
    }

    fn open(&mut self, id: NodeId, e: &Element) {
        match e.name() {
            "br" => {
                self.flush();
                // Text split by `<br>`s: the element holds paragraphs, like a container.
                if let Some(&up) = self.stack.last() {
                    self.containers.insert(up);
                }
            }
            "a" => self.in_link += 1,
            tag if BLOCK_TAGS.contains(&tag) => {
                self.flush();
                if let Some(&up) = self.stack.last() {
                    self.containers.insert(up);
                }
                self.parent.insert(id, self.stack.last().copied());
                self.tags.insert(id, tag.to_string());
                self.weight.insert(id, class_weight(e));
                self.stack.push(id);
            }
            _ => {}
        }
    }

    fn close(&mut self, id: NodeId, e: &Element) {
        match e.name() {
            "a" => self.in_link = self.in_link.saturating_sub(1),
            tag if BLOCK_TAGS.contains(&tag) => {
                self.flush();
                if let Some(at) = self.stack.iter().rposition(|&s| s == id) {
                    self.stack.truncate(at);
                }
            }
            _ => {}
        }
    }

    fn flush(&mut self) {
        let text = collapse(&self.buf);
        self.buf.clear();
        let link_chars = std::mem::take(&mut self.link_chars);
        if text.is_empty() {
            return;
        }
        let chars = text.chars().filter(|c| !c.is_whitespace()).count();
        let tag = self.stack.last().and_then(|id| self.tags.get(id)).cloned().unwrap_or_default();
        let keep_from = self.stack.len().saturating_sub(MAX_STACK);
        self.blocks.push(Block {
            text,
            chars,
            link_chars: link_chars.min(chars),
            tag,
            stack: self.stack[keep_from..].to_vec(),
        });
    }
}

/// Collapses runs of whitespace to one space and trims.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn class_and_id(e: &Element) -> String {
    let mut s = e.attr("class").unwrap_or("").to_ascii_lowercase();
    s.push(' ');
    s.push_str(&e.attr("id").unwrap_or("").to_ascii_lowercase());
    s
}

/// Whether an element's subtree is furniture, hidden, or not text.
fn should_skip(e: &Element) -> bool {
    let tag = e.name();
    if SKIP_TAGS.contains(&tag) {
        return true;
    }
    if e.attr("hidden").is_some() || e.attr("aria-hidden") == Some("true") {
        return true;
    }
    if let Some(style) = e.attr("style") {
        let style: String = style.chars().filter(|c| !c.is_whitespace()).collect();
        let style = style.to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    if e.attr("role").is_some_and(|r| SKIP_ROLES.contains(&r.trim().to_ascii_lowercase().as_str()))
    {
        return true;
    }
    if matches!(tag, "html" | "body" | "main" | "article" | "a") {
        return false;
    }
    let names = class_and_id(e);
    if names.trim().is_empty() {
        return false;
    }
    always_furniture().is_match(&names)
        || (unlikely().is_match(&names) && !maybe_content().is_match(&names))
}

/// Readability's class weight, plus a bonus for `<article>`/`<main>`.
fn class_weight(e: &Element) -> f64 {
    let names = class_and_id(e);
    let mut w = 0.0;
    if negative().is_match(&names) {
        w -= 25.0;
    }
    if positive().is_match(&names) {
        w += 25.0;
    }
    w + match e.name() {
        "article" => 10.0,
        "main" => 5.0,
        _ => 0.0,
    }
}

fn tag_weight(tag: &str) -> f64 {
    match tag {
        "div" | "article" | "section" | "main" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

fn is_heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Per-element totals and scores over the blocks below it.
struct Scores {
    score: HashMap<NodeId, f64>,
    chars: HashMap<NodeId, usize>,
    links: HashMap<NodeId, usize>,
}

impl Scores {
    fn of(w: &Walk) -> Scores {
        let mut s = Scores { score: HashMap::new(), chars: HashMap::new(), links: HashMap::new() };
        for b in &w.blocks {
            for id in &b.stack {
                *s.chars.entry(*id).or_default() += b.chars;
                *s.links.entry(*id).or_default() += b.link_chars;
            }
            if b.chars < 25 || is_heading(&b.tag) {
                continue;
            }
            let commas = b.text.chars().filter(|c| matches!(c, ',' | '，' | '、' | '،')).count();
            let points = 1.0 + commas as f64 + (b.chars as f64 / 100.0).min(3.0);
            // A paragraph's own element passes its points up; an element holding several
            // paragraphs (block children, or text split by `<br>`s) keeps them.
            let owner_is_paragraph = b.stack.last().is_some_and(|id| !w.containers.contains(id));
            let skip_owner = usize::from(owner_is_paragraph);
            let above = b.stack.iter().rev().skip(skip_owner).take(3);
            for (level, id) in above.enumerate() {
                let base = || {
                    let tag = w.tags.get(id).map_or("", String::as_str);
                    tag_weight(tag) + w.weight.get(id).copied().unwrap_or(0.0)
                };
                let entry = s.score.entry(*id).or_insert_with(base);
                *entry += points / [1.0, 2.0, 6.0][level.min(2)];
            }
        }
        s
    }

    fn link_density(&self, id: NodeId) -> f64 {
        let chars = self.chars.get(&id).copied().unwrap_or(0).max(1);
        self.links.get(&id).copied().unwrap_or(0) as f64 / chars as f64
    }

    /// Final scores (raw score damped by link density), best first.
    fn ranked(&self) -> Vec<(NodeId, f64)> {
        let mut v: Vec<(NodeId, f64)> =
            self.score.iter().map(|(&id, &s)| (id, s * (1.0 - self.link_density(id)))).collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        v
    }
}

/// The article text of a whole page: one paragraph per line ("" when nothing is left).
pub(super) fn main_text(root: NodeRef<'_, Node>, title: Option<&str>) -> String {
    let w = Walk::run(root);
    let scores = Scores::of(&w);
    let ranked = scores.ranked();
    let Some(&(top, top_score)) = ranked.first() else {
        return join(w.blocks.iter().filter(|b| keep(b, title)));
    };
    let parent = w.parent.get(&top).copied().flatten();
    let threshold = (top_score * 0.2).max(10.0);
    let mut chosen = vec![top];
    for &(id, s) in &ranked[1..] {
        if s >= threshold && parent.is_some() && w.parent.get(&id).copied().flatten() == parent {
            chosen.push(id);
        }
    }
    let selected = |b: &Block| {
        b.stack.iter().any(|id| chosen.contains(id))
            || (b.tag == "p"
                && b.stack.len() >= 2
                && b.stack.get(b.stack.len() - 2).copied() == parent
                && b.chars > 80
                && b.link_density() < 0.25)
    };
    let furniture = |b: &Block| in_link_box(b, &scores, &chosen) || is_date_line(b, &w);
    join(w.blocks.iter().filter(|b| selected(b) && keep(b, title) && !furniture(b)))
}

/// Whether a short block is the label of a box of links ("Read more", "Most read" above a
/// list of headlines): the element holding it, or the one above, is mostly links.
fn in_link_box(b: &Block, scores: &Scores, chosen: &[NodeId]) -> bool {
    b.chars < 40
        && b.stack
            .iter()
            .rev()
            .take(2)
            .any(|id| !chosen.contains(id) && scores.link_density(*id) > 0.5)
}

/// Whether a short block is a date line ("Posted: 22/07/2031 by newsdesk",
/// "January 22, 2033 1:47 PM"): a numeric date, or a clock time with a year.
fn is_date_line(b: &Block, w: &Walk) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"\b\d{1,2}[./]\d{1,2}[./](\d{4}|\d{2})\b|\b\d{4}-\d{2}-\d{2}\b|\d{4}年\d{1,2}月\d{1,2}日|\b\d{1,2}[:.h]\d{2}\b.*\b(19|20)\d{2}\b|\b(19|20)\d{2}\b.*\b\d{1,2}[:.h]\d{2}\b",
        )
        .expect("static regex")
    });
    // A cell or item of its own may be a date column of a table or a list of dates.
    let cell = matches!(b.tag.as_str(), "td" | "th" | "li" | "dd" | "dt")
        && b.stack.last().is_some_and(|id| !w.containers.contains(id));
    !cell
        && b.text.split_whitespace().count() <= 12
        && !b.text.ends_with(['.', '!', '?'])
        && re.is_match(&b.text)
}

/// The text of a fragment (a feed item's HTML): every block that is not all links.
pub(super) fn all_text(root: NodeRef<'_, Node>) -> String {
    let w = Walk::run(root);
    join(w.blocks.iter().filter(|b| b.link_density() < 0.9 || b.chars > 200))
}

/// Whether a block of the chosen container is article text: not link-dense, not the
/// headline again.
fn keep(b: &Block, title: Option<&str>) -> bool {
    if b.link_density() > 0.5 || matches!(title, Some(t) if collapse(t) == b.text) {
        return false;
    }
    if b.tag == "h1" {
        return b.chars > 80;
    }
    !is_ad_label(&b.text)
}

/// Whether a block is only an advertisement label, in one of the languages chorus reads.
fn is_ad_label(text: &str) -> bool {
    const LABELS: &[&str] = &[
        "advertisement",
        "advertising",
        "sponsored",
        "ad",
        "anzeige",
        "werbung",
        "publicité",
        "publicidad",
        "pubblicità",
        "реклама",
        "إعلان",
        "広告",
    ];
    let t = text.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    LABELS.contains(&t.as_str())
}

fn join<'a>(blocks: impl Iterator<Item = &'a Block>) -> String {
    let lines: Vec<&str> = blocks.map(|b| b.text.as_str()).collect();
    lines.join("\n")
}
