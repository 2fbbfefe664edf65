//! Evaluation of time. (stub)
