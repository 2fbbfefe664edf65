//! Bodies made from story reports (the JSON report as stored, the rendered story page), kept
//! per story under the revision of the report they were made from
//! ([`Store::story_revision`](chorus_engine::store::Store::story_revision)).
//!
//! Under load a few stories take most reads, and their reports grow with every copy that
//! joins them (1–2 MB, 600 articles): every read of one re-read the report, and every story
//! page decoded it, rebuilt each member's article view and rendered the whole report again
//! (150 ms of CPU for one page). A read now first asks the store for the story's revision
//! (one small row) and answers from here when the body of that revision is kept.
//!
//! Never older than the store: a body is made after its revision was read, from a report at
//! least that new (a store's reports only move forward), and kept under that revision; a
//! reader uses it only for the revision the store gives it at that moment, so several
//! processes writing one archive are seen as soon as their report is saved. What is kept is
//! bounded in bytes ([`StoryCache::new`]); the least recently used story goes first.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;

/// Default bound on the bytes of kept bodies.
pub const DEFAULT_CACHE_BYTES: usize = 64 * 1024 * 1024;

/// Which body of a story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// The report as JSON (`GET /stories/{id}`).
    Json = 0,
    /// The UI's story page (`GET /stories/{id}` preferring HTML).
    Html = 1,
}

/// One story's kept bodies, all made from the report of `revision`.
#[derive(Debug)]
struct Entry {
    revision: u64,
    json: Option<Bytes>,
    html: Option<Bytes>,
    /// Held while one request makes this revision's body (JSON, page); the others wait.
    making: [Arc<tokio::sync::Mutex<()>>; 2],
    /// Last use (a counter), for eviction.
    used: u64,
}

impl Entry {
    fn bytes(&self) -> usize {
        self.json.as_ref().map_or(0, Bytes::len) + self.html.as_ref().map_or(0, Bytes::len)
    }
}

#[derive(Debug, Default)]
struct Inner {
    entries: HashMap<String, Entry>,
    bytes: usize,
    clock: u64,
}

/// Story bodies by (story id, report revision), bounded in bytes.
#[derive(Debug)]
pub struct StoryCache {
    inner: Mutex<Inner>,
    max_bytes: usize,
}

impl StoryCache {
    /// A cache keeping at most `max_bytes` of bodies (0 keeps nothing).
    pub fn new(max_bytes: usize) -> StoryCache {
        StoryCache { inner: Mutex::new(Inner::default()), max_bytes }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves consistent maps (every update is one
        // statement), so a poisoned lock is used as is.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The `body` of story `id` made from the report of `revision`, if kept.
    pub fn get(&self, id: &str, revision: u64, body: Body) -> Option<Bytes> {
        let mut inner = self.lock();
        inner.clock += 1;
        let now = inner.clock;
        let e = inner.entries.get_mut(id).filter(|e| e.revision == revision)?;
        e.used = now;
        match body {
            Body::Json => e.json.clone(),
            Body::Html => e.html.clone(),
        }
    }

    /// The lock that one request holds while making story `id`'s `body` of `revision` (the
    /// others wait, then find it kept). `None` when a newer revision is kept already.
    pub fn making(
        &self,
        id: &str,
        revision: u64,
        body: Body,
    ) -> Option<Arc<tokio::sync::Mutex<()>>> {
        let mut inner = self.lock();
        inner.clock += 1;
        let now = inner.clock;
        let e = self.entry(&mut inner, id, revision, now)?;
        Some(e.making[body as usize].clone())
    }

    /// Keeps `bytes` as the `body` of story `id` at `revision` (made from a report at least
    /// that new). Ignored when a newer revision is kept, or when it alone is over the bound.
    pub fn put(&self, id: &str, revision: u64, body: Body, bytes: Bytes) {
        if bytes.len() > self.max_bytes {
            return;
        }
        let mut inner = self.lock();
        inner.clock += 1;
        let now = inner.clock;
        let Some(e) = self.entry(&mut inner, id, revision, now) else { return };
        let before = e.bytes();
        match body {
            Body::Json => e.json = Some(bytes),
            Body::Html => e.html = Some(bytes),
        }
        let after = e.bytes();
        inner.bytes = inner.bytes + after - before;
        self.evict(&mut inner, id);
    }

    /// Bytes of bodies kept.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    /// Story `id`'s entry for `revision`: the kept one, or a fresh one replacing an older
    /// revision's; `None` when a newer revision is kept.
    fn entry<'a>(
        &self,
        inner: &'a mut Inner,
        id: &str,
        revision: u64,
        now: u64,
    ) -> Option<&'a mut Entry> {
        let fresh =
            || Entry { revision, json: None, html: None, making: Default::default(), used: now };
        match inner.entries.get(id).map(|e| (e.revision, e.bytes())) {
            Some((kept, _)) if kept > revision => return None,
            Some((kept, size)) if kept < revision => {
                inner.bytes -= size;
                inner.entries.insert(id.to_string(), fresh());
            }
            Some(_) => {}
            None => {
                inner.entries.insert(id.to_string(), fresh());
            }
        }
        let e = inner.entries.get_mut(id)?;
        e.used = now;
        Some(e)
    }

    /// Drops the least recently used stories (never `keep`) until the bound holds, and
    /// entries without bodies beyond a few per kept byte budget.
    fn evict(&self, inner: &mut Inner, keep: &str) {
        while inner.bytes > self.max_bytes {
            let oldest = inner
                .entries
                .iter()
                .filter(|(id, e)| id.as_str() != keep && e.bytes() > 0)
                .min_by_key(|(_, e)| e.used)
                .map(|(id, _)| id.clone());
            let Some(id) = oldest else { break };
            if let Some(e) = inner.entries.remove(&id) {
                inner.bytes -= e.bytes();
            }
        }
        // Entries without a body (a page being made, or a revision only looked at) are
        // small, but a stream of distinct ids must not grow the map without bound.
        if inner.entries.len() > MAX_ENTRIES {
            inner.entries.retain(|id, e| id == keep || e.bytes() > 0);
        }
    }
}

/// Most stories with an entry; above it, entries without a body are dropped.
const MAX_ENTRIES: usize = 4096;

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Bytes {
        Bytes::from(s.to_string())
    }

    #[test]
    fn bodies_are_kept_per_revision_and_never_go_back() {
        let c = StoryCache::new(1 << 20);
        c.put("s", 2, Body::Json, b("two"));
        assert_eq!(c.get("s", 2, Body::Json), Some(b("two")));
        assert_eq!(c.get("s", 2, Body::Html), None, "only what was made");
        assert_eq!(c.get("s", 1, Body::Json), None, "another revision");
        assert_eq!(c.get("s", 3, Body::Json), None, "another revision");
        // An older revision's body arriving late is not kept over the newer one.
        c.put("s", 1, Body::Json, b("one"));
        assert_eq!(c.get("s", 2, Body::Json), Some(b("two")));
        assert!(c.making("s", 1, Body::Json).is_none());
        // A newer revision replaces both bodies.
        c.put("s", 2, Body::Html, b("<p>two</p>"));
        c.put("s", 3, Body::Json, b("three!"));
        assert_eq!(c.get("s", 3, Body::Html), None);
        assert_eq!(c.get("s", 2, Body::Html), None);
        assert_eq!(c.bytes(), 6);
    }

    #[test]
    fn the_byte_bound_drops_the_least_recently_used() {
        let c = StoryCache::new(10);
        c.put("a", 1, Body::Json, b("aaaa"));
        c.put("b", 1, Body::Json, b("bbbb"));
        assert!(c.get("a", 1, Body::Json).is_some(), "a is now more recent than b");
        c.put("c", 1, Body::Json, b("cccc"));
        assert_eq!(c.bytes(), 8);
        assert!(c.get("b", 1, Body::Json).is_none(), "b went first");
        assert!(c.get("a", 1, Body::Json).is_some() && c.get("c", 1, Body::Json).is_some());
        c.put("d", 1, Body::Json, b("far too large"));
        assert!(c.get("d", 1, Body::Json).is_none(), "over the bound alone: not kept");
        assert_eq!(StoryCache::new(0).making("x", 1, Body::Html).map(|_| ()), Some(()));
    }

    #[test]
    fn one_lock_per_revision_and_body() {
        let c = StoryCache::new(100);
        let (a, b2) = (c.making("s", 1, Body::Html), c.making("s", 1, Body::Html));
        assert!(a.zip(b2).is_some_and(|(a, b)| Arc::ptr_eq(&a, &b)));
        let (page, json) = (c.making("s", 1, Body::Html), c.making("s", 1, Body::Json));
        assert!(page.zip(json).is_some_and(|(a, b)| !Arc::ptr_eq(&a, &b)), "one per body");
        let older = c.making("s", 1, Body::Json);
        let newer = c.making("s", 2, Body::Json);
        let again = c.making("s", 2, Body::Json);
        assert!(newer.zip(again).is_some_and(|(a, b)| Arc::ptr_eq(&a, &b)));
        assert!(older.is_some() && c.making("s", 1, Body::Json).is_none());
    }
}
