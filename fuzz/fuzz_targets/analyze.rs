//! Fuzzes the per-article analysis (repair, then sentences, entities, quotes, time
//! expressions, language, signature): no panic, and every span is in bounds of the repaired
//! text, on char boundaries, and maps into the raw text on char boundaries.
#![no_main]

use chorus_engine::record::Article;
use chorus_engine::{analyze, repair};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let data = &data[..data.len().min(chorus_fuzz::MAX_INPUT / 4)];
    let raw = String::from_utf8_lossy(data).into_owned();
    let mut article = Article::new("in", raw.clone());
    article.date = chrono::NaiveDate::from_ymd_opt(2024, 3, 5);
    let rep = repair::repair(&raw);
    let an = analyze::analyze(&article, &rep);
    chorus_fuzz::check_analyzed(&raw, &rep, &an);
});
