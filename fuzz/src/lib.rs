//! Shared checks of the fuzz targets: the invariants every target asserts on what the
//! engine returns (ingest results are well-formed, repairs and spans are in bounds and on
//! char boundaries, the offset map stays inside the original text). A violated invariant
//! panics, which libFuzzer reports as a crash with the input that caused it.

use chorus_engine::ingest::{read_bytes, Ingested, InputFormat};
use chorus_engine::record::{Analyzed, Repaired, Span};

/// Most input bytes a target reads: larger inputs only slow the fuzzer down (size limits are
/// exercised by the CLI tests, not here).
pub const MAX_INPUT: usize = 256 * 1024;

/// Reads (at most [`MAX_INPUT`] bytes of) `data` as a file named `origin` of `format`
/// through the ingest entry point, checks the result (see [`check_ingested`]) and returns it.
pub fn ingest_as(data: &[u8], origin: &str, format: InputFormat) -> Ingested {
    let data = &data[..data.len().min(MAX_INPUT)];
    let mut out = Ingested::default();
    read_bytes(origin, "in", data, format, &mut out);
    check_ingested(&out, origin);
    out
}

/// Checks an ingest result: every error renders to one line naming its origin, and every
/// article has an id.
pub fn check_ingested(out: &Ingested, origin: &str) {
    for e in &out.errors {
        let line = e.to_string();
        assert!(line.starts_with(origin), "error does not name its origin: {line}");
        assert!(!line.contains('\n'), "error message spans lines: {line:?}");
    }
    for a in &out.articles {
        assert!(!a.id.is_empty(), "article without id");
    }
}

/// Checks that `span` is a valid, char-aligned byte range of `text`.
pub fn check_span(text: &str, span: Span, what: &str) {
    assert!(span.start <= span.end, "{what}: start {} > end {}", span.start, span.end);
    assert!(span.end <= text.len(), "{what}: end {} past text length {}", span.end, text.len());
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: {span:?} not on char boundaries"
    );
}

/// Checks a repair result against its raw text: every repair's offsets are in bounds, on
/// char boundaries and quote the raw text; the offset map sends every char boundary of the
/// repaired text to a char boundary of the raw text, monotonically.
pub fn check_repaired(raw: &str, rep: &Repaired) {
    for r in &rep.repairs {
        check_span(raw, Span::new(r.start, r.end), "repair");
        assert_eq!(&raw[r.start..r.end], r.original, "repair.original is not raw[start..end]");
    }
    let mut last = 0;
    for p in (0..=rep.text.len()).filter(|&p| rep.text.is_char_boundary(p)) {
        let s = rep.map.to_raw_start(p);
        let e = rep.map.to_raw_end(p);
        check_span(raw, Span::new(s.min(e), s.max(e)), "mapped offset");
        assert!(s >= last, "offset map not monotone at {p}: {s} < {last}");
        last = s;
    }
}

/// Checks every span of an analysis: in bounds of the repaired text, on char boundaries, and
/// mapped into the raw text on char boundaries.
pub fn check_analyzed(raw: &str, rep: &Repaired, an: &Analyzed) {
    let mut spans: Vec<(Span, &str)> = Vec::new();
    spans.extend(an.sentences.iter().map(|s| (s.span, "sentence")));
    spans.extend(an.mentions.iter().map(|m| (m.span, "mention")));
    spans.extend(an.times.iter().map(|t| (t.span, "time")));
    for q in &an.quotes {
        spans.push((q.content, "quote content"));
        spans.extend(q.source.map(|s| (s, "quote source")));
        spans.extend(q.cue.map(|s| (s, "quote cue")));
    }
    for (span, what) in spans {
        check_span(&rep.text, span, what);
        check_span(raw, rep.map.to_raw(span), what);
    }
}
