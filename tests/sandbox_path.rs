//! The sandbox path is re-runnable: the whole suite, through the `sandbox` target, three times in
//! a row against one `vouch mock serve` that is never reset (a stand-in for a vendor's live
//! sandbox, which keeps everything every run created), with no failure in any run; and the
//! Verified scenarios twice more with a base URL that selects 1-Click v2.
//!
//! The server is the real binary on a free loopback port; the target is configured the way a
//! user configures a sandbox, `VOUCH_<API>_BASE_URL` and `VOUCH_<API>_TOKEN` (and
//! `_SECOND_TOKEN`), here through the settings' environment function rather than the process
//! environment. `@mock-only` scenarios are skipped, as on any sandbox; nothing else may be.
//!
//! It takes minutes, not seconds: the mock rate-limits each Truework token to 30 requests a
//! minute (contracts/NOTES.md § Truework) and the suite sends more than that, so each run waits
//! out the 429s' `Retry-After` like a client of the live sandbox would.

use std::collections::BTreeMap;
use std::sync::Arc;
use vouch::contract::ContractSet;
use vouch::runner::{self, RunOptions};
use vouch::targets::{SandboxSettings, SandboxTarget, Target, TargetKind};

#[path = "support/serve.rs"]
mod serve;
use serve::Serve as Server;

/// How many requests the server's journal holds.
async fn journal_len(server: &Server) -> usize {
    server.admin("/requests").await["requests"]
        .as_array()
        .map_or(0, Vec::len)
}

/// What a user would export to point vouch's sandbox target at this server: each API's base
/// URL under the server (unversioned: `@v2` scenarios are skipped, as for a user whose base URL
/// selects v1), the mock's default credentials (first and second tenant) and a credential per
/// tenant flag.
fn sandbox_environment(server: &Server) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    for api in vouch::mock::all_apis() {
        let upper = api.id().to_ascii_uppercase();
        env.insert(
            format!("VOUCH_{upper}_BASE_URL"),
            format!("{}/{}", server.url, api.id()),
        );
        let credentials = api.default_credentials();
        let mut secrets = credentials.iter().map(|c| c.secret.clone());
        if let Some(default) = secrets.next() {
            env.insert(format!("VOUCH_{upper}_TOKEN"), default);
        }
        if let Some(second) = secrets.next() {
            env.insert(format!("VOUCH_{upper}_SECOND_TOKEN"), second);
        }
        // A tenant with a capability flag (a Verified Semi-Hosted brand) for `@<flag>`
        // scenarios: the first tenant with it.
        for c in &credentials {
            for flag in &c.tenant.flags {
                let var = format!(
                    "VOUCH_{upper}_{}_TOKEN",
                    flag.to_ascii_uppercase().replace('-', "_")
                );
                env.entry(var).or_insert_with(|| c.secret.clone());
            }
        }
    }
    env
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "minutes: it waits out Truework's per-token rate limit three times; .ci/run runs it"]
async fn the_suite_passes_three_times_in_a_row_against_a_sandbox_that_is_never_reset() {
    let mut server = Server::start();
    let env = sandbox_environment(&server);
    let contracts = Arc::new(ContractSet::embedded().unwrap());
    let options = RunOptions {
        target: TargetKind::Sandbox,
        features: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("features"),
        ..RunOptions::default()
    };
    let mut journaled = 0;
    let mut scenarios_per_run = Vec::new();
    for run in 1..=3 {
        let settings =
            SandboxSettings::load(&contracts, None, |name| env.get(name).cloned()).unwrap();
        let target: Arc<dyn Target> = Arc::new(SandboxTarget::new(settings));
        let summary = runner::run(&options, contracts.clone(), target)
            .await
            .unwrap();
        let failures: Vec<String> = summary
            .report
            .scenarios
            .iter()
            .filter(|s| s.status != vouch::report::Status::Passed)
            .map(|s| {
                format!(
                    "{}:{} {}: {}",
                    s.path,
                    s.line,
                    s.scenario,
                    s.failure.as_deref().unwrap_or("failed")
                )
            })
            .collect();
        assert!(
            summary.succeeded(),
            "run {run}: {} failed ({})\n{}\nerrors: {:?}",
            summary.failed,
            server.state(),
            failures.join("\n\n"),
            summary.errors
        );
        let not_mock_only: Vec<&String> = summary
            .skipped
            .iter()
            .filter(|s| !s.contains("@mock-only") && !s.contains(": @v2: "))
            .collect();
        assert!(
            not_mock_only.is_empty(),
            "run {run}: only @mock-only and @v2 scenarios may be skipped: {not_mock_only:#?}"
        );
        for api in vouch::apis::all() {
            assert!(
                summary
                    .report
                    .scenarios
                    .iter()
                    .flat_map(|s| s.exchanges())
                    .any(|e| e.api == api.id),
                "run {run}: no scenario reached {}",
                api.id
            );
        }
        // Every exchange went to this one server, and it kept everything: its journal only
        // grows (a reset would have emptied it).
        journaled += summary.report.totals.exchanges;
        let len = journal_len(&server).await;
        assert!(
            len >= journaled,
            "run {run}: the server journaled {len} requests, the runs sent {journaled}"
        );
        scenarios_per_run.push(summary.passed);
    }
    assert!(scenarios_per_run[0] > 200, "{scenarios_per_run:?}");
    assert!(
        scenarios_per_run.windows(2).all(|w| w[0] == w[1]),
        "every run runs the same scenarios: {scenarios_per_run:?}"
    );
    server.assert_no_violations().await;
}

/// The same for a sandbox user whose Verified base URL ends in `/v2` (their brand uses 1-Click
/// v2, issue #15): twice in a row against one server, Verified only (it has no rate limit, so
/// this takes seconds). The `@v2` scenarios run, the `@v1` ones are skipped with the reason,
/// and the untagged ones (credentials, matching) go to the host's root.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "runs with the sandbox-path test in .ci/run"]
async fn verified_v2_passes_twice_against_a_sandbox_whose_base_url_selects_v2() {
    let mut server = Server::start();
    let mut env = sandbox_environment(&server);
    env.insert(
        "VOUCH_VERIFIED_BASE_URL".into(),
        format!("{}/verified/v2", server.url),
    );
    let contracts = Arc::new(ContractSet::embedded().unwrap());
    let options = RunOptions {
        target: TargetKind::Sandbox,
        features: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("features"),
        apis: vec!["verified".into()],
        ..RunOptions::default()
    };
    for run in 1..=2 {
        let settings =
            SandboxSettings::load(&contracts, None, |name| env.get(name).cloned()).unwrap();
        let target: Arc<dyn Target> = Arc::new(SandboxTarget::new(settings));
        let summary = runner::run(&options, contracts.clone(), target)
            .await
            .unwrap();
        assert!(
            summary.succeeded(),
            "run {run}: {} failed ({}): {:?}",
            summary.failed,
            server.state(),
            summary
                .report
                .scenarios
                .iter()
                .filter_map(|s| s.failure.as_deref().map(|f| format!("{}: {f}", s.scenario)))
                .collect::<Vec<_>>()
        );
        let unexpected: Vec<&String> = summary
            .skipped
            .iter()
            .filter(|s| !s.contains("@mock-only") && !s.contains(": @v1: "))
            .collect();
        assert!(
            unexpected.is_empty(),
            "run {run}: only @mock-only and @v1 scenarios may be skipped: {unexpected:#?}"
        );
        let operations: std::collections::BTreeSet<&str> = summary
            .report
            .scenarios
            .iter()
            .flat_map(|s| s.exchanges())
            .filter_map(|e| e.operation.as_deref())
            .collect();
        for v2 in ["createOneClickV2", "getOneClickV2", "patchOneClickV2"] {
            assert!(
                operations.contains(v2),
                "run {run}: {v2} never ran: {operations:?}"
            );
        }
        let v1: Vec<&str> = summary
            .report
            .scenarios
            .iter()
            // The 401 outline's v1 row may run: the host still serves v1 at its root.
            .filter(|s| {
                s.exchanges().any(|e| {
                    e.operation.as_deref() == Some("createOneClick") && e.status != Some(401)
                })
            })
            .map(|s| s.scenario.as_str())
            .collect();
        assert!(
            v1.is_empty(),
            "run {run}: v1 1-Click flows ran on a /v2 base URL: {v1:#?}"
        );
    }
    server.assert_no_violations().await;
}
