//! What derivation reads of an article, and a compact owned copy of it.
//!
//! Derivation needs far less than a whole batch keeps: the repaired text (sentences are
//! aligned on it and evidence is quoted from it), the sentence spans, the direct-quote
//! spans (quoted words are not own wording), the MinHash signature, the language and the
//! date. [`Source`] borrows those from a batch; [`Record`] owns them, so a streaming run
//! can drop each chunk's raw text, offset maps, mentions, times and term counts as soon
//! as the chunk is clustered and still derive origins per story at the end.

use chrono::NaiveDate;

use crate::record::{Analyzed, Article, Repaired, Sentence, Span};

/// The parts of one article derivation reads, borrowed.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    /// The repaired text (every span below points into it).
    pub text: &'a str,
    /// Publication date, when known (the earlier article is the origin).
    pub date: Option<NaiveDate>,
    /// ISO 639-1 language code or "und" (different languages may be a translation).
    pub language: &'a str,
    /// MinHash signature (empty: computed from `text` when needed).
    pub signature: &'a [u64],
    /// Sentences of `text`.
    pub sentences: &'a [Sentence],
    /// Contents of direct quotes found by the analyzer.
    pub quotes: Vec<Span>,
}

impl<'a> Source<'a> {
    /// The source view of an analyzed article.
    pub fn of(article: &'a Article, repaired: &'a Repaired, analyzed: &'a Analyzed) -> Source<'a> {
        Source {
            text: &repaired.text,
            date: article.date,
            language: &analyzed.language,
            signature: &analyzed.signature,
            sentences: &analyzed.sentences,
            quotes: direct_quotes(analyzed),
        }
    }
}

/// The spans of the analyzer's direct-quote contents.
pub fn direct_quotes(analyzed: &Analyzed) -> Vec<Span> {
    analyzed.quotes.iter().filter(|q| q.direct).map(|q| q.content).collect()
}

/// An owned, compact copy of what derivation reads of one article.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// The repaired text.
    pub text: String,
    /// Publication date, when known.
    pub date: Option<NaiveDate>,
    /// Language code.
    pub language: String,
    /// MinHash signature.
    pub signature: Vec<u64>,
    /// Sentences of `text`.
    pub sentences: Vec<Sentence>,
    /// Contents of direct quotes.
    pub quotes: Vec<Span>,
}

impl Record {
    /// The record of an analyzed article (copies only what derivation reads).
    pub fn of(article: &Article, repaired: &Repaired, analyzed: &Analyzed) -> Record {
        let mut text = repaired.text.clone();
        text.shrink_to_fit();
        Record {
            text,
            date: article.date,
            language: analyzed.language.clone(),
            signature: analyzed.signature.clone(),
            sentences: analyzed.sentences.clone(),
            quotes: direct_quotes(analyzed),
        }
    }

    /// The record as a [`Source`] view.
    pub fn source(&self) -> Source<'_> {
        Source {
            text: &self.text,
            date: self.date,
            language: &self.language,
            signature: &self.signature,
            sentences: &self.sentences,
            quotes: self.quotes.clone(),
        }
    }

    /// Approximate heap bytes the record holds (for memory accounting).
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.language.capacity()
            + self.signature.capacity() * 8
            + self.sentences.capacity() * std::mem::size_of::<Sentence>()
            + self.quotes.capacity() * std::mem::size_of::<Span>()
    }
}
