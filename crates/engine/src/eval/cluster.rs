//! Evaluation of cluster. (stub)
