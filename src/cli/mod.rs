//! Argument parsing and dispatch. Each command lives in its own module.

mod contracts;
mod run;
mod validate;

use anyhow::Context;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use vouch::contract::ContractSet;

#[derive(Debug, Parser)]
#[command(
    name = "vouch",
    version,
    about = "Contract and conformance harness for identity-verification APIs"
)]
pub struct Cli {
    /// Load contracts from this directory instead of the ones built into vouch.
    #[arg(long, global = true, env = "VOUCH_CONTRACTS", value_name = "DIR")]
    contracts: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List every API, operation and documented status (or lint the contracts).
    Contracts {
        #[command(subcommand)]
        action: Option<ContractsAction>,
    },
    /// Validate a JSON payload from a file against an operation's request or response schema.
    Validate(validate::Args),
    /// Run vouch's conformance checks (today: load and lint every contract).
    Run,
}

#[derive(Debug, Subcommand)]
enum ContractsAction {
    /// Validate every example in the contracts against its own schema.
    Lint,
}

/// How a command that ran ended.
pub enum Outcome {
    Passed,
    Failed,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Passed => ExitCode::SUCCESS,
            Outcome::Failed => ExitCode::from(1),
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let contracts = load(cli.contracts.as_deref())?;
    match cli.command {
        Command::Contracts { action: None } => contracts::list(&contracts),
        Command::Contracts {
            action: Some(ContractsAction::Lint),
        } => contracts::lint(&contracts),
        Command::Validate(args) => validate::run(&contracts, &args),
        Command::Run => run::run(&contracts),
    }
}

fn load(dir: Option<&std::path::Path>) -> anyhow::Result<ContractSet> {
    match dir {
        Some(dir) => {
            ContractSet::load_dir(dir).with_context(|| format!("--contracts {}", dir.display()))
        }
        None => Ok(ContractSet::embedded()?),
    }
}
