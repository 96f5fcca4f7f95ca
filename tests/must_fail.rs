//! vouch's checks must be able to fail. Every `@must-fail` scenario in `features/` (each named
//! `MUST FAIL - ...`) breaks one assertion or the contract on purpose; this test runs them
//! alone against the embedded mock and passes only if every one of them fails.

use std::sync::Arc;
use vouch::contract::ContractSet;
use vouch::runner::{self, RunOptions};

fn must_fail_scenarios(dir: &std::path::Path) -> usize {
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            count += must_fail_scenarios(&path);
        } else if path.extension().is_some_and(|e| e == "feature") {
            let text = std::fs::read_to_string(&path).unwrap();
            count += text
                .lines()
                .filter(|l| l.trim_start().starts_with("Scenario: MUST FAIL"))
                .count();
        }
    }
    count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_must_fail_scenario_fails() {
    let features = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("features");
    let expected = must_fail_scenarios(&features);
    assert!(
        expected >= 10,
        "the must-fail scenarios are missing ({expected} found)"
    );
    let options = RunOptions {
        features,
        must_fail: true,
        ..RunOptions::default()
    };
    let contracts = Arc::new(ContractSet::embedded().unwrap());
    let target = runner::target(&options, &contracts).await.unwrap();
    let summary = runner::run(&options, contracts, target).await.unwrap();
    assert_eq!(
        summary.passed, 0,
        "a must-fail scenario passed: a check that cannot fail"
    );
    assert_eq!(
        summary.failed, expected,
        "every must-fail scenario ran and failed"
    );
}
