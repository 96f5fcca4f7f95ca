//! The Gherkin suite (`features/`) against a target: the embedded mock by default,
//! `VOUCH_TARGET=url VOUCH_MOCK_URL=...` for a running `vouch mock serve`, or
//! `VOUCH_TARGET=sandbox` for the vendors' sandboxes. Flags after `--` are `vouch run`'s:
//! `cargo test --test conformance -- --tags @peach`, `-- --name "read it back"`,
//! `-- --features features/harness/tenancy.feature`.
//!
//! An unknown flag is refused with clap's message naming it (exit status 2), and filters that
//! select no scenario fail the run naming the filter. What `cargo test` itself may pass to every
//! test binary is accepted, the libtest way: a positional filter runs the suite only when it
//! is part of the name `conformance` (`cargo test snapshot` skips it, `cargo test conform` runs
//! it), `--list` lists it, `--ignored` runs nothing (the suite is not an ignored test), and
//! `--nocapture`, `--show-output`, `--quiet`, `--exact`, `--include-ignored`,
//! `--test-threads`, `--color`, `--format`, `--skip` and `-Z` are accepted and have no effect
//! (`--skip conformance` skips it).

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
#[command(
    name = "conformance",
    bin_name = "cargo test --test conformance --",
    about = "The Gherkin suite; `vouch run`'s flags"
)]
struct Args {
    #[command(flatten)]
    run: run_flags::RunFlags,
    #[command(flatten)]
    libtest: Libtest,
}

/// What `cargo test -- ...` passes to every test binary, libtest's flags (see the module docs).
#[derive(clap::Args)]
struct Libtest {
    /// libtest: test name filters.
    #[arg(hide = true)]
    filters: Vec<String>,
    #[arg(long, hide = true)]
    list: bool,
    #[arg(long, hide = true)]
    ignored: bool,
    #[arg(long, hide = true)]
    include_ignored: bool,
    #[arg(long, hide = true)]
    exact: bool,
    #[arg(long, hide = true)]
    nocapture: bool,
    #[arg(long, hide = true)]
    show_output: bool,
    #[arg(long, short = 'q', hide = true)]
    quiet: bool,
    #[arg(long, hide = true, value_name = "N")]
    test_threads: Option<String>,
    #[arg(long, hide = true)]
    color: Option<String>,
    #[arg(long, hide = true)]
    format: Option<String>,
    #[arg(long, hide = true)]
    skip: Vec<String>,
    #[arg(short = 'Z', hide = true)]
    unstable: Vec<String>,
}

/// This binary's one test, as libtest would name it.
const TEST_NAME: &str = "conformance";

impl Libtest {
    /// Whether libtest's filters leave the suite to run.
    fn selects_the_suite(&self) -> bool {
        let matches = |f: &String| {
            if self.exact {
                f == TEST_NAME
            } else {
                TEST_NAME.contains(f.as_str())
            }
        };
        !self.ignored
            && (self.filters.is_empty() || self.filters.iter().any(matches))
            && !self.skip.iter().any(|s| TEST_NAME.contains(s.as_str()))
    }
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
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) if !e.use_stderr() => {
            // --help
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // One line naming the flag, like `vouch` itself; `-- --help` has the rest.
            let text = e.to_string();
            eprintln!("conformance: {}", text.lines().next().unwrap_or_default());
            return ExitCode::from(2);
        }
    };
    if args.libtest.list {
        if args.libtest.selects_the_suite() {
            println!("{TEST_NAME}: test");
        }
        return ExitCode::SUCCESS;
    }
    if !args.libtest.selects_the_suite() {
        println!("conformance: filtered out by cargo test's filters; 0 passed, 0 failed");
        return ExitCode::SUCCESS;
    }
    let mut options = args.run.options();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // `builtin:features/...` names the built-in suite, wherever the test runs.
    if options.features.is_relative() && !runner::is_builtin(&options.features) {
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
