//! Provenance of every rule (issue #21): a violation names its vendor source, or is
//! *unconfirmed* when the rule is our choice (`x-vouch-choice`), and then fails a command only
//! with `--strict`. The tests mark a choice in a copy of the built-in contracts
//! (`--contracts DIR`), so they hold whatever marks the real contracts carry.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use vouch::contract::{Contract, ContractSet, Provenance};

const OP_SOURCE: &str = "Peach Verification Types § Create verification type (https://docs.peach.finance/tag/Verification-Types)";
const REQUEST_SOURCE: &str = "test: a schema-level source on VerificationTypeRequest";
const REASON: &str = "assumed every criterion names its minimum count";

/// A scratch directory unique to this test process and name (under target/).
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("provenance-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Removes `key` from every object under `value`.
fn strip(value: &mut Value, key: &str) {
    match value {
        Value::Object(map) => {
            map.remove(key);
            map.values_mut().for_each(|v| strip(v, key));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| strip(v, key)),
        _ => {}
    }
}

/// The built-in Peach contract without its own marks (so the test holds whatever the real
/// contract marks) and with one choice of the test's: `minimumCount` of a
/// `QuestionSelectionCriterion` is required by our choice (its `questionIds` stays a vendor
/// rule), and `VerificationTypeRequest` names its own source (the only one below the
/// operation's).
fn marked_peach() -> Value {
    let embedded = ContractSet::embedded().unwrap();
    let mut doc = embedded.get("peach").unwrap().document().clone();
    strip(&mut doc, "x-vouch-choice");
    let schemas = &mut doc["components"]["schemas"];
    strip(&mut schemas["QuestionSelectionCriterion"], "x-vouch-source");
    strip(&mut schemas["VerificationTypeRequest"], "x-vouch-source");
    schemas["QuestionSelectionCriterion"]["required"] = json!(["minimumCount"]);
    schemas["QuestionSelectionCriterion"]["x-vouch-choice"] = json!({
        "keywords": ["required"],
        "members": ["minimumCount"],
        "reason": REASON,
        "notes": "choice-peach-criterion-minimum",
    });
    schemas["VerificationTypeRequest"]["x-vouch-source"] = json!(REQUEST_SOURCE);
    doc
}

/// Every built-in contract in a directory (JSON is YAML), Peach with the mark.
fn marked_contracts(name: &str) -> PathBuf {
    let dir = scratch(name).join("contracts");
    std::fs::create_dir_all(&dir).unwrap();
    for c in ContractSet::embedded().unwrap().iter() {
        let doc = if c.api == "peach" {
            marked_peach()
        } else {
            c.document().clone()
        };
        std::fs::write(
            dir.join(format!("{}.yaml", c.api)),
            serde_json::to_string_pretty(&doc).unwrap(),
        )
        .unwrap();
    }
    dir
}

/// A request whose one violation is the choice: a criterion without `minimumCount`.
fn choice_only() -> Value {
    json!({"questionSelectionCriteria": [{"questionIds": ["q1"]}]})
}

fn vouch(contracts: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vouch"))
        .arg("--contracts")
        .arg(contracts)
        .args(args)
        .env_remove("VOUCH_STRICT")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn a_marked_keyword_is_a_choice_and_an_unmarked_one_names_the_nearest_source_through_a_ref() {
    let contract = Contract::from_value("peach", marked_peach(), "test").unwrap();
    let op = contract.operation("createVerificationType").unwrap();
    let body = json!({"questionSelectionCriteria": [{"questionIds": []}], "expirationInSecs": 0});
    let violations = contract.check_body(op, None, &body).unwrap();
    let at = |pointer: &str| {
        violations
            .iter()
            .find(|v| v.pointer == pointer)
            .unwrap_or_else(|| panic!("no violation at {pointer}: {violations:?}"))
    };
    // The marked keyword and member: our choice, with its reason and NOTES anchor.
    assert_eq!(
        at("/body/questionSelectionCriteria/0/minimumCount").provenance,
        Provenance::Choice {
            reason: REASON.into(),
            notes: "choice-peach-criterion-minimum".into()
        }
    );
    // Another keyword of the marked object (minItems inside it, reached through the `items`
    // $ref): a vendor rule, whose nearest source is the referring schema's, not the operation's.
    let min_items = at("/body/questionSelectionCriteria/0/questionIds");
    assert_eq!(min_items.rule, "minItems");
    assert_eq!(
        min_items.provenance,
        Provenance::Vendor {
            source: Some(REQUEST_SOURCE.into())
        }
    );
    assert!(!min_items.is_unconfirmed());
    // Without the schema-level source, the operation's.
    let mut doc = marked_peach();
    doc["components"]["schemas"]["VerificationTypeRequest"]
        .as_object_mut()
        .unwrap()
        .remove("x-vouch-source");
    let contract = Contract::from_value("peach", doc, "test").unwrap();
    let op = contract.operation("createVerificationType").unwrap();
    let violations = contract.check_body(op, None, &body).unwrap();
    let v = violations
        .iter()
        .find(|v| v.pointer == "/body/expirationInSecs")
        .unwrap();
    assert_eq!(
        v.provenance,
        Provenance::Vendor {
            source: Some(OP_SOURCE.into())
        }
    );
}

#[test]
fn a_malformed_mark_is_refused_naming_its_field() {
    let mut doc = marked_peach();
    doc["components"]["schemas"]["QuestionSelectionCriterion"]["x-vouch-choice"] =
        json!({"reason": "no anchor"});
    let e = Contract::from_value("peach", doc, "test.yaml")
        .unwrap_err()
        .to_string();
    assert!(e.contains("x-vouch-choice") && e.contains("`notes`"), "{e}");
}

#[test]
fn validate_passes_on_a_choice_alone_shows_it_unconfirmed_and_fails_with_strict() {
    let contracts = marked_contracts("validate");
    let file = contracts.parent().unwrap().join("body.json");
    std::fs::write(&file, choice_only().to_string()).unwrap();
    let file = file.to_str().unwrap();
    let args = [
        "validate",
        "--api",
        "peach",
        "--operation",
        "createVerificationType",
        "--request",
        file,
    ];
    let o = vouch(&contracts, &args);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("unconfirmed"), "{out}");
    assert!(out.contains(REASON), "{out}");
    assert!(
        out.contains("NOTES.md#choice-peach-criterion-minimum"),
        "{out}"
    );

    let strict: Vec<&str> = args.iter().copied().chain(["--strict"]).collect();
    let o = vouch(&contracts, &strict);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));

    // A vendor rule still fails by default, and names its source.
    std::fs::write(file, json!({"expirationInSecs": 0}).to_string()).unwrap();
    let o = vouch(&contracts, &args);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(&format!("vendor rule: {REQUEST_SOURCE}")),
        "{out}"
    );
}

#[test]
fn evidence_lists_a_rejection_by_a_choice_as_unconfirmed_with_each_rules_source() {
    let contracts = marked_contracts("evidence");
    let corpus = contracts.parent().unwrap().join("corpus");
    std::fs::create_dir_all(corpus.join("peach")).unwrap();
    let source = json!({"repository": "test/test", "path": "x.json", "commit": "0000000000000000000000000000000000000000"});
    let manifest = json!([
        {"file": "peach/001-choice.json", "api": "peach", "operation": "createVerificationType",
         "direction": "request", "source": source, "note": "violates only our choice"},
    ]);
    std::fs::write(corpus.join("manifest.json"), manifest.to_string()).unwrap();
    std::fs::write(corpus.join("expected-failures.txt"), "").unwrap();
    std::fs::write(
        corpus.join("peach/001-choice.json"),
        choice_only().to_string(),
    )
    .unwrap();
    let dir = corpus.to_str().unwrap();
    let o = vouch(&contracts, &["evidence", "--dir", dir]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("unconfirmed peach/001-choice.json"), "{out}");
    assert!(out.contains("1 unconfirmed (our choices)"), "{out}");
    assert!(
        out.contains(&format!(
            "unconfirmed (our choice, NOTES.md#choice-peach-criterion-minimum): {REASON}"
        )),
        "{out}"
    );
    let o = vouch(&contracts, &["evidence", "--dir", dir, "--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));

    // A vendor rule's rejection names its source.
    std::fs::write(
        corpus.join("peach/001-choice.json"),
        json!({"expirationInSecs": 0}).to_string(),
    )
    .unwrap();
    let o = vouch(&contracts, &["evidence", "--dir", dir]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(&format!("vendor rule: {REQUEST_SOURCE}")),
        "{out}"
    );
}

/// `vouch proxy --upstream mock` with the marked contracts: one request that breaks only the
/// choice, then SIGTERM; the exit status and what it printed.
#[cfg(unix)]
fn proxy_once(name: &str, extra: &[&str]) -> (Option<i32>, String, PathBuf) {
    use std::io::{BufRead, Read, Write};
    let contracts = marked_contracts(name);
    let reports = contracts.parent().unwrap().join("reports");
    let mut child = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .arg("--contracts")
        .arg(&contracts)
        .args(["proxy", "--api", "peach", "--upstream", "mock"])
        .args(["--listen", "127.0.0.1:0", "--reports"])
        .arg(&reports)
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    while !banner.contains("Ctrl-C") {
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "{banner}");
        banner.push_str(&line);
    }
    let addr = banner
        .lines()
        .next()
        .unwrap()
        .rsplit("http://")
        .next()
        .unwrap()
        .trim()
        .to_string();
    let body = choice_only().to_string();
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "POST /peach/verification-types HTTP/1.1\r\nhost: {addr}\r\nauthorization: Bearer vouch-test-token\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 4"), "{answer}");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let code = child.wait().unwrap().code();
    (code, rest, reports)
}

#[cfg(unix)]
#[test]
fn a_proxy_run_whose_only_violations_are_choices_exits_0_listing_them_and_1_with_strict() {
    let (code, out, reports) = proxy_once("proxy", &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("unconfirmed: peach createVerificationType request /body/questionSelectionCriteria/0/minimumCount: required"), "{out}");
    assert!(out.contains(REASON), "{out}");
    assert!(
        out.contains("0 failed upstream or broke the contract, 1 unconfirmed"),
        "{out}"
    );
    // The report counts it per API, and every format shows it with its reason.
    let dir = std::fs::read_dir(&reports)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let report = vouch::report::read(&dir).unwrap();
    let peach = report.coverage.iter().find(|c| c.api == "peach").unwrap();
    assert_eq!(
        (peach.confirmed_findings, peach.unconfirmed_findings),
        (0, 1)
    );
    assert_eq!((report.totals.failed, report.totals.unconfirmed), (0, 1));
    for file in ["junit.xml", "cucumber.json", "summary.md", "report.html"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(text.contains("unconfirmed"), "{file}: {text}");
        assert!(text.contains("choice-peach-criterion-minimum"), "{file}");
        assert!(!text.contains("<failure"), "{file}");
    }

    let (code, out, _) = proxy_once("proxy-strict", &["--strict"]);
    assert_eq!(code, Some(1), "{out}");
}

/// Every `x-vouch-choice` mark of a document: `(pointer, notes)`; a mark without `reason` or
/// `notes` is a problem.
fn marks(doc: &Value, at: &str, out: &mut Vec<(String, Option<String>)>) {
    match doc {
        Value::Object(map) => {
            if let Some(choice) = map.get("x-vouch-choice") {
                let items = match choice {
                    Value::Array(items) => items.clone(),
                    other => vec![other.clone()],
                };
                for item in items {
                    let text = |k: &str| {
                        item.get(k)
                            .and_then(Value::as_str)
                            .filter(|s| !s.is_empty())
                    };
                    let notes = text("reason").and(text("notes")).map(str::to_string);
                    out.push((at.to_string(), notes));
                }
            }
            for (k, v) in map {
                marks(v, &format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                marks(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// What is wrong between the contracts' marks and the NOTES § Choices rows: a mark without
/// reason or notes, a `notes` anchor NOTES lacks, a `choice-` row no mark uses.
fn choice_problems(docs: &[(String, Value)], notes_md: &str) -> Vec<String> {
    let anchors: Vec<&str> = notes_md
        .split("<a id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    let mut problems = Vec::new();
    let mut used = Vec::new();
    for (api, doc) in docs {
        let mut found = Vec::new();
        marks(doc, "", &mut found);
        for (pointer, notes) in found {
            match notes {
                None => problems.push(format!(
                    "{api} #{pointer}: a mark needs `reason` and `notes`"
                )),
                Some(n) if !anchors.contains(&n.as_str()) => {
                    problems.push(format!("{api} #{pointer}: NOTES.md has no <a id=\"{n}\">"))
                }
                Some(n) => used.push(n),
            }
        }
    }
    for a in anchors.iter().filter(|a| a.starts_with("choice-")) {
        if !used.iter().any(|u| u == a) {
            problems.push(format!(
                "NOTES.md row <a id=\"{a}\"> is used by no x-vouch-choice"
            ));
        }
    }
    problems
}

#[test]
fn every_choice_mark_has_its_reason_and_a_notes_row_and_every_row_a_mark() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs = Vec::new();
    for entry in std::fs::read_dir(root.join("contracts")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) == Some("yaml") {
            let api = path.file_stem().unwrap().to_str().unwrap().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            let c = Contract::from_yaml(&api, &text, &path.display().to_string()).unwrap();
            docs.push((api, c.document().clone()));
        }
    }
    assert!(!docs.is_empty());
    let notes = std::fs::read_to_string(root.join("contracts/NOTES.md")).unwrap();
    let problems = choice_problems(&docs, &notes);
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The check itself finds each kind of problem.
    let doc = json!({"a": {"x-vouch-choice": [
        {"reason": "r", "notes": "choice-missing"},
        {"reason": "r"},
        {"reason": "r", "notes": "choice-present"}
    ]}});
    let problems = choice_problems(
        &[("t".into(), doc)],
        "| <a id=\"choice-present\"></a> | | <a id=\"choice-unused\"></a> |",
    );
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].contains("no <a id=\"choice-missing\">"));
    assert!(problems[1].contains("needs `reason` and `notes`"));
    assert!(problems[2].contains("choice-unused"));
}

/// `vouch run` on one scenario whose request breaks only a choice of the built-in contract
/// (Peach's `expirationInSecs` minimum, `choice-peach-settings-minimum`): the run lists the
/// unconfirmed finding with its anchor and reason, and passes. (A request's violations are the
/// scenario's own input and fail no step, `--strict` or not; `--strict` turns a response's
/// unconfirmed findings into failures.)
#[test]
fn a_run_lists_a_choice_its_request_breaks_and_passes() {
    let dir = scratch("run");
    let feature = dir.join("choice.feature");
    std::fs::write(
        &feature,
        "@peach\nFeature: A choice alone\n\n  Scenario: A session length of zero\n    Given the peach API\n    When I send POST /verification-types\n      \"\"\"\n      {\"expirationInSecs\": 0}\n      \"\"\"\n    Then the response status is 400\n",
    )
    .unwrap();
    let reports = dir.join("reports");
    let out = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .arg("run")
        // Only this feature, not the built-in suite beside it.
        .args(["--suite", "mine", "--features"])
        .arg(&feature)
        .arg("--reports")
        .arg(&reports)
        .env_remove("VOUCH_STRICT")
        .env_remove("VOUCH_TARGET")
        .output()
        .unwrap();
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    assert!(
        printed.contains("unconfirmed findings (our choices; they fail only with --strict): 1")
            && printed.contains("NOTES.md#choice-peach-settings-minimum"),
        "the unconfirmed finding is listed with its anchor: {printed}"
    );
    let run = std::fs::read_dir(&reports)
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let summary = std::fs::read_to_string(run.join("summary.md")).unwrap();
    assert!(
        summary.contains("choice-peach-settings-minimum"),
        "{summary}"
    );
}
