//! The fuzzer over every operation of every contract against the embedded mock (a modest
//! budget; `VOUCH_FUZZ_SEED` picks another deterministic run), and proof that its checks fail
//! on a target that breaks the contract.

use std::sync::Arc;
use vouch::contract::ContractSet;
use vouch::fuzz::{Check, FuzzOptions, fuzz};
use vouch::targets::{MockTarget, Target};

fn seed() -> u64 {
    std::env::var("VOUCH_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261121)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_of_every_contract_passes_every_check_on_the_mock() {
    let contracts = Arc::new(ContractSet::embedded().unwrap());
    let mock = Arc::new(MockTarget::start().await.unwrap());
    let regressions =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let options = FuzzOptions {
        cases: 25,
        seed: Some(seed()),
        regressions: Some(regressions),
        ..FuzzOptions::default()
    };
    let report = fuzz(contracts.clone(), mock.clone(), options, None)
        .await
        .unwrap();
    let failures: Vec<String> = report
        .failures
        .iter()
        .map(|f| {
            format!(
                "{} {} {}: {} [{}]\n    {}",
                f.api,
                f.operation,
                f.check.name(),
                f.detail,
                f.case.label,
                f.curl
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "seed {}:\n{}",
        seed(),
        failures.join("\n")
    );
    assert!(report.unsupported.is_empty(), "{:?}", report.unsupported);
    let fuzzed: std::collections::BTreeSet<_> = report
        .tally
        .keys()
        .map(|(a, o, _)| (a.clone(), o.clone()))
        .collect();
    let documented: usize = contracts.iter().map(|c| c.operations().len()).sum();
    assert_eq!(fuzzed.len(), documented, "every operation is fuzzed");
    for check in [
        Check::PositiveDataAcceptance,
        Check::NegativeDataRejection,
        Check::AuthRequired,
        Check::ResponseSchemaConformance,
    ] {
        assert!(
            report
                .tally
                .iter()
                .any(|((_, _, c), (n, _))| *c == check && *n > 0),
            "{} never ran",
            check.name()
        );
    }
    assert!(
        mock.self_check_violations().is_empty(),
        "{:?}",
        mock.self_check_violations()
    );
}

async fn inject(mock: &MockTarget, fault: &str) {
    let url = format!("{}/__admin/faults", mock.server().url());
    let status = reqwest::Client::new()
        .post(url)
        .body(fault.to_string())
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_checks_fail_on_a_target_that_breaks_the_contract() {
    let contracts = Arc::new(ContractSet::embedded().unwrap());
    let mock = Arc::new(MockTarget::start().await.unwrap());
    inject(
        &mock,
        r#"{"api": "peach", "operationId": "getVerificationQuestions", "status": 500}"#,
    )
    .await;
    inject(
        &mock,
        r#"{"api": "peach", "operationId": "listVerificationTypes", "fault": "malformed_body"}"#,
    )
    .await;
    let options = FuzzOptions {
        apis: vec!["peach".into()],
        operations: vec![
            "getVerificationQuestions".into(),
            "listVerificationTypes".into(),
        ],
        cases: 5,
        seed: Some(1),
        ..FuzzOptions::default()
    };
    let report = fuzz(contracts, mock, options, None).await.unwrap();
    let failed = |op: &str, check: Check| {
        report
            .failures
            .iter()
            .any(|f| f.operation == op && f.check == check)
    };
    assert!(
        failed("getVerificationQuestions", Check::NotAServerError),
        "{:#?}",
        report.failures
    );
    assert!(
        failed("listVerificationTypes", Check::ResponseSchemaConformance),
        "{:#?}",
        report.failures
    );
    let f = report
        .failures
        .iter()
        .find(|f| f.operation == "getVerificationQuestions")
        .unwrap();
    assert!(
        f.curl.starts_with("curl -sS -X GET") && !f.curl.contains("vouch-test-token"),
        "{}",
        f.curl
    );
}
