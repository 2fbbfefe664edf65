//! `chorus annotate`: one JSON line per article with its sentences, entities, quotes and
//! time expressions, every span as byte offsets into the article's original text.
//!
//! Each quote carries `content_kind` (added to the fields of DESIGN.md): `quotation` (words
//! in quote marks), `clause` (reported speech), `np` (a noun phrase object of a verb of
//! saying, "confirmed the meeting") or `attribution` (a clause that reports another quote:
//! "Peskov confirmed that …, Al Jazeera reported"). The report's quote list shows quotations
//! and clauses only.

use std::io::Write;

use anyhow::Result;
use chorus_engine::pipeline::{Batch, PipelineConfig};
use chorus_engine::record::{Article, Span};
use chorus_engine::synthesize::canon;
use serde_json::{json, Value};

/// Analyzes `articles` and writes one JSON object per line to `out`.
pub fn write_jsonl(
    articles: Vec<Article>,
    config: &PipelineConfig,
    out: &mut impl Write,
) -> Result<()> {
    let batch = Batch::build(articles, config);
    for i in 0..batch.len() {
        serde_json::to_writer(&mut *out, &annotation(&batch, i))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn annotation(batch: &Batch, i: usize) -> Value {
    let (a, r, an) = (&batch.articles[i], &batch.repaired[i], &batch.analyzed[i]);
    // Canonical names within the article: "Peskov" → "Dmitry Peskov" when it says so.
    let entities = canon::canonicalize(batch, &[i]);
    let canonical =
        |text: &str| entities.resolve(text).map_or_else(|| text.to_string(), |e| e.name.clone());
    let raw = |s: Span| r.map.to_raw(s);
    let span = |s: Span| {
        let o = raw(s);
        json!({ "start": o.start, "end": o.end })
    };
    let text_span = |s: Span| {
        let o = raw(s);
        json!({ "start": o.start, "end": o.end, "text": s.slice(&r.text) })
    };
    json!({
        "id": a.id,
        "language": an.language,
        "sentences": an.sentences.iter().map(|s| span(s.span)).collect::<Vec<_>>(),
        "entities": an.mentions.iter().map(|m| {
            let o = raw(m.span);
            json!({ "start": o.start, "end": o.end, "kind": m.kind.as_str(), "text": m.text, "canonical": canonical(&m.text) })
        }).collect::<Vec<_>>(),
        "quotes": an.quotes.iter().map(|q| json!({
            "speaker": q.source.map(text_span),
            "speaker_name": q.speaker,
            "cue": q.cue.map(span),
            "content": text_span(q.content),
            "direct": q.direct,
            "content_kind": q.content_kind.as_str(),
        })).collect::<Vec<_>>(),
        "times": an.times.iter().map(|t| {
            let o = raw(t.span);
            json!({ "start": o.start, "end": o.end, "text": t.text, "type": t.kind, "value": t.value })
        }).collect::<Vec<_>>(),
        "repairs": r.repairs,
    })
}
