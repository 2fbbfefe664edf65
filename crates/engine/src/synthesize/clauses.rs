//! Clauses: a sentence that carries several claims is cut into one fact unit per claim.
//!
//! "Three people died and 11 were missing after the ferry capsized" states two facts, and
//! another outlet may report only one of them ("Three people are confirmed dead."): as one
//! unit the sentence matches neither well. [`split`] cuts a sentence at "; " and where two
//! finite clauses are coordinated ("X died and 11 were missing", ", and …", ", but …",
//! ", while …", ", noting that …") — each side with its own subject and finite verb, found with a small
//! lexicon of auxiliaries and verb forms (no tagger). Coordinated verbs that share one
//! subject ("said it was devastated and had cancelled"), coordinated nouns ("212 passengers
//! and nine crew") and quoted speech stay whole.

use crate::record::Span;
use crate::text::numbers::{cardinal, is_vague_count, multiplier};
use crate::text::{tokens, Token};

/// Most words of the second clause's subject ("the worst of them were taken").
const MAX_SUBJECT: usize = 4;
/// Shortest side of a cut at "; ", in bytes.
const MIN_SEMICOLON_SIDE: usize = 25;

/// Conjunctions that may join two finite clauses, and participles of saying that open a
/// second report (", noting that discussions would take place…"); the ones marked need a
/// comma before them.
const CONJUNCTIONS: &[(&str, bool)] = &[
    ("and", false),
    ("but", false),
    ("while", true),
    ("whereas", true),
    ("adding", true),
    ("noting", true),
    ("saying", true),
    ("stressing", true),
    ("warning", true),
    ("insisting", true),
    ("explaining", true),
];
/// The participles among [`CONJUNCTIONS`]: "that" may follow them.
const PARTICIPLES: &[&str] =
    &["adding", "noting", "saying", "stressing", "warning", "insisting", "explaining"];
/// Auxiliaries, modals and common irregular or present forms that make a clause finite.
const FINITE: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "may",
    "might", "must", "shall", "should", "did", "does", "do", "said", "says", "say", "told", "died",
    "dies", "fled", "led", "went", "took", "left", "made", "fell", "rose", "gave", "came", "saw",
    "found", "kept", "held", "began", "ran", "sank", "hit", "lost", "won", "got", "sent", "spent",
    "struck", "brought", "thought", "knew", "became", "stood", "met", "put", "set", "cut", "shot",
    "paid", "sold", "built", "remain", "remains", "remained", "believe", "believes", "expect",
    "expects", "know", "knows", "think", "thinks", "want", "wants",
];
/// Words ending in "-ed" that are not verbs.
const NOT_VERBS: &[&str] = &["hundred", "indeed", "united", "kindred", "sacred", "wicked", "naked"];
/// Words that cannot open the subject of a clause: verbs and auxiliaries (a shared subject,
/// "…and had cancelled"), prepositions, complementisers, relatives and adverbs of sequence.
const NOT_SUBJECT: &[&str] = &[
    "to", "that", "which", "who", "whom", "whose", "when", "where", "then", "so", "also", "not",
    "in", "on", "at", "for", "from", "with", "by", "of", "into", "onto", "after", "before", "as",
    "if", "because", "than", "or", "nor", "yet", "now", "later", "still", "being", "been",
];
/// Words that end a subject before any verb: the words after them open another clause
/// ("212 passengers and nine crew when it listed").
const SUBJECT_BREAK: &[&str] = &[
    "when", "that", "which", "who", "whom", "whose", "where", "while", "if", "because", "after",
    "before", "as", "until", "and", "or", "but", "since", "though", "although",
];
/// Personal pronouns: a subject whatever the form of the verb after them ("it serves").
const PRONOUNS: &[&str] = &["i", "you", "he", "she", "it", "we", "they"];

/// Whether a lowercase word is a finite verb form.
fn is_finite(lower: &str) -> bool {
    FINITE.contains(&lower)
        || (lower.len() >= 5
            && lower.ends_with("ed")
            && lower.chars().all(|c| c.is_ascii_lowercase())
            && !NOT_VERBS.contains(&lower))
}

/// Whether `word` (lowercase) is a count that may stand for a subject named in another
/// clause ("Three people died and eleven were missing": "eleven" is eleven people): a
/// number word, a multiplier ("hundreds") or a vague count ("several", "others").
fn is_count_word(word: &str) -> bool {
    cardinal("en", word).is_some() || multiplier("en", word).is_some() || is_vague_count(word)
}

/// Whether a clause names its own subject: it does not open with a bare count right before
/// a finite verb ("11 were missing after the ferry capsized", "two died"), whose noun is in
/// the clause it was cut from. "Two passengers died" and "The ferry sank" stand alone.
pub fn stands_alone(clause: &str) -> bool {
    let mut words = clause
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase());
    let (Some(first), Some(second)) = (words.next(), words.next()) else { return true };
    // A bare year ("1998 was…") is a subject of its own; "1,200 were…" is a count.
    let digits = first.bytes().all(|b| b.is_ascii_digit() || b == b',');
    let count = (digits && (first.len() <= 3 || first.contains(','))) || is_count_word(&first);
    !(count && is_finite(&second))
}

/// The spans of the clauses of the sentence `span` of `text`, in order (the sentence
/// itself when it is one clause).
pub fn split(text: &str, span: Span) -> Vec<Span> {
    let s = span.slice(text);
    let mut out = Vec::new();
    for part in semicolons(text, span) {
        let (from, to) = (part.start - span.start, part.end - span.start);
        let cut = coordinated(s, from, to).into_iter();
        out.extend(cut.map(|(a, b)| Span::new(span.start + a, span.start + b)));
    }
    out
}

/// The parts of the sentence `span` of `text` between "; " (each side long enough to
/// stand alone), in order.
pub fn semicolons(text: &str, span: Span) -> Vec<Span> {
    let s = span.slice(text);
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in s.match_indices("; ") {
        if i - start > MIN_SEMICOLON_SIDE && s.len() - i > MIN_SEMICOLON_SIDE {
            out.push(Span::new(span.start + start, span.start + i));
            start = i + 2;
        }
    }
    out.push(Span::new(span.start + start, span.end));
    out
}

/// The clauses of `s[from..to]` cut at coordinating conjunctions: (start, end) offsets into
/// `s`, each without the conjunction and the comma before it.
fn coordinated(s: &str, from: usize, to: usize) -> Vec<(usize, usize)> {
    let part = &s[from..to];
    // Most sentences hold no conjunction at all: they are not tokenized.
    if !CONJUNCTIONS.iter().any(|(c, _)| has_word(part, c)) {
        return vec![(from, to)];
    }
    let toks = tokens(part);
    let lower: Vec<String> = toks.iter().map(|t| t.text.to_lowercase()).collect();
    let mut out = Vec::new();
    let (mut start, mut first_tok) = (0, 0);
    for (k, t) in toks.iter().enumerate() {
        let Some(&(_, comma)) = CONJUNCTIONS.iter().find(|c| c.0 == lower[k]) else { continue };
        let before = part[..t.span.start].trim_end();
        if (comma && !before.ends_with(',')) || inside_quote(&part[..t.span.start]) {
            continue;
        }
        let left_finite = (first_tok + 1..k).any(|j| is_finite(&lower[j]));
        let that = PARTICIPLES.contains(&lower[k].as_str())
            && lower.get(k + 1).is_some_and(|w| w == "that");
        let at = k + 1 + usize::from(that);
        if !left_finite || !opens_clause(part, &toks, &lower, at) {
            continue;
        }
        let end = before.trim_end_matches(',').trim_end().len();
        if let Some(next) = toks.get(at) {
            out.push((from + start, from + end));
            start = next.span.start;
            first_tok = at;
        }
    }
    out.push((from + start, to));
    out
}

/// Whether the words from `at` open a finite clause: a subject of one to
/// [`MAX_SUBJECT`] words (or a personal pronoun) and then a finite verb, with no
/// punctuation between them.
fn opens_clause(part: &str, toks: &[Token], lower: &[String], at: usize) -> bool {
    let Some(first) = lower.get(at) else { return false };
    if NOT_SUBJECT.contains(&first.as_str()) || is_finite(first) {
        return false;
    }
    let pronoun = PRONOUNS.contains(&first.as_str());
    for j in at + 1..(at + 1 + MAX_SUBJECT).min(toks.len()) {
        let gap = &part[toks[j - 1].span.end..toks[j].span.start];
        if gap.chars().any(|c| !c.is_whitespace()) {
            return false;
        }
        if SUBJECT_BREAK.contains(&lower[j].as_str()) {
            return false;
        }
        if is_finite(&lower[j]) || (pronoun && j == at + 1 && lower[j].ends_with('s')) {
            return true;
        }
    }
    false
}

/// Whether `text` holds the lowercase word `w` (between non-letters).
fn has_word(text: &str, w: &str) -> bool {
    text.match_indices(w).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + w.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Whether the end of `text` is inside a quotation (more opening than closing curly
/// quotes, or an odd number of straight double quotes).
fn inside_quote(text: &str) -> bool {
    let count = |c: char| text.chars().filter(|&x| x == c).count();
    count('“') > count('”') || count('"') % 2 == 1 || count('«') > count('»')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clauses(s: &str) -> Vec<&str> {
        split(s, Span::new(0, s.len())).into_iter().map(|sp| sp.slice(s)).collect()
    }

    #[test]
    fn coordinated_finite_clauses_are_cut() {
        let table: &[(&str, &[&str])] = &[
            (
                "Three people died and 11 were missing after a ferry capsized, the VMSA said.",
                &["Three people died", "11 were missing after a ferry capsized, the VMSA said."],
            ),
            (
                "Two passengers died in the accident and 23 people were injured.",
                &["Two passengers died in the accident", "23 people were injured."],
            ),
            (
                "More than twenty were hurt, most with cuts and bruises, and the worst of them were taken to hospital.",
                &[
                    "More than twenty were hurt, most with cuts and bruises",
                    "the worst of them were taken to hospital.",
                ],
            ),
            (
                "Brightfold said an update would be pushed to units, but it advised owners not to rely on it.",
                &["Brightfold said an update would be pushed to units", "it advised owners not to rely on it."],
            ),
            (
                "The base is a repair hub, and it serves as a staging post for flights to Africa.",
                &["The base is a repair hub", "it serves as a staging post for flights to Africa."],
            ),
            (
                "The army held the north, while rebels controlled the south of the country.",
                &["The army held the north", "rebels controlled the south of the country."],
            ),
            (
                "The Kremlin said it was too early to decide, noting that talks would take place soon.",
                &["The Kremlin said it was too early to decide", "talks would take place soon."],
            ),
            (
                "Officials said the port was shut, adding the ferries would resume on Monday.",
                &["Officials said the port was shut", "the ferries would resume on Monday."],
            ),
            (
                "The army withdrew from the capital city; rebels entered the presidential palace.",
                &["The army withdrew from the capital city", "rebels entered the presidential palace."],
            ),
        ];
        for (s, want) in table {
            assert_eq!(clauses(s), *want, "{s}");
        }
    }

    #[test]
    fn shared_subjects_nouns_and_quotes_stay_whole() {
        let table = [
            "The company said it was devastated and had cancelled all services on the route.",
            "The ferry was carrying 212 passengers and nine crew when it listed and overturned.",
            "Rescue crews, fishing boats and a helicopter pulled 207 people from the water.",
            "Hamas and Hezbollah said they would keep fighting in the south.",
            "“We saw her lean and she just kept leaning,” said Agnes Morrow-Tay.",
            "A man in his seventies and a woman in her forties, both passengers, died.",
            "Tarvik Line said the repairs were done and that the vessel had passed inspection.",
            "The ferry sailed between Port Ellery and Tarvik until the storm, officials said.",
            "The army held the north while rebels controlled the south of the country.",
            "He said the port was shut, adding to the anger of the ferry crews on strike.",
            "Police closed the road, saying nothing about the cause of the crash.",
            "Short; text",
        ];
        for s in table {
            assert_eq!(clauses(s), [s], "{s}");
        }
    }

    /// Words, marks and multi-byte characters that clause and dateline cuts look at.
    const POOL: &[&str] = &[
        "Three",
        "people",
        "died",
        "and",
        "11",
        "were",
        "missing",
        ",",
        ";",
        "“",
        "”",
        "—",
        "-",
        "but",
        "it",
        "said",
        "the",
        "PORT",
        "ELLERY",
        "(Reuters)",
        "é",
        "noting",
        "that",
        "while",
        ".",
        "he",
        "serves",
        "; ",
        "Oil",
        "fell",
        "\"",
        "’s",
        "has",
        "been",
    ];

    #[test]
    fn clauses_that_lost_their_subject_do_not_stand_alone() {
        let table = [
            ("11 were missing after a passenger ferry capsized.", false),
            ("two died in hospital.", false),
            ("Several were injured.", false),
            ("Two passengers died.", true),
            ("Three people died and 11 were missing.", true),
            ("The ferry sank on Tuesday.", true),
            ("1998 was the year it was built.", true),
            ("1,200 were evacuated.", false),
            ("Fourteen people were injured, four of them seriously.", true),
            // Counts of the shared number table: any number word, multipliers, vague counts.
            ("Twenty-one were rescued.", false),
            ("Thirteen remain missing.", false),
            ("Dozens were hurt.", false),
            ("Others were missing.", false),
            ("Few survived.", false),
            ("Twenty passengers were rescued.", true),
            ("", true),
        ];
        for (text, want) in table {
            assert_eq!(stands_alone(text), want, "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn cuts_stay_in_order_inside_the_sentence(
            words in proptest::collection::vec((0usize..POOL.len(), proptest::bool::ANY), 0..40),
            lead in 0usize..3,
        ) {
            let body: String = words
                .iter()
                .map(|&(w, space)| format!("{}{}", POOL[w], if space { " " } else { "" }))
                .collect();
            let text = format!("{}{body}", "x ".repeat(lead));
            let span = Span::new(lead * 2, text.len());
            let mut at = span.start;
            for c in split(&text, span) {
                proptest::prop_assert!(c.start >= at && c.start <= c.end && c.end <= span.end);
                proptest::prop_assert!(text.get(c.start..c.end).is_some());
                at = c.end;
            }
            if let Some(cut) = crate::synthesize::dateline::dateline(&body) {
                proptest::prop_assert!(body.get(cut..).is_some());
            }
            let sentences = [crate::record::Sentence { span, paragraph: 0 }];
            let t = crate::synthesize::dateline::trim(&text, &sentences, span);
            proptest::prop_assert!(t.start >= span.start && t.end == span.end && t.start <= t.end);
            proptest::prop_assert!(text.get(t.start..t.end).is_some());
        }
    }
}
