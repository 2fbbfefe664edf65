//! Evaluation of quotes. (stub)
