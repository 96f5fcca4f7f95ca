//! Provenance of every rule (issue #21): a violation names its vendor source, or is
//! *unconfirmed* when the rule is our choice (`x-vouch-choice`), and then fails a command only
//! with `--strict`. The tests mark a choice in a copy of the built-in contracts
//! (`--contracts DIR`), so they hold whatever marks the real contracts carry.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use vouch::contract::{Contract, ContractSet, Provenance};

const OP_SOURCE: &str = "borrower-verification-types.txt § Create verification type";
const REQUEST_SOURCE: &str = "test: a schema-level source on VerificationTypeRequest";
const REASON: &str = "assumed every criterion names its minimum count";

/// A scratch directory unique to this test process and name (under target/).
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("provenance-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The built-in Peach contract with one choice marked: `minimumCount` of a
/// `QuestionSelectionCriterion` is required by our choice (its `questionIds` stays a vendor
/// rule), and `VerificationTypeRequest` names its own source.
fn marked_peach() -> Value {
    let embedded = ContractSet::embedded().unwrap();
    let mut doc = embedded.get("peach").unwrap().document().clone();
    let schemas = &mut doc["components"]["schemas"];
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
