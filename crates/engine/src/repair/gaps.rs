//! The missing-text pass: flags gaps left where a link or a name was cut out of a sentence
//! (`granted asylum in , saying`, `between and the .`, `Breaking! and his family`). The text
//! is unchanged; each flag's span covers the words bordering the gap, so a reader sees where
//! something is missing: the function word and the punctuation after it (`in ,`), the two
//! words around the hole (`between and`), or the sentence end and the orphaned conjunction
//! (`! and`). Only patterns that ordinary edited prose never produces are used.

use super::Edit;

/// Prepositions, articles, determiners and conjunctions that never end a clause.
const FUNCTION_WORDS: &[&str] = &[
    "in", "on", "at", "of", "to", "from", "with", "by", "for", "into", "about", "between", "than",
    "the", "a", "an", "and", "or", "that", "this", "these", "those", "its", "their", "his", "her",
    "our", "my",
];

/// Function words that can also end a clause as pronouns or conjunctions.
const PRONOUN_LIKE: &[&str] = &["that", "this", "these", "those", "his", "her", "its", "and", "or"];

const CONJUNCTIONS: &[&str] = &["and", "or", "but", "nor"];

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// The word ending at byte `end` (exclusive) and its start.
fn word_before(bytes: &[u8], end: usize) -> (usize, &[u8]) {
    let mut s = end;
    while s > 0 && is_word_byte(bytes[s - 1]) {
        s -= 1;
    }
    (s, &bytes[s..end])
}

/// The word starting at byte `start` and its end.
fn word_after(bytes: &[u8], start: usize) -> (usize, &[u8]) {
    let mut e = start;
    while e < bytes.len() && is_word_byte(bytes[e]) {
        e += 1;
    }
    (e, &bytes[start..e])
}

fn skip_back_blanks(bytes: &[u8], mut i: usize) -> usize {
    while i > 0 && matches!(bytes[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    i
}

fn skip_blanks(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

fn is_one_of(word: &[u8], list: &[&str]) -> bool {
    list.iter().any(|w| w.as_bytes() == word)
}

/// Gap spans found at punctuation byte `i` (hand-written scan instead of a regex: this runs on
/// every byte of every article).
/// `tokenized` caches [`is_tokenized`], computed only when a candidate needs it (rarely:
/// ordinary prose puts no space before punctuation).
fn gap_at(bytes: &[u8], i: usize, tokenized: &mut Option<bool>) -> Option<(usize, usize)> {
    let p = bytes[i];
    // "in , saying" / "and the ." : function word, blanks, punctuation; not ".308", "a ...".
    let wend = skip_back_blanks(bytes, i);
    let next = bytes.get(skip_blanks(bytes, i + 1)).copied();
    let decimal_or_ellipsis =
        p == b'.' && (bytes.get(i + 1).is_some_and(u8::is_ascii_digit) || next == Some(b'.'));
    // A rhetorical "… love that ?" is no gap: only `,` `.` `;` `:` count here.
    if wend < i && !decimal_or_ellipsis && !matches!(p, b'!' | b'?') {
        let (ws, w) = word_before(bytes, wend);
        // After ";" or ":" a pronoun ("shocked at this ;") is a clause end, not a gap.
        let clause_end = matches!(p, b';' | b':') && is_one_of(w, PRONOUN_LIKE);
        if is_one_of(w, FUNCTION_WORDS)
            && !clause_end
            && (ws == 0 || !is_word_byte(bytes[ws - 1]))
            && !*tokenized.get_or_insert_with(|| is_tokenized(bytes))
        {
            return Some((ws, i + 1));
        }
    }
    // "Breaking! and his family": "!"/"?", blanks, lowercase conjunction, blanks, lowercase.
    if matches!(p, b'!' | b'?') {
        let cs = skip_blanks(bytes, i + 1);
        let (ce, c) = word_after(bytes, cs);
        let next = skip_blanks(bytes, ce);
        if cs > i + 1
            && is_one_of(c, CONJUNCTIONS)
            && next > ce
            && bytes.get(next).is_some_and(u8::is_ascii_lowercase)
        {
            return Some((i, ce));
        }
    }
    None
}

/// Whether the text puts a space before punctuation after ordinary words too ("he said ,"):
/// pre-tokenised corpora do, and there a space before a comma says nothing about a gap.
fn is_tokenized(bytes: &[u8]) -> bool {
    let mut plain = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, b',' | b'.' | b';' | b':') && i > 0 && bytes[i - 1] == b' ' {
            let wend = skip_back_blanks(bytes, i);
            let (_, w) = word_before(bytes, wend);
            if !w.is_empty() && !is_one_of(w, FUNCTION_WORDS) {
                plain += 1;
                if plain >= 2 {
                    return true;
                }
            }
        }
    }
    false
}

/// Flags for gaps in `text`.
pub(crate) fn find(text: &str) -> Vec<Edit> {
    let bytes = text.as_bytes();
    let mut tokenized = None;
    let mut found: Vec<(usize, usize)> = Vec::new();
    // Punctuation found by SIMD search (two passes of three bytes); `found` is sorted below.
    let puncts = memchr::memchr3_iter(b',', b'.', b';', bytes)
        .chain(memchr::memchr3_iter(b':', b'!', b'?', bytes));
    for i in puncts {
        found.extend(gap_at(bytes, i, &mut tokenized));
    }
    // "between and": the two words around a removed name.
    let mut from = 0;
    while let Some(k) = text[from..].find("etween") {
        let at = from + k;
        from = at + 6;
        if at == 0
            || !matches!(bytes[at - 1], b'b' | b'B')
            || (at > 1 && is_word_byte(bytes[at - 2]))
        {
            continue;
        }
        let a = skip_blanks(bytes, at + 6);
        let (ae, w) = word_after(bytes, a);
        if a > at + 6 && w == b"and" {
            found.push((at - 1, ae));
        }
    }
    found.sort_unstable();
    let mut merged: Vec<Edit> = Vec::new();
    for (s, e) in found {
        match merged.last_mut() {
            Some(last)
                if s <= last.end || text.get(last.end..s).is_some_and(|g| g.trim().is_empty()) =>
            {
                last.end = last.end.max(e)
            }
            _ => merged.push(Edit::flag(s, e)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flagged(text: &str) -> Vec<&str> {
        find(text).iter().map(|e| &text[e.start..e.end]).collect()
    }

    #[test]
    fn gaps_table() {
        let cases: &[(&str, &[&str])] = &[
            ("He was granted refuge in , officials said.", &["in ,"]),
            ("Sources said that , as the city fell, he left.", &["that ,"]),
            ("This is the gap between and the .", &["between and the ."]),
            ("Breaking! and his wife are safe.", &["! and"]),
            // Ordinary prose.
            ("He lives in Paris, she said. Between them, and the others, it worked.", &[]),
            ("What a day! And then the rain came.", &[]),
            ("Prices rose 5 % in March, and the index fell.", &[]),
            ("It is the one he wanted to.", &[]),
            ("He hit .308 with a .45 caliber gun and was a ... star of the .", &["the ."]),
            ("Who wouldn't love that ? The rule is fair and . . . simple.", &[]),
            // Pre-tokenised text puts spaces before all punctuation.
            ("He said , as we 're told , that the plan is the one for them .", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(flagged(text), *want, "text {text:?}");
        }
    }
}
