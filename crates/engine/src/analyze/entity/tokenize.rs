//! CoNLL-2003-style tokenisation of raw text for the NER tagger, with byte spans.
//!
//! `crate::text::tokens` drops punctuation and keeps possessives attached; the tagger was
//! trained on CoNLL tokens, where punctuation marks are tokens, `'s` is split off
//! ("Russia’s" → "Russia" "’s"), hyphenated words stay whole and abbreviations keep their
//! period ("U.S.", "Mr."). Hand-written because no crate reproduces that convention.

use crate::record::Span;

/// One token: its span in the text and its surface form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tok<'a> {
    /// Span in the text.
    pub span: Span,
    /// Surface form.
    pub text: &'a str,
}

/// Abbreviations that keep their trailing period (lowercased, without the period).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "lt", "col", "sgt", "capt", "gov", "sen",
    "rep", "inc", "corp", "co", "ltd", "bros", "no", "vs", "jan", "feb", "mar", "apr", "aug",
    "sep", "sept", "oct", "nov", "dec", "prof", "rev", "maj", "adm", "cmdr", "ft", "mt", "pres",
];

fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '‐' | '.' | ',' | '_' | '&')
}

/// End of the word starting at `start` (letters/digits with inner joiners).
fn word_end(text: &str, start: usize) -> usize {
    let mut end = start;
    let mut iter = text[start..].char_indices().map(|(i, c)| (i + start, c)).peekable();
    while let Some((j, d)) = iter.next() {
        if d.is_alphanumeric() {
            end = j + d.len_utf8();
            continue;
        }
        if !is_joiner(d) || j == start {
            break;
        }
        let next = iter.peek().map(|&(_, n)| n);
        let prev_digit = text[..j].chars().next_back().is_some_and(|p| p.is_ascii_digit());
        let keep = match next {
            Some(n) if n.is_alphanumeric() => match d {
                ',' => prev_digit && n.is_ascii_digit(),
                '.' => (prev_digit && n.is_ascii_digit()) || n.is_alphabetic(),
                '&' => text[start..j].chars().all(|c| c.is_uppercase()) && n.is_uppercase(),
                _ => true,
            },
            _ => false,
        };
        if !keep {
            break;
        }
        end = j + d.len_utf8();
    }
    end
}

/// Whether the word `w` followed by a period keeps the period ("U.S.", "Mr.", "J.").
fn keeps_period(w: &str) -> bool {
    let single = w.chars().count() == 1 && w.chars().all(|c| c.is_uppercase());
    single || w.contains('.') || ABBREVIATIONS.contains(&w.to_lowercase().as_str())
}

/// Length in bytes of a possessive suffix (`'s`, `’s`, `'S`) at the end of `w`, if any.
fn possessive_len(w: &str) -> usize {
    for suffix in ["'s", "’s", "'S", "’S"] {
        if w.len() > suffix.len() + 1 && w.ends_with(suffix) {
            return suffix.len();
        }
    }
    0
}

/// Splits `text[start..end]` into CoNLL-style tokens (spans are absolute offsets into
/// `text`).
pub fn tokenize(text: &str, start: usize, end: usize) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let Some(part) = text.get(start..end) else {
        return out;
    };
    let mut i = 0;
    while i < part.len() {
        let Some(c) = part[i..].chars().next() else {
            break;
        };
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        if !c.is_alphanumeric() {
            push(&mut out, text, start + i, start + i + c.len_utf8());
            i += c.len_utf8();
            continue;
        }
        let mut e = word_end(part, i);
        let word = &part[i..e];
        if part[e..].starts_with('.') && keeps_period(word) {
            e += 1;
        }
        let poss = possessive_len(&part[i..e]);
        push(&mut out, text, start + i, start + e - poss);
        if poss > 0 {
            push(&mut out, text, start + e - poss, start + e);
        }
        i = e;
    }
    out
}

fn push<'a>(out: &mut Vec<Tok<'a>>, text: &'a str, s: usize, e: usize) {
    if let Some(t) = text.get(s..e) {
        out.push(Tok { span: Span::new(s, e), text: t });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conll_style_tokens() {
        let cases: &[(&str, &[&str])] = &[
            ("Russia’s al-Assad left.", &["Russia", "’s", "al-Assad", "left", "."]),
            ("Mr. Peskov (HTS) said", &["Mr.", "Peskov", "(", "HTS", ")", "said"]),
            ("U.S. forces paid 1,500.", &["U.S.", "forces", "paid", "1,500", "."]),
            ("“Yes,” he said—no", &["“", "Yes", ",", "”", "he", "said", "—", "no"]),
            ("O'Brien's AT&T", &["O'Brien", "'s", "AT&T"]),
            ("", &[]),
        ];
        for (text, want) in cases {
            let got: Vec<&str> = tokenize(text, 0, text.len()).iter().map(|t| t.text).collect();
            assert_eq!(&got, want, "{text}");
        }
    }

    #[test]
    fn spans_are_absolute() {
        let text = "xx Peskov’s";
        let t = tokenize(text, 3, text.len());
        assert_eq!(t[0].span, Span::new(3, 9));
        assert_eq!(t[1].text, "’s");
        assert!(tokenize(text, 4, 2).is_empty());
    }
}
