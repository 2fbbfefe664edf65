//! The repair stage: turns an article's raw text into the text every later stage reads.
//!
//! Passes run in a fixed order — unicode, mojibake, boilerplate, repeated paragraphs, then the
//! flag-only passes (missing text, foreign words). Each pass returns [`Edit`]s on its own input;
//! [`repair`] applies them with a [`TextBuilder`] (one map layer per pass that changes text) and
//! records each edit as a [`Repair`] located in the raw text through the [`OffsetMap`].

mod boilerplate;
mod foreign;
mod gaps;
pub mod mojibake;
mod paragraphs;
mod scan;
mod unicode;

pub use boilerplate::repeated_lines;

use std::collections::HashSet;

use crate::offsets::{OffsetMap, TextBuilder};
use crate::record::{Repair, RepairKind, Repaired, Span};

/// One edit of a pass, in byte offsets of the pass's input text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edit {
    /// Start byte offset in the pass input.
    pub start: usize,
    /// End byte offset in the pass input.
    pub end: usize,
    /// New text; `None` flags the range without changing it.
    pub replacement: Option<String>,
}

impl Edit {
    /// An edit replacing `start..end` with `with`.
    pub fn replace(start: usize, end: usize, with: impl Into<String>) -> Edit {
        Edit { start, end, replacement: Some(with.into()) }
    }
    /// An edit removing `start..end`.
    pub fn remove(start: usize, end: usize) -> Edit {
        Edit { start, end, replacement: Some(String::new()) }
    }
    /// A flag on `start..end` (text unchanged).
    pub fn flag(start: usize, end: usize) -> Edit {
        Edit { start, end, replacement: None }
    }
}

/// Most rounds of the furniture + repeated-paragraph passes (each round that goes on removed
/// a line, so the text shrinks).
const LINE_ROUNDS: usize = 8;

/// Most rounds of the mojibake pass. Rounds go on until one decodes nothing (a fixed point,
/// so a second repair finds nothing left): one round's fixes can let the next decode more
/// (a lossy `Ã ` → `à` completes a codepage 437 run; that run decoded leaves the line calm
/// enough for another charset's run, as each line takes one charset per round). Every edit
/// shortens the text or turns a C1 control or lossy lead (`â`, `Ã`, `Г`) into a character
/// that only a shortening edit can touch again, so the rounds end; the cap bounds the cost
/// on hostile input (real text needs two or three).
const MOJIBAKE_ROUNDS: usize = 32;
/// Most rounds of mojibake + line removal (see [`repair_with`]); each round that goes on
/// removed a line and then decoded something.
const PASS_ROUNDS: usize = 8;

/// Repairs one article's text.
pub fn repair(raw: &str) -> Repaired {
    repair_with(raw, &HashSet::new())
}

/// Repairs one article's text, also dropping the lines its outlet is known to repeat as
/// furniture (`learned`, trimmed lines; see [`repeated_lines`]).
pub fn repair_with(raw: &str, learned: &HashSet<String>) -> Repaired {
    let mut st =
        State { raw, text: raw.to_string(), map: OffsetMap::identity(), repairs: Vec::new() };
    let edits = unicode::normalize_with(&st.text, true);
    st.apply(RepairKind::Unicode, edits);
    // Mojibake, then furniture and repeated paragraphs; the whole again when lines were
    // removed and the shorter text decodes further (whether a byte run reads as mojibake
    // depends on the text around it, and a second repair must find nothing left to do).
    let mut metadata = Vec::new();
    for pass in 0..PASS_ROUNDS {
        let decoded = mojibake_rounds(&mut st);
        if pass > 0 && !decoded {
            break;
        }
        if !line_rounds(&mut st, learned, &mut metadata) {
            break;
        }
    }
    let edits = gaps::find(&st.text);
    st.apply(RepairKind::MissingText, edits);
    let edits = foreign::find(&st.text);
    st.apply(RepairKind::ForeignWord, edits);
    let mut repairs = st.repairs;
    repairs.sort_by_key(|r| (r.start, r.end));
    Repaired { text: st.text, repairs, map: st.map, metadata }
}

/// Mojibake, then what it left to normalise; again until a round decodes nothing (a fix can
/// depend on a no-break space the first round kept, or on another fix: see
/// [`MOJIBAKE_ROUNDS`]), so the stage is idempotent. Clean text costs one round. Whether
/// anything was decoded.
fn mojibake_rounds(st: &mut State) -> bool {
    let mut decoded = false;
    for round in 0..MOJIBAKE_ROUNDS {
        let mut edits = mojibake::fix_edits(&st.text);
        // Nothing decoded and no no-break space or soft hyphen kept for this pass: the
        // unicode pass and another round would find what they found already (clean text).
        let kept_for_mojibake = || scan::has_nbsp_or_shy(&st.text);
        if edits.is_empty() && (round > 0 || !kept_for_mojibake()) {
            break;
        }
        decoded |= !edits.is_empty();
        for e in &mut edits {
            // Decoded text (a no-break space, a decomposed accent) gets the unicode pass too.
            e.replacement = e.replacement.as_deref().map(unicode::normalize_str);
        }
        st.apply(RepairKind::Mojibake, edits);
        let edits = unicode::normalize(&st.text);
        st.apply(RepairKind::Unicode, edits);
    }
    decoded
}

/// Furniture, then repeated paragraphs; again while the latter removes lines: a removed
/// repeat can bring a dateline-looking line into the head where furniture is looked for,
/// and a second repair must find nothing left to do (idempotence). Clean text has no
/// repeats, so this costs one round there. Whether any line was removed.
fn line_rounds(st: &mut State, learned: &HashSet<String>, metadata: &mut Vec<String>) -> bool {
    let mut removed = false;
    for _ in 0..LINE_ROUNDS {
        let (edits, meta) = boilerplate::find(&st.text, learned);
        metadata.extend(meta);
        removed |= !edits.is_empty();
        st.apply(RepairKind::Boilerplate, edits);
        let edits = paragraphs::repeated(&st.text);
        if edits.is_empty() {
            break;
        }
        removed = true;
        st.apply(RepairKind::RepeatedParagraph, edits);
    }
    removed
}

struct State<'a> {
    raw: &'a str,
    text: String,
    map: OffsetMap,
    repairs: Vec<Repair>,
}

impl State<'_> {
    /// Records `edits` (sorted, non-overlapping, on the current text) and applies the changes.
    fn apply(&mut self, kind: RepairKind, mut edits: Vec<Edit>) {
        edits.sort_by_key(|e| (e.start, e.end));
        let mut last_end = 0;
        edits.retain_mut(|e| {
            if e.start < last_end && e.replacement.as_deref() == Some("") {
                e.start = last_end;
            }
            let keep = e.start >= last_end
                && e.start < e.end
                && self.text.is_char_boundary(e.start)
                && self.text.is_char_boundary(e.end);
            if keep {
                last_end = e.end;
            }
            keep
        });
        let depth = self.map.depth();
        for e in &edits {
            let span = self.map.to_raw_at(depth, Span::new(e.start, e.end));
            let (start, end) =
                (floor_boundary(self.raw, span.start), ceil_boundary(self.raw, span.end));
            let original = self.raw.get(start..end).unwrap_or("").to_string();
            let replacement = e.replacement.clone().unwrap_or_else(|| original.clone());
            self.repairs.push(Repair { kind, start, end, original, replacement });
        }
        if !edits.iter().any(|e| e.replacement.is_some()) {
            return;
        }
        let mut b = TextBuilder::new(&self.text);
        for e in &edits {
            if let Some(r) = &e.replacement {
                b.copy_to(e.start);
                b.replace(e.start..e.end, r);
            }
        }
        let (text, layer) = b.finish(true);
        self.map.push(layer);
        self.text = text;
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Byte ranges of the lines of `text` (without their `\n`).
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = 0;
    text.split('\n').map(move |l| {
        let s = start;
        start += l.len() + 1;
        (s, s + l.len())
    })
}

/// The range to remove to drop line `s..e` whole: its trailing newline, or the preceding one
/// for the last line.
pub(crate) fn line_removal(text: &str, s: usize, e: usize) -> Edit {
    if e < text.len() {
        Edit::remove(s, e + 1)
    } else if s > 0 {
        Edit::remove(s - 1, e)
    } else {
        Edit::remove(s, e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fixtures: damaged text written for these tests, and the repaired text wanted.
    const FIXTURES: &[(&str, &str)] = &[
        ("Clean text stays as it is.\nSecond line.", "Clean text stays as it is.\nSecond line."),
        ("The ministryâ€™s plan\r\nwas cafÃ©-based.", "The ministry’s plan\nwas café-based."),
        (
            "Headlines\nThe talks began in Geneva on Monday.\nREAD ALSO:Rebels take the city\nBoth sides met.",
            "The talks began in Geneva on Monday.\nBoth sides met.",
        ),
        ("Vienna:\nThe envoy said the agency\u{200B} would meet.", "The envoy said the agency would meet."),
        (
            "The governor fled the province after a rapid offensive by the northern rebel alliance, raising fears for the two airports.\nOfficials met.\nAfter a swift offensive by the northern rebel coalition, the governor fled the province, raising fears over the two airports.",
            "The governor fled the province after a rapid offensive by the northern rebel alliance, raising fears for the two airports.\nOfficials met.",
        ),
        ("He was given refuge in , officials said.", "He was given refuge in , officials said."),
        ("the Kremlinās view and the bases", "the Kremlin’s view and the bases"),
    ];

    fn check_invariants(raw: &str, r: &Repaired) {
        let mut last = 0;
        for rep in &r.repairs {
            assert!(rep.start >= last || rep.start >= r.repairs[0].start, "ordered");
            last = rep.start;
            assert!(rep.end <= raw.len() && rep.start <= rep.end, "in bounds: {rep:?}");
            assert!(
                raw.is_char_boundary(rep.start) && raw.is_char_boundary(rep.end),
                "boundaries: {rep:?}"
            );
            assert_eq!(rep.original, raw[rep.start..rep.end], "original slice");
        }
        // Spans of the repaired text that touch no repair map back to identical raw text.
        let repaired_ranges: Vec<Span> =
            r.repairs.iter().map(|x| Span::new(x.start, x.end)).collect();
        let words = crate::text::tokens(&r.text);
        for t in words {
            let raw_span = r.map.to_raw(t.span);
            let touches =
                repaired_ranges.iter().any(|x| x.start < raw_span.end && raw_span.start < x.end);
            if !touches {
                assert_eq!(raw.get(raw_span.start..raw_span.end), Some(t.text), "map of {t:?}");
            }
        }
    }

    #[test]
    fn fixtures_repair_as_expected() {
        for (raw, want) in FIXTURES {
            let r = repair(raw);
            assert_eq!(r.text, *want, "raw {raw:?}");
            check_invariants(raw, &r);
        }
    }

    #[test]
    fn repair_is_idempotent_on_fixtures() {
        for (raw, _) in FIXTURES {
            let once = repair(raw);
            let twice = repair(&once.text);
            assert_eq!(twice.text, once.text, "raw {raw:?}");
            let changed: Vec<_> =
                twice.repairs.iter().filter(|x| x.replacement != x.original).collect();
            assert!(changed.is_empty(), "second run changed {changed:?}");
        }
    }

    #[test]
    fn kinds_and_metadata_are_reported() {
        let raw = "Vienna:\nBy Jane Roe\nThe envoyâ€™s forces, viele of whom were unpaid, left the city for good.\nAdvertisement";
        let r = repair(raw);
        assert_eq!(r.metadata, vec!["Vienna:".to_string(), "By Jane Roe".to_string()]);
        let kinds: Vec<&str> = r.repairs.iter().map(|x| x.kind.as_str()).collect();
        assert_eq!(
            kinds,
            vec!["boilerplate", "boilerplate", "mojibake", "foreign_word", "boilerplate"]
        );
        let moji = &r.repairs[2];
        assert_eq!((moji.original.as_str(), moji.replacement.as_str()), ("â€™", "’"));
        check_invariants(raw, &r);
    }

    #[test]
    fn seeds_when_present() {
        let Ok(dir) = std::fs::read_dir("/work/shared/seeds") else {
            return;
        };
        for entry in dir.flatten() {
            let Ok(raw) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let r = repair(&raw);
            check_invariants(&raw, &r);
            let repeats =
                r.repairs.iter().filter(|x| x.kind == RepairKind::RepeatedParagraph).count();
            let name = entry.file_name().to_string_lossy().to_string();
            // The sample has one spun repeat (in its 5th report) and no other.
            assert_eq!(repeats, usize::from(name.starts_with("004")), "repeats in {name}");
            let again = repair(&r.text);
            assert_eq!(again.text, r.text, "idempotent on {:?}", entry.path());
            for rep in &r.repairs {
                eprintln!(
                    "{:?} {} {:?} -> {:?}",
                    entry.path().file_name(),
                    rep.kind.as_str(),
                    rep.original,
                    rep.replacement
                );
            }
        }
    }
}

#[cfg(test)]
mod bench {
    use super::*;

    /// Throughput on clean and damaged text: `cargo test --release -p chorus-engine --lib
    /// repair::bench -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn throughput() {
        // Pseudo-articles: 25 paragraphs of 40 words from a 4000-word vocabulary.
        let syll = [
            "ka", "ro", "mi", "ten", "sa", "lo", "ve", "dra", "po", "lin", "ta", "gu", "ser", "no",
        ];
        let mut seed = 7u64;
        let mut next = move |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let vocab: Vec<String> =
            (0..4000).map(|_| (0..2 + next(3)).map(|_| syll[next(syll.len())]).collect()).collect();
        let common = ["the", "of", "and", "in", "to", "a", "that", "Russia’s", "“said”", "on"];
        let mut articles: Vec<String> = Vec::new();
        let mut total = 0;
        while total < 8_000_000 {
            let mut art = String::new();
            for _ in 0..25 {
                for _ in 0..40 {
                    let w = if next(3) == 0 {
                        common[next(common.len())]
                    } else {
                        &vocab[next(vocab.len())]
                    };
                    art.push_str(w);
                    art.push(' ');
                }
                art.push_str("end.\n");
            }
            total += art.len();
            articles.push(art);
        }
        let clean = articles.join("");
        let damaged = clean.replace('’', "â€™").replace('“', "â€œ");
        for (name, text) in [("clean", &clean), ("damaged", &damaged)] {
            let arts: Vec<&str> = text
                .split_inclusive("end.\n")
                .collect::<Vec<_>>()
                .chunks(25)
                .map(|c| {
                    let len: usize = c.iter().map(|p| p.len()).sum();
                    let start = c[0].as_ptr() as usize - text.as_ptr() as usize;
                    &text[start..start + len]
                })
                .collect();
            let t = std::time::Instant::now();
            let n: usize = arts.iter().map(|a| repair(a).repairs.len()).sum();
            let secs = t.elapsed().as_secs_f64();
            eprintln!(
                "{name}: {:.1} MB/s per article ({n} repairs)",
                text.len() as f64 / secs / 1e6
            );
            for (pass, f) in [
                ("unicode", &(|t: &str| unicode::normalize(t).len()) as &dyn Fn(&str) -> usize),
                ("mojibake", &|t: &str| mojibake::fix_edits(t).len()),
                ("boilerplate", &|t: &str| boilerplate::find(t, &HashSet::new()).0.len()),
                ("paragraphs", &|t: &str| paragraphs::repeated(t).len()),
                ("gaps", &|t: &str| gaps::find(t).len()),
                ("foreign", &|t: &str| foreign::find(t).len()),
                ("term_sets", &|t: &str| t.lines().map(|l| paragraphs::term_set(l).0.len()).sum()),
                ("tokens", &|t: &str| crate::text::tokens(t).len()),
            ] {
                let t0 = std::time::Instant::now();
                let n = f(text);
                eprintln!(
                    "  {pass}: {:.1} MB/s ({n})",
                    text.len() as f64 / t0.elapsed().as_secs_f64() / 1e6
                );
            }
        }
    }
}

#[cfg(test)]
mod dev_probe {
    use super::*;

    /// Prints every repair made on the dev news sets (they are clean text: each repair is a
    /// candidate false positive). `cargo test -p chorus-engine --lib repair::dev_probe --
    /// --ignored --nocapture`
    #[test]
    #[ignore]
    fn repairs_on_dev_news() {
        let files = [
            "/work/shared/data/ecbplus-dev.jsonl",
            "/work/shared/data/polnear-train.jsonl",
            "/work/shared/data/polnear-dev.jsonl",
            "/work/shared/data/timebank-aquaint.jsonl",
        ];
        let (mut docs, mut bytes) = (0, 0);
        for f in files {
            let Ok(data) = std::fs::read_to_string(f) else {
                continue;
            };
            for line in data.lines() {
                let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                    continue;
                };
                let Some(text) = v["text"].as_str() else {
                    continue;
                };
                docs += 1;
                bytes += text.len();
                let r = repair(text);
                let again = repair(&r.text);
                assert_eq!(again.text, r.text, "idempotent");
                for x in &r.repairs {
                    if x.kind == RepairKind::Unicode {
                        continue;
                    }
                    let ctx_s = x.start.saturating_sub(40);
                    let ctx = text.get(ctx_s..(x.end + 40).min(text.len())).unwrap_or("");
                    eprintln!(
                        "REPAIR {} {:?} -> {:?} | {:?}",
                        x.kind.as_str(),
                        x.original,
                        x.replacement,
                        ctx
                    );
                }
            }
        }
        eprintln!("{docs} docs, {bytes} bytes");
    }
}

#[cfg(test)]
mod fuzz_regressions {
    use super::*;

    /// Characters that start, continue or break mojibake runs.
    const HOSTILE: &str = "ßÃŸƒÂâ€™\u{FFFD}\u{FFFD} ab\n\u{A0}ÅÐ©¿┬?ÎåГР";

    /// Inputs the `repair` fuzz target found: repairing the repaired text must change nothing.
    #[test]
    fn repair_is_idempotent_on_fuzz_finds() {
        let finds: [&[u8]; 4] = [
            include_bytes!("../../tests/fixtures/fuzz/repair-idempotence-1.bin"),
            include_bytes!("../../tests/fixtures/fuzz/repair-idempotence-2.bin"),
            include_bytes!("../../tests/fixtures/fuzz/repair-idempotence-3.bin"),
            // Four chained mojibake rounds (`Ã ` → `à`, then `ßƒà` → `ៅ`, then `ÎŸ` → `Ο`).
            include_bytes!("../../tests/fixtures/fuzz/repair-idempotence-4.bin"),
        ];
        for (i, bytes) in finds.iter().enumerate() {
            let raw = String::from_utf8_lossy(bytes);
            let once = repair(&raw);
            let twice = repair(&once.text);
            assert_eq!(twice.text, once.text, "find {}", i + 1);
        }
    }

    /// Strings of 1 to 23 [`HOSTILE`] characters.
    fn hostile() -> impl proptest::strategy::Strategy<Value = Vec<char>> {
        let alphabet: Vec<char> = HOSTILE.chars().collect();
        proptest::collection::vec(proptest::sample::select(alphabet), 1..24)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// Short strings drawn from characters that start, continue or break mojibake runs
        /// (lead and continuation characters of several charsets, lost bytes, no-break
        /// spaces): the neighbourhoods where one fix enables another.
        #[test]
        fn repair_is_idempotent_on_hostile_alphabet(chars in hostile()) {
            let raw: String = chars.into_iter().collect();
            let once = repair(&raw);
            proptest::prop_assert_eq!(repair(&once.text).text, once.text, "raw {:?}", raw);
        }
    }
}
