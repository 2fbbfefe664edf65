//! HTML report: one self-contained page (inline CSS from `html.css`, no scripts, no
//! network) a person would rather read than JSON. Per story: headline, outlets by origin
//! group, a summary with citation chips, timeline, quotes with their wordings side by side,
//! facts with their outlets, an outlet × fact matrix shaded by origin group, conflicts,
//! derivation edges and each article's repairs (original → replacement).
//! Every piece of text from the report goes through [`escape`].

use std::fmt::Write;

use crate::report::{ArticleReport, RepairReport, Report, StoryReport, Support};

const CSS: &str = include_str!("html.css");
/// Number of distinct origin-group colours in the stylesheet (`.g0` … `.g7`).
const COLOURS: usize = 8;
/// Most entities listed per story.
const TOP_ENTITIES: usize = 15;

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
/// Shared with the server's story page.
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

/// Renders the report as one HTML page.
pub fn render(report: &Report) -> String {
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
    if report.stories.len() > 1 {
        s.push_str("<nav class=\"toc\">");
        for (k, st) in report.stories.iter().enumerate() {
            let _ = write!(s, "<a href=\"#story-{k}\">{}</a>", escape(&st.headline));
        }
        s.push_str("</nav>\n");
    }
    for (k, st) in report.stories.iter().enumerate() {
        Story { report, st }.render(&mut s, k);
    }
    s.push_str("</main></body></html>\n");
    s
}

struct Story<'a> {
    report: &'a Report,
    st: &'a StoryReport,
}

impl Story<'_> {
    fn article(&self, id: &str) -> Option<&ArticleReport> {
        self.report.articles.iter().find(|a| a.id == id)
    }

    fn group_of(&self, id: &str) -> Option<usize> {
        self.st.origin_groups.iter().position(|g| g.iter().any(|x| x == id))
    }

    fn class_of(&self, id: &str) -> String {
        self.group_of(id).map_or_else(|| "gx".to_string(), |g| format!("g{}", g % COLOURS))
    }

    fn outlet(&self, id: &str) -> String {
        self.article(id).and_then(|a| a.source.clone()).unwrap_or_else(|| id.to_string())
    }

    /// A chip naming an article, coloured by its origin group.
    fn chip(&self, id: &str) -> String {
        let o = self.outlet(id);
        let title = if o == id { escape(id) } else { format!("{} — {}", escape(id), escape(&o)) };
        format!(
            "<span class=\"chip {}\" title=\"{}\">{}</span>",
            self.class_of(id),
            title,
            escape(id)
        )
    }

    fn chips<'b>(&self, ids: impl IntoIterator<Item = &'b String>) -> String {
        let mut seen: Vec<&str> = Vec::new();
        let mut out = String::new();
        for id in ids {
            if !seen.contains(&id.as_str()) {
                seen.push(id);
                out.push_str(&self.chip(id));
            }
        }
        out
    }

    fn render(&self, s: &mut String, k: usize) {
        let st = self.st;
        let _ = write!(
            s,
            "<section class=\"story\" id=\"story-{k}\"><h2>{}</h2>",
            escape(&st.headline)
        );
        let _ = writeln!(
            s,
            "<div class=\"meta\">{} articles · <span class=\"big\">{} independent sources</span> · story <code>{}</code></div>",
            st.articles.len(),
            st.independent_sources,
            escape(&st.id)
        );
        self.outlets(s);
        self.summary(s);
        self.timeline(s);
        self.quotes(s);
        self.facts(s);
        self.matrix(s);
        self.conflicts(s);
        self.entities(s);
        self.articles(s);
        s.push_str("</section>\n");
    }

    fn outlets(&self, s: &mut String) {
        s.push_str("<h3>Outlets by origin</h3><div class=\"groups\">");
        for (g, ids) in self.st.origin_groups.iter().enumerate() {
            let _ = write!(s, "<div class=\"group g{}\"><b>origin {}</b>", g % COLOURS, g + 1);
            for id in ids {
                let _ = write!(
                    s,
                    "{} <span class=\"meta\">{}</span><br>",
                    escape(id),
                    escape(&self.outlet(id))
                );
            }
            s.push_str("</div>");
        }
        s.push_str("</div>\n");
        if !self.st.derivations.is_empty() {
            s.push_str("<details><summary>Derivations</summary><ul class=\"plain\">");
            for d in &self.st.derivations {
                let _ = write!(
                    s,
                    "<li>{} derives from {} <span class=\"kind\">{} {:.2}</span>",
                    self.chip(&d.article),
                    self.chip(&d.from),
                    escape(&d.kind),
                    d.score
                );
                for e in d.evidence.iter().take(3) {
                    let _ = write!(s, "<div class=\"sentence\">“{}”</div>", escape(e));
                }
                s.push_str("</li>");
            }
            s.push_str("</ul></details>\n");
        }
    }

    fn summary(&self, s: &mut String) {
        s.push_str("<h3>Summary</h3>");
        if self.st.summary.is_empty() {
            s.push_str("<p class=\"empty\">No fact is supported by two articles.</p>");
            return;
        }
        s.push_str("<ul class=\"plain\">");
        for l in &self.st.summary {
            let _ = write!(s, "<li>{} {}</li>", escape(&l.text), self.chips(&l.support));
        }
        s.push_str("</ul>\n");
    }

    fn timeline(&self, s: &mut String) {
        if self.st.timeline.is_empty() {
            return;
        }
        s.push_str("<h3>Timeline</h3>");
        self.timeline_table(s, false);
        if self.st.timeline.iter().any(|e| e.background) {
            s.push_str("<h4>Background</h4>");
            self.timeline_table(s, true);
        }
    }

    /// The timeline entries that are (or are not) background, as a table.
    fn timeline_table(&self, s: &mut String, background: bool) {
        s.push_str("<table class=\"timeline\">");
        for e in self.st.timeline.iter().filter(|e| e.background == background) {
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
                self.chips(&e.articles)
            );
        }
        s.push_str("</table>\n");
    }

    fn quotes(&self, s: &mut String) {
        if self.st.quotes.is_empty() {
            return;
        }
        s.push_str("<h3>Quotes</h3><ul class=\"plain\">");
        for q in &self.st.quotes {
            let who = q.speaker.as_deref().unwrap_or("unattributed");
            let _ = write!(
                s,
                "<li><b>{}</b><blockquote>“{}”</blockquote>",
                escape(who),
                escape(&q.text)
            );
            if q.variants.len() > 1 {
                s.push_str("<div class=\"variants\">");
                for v in &q.variants {
                    let (class, note) = if v.meaning_changed {
                        (" changed", "<span class=\"flag\">meaning differs</span>")
                    } else {
                        ("", "")
                    };
                    let lang = v
                        .translation
                        .as_deref()
                        .map(|l| format!("<span class=\"lang\">translation, {}</span>", escape(l)));
                    let _ = write!(
                        s,
                        "<div class=\"variant{class}\">{}{}{note}<br>{}</div>",
                        self.chip(&v.article),
                        lang.unwrap_or_default(),
                        escape(&v.text)
                    );
                }
                s.push_str("</div>");
            }
            s.push_str("</li>");
        }
        s.push_str("</ul>\n");
    }

    fn facts(&self, s: &mut String) {
        if self.st.facts.is_empty() {
            return;
        }
        s.push_str("<h3>Facts</h3><ul class=\"plain\">");
        for f in &self.st.facts {
            let _ = write!(
                s,
                "<li><span class=\"count\" title=\"independent sources\">{}</span>{}{} {}",
                f.independent_support,
                escape(&f.text),
                f.language.as_deref().map_or(String::new(), |l| format!(
                    " <span class=\"lang\" title=\"no supporting sentence in the story's main language\">[{}]</span>",
                    escape(l)
                )),
                self.chips(f.support.iter().map(|x| &x.article))
            );
            supports(s, &f.support);
            s.push_str("</li>");
        }
        s.push_str("</ul>\n");
    }

    fn matrix(&self, s: &mut String) {
        if self.st.facts.is_empty() || self.st.articles.len() < 2 {
            return;
        }
        s.push_str("<h3>Who reports what</h3><table class=\"matrix\"><tr><th>fact</th>");
        // Columns by origin group, so that copies of one origin stand side by side.
        let mut columns: Vec<&String> = self.st.origin_groups.iter().flatten().collect();
        columns.extend(self.st.articles.iter().filter(|id| self.group_of(id).is_none()));
        for id in &columns {
            let _ = write!(
                s,
                "<th class=\"col\" title=\"{}\">{}</th>",
                escape(&self.outlet(id)),
                escape(id)
            );
        }
        s.push_str("</tr>");
        for f in &self.st.facts {
            let _ = write!(s, "<tr><td class=\"fact\">{}</td>", escape(&f.text));
            for id in &columns {
                match f.support.iter().find(|x| &&x.article == id) {
                    Some(x) => {
                        let _ = write!(
                            s,
                            "<td class=\"cell {}\" title=\"{}\">●</td>",
                            self.class_of(id),
                            escape(&x.sentence)
                        );
                    }
                    None => s.push_str("<td class=\"cell\"></td>"),
                }
            }
            s.push_str("</tr>");
        }
        s.push_str("</table>\n");
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
            for side in &c.sides {
                let _ = write!(
                    s,
                    "<div class=\"side\"><span class=\"value\">{}</span>{}",
                    escape(&side.value),
                    self.chips(side.support.iter().map(|x| &x.article))
                );
                supports(s, &side.support);
                s.push_str("</div>");
            }
            s.push_str("</div>");
        }
        s.push('\n');
    }

    fn entities(&self, s: &mut String) {
        if self.st.entities.is_empty() {
            return;
        }
        s.push_str("<h3>Entities</h3><table><tr><th>name</th><th>kind</th><th>mentions</th><th>also written</th><th>articles</th></tr>");
        for e in self.st.entities.iter().take(TOP_ENTITIES) {
            let _ = write!(
                s,
                "<tr><td>{}</td><td class=\"kind\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&e.name),
                escape(&e.kind),
                e.mentions,
                escape(&e.aliases.join(", ")),
                self.chips(&e.articles)
            );
        }
        s.push_str("</table>\n");
    }

    fn articles(&self, s: &mut String) {
        s.push_str("<h3>Articles</h3>");
        for id in &self.st.articles {
            let Some(a) = self.article(id) else { continue };
            let title = a.title.as_deref().unwrap_or("");
            let _ = write!(
                s,
                "<details><summary>{} {} <span class=\"meta\">{} · {} · {} repairs</span></summary>",
                self.chip(id),
                escape(title),
                escape(&self.outlet(id)),
                escape(a.published.as_deref().unwrap_or("undated")),
                a.repairs.len()
            );
            if let Some(u) = &a.url {
                let _ = write!(s, "<div class=\"meta\">{}</div>", escape(u));
            }
            if !a.repairs.is_empty() {
                repairs_table(s, &a.repairs);
            }
            s.push_str("</details>");
        }
        s.push('\n');
    }
}

/// The supporting sentences, folded away.
fn supports(s: &mut String, support: &[Support]) {
    if support.is_empty() {
        return;
    }
    let _ = write!(s, "<details><summary class=\"meta\">{} sentences</summary>", support.len());
    for x in support {
        let _ = write!(
            s,
            "<div class=\"sentence\"><b>{}</b> [{}–{}] {}</div>",
            escape(&x.article),
            x.start,
            x.end,
            escape(&x.sentence)
        );
    }
    s.push_str("</details>");
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
                    },
                    QuoteVariant {
                        article: "a3".into(),
                        text: "The decision was his".into(),
                        start: 5,
                        end: 25,
                        meaning_changed: true,
                        translation: Some("fr".into()),
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
