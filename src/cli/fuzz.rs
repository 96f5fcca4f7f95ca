//! `vouch fuzz`: property fuzzing of every operation against a target.

use super::Outcome;
use super::contracts::table;
use anyhow::Context;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use vouch::contract::ContractSet;
use vouch::fuzz::{Check, FuzzOptions};
use vouch::report::{FuzzRun, FuzzTally};
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
    /// Fail a check on a violation of our choice (an unconfirmed finding) too.
    #[arg(long, env = "VOUCH_STRICT")]
    strict: bool,
    /// A value the target knows, NAME=VALUE (repeatable): sent in most positive cases where a
    /// parameter or body property is named NAME, like the contract's examples (your sandbox's
    /// partner: `--value partnerUuid=...`).
    #[arg(long = "value", value_name = "NAME=VALUE", value_parser = known_value)]
    values: Vec<(String, String)>,
}

/// A `--value` that is not `NAME=VALUE`.
#[derive(Debug, thiserror::Error)]
#[error("expected NAME=VALUE, got `{0}`")]
struct NotNameValue(String);

/// `--value NAME=VALUE`: the name is what comes before the first `=`.
fn known_value(text: &str) -> Result<(String, String), NotNameValue> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err(NotNameValue(text.to_string())),
    }
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
        strict: args.strict,
        values: args.values.clone(),
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
    print!("{}", render(&FuzzRun::from(&report)));
    Ok(if report.failed() {
        Outcome::Failed
    } else {
        Outcome::Passed
    })
}

/// The run as the terminal shows it, from the report model (`report.json`'s `fuzz`): operation
/// × check counts, the links followed, the gaps (work not done), the failures with their curl,
/// and a one-line summary.
fn render(run: &FuzzRun) -> String {
    let mut out = tally_table(run);
    out.push_str(&positive_table(run));
    out.push_str(&links_table(run));
    out.push_str(&findings(run));
    out.push_str(&summary(run));
    out
}

/// A check's column heading, from its descriptor (the name itself for one this vouch lacks).
fn short(check: &str) -> &str {
    Check::named(check).map_or(check, |c| c.short())
}

/// Cases per operation × check, `✗` marking failures, and the key to the column headings.
fn tally_table(run: &FuzzRun) -> String {
    let mut per_op: BTreeMap<(&str, &str), Vec<&FuzzTally>> = BTreeMap::new();
    for t in &run.tally {
        per_op.entry((&t.api, &t.operation)).or_default().push(t);
    }
    // In evaluation order, as `Check::ALL` lists them.
    let checks: Vec<Check> = Check::ALL
        .iter()
        .copied()
        .filter(|c| run.tally.iter().any(|t| t.check == c.name()))
        .collect();
    let rows: Vec<[String; 3]> = per_op
        .iter()
        .map(|((api, op), counts)| {
            let cells: Vec<String> = checks
                .iter()
                .filter_map(|c| counts.iter().find(|t| t.check == c.name()))
                .map(|t| match t.failures {
                    0 => format!("{}:{}", short(&t.check), t.cases),
                    f => format!("{}:{}/{f}✗", short(&t.check), t.cases),
                })
                .collect();
            [api.to_string(), op.to_string(), cells.join(" ")]
        })
        .collect();
    let mut out = table(
        ["api", "operation", "cases per check (✗ = failures)"],
        &rows,
    );
    let key: Vec<String> = checks
        .iter()
        .map(|c| format!("{}={}", c.short(), c.name()))
        .collect();
    out.push_str(&format!("  checks: {}\n", key.join(", ")));
    out
}

/// Per operation, its positive cases: the share answered 2xx, how many on live ids (ids the
/// run created), and the documented optional values never sent.
fn positive_table(run: &FuzzRun) -> String {
    if run.positive.is_empty() {
        return String::new();
    }
    let rows: Vec<[String; 5]> = run
        .positive
        .iter()
        .map(|p| {
            let share = if p.cases == 0 {
                100.0
            } else {
                p.answered_2xx as f64 * 100.0 / p.cases as f64
            };
            let unsent: Vec<&str> = p
                .values
                .iter()
                .filter(|(_, n)| **n == 0)
                .map(|(v, _)| v.as_str())
                .collect();
            let refused: Vec<String> = p
                .refused
                .iter()
                .map(|(status, n)| format!("{status} ×{n}"))
                .collect();
            [
                p.api.clone(),
                p.operation.clone(),
                // Its own budget, then the steps of chains and sequences through it.
                match p.cases.saturating_sub(p.own) {
                    0 => p.own.to_string(),
                    through => format!("{} + {through} via links", p.own),
                },
                match refused.is_empty() {
                    true => format!("{share:.0} % 2xx"),
                    false => format!("{share:.0} % 2xx ({})", refused.join(", ")),
                },
                match (p.values.len(), unsent.is_empty()) {
                    (0, _) => format!("{} on live ids", p.live_ids),
                    (n, true) => format!("{} on live ids; {n}/{n} values sent", p.live_ids),
                    (n, false) => format!(
                        "{} on live ids; {}/{n} values sent, never: {}",
                        p.live_ids,
                        n - unsent.len(),
                        unsent.join(", ")
                    ),
                },
            ]
        })
        .collect();
    table(
        [
            "api",
            "operation",
            "positive (own + via links)",
            "answered",
            "live ids, optional values",
        ],
        &rows,
    )
}

/// Each link with how often it was followed, and why not otherwise.
fn links_table(run: &FuzzRun) -> String {
    if run.links.is_empty() {
        return String::new();
    }
    let rows: Vec<[String; 4]> = run
        .links
        .iter()
        .map(|l| {
            let skipped: Vec<String> = l
                .skipped
                .iter()
                .map(|(why, n)| format!("{why} ×{n}"))
                .collect();
            [
                l.api.clone(),
                format!("{} → {}", l.operation, l.link),
                l.followed.to_string(),
                skipped.join("; "),
            ]
        })
        .collect();
    table(["api", "link", "followed", "not followed (why)"], &rows)
}

/// Unsupported schema constructs, gaps and failures, one finding a line (a failure with its
/// case, curl and sequence).
fn findings(run: &FuzzRun) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for u in &run.unsupported {
        let _ = writeln!(out, "unsupported schema construct: {u}");
    }
    for u in &run.unconfirmed {
        let _ = writeln!(out, "unconfirmed (fails only with --strict): {u}");
    }
    for g in &run.gaps {
        let _ = writeln!(
            out,
            "GAP {} {} {}: {}",
            g.kind, g.api, g.operation, g.detail
        );
    }
    for f in &run.failures {
        let _ = writeln!(
            out,
            "FAILED {} {} {}: {}\n  case: {}\n  {}",
            f.api, f.operation, f.check, f.detail, f.case.label, f.curl
        );
        if let Some(sequence) = f.sequence_text() {
            let _ = writeln!(out, "  sequence: {sequence}");
        }
    }
    out
}

/// `fuzz: N cases in S s (R cases/s); P passed, F failed; G gap(s)`, operations counted.
fn summary(run: &FuzzRun) -> String {
    let operations: BTreeSet<(&str, &str)> = run
        .tally
        .iter()
        .map(|t| (t.api.as_str(), t.operation.as_str()))
        .collect();
    let failed: BTreeSet<(&str, &str)> = run
        .failures
        .iter()
        .map(|f| (f.api.as_str(), f.operation.as_str()))
        .collect();
    let secs = run.duration_ms as f64 / 1000.0;
    format!(
        "fuzz: {} cases in {secs:.1} s ({:.0} cases/s); {} passed, {} failed; {} gap(s)\n",
        run.cases,
        run.cases as f64 / secs.max(0.001),
        operations.len().saturating_sub(failed.len()),
        failed.len(),
        run.gaps.len(),
    )
}
