//! Story clustering. (stub: one story)

use crate::record::{Analyzed, Article, ArticleIdx, Assignment, Story};

/// Online story clusterer.
#[derive(Debug, Default)]
pub struct Clusterer {
    stories: Vec<Story>,
}

impl Clusterer {
    /// A new clusterer.
    pub fn new() -> Clusterer {
        Clusterer::default()
    }

    /// Assigns one article; returns the index of its story.
    pub fn assign(&mut self, idx: ArticleIdx, article: &Article, _analyzed: &Analyzed) -> usize {
        if self.stories.is_empty() {
            self.stories.push(Story {
                id: format!("s-{}", article.id),
                articles: vec![],
                why: vec![],
            });
        }
        self.stories[0].articles.push(idx);
        self.stories[0].why.push(Assignment {
            article: idx,
            score: 0.0,
            shared: vec![],
        });
        0
    }

    /// The stories so far.
    pub fn finish(self) -> Vec<Story> {
        self.stories
    }
}
