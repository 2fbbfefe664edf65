//! Markdown report, for a terminal or a chat: per story its headline, outlets by origin
//! group, independent sources, a summary with citations, facts with support, conflicts,
//! quotes with their wordings, the timeline, top entities and each article's repairs.
//! Text from articles is flattened to one line and its Markdown punctuation escaped.
//!
//! A story of thousands of copies is cut by the same [`Limits`] as the HTML page (the
//! type is shared as is): article lists stop with "… and K more", origin groups, derivations,
//! quotes, wordings, conflict sides and sentences are capped, members past one page are
//! counted, and stories past [`Limits::stories`] are one line each. Nothing is cut under
//! [`Limits::UNLIMITED`], nor for a report no list of which exceeds its limit.

use std::collections::HashMap;
use std::fmt::Write;

use super::Limits;
use crate::report::{ArticleReport, QuoteReport, Report, StoryReport, Support, TimelineEntry};

/// Most entities listed per story.
const TOP_ENTITIES: usize = 12;

/// Escapes Markdown punctuation and flattens line breaks.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// The first `max` of `items` (already escaped), joined, then "… and K more" when some
/// were cut. Items past `max` are never made (`items` is lazy).
fn list(items: impl ExactSizeIterator<Item = String>, max: usize) -> String {
    let total = items.len();
    let mut out: Vec<String> = items.take(max).collect();
    if total > out.len() {
        out.push(format!("… and {} more", total - out.len()));
    }
    out.join(", ")
}

/// Article ids as a citation, at most `max` of them.
fn cite(ids: &[String], max: usize) -> String {
    format!("[{}]", list(ids.iter().map(|i| escape(i)), max))
}

/// "… and K more WHAT" as a list item indented by `indent`, after a list cut to `shown` of
/// `total` (nothing when nothing was cut).
fn and_more(s: &mut String, indent: &str, total: usize, shown: usize, what: &str) {
    if total > shown {
        let _ = writeln!(s, "{indent}- … and {} more {what}", total - shown);
    }
}

fn support_ids(support: &[Support]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for s in support {
        if !ids.contains(&s.article) {
            ids.push(s.article.clone());
        }
    }
    ids
}

/// Renders the report as Markdown with the compact [`Limits::default`].
pub fn render(report: &Report) -> String {
    render_with(report, &Limits::default())
}

/// The notice at the top of a stories-only report.
const STORIES_ONLY_NOTE: &str = "> **Stories-only triage run** (`chorus run --stories-only`): \
stories, origins, derivations and entities only; no facts, conflicts, quotes, timeline or \
summary were computed.";

/// Renders the report as Markdown: the first [`Limits::stories`] stories in full, their
/// lists cut by `limits`, the others one line each at the end.
pub fn render_with(report: &Report, limits: &Limits) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "_chorus: {} articles, {} stories_\n",
        report.articles.len(),
        report.stories.len()
    );
    if report.stories_only {
        s.push_str(STORIES_ONLY_NOTE);
        s.push_str("\n\n");
    }
    // The first report of an id wins, as a search from the front would find it.
    let mut articles: HashMap<&str, &ArticleReport> = HashMap::with_capacity(report.articles.len());
    for a in &report.articles {
        articles.entry(a.id.as_str()).or_insert(a);
    }
    let full = report.stories.len().min(limits.stories);
    for st in &report.stories[..full] {
        story(&mut s, &articles, st, limits);
    }
    story_index(&mut s, &report.stories[full..]);
    s
}

/// The stories not rendered in full, one line each (nothing when there are none).
fn story_index(s: &mut String, rest: &[StoryReport]) {
    if rest.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "# {} more stories\n\nIn short (`chorus run --format md --all` renders every story in \
         full, as does the JSON report):\n",
        rest.len()
    );
    for st in rest {
        let _ = writeln!(
            s,
            "- {} — `{}` · {} articles · {} independent sources · {} facts · {} conflicts",
            escape(&st.headline),
            st.id.replace('`', "'"),
            st.articles.len(),
            st.independent_sources,
            st.facts.len(),
            st.conflicts.len()
        );
    }
    s.push('\n');
}

fn outlet(a: Option<&ArticleReport>, id: &str) -> String {
    match a.and_then(|a| a.source.clone().or_else(|| a.url.clone())) {
        Some(o) => format!("{} ({})", escape(id), escape(&o)),
        None => escape(id),
    }
}

fn story(
    s: &mut String,
    articles: &HashMap<&str, &ArticleReport>,
    st: &StoryReport,
    limits: &Limits,
) {
    let find = |id: &str| articles.get(id).copied();
    let _ = writeln!(s, "# {}\n", escape(&st.headline));
    let _ = writeln!(
        s,
        "Story `{}` · {} articles · **{} independent sources**\n",
        st.id.replace('`', "'"),
        st.articles.len(),
        st.independent_sources
    );
    let _ = writeln!(s, "## Outlets");
    for (k, g) in st.origin_groups.iter().take(limits.origins).enumerate() {
        let names = list(g.iter().map(|id| outlet(find(id), id)), limits.chips);
        let _ = writeln!(s, "- origin {}: {names}", k + 1);
    }
    and_more(s, "", st.origin_groups.len(), limits.origins, "origins");
    for d in st.derivations.iter().take(limits.derivations) {
        let _ = writeln!(
            s,
            "  - {} ← {} ({}, {:.2})",
            escape(&d.article),
            escape(&d.from),
            d.kind,
            d.score
        );
    }
    and_more(s, "  ", st.derivations.len(), limits.derivations, "derivations");
    if !st.summary.is_empty() {
        let _ = writeln!(s, "\n## Summary");
        for l in &st.summary {
            let _ = writeln!(s, "- {} {}", escape(&l.text), cite(&l.support, limits.chips));
        }
    }
    facts(s, st, limits);
    conflicts(s, st, limits);
    quotes(s, st, limits);
    if !st.timeline.is_empty() {
        let _ = writeln!(s, "\n## Timeline");
        timeline(s, st.timeline.iter().filter(|e| !e.background), limits);
        if st.timeline.iter().any(|e| e.background) {
            let _ = writeln!(s, "\n### Background");
            timeline(s, st.timeline.iter().filter(|e| e.background), limits);
        }
    }
    if !st.entities.is_empty() {
        let _ = writeln!(s, "\n## Entities");
        for e in st.entities.iter().take(TOP_ENTITIES.min(limits.entities)) {
            let aliases = if e.aliases.is_empty() {
                String::new()
            } else {
                format!(" (also {})", escape(&e.aliases.join(", ")))
            };
            let _ = writeln!(
                s,
                "- {} — {}, {} in {}{}",
                escape(&e.name),
                e.kind,
                counted(e.mentions, "mention"),
                counted(e.articles.len(), "article"),
                aliases
            );
        }
    }
    let _ = writeln!(s, "\n## Articles");
    for id in st.articles.iter().take(limits.members_per_page) {
        let a = find(id);
        let n = a.map_or(0, |a| a.repairs.len());
        let date = a.and_then(|a| a.published.clone()).unwrap_or_else(|| "undated".into());
        let _ = writeln!(s, "- {} — {}, {}", outlet(a, id), escape(&date), counted(n, "repair"));
    }
    and_more(s, "", st.articles.len(), limits.members_per_page, "articles");
    s.push('\n');
}

/// Timeline entries, one line each: the date as a reader sees it, a scheduled or disputed
/// mark, the sentence and its articles.
fn timeline<'a>(s: &mut String, entries: impl Iterator<Item = &'a TimelineEntry>, limits: &Limits) {
    for e in entries {
        let disputed = e
            .conflict
            .as_ref()
            .map_or_else(String::new, |t| format!(" _(date disputed: {})_", escape(t)));
        let scheduled = if e.scheduled { " _(scheduled)_" } else { "" };
        let _ = writeln!(
            s,
            "- **{}**{scheduled} {} {}{disputed}",
            escape(&super::timeline_date(&e.date)),
            escape(&e.text),
            cite(&e.articles, limits.chips)
        );
    }
}

fn facts(s: &mut String, st: &StoryReport, limits: &Limits) {
    if st.facts.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n## Facts");
    for f in &st.facts {
        let ids = support_ids(&f.support);
        let _ = writeln!(
            s,
            "- {}{} — {} independent / {} articles {}",
            escape(&f.text),
            f.language.as_deref().map_or(String::new(), |l| format!(" [{}]", escape(l))),
            f.independent_support,
            ids.len(),
            cite(&ids, limits.chips)
        );
    }
}

fn conflicts(s: &mut String, st: &StoryReport, limits: &Limits) {
    if st.conflicts.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n## Conflicts");
    for c in &st.conflicts {
        let kind = if c.update { " (update)" } else { "" };
        let _ = writeln!(s, "- **{}**{}", escape(&c.topic), kind);
        for side in c.sides.iter().take(limits.sides) {
            let ids = support_ids(&side.support);
            let _ = writeln!(s, "  - {} {}", escape(&side.value), cite(&ids, limits.chips));
            for sup in side.support.iter().take(limits.sentences) {
                let _ = writeln!(s, "    - {}: “{}”", escape(&sup.article), escape(&sup.sentence));
            }
            and_more(s, "    ", side.support.len(), limits.sentences, "sentences");
        }
        and_more(s, "  ", c.sides.len(), limits.sides, "sides");
    }
}

fn quotes(s: &mut String, st: &StoryReport, limits: &Limits) {
    if st.quotes.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n## Quotes");
    for q in st.quotes.iter().take(limits.quotes) {
        let who = q.speaker.as_deref().map_or_else(|| "unattributed".to_string(), escape);
        let _ = writeln!(s, "- **{}**: “{}”", who, escape(&q.text));
        if q.variants.len() <= limits.wordings {
            for v in &q.variants {
                let flag = if v.meaning_changed { " _(meaning differs)_" } else { "" };
                let kind = kind(v.translation.as_deref(), v.paraphrase, v.gap);
                let _ =
                    writeln!(s, "  - {}: “{}”{kind}{flag}", escape(&v.article), escape(&v.text));
            }
        } else {
            wordings(s, q, limits);
        }
    }
    and_more(s, "", st.quotes.len(), limits.quotes, "quotes");
}

/// " _(translation, LANG)_" for a translated wording, " _(paraphrase)_" for one in other
/// words, " _(text missing)_" (alone or after either) where text was cut out, else nothing.
fn kind(lang: Option<&str>, paraphrase: bool, gap: bool) -> String {
    super::kind_label(lang, paraphrase, gap)
        .map_or_else(String::new, |k| format!(" _({})_", escape(&k)))
}

/// The variants of a quote with more of them than [`Limits::wordings`], one line per
/// distinct wording (copies repeat a wording word for word) with its articles, at most
/// [`Limits::wordings`] lines, then "… and K more wordings".
fn wordings(s: &mut String, q: &QuoteReport, limits: &Limits) {
    let wordings = super::wordings(&q.variants);
    for w in wordings.iter().take(limits.wordings) {
        let flag = if w.changed { " _(meaning differs)_" } else { "" };
        let kind = kind(w.lang, w.paraphrase, w.gap);
        let _ = writeln!(
            s,
            "  - {}: “{}”{kind}{flag}",
            list(w.ids.iter().map(|i| escape(i)), limits.chips),
            escape(w.text)
        );
    }
    and_more(s, "  ", wordings.len(), limits.wordings, "wordings");
}

/// `n` and `noun`, plural unless `n` is 1 ("1 mention", "4 mentions").
fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::html::tests::{sample, two_stories, with_copies};

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(counted(1, "mention"), "1 mention");
        assert_eq!(counted(0, "article"), "0 articles");
        assert_eq!(counted(4, "article"), "4 articles");
    }

    #[test]
    fn renders_every_section() {
        let md = render(&sample());
        for want in [
            "# Rebels take the capital",
            "**2 independent sources**",
            "## Summary",
            "## Facts",
            "## Conflicts",
            "number of people killed",
            "## Quotes",
            "**Dmitry Peskov**",
            "## Timeline",
            "**8 December (year not stated)**",
            "**2025-01-10** _(scheduled)_ Talks will open",
            "### Background\n- **2011** The war began in 2011.",
            "_(date disputed: date of entered)_",
            "## Entities",
            "a1 (Daily \\<Planet\\>) — 2024-12-09, 1 repair",
            "origin 1: a1 (Daily \\<Planet\\>), a2",
        ] {
            assert!(md.contains(want), "missing {want:?} in\n{md}");
        }
        assert!(!md.contains("<script>"));
    }

    /// A stories-only report says so once at the top, in Markdown and in HTML; a full one
    /// says nothing of it.
    #[test]
    fn a_stories_only_report_says_so_once() {
        let mut report = two_stories();
        for st in &mut report.stories {
            (st.facts, st.conflicts, st.quotes) = (vec![], vec![], vec![]);
            (st.timeline, st.summary) = (vec![], vec![]);
        }
        let full = report.clone();
        report.stories_only = true;
        let md = render(&report);
        assert_eq!(md.matches("Stories-only triage run").count(), 1, "{md}");
        assert!(md.find("Stories-only") < md.find("# Rebels take the capital"), "{md}");
        assert!(!render(&full).contains("Stories-only"));
        let html = crate::render::html::render(&report);
        assert_eq!(html.matches("Stories-only triage run").count(), 1);
        assert!(html.find("Stories-only") < html.find("<h2>Rebels take the capital"));
        assert!(!crate::render::html::render(&full).contains("Stories-only"));
    }

    /// The whole Markdown of a fixed report: any change to the layout shows up as a diff
    /// to review (`INSTA_UPDATE=always cargo test` rewrites it once the change is right).
    #[test]
    fn markdown_snapshot() {
        insta::assert_snapshot!(render(&sample()));
    }

    /// A story of 250 copies: every list that grows with the copies stops with the right
    /// "… and K more"; unlimited lists every article and cuts nothing.
    #[test]
    fn a_story_of_copies_is_cut_with_counts() {
        let report = with_copies(250);
        let md = render(&report);
        for (want, count) in [
            // Origin 1 is a1, a2 and the 250 copies: 10 listed.
            ("- origin 1: a1 (Daily \\<Planet\\>), a2, c0 (https://copies.test/0), ", 1),
            (", c7 (https://copies.test/7), … and 242 more\n", 1),
            // The fact is stated by a1, a3 and the copies: 252 articles, 10 cited.
            ("— 2 independent / 252 articles [a1, a3, c0, c1, c2, c3, c4, c5, c6, c7, … and 242 more]", 1),
            // 253 members, 100 listed.
            ("- c96 (https://copies.test/96) — undated, 0 repairs\n- … and 153 more articles\n", 1),
            // The copies repeat a1's wording: one line for it, with its 251 articles.
            ("  - a1, c0, c1, c2, c3, c4, c5, c6, c7, c8, … and 241 more: “It was his decision", 1),
            ("… and", 4),
        ] {
            assert_eq!(md.matches(want).count(), count, "{want:?} in\n{md}");
        }
        assert!(!md.contains("c97 (") && !md.contains("c10,"), "past the limits:\n{md}");

        let all = render_with(&report, &Limits::UNLIMITED);
        assert!(!all.contains("… and"), "nothing is cut");
        for a in &report.articles {
            assert!(all.contains(&format!("\n- {} ", escape(&a.id))), "{} not listed", a.id);
        }
        assert_eq!(all.matches("“It was his decision").count(), md.matches("It was").count() + 250);
    }

    /// Stories, quotes, sides and sentences past their limits are counted, not shown; a
    /// report within the limits renders as under [`Limits::UNLIMITED`].
    #[test]
    fn stories_quotes_and_sides_past_the_limits_are_counted() {
        let report = two_stories();
        assert_eq!(render(&report), render_with(&report, &Limits::UNLIMITED));
        let limits = Limits { stories: 1, quotes: 0, sides: 1, sentences: 0, ..Limits::COMPACT };
        let md = render_with(&report, &limits);
        for want in [
            "\n- … and 1 more quotes\n",
            "\n  - … and 1 more sides\n",
            "\n    - … and 1 more sentences\n",
            "# 1 more stories\n",
            "\n- Second \\<story\\> — `s2` · 3 articles · 2 independent sources · 1 facts · 1 conflicts\n",
        ] {
            assert!(md.contains(want), "missing {want:?} in\n{md}");
        }
        assert_eq!(md.matches("\n# ").count(), 2, "one story in full, then the index");
        assert!(!md.contains("It was his decision"));
    }

    proptest::proptest! {
        /// Any limits and any number of copies: no panic, every "… and K more" has K ≥ 1,
        /// at most `members_per_page` members are listed, and limits at least as large as
        /// every list render exactly what [`Limits::UNLIMITED`] renders.
        #[test]
        fn any_limits_render(
            chips in 0usize..4, sentences in 0usize..4, wordings in 0usize..3,
            per_page in 0usize..7, origins in 0usize..4, copies in 0usize..12,
        ) {
            let report = with_copies(copies);
            let limits = Limits {
                chips, sentences, wordings, members_per_page: per_page, origins,
                derivations: chips, matrix_columns: origins, entities: wordings,
                quotes: wordings, sides: sentences, stories: chips,
            };
            let md = render_with(&report, &limits);
            proptest::prop_assert!(!md.contains("… and 0 "));
            let members = md.matches(" repairs\n").count();
            proptest::prop_assert!(members <= per_page);
            let big = Limits { members_per_page: 1000, ..Limits::COMPACT };
            let big = Limits { chips: 1000, wordings: 1000, ..big };
            proptest::prop_assert_eq!(
                render_with(&report, &big), render_with(&report, &Limits::UNLIMITED)
            );
        }
    }
}
