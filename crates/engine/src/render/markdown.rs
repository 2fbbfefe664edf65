//! Markdown report, for a terminal or a chat: per story its headline, outlets by origin
//! group, independent sources, a summary with citations, facts with support, conflicts,
//! quotes with their wordings, the timeline, top entities and each article's repairs.
//! Text from articles is flattened to one line and its Markdown punctuation escaped.

use std::fmt::Write;

use crate::report::{ArticleReport, Report, StoryReport, Support, TimelineEntry};

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

fn cite(ids: &[String]) -> String {
    let ids: Vec<String> = ids.iter().map(|i| escape(i)).collect();
    format!("[{}]", ids.join(", "))
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

/// Renders the report as Markdown.
pub fn render(report: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "_chorus: {} articles, {} stories_\n",
        report.articles.len(),
        report.stories.len()
    );
    for st in &report.stories {
        story(&mut s, report, st);
    }
    s
}

fn outlet(a: Option<&ArticleReport>, id: &str) -> String {
    match a.and_then(|a| a.source.clone().or_else(|| a.url.clone())) {
        Some(o) => format!("{} ({})", escape(id), escape(&o)),
        None => escape(id),
    }
}

fn story(s: &mut String, report: &Report, st: &StoryReport) {
    let find = |id: &str| report.articles.iter().find(|a| a.id == id);
    let _ = writeln!(s, "# {}\n", escape(&st.headline));
    let _ = writeln!(
        s,
        "Story `{}` · {} articles · **{} independent sources**\n",
        st.id.replace('`', "'"),
        st.articles.len(),
        st.independent_sources
    );
    let _ = writeln!(s, "## Outlets");
    for (k, g) in st.origin_groups.iter().enumerate() {
        let names: Vec<String> = g.iter().map(|id| outlet(find(id), id)).collect();
        let _ = writeln!(s, "- origin {}: {}", k + 1, names.join(", "));
    }
    for d in &st.derivations {
        let _ = writeln!(
            s,
            "  - {} ← {} ({}, {:.2})",
            escape(&d.article),
            escape(&d.from),
            d.kind,
            d.score
        );
    }
    if !st.summary.is_empty() {
        let _ = writeln!(s, "\n## Summary");
        for l in &st.summary {
            let _ = writeln!(s, "- {} {}", escape(&l.text), cite(&l.support));
        }
    }
    facts(s, st);
    conflicts(s, st);
    quotes(s, st);
    if !st.timeline.is_empty() {
        let _ = writeln!(s, "\n## Timeline");
        timeline(s, st.timeline.iter().filter(|e| !e.background));
        if st.timeline.iter().any(|e| e.background) {
            let _ = writeln!(s, "\n### Background");
            timeline(s, st.timeline.iter().filter(|e| e.background));
        }
    }
    if !st.entities.is_empty() {
        let _ = writeln!(s, "\n## Entities");
        for e in st.entities.iter().take(TOP_ENTITIES) {
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
    for id in &st.articles {
        let a = find(id);
        let n = a.map_or(0, |a| a.repairs.len());
        let date = a.and_then(|a| a.published.clone()).unwrap_or_else(|| "undated".into());
        let _ = writeln!(s, "- {} — {}, {} repairs", outlet(a, id), escape(&date), n);
    }
    s.push('\n');
}

/// Timeline entries, one line each: the date as a reader sees it, a scheduled or disputed
/// mark, the sentence and its articles.
fn timeline<'a>(s: &mut String, entries: impl Iterator<Item = &'a TimelineEntry>) {
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
            cite(&e.articles)
        );
    }
}

fn facts(s: &mut String, st: &StoryReport) {
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
            cite(&ids)
        );
    }
}

fn conflicts(s: &mut String, st: &StoryReport) {
    if st.conflicts.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n## Conflicts");
    for c in &st.conflicts {
        let kind = if c.update { " (update)" } else { "" };
        let _ = writeln!(s, "- **{}**{}", escape(&c.topic), kind);
        for side in &c.sides {
            let _ =
                writeln!(s, "  - {} {}", escape(&side.value), cite(&support_ids(&side.support)));
            for sup in &side.support {
                let _ = writeln!(s, "    - {}: “{}”", escape(&sup.article), escape(&sup.sentence));
            }
        }
    }
}

fn quotes(s: &mut String, st: &StoryReport) {
    if st.quotes.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n## Quotes");
    for q in &st.quotes {
        let who = q.speaker.as_deref().map_or_else(|| "unattributed".to_string(), escape);
        let _ = writeln!(s, "- **{}**: “{}”", who, escape(&q.text));
        for v in &q.variants {
            let flag = if v.meaning_changed { " _(meaning differs)_" } else { "" };
            let lang = v.translation.as_deref().map(|l| format!(" _(translation, {})_", escape(l)));
            let lang = lang.unwrap_or_default();
            let _ = writeln!(s, "  - {}: “{}”{lang}{flag}", escape(&v.article), escape(&v.text));
        }
    }
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
    use crate::render::html::tests::sample;

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
            "a1 (Daily \\<Planet\\>) — 2024-12-09, 1 repairs",
            "origin 1: a1 (Daily \\<Planet\\>), a2",
        ] {
            assert!(md.contains(want), "missing {want:?} in\n{md}");
        }
        assert!(!md.contains("<script>"));
    }

    /// The whole Markdown of a fixed report: any change to the layout shows up as a diff
    /// to review (`INSTA_UPDATE=always cargo test` rewrites it once the change is right).
    #[test]
    fn markdown_snapshot() {
        insta::assert_snapshot!(render(&sample()));
    }
}
