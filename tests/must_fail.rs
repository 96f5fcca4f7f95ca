//! vouch's checks must be able to fail, each for the reason it exists.
//!
//! Every `@must-fail` scenario in `features/` (each named `MUST FAIL - ...`) breaks one
//! assertion on purpose, against a deliberately wrong expectation or a target the mock's fault
//! injection breaks. A comment above it says which step must fail and with what:
//!
//! ```gherkin
//! # expect-failure: the response status is 201 :: expected status 201, got 200
//! Scenario: MUST FAIL - wrong status
//! ```
//!
//! (the step's text without its keyword, then ` :: ` and a piece of its failure message). The
//! suite runs them alone against the embedded mock, and from the run's report this test
//! requires, per scenario, that the Background and every step before the named one passed and
//! that the named step failed with that message: a broken Background, or a step failing for
//! another reason, fails the test instead of counting as a proof.
//!
//! It also requires every assertion step of the step library (`src/steps/*.rs`) to be the
//! failing step of at least one such scenario, so a new assertion without its proof fails
//! here. The assertion steps are found in the step definitions themselves: every `#[then]`,
//! and every `#[given]` or `#[when]` that reads the answer (`world.json()`,
//! `world.exchange()`), sends through the automatic contract check (`world.send(`) or explains
//! a failure with the exchange (`world.explain()`), itself or through a function of
//! `src/steps/` it calls. Setup steps (choosing the API or a credential, the mock's admin
//! calls, the subject's and the wallet user's actions) check nothing about the target.

use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use vouch::contract::ContractSet;
use vouch::report::{ScenarioRecord, Status};
use vouch::runner::{self, RunOptions};

const EXPECT: &str = "# expect-failure:";

/// What one must-fail scenario must do.
#[derive(Debug)]
struct Expected {
    path: PathBuf,
    line: usize,
    name: String,
    /// The failing step's text, without its keyword.
    step: String,
    /// A piece of its failure message.
    message: String,
}

fn feature_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            feature_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "feature") {
            out.push(path);
        }
    }
}

/// The `# expect-failure:` comment above the scenario at `line` (1-based), past its tags.
fn expectation_above(lines: &[&str], line: usize) -> Option<(String, String)> {
    for text in lines[..line.saturating_sub(1)].iter().rev() {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix(EXPECT) {
            let (step, message) = rest.split_once(" :: ")?;
            return Some((step.trim().to_string(), message.trim().to_string()));
        }
        if !(text.starts_with('@') || text.starts_with('#')) {
            return None;
        }
    }
    None
}

/// Every `@must-fail` scenario under `dir` with its expectation; a scenario without one is a
/// problem.
fn expectations(dir: &Path, problems: &mut Vec<String>) -> Vec<Expected> {
    use cucumber::gherkin::{Feature, GherkinEnv, Scenario};
    let mut files = Vec::new();
    feature_files(dir, &mut files);
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let feature = Feature::parse_path(&path, GherkinEnv::default()).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let tagged = |tags: &[String]| {
            tags.iter()
                .any(|t| t.trim_start_matches('@') == "must-fail")
        };
        let mut scenarios: Vec<(&Scenario, bool)> = feature
            .scenarios
            .iter()
            .map(|s| (s, tagged(&feature.tags) || tagged(&s.tags)))
            .collect();
        for rule in &feature.rules {
            scenarios.extend(rule.scenarios.iter().map(|s| {
                let must = tagged(&feature.tags) || tagged(&rule.tags) || tagged(&s.tags);
                (s, must)
            }));
        }
        for (scenario, must_fail) in scenarios {
            if !must_fail {
                continue;
            }
            let place = format!("{}:{}", path.display(), scenario.position.line);
            match expectation_above(&lines, scenario.position.line) {
                Some((step, message)) => out.push(Expected {
                    path: path.clone(),
                    line: scenario.position.line,
                    name: scenario.name.clone(),
                    step,
                    message,
                }),
                None => problems.push(format!(
                    "{place} `{}` has no `{EXPECT} <step text> :: <message>` comment above it",
                    scenario.name
                )),
            }
        }
    }
    out
}

/// A step definition of the library.
#[derive(Debug)]
struct StepDef {
    kind: String,
    regex: String,
    file: String,
    function: String,
}

/// The step definitions in `src/steps/`, and which of them assert (see the module docs).
fn step_library(dir: &Path) -> (Vec<StepDef>, BTreeSet<String>) {
    let attribute = Regex::new(
        r##"#\[(given|when|then)\(\s*regex\s*=\s*(?:r#"((?s:.*?))"#|r"([^"]*)")\s*,?\s*\)\]"##,
    )
    .unwrap();
    let function = Regex::new(r"(?m)^(?:pub(?:\([a-z]+\))?\s+)?(?:async\s+)?fn\s+(\w+)").unwrap();
    let call = Regex::new(r"(?:super::(\w+)::)?(\w+)\(").unwrap();
    // (file, function) -> (body without white space, the functions it calls)
    let mut bodies: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut defs = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    for path in &files {
        let module = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        let starts: Vec<(usize, String)> = function
            .captures_iter(&text)
            .map(|c| (c.get(0).unwrap().start(), c[1].to_string()))
            .collect();
        for (start, name) in &starts {
            let end = text[*start..]
                .find("\n}\n")
                .map_or(text.len(), |e| start + e);
            let body: String = text[*start..end].split_whitespace().collect();
            bodies.insert((module.clone(), name.clone()), body);
        }
        for c in attribute.captures_iter(&text) {
            let at = c.get(0).unwrap().end();
            let Some((_, name)) = starts.iter().find(|(s, _)| *s > at) else {
                continue;
            };
            defs.push(StepDef {
                kind: c[1].to_string(),
                regex: c.get(2).or(c.get(3)).unwrap().as_str().to_string(),
                file: module.clone(),
                function: name.clone(),
            });
        }
    }
    let markers = [
        "world.send(",
        ".explain()",
        "world.json()",
        "world.exchange()",
    ];
    let resolve = |file: &str, module: Option<&str>, name: &str| -> Option<(String, String)> {
        let key = (module.unwrap_or(file).to_string(), name.to_string());
        if bodies.contains_key(&key) {
            return Some(key);
        }
        let mut everywhere = bodies.keys().filter(|(_, n)| n == name);
        match (everywhere.next(), everywhere.next()) {
            (Some(only), None) => Some(only.clone()),
            _ => None,
        }
    };
    let asserts = |file: &str, function: &str| -> bool {
        let mut seen = BTreeSet::new();
        let mut todo = vec![(file.to_string(), function.to_string())];
        while let Some(key) = todo.pop() {
            if !seen.insert(key.clone()) {
                continue;
            }
            let Some(body) = bodies.get(&key) else {
                continue;
            };
            if markers.iter().any(|m| body.contains(m)) {
                return true;
            }
            for c in call.captures_iter(body) {
                let start = c.get(0).unwrap().start();
                if body[..start].ends_with('.') {
                    continue; // a method: the markers cover the World's
                }
                if let Some(next) = resolve(&key.0, c.get(1).map(|m| m.as_str()), &c[2]) {
                    todo.push(next);
                }
            }
        }
        false
    };
    let asserting = defs
        .iter()
        .filter(|d| d.kind == "then" || asserts(&d.file, &d.function))
        .map(|d| d.regex.clone())
        .collect();
    (defs, asserting)
}

/// Checks one scenario's record against its expectation.
fn check(expected: &Expected, record: Option<&ScenarioRecord>) -> Result<(), String> {
    let place = format!(
        "{}:{} `{}`",
        expected.path.display(),
        expected.line,
        expected.name
    );
    let record = record.ok_or_else(|| format!("{place} did not run"))?;
    let Some(index) = record.steps.iter().position(|s| s.status != Status::Passed) else {
        return Err(format!(
            "{place} passed: a check that cannot fail (expected `{}` to fail)",
            expected.step
        ));
    };
    let failed = &record.steps[index];
    let message = failed.failure.clone().unwrap_or_default();
    let before = if failed.background {
        "in the Background, "
    } else {
        ""
    };
    if failed.text != expected.step {
        return Err(format!(
            "{place} failed {before}at `{}` (line {}), not at `{}`:\n{message}",
            failed.text, failed.line, expected.step
        ));
    }
    if !message.contains(&expected.message) {
        return Err(format!(
            "{place} failed at `{}` for another reason: `{}` is not in\n{message}",
            expected.step, expected.message
        ));
    }
    if record.status != Status::Failed {
        return Err(format!("{place} is recorded as {:?}", record.status));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_must_fail_scenario_fails_at_its_step_for_its_reason() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let features = root.join("features");
    let mut problems = Vec::new();
    let expected = expectations(&features, &mut problems);
    let found = expected.len() + problems.len();
    assert!(
        found >= 10,
        "the must-fail scenarios are missing ({found} found)"
    );

    let options = RunOptions {
        features,
        must_fail: true,
        ..RunOptions::default()
    };
    let contracts = Arc::new(ContractSet::embedded().unwrap());
    let target = runner::target(&options, &contracts).await.unwrap();
    let summary = runner::run(&options, contracts, target).await.unwrap();
    problems.extend(summary.errors.iter().map(|e| format!("run error: {e}")));
    let records: BTreeMap<(PathBuf, usize), &ScenarioRecord> = summary
        .report
        .scenarios
        .iter()
        .map(|s| ((root.join(&s.path), s.line), s))
        .collect();
    for e in &expected {
        if let Err(problem) = check(e, records.get(&(e.path.clone(), e.line)).copied()) {
            problems.push(problem);
        }
    }
    assert_eq!(
        records.len(),
        expected.len(),
        "scenarios ran that are not must-fail scenarios of features/"
    );

    let (defs, asserting) = step_library(&root.join("src/steps"));
    assert!(
        defs.len() >= 30 && asserting.len() >= 20,
        "the step definitions were not found ({} steps, {} asserting)",
        defs.len(),
        asserting.len()
    );
    // The discovery itself: a send step asserts (the contract check), choosing the API does not.
    assert!(
        asserting.contains(r"^I send ([A-Z]+) (\S+)$"),
        "{asserting:?}"
    );
    assert!(!asserting.contains(r"^the (\w+) API$"), "{asserting:?}");
    let compiled: Vec<(&StepDef, Regex)> = defs
        .iter()
        .map(|d| (d, Regex::new(&d.regex).unwrap()))
        .collect();
    let mut proven = BTreeSet::new();
    for e in &expected {
        let matching: BTreeSet<&str> = compiled
            .iter()
            .filter(|(_, re)| re.is_match(&e.step))
            .map(|(d, _)| d.regex.as_str())
            .collect();
        if matching.len() > 1 {
            problems.push(format!("`{}` matches several steps: {matching:?}", e.step));
        }
        proven.extend(matching);
    }
    for def in &defs {
        if asserting.contains(&def.regex) && !proven.contains(def.regex.as_str()) {
            problems.push(format!(
                "no must-fail scenario fails at the assertion step `{}` (src/steps/{}.rs, fn {}): \
                 add one with an `{EXPECT}` comment",
                def.regex, def.file, def.function
            ));
            proven.insert(def.regex.as_str()); // once per regex (a step may be given/when/then)
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
