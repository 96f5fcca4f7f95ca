//! The mock answers within every vendor source (issue #26, point 2; contracts/NOTES.md § Answers
//! within every vendor source): a contract accepts the union of what the vendor sources allow,
//! the mock answers within their intersection, so a client built from any vendor source can read
//! every answer the mock gives.
//!
//! One run of the whole suite against the embedded mock (unredacted: a masked value is not what
//! the mock answered), then every answer it gave (injected faults aside) is checked against each
//! vendor description we hold (`contracts/vendor/`, each with its README):
//! - Trusona's OpenAPI: the response schema of the same `operationId` and status;
//! - Truework's later descriptions (beta and orders): they do not describe the credentials
//!   session, only the error bodies it shares (`Error<status>`), which every error answer must fit;
//! - Verified's Postman export (`api/specs/api.json`, OpenAPI 3.0): the six calls it records;
//!   and Verified's schema package: the `data` of every credential in an answer, by its `type`;
//! - the vendors' published response samples (Peach, Truework: `tests/vendor-evidence/`): every
//!   member a sample shows is in the answer, with the sample's JSON type (a sample says no more).
//!
//! Every difference is fixed in the mock or listed, with its reason, in
//! `contracts/vendor/expected-differences.txt`; an unlisted difference fails, and so does a
//! listed one that no longer occurs.

#[path = "support/vendor_sources.rs"]
mod vendor_sources;

use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::Arc;
use vendor_sources::{Answer, Difference, Sources, generalise, read, root};
use vouch::contract::ContractSet;
use vouch::runner::{self, RunOptions};

const EXPECTED: &str = "contracts/vendor/expected-differences.txt";

/// One line of the expected-differences file: six fields (`*` matches anything; a status may
/// be a class, `4xx`) and the reason after `#`.
#[derive(Debug)]
struct Entry {
    line: usize,
    fields: Vec<String>,
}

impl Entry {
    fn matches(&self, d: &Difference) -> bool {
        let status = d.status.to_string();
        let actual = [
            d.api.as_str(),
            &d.source,
            &d.operation,
            &status,
            if d.pointer.is_empty() {
                "/"
            } else {
                &d.pointer
            },
            &d.rule,
        ];
        self.fields
            .iter()
            .zip(actual)
            .enumerate()
            .all(|(i, (f, a))| {
                f == "*"
                    || f == a
                    || (i == 3 && f.len() == 3 && f.ends_with("xx") && a.starts_with(&f[..1]))
            })
    }
}

fn parse_expected(text: &str) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (what, reason) = line.split_once(" # ").unwrap_or((line, ""));
        let fields: Vec<String> = what.split_whitespace().map(str::to_string).collect();
        if fields.len() != 6 {
            return Err(format!(
                "{EXPECTED} line {}: six fields, got {}",
                i + 1,
                fields.len()
            ));
        }
        if reason.trim().is_empty() {
            return Err(format!("{EXPECTED} line {}: no reason (` # why`)", i + 1));
        }
        entries.push(Entry {
            line: i + 1,
            fields,
        });
    }
    Ok(entries)
}

fn expected() -> Vec<Entry> {
    parse_expected(&read(&root().join(EXPECTED))).unwrap_or_else(|e| panic!("{e}"))
}

/// The differences no entry lists, and the entries that list no difference.
fn compare(found: &BTreeSet<Difference>, entries: &[Entry]) -> (Vec<String>, Vec<usize>) {
    let unlisted = found
        .iter()
        .filter(|d| !entries.iter().any(|e| e.matches(d)))
        .map(ToString::to_string)
        .collect();
    let stale = entries
        .iter()
        .filter(|e| !found.iter().any(|d| e.matches(d)))
        .map(|e| e.line)
        .collect();
    (unlisted, stale)
}

/// Every answer the mock gave to the whole suite (faults aside), unredacted.
fn suite_answers() -> Vec<Answer> {
    let options = RunOptions {
        features: root().join("features"),
        config: root().join("vouch.toml"),
        no_redact: true,
        ..RunOptions::default()
    };
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let summary = runtime
        .block_on(async {
            let target: Arc<dyn vouch::targets::Target> =
                Arc::new(vouch::targets::MockTarget::start().await?);
            runner::run(&options, Arc::new(ContractSet::embedded()?), target).await
        })
        .expect("the suite runs");
    assert_eq!(summary.failed, 0, "the suite passes: {:?}", summary.errors);
    let exchanges = summary
        .report
        .scenarios
        .iter()
        .flat_map(|s| &s.steps)
        .flat_map(|s| &s.exchanges);
    exchanges
        .filter(|x| x.fault.is_none())
        .filter_map(|x| {
            Some(Answer {
                api: x.api.clone(),
                operation: x.operation.clone()?,
                status: x.status?,
                body: x
                    .response_body
                    .as_deref()
                    .and_then(|b| serde_json::from_str(b).ok()),
            })
        })
        .collect()
}

#[test]
fn every_answer_of_the_suite_is_within_every_vendor_source() {
    let sources = Sources::load();
    let answers = suite_answers();
    let (checked, found) = sources.check(&answers);
    let entries = expected();
    println!("answers checked per vendor source:");
    for (source, n) in &checked {
        let listed = found.iter().filter(|d| d.source == *source).count();
        println!("  {source:<48} {n:>5} answers, {listed} differences (each listed)");
    }
    let (unlisted, stale) = compare(&found, &entries);
    assert!(
        unlisted.is_empty(),
        "answers of the mock that a vendor source rejects: fix the mock, or list them with a \
         reason in {EXPECTED}:\n{}",
        unlisted.join("\n")
    );
    assert!(
        stale.is_empty(),
        "{EXPECTED}: entries on lines {stale:?} list a difference that no longer occurs"
    );
    let unchecked: Vec<&str> = [
        "trusona-openapi",
        "truework-beta",
        "truework-orders",
        "verified-postman",
        "verified-schema-sdk",
        "peach/002-start-verification-200.json",
        "peach/006-create-verification-type-200.json",
    ]
    .into_iter()
    .filter(|s| checked.get(*s).copied().unwrap_or(0) == 0)
    .collect();
    assert!(
        unchecked.is_empty(),
        "no answer was checked against {unchecked:?}"
    );
}

fn answer(api: &str, operation: &str, status: u16, body: Value) -> Answer {
    Answer {
        api: api.into(),
        operation: operation.into(),
        status,
        body: Some(body),
    }
}

/// The check can fail: answers each vendor source rejects give differences that no entry of
/// the expected-differences file lists (the mock's old `NONE` risk score among them).
#[test]
fn an_answer_a_vendor_source_rejects_is_an_unlisted_difference() {
    let sources = Sources::load();
    let score = serde_json::json!([{"id": "0d98bd5f-7e8d-4430-a048-14775c6e57f9",
        "ruleType": "DEVICE", "type": "DEVICE", "score": "NONE", "rule": "MULTIPLE_DEVICES"}]);
    let device = serde_json::json!([{"platform": "iPhone", "language": "en-US", "origin": "x",
        "offsetMinutes": 0, "epochMilliseconds": 0, "browserDateTime": "x"}]);
    let answers = [
        answer("trusona", "getRiskScores", 200, score),
        answer("trusona", "getDevices", 200, device),
        answer(
            "truework",
            "createCredentialsSession",
            401,
            serde_json::json!({"message": "no"}),
        ),
        answer(
            "verified",
            "hasMatchingCredentials",
            201,
            serde_json::json!({"match": "yes"}),
        ),
        answer(
            "verified",
            "getCredential",
            200,
            serde_json::json!({"type": "BirthDateCredential", "data": {"birthDate": 7}}),
        ),
        answer(
            "peach",
            "createPersonVerification",
            200,
            serde_json::json!({"status": 200}),
        ),
    ];
    let (_, found) = sources.check(&answers);
    let (unlisted, _) = compare(&found, &expected());
    for wanted in [
        "trusona trusona-openapi getRiskScores 200 /*/score enum",
        "trusona trusona-openapi getDevices 200 /*/browserTimeZone required",
        "truework truework-beta createCredentialsSession 401 /error required",
        "truework truework-orders createCredentialsSession 401 /error required",
        "verified verified-postman hasMatchingCredentials 201 /match type",
        "verified verified-schema-sdk getCredential 200 /data/birthDate type",
        "peach peach/002-start-verification-200.json createPersonVerification 200 /data required",
    ] {
        assert!(
            unlisted.iter().any(|u| u == wanted),
            "{wanted} not in {unlisted:#?}"
        );
    }
    // An operation a description does not cover is not checked against it.
    let (checked, _) = sources.check(&[answer("verified", "createOneClick", 201, Value::Null)]);
    assert_eq!(checked.get("verified-postman"), None);
}

/// An entry needs six fields and a reason; one that lists nothing is reported as stale.
#[test]
fn the_expected_differences_file_is_strict() {
    let no_reason = "trusona trusona-openapi * 401 / status";
    assert!(
        parse_expected(no_reason)
            .unwrap_err()
            .contains("line 1: no reason")
    );
    let short = "# comment\ntrusona trusona-openapi 401 / status # why";
    assert!(
        parse_expected(short)
            .unwrap_err()
            .contains("line 2: six fields")
    );
    let entries =
        parse_expected("truework * * 4xx / status # why\npeach * * * / body # why").unwrap();
    let found: BTreeSet<Difference> = [Difference {
        api: "truework".into(),
        source: "truework-beta".into(),
        operation: "createCredentialsSession".into(),
        status: 418,
        pointer: String::new(),
        rule: "status".into(),
    }]
    .into();
    let (unlisted, stale) = compare(&found, &entries);
    assert!(
        unlisted.is_empty(),
        "a status class lists 418: {unlisted:?}"
    );
    assert_eq!(stale, vec![2]);
    assert_eq!(generalise("/0/devices/12/origin"), "/*/devices/*/origin");
}
