//! Evaluation of each judging component against labelled data (the dev sets in
//! `../shared/data/`): each module reads one data format and returns its scores.

pub mod cluster;
pub mod compare;
pub mod extract;
pub mod ner;
pub mod quotes;
pub mod repair;
pub mod sentences;
pub mod time;
