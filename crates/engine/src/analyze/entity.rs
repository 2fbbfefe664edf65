//! Named-entity mentions. (stub)

use crate::record::{Mention, Sentence};

/// Finds entity mentions.
pub fn extract(_text: &str, _sentences: &[Sentence]) -> Vec<Mention> {
    Vec::new()
}
