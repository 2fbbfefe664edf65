//! Numbers in a statement: digits ("1,500", "$2.5", "4.4%"), number words ("twelve",
//! "twenty-five") and multipliers ("two dozen", "1.5 million", "a hundred"), each with its
//! token range so the lexical features can replace it by one placeholder.

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

/// The value of a number word below twenty ("seven"); a `match` compiles to a dispatch on
/// the length, cheaper than comparing with every word (this runs on every word).
fn unit(w: &str) -> Option<u8> {
    Some(match w {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        _ => return None,
    })
}

/// The value of a tens word ("twenty" = 20, … "ninety" = 90).
fn tens(w: &str) -> Option<u8> {
    Some(match w {
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// The value of a number word below one hundred ("seven", "twenty-five").
pub fn small_number(w: &str) -> Option<f64> {
    if let Some(u) = unit(w).or_else(|| tens(w)) {
        return Some(f64::from(u));
    }
    // "twenty-five"
    let (a, b) = w.split_once('-')?;
    let t = tens(a)?;
    let u = unit(b).filter(|u| (1..10).contains(u))?;
    Some(f64::from(t + u))
}

fn multiplier(w: &str) -> Option<f64> {
    match w {
        "dozen" | "dozens" => Some(12.0),
        "hundred" | "hundreds" => Some(100.0),
        "thousand" | "thousands" => Some(1e3),
        "million" | "millions" | "mln" => Some(1e6),
        "billion" | "billions" | "bln" | "bn" => Some(1e9),
        "trillion" => Some(1e12),
        _ => None,
    }
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
