//! Fuzzes gzip handling: whole-file `gunzip`, the member-by-member reader with resync that
//! `.warc.gz` uses, and the ingest path for a `.txt.gz` file: no panic, no endless loop,
//! and `gunzip` agrees with the member reader when both succeed.
#![no_main]

use std::io::Read;

use chorus_engine::ingest::gzip::{self, Members, Peek};
use chorus_engine::ingest::InputFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let data = &data[..data.len().min(chorus_fuzz::MAX_INPUT)];
    let whole = gzip::gunzip(data);
    let mut members = Members::new(Peek::new(data));
    let mut streamed = Vec::new();
    let mut ok = true;
    // Bounded: each resync must move forward, so the loop ends within `data.len()` rounds.
    for _ in 0..=data.len() {
        match (&mut members).take(1 << 24).read_to_end(&mut streamed) {
            Ok(_) => break,
            Err(_) => {
                ok = false;
                if !members.resync() {
                    break;
                }
            }
        }
    }
    if let (Ok(w), true) = (&whole, ok) {
        assert_eq!(w, &streamed, "gunzip and the member reader disagree");
    }
    chorus_fuzz::ingest_as(data, "in.txt.gz", InputFormat::Text);
});
