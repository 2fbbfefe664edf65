//! Feature extraction for the NER perceptron: each feature is a 64-bit hash of a template
//! id and its string value (no strings are kept), so the model is a map hash → tag weights.
//!
//! Static features (word, lowercase, shape, affixes, context words, capitalisation flags,
//! gazetteer classes) are computed once per sentence; dynamic ones (previous tags) per step.

use std::collections::HashMap;
use std::sync::OnceLock;

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
        let mut class = 0u8;
        for line in include_str!("../../../data/ner/gazetteer.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('@') {
                class = match name {
                    "LOC" => GAZ_LOC,
                    "MISC" => GAZ_MISC,
                    "FIRST" => GAZ_FIRST,
                    "ORGW" => GAZ_ORGW,
                    "TITLE" => GAZ_TITLE,
                    _ => 0,
                };
                continue;
            }
            *map.entry(line.to_string()).or_insert(0) |= class;
        }
        map
    })
}

/// Gazetteer class bits of a word (any case; curly apostrophes folded).
pub fn gaz_class(word: &str) -> u8 {
    gazetteer().get(&word.to_lowercase()).copied().unwrap_or(0)
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// Hash of a template id and a string value.
pub fn hash(template: u8, value: &str) -> u64 {
    let mut h = FNV_OFFSET ^ u64::from(template);
    h = h.wrapping_mul(FNV_PRIME);
    for b in value.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// Hash of a template id and two values.
pub fn hash2(template: u8, a: &str, b: &str) -> u64 {
    let h = hash(template, a);
    let mut h2 = h ^ 0xff;
    h2 = h2.wrapping_mul(FNV_PRIME);
    for byte in b.bytes() {
        h2 ^= u64::from(byte);
        h2 = h2.wrapping_mul(FNV_PRIME);
    }
    h2
}

/// Word shape: `Xxxx` → `Xx`, `U.S.` → `X.X.`, `1996-08-22` → `d-d-d` (runs collapsed).
pub fn shape(word: &str) -> String {
    let mut out = String::new();
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
    out
}

/// Normalises a token for lookup: lowercase, curly quotes folded, digits → `0`.
pub fn norm(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            '’' | '‘' | '`' => '\'',
            '“' | '”' => '"',
            c if c.is_ascii_digit() => '0',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Per-token information the templates read.
struct TokInfo {
    raw: String,
    low: String,
    shape: String,
    gaz: u8,
}

fn info(word: &str) -> TokInfo {
    let raw: String = word.chars().map(|c| if c == '’' { '\'' } else { c }).collect();
    let first_part = word.split('-').next().unwrap_or(word);
    let gaz = gaz_class(word) | (gaz_class(first_part) & (GAZ_LOC | GAZ_MISC));
    TokInfo { raw, low: norm(word), shape: shape(word), gaz }
}

fn prefixes_suffixes(out: &mut Vec<u64>, low: &str) {
    let chars: Vec<char> = low.chars().collect();
    for n in 1..=4usize.min(chars.len()) {
        let p: String = chars[..n].iter().collect();
        let s: String = chars[chars.len() - n..].iter().collect();
        out.push(hash(10 + n as u8, &p));
        out.push(hash(20 + n as u8, &s));
    }
}

/// The static features of every token of a sentence.
pub fn static_features(words: &[&str]) -> Vec<Vec<u64>> {
    let infos: Vec<TokInfo> = words.iter().map(|w| info(w)).collect();
    let letters: Vec<&TokInfo> =
        infos.iter().filter(|t| t.raw.chars().any(char::is_alphabetic)).collect();
    let headline = letters.len() > 1 && letters.iter().all(|t| !t.shape.contains('x'));
    let pad = TokInfo { raw: "<s>".into(), low: "<s>".into(), shape: "<s>".into(), gaz: 0 };
    let at = |i: isize| -> &TokInfo {
        if i < 0 || i as usize >= infos.len() {
            &pad
        } else {
            &infos[i as usize]
        }
    };
    (0..infos.len() as isize).map(|i| token_features(&at, i, headline)).collect()
}

fn token_features<'a>(at: &impl Fn(isize) -> &'a TokInfo, i: isize, headline: bool) -> Vec<u64> {
    let t = at(i);
    let (p, n, p2, n2) = (at(i - 1), at(i + 1), at(i - 2), at(i + 2));
    let mut f = Vec::with_capacity(48);
    f.push(hash(0, ""));
    f.push(hash(1, &t.low));
    f.push(hash(2, &t.raw));
    f.push(hash(3, &t.shape));
    prefixes_suffixes(&mut f, &t.low);
    f.push(hash(30, &p.low));
    f.push(hash(31, &n.low));
    f.push(hash(32, &p2.low));
    f.push(hash(33, &n2.low));
    f.push(hash2(34, &p.low, &t.low));
    f.push(hash2(35, &t.low, &n.low));
    f.push(hash2(36, &p.shape, &t.shape));
    f.push(hash2(37, &t.shape, &n.shape));
    f.push(hash(38, &p.raw));
    f.push(hash(39, &n.raw));
    let first = i == 0;
    let cap = t.raw.chars().next().is_some_and(char::is_uppercase);
    let flags = [
        (40, cap),
        (41, t.raw.chars().all(|c| !c.is_lowercase()) && t.raw.chars().any(char::is_uppercase)),
        (42, t.raw.chars().any(|c| c.is_ascii_digit())),
        (43, t.raw.contains('-')),
        (44, first && cap),
        (45, first),
        (46, t.raw.contains('.')),
    ];
    for (id, on) in flags {
        if on {
            f.push(hash(id, if headline { "H" } else { "" }));
        }
    }
    if headline {
        f.push(hash(47, &t.low));
    }
    for (id, g) in [(50u8, t.gaz), (51, p.gaz), (52, n.gaz)] {
        for bit in 0..5 {
            if g & (1 << bit) != 0 {
                f.push(hash(id, &bit.to_string()));
                if id == 50 {
                    f.push(hash2(53, &bit.to_string(), &t.shape));
                }
            }
        }
    }
    f
}

/// Tag-history features for a token: previous tag, previous two tags, and previous tag
/// combined with the word and its shape.
pub fn dynamic_features(prev: u8, prev2: u8, low: &str, shape: &str) -> [u64; 4] {
    let p = [prev];
    let pp = [prev2, prev];
    let ps = std::str::from_utf8(&p).unwrap_or("");
    let pps = std::str::from_utf8(&pp).unwrap_or("");
    [hash(60, ps), hash(61, pps), hash2(62, ps, low), hash2(63, ps, shape)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_norms() {
        let cases = [("Peskov", "Xx"), ("U.S.", "X.X."), ("1996-08-22", "d-d-d"), ("HTS", "X")];
        for (w, s) in cases {
            assert_eq!(shape(w), s, "{w}");
        }
        assert_eq!(norm("Russia’S 1,5"), "russia's 0,0");
    }

    #[test]
    fn gazetteer_classes() {
        assert_eq!(gaz_class("Syria") & GAZ_LOC, GAZ_LOC);
        assert_eq!(gaz_class("Syrian") & GAZ_MISC, GAZ_MISC);
        assert_eq!(gaz_class("President") & GAZ_TITLE, GAZ_TITLE);
        assert_eq!(gaz_class("zzqx"), 0);
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
