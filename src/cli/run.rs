//! `vouch run`: the nightly / CI entry point. Checks the contracts (they load, compile and
//! their examples validate), then runs the Gherkin suite against the target and writes the
//! reports (`reports/<timestamp>/`: report.json, junit.xml, cucumber.json, summary.md,
//! report.html).

use super::Outcome;
use anyhow::Context;
use std::sync::Arc;
use vouch::contract::{ContractSet, lint};
use vouch::runner::{self, RunOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub options: RunOptions,
    /// Where the report directories go: each run writes `<DIR>/<timestamp>/`.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub reports: std::path::PathBuf,
}

pub fn run(contracts: ContractSet, args: &Args) -> anyhow::Result<Outcome> {
    let options = &args.options;
    println!("vouch run: contracts");
    let mut lint_failures = 0;
    for contract in contracts.iter() {
        let report = lint::lint(contract);
        for failure in &report.failures {
            print!("{failure}");
        }
        println!(
            "  {:<10} {:>3} operations, {:>3} schemas compiled, {:>3} examples valid, {} invalid",
            contract.api,
            contract.operations().len(),
            contract.schemas().compiled(),
            report.checked - report.failures.len(),
            report.failures.len()
        );
        lint_failures += report.failures.len();
    }
    println!(
        "vouch run: features in {} against the {} target",
        options.features.display(),
        options.target.as_str()
    );
    let contracts = Arc::new(contracts);
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let summary = runtime.block_on(async {
        let target = runner::target(options, &contracts).await?;
        runner::run(options, contracts.clone(), target).await
    })?;
    for s in &summary.skipped {
        println!("skipped: {s}");
    }
    for e in &summary.errors {
        println!("error: {e}");
    }
    if lint_failures > 0 {
        println!("error: {lint_failures} contract example(s) do not match their schemas");
    }
    println!(
        "scenarios: {} passed, {} failed",
        summary.passed, summary.failed
    );
    let dir = vouch::report::write_report(&args.reports, &summary.report)
        .with_context(|| format!("writing the reports under {}", args.reports.display()))?;
    println!("reports: {}", dir.display());
    Ok(if summary.succeeded() && lint_failures == 0 {
        Outcome::Passed
    } else {
        Outcome::Failed
    })
}
