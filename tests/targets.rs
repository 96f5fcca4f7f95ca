//! The same suite through the `url` target (a mock running elsewhere), and the sandbox
//! target's skipping rules, without leaving this machine.

use std::sync::Arc;
use vouch::contract::ContractSet;
use vouch::mock::MockServer;
use vouch::runner::{self, RunOptions};
use vouch::targets::{SandboxSettings, SandboxTarget, Target, TargetKind, UrlTarget, Which};

fn features() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("features")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_harness_suite_passes_through_the_url_target() {
    let server = MockServer::start().await.unwrap();
    let contracts = Arc::new(ContractSet::embedded().unwrap());
    let target: Arc<dyn Target> = Arc::new(UrlTarget::new(&server.url()).unwrap());
    let options = RunOptions {
        target: TargetKind::Url,
        features: features().join("harness"),
        ..RunOptions::default()
    };
    let summary = runner::run(&options, contracts, target).await.unwrap();
    assert!(summary.succeeded(), "{summary:?}");
    assert!(summary.passed >= 30, "{summary:?}");
    assert!(summary.skipped.is_empty(), "{summary:?}");
    assert!(
        server.violations().is_empty(),
        "the mock broke its contracts: {:?}",
        server.violations()
    );
}

#[test]
fn the_sandbox_target_names_the_variable_to_set() {
    let contracts = ContractSet::embedded().unwrap();
    let settings = SandboxSettings::load(&contracts, None, |name| {
        (name == "VOUCH_TRUEWORK_TOKEN").then(|| "t".to_string())
    })
    .unwrap();
    let sandbox = SandboxTarget::new(settings);
    assert_eq!(sandbox.kind(), TargetKind::Sandbox);
    assert!(sandbox.admin_url().is_none());
    assert_eq!(
        sandbox.base_url("truework").unwrap(),
        "https://api.truework-sandbox.com"
    );
    assert_eq!(
        sandbox.credential("truework", Which::Default).unwrap().hint,
        "$VOUCH_TRUEWORK_TOKEN"
    );
    let why = sandbox
        .credential("peach", Which::Default)
        .unwrap_err()
        .to_string();
    assert!(why.contains("VOUCH_PEACH_TOKEN"), "{why}");
    let why = sandbox
        .credential("truework", Which::Second)
        .unwrap_err()
        .to_string();
    assert!(why.contains("VOUCH_TRUEWORK_SECOND_TOKEN"), "{why}");
    // Verified's public sandbox key is documented, so Verified always has a credential.
    assert!(sandbox.credential("verified", Which::Default).is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_sandbox_without_credentials_scenarios_are_skipped_with_the_reason() {
    let contracts = Arc::new(ContractSet::embedded().unwrap());
    let settings = SandboxSettings::load(&contracts, None, |_| None).unwrap();
    let target: Arc<dyn Target> = Arc::new(SandboxTarget::new(settings));
    let options = RunOptions {
        target: TargetKind::Sandbox,
        features: features().join("harness"),
        ..RunOptions::default()
    };
    let summary = runner::run(&options, contracts, target).await.unwrap();
    // every harness scenario is Peach-only or @mock-only: none may reach the network
    assert_eq!((summary.passed, summary.failed), (0, 0), "{summary:?}");
    assert!(
        summary.skipped.iter().any(|s| s.contains("@mock-only")),
        "{summary:?}"
    );
    assert!(
        summary
            .skipped
            .iter()
            .any(|s| s.contains("set VOUCH_PEACH_TOKEN")),
        "{summary:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_with_retry_after_is_retried_a_bounded_number_of_times() {
    use vouch::exchange::SentRequest;
    use vouch::targets::HttpClient;
    let server = MockServer::start().await.unwrap();
    let fault = |times: u32| {
        let url = format!("{}/__admin/faults", server.url());
        let body = format!(
            r#"{{"api": "peach", "operationId": "getVerificationQuestions", "status": 429, "times": {times}}}"#
        );
        async move {
            reqwest::Client::new()
                .post(url)
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let request = SentRequest {
        method: http::Method::GET,
        url: format!("{}/verification-questions", server.base_url("peach")),
        headers: vec![("authorization".into(), "Bearer vouch-test-token".into())],
        body: Vec::new(),
    };
    assert_eq!(fault(1).await, 201);
    let patient = HttpClient::new(2).with_retries_on_429(1);
    let answer = patient.send(&request).await.unwrap();
    assert_eq!(answer.status, 200, "retried after Retry-After");
    assert!(answer.elapsed >= std::time::Duration::from_secs(1));
    assert_eq!(fault(2).await, 201);
    let answer = patient.send(&request).await.unwrap();
    assert_eq!(answer.status, 429, "gives up after one retry");
    let answer = HttpClient::new(2).send(&request).await.unwrap();
    assert_eq!(
        answer.status, 200,
        "the second injected 429 was consumed by the retry"
    );
}
