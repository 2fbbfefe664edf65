//! Evidence that two passages in different languages say the same thing: the anchors a
//! translation keeps ([`Anchors`]: numbers, written as digits the way the passage's
//! language writes them — "900.000", "1,5", "900 000" — or as number words of six
//! languages, with what each counts — "23 heridos" — when a counting word follows
//! (`data/synth/counted.txt`); names, by a cognate-aware transliteration key ([`name_key`]:
//! "Hôpital" / "Hospital"); quoted fragments inside the passage, such as
//! « une fenêtre étroite » / “a narrow window”; cognate stems, the first letters of long
//! words, "température" / "temperature") and their agreement ([`similarity`]), plus the
//! order-preserving one-to-one assignment ([`assign`]) that pairs the passages of one article
//! with those of its translation. The same-fact model reads words and is near chance across
//! languages; these anchors are what survives translation. Used by quote grouping, the
//! timeline and the facts of independent reports in other languages.

use std::sync::OnceLock;

use super::canon::translit_key;
use crate::analyze::signature::{sorted_overlap, FastMap, StrMap};
use crate::pipeline::DerivedStory;
use crate::record::{ArticleIdx, DerivationKind};
use crate::text::numbers::{english_multiplier, multiplier, number_word};
use crate::text::{fold, parse_number, parse_number_in, tokens};

/// Whether articles `a` and `b` of `story` tell one text, so their passages in different
/// languages may be translations of each other: one origin group, or a translation edge.
pub fn related(story: &DerivedStory, a: ArticleIdx, b: ArticleIdx) -> bool {
    story.origin_of(a) == story.origin_of(b)
        || story.derivations.iter().any(|d| {
            d.kind == DerivationKind::Translation
                && (d.article == a && d.from == b || d.article == b && d.from == a)
        })
}

/// Letters of a long word that stand for its stem across languages.
const COGNATE_PREFIX: usize = 4;
/// Words shorter than this (in letters) are too common to be cognate evidence.
const COGNATE_MIN: usize = 5;

/// Opening quote marks of quoted fragments inside a passage.
const OPENING_MARKS: &[char] = &['“', '«', '„', '‘', '‹'];

/// What a passage keeps through translation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Anchors {
    /// Values of its numbers (bits of the f64), sorted, distinct.
    numbers: Vec<u64>,
    /// Transliteration keys of its capitalised words that do not open it, sorted, distinct.
    names: Vec<String>,
    /// Cognate stems ([`COGNATE_PREFIX`] folded letters of words of [`COGNATE_MIN`] or more
    /// letters), sorted, distinct. Always that many ASCII letters, so bytes order them as
    /// their strings would be ordered, without a string per word.
    cognates: Vec<[u8; COGNATE_PREFIX]>,
    /// The counts of the passage: (value bits, what is counted: [`counted_words`]), sorted,
    /// distinct.
    counts: Vec<(u64, &'static str)>,
    /// Number of quoted fragments inside the passage.
    fragments: usize,
    /// Length in chars.
    chars: usize,
}

/// `word` without a leading elided article or pronoun ("l’Orla" → "Orla", "qu’une" →
/// "une", "dell’Autorità" → "Autorità").
fn strip_elision(word: &str) -> &str {
    match word.find(['’', '\'']) {
        Some(p) if p > 0 && p <= 4 && word[..p].chars().all(char::is_lowercase) => {
            let rest = &word[p..];
            rest.get(rest.chars().next().map_or(0, char::len_utf8)..).unwrap_or(word)
        }
        _ => word,
    }
}

/// `v` written so that [`parse_number`] reads it back whatever the language: no grouping,
/// a decimal point, and a fraction of exactly three digits padded ("1.1250": "1.125" would
/// read as thousands).
fn plain_number(v: f64) -> String {
    let mut s = format!("{v}");
    if s.split_once('.').is_some_and(|(_, frac)| frac.len() == 3) {
        s.push('0');
    }
    s
}

/// Lowercase ASCII letters of `word`, accents dropped ("Température" → "temperature").
fn ascii_letters(word: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    word.nfd().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_lowercase()).collect()
}

/// The cognate stem of `word` (unfolded): the first [`COGNATE_PREFIX`] of its
/// [`ascii_letters`] (a circumflex read as [`restore_circumflex`] does) when it has at least
/// [`COGNATE_MIN`] of them, as lowercase ASCII bytes.
fn cognate(word: &str) -> Option<[u8; COGNATE_PREFIX]> {
    /// The first letters, lowercased, once [`COGNATE_MIN`] letters are seen.
    fn stem(letters: impl Iterator<Item = u8>) -> Option<[u8; COGNATE_PREFIX]> {
        let mut out = [0u8; COGNATE_PREFIX];
        for (n, b) in letters.enumerate() {
            if let Some(slot) = out.get_mut(n) {
                *slot = b.to_ascii_lowercase();
            }
            if n + 1 >= COGNATE_MIN {
                return Some(out);
            }
        }
        None
    }
    if word.is_ascii() {
        // Runs on every word of every passage: an ASCII word has no circumflex and
        // decomposes to itself, so its letters are read in place instead of collected.
        return stem(word.bytes().filter(u8::is_ascii_alphabetic));
    }
    stem(ascii_letters(&restore_circumflex(word)).bytes())
}

impl Anchors {
    /// The anchors of `text`, written in language `lang` (ISO 639-1; number words of that
    /// language are read, English ones always).
    pub fn new(text: &str, lang: &str) -> Anchors {
        // Another language's number words are read as English ones (those
        // `compare::numbers` reads); "un", "ein", "uno" are articles more often than ones.
        let foreign = lang != "en";
        let toks = tokens(text);
        let mut words: Vec<String> = Vec::with_capacity(toks.len());
        let mut names = Vec::new();
        let mut cognates = Vec::new();
        // The value of the previous token when it is a run of digit groups ("900", "1 200").
        let mut grouped: Option<f64> = None;
        for (k, t) in toks.iter().enumerate() {
            let w = strip_elision(t.text);
            let f = fold(w);
            // Digits are read as the language writes them ("900.000", "1,5") and written
            // back plainly for `compare::numbers`; in a language that groups thousands with
            // spaces, three digits after one space continue the number ("900 000").
            if let Some(v) = parse_number_in(&f, lang) {
                let group = f.len() <= 3 && f.bytes().all(|b| b.is_ascii_digit());
                let gap = k.checked_sub(1).and_then(|p| text.get(toks[p].span.end..t.span.start));
                let spaced = matches!(gap, Some(" " | "\u{a0}" | "\u{202f}"));
                match grouped {
                    Some(before)
                        if foreign && !lang.is_empty() && spaced && group && f.len() == 3 =>
                    {
                        let joined = before * 1000.0 + v;
                        if let Some(last) = words.last_mut() {
                            *last = plain_number(joined);
                        }
                        grouped = Some(joined);
                        continue;
                    }
                    _ => {
                        grouped = group.then_some(v);
                        words.push(plain_number(v));
                        continue;
                    }
                }
            }
            grouped = None;
            // Another language's number word becomes its digits, read with the others; its
            // multiplier after a number the English one ("deux mille" → "2 thousand").
            let english = foreign.then(|| {
                let after_number = || words.last().is_some_and(|p| parse_number(p).is_some());
                let by = multiplier(lang, &f).filter(|_| after_number());
                by.and_then(english_multiplier)
                    .map(str::to_string)
                    .or_else(|| number_word(lang, &f).filter(|&v| v >= 2).map(|v| v.to_string()))
            });
            let first = w.chars().next();
            // A capital that opens the passage or follows an opening mark is no name sign.
            let opens = || {
                k == 0
                    || text.get(..t.span.start).is_some_and(|b| {
                        b.trim_end().ends_with(|c: char| OPENING_MARKS.contains(&c) || c == '"')
                    })
            };
            if first.is_some_and(char::is_uppercase) && !opens() {
                let key = name_key(&f);
                if !key.is_empty() {
                    names.push(key);
                }
            }
            if first.is_some_and(char::is_alphabetic) {
                cognates.extend(cognate(w));
            }
            words.push(english.flatten().unwrap_or(f));
        }
        let mentions = super::compare::numbers(&words);
        let mut counts: Vec<(u64, &'static str)> = mentions
            .iter()
            .filter_map(|n| counted(&words, n.last).map(|c| (n.value.to_bits(), c)))
            .collect();
        counts.sort_unstable();
        counts.dedup();
        let mut numbers: Vec<u64> = mentions.iter().map(|n| n.value.to_bits()).collect();
        numbers.sort_unstable();
        numbers.dedup();
        names.sort_unstable();
        names.dedup();
        cognates.sort_unstable();
        cognates.dedup();
        // Every opening mark is non-ASCII: an ASCII passage (most) is not searched for one.
        let fragments = if text.is_ascii() {
            0
        } else {
            text.chars().filter(|c| OPENING_MARKS.contains(c)).count()
        };
        Anchors { numbers, names, cognates, counts, fragments, chars: text.chars().count() }
    }

    /// Whether both passages state numbers and share none of them.
    pub fn numbers_clash(&self, other: &Anchors) -> bool {
        !self.numbers.is_empty()
            && !other.numbers.is_empty()
            && dice(&self.numbers, &other.numbers) == 0.0
    }

    /// Whether the passages' lengths (in chars) are within a translation's range of each
    /// other: the shorter at least [`MIN_LENGTH_RATIO`] of the longer.
    pub fn lengths_agree(&self, other: &Anchors) -> bool {
        let (a, b) = (self.chars.min(other.chars), self.chars.max(other.chars));
        a as f32 >= MIN_LENGTH_RATIO * b as f32
    }

    /// Number of names and numbers both passages hold.
    pub fn shared_anchors(&self, other: &Anchors) -> usize {
        sorted_overlap(&self.names, &other.names) + sorted_overlap(&self.numbers, &other.numbers)
    }

    /// The transliteration keys of the passage's names, sorted, distinct.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Whether every number of the passage stating fewer numbers is also stated by the
    /// other (true when either states none): "2 dead, 19 injured" and "2 dead, 23 injured"
    /// share a number but do not agree.
    pub fn numbers_agree(&self, other: &Anchors) -> bool {
        let (few, many) = if self.numbers.len() <= other.numbers.len() {
            (&self.numbers, &other.numbers)
        } else {
            (&other.numbers, &self.numbers)
        };
        sorted_overlap(few, many) == few.len()
    }

    /// Whether the passages count one thing with one specific figure ("23 were injured" /
    /// "23 heridos": above [`SPECIFIC_COUNT`], not a year) and every figure both give
    /// counts the same thing in both (when both say what it counts): "two dead and 23
    /// injured" / "23 people were injured", not "23 injured" / "23 missing".
    pub fn counts_agree(&self, other: &Anchors) -> bool {
        count_agreement(&self.counts, &other.counts).is_some_and(|(_, specific)| specific)
    }

    /// The counts of the passage: (value bits, what is counted), sorted, distinct.
    pub fn counts(&self) -> &[(u64, &'static str)] {
        &self.counts
    }

    /// The passage's specific numbers (those that are not years), as bits of the f64: the
    /// numbers [`Anchors::specific_shared`] counts.
    pub fn specific_numbers(&self) -> impl Iterator<Item = u64> + '_ {
        self.numbers.iter().copied().filter(|n| !is_year(f64::from_bits(*n)))
    }

    /// The specific anchors both passages hold, as (numbers, names): numbers that are not
    /// years (a year alone dates many statements of a story) and names `common` does not
    /// hold (the story's ubiquitous names, sorted: they tie every sentence to the event,
    /// not to one statement).
    pub fn specific_shared(&self, other: &Anchors, common: &[String]) -> (usize, usize) {
        let numbers = self
            .numbers
            .iter()
            .filter(|n| !is_year(f64::from_bits(**n)) && other.numbers.binary_search(n).is_ok())
            .count();
        let names = self
            .names
            .iter()
            .filter(|k| common.binary_search(k).is_err() && other.names.binary_search(k).is_ok())
            .count();
        (numbers, names)
    }
}

/// Figures up to this are too common to tie two passages by the thing they count.
const SPECIFIC_COUNT: f64 = 10.0;
/// Words read after a number for what it counts.
const COUNT_WINDOW: usize = 4;

/// What the counting words of six languages count (folded word → class,
/// `data/synth/counted.txt`): the dead, the injured, the missing, those on board, the
/// rescued, the arrested.
fn counted_words() -> &'static FastMap<&'static str, &'static str> {
    static WORDS: OnceLock<FastMap<&'static str, &'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut map = FastMap::default();
        for line in include_str!("../../data/synth/counted.txt").lines().map(str::trim) {
            if line.starts_with('#') {
                continue;
            }
            if let Some((class, words)) = line.split_once(':') {
                for w in words.split_whitespace() {
                    map.insert(w, class.trim());
                }
            }
        }
        map
    })
}

/// How two lists of counts ((value bits, what is counted), sorted) agree: `None` when a
/// figure both give counts different things in each ("23 injured" / "23 missing"), else the
/// number of counts both give and whether one of them is specific (above
/// [`SPECIFIC_COUNT`], not a year).
pub fn count_agreement(
    a: &[(u64, &'static str)],
    b: &[(u64, &'static str)],
) -> Option<(usize, bool)> {
    let of = |cs: &[(u64, &'static str)], v: u64| -> Vec<&'static str> {
        cs.iter().filter(|c| c.0 == v).map(|c| c.1).collect()
    };
    let (mut shared, mut specific) = (0, false);
    for &(v, c) in a {
        let theirs = of(b, v);
        if theirs.is_empty() {
            continue;
        }
        if !of(a, v).iter().any(|x| theirs.contains(x)) {
            return None;
        }
        if theirs.contains(&c) {
            shared += 1;
            let n = f64::from_bits(v);
            specific |= n > SPECIFIC_COUNT && !is_year(n);
        }
    }
    Some((shared, specific))
}

/// What the number ending before word `last` counts: the class of the first counting word
/// ([`counted_words`]) among the next [`COUNT_WINDOW`] words, before another number ("dos
/// muertos y 23 heridos", "23 were injured", "Eleven of the injured").
fn counted(words: &[String], last: usize) -> Option<&'static str> {
    let after = words.get(last..).unwrap_or(&[]).iter().take(COUNT_WINDOW);
    for w in after.take_while(|w| parse_number(w).is_none()) {
        if let Some(&class) = counted_words().get(w.as_str()) {
            return Some(class);
        }
    }
    None
}

/// `word` (folded) with a French circumflex read as the "s" it stands for before a
/// consonant ("hôpital" → "hospital", "forêt" → "forest", "île" → "isle"), the bare vowel
/// at the end of a word or before a vowel ("dû" → "du"): cognates of other languages keep
/// the "s".
fn restore_circumflex(word: &str) -> std::borrow::Cow<'_, str> {
    if !word.contains(['â', 'ê', 'î', 'ô', 'û', 'Â', 'Ê', 'Î', 'Ô', 'Û']) {
        return std::borrow::Cow::Borrowed(word);
    }
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len() + 2);
    for (k, &c) in chars.iter().enumerate() {
        let base = match c {
            'â' | 'Â' => 'a',
            'ê' | 'Ê' => 'e',
            'î' | 'Î' => 'i',
            'ô' | 'Ô' => 'o',
            'û' | 'Û' => 'u',
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push(if c.is_uppercase() { base.to_ascii_uppercase() } else { base });
        let next = chars.get(k + 1).map(|n| n.to_ascii_lowercase());
        if next.is_some_and(|n| n.is_ascii_alphabetic() && !"aeiouy".contains(n)) {
            out.push('s');
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The cross-language key of a name (folded): its transliteration key ([`translit_key`])
/// after the spellings that differ between cognates of the languages chorus reads are made
/// one: a circumflex for an "s" ([`restore_circumflex`]: "Hôpital" / "Hospital"), "ß" as
/// "ss", "th" as "t" ("Thomas" / "Tomás"), a hard "c" as "k" ("Congo" / "Kongo"), and an
/// "e" opening "s" and a consonant dropped ("Escocia" / "Scotia"). Cached per thread: a
/// story names its people and places in passage after passage, and the key's spelling
/// rules cost far more than a lookup.
pub fn name_key(word: &str) -> String {
    NAME_KEYS.with(|cell| {
        let Ok(mut cache) = cell.try_borrow_mut() else {
            return spelled_key(word);
        };
        if let Some(key) = cache.get(word) {
            return key.to_string();
        }
        let key = spelled_key(word);
        if cache.len() >= NAME_KEY_CACHE_MAX {
            cache.clear();
        }
        cache.insert(word.into(), key.as_str().into());
        key
    })
}

/// Most name keys cached per thread before the cache is emptied.
const NAME_KEY_CACHE_MAX: usize = 20_000;

thread_local! {
    /// Word (folded) → its [`name_key`].
    static NAME_KEYS: std::cell::RefCell<StrMap<Box<str>, Box<str>>> =
        std::cell::RefCell::new(StrMap::default());
}

/// [`name_key`] computed by its spelling rules.
fn spelled_key(word: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // An ASCII word has no circumflex or "ß" and decomposes to itself: read byte by byte.
    let mut ascii: Vec<u8> = if word.is_ascii() {
        word.bytes().filter(u8::is_ascii_alphanumeric).map(|b| b.to_ascii_lowercase()).collect()
    } else {
        let w = restore_circumflex(word).replace('ß', "ss");
        w.nfd().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase() as u8).collect()
    };
    for k in 0..ascii.len() {
        if ascii[k] == b'c' && matches!(ascii.get(k + 1), Some(b'a' | b'o' | b'u' | b'l' | b'r')) {
            ascii[k] = b'k';
        }
    }
    if ascii.len() > 3 && ascii.starts_with(b"es") && !b"aeiou".contains(&ascii[2]) {
        ascii.remove(0);
    }
    // "th" → "t", left to right without overlaps (as `str::replace` reads).
    let mut out = Vec::with_capacity(ascii.len());
    let mut k = 0;
    while let Some(&b) = ascii.get(k) {
        out.push(b);
        k += if b == b't' && ascii.get(k + 1) == Some(&b'h') { 2 } else { 1 };
    }
    // ASCII letters and digits only: always valid UTF-8, borrowed.
    translit_key(&String::from_utf8_lossy(&out))
}

/// Whether a number reads as a year of the last or this century.
fn is_year(v: f64) -> bool {
    v.fract() == 0.0 && (1900.0..=2100.0).contains(&v)
}

/// The ubiquitous names of a story, sorted: the transliteration keys named by more than
/// half of its articles (at least two) that recur through them (in more passages than
/// articles naming them). `passages` are the story's passages as (article, anchors). The
/// ferry's name and its port are ubiquitous; a hospital every outlet names once is not.
pub fn ubiquitous<'a>(
    passages: impl IntoIterator<Item = (ArticleIdx, &'a Anchors)>,
) -> Vec<String> {
    let mut seen: std::collections::HashMap<&str, (Vec<ArticleIdx>, usize)> =
        std::collections::HashMap::new();
    let mut articles = Vec::new();
    for (a, anchors) in passages {
        articles.push(a);
        for k in &anchors.names {
            let e = seen.entry(k.as_str()).or_default();
            e.0.push(a);
            e.1 += 1;
        }
    }
    articles.sort_unstable();
    articles.dedup();
    let mut out: Vec<String> = seen
        .into_iter()
        .filter_map(|(k, (mut arts, n))| {
            arts.sort_unstable();
            arts.dedup();
            let most = arts.len() >= 2 && 2 * arts.len() > articles.len();
            (most && n > arts.len()).then(|| k.to_string())
        })
        .collect();
    out.sort_unstable();
    out
}

/// The one-to-one pairing of items `0..n` with items `0..m`, best scores first (scores
/// below `min` never pair): for independent reports, which tell the same facts in their
/// own order ([`assign`] keeps the order of a translation). Pairs in increasing order.
pub fn assign_best(
    n: usize,
    m: usize,
    score: impl Fn(usize, usize) -> f32,
    min: f32,
) -> Vec<(usize, usize)> {
    let all: Vec<(f32, usize, usize)> = (0..n)
        .flat_map(|i| (0..m).map(move |j| (i, j)))
        .map(|(i, j)| (score(i, j), i, j))
        .collect();
    assign_best_of(all, min)
}

/// [`assign_best`] over the scored pairs `(score, i, j)` given (the pairs not given score
/// nothing): when only a few of the `n × m` pairs can score, the caller lists those.
pub fn assign_best_of(mut all: Vec<(f32, usize, usize)>, min: f32) -> Vec<(usize, usize)> {
    all.retain(|a| a.0 >= min);
    all.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    let (mut left, mut right): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    let mut out = Vec::new();
    for (_, i, j) in all {
        if !left.contains(&i) && !right.contains(&j) {
            left.push(i);
            right.push(j);
            out.push((i, j));
        }
    }
    out.sort_unstable();
    out
}

/// Shortest share of the longer passage's length a translation keeps (a trimmed or
/// shortened translation included).
pub const MIN_LENGTH_RATIO: f32 = 0.45;

/// Dice coefficient of two sorted, distinct lists (0 when both are empty).
fn dice<T: Ord>(a: &[T], b: &[T]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    2.0 * sorted_overlap(a, b) as f32 / (a.len() + b.len()) as f32
}

/// How strongly two passages in different languages look like one statement, 0..1: the
/// mean agreement of the anchors either passage holds (names, numbers, quoted fragments,
/// with cognate stems always counted), 0 when their numbers clash or their lengths are out
/// of a translation's range.
pub fn similarity(a: &Anchors, b: &Anchors) -> f32 {
    if a.numbers_clash(b) || !a.lengths_agree(b) {
        return 0.0;
    }
    // Runs for every scored pair: the parts are summed in place, in order, not collected.
    let (mut sum, mut parts) = (dice(&a.cognates, &b.cognates), 1u8);
    if !a.names.is_empty() || !b.names.is_empty() {
        sum += dice(&a.names, &b.names);
        parts += 1;
    }
    if !a.numbers.is_empty() || !b.numbers.is_empty() {
        sum += dice(&a.numbers, &b.numbers);
        parts += 1;
    }
    if a.fragments > 0 || b.fragments > 0 {
        sum += if a.fragments == b.fragments { 1.0 } else { 0.0 };
        parts += 1;
    }
    sum / f32::from(parts)
}

/// The order-preserving one-to-one pairing of items `0..n` with items `0..m` of the
/// highest total score (scores below `min` never pair): a translation keeps the order of
/// what it translates, so two quotes of one speaker map to two quotes, not both to one.
/// Pairs in increasing order.
pub fn assign(
    n: usize,
    m: usize,
    score: impl Fn(usize, usize) -> f32,
    min: f32,
) -> Vec<(usize, usize)> {
    if n == 0 || m == 0 {
        return Vec::new();
    }
    let s: Vec<Vec<f32>> = (0..n).map(|i| (0..m).map(|j| score(i, j)).collect()).collect();
    // best[i][j]: the best total pairing items i.. with items j..
    let mut best = vec![vec![0.0f32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let take = if s[i][j] >= min { s[i][j] + best[i + 1][j + 1] } else { f32::MIN };
            best[i][j] = take.max(best[i + 1][j]).max(best[i][j + 1]);
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n && j < m {
        if s[i][j] >= min && best[i][j] == s[i][j] + best[i + 1][j + 1] {
            out.push((i, j));
            i += 1;
            j += 1;
        } else if best[i][j] == best[i + 1][j] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// Translation edges `(article, from)` as derivations, for tests of the users of
/// [`related`].
#[cfg(test)]
pub fn translation_edges(edges: &[(ArticleIdx, ArticleIdx)]) -> Vec<crate::record::Derivation> {
    edges
        .iter()
        .map(|&(article, from)| crate::record::Derivation {
            article,
            from,
            kind: DerivationKind::Translation,
            score: 0.7,
            evidence: Vec::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The decompose-everything form of [`name_key`] that its ASCII path skips (the oracle).
    fn name_key_by_nfd(word: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        let w = restore_circumflex(word).replace('ß', "ss");
        let mut ascii: Vec<u8> = w
            .nfd()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase() as u8)
            .collect();
        for k in 0..ascii.len() {
            if ascii[k] == b'c'
                && matches!(ascii.get(k + 1), Some(b'a' | b'o' | b'u' | b'l' | b'r'))
            {
                ascii[k] = b'k';
            }
        }
        if ascii.len() > 3 && ascii.starts_with(b"es") && !b"aeiou".contains(&ascii[2]) {
            ascii.remove(0);
        }
        translit_key(&String::from_utf8_lossy(&ascii).replace("th", "t"))
    }

    proptest::proptest! {
        /// The byte-wise ASCII paths of [`name_key`] and [`cognate`] equal the decomposing
        /// ones on ASCII and accented words (circumflexes, "ß", "th" runs, digits).
        #[test]
        fn ascii_paths_match_the_decomposing_oracle(word in "[tThHcCeEsSôÔêßaoulrxé1'-]{0,12}") {
            proptest::prop_assert_eq!(spelled_key(&word), name_key_by_nfd(&word));
            // Twice: the second is read from the cache.
            proptest::prop_assert_eq!(name_key(&word), name_key_by_nfd(&word));
            proptest::prop_assert_eq!(name_key(&word), name_key_by_nfd(&word));
            let letters = ascii_letters(&restore_circumflex(&word));
            let oracle =
                (letters.len() >= COGNATE_MIN).then(|| letters[..COGNATE_PREFIX].to_string());
            let stem = cognate(&word).map(|s| String::from_utf8_lossy(&s).into_owned());
            proptest::prop_assert_eq!(stem, oracle);
        }
    }

    #[test]
    fn reads_the_anchors_a_translation_keeps() {
        // (text, language, numbers, names, fragments)
        type Case = (&'static str, &'static str, &'static [f64], &'static [&'static str], usize);
        let table: &[Case] = &[
            (
                "la température de l’eau, d’environ huit degrés, ne laisse qu’« une fenêtre étroite »",
                "fr",
                &[8.0],
                &[],
                1,
            ),
            ("the water of about eight degrees gave “a narrow window”", "en", &[8.0], &[], 1),
            (
                "Des inspecteurs avaient signalé de la corrosion sur la coque de l’Orla Grey en janvier 2025.",
                "fr",
                &[2025.0],
                &["gri", "urla"],
                0,
            ),
            ("Trois morts et onze disparus au large de Kessaly", "fr", &[3.0, 11.0], &["kesali"], 0),
            ("Once more, Kessali said", "en", &[], &["kesali"], 0),
            ("Once personas, dijo Kessali", "es", &[11.0], &["kesali"], 0),
            // Every language of the shared table, its compounds and multipliers; a bare "un",
            // "ein", "uno" is an article.
            ("deux mille personnes et un million d’euros", "fr", &[2000.0, 1e6], &[], 0),
            ("dix-sept morts, vingt-deux blessés", "fr", &[17.0, 22.0], &[], 0),
            ("trece heridos y tres millones de dólares", "es", &[13.0, 3e6], &[], 0),
            (
                "ein Schiff, einundzwanzig Tote, zwölf Verletzte",
                "de",
                &[12.0, 21.0],
                &["schif", "tute", "verletzte"],
                0,
            ),
            ("uno dei ventotto feriti", "it", &[28.0], &[], 0),
            ("um navio e dezenove feridos", "pt", &[19.0], &[], 0),
            ("two thousand people", "en", &[2000.0], &[], 0),
            // Digits as each language writes them: thousands grouped by dots or spaces, a
            // decimal comma.
            ("unos 900.000 pasajeros al año", "es", &[900_000.0], &[], 0),
            ("about 900,000 passengers a year", "en", &[900_000.0], &[], 0),
            ("environ 900 000 passagers par an", "fr", &[900_000.0], &[], 0),
            (
                "1 200 000 Euro und 23.500 Besucher",
                "de",
                &[23_500.0, 1_200_000.0],
                &["besucher", "euru"],
                0,
            ),
            ("1,5 millones de euros", "es", &[1_500_000.0], &[], 0),
            ("1.5 million euros and 2.125 percent", "en", &[2.125, 1_500_000.0], &[], 0),
            ("15 100 metre races in 2019 300 days", "en", &[15.0, 100.0, 300.0, 2019.0], &[], 0),
        ];
        for (text, lang, numbers, names, fragments) in table {
            let a = Anchors::new(text, lang);
            let mut want: Vec<u64> = numbers.iter().map(|v| v.to_bits()).collect();
            want.sort_unstable();
            assert_eq!(a.numbers, want, "{text}");
            assert_eq!(a.names, *names, "{text}");
            assert_eq!(a.fragments, *fragments, "{text}");
        }
    }

    #[test]
    fn translations_score_above_other_statements() {
        let fr = "la température de l’eau, d’environ huit degrés, ne laisse aux sauveteurs qu’« une fenêtre étroite » pour retrouver des survivants";
        let en = "the water temperature of about eight degrees gave rescuers “a narrow window” for finding survivors";
        let other = "We will not stop searching until every passenger is accounted for";
        let counts = "Three people died and 11 were missing after the ferry capsized";
        let (a, b) = (Anchors::new(fr, "fr"), Anchors::new(en, "en"));
        let s = similarity(&a, &b);
        assert!(s > 0.5, "{s}");
        assert!(similarity(&a, &Anchors::new(other, "en")) < s / 2.0);
        assert_eq!(similarity(&a, &Anchors::new(counts, "en")), 0.0, "numbers clash");
        assert_eq!(similarity(&a, &Anchors::new("Eight.", "en")), 0.0, "lengths");
    }

    #[test]
    fn assignment_is_one_to_one_and_keeps_order() {
        // (score matrix rows, min, wanted pairs)
        type Case = (&'static [&'static [f32]], f32, &'static [(usize, usize)]);
        let table: &[Case] = &[
            (&[&[0.9, 0.8], &[0.85, 0.7]], 0.5, &[(0, 0), (1, 1)]),
            (&[&[0.9, 0.1], &[0.95, 0.2]], 0.5, &[(1, 0)]),
            (&[&[0.2, 0.9]], 0.5, &[(0, 1)]),
            (&[&[0.2, 0.3]], 0.5, &[]),
            (&[&[0.6, 0.0, 0.0], &[0.0, 0.0, 0.7]], 0.5, &[(0, 0), (1, 2)]),
            // A crossing pair loses to the better order-preserving one.
            (&[&[0.0, 0.9], &[0.6, 0.0]], 0.5, &[(0, 1)]),
        ];
        for (rows, min, want) in table {
            let got = assign(rows.len(), rows[0].len(), |i, j| rows[i][j], *min);
            assert_eq!(got, *want, "{rows:?}");
        }
        assert!(assign(0, 3, |_, _| 1.0, 0.5).is_empty());
    }

    #[test]
    fn independent_reports_share_specific_anchors() {
        let common = Anchors::new("Ferry Brisa Hale of Caldport", "en").names().to_vec();
        // (en, other, language, numbers agree, specific (numbers, names))
        type Case = (&'static str, &'static str, &'static str, bool, (usize, usize));
        let table: &[Case] = &[
            (
                "Eleven of the injured were taken to Caldport General Hospital.",
                "Once de los heridos fueron trasladados al Hospital General de Caldport.",
                "es",
                true,
                (1, 2),
            ),
            (
                "Two people died and 23 were injured in 2026.",
                "Zwei Menschen starben, 19 wurden verletzt.",
                "de",
                false,
                (1, 0),
            ),
            // A year alone and the story's ubiquitous names are no specific anchors.
            (
                "The Brisa Hale was built in Caldport in 2009.",
                "Le Brisa Hale a été rénové à Caldport en 2009.",
                "fr",
                true,
                (0, 0),
            ),
        ];
        for (en, other, lang, agree, want) in table {
            let (a, b) = (Anchors::new(en, "en"), Anchors::new(other, lang));
            assert_eq!(a.numbers_agree(&b), *agree, "{other}");
            assert_eq!(a.specific_shared(&b, &common), *want, "{other}");
        }
    }

    #[test]
    fn cognate_names_have_one_key() {
        // (two spellings of one name in different languages, same key)
        let table: &[(&str, &str, bool)] = &[
            ("Hôpital", "Hospital", true),
            ("hôpital", "hospital", true),
            ("Forêt", "Forest", true),
            ("Île", "Isle", true),
            ("Côte", "Costa", false),
            ("Thomas", "Tomás", true),
            ("Congo", "Kongo", true),
            ("Cairo", "Kairo", true),
            ("Straße", "Strasse", true),
            ("Escocia", "Scocia", true),
            ("Caldport", "Caldport", true),
            ("Caldport", "Caldmere", false),
            ("Hospital", "Hostal", false),
            ("Reyle", "Reile", true),
            ("Cesar", "Kesar", false),
        ];
        for &(a, b, same) in table {
            let (x, y) = (name_key(&fold(a)), name_key(&fold(b)));
            assert_eq!(x == y, same, "{a} {x} / {b} {y}");
        }
        assert_eq!(restore_circumflex("hôpital"), "hospital");
        assert_eq!(restore_circumflex("Côte"), "Coste");
        assert_eq!(restore_circumflex("dû"), "du");
        assert_eq!(restore_circumflex("plain"), "plain");
        // Names and cognate stems of one passage in two languages meet.
        let (fr, es) = (
            Anchors::new("Onze blessés à l’Hôpital Saint-Brannoc", "fr"),
            Anchors::new("Once heridos en el Hospital Saint-Brannoc", "es"),
        );
        assert_eq!(fr.specific_shared(&es, &[]), (1, 2));
    }

    #[test]
    fn counts_say_what_they_count() {
        // (text, language, counts as (value, what))
        type Case = (&'static str, &'static str, &'static [(f64, &'static str)]);
        let table: &[Case] = &[
            ("Two people died and 23 were injured", "en", &[(2.0, "killed"), (23.0, "injured")]),
            (
                "El naufragio dejó dos muertos y 23 heridos",
                "es",
                &[(2.0, "killed"), (23.0, "injured")],
            ),
            ("Eleven of the injured were taken to hospital", "en", &[(11.0, "injured")]),
            ("Onze blessés ont été transportés", "fr", &[(11.0, "injured")]),
            // A compound passive puts the participle four words after the figure.
            ("Quatorze personnes ont été blessées", "fr", &[(14.0, "injured")]),
            ("Vierzehn Menschen wurden dabei verletzt", "de", &[(14.0, "injured")]),
            (
                "64 Passagiere und sechs Besatzungsmitglieder",
                "de",
                &[(6.0, "crew"), (64.0, "passengers")],
            ),
            ("In 2019 the port opened 23 new berths", "en", &[]),
        ];
        for &(text, lang, want) in table {
            let got: Vec<(f64, &str)> = Anchors::new(text, lang)
                .counts()
                .iter()
                .map(|c| (f64::from_bits(c.0), c.1))
                .collect();
            assert_eq!(got, want, "{text}");
        }
        // (English, other, language, counts agree)
        let pairs: &[(&str, &str, &str, bool)] = &[
            ("and 23 were injured when it capsized", "dos muertos y 23 heridos", "es", true),
            ("Two people died", "dos muertos y 23 heridos", "es", false),
            ("23 were injured", "23 desaparecidos", "es", false),
            ("23 were injured and two died", "23 desaparecidos y dos muertos", "es", false),
            ("Eleven of the injured", "Onze blessés", "fr", true),
            ("23 were injured", "Il y avait 23 passagers", "fr", false),
        ];
        for &(en, other, lang, agree) in pairs {
            let (a, b) = (Anchors::new(en, "en"), Anchors::new(other, lang));
            assert_eq!(a.counts_agree(&b), agree, "{en} / {other}");
            assert_eq!(b.counts_agree(&a), agree, "{other} / {en}");
        }
    }

    #[test]
    fn ubiquitous_names_are_in_most_articles_and_recur() {
        let texts: &[(ArticleIdx, &str)] = &[
            (0, "The ferry Brisa Hale capsized near Caldport."),
            (0, "The Brisa Hale left Caldport at noon."),
            (0, "Eleven went to Caldport General Hospital."),
            (1, "Le Brisa Hale a chaviré."),
            (1, "Onze blessés à l’Hôpital général de Caldport."),
            (1, "Le Brisa Hale venait de Caldport."),
            (2, "El Brisa Hale volcó cerca de Caldport."),
            (2, "Una sola vez, dijo Reyle."),
        ];
        let anchors: Vec<(ArticleIdx, Anchors)> =
            texts.iter().map(|&(a, t)| (a, Anchors::new(t, "en"))).collect();
        let got = ubiquitous(anchors.iter().map(|(a, x)| (*a, x)));
        let mut want: Vec<String> =
            ["brisa", "hale", "caldport"].iter().map(|k| name_key(k)).collect();
        want.sort_unstable();
        assert_eq!(got, want);
    }

    #[test]
    fn best_first_assignment_is_one_to_one_in_any_order() {
        // (score matrix rows, min, wanted pairs)
        type Case = (&'static [&'static [f32]], f32, &'static [(usize, usize)]);
        let table: &[Case] = &[
            // A crossing pair is kept: independent reports have their own order.
            (&[&[0.0, 0.9], &[0.6, 0.0]], 0.5, &[(0, 1), (1, 0)]),
            (&[&[0.9, 0.8], &[0.95, 0.7]], 0.5, &[(0, 1), (1, 0)]),
            (&[&[0.9, 0.3], &[0.95, 0.3]], 0.5, &[(1, 0)]),
            (&[&[0.2, 0.3]], 0.5, &[]),
        ];
        for (rows, min, want) in table {
            let got = assign_best(rows.len(), rows[0].len(), |i, j| rows[i][j], *min);
            assert_eq!(got, *want, "{rows:?}");
        }
        assert!(assign_best(0, 3, |_, _| 1.0, 0.5).is_empty());
    }
}
