//! The Gherkin suite (`features/`) against a target: the embedded mock by default,
//! `VOUCH_TARGET=url VOUCH_MOCK_URL=...` for a running `vouch mock serve`, or
//! `VOUCH_TARGET=sandbox` for the vendors' sandboxes. Flags after `--` are `vouch run`'s:
//! `cargo test --test conformance -- --tags @peach`, `-- --name "read it back"`,
//! `-- --features features/harness/tenancy.feature`.

use clap::Parser;
use std::process::ExitCode;
use std::sync::Arc;
use vouch::contract::ContractSet;
use vouch::runner::{self, RunOptions};

#[derive(Parser)]
#[command(ignore_errors = true)]
struct Args {
    #[command(flatten)]
    run: RunOptions,
}

fn main() -> ExitCode {
    let mut options = Args::parse().run;
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
        let target = runner::target(&options, &contracts).await?;
        runner::run(&options, contracts, target).await
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
            if summary.succeeded() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
