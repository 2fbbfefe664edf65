//! Sentence splitting: byte spans of sentences (trimmed) with their paragraph index.
//!
//! Hand-written single pass over each line, because news text needs rules no general crate
//! gets right together: a line break always ends a sentence (headlines, datelines); a period
//! after a title, initial or abbreviation (`Mr.`, `George W.`, `U.S.`) does not, unless the
//! next word is a capitalised function word (`He moved to the U.S. He left.`); `?`/`!`
//! inside quotes followed by lowercase attribution (`“Why?” he asked.`) does not; closing
//! quotes and brackets after the terminator stay in the sentence (`(See above.)`).

use crate::record::{Sentence, Span};
use crate::text::numbers::{is_vague_count, multiplier, number_word};
use crate::text::MONTH_NAMES;

/// Titles and abbreviations that are (almost) never sentence-final: a name or number follows.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gov", "sen", "rep", "gen", "lt", "st", "prof", "col", "capt", "sgt",
    "rev", "mt", "ft", "maj", "cmdr", "adm", "pres", "supt", "det", "insp", "hon", "messrs",
    "mmes", "vs", "v", "e.g", "i.e", "cf", "approx", "fig", "vol", "ch", "art", "sec", "ca",
];

/// Abbreviations that may end a sentence: split after them only when the next word looks
/// like a sentence start (see [`STARTERS`]).
const FINAL_ABBREVS: &[&str] = &[
    "etc", "inc", "corp", "ltd", "co", "jr", "sr", "llc", "plc", "bros", "a.m", "p.m", "u.s",
    "u.k", "u.n", "e.u", "d.c", "n.y", "l.a", "u.s.a", "al", "esq", "no", "nos", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ave", "blvd", "calif",
    "fla", "mass", "conn", "penn", "wash", "ariz", "colo", "ill", "mich", "minn", "tenn", "va",
    "ga", "ky", "la", "md", "mo", "nev", "okla", "ore", "wis", "ala", "ark",
];

/// Capitalised words that start a new sentence after an ambiguous abbreviation: pronouns,
/// determiners, conjunctions and common sentence-initial adverbs/prepositions.
const STARTERS: &[&str] = &[
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "this",
    "that",
    "these",
    "those",
    "there",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "in",
    "on",
    "at",
    "for",
    "after",
    "before",
    "when",
    "while",
    "if",
    "as",
    "since",
    "then",
    "however",
    "meanwhile",
    "also",
    "still",
    "now",
    "later",
    "earlier",
    "some",
    "many",
    "most",
    "no",
    "not",
    "one",
    "what",
    "who",
    "why",
    "how",
    "where",
    "officials",
    "police",
    "mr",
    "mrs",
    "ms",
    "dr",
    "both",
    "all",
    "each",
    "other",
    "last",
    "next",
    "by",
    "from",
    "with",
    "although",
    "though",
    "because",
    "during",
    "until",
    "according",
    "here",
    "such",
];

/// Words that open a count without being one ("Nearly 200 people …"); with the number
/// words, multipliers and vague counts of [`crate::text::numbers`] they start a sentence
/// when capitalised ("… at 7 p.m. Fourteen people died"), since a name never follows an
/// abbreviation as a spelled-out number.
const COUNT_OPENERS: &[&str] = &["only", "nearly", "about"];

/// Whether `lower` (a lowercased word) opens a count: see [`COUNT_OPENERS`].
fn opens_count(lower: &str) -> bool {
    number_word("en", lower).is_some_and(|v| v >= 2)
        || multiplier("en", lower).is_some()
        || is_vague_count(lower)
        || COUNT_OPENERS.contains(&lower)
}

/// Abbreviations of the time of day: after them a capitalised word starts a new sentence
/// unless it continues the time ([`TIME_CONTINUATIONS`]).
const CLOCK_ABBREVS: &[&str] = &["a.m", "p.m"];

/// Capitalised words that continue a clock time ("3 p.m. Friday", "9 a.m. EST",
/// "noon Eastern Time"): weekdays and time zones; months ([`MONTH_NAMES`]) too.
const TIME_CONTINUATIONS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "et",
    "est",
    "edt",
    "ct",
    "cst",
    "cdt",
    "mt",
    "mst",
    "mdt",
    "pt",
    "pst",
    "pdt",
    "gmt",
    "utc",
    "bst",
    "cet",
    "cest",
    "eet",
    "msk",
    "ist",
    "jst",
    "eastern",
    "central",
    "mountain",
    "pacific",
    "local",
    "today",
    "tonight",
    "tomorrow",
    "yesterday",
    "and",
    "or",
];

/// German month names: `am 3. Oktober` is an ordinal date, not a sentence end.
const GERMAN_MONTHS: &[&str] = &[
    "januar",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
];

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '?' | '!' | '…') || is_wide_terminator(c) || matches!(c, '؟' | '।' | '॥')
}

/// Full-width terminators of Chinese and Japanese, which no space follows.
fn is_wide_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '｡')
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '}' | '»' | '›' | '」' | '』' | '）')
}

/// Splits text into sentences. A newline always ends a sentence; each non-empty line is a
/// paragraph (numbered from 0 in order).
pub fn split(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut paragraph = 0;
    let mut line_start = 0;
    for line in text.split('\n') {
        let before = out.len();
        split_line(line, line_start, paragraph, &mut out);
        if out.len() > before {
            paragraph += 1;
        }
        line_start += line.len() + 1;
    }
    out
}

/// Splits one line (starting at byte `base` of the text) and appends its sentences.
fn split_line(line: &str, base: usize, paragraph: usize, out: &mut Vec<Sentence>) {
    let mut start = 0;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !is_terminator(c) {
            continue;
        }
        // Consume the run of terminators, then closing quotes/brackets.
        let mut end = i + c.len_utf8();
        let mut run_has_non_period = c != '.';
        let mut run_len = 1;
        while let Some(&(j, d)) = chars.peek() {
            if is_terminator(d) {
                run_has_non_period |= d != '.';
                run_len += 1;
            } else if !is_closer(d) {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        // A boundary needs whitespace (or the end of the line) right after, except after a
        // full-width terminator (Chinese and Japanese put no space between sentences).
        let next_ws = match line.get(end..).and_then(|r| r.chars().next()) {
            None => true,
            Some(n) => n.is_whitespace() || is_wide_terminator(c),
        };
        if !next_ws {
            continue;
        }
        let rest = line.get(end..).unwrap_or("").trim_start();
        if rest.is_empty() {
            continue;
        }
        let single_period = c == '.' && run_len == 1 && !run_has_non_period;
        // Closers after the period (`.”`, `.)`) end the sentence, except one bracket after an
        // abbreviation (`(U.S.) 6-3`), which is judged like a bare period.
        let closed = line.get(i + c.len_utf8()..end).is_some_and(|s| !s.is_empty() && s != ")");
        if is_boundary(line.get(start..i).unwrap_or(""), rest, single_period && !closed) {
            push(out, line, base, start, end, paragraph);
            start = end;
        }
    }
    push(out, line, base, start, line.len(), paragraph);
}

/// Whether the terminator after `before` ends a sentence, given the text `rest` after it.
fn is_boundary(before: &str, rest: &str, single_period: bool) -> bool {
    let Some(first) = rest.chars().next() else {
        return false;
    };
    let next_word = first_word(rest);
    // Lowercase continuation: attribution after a quoted question, `etc. and`, ellipsis;
    // but a camel-case brand (`iPhone`, `eBay`) starts a sentence like a capitalised word.
    let camel = next_word.chars().nth(1).is_some_and(char::is_uppercase);
    if first.is_lowercase() && !camel {
        return false;
    }
    // Closing punctuation or a comma right after, or the next dot of a spaced ellipsis
    // (`try . . . and`): not a boundary.
    if matches!(first, ',' | ';' | ':' | ')' | ']') || is_terminator(first) {
        return false;
    }
    if !single_period {
        return true;
    }
    let word = last_word(before);
    let lower = word.to_lowercase();
    let bare = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    if TITLES.contains(&bare) {
        // `No. 1`, `Jan. 5`: never a boundary; a title before a name likewise.
        return false;
    }
    let next_lower = next_word.to_lowercase();
    let starts_sentence = STARTERS.contains(&next_lower.as_str()) || opens_count(&next_lower);
    // "… at 7 p.m. Fourteen people …": after a clock time, a capitalised word that does not
    // continue the time (a weekday, a zone) starts the next sentence.
    if CLOCK_ABBREVS.contains(&bare) && next_word.starts_with(char::is_uppercase) {
        let zone = rest
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .get(next_word.len()..)
            .is_some_and(|r| r.trim_start().to_lowercase().starts_with("time"));
        let next = next_lower.as_str();
        return !TIME_CONTINUATIONS.contains(&next) && !MONTH_NAMES.contains(&next) && !zone;
    }
    // Single-letter initial (`George W. Bush`) or dotted abbreviation (`U.S.`, `a.m.`,
    // `Ph.D.`: short letter groups; not a number `4,512.58` nor a URL `bbc.co.uk/news`).
    let is_initial = bare.chars().count() == 1 && bare.chars().all(char::is_alphabetic);
    if is_initial && word.chars().all(|c| !c.is_uppercase()) {
        // A lowercase one-letter abbreviation (`p. 5`, Russian `1990 г.`) before a
        // capitalised word ends its sentence.
        return next_word.starts_with(char::is_uppercase);
    }
    let dotted = bare.contains('.')
        && bare.split('.').all(|p| p.chars().count() <= 3 && p.chars().all(char::is_alphabetic));
    if is_initial || dotted || FINAL_ABBREVS.contains(&bare) {
        return starts_sentence;
    }
    if !bare.is_empty() && bare.len() <= 2 && bare.bytes().all(|b| b.is_ascii_digit()) {
        // A list number at the start of the sentence (`1. Buy milk`) or inside an inline
        // list (`were: 1. Smith, 2. Jones`), or a German ordinal date (`am 3. Oktober`).
        let head = before.trim_end().strip_suffix(word).unwrap_or("").trim_end();
        let listed = last_word(head).ends_with([':', ',']);
        let date = GERMAN_MONTHS.contains(&next_lower.as_str());
        return !before.trim().eq(word) && !listed && !date;
    }
    true
}

/// The last whitespace-separated word of `s`.
fn last_word(s: &str) -> &str {
    s.rsplit(char::is_whitespace).next().unwrap_or("")
}

/// The first word of `s` (letters only), skipping opening quotes and brackets.
fn first_word(s: &str) -> &str {
    let s = s.trim_start_matches(|c: char| !c.is_alphanumeric());
    let end = s.find(|c: char| !c.is_alphanumeric()).unwrap_or(s.len());
    s.get(..end).unwrap_or("")
}

/// Pushes the trimmed sentence `line[start..end]` if non-empty.
fn push(out: &mut Vec<Sentence>, line: &str, base: usize, start: usize, end: usize, p: usize) {
    let Some(seg) = line.get(start..end) else {
        return;
    };
    let trimmed = seg.trim();
    if trimmed.is_empty() {
        return;
    }
    let lead = seg.len() - seg.trim_start().len();
    let s = base + start + lead;
    out.push(Sentence { span: Span::new(s, s + trimmed.len()), paragraph: p });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        split(text).iter().map(|s| s.span.slice(text)).collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            ("He left. She stayed.", &["He left.", "She stayed."]),
            ("Really? Yes! Fine.", &["Really?", "Yes!", "Fine."]),
            ("Mr. Smith went home.", &["Mr. Smith went home."]),
            ("Mrs. Jones and Dr. Who met.", &["Mrs. Jones and Dr. Who met."]),
            (
                "Gov. Abbott spoke. Sen. Cruz did not.",
                &["Gov. Abbott spoke.", "Sen. Cruz did not."],
            ),
            (
                "Rep. Pelosi and Gen. Milley met Lt. Dan.",
                &["Rep. Pelosi and Gen. Milley met Lt. Dan."],
            ),
            ("He lives on Main St. near the park.", &["He lives on Main St. near the park."]),
            ("St. Louis is big.", &["St. Louis is big."]),
            ("The U.S. Embassy was hit.", &["The U.S. Embassy was hit."]),
            ("He moved to the U.S. He left.", &["He moved to the U.S.", "He left."]),
            // Counts start a sentence after an abbreviation (the shared number table).
            ("Aid came from the U.S. Others left.", &["Aid came from the U.S.", "Others left."]),
            (
                "Staff of Acme Inc. Twenty-one were hurt.",
                &["Staff of Acme Inc.", "Twenty-one were hurt."],
            ),
            ("Flights to the U.S. Hundreds fled.", &["Flights to the U.S.", "Hundreds fled."]),
            ("The U.K. and U.N. agreed.", &["The U.K. and U.N. agreed."]),
            ("The U.N. Security Council met.", &["The U.N. Security Council met."]),
            ("It happened on Jan. 5 in Paris.", &["It happened on Jan. 5 in Paris."]),
            ("Feb. 10 and Dec. 31 are dates.", &["Feb. 10 and Dec. 31 are dates."]),
            ("It was Sept. 30, 1989.", &["It was Sept. 30, 1989."]),
            ("He came at 3 p.m. Then he left.", &["He came at 3 p.m.", "Then he left."]),
            ("He came at 3 p.m. Friday.", &["He came at 3 p.m. Friday."]),
            (
                "The blast came at 7 p.m. Fourteen people died.",
                &["The blast came at 7 p.m.", "Fourteen people died."],
            ),
            ("Polls close at 8 p.m. Voters queued.", &["Polls close at 8 p.m.", "Voters queued."]),
            ("It starts at 9 a.m. EST on Monday.", &["It starts at 9 a.m. EST on Monday."]),
            ("It ended at 6 a.m. Moscow time.", &["It ended at 6 a.m. Moscow time."]),
            ("Talks began at 10 a.m. Eastern time.", &["Talks began at 10 a.m. Eastern time."]),
            (
                "She joined Acme Inc. Twelve others followed.",
                &["She joined Acme Inc.", "Twelve others followed."],
            ),
            (
                "She joined Acme Inc. Chief Executive Bo Li.",
                &["She joined Acme Inc. Chief Executive Bo Li."],
            ),
            ("At 9 a.m. the market opened.", &["At 9 a.m. the market opened."]),
            ("He is No. 1 in the world.", &["He is No. 1 in the world."]),
            ("It was Bush vs. Gore.", &["It was Bush vs. Gore."]),
            ("Apples, pears, etc. are fruit.", &["Apples, pears, etc. are fruit."]),
            ("Apples, pears, etc. The rest rotted.", &["Apples, pears, etc.", "The rest rotted."]),
            ("Apple Inc. said so.", &["Apple Inc. said so."]),
            ("He works at Apple Inc. He is rich.", &["He works at Apple Inc.", "He is rich."]),
            ("Acme Corp. and Foo Ltd. merged.", &["Acme Corp. and Foo Ltd. merged."]),
            ("Martin Luther King Jr. spoke.", &["Martin Luther King Jr. spoke."]),
            ("J. R. R. Tolkien wrote it.", &["J. R. R. Tolkien wrote it."]),
            ("George W. Bush won.", &["George W. Bush won."]),
            ("P.J. Crowley said so.", &["P.J. Crowley said so."]),
            ("Growth was 3.5 percent. It fell.", &["Growth was 3.5 percent.", "It fell."]),
            ("It cost $1.2 billion. Nobody paid.", &["It cost $1.2 billion.", "Nobody paid."]),
            ("Wait... what happened?", &["Wait... what happened?"]),
            ("He paused... Then he spoke.", &["He paused...", "Then he spoke."]),
            ("He paused… Then he spoke.", &["He paused…", "Then he spoke."]),
            ("“I am done,” he said. She nodded.", &["“I am done,” he said.", "She nodded."]),
            ("He said “I left.” Then he went.", &["He said “I left.”", "Then he went."]),
            ("He said \"I left.\" Then he went.", &["He said \"I left.\"", "Then he went."]),
            ("“Why?” he asked.", &["“Why?” he asked."]),
            ("“Stop!” she shouted. He stopped.", &["“Stop!” she shouted.", "He stopped."]),
            ("“Why?” Nobody knew.", &["“Why?”", "Nobody knew."]),
            ("It rained. (See above.) Then sun.", &["It rained.", "(See above.)", "Then sun."]),
            ("(He left.) She stayed.", &["(He left.)", "She stayed."]),
            ("Visit www.example.com for more.", &["Visit www.example.com for more."]),
            ("Visit https://example.com/a.b?c=d now.", &["Visit https://example.com/a.b?c=d now."]),
            ("Mail john.doe@example.org today.", &["Mail john.doe@example.org today."]),
            (
                "Headline without stop\nBody text here.",
                &["Headline without stop", "Body text here."],
            ),
            ("Line one\n\nLine two", &["Line one", "Line two"]),
            ("1. Buy milk\n2. Buy eggs", &["1. Buy milk", "2. Buy eggs"]),
            ("He scored 2. Then he left.", &["He scored 2.", "Then he left."]),
            ("  Spaces around.   Here too.  ", &["Spaces around.", "Here too."]),
            ("", &[]),
            ("\n\n", &[]),
            ("No terminator at all", &["No terminator at all"]),
            ("What?! Really.", &["What?!", "Really."]),
            (
                "He said ``It was a bomb.'' Then he left.",
                &["He said ``It was a bomb.''", "Then he left."],
            ),
            ("Prices rose 5%. Sales fell.", &["Prices rose 5%.", "Sales fell."]),
            ("He was born in Calif. in 1950.", &["He was born in Calif. in 1950."]),
            (
                "He lives in Sacramento, Calif. The city is hot.",
                &["He lives in Sacramento, Calif.", "The city is hot."],
            ),
            ("The score was 3-2. Fans cheered.", &["The score was 3-2.", "Fans cheered."]),
            (
                "Prof. Xavier teaches. Students learn.",
                &["Prof. Xavier teaches.", "Students learn."],
            ),
            ("See e.g. the report.", &["See e.g. the report."]),
            ("That is, i.e. The End.", &["That is, i.e. The End."]),
            ("Washington, D.C. The capital.", &["Washington, D.C.", "The capital."]),
            (
                "They met in Washington, D.C. on Monday.",
                &["They met in Washington, D.C. on Monday."],
            ),
            ("A. Smith and B. Jones won.", &["A. Smith and B. Jones won."]),
            ("I saw it. I left.", &["I saw it.", "I left."]),
            ("Is it 5.30? No.", &["Is it 5.30?", "No."]),
            ("Réunion is far. Très loin.", &["Réunion is far.", "Très loin."]),
            ("He said: \"Go.\" she said.", &["He said: \"Go.\" she said."]),
            ("Dec. 8, 2024. The day ended.", &["Dec. 8, 2024.", "The day ended."]),
        ];
        assert!(cases.len() >= 60);
        for (input, want) in cases {
            assert_eq!(texts(input), *want, "input: {input:?}");
        }
    }

    #[test]
    fn paragraphs_and_offsets() {
        let text = "Title\n\nFirst one. Second one.\r\nThird.";
        let s = split(text);
        let paras: Vec<usize> = s.iter().map(|x| x.paragraph).collect();
        assert_eq!(paras, vec![0, 1, 1, 2]);
        assert_eq!(s[2].span.slice(text), "Second one.");
        assert_eq!(s[3].span.slice(text), "Third.");
    }

    #[test]
    fn no_panic_on_odd_input() {
        for t in ["...", "?!", ". . .", "“”", "a.\u{301}b. C", "\u{2026}\u{2026} X", ". A"] {
            let _ = split(t);
        }
    }
}
