//! Numbers in a statement: digits ("1,500", "$2.5", "4.4%"), number words ("twelve",
//! "twenty-five") and multipliers ("two dozen", "1.5 million", "a hundred"), each with its
//! token range so the lexical features can replace it by one placeholder. The English words
//! are those of the shared table, [`crate::text::numbers`].

use crate::text::numbers::{self, cardinal};
use crate::text::parse_number;

/// A number mentioned in a statement.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberMention {
    /// The value ("two dozen" = 24, "1.5 million" = 1500000).
    pub value: f64,
    /// Index of the first token of the number in [`super::Statement::words`].
    pub first: usize,
    /// Index one past the last token of the number.
    pub last: usize,
}

/// The value of an English number word below one hundred ("seven", "twenty-five").
pub fn small_number(w: &str) -> Option<f64> {
    cardinal("en", w).map(|v| v as f64)
}

fn multiplier(w: &str) -> Option<f64> {
    numbers::multiplier("en", w).map(|m| m as f64)
}

fn digits(w: &str) -> Option<f64> {
    if !w.starts_with(|c: char| c.is_ascii_digit() || c == '$') {
        return None;
    }
    let w = w.trim_end_matches('%');
    let w = w.strip_prefix('$').unwrap_or(w);
    parse_number(w)
}

/// Reads the numbers in lowercased `words`: digits, number words, multipliers.
pub fn numbers(words: &[String]) -> Vec<NumberMention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        let start_val = digits(w).or_else(|| small_number(w)).or_else(|| {
            // "a hundred", "a dozen"
            let next = words.get(i + 1).map(String::as_str).and_then(multiplier);
            (matches!(w, "a" | "an") && next.is_some()).then_some(1.0)
        });
        let Some(mut value) = start_val else {
            // a bare multiplier word: "hundreds of", "dozens"
            i += 1;
            continue;
        };
        let first = i;
        let lone_word = small_number(w).is_some();
        i += 1;
        while let Some(next) = words.get(i) {
            if let Some(m) = multiplier(next) {
                value *= m;
            } else if let Some(s) = small_number(next).filter(|_| value >= 100.0) {
                value += s; // "a hundred and five" style tails after a multiplier
            } else if next == "and" && words.get(i + 1).and_then(|n| small_number(n)).is_some() {
                // keep reading "hundred and five"
            } else {
                break;
            }
            i += 1;
        }
        // "one" alone is mostly a pronoun ("one of the"), not a count.
        if !(lone_word && w == "one" && i == first + 1) {
            out.push(NumberMention { value, first, last: i });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(s: &str) -> Vec<f64> {
        let words: Vec<String> = s.split_whitespace().map(str::to_string).collect();
        numbers(&words).iter().map(|n| n.value).collect()
    }

    #[test]
    fn number_words_are_read() {
        let table: &[(&str, &[f64])] = &[
            ("two dozen people", &[24.0]),
            ("a hundred homes", &[100.0]),
            ("1.5 million dollars", &[1_500_000.0]),
            ("nine were killed", &[9.0]),
            ("one of the men said 12", &[12.0]),
            ("twenty-five and 1,500", &[25.0, 1500.0]),
            ("$2.5 billion or 4.4%", &[2.5e9, 4.4]),
            ("no numbers here", &[]),
            ("zero nineteen ninety ninety-nine twenty-zero forty-ten", &[0.0, 19.0, 90.0, 99.0]),
        ];
        for (s, want) in table {
            assert_eq!(values(s), *want, "{s}");
        }
    }
}
