//! Evaluation of compare. (stub)
