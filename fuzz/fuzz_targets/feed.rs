//! Fuzzes the feed reader through `ingest::read_bytes` (gzip, charset detection, parsing):
//! no panic, every error names the input on one line.
#![no_main]

use chorus_engine::ingest::InputFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    chorus_fuzz::ingest_as(data, "in.feed", InputFormat::Feed);
});
