//! Derivation. (stub)

use crate::record::{Analyzed, Article, ArticleIdx, Derivation, Repaired};

/// Finds derivation edges among `members`.
pub fn derive(
    _articles: &[Article],
    _repaired: &[Repaired],
    _analyzed: &[Analyzed],
    _members: &[ArticleIdx],
) -> Vec<Derivation> {
    Vec::new()
}

/// Groups `members` into origin groups by the derivation edges (connected components),
/// each group sorted, groups ordered by their first member.
pub fn origin_groups(members: &[ArticleIdx], edges: &[Derivation]) -> Vec<Vec<ArticleIdx>> {
    let _ = edges;
    members.iter().map(|&m| vec![m]).collect()
}
