//! The missing-text pass: flags gaps left where a link or a name was cut out of a sentence
//! (`granted asylum in , saying`, `between and the .`, `Breaking! and his family`). The text
//! is unchanged; each flag's span covers the words bordering the gap, so a reader sees where
//! something is missing: the function word and the punctuation after it (`in ,`), the two
//! words around the hole (`between and`), or the sentence end and the orphaned conjunction
//! (`! and`). Only patterns that ordinary edited prose never produces are used.

use std::sync::OnceLock;

use regex::Regex;

use super::Edit;

fn patterns() -> &'static [Regex] {
    static PATS: OnceLock<Vec<Regex>> = OnceLock::new();
    PATS.get_or_init(|| {
        [
            // A preposition, article, determiner or conjunction directly followed by
            // punctuation, with a space before it: "asylum in , saying", "and the .".
            r"\b((?:in|on|at|of|to|from|with|by|for|into|about|between|than|the|a|an|and|or|that|this|these|those|its|their|his|her|our|my)\s+[,.;:!?])",
            // "between" directly followed by "and": "the difference between and the".
            r"\b([Bb]etween\s+and)\b",
            // A sentence that starts with a lowercase conjunction right after "!" or "?":
            // "Breaking! and his family".
            r"([!?]\s+(?:and|or|but|nor))\s+\p{Ll}",
        ]
        .iter()
        .filter_map(|p| Regex::new(p).ok())
        .collect()
    })
}

/// Flags for gaps (each pattern's group 1 is the flagged span) in `text`.
pub(crate) fn find(text: &str) -> Vec<Edit> {
    let mut edits = Vec::new();
    for re in patterns() {
        for c in re.captures_iter(text) {
            if let Some(m) = c.get(1) {
                edits.push(Edit::flag(m.start(), m.end()));
            }
        }
    }
    edits.sort_by_key(|e| (e.start, e.end));
    let mut merged: Vec<Edit> = Vec::new();
    for e in edits {
        match merged.last_mut() {
            Some(last) if e.start <= last.end || text[last.end..e.start].trim().is_empty() => {
                last.end = last.end.max(e.end)
            }
            _ => merged.push(e),
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
            (
                "Sources said that , as the city fell, he left.",
                &["that ,"],
            ),
            ("This is the gap between and the .", &["between and the ."]),
            ("Breaking! and his wife are safe.", &["! and"]),
            // Ordinary prose.
            (
                "He lives in Paris, she said. Between them, and the others, it worked.",
                &[],
            ),
            ("What a day! And then the rain came.", &[]),
            ("Prices rose 5 % in March, and the index fell.", &[]),
            ("It is the one he wanted to.", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(flagged(text), *want, "text {text:?}");
        }
    }
}
