//! Fuzzes the feed reader through `ingest::read_bytes` (gzip, charset detection, parsing):
//! no panic, every error names the input on one line.
#![no_main]

use chorus_engine::ingest::{read_bytes, Ingested, InputFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let data = &data[..data.len().min(chorus_fuzz::MAX_INPUT)];
    let mut out = Ingested::default();
    read_bytes("in.feed", "in", data, InputFormat::Feed, &mut out);
    chorus_fuzz::check_ingested(&out, "in.feed");
});
