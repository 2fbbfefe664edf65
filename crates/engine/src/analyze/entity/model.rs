//! The averaged-perceptron NER model: BILOU tags over four kinds, greedy left-to-right
//! decoding with valid-transition constraints, training on CoNLL-2003 files, and a compact
//! binary format (feature hash → sparse i16-quantised tag weights).
//!
//! Tagging sums the i16 weights as integers: the sum is exact, so it does not depend on
//! the order of the features, and the parts of a token's score that depend on one word
//! alone are computed once per word and thread (a cache keyed by model and word) instead of
//! once per token: the word's own features (about 20 of a token's ~50 weight lookups), those
//! pairing it with a previous `O` tag, and those it gives its neighbours (the previous or
//! next word of a token, the word two before or two after); the part depending on the two
//! previous tags alone is summed once per model for every pair of tags. A token is left
//! with its word-pair, shape-pair and position features to look up, and not even those
//! when its cached parts already put `O` further ahead of every other tag than any single
//! feature of the model can move them (most lowercase words after a closed tag): the only
//! lookups left are those into a table too large for the CPU caches, so skipping them
//! saves about a tenth of a stories-only run's CPU time. This is a bound on one feature,
//! not on all the skipped ones together; no token of CoNLL-2003 train or testa, the
//! ECB+ dev articles, the demo corpus, the seeds or the 10k benchmark corpus is tagged
//! differently for it (a unit test pins the demo corpus). In memory each feature's
//! weights are a dense row over all tags (zeros where the file has none) with the sum of
//! their magnitudes: adding a row is a fixed, branch-free loop the compiler vectorises,
//! where walking the sparse tag mask cost a data-dependent branch per weight. A sentence's
//! tags depend on the model and its words alone, so a process-wide cache keyed by both
//! serves sentences repeated across articles (wire copies) without tagging them again.
//!
//! Hand-written because no available crate ships a trainable sequence tagger. Training:
//! `cargo test --release -p chorus-engine --lib eval::ner::tests::train_model -- --ignored
//! --nocapture` (reads `CONLL_TRAIN`, default `/work/shared/data/conll2003/eng.train`,
//! writes `crates/engine/data/ner/model.bin`, scores `eng.testa`); the CLI exposes
//! [`train`] + [`Model::save`] as `chorus train ner`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

use super::features::{history_features, Prepared, NEIGHBOUR_OFFSETS};
use crate::analyze::signature::FastMap;
use crate::record::EntityKind;

/// Number of tags: `O` plus B/I/L/U for each of the four kinds.
pub const NT: usize = 17;
const KINDS: [EntityKind; 4] =
    [EntityKind::Person, EntityKind::Organization, EntityKind::Location, EntityKind::Misc];
const MAGIC: &[u8; 4] = b"CNR1";

/// Position of a token in an entity (BILOU).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pos {
    /// Begins a multi-token entity.
    B,
    /// Inside a multi-token entity.
    I,
    /// Last token of a multi-token entity.
    L,
    /// A single-token entity.
    U,
}

/// Tag index of (kind, position); tag 0 is `O`.
pub fn tag_of(kind: EntityKind, pos: Pos) -> u8 {
    let k = KINDS.iter().position(|&x| x == kind).unwrap_or(0) as u8;
    1 + k * 4 + pos as u8
}

/// (kind, position) of a tag, `None` for `O`.
pub fn parse_tag(tag: u8) -> Option<(EntityKind, Pos)> {
    if tag == 0 || tag as usize >= NT {
        return None;
    }
    let k = KINDS[((tag - 1) / 4) as usize];
    let p = [Pos::B, Pos::I, Pos::L, Pos::U][((tag - 1) % 4) as usize];
    Some((k, p))
}

fn allowed(prev: u8, cur: u8) -> bool {
    let open = matches!(parse_tag(prev), Some((_, Pos::B | Pos::I)));
    match (parse_tag(prev), parse_tag(cur)) {
        (Some((pk, _)), Some((ck, Pos::I | Pos::L))) if open => pk == ck,
        (_, Some((_, Pos::I | Pos::L))) => false,
        _ => !open,
    }
}

/// Entity spans `(start token, end token exclusive, kind)` of a BILOU tag sequence
/// (lenient: an unclosed entity ends where the next begins or the sentence ends).
pub fn spans_of(tags: &[u8]) -> Vec<(usize, usize, EntityKind)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, EntityKind)> = None;
    for (i, &t) in tags.iter().enumerate() {
        let parsed = parse_tag(t);
        if let Some((s, k)) = open {
            let continues = matches!(parsed, Some((ck, Pos::I | Pos::L)) if ck == k);
            if !continues {
                out.push((s, i, k));
                open = None;
            }
        }
        match parsed {
            Some((k, Pos::U)) => out.push((i, i + 1, k)),
            Some((k, Pos::B)) => open = Some((i, k)),
            Some((k, Pos::L)) => match open.take() {
                Some((s, _)) => out.push((s, i + 1, k)),
                None => out.push((i, i + 1, k)),
            },
            Some((k, Pos::I)) if open.is_none() => open = Some((i, k)),
            _ => {}
        }
    }
    if let Some((s, k)) = open {
        out.push((s, tags.len(), k));
    }
    out
}

/// BILOU tags of entity spans over `n` tokens.
pub fn tags_of(n: usize, spans: &[(usize, usize, EntityKind)]) -> Vec<u8> {
    let mut tags = vec![0u8; n];
    for &(s, e, k) in spans {
        if e > n || s >= e {
            continue;
        }
        if e - s == 1 {
            tags[s] = tag_of(k, Pos::U);
            continue;
        }
        tags[s] = tag_of(k, Pos::B);
        for t in tags.iter_mut().take(e - 1).skip(s + 1) {
            *t = tag_of(k, Pos::I);
        }
        tags[e - 1] = tag_of(k, Pos::L);
    }
    tags
}

/// Hasher for keys that are already hashes.
#[derive(Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

/// One slot of the open-addressing feature table: feature hash, index of its [`Dense`]
/// and the mask of tags that have a weight (`mask == 0` marks an empty slot).
#[derive(Debug, Default, Clone, Copy)]
struct Slot {
    key: u64,
    off: u32,
    mask: u32,
}

/// Feature hash → (weight offset, tag mask), as a flat linear-probing table: one cache
/// line per lookup in the common case, where a std map touches control bytes and slots.
#[derive(Debug, Default, Clone)]
struct FeatureTable {
    slots: Vec<Slot>,
    len: usize,
}

impl FeatureTable {
    fn bucket(&self, key: u64) -> usize {
        // Fibonacci hashing: the feature hashes' high bits are well mixed by the multiply.
        let bits = self.slots.len().trailing_zeros();
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }

    fn get(&self, key: u64) -> Option<(u32, u32)> {
        if self.slots.is_empty() {
            return None;
        }
        let m = self.slots.len() - 1;
        let mut b = self.bucket(key);
        loop {
            let s = self.slots[b];
            if s.mask == 0 {
                return None;
            }
            if s.key == key {
                return Some((s.off, s.mask));
            }
            b = (b + 1) & m;
        }
    }

    fn insert(&mut self, key: u64, off: u32, mask: u32) {
        if mask == 0 {
            return;
        }
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let m = self.slots.len() - 1;
        let mut b = self.bucket(key);
        loop {
            let s = &mut self.slots[b];
            if s.mask == 0 {
                *s = Slot { key, off, mask };
                self.len += 1;
                return;
            }
            if s.key == key {
                *s = Slot { key, off, mask };
                return;
            }
            b = (b + 1) & m;
        }
    }

    fn grow(&mut self) {
        let old = std::mem::take(&mut self.slots);
        self.slots = vec![Slot::default(); (old.len() * 2).max(64)];
        self.len = 0;
        for s in old.into_iter().filter(|s| s.mask != 0) {
            self.insert(s.key, s.off, s.mask);
        }
    }

    fn reserve(&mut self, n: usize) {
        let want = (n * 2).next_power_of_two().max(64);
        if self.len == 0 && want > self.slots.len() {
            self.slots = vec![Slot::default(); want];
        }
    }

    fn iter(&self) -> impl Iterator<Item = (u64, u32, u32)> + '_ {
        self.slots.iter().filter(|s| s.mask != 0).map(|s| (s.key, s.off, s.mask))
    }
}

/// Whether tag `cur` may follow tag `prev`, for every pair (computed once).
fn allowed_table() -> &'static [[bool; NT]; NT] {
    static TABLE: OnceLock<[[bool; NT]; NT]> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [[false; NT]; NT];
        for (p, row) in t.iter_mut().enumerate() {
            for (c, cell) in row.iter_mut().enumerate() {
                *cell = allowed(p as u8, c as u8);
            }
        }
        t
    })
}

/// One feature's weights, dense over the tags (0 for a tag without one), and the sum of
/// their magnitudes.
#[derive(Debug, Default, Clone, Copy)]
struct Dense {
    w: [i16; NT],
    abs: u32,
}

impl Dense {
    /// The row of the weights `qs` of the tags set in `mask`, in tag order (masks have
    /// no bit at or above [`NT`]; missing weights count as 0).
    fn new(mask: u32, qs: &[i16]) -> Dense {
        let mut row = Dense::default();
        for (t, &q) in tags(mask).zip(qs) {
            row.w[t] = q;
            row.abs += u32::from(q.unsigned_abs());
        }
        row
    }
}

/// The tags set in `mask`, ascending.
fn tags(mask: u32) -> impl Iterator<Item = usize> {
    let mut m = mask & ((1 << NT) - 1);
    std::iter::from_fn(move || {
        let t = m.trailing_zeros() as usize;
        m &= m.wrapping_sub(1);
        (t < 32).then_some(t)
    })
}

/// A trained tagger: feature hash → (index into `rows`, tag mask); a weight is
/// `rows[k].w[tag] × scale`.
#[derive(Debug, Default, Clone)]
pub struct Model {
    index: FeatureTable,
    rows: Vec<Dense>,
    scale: f32,
    /// Identity of the weights, keying the per-thread word-score cache (0: the empty
    /// default model; every loaded or trained model gets a fresh one).
    id: u64,
    /// Summed weights of the features of each pair of previous tags, at `prev2 × NT +
    /// prev` (see [`history_features`]), computed on first use.
    history: OnceLock<Box<[Sum]>>,
    /// Summed weights of the context features the `<s>` padding outside a sentence gives,
    /// per role of [`Prepared::neighbour_features`], computed on first use.
    padding: OnceLock<[Sum; NEIGHBOUR_OFFSETS.len()]>,
    /// See [`Model::decisive_lead`], computed on first use.
    lead: OnceLock<i64>,
}

/// Per-token scores in weight units: exact integer sums of i16 weights, with the sum of
/// their magnitudes and their number (which bound the rounding of a float sum).
#[derive(Debug, Clone, Copy, Default)]
struct Sum {
    scores: [i32; NT],
    abs: i64,
    terms: u32,
}

impl Sum {
    /// Adds the weights summed in `other` (exact: integer sums in any grouping).
    fn add(&mut self, other: &Sum) {
        for (s, o) in self.scores.iter_mut().zip(&other.scores) {
            *s += o;
        }
        self.abs += other.abs;
        self.terms += other.terms;
    }

    /// Whether tag `a` scores more than `lead` above tag `b`.
    fn leads(&self, a: usize, b: usize, lead: i64) -> bool {
        i64::from(self.scores[a]) - i64::from(self.scores[b]) > lead
    }

    /// Whether summing the same weights as `q × scale` in f32, in any order, could rank
    /// `a` and `b` differently than their exact scores do (or they tie). A sum of `n`
    /// rounded products is within `(n + 1)·2⁻²⁴·Σ|w|` (plus second-order terms) of the
    /// exact one; twice that, with margin, bounds the error of a difference.
    fn close(&self, a: usize, b: usize) -> bool {
        let gap = (i64::from(self.scores[a]) - i64::from(self.scores[b])).abs();
        let bound = 2.5 * (f64::from(self.terms) + 1.0) * self.abs as f64 / 16_777_216.0;
        gap as f64 <= bound + 1.0
    }
}

/// Most words whose scores are cached per thread before the cache is emptied (between
/// sentences).
const WORD_CACHE_MAX: usize = 40_000;

/// Reusable buffers of [`Model::tag`] and the cache of word-feature scores.
#[derive(Default)]
struct Scratch {
    /// Id of the model the cached scores belong to.
    model: u64,
    /// Headline flag + word → index of the word's summed weights in `sums`.
    words: FastMap<WordKey, u32>,
    /// The summed weights of the words cached and of the sentence being tagged: kept
    /// apart from the map, whose entries stay small, and read in place, not copied.
    sums: Vec<WordSums>,
    /// Index in `sums` of each word of the sentence being tagged.
    sentence: Vec<u32>,
    feats: Vec<u64>,
    firsts: Vec<Slot>,
    /// Tokens tagged `O` on a decisive lead (see [`Model::decisive_lead`]), for tests.
    decided: usize,
}

/// The summed weights of the features that depend on a word alone: its own, those pairing
/// it with a previous `O` tag (the tag before most words), and those it gives its
/// neighbours' context in each role of [`Prepared::neighbour_features`].
#[derive(Clone, Copy, Default)]
struct WordSums {
    own: Sum,
    after_o: Sum,
    roles: [Sum; NEIGHBOUR_OFFSETS.len()],
}

/// A word-cache key: the headline flag, the word's length and its bytes, all inline, so
/// comparing keys follows no pointer (the cache is large and its lookups miss the CPU
/// caches; a heap string was one more miss). Words longer than 30 bytes are not cached.
#[derive(Clone, Copy, PartialEq, Eq)]
struct WordKey([u64; 4]);

impl WordKey {
    fn new(headline: bool, word: &str) -> Option<WordKey> {
        let mut b = [0u8; 32];
        b[0] = u8::from(headline);
        b[1] = u8::try_from(word.len()).ok()?;
        b.get_mut(2..2 + word.len())?.copy_from_slice(word.as_bytes());
        let mut w = [0u64; 4];
        for (x, c) in w.iter_mut().zip(b.chunks_exact(8)) {
            *x = u64::from_le_bytes(c.try_into().ok()?);
        }
        Some(WordKey(w))
    }
}

impl std::hash::Hash for WordKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let [a, b, c, d] = self.0;
        state.write_u64(a ^ b.rotate_left(17) ^ c.rotate_left(31) ^ d.rotate_left(47));
    }
}

impl Scratch {
    /// Room for a full word cache and one more sentence, taken once: grown by doubling,
    /// the arena was copied and faulted in anew at every step (it ends at tens of MB).
    fn reserve(&mut self) {
        self.sums.reserve_exact(WORD_CACHE_MAX + SENTENCE_WORDS);
        self.words.reserve(WORD_CACHE_MAX + SENTENCE_WORDS);
    }
}

/// Words of a long sentence: the room [`Scratch::reserve`] leaves past a full word cache
/// (the cache is emptied between sentences, so one sentence may take it past the bound;
/// a longer one only makes the arena grow).
const SENTENCE_WORDS: usize = 512;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Most sentences whose tags are cached before the cache is emptied (a few MB).
const SENTENCE_CACHE_MAX: usize = 50_000;
/// Shards of [`SentenceCache`]: threads tagging at once rarely wait for one another.
const SENTENCE_SHARDS: usize = 8;

/// Tags of sentences already tagged in this process, keyed by model id and words; shared
/// by all threads (a sentence repeated across articles is tagged once, whichever thread
/// meets it first).
struct SentenceCache {
    shards: [Mutex<TagMap>; SENTENCE_SHARDS],
}

/// A sentence key (see [`SentenceKey::new`]) with its hash, computed once: it picks the
/// shard and is the map's hash ([`IdHasher`] passes it through), where hashing the bytes
/// again for the map cost as much as the first pass.
#[derive(Debug, PartialEq, Eq)]
struct SentenceKey {
    hash: u64,
    bytes: Box<[u8]>,
}

impl std::hash::Hash for SentenceKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

impl SentenceKey {
    /// The model id, then every word's byte length and bytes: distinct word sequences
    /// give distinct keys.
    fn new(model: u64, words: &[&str]) -> SentenceKey {
        let len = 8 + words.iter().map(|w| w.len() + 4).sum::<usize>();
        let mut key = Vec::with_capacity(len);
        key.extend_from_slice(&model.to_le_bytes());
        for w in words {
            key.extend_from_slice(&(w.len() as u32).to_le_bytes());
            key.extend_from_slice(w.as_bytes());
        }
        let hash = foldhash::fast::FixedState::default().hash_one(&key[..]);
        SentenceKey { hash, bytes: key.into_boxed_slice() }
    }
}

/// Sentence key → tags.
type TagMap = HashMap<SentenceKey, Box<[u8]>, BuildHasherDefault<IdHasher>>;

impl SentenceCache {
    fn get() -> &'static SentenceCache {
        static CACHE: OnceLock<SentenceCache> = OnceLock::new();
        CACHE.get_or_init(|| SentenceCache { shards: Default::default() })
    }

    /// The shard of `key`: chosen by hash bits the map's bucket index (low bits) and
    /// control bytes (top seven) leave to vary within a shard.
    fn shard(&self, key: &SentenceKey) -> MutexGuard<'_, TagMap> {
        let shard = &self.shards[(key.hash >> 40) as usize % SENTENCE_SHARDS];
        // A panic while holding the lock leaves the map whole (inserts are single calls).
        shard.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lookup(&self, key: &SentenceKey) -> Option<Vec<u8>> {
        self.shard(key).get(key).map(|t| t.to_vec())
    }

    fn store(&self, key: SentenceKey, tags: &[u8]) {
        let mut map = self.shard(&key);
        if map.len() >= SENTENCE_CACHE_MAX / SENTENCE_SHARDS {
            map.clear();
        }
        map.insert(key, tags.into());
    }
}

fn next_model_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Model {
    /// Number of features with weights.
    pub fn features(&self) -> usize {
        self.index.len
    }

    /// Calls `hit(row, mask)` for every feature of `feats` the model has, in feature
    /// order. The first table slot of every feature is loaded before any is examined, and
    /// every hit is resolved before any row is read: the loads of each pass do not depend
    /// on each other, so their cache misses overlap instead of waiting one after another
    /// (behind the hit/miss branches, which mispredict often).
    fn for_each_hit(
        &self,
        feats: &[u64],
        firsts: &mut Vec<Slot>,
        mut hit: impl FnMut(&Dense, u32),
    ) {
        let slots = &self.index.slots;
        if slots.is_empty() {
            return;
        }
        firsts.clear();
        firsts.extend(feats.iter().map(|&f| slots[self.index.bucket(f)]));
        // The hits, in feature order, written over the slots already examined.
        let mut hits = 0;
        for (k, &f) in feats.iter().enumerate() {
            let s = firsts[k];
            let found = if s.mask == 0 {
                None
            } else if s.key == f {
                Some((s.off, s.mask))
            } else {
                self.index.get(f)
            };
            if let Some((off, mask)) = found {
                firsts[hits] = Slot { key: f, off, mask };
                hits += 1;
            }
        }
        firsts.truncate(hits);
        for s in firsts.iter() {
            if let Some(row) = self.rows.get(s.off as usize) {
                hit(row, s.mask);
            }
        }
    }

    /// Adds the weights of `feats` to `sum` (exact integer sums: the zeros of a row add
    /// nothing, and its magnitude sum and weight count are those of its sparse weights).
    fn add_scores(&self, feats: &[u64], sum: &mut Sum, firsts: &mut Vec<Slot>) {
        self.for_each_hit(feats, firsts, |row, mask| {
            for (s, &q) in sum.scores.iter_mut().zip(&row.w) {
                *s += i32::from(q);
            }
            sum.abs += i64::from(row.abs);
            sum.terms += mask.count_ones();
        });
    }

    /// The tag the float tagger picks for token `i`: weights `q × scale` summed in f32 in
    /// feature order, as the model always tagged. Only asked when the exact integer scores
    /// of two candidates are so close that float rounding could order them differently.
    fn float_choice(
        &self,
        sent: &Prepared,
        i: usize,
        hist: (u8, u8),
        allowed: impl Fn(usize) -> bool,
        scratch: &mut Scratch,
    ) -> usize {
        let Scratch { feats, firsts, .. } = scratch;
        sent.static_features(i, feats);
        feats.extend_from_slice(&sent.dynamic_features(i, hist.0, hist.1));
        let mut scores = [0f32; NT];
        self.for_each_hit(feats, firsts, |row, mask| {
            for t in tags(mask) {
                scores[t] += f32::from(row.w[t]) * self.scale;
            }
        });
        (0..NT)
            .filter(|&t| allowed(t))
            .max_by(|&a, &b| scores[a].total_cmp(&scores[b]))
            .unwrap_or(0)
    }

    /// Tags one tokenised sentence (greedy, constrained to valid BILOU sequences).
    ///
    /// The tags are a function of the model and the words alone, so a sentence seen
    /// before in the run (wire copies repeat many) takes its tags from [`SentenceCache`].
    pub fn tag(&self, words: &[&str]) -> Vec<u8> {
        let cache = SentenceCache::get();
        let key = SentenceKey::new(self.id, words);
        if let Some(tags) = cache.lookup(&key) {
            return tags;
        }
        let mut sent = Prepared::lazy(words);
        let tags = SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.tag_prepared(&mut sent, words, &mut scratch),
            // Only reachable if tagging re-entered itself on this thread; no cache then.
            Err(_) => self.tag_prepared(&mut sent, words, &mut Scratch::default()),
        });
        cache.store(key, &tags);
        tags
    }

    /// Tags a prepared sentence; tokens of a [`Prepared::lazy`] one are filled as their
    /// features are needed.
    fn tag_prepared(&self, sent: &mut Prepared, words: &[&str], scratch: &mut Scratch) -> Vec<u8> {
        let table = allowed_table();
        // Emptied between sentences only: the indices of the sentence's words stay valid.
        if scratch.model != self.id || scratch.sums.len() >= WORD_CACHE_MAX {
            scratch.words.clear();
            scratch.sums.clear();
            scratch.model = self.id;
        }
        if scratch.sums.capacity() == 0 {
            scratch.reserve();
        }
        let mut tags: Vec<u8> = Vec::with_capacity(words.len());
        let history_sums = self.history_sums();
        let padding = self.padding_sums();
        let lead = self.decisive_lead();
        let mut sentence = std::mem::take(&mut scratch.sentence);
        sentence.clear();
        for (i, word) in words.iter().enumerate() {
            sentence.push(self.word_scores(sent, i, word, scratch));
        }
        let sums = std::mem::take(&mut scratch.sums);
        let sums_of = |j: usize| sentence.get(j).and_then(|&k| sums.get(k as usize));
        for i in 0..words.len() {
            let (p, p2) = history(&tags, i);
            let own = sums_of(i);
            let mut sum = own.map_or_else(Sum::default, |w| w.own);
            if let Some(h) = history_sums.get(usize::from(p2) * NT + usize::from(p)) {
                sum.add(h);
            }
            // The context each neighbour (or the padding) gives token i.
            for (role, &offset) in NEIGHBOUR_OFFSETS.iter().enumerate() {
                let giver = i.checked_add_signed(-offset).and_then(sums_of);
                sum.add(giver.map_or(&padding[role], |g| &g.roles[role]));
            }
            if p == 0 {
                sum.add(&own.map_or_else(Sum::default, |w| w.after_o));
            }
            let last = i + 1 == words.len();
            let row = &table[p as usize % NT];
            let allowed = |t: usize| row[t] && (!last || table[t][0]);
            if allowed(0) && (1..NT).filter(|&t| allowed(t)).all(|t| sum.leads(0, t, lead)) {
                tags.push(0);
                scratch.decided += 1;
                continue;
            }
            let at = i as isize;
            sent.fill(words, at - 1, at + 1);
            if let Some(j) = sent.run_head(i) {
                sent.fill(words, j as isize, j as isize);
            }
            let Scratch { feats, firsts, .. } = &mut *scratch;
            feats.clear();
            sent.pair_features(i, feats);
            if p != 0 {
                feats.extend_from_slice(&sent.prev_tag_word_features(i, p));
            }
            self.add_scores(feats, &mut sum, firsts);
            let best = (0..NT).filter(|&t| allowed(t)).max_by_key(|&t| sum.scores[t]).unwrap_or(0);
            let close = (0..NT).any(|t| t != best && allowed(t) && sum.close(best, t));
            let best = if close {
                sent.fill(words, at - 2, at + 2);
                self.float_choice(sent, i, (p, p2), allowed, scratch)
            } else {
                best
            };
            tags.push(best as u8);
        }
        scratch.sums = sums;
        scratch.sentence = sentence;
        tags
    }

    /// The lead of `O` over every other tag past which a token's remaining features (its
    /// word and shape pairs, position and previous-tag features) are not looked up: the
    /// most any single feature of the model raises another tag over `O` (see
    /// [`Model::tag_prepared`]).
    fn decisive_lead(&self) -> i64 {
        *self.lead.get_or_init(|| {
            let gain = |r: &Dense| r.w[1..].iter().map(|&q| i64::from(q) - i64::from(r.w[0])).max();
            self.rows.iter().filter_map(gain).max().unwrap_or(0).max(0)
        })
    }

    /// Summed weights of the context features the padding outside a sentence gives, per
    /// role (see [`Model::padding`]).
    fn padding_sums(&self) -> &[Sum; NEIGHBOUR_OFFSETS.len()] {
        self.padding.get_or_init(|| {
            let (empty, mut feats, mut firsts) = (Prepared::default(), Vec::new(), Vec::new());
            std::array::from_fn(|role| {
                feats.clear();
                empty.neighbour_features(-1, role, &mut feats);
                let mut sum = Sum::default();
                self.add_scores(&feats, &mut sum, &mut firsts);
                sum
            })
        })
    }

    /// Summed weights of the features of every pair of previous tags (see
    /// [`Model::history`]).
    fn history_sums(&self) -> &[Sum] {
        self.history.get_or_init(|| {
            let mut firsts = Vec::new();
            (0..NT * NT)
                .map(|k| {
                    let mut sum = Sum::default();
                    let feats = history_features((k % NT) as u8, (k / NT) as u8);
                    self.add_scores(&feats, &mut sum, &mut firsts);
                    sum
                })
                .collect()
        })
    }

    /// Index in `scratch.sums` of the summed weights of the features of token `i` that
    /// depend on its word alone (see [`WordSums`]), cached per thread: a word seen before
    /// gets the index it got then.
    fn word_scores(&self, sent: &mut Prepared, i: usize, word: &str, scratch: &mut Scratch) -> u32 {
        let key = WordKey::new(sent.headline(), word);
        if let Some(&k) = key.and_then(|k| scratch.words.get(&k)) {
            return k;
        }
        sent.fill_one(i, word);
        let Scratch { feats, firsts, .. } = &mut *scratch;
        let mut sums = WordSums::default();
        feats.clear();
        sent.word_features(i, feats);
        self.add_scores(feats, &mut sums.own, firsts);
        self.add_scores(&sent.prev_tag_word_features(i, 0), &mut sums.after_o, firsts);
        for (role, sum) in sums.roles.iter_mut().enumerate() {
            feats.clear();
            sent.neighbour_features(i as isize, role, feats);
            self.add_scores(feats, sum, firsts);
        }
        let index = scratch.sums.len() as u32;
        scratch.sums.push(sums);
        if let Some(k) = key {
            scratch.words.insert(k, index);
        }
        index
    }

    /// Serialises the model: magic, scale, count, then per feature its hash, tag mask
    /// and one i16 per set bit (weight / scale).
    pub fn to_bytes(&self) -> Vec<u8> {
        let scale = if self.scale > 0.0 { self.scale } else { 1.0 };
        let mut out = Vec::with_capacity(16 + self.index.len * 20);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&scale.to_le_bytes());
        out.extend_from_slice(&(self.index.len as u32).to_le_bytes());
        let mut keys: Vec<_> = self.index.iter().collect();
        keys.sort_by_key(|k| k.0);
        for (key, off, mask) in keys {
            out.extend_from_slice(&key.to_le_bytes());
            out.extend_from_slice(&mask.to_le_bytes());
            let row = self.rows.get(off as usize).copied().unwrap_or_default();
            for t in tags(mask) {
                out.extend_from_slice(&row.w[t].to_le_bytes());
            }
        }
        out
    }

    /// Writes the model to `path`.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        std::fs::write(path, self.to_bytes())
    }

    /// Reads a model written by [`Model::save`].
    pub fn load(bytes: &[u8]) -> io::Result<Model> {
        let bad = || io::Error::new(io::ErrorKind::InvalidData, "not a chorus NER model");
        let mut r = Reader { bytes, pos: 0 };
        if r.take(4).ok_or_else(bad)? != MAGIC {
            return Err(bad());
        }
        let scale = f32::from_le_bytes(r.array().ok_or_else(bad)?);
        let n = u32::from_le_bytes(r.array().ok_or_else(bad)?) as usize;
        let mut model = Model { scale, id: next_model_id(), ..Model::default() };
        // A feature takes at least 12 bytes of the file: a bad count cannot reserve more.
        let features = n.min(bytes.len() / 12);
        model.index.reserve(features);
        model.rows.reserve_exact(features);
        let mut qs = Vec::with_capacity(NT);
        for _ in 0..n {
            let key = u64::from_le_bytes(r.array().ok_or_else(bad)?);
            let mask = u32::from_le_bytes(r.array().ok_or_else(bad)?);
            if mask >> NT != 0 {
                return Err(bad());
            }
            qs.clear();
            for _ in 0..mask.count_ones() {
                qs.push(i16::from_le_bytes(r.array().ok_or_else(bad)?));
            }
            if mask != 0 {
                model.index.insert(key, model.rows.len() as u32, mask);
                model.rows.push(Dense::new(mask, &qs));
            }
        }
        Ok(model)
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let s = self.bytes.get(self.pos..self.pos + n)?;
        self.pos += n;
        Some(s)
    }
    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }
}

fn history(tags: &[u8], i: usize) -> (u8, u8) {
    let p = if i >= 1 { tags[i - 1] } else { 0 };
    let p2 = if i >= 2 { tags[i - 2] } else { 0 };
    (p, p2)
}

/// A CoNLL sentence: tokens and gold BILOU tags.
#[derive(Debug, Clone, Default)]
pub struct Labelled {
    /// Tokens.
    pub words: Vec<String>,
    /// Gold entity spans (start token, end token exclusive, kind).
    pub spans: Vec<(usize, usize, EntityKind)>,
}

fn kind_of(label: &str) -> Option<EntityKind> {
    match label.get(2..)? {
        "PER" => Some(EntityKind::Person),
        "ORG" => Some(EntityKind::Organization),
        "LOC" => Some(EntityKind::Location),
        "MISC" => Some(EntityKind::Misc),
        _ => None,
    }
}

/// Reads a CoNLL-2003 file (token POS chunk NER; IOB1 or IOB2 tags).
pub fn read_conll(text: &str) -> Vec<Labelled> {
    let mut out = Vec::new();
    let mut cur = Labelled::default();
    let mut open: Option<(usize, EntityKind)> = None;
    let close = |cur: &mut Labelled, open: &mut Option<(usize, EntityKind)>, end: usize| {
        if let Some((s, k)) = open.take() {
            cur.spans.push((s, end, k));
        }
    };
    for line in text.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.is_empty() || cols[0] == "-DOCSTART-" {
            let n = cur.words.len();
            close(&mut cur, &mut open, n);
            if n > 0 {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let i = cur.words.len();
        let label = cols.last().copied().unwrap_or("O");
        let kind = kind_of(label);
        let begins = label.starts_with("B-") || open.map(|(_, k)| Some(k) != kind).unwrap_or(true);
        if kind.is_none() || begins {
            close(&mut cur, &mut open, i);
        }
        if let (Some(k), true) = (kind, open.is_none()) {
            open = Some((i, k));
        }
        cur.words.push(cols[0].to_string());
    }
    let n = cur.words.len();
    close(&mut cur, &mut open, n);
    if n > 0 {
        out.push(cur);
    }
    out
}

#[derive(Clone)]
struct Row {
    w: [f32; NT],
    total: [f64; NT],
    ts: [u32; NT],
}

/// Averaged-perceptron training state.
struct Trainer {
    index: IdMap<u32>,
    rows: Vec<Row>,
    now: u32,
}

impl Trainer {
    fn score(&self, feats: &[u64], scores: &mut [f32; NT]) {
        for f in feats {
            if let Some(&r) = self.index.get(f) {
                for (s, w) in scores.iter_mut().zip(&self.rows[r as usize].w) {
                    *s += w;
                }
            }
        }
    }

    fn update(&mut self, feats: &[u64], tag: usize, delta: f32) {
        for &f in feats {
            let next = self.rows.len() as u32;
            let r = *self.index.entry(f).or_insert(next);
            if r == next {
                self.rows.push(Row { w: [0.0; NT], total: [0.0; NT], ts: [0; NT] });
            }
            let row = &mut self.rows[r as usize];
            row.total[tag] += f64::from(self.now - row.ts[tag]) * f64::from(row.w[tag]);
            row.ts[tag] = self.now;
            row.w[tag] += delta;
        }
    }

    fn train_sentence(&mut self, s: &Labelled) {
        let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
        let gold = tags_of(words.len(), &s.spans);
        let sent = Prepared::new(&words);
        let mut feats: Vec<u64> = Vec::with_capacity(64);
        let mut tags: Vec<u8> = Vec::with_capacity(words.len());
        for (i, &want) in gold.iter().enumerate() {
            self.now += 1;
            let (p, p2) = history(&tags, i);
            sent.static_features(i, &mut feats);
            feats.extend_from_slice(&sent.dynamic_features(i, p, p2));
            let mut scores = [0f32; NT];
            self.score(&feats, &mut scores);
            let guess = (0..NT).max_by(|&a, &b| scores[a].total_cmp(&scores[b])).unwrap_or(0);
            if guess != want as usize {
                self.update(&feats, want as usize, 1.0);
                self.update(&feats, guess, -1.0);
            }
            tags.push(guess as u8);
        }
    }

    /// Averages the weights, drops those below `prune` in magnitude and quantises the rest
    /// to i16 (the largest magnitude maps to 32767), as the shipped file stores them.
    fn finish(self, prune: f32) -> Model {
        let now = f64::from(self.now.max(1));
        let mut kept: Vec<(u64, u32, usize)> = Vec::new();
        let mut avgs: Vec<f32> = Vec::new();
        for (&key, &r) in &self.index {
            let row = &self.rows[r as usize];
            let mut mask = 0u32;
            let off = avgs.len();
            for t in 0..NT {
                let total = row.total[t] + f64::from(self.now - row.ts[t]) * f64::from(row.w[t]);
                let avg = (total / now) as f32;
                if avg.abs() >= prune {
                    mask |= 1 << t;
                    avgs.push(avg);
                }
            }
            if mask != 0 {
                kept.push((key, mask, off));
            }
        }
        let max = avgs.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let mut model = Model { scale, id: next_model_id(), ..Model::default() };
        let qs: Vec<i16> = avgs.iter().map(|w| (w / scale).round() as i16).collect();
        for (key, mask, off) in kept {
            model.index.insert(key, model.rows.len() as u32, mask);
            model.rows.push(Dense::new(mask, qs.get(off..).unwrap_or(&[])));
        }
        model
    }
}

/// Trains a model on sentences for `epochs` passes, in a fixed shuffled order per epoch
/// (seeded, so training is reproducible).
pub fn train_sentences(data: &[Labelled], epochs: usize) -> Model {
    let mut trainer = Trainer { index: IdMap::default(), rows: Vec::new(), now: 0 };
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..epochs {
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        for &i in &order {
            trainer.train_sentence(&data[i]);
        }
    }
    trainer.finish(0.002)
}

/// Trains a model on a CoNLL-2003 file (`eng.train`) for `epochs` passes.
pub fn train(path: &Path, epochs: usize) -> io::Result<Model> {
    let text = std::fs::read_to_string(path)?;
    Ok(train_sentences(&read_conll(&text), epochs))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\
        German JJ I-NP I-MISC\ncall NN I-NP O\n\nPeter NNP I-NP I-PER\nBlackburn NNP I-NP I-PER\n\
        Smith NNP I-NP B-PER\n";

    #[test]
    fn reads_iob1() {
        let s = read_conll(SAMPLE);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].spans, [(0, 1, EntityKind::Organization), (2, 3, EntityKind::Misc)]);
        assert_eq!(s[1].spans, [(0, 2, EntityKind::Person), (2, 3, EntityKind::Person)]);
    }

    #[test]
    fn bilou_round_trip() {
        let spans = vec![(0, 1, EntityKind::Person), (2, 5, EntityKind::Location)];
        let tags = tags_of(6, &spans);
        assert_eq!(spans_of(&tags), spans);
        assert!(allowed(0, tag_of(EntityKind::Person, Pos::B)));
        assert!(!allowed(0, tag_of(EntityKind::Person, Pos::I)));
        assert!(!allowed(tag_of(EntityKind::Person, Pos::B), 0));
    }

    #[test]
    fn learns_and_round_trips_bytes() {
        let data = read_conll(&SAMPLE.repeat(5));
        let model = train_sentences(&data, 5);
        let loaded = Model::load(&model.to_bytes()).expect("model loads");
        assert_eq!(loaded.features(), model.features());
        let tags = loaded.tag(&["Peter", "Blackburn", "rejects"]);
        assert_eq!(spans_of(&tags), [(0, 2, EntityKind::Person)]);
        assert!(Model::load(b"junk").is_err());
        assert!(Model::load(&model.to_bytes()[..20]).is_err());
    }

    /// Skipping the pair features of a token whose `O` lead is decisive (see
    /// [`Model::decisive_lead`]) tags the demo corpus exactly as
    /// looking every feature up does, and does skip most tokens.
    #[test]
    fn decisive_leads_skip_lookups_without_changing_tags() {
        let model = Model::load(include_bytes!("../../../data/ner/model.bin")).expect("loads");
        let exhaustive =
            Model { id: next_model_id(), lead: OnceLock::from(i64::MAX), ..model.clone() };
        let corpus = include_str!("../../../../../examples/corpus/articles.jsonl");
        let (mut tokens, mut skipped) = (0, 0);
        for line in corpus.lines() {
            let text = serde_json::from_str::<serde_json::Value>(line).expect("demo line is JSON")
                ["text"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            for sentence in text.split(['\n', '.']) {
                let toks = super::super::tokenize::tokenize(sentence, 0, sentence.len());
                let words: Vec<&str> = toks.iter().map(|t| t.text).collect();
                let mut scratch = Scratch::default();
                let fast = model.tag_prepared(&mut Prepared::lazy(&words), &words, &mut scratch);
                let mut eager = Prepared::new(&words);
                let full = exhaustive.tag_prepared(&mut eager, &words, &mut Scratch::default());
                assert_eq!(fast, full, "{sentence}");
                tokens += words.len();
                skipped += scratch.decided;
            }
        }
        assert!(tokens > 3_000 && skipped * 2 > tokens, "{skipped} of {tokens} skipped");
    }

    /// A token's score summed in parts (the word's own features, those pairing it with a
    /// previous `O` and those its neighbours give it, per word; the padding's and the
    /// previous tags' alone, per model; the rest per token) is the sum over all its
    /// features, for every pair of previous tags.
    #[test]
    fn scores_summed_in_parts_equal_whole_sums() {
        let model = Model::load(include_bytes!("../../../data/ner/model.bin")).expect("loads");
        let mut firsts = Vec::new();
        for words in
            [&["Kremlin", "spokesman", "Dmitry", "Peskov", "said", "."][..], &["UN", "SAYS"]]
        {
            let mut sent = Prepared::new(words);
            let mut scratch = Scratch::default();
            for (i, word) in words.iter().enumerate() {
                for (p, p2) in [(0u8, 0u8), (0, 3), (1, 0), (2, 1), (16, 16), (4, 9)] {
                    let mut feats = Vec::new();
                    sent.static_features(i, &mut feats);
                    feats.extend_from_slice(&sent.dynamic_features(i, p, p2));
                    let mut whole = Sum::default();
                    model.add_scores(&feats, &mut whole, &mut firsts);

                    let at = |k: u32, scratch: &Scratch| scratch.sums[k as usize];
                    let sums = at(model.word_scores(&mut sent, i, word, &mut scratch), &scratch);
                    let mut parts = sums.own;
                    parts.add(&model.history_sums()[usize::from(p2) * NT + usize::from(p)]);
                    for (role, &offset) in NEIGHBOUR_OFFSETS.iter().enumerate() {
                        let j = i as isize - offset;
                        match usize::try_from(j).ok().and_then(|j| words.get(j)) {
                            Some(w) => {
                                let k = model.word_scores(&mut sent, j as usize, w, &mut scratch);
                                parts.add(&at(k, &scratch).roles[role]);
                            }
                            None => parts.add(&model.padding_sums()[role]),
                        }
                    }
                    let mut rest = Vec::new();
                    sent.pair_features(i, &mut rest);
                    if p == 0 {
                        parts.add(&sums.after_o);
                    } else {
                        rest.extend_from_slice(&sent.prev_tag_word_features(i, p));
                    }
                    model.add_scores(&rest, &mut parts, &mut firsts);
                    let key = |s: &Sum| (s.scores, s.abs, s.terms);
                    assert_eq!(key(&parts), key(&whole), "{words:?} {i} {p} {p2}");
                }
            }
        }
    }

    #[test]
    fn word_keys() {
        let long = "x".repeat(30);
        let keys: Vec<Option<WordKey>> =
            [(false, "ab"), (true, "ab"), (false, "ab\0"), (false, "")]
                .iter()
                .chain([(false, long.as_str())].iter())
                .map(|&(h, w)| WordKey::new(h, w))
                .collect();
        assert!(keys.iter().all(Option::is_some));
        for (i, a) in keys.iter().enumerate() {
            assert!(keys[i + 1..].iter().all(|b| a != b));
        }
        assert!(WordKey::new(false, &"x".repeat(31)).is_none());
        assert!(WordKey::new(false, "ab") == WordKey::new(false, "ab"));
    }

    /// Sentence keys tell apart word sequences with the same bytes and models; a cached
    /// sentence gets the tags tagging it afresh gives.
    #[test]
    fn sentence_cache_keys_and_hits() {
        let keys = [
            SentenceKey::new(1, &["ab", "c"]),
            SentenceKey::new(1, &["a", "bc"]),
            SentenceKey::new(2, &["ab", "c"]),
            SentenceKey::new(1, &["ab", "c", ""]),
            SentenceKey::new(1, &[]),
        ];
        for (i, a) in keys.iter().enumerate() {
            assert!(keys[i + 1..].iter().all(|b| a != b), "{a:?}");
        }
        let model = Model::load(include_bytes!("../../../data/ner/model.bin")).expect("loads");
        for words in [
            &["Kremlin", "spokesman", "Dmitry", "Peskov", "said", "so", "."][..],
            &["THE", "UN", "SAID", "SO"],
            &[],
        ] {
            let fresh =
                model.tag_prepared(&mut Prepared::new(words), words, &mut Scratch::default());
            assert_eq!(model.tag(words), fresh);
            assert_eq!(model.tag(words), fresh, "cached");
        }
    }

    /// The shipped model writes back byte for byte; its dense rows sum exactly what its
    /// sparse weights do (scores, magnitudes, counts) for features present and absent; a
    /// mask with a bit beyond the tags is refused.
    #[test]
    fn dense_rows_sum_like_sparse_weights() {
        let bytes = include_bytes!("../../../data/ner/model.bin");
        let model = Model::load(bytes).expect("shipped model loads");
        assert_eq!(model.to_bytes(), bytes.as_slice());
        // The file read the plain way: key → (tag, weight) list.
        let mut sparse: Vec<(u64, Vec<(usize, i16)>)> = Vec::new();
        let mut r = Reader { bytes, pos: 12 };
        while let (Some(k), Some(m)) = (r.array::<8>(), r.array::<4>()) {
            let mask = u32::from_le_bytes(m);
            let ws = (0..NT)
                .filter(|t| mask >> t & 1 == 1)
                .map(|t| (t, r.array::<2>().map_or(0, i16::from_le_bytes)))
                .collect();
            sparse.push((u64::from_le_bytes(k), ws));
        }
        assert_eq!(sparse.len(), model.features());
        for chunk in sparse.chunks(37).step_by(97) {
            let mut feats: Vec<u64> = chunk.iter().map(|(k, _)| *k).collect();
            feats.extend(chunk.iter().map(|(k, _)| k.wrapping_mul(3) ^ 1)); // absent
            let mut want = Sum::default();
            for (t, q) in chunk.iter().flat_map(|(_, ws)| ws) {
                want.scores[*t] += i32::from(*q);
                want.abs += i64::from(q.unsigned_abs());
                want.terms += 1;
            }
            let mut got = Sum::default();
            model.add_scores(&feats, &mut got, &mut Vec::new());
            assert_eq!((got.scores, got.abs, got.terms), (want.scores, want.abs, want.terms));
        }
        let mut bad = MAGIC.to_vec();
        bad.extend_from_slice(&1f32.to_le_bytes());
        bad.extend_from_slice(&1u32.to_le_bytes());
        bad.extend_from_slice(&7u64.to_le_bytes());
        bad.extend_from_slice(&(1u32 << NT | 1).to_le_bytes());
        bad.extend_from_slice(&[1, 0, 2, 0]);
        assert!(Model::load(&bad).is_err());
    }
}
