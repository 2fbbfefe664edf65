//! Fuzzes the repair stage: on any UTF-8 text, repair is idempotent
//! (`repair(repair(x).text).text == repair(x).text`), every repair's offsets are in bounds
//! of the raw text and on char boundaries, and the offset map sends every repaired offset
//! into the raw text. (Valid UTF-8 out is guaranteed by `String`; the map check also
//! slices the raw text at every mapped offset.)
#![no_main]

use chorus_engine::repair;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let data = &data[..data.len().min(chorus_fuzz::MAX_INPUT / 4)];
    let raw = String::from_utf8_lossy(data);
    let once = repair::repair(&raw);
    chorus_fuzz::check_repaired(&raw, &once);
    let twice = repair::repair(&once.text);
    assert_eq!(twice.text, once.text, "repair is not idempotent");
});
