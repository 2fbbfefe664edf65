//! The UI's story page: page `?page=N` of the engine's story renderer
//! ([`chorus_engine::render::html::story`], the compact layout `chorus run --format html`
//! also has) with the server's links: article chips lead to `/articles/{id}`, member pages
//! to `/stories/{id}?page=N`. Only the article reports of the members shown are read
//! ([`needed_articles`]); caching per (story, revision, page) and the 404 past the last
//! page are the API's ([`crate::cache`], [`crate::api`]).

use chorus_engine::render::html::{self, Articles, Links, StoryPage};
use chorus_engine::render::Limits;
use chorus_engine::report::{ArticleReport, StoryReport};

use super::encode;

/// The limits of the server's story pages.
const LIMITS: Limits = Limits::COMPACT;
/// Members listed per page.
pub const MEMBERS_PER_PAGE: usize = LIMITS.members_per_page;

/// The server's links: `/articles/{id}` and `/stories/{id}?page=N`.
struct Server;

impl Links for Server {
    fn article(&self, id: &str) -> Option<String> {
        Some(format!("/articles/{}", encode(id)))
    }

    fn page(&self, story: &str, page: usize) -> Option<String> {
        let id = encode(story);
        Some(if page <= 1 {
            format!("/stories/{id}")
        } else {
            format!("/stories/{id}?page={page}")
        })
    }
}

/// How many pages the story's member list takes (at least 1).
pub fn pages(story: &StoryReport) -> usize {
    html::pages(story, &LIMITS)
}

/// The ids whose article reports page `page` shows; `None` when the story has no such page.
pub fn needed_articles(story: &StoryReport, page: usize) -> Option<Vec<String>> {
    html::needed_articles(story, page, &LIMITS)
}

/// The body of page `page` of `story` (inside the UI frame): page 1 is the whole story with
/// its first members, later pages list members only. `articles` are the reports of
/// [`needed_articles`]. The caller checks that the page exists.
pub fn story_body(story: &StoryReport, articles: &[ArticleReport], page: usize) -> String {
    let articles = Articles::new(articles);
    let mut s = String::with_capacity(64 * 1024);
    let page =
        StoryPage { story, articles: &articles, page, limits: &LIMITS, links: &Server, anchor: "" };
    html::story(&mut s, &page);
    s
}

#[cfg(test)]
mod tests {
    use chorus_engine::report::{FactReport, QuoteReport, QuoteVariant, Support, TimelineEntry};

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
            paraphrase: false,
            gap: false,
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
            "href=\"#origin-1\"",
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

    /// A small story's page with the server's links.
    #[test]
    fn small_story_page_snapshot() {
        let (story, all) = wire_story(2);
        insta::assert_snapshot!(page(&story, &all, 1).replace("><", ">\n<"));
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
