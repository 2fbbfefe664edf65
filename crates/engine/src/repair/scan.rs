//! Byte-level scanning helpers shared by the repair passes.
//!
//! Repair runs on every byte of every article, and most of those bytes are plain ASCII
//! prose. These helpers let a pass skip such bytes eight at a time (SWAR on `u64` words,
//! no `unsafe`), count whitespace-separated words without decoding characters, and find
//! the two-byte UTF-8 characters the unicode pass keeps for the mojibake pass, so that
//! clean text costs a few instructions per byte instead of a `char` decode per byte.

/// Bytes with the high bit set in each lane.
const HIGH: u64 = 0x8080_8080_8080_8080;
/// 0x01 in each lane.
const ONES: u64 = 0x0101_0101_0101_0101;

/// Whether some lane of `x` is zero (the classic "has zero byte" test; exact when the
/// lanes are ASCII, which callers check first).
fn has_zero_lane(x: u64) -> bool {
    x.wrapping_sub(ONES) & !x & HIGH != 0
}

/// The first index `>= from` whose byte is non-ASCII or equals `stop` (an ASCII byte), or
/// `bytes.len()` when there is none.
pub(crate) fn skip_ascii_except(bytes: &[u8], from: usize, stop: u8) -> usize {
    let mut i = from;
    let splat = ONES.wrapping_mul(u64::from(stop));
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        if x & HIGH != 0 || has_zero_lane(x ^ splat) {
            break;
        }
        i += 8;
    }
    while i < bytes.len() && bytes[i] < 0x80 && bytes[i] != stop {
        i += 1;
    }
    i.min(bytes.len())
}

/// [`ascii_class`] of a byte that is none of the others (punctuation, controls).
pub(crate) const OTHER: u8 = 0;
/// [`ascii_class`] of a lowercase letter.
pub(crate) const LOWER: u8 = 1;
/// [`ascii_class`] of an uppercase letter.
pub(crate) const UPPER: u8 = 2;
/// [`ascii_class`] of a digit.
pub(crate) const DIGIT: u8 = 3;
/// [`ascii_class`] of whitespace (as [`char::is_whitespace`] says).
pub(crate) const SPACE: u8 = 4;

const fn class_table() -> [u8; 128] {
    let mut t = [OTHER; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'a'..=b'z' => LOWER,
            b'A'..=b'Z' => UPPER,
            b'0'..=b'9' => DIGIT,
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => SPACE,
            _ => OTHER,
        };
        b += 1;
    }
    t
}

static CLASSES: [u8; 128] = class_table();

/// The class of an ASCII byte (one table load instead of a chain of range tests); a
/// non-ASCII byte is [`OTHER`]. Letters and digits are below [`SPACE`], and `b | 0x20`
/// lowercases any of them.
pub(crate) fn ascii_class(b: u8) -> u8 {
    if b < 0x80 {
        CLASSES[usize::from(b & 0x7F)]
    } else {
        OTHER
    }
}

/// Whether a class from [`ascii_class`] is a letter or a digit.
pub(crate) fn is_alnum_class(class: u8) -> bool {
    class.wrapping_sub(LOWER) < 3
}

/// Whether ASCII byte `b` is whitespace as [`char::is_whitespace`] says.
pub(crate) fn is_ascii_space(b: u8) -> bool {
    ascii_class(b) == SPACE
}

/// Whitespace-separated words of `s` (as `s.split_whitespace().count()`), counting stops
/// at `limit`.
pub(crate) fn count_words_upto(s: &str, limit: usize) -> usize {
    let bytes = s.as_bytes();
    let (mut n, mut in_space, mut i) = (0, true, 0);
    // ASCII 16-byte chunks without branches (a word starts after a space), until `limit`
    // or a chunk with a non-ASCII byte; that chunk starts on a char boundary, since the byte
    // before it is ASCII.
    while let Some(chunk) = bytes.get(i..i + 16) {
        if n >= limit || !chunk.is_ascii() {
            break;
        }
        for &b in chunk {
            let space = is_ascii_space(b);
            n += usize::from(in_space & !space);
            in_space = space;
        }
        i += 16;
    }
    while i < bytes.len() && n < limit {
        let b = bytes[i];
        let space = if b < 0x80 {
            i += 1;
            is_ascii_space(b)
        } else {
            let Some(c) = s[i..].chars().next() else { break };
            i += c.len_utf8();
            c.is_whitespace()
        };
        if in_space && !space {
            n += 1;
        }
        in_space = space;
    }
    n.min(limit)
}

/// What a non-ASCII character is, for the scripts most non-English news is written in,
/// without Unicode table searches: `Some(true)` for a letter (alphabetic, so alphanumeric and
/// a regex `\w` character, NFC-stable, never combining), `Some(false)` for common punctuation
/// (none of those), `None` when a table must say.
pub(crate) fn known_class(c: char) -> Option<bool> {
    match u32::from(c) {
        0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x24F => Some(true), // Latin-1 letters, Latin Ext-A/B
        0x400..=0x481 => Some(true),                            // Cyrillic letters
        0x620..=0x64A => Some(true),                            // Arabic letters
        0x3041..=0x3096 | 0x30A1..=0x30FA => Some(true),        // kana
        0x4E00..=0x9FFF | 0xAC00..=0xD7A3 => Some(true),        // CJK ideographs, Hangul
        0x2010..=0x2027 => Some(false),                         // dashes, quotes, bullets, ellipsis
        0x3000..=0x3004 | 0x3008..=0x3011 | 0xFF01..=0xFF0F => Some(false), // CJK punctuation
        _ => None,
    }
}

/// [`char::is_alphanumeric`], with [`known_class`] answering first.
pub(crate) fn is_alphanumeric(c: char) -> bool {
    known_class(c).unwrap_or_else(|| c.is_alphanumeric())
}

/// Whether `text` holds a no-break space (U+00A0) or a soft hyphen (U+00AD).
pub(crate) fn has_nbsp_or_shy(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(0xC2, bytes).any(|i| matches!(bytes.get(i + 1), Some(0xA0 | 0xAD)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn skip_table() {
        let cases: &[(&str, usize, u8, usize)] = &[
            ("", 0, b'\r', 0),
            ("plain ascii text, long enough for two words", 0, b'\r', 43),
            ("plain ascii text,\r long enough", 0, b'\r', 17),
            ("abcdefghijk café", 0, b'\r', 15),
            ("café", 0, b'\r', 3),
            ("abcdefgh\rabcdefgh", 9, b'\r', 17),
            ("x,y", 0, b',', 1),
        ];
        for &(s, from, stop, want) in cases {
            assert_eq!(skip_ascii_except(s.as_bytes(), from, stop), want, "{s:?}");
        }
    }

    #[test]
    fn classes_agree_with_std() {
        for b in 0u8..=255 {
            let c = char::from(b);
            let want = if !c.is_ascii() {
                OTHER
            } else if c.is_ascii_lowercase() {
                LOWER
            } else if c.is_ascii_uppercase() {
                UPPER
            } else if c.is_ascii_digit() {
                DIGIT
            } else if c.is_whitespace() {
                SPACE
            } else {
                OTHER
            };
            assert_eq!(ascii_class(b), want, "{b:#x}");
            if want != OTHER && want != SPACE {
                assert_eq!(b | 0x20, b.to_ascii_lowercase(), "{b:#x}");
            }
        }
    }

    #[test]
    fn counts_like_split_whitespace() {
        let cases = [
            "",
            "   ",
            "one",
            " two  words ",
            "a\tb\nc\u{0B}d\u{0C}e\rf",
            "no\u{A0}break\u{2009}thin\u{3000}ideo",
            "Ångström, Łódź, Москва — “ok”.",
            "a long ascii line with many words to count past one chunk of sixty-four bytes, and more",
        ];
        for s in cases {
            let want = s.split_whitespace().count();
            assert_eq!(count_words_upto(s, usize::MAX), want, "{s:?}");
            assert_eq!(count_words_upto(s, 2), want.min(2), "{s:?}");
        }
    }

    #[test]
    fn known_class_agrees_with_unicode_tables() {
        for c in ('\u{80}'..='\u{FFFF}').filter(|c| known_class(*c).is_some()) {
            let want = known_class(c) == Some(true);
            assert_eq!(c.is_alphanumeric(), want, "{c:?} alphanumeric");
            assert_eq!(regex_syntax::is_word_character(c), want, "{c:?} word");
            let nfc_stable = unicode_normalization::is_nfc_quick(std::iter::once(c))
                == unicode_normalization::IsNormalized::Yes;
            assert!(nfc_stable, "{c:?} NFC");
            let ccc = unicode_normalization::char::canonical_combining_class(c);
            assert_eq!(ccc, 0, "{c:?} is a starter");
            assert_eq!(format!("a{c}").nfc().count(), 2, "{c:?} composes with what precedes");
        }
    }

    #[test]
    fn finds_nbsp_and_soft_hyphen() {
        for (s, want) in [("a b", false), ("a\u{A0}b", true), ("a\u{AD}b", true), ("Â©", false)] {
            assert_eq!(has_nbsp_or_shy(s), want, "{s:?}");
        }
    }
}
