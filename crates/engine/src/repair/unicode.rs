//! The unicode pass: NFC, invisible characters dropped, odd spaces made plain, CRLF/CR → LF.
//!
//! Hand-written as one scan so that each changed run becomes one edit (and pure ASCII text
//! costs one byte scan). Before the mojibake pass, a soft hyphen or no-break space right after
//! a non-ASCII character is kept: it may be a byte of a mis-decoded character that the mojibake
//! pass repairs (`Ã` + U+00AD is `í`); a second run after that pass normalises what is left.

use unicode_normalization::{IsNormalized, UnicodeNormalization};

use super::Edit;

/// Characters with no visible effect that are dropped.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{200E}' | '\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{180E}')
}

/// Space characters other than U+0020 that become a plain space.
fn is_odd_space(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\u{1680}'
    )
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Edits normalising `text`.
pub(crate) fn normalize(text: &str) -> Vec<Edit> {
    normalize_with(text, false)
}

/// Edits normalising `text`, keeping (when `keep`) a soft hyphen or no-break space right after
/// a non-ASCII character: it may be a byte of mojibake (`ä¸\u{AD}` is `中`). The stage runs
/// this before the mojibake pass and [`normalize`] after it.
pub(crate) fn normalize_with(text: &str, keep: bool) -> Vec<Edit> {
    let bytes = text.as_bytes();
    let mut edits = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\r' {
            let end = if bytes.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
            edits.push(Edit::replace(i, end, "\n"));
            i = end;
        } else if b < 0x80 {
            // Plain ASCII up to the next CR or non-ASCII byte, eight bytes at a time.
            i = super::scan::skip_ascii_except(bytes, i + 1, b'\r');
        } else {
            let mut end = i;
            while end < bytes.len() && bytes[end] >= 0x80 {
                end += 1;
            }
            normalize_run(text, i, end, keep, &mut edits);
            i = end;
        }
    }
    edits
}

/// Normalises the non-ASCII run `text[s..e]` (plus the base character before it when the run
/// starts with a combining mark).
fn normalize_run(text: &str, s: usize, e: usize, keep: bool, edits: &mut Vec<Edit>) {
    let Some(run) = text.get(s..e) else { return };
    let mut start = s;
    if run.chars().next().is_some_and(is_combining) {
        if let Some(prev) = text[..s].chars().next_back() {
            if edits.last().is_none_or(|l| l.end <= s - prev.len_utf8()) {
                start = s - prev.len_utf8();
            }
        }
    }
    let Some(region) = text.get(start..e) else {
        return;
    };
    // The common case, checked without allocating: nothing to drop or map, already NFC.
    // Below U+0300 (Latin-1, Latin Extended) every character is NFC and no mark combines.
    // So are letters and punctuation of the common scripts ([`super::scan::known_class`]).
    let latin = region.chars().all(|c| {
        (c < '\u{0300}' && c != '\u{00A0}' && c != '\u{00AD}')
            || super::scan::known_class(c).is_some()
    });
    if latin {
        return;
    }
    let plain = region.chars().all(|c| !is_odd_space(c) && !is_invisible(c));
    if plain && unicode_normalization::is_nfc_quick(region.chars()) == IsNormalized::Yes {
        return;
    }
    let mut mapped = String::with_capacity(region.len());
    let mut prev: Option<char> = text[..start].chars().next_back();
    for c in region.chars() {
        let keep_for_mojibake = keep
            && matches!(c, '\u{00A0}' | '\u{00AD}')
            && prev.is_some_and(|p| !p.is_ascii() && !is_odd_space(p) && !is_invisible(p));
        if keep_for_mojibake {
            mapped.push(c);
        } else if is_odd_space(c) {
            mapped.push(' ');
        } else if !is_invisible(c) {
            mapped.push(c);
        }
        prev = Some(c);
    }
    let out: String =
        if unicode_normalization::is_nfc(&mapped) { mapped } else { mapped.nfc().collect() };
    if out != region {
        edits.push(Edit::replace(start, e, out));
    }
}

/// `text` normalised (for strings other passes produce, e.g. decoded mojibake).
pub(crate) fn normalize_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for e in normalize(text) {
        out.push_str(&text[last..e.start]);
        out.push_str(e.replacement.as_deref().unwrap_or(""));
        last = e.end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str) -> String {
        let mut out = String::new();
        let mut last = 0;
        for e in normalize_with(text, true) {
            out.push_str(&text[last..e.start]);
            out.push_str(e.replacement.as_deref().unwrap_or(""));
            last = e.end;
        }
        out.push_str(&text[last..]);
        out
    }

    #[test]
    fn normalizes_table() {
        let cases = [
            ("plain ascii", "plain ascii"),
            ("a\r\nb\rc", "a\nb\nc"),
            ("zero\u{200B}width", "zerowidth"),
            ("soft\u{00AD}hyphen", "softhyphen"),
            ("\u{FEFF}BOM", "BOM"),
            ("no\u{00A0}break thin\u{2009}space", "no break thin space"),
            ("cafe\u{0301}", "café"),
            ("Russia’s “quote”", "Russia’s “quote”"),
            ("naïve café", "naïve café"),
            // A no-break space after `Ã` is left for the mojibake pass.
            ("voilÃ\u{00A0}", "voilÃ\u{00A0}"),
            ("bidi\u{200F}mark", "bidimark"),
            ("two\u{00A0}\u{00A0}spaces", "two  spaces"),
            ("ä¸\u{AD}", "ä¸\u{AD}"),
        ];
        for (input, want) in cases {
            assert_eq!(apply(input), want, "input {input:?}");
        }
    }

    #[test]
    fn clean_text_has_no_edits() {
        assert!(normalize("Ångström, Łódź, Москва, Αθήνα — “ok”.").is_empty());
    }
}
