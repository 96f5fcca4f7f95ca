//! Fuzz results in the one report pipeline (#20 point 5): a fuzz failure appears in every
//! format as a failed case beside the scenarios, `vouch merge` joins the fuzz parts of two
//! runs, and `vouch diff` reports a check that passed and now fails as a regression.

use std::path::Path;
use vouch::contract::ContractSet;
use vouch::report::{self, FuzzCase, FuzzFailure, FuzzGap, FuzzRun, FuzzTally, Report};

fn tally(operation: &str, check: &str, cases: u64, failures: u64) -> FuzzTally {
    FuzzTally {
        api: "peach".into(),
        operation: operation.into(),
        check: check.into(),
        cases,
        failures,
    }
}

fn failure(operation: &str, check: &str, detail: &str) -> FuzzFailure {
    FuzzFailure {
        api: "peach".into(),
        operation: operation.into(),
        check: check.into(),
        detail: detail.into(),
        case: FuzzCase {
            label: "negative: /name missing".into(),
            method: "POST".into(),
            path: "/verification-types".into(),
            body: Some("{}".into()),
        },
        sequence: Vec::new(),
        curl: "curl -sS -X POST 'http://127.0.0.1:1/peach/verification-types' -H \"Authorization: Bearer $VOUCH_PEACH_TOKEN\"".into(),
    }
}

/// A run with no scenario and a fuzz part: one check passing, one failing (with its failure),
/// and a saved case not replayed (a gap that is only reported).
fn fuzzed(failing: bool) -> Report {
    let mut fuzz = FuzzRun {
        cases: 40,
        duration_ms: 1200,
        tally: vec![
            tally("listVerificationTypes", "not_a_server_error", 20, 0),
            tally(
                "createVerificationType",
                "negative_data_rejection",
                20,
                u64::from(failing),
            ),
        ],
        gaps: vec![FuzzGap {
            api: "peach".into(),
            operation: "getVerificationType".into(),
            kind: "not_replayed".into(),
            detail: "saved case `positive`: its operation is not selected".into(),
        }],
        ..Default::default()
    };
    if failing {
        fuzz.failures.push(failure(
            "createVerificationType",
            "negative_data_rejection",
            "a request without /name answered 201 (expected a documented 4xx)",
        ));
    }
    Report {
        format: report::FORMAT.into(),
        fuzz: Some(fuzz),
        ..Default::default()
    }
}

#[test]
fn a_fuzz_failure_appears_in_every_format() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-in-every-format");
    let _ = std::fs::remove_dir_all(&dir);
    let report = fuzzed(true);
    report::write_report_to(&dir, &report, &[]).unwrap();
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let detail = "a request without /name answered 201";

    let junit = read("junit.xml");
    let case = junit
        .split("<testcase ")
        .find(|c| c.contains("name=\"createVerificationType negative_data_rejection\""))
        .unwrap_or_else(|| panic!("no fuzz case in junit.xml:\n{junit}"));
    assert!(
        case.contains("<failure message=\"") && case.contains(detail),
        "{case}"
    );
    assert!(
        junit.contains("file=\"fuzz/peach\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""),
        "the fuzz suite counts its cases, the failure and the gap not replayed:\n{junit}"
    );

    let cucumber: serde_json::Value = serde_json::from_str(&read("cucumber.json")).unwrap();
    let failed: Vec<&serde_json::Value> = cucumber
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["elements"].as_array().unwrap())
        .flat_map(|e| e["steps"].as_array().unwrap())
        .filter(|s| s["result"]["status"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1, "{cucumber}");
    assert!(
        failed[0]["result"]["error_message"]
            .as_str()
            .unwrap()
            .contains(detail)
    );

    for file in ["summary.md", "report.html"] {
        let text = read(file);
        assert!(
            text.contains("vouch run: ❌ failed")
                || text.contains("<span class=\"bad\">failed</span>"),
            "{file}: a run whose fuzzing failed is a failed run"
        );
        assert!(
            text.contains("createVerificationType negative_data_rejection")
                && text.contains(detail),
            "{file} lists the fuzz failure:\n{text}"
        );
    }
    let back = report::read(&dir).unwrap();
    assert_eq!(
        back.fuzz, report.fuzz,
        "report.json reads back the typed fuzz part"
    );
}

#[test]
fn merge_joins_the_fuzz_parts_of_two_runs() {
    let contracts = ContractSet::embedded().unwrap();
    let mut second = fuzzed(false);
    let fuzz = second.fuzz.as_mut().unwrap();
    fuzz.tally
        .push(tally("listVerificationTypes", "auth_required", 5, 1));
    fuzz.failures.push(failure(
        "listVerificationTypes",
        "auth_required",
        "answered 403 without a credential",
    ));
    let shards = [("a".to_string(), fuzzed(true)), ("b".to_string(), second)];
    let merged = report::merge(&shards, &contracts, None).unwrap();
    let fuzz = merged.fuzz.expect("the merged report keeps the fuzz parts");
    assert_eq!(fuzz.cases, 80);
    let row = |op: &str, check: &str| {
        fuzz.tally
            .iter()
            .find(|t| t.operation == op && t.check == check)
            .map(|t| (t.cases, t.failures))
    };
    assert_eq!(
        row("listVerificationTypes", "not_a_server_error"),
        Some((40, 0))
    );
    assert_eq!(
        row("createVerificationType", "negative_data_rejection"),
        Some((40, 1))
    );
    assert_eq!(row("listVerificationTypes", "auth_required"), Some((5, 1)));
    let checks: Vec<&str> = fuzz.failures.iter().map(|f| f.check.as_str()).collect();
    assert_eq!(checks, ["negative_data_rejection", "auth_required"]);
    assert_eq!(fuzz.gaps.len(), 1, "the same gap in both shards is one gap");
}

#[test]
fn diff_reports_a_new_fuzz_failure_as_a_regression() {
    let d = vouch::gate::diff(&fuzzed(false), &fuzzed(true), &[]);
    assert_eq!(
        d.regressions,
        ["fuzz/peach: createVerificationType negative_data_rejection"]
    );
    assert!(d.fails());
    let back = vouch::gate::diff(&fuzzed(true), &fuzzed(false), &[]);
    assert!(!back.fails(), "a fixed check is no regression: {back:?}");
}

#[test]
fn scrubbing_reaches_the_fuzz_part() {
    // A check's detail can quote the answer's body; a secret there is scrubbed as in a
    // scenario's failure.
    let secret = "vouch-secret-in-a-body-1234";
    let mut report = fuzzed(true);
    let fuzz = report.fuzz.as_mut().unwrap();
    fuzz.failures[0].detail = format!("answered 201: {{\"token\": \"{secret}\"}}");
    fuzz.failures[0].curl.push_str(&format!(" -d '{secret}'"));
    report::scrub(&mut report, &[secret.to_string()]);
    let text = serde_json::to_string(&report).unwrap();
    assert!(!text.contains(secret), "{text}");
    assert!(text.contains("<redacted>"), "{text}");
}
