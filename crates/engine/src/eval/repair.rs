//! Evaluation of repair. (stub)
