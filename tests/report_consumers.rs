//! The report formats as their real consumers read them, not as vouch reads itself back:
//!
//! - `junit.xml` through Python's `junitparser` (what CI plugins and scripts parse JUnit with);
//! - `cucumber.json` through `@cucumber/cucumber-json-converter`, the Cucumber project's own
//!   validator of the format, which recognises it as one implementation's JSON or throws.
//!
//! The run is the whole suite plus one feature that must fail, so failures are read too: each
//! consumer must count every scenario and name exactly the failed ones that `report.json` names.
//! The tools are pinned and installed on first use (`tests/support/tools.rs`).

#[path = "support/tools.rs"]
mod tools;

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const JUNITPARSER: (&str, &str) = ("junitparser", "5.0.3");
const CUCUMBER_JSON_CONVERTER: (&str, &str) = ("@cucumber/cucumber-json-converter", "0.0.3");

/// A scenario that fails on any target: Truework's documented answer is 201, not 299.
const FAILING_FEATURE: &str = r#"@truework
Feature: A feature that must fail, for the report consumers
  Background:
    Given the truework API
    And the request header "Accept" is "application/json; version=2020-12-07"

  Scenario: This one passes
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 201

  Scenario: This one fails on its status
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 299
"#;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The suite and the failing feature, run by `vouch run`; the report directory.
fn run_with_a_failure() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-consumers");
    let _ = std::fs::remove_dir_all(&scratch);
    let features = scratch.join("features");
    copy_dir(&root.join("features"), &features);
    std::fs::write(
        features.join("must_fail_for_consumers.feature"),
        FAILING_FEATURE,
    )
    .unwrap();
    let reports = scratch.join("reports");
    let out = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .current_dir(root)
        .arg("run")
        // The copy of the suite with its failing feature, not the built-in suite beside it.
        .args(["--suite", "mine", "--features"])
        .arg(&features)
        .arg("--reports")
        .arg(&reports)
        .env_remove("VOUCH_CONTRACTS")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the run fails on the one failing scenario: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&reports)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(
        dirs.len(),
        1,
        "one report directory in {}",
        reports.display()
    );
    dirs.remove(0)
}

/// What a consumer read: scenarios counted, and the failed ones by `feature file: name`.
#[derive(Debug, PartialEq)]
struct Read {
    scenarios: usize,
    failed: BTreeSet<String>,
}

fn from_report(dir: &Path) -> Read {
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap();
    let scenarios = report["scenarios"].as_array().unwrap();
    Read {
        scenarios: scenarios.len(),
        failed: scenarios
            .iter()
            .filter(|s| s["status"] == "failed")
            .map(|s| {
                format!(
                    "{}: {}",
                    s["path"].as_str().unwrap(),
                    s["scenario"].as_str().unwrap()
                )
            })
            .collect(),
    }
}

fn json_from(program: &mut Command, what: &str) -> Value {
    let out = program.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} rejected the report: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{what} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

impl Read {
    /// What a reader program printed: the scenario count under `count`, the failed under `failed`.
    fn printed(value: &Value, count: &str) -> Self {
        Read {
            scenarios: value[count].as_u64().unwrap() as usize,
            failed: value["failed"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect(),
        }
    }
}

/// The failing Truework scenario got the 201 the passing ones get: it counts against that
/// status, so Truework (every documented status reached in a run of the suite) is not at
/// 100 % in `report.json` nor in `summary.md` (issue #25).
fn a_failing_scenario_counts_against_its_api(dir: &Path) {
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap();
    let coverage = report["coverage"].as_array().unwrap();
    let truework = coverage.iter().find(|c| c["api"] == "truework").unwrap();
    assert_eq!(truework["failing_scenarios"], 1, "{truework}");
    assert!(truework["score"].as_f64().unwrap() < 1.0, "{truework}");
    let summary = std::fs::read_to_string(dir.join("summary.md")).unwrap();
    let row = summary
        .lines()
        .find(|l| l.starts_with("| truework |"))
        .unwrap();
    assert!(!row.contains("| 100% ("), "{row}");
}

#[test]
fn junit_and_cucumber_json_read_by_their_real_consumers_agree_with_report_json() {
    let dir = run_with_a_failure();
    let expected = from_report(&dir);
    assert_eq!(expected.failed.len(), 1, "{expected:?}");
    a_failing_scenario_counts_against_its_api(&dir);

    let python = tools::python_with(JUNITPARSER.0, JUNITPARSER.1)
        .unwrap_or_else(|e| panic!("{e}\n(.ci/run installs junitparser into its venv)"));
    let junit = json_from(
        Command::new(python)
            .arg("-c")
            .arg(JUNIT_READER)
            .arg(dir.join("junit.xml")),
        "junitparser",
    );
    assert_eq!(
        Read::printed(&junit, "tests"),
        expected,
        "junitparser's reading of junit.xml"
    );
    assert_eq!(junit["errors"], 0);

    let converter = tools::node_package(CUCUMBER_JSON_CONVERTER.0, CUCUMBER_JSON_CONVERTER.1)
        .unwrap_or_else(|e| panic!("{e}\n(needs Node.js and npm, which this machine has)"));
    let cucumber = json_from(
        Command::new("node")
            .arg("-e")
            .arg(CUCUMBER_READER)
            .arg(converter)
            .arg(dir.join("cucumber.json")),
        "@cucumber/cucumber-json-converter",
    );
    assert_eq!(
        Read::printed(&cucumber, "scenarios"),
        expected,
        "the converter's reading of cucumber.json ({})",
        cucumber["implementation"]
    );
    // The failed step carries its message, as viewers show it.
    assert!(
        cucumber["failedMessages"][0]
            .as_str()
            .is_some_and(|m| m.contains("299")),
        "{cucumber}"
    );
}

#[test]
fn junitparser_reads_each_suites_skipped_count_as_its_skipped_cases() {
    // `vouch run` records a scenario whose step matches no definition as failed, so the
    // suite run above has no skipped case: a report built here has one per status, in two
    // features, the way `report.json` can carry them.
    use vouch::report::{Report, ScenarioRecord, Status, junit};
    let scenario = |path: &str, line: usize, status: Status| ScenarioRecord {
        feature: format!("Feature of {path}"),
        path: path.to_string(),
        scenario: format!("scenario {line}"),
        line,
        status,
        failure: (status == Status::Failed).then(|| "it failed".to_string()),
        ..Default::default()
    };
    let mut report = Report {
        scenarios: vec![
            scenario("a.feature", 1, Status::Passed),
            scenario("a.feature", 2, Status::Skipped),
            scenario("a.feature", 3, Status::Skipped),
            scenario("b.feature", 1, Status::Failed),
            scenario("b.feature", 2, Status::Skipped),
        ],
        skipped: vec!["c.feature:1 not run: @sandbox-only".to_string()],
        ..Default::default()
    };
    vouch::report::total(&mut report);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("junit-skipped");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("junit.xml");
    std::fs::write(&file, (junit::FORMAT.render)(&report, &[])).unwrap();

    let python = tools::python_with(JUNITPARSER.0, JUNITPARSER.1)
        .unwrap_or_else(|e| panic!("{e}\n(.ci/run installs junitparser into its venv)"));
    let read = json_from(
        Command::new(python)
            .arg("-c")
            .arg(JUNIT_SKIPPED_READER)
            .arg(&file),
        "junitparser",
    );
    assert_eq!(
        read["suites"],
        serde_json::json!([
            {"name": "Feature of a.feature", "skipped": 2, "cases": 2, "tests": 3},
            {"name": "Feature of b.feature", "skipped": 1, "cases": 1, "tests": 2},
        ]),
        "each suite's skipped attribute counts its <skipped/> cases"
    );
    // The root counts the cases below it too; junitparser's totals are what CI plugins show.
    assert_eq!(read["root"], serde_json::json!({"skipped": 3, "tests": 5}));
}

/// Prints, as junitparser reads them, per suite its `skipped` and `tests` attributes and the
/// cases it found skipped, and the root's attributes.
const JUNIT_SKIPPED_READER: &str = r#"
import json, sys
from junitparser import JUnitXml, Skipped
xml = JUnitXml.fromfile(sys.argv[1])
suites = []
for suite in xml:
    cases = sum(1 for case in suite if any(isinstance(r, Skipped) for r in case.result))
    suites.append({"name": suite.name, "skipped": suite.skipped, "cases": cases, "tests": suite.tests})
root = {"skipped": int(xml._elem.get("skipped")), "tests": int(xml._elem.get("tests"))}
print(json.dumps({"suites": suites, "root": root}))
"#;

/// Prints `{tests, errors, failed: ["<file>: <name>"]}` as junitparser reads them.
const JUNIT_READER: &str = r#"
import json, sys
from junitparser import JUnitXml, Failure, Error
xml = JUnitXml.fromfile(sys.argv[1])
tests, errors, failed = 0, 0, []
for suite in xml:
    for case in suite:
        tests += 1
        kinds = [type(r) for r in case.result]
        errors += kinds.count(Error)
        if Failure in kinds:
            failed.append(f"{case._elem.get('file')}: {case.name}")
print(json.dumps({"tests": tests, "errors": errors, "failed": failed}))
"#;

/// Prints `{implementation, scenarios, failed: ["<uri>: <name>"], failedMessages}` as the
/// Cucumber project's converter reads the file; it throws on a file it does not recognise.
const CUCUMBER_READER: &str = r#"
const { convert } = require(process.argv[1]);
const json = convert(JSON.parse(require("fs").readFileSync(process.argv[2], "utf8")));
let scenarios = 0; const failed = []; const failedMessages = [];
for (const feature of json.features) {
  for (const element of feature.elements) {
    if (element.type !== "scenario") continue;
    scenarios += 1;
    const bad = element.steps.filter((s) => s.result.status === "failed");
    if (bad.length) {
      failed.push(`${feature.uri}: ${element.name}`);
      failedMessages.push(...bad.map((s) => s.result.error_message || ""));
    }
  }
}
console.log(JSON.stringify({ implementation: json.implementation, scenarios, failed, failedMessages }));
"#;
