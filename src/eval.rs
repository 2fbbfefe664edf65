//! `chorus eval` and `chorus train`: run the engine's scorers on labelled data and print
//! the scores; train the models the engine ships.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use chorus_engine::analyze::entity::{self, Model};
use chorus_engine::eval;
use chorus_engine::synthesize::compare::{self as same_fact, Embed, Statement};

use crate::cli::{EvalCommand, TrainCommand};

/// Runs one evaluation and prints its scores.
pub fn eval(what: EvalCommand) -> Result<ExitCode> {
    if let Some((path, flag)) = eval_data(&what) {
        findable(path, flag)?;
    }
    let started = Instant::now();
    match what {
        EvalCommand::Ner { gold, model } => {
            let loaded;
            let model = match model {
                Some(p) => {
                    let bytes = std::fs::read(&p)
                        .with_context(|| format!("cannot read {}", p.display()))?;
                    loaded = Model::load(&bytes)
                        .with_context(|| format!("{}: not a chorus NER model", p.display()))?;
                    &loaded
                }
                None => entity::shipped_model(),
            };
            let scores = eval::ner::evaluate(model, &gold)
                .with_context(|| format!("cannot read {}", gold.display()))?;
            crate::outln!("{scores}")?;
        }
        EvalCommand::Cluster { gold, shuffles, archive } => {
            if archive {
                return crate::archive::eval_cluster(&gold).map(|()| ExitCode::SUCCESS);
            }
            let ctx = || format!("cannot read {}", gold.display());
            let scores = eval::cluster::evaluate(&gold).with_context(ctx)?;
            crate::outln!("input order\n{scores}")?;
            if shuffles > 0 {
                let seeds: Vec<u64> = (1..=shuffles).collect();
                let runs = eval::cluster::evaluate_shuffled(&gold, &seeds).with_context(ctx)?;
                let f1: Vec<f64> = runs.iter().map(|r| r.b3_f1).collect();
                let mean = f1.iter().sum::<f64>() / f1.len() as f64;
                let (lo, hi) =
                    f1.iter().fold((f64::MAX, f64::MIN), |(l, h), &x| (l.min(x), h.max(x)));
                crate::outln!("{shuffles} shuffled orders: BCubed F1 mean {mean:.3} (min {lo:.3}, max {hi:.3})")?;
            }
        }
        EvalCommand::Compare { gold, folds, model_dir, no_embeddings } => {
            let encoder = encoder(model_dir.as_deref(), no_embeddings);
            let ctx = || format!("cannot read {}", gold.display());
            let scores = eval::compare::evaluate(&gold, folds).with_context(ctx)?;
            crate::outln!("{scores}")?;
            if let Some(enc) = encoder.as_deref() {
                let scores =
                    eval::compare::evaluate_with(&gold, folds, Some(enc)).with_context(ctx)?;
                crate::outln!("{scores}")?;
            }
        }
        EvalCommand::Quotes { gold } => {
            let scores = eval::quotes::evaluate(&gold)
                .with_context(|| format!("cannot read {}", gold.display()))?;
            crate::outln!("{scores}")?;
        }
        EvalCommand::Extract { dir } => {
            let scores = eval::extract::evaluate(&dir)
                .with_context(|| format!("cannot score {}", dir.display()))?;
            crate::outln!("{scores}")?;
        }
        EvalCommand::Repair { gold } => {
            let scores = eval::repair::ftfy_cases(&gold)
                .with_context(|| format!("cannot read {}", gold.display()))?;
            crate::outln!("{scores}")?;
        }
        EvalCommand::Sentences { file, conll } => {
            let scores = match (conll, file) {
                (Some(path), _) => eval::sentences::evaluate_conll(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?,
                (None, Some(path)) => eval::sentences::evaluate_table(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?,
                (None, None) => eval::sentences::score_table(eval::sentences::BUNDLED_TABLE),
            };
            crate::outln!("{scores}")?;
        }
        EvalCommand::Time { gold } => {
            let scores = eval::time::evaluate(&gold)
                .with_context(|| format!("cannot read {}", gold.display()))?;
            crate::outln!("{scores}")?;
        }
    }
    eprintln!("({:.1} s)", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

/// Trains one model and writes it.
pub fn train(what: TrainCommand) -> Result<ExitCode> {
    match &what {
        TrainCommand::Ner { data, .. } | TrainCommand::Compare { data, .. } => {
            findable(data, "--data")?
        }
    }
    match what {
        TrainCommand::Ner { data, out, epochs } => {
            let started = Instant::now();
            let model = entity::train(&data, epochs)
                .with_context(|| format!("cannot read {}", data.display()))?;
            model.save(&out).with_context(|| format!("cannot write {}", out.display()))?;
            eprintln!(
                "trained {} features in {:.1} s → {}",
                model.features(),
                started.elapsed().as_secs_f64(),
                out.display()
            );
        }
        TrainCommand::Compare { data, out, model_dir, no_embeddings } => {
            let started = Instant::now();
            let encoder = encoder(model_dir.as_deref(), no_embeddings);
            let w = same_fact::train_weights(&data, encoder.as_deref())
                .with_context(|| format!("cannot read {}", data.display()))?;
            let name = if encoder.is_some() { "model-embed.txt" } else { "model.txt" };
            let out = out.unwrap_or_else(|| PathBuf::from("crates/engine/data/compare").join(name));
            std::fs::write(&out, w.to_text())
                .with_context(|| format!("cannot write {}", out.display()))?;
            eprintln!(
                "trained {} trees, threshold {} in {:.1} s → {}",
                w.trees.len(),
                w.threshold,
                started.elapsed().as_secs_f64(),
                out.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The labelled data an evaluation reads and the flag that names it (none for the bundled
/// sentence table).
fn eval_data(what: &EvalCommand) -> Option<(&Path, &'static str)> {
    match what {
        EvalCommand::Ner { gold, .. }
        | EvalCommand::Cluster { gold, .. }
        | EvalCommand::Compare { gold, .. }
        | EvalCommand::Quotes { gold }
        | EvalCommand::Repair { gold }
        | EvalCommand::Time { gold } => Some((gold, "--gold")),
        EvalCommand::Extract { dir } => Some((dir, "--dir")),
        EvalCommand::Sentences { conll: Some(path), .. } => Some((path, "--conll")),
        EvalCommand::Sentences { file, .. } => file.as_deref().map(|f| (f, "the FILE argument")),
    }
}

/// Fails, before any work, when the data file or folder `path` does not exist: the defaults
/// are relative (`../shared/data/…` beside the repository, `crates/engine/tests/fixtures/…`
/// in it), so from another directory the error says where it looked and how to name the
/// data instead.
fn findable(path: &Path, flag: &str) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    if path.is_absolute() {
        anyhow::bail!("cannot find {}", path.display());
    }
    let cwd = std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default();
    anyhow::bail!(
        "cannot find {} (looked from {cwd}): run from the repository's root, with ../shared \
         beside it, or name the data with {flag}",
        path.display()
    )
}

/// The sentence encoder of the same-fact test: MiniLM when chorus is built with the
/// `embeddings` feature and its files are found (see `compare::model_dir`); else `None`,
/// after one info line on stderr saying why (silent when `off` or nothing was asked of a
/// build without the feature).
#[cfg(feature = "embeddings")]
fn encoder(model_dir: Option<&Path>, off: bool) -> Option<Box<dyn Embed>> {
    if off {
        return None;
    }
    let loaded = same_fact::model_dir(model_dir).and_then(|dir| {
        let m = same_fact::MiniLm::load(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok((m, dir))
    });
    match loaded {
        Ok((m, dir)) => {
            eprintln!("chorus: same-fact test with MiniLM embeddings ({})", dir.display());
            Some(Box::new(m))
        }
        Err(e) => {
            eprintln!("chorus: {e}; same-fact test without embeddings");
            None
        }
    }
}

/// The sentence encoder of the same-fact test: none in a build without the `embeddings`
/// feature (one info line on stderr when a model directory was given).
#[cfg(not(feature = "embeddings"))]
fn encoder(model_dir: Option<&Path>, off: bool) -> Option<Box<dyn Embed>> {
    let asked = model_dir.is_some()
        || std::env::var_os(same_fact::embedding::MODEL_DIR_ENV).is_some_and(|d| !d.is_empty());
    if asked && !off {
        eprintln!(
            "chorus: built without the `embeddings` feature (cargo build --features embeddings); \
             same-fact test without embeddings"
        );
    }
    None
}

/// `chorus compare`: reads JSONL pairs `{"a": …, "b": …}` from stdin and writes one
/// `{"same_fact": bool, "score": f}` line per pair (scored with the embeddings-aware model
/// when the MiniLM encoder is available, see [`encoder`]). A bad line gets `{"error": …}` and the
/// rest goes on; the exit code is then 3 (partial success).
pub fn compare(model_dir: Option<&Path>, no_embeddings: bool) -> Result<ExitCode> {
    use std::io::{BufRead, Write};
    let encoder = encoder(model_dir, no_embeddings);
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut bad = 0usize;
    for (n, line) in stdin.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let pair: std::result::Result<Pair, _> = serde_json::from_str(&line);
        match pair {
            Ok(p) => {
                let (mut a, mut b) = (Statement::new(&p.a), Statement::new(&p.b));
                if let Some(enc) = encoder.as_deref() {
                    let mut embs =
                        enc.embed(&[&p.a, &p.b]).map_err(anyhow::Error::msg)?.into_iter();
                    if let (Some(x), Some(y)) = (embs.next(), embs.next()) {
                        (a, b) = (a.with_embedding(x), b.with_embedding(y));
                    }
                }
                let (same, score) = same_fact::same_fact_statements(&a, &b);
                serde_json::to_writer(
                    &mut out,
                    &serde_json::json!({"same_fact": same, "score": score}),
                )?;
            }
            Err(e) => {
                bad += 1;
                eprintln!("chorus: stdin:{}: bad pair: {e}", n + 1);
                serde_json::to_writer(&mut out, &serde_json::json!({"error": e.to_string()}))?;
            }
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(if bad == 0 { ExitCode::SUCCESS } else { ExitCode::from(3) })
}

#[derive(serde::Deserialize)]
struct Pair {
    a: String,
    b: String,
}
