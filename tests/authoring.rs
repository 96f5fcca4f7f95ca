//! Help for people writing features (issue #25, point 6): `vouch steps` lists the whole step
//! library with examples, an undefined step names the closest steps, `Given the <api> API`
//! selects a scenario by `--api`, and Scenario Outline rows have names of their own.

use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

fn vouch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("VOUCH_CONTRACTS")
        .env_remove("VOUCH_TARGET")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("authoring-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `(module, keyword, pattern)` of every step attribute in `src/steps/*.rs`, read from the
/// source text (not from the registry `vouch steps` reads), the anchors taken off.
fn registered_in_source() -> BTreeSet<(String, String, String)> {
    let attribute =
        Regex::new(r#"(?s)#\[(given|when|then)\(\s*regex\s*=\s*r(#*)"(.*?)"(#*)\s*\)\]"#).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/steps");
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let module = path.file_stem().unwrap().to_str().unwrap().to_string();
        let source = std::fs::read_to_string(&path).unwrap();
        let attributes = source.matches("#[given(").count()
            + source.matches("#[when(").count()
            + source.matches("#[then(").count();
        let mut found = 0;
        for c in attribute.captures_iter(&source) {
            let keyword = match &c[1] {
                "given" => "Given",
                "when" => "When",
                _ => "Then",
            };
            let pattern = c[3].trim_start_matches('^').trim_end_matches('$');
            out.insert((module.clone(), keyword.to_string(), pattern.to_string()));
            found += 1;
        }
        assert_eq!(
            found, attributes,
            "{module}: a step attribute this test cannot read"
        );
    }
    out
}

/// `vouch steps`' listing: per step `(module, keyword, pattern)` and its example.
fn listed(args: &[&str]) -> BTreeMap<(String, String, String), Option<String>> {
    let o = vouch(&[&["steps"], args].concat());
    assert!(o.status.success(), "{}", text(&o.stderr));
    let mut out = BTreeMap::new();
    let mut module = String::new();
    let mut last = None;
    for line in text(&o.stdout).lines() {
        if let Some(head) = line.strip_prefix("## ") {
            module = head.split(':').next().unwrap().to_string();
        } else if let Some(example) = line.strip_prefix("      ") {
            out.insert(last.clone().unwrap(), Some(example.to_string()));
        } else if let Some(step) = line.strip_prefix("  ") {
            let (keyword, pattern) = step.split_once(' ').unwrap();
            let key = (module.clone(), keyword.to_string(), pattern.to_string());
            out.insert(key.clone(), None);
            last = Some(key);
        }
    }
    out
}

#[test]
fn steps_lists_every_registered_step_with_an_example_matching_it_alone() {
    let listing = listed(&[]);
    let listed_steps: BTreeSet<_> = listing.keys().cloned().collect();
    assert_eq!(
        listed_steps,
        registered_in_source(),
        "`vouch steps` and the step attributes in src/steps differ"
    );
    for ((module, keyword, pattern), example) in &listing {
        let example = example
            .as_deref()
            .unwrap_or_else(|| panic!("{module}: `{keyword} {pattern}` has no example"));
        let (example_keyword, line) = example.split_once(' ').unwrap();
        assert_eq!(example_keyword, keyword, "{example}");
        let matching: Vec<&String> = listing
            .keys()
            .filter(|(_, k, p)| {
                k == keyword && Regex::new(&format!("^{p}$")).unwrap().is_match(line)
            })
            .map(|(_, _, p)| p)
            .collect();
        assert_eq!(matching, [pattern], "`{example}` matches {matching:?}");
    }
}

#[test]
fn steps_for_one_api_lists_the_generic_steps_and_that_api_s_own() {
    let peach = listed(&["--api", "peach"]);
    let modules: BTreeSet<&str> = peach.keys().map(|(m, _, _)| m.as_str()).collect();
    assert!(modules.contains("http") && modules.contains("peach_verification_types"));
    assert!(
        !modules
            .iter()
            .any(|m| m.starts_with("verified_") || m.starts_with("trusona_")),
        "{modules:?}"
    );
    let o = vouch(&["steps", "--api", "pech"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("--api") && err.contains("unknown API `pech` (known: peach"),
        "{err}"
    );
}

/// Writes a feature file under a directory that names no API, and runs it.
fn run_feature(name: &str, feature: &str, extra: &[&str]) -> (Output, PathBuf) {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("features/mine")).unwrap();
    std::fs::write(dir.join("features/mine/mine.feature"), feature).unwrap();
    let features = dir.join("features");
    let reports = dir.join("reports");
    let mut args = vec![
        "run",
        // Only this feature, not the built-in suite beside it.
        "--suite",
        "mine",
        "--features",
        features.to_str().unwrap(),
        "--reports",
        reports.to_str().unwrap(),
        "--jobs",
        "1",
    ];
    args.extend(extra);
    let o = vouch(&args);
    let run = std::fs::read_dir(&reports)
        .map(|rd| rd.flatten().map(|e| e.path()).max().unwrap_or_default())
        .unwrap_or_default();
    (o, run)
}

#[test]
fn an_undefined_step_names_the_closest_steps_in_every_report() {
    let (o, reports) = run_feature(
        "undefined",
        "Feature: typo\n  Scenario: a typo\n    Given the peach API\n    When I send GET /verification-types\n    Then the respons status is 200\n",
        &[],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    for file in [
        "report.json",
        "junit.xml",
        "cucumber.json",
        "summary.md",
        "report.html",
    ] {
        let body = std::fs::read_to_string(reports.join(file)).unwrap();
        assert!(
            body.contains("no step definition matches")
                && body.contains("did you mean:")
                && body.contains("Then the response status is 201"),
            "{file} does not name the closest step"
        );
    }
}

const TWO_APIS: &str = "Feature: untagged, outside an API's folder
  Scenario: peach questions
    Given the peach API
    When I send GET /verification-questions
    Then the response status is 200

  Scenario: truework without a credential
    Given the truework API
    And I use no credentials
    When I send POST /credentials/session
    Then the response status is 401
";

#[test]
fn the_api_a_scenario_chooses_selects_it_by_api() {
    let (o, reports) = run_feature("by-api", TWO_APIS, &["--api", "peach"]);
    assert!(
        o.status.success(),
        "{}\n{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(reports.join("report.json")).unwrap())
            .unwrap();
    let names: Vec<&str> = report["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["scenario"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["peach questions"]);
}

const OUTLINE: &str = "Feature: outline rows
  Scenario Outline: a page of verification types
    Given the peach API
    When I send GET /verification-types?limit=<limit>
    Then the response status is 200

    Examples:
      | limit | ssn         |
      | 1     | 123-45-6789 |
      | 2     |             |

  Scenario Outline: <what> is listed
    Given the peach API
    When I send GET <path>
    Then the response status is 200

    Examples:
      | what      | path                    |
      | questions | /verification-questions |
      | types     | /verification-types     |
";

#[test]
fn outline_rows_are_named_by_their_example_values() {
    let (o, reports) = run_feature("outline", OUTLINE, &[]);
    assert!(
        o.status.success(),
        "{}\n{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    let junit = std::fs::read_to_string(reports.join("junit.xml")).unwrap();
    let names: Vec<String> = Regex::new(r#"<testcase name="([^"]*)""#)
        .unwrap()
        .captures_iter(&junit)
        .map(|c| c[1].to_string())
        .collect();
    assert_eq!(
        names,
        [
            "a page of verification types (limit=1, ssn=&lt;redacted&gt;, line 9)",
            "a page of verification types (limit=2, ssn=&lt;redacted&gt;, line 10)",
            // Its name already carries the values.
            "questions is listed",
            "types is listed",
        ]
    );
    assert!(!junit.contains("6789"), "an SSN in a test case's name");

    // `--name` takes the name as reported: one row by its values.
    let (o, reports) = run_feature("outline-name", OUTLINE, &["--name", "(limit=2"]);
    assert!(
        o.status.success(),
        "{}\n{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    let junit = std::fs::read_to_string(reports.join("junit.xml")).unwrap();
    assert_eq!(junit.matches("<testcase ").count(), 1, "{junit}");
    assert!(
        junit.contains("(limit=2, ssn=&lt;redacted&gt;, line 10)"),
        "{junit}"
    );
}

#[test]
fn no_two_test_cases_of_the_full_suite_share_a_junit_name() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let options = vouch::runner::RunOptions {
        features: root.join("features"),
        config: root.join("vouch.toml"),
        ..Default::default()
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let report = runtime.block_on(async {
        let contracts = Arc::new(vouch::contract::ContractSet::embedded().unwrap());
        let targets = vouch::runner::targets(&options, &contracts).await.unwrap();
        vouch::runner::run_on(&options, contracts, targets)
            .await
            .unwrap()
            .report
    });
    let junit = (vouch::report::junit::FORMAT.render)(&report, &[]);
    let case = Regex::new(r#"<testcase name="([^"]*)" classname="([^"]*)""#).unwrap();
    let mut seen = BTreeMap::new();
    let mut cases = 0;
    for c in case.captures_iter(&junit) {
        *seen
            .entry((c[2].to_string(), c[1].to_string()))
            .or_insert(0) += 1;
        cases += 1;
    }
    assert!(cases > 500, "{cases} test cases");
    let shared: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(shared.is_empty(), "test cases sharing a name: {shared:#?}");
}
