//! The Gherkin suite (`features/`) against a target: the embedded mock by default,
//! `VOUCH_TARGET=url VOUCH_MOCK_URL=...` for a running `vouch mock serve`, or
//! `VOUCH_TARGET=sandbox` for the vendors' sandboxes. Flags after `--` are `vouch run`'s:
//! `cargo test --test conformance -- --tags @peach`, `-- --name "read it back"`,
//! `-- --features features/harness/tenancy.feature`.

mod support;
// The same flags as `vouch run`, from the binary's own definition.
#[path = "../src/cli/run_flags.rs"]
mod run_flags;

use clap::Parser;
use std::process::ExitCode;
use std::sync::Arc;
use vouch::contract::ContractSet;
use vouch::runner::{self, RunOptions};

#[derive(Parser)]
#[command(ignore_errors = true)]
struct Args {
    #[command(flatten)]
    run: run_flags::RunFlags,
}

/// Pins every response of the run (`snapshots/`, insta): bodies against the mock, shapes
/// against a sandbox. A drift fails the run until reviewed (`cargo insta review`). Runs only
/// for a whole, passing suite, so a partial run cannot delete or rewrite snapshots.
fn check_snapshots(options: &RunOptions, report: &vouch::report::Report) -> bool {
    let sandbox = options.target == vouch::targets::TargetKind::Sandbox;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(if sandbox {
        "snapshots/sandbox"
    } else {
        "snapshots"
    });
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    for (pattern, replacement) in support::snapshot::filters() {
        settings.add_filter(pattern, replacement);
    }
    if !report.run.run_id.is_empty() {
        settings.add_filter(&regex::escape(&report.run.run_id), "[run-id]");
    }
    let mut drifted = Vec::new();
    settings.bind(|| {
        for (name, value) in support::snapshot::by_feature(report, sandbox) {
            let pinned =
                std::panic::catch_unwind(|| insta::assert_json_snapshot!(name.clone(), value));
            if pinned.is_err() {
                drifted.push(name);
            }
        }
    });
    if !drifted.is_empty() {
        println!(
            "snapshots: {} drifted (review with `cargo insta review`): {}",
            drifted.len(),
            drifted.join(", ")
        );
    }
    drifted.is_empty()
}

fn main() -> ExitCode {
    let mut options = Args::parse().run.options();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if options.features.is_relative() {
        options.features = root.join(&options.features);
    }
    if options.config.is_relative() {
        options.config = root.join(&options.config);
    }
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let summary = runtime.block_on(async {
        let contracts = Arc::new(ContractSet::embedded()?);
        // One mock per job (default: one per CPU), as `vouch run` does.
        let targets = runner::targets(&options, &contracts).await?;
        runner::run_on(&options, contracts, targets).await
    });
    match summary {
        Err(e) => {
            eprintln!("conformance: {e}");
            ExitCode::FAILURE
        }
        Ok(summary) => {
            for s in &summary.skipped {
                println!("skipped: {s}");
            }
            for e in &summary.errors {
                println!("error: {e}");
            }
            println!(
                "conformance: {} passed, {} failed",
                summary.passed, summary.failed
            );
            let whole = options.tags.is_none() && options.name.is_none() && options.apis.is_empty();
            let snapshots_ok =
                !(summary.succeeded() && whole) || check_snapshots(&options, &summary.report);
            if summary.succeeded() && snapshots_ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
