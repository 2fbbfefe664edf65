//! Helpers shared by the modules: the corpus, story partitions read straight from the
//! tables.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chorus_engine::ingest;
use chorus_engine::record::Article;
use chorus_pgstore::testdb::TestDb;

/// The articles of `examples/corpus`.
pub fn corpus() -> Vec<Article> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    let ingested = ingest::read_inputs(&[dir]);
    assert!(ingested.errors.is_empty(), "{:?}", ingested.errors);
    ingested.articles
}

/// Story id → its article ids in sequence order, as stored.
pub fn partition(db: &TestDb) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in db
        .client()
        .query("SELECT story, id FROM chorus_articles ORDER BY seq", &[])
        .expect("reading the partition")
    {
        let story: Option<String> = r.get(0);
        out.entry(story.unwrap_or_else(|| "(unassigned)".into())).or_default().push(r.get(1));
    }
    out
}

/// Article ids in sequence order, with the sequence numbers.
pub fn sequence(db: &TestDb) -> Vec<(i64, String)> {
    db.client()
        .query("SELECT seq, id FROM chorus_articles ORDER BY seq", &[])
        .expect("reading the sequence")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}
