//! `chorus compare`: the JSONL contract, and the same-fact test without embeddings when the
//! MiniLM weights are absent (or the build has no `embeddings` feature): one info line on
//! stderr, the same scores as the lexical engine.

use std::io::Write;
use std::process::{Output, Stdio};

use chorus_engine::synthesize::compare::same_fact;

use crate::chorus;

const PAIRS: [(&str, &str); 3] = [
    (
        "Twelve people were killed in the blast on Monday.",
        "12 people were killed on Monday in a blast.",
    ),
    ("The bridge reopened.", "The bridge did not reopen."),
    ("Police arrested three men.", "The central bank raised interest rates."),
];

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = chorus()
        .arg("compare")
        .args(args)
        .env_remove("CHORUS_MODEL_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn input() -> String {
    PAIRS.iter().map(|(a, b)| serde_json::json!({"a": a, "b": b}).to_string() + "\n").collect()
}

fn lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn lexical_scores_match_the_engine() {
    let out = run(&["--no-embeddings"], &input());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got = lines(&out);
    assert_eq!(got.len(), PAIRS.len());
    for ((a, b), v) in PAIRS.iter().zip(&got) {
        let (same, score) = same_fact(a, b);
        assert_eq!(v["same_fact"], same, "{a} | {b}");
        assert!((v["score"].as_f64().unwrap() - f64::from(score)).abs() < 1e-6, "{v}");
    }
    assert_eq!(got[0]["same_fact"], true);
    assert_eq!(got[1]["same_fact"], false);
}

#[test]
fn missing_weights_are_said_once_and_change_nothing() {
    let out = run(&["--model-dir", "/nonexistent/chorus-minilm"], &input());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("without embeddings"), "{stderr}");
    assert_eq!(lines(&out), lines(&run(&["--no-embeddings"], &input())));
}

#[test]
fn a_bad_line_is_reported_and_the_rest_scored() {
    let out = run(&["--no-embeddings"], &format!("{{oops\n{}", input()));
    assert_eq!(out.status.code(), Some(3));
    let got = lines(&out);
    assert!(got[0]["error"].is_string());
    assert_eq!(got.len(), PAIRS.len() + 1);
}
