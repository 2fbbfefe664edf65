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
            println!("{scores}");
        }
        EvalCommand::Time { gold } => {
            let scores = eval::time::evaluate(&gold)
                .with_context(|| format!("cannot read {}", gold.display()))?;
            println!("{scores}");
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
