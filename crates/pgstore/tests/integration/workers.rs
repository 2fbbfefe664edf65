//! Several workers against one PostgreSQL give the same archive as one worker: no article
//! lost or stored twice, the same stories with the same ids and the same listing.

use std::collections::HashMap;

use chorus_engine::cluster::synthetic::synthetic_stream;
use chorus_engine::record::Article;
use chorus_engine::store::{Store, StoryQuery};
use chorus_pgstore::testdb::TestDb;

use super::common::{corpus, partition, sequence};

/// The test input: the corpus and a synthetic stream, all distinct.
fn input() -> Vec<Article> {
    let mut articles = corpus();
    articles.extend(synthetic_stream(180, 7));
    articles
}

/// Ingests `batches` (one list per worker, each worker sending chunks of `chunk`)
/// concurrently, one store (own connections) per worker.
fn ingest_concurrently(url: &str, batches: Vec<Vec<Article>>, chunk: usize) {
    let handles: Vec<_> = batches
        .into_iter()
        .map(|articles| {
            let url = url.to_string();
            std::thread::spawn(move || {
                let store = chorus_pgstore::open(&url).expect("open");
                for c in articles.chunks(chunk) {
                    store.ingest(c.to_vec()).expect("ingest");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("worker panicked");
    }
}

#[test]
fn two_workers_store_every_article_once_and_tell_the_same_stories_as_one() {
    let all = input();
    let (a, b) = all.split_at(all.len() / 2);
    let reversed: Vec<Article> = all.iter().rev().cloned().collect();
    // (name, what each worker ingests, chunk size)
    let cases: Vec<(&str, Vec<Vec<Article>>, usize)> = vec![
        ("halves", vec![a.to_vec(), b.to_vec()], 25),
        ("same input", vec![all.clone(), all.clone()], 40),
        ("opposite orders", vec![all.clone(), reversed], 40),
    ];
    for (name, batches, chunk) in cases {
        let Some(shared) = TestDb::create(&format!("workers {name}")) else { return };
        ingest_concurrently(shared.url(), batches, chunk);
        assert_eq!(shared.pending_work(), (0, 0, 0), "{name}: work left behind");
        let order = sequence(&shared);
        assert_eq!(order.len(), all.len(), "{name}: articles lost or stored twice");
        let seqs: Vec<i64> = order.iter().map(|x| x.0).collect();
        assert_eq!(seqs, (1..=all.len() as i64).collect::<Vec<_>>(), "{name}: sequence gaps");

        // One worker fed the articles in the order the two stored them first.
        let by_id: HashMap<&str, &Article> = all.iter().map(|a| (a.id.as_str(), a)).collect();
        let canonical: Vec<Article> =
            order.iter().map(|(_, id)| by_id[id.as_str()].clone()).collect();
        let Some(single) = TestDb::create(&format!("single {name}")) else { return };
        let one = chorus_pgstore::open(single.url()).expect("open");
        for c in canonical.chunks(97) {
            one.ingest(c.to_vec()).expect("single ingest");
        }
        assert_eq!(partition(&shared), partition(&single), "{name}: story partitions differ");
        let q = StoryQuery { limit: 10_000, ..StoryQuery::default() };
        let two = chorus_pgstore::open(shared.url()).expect("reopen");
        assert_eq!(two.stories(&q).expect("list"), one.stories(&q).expect("list"), "{name}");
    }
}
