//! Feature extraction for the NER perceptron: each feature is a 64-bit hash of a template
//! id and its string value (no strings are kept), so the model is a map hash → tag weights.
//!
//! Static features (word, lowercase, shape, affixes, context words, capitalisation flags,
//! gazetteer classes) are computed once per sentence; dynamic ones (previous tags) per step.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::designate::{designators, has_elision};
use crate::analyze::signature::StrMap;

/// Gazetteer classes (bit flags).
pub const GAZ_LOC: u8 = 1;
/// Nationalities, religions.
pub const GAZ_MISC: u8 = 2;
/// Given names.
pub const GAZ_FIRST: u8 = 4;
/// Words that end organisation names.
pub const GAZ_ORGW: u8 = 8;
/// Words that precede a person's name.
pub const GAZ_TITLE: u8 = 16;

/// The gazetteer: lowercase word → class bits (from `data/ner/gazetteer.txt`).
pub fn gazetteer() -> &'static HashMap<String, u8> {
    static GAZ: OnceLock<HashMap<String, u8>> = OnceLock::new();
    GAZ.get_or_init(|| {
        let mut map = HashMap::new();
        for (class, line) in class_lines(include_str!("../../../data/ner/gazetteer.txt")) {
            let class = match class {
                "LOC" => GAZ_LOC,
                "MISC" => GAZ_MISC,
                "FIRST" => GAZ_FIRST,
                "ORGW" => GAZ_ORGW,
                "TITLE" => GAZ_TITLE,
                _ => 0,
            };
            *map.entry(line.to_string()).or_insert(0) |= class;
        }
        map
    })
}

/// The entries of a word-list file grouped under `@CLASS` header lines, as `(CLASS,
/// entry)` (trimmed; blank lines and `#` comments skipped; entries before any header
/// have the class "").
pub fn class_lines(text: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut class = "";
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).filter_map(
        move |line| match line.strip_prefix('@') {
            Some(name) => {
                class = name;
                None
            }
            None => Some((class, line)),
        },
    )
}

/// `f` of `word` lowercased on the stack, for an ASCII word of at most 32 bytes (the
/// lists' words are shorter): no allocation. `None` for any other word.
pub fn with_ascii_lowercase<R>(word: &str, f: impl FnOnce(&str) -> R) -> Option<R> {
    if !word.is_ascii() {
        return None;
    }
    let mut buf = [0u8; 32];
    let dst = buf.get_mut(..word.len())?;
    dst.copy_from_slice(word.as_bytes());
    dst.make_ascii_lowercase();
    // ASCII stays valid UTF-8 when lowercased.
    std::str::from_utf8(dst).ok().map(f)
}

/// The gazetteer's class bits and the designator lists' raw class bits of each word, in
/// one map with a fast (non-randomised) hasher: one lookup per token gives both.
fn fast_classes() -> &'static StrMap<String, (u8, u8)> {
    static CLASSES: OnceLock<StrMap<String, (u8, u8)>> = OnceLock::new();
    CLASSES.get_or_init(|| {
        let mut map: StrMap<String, (u8, u8)> =
            gazetteer().iter().map(|(k, v)| (k.clone(), (*v, 0))).collect();
        for (word, bits) in designators().entries() {
            map.entry(word.to_string()).or_default().1 |= bits;
        }
        map
    })
}

/// Gazetteer and raw designator class bits of a word looked up lowercased (an ASCII word
/// on the stack, without allocating). Designator words are listed folded (no accents),
/// so the designator bits hold for an ASCII word only.
fn classes(word: &str) -> (u8, u8) {
    let map = fast_classes();
    // Same result as `to_lowercase` for ASCII, without allocating for short words.
    let found = with_ascii_lowercase(word, |low| map.get(low).copied());
    found.unwrap_or_else(|| map.get(word.to_lowercase().as_str()).copied()).unwrap_or((0, 0))
}

/// Gazetteer class bits of a word (any case; looked up lowercased).
pub fn gaz_class(word: &str) -> u8 {
    classes(word).0
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// FNV state after a template id.
fn start(template: u8) -> u64 {
    (FNV_OFFSET ^ u64::from(template)).wrapping_mul(FNV_PRIME)
}

/// FNV state after feeding `bytes`.
fn feed(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// Hash of a template id and a string value.
pub fn hash(template: u8, value: &str) -> u64 {
    feed(start(template), value.as_bytes())
}

/// Hash of a template id and two values.
pub fn hash2(template: u8, a: &str, b: &str) -> u64 {
    feed(feed(hash(template, a), &[0xff]), b.as_bytes())
}

/// Whether a word starts with an uppercase letter.
fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Appends the shape of `word` to `out` (see [`shape`]).
fn push_shape(out: &mut String, word: &str) {
    let mut last = '\0';
    for c in word.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if s != last {
            out.push(s);
            last = s;
        }
    }
}

/// Word shape: `Xxxx` → `Xx`, `U.S.` → `X.X.`, `1996-08-22` → `d-d-d` (runs collapsed).
pub fn shape(word: &str) -> String {
    let mut out = String::new();
    push_shape(&mut out, word);
    out
}

/// The normalised form of one char (see [`norm`]), before lowercasing.
fn norm_char(c: char) -> char {
    match c {
        '’' | '‘' | '`' => '\'',
        '“' | '”' => '"',
        c if c.is_ascii_digit() => '0',
        c => c,
    }
}

/// Appends the normalised form of `word` to `out` (see [`norm`]).
fn push_norm(out: &mut String, word: &str) {
    if word.is_ascii() {
        out.extend(word.chars().map(|c| norm_char(c).to_ascii_lowercase()));
    } else {
        out.extend(word.chars().map(norm_char).flat_map(char::to_lowercase));
    }
}

/// Normalises a token for lookup: lowercase, curly quotes folded, digits → `0`.
pub fn norm(word: &str) -> String {
    let mut out = String::new();
    push_norm(&mut out, word);
    out
}

/// Per-token information the templates read: byte ranges into the sentence buffer.
#[derive(Debug, Clone, Copy)]
struct TokInfo {
    raw: (u32, u32),
    low: (u32, u32),
    shape: (u32, u32),
    gaz: u8,
    /// Designator class bits (see `designate::Designators::class_bits`).
    des: u8,
    /// Whether the word starts with an uppercase letter.
    cap: bool,
    /// The last token of the capitalised run this token starts or is in (itself when
    /// the next token is not capitalised).
    run_last: u32,
    /// Whether the forms and classes above are computed (see [`Prepared::lazy`]).
    ready: bool,
}

/// A sentence prepared for feature extraction: every token's surface form (curly
/// apostrophe folded), normalised form, shape and gazetteer class, computed once and kept
/// in one buffer.
#[derive(Debug, Default, Clone)]
pub struct Prepared {
    buf: String,
    infos: Vec<TokInfo>,
    headline: bool,
}

const PAD: &str = "<s>";
/// Offset from a token to the token whose context features it gives, per role of
/// [`Prepared::neighbour_features`]: the previous word of the next token, the next word of
/// the previous one, two before, two after.
pub const NEIGHBOUR_OFFSETS: [isize; 4] = [1, -1, 2, -2];
/// Names of the gazetteer class bits in feature values.
const GAZ_BITS: [&str; 5] = ["0", "1", "2", "3", "4"];

impl Prepared {
    /// Prepares the tokens of one sentence.
    pub fn new(words: &[&str]) -> Prepared {
        // Raw form, normalised form and shape: at most about three times the words' bytes
        // (lowercasing may lengthen a few non-ASCII chars; the buffer then grows).
        let bytes: usize = words.iter().map(|w| w.len()).sum();
        let mut p = Prepared {
            buf: String::with_capacity(3 * bytes),
            infos: Vec::with_capacity(words.len()),
            headline: false,
        };
        for w in words {
            let info = p.info(w);
            p.infos.push(info);
        }
        p.runs_and_headline(words);
        p
    }

    /// Prepares only what every token needs (capitalisation, runs, the headline flag):
    /// a token's forms and classes are computed by [`Prepared::fill`] when a feature of it
    /// is first needed. The tagger takes most words' scores from its word cache and decides
    /// most tokens without their pair features, so most tokens never need them.
    pub fn lazy(words: &[&str]) -> Prepared {
        let mut p = Prepared {
            buf: String::new(),
            infos: Vec::with_capacity(words.len()),
            headline: false,
        };
        p.infos.extend(words.iter().map(|w| TokInfo {
            raw: (0, 0),
            low: (0, 0),
            shape: (0, 0),
            gaz: 0,
            des: 0,
            cap: starts_upper(w),
            run_last: 0,
            ready: false,
        }));
        p.runs_and_headline(words);
        p
    }

    /// Computes the forms and classes of tokens `from..=to` (clamped to the sentence) not
    /// computed yet; `words` are the words the sentence was prepared from.
    pub fn fill(&mut self, words: &[&str], from: isize, to: isize) {
        let (Ok(from), Ok(to)) = (usize::try_from(from.max(0)), usize::try_from(to)) else {
            return;
        };
        for i in from..=to.min(self.infos.len().saturating_sub(1)) {
            if let Some(w) = words.get(i) {
                self.fill_one(i, w);
            }
        }
    }

    /// Computes the forms and classes of token `i`, whose word is `word`, if not yet.
    pub fn fill_one(&mut self, i: usize, word: &str) {
        if let Some(t) = self.infos.get(i).filter(|t| !t.ready) {
            let run_last = t.run_last;
            self.infos[i] = TokInfo { run_last, ..self.info(word) };
        }
    }

    /// The last token of each capitalised run, and whether the sentence is an all-caps
    /// headline: more than one word with letters, none with a lowercase letter (what its
    /// shape writes `x`).
    fn runs_and_headline(&mut self, words: &[&str]) {
        let mut last = 0;
        for i in (0..self.infos.len()).rev() {
            let cap = self.infos[i].cap;
            if !cap || !self.infos.get(i + 1).is_some_and(|t| t.cap) {
                last = i;
            }
            self.infos[i].run_last = last as u32;
        }
        let mut letters = 0;
        let mut all_upper = true;
        for w in words {
            if w.chars().any(char::is_alphabetic) {
                letters += 1;
                all_upper &= !w.chars().any(|c| !c.is_uppercase() && c.is_lowercase());
            }
        }
        self.headline = letters > 1 && all_upper;
    }

    /// The last word of the capitalised run token `i` is in, at most 5 on, when it is past
    /// `i` (its designator classes are a feature of token `i`).
    pub fn run_head(&self, i: usize) -> Option<usize> {
        let t = self.infos.get(i).filter(|t| t.cap)?;
        Some((t.run_last as usize).min(i + 5)).filter(|&j| j > i)
    }

    fn push(&mut self, f: impl FnOnce(&mut String)) -> (u32, u32) {
        let s = self.buf.len() as u32;
        f(&mut self.buf);
        (s, self.buf.len() as u32)
    }

    fn info(&mut self, word: &str) -> TokInfo {
        let raw = self.push(|b| b.extend(word.chars().map(|c| if c == '’' { '\'' } else { c })));
        let low = self.push(|b| push_norm(b, word));
        let shape = self.push(|b| push_shape(b, word));
        let first_part = word.split('-').next().unwrap_or(word);
        let (mut gaz, listed) = classes(word);
        if first_part.len() != word.len() {
            gaz |= gaz_class(first_part) & (GAZ_LOC | GAZ_MISC);
        }
        let d = designators();
        let des = if word.is_ascii() && !has_elision(word) {
            d.feature_bits(word, listed)
        } else {
            d.class_bits(word)
        };
        TokInfo { raw, low, shape, gaz, des, cap: starts_upper(word), run_last: 0, ready: true }
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.infos.len()
    }

    /// Whether the sentence has no tokens.
    pub fn is_empty(&self) -> bool {
        self.infos.is_empty()
    }

    fn slice(&self, i: isize, pick: impl Fn(&TokInfo) -> (u32, u32)) -> &str {
        let Some(t) = usize::try_from(i).ok().and_then(|i| self.infos.get(i)) else {
            return PAD;
        };
        debug_assert!(t.ready, "token {i} read before it was filled");
        let (s, e) = pick(t);
        self.buf.get(s as usize..e as usize).unwrap_or("")
    }

    fn raw(&self, i: isize) -> &str {
        self.slice(i, |t| t.raw)
    }

    /// The normalised form of token `i` (see [`norm`]); `<s>` outside the sentence.
    pub fn low(&self, i: isize) -> &str {
        self.slice(i, |t| t.low)
    }

    /// The shape of token `i` (see [`shape`]); `<s>` outside the sentence.
    pub fn shape(&self, i: isize) -> &str {
        self.slice(i, |t| t.shape)
    }

    fn des(&self, i: isize) -> u8 {
        let t = usize::try_from(i).ok().and_then(|i| self.infos.get(i));
        debug_assert!(t.is_none_or(|t| t.ready), "token {i} read before it was filled");
        t.map_or(0, |t| t.des)
    }

    fn gaz(&self, i: isize) -> u8 {
        let t = usize::try_from(i).ok().and_then(|i| self.infos.get(i));
        debug_assert!(t.is_none_or(|t| t.ready), "token {i} read before it was filled");
        t.map_or(0, |t| t.gaz)
    }

    /// Writes the static features of token `i` into `f` (cleared first).
    ///
    /// The order is fixed (training sums weights in this order): the word's own features
    /// and its context's interleave as they always did. [`Prepared::word_features`] and
    /// [`Prepared::context_features`] write the same features split into the part that
    /// depends on the word alone and the part that depends on its neighbours and position.
    pub fn static_features(&self, i: usize, f: &mut Vec<u64>) {
        f.clear();
        self.word_head(i, f);
        self.context_words(i, f);
        self.word_flags(i, f);
        self.position_flags(i, f);
        self.word_tail(i, f);
        self.context_gazetteer(i, f);
        self.context_designators(i, f);
    }

    /// Appends the static features of token `i` that depend only on the word itself (and
    /// on whether the sentence is an all-caps headline): equal words give equal features.
    pub fn word_features(&self, i: usize, f: &mut Vec<u64>) {
        self.word_head(i, f);
        self.word_flags(i, f);
        self.word_tail(i, f);
    }

    /// Appends the static features of token `i` that depend on its neighbours or position:
    /// with [`Prepared::word_features`], the same multiset as [`Prepared::static_features`].
    pub fn context_features(&self, i: usize, f: &mut Vec<u64>) {
        self.context_words(i, f);
        self.position_flags(i, f);
        self.context_gazetteer(i, f);
        self.context_designators(i, f);
    }

    /// Appends the context features token `j` gives the token at offset `role` from it
    /// ([`NEIGHBOUR_OFFSETS`]): they depend on token `j`'s word alone (`<s>` padding outside
    /// the sentence), so equal words give equal features. The features of every role, with
    /// [`Prepared::pair_features`], are the same multiset as [`Prepared::context_features`].
    pub fn neighbour_features(&self, j: isize, role: usize, f: &mut Vec<u64>) {
        match role {
            // The previous word of token j + 1.
            0 => {
                f.push(hash(30, self.low(j)));
                f.push(hash(38, self.raw(j)));
                push_gaz_bits(f, 51, self.gaz(j));
                push_bits(f, 56, self.des(j));
            }
            // The next word of token j - 1.
            1 => {
                f.push(hash(31, self.low(j)));
                f.push(hash(39, self.raw(j)));
                push_gaz_bits(f, 52, self.gaz(j));
                push_bits(f, 57, self.des(j));
            }
            // Two before token j + 2, two after token j - 2.
            2 => f.push(hash(32, self.low(j))),
            3 => f.push(hash(33, self.low(j))),
            _ => {}
        }
    }

    /// Appends the context features of token `i` that pair it with a neighbour or depend on
    /// its position (the part of [`Prepared::context_features`] no single neighbour gives).
    pub fn pair_features(&self, i: usize, f: &mut Vec<u64>) {
        let k = i as isize;
        let (low, shp) = (self.low(k), self.shape(k));
        f.push(hash2(34, self.low(k - 1), low));
        f.push(hash2(35, low, self.low(k + 1)));
        f.push(hash2(36, self.shape(k - 1), shp));
        f.push(hash2(37, shp, self.shape(k + 1)));
        self.position_flags(i, f);
        if let Some(j) = self.run_head(i) {
            push_bits(f, 58, self.des(j as isize));
        }
    }

    /// Whether the sentence is an all-caps headline (a part of every word feature's key).
    pub fn headline(&self) -> bool {
        self.headline
    }

    /// Bias, word forms, shape, affixes.
    fn word_head(&self, i: usize, f: &mut Vec<u64>) {
        let i = i as isize;
        let low = self.low(i);
        f.push(hash(0, ""));
        f.push(hash(1, low));
        f.push(hash(2, self.raw(i)));
        f.push(hash(3, self.shape(i)));
        prefixes_suffixes(f, low);
    }

    /// Neighbouring words and shapes.
    fn context_words(&self, i: usize, f: &mut Vec<u64>) {
        let i = i as isize;
        let (low, shp) = (self.low(i), self.shape(i));
        let (plow, nlow) = (self.low(i - 1), self.low(i + 1));
        f.push(hash(30, plow));
        f.push(hash(31, nlow));
        f.push(hash(32, self.low(i - 2)));
        f.push(hash(33, self.low(i + 2)));
        f.push(hash2(34, plow, low));
        f.push(hash2(35, low, nlow));
        f.push(hash2(36, self.shape(i - 1), shp));
        f.push(hash2(37, shp, self.shape(i + 1)));
        f.push(hash(38, self.raw(i - 1)));
        f.push(hash(39, self.raw(i + 1)));
    }

    fn flag_value(&self) -> &'static str {
        if self.headline {
            "H"
        } else {
            ""
        }
    }

    fn is_cap(&self, i: usize) -> bool {
        self.infos.get(i).is_some_and(|t| t.cap)
    }

    /// Capitalisation, digits, hyphen.
    fn word_flags(&self, i: usize, f: &mut Vec<u64>) {
        let raw = self.raw(i as isize);
        let flags = [
            (40, self.is_cap(i)),
            (41, raw.chars().all(|c| !c.is_lowercase()) && raw.chars().any(char::is_uppercase)),
            (42, raw.bytes().any(|c| c.is_ascii_digit())),
            (43, raw.contains('-')),
        ];
        for (id, on) in flags {
            if on {
                f.push(hash(id, self.flag_value()));
            }
        }
    }

    /// Sentence-initial (and capitalised there).
    fn position_flags(&self, i: usize, f: &mut Vec<u64>) {
        let first = i == 0;
        for (id, on) in [(44, first && self.is_cap(i)), (45, first)] {
            if on {
                f.push(hash(id, self.flag_value()));
            }
        }
    }

    /// Period flag, headline word, the word's gazetteer classes (alone and with its shape).
    fn word_tail(&self, i: usize, f: &mut Vec<u64>) {
        let i = i as isize;
        if self.raw(i).contains('.') {
            f.push(hash(46, self.flag_value()));
        }
        if self.headline {
            f.push(hash(47, self.low(i)));
        }
        let (g, shp) = (self.gaz(i), self.shape(i));
        for (bit, name) in GAZ_BITS.iter().enumerate() {
            if g & (1 << bit) != 0 {
                f.push(hash(50, name));
                f.push(hash2(53, name, shp));
            }
        }
        push_bits(f, 55, self.des(i));
    }

    /// Designator classes of the neighbours and of the last word of the capitalised run
    /// the token is in ("Tarvik" in "Tarvik Line").
    fn context_designators(&self, i: usize, f: &mut Vec<u64>) {
        push_bits(f, 56, self.des(i as isize - 1));
        push_bits(f, 57, self.des(i as isize + 1));
        // At most 5 words on ("the run's head" of a long run is its 6th word).
        if let Some(j) = self.run_head(i) {
            push_bits(f, 58, self.des(j as isize));
        }
    }

    /// The neighbours' gazetteer classes.
    fn context_gazetteer(&self, i: usize, f: &mut Vec<u64>) {
        let i = i as isize;
        push_gaz_bits(f, 51, self.gaz(i - 1));
        push_gaz_bits(f, 52, self.gaz(i + 1));
    }

    /// Tag-history features of token `i` (see [`dynamic_features`]).
    pub fn dynamic_features(&self, i: usize, prev: u8, prev2: u8) -> [u64; 4] {
        dynamic_features(prev, prev2, self.low(i as isize), self.shape(i as isize))
    }

    /// The tag-history features of token `i` that pair the previous tag with the word
    /// (the last two of [`Prepared::dynamic_features`]): for a given tag, equal words give
    /// equal features.
    pub fn prev_tag_word_features(&self, i: usize, prev: u8) -> [u64; 2] {
        prev_tag_word_features(prev, self.low(i as isize), self.shape(i as isize))
    }
}

/// Pushes one feature per gazetteer class bit set in `g` (template `id`).
fn push_gaz_bits(f: &mut Vec<u64>, id: u8, g: u8) {
    for (bit, name) in GAZ_BITS.iter().enumerate() {
        if g & (1 << bit) != 0 {
            f.push(hash(id, name));
        }
    }
}

/// Pushes one feature per set bit of `bits` (template `id`).
#[inline]
fn push_bits(f: &mut Vec<u64>, id: u8, bits: u8) {
    // Most words are in no designator class: nothing to do.
    let mut rest = bits & 0x0f;
    while rest != 0 {
        let bit = rest.trailing_zeros() as usize;
        rest &= rest - 1;
        f.push(hash(id, GAZ_BITS[bit]));
    }
}

/// Prefix and suffix features (1 to 4 chars) of a normalised word.
fn prefixes_suffixes(out: &mut Vec<u64>, low: &str) {
    let n_chars = low.chars().count();
    let mut ends = low.char_indices().map(|(i, c)| i + c.len_utf8());
    let mut starts = low.char_indices().rev().map(|(i, _)| i);
    for n in 1..=4usize.min(n_chars) {
        let (Some(pe), Some(ss)) = (ends.next(), starts.next()) else {
            break;
        };
        out.push(hash(10 + n as u8, low.get(..pe).unwrap_or("")));
        out.push(hash(20 + n as u8, low.get(ss..).unwrap_or("")));
    }
}

/// The static features of every token of a sentence.
pub fn static_features(words: &[&str]) -> Vec<Vec<u64>> {
    let p = Prepared::new(words);
    (0..p.len())
        .map(|i| {
            let mut f = Vec::with_capacity(48);
            p.static_features(i, &mut f);
            f
        })
        .collect()
}

/// Tag-history features for a token: previous tag, previous two tags, and previous tag
/// combined with the word and its shape.
pub fn dynamic_features(prev: u8, prev2: u8, low: &str, shape: &str) -> [u64; 4] {
    let [a, b] = history_features(prev, prev2);
    let [c, d] = prev_tag_word_features(prev, low, shape);
    [a, b, c, d]
}

/// The tag-history features that depend on the previous two tags alone (the first two of
/// [`dynamic_features`]).
pub fn history_features(prev: u8, prev2: u8) -> [u64; 2] {
    let p = [prev];
    let pp = [prev2, prev];
    let ps = std::str::from_utf8(&p).unwrap_or("");
    let pps = std::str::from_utf8(&pp).unwrap_or("");
    [hash(60, ps), hash(61, pps)]
}

/// The previous tag combined with the word and with its shape (the last two of
/// [`dynamic_features`]).
pub fn prev_tag_word_features(prev: u8, low: &str, shape: &str) -> [u64; 2] {
    let p = [prev];
    let ps = std::str::from_utf8(&p).unwrap_or("");
    [hash2(62, ps, low), hash2(63, ps, shape)]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A lazily prepared sentence, filled token by token, gives every token the features an
    /// eagerly prepared one does (headline and title-case sentences included).
    #[test]
    fn lazy_preparation_gives_eager_features() {
        let sentences: [&[&str]; 5] = [
            &[
                "Tarvik", "Line", "said", "the", "MV", "Orla", "Grey", "sank", "off", "Kessaly",
                "Point", ".",
            ],
            &["UN", "SAYS", "3", "DEAD", "IN", "ÎLE-DE-FRANCE"],
            &["Russia’s", "Foreign", "Ministry", "Spokeswoman", "Maria", "Zakharova", "Said", "No"],
            &["«", "il", "est", "prématuré", "»", ",", "a", "déclaré", "M.", "Peskov"],
            &[],
        ];
        for words in sentences {
            let eager = Prepared::new(words);
            let mut lazy = Prepared::lazy(words);
            assert_eq!(lazy.headline(), eager.headline(), "{words:?}");
            for i in 0..words.len() {
                lazy.fill(words, i as isize - 2, i as isize + 2);
                if let Some(j) = lazy.run_head(i) {
                    lazy.fill(words, j as isize, j as isize);
                }
                let (mut a, mut b) = (Vec::new(), Vec::new());
                eager.static_features(i, &mut a);
                lazy.static_features(i, &mut b);
                assert_eq!(a, b, "{words:?} {i}");
                for prev in [0, 3] {
                    assert_eq!(
                        eager.dynamic_features(i, prev, 0),
                        lazy.dynamic_features(i, prev, 0)
                    );
                }
            }
        }
    }

    #[test]
    fn shapes_and_norms() {
        let cases = [("Peskov", "Xx"), ("U.S.", "X.X."), ("1996-08-22", "d-d-d"), ("HTS", "X")];
        for (w, s) in cases {
            assert_eq!(shape(w), s, "{w}");
        }
        assert_eq!(norm("Russia’S 1,5"), "russia's 0,0");
    }

    #[test]
    fn class_lines_and_ascii_lowercase() {
        let got: Vec<(&str, &str)> = class_lines("x\n@A\n# note\n  a b \n\n@B\nb").collect();
        assert_eq!(got, [("", "x"), ("A", "a b"), ("B", "b")]);
        assert_eq!(with_ascii_lowercase("MV Orla", str::to_string).as_deref(), Some("mv orla"));
        assert_eq!(with_ascii_lowercase("Île", str::len), None);
        assert_eq!(with_ascii_lowercase(&"A".repeat(33), str::len), None);
        assert_eq!(with_ascii_lowercase(&"A".repeat(32), str::len), Some(32));
    }

    #[test]
    fn gazetteer_classes() {
        assert_eq!(gaz_class("Syria") & GAZ_LOC, GAZ_LOC);
        assert_eq!(gaz_class("Syrian") & GAZ_MISC, GAZ_MISC);
        assert_eq!(gaz_class("President") & GAZ_TITLE, GAZ_TITLE);
        assert_eq!(gaz_class("zzqx"), 0);
    }

    /// The context features of a token are the features its neighbours (or the padding)
    /// give it in their roles plus its pair and position features, as a multiset.
    #[test]
    fn neighbour_and_pair_features_make_the_context_features() {
        let words = ["The", "MV", "Orla", "Grey", "left", "Syria", "’s", "port", "."];
        for sent in [Prepared::new(&words), Prepared::new(&["UN"]), Prepared::new(&["A", "b"])] {
            for i in 0..sent.len() {
                let mut want = Vec::new();
                sent.context_features(i, &mut want);
                let mut got = Vec::new();
                for (role, offset) in NEIGHBOUR_OFFSETS.iter().enumerate() {
                    sent.neighbour_features(i as isize - offset, role, &mut got);
                }
                sent.pair_features(i, &mut got);
                want.sort_unstable();
                got.sort_unstable();
                assert_eq!(got, want, "{i}");
            }
        }
    }

    #[test]
    fn features_differ_by_context() {
        let a = static_features(&["Peskov", "said"]);
        let b = static_features(&["peskov", "said"]);
        assert_eq!(a.len(), 2);
        assert_ne!(a[0], b[0]);
        assert!(static_features(&[]).is_empty());
    }
}
