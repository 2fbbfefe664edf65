//! The UI's story page, made for stories of thousands of copies. A wire story picked up by
//! 2,000 sites used to give a 17 MB page (every member listed in its origin group, in every
//! fact's chips and support list, in every quote's wordings, and as a column of the outlet ×
//! fact matrix) that took a second to make. Here every list that grows with the copies is
//! cut: an origin group is one row (its size, its first article, a link to its members),
//! chips show one article per origin first and then "+K more", support sentences and quote
//! wordings (grouped by wording) stop after a few with "…and K more", the matrix has one
//! column per origin group, and the member list is paged (`?page=N`, [`MEMBERS_PER_PAGE`]
//! each; page 1 is the whole story, later pages only its members). Facts, conflicts,
//! quotes and the timeline stay complete. Built from the stored report as is; only the
//! article reports of the members shown are read ([`needed_articles`]).

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use chorus_engine::render::timeline_date;
use chorus_engine::report::{ArticleReport, StoryReport, Support};

use super::{encode, escape};

/// Members listed per page.
pub const MEMBERS_PER_PAGE: usize = 100;
/// Origin groups listed in "Outlets by origin".
const GROUPS_SHOWN: usize = 100;
/// Article chips shown per list before "+K more".
const CHIPS: usize = 10;
/// Supporting sentences shown per fact or conflict side.
const SENTENCES: usize = 10;
/// Distinct wordings shown per quote.
const WORDINGS: usize = 20;
/// Derivation edges listed.
const DERIVATIONS: usize = 25;
/// Origin groups given a column in the outlet × fact matrix.
const MATRIX_COLUMNS: usize = 40;
/// Entities listed.
const TOP_ENTITIES: usize = 15;
/// Distinct origin-group colours of the report stylesheet (`.g0` … `.g7`).
const COLOURS: usize = 8;

/// How many pages the story's member list takes (at least 1).
pub fn pages(story: &StoryReport) -> usize {
    story.articles.len().div_ceil(MEMBERS_PER_PAGE).max(1)
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

/// The ids whose article reports page `page` shows (its members, and on page 1 the first
/// article of each origin group listed); `None` when the story has no such page.
pub fn needed_articles(story: &StoryReport, page: usize) -> Option<Vec<String>> {
    if page == 0 || page > pages(story) {
        return None;
    }
    let all = members(story);
    let start = (page - 1) * MEMBERS_PER_PAGE;
    let mut ids: Vec<&str> =
        all.iter().skip(start).take(MEMBERS_PER_PAGE).map(|(id, _)| *id).collect();
    if page == 1 {
        let mut seen: HashSet<&str> = ids.iter().copied().collect();
        for g in story.origin_groups.iter().take(GROUPS_SHOWN) {
            if let Some(first) = g.first().filter(|f| seen.insert(f)) {
                ids.push(first);
            }
        }
    }
    Some(ids.into_iter().map(str::to_string).collect())
}

/// The story's view for rendering: groups and article reports by id.
struct View<'a> {
    st: &'a StoryReport,
    members: Vec<(&'a str, Option<usize>)>,
    group: HashMap<&'a str, usize>,
    reports: HashMap<&'a str, &'a ArticleReport>,
}

impl<'a> View<'a> {
    fn new(st: &'a StoryReport, articles: &'a [ArticleReport]) -> View<'a> {
        let members = members(st);
        let group = members.iter().filter_map(|(id, g)| g.map(|g| (*id, g))).collect();
        let reports = articles.iter().map(|a| (a.id.as_str(), a)).collect();
        View { st, members, group, reports }
    }

    fn colour(&self, id: &str) -> String {
        self.group.get(id).map_or_else(|| "gx".to_string(), |g| format!("g{}", g % COLOURS))
    }

    fn outlet(&self, id: &str) -> Option<&str> {
        self.reports.get(id).and_then(|a| a.source.as_deref())
    }

    /// A link to an article, coloured by its origin group.
    fn chip(&self, id: &str) -> String {
        let origin = self.group.get(id).map_or(String::new(), |g| format!(" · origin {}", g + 1));
        let title = match self.outlet(id) {
            Some(o) => format!("{id} — {o}{origin}"),
            None => format!("{id}{origin}"),
        };
        format!(
            "<a class=\"chip {}\" href=\"/articles/{}\" title=\"{}\">{}</a>",
            self.colour(id),
            encode(id),
            escape(&title),
            escape(id)
        )
    }

    /// Chips of the distinct `ids`: one per origin group first (so a fact told by 2,000
    /// copies of one wire story and by two reporters shows all three origins), then the
    /// others, at most [`CHIPS`], then "+K more".
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
        let mut out: String =
            first.into_iter().chain(rest).take(CHIPS).map(|id| self.chip(id)).collect();
        if total > CHIPS {
            let _ = write!(out, " <span class=\"meta\">+{} more</span>", total - CHIPS);
        }
        out
    }

    /// The page of story member `index` (in [`members`] order).
    fn page_of(&self, index: usize) -> usize {
        index / MEMBERS_PER_PAGE + 1
    }

    fn href(&self, page: usize) -> String {
        let id = encode(&self.st.id);
        if page <= 1 {
            format!("/stories/{id}")
        } else {
            format!("/stories/{id}?page={page}")
        }
    }
}

/// "…and K more" after a cut list (nothing when nothing was cut).
fn and_more(s: &mut String, total: usize, shown: usize, what: &str) {
    if total > shown {
        let _ = write!(s, "<div class=\"meta more\">…and {} more {what}</div>", total - shown);
    }
}

/// The body of page `page` of `story` (inside the UI frame): page 1 is the whole story with
/// its first members, later pages list members only. `articles` are the reports of
/// [`needed_articles`]. The caller checks that the page exists.
pub fn story_body(story: &StoryReport, articles: &[ArticleReport], page: usize) -> String {
    let v = View::new(story, articles);
    let mut s = String::with_capacity(64 * 1024);
    if page <= 1 {
        header(&v, &mut s, false);
        outlets(&v, &mut s);
        summary(&v, &mut s);
        timeline(&v, &mut s);
        quotes(&v, &mut s);
        facts(&v, &mut s);
        matrix(&v, &mut s);
        conflicts(&v, &mut s);
        entities(&v, &mut s);
    } else {
        header(&v, &mut s, true);
    }
    member_list(&v, &mut s, page.max(1));
    s.push_str("</section>\n");
    s
}

fn header(v: &View<'_>, s: &mut String, linked: bool) {
    let st = v.st;
    let headline = if linked {
        format!("<a href=\"{}\">{}</a>", v.href(1), escape(&st.headline))
    } else {
        escape(&st.headline)
    };
    let _ = writeln!(
        s,
        "<section class=\"story\"><h2>{headline}</h2><div class=\"meta\">{} articles · \
         <span class=\"big\">{} independent sources</span> · story <code>{}</code></div>",
        st.articles.len(),
        st.independent_sources,
        escape(&st.id)
    );
}

fn outlets(v: &View<'_>, s: &mut String) {
    let groups = &v.st.origin_groups;
    s.push_str("<h3>Outlets by origin</h3><table class=\"origins\">");
    s.push_str("<tr><th>origin</th><th>articles</th><th>first article</th></tr>");
    let mut at = 0;
    for (g, ids) in groups.iter().enumerate().take(GROUPS_SHOWN) {
        let start = at;
        at += ids.len();
        let Some(first) = ids.first() else { continue };
        let _ = write!(
            s,
            "<tr><td><span class=\"chip g{}\">origin {}</span></td><td class=\"n\">{}</td><td>{} {}",
            g % COLOURS,
            g + 1,
            ids.len(),
            v.chip(first),
            escape(v.outlet(first).unwrap_or(""))
        );
        if ids.len() > 1 {
            let _ = write!(
                s,
                " <a href=\"{}#origin-{}\">all {} articles</a>",
                v.href(v.page_of(start)),
                g + 1,
                ids.len()
            );
        }
        s.push_str("</td></tr>");
    }
    s.push_str("</table>");
    if groups.len() > GROUPS_SHOWN {
        // `at` is where the first origin not listed starts among the members.
        let _ = write!(
            s,
            "<div class=\"meta more\">…and {} more origins (<a href=\"{}#origin-{}\">their articles</a>)</div>",
            groups.len() - GROUPS_SHOWN,
            v.href(v.page_of(at)),
            GROUPS_SHOWN + 1
        );
    }
    let derivations = &v.st.derivations;
    if !derivations.is_empty() {
        let _ = write!(
            s,
            "<details><summary>Derivations ({})</summary><ul class=\"plain\">",
            derivations.len()
        );
        for d in derivations.iter().take(DERIVATIONS) {
            let _ = write!(
                s,
                "<li>{} derives from {} <span class=\"kind\">{} {:.2}</span>",
                v.chip(&d.article),
                v.chip(&d.from),
                escape(&d.kind),
                d.score
            );
            if let Some(e) = d.evidence.first() {
                let _ = write!(s, "<div class=\"sentence\">“{}”</div>", escape(e));
            }
            s.push_str("</li>");
        }
        s.push_str("</ul>");
        and_more(s, derivations.len(), DERIVATIONS.min(derivations.len()), "derivations");
        s.push_str("</details>");
    }
    s.push('\n');
}

fn summary(v: &View<'_>, s: &mut String) {
    s.push_str("<h3>Summary</h3>");
    if v.st.summary.is_empty() {
        s.push_str("<p class=\"empty\">No fact is supported by two articles.</p>\n");
        return;
    }
    s.push_str("<ul class=\"plain\">");
    for l in &v.st.summary {
        let chips = v.chips(l.support.iter().map(String::as_str));
        let _ = write!(s, "<li>{} {chips}</li>", escape(&l.text));
    }
    s.push_str("</ul>\n");
}

fn timeline(v: &View<'_>, s: &mut String) {
    let entries = &v.st.timeline;
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
                escape(&timeline_date(&e.date)),
                escape(&e.text),
                v.chips(e.articles.iter().map(String::as_str))
            );
        }
        s.push_str("</table>\n");
    }
}

fn quotes(v: &View<'_>, s: &mut String) {
    if v.st.quotes.is_empty() {
        return;
    }
    s.push_str("<h3>Quotes</h3><ul class=\"plain\">");
    for q in &v.st.quotes {
        let who = q.speaker.as_deref().unwrap_or("unattributed");
        let _ =
            write!(s, "<li><b>{}</b><blockquote>“{}”</blockquote>", escape(who), escape(&q.text));
        // Copies repeat a wording word for word: one box per wording, with its articles.
        // A translated wording carries its language ("translation, fr").
        let mut wordings: Vec<(&str, bool, Option<&str>, Vec<&str>)> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for w in &q.variants {
            let k = *index.entry(&w.text).or_insert_with(|| {
                wordings.push((&w.text, false, w.translation.as_deref(), Vec::new()));
                wordings.len() - 1
            });
            wordings[k].1 |= w.meaning_changed;
            wordings[k].3.push(&w.article);
        }
        if q.variants.len() > 1 {
            s.push_str("<div class=\"variants\">");
            for (text, changed, lang, ids) in wordings.iter().take(WORDINGS) {
                let (class, note) = if *changed {
                    (" changed", "<span class=\"flag\">meaning differs</span>")
                } else {
                    ("", "")
                };
                let count = if ids.len() > 1 {
                    format!(" <span class=\"meta\">{} articles</span>", ids.len())
                } else {
                    String::new()
                };
                let lang = lang
                    .map(|l| format!(" <span class=\"lang\">translation, {}</span>", escape(l)))
                    .unwrap_or_default();
                let _ = write!(
                    s,
                    "<div class=\"variant{class}\">{}{count}{lang}{note}<br>{}</div>",
                    v.chips(ids.iter().copied()),
                    escape(text)
                );
            }
            s.push_str("</div>");
            and_more(s, wordings.len(), WORDINGS.min(wordings.len()), "wordings");
        }
        s.push_str("</li>");
    }
    s.push_str("</ul>\n");
}

/// The supporting sentences, folded away: the first [`SENTENCES`], then "…and K more".
fn supports(s: &mut String, support: &[Support]) {
    if support.is_empty() {
        return;
    }
    let _ = write!(s, "<details><summary class=\"meta\">{} sentences</summary>", support.len());
    for x in support.iter().take(SENTENCES) {
        let _ = write!(
            s,
            "<div class=\"sentence\"><b>{}</b> [{}–{}] {}</div>",
            escape(&x.article),
            x.start,
            x.end,
            escape(&x.sentence)
        );
    }
    and_more(s, support.len(), SENTENCES.min(support.len()), "sentences");
    s.push_str("</details>");
}

fn facts(v: &View<'_>, s: &mut String) {
    if v.st.facts.is_empty() {
        return;
    }
    s.push_str("<h3>Facts</h3><ul class=\"plain\">");
    for f in &v.st.facts {
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
            v.chips(f.support.iter().map(|x| x.article.as_str()))
        );
        supports(s, &f.support);
        s.push_str("</li>");
    }
    s.push_str("</ul>\n");
}

/// The outlet × fact matrix with one column per origin group (copies of one origin stand
/// for one source): a cell holds how many of the group's articles state the fact.
fn matrix(v: &View<'_>, s: &mut String) {
    let st = v.st;
    if st.facts.is_empty() || st.articles.len() < 2 {
        return;
    }
    let columns = st.origin_groups.len().min(MATRIX_COLUMNS);
    s.push_str("<h3>Who reports what</h3><table class=\"matrix\"><tr><th>fact</th>");
    for (g, ids) in st.origin_groups.iter().take(columns).enumerate() {
        let first = ids.first().map_or("", String::as_str);
        let label = v.outlet(first).unwrap_or(first);
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
            if let Some(&g) = v.group.get(x.article.as_str()) {
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

fn conflicts(v: &View<'_>, s: &mut String) {
    if v.st.conflicts.is_empty() {
        return;
    }
    s.push_str("<h3>Conflicts</h3>");
    for c in &v.st.conflicts {
        let (class, note) =
            if c.update { ("conflict update", " (an update)") } else { ("conflict", "") };
        let _ = write!(s, "<div class=\"{class}\"><b>{}</b>{note}", escape(&c.topic));
        for side in &c.sides {
            let _ = write!(
                s,
                "<div class=\"side\"><span class=\"value\">{}</span>{}",
                escape(&side.value),
                v.chips(side.support.iter().map(|x| x.article.as_str()))
            );
            supports(s, &side.support);
            s.push_str("</div>");
        }
        s.push_str("</div>");
    }
    s.push('\n');
}

fn entities(v: &View<'_>, s: &mut String) {
    if v.st.entities.is_empty() {
        return;
    }
    s.push_str("<h3>Entities</h3><table><tr><th>name</th><th>kind</th><th>mentions</th><th>also written</th><th>articles</th></tr>");
    for e in v.st.entities.iter().take(TOP_ENTITIES) {
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=\"kind\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&e.name),
            escape(&e.kind),
            e.mentions,
            escape(&e.aliases.join(", ")),
            v.chips(e.articles.iter().map(String::as_str))
        );
    }
    s.push_str("</table>\n");
}

/// Page `page` of the members, origin group by origin group, each with its outlet, date
/// and repairs, then the pager.
fn member_list(v: &View<'_>, s: &mut String, page: usize) {
    let total = v.members.len();
    let start = (page - 1) * MEMBERS_PER_PAGE;
    let shown = &v.members[start.min(total)..(start + MEMBERS_PER_PAGE).min(total)];
    let _ = write!(
        s,
        "<h3 id=\"articles\">Articles</h3><div class=\"meta\">{}–{} of {total}</div>",
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
                    let size = v.st.origin_groups.get(*g).map_or(0, Vec::len);
                    let (anchor, cont) =
                        match k == 0 && start > 0 && v.members[start - 1].1 == Some(*g) {
                            true => (String::new(), " (continued)"),
                            false => (format!(" id=\"origin-{}\"", g + 1), ""),
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
        member(v, s, id);
    }
    if current.is_some() {
        s.push_str("</ul>");
    }
    pager(v, s, page);
}

fn member(v: &View<'_>, s: &mut String, id: &str) {
    let Some(a) = v.reports.get(id) else {
        let _ = write!(s, "<li>{}</li>", v.chip(id));
        return;
    };
    let _ = write!(
        s,
        "<li>{} <a href=\"/articles/{}\">{}</a> <span class=\"meta\">{} · {}</span>",
        v.chip(id),
        encode(id),
        escape(a.title.as_deref().unwrap_or(id)),
        escape(a.source.as_deref().unwrap_or("unknown outlet")),
        escape(a.published.as_deref().unwrap_or("undated"))
    );
    if !a.repairs.is_empty() {
        let _ = write!(s, "<details><summary class=\"meta\">{} repairs</summary>", a.repairs.len());
        chorus_engine::render::html::repairs_table(s, &a.repairs);
        s.push_str("</details>");
    }
    s.push_str("</li>");
}

fn pager(v: &View<'_>, s: &mut String, page: usize) {
    let last = pages(v.st);
    if last <= 1 {
        return;
    }
    s.push_str("<div class=\"pager\"><span>");
    if page > 1 {
        let _ = write!(s, "<a rel=\"prev\" href=\"{}#articles\">Prev</a>", v.href(page - 1));
    }
    let _ = write!(s, "</span><span class=\"meta\">page {page} of {last}</span><span>");
    if page < last {
        let _ = write!(s, "<a rel=\"next\" href=\"{}#articles\">Next</a>", v.href(page + 1));
    }
    s.push_str("</span></div>");
}

#[cfg(test)]
mod tests {
    use chorus_engine::report::{FactReport, QuoteReport, QuoteVariant, TimelineEntry};

    use super::*;

    /// A story of `copies` copies of one wire story (one origin group) and two independent
    /// reports, every copy stating the fact and repeating the quote word for word.
    fn wire_story(copies: usize) -> (StoryReport, Vec<ArticleReport>) {
        let wire: Vec<String> = (0..copies).map(|k| format!("w{k}")).collect();
        let mut ids = wire.clone();
        ids.extend(["r1".to_string(), "r2".to_string()]);
        let support = |id: &String| Support {
            article: id.clone(),
            sentence: "The ferry sank.".into(),
            start: 7,
            end: 22,
        };
        let variant = |id: &String, text: &str| QuoteVariant {
            article: id.clone(),
            text: text.into(),
            start: 30,
            end: 30 + text.len(),
            meaning_changed: false,
            translation: (text == "Nous reconstruirons").then(|| "fr".to_string()),
        };
        let mut variants: Vec<QuoteVariant> =
            wire.iter().map(|id| variant(id, "We <will> rebuild")).collect();
        variants.push(variant(&ids[copies], "We shall rebuild"));
        variants.push(variant(&ids[copies + 1], "Nous reconstruirons"));
        let story = StoryReport {
            id: "s 1".into(),
            headline: "Ferry sinks".into(),
            articles: ids.clone(),
            origin_groups: vec![wire.clone(), vec!["r1".into()], vec!["r2".into()]],
            independent_sources: 3,
            facts: vec![FactReport {
                text: "The ferry sank.".into(),
                support: ids.iter().map(support).collect(),
                independent_support: 3,
                language: None,
            }],
            quotes: vec![QuoteReport {
                speaker: Some("Mayor".into()),
                text: "We will rebuild".into(),
                variants,
            }],
            timeline: vec![TimelineEntry {
                date: "2024-05-01".into(),
                text: "The ferry sank on May 1.".into(),
                articles: ids.clone(),
                ..TimelineEntry::default()
            }],
            ..StoryReport::default()
        };
        let reports = ids
            .iter()
            .map(|id| ArticleReport {
                id: id.clone(),
                source: Some(format!("Outlet {id}")),
                title: Some(format!("Title {id}")),
                ..ArticleReport::default()
            })
            .collect();
        (story, reports)
    }

    fn page(story: &StoryReport, all: &[ArticleReport], page: usize) -> String {
        let ids = needed_articles(story, page).expect("the page exists");
        let shown: Vec<ArticleReport> =
            all.iter().filter(|a| ids.contains(&a.id)).cloned().collect();
        story_body(story, &shown, page)
    }

    #[test]
    fn a_story_of_thousands_of_copies_is_a_small_page() {
        let (story, all) = wire_story(2500);
        assert_eq!(pages(&story), 26);
        let ids = needed_articles(&story, 1).expect("page 1");
        assert_eq!(ids.len(), MEMBERS_PER_PAGE + 2, "the page's members and each group's first");
        let first = page(&story, &all, 1);
        assert!(first.len() < 100_000, "{} bytes", first.len());
        for want in [
            "2502 articles",
            "3 independent sources",
            "origin 1</span></td><td class=\"n\">2500</td>",
            "href=\"/stories/s%201#origin-1\"",
            "all 2500 articles",
            "+2492 more",
            "…and 2492 more sentences",
            "2500 articles</span><br>We &lt;will&gt; rebuild",
            "We shall rebuild",
            "<span class=\"lang\">translation, fr</span><br>Nous reconstruirons",
            "The ferry sank on May 1.",
            "<th class=\"col\" title=\"origin 1 · 2500 articles\">Outlet w0</th>",
            "<td class=\"cell g0\" title=\"The ferry sank.\">2500</td>",
            "[7–22] The ferry sank.",
            "1–100 of 2502",
            "href=\"/stories/s%201?page=2#articles\">Next",
            "href=\"/articles/w99\">Title w99</a>",
        ] {
            assert!(first.contains(want), "page 1 lacks {want:?}");
        }
        assert!(!first.contains("w100\""), "member 101 is on page 2");
        // The chips of the fact name each origin before more copies of the first.
        let fact = &first[first.find("<h3>Facts</h3>").expect("facts")..];
        let r1 = fact.find("href=\"/articles/r1\"").expect("r1 chip");
        assert!(r1 < fact.find("href=\"/articles/w1\"").expect("w1 chip"));
    }

    #[test]
    fn later_pages_list_members_only_and_the_last_stops() {
        let (story, all) = wire_story(2500);
        let second = page(&story, &all, 2);
        for want in [
            "101–200 of 2502",
            "origin 1</span> 2500 articles (continued)",
            "Title w100",
            "Title w199",
            "rel=\"prev\"",
            "rel=\"next\"",
        ] {
            assert!(second.contains(want), "page 2 lacks {want:?}");
        }
        assert!(!second.contains("<h3>Facts</h3>") && !second.contains("Title w99<"));
        let last = page(&story, &all, 26);
        for want in ["2501–2502 of 2502", "id=\"origin-2\"", "id=\"origin-3\"", "Title r2"] {
            assert!(last.contains(want), "the last page lacks {want:?}");
        }
        assert!(!last.contains("rel=\"next\""));
        assert_eq!(needed_articles(&story, 27), None);
        assert_eq!(needed_articles(&story, 0), None);
    }

    #[test]
    fn origins_past_the_listed_ones_are_linked_where_they_start() {
        let (mut story, all) = wire_story(150);
        // 150 copies in one group, then 120 single-article origins.
        let singles: Vec<String> = (0..120).map(|k| format!("x{k}")).collect();
        story.articles.extend(singles.iter().cloned());
        story.origin_groups.extend(singles.iter().map(|id| vec![id.clone()]));
        let first = page(&story, &all, 1);
        // 123 origins; origin 101 is the 98th single: member 150 + 2 + 98 = 250, on page 3.
        let more = "…and 23 more origins (<a href=\"/stories/s%201?page=3#origin-101\">";
        assert!(first.contains(more), "no link to the origins not listed");
        assert!(first.contains(">origin 100</span>") && !first.contains(">origin 101</span>"));
        let third = page(&story, &all, 3);
        assert!(third.contains("id=\"origin-101\""));
    }

    #[test]
    fn a_small_story_is_one_page_with_every_member() {
        let (story, all) = wire_story(3);
        assert_eq!(pages(&story), 1);
        let only = page(&story, &all, 1);
        for id in &story.articles {
            assert!(only.contains(&format!("Title {id}")), "{id}");
        }
        assert!(!only.contains("more") && !only.contains("rel=\"next\""));
        let empty = StoryReport { articles: Vec::new(), origin_groups: Vec::new(), ..story };
        assert_eq!(pages(&empty), 1);
        assert!(story_body(&empty, &[], 1).contains("0–0 of 0"));
    }
}
