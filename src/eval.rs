//! `chorus eval` and `chorus train`: run the engine's scorers on labelled data and print
//! the scores; train the models the engine ships.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use chorus_engine::analyze::entity::{self, Model};
use chorus_engine::eval;

use crate::cli::{EvalCommand, TrainCommand};

/// Runs one evaluation and prints its scores.
pub fn eval(what: EvalCommand) -> Result<ExitCode> {
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
        EvalCommand::Compare { gold, folds } => {
            let scores = eval::compare::evaluate(&gold, folds)
                .with_context(|| format!("cannot read {}", gold.display()))?;
            crate::outln!("{scores}")?;
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
    }
    Ok(ExitCode::SUCCESS)
}

/// `chorus compare`: reads JSONL pairs `{"a": …, "b": …}` from stdin and writes one
/// `{"same_fact": bool, "score": f}` line per pair. A bad line gets `{"error": …}` and the
/// rest goes on; the exit code is then 3 (partial success).
pub fn compare() -> Result<ExitCode> {
    use std::io::{BufRead, Write};
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
                let (same, score) = chorus_engine::synthesize::compare::same_fact(&p.a, &p.b);
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
