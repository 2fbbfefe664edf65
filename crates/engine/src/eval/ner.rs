//! Evaluation of ner. (stub)
