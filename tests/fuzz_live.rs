//! Issue #22 points 1 and 3 on the embedded mock: positive cases run on ids the same run
//! created (every operation a link leads to), every link is followed, every operation runs at
//! least its share of positive cases, every documented value of an optional parameter is sent,
//! and the positive cases answer 2xx (≥ 80 % per operation, but for the operations listed in
//! `NOT_YET_2XX`, work left of point 3).

use serde_json::{Value, json};
use std::sync::Arc;
use vouch::contract::{Contract, ContractSet};
use vouch::fuzz::{FuzzOptions, FuzzReport, GapKind, fuzz};
use vouch::targets::{MockTarget, SandboxSettings, SandboxTarget, Target};

/// Positive cases per operation in this run (the kinds' budget, `--cases`).
const CASES: u32 = 20;

/// Operations whose positive cases do not yet reach 2xx on the mock, with why. Point 3 of
/// issue #22 is done while this list is empty; an operation goes here only with its reason
/// (generated values the mock does not know, no link from the operation that creates what it
/// reads). The last one, getSharedCredentials, left it once the user's wallet steps became
/// the `x-vouch-outside` of a link to it.
const NOT_YET_2XX: &[(&str, &str)] = &[];

/// Both values of Peach's `dryRun` flag are sent even on a budget of two positive cases (the
/// first cases send each documented value in turn; drawn at random, both would rarely be).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_value_of_an_optional_flag_is_sent_whatever_the_budget() {
    let contracts = Arc::new(ContractSet::embedded().unwrap());
    let mock = Arc::new(MockTarget::start().await.unwrap());
    let options = FuzzOptions {
        apis: vec!["peach".into()],
        operations: vec!["createPersonVerification".into()],
        cases: 2,
        seed: Some(20261206),
        ..FuzzOptions::default()
    };
    let report = fuzz(contracts, mock, options, None).await.unwrap();
    let positive = &report.positive[&("peach".to_string(), "createPersonVerification".to_string())];
    for value in ["dryRun=true", "dryRun=false"] {
        assert!(
            positive.values.get(value).is_some_and(|n| *n > 0),
            "{value} never sent: {:?}",
            positive.values
        );
    }
}

/// Truework's per-token rate limit (30 requests a window on the mock) never refuses a positive
/// case: each runs in a mock namespace of its own, fresh state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_refuses_no_positive_case() {
    let contracts = Arc::new(ContractSet::embedded().unwrap());
    let mock = Arc::new(MockTarget::start().await.unwrap());
    let options = FuzzOptions {
        apis: vec!["truework".into()],
        cases: 60,
        seed: Some(20261206),
        ..FuzzOptions::default()
    };
    let report = fuzz(contracts, mock, options, None).await.unwrap();
    let positive = &report.positive[&(
        "truework".to_string(),
        "createCredentialsSession".to_string(),
    )];
    assert_eq!(positive.refused.get(&429), None, "{positive:?}");
    assert!(positive.answered_2xx > 0, "{positive:?}");
}

/// `--value NAME=VALUE` reaches the wire in place of the contract's examples: a partner
/// uuid the mock does not know (not its seeded partner, the contract's example) turns
/// getPartnerCredentialRequests' positive cases into 404s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_given_replaces_the_examples_on_the_wire() {
    let contracts = Arc::new(ContractSet::embedded().unwrap());
    let mock = Arc::new(MockTarget::start().await.unwrap());
    let key = (
        "verified".to_string(),
        "getPartnerCredentialRequests".to_string(),
    );
    let options = |values: Vec<(String, String)>| FuzzOptions {
        apis: vec!["verified".into()],
        operations: vec![key.1.clone()],
        cases: CASES,
        seed: Some(20261206),
        values,
        ..FuzzOptions::default()
    };
    let report = fuzz(contracts.clone(), mock.clone(), options(Vec::new()), None)
        .await
        .unwrap();
    let documented = &report.positive[&key];
    assert!(documented.share_2xx() >= 80.0, "{documented:?}");
    let unknown = vec![(
        "partnerUuid".to_string(),
        "0d6d4a8e-9f1b-4c2a-8e3d-5b7a6c9f0e12".to_string(),
    )];
    let report = fuzz(contracts, mock, options(unknown), None).await.unwrap();
    let given = &report.positive[&key];
    assert_eq!(given.answered_2xx, 0, "{given:?}");
    assert_eq!(given.refused.get(&404), Some(&given.cases), "{given:?}");
}

/// A `--value` without `=` (or with no name) is one line naming the flag, exit 2; one with
/// them is taken.
#[test]
fn a_bad_value_flag_is_one_line_naming_it() {
    for bad in ["partnerUuid", "=x"] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_vouch"))
            .args(["fuzz", "--cases", "1", "--value", bad])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{bad}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{bad}: {err}");
        assert!(err.contains("--value"), "{bad}: {err}");
        assert!(err.contains("expected NAME=VALUE"), "{bad}: {err}");
    }
    let good = std::process::Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args([
            "fuzz",
            "--api",
            "verified",
            "--operation",
            "getPartnerCredentialRequests",
        ])
        // One check only: with one case per kind, whether a probe applies another check is
        // a draw, and a check that applied to no case is a gap, which fails the run.
        .args(["--cases", "1", "--checks", "positive_data_acceptance"])
        .args(["--failures", "target/fuzz-live-value.json"])
        .args([
            "--value",
            "partnerUuid=a5e1c7d2-3b4f-4e6a-8c9d-0f1e2d3c4b5a",
        ])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&good.stdout);
    assert_eq!(good.status.code(), Some(0), "{out}");
}

/// A link that needs someone outside the API to act (`x-vouch-outside`: Trusona's subject
/// scans the document) is followed on vouch's mock only: through the `sandbox` target (here in
/// front of the mock, which it does not know for one) it is a gap with the mark's reason, and
/// nothing fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outside_step_the_target_cannot_do_is_a_gap_with_its_reason_not_a_failure() {
    let contracts = Arc::new(ContractSet::embedded().unwrap());
    let mock = MockTarget::start().await.unwrap();
    let env = std::collections::HashMap::from([
        (
            "VOUCH_TRUSONA_BASE_URL".to_string(),
            mock.server().base_url("trusona"),
        ),
        (
            "VOUCH_TRUSONA_TOKEN".to_string(),
            vouch::mock::trusona::TEST_TOKEN.to_string(),
        ),
    ]);
    let settings = SandboxSettings::load(&contracts, None, |name| env.get(name).cloned()).unwrap();
    let target: Arc<dyn Target> = Arc::new(SandboxTarget::new(settings));
    let options = FuzzOptions {
        apis: vec!["trusona".into()],
        operations: vec!["getDocument".into(), "getEncryptedDocument".into()],
        cases: 5,
        seed: Some(20261206),
        ..FuzzOptions::default()
    };
    let report = fuzz(contracts, target, options, None).await.unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    // No document is read: the chain stops before it (a random id's 404 aside).
    let read = report
        .positive
        .get(&("trusona".to_string(), "getDocument".to_string()))
        .map_or(0, |p| p.answered_2xx);
    assert_eq!(read, 0);
    let skipped = &report.links[&(
        "trusona".to_string(),
        "createVerification".to_string(),
        "GetScannedDocument".to_string(),
    )];
    assert_eq!(skipped.followed, 0, "{skipped:?}");
    assert!(
        skipped
            .skipped
            .keys()
            .any(|why| why.starts_with("needs the subject to act outside the API")),
        "{skipped:?}"
    );
}

/// Verified's outside steps (the user's code and share in the wallet, which give the
/// `sharedCredentialsUuid`) are done on vouch's mock only: through the `sandbox` target (in
/// front of the mock) the link is a gap with the mark's reason, nothing fails, and no shared
/// credentials are read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wallet_steps_are_a_gap_with_their_reason_on_a_sandbox() {
    let contracts = Arc::new(ContractSet::embedded().unwrap());
    let mock = MockTarget::start().await.unwrap();
    let env = std::collections::HashMap::from([(
        "VOUCH_VERIFIED_BASE_URL".to_string(),
        mock.server().base_url("verified"),
    )]);
    let settings = SandboxSettings::load(&contracts, None, |name| env.get(name).cloned()).unwrap();
    let target: Arc<dyn Target> = Arc::new(SandboxTarget::new(settings));
    let report = fuzz(contracts, target, shared_credentials_options(), None)
        .await
        .unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    let read = &report.positive[&("verified".to_string(), "getSharedCredentials".to_string())];
    assert_eq!(read.answered_2xx, 0, "{read:?}");
    let link = &report.links[&shared_credentials_link()];
    assert_eq!(link.followed, 0, "{link:?}");
    assert!(
        link.skipped.keys().any(
            |why| why.starts_with("needs the user to act outside the API")
                && why.contains("Verified Web Wallet")
        ),
        "{link:?}"
    );
}

/// A run of hasMatchingCredentials and getSharedCredentials only.
fn shared_credentials_options() -> FuzzOptions {
    FuzzOptions {
        apis: vec!["verified".into()],
        operations: vec![
            "hasMatchingCredentials".into(),
            "getSharedCredentials".into(),
        ],
        cases: 10,
        seed: Some(20261206),
        ..FuzzOptions::default()
    }
}

/// The link tally's key of hasMatchingCredentials → getSharedCredentials.
fn shared_credentials_link() -> (String, String, String) {
    (
        "verified".to_string(),
        "hasMatchingCredentials".to_string(),
        "GetSharedCredentialsAfterSharing".to_string(),
    )
}

/// Verified's contract with `edit` applied to the link's `x-vouch-outside` mark (its parent,
/// the link, when the edit renames it), fuzzed on the mock.
async fn shared_credentials_run(mock: Arc<MockTarget>, edit: fn(&mut Value)) -> FuzzReport {
    let shipped = ContractSet::embedded().unwrap();
    let verified = shipped.get("verified").unwrap();
    let mut doc = verified.document().clone();
    let link = doc
        .pointer_mut("/paths/~1hasMatchingCredentials/post/responses/201/links/GetSharedCredentialsAfterSharing")
        .expect("the link is in the contract");
    assert!(link.get("x-vouch-outside").is_some(), "{link}");
    edit(link);
    let edited = Contract::from_value("verified", doc, "edited verified.yaml").unwrap();
    let contracts = Arc::new(ContractSet::new(vec![edited]));
    fuzz(contracts, mock, shared_credentials_options(), None)
        .await
        .unwrap()
}

/// The mark is what makes getSharedCredentials answer 2xx: as shipped its positive cases do;
/// with the mark renamed (the link followed at once, on a drawn uuid), without the code step
/// (the wallet refuses the share), or with a `gives` expression that does not parse (a gap
/// naming the contract, the link and the expression), none does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_its_outside_steps_get_shared_credentials_drops_back() {
    let mock = Arc::new(MockTarget::start().await.unwrap());
    let key = ("verified".to_string(), "getSharedCredentials".to_string());
    let shipped = shared_credentials_run(mock.clone(), |_| {}).await;
    let read = &shipped.positive[&key];
    assert!(read.share_2xx() >= 80.0, "{read:?}");
    assert!(shipped.links[&shared_credentials_link()].followed > 0);
    assert!(shipped.failures.is_empty(), "{:?}", shipped.failures);

    let renamed = shared_credentials_run(mock.clone(), |link| {
        let link = link.as_object_mut().unwrap();
        let mark = link.remove("x-vouch-outside").unwrap();
        link.insert("x-vouch-outsides".into(), mark);
    })
    .await;
    assert_eq!(
        renamed.positive[&key].answered_2xx, 0,
        "{:?}",
        renamed.positive[&key]
    );
    assert!(
        !renamed.failures.is_empty(),
        "a link read at once reads nothing yet"
    );

    let no_code = shared_credentials_run(mock.clone(), |link| {
        let steps = link["x-vouch-outside"]["steps"].as_array_mut().unwrap();
        steps.remove(0);
    })
    .await;
    assert_eq!(
        no_code.positive[&key].answered_2xx, 0,
        "{:?}",
        no_code.positive[&key]
    );
    let skipped = &no_code.links[&shared_credentials_link()];
    assert_eq!(skipped.followed, 0, "{skipped:?}");
    assert!(
        skipped
            .skipped
            .keys()
            .any(|why| why == "the user's step answered 400"),
        "{skipped:?}"
    );

    let broken = shared_credentials_run(mock, |link| {
        link["x-vouch-outside"]["gives"] =
            json!({"sharedCredentialsUuid": "$outside.headers.Location"});
    })
    .await;
    assert_eq!(
        broken.positive[&key].answered_2xx, 0,
        "{:?}",
        broken.positive[&key]
    );
    let gap = broken
        .gaps
        .iter()
        .find(|g| g.kind == GapKind::LinkNotFollowed)
        .expect("a gap for the link");
    assert!(
        gap.detail.contains(
            "verified link GetSharedCredentialsAfterSharing: x-vouch-outside is wrong: gives \
             sharedCredentialsUuid: `$outside.headers.Location` reads neither a header nor the body"
        ),
        "{}",
        gap.detail
    );
}

async fn run() -> (Arc<ContractSet>, FuzzReport) {
    let contracts = Arc::new(ContractSet::embedded().unwrap());
    let mock = Arc::new(MockTarget::start().await.unwrap());
    let options = FuzzOptions {
        cases: CASES,
        seed: Some(20261206),
        ..FuzzOptions::default()
    };
    let report = fuzz(contracts.clone(), mock, options, None).await.unwrap();
    (contracts, report)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn positive_cases_run_on_live_ids_reach_2xx_and_send_every_optional_value() {
    let (contracts, report) = run().await;
    let mut wrong = Vec::new();
    for contract in contracts.iter() {
        for op in contract.operations() {
            let key = (contract.api.clone(), op.id.clone());
            let Some(positive) = report.positive.get(&key) else {
                wrong.push(format!("{}: no positive case", op.id));
                continue;
            };
            // The budget is spread: no operation runs fewer than its share.
            if positive.cases < u64::from(CASES) {
                wrong.push(format!("{}: {} positive cases", op.id, positive.cases));
            }
            // Every documented value of an optional parameter is sent.
            for (value, n) in &positive.values {
                if *n == 0 {
                    wrong.push(format!("{}: {value} never sent", op.id));
                }
            }
            // An operation a link leads to runs on ids the run created.
            let linked = contract.operations().iter().any(|from| {
                from.responses
                    .iter()
                    .any(|r| r.links.iter().any(|l| l.operation_id == op.id))
            });
            if linked && op.path.as_str().contains('{') && positive.live_ids == 0 {
                wrong.push(format!("{}: no positive case on a live id", op.id));
            }
            // A throttle never refuses a positive case: each runs in fresh state.
            if let Some(n) = positive.refused.get(&429) {
                wrong.push(format!("{}: {n} positive cases throttled (429)", op.id));
            }
            let share = positive.share_2xx();
            let excused = NOT_YET_2XX.iter().any(|(id, _)| *id == op.id);
            if share < 80.0 && !excused {
                wrong.push(format!(
                    "{}: {share:.0} % of {} positive cases answered 2xx ({:?})",
                    op.id, positive.cases, positive.refused
                ));
            }
        }
    }
    let unfollowed: Vec<String> = report
        .gaps
        .iter()
        .filter(|g| g.kind == GapKind::LinkNotFollowed)
        .map(|g| format!("{} {}: {}", g.api, g.operation, g.detail))
        .collect();
    wrong.extend(unfollowed);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
