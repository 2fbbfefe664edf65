//! The mojibake pass: text whose UTF-8 bytes were decoded with a single-byte charset.
//!
//! Hand-written after ftfy's idea (no Rust crate does this): for each candidate charset
//! (windows-1252/latin-1, windows-1250, windows-1251, windows-1257, MacRoman) find runs of
//! characters that re-encode to a valid UTF-8 multi-byte sequence, and decode a run only when a
//! badness score of the text around it drops ([`weirdness`]). Correct text is left alone
//! because it scores zero. Multi-layer mojibake is undone by re-running on the decoded run;
//! lossy cases (dropped C1 bytes, `?`/`�` for lost bytes, `Ã ` for `à `) are handled narrowly.

use std::sync::OnceLock;

use super::Edit;

/// One charset's high half as a char → byte table: a direct array below U+0500 (Latin,
/// Greek, Cyrillic: where almost every lookup lands) and a sorted list above it, so the
/// lookup that runs for every character of every candidate line hashes nothing.
struct Charset {
    low: Vec<u8>,
    high: Vec<(char, u8)>,
}

/// Characters below this have a slot in [`Charset::low`].
const LOW_CHARS: usize = 0x500;

impl Charset {
    fn new(enc: &'static encoding_rs::Encoding, c1_fallback: bool) -> Charset {
        let mut pairs = Vec::new();
        for b in 0x80u8..=0xFF {
            let buf = [b];
            let (s, had_errors) = enc.decode_without_bom_handling(&buf);
            let mut it = s.chars();
            if let (Some(c), None, false) = (it.next(), it.next(), had_errors) {
                pairs.push((c, b));
            }
        }
        if c1_fallback {
            for b in 0x80u8..=0x9F {
                let c = char::from(b);
                if !pairs.iter().any(|&(d, _)| d == c) {
                    pairs.push((c, b));
                }
            }
        }
        Charset::from_pairs(pairs)
    }

    /// A charset from its 128 characters for bytes 0x80–0xFF.
    fn from_high_half(high: &str) -> Charset {
        Charset::from_pairs(high.chars().zip(0x80u8..=0xFF).collect())
    }

    /// The table of `(char, byte)` pairs (the first pair of a char wins, as a map insert
    /// that never overwrites would).
    fn from_pairs(pairs: Vec<(char, u8)>) -> Charset {
        let mut low = vec![0u8; LOW_CHARS];
        let mut high: Vec<(char, u8)> = Vec::new();
        for (c, b) in pairs {
            match low.get_mut(c as usize) {
                Some(slot) if *slot == 0 => *slot = b,
                Some(_) => {}
                None if !high.iter().any(|&(d, _)| d == c) => high.push((c, b)),
                None => {}
            }
        }
        high.sort_unstable();
        Charset { low, high }
    }

    fn byte(&self, c: char) -> Option<u8> {
        if c.is_ascii() {
            return Some(c as u8);
        }
        match self.low.get(c as usize) {
            Some(&b) => (b != 0).then_some(b),
            None => self.high.binary_search_by_key(&c, |&(d, _)| d).ok().map(|i| self.high[i].1),
        }
    }

    /// Every (char, byte) pair of the table.
    fn pairs(&self) -> impl Iterator<Item = (char, u8)> + '_ {
        let low = self.low.iter().enumerate().filter(|(_, &b)| b != 0);
        low.filter_map(|(i, &b)| char::from_u32(i as u32).map(|c| (c, b)))
            .chain(self.high.iter().copied())
    }
}

/// Codepage 437 (DOS consoles), bytes 0x80–0xFF: encoding_rs does not include it.
const CP437_HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■ ";

fn charsets() -> &'static [Charset] {
    static SETS: OnceLock<Vec<Charset>> = OnceLock::new();
    SETS.get_or_init(|| {
        use encoding_rs::*;
        vec![
            Charset::new(WINDOWS_1252, true),
            Charset::new(WINDOWS_1250, true),
            Charset::new(WINDOWS_1251, true),
            Charset::new(WINDOWS_1257, true),
            Charset::new(ISO_8859_2, true),
            Charset::new(MACINTOSH, false),
            Charset::from_high_half(CP437_HIGH),
        ]
    })
}

/// For each character, a bit per charset (in [`charsets`] order) where it is a UTF-8 lead
/// byte (0xC2–0xF4), and a bit per charset where it is a continuation byte (0x80–0xBF).
struct Roles {
    low: Vec<(u8, u8)>,
    high: Vec<(char, u8, u8)>,
}

impl Roles {
    fn of(&self, c: char) -> (u8, u8) {
        match self.low.get(c as usize) {
            Some(&r) => r,
            None => self
                .high
                .binary_search_by_key(&c, |&(d, _, _)| d)
                .map_or((0, 0), |i| (self.high[i].1, self.high[i].2)),
        }
    }
}

fn roles() -> &'static Roles {
    static ROLES: OnceLock<Roles> = OnceLock::new();
    ROLES.get_or_init(|| {
        let mut low = vec![(0u8, 0u8); LOW_CHARS];
        let mut high: Vec<(char, u8, u8)> = Vec::new();
        for (k, cs) in charsets().iter().enumerate() {
            for (c, b) in cs.pairs().filter(|(c, _)| !c.is_ascii()) {
                let lead = u8::from((0xC2..=0xF4).contains(&b)) << k;
                let cont = u8::from((0x80..=0xBF).contains(&b)) << k;
                let slot = match low.get_mut(c as usize) {
                    Some(slot) => slot,
                    None => {
                        let i = match high.iter().position(|&(d, _, _)| d == c) {
                            Some(i) => i,
                            None => {
                                high.push((c, 0, 0));
                                high.len() - 1
                            }
                        };
                        let (_, l, r) = &mut high[i];
                        *l |= lead;
                        *r |= cont;
                        continue;
                    }
                };
                slot.0 |= lead;
                slot.1 |= cont;
            }
        }
        high.sort_unstable();
        Roles { low, high }
    })
}

/// Whether `c` (non-ASCII) is the first byte of a UTF-8 sequence in some candidate charset.
pub(crate) fn is_lead_char(c: char) -> bool {
    !c.is_ascii() && roles().of(c).0 != 0
}

/// A candidate: chars `start..end` re-encode to the UTF-8 of `ch`.
#[derive(Debug, Clone, Copy)]
struct Seq {
    start: usize,
    end: usize,
    ch: char,
}

fn utf8_len(lead: u8) -> Option<usize> {
    match lead {
        0xC2..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF4 => Some(4),
        _ => None,
    }
}

fn sequences(cs: &Charset, chars: &[char]) -> Vec<Seq> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let Some(lead) = cs.byte(chars[i]).filter(|_| !chars[i].is_ascii()) else {
            i += 1;
            continue;
        };
        let Some(n) = utf8_len(lead) else {
            i += 1;
            continue;
        };
        let mut bytes = vec![lead];
        let mut lost = 0;
        let mut j = i + 1;
        while bytes.len() < n && j < chars.len() {
            match cs.byte(chars[j]) {
                Some(b @ 0x80..=0xBF) if !chars[j].is_ascii() => bytes.push(b),
                // Lossy: a byte that was lost shows as `?` or `�`.
                _ if chars[j] == '\u{FFFD}' || (chars[j] == '?' && bytes.len() > 1) => {
                    bytes.push(0x80);
                    lost += 1;
                }
                _ => break,
            }
            j += 1;
        }
        let real_conts = bytes.len() - 1 - lost;
        let lossy_ok = real_conts > 0
            || matches!(chars[i], 'Ã' | 'Â' | 'â')
            || chars.get(i + 1) == Some(&'\u{FFFD}');
        if bytes.len() == n && (lost == 0 || lossy_ok) {
            let cesu = (lost == 0).then(|| cesu_pair(cs, chars, j, &bytes)).flatten();
            if let Some((ch, end)) = cesu {
                out.push(Seq { start: i, end, ch });
                i = end;
                continue;
            }
            let ch = if lost > 0 {
                Some('\u{FFFD}')
            } else {
                std::str::from_utf8(&bytes).ok().and_then(|s| s.chars().next())
            };
            if let Some(ch) = ch {
                out.push(Seq { start: i, end: j, ch });
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// CESU-8: a high surrogate `bytes` (`ED A0..AF xx`) followed at `j` by the three chars of a
/// low surrogate (`ED B0..BF xx`) is one astral character (emoji encoded as two surrogates).
fn cesu_pair(cs: &Charset, chars: &[char], j: usize, bytes: &[u8]) -> Option<(char, usize)> {
    let [0xED, hi @ 0xA0..=0xAF, hi2 @ 0x80..=0xBF] = *bytes else {
        return None;
    };
    let next = chars.get(j..j + 3)?;
    let lo: Vec<u8> =
        next.iter().map(|&c| cs.byte(c).filter(|_| !c.is_ascii())).collect::<Option<_>>()?;
    let [0xED, lo @ 0xB0..=0xBF, lo2 @ 0x80..=0xBF] = *lo.as_slice() else {
        return None;
    };
    let high = 0xD800 + ((u32::from(hi) & 0x0F) << 6) + (u32::from(hi2) & 0x3F);
    let low = 0xDC00 + ((u32::from(lo) & 0x0F) << 6) + (u32::from(lo2) & 0x3F);
    let cp = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
    char::from_u32(cp).map(|c| (c, j + 3))
}

const MOJI_SYM: &str = "€‚ƒ„†‡ˆ‰‹›˜•¡¢£¤¥¦§¨©ª«¬¯°±²³´µ¶·¸¹º»¼½¾¿ˇ˘˙˛˝√∂∑∏∫Ω≈∆≠≤≥∞◊⁄‘“";

fn is_moji_sym(c: char) -> bool {
    !c.is_ascii() && MOJI_SYM.contains(c)
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '\u{C0}'..='\u{24F}') && c.is_alphabetic()
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{400}'..='\u{52F}')
}

/// Letters of scripts that mojibake of Latin text produces when wrongly decoded.
fn is_exotic(c: char) -> bool {
    matches!(c, '\u{530}'..='\u{8FF}' | '\u{900}'..='\u{DFF}' | '\u{1100}'..='\u{11FF}'
        | '\u{2E80}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}')
}

fn is_rare(c: char) -> bool {
    matches!(c, '\u{180}'..='\u{217}' | '\u{21C}'..='\u{24F}' | '\u{250}'..='\u{2AF}'
        | '\u{2B0}'..='\u{2C5}' | '\u{2CC}'..='\u{2D7}' | '\u{2DE}'..='\u{2FF}'
        | '\u{500}'..='\u{52F}' | '\u{1D00}'..='\u{1DBF}' | '\u{E000}'..='\u{F8FF}' | '\u{FFF0}'..='\u{FFFC}')
        || (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
}

fn is_box(c: char) -> bool {
    matches!(c, '\u{2500}'..='\u{259F}')
}

fn is_c1(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{9F}')
}

/// Characters of the windows-1252 0x80–0x9F block (and the C1 controls latin-1 gives).
fn is_c1_block(c: char) -> bool {
    is_c1(c) || "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ".contains(c)
}

/// Classic first characters of mojibake followed by a character that continues it.
fn special_lead(a: char, b: char) -> bool {
    if b.is_ascii() {
        return false;
    }
    match a {
        'Ã' | 'Â' => (!b.is_alphanumeric() && b != '’') || "ƒŠŒŽšœžŸ™®".contains(b),
        'â' => is_c1_block(b) && !matches!(b, '’' | '…'),
        '√' => !b.is_alphanumeric() || is_latin(b),
        'ƒ' | '≈' | '‚' => true,
        _ => false,
    }
}

fn pair(a: char, b: char) -> i32 {
    let mut w = 0;
    if a.is_alphabetic() && is_moji_sym(b) {
        w += 1;
    }
    if special_lead(a, b) {
        w += 1;
    }
    if a.is_lowercase()
        && !b.is_ascii()
        && b.is_uppercase()
        && (is_latin(b) || is_cyrillic(a) && is_cyrillic(b))
    {
        w += 1;
    }
    if a.is_uppercase() && !a.is_ascii() && is_latin(a) && "ŒŠŽŸ".contains(b) {
        w += 1;
    }
    if a.is_alphabetic()
        && b.is_alphabetic()
        && (is_latin(a) && is_cyrillic(b) || is_cyrillic(a) && is_latin(b))
    {
        w += 1;
    }
    if (is_latin(a) && is_exotic(b)) || (is_exotic(a) && is_latin(b)) {
        w += 2;
    }
    // Box drawing touching a letter: codepage 437 mojibake (`┬┐que`, `─îe┼ítina`).
    if (is_box(a) && b.is_alphabetic()) || (a.is_alphabetic() && is_box(b)) {
        w += 1;
    }
    if !a.is_ascii() && a.is_alphabetic() && b == '\u{FFFD}' {
        w += 1;
    }
    w
}

fn is_latin_upper(c: char) -> bool {
    !c.is_ascii() && is_latin(c) && c.is_uppercase()
}

/// Undecodable mojibake debris next to a candidate: the candidate is part of a garble.
fn is_debris(c: Option<&char>) -> bool {
    c.is_some_and(|&c| {
        (is_moji_sym(c) && !matches!(c, '‘' | '“'))
            || (is_c1_block(c) && !is_c1(c) && !"’”…–—‘“™".contains(c))
            || matches!(c, 'Ã' | 'Â')
    })
}

/// A symbol inside a word (`Ă®nce`, `r√©g`).
fn mid_word_symbol(a: char, b: char, c: char) -> bool {
    a.is_alphabetic() && c.is_alphabetic() && (is_moji_sym(b) || matches!(b, '™' | '®'))
}

/// Badness of a short window of text: 0 for ordinary text in any language.
pub(crate) fn weirdness(s: &[char]) -> i32 {
    let mut w = 0;
    for (i, &c) in s.iter().enumerate() {
        if is_c1(c) {
            w += 3;
        } else if is_rare(c) {
            w += 1;
        }
        if i > 0 {
            w += pair(s[i - 1], c);
            // `Â` + no-break space in capitals may be a real letter before a real space.
            if s[i - 1] == 'Â' && c == '\u{A0}' && i > 1 && s[i - 2].is_uppercase() {
                w -= 1;
            }
        }
        if i > 1
            && s[i - 2].is_uppercase()
            && s[i - 1].is_uppercase()
            && !c.is_ascii()
            && c.is_lowercase()
        {
            w += 1;
        }
        if i > 1 && is_latin_upper(s[i - 2]) && is_latin_upper(s[i - 1]) && c.is_lowercase() {
            w += 1;
        }
        if i > 1 && mid_word_symbol(s[i - 2], s[i - 1], c) {
            w += 1;
        }
    }
    w
}

/// A fix on a char slice: chars `start..end` become `text`.
#[derive(Debug, Clone, PartialEq)]
struct Fix {
    start: usize,
    end: usize,
    text: String,
}

fn window(chars: &[char], start: usize, end: usize, mid: &[char]) -> Vec<char> {
    let mut v = Vec::with_capacity(mid.len() + 3);
    v.extend_from_slice(&chars[start.saturating_sub(2)..start]);
    v.extend_from_slice(mid);
    if let Some(&c) = chars.get(end) {
        v.push(c);
    }
    v
}

/// Whether a cluster decodes to a whole word of one non-Latin script (`×‘×”×•×“×¢×”` → Hebrew).
fn is_foreign_word(chars: &[char], start: usize, end: usize, decoded: &[char]) -> bool {
    let bounded = |c: Option<&char>| !c.is_some_and(|c| c.is_alphanumeric());
    let script = |c: char| (c as u32) >> 7;
    // A lost last byte (`à¯�`) leaves a trailing replacement character.
    let n = decoded.iter().rposition(|&c| c != '\u{FFFD}').map_or(0, |p| p + 1);
    let decoded = &decoded[..n];
    decoded.len() >= 3
        && bounded(start.checked_sub(1).and_then(|i| chars.get(i)))
        && bounded(chars.get(end))
        && decoded.iter().all(|&c| {
            c.is_alphabetic() && !is_latin(c) && !is_rare(c) && script(c) == script(decoded[0])
        })
}

fn accept(chars: &[char], seqs: &[Seq], depth: usize) -> Option<Fix> {
    let (start, end) = (seqs.first()?.start, seqs.last()?.end);
    let decoded: Vec<char> = seqs.iter().map(|s| s.ch).collect();
    let before = weirdness(&window(chars, start, end, &chars[start..end]));
    let first: String = decoded.iter().collect();
    let text = if depth < 3 { deepen(chars, start, end, first, depth + 1) } else { first };
    let fixed: Vec<char> = text.chars().collect();
    let after = weirdness(&window(chars, start, end, &fixed));
    let context_weird = weirdness(&chars[start.saturating_sub(2)..start]) > 0;
    let relaxed = before >= 3 && after * 3 <= before && !context_weird;
    let debris =
        is_debris(start.checked_sub(1).and_then(|i| chars.get(i))) || is_debris(chars.get(end));
    let ok = (before > 0 && !debris && (after == 0 || relaxed))
        || is_foreign_word(chars, start, end, &fixed);
    ok.then_some(Fix { start, end, text })
}

/// Fixes found in one layer over `chars`.
fn find_fixes(chars: &[char], depth: usize) -> Vec<Fix> {
    let mut best: Vec<Fix> = Vec::new();
    let mut best_score = 0;
    // C1 controls mean an ISO-8859 decoding: then prefer ISO-8859-2 over windows-1250.
    let iso_first = chars.iter().any(|&c| is_c1(c));
    let sets = charsets();
    let order: Vec<&Charset> = if iso_first {
        [&sets[0], &sets[4], &sets[1], &sets[2], &sets[3], &sets[5], &sets[6]].to_vec()
    } else {
        sets.iter().collect()
    };
    for cs in order {
        let fixes = charset_fixes(cs, chars, depth);
        let score: usize = fixes.iter().map(|f| f.end - f.start).sum();
        if score > best_score {
            best_score = score;
            best = fixes;
        }
    }
    if depth == 0 && !best.is_empty() && (!cleans_text(chars, &best) || doubtful(chars, &best)) {
        return Vec::new();
    }
    best
}

/// ftfy's "sort of negative" (`Bremer/Mccoy – DrÃ¥ber`): a line that also holds correctly
/// decoded windows-1252 punctuation (`–`, which real mojibake would show as `â€“`) is
/// inconsistent, so a lone two-character fix in it is not trusted (ftfy leaves it too).
fn doubtful(chars: &[char], fixes: &[Fix]) -> bool {
    let mut taken = vec![false; chars.len()];
    for f in fixes {
        taken[f.start..f.end].iter_mut().for_each(|t| *t = true);
    }
    let inconsistent = chars.iter().zip(&taken).any(|(&c, &t)| !t && is_c1_block(c) && !is_c1(c));
    inconsistent && fixes.len() == 1 && fixes[0].end - fixes[0].start == 2
}

/// Whether applying `fixes` removes most of the text's weirdness: a hopeless garble that
/// stays weird after its decodable pieces are fixed is left alone.
fn cleans_text(chars: &[char], fixes: &[Fix]) -> bool {
    // Replacement characters stand for bytes lost before us: they count on neither side.
    let real = |c: &char| *c != '\u{FFFD}';
    let before = weirdness(&chars.iter().copied().filter(real).collect::<Vec<_>>());
    let fixed: Vec<char> = apply_fixes(chars, fixes.iter().cloned()).chars().filter(real).collect();
    weirdness(&fixed) * 2 <= before
}

/// Fixes of one layer decoded with one charset.
fn charset_fixes(cs: &Charset, chars: &[char], depth: usize) -> Vec<Fix> {
    let seqs = sequences(cs, chars);
    let mut fixes = Vec::new();
    let mut k = 0;
    while k < seqs.len() {
        let mut e = k + 1;
        while e < seqs.len() && seqs[e].start == seqs[e - 1].end {
            e += 1;
        }
        let cluster = &seqs[k..e];
        k = e;
        match accept(chars, cluster, depth) {
            Some(f) => fixes.push(f),
            None if cluster.len() > 1 => fixes.extend(
                cluster.iter().filter_map(|s| accept(chars, std::slice::from_ref(s), depth)),
            ),
            None => {}
        }
    }
    fixes
}

/// Re-runs the fixer on a decoded run (with its neighbours as context) for multi-layer
/// mojibake.
fn deepen(outer: &[char], start: usize, end: usize, text: String, depth: usize) -> String {
    let mut chars: Vec<char> = outer[start.saturating_sub(2)..start].to_vec();
    let off = chars.len();
    chars.extend(text.chars());
    let inner_end = chars.len();
    chars.extend(outer.get(end).copied());
    let fixes: Vec<Fix> = find_fixes(&chars, depth)
        .into_iter()
        .filter(|f| f.start >= off && f.end <= inner_end)
        .collect();
    if fixes.is_empty() {
        return text;
    }
    apply_fixes(
        &chars[off..inner_end],
        fixes.into_iter().map(|f| Fix { start: f.start - off, end: f.end - off, text: f.text }),
    )
}

fn apply_fixes(chars: &[char], fixes: impl Iterator<Item = Fix>) -> String {
    let mut out = String::new();
    let mut last = 0;
    for f in fixes {
        out.extend(&chars[last..f.start]);
        out.push_str(&f.text);
        last = f.end;
    }
    out.extend(&chars[last..]);
    out
}

/// The 1252 character for a stray C1 control (ftfy's `fix_c1_controls`).
fn c1_to_1252(c: char) -> Option<char> {
    let buf = [c as u32 as u8];
    let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&buf);
    s.chars().next().filter(|d| !is_c1(*d))
}

/// Whether the text reads as English (ASCII letters and common English words).
fn is_englishish(text: &str) -> bool {
    let sample = text.get(..floor(text, 20_000)).unwrap_or(text);
    let ascii = sample.chars().filter(char::is_ascii).count();
    ascii * 100 >= sample.chars().count() * 95
        && (sample.contains(" the ") || sample.contains(" and "))
}

fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Whether a line may hold mojibake at all: a lead character followed by a non-ASCII char
/// (or `?`/`�`), a C1 control, or a character a lossy rule looks at. Clean text exits here.
fn needs_work(line: &str) -> bool {
    let roles = roles();
    let bytes = line.as_bytes();
    let mut prev: Option<char> = None;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] < 0x80 {
            // An ASCII character has no role; only a lost byte (`?`) after a lead counts.
            if bytes[i] == b'?' && prev.is_some_and(|p| roles.of(p).0 != 0) {
                return true;
            }
            prev = None;
            i = super::scan::skip_ascii_except(bytes, i + 1, b'?');
            continue;
        }
        let Some(c) = line[i..].chars().next() else { break };
        i += c.len_utf8();
        if is_c1(c) || matches!(c, 'â' | 'ā' | 'Ã') {
            return true;
        }
        if let Some(p) = prev {
            // A sequence starts with a lead byte followed by a continuation byte of the same
            // charset, or by a lost byte (`?`, `�`); other non-ASCII pairs (Cyrillic or Greek
            // words) cannot start one.
            let (lead, _) = roles.of(p);
            let cont = if c == '\u{FFFD}' { lead } else { roles.of(c).1 };
            if lead & cont != 0 {
                return true;
            }
        }
        prev = Some(c);
    }
    false
}

/// Lossy fixes where the bytes after `â`/`ā` were dropped (`Russiaās` → `Russia’s`), and
/// `Ã ` whose no-break space became a space (`voilÃ le` → `voilà le`).
fn lossy_fixes(chars: &[char], taken: &[bool], had_1252: bool, english: bool) -> Vec<Fix> {
    let mut out = Vec::new();
    for i in 0..chars.len() {
        if taken[i] || out.last().is_some_and(|f: &Fix| f.end > i) {
            continue;
        }
        let c = chars[i];
        let prev = i.checked_sub(1).map_or(' ', |p| chars[p]);
        if i > 0 && english && matches!(c, 'â' | 'ā') && is_apostrophe_site(chars, i) {
            out.push(Fix { start: i, end: i + 1, text: "’".into() });
        } else if c == 'Ã' || (c == 'Г' && had_1252 && latin_around(chars, i)) {
            if chars.get(i + 1) != Some(&' ') {
                continue;
            }
            // `Ã` + lost no-break space: `voilÃ le` (always), `Ã nos` (when other mojibake);
            // windows-1251 shows the same bytes as `Г`.
            let next = chars.get(i + 2).copied().unwrap_or(' ');
            let word_start = matches!(prev, ' ' | '\'' | '’');
            if prev.is_lowercase() && (next.is_lowercase() || next == ' ') {
                let end = if next == ' ' { i + 2 } else { i + 1 };
                out.push(Fix { start: i, end, text: "à".into() });
            } else if had_1252 && word_start && joins_a_grave(&chars[i + 2..]) {
                // Portuguese `às`, `àquele`, `àquela`, `àquilo` (ftfy's list).
                out.push(Fix { start: i, end: i + 2, text: "à".into() });
            } else if had_1252 && word_start && next == 's' && chars.get(i + 3) == Some(&' ') {
                out.push(Fix { start: i, end: i + 2, text: "à".into() });
            } else if had_1252 && word_start && next.is_lowercase() {
                out.push(Fix { start: i, end: i + 1, text: "à".into() });
            }
        } else if had_1252
            && !c.is_ascii()
            && chars.get(i + 1..i + 3).is_some_and(|w| w.contains(&' '))
        {
            if let Some(f) = lost_nbsp(chars, taken, i) {
                out.push(f);
            }
        }
    }
    out
}

/// Whether the words on both sides of `i` are ASCII Latin (`trouve Г l’ouest`).
fn latin_around(chars: &[char], i: usize) -> bool {
    let before = i.checked_sub(2).and_then(|p| chars.get(p));
    let after = chars.get(i + 2);
    before.is_some_and(char::is_ascii_alphabetic) && after.is_some_and(char::is_ascii_alphabetic)
}

/// Whether `rest` starts with a Portuguese word that `à` contracts into (`à quele` → `àquele`).
fn joins_a_grave(rest: &[char]) -> bool {
    ["quele", "quela", "quilo"].iter().any(|w| {
        let n = w.chars().count();
        rest.get(..n).is_some_and(|r| r.iter().copied().eq(w.chars()))
            && !rest.get(n).is_some_and(|c| c.is_alphabetic() && !"s".contains(*c))
    })
}

/// A multi-byte sequence whose trailing no-break space became a plain space (`Å veices` →
/// `Šveices`, `Ð у` → `Ру`, `Â „` → no-break space): only in text that has other mojibake,
/// when the bytes decode to a letter (or the no-break space itself) and the neighbourhood
/// then scores zero. `à` is left to the `Ã` rule.
fn lost_nbsp(chars: &[char], taken: &[bool], i: usize) -> Option<Fix> {
    for cs in charsets() {
        let Some(lead) = cs.byte(chars[i]).filter(|_| !chars[i].is_ascii()) else {
            continue;
        };
        let Some(n) = utf8_len(lead) else {
            continue;
        };
        let mut bytes = vec![lead];
        let mut j = i + 1;
        while bytes.len() < n {
            let (&c, false) = (chars.get(j)?, taken.get(j).copied().unwrap_or(true)) else {
                break;
            };
            match cs.byte(c) {
                _ if c == ' ' && bytes.len() == n - 1 => bytes.push(0xA0),
                Some(b @ 0x80..=0xBF) if !c.is_ascii() => bytes.push(b),
                _ => break,
            }
            j += 1;
        }
        if bytes.len() != n
            || chars[j - 1] != ' '
            || chars.get(j).is_some_and(|c| c.is_whitespace())
        {
            continue;
        }
        let Some(ch) = std::str::from_utf8(&bytes).ok().and_then(|s| s.chars().next()) else {
            continue;
        };
        let letter = ch.is_alphanumeric() && !is_rare(ch) && ch != 'à';
        if !(letter || ch == '\u{A0}') {
            continue;
        }
        let mut win: Vec<char> = chars[i.saturating_sub(2)..i].to_vec();
        win.push(ch);
        let free = |c: &&char| !taken.get(j).copied().unwrap_or(true) && !is_lead_char(**c);
        win.extend(chars.get(j).filter(free));
        if weirdness(&win) == 0 {
            return Some(Fix { start: i, end: j, text: ch.to_string() });
        }
    }
    None
}

fn is_apostrophe_site(chars: &[char], i: usize) -> bool {
    let word_before = chars[..i].iter().rev().take_while(|c| c.is_alphabetic()).count();
    if word_before < 2 || !chars[i - word_before..i].iter().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    for suffix in ["s", "t", "ll", "re", "ve", "d", "m"] {
        let n = suffix.len();
        let matches =
            chars.get(i + 1..i + 1 + n).is_some_and(|w| w.iter().copied().eq(suffix.chars()));
        if matches && !chars.get(i + 1 + n).is_some_and(|c| c.is_alphanumeric()) {
            return true;
        }
    }
    false
}

/// Fixes mojibake in `text`, returning the fixed text.
pub fn fix_text(text: &str) -> String {
    let edits = fix_edits(text);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for e in edits {
        out.push_str(&text[last..e.start]);
        out.push_str(e.replacement.as_deref().unwrap_or(""));
        last = e.end;
    }
    out.push_str(&text[last..]);
    out
}

/// The mojibake edits of `text` (byte offsets).
pub(crate) fn fix_edits(text: &str) -> Vec<Edit> {
    if text.is_ascii() {
        return Vec::new();
    }
    // Lines are independent: clean lines cost one scan, and a garble stays local.
    let mut per_line = Vec::new();
    for (s, e) in super::lines(text) {
        let line = &text[s..e];
        if !needs_work(line) {
            continue;
        }
        let (offs, chars): (Vec<usize>, Vec<char>) =
            line.char_indices().map(|(i, c)| (s + i, c)).unzip();
        let fixes = find_fixes(&chars, 0);
        per_line.push((offs, chars, fixes));
    }
    if per_line.is_empty() {
        return Vec::new();
    }
    let english = is_englishish(text);
    let had_fixes = per_line.iter().any(|(_, _, f)| !f.is_empty());
    let mut edits = Vec::new();
    for (offs, chars, fixes) in per_line {
        let end = offs.last().map_or(0, |&o| o + chars.last().map_or(0, |c| c.len_utf8()));
        let byte_at = |i: usize| offs.get(i).copied().unwrap_or(end);
        let fixes = finish_line(&chars, fixes, had_fixes, english);
        edits.extend(
            fixes
                .into_iter()
                .filter(|f| f.text.chars().ne(chars[f.start..f.end].iter().copied()))
                .map(|f| Edit::replace(byte_at(f.start), byte_at(f.end), f.text)),
        );
    }
    edits
}

/// Adds the C1 and lossy fixes of one line to its decoding fixes.
fn finish_line(chars: &[char], mut fixes: Vec<Fix>, had_fixes: bool, english: bool) -> Vec<Fix> {
    let mut taken = vec![false; chars.len()];
    for f in &fixes {
        taken[f.start..f.end].iter_mut().for_each(|t| *t = true);
    }
    for (i, &c) in chars.iter().enumerate() {
        if is_c1(c) && !taken[i] {
            if let Some(d) = c1_to_1252(c) {
                fixes.push(Fix { start: i, end: i + 1, text: d.to_string() });
                taken[i] = true;
            }
        }
    }
    fixes.extend(lossy_fixes(chars, &taken, had_fixes, english));
    fixes.sort_by_key(|f| f.start);
    fixes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_table() {
        let cases = [
            ("Russiaâ€™s army", "Russia’s army"),
            ("cafÃ©", "café"),
            ("doesnÃ¢â‚¬â„¢t", "doesn’t"),
            ("Ã¢â‚¬Å“quotedÃ¢â‚¬Â\u{9d}", "“quoted”"),
            ("the Kremlinâ\u{80}\u{99}s plan", "the Kremlin’s plan"),
            ("the Kremlinās plan and the bases", "the Kremlin’s plan and the bases"),
            ("the embassyâs flag and the bases", "the embassy’s flag and the bases"),
            ("MĂĄm dost tĹ\u{99}etĂ\u{AD}ho", "Mám dost třetího"),
            ("РґРѕСЂРѕРіРµ", "дороге"),
            ("g√¢teaux et r√©gime", "gâteaux et régime"),
            ("veices baÅ†Ä·ieri", "veices baņķieri"),
            ("parlé\u{85} Tu", "parlé… Tu"),
            ("Hi guys í\u{a0}½í¸\u{8d}", "Hi guys 😍"),
            ("Å veices baÅ†Ä·ieri", "Šveices baņķieri"),
            ("namedÂ â€žscarsÂ´ stones", "named\u{a0}„scars´ stones"),
            ("rГ©gion Г l’ouest, rГ©publique", "région à l’ouest, république"),
            (
                "semelhante Ã quele observado, anticorpos nÃ£o",
                "semelhante àquele observado, anticorpos não",
            ),
            ("┬┐que diferencia hay?", "¿que diferencia hay?"),
            ("─îe┼ítina", "Čeština"),
            ("à®¤à®®à®¿à®´à¯\u{FFFD}", "தமிழ\u{FFFD}"),
            ("cafÃ© – crÃ¨me", "café – crème"),
        ];
        for (input, want) in cases {
            assert_eq!(fix_text(input), want, "input {input:?}");
        }
    }

    #[test]
    fn leaves_correct_text_alone() {
        let cases = [
            "naïve café",
            "Ångström",
            "Zażółć gęślą jaźń, Łódź",
            "Příliš žluťoučký kůň",
            "Москва, Кремль — “заявление”",
            "Αθήνα και Θεσσαλονίκη",
            "Charlotte Brontë…”",
            "10 Å—",
            "NESTLÉ® and AHÅ™",
            "SELKÄ\u{A0}EDELLÄ",
            "Join ZZAJÉ’s list",
            "pâte and tâte",
            "Latvian mājās and Rīgā",
            "x ± y and 5×£35",
            "Bremer/Mccoy – DrÃ¥ber",
            "Å i Norge",
            "Ð ½ and ¼",
            "Σ σ α ß π │ ┐",
        ];
        for input in cases {
            assert_eq!(fix_text(input), input, "input {input:?}");
        }
    }

    #[test]
    fn edits_are_idempotent() {
        for input in ["Russiaâ€™s", "cafÃ©s and Ã¢â‚¬Å“", "the Kremlinās bases"] {
            let once = fix_text(input);
            assert_eq!(fix_text(&once), once, "input {input:?}");
        }
    }
}
