//! Scaling a run out: scenarios at once (`--jobs`, one mock per job on the embedded mock) and
//! shards (`--shard I/N`, merged with `vouch merge`) give the same results as one scenario at a
//! time in one process.

use std::collections::BTreeMap;
use std::sync::Arc;
use vouch::contract::ContractSet;
use vouch::report::{Report, Status};
use vouch::runner::{self, RunOptions};

fn options() -> RunOptions {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    RunOptions {
        features: root.join("features"),
        config: root.join("vouch.toml"),
        ..RunOptions::default()
    }
}

async fn run(options: &RunOptions) -> Report {
    let contracts = Arc::new(ContractSet::embedded().unwrap());
    let targets = runner::targets(options, &contracts).await.unwrap();
    let summary = runner::run_on(options, contracts, targets).await.unwrap();
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
    summary.report
}

/// Every scenario's id and status, in report order.
fn statuses(report: &Report) -> Vec<(String, Status)> {
    report
        .scenarios
        .iter()
        .map(|s| (s.id(), s.status))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scenarios_at_once_end_as_they_do_one_at_a_time() {
    let one = run(&RunOptions {
        jobs: Some(1),
        ..options()
    })
    .await;
    let four = run(&RunOptions {
        jobs: Some(4),
        ..options()
    })
    .await;
    assert!(one.scenarios.len() > 100, "{}", one.scenarios.len());
    assert_eq!(statuses(&one), statuses(&four));
    // the same exchanges too, scenario by scenario (statuses and paths; bodies carry ids)
    let exchanges = |r: &Report| -> BTreeMap<String, Vec<(Option<u16>, String)>> {
        r.scenarios
            .iter()
            .map(|s| {
                let e = s
                    .exchanges()
                    .map(|e| (e.status, e.method.clone()))
                    .collect();
                (s.id(), e)
            })
            .collect()
    };
    assert_eq!(exchanges(&one), exchanges(&four));
}
