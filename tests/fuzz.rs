//! The fuzzer over every operation of every contract against the embedded mock (a modest
//! budget; `VOUCH_FUZZ_SEED` picks another deterministic run), and proof that every check can
//! fail: a small widgets API (its contract and an axum server below) that honours its contract,
//! and the same server with one defect at a time, each caught under the right check with the
//! right message. Also: nothing the fuzzer meant to do is dropped silently.

mod widgets;

use std::sync::Arc;
use vouch::contract::{Contract, ContractSet};
use vouch::fuzz::{Check, FuzzOptions, FuzzReport, GapKind, fuzz};
use vouch::redact::Secret;
use vouch::targets::{HttpClient, MockTarget, Target, TargetError, TargetKind, Which};
use widgets::{AFTER_MERGE, Defect, WIDGETS, WidgetsTarget, widgets, widgets_contracts};

/// The check called `name` (`Check::named`, which a typo fails loudly).
fn check(name: &str) -> Check {
    Check::named(name).unwrap_or_else(|| panic!("no check named {name}"))
}

fn seed() -> u64 {
    std::env::var("VOUCH_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261121)
}

/// Every applicable (operation, check) pair must have been applied to at least this many cases.
const MIN_CASES: u64 = 3;

fn failures(report: &FuzzReport) -> String {
    report
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
        .chain(report.gaps.iter().map(|g| {
            format!(
                "GAP {} {} {}: {}",
                g.kind.name(),
                g.api,
                g.operation,
                g.detail
            )
        }))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every selected check that applies to an operation ran on at least `MIN_CASES` of its cases.
fn assert_every_applicable_pair_ran(contracts: &ContractSet, report: &FuzzReport) {
    let mut short = Vec::new();
    for contract in contracts.iter() {
        for op in contract.operations() {
            for &check in Check::ALL {
                if !check.applies_to(contract, op) {
                    continue;
                }
                let key = (contract.api.clone(), op.id.clone(), check);
                let ran = report.tally.get(&key).map_or(0, |(n, _)| *n);
                if ran < MIN_CASES {
                    short.push(format!(
                        "{} {} {}: {ran}",
                        contract.api,
                        op.id,
                        check.name()
                    ));
                }
            }
        }
    }
    assert!(
        short.is_empty(),
        "checks applied to fewer than {MIN_CASES} cases:\n{}",
        short.join("\n")
    );
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
    let cases = options.cases;
    let report = fuzz(contracts.clone(), mock.clone(), options, None)
        .await
        .unwrap();
    assert!(!report.failed(), "seed {}:\n{}", seed(), failures(&report));
    assert!(report.unsupported.is_empty(), "{:?}", report.unsupported);
    let fuzzed: std::collections::BTreeSet<_> = report
        .tally
        .keys()
        .map(|(a, o, _)| (a.clone(), o.clone()))
        .collect();
    let documented: usize = contracts.iter().map(|c| c.operations().len()).sum();
    assert_eq!(fuzzed.len(), documented, "every operation is fuzzed");
    assert_every_applicable_pair_ran(&contracts, &report);
    assert_every_operation_ran_its_share(&report, cases);
    assert!(
        mock.self_check_violations().is_empty(),
        "{:?}",
        mock.self_check_violations()
    );
}

/// Every operation with positive cases ran at least `cases` of its own (#22: the budget is
/// spread; a chain's steps through an operation do not stand in for its share, and a chain
/// that stops short does not take it away).
fn assert_every_operation_ran_its_share(report: &FuzzReport, cases: u32) {
    let short: Vec<String> = report
        .positive
        .iter()
        .filter(|(_, p)| p.own < u64::from(cases))
        .map(|((api, op), p)| format!("{api} {op}: {} of its own ({} in all)", p.own, p.cases))
        .collect();
    assert!(
        short.is_empty(),
        "fewer than {cases} positive cases of their own:\n{}",
        short.join("\n")
    );
}

// ---- The widgets API (tests/widgets/mod.rs), honest and with one defect at a time ----

async fn fuzz_widgets(defect: Defect, options: FuzzOptions) -> FuzzReport {
    let target = widgets(defect).await;
    fuzz(widgets_contracts(), target, options, None)
        .await
        .unwrap()
}

fn options() -> FuzzOptions {
    FuzzOptions {
        cases: 10,
        seed: Some(seed()),
        ..FuzzOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widgets_server_passes_every_check_and_every_check_applies() {
    let report = fuzz_widgets(Defect::None, options()).await;
    assert!(!report.failed(), "{}", failures(&report));
    assert_every_applicable_pair_ran(&widgets_contracts(), &report);
    for &check in Check::ALL {
        assert!(
            report.tally.keys().any(|(_, _, c)| *c == check),
            "{} never applied to the widgets API",
            check.name()
        );
    }
}

/// Each defect, the check that must catch it, and what its detail must say.
fn expectations() -> Vec<(Defect, Check, &'static str)> {
    vec![
        (
            Defect::ServerError,
            check("not_a_server_error"),
            "status 500",
        ),
        (
            Defect::UndocumentedStatus,
            check("status_code_conformance"),
            "status 202 is not documented for createWidget",
        ),
        (
            Defect::WrongContentType,
            check("content_type_conformance"),
            "text/plain",
        ),
        (
            Defect::BadCountHeader,
            check("response_headers_conformance"),
            "header `x-widget-count: many` does not match its schema",
        ),
        (
            Defect::OmitsMember,
            check("response_schema_conformance"),
            "status",
        ),
        (
            Defect::WrongMethodStatus,
            check("unsupported_method"),
            "answered 404, not 405 Method Not Allowed",
        ),
        (
            Defect::WrongAllow,
            check("allow_header_conformance"),
            "undocumented PATCH advertised",
        ),
        (
            Defect::IgnoresMissingHeader,
            check("missing_required_header"),
            "without the required header `X-Request-Id`",
        ),
        (
            Defect::AcceptsInvalid,
            check("negative_data_rejection"),
            "answered 201",
        ),
        (
            Defect::IgnoresAuth,
            check("ignored_auth"),
            "the API accepted a request",
        ),
        (
            Defect::WrongAuthStatus,
            check("auth_required"),
            "answered 403, not 401",
        ),
        (
            Defect::LosesCreated,
            check("ensure_resource_availability"),
            "for a resource that was just created (created with createWidget",
        ),
        (
            Defect::ServesRevoked,
            check("use_after_free"),
            "served as live after link RevokeWidget freed it: /status is \"active\"",
        ),
        (
            Defect::StaleAfterRename,
            check("stateful_read_back"),
            "/name did not read back unchanged along link GetRenamedWidget",
        ),
        (
            Defect::RefusesValid,
            check("positive_data_acceptance"),
            "a valid request answered 400: {\"message\":\"refused\"}",
        ),
        // The classes only state reveals (#22 point 4).
        (
            Defect::UpdateAcceptsInvalid,
            check("negative_data_rejection"),
            "(a live id: createWidget created it, link RenameWidget) answered 200",
        ),
        (
            Defect::WrongStatusForFlag,
            check("status_code_conformance"),
            "status 200 is not documented for createWidget",
        ),
        (
            Defect::ServesDeleted,
            check("use_after_free"),
            "answered 200 for a resource freed by link DeleteWidget (expected 404 or 410)",
        ),
        (
            Defect::ReadDropsMember,
            check("stateful_read_back"),
            "the object did not read back unchanged along link GetWidget, which dropped the member(s) color",
        ),
        (
            Defect::PageRepeats,
            check("pagination_consistency"),
            "which the page it follows listed up to the cursor",
        ),
        (
            Defect::PageSkips,
            check("pagination_consistency"),
            "the page along link PageAfterFirst (after \"w-",
        ),
    ]
}

fn caught(report: &FuzzReport, check: Check, detail: &str) -> bool {
    report
        .failures
        .iter()
        .any(|f| f.check == check && f.detail.contains(detail))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_check_catches_its_defect_under_its_name() {
    let expectations = expectations();
    for defect in Defect::ALL {
        assert!(
            expectations.iter().any(|(d, _, _)| *d == defect),
            "{defect:?} has no expectation"
        );
    }
    for &check in Check::ALL {
        assert!(
            expectations.iter().any(|(_, c, _)| *c == check),
            "no defect proves {} can fail",
            check.name()
        );
    }
    let mut missed = Vec::new();
    for (defect, check, detail) in expectations {
        let report = fuzz_widgets(defect, options()).await;
        let pending = AFTER_MERGE.iter().find(|(d, _)| *d == defect);
        match (caught(&report, check, detail), pending) {
            (true, None) | (false, Some(_)) => {}
            (true, Some(_)) => missed.push(format!(
                "{defect:?} is caught now: remove it from AFTER_MERGE"
            )),
            (false, None) => missed.push(format!(
                "{defect:?}: expected {} with `{detail}`, got:\n{}",
                check.name(),
                failures(&report)
            )),
        }
    }
    assert!(missed.is_empty(), "{}", missed.join("\n\n"));
}

/// Checks that see a defect besides its own (the answer shows it twice): `without_its_check_…`
/// lets them fail, and only them. The stateful classes have none but `UpdateAcceptsInvalid`,
/// whose answer echoes what it accepted.
const ALSO_SEEN_BY: &[(Defect, &[&str])] = &[
    // 500 is undocumented too; since every failing check is reported (#22), a 500 to a valid
    // request is also a refused valid request, and one to an invalid body no 4xx refusal.
    (
        Defect::ServerError,
        &[
            "status_code_conformance",
            "positive_data_acceptance",
            "negative_data_rejection",
        ],
    ),
    (Defect::OmitsMember, &["use_after_free"]), // a revoked one lacks /status
    (Defect::IgnoresMissingHeader, &["negative_data_rejection"]), // it drops a required parameter
    (Defect::AcceptsInvalid, &["response_schema_conformance"]), // an accepted bad color is echoed
    (
        Defect::UpdateAcceptsInvalid,
        &["response_schema_conformance"], // the rename echoes the bad color it accepted
    ),
    (Defect::IgnoresAuth, &["auth_required"]), // 2xx is not 401 either
    // A linked read answers 404; a positive case on the live id it created too (#22).
    (
        Defect::LosesCreated,
        &["stateful_read_back", "positive_data_acceptance"],
    ),
];

/// The other half of the proof: without its check, each defect goes unseen (no failure but
/// under the checks `ALSO_SEEN_BY` lists), so it is that check that catches it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_its_check_each_defect_goes_unseen() {
    let mut seen = Vec::new();
    for (defect, check, _) in expectations() {
        let also: &[&str] = ALSO_SEEN_BY
            .iter()
            .find(|(d, _)| *d == defect)
            .map_or(&[], |(_, also)| also);
        let options = FuzzOptions {
            checks: Check::ALL.iter().copied().filter(|c| *c != check).collect(),
            ..options()
        };
        let report = fuzz_widgets(defect, options).await;
        let others: Vec<String> = report
            .failures
            .iter()
            .filter(|f| !also.contains(&f.check.name()))
            .map(|f| format!("{} {}: {}", f.operation, f.check.name(), f.detail))
            .collect();
        if !others.is_empty() {
            seen.push(format!(
                "{defect:?} without {}:\n{}",
                check.name(),
                others.join("\n")
            ));
        }
    }
    assert!(seen.is_empty(), "{}", seen.join("\n\n"));
}

/// A failure never hides another (issue #22): a read-back that both breaks the schema and is
/// stale is reported under both checks, for the same answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_defects_on_one_answer_are_both_reported() {
    let report = fuzz_widgets(Defect::StaleAndOmitsMember, options()).await;
    let stale = report
        .failures
        .iter()
        .find(|f| f.check == check("stateful_read_back"))
        .unwrap_or_else(|| panic!("{}", failures(&report)));
    let schema = report.failures.iter().find(|f| {
        f.check == check("response_schema_conformance")
            && f.case == stale.case
            && f.sequence == stale.sequence
    });
    assert!(
        schema.is_some_and(|f| f.detail.contains("status")),
        "{}",
        failures(&report)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deselected_check_fails_nothing() {
    let options = FuzzOptions {
        checks: Check::ALL
            .iter()
            .copied()
            .filter(|c| *c != check("positive_data_acceptance"))
            .collect(),
        ..options()
    };
    let report = fuzz_widgets(Defect::RefusesValid, options).await;
    assert!(report.failures.is_empty(), "{}", failures(&report));
    assert!(
        !report
            .tally
            .keys()
            .any(|(_, _, c)| *c == check("positive_data_acceptance"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_in_a_link_sequence_is_the_consumers_and_replays_whole() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-sequence-replay");
    let _ = std::fs::remove_dir_all(&dir);
    let saved = dir.join("failures.json");
    // Sequences start at createWidget only.
    let options = FuzzOptions {
        operations: vec!["createWidget".into()],
        failures_file: Some(saved.clone()),
        ..options()
    };
    let target = widgets(Defect::StaleAfterRename).await;
    let report = fuzz(widgets_contracts(), target.clone(), options.clone(), None)
        .await
        .unwrap();
    let failure = report
        .failures
        .iter()
        .find(|f| f.check == check("stateful_read_back"))
        .unwrap_or_else(|| panic!("{}", failures(&report)));
    assert_eq!(failure.operation, "getWidget", "filed under the consumer");
    assert_eq!(failure.case.method, "GET");
    assert!(failure.curl.contains("/widgets/w-"), "{}", failure.curl);
    let steps: Vec<&str> = failure
        .sequence
        .iter()
        .map(|s| s.operation.as_str())
        .collect();
    assert_eq!(steps.first(), Some(&"createWidget"), "{steps:?}");
    assert!(steps.contains(&"renameWidget"), "{steps:?}");
    assert_eq!(steps.last(), Some(&"getWidget"), "{steps:?}");
    let tally = report
        .tally
        .get(&(
            "widgets".into(),
            "getWidget".into(),
            check("stateful_read_back"),
        ))
        .unwrap();
    assert!(tally.1 >= 1, "the failure is tallied under the consumer");
    // Only getWidget is fuzzed now: no sequence starts, so only the replay of the saved
    // sequence can reach a stale read.
    let replay = FuzzOptions {
        operations: vec!["getWidget".into()],
        checks: vec![check("stateful_read_back")],
        ..options
    };
    let again = fuzz(widgets_contracts(), target, replay, None)
        .await
        .unwrap();
    assert!(
        again
            .failures
            .iter()
            .any(|f| f.check == check("stateful_read_back") && f.operation == "getWidget"),
        "{}",
        failures(&again)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_or_unknown_saved_cases_are_errors_naming_the_file() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-bad-saved");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        ("malformed.json", "[{\"api\": \"widgets\"".to_string()),
        (
            "unknown.json",
            serde_json::json!([{"api": "widgets", "operation": "patchWidget",
                "case": {"label": "positive", "positive": true, "method": "PATCH", "path": "/widgets/w-1",
                         "headers": [], "body": null, "content_type": null, "credentials": "valid"}}])
            .to_string(),
        ),
    ];
    for (name, text) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let options = FuzzOptions {
            failures_file: Some(path.clone()),
            ..options()
        };
        let error = fuzz(
            widgets_contracts(),
            widgets(Defect::None).await,
            options,
            None,
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(error.contains(name), "{error}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saved_cases_of_operations_not_run_are_reported() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-not-replayed");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("saved.json");
    let saved = serde_json::json!([{"api": "widgets", "operation": "revokeWidget",
        "case": {"label": "positive", "positive": true, "method": "POST", "path": "/widgets/w-1/revocation",
                 "headers": [], "body": null, "content_type": null, "credentials": "valid"}}]);
    std::fs::write(&path, saved.to_string()).unwrap();
    let options = FuzzOptions {
        operations: vec!["getWidget".into()],
        failures_file: Some(path),
        ..options()
    };
    let report = fuzz_widgets(Defect::None, options).await;
    assert!(
        report
            .gaps
            .iter()
            .any(|g| g.kind == GapKind::NotReplayed && g.operation == "revokeWidget"),
        "{}",
        failures(&report)
    );
    assert!(!report.failed(), "not selecting an operation is no failure");
}

/// A target whose credential look-up panics: the task fuzzing the operation dies.
struct PanickingTarget(Arc<WidgetsTarget>);

impl Target for PanickingTarget {
    fn kind(&self) -> TargetKind {
        TargetKind::Url
    }
    fn base_url(&self, api: &str) -> Result<String, TargetError> {
        self.0.base_url(api)
    }
    fn credential(&self, _api: &str, _which: Which) -> Result<Secret, TargetError> {
        panic!("the key store is gone")
    }
    fn admin_url(&self) -> Option<String> {
        None
    }
    fn client(&self) -> &HttpClient {
        self.0.client()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicked_task_is_a_gap_that_fails_the_run() {
    let target = Arc::new(PanickingTarget(widgets(Defect::None).await));
    let options = FuzzOptions {
        operations: vec!["getWidget".into()],
        ..options()
    };
    let report = fuzz(widgets_contracts(), target, options, None)
        .await
        .unwrap();
    let gap = report
        .gaps
        .iter()
        .find(|g| g.kind == GapKind::Panicked)
        .unwrap_or_else(|| panic!("{}", failures(&report)));
    assert_eq!(gap.operation, "getWidget");
    assert!(
        gap.detail.contains("the key store is gone"),
        "{}",
        gap.detail
    );
    assert!(report.failed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_aborted_strategy_and_a_check_that_never_ran_are_gaps() {
    // No value satisfies `code`: proptest rejects every generated request and gives up, so
    // nothing is sent to findWidgets and none of its checks ever applies.
    let yaml = WIDGETS.replace(
        "  /widgets/{id}/revocation:",
        "  /widgets/search:\n    get:\n      operationId: findWidgets\n      parameters:\n      - {name: code, in: query, required: true, schema: {type: string, pattern: '^a$', not: {const: a}}}\n      responses:\n        '200': {description: Found., content: {application/json: {schema: {type: array}}}}\n        '401': {$ref: '#/components/responses/Error'}
        '403': {$ref: '#/components/responses/Error'}\n  /widgets/{id}/revocation:",
    );
    let contract = Contract::from_yaml("widgets", &yaml, "tests/fuzz.rs").unwrap();
    let contracts = Arc::new(ContractSet::new(vec![contract]));
    let options = FuzzOptions {
        operations: vec!["findWidgets".into()],
        ..options()
    };
    let report = fuzz(contracts, widgets(Defect::None).await, options, None)
        .await
        .unwrap();
    let kinds: Vec<GapKind> = report
        .gaps
        .iter()
        .filter(|g| g.operation == "findWidgets")
        .map(|g| g.kind)
        .collect();
    assert!(kinds.contains(&GapKind::Aborted), "{}", failures(&report));
    assert!(
        kinds.contains(&GapKind::CheckNotRun),
        "{}",
        failures(&report)
    );
    assert!(report.failed());
}

/// An update that accepts an invalid body on an existing widget is reported with the widget
/// it was sent to and the rule the body broke, and its saved failure replays on a widget the
/// replayed chain creates (issue #22: negative cases on live ids).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_accepting_invalid_data_on_a_live_id_names_both_and_replays() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-live-negative");
    let _ = std::fs::remove_dir_all(&dir);
    let options = FuzzOptions {
        operations: vec!["renameWidget".into()],
        failures_file: Some(dir.join("failures.json")),
        ..options()
    };
    let target = widgets(Defect::UpdateAcceptsInvalid).await;
    let report = fuzz(widgets_contracts(), target.clone(), options.clone(), None)
        .await
        .unwrap();
    let failure = report
        .failures
        .iter()
        .find(|f| f.check == check("negative_data_rejection"))
        .unwrap_or_else(|| panic!("{}", failures(&report)));
    assert!(failure.detail.starts_with("body "), "{}", failure.detail);
    assert!(
        failure.detail.contains(" on /widgets/w-"),
        "{}",
        failure.detail
    );
    let steps: Vec<&str> = failure
        .sequence
        .iter()
        .map(|s| s.operation.as_str())
        .collect();
    assert_eq!(steps, ["createWidget", "renameWidget"]);
    // The saved failure alone (only renameWidget's saved cases, no generated ones): the
    // replayed chain creates a widget and the saved invalid body goes to it again.
    let replay = FuzzOptions {
        cases: 0,
        checks: vec![check("negative_data_rejection")],
        ..options
    };
    let again = fuzz(widgets_contracts(), target, replay, None)
        .await
        .unwrap();
    assert!(
        again
            .failures
            .iter()
            .any(|f| f.check == check("negative_data_rejection") && f.operation == "renameWidget"),
        "{}",
        failures(&again)
    );
}

/// The budget is spread (#22): when creating refuses every request, the chains to the
/// operations on a widget id stop at their first step, and each of those operations still
/// runs its whole share of positive cases (on random ids), every operation does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chain_that_stops_short_takes_no_operations_share() {
    let options = FuzzOptions {
        checks: Check::ALL
            .iter()
            .copied()
            .filter(|c| *c != check("positive_data_acceptance"))
            .collect(),
        ..options()
    };
    let report = fuzz_widgets(Defect::RefusesValid, options.clone()).await;
    assert_eq!(report.positive.len(), 6, "{:?}", report.positive);
    assert_every_operation_ran_its_share(&report, options.cases);
}

/// Every documented value of an optional body property is sent in positive cases, within
/// a budget as small as their number (#22): `color` (red, blue) of createWidget's and renameWidget's bodies, the
/// latter on live ids.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_value_of_an_optional_body_enum_is_sent() {
    // Four cases: createWidget has four values to send (notify=true, notify=false, two colors).
    let options = FuzzOptions {
        cases: 4,
        ..options()
    };
    let report = fuzz_widgets(Defect::None, options).await;
    for op in ["createWidget", "renameWidget"] {
        let positive = &report.positive[&("widgets".to_string(), op.to_string())];
        for value in ["/color=red", "/color=blue"] {
            assert!(
                positive.values.get(value).is_some_and(|n| *n > 0),
                "{op}: {value} never sent: {:?}",
                positive.values
            );
        }
    }
}
