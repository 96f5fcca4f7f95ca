//! `vouch run`: the nightly / CI entry point. Checks the contracts (they load, compile and
//! their examples validate), then runs the Gherkin suite against the target and writes the
//! reports (`reports/<timestamp>/`: report.json, junit.xml, cucumber.json, summary.md,
//! report.html), each API's vendor evidence beside its conformance (`--evidence`). A vendor
//! payload a contract rejects without a listed reason fails the run, like a bad example.

use super::Outcome;
use super::run_flags::RunFlags;
use anyhow::Context;
use std::sync::Arc;
use vouch::contract::{ContractSet, lint};
use vouch::runner;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    pub flags: RunFlags,
    /// Where the report directories go: each run writes `<DIR>/<timestamp>/`.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub reports: std::path::PathBuf,
    /// After the features, fuzz every operation of the selected APIs against the same target
    /// and put the results in the report.
    #[arg(long)]
    pub fuzz: bool,
    /// Fuzz cases per operation and kind (with `--fuzz`).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub fuzz_cases: u32,
    /// Makes the fuzz run deterministic (with `--fuzz`).
    #[arg(long, env = "VOUCH_FUZZ_SEED")]
    pub fuzz_seed: Option<u64>,
}

/// The run's unconfirmed findings (violations of our choices, `x-vouch-choice`), each with its
/// scenario, reason and NOTES anchor: listed, failing nothing unless `--strict`. For CI
/// (`--output ci`) one line, how many per choice (its NOTES anchor), as the reports list each.
fn print_unconfirmed(report: &vouch::report::Report, output: runner::Output) {
    if output == runner::Output::Ci {
        let mut choices: std::collections::BTreeMap<String, usize> = Default::default();
        for s in &report.scenarios {
            for finding in vouch::report::unconfirmed(s) {
                let anchor = finding
                    .split_once("NOTES.md#")
                    .map(|(_, rest)| rest.split([')', ' ']).next().unwrap_or(rest))
                    .unwrap_or("unknown choice");
                *choices.entry(anchor.to_string()).or_default() += 1;
            }
        }
        if !choices.is_empty() {
            let total: usize = choices.values().sum();
            let each: Vec<String> = choices
                .iter()
                .map(|(c, n)| format!("NOTES.md#{c}: {n}"))
                .collect();
            println!(
                "unconfirmed findings (our choices; they fail only with --strict): {total} ({}); the reports list each",
                each.join(", ")
            );
        }
        return;
    }
    print_each_unconfirmed(report);
}

/// Each unconfirmed finding on a line of its own (`--output pretty`).
fn print_each_unconfirmed(report: &vouch::report::Report) {
    let found: Vec<String> = report
        .scenarios
        .iter()
        .flat_map(|s| {
            vouch::report::unconfirmed(s)
                .into_iter()
                .map(move |l| format!("  {}:{} {l}", s.path, s.line))
        })
        .collect();
    if !found.is_empty() {
        println!(
            "unconfirmed findings (our choices; they fail only with --strict): {}",
            found.len()
        );
        for line in found {
            println!("{line}");
        }
    }
}

/// The run's first step: every contract's examples against its schemas, a line per API and
/// each failure; the number of failures.
fn lint_contracts(contracts: &ContractSet) -> usize {
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
    lint_failures
}

/// The directory `--contracts` (or `VOUCH_CONTRACTS`) loaded the contracts from; `None` for
/// the contracts built into vouch. A rerun of a failure needs it.
fn given_contracts(contracts: &ContractSet) -> Option<std::path::PathBuf> {
    contracts
        .iter()
        .find(|c| !c.origin.starts_with("embedded:"))
        .and_then(|c| {
            std::path::Path::new(&c.origin)
                .parent()
                .map(|d| d.to_path_buf())
        })
}

pub(crate) fn run(contracts: ContractSet, args: &Args) -> anyhow::Result<Outcome> {
    let options = &args.flags.options();
    let lint_failures = lint_contracts(&contracts);
    println!(
        "vouch run: features in {} against the {} target",
        runner::describe_features(options),
        options.target.as_str()
    );
    let contracts = Arc::new(contracts);
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let (mut summary, fuzz) = runtime.block_on(async {
        let targets = runner::targets(options, &contracts).await?;
        let target = targets.first().cloned();
        let summary = runner::run_on(options, contracts.clone(), targets).await?;
        let fuzz = if args.fuzz {
            println!(
                "vouch run: fuzzing ({} cases per operation and kind)",
                args.fuzz_cases
            );
            let fuzz_options = vouch::fuzz::FuzzOptions {
                apis: options.apis.clone(),
                cases: args.fuzz_cases,
                seed: args.fuzz_seed,
                regressions: Some("tests/fuzz-regressions".into()),
                strict: options.strict,
                ..Default::default()
            };
            match target {
                Some(target) => {
                    Some(vouch::fuzz::fuzz(contracts.clone(), target, fuzz_options, None).await?)
                }
                None => None,
            }
        } else {
            None
        };
        Ok::<_, vouch::Error>((summary, fuzz))
    })?;
    let mut fuzz_failed = false;
    if let Some(fuzz) = &fuzz {
        for f in &fuzz.failures {
            println!(
                "fuzz FAILED {} {} {}: {}\n  {}",
                f.api,
                f.operation,
                f.check.name(),
                f.detail,
                f.curl
            );
        }
        println!("fuzz: {} cases, {} failed", fuzz.cases, fuzz.failures.len());
        fuzz_failed = fuzz.failed();
        summary.report.fuzz = Some(vouch::report::FuzzRun::from(fuzz));
    }
    if options.output == runner::Output::Pretty {
        for s in &summary.skipped {
            println!("skipped: {s}");
        }
    } else {
        // For CI, the reasons with their counts: what to set, not a line per scenario.
        for (reason, n) in &summary.skip_reasons {
            println!("skipped: {n} scenario(s): {reason}");
        }
    }
    for e in &summary.errors {
        println!("error: {e}");
    }
    if lint_failures > 0 {
        println!("error: {lint_failures} contract example(s) do not match their schemas");
    }
    // Vendor-published payloads the contracts reject without a listed reason are a contract
    // defect, like an example that breaks its schema.
    let strict = args.flags.strict;
    let evidence_failed = summary.evidence.as_ref().is_some_and(|check| {
        for api in &check.apis {
            let s = api.summary();
            println!(
                "vendor evidence: {} {}/{} accepted, {} rejected only as expected{}, {} rejected",
                api.api,
                s.accepted,
                s.total,
                s.expected_failures,
                vouch::evidence::unconfirmed(&s),
                s.rejected
            );
        }
        let passed = check.passed_strict(strict);
        if !passed {
            println!(
                "error: vendor evidence: {} payload(s) rejected unexpectedly, {} only by our choices (--strict), {} stale expected failure(s) (`vouch evidence` lists them)",
                check.total().rejected,
                check.total().unconfirmed,
                check.stale.len()
            );
        }
        !passed
    });
    print_unconfirmed(&summary.report, options.output);
    // The failures grouped, the failed scenarios' `path:line` and the counts.
    let rerun = runner::Rerun::new(options, given_contracts(&contracts).as_deref());
    print!(
        "{}",
        runner::closing(&summary.report, summary.skipped.len(), &rerun)
    );
    let dir = vouch::report::write_report(&args.reports, &summary.report)
        .with_context(|| format!("writing the reports under {}", args.reports.display()))?;
    println!("reports: {}", dir.display());
    Ok(
        if summary.succeeded() && lint_failures == 0 && !fuzz_failed && !evidence_failed {
            Outcome::Passed
        } else {
            Outcome::Failed
        },
    )
}
