//! The vendor-evidence corpus (`tests/vendor-evidence/`) against the contracts, through the
//! library and through `vouch evidence` as a user runs it; and the corpus checks themselves on
//! broken copies of it, so each of them is seen to fail.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use vouch::contract::ContractSet;
use vouch::evidence::{self, Corpus, Verdict};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(evidence::DEFAULT_DIR)
}

fn manifest(dir: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(dir.join(evidence::MANIFEST)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn vouch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(args)
        .env_remove("VOUCH_CONTRACTS")
        .env_remove("VOUCH_EVIDENCE")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A copy of the corpus under target/, to break.
fn copy(name: &str) -> PathBuf {
    fn walk(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            let target = to.join(path.file_name().unwrap());
            if path.is_dir() {
                walk(&path, &target);
            } else {
                std::fs::copy(&path, &target).unwrap();
            }
        }
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("evidence-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    walk(&corpus_dir(), &dir);
    dir
}

fn write_manifest(dir: &Path, entries: &[Value]) {
    std::fs::write(
        dir.join(evidence::MANIFEST),
        serde_json::to_string_pretty(entries).unwrap(),
    )
    .unwrap();
}

#[test]
fn every_payload_is_accepted_or_rejected_only_as_expected() {
    let contracts = ContractSet::embedded().unwrap();
    let corpus = Corpus::load(&corpus_dir()).unwrap();
    let check = evidence::check(&contracts, &corpus, &[]).unwrap();
    assert!(check.passed(), "{}", evidence::render(&check));
    // Every manifest entry was checked, under its API, and every API has a line.
    let total = check.total();
    assert_eq!(total.total, manifest(&corpus_dir()).len());
    assert_eq!(
        total.accepted + total.expected_failures + total.rejected,
        total.total
    );
    assert_eq!(check.apis.len(), contracts.iter().count());
    // Every expected failure still occurs, at its own payload.
    for e in &corpus.expected {
        let payload = check
            .apis
            .iter()
            .flat_map(|a| &a.payloads)
            .find(|p| p.file == e.file)
            .unwrap();
        assert_eq!(payload.verdict(), Verdict::ExpectedFailure, "{}", e.file);
        assert!(
            payload
                .findings
                .iter()
                .any(|f| f.pointer == e.pointer && f.kept_because.as_deref() == Some(&e.reason)),
            "{} {}",
            e.file,
            e.pointer
        );
    }
}

#[test]
fn the_command_prints_accepted_over_total_per_api_and_passes() {
    let o = vouch(&["evidence"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    let entries = manifest(&corpus_dir());
    for api in vouch::apis::all() {
        let n = entries.iter().filter(|e| e["api"] == api.id).count();
        assert!(
            out.lines().any(|l| l.starts_with(&format!("{}: ", api.id))
                && l.contains(&format!("/{n} accepted"))),
            "no `{}: …/{n} accepted` line in:\n{out}",
            api.id
        );
    }
    let check = evidence::check(
        &ContractSet::embedded().unwrap(),
        &Corpus::load(&corpus_dir()).unwrap(),
        &[],
    )
    .unwrap();
    let t = check.total();
    let last = format!(
        "all: {}/{} accepted, {} rejected only as expected, 0 rejected, 0 stale",
        t.accepted,
        entries.len(),
        t.expected_failures
    );
    assert_eq!(out.lines().last(), Some(last.as_str()), "{out}");
    // `--api` limits the check, and an unknown one is a usage error naming the flag.
    let o = vouch(&["evidence", "--api", "peach"]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        out.starts_with("peach: ") && !out.contains("verified: "),
        "{out}"
    );
    let o = vouch(&["evidence", "--api", "nope"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err.contains("--api") && err.trim().lines().count() == 1,
        "{err}"
    );
}

#[test]
fn a_rejection_that_is_not_listed_fails_the_command() {
    let dir = copy("unlisted-rejection");
    // A recorded Trusona device list with a device whose `ipAddress` is a number.
    let file = dir.join("trusona/007-get-devices-200.json");
    let mut devices: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    devices[0]["ipAddress"] = json!(42);
    std::fs::write(&file, devices.to_string()).unwrap();
    let o = vouch(&["evidence", "--dir", dir.to_str().unwrap()]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(
        out.contains("REJECTED trusona/007-get-devices-200.json (getDevices response 200)"),
        "{out}"
    );
    assert!(out.contains("    /0/ipAddress: type: expected"), "{out}");
    assert!(out.contains("trusona: 7/8 accepted"), "{out}");
}

#[test]
fn an_expected_failure_that_no_longer_occurs_fails_the_command() {
    let dir = copy("stale");
    // Fix the vendor's typo'd partner uuid: its listed failure no longer occurs.
    let file = dir.join("verified/001-has-matching-request-partner-only.json");
    let mut body: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    body["partnerUuid"] = json!("046e5880-d7b6-4319-86ec-59eef0fc69be");
    std::fs::write(&file, body.to_string()).unwrap();
    let o = vouch(&["evidence", "--dir", dir.to_str().unwrap()]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("STALE expected-failures.txt:")
                && l.contains("verified/001-has-matching-request-partner-only.json /partnerUuid")),
        "{out}"
    );
    // Limited to another API, the stale line is not that API's business.
    let o = vouch(&["evidence", "--dir", dir.to_str().unwrap(), "--api", "peach"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).0);
}

#[test]
fn bad_manifest_entries_are_one_line_errors_naming_file_and_field() {
    type Break = fn(&mut Value);
    let cases: &[(&str, Break, &str)] = &[
        (
            "no-operation",
            |e| drop(e.as_object_mut().unwrap().remove("operation")),
            "`operation`: missing",
        ),
        (
            "bad-direction",
            |e| e["direction"] = json!("sideways"),
            "`direction`: expected `request` or `response`",
        ),
        (
            "no-status",
            |e| drop(e.as_object_mut().unwrap().remove("status")),
            "`status`: missing",
        ),
        (
            "bad-status",
            |e| e["status"] = json!("201"),
            "`status`: expected an HTTP status",
        ),
        (
            "unknown-api",
            |e| e["api"] = json!("acme"),
            "`api`: unknown API `acme`",
        ),
        (
            "unknown-operation",
            |e| e["operation"] = json!("frobnicate"),
            "`operation`: verified: unknown operation `frobnicate`",
        ),
        (
            "undocumented-status",
            |e| e["status"] = json!(299),
            "`status`: verified issueCredentials: status 299 is not documented",
        ),
        (
            "no-source",
            |e| e["source"] = json!("GitHub"),
            "`source`: expected an object naming",
        ),
        (
            "escaping-file",
            |e| e["file"] = json!("../manifest.json"),
            "`file`: must be a path inside the corpus",
        ),
    ];
    for (name, breaks, says) in cases {
        let dir = copy(name);
        let mut entries = manifest(&dir);
        // verified/012: an issueCredentials response 201.
        let at = entries
            .iter()
            .position(|e| e["file"] == "verified/012-issue-201-to-email.json")
            .unwrap();
        breaks(&mut entries[at]);
        write_manifest(&dir, &entries);
        let o = vouch(&["evidence", "--dir", dir.to_str().unwrap()]);
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {out}{err}");
        let err = err.trim();
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(
            err.contains("manifest.json: entry") && err.contains(says),
            "{name}: `{says}` not in: {err}"
        );
        assert!(out.is_empty(), "{name}: {out}");
    }
}

#[test]
fn corpus_files_and_expected_failures_are_checked_too() {
    // A payload file the manifest does not list.
    let dir = copy("unlisted-file");
    std::fs::write(dir.join("peach/099-extra.json"), "{}").unwrap();
    let o = vouch(&["evidence", "--dir", dir.to_str().unwrap()]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("peach/099-extra.json: not listed in manifest.json"),
        "{err}"
    );
    // A listed payload that is not JSON.
    let dir = copy("not-json");
    std::fs::write(
        dir.join("peach/002-start-verification-200.json"),
        "{\"status\": ",
    )
    .unwrap();
    let o = vouch(&["evidence", "--dir", dir.to_str().unwrap()]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("peach/002-start-verification-200.json: not valid JSON"),
        "{err}"
    );
    // An expected failure without its reason.
    let dir = copy("no-reason");
    let path = dir.join(evidence::EXPECTED_FAILURES);
    let mut list = std::fs::read_to_string(&path).unwrap();
    list.push_str("peach/002-start-verification-200.json /data\n");
    std::fs::write(&path, list).unwrap();
    let o = vouch(&["evidence", "--dir", dir.to_str().unwrap()]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("expected-failures.txt: line") && err.contains("the reason is missing"),
        "{err}"
    );
    // No corpus at all.
    let o = vouch(&["evidence", "--dir", "/nonexistent/corpus"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(err.contains("/nonexistent/corpus/manifest.json"), "{err}");
}

#[test]
fn contracts_shows_each_apis_evidence_beside_its_operations() {
    let o = vouch(&["contracts"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let check = evidence::check(
        &ContractSet::embedded().unwrap(),
        &Corpus::load(&corpus_dir()).unwrap(),
        &[],
    )
    .unwrap();
    for api in &check.apis {
        let s = api.summary();
        let line = format!(
            "  vendor evidence (tests/vendor-evidence): {}/{} accepted, {} rejected only as expected, {} rejected",
            s.accepted, s.total, s.expected_failures, s.rejected
        );
        assert!(out.contains(&line), "missing `{line}` in:\n{out}");
    }
}

/// `vouch validate` on a payload file: (exit code, stdout).
fn validate(
    api: &str,
    operation: &str,
    response: Option<u16>,
    file: &Path,
) -> (Option<i32>, String) {
    let status = response.map(|s| s.to_string());
    let mut args = vec!["validate", "--api", api, "--operation", operation];
    match &status {
        Some(s) => args.extend(["--response", s.as_str()]),
        None => args.push("--request"),
    }
    args.push(file.to_str().unwrap());
    let o = vouch(&args);
    (o.status.code(), text(&o).0)
}

#[test]
fn validate_accepts_the_payloads_the_issue_quotes() {
    let corpus = corpus_dir();
    let cases: &[(&str, &str, Option<u16>, &str)] = &[
        // Verified: recorded responses with `"expirationDate": null` (composites' children too)
        (
            "verified",
            "issueCredentials",
            Some(201),
            "verified/012-issue-201-to-email.json",
        ),
        (
            "verified",
            "getUserCredentials",
            Some(200),
            "verified/024-user-credentials-get-200-tester.json",
        ),
        // ... and `issuerUuid` without `issuer` (November 2023)
        (
            "verified",
            "getSharedCredentials",
            Some(200),
            "verified/017-shared-200-nov-2023.json",
        ),
        // Trusona: nullable device fields (origin, gpsLatitude, gpsLongitude, asn)
        (
            "trusona",
            "getDevices",
            Some(200),
            "trusona/007-get-devices-200.json",
        ),
        // Peach: the verification object without verificationTypeId
        (
            "peach",
            "createPersonVerification",
            Some(200),
            "peach/002-start-verification-200.json",
        ),
    ];
    for (api, operation, status, file) in cases {
        let (code, out) = validate(api, operation, *status, &corpus.join(file));
        assert_eq!(code, Some(0), "{file}: {out}");
        assert!(
            out.contains(&format!(": valid {api} {operation}")),
            "{file}: {out}"
        );
    }
    // The quoted shapes are really in those payloads (so the test cannot pass vacuously).
    let read = |f: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(corpus.join(f)).unwrap()).unwrap()
    };
    let shared = read("verified/017-shared-200-nov-2023.json");
    assert!(shared["credentials"][2]["expirationDate"].is_null());
    assert!(shared["credentials"][0]["issuerUuid"].is_string());
    assert!(shared["credentials"][0].get("issuer").is_none());
    assert!(read("trusona/007-get-devices-200.json")[0]["asn"].is_null());
    assert!(
        read("peach/002-start-verification-200.json")["data"]
            .get("verificationTypeId")
            .is_none()
    );

    // Truework: invalid_fields nested as the SDK types it.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("evidence-validate");
    std::fs::create_dir_all(&dir).unwrap();
    let nested = dir.join("truework-nested-400.json");
    std::fs::write(
        &nested,
        r#"{"error": {"message": "Invalid field values provided",
            "invalid_fields": {"target": {"first_name": ["This field is required."],
                                          "company": {"name": ["This field is required."]}},
                               "type": ["This field is required."]}}}"#,
    )
    .unwrap();
    let (code, out) = validate("truework", "createCredentialsSession", Some(400), &nested);
    assert_eq!(code, Some(0), "{out}");

    // The same checks can fail: a device's asn as a number, a nested reason that is no string,
    // an expirationDate that is not a time.
    let mut devices = read("trusona/007-get-devices-200.json");
    devices[0]["asn"] = json!(64500);
    let bad = dir.join("trusona-asn-number.json");
    std::fs::write(&bad, devices.to_string()).unwrap();
    let (code, out) = validate("trusona", "getDevices", Some(200), &bad);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("/body/0/asn: type"), "{out}");
    let bad = dir.join("truework-nested-number.json");
    std::fs::write(
        &bad,
        r#"{"error": {"message": "m", "invalid_fields": {"target": {"first_name": [42]}}}}"#,
    )
    .unwrap();
    let (code, out) = validate("truework", "createCredentialsSession", Some(400), &bad);
    assert_eq!(code, Some(1), "{out}");
    let mut shared = shared;
    shared["credentials"][2]["expirationDate"] = json!("never");
    let bad = dir.join("verified-expiration-never.json");
    std::fs::write(&bad, shared.to_string()).unwrap();
    let (code, out) = validate("verified", "getSharedCredentials", Some(200), &bad);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("/body/credentials/2/expirationDate"), "{out}");
}

#[test]
fn vouch_run_reports_the_evidence_and_fails_on_an_unlisted_rejection() {
    let reports = Path::new(env!("CARGO_TARGET_TMPDIR")).join("evidence-run-reports");
    let _ = std::fs::remove_dir_all(&reports);
    let feature = "features/harness/journal.feature";
    let run = |evidence: &Path| {
        vouch(&[
            "run",
            "--features",
            feature,
            "--reports",
            reports.to_str().unwrap(),
            "--evidence",
            evidence.to_str().unwrap(),
        ])
    };
    let o = run(&corpus_dir());
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("vendor evidence: peach "), "{out}");
    // A contract that rejects a vendor payload without a listed reason fails the run, like a
    // contract example that breaks its schema.
    let dir = copy("run-rejection");
    let file = dir.join("peach/002-start-verification-200.json");
    let mut body: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    body["data"]["maxAttempts"] = json!("three");
    std::fs::write(&file, body.to_string()).unwrap();
    let o = run(&dir);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(
        out.contains("error: vendor evidence: 1 payload(s) rejected unexpectedly"),
        "{out}"
    );
    // A corpus that cannot be read stops the run before any scenario.
    let dir = copy("run-bad-manifest");
    std::fs::write(dir.join(evidence::MANIFEST), "{").unwrap();
    let o = run(&dir);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}{err}");
    assert!(err.contains("manifest.json: not valid JSON"), "{err}");
    assert!(!out.contains("scenarios:"), "{out}");
}
