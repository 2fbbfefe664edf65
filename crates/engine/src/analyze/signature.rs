//! MinHash signature and term counts. (stub)

/// MinHash signature of word shingles.
pub fn minhash(_text: &str) -> Vec<u64> {
    Vec::new()
}

/// Content-term counts.
pub fn term_counts(text: &str) -> Vec<(String, u32)> {
    let mut m = std::collections::BTreeMap::new();
    for t in crate::text::content_terms(text) {
        *m.entry(t).or_insert(0u32) += 1;
    }
    m.into_iter().collect()
}
