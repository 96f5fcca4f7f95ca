//! `vouch merge DIR... --out DIR`: the reports of a run's shards (`vouch run --shard I/N`) as
//! one report, every format rendered again from the merged `report.json`s. Exit 1 when the
//! merged run failed (as `vouch run` would have), 2 when the shards cannot be merged.

use super::Outcome;
use anyhow::Context;
use std::path::PathBuf;
use vouch::contract::ContractSet;
use vouch::report;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The shards' report directories (or report.json files).
    #[arg(required = true, value_name = "DIR")]
    pub shards: Vec<PathBuf>,
    /// Where the merged report's files go (created if need be). Earlier runs' reports beside
    /// it make the HTML trend.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

pub(crate) fn run(contracts: &ContractSet, args: &Args) -> anyhow::Result<Outcome> {
    let mut shards = Vec::new();
    for path in &args.shards {
        let shard = report::read(path).map_err(anyhow::Error::msg)?;
        shards.push((path.display().to_string(), shard));
    }
    let key = super::run_flags::scrub_key();
    let merged = report::merge(&shards, contracts, key.as_ref().map(|k| k.value.as_str()))?;
    if merged.run.redacted && merged.scrub_fingerprints.is_empty() && shards.len() > 1 {
        // Nothing to do about it now; say so, so the next run can do better.
        eprintln!(
            "vouch merge: note: the shards kept no fingerprints of what they scrubbed (run them \
             with {}), so each is scrubbed only of the values it saw itself",
            report::SCRUB_KEY_VARIABLE
        );
    }
    // Earlier runs beside --out make the trend; the shards themselves are not earlier runs.
    let shard_runs: Vec<&str> = shards.iter().map(|(_, s)| s.run.run_id.as_str()).collect();
    let history: Vec<report::Report> = args
        .out
        .parent()
        .map(report::history)
        .unwrap_or_default()
        .into_iter()
        .filter(|r| !shard_runs.contains(&r.run.run_id.as_str()))
        .collect();
    report::write_report_to(&args.out, &merged, &history)
        .with_context(|| format!("--out {}", args.out.display()))?;
    let t = &merged.totals;
    println!(
        "vouch merge: {} shards, scenarios: {} passed, {} failed, {} skipped",
        shards.len(),
        t.passed,
        t.failed,
        merged.skipped.len()
    );
    println!("reports: {}", args.out.display());
    Ok(if t.failed == 0 && merged.errors.is_empty() {
        Outcome::Passed
    } else {
        Outcome::Failed
    })
}
