//! HTML report: one story renderer for a standalone file (`chorus run --format html`, one
//! self-contained page, inline CSS from `html.css`, no scripts, no network) and for the
//! server's story pages, made for stories of any size. A story of thousands of copies used
//! to give a page of megabytes: here every list that grows with the copies is cut by
//! [`Limits`] — an origin group is one row (its size, its first article, a link to its
//! members), chips show one article per origin first and then "+K more", support sentences
//! and quote wordings (grouped by wording) stop with "…and K more", the outlet × fact matrix
//! has one column per origin group, and the members are paged. What differs between a file
//! and the server (where article chips and page links lead) is a [`Links`]. Every piece of
//! text from the report goes through [`escape`].

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use super::Limits;
use crate::report::{ArticleReport, RepairReport, Report, StoryReport, Support};

const CSS: &str = include_str!("html.css");
/// Number of distinct origin-group colours in the stylesheet (`.g0` … `.g7`).
const COLOURS: usize = 8;

/// Where the links of a story page lead.
pub trait Links {
    /// The href of article `id`'s own page; `None` when there is none (a standalone file),
    /// and its chip is plain text.
    fn article(&self, id: &str) -> Option<String>;
    /// The href of page `page` (from 1) of story `story`; `None` when other pages cannot be
    /// reached (a standalone file has page 1 only).
    fn page(&self, story: &str, page: usize) -> Option<String>;
}

/// The links of a standalone file: no article pages, no other pages of a story.
#[derive(Debug, Clone, Copy, Default)]
pub struct Standalone;

impl Links for Standalone {
    fn article(&self, _: &str) -> Option<String> {
        None
    }

    fn page(&self, _: &str, _: usize) -> Option<String> {
        None
    }
}

/// Article reports by id, for the chips, outlets and member lists of story pages.
#[derive(Debug, Default)]
pub struct Articles<'a>(HashMap<&'a str, &'a ArticleReport>);

impl<'a> Articles<'a> {
    /// Indexes `reports` by id (the last report of an id wins).
    pub fn new(reports: &'a [ArticleReport]) -> Articles<'a> {
        Articles(reports.iter().map(|a| (a.id.as_str(), a)).collect())
    }

    fn get(&self, id: &str) -> Option<&'a ArticleReport> {
        self.0.get(id).copied()
    }
}

/// One page of one story to render with [`story`].
pub struct StoryPage<'a> {
    /// The story.
    pub story: &'a StoryReport,
    /// Reports of (at least) the articles the page shows ([`needed_articles`]).
    pub articles: &'a Articles<'a>,
    /// The page, from 1: page 1 is the whole story with its first members, later pages
    /// list members only.
    pub page: usize,
    /// How much the page shows.
    pub limits: &'a Limits,
    /// Where its links lead.
    pub links: &'a dyn Links,
    /// Id of the page's `<section>` and prefix of its element ids (`{anchor}-origin-3`),
    /// so that several stories can share a document; empty: no section id, ids unprefixed.
    pub anchor: &'a str,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Appends the table of an article's repairs to `s`: kind, byte span, and the original
/// text struck through beside its replacement (or marked, when the repair only flags it).
pub fn repairs_table(s: &mut String, repairs: &[RepairReport]) {
    s.push_str("<table><tr><th>kind</th><th>bytes</th><th>original → replacement</th></tr>");
    for r in repairs {
        let change = if r.original == r.replacement {
            format!("<mark>{}</mark> (flagged)", escape(&r.original))
        } else {
            format!("<del>{}</del> → <ins>{}</ins>", escape(&r.original), escape(&r.replacement))
        };
        let _ = write!(
            s,
            "<tr><td class=\"kind\">{}</td><td class=\"meta\">{}–{}</td><td>{change}</td></tr>",
            escape(&r.kind),
            r.start,
            r.end
        );
    }
    s.push_str("</table>");
}

/// Renders the report as one HTML page with the compact [`Limits::default`].
pub fn render(report: &Report) -> String {
    render_with(report, &Limits::default())
}

/// Renders the report as one self-contained HTML page: for each of the first
/// [`Limits::stories`] stories, page 1 of its story page under `limits` (members past it
/// are counted, not listed); the other stories are a row each in an index at the end.
pub fn render_with(report: &Report, limits: &Limits) -> String {
    let mut s = String::new();
    s.push_str("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    s.push_str("<title>chorus report</title><style>");
    s.push_str(CSS);
    s.push_str("</style></head><body><main>\n");
    let _ = writeln!(
        s,
        "<header class=\"top\"><h1>chorus report</h1><span class=\"meta\">{} articles · {} stories</span></header>",
        report.articles.len(),
        report.stories.len()
    );
    if report.stories_only {
        s.push_str(
            "<p class=\"meta\"><strong>Stories-only triage run</strong> (<code>chorus run \
             --stories-only</code>): stories, origins, derivations and entities only; no facts, \
             conflicts, quotes, timeline or summary were computed.</p>\n",
        );
    }
    let full = report.stories.len().min(limits.stories);
    if report.stories.len() > 1 {
        s.push_str("<nav class=\"toc\">");
        for (k, st) in report.stories.iter().take(full).enumerate() {
            let _ = write!(s, "<a href=\"#story-{k}\">{}</a>", escape(&st.headline));
        }
        if full < report.stories.len() {
            let _ = write!(
                s,
                "<a href=\"#more-stories\">…and {} more stories</a>",
                report.stories.len() - full
            );
        }
        s.push_str("</nav>\n");
    }
    let articles = Articles::new(&report.articles);
    for (k, st) in report.stories.iter().take(full).enumerate() {
        let anchor = format!("story-{k}");
        let page = StoryPage {
            story: st,
            articles: &articles,
            page: 1,
            limits,
            links: &Standalone,
            anchor: &anchor,
        };
        story(&mut s, &page);
    }
    story_index(&mut s, &report.stories[full..]);
    s.push_str("</main></body></html>\n");
    s
}

/// The stories not rendered in full, a row each (nothing when there are none).
fn story_index(s: &mut String, rest: &[StoryReport]) {
    if rest.is_empty() {
        return;
    }
    let _ = write!(
        s,
        "<section class=\"story\" id=\"more-stories\"><h2>{} more stories</h2>\
         <div class=\"meta\">in short (<code>chorus run --format html --all</code> renders \
         every story in full, as does the JSON report)</div><table class=\"stories\">\
         <tr><th>story</th><th>articles</th><th>independent</th><th>facts</th><th>conflicts</th></tr>",
        rest.len()
    );
    for st in rest {
        let _ = write!(
            s,
            "<tr><td>{} <span class=\"meta\"><code>{}</code></span></td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&st.headline),
            escape(&st.id),
            st.articles.len(),
            st.independent_sources,
            st.facts.len(),
            st.conflicts.len()
        );
    }
    s.push_str("</table></section>\n");
}

/// How many pages the story's member list takes under `limits` (at least 1).
pub fn pages(story: &StoryReport, limits: &Limits) -> usize {
    story.articles.len().div_ceil(limits.per_page()).max(1)
}

/// The members in page order: origin group by origin group (so a group is contiguous and
/// a group's row can link to the page where it starts), then members in no group.
fn members(story: &StoryReport) -> Vec<(&str, Option<usize>)> {
    let mut out: Vec<(&str, Option<usize>)> = Vec::with_capacity(story.articles.len());
    let mut seen: HashSet<&str> = HashSet::with_capacity(story.articles.len());
    for (g, ids) in story.origin_groups.iter().enumerate() {
        for id in ids {
            if seen.insert(id) {
                out.push((id, Some(g)));
            }
        }
    }
    for id in &story.articles {
        if seen.insert(id) {
            out.push((id, None));
        }
    }
    out
}

/// The members of page `page` (a slice of [`members`], empty past the end).
fn page_members<'m, 'a>(
    all: &'m [(&'a str, Option<usize>)],
    page: usize,
    limits: &Limits,
) -> &'m [(&'a str, Option<usize>)] {
    let start = page.saturating_sub(1).saturating_mul(limits.per_page()).min(all.len());
    let end = start.saturating_add(limits.per_page()).min(all.len());
    &all[start..end]
}

/// The ids whose article reports page `page` shows (its members, and on page 1 the first
/// article of each origin group listed); `None` when the story has no such page.
pub fn needed_articles(story: &StoryReport, page: usize, limits: &Limits) -> Option<Vec<String>> {
    if page == 0 || page > pages(story, limits) {
        return None;
    }
    let all = members(story);
    let mut ids: Vec<&str> = page_members(&all, page, limits).iter().map(|(id, _)| *id).collect();
    if page == 1 {
        let mut seen: HashSet<&str> = ids.iter().copied().collect();
        for g in story.origin_groups.iter().take(limits.origins) {
            if let Some(first) = g.first().filter(|f| seen.insert(f)) {
                ids.push(first);
            }
        }
    }
    Some(ids.into_iter().map(str::to_string).collect())
}

/// Renders `page` as one `<section>` into `s`.
pub fn story(s: &mut String, page: &StoryPage<'_>) {
    let v = View::new(page);
    if page.page <= 1 {
        v.header(s, false);
        v.outlets(s);
        v.summary(s);
        v.timeline(s);
        v.quotes(s);
        v.facts(s);
        v.matrix(s);
        v.conflicts(s);
        v.entities(s);
    } else {
        v.header(s, true);
    }
    v.member_list(s);
    s.push_str("</section>\n");
}

/// A page with its story's groups.
struct View<'p, 'a> {
    p: &'p StoryPage<'a>,
    st: &'a StoryReport,
    /// The page, from 1 (page 0 is page 1).
    page: usize,
    members: Vec<(&'a str, Option<usize>)>,
    group: HashMap<&'a str, usize>,
}

impl<'p, 'a> View<'p, 'a> {
    fn new(p: &'p StoryPage<'a>) -> View<'p, 'a> {
        let members = members(p.story);
        let group = members.iter().filter_map(|(id, g)| g.map(|g| (*id, g))).collect();
        View { p, st: p.story, page: p.page.max(1), members, group }
    }

    fn limits(&self) -> &Limits {
        self.p.limits
    }

    /// The id of element `name` of this story, escaped.
    fn id(&self, name: &str) -> String {
        escape(&self.raw_id(name))
    }

    fn raw_id(&self, name: &str) -> String {
        if self.p.anchor.is_empty() {
            name.to_string()
        } else {
            format!("{}-{name}", self.p.anchor)
        }
    }

    fn colour(&self, id: &str) -> String {
        self.group.get(id).map_or_else(|| "gx".to_string(), |g| format!("g{}", g % COLOURS))
    }

    fn outlet(&self, id: &str) -> Option<&'a str> {
        self.p.articles.get(id).and_then(|a| a.source.as_deref())
    }

    /// An article's chip (a link when it has a page), coloured by its origin group.
    fn chip(&self, id: &str) -> String {
        let origin = self.group.get(id).map_or(String::new(), |g| format!(" · origin {}", g + 1));
        let title = match self.outlet(id) {
            Some(o) => format!("{id} — {o}{origin}"),
            None => format!("{id}{origin}"),
        };
        let (tag, href) = match self.p.links.article(id) {
            Some(h) => ("a", format!(" href=\"{}\"", escape(&h))),
            None => ("span", String::new()),
        };
        format!(
            "<{tag} class=\"chip {}\"{href} title=\"{}\">{}</{tag}>",
            self.colour(id),
            escape(&title),
            escape(id)
        )
    }

    /// Chips of the distinct `ids`: one per origin group first (so a fact told by 2,000
    /// copies of one wire story and by two reporters shows all three origins), then the
    /// others, at most [`Limits::chips`], then "+K more".
    fn chips<'b>(&self, ids: impl IntoIterator<Item = &'b str>) -> String {
        let mut seen = HashSet::new();
        let mut groups = HashSet::new();
        let (mut first, mut rest) = (Vec::new(), Vec::new());
        for id in ids {
            if !seen.insert(id) {
                continue;
            }
            let g = self.group.get(id);
            if g.is_none_or(|g| groups.insert(*g)) {
                first.push(id);
            } else {
                rest.push(id);
            }
        }
        let total = first.len() + rest.len();
        let max = self.limits().chips;
        let mut out: String =
            first.into_iter().chain(rest).take(max).map(|id| self.chip(id)).collect();
        if total > max {
            let _ = write!(out, " <span class=\"meta\">+{} more</span>", total - max);
        }
        out
    }

    /// The page of story member `index` (in [`members`] order).
    fn page_of(&self, index: usize) -> usize {
        index / self.limits().per_page() + 1
    }

    /// An href to element `name` on page `page`: a fragment on this page, else through
    /// [`Links::page`] (`None` when that page cannot be reached).
    fn href(&self, page: usize, name: Option<&str>) -> Option<String> {
        let fragment = name.map(|n| format!("#{}", self.raw_id(n))).unwrap_or_default();
        if page == self.page && name.is_some() {
            return Some(escape(&fragment));
        }
        self.p.links.page(&self.st.id, page).map(|h| escape(&format!("{h}{fragment}")))
    }

    fn header(&self, s: &mut String, linked: bool) {
        let st = self.st;
        let headline = match self.href(1, None).filter(|_| linked) {
            Some(h) => format!("<a href=\"{h}\">{}</a>", escape(&st.headline)),
            None => escape(&st.headline),
        };
        let id = if self.p.anchor.is_empty() {
            String::new()
        } else {
            format!(" id=\"{}\"", escape(self.p.anchor))
        };
        let _ = writeln!(
            s,
            "<section class=\"story\"{id}><h2>{headline}</h2><div class=\"meta\">{} articles · \
             <span class=\"big\">{} independent sources</span> · story <code>{}</code></div>",
            st.articles.len(),
            st.independent_sources,
            escape(&st.id)
        );
    }

    fn outlets(&self, s: &mut String) {
        let groups = &self.st.origin_groups;
        let shown = self.limits().origins;
        s.push_str("<h3>Outlets by origin</h3><table class=\"origins\">");
        s.push_str("<tr><th>origin</th><th>articles</th><th>first article</th></tr>");
        let mut at = 0;
        for (g, ids) in groups.iter().enumerate().take(shown) {
            let start = at;
            at += ids.len();
            let Some(first) = ids.first() else { continue };
            let _ = write!(
                s,
                "<tr><td><span class=\"chip g{}\">origin {}</span></td><td class=\"n\">{}</td><td>{} {}",
                g % COLOURS,
                g + 1,
                ids.len(),
                self.chip(first),
                escape(self.outlet(first).unwrap_or(""))
            );
            if ids.len() > 1 {
                let all = format!("all {} articles", ids.len());
                match self.href(self.page_of(start), Some(&format!("origin-{}", g + 1))) {
                    Some(h) => {
                        let _ = write!(s, " <a href=\"{h}\">{all}</a>");
                    }
                    None => {
                        let _ = write!(s, " <span class=\"meta\">{all}</span>");
                    }
                }
            }
            s.push_str("</td></tr>");
        }
        s.push_str("</table>");
        if groups.len() > shown {
            // `at` is where the first origin not listed starts among the members.
            let more = groups.len() - shown;
            match self.href(self.page_of(at), Some(&format!("origin-{}", shown + 1))) {
                Some(h) => {
                    let _ = write!(
                        s,
                        "<div class=\"meta more\">…and {more} more origins (<a href=\"{h}\">their articles</a>)</div>"
                    );
                }
                None => and_more(s, groups.len(), shown, "origins"),
            }
        }
        let derivations = &self.st.derivations;
        if !derivations.is_empty() {
            let _ = write!(
                s,
                "<details><summary>Derivations ({})</summary><ul class=\"plain\">",
                derivations.len()
            );
            for d in derivations.iter().take(self.limits().derivations) {
                let _ = write!(
                    s,
                    "<li>{} derives from {} <span class=\"kind\">{} {:.2}</span>",
                    self.chip(&d.article),
                    self.chip(&d.from),
                    escape(&d.kind),
                    d.score
                );
                if let Some(e) = d.evidence.first() {
                    let _ = write!(s, "<div class=\"sentence\">“{}”</div>", escape(e));
                }
                s.push_str("</li>");
            }
            s.push_str("</ul>");
            and_more(s, derivations.len(), self.limits().derivations, "derivations");
            s.push_str("</details>");
        }
        s.push('\n');
    }

    fn summary(&self, s: &mut String) {
        s.push_str("<h3>Summary</h3>");
        if self.st.summary.is_empty() {
            s.push_str("<p class=\"empty\">No fact is supported by two articles.</p>\n");
            return;
        }
        s.push_str("<ul class=\"plain\">");
        for l in &self.st.summary {
            let chips = self.chips(l.support.iter().map(String::as_str));
            let _ = write!(s, "<li>{} {chips}</li>", escape(&l.text));
        }
        s.push_str("</ul>\n");
    }

    fn timeline(&self, s: &mut String) {
        let entries = &self.st.timeline;
        if entries.is_empty() {
            return;
        }
        s.push_str("<h3>Timeline</h3>");
        for background in [false, true] {
            if background {
                if !entries.iter().any(|e| e.background) {
                    break;
                }
                s.push_str("<h4>Background</h4>");
            }
            s.push_str("<table class=\"timeline\">");
            for e in entries.iter().filter(|e| e.background == background) {
                let disputed = e.conflict.as_ref().map_or_else(String::new, |t| {
                    format!(" <span class=\"disputed\">date disputed: {}</span>", escape(t))
                });
                let scheduled =
                    if e.scheduled { " <span class=\"scheduled\">scheduled</span>" } else { "" };
                let _ = write!(
                    s,
                    "<tr><td class=\"date\">{}{scheduled}</td><td>{} {}{disputed}</td></tr>",
                    escape(&super::timeline_date(&e.date)),
                    escape(&e.text),
                    self.chips(e.articles.iter().map(String::as_str))
                );
            }
            s.push_str("</table>\n");
        }
    }

    fn quotes(&self, s: &mut String) {
        if self.st.quotes.is_empty() {
            return;
        }
        s.push_str("<h3>Quotes</h3><ul class=\"plain\">");
        for q in self.st.quotes.iter().take(self.limits().quotes) {
            let who = q.speaker.as_deref().unwrap_or("unattributed");
            let _ = write!(
                s,
                "<li><b>{}</b><blockquote>“{}”</blockquote>",
                escape(who),
                escape(&q.text)
            );
            // Copies repeat a wording word for word: one box per wording, with its articles.
            // A translated wording carries its language ("translation, fr"), one in other
            // words "paraphrase".
            let wordings = super::wordings(&q.variants);
            if q.variants.len() > 1 {
                s.push_str("<div class=\"variants\">");
                for w in wordings.iter().take(self.limits().wordings) {
                    let (class, note) = if w.changed {
                        (" changed", "<span class=\"flag\">meaning differs</span>")
                    } else {
                        ("", "")
                    };
                    let count = if w.ids.len() > 1 {
                        format!(" <span class=\"meta\">{} articles</span>", w.ids.len())
                    } else {
                        String::new()
                    };
                    let kind = w
                        .kind()
                        .map(|k| format!(" <span class=\"lang\">{}</span>", escape(&k)))
                        .unwrap_or_default();
                    let _ = write!(
                        s,
                        "<div class=\"variant{class}\">{}{count}{kind}{note}<br>{}</div>",
                        self.chips(w.ids.iter().copied()),
                        escape(w.text)
                    );
                }
                s.push_str("</div>");
                and_more(s, wordings.len(), self.limits().wordings, "wordings");
            }
            s.push_str("</li>");
        }
        s.push_str("</ul>");
        and_more(s, self.st.quotes.len(), self.limits().quotes, "quotes");
        s.push('\n');
    }

    /// The supporting sentences, folded away: the first [`Limits::sentences`], then
    /// "…and K more".
    fn supports(&self, s: &mut String, support: &[Support]) {
        if support.is_empty() {
            return;
        }
        let _ = write!(s, "<details><summary class=\"meta\">{} sentences</summary>", support.len());
        for x in support.iter().take(self.limits().sentences) {
            let _ = write!(
                s,
                "<div class=\"sentence\"><b>{}</b> [{}–{}] {}</div>",
                escape(&x.article),
                x.start,
                x.end,
                escape(&x.sentence)
            );
        }
        and_more(s, support.len(), self.limits().sentences, "sentences");
        s.push_str("</details>");
    }

    fn facts(&self, s: &mut String) {
        if self.st.facts.is_empty() {
            return;
        }
        s.push_str("<h3>Facts</h3><ul class=\"plain\">");
        for f in &self.st.facts {
            let lang = f.language.as_deref().map_or(String::new(), |l| {
                format!(
                    " <span class=\"lang\" title=\"no supporting sentence in the story's main language\">[{}]</span>",
                    escape(l)
                )
            });
            let _ = write!(
                s,
                "<li><span class=\"count\" title=\"independent sources\">{}</span>{}{lang} {}",
                f.independent_support,
                escape(&f.text),
                self.chips(f.support.iter().map(|x| x.article.as_str()))
            );
            self.supports(s, &f.support);
            s.push_str("</li>");
        }
        s.push_str("</ul>\n");
    }

    /// The outlet × fact matrix with one column per origin group (copies of one origin
    /// stand for one source): a cell holds how many of the group's articles state the fact.
    fn matrix(&self, s: &mut String) {
        let st = self.st;
        if st.facts.is_empty() || st.articles.len() < 2 {
            return;
        }
        let columns = st.origin_groups.len().min(self.limits().matrix_columns);
        s.push_str("<h3>Who reports what</h3><table class=\"matrix\"><tr><th>fact</th>");
        for (g, ids) in st.origin_groups.iter().take(columns).enumerate() {
            let first = ids.first().map_or("", String::as_str);
            let label = self.outlet(first).unwrap_or(first);
            let _ = write!(
                s,
                "<th class=\"col\" title=\"origin {} · {} articles\">{}</th>",
                g + 1,
                ids.len(),
                escape(label)
            );
        }
        s.push_str("</tr>");
        for f in &st.facts {
            let _ = write!(s, "<tr><td class=\"fact\">{}</td>", escape(&f.text));
            // Per origin group: articles stating the fact, and the first sentence.
            let mut cells: HashMap<usize, (HashSet<&str>, &str)> = HashMap::new();
            for x in &f.support {
                if let Some(&g) = self.group.get(x.article.as_str()) {
                    cells
                        .entry(g)
                        .or_insert_with(|| (HashSet::new(), &x.sentence))
                        .0
                        .insert(&x.article);
                }
            }
            for g in 0..columns {
                match cells.get(&g) {
                    Some((ids, sentence)) => {
                        let mark = if ids.len() > 1 { ids.len().to_string() } else { "●".into() };
                        let _ = write!(
                            s,
                            "<td class=\"cell g{}\" title=\"{}\">{mark}</td>",
                            g % COLOURS,
                            escape(sentence)
                        );
                    }
                    None => s.push_str("<td class=\"cell\"></td>"),
                }
            }
            s.push_str("</tr>");
        }
        s.push_str("</table>");
        and_more(s, st.origin_groups.len(), columns, "origins not in the matrix");
        s.push('\n');
    }

    fn conflicts(&self, s: &mut String) {
        if self.st.conflicts.is_empty() {
            return;
        }
        s.push_str("<h3>Conflicts</h3>");
        for c in &self.st.conflicts {
            let (class, note) =
                if c.update { ("conflict update", " (an update)") } else { ("conflict", "") };
            let _ = write!(s, "<div class=\"{class}\"><b>{}</b>{note}", escape(&c.topic));
            for side in c.sides.iter().take(self.limits().sides) {
                let _ = write!(
                    s,
                    "<div class=\"side\"><span class=\"value\">{}</span>{}",
                    escape(&side.value),
                    self.chips(side.support.iter().map(|x| x.article.as_str()))
                );
                self.supports(s, &side.support);
                s.push_str("</div>");
            }
            and_more(s, c.sides.len(), self.limits().sides, "sides");
            s.push_str("</div>");
        }
        s.push('\n');
    }

    fn entities(&self, s: &mut String) {
        if self.st.entities.is_empty() {
            return;
        }
        s.push_str("<h3>Entities</h3><table><tr><th>name</th><th>kind</th><th>mentions</th><th>also written</th><th>articles</th></tr>");
        for e in self.st.entities.iter().take(self.limits().entities) {
            let _ = write!(
                s,
                "<tr><td>{}</td><td class=\"kind\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&e.name),
                escape(&e.kind),
                e.mentions,
                escape(&e.aliases.join(", ")),
                self.chips(e.articles.iter().map(String::as_str))
            );
        }
        s.push_str("</table>");
        and_more(s, self.st.entities.len(), self.limits().entities, "entities");
        s.push('\n');
    }

    /// The page's members, origin group by origin group, each with its outlet, date and
    /// repairs, then the pager (or, when other pages cannot be reached, how many are not
    /// listed).
    fn member_list(&self, s: &mut String) {
        let total = self.members.len();
        let shown = page_members(&self.members, self.page, self.limits());
        let start = self.page.saturating_sub(1).saturating_mul(self.limits().per_page()).min(total);
        let _ = write!(
            s,
            "<h3 id=\"{}\">Articles</h3><div class=\"meta\">{}–{} of {total}</div>",
            self.id("articles"),
            if shown.is_empty() { 0 } else { start + 1 },
            start + shown.len()
        );
        let mut current: Option<Option<usize>> = None;
        for (k, (id, g)) in shown.iter().enumerate() {
            if current != Some(*g) {
                if current.is_some() {
                    s.push_str("</ul>");
                }
                current = Some(*g);
                let head = match g {
                    Some(g) => {
                        let size = self.st.origin_groups.get(*g).map_or(0, Vec::len);
                        let continued =
                            k == 0 && start > 0 && self.members[start - 1].1 == Some(*g);
                        let (anchor, cont) = match continued {
                            true => (String::new(), " (continued)"),
                            false => {
                                (format!(" id=\"{}\"", self.id(&format!("origin-{}", g + 1))), "")
                            }
                        };
                        format!(
                            "<h4{anchor}><span class=\"chip g{}\">origin {}</span> {size} articles{cont}</h4>",
                            g % COLOURS,
                            g + 1
                        )
                    }
                    None => "<h4>in no origin group</h4>".to_string(),
                };
                s.push_str(&head);
                s.push_str("<ul class=\"plain\">");
            }
            self.member(s, id);
        }
        if current.is_some() {
            s.push_str("</ul>");
        }
        self.pager(s, start + shown.len());
    }

    fn member(&self, s: &mut String, id: &str) {
        let Some(a) = self.p.articles.get(id) else {
            let _ = write!(s, "<li>{}</li>", self.chip(id));
            return;
        };
        let title = escape(a.title.as_deref().unwrap_or(id));
        let _ = write!(s, "<li>{} ", self.chip(id));
        match self.p.links.article(id) {
            Some(h) => {
                let _ = write!(s, "<a href=\"{}\">{title}</a>", escape(&h));
            }
            None => s.push_str(&title),
        }
        let _ = write!(
            s,
            " <span class=\"meta\">{} · {}</span>",
            escape(a.source.as_deref().unwrap_or("unknown outlet")),
            escape(a.published.as_deref().unwrap_or("undated"))
        );
        // Without a page of its own, the article's address is shown here.
        if let Some(u) = a.url.as_deref().filter(|_| self.p.links.article(id).is_none()) {
            let _ = write!(s, " <span class=\"meta url\">{}</span>", escape(u));
        }
        if !a.repairs.is_empty() {
            let n = a.repairs.len();
            let noun = if n == 1 { "repair" } else { "repairs" };
            let _ = write!(s, "<details><summary class=\"meta\">{n} {noun}</summary>");
            repairs_table(s, &a.repairs);
            s.push_str("</details>");
        }
        s.push_str("</li>");
    }

    /// Prev/next links, or the count of members not listed when other pages cannot be
    /// reached; `end` is the index after the last member shown.
    fn pager(&self, s: &mut String, end: usize) {
        let (page, last) = (self.page, pages(self.st, self.limits()));
        if last <= 1 {
            return;
        }
        let prev = self.href(page - 1, None).filter(|_| page > 1);
        let next = self.href(page + 1, None).filter(|_| page < last);
        if page < last && next.is_none() {
            let _ = write!(
                s,
                "<div class=\"meta more\">…and {} more articles, not listed here \
                 (<code>chorus run --format html --all</code> lists every one, \
                 as does the JSON report)</div>",
                self.members.len().saturating_sub(end)
            );
            return;
        }
        s.push_str("<div class=\"pager\"><span>");
        if let Some(h) = prev {
            let _ = write!(s, "<a rel=\"prev\" href=\"{h}#{}\">Prev</a>", self.id("articles"));
        }
        let _ = write!(s, "</span><span class=\"meta\">page {page} of {last}</span><span>");
        if let Some(h) = next {
            let _ = write!(s, "<a rel=\"next\" href=\"{h}#{}\">Next</a>", self.id("articles"));
        }
        s.push_str("</span></div>");
    }
}

/// "…and K more" after a list cut to `shown` of `total` (nothing when nothing was cut).
fn and_more(s: &mut String, total: usize, shown: usize, what: &str) {
    if total > shown {
        let _ = write!(s, "<div class=\"meta more\">…and {} more {what}</div>", total - shown);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::report::*;

    fn sup(article: &str, sentence: &str) -> Support {
        Support {
            article: article.into(),
            sentence: sentence.into(),
            start: 0,
            end: sentence.len(),
        }
    }

    /// A small report exercising every section, with hostile text.
    pub(crate) fn sample() -> Report {
        let article = |id: &str, source: Option<&str>, repairs: Vec<RepairReport>| ArticleReport {
            id: id.into(),
            source: source.map(String::from),
            published: Some("2024-12-09".into()),
            language: "en".into(),
            repairs,
            ..ArticleReport::default()
        };
        let repair = RepairReport {
            kind: "mojibake".into(),
            start: 10,
            end: 17,
            original: "Russiaâ€™s".into(),
            replacement: "Russia’s".into(),
        };
        let fact = FactReport {
            text: "Rebels entered <script>alert(1)</script> Damascus.".into(),
            support: vec![
                sup("a1", "Rebels entered Damascus."),
                sup("a3", "Rebels took Damascus."),
            ],
            independent_support: 2,
            language: None,
        };
        let story = StoryReport {
            id: "s1".into(),
            headline: "Rebels take the capital".into(),
            articles: vec!["a1".into(), "a2".into(), "a3".into()],
            origin_groups: vec![vec!["a1".into(), "a2".into()], vec!["a3".into()]],
            independent_sources: 2,
            derivations: vec![DerivationReport {
                article: "a2".into(),
                from: "a1".into(),
                kind: "copy".into(),
                score: 0.97,
                evidence: vec!["Rebels entered Damascus.".into()],
            }],
            entities: vec![EntityReport {
                name: "Damascus".into(),
                kind: "location".into(),
                aliases: vec!["Dimashq".into()],
                articles: vec!["a1".into(), "a3".into()],
                mentions: 4,
            }],
            quotes: vec![QuoteReport {
                speaker: Some("Dmitry Peskov".into()),
                text: "It was his decision".into(),
                variants: vec![
                    QuoteVariant {
                        article: "a1".into(),
                        text: "It was his decision".into(),
                        start: 0,
                        end: 19,
                        meaning_changed: false,
                        translation: None,
                        paraphrase: false,
                        gap: false,
                    },
                    QuoteVariant {
                        article: "a3".into(),
                        text: "The decision was his".into(),
                        start: 5,
                        end: 25,
                        meaning_changed: true,
                        translation: Some("fr".into()),
                        paraphrase: false,
                        gap: false,
                    },
                    QuoteVariant {
                        article: "a2".into(),
                        text: "The choice had been his own".into(),
                        start: 40,
                        end: 67,
                        meaning_changed: false,
                        translation: None,
                        paraphrase: true,
                        gap: false,
                    },
                ],
            }],
            facts: vec![fact],
            conflicts: vec![ConflictReport {
                topic: "number of people killed".into(),
                kind: "number".into(),
                sides: vec![
                    ConflictSide {
                        value: "12".into(),
                        support: vec![sup("a1", "12 people were killed.")],
                    },
                    ConflictSide {
                        value: "9".into(),
                        support: vec![sup("a3", "Nine people were killed.")],
                    },
                ],
                update: false,
            }],
            timeline: vec![
                TimelineEntry {
                    date: "XXXX-12-08".into(),
                    text: "On December 8 rebels entered Damascus.".into(),
                    articles: vec!["a1".into(), "a3".into()],
                    conflict: Some("date of entered".into()),
                    ..TimelineEntry::default()
                },
                TimelineEntry {
                    date: "2025-01-10".into(),
                    text: "Talks will open on January 10, 2025.".into(),
                    articles: vec!["a1".into()],
                    scheduled: true,
                    ..TimelineEntry::default()
                },
                TimelineEntry {
                    date: "2011".into(),
                    text: "The war began in 2011.".into(),
                    articles: vec!["a3".into()],
                    background: true,
                    ..TimelineEntry::default()
                },
            ],
            summary: vec![SummaryLine {
                text: "Rebels entered Damascus.".into(),
                support: vec!["a1".into(), "a3".into()],
            }],
            why: Vec::new(),
        };
        Report {
            articles: vec![
                article("a1", Some("Daily <Planet>"), vec![repair]),
                article("a2", None, Vec::new()),
                article("a3", Some("Wire"), Vec::new()),
            ],
            stories: vec![story],
            stories_only: false,
        }
    }

    #[test]
    fn page_has_every_section() {
        let html = render(&sample());
        for want in [
            "<!doctype html>",
            "<h2>Rebels take the capital</h2>",
            "2 independent sources",
            "<h3>Summary</h3>",
            "<h3>Timeline</h3>",
            "8 December (year not stated)",
            "2025-01-10 <span class=\"scheduled\">scheduled</span>",
            "<h4>Background</h4>",
            "<span class=\"disputed\">date disputed: date of entered</span>",
            "<h3>Quotes</h3>",
            "class=\"variants\"",
            "The decision was his",
            "<h3>Facts</h3>",
            "class=\"matrix\"",
            "<h3>Conflicts</h3>",
            "number of people killed",
            "Derivations",
            "<del>Russiaâ€™s</del> → <ins>Russia’s</ins>",
            "chip g0",
            "chip g1",
        ] {
            assert!(html.contains(want), "missing {want:?}");
        }
    }

    #[test]
    fn article_text_is_escaped() {
        let html = render(&sample());
        assert!(!html.contains("<script>"), "script tag leaked");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("Daily &lt;Planet&gt;"));
        assert!(!html.contains("http://") && !html.contains("https://"), "no network references");
    }

    #[test]
    fn escape_table() {
        for (raw, want) in [
            ("a<b", "a&lt;b"),
            ("\"x\" & 'y'", "&quot;x&quot; &amp; &#39;y&#39;"),
            ("plain", "plain"),
        ] {
            assert_eq!(escape(raw), want);
        }
    }

    /// The sample report with `copies` copies of a1 (origin 1), each stating the fact,
    /// repeating the quote and carrying a URL.
    pub(crate) fn with_copies(copies: usize) -> Report {
        let mut report = sample();
        let st = &mut report.stories[0];
        for k in 0..copies {
            let id = format!("c{k}");
            st.articles.push(id.clone());
            st.origin_groups[0].push(id.clone());
            st.facts[0].support.push(sup(&id, "Rebels entered Damascus."));
            let mut v = st.quotes[0].variants[0].clone();
            v.article = id.clone();
            st.quotes[0].variants.push(v);
            report.articles.push(ArticleReport {
                id: id.clone(),
                title: Some(format!("Copy {k}")),
                url: Some(format!("https://copies.test/{k}")),
                ..ArticleReport::default()
            });
        }
        report
    }

    #[test]
    fn a_standalone_file_lists_the_first_page_and_counts_the_rest() {
        let html = render(&with_copies(250));
        for want in [
            "253 articles",
            "<section class=\"story\" id=\"story-0\">",
            "origin 1</span></td><td class=\"n\">252</td>",
            "<a href=\"#story-0-origin-1\">all 252 articles</a>",
            "id=\"story-0-origin-1\"",
            "+242 more",
            "…and 242 more sentences",
            "<span class=\"meta\">251 articles</span><br>It was his decision",
            "1–100 of 253",
            "…and 153 more articles, not listed here",
            "--all</code>",
            "Copy 97 <span class=\"meta\">unknown outlet · undated</span> <span class=\"meta url\">https://copies.test/97</span>",
        ] {
            assert!(html.contains(want), "missing {want:?}");
        }
        assert!(!html.contains("Copy 98<"), "member 101 is not listed");
        assert!(!html.contains("<a class=\"chip") && !html.contains("href=\"/"), "no server links");
        assert!(!html.contains("rel=\"next\""), "no page to go to");
        // Origin 2 starts past page 1: its row names it, without a link.
        assert!(html.contains(
            "<span class=\"chip g1\" title=\"a3 — Wire · origin 2\">a3</span> Wire</td>"
        ));
    }

    #[test]
    fn unlimited_lists_everything() {
        let report = with_copies(250);
        let html = render_with(&report, &Limits::UNLIMITED);
        for a in &report.articles {
            assert!(html.contains(&format!("title=\"{}", a.id)), "{} has no chip", a.id);
        }
        assert!(html.contains("Copy 249") && html.contains("1–253 of 253"));
        assert!(!html.contains("…and") && !html.contains(" more</span>"), "nothing is cut");
        assert!(html.len() > render(&report).len());
    }

    /// The sample report with a second story, a copy of the first (id `s2`, hostile headline).
    pub(crate) fn two_stories() -> Report {
        let mut report = sample();
        let mut second = report.stories[0].clone();
        second.id = "s2".into();
        second.headline = "Second <story>".into();
        report.stories.push(second);
        report
    }

    #[test]
    fn stories_quotes_and_sides_past_the_limits_are_counted() {
        let report = two_stories();
        let limits = Limits { stories: 1, quotes: 0, sides: 1, ..Limits::COMPACT };
        let html = render_with(&report, &limits);
        for want in [
            "<a href=\"#more-stories\">…and 1 more stories</a>",
            "<section class=\"story\" id=\"more-stories\"><h2>1 more stories</h2>",
            "<tr><td>Second &lt;story&gt; <span class=\"meta\"><code>s2</code></span></td><td class=\"n\">3</td>",
            "…and 1 more quotes",
            "…and 1 more sides",
        ] {
            assert!(html.contains(want), "missing {want:?}");
        }
        assert!(!html.contains("id=\"story-1\"") && !html.contains("It was his decision"));
        let all = render_with(&report, &Limits::UNLIMITED);
        assert!(all.contains("id=\"story-1\"") && !all.contains("more-stories"));
    }

    /// The sample story's section in a file: every section, chips without links.
    #[test]
    fn story_section_snapshot() {
        let report = sample();
        let articles = Articles::new(&report.articles);
        let mut s = String::new();
        let page = StoryPage {
            story: &report.stories[0],
            articles: &articles,
            page: 1,
            limits: &Limits::COMPACT,
            links: &Standalone,
            anchor: "story-0",
        };
        story(&mut s, &page);
        insta::assert_snapshot!(s.replace("><", ">\n<"));
    }

    proptest::proptest! {
        /// Any limits and any page: no panic, pages exist exactly up to `pages`, a page
        /// lists at most `members_per_page` members, and page 1 names every origin listed.
        #[test]
        fn any_limits_render_any_page(
            chips in 0usize..4, sentences in 0usize..4, wordings in 0usize..3,
            per_page in 0usize..7, origins in 0usize..4, copies in 0usize..12, page in 0usize..9,
        ) {
            let report = with_copies(copies);
            let limits = Limits {
                chips, sentences, wordings, members_per_page: per_page, origins,
                derivations: chips, matrix_columns: origins, entities: wordings,
                quotes: wordings, sides: sentences, stories: chips,
            };
            let st = &report.stories[0];
            let n = pages(st, &limits);
            proptest::prop_assert_eq!(n, st.articles.len().div_ceil(per_page.max(1)));
            let needed = needed_articles(st, page, &limits);
            proptest::prop_assert_eq!(needed.is_some(), (1..=n).contains(&page));
            let articles = Articles::new(&report.articles);
            let mut s = String::new();
            story(&mut s, &StoryPage {
                story: st, articles: &articles, page, limits: &limits,
                links: &Standalone, anchor: "",
            });
            // Members (and on page 1 derivations) are the list items that start with a chip.
            let derivations = if page <= 1 { st.derivations.len().min(chips) } else { 0 };
            let listed = s.matches("<li><span class=\"chip").count() - derivations;
            let want = st.articles.len().saturating_sub((page.max(1) - 1) * per_page.max(1));
            proptest::prop_assert_eq!(listed, want.min(per_page.max(1)));
            proptest::prop_assert!(s.ends_with("</section>\n"));
        }
    }

    /// Writes the sample page to /tmp/synth-report.html (run with --ignored to look at it).
    #[test]
    #[ignore]
    fn write_sample_page() {
        std::fs::write("/tmp/synth-report.html", render(&sample())).expect("write");
    }

    /// Renders the seed articles (crude ". " sentence split) to /tmp/synth-seeds.{html,md}.
    #[test]
    #[ignore]
    fn write_seed_pages() {
        use crate::pipeline::{Batch, PipelineConfig};
        use crate::record::{Article, Sentence, Span};
        let dir = std::path::Path::new("/work/shared/seeds");
        let mut paths: Vec<_> =
            std::fs::read_dir(dir).expect("seeds").flatten().map(|e| e.path()).collect();
        paths.sort();
        let articles: Vec<Article> = paths
            .iter()
            .map(|p| {
                let id = p.file_stem().and_then(|s| s.to_str()).unwrap_or("x").to_string();
                Article::new(id, std::fs::read_to_string(p).unwrap_or_default())
            })
            .collect();
        let mut batch = Batch::build(articles, &PipelineConfig::default());
        for (r, an) in batch.repaired.iter().zip(batch.analyzed.iter_mut()) {
            let mut out = Vec::new();
            for s in &an.sentences {
                let text = s.span.slice(&r.text);
                let mut start = 0;
                for (i, _) in text.match_indices(". ") {
                    out.push(Sentence {
                        span: Span::new(s.span.start + start, s.span.start + i + 1),
                        paragraph: s.paragraph,
                    });
                    start = i + 2;
                }
                out.push(Sentence {
                    span: Span::new(s.span.start + start, s.span.end),
                    paragraph: s.paragraph,
                });
            }
            an.sentences = out;
        }
        let t = std::time::Instant::now();
        let report = crate::pipeline::report(&batch);
        println!("seeds synthesized in {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
        std::fs::write("/tmp/synth-seeds.html", render(&report)).expect("write");
        std::fs::write("/tmp/synth-seeds.md", crate::render::markdown::render(&report))
            .expect("write");
    }
}
