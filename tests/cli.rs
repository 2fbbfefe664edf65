//! CLI tests: the binary as a user runs it.

mod cli {
    pub mod archive;
    pub mod bad_input;
    pub mod compare;
    #[cfg(feature = "embeddings")]
    pub mod embeddings;
    pub mod pg;
}

use std::path::{Path, PathBuf};
use std::process::Command;

fn chorus() -> Command {
    Command::new(env!("CARGO_BIN_EXE_chorus"))
}

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/corpus")
}

#[test]
fn run_json_on_the_corpus() {
    let out = chorus().args(["run", "--format", "json", "-q"]).arg(corpus()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["articles"].as_array().unwrap().len(), 18);
    assert!(!v["stories"].as_array().unwrap().is_empty());
}

#[test]
fn run_stories_only_on_the_corpus_in_every_format() {
    let run = |args: &[&str]| {
        let out = chorus().args(["run", "-q"]).args(args).arg(corpus()).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let full: serde_json::Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    let light: serde_json::Value =
        serde_json::from_str(&run(&["--format", "json", "--stories-only"])).unwrap();
    assert_eq!(light["stories_only"], true);
    assert!(full.get("stories_only").is_none());
    let stories = |v: &serde_json::Value, field: &str| -> Vec<serde_json::Value> {
        v["stories"].as_array().unwrap().iter().map(|s| s[field].clone()).collect()
    };
    for field in ["id", "articles", "origin_groups", "derivations"] {
        assert_eq!(stories(&light, field), stories(&full, field), "{field}");
    }
    for field in ["quotes", "facts", "conflicts", "timeline", "summary"] {
        assert!(stories(&light, field).iter().all(|x| x.as_array().is_some_and(Vec::is_empty)));
    }
    for format in ["md", "html"] {
        let text = run(&["--format", format, "--stories-only"]);
        assert_eq!(text.matches("Stories-only triage run").count(), 1, "{format}");
    }
}

#[test]
fn a_broken_file_is_named_and_the_rest_processed() {
    let dir = std::env::temp_dir().join(format!("chorus-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("good.txt"), "The council voted on Monday to close the bridge.")
        .unwrap();
    std::fs::write(dir.join("bad.txt"), [0u8, 1, 2, 3, 0, 0, 255, 0]).unwrap();
    std::fs::write(dir.join("lines.jsonl"), "{\"id\":\"x\",\"text\":\"Fine.\"}\n{oops\n").unwrap();
    let out = chorus().args(["run", "--format", "json", "-q"]).arg(&dir).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "partial success: {stderr}");
    assert!(stderr.contains("bad.txt"), "{stderr}");
    assert!(stderr.contains("lines.jsonl:2"), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["articles"].as_array().unwrap().len(), 2);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn nothing_readable_is_an_error() {
    let out = chorus().args(["run", "/nonexistent/chorus-input.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/chorus-input.txt"));
}

#[test]
fn repair_reads_stdin() {
    use std::io::Write;
    let mut child = chorus()
        .args(["repair", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all("A plain sentence.".as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "A plain sentence.");
}

#[test]
fn annotate_gives_spans_into_the_original_text() {
    let dir = std::env::temp_dir().join(format!("chorus-annotate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text =
        "Advertisement\nHarbour Commissioner Ilse Marrow said on Monday that the port would \
                reopen. “We are ready,” Marrow said.";
    std::fs::write(dir.join("one.txt"), text).unwrap();
    let out = chorus()
        .args(["annotate", "--date", "2026-03-04"])
        .arg(dir.join("one.txt"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["id"], "one");
    let slice = |o: &serde_json::Value| {
        let (s, e) = (o["start"].as_u64().unwrap() as usize, o["end"].as_u64().unwrap() as usize);
        text[s..e].to_string()
    };
    for e in v["entities"].as_array().unwrap() {
        assert_eq!(slice(e), e["text"].as_str().unwrap());
    }
    let marrow: Vec<&str> = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["text"] == "Marrow")
        .map(|e| e["canonical"].as_str().unwrap())
        .collect();
    assert!(marrow.iter().all(|c| c.contains("Ilse Marrow")), "{marrow:?}");
    let monday = &v["times"].as_array().unwrap()[0];
    assert_eq!(slice(monday), "Monday");
    assert_eq!(monday["value"], "2026-03-02");
    let q =
        &v["quotes"].as_array().unwrap().iter().find(|q| q["direct"] == true).unwrap()["content"];
    assert_eq!(slice(q), "We are ready");
    assert!(v["repairs"].as_array().unwrap().iter().any(|r| r["kind"] == "boilerplate"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_closed_stdout_is_not_a_panic() {
    use std::io::Read;
    let mut child = chorus()
        .args(["run", "--format", "json", "-q"]) // ~150 KB: more than a pipe holds
        .arg(corpus())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 8];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // stdout is dropped here: the rest of the report meets a closed pipe.
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

/// The bench runs each size in its own child process and prints one row per size (and a line
/// of CPU time per stage and story sizes, and one of the stories-only run's) and the cost-per-article ratio of the largest size over the smallest.
#[test]
fn bench_prints_a_scale_curve() {
    let out =
        chorus().args(["bench", "--sizes", "17,34", "--input"]).arg(corpus()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 8, "{stdout}");
    assert!(lines[0].contains("peak MiB"), "{stdout}");
    for (rows, n) in lines[1..7].chunks(3).zip(["17", "34"]) {
        assert_eq!(rows[0].split_whitespace().next(), Some(n), "{stdout}");
        let peak: f64 = rows[0].split_whitespace().last().unwrap().parse().unwrap();
        assert!(peak > 0.0, "{stdout}");
        assert!(rows[1].starts_with("  CPU µs/art: analyze"), "{stdout}");
        assert!(rows[2].starts_with("  stories-only CPU µs/art: analyze"), "{stdout}");
        assert!(rows[2].contains("less CPU"), "{stdout}");
    }
    assert!(lines[7].starts_with("cost per article 34 / 17 (CPU): analyze"), "{stdout}");
}

/// A seed corpus that cannot be read is one error naming it, before any table is printed
/// (run elsewhere than the repository, the default `examples/corpus` is missing).
#[test]
fn bench_without_a_seed_corpus_says_which_and_prints_nothing() {
    // The system's temporary directory holds no `examples/corpus`.
    let out = chorus()
        .current_dir(std::env::temp_dir())
        .args(["bench", "--sizes", "17"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("examples/corpus") && err.contains("--input"), "{err}");
}

/// `chorus eval` and `chorus train` from outside the repository: the default data
/// (relative paths) is not there, and the error says where it looked and which flag names
/// the data, before any work.
#[test]
fn eval_and_train_outside_the_repository_name_the_flag() {
    for (args, flag) in [
        (&["eval", "ner"][..], "--gold"),
        (&["eval", "compare"], "--gold"),
        (&["eval", "extract"], "--dir"),
        (&["eval", "sentences", "--conll"], "--conll"),
        (&["train", "ner"], "--data"),
    ] {
        let out = chorus().current_dir(std::env::temp_dir()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&out.stdout));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("cannot find") && err.contains(flag), "{args:?}: {err}");
        assert!(err.contains("run from the repository's root"), "{args:?}: {err}");
    }
}

/// `chorus eval sentences FILE` scores a table of cases, and `--conll FILE` a CoNLL file.
#[test]
fn eval_sentences_scores_a_table_and_conll() {
    let dir = std::env::temp_dir().join(format!("chorus-eval-sentences-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let table = dir.join("cases.tsv");
    std::fs::write(&table, "# two cases\nMr. Smith left.\tHe was tired.\nOne sentence.\n").unwrap();
    let out = chorus().args(["eval", "sentences"]).arg(&table).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("boundary P 1.000 R 1.000 F1 1.000"), "{stdout}");
    assert!(stdout.contains("exact splits 2/2"), "{stdout}");
    let conll = dir.join("mini.conll");
    std::fs::write(&conll, "-DOCSTART- -X- O O\n\nHe PRP O O\nwon VBD O O\n. . O O\n\nIt PRP O O\nrained VBD O O\n. . O O\n").unwrap();
    let out = chorus().args(["eval", "sentences", "--conll"]).arg(&conll).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("sentences (conll): boundary P 1.000 R 1.000"), "{stdout}");
    let missing = chorus().args(["eval", "sentences"]).arg(dir.join("missing.tsv")).output();
    assert!(!missing.unwrap().status.success());
    std::fs::remove_dir_all(&dir).ok();
}

/// `n` copies of the corpus's first article, one outlet each, written to `dir/copies.jsonl`.
fn copies(dir: &Path, n: usize) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let first = std::fs::read_to_string(corpus().join("articles.jsonl")).unwrap();
    let mut article: serde_json::Value =
        serde_json::from_str(first.lines().next().unwrap()).unwrap();
    let mut copies = String::new();
    for k in 0..n {
        article["id"] = format!("c{k:03}").into();
        article["source"] = format!("Outlet {k}").into();
        copies.push_str(&format!("{article}\n"));
    }
    let input = dir.join("copies.jsonl");
    std::fs::write(&input, copies).unwrap();
    input
}

/// `chorus run --format FORMAT -q EXTRA... INPUT`'s stdout (the run must succeed).
fn run_format(input: &Path, format: &str, extra: &[&str]) -> String {
    let out =
        chorus().args(["run", "--format", format, "-q"]).args(extra).arg(input).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn html_lists_the_first_members_unless_asked_for_all() {
    let dir = std::env::temp_dir().join(format!("chorus-html-all-{}", std::process::id()));
    let input = copies(&dir, 130);
    let html = |extra: &[&str]| run_format(&input, "html", extra);
    let compact = html(&[]);
    assert!(compact.contains("1–100 of 130"), "the first page of members");
    assert!(compact.contains("…and 30 more articles, not listed here"));
    assert!(!compact.contains("Outlet 129 ·"));
    let all = html(&["--html-all"]);
    assert!(all.contains("1–130 of 130") && all.contains("Outlet 129 ·"));
    assert!(!all.contains("not listed here"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn markdown_lists_the_first_members_unless_asked_for_all() {
    let dir = std::env::temp_dir().join(format!("chorus-md-all-{}", std::process::id()));
    let input = copies(&dir, 130);
    let compact = run_format(&input, "md", &[]);
    assert!(compact.contains("\n- … and 30 more articles\n"), "{compact}");
    assert!(compact.contains("c099 (Outlet 99)") && !compact.contains("c100 (Outlet 100)"));
    for flag in ["--html-all", "--all"] {
        let all = run_format(&input, "md", &[flag]);
        assert!(all.contains("- c129 (Outlet 129) — ") && !all.contains("… and"), "{flag}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
