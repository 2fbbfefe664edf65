//! Group commit for `POST /articles`: one writer thread takes every write waiting for the
//! archive and stores, analyzes and assigns them together ([`Store::assign_batches`]), then
//! answers each request with its own outcome and wakes the background synthesizer
//! ([`crate::synth`]), which rebuilds the touched stories' reports.
//!
//! A story's resynthesis costs 150–250 ms; on the request path (as before) it was most of a
//! write's cost and sustained writes queued up until they were refused (429). Now a write
//! waits only for its own articles' analysis and assignment, and a story touched by many
//! writes is rebuilt once when the synthesizer gets to it. The queue stays bounded by the
//! pending-write slots ([`crate::api`]'s `WriteSlot`), which travel with each job and are
//! given back when its answer is sent.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::Arc;

use chorus_engine::record::Article;
use chorus_engine::store::{IngestOutcome, Store, StoreError};
use tokio::sync::oneshot;

use crate::synth::Synthesizer;

/// Most articles ingested in one group (a group starts with whatever is waiting; a large
/// request is never split).
pub const GROUP_ARTICLES: usize = 2_000;

/// What a write's caller gets back.
pub type WriteResult = Result<IngestOutcome, StoreError>;

/// One waiting write: its articles, the guard of its pending-write slot, where to answer.
struct Job {
    articles: Vec<Article>,
    slot: Box<dyn Send>,
    reply: oneshot::Sender<WriteResult>,
}

/// The handle of the writer thread; the thread ends when the last handle is dropped.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer thread and the background synthesizer over `store`.
    pub fn start(store: Arc<dyn Store>) -> std::io::Result<Writer> {
        let synth = Synthesizer::start(store.clone())?;
        let (jobs, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("chorus-writer".into())
            .spawn(move || run(&*store, rx, &synth))?;
        Ok(Writer { jobs })
    }

    /// Queues `articles` for the next group; `slot` is held until the answer is sent.
    /// `None` when the writer thread is gone.
    pub fn submit(
        &self,
        articles: Vec<Article>,
        slot: Box<dyn Send>,
    ) -> Option<oneshot::Receiver<WriteResult>> {
        let (reply, answer) = oneshot::channel();
        self.jobs.send(Job { articles, slot, reply }).ok()?;
        Some(answer)
    }
}

/// The writer loop: wait for a job, take every other job already waiting (up to
/// [`GROUP_ARTICLES`]), assign them as one group, answer each, wake the synthesizer.
fn run(store: &dyn Store, rx: mpsc::Receiver<Job>, synth: &Synthesizer) {
    while let Ok(first) = rx.recv() {
        let mut size = first.articles.len();
        let mut jobs = vec![first];
        while size < GROUP_ARTICLES {
            let Ok(job) = rx.try_recv() else { break };
            size += job.articles.len();
            jobs.push(job);
        }
        let mut batches = Vec::with_capacity(jobs.len());
        let mut waiters = Vec::with_capacity(jobs.len());
        for job in jobs {
            batches.push(job.articles);
            waiters.push((job.reply, job.slot));
        }
        let n = batches.len();
        // A panic in the store must not end the thread (every later write would fail): it
        // fails this group's writes, and the archive finishes their pending work next time.
        let results: Vec<WriteResult> = match catch_unwind(AssertUnwindSafe(|| {
            store.assign_batches(batches)
        })) {
            Ok(Ok(outcomes)) if outcomes.len() == n => outcomes,
            Ok(Ok(_)) => failed(n, || StoreError::Database("a write group lost a batch".into())),
            Ok(Err(e)) => failed(n, || same(&e)),
            Err(_) => {
                tracing::error!("the archive panicked while ingesting a write group");
                failed(n, || StoreError::Database("the write failed; see the server log".into()))
            }
        };
        synth.wake();
        for ((reply, slot), result) in waiters.into_iter().zip(results) {
            // The client may have gone; its articles are stored all the same.
            let _ = reply.send(result);
            drop(slot);
        }
    }
}

fn failed(n: usize, e: impl Fn() -> StoreError) -> Vec<WriteResult> {
    (0..n).map(|_| Err(e())).collect()
}

/// A copy of `e` (same kind and message) for each writer of a failed group.
fn same(e: &StoreError) -> StoreError {
    match e {
        StoreError::Invalid(m) => StoreError::Invalid(m.clone()),
        StoreError::Busy(m) => StoreError::Busy(m.clone()),
        StoreError::Unavailable(m) => StoreError::Unavailable(m.clone()),
        StoreError::Database(m) => StoreError::Database(m.clone()),
    }
}
