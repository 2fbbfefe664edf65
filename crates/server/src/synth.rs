//! The background synthesizer: rebuilds the reports of the stories that writes touched, off
//! the request path, and reconciles the archive's stories when writes have paused.
//!
//! A write ([`crate::writer`]) stores, analyzes and assigns its articles, answers, and wakes
//! this thread. The work queue is the archive's own dirty marks (one per story, however many
//! writes touched it, so repeated dirt of one story coalesces into one rebuild), taken a
//! bounded chunk at a time ([`Store::synthesize_pending`]); wake-ups coalesce too (a channel
//! of one). On start the thread first drains whatever an earlier process left dirty. When
//! no write has come for [`IDLE`] and something was assigned since the last pass, it runs
//! [`Store::reconcile`] (merges and splits toward what a batch run gives) and rebuilds the
//! stories that changed.
//!
//! The thread rebuilds on a rayon pool of its own, of [`SYNTH_THREADS`] thread: on the
//! global pool a rebuild of a 600-article story (seconds of CPU, itself parallel) took
//! every worker, and the writer's per-article analysis, which runs on that pool, waited
//! behind it (writes answered after 5–10 s). Now rebuilds take at most one core, and less
//! while they rest ([`drain`]); writes and reads keep the other.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chorus_engine::store::Store;

/// Stories rebuilt per store call (between two checks for new wake-ups).
pub const CHUNK: usize = 16;

/// How long writes must pause before a reconcile pass runs.
pub const IDLE: Duration = Duration::from_secs(2);

/// Rest after a chunk of rebuilds, in multiples of the time the chunk took ([`drain`]).
const REST_FACTOR: u32 = 2;

/// Longest rest between two chunks of rebuilds ([`drain`]).
const MAX_REST: Duration = Duration::from_secs(5);

/// Threads of the rebuilds' own rayon pool.
pub const SYNTH_THREADS: usize = 1;

/// Pause after a failed store call before trying again.
const BACKOFF: Duration = Duration::from_secs(1);

/// The handle of the synthesizer thread; the thread ends when the last handle is dropped.
#[derive(Clone)]
pub struct Synthesizer {
    wake: SyncSender<()>,
}

impl Synthesizer {
    /// Starts the synthesizer thread over `store`.
    pub fn start(store: Arc<dyn Store>) -> std::io::Result<Synthesizer> {
        let (wake, rx) = mpsc::sync_channel(1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(SYNTH_THREADS)
            .thread_name(|i| format!("chorus-synth-{i}"))
            .build()
            .map_err(std::io::Error::other)?;
        std::thread::Builder::new()
            .name("chorus-synth".into())
            .spawn(move || pool.install(move || run(&*store, &rx)))?;
        Ok(Synthesizer { wake })
    }

    /// Tells the thread that stories may be dirty (never blocks: a wake-up already waiting
    /// covers this one).
    pub fn wake(&self) {
        let _ = self.wake.try_send(());
    }
}

/// The loop: drain the dirty stories, then wait for a wake-up; on an idle timeout after
/// new assignments, reconcile.
fn run(store: &dyn Store, rx: &mpsc::Receiver<()>) {
    // Something may be left from an earlier process: reconcile once idle in any case (a
    // no-op when that state was reconciled already).
    let mut reconcile_due = true;
    loop {
        drain(store);
        match rx.recv_timeout(IDLE) {
            Ok(()) => reconcile_due = true,
            Err(RecvTimeoutError::Timeout) if reconcile_due => {
                reconcile_due = false;
                guarded("reconcile", || store.reconcile().map(|_| ()));
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Rebuilds dirty stories until none is left (or the store fails: retried on the next
/// wake-up or timeout).
fn drain(store: &dyn Store) {
    loop {
        let mut done = 0;
        let started = Instant::now();
        if !guarded("synthesis", || store.synthesize_pending(CHUNK).map(|n| done = n)) {
            std::thread::sleep(BACKOFF);
            return;
        }
        if done == 0 {
            return;
        }
        // Rebuilds yield to requests, and coalesce by time as well as by dirtiness: after
        // each chunk, the thread rests twice as long as the chunk took (at most
        // [`MAX_REST`]), so under a steady stream of writes rebuilding takes at most a third
        // of one core, a story touched by every write is rebuilt every few seconds (a 600
        // article story: 1–2 s of CPU), and reads keep their latency (a story read meanwhile
        // is served stale, and says so). Each rebuild also renews the story's kept bodies
        // ([`crate::cache`]).
        std::thread::sleep((started.elapsed() * REST_FACTOR).min(MAX_REST));
    }
}

/// Runs one store call; a failure or a panic is logged (the thread goes on: the dirty marks
/// stay in the archive). Returns whether it succeeded.
fn guarded(what: &str, f: impl FnOnce() -> Result<(), chorus_engine::store::StoreError>) -> bool {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            tracing::warn!("background {what} failed: {e}");
            false
        }
        Err(_) => {
            tracing::error!("the archive panicked during background {what}");
            false
        }
    }
}
