//! Entity canonicalisation across articles. (stub)

use crate::pipeline::Batch;
use crate::record::{ArticleIdx, EntityKind};
use crate::report::EntityReport;

/// One entity across a story's articles.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Canonical name.
    pub name: String,
    /// Kind.
    pub kind: EntityKind,
    /// Other surface forms.
    pub aliases: Vec<String>,
    /// Articles that mention it.
    pub articles: Vec<ArticleIdx>,
    /// Number of mentions.
    pub mentions: usize,
}

/// The entities of a story, and which mention belongs to which.
#[derive(Debug, Clone, Default)]
pub struct EntityTable {
    /// Entities, most mentioned first.
    pub entities: Vec<Entity>,
}

impl EntityTable {
    /// The entity a name (any alias, surname, acronym) refers to.
    pub fn resolve(&self, _name: &str) -> Option<&Entity> {
        None
    }
    /// Report entries.
    pub fn to_reports(&self, batch: &Batch) -> Vec<EntityReport> {
        self.entities
            .iter()
            .map(|e| EntityReport {
                name: e.name.clone(),
                kind: e.kind.as_str().into(),
                aliases: e.aliases.clone(),
                articles: e
                    .articles
                    .iter()
                    .map(|&i| batch.articles[i].id.clone())
                    .collect(),
                mentions: e.mentions,
            })
            .collect()
    }
}

/// Merges the mentions of `members` into entities.
pub fn canonicalize(_batch: &Batch, _members: &[ArticleIdx]) -> EntityTable {
    EntityTable::default()
}
