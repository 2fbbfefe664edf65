//! Fuzzes charset detection and decoding (`ingest::decode`) and content sniffing
//! (`ingest::read_unknown`, which picks a format from the bytes): no panic, decoding is
//! deterministic, and valid UTF-8 without BOM or binary bytes decodes to itself.
#![no_main]

use chorus_engine::ingest::{decode, read_unknown, Ingested};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let data = &data[..data.len().min(chorus_fuzz::MAX_INPUT)];
    let first = decode::decode(data);
    assert_eq!(first, decode::decode(data), "decoding is not deterministic");
    if let (Ok(text), Ok(utf8)) = (&first, std::str::from_utf8(data)) {
        if !utf8.starts_with('\u{feff}') {
            assert_eq!(text, utf8, "valid UTF-8 was changed by decoding");
        }
    }
    let mut out = Ingested::default();
    read_unknown("in.dat", "in", data, &mut out);
    chorus_fuzz::check_ingested(&out, "in.dat");
});
