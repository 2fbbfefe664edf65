//! Table tests for quote extraction.

use super::extract;

/// Runs the extractor and renders each quote as `speaker | source | cue | content | d/i`.
fn run(text: &str) -> Vec<String> {
    extract(text, &[], &[])
        .iter()
        .map(|q| {
            format!(
                "{} | {} | {} | {} | {}",
                q.speaker.as_deref().unwrap_or("-"),
                q.source.map_or("-", |s| s.slice(text)),
                q.cue.map_or("-", |s| s.slice(text)),
                q.content.slice(text),
                if q.direct { "d" } else { "i" }
            )
        })
        .collect()
}

#[test]
#[ignore]
fn print_seeds() {
    for f in ["000_addf9cbb5a6bddca", "001_862183701b6f1a2d", "002_7032d55af15028bd", "003_ab3cf04539f509f2", "004_7a51062a2e5abc39"] {
        let t = std::fs::read_to_string(format!("/work/shared/seeds/{f}.txt")).unwrap_or_default();
        println!("=== {f}");
        for l in run(&t) {
            println!("{l}");
        }
    }
}

#[test]
#[ignore]
fn debug_one() {
    let t = std::env::var("QT").unwrap_or_default();
    let segs = super::marks::segments(&t);
    for s in &segs {
        println!("seg {:?} {:?}", s, s.content.slice(&t));
    }
    for u in super::marks::units(&t, &segs) {
        println!("unit {:?}", u.span.slice(&t));
    }
    for l in run(&t) {
        println!("{l}");
    }
}
