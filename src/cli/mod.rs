//! Argument parsing and dispatch. Each command lives in its own module.

mod bench;
mod contracts;
mod diff;
mod evidence;
mod fuzz;
mod merge;
mod mock;
mod proxy;
mod run;
mod run_flags;
mod steps;
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
pub(crate) struct Cli {
    /// Load contracts from this directory instead of the ones built into vouch.
    #[arg(long, global = true, env = "VOUCH_CONTRACTS", value_name = "DIR")]
    contracts: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List every API, operation and documented status, and how much vendor evidence each
    /// contract accepts (or lint the contracts).
    Contracts {
        #[command(subcommand)]
        action: Option<ContractsAction>,
        /// The vendor-evidence corpus to report on (default: tests/vendor-evidence when the
        /// working directory has one).
        #[arg(long, value_name = "DIR", env = "VOUCH_EVIDENCE")]
        evidence: Option<PathBuf>,
    },
    /// Validate every vendor-published payload of the evidence corpus against the contracts:
    /// per API accepted/total and every rejection. Exit 1 on a rejection not listed in
    /// expected-failures.txt, or on a listed one that no longer occurs.
    Evidence(evidence::Args),
    /// Validate a JSON payload from a file against an operation's request or response schema.
    Validate(validate::Args),
    /// Check the contracts, then run the Gherkin suite against a target (default: the
    /// embedded mock).
    Run(run::Args),
    /// Compare two runs' reports: regressions, new failures, fixed, coverage gained and lost,
    /// response shape changes. Exit 1 on a regression or lost coverage.
    Diff(diff::Args),
    /// List every step of the library with its pattern and an example line, the generic
    /// steps and each API's domain steps (`--api A`: only those A's features can use).
    Steps(steps::Args),
    /// Merge the reports of a run's shards (`vouch run --shard I/N`) into one report (every
    /// format). Exit 1 when the merged run failed.
    Merge(merge::Args),
    /// Fuzz every operation from the contracts (positive and negative cases) against a target.
    Fuzz(fuzz::FuzzArgs),
    /// Measure the mock's throughput on this machine.
    Bench(bench::BenchArgs),
    /// A validating proxy: forwards an SDK's traffic to a sandbox or the mock and checks every
    /// exchange against the contracts (see PROXY.md).
    Proxy(proxy::ProxyArgs),
    /// Replay a `vouch proxy --record` directory against a target and report responses whose
    /// status or shape differ.
    Replay(proxy::ReplayArgs),
    /// vouch's stateful mock of every API.
    Mock {
        #[command(subcommand)]
        action: MockAction,
    },
}

#[derive(Debug, Subcommand)]
enum MockAction {
    /// Serve every API's mock on one listener, each under its own prefix (`/<api>/...`).
    Serve(mock::ServeArgs),
}

#[derive(Debug, Subcommand)]
enum ContractsAction {
    /// Validate every example in the contracts against its own schema.
    Lint,
}

/// How a command that ran ended.
pub(crate) enum Outcome {
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

pub(crate) fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let contracts = load(cli.contracts.as_deref())?;
    match cli.command {
        Command::Contracts {
            action: None,
            evidence,
        } => contracts::list(
            &contracts,
            evidence.or_else(evidence::default_dir).as_deref(),
        ),
        Command::Contracts {
            action: Some(ContractsAction::Lint),
            ..
        } => contracts::lint(&contracts),
        Command::Evidence(args) => evidence::run(&contracts, &args),
        Command::Validate(args) => validate::run(&contracts, &args),
        Command::Run(args) => run::run(contracts, &args),
        Command::Mock {
            action: MockAction::Serve(args),
        } => mock::serve(contracts, &args),
        Command::Bench(args) => bench::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Steps(args) => steps::run(&contracts, &args),
        Command::Merge(args) => merge::run(&contracts, &args),
        Command::Fuzz(args) => fuzz::run(contracts, &args),
        Command::Proxy(args) => proxy::proxy(contracts, &args),
        Command::Replay(args) => proxy::replay(contracts, &args),
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
