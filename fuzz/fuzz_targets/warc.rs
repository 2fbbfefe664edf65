//! Fuzzes the streaming WARC reader (`ingest::warc::read`, plain and per-record gzip):
//! no panic, no endless loop, every error names the input.
#![no_main]

use chorus_engine::ingest::{warc, Ingested};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let data = &data[..data.len().min(chorus_fuzz::MAX_INPUT)];
    let mut out = Ingested::default();
    warc::read("in.warc", data, &mut out);
    chorus_fuzz::check_ingested(&out, "in.warc");
});
