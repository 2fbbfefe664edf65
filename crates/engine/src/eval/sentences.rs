//! Evaluation of the sentence splitter ([`crate::analyze::sentence::split`]) two ways.
//!
//! 1. A table of hard cases (`tests/fixtures/sentences.tsv`, bundled as [`BUNDLED_TABLE`]):
//!    each line holds the gold sentences of one text, TAB-separated; the text is the
//!    sentences joined by one space, or by a newline after a sentence written with a trailing
//!    `\n` (a headline), or by nothing after one written with a trailing `\g` (Chinese,
//!    Japanese: no spaces between sentences). Scored by boundary precision/recall/F1 and exact-split accuracy.
//! 2. CoNLL-2003 (`eng.testa`): gold sentences of whole documents (one token per line, a
//!    blank line between sentences, `-DOCSTART-` between documents). Each document is
//!    rebuilt as one line of detokenized text ([`detokenize`]) and the sentence starts are
//!    scored. Headlines and datelines there end without punctuation, which no splitter can
//!    see on one line, so the recall on boundaries after `.`/`?`/`!` is reported too.

use std::collections::HashSet;
use std::path::Path;

use crate::analyze::sentence::split;
use crate::eval::ner::Counts;

/// The bundled table of hard cases.
pub const BUNDLED_TABLE: &str = include_str!("../../tests/fixtures/sentences.tsv");

/// Scores of the splitter on a set of texts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SentenceScores {
    /// What was scored ("table" or "conll").
    pub source: &'static str,
    /// Texts (table cases or documents).
    pub texts: usize,
    /// Texts split exactly as the gold.
    pub exact: usize,
    /// Boundaries (sentence starts after a text's first sentence): gold, predicted, correct.
    pub boundaries: Counts,
    /// Gold boundaries right after sentence-final punctuation, and how many were found.
    pub after_punct: (usize, usize),
    /// Texts not split exactly: the text and the predicted sentences (at most 40 kept).
    pub failures: Vec<(String, Vec<String>)>,
    /// Context of wrong boundaries (`…left ⟂ He…`), at most 20: predicted but not gold.
    pub false_splits: Vec<String>,
    /// Context of gold boundaries after a terminator that were missed, at most 20.
    pub missed: Vec<String>,
}

/// At most this many contexts of each kind are kept.
const MAX_CONTEXTS: usize = 20;

/// The text around byte `at` with `⟂` there (30 bytes each side, on char boundaries).
fn context(text: &str, at: usize) -> String {
    let mut s = at.saturating_sub(30);
    while !text.is_char_boundary(s) {
        s -= 1;
    }
    let mut e = (at + 30).min(text.len());
    while !text.is_char_boundary(e) {
        e += 1;
    }
    format!("{}⟂{}", &text[s..at], &text[at..e])
}

impl SentenceScores {
    /// Share of texts split exactly.
    pub fn exact_accuracy(&self) -> f64 {
        ratio(self.exact, self.texts)
    }

    fn add(&mut self, text: &str, gold: &[usize], gold_punct: &[bool]) {
        let sentences = split(text);
        // Boundaries are compared at the next letter or digit: `said. ⟂"But` and
        // `said. "⟂But` are one boundary (CoNLL puts some quotes in the other sentence).
        let at_word = |i: usize| text[i..].find(char::is_alphanumeric).map_or(i, |k| i + k);
        let gold: Vec<usize> = gold.iter().map(|&g| at_word(g)).collect();
        let predicted: HashSet<usize> =
            sentences.iter().skip(1).map(|s| at_word(s.span.start)).collect();
        let correct = gold.iter().filter(|g| predicted.contains(g)).count();
        self.texts += 1;
        self.boundaries.gold += gold.len();
        self.boundaries.predicted += predicted.len();
        self.boundaries.correct += correct;
        for (g, &p) in gold.iter().zip(gold_punct) {
            if p {
                self.after_punct.0 += 1;
                self.after_punct.1 += usize::from(predicted.contains(g));
                if !predicted.contains(g) && self.missed.len() < MAX_CONTEXTS {
                    self.missed.push(context(text, *g));
                }
            }
        }
        let gold_set: HashSet<&usize> = gold.iter().collect();
        for s in sentences.iter().skip(1).filter(|s| !gold_set.contains(&at_word(s.span.start))) {
            if self.false_splits.len() < MAX_CONTEXTS {
                self.false_splits.push(context(text, s.span.start));
            }
        }
        if correct == gold.len() && predicted.len() == gold.len() {
            self.exact += 1;
        } else if self.failures.len() < 40 {
            let got = sentences.iter().map(|s| s.span.slice(text).to_string()).collect();
            self.failures.push((text.to_string(), got));
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl std::fmt::Display for SentenceScores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "sentences ({}): boundary P {:.3} R {:.3} F1 {:.3} ({} gold, {} predicted, {} correct); exact splits {}/{} ({:.3})",
            self.source,
            self.boundaries.precision(),
            self.boundaries.recall(),
            self.boundaries.f1(),
            self.boundaries.gold,
            self.boundaries.predicted,
            self.boundaries.correct,
            self.exact,
            self.texts,
            self.exact_accuracy()
        )?;
        let (n, found) = self.after_punct;
        writeln!(
            f,
            "  recall on boundaries after . ? ! (with closing quotes): {:.3} ({found}/{n})",
            ratio(found, n)
        )?;
        if self.source == "table" {
            for (text, got) in &self.failures {
                writeln!(f, "  failed: {text:?} → {got:?}")?;
            }
        } else {
            for c in &self.false_splits {
                writeln!(f, "  false split: {c:?}")?;
            }
            for c in &self.missed {
                writeln!(f, "  missed: {c:?}")?;
            }
        }
        Ok(())
    }
}

/// Whether a sentence ends with sentence-final punctuation (closing quotes and brackets
/// after it allowed).
fn ends_with_terminator(sentence: &str) -> bool {
    let t = sentence.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»')
    });
    t.ends_with(['.', '?', '!', '…'])
}

/// One table case: its text, gold boundaries, and which follow a terminator.
fn table_case(line: &str) -> (String, Vec<usize>, Vec<bool>) {
    let (mut text, mut gold, mut punct) = (String::new(), Vec::new(), Vec::new());
    let mut joiner = " ";
    for (k, field) in line.split('\t').enumerate() {
        if k > 0 {
            text.push_str(joiner);
            gold.push(text.len());
            punct.push(joiner != "\n");
        }
        let (sentence, next) = if let Some(s) = field.strip_suffix("\\n") {
            (s, "\n")
        } else if let Some(s) = field.strip_suffix("\\g") {
            (s, "")
        } else {
            (field, " ")
        };
        joiner = next;
        text.push_str(sentence);
    }
    (text, gold, punct)
}

/// Scores the splitter on a table (see the module docs); `#` lines and blank lines are
/// skipped.
pub fn score_table(data: &str) -> SentenceScores {
    let mut scores = SentenceScores { source: "table", ..SentenceScores::default() };
    for line in data.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let (text, gold, punct) = table_case(line);
        scores.add(&text, &gold, &punct);
    }
    scores
}

/// Scores the splitter on a table file.
pub fn evaluate_table(path: &Path) -> std::io::Result<SentenceScores> {
    Ok(score_table(&std::fs::read_to_string(path)?))
}

/// Tokens that take no space before them (punctuation, clitics, closing brackets).
fn attaches_left(tok: &str) -> bool {
    matches!(
        tok,
        "," | "."
            | ";"
            | ":"
            | "!"
            | "?"
            | ")"
            | "]"
            | "}"
            | "%"
            | "''"
            | "'s"
            | "'S"
            | "n't"
            | "'re"
            | "'ve"
            | "'ll"
            | "'d"
            | "'m"
            | "..."
            | "'"
    )
}

/// Tokens that take no space after them (opening brackets, currency).
fn attaches_right(tok: &str) -> bool {
    matches!(tok, "(" | "[" | "{" | "$" | "``")
}

/// Joins tokens into text the way it was written: no space before `, . ; : ) '' 's n't`
/// and the like, none after `( $ ```; a straight `"` opens and closes in turn. Returns the
/// text and the byte offset of each token.
pub fn detokenize(tokens: &[&str]) -> (String, Vec<usize>) {
    let mut text = String::new();
    let mut starts = Vec::with_capacity(tokens.len());
    let (mut glue_next, mut quote_open) = (true, false);
    for &tok in tokens {
        let glue = match tok {
            "\"" => {
                quote_open = !quote_open;
                // Closing: glued to what precedes; opening: glues what follows.
                !quote_open
            }
            t => attaches_left(t),
        };
        if !text.is_empty() && !glue && !glue_next {
            text.push(' ');
        }
        starts.push(text.len());
        text.push_str(tok);
        glue_next = attaches_right(tok) || (tok == "\"" && quote_open);
    }
    (text, starts)
}

/// A CoNLL document rebuilt as text: the text, its gold sentence starts (after the first)
/// and, for each, whether the sentence before ended with a terminator.
pub type ConllDoc = (String, Vec<usize>, Vec<bool>);

/// The documents of a CoNLL-2003 file (first column = token).
pub fn conll_documents(data: &str) -> Vec<ConllDoc> {
    let mut docs = Vec::new();
    let mut sentences: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut flush_doc = |sentences: &mut Vec<Vec<&str>>| {
        if sentences.is_empty() {
            return;
        }
        let tokens: Vec<&str> = sentences.iter().flatten().copied().collect();
        let (text, starts) = detokenize(&tokens);
        let (mut gold, mut punct, mut at) = (Vec::new(), Vec::new(), 0);
        for (k, s) in sentences.iter().enumerate() {
            if k > 0 {
                gold.push(starts[at]);
                let prev = &sentences[k - 1];
                punct.push(
                    prev.last().is_some_and(|t| ends_with_terminator(t))
                        || prev.len() > 1
                            && matches!(prev[prev.len() - 1], "\"" | "''" | ")")
                            && ends_with_terminator(prev[prev.len() - 2]),
                );
            }
            at += s.len();
        }
        docs.push((text, gold, punct));
        sentences.clear();
    };
    for line in data.lines() {
        let tok = line.split(' ').next().unwrap_or("");
        if tok == "-DOCSTART-" {
            if !current.is_empty() {
                sentences.push(std::mem::take(&mut current));
            }
            flush_doc(&mut sentences);
        } else if tok.is_empty() {
            if !current.is_empty() {
                sentences.push(std::mem::take(&mut current));
            }
        } else {
            current.push(tok);
        }
    }
    if !current.is_empty() {
        sentences.push(current);
    }
    flush_doc(&mut sentences);
    docs
}

/// Scores the splitter on the documents of CoNLL-2003 data.
pub fn score_conll(data: &str) -> SentenceScores {
    let mut scores = SentenceScores { source: "conll", ..SentenceScores::default() };
    for (text, gold, punct) in conll_documents(data) {
        scores.add(&text, &gold, &punct);
    }
    scores
}

/// Scores the splitter on a CoNLL-2003 file.
pub fn evaluate_conll(path: &Path) -> std::io::Result<SentenceScores> {
    Ok(score_conll(&std::fs::read_to_string(path)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_cases_are_built() {
        let (text, gold, punct) = table_case("Headline\\n\tHe left.\tShe stayed.\\g\t又。");
        assert_eq!(text, "Headline\nHe left. She stayed.又。");
        assert_eq!(gold, vec![9, 18, 29]);
        assert_eq!(punct, vec![false, true, true]);
    }

    #[test]
    fn table_scores_count_boundaries() {
        let data = "# comment\nHe left.\tShe stayed.\nMr.\tSmith left.\n\nOne sentence only.\n";
        let s = score_table(data);
        let b = s.boundaries;
        assert_eq!((s.texts, b.gold, b.predicted, b.correct, s.exact), (3, 2, 1, 1, 2));
        assert_eq!(s.failures.len(), 1);
        assert!((b.f1() - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn detokenize_table() {
        let cases: &[(&[&str], &str)] = &[
            (&["He", "said", ",", "\"", "no", "\"", "."], "He said, \"no\"."),
            (&["It", "is", "n't", "John", "'s", "(", "yes", ")", "."], "It isn't John's (yes)."),
            (&["Up", "5", "%", "to", "$", "3", "..."], "Up 5% to $3..."),
            (&["``", "Go", ".", "''", "He", "left"], "``Go.'' He left"),
        ];
        for (toks, want) in cases {
            let (text, starts) = detokenize(toks);
            assert_eq!(text, *want);
            for (t, s) in toks.iter().zip(starts) {
                assert_eq!(&text[s..s + t.len()], *t);
            }
        }
    }

    #[test]
    fn conll_documents_are_rebuilt() {
        let data = "-DOCSTART- -X- O O\n\nSOCCER NN O O\n- : O O\nRESULTS NNS O O\n\nLONDON NNP O I-LOC\n\nHe PRP O O\nwon VBD O O\n. . O O\n\nIt PRP O O\nrained VBD O O\n. . O O\n\n-DOCSTART- -X- O O\n\nOne CD O O\n. . O O\n";
        let docs = conll_documents(data);
        assert_eq!(docs.len(), 2);
        let (text, gold, punct) = &docs[0];
        assert_eq!(text, "SOCCER - RESULTS LONDON He won. It rained.");
        assert_eq!(gold, &vec![17, 24, 32]);
        assert_eq!(punct, &vec![false, false, true]);
        let s = score_conll(data);
        assert_eq!((s.boundaries.gold, s.boundaries.correct, s.after_punct), (3, 1, (1, 1)));
    }

    /// The splitter on the bundled table: a floor under the measured scores, so a change
    /// that breaks hard cases fails here (`chorus eval sentences` prints the failures).
    #[test]
    fn bundled_table_scores() {
        let s = score_table(BUNDLED_TABLE);
        assert!(s.texts >= 200, "{} cases", s.texts);
        assert!(s.boundaries.f1() >= 0.97, "{s}");
        assert!(s.exact_accuracy() >= 0.95, "{s}");
    }
}
