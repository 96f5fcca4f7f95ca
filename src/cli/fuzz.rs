//! `vouch fuzz`: property fuzzing of every operation against a target.

use super::Outcome;
use super::contracts::table;
use anyhow::Context;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use vouch::contract::ContractSet;
use vouch::fuzz::{Check, FuzzOptions, FuzzReport};
use vouch::runner::RunOptions;
use vouch::targets::TargetKind;

#[derive(Debug, clap::Args)]
pub(crate) struct FuzzArgs {
    /// Only these APIs (repeatable).
    #[arg(long = "api")]
    apis: Vec<String>,
    /// Only these operations, by operationId (repeatable).
    #[arg(long = "operation")]
    operations: Vec<String>,
    /// Cases per operation for each kind (positive, negative, unauthenticated, probe, link
    /// sequence).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    cases: u32,
    /// Checks to apply (default: all), comma-separated.
    #[arg(long, value_delimiter = ',', value_enum)]
    checks: Vec<Check>,
    /// Where requests go.
    #[arg(long, env = "VOUCH_TARGET", default_value = "mock")]
    target: TargetKind,
    /// The running mock's root URL, for `--target url`.
    #[arg(long, env = "VOUCH_MOCK_URL")]
    mock_url: Option<String>,
    /// Makes the run deterministic.
    #[arg(long, env = "VOUCH_FUZZ_SEED")]
    seed: Option<u64>,
    /// Where failures are saved (and replayed first next time).
    #[arg(long, default_value = ".vouch/fuzz-failures.json")]
    failures: PathBuf,
}

pub(crate) fn run(contracts: ContractSet, args: &FuzzArgs) -> anyhow::Result<Outcome> {
    for api in &args.apis {
        contracts.get(api).context("--api")?;
    }
    let contracts = Arc::new(contracts);
    let options = FuzzOptions {
        apis: args.apis.clone(),
        operations: args.operations.clone(),
        cases: args.cases,
        checks: if args.checks.is_empty() {
            Check::ALL.to_vec()
        } else {
            args.checks.clone()
        },
        seed: args.seed,
        failures_file: Some(args.failures.clone()),
        regressions: Some(PathBuf::from("tests/fuzz-regressions")),
        parallel: 4,
    };
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let report = runtime.block_on(async {
        let run_options = RunOptions {
            target: args.target,
            mock_url: args.mock_url.clone(),
            ..RunOptions::default()
        };
        let target = vouch::runner::target(&run_options, &contracts).await?;
        let bar = indicatif::ProgressBar::new(0).with_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} cases {per_sec} {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let report = vouch::fuzz::fuzz(contracts.clone(), target, options, Some(bar.clone())).await;
        bar.finish_and_clear();
        report
    })?;
    print!("{}", render(&report));
    Ok(if report.failed() {
        Outcome::Failed
    } else {
        Outcome::Passed
    })
}

/// The run as the terminal shows it: operation × check counts, the links followed, the gaps
/// (work not done), the failures with their curl, and a one-line summary.
fn render(report: &FuzzReport) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let mut per_op: BTreeMap<(String, String), BTreeMap<Check, (u64, u64)>> = BTreeMap::new();
    for ((api, op, check), counts) in &report.tally {
        per_op
            .entry((api.clone(), op.clone()))
            .or_default()
            .insert(*check, *counts);
    }
    let checks: Vec<Check> = Check::ALL
        .iter()
        .copied()
        .filter(|c| report.tally.keys().any(|(_, _, k)| k == c))
        .collect();
    let rows: Vec<[String; 3]> = per_op
        .iter()
        .map(|((api, op), counts)| {
            let cells: Vec<String> = checks
                .iter()
                .filter_map(|c| {
                    counts.get(c).map(|(n, f)| {
                        if *f > 0 {
                            format!("{}:{n}/{f}✗", c.short())
                        } else {
                            format!("{}:{n}", c.short())
                        }
                    })
                })
                .collect();
            [api.clone(), op.clone(), cells.join(" ")]
        })
        .collect();
    out.push_str(&table(
        ["api", "operation", "cases per check (✗ = failures)"],
        &rows,
    ));
    let _ = writeln!(
        out,
        "  checks: {}",
        checks
            .iter()
            .map(|c| format!("{}={}", c.short(), c.name()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !report.links.is_empty() {
        let rows: Vec<[String; 4]> = report
            .links
            .iter()
            .map(|((api, op, link), t)| {
                let skipped: Vec<String> = t
                    .skipped
                    .iter()
                    .map(|(why, n)| format!("{why} ×{n}"))
                    .collect();
                [
                    api.clone(),
                    format!("{op} → {link}"),
                    t.followed.to_string(),
                    skipped.join("; "),
                ]
            })
            .collect();
        out.push_str(&table(
            ["api", "link", "followed", "not followed (why)"],
            &rows,
        ));
    }
    for u in &report.unsupported {
        let _ = writeln!(out, "unsupported schema construct: {u}");
    }
    for g in &report.gaps {
        let _ = writeln!(
            out,
            "GAP {} {} {}: {}",
            g.kind.name(),
            g.api,
            g.operation,
            g.detail
        );
    }
    for f in &report.failures {
        let _ = writeln!(
            out,
            "FAILED {} {} {}: {}\n  case: {}\n  {}",
            f.api,
            f.operation,
            f.check.name(),
            f.detail,
            f.case.label,
            f.curl
        );
        if !f.sequence.is_empty() {
            let steps: Vec<String> = f
                .sequence
                .iter()
                .map(|s| match &s.via {
                    None => s.operation.clone(),
                    Some(via) => format!("{} (link {})", s.operation, via.link),
                })
                .collect();
            let _ = writeln!(out, "  sequence: {}", steps.join(" → "));
        }
    }
    let failed: BTreeSet<_> = report
        .failures
        .iter()
        .map(|f| (&f.api, &f.operation))
        .collect();
    let _ = writeln!(
        out,
        "fuzz: {} cases in {:.1} s ({:.0} cases/s); {} passed, {} failed; {} gap(s)",
        report.cases,
        report.elapsed.as_secs_f64(),
        report.cases as f64 / report.elapsed.as_secs_f64().max(0.001),
        per_op.len().saturating_sub(failed.len()),
        failed.len(),
        report.gaps.len(),
    );
    out
}
