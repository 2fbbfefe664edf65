//! The averaged-perceptron NER model: BILOU tags over four kinds, greedy left-to-right
//! decoding with valid-transition constraints, training on CoNLL-2003 files, and a compact
//! binary format (feature hash → sparse i16-quantised tag weights).
//!
//! Hand-written because no available crate ships a trainable sequence tagger. Training:
//! `cargo test --release -p chorus-engine --lib eval::ner::tests::train_model -- --ignored
//! --nocapture` (reads `CONLL_TRAIN`, default `/work/shared/data/conll2003/eng.train`,
//! writes `crates/engine/data/ner/model.bin`, scores `eng.testa`); the CLI exposes
//! [`train`] + [`Model::save`] as `chorus train ner`.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io;
use std::path::Path;

use super::features::{dynamic_features, norm, shape, static_features};
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

/// A trained tagger: feature hash → (offset into `weights`, tag mask).
#[derive(Debug, Default, Clone)]
pub struct Model {
    index: IdMap<(u32, u32)>,
    weights: Vec<f32>,
}

impl Model {
    /// Number of features with weights.
    pub fn features(&self) -> usize {
        self.index.len()
    }

    fn add_scores(&self, feat: u64, scores: &mut [f32; NT]) {
        if let Some(&(off, mask)) = self.index.get(&feat) {
            let mut k = off as usize;
            for (t, s) in scores.iter_mut().enumerate() {
                if mask & (1 << t) != 0 {
                    *s += self.weights.get(k).copied().unwrap_or(0.0);
                    k += 1;
                }
            }
        }
    }

    /// Tags one tokenised sentence (greedy, constrained to valid BILOU sequences).
    pub fn tag(&self, words: &[&str]) -> Vec<u8> {
        let stat = static_features(words);
        let lows: Vec<String> = words.iter().map(|w| norm(w)).collect();
        let shapes: Vec<String> = words.iter().map(|w| shape(w)).collect();
        let mut tags: Vec<u8> = Vec::with_capacity(words.len());
        for i in 0..words.len() {
            let (p, p2) = history(&tags, i);
            let mut scores = [0f32; NT];
            for &f in stat[i].iter().chain(&dynamic_features(p, p2, &lows[i], &shapes[i])) {
                self.add_scores(f, &mut scores);
            }
            let last = i + 1 == words.len();
            let best = (0..NT as u8)
                .filter(|&t| allowed(p, t) && (!last || allowed(t, 0)))
                .max_by(|&a, &b| scores[a as usize].total_cmp(&scores[b as usize]))
                .unwrap_or(0);
            tags.push(best);
        }
        tags
    }

    /// Serialises the model: magic, scale, count, then per feature its hash, tag mask
    /// and one i16 per set bit (weight / scale).
    pub fn to_bytes(&self) -> Vec<u8> {
        let max = self.weights.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let mut out = Vec::with_capacity(16 + self.index.len() * 20);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&scale.to_le_bytes());
        out.extend_from_slice(&(self.index.len() as u32).to_le_bytes());
        let mut keys: Vec<_> = self.index.iter().collect();
        keys.sort_by_key(|(k, _)| **k);
        for (&key, &(off, mask)) in keys {
            out.extend_from_slice(&key.to_le_bytes());
            out.extend_from_slice(&mask.to_le_bytes());
            for k in 0..mask.count_ones() as usize {
                let w = self.weights.get(off as usize + k).copied().unwrap_or(0.0);
                out.extend_from_slice(&((w / scale).round() as i16).to_le_bytes());
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
        let mut model = Model::default();
        model.index.reserve(n.min(bytes.len() / 12));
        for _ in 0..n {
            let key = u64::from_le_bytes(r.array().ok_or_else(bad)?);
            let mask = u32::from_le_bytes(r.array().ok_or_else(bad)?);
            let off = model.weights.len() as u32;
            for _ in 0..mask.count_ones() {
                let q = i16::from_le_bytes(r.array().ok_or_else(bad)?);
                model.weights.push(f32::from(q) * scale);
            }
            model.index.insert(key, (off, mask));
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
        let stat = static_features(&words);
        let lows: Vec<String> = words.iter().map(|w| norm(w)).collect();
        let shapes: Vec<String> = words.iter().map(|w| shape(w)).collect();
        let mut tags: Vec<u8> = Vec::with_capacity(words.len());
        for i in 0..words.len() {
            self.now += 1;
            let (p, p2) = history(&tags, i);
            let mut feats = stat[i].clone();
            feats.extend_from_slice(&dynamic_features(p, p2, &lows[i], &shapes[i]));
            let mut scores = [0f32; NT];
            self.score(&feats, &mut scores);
            let guess = (0..NT).max_by(|&a, &b| scores[a].total_cmp(&scores[b])).unwrap_or(0);
            if guess != gold[i] as usize {
                self.update(&feats, gold[i] as usize, 1.0);
                self.update(&feats, guess, -1.0);
            }
            tags.push(guess as u8);
        }
    }

    /// Averages the weights and drops those below `prune` in magnitude.
    fn finish(self, prune: f32) -> Model {
        let mut model = Model::default();
        let now = f64::from(self.now.max(1));
        for (&key, &r) in &self.index {
            let row = &self.rows[r as usize];
            let mut mask = 0u32;
            let off = model.weights.len() as u32;
            for t in 0..NT {
                let total = row.total[t] + f64::from(self.now - row.ts[t]) * f64::from(row.w[t]);
                let avg = (total / now) as f32;
                if avg.abs() >= prune {
                    mask |= 1 << t;
                    model.weights.push(avg);
                }
            }
            if mask != 0 {
                model.index.insert(key, (off, mask));
            }
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
}
