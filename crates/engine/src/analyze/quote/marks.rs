//! Quote marks and quote-aware sentence units.
//!
//! Finds quoted segments under any quote convention (“ ” " « » „ “, ‘ ’ outside double
//! quotes) including the news convention of a quote spanning paragraphs (a paragraph opens a
//! quote without closing it and the next paragraph opens again). Sentence units are split so
//! that no boundary falls inside a quoted segment: general sentence splitters cut
//! `“A. B,” he said` in two, which loses the attribution. Hand-written: no crate does this.

use super::lexicon::{is, Words};
use crate::record::Span;

/// A quoted segment: the opening mark, the content (without marks, trimmed, trailing comma
/// dropped) and the end of the closing mark (or of the content when the quote never closes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seg {
    /// Byte offset of the opening mark.
    pub open: usize,
    /// The quoted text.
    pub content: Span,
    /// Byte offset just past the closing mark.
    pub close: usize,
}

/// Whether `c` opens a double quote.
pub fn is_opener(c: char) -> bool {
    matches!(c, '“' | '„' | '«' | '"' | '‹')
}

fn closes(open: char, c: char) -> bool {
    match open {
        '“' => matches!(c, '”' | '"' | '“'),
        '„' => matches!(c, '“' | '”' | '"'),
        '«' => c == '»',
        '‹' => c == '›',
        _ => matches!(c, '"' | '”'),
    }
}

/// All quoted segments of `text`, in order.
pub fn segments(text: &str) -> Vec<Seg> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let prev = if i > 0 { Some(chars[i - 1].1) } else { None };
        let twin = matches!(c, '\'' | '`') && chars.get(i + 1).is_some_and(|x| x.1 == c);
        if twin && !prev.is_some_and(char::is_alphanumeric) {
            // ''…'' and ``…'' (newswire transcriptions of curly quotes).
            let (seg, next) = scan_twin(text, &chars, i);
            if let Some(s) = seg {
                out.push(s);
            }
            i = next;
        } else if is_opener(c) && (c != '"' || !prev.is_some_and(char::is_alphanumeric)) {
            let (seg, next) = scan_double(text, &chars, i, c);
            if let Some(s) = seg {
                out.push(s);
            }
            i = next;
        } else if c == '‘' && !prev.is_some_and(char::is_alphanumeric) {
            let (seg, next) = scan_single(text, &chars, i);
            if let Some(s) = seg {
                out.push(s);
            }
            i = next;
        } else {
            i += 1;
        }
    }
    out
}

/// Scans a double quote opened at `chars[i]`; returns the segment and where to resume.
fn scan_double(text: &str, chars: &[(usize, char)], i: usize, open: char) -> (Option<Seg>, usize) {
    let start = chars[i].0;
    let mut j = i + 1;
    let mut continued = false;
    while j < chars.len() {
        let (p, c) = chars[j];
        if closes(open, c) {
            return (
                make(text, start, chars[i + 1..].first().map_or(p, |x| x.0), p, p + c.len_utf8()),
                j + 1,
            );
        }
        // `"…,'' he said`: a double quote closed by two apostrophes (newswire copy that
        // transcribed only its closing marks), not after a letter ("rock 'n''").
        let twin = c == '\'' && chars.get(j + 1).is_some_and(|x| x.1 == '\'');
        if twin && matches!(open, '"' | '“') && !chars[j - 1].1.is_alphanumeric() {
            let inner = chars[i + 1..].first().map_or(p, |x| x.0);
            return (make(text, start, inner, p, p + 2), j + 2);
        }
        if c == '\n' {
            // Paragraph-spanning quote: continue when the next paragraph opens a quote again.
            let mut k = j;
            while k < chars.len() && chars[k].1.is_whitespace() {
                k += 1;
            }
            if k < chars.len() && is_opener(chars[k].1) {
                j = k + 1;
                continued = true;
                continue;
            }
            if !continued {
                return (None, i + 1); // never closed nor continued: a stray mark
            }
            let seg = make(text, start, chars[i + 1..].first().map_or(p, |x| x.0), p, p);
            return (seg, j);
        }
        j += 1;
    }
    if !continued {
        return (None, i + 1);
    }
    let end = text.len();
    (make(text, start, chars.get(i + 1).map_or(end, |x| x.0), end, end), chars.len())
}

/// Scans a quote opened by two apostrophes or backticks at `chars[i]`, closed by `''`; a
/// paragraph that ends open continues when the next one opens with `''` again.
fn scan_twin(text: &str, chars: &[(usize, char)], i: usize) -> (Option<Seg>, usize) {
    let start = chars[i].0;
    let inner = chars.get(i + 2).map_or(text.len(), |x| x.0);
    let mut j = i + 2;
    while j < chars.len() {
        let (p, c) = chars[j];
        if c == '\'' && chars.get(j + 1).is_some_and(|x| x.1 == '\'') {
            let close = p + 2;
            return (make(text, start, inner, p, close), j + 2);
        }
        if c == '\n' {
            let mut k = j;
            while k < chars.len() && chars[k].1.is_whitespace() {
                k += 1;
            }
            let reopens = chars.get(k).is_some_and(|x| matches!(x.1, '\'' | '`'))
                && chars.get(k + 1).is_some_and(|x| x.1 == chars[k].1);
            if reopens {
                j = k + 2;
                continue;
            }
            return (make(text, start, inner, p, p), j);
        }
        j += 1;
    }
    (None, i + 2)
}

/// Scans a single quote opened at `chars[i]` (closed by ’ not followed by a letter).
fn scan_single(text: &str, chars: &[(usize, char)], i: usize) -> (Option<Seg>, usize) {
    let start = chars[i].0;
    for j in i + 1..chars.len() {
        let (p, c) = chars[j];
        if c == '\n' || (is_opener(c) && c != '"') {
            return (None, i + 1);
        }
        let next_alnum = chars.get(j + 1).is_some_and(|x| x.1.is_alphanumeric());
        if c == '’' && !next_alnum {
            return (make(text, start, chars[i + 1].0, p, p + c.len_utf8()), j + 1);
        }
    }
    (None, i + 1)
}

fn make(
    text: &str,
    open: usize,
    inner_start: usize,
    inner_end: usize,
    close: usize,
) -> Option<Seg> {
    let inner = text.get(inner_start..inner_end)?;
    let lead = inner.len() - inner.trim_start().len();
    let trimmed = inner.trim().trim_end_matches([',', ' ']).trim_end();
    if trimmed.is_empty() {
        return None;
    }
    let s = inner_start + lead;
    Some(Seg { open, content: Span::new(s, s + trimmed.len()), close })
}

/// A sentence-like unit: a span that no quoted segment crosses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    /// Span of the unit (trimmed).
    pub span: Span,
    /// Paragraph index (runs of line breaks separate paragraphs).
    pub para: usize,
}

fn inside(segs: &[Seg], p: usize) -> bool {
    segs.iter().any(|s| s.open < p && p < s.close)
}

/// Splits `text` into quote-aware sentence units.
pub fn units(text: &str, segs: &[Seg]) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut para = 0;
    let mut unit_para = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (p, c) = chars[i];
        let mut cut = None;
        if c == '\n' && !inside(segs, p) {
            cut = Some((p, p + 1));
        } else if matches!(c, '.' | '!' | '?') {
            // Swallow closing marks and brackets that belong to this sentence.
            let mut k = i + 1;
            while k < chars.len() && matches!(chars[k].1, '”' | '"' | '’' | ')' | '»' | '\'') {
                k += 1;
            }
            let end = chars.get(k).map_or(text.len(), |x| x.0);
            let mut n = k;
            while n < chars.len() && chars[n].1 == ' ' {
                n += 1;
            }
            let next = chars.get(n).map(|x| x.1);
            let twin = matches!(next, Some('\'' | '`')) && chars.get(n + 1).map(|x| x.1) == next;
            let starts_new = twin
                || next.is_none_or(|d| {
                    d.is_uppercase() || is_opener(d) || d == '‘' || d.is_ascii_digit() || d == '\n'
                });
            let abbrev_ok = !is_abbrev(text, p)
                || starter_after(text, chars.get(n).map_or(text.len(), |x| x.0));
            if n > k && starts_new && abbrev_ok && !inside(segs, end) {
                cut = Some((end, end));
            }
        }
        if let Some((end, resume)) = cut {
            push(text, &mut out, start, end, unit_para);
            if text.get(end..resume) == Some("\n") {
                para += 1;
                while chars.get(i + 1).is_some_and(|x| x.1 == '\n' || x.1 == '\r') {
                    i += 1;
                }
            }
            start = resume.max(end);
            unit_para = para;
        }
        i += 1;
    }
    push(text, &mut out, start, text.len(), unit_para);
    // Paragraph numbers of units that span paragraphs (quotes) follow the first paragraph;
    // recompute from newline runs so numbering stays monotone.
    out
}

fn push(text: &str, out: &mut Vec<Unit>, start: usize, end: usize, para: usize) {
    let Some(s) = text.get(start..end) else {
        return;
    };
    let t = s.trim();
    if t.is_empty() {
        return;
    }
    let b = start + (s.len() - s.trim_start().len());
    out.push(Unit { span: Span::new(b, b + t.len()), para });
}

/// Whether the word at `p` typically starts a sentence after an abbreviation made of
/// initials ("… in the U.S. The …", "… in Washington, D.C. He …"): then the period also ends
/// the sentence.
fn starter_after(text: &str, p: usize) -> bool {
    let word: String =
        text.get(p..).unwrap_or("").chars().take_while(|c| c.is_alphabetic()).collect();
    let prev = word_before(text.get(..p).unwrap_or("").trim_end().trim_end_matches('.'));
    initials(&prev)
        && word.starts_with(char::is_uppercase)
        && is(Words::SentenceStarter, &word.to_lowercase())
}

/// The word (letters, digits and dots) that ends `before`.
fn word_before(before: &str) -> String {
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || c == '.')
        .last()
        .map_or(before.len(), |(i, _)| i);
    before.get(start..).unwrap_or("").to_string()
}

/// Dotted initials: single capital letters joined by periods ("U.S", "J.J", "D.C", "F.A.A").
fn initials(word: &str) -> bool {
    let parts: Vec<&str> = word.split('.').collect();
    parts.len() >= 2
        && parts.iter().all(|x| x.chars().count() == 1 && x.chars().all(char::is_uppercase))
}

fn is_abbrev(text: &str, p: usize) -> bool {
    if text.get(p..p + 1) != Some(".") {
        return false;
    }
    let word = word_before(text.get(..p).unwrap_or(""));
    let w = word.to_lowercase();
    let single_initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    single_initial || initials(&word) || is(Words::Abbreviation, &w)
}
