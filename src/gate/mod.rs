//! The release gate (`vouch diff`): what changed between a baseline report and a current one.
//!
//! Scenarios are matched by feature file and name (not line, which moves when features are
//! edited); coverage by API, operation and documented status; response shapes by API,
//! operation and status; vendor evidence by API. A regression (passed → failed), lost coverage
//! (a documented status passing in the baseline and not now) or a contract that rejects more
//! of the vendor's own payloads than before fails the gate unless its name is allowed.
//!
//! Each regression carries its violation (the failing step's message). The gate says when the
//! two runs cannot be compared as they stand (issue #25): other selections (only what both
//! ran is compared, and what was left out is stated), other contracts (each changed contract
//! is listed, even one no scenario reached), or a report from an older vouch that recorded
//! neither (compared as before, with a warning).

mod context;
mod render;

use crate::report::{Report, Status};
use std::collections::{BTreeMap, BTreeSet};

/// Everything that changed; each entry is a name `--allow` accepts.
#[derive(Debug, Default, Clone)]
pub struct Diff {
    /// Passed in the baseline, failed now.
    pub regressions: Vec<String>,
    /// Failed now and absent from the baseline.
    pub new_failures: Vec<String>,
    /// Failed in the baseline, passed now.
    pub fixed: Vec<String>,
    /// `api operation status` passing now and not in the baseline.
    pub newly_covered: Vec<String>,
    /// `api operation status` passing in the baseline and not now.
    pub lost_coverage: Vec<String>,
    /// `api operation status` and a unified diff of the response shapes.
    pub shape_changes: Vec<(String, String)>,
    /// `api vendor evidence (…)`: how much of the vendor's published payloads the contract
    /// accepts, where that changed. More rejected than before is a regression too (the
    /// contract moved away from what the vendor sends) and is listed in `regressions`.
    pub evidence_changes: Vec<String>,
    /// Regressions and lost coverage named by `--allow`.
    pub allowed: Vec<String>,
    /// Unconfirmed findings (violations of our choices, `x-vouch-choice`) the baseline did not
    /// have, as `api operation direction pointer rule (NOTES.md#anchor)`: information, not a
    /// regression, unless `--strict` ([`Diff::fails_strict`]).
    pub new_unconfirmed: Vec<String>,
    /// The violation of each regression and new failure, by its name: the failing step's
    /// message and the contract violations it lists.
    pub violations: BTreeMap<String, String>,
    /// Why the two runs may not compare as they stand: other selections, other contracts, a
    /// report that recorded neither.
    pub warnings: Vec<String>,
    /// `api contract changed (sha256 … → …)` for each contract whose hash differs, whether or
    /// not a scenario reached the change: information, not a failure.
    pub contract_changes: Vec<String>,
    /// What was not compared because only one run's selection had it.
    pub left_out: Vec<String>,
}

impl Diff {
    /// Whether the gate fails: a regression or lost coverage that was not allowed.
    pub fn fails(&self) -> bool {
        !self.regressions.is_empty() || !self.lost_coverage.is_empty()
    }

    /// As [`Diff::fails`]; with `strict`, a new unconfirmed finding fails too.
    pub fn fails_strict(&self, strict: bool) -> bool {
        self.fails() || (strict && !self.new_unconfirmed.is_empty())
    }

    /// Whether the two runs differ in nothing the diff tracks (no list has an entry; rendered
    /// as `no change`, after the warnings if any).
    pub fn is_empty(&self) -> bool {
        self.regressions.is_empty()
            && self.new_failures.is_empty()
            && self.fixed.is_empty()
            && self.newly_covered.is_empty()
            && self.lost_coverage.is_empty()
            && self.shape_changes.is_empty()
            && self.evidence_changes.is_empty()
            && self.allowed.is_empty()
            && self.new_unconfirmed.is_empty()
            && self.contract_changes.is_empty()
            && self.left_out.is_empty()
    }
}

/// Scenarios by `path: name` (repeated names numbered `#2`, `#3`, ...), and the fuzz run's
/// operation × check pairs and gaps as `fuzz/<api>: <operation> <check>` (`Report::cases`), so
/// a check that passed and now fails is a regression like a scenario.
fn scenarios(report: &Report) -> BTreeMap<String, (Status, Option<String>)> {
    let mut out = BTreeMap::new();
    for s in &report.cases() {
        let base = format!("{}: {}", s.path, s.scenario);
        let mut name = base.clone();
        let mut n = 1;
        while out.contains_key(&name) {
            n += 1;
            name = format!("{base} #{n}");
        }
        out.insert(name, (s.status, s.failure.clone()));
    }
    out
}

/// `api operation status` of every documented status observed passing.
fn covered(report: &Report) -> BTreeSet<String> {
    statuses(report, |s| s.passing)
}

/// `api operation status` of every documented status the run answered at all.
fn observed(report: &Report) -> BTreeSet<String> {
    statuses(report, |s| s.observed)
}

/// `api operation status` of every documented status that `keep` keeps.
fn statuses(report: &Report, keep: fn(&crate::report::StatusCoverage) -> bool) -> BTreeSet<String> {
    report
        .coverage
        .iter()
        .flat_map(|api| {
            api.operations.iter().flat_map(move |op| {
                op.statuses
                    .iter()
                    .filter(move |s| keep(s))
                    .map(move |s| format!("{} {} {}", api.api, op.operation, s.status))
            })
        })
        .collect()
}

/// The violation of a failed scenario, from its failure message: the failing step's first
/// line, and the contract violations the explanation lists after it (at most 3).
fn violation_of(failure: &str) -> String {
    let mut lines = failure.lines();
    let mut out = lines.next().unwrap_or("failed").trim().to_string();
    let mut listed = 0;
    let mut in_violations = false;
    for line in lines {
        if line.trim_end().ends_with("contract violations:") {
            in_violations = true;
        } else if let Some(v) = line
            .trim_start()
            .strip_prefix("- ")
            .filter(|_| in_violations)
        {
            // `src/steps/explain.rs` lists each violation as `- api operation direction
            // /pointer: rule: …`.
            if listed < 3 {
                out.push_str(&format!("; {}", v.trim()));
                listed += 1;
            }
        } else {
            in_violations = false;
        }
    }
    out
}

/// The response shapes seen per `api operation status`, each shape's lines merged.
fn shapes(report: &Report) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for s in &report.scenarios {
        for e in s.exchanges() {
            if let (Some(op), Some(status), Some(shape)) =
                (&e.operation, e.status, &e.response_shape)
            {
                out.entry(format!("{} {op} {status}", e.api))
                    .or_default()
                    .extend(shape.lines().map(str::to_string));
            }
        }
    }
    out
}

/// Each API's vendor evidence where it changed: a name for the change, and whether the contract
/// now rejects more of the vendor's payloads (unlisted rejections) than it did.
fn evidence(baseline: &Report, current: &Report) -> Vec<(String, bool)> {
    let by_api = |r: &Report| -> BTreeMap<String, crate::evidence::Summary> {
        r.coverage
            .iter()
            .filter_map(|a| a.evidence.map(|e| (a.api.clone(), e)))
            .collect()
    };
    let (before, after) = (by_api(baseline), by_api(current));
    let show = |e: &crate::evidence::Summary| {
        format!(
            "{}/{} accepted, {} rejected",
            e.accepted, e.total, e.rejected
        )
    };
    let apis: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    apis.into_iter()
        .filter_map(|api| match (before.get(api), after.get(api)) {
            (Some(b), Some(a)) if b != a => Some((
                format!("{api} vendor evidence ({} → {})", show(b), show(a)),
                a.rejected > b.rejected,
            )),
            (Some(b), None) => Some((
                format!("{api} vendor evidence ({} → not checked)", show(b)),
                false,
            )),
            (None, Some(a)) => Some((
                format!("{api} vendor evidence (not checked → {})", show(a)),
                a.rejected > 0,
            )),
            _ => None,
        })
        .collect()
}

/// What changed from `baseline` to `current`; `allow` names expected changes.
pub fn diff(baseline: &Report, current: &Report, allow: &[String]) -> Diff {
    let mut d = Diff::default();
    let compared = context::compare(baseline, current, &mut d);
    let (before, after) = (scenarios(baseline), scenarios(current));
    for (name, (status, failure)) in &after {
        let was = before.get(name).map(|(s, _)| s);
        match (was, status) {
            (Some(Status::Passed), Status::Failed) => d.regressions.push(name.clone()),
            (None, Status::Failed) => d.new_failures.push(name.clone()),
            (Some(Status::Failed), Status::Passed) => d.fixed.push(name.clone()),
            _ => continue,
        }
        if *status == Status::Failed {
            let why = failure.as_deref().map_or("failed".into(), violation_of);
            d.violations.insert(name.clone(), why);
        }
    }
    // A scenario that passed and is gone is lost coverage of the suite itself, unless the
    // current run did not select it.
    let mut outside = 0;
    for (name, (status, _)) in &before {
        if *status == Status::Passed && !after.contains_key(name) {
            if compared.same_selection {
                d.lost_coverage
                    .push(format!("{name} (scenario no longer runs)"));
            } else {
                outside += 1;
            }
        }
    }
    if outside > 0 {
        d.left_out.push(format!(
            "{outside} passing scenario(s) of the baseline the current selection did not run"
        ));
    }
    let (was, now) = (covered(baseline), covered(current));
    d.newly_covered = now.difference(&was).cloned().collect();
    // Under another selection, a status the current run did not even reach is outside it, not
    // lost: only one it reached and no longer passes is.
    let reached = observed(current);
    let (lost, outside): (Vec<String>, Vec<String>) = was
        .difference(&now)
        .cloned()
        .partition(|key| compared.same_selection || reached.contains(key));
    d.lost_coverage.extend(lost);
    if !outside.is_empty() {
        d.left_out.push(format!(
            "{} documented status(es) passing in the baseline that the current selection did not reach",
            outside.len()
        ));
    }
    let (shapes_before, shapes_after) = (shapes(baseline), shapes(current));
    for (key, after) in &shapes_after {
        // Under another selection, fewer scenarios see fewer members: only a member or type
        // the baseline never saw is a change.
        if let Some(before) = shapes_before.get(key)
            && before != after
            && (compared.same_selection || !after.is_subset(before))
        {
            let old = before.iter().cloned().collect::<Vec<_>>().join("\n") + "\n";
            let new = after.iter().cloned().collect::<Vec<_>>().join("\n") + "\n";
            let text = similar::TextDiff::from_lines(&old, &new)
                .unified_diff()
                .context_radius(2)
                .header("baseline", "current")
                .to_string();
            d.shape_changes.push((key.clone(), text));
        }
    }
    let both: BTreeSet<&str> = current.coverage.iter().map(|a| a.api.as_str()).collect();
    let in_both = |name: &String| {
        compared.same_selection
            || baseline
                .coverage
                .iter()
                .any(|a| both.contains(a.api.as_str()) && name.starts_with(&format!("{} ", a.api)))
    };
    for (name, worse) in evidence(baseline, current)
        .into_iter()
        .filter(|(name, _)| in_both(name))
    {
        if worse {
            d.regressions.push(name.clone());
        }
        d.evidence_changes.push(name);
    }
    let (was, now) = (unconfirmed(baseline), unconfirmed(current));
    d.new_unconfirmed = now.difference(&was).cloned().collect();
    let is_allowed = |name: &String| {
        allow
            .iter()
            .any(|a| a == name || name.starts_with(&format!("{a} (")))
    };
    for list in [&mut d.regressions, &mut d.lost_coverage] {
        let (allowed, kept): (Vec<String>, Vec<String>) =
            std::mem::take(list).into_iter().partition(is_allowed);
        *list = kept;
        d.allowed.extend(allowed);
    }
    d
}

/// Every unconfirmed finding of a run, as `api operation direction pointer rule (NOTES.md#…)`.
fn unconfirmed(report: &Report) -> std::collections::BTreeSet<String> {
    report
        .scenarios
        .iter()
        .flat_map(|s| s.exchanges())
        .flat_map(|e| {
            e.request_violations
                .iter()
                .chain(&e.response_violations)
                .filter_map(move |v| match &v.provenance {
                    crate::contract::Provenance::Choice { notes, .. } => Some(format!(
                        "{} {} {} {} {} (NOTES.md#{notes})",
                        e.api,
                        v.operation.as_deref().unwrap_or("-"),
                        v.direction,
                        v.pointer,
                        v.rule
                    )),
                    _ => None,
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{
        ApiCoverage, ExchangeRecord, OperationCoverage, ScenarioRecord, StatusCoverage, StepRecord,
    };

    fn report(status: Status, passing: bool, shape: &str) -> Report {
        Report {
            scenarios: vec![ScenarioRecord {
                path: "features/peach/x.feature".into(),
                scenario: "Read it back".into(),
                status,
                steps: vec![StepRecord {
                    exchanges: vec![ExchangeRecord {
                        api: "peach".into(),
                        operation: Some("getThing".into()),
                        status: Some(200),
                        response_shape: Some(shape.into()),
                        ..Default::default()
                    }],
                    ..Default::default()
                }],
                ..Default::default()
            }],
            coverage: vec![ApiCoverage {
                api: "peach".into(),
                operations: vec![OperationCoverage {
                    operation: "getThing".into(),
                    statuses: vec![StatusCoverage {
                        status: "200".into(),
                        observed: true,
                        passing,
                        ..Default::default()
                    }],
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_report_against_itself_has_no_change() {
        let mut r = report(Status::Passed, true, "/ object\n/id string");
        recorded(&mut r, None, "aaaa");
        let d = diff(&r, &r, &[]);
        assert!(d.is_empty() && !d.fails(), "{}", d.render());
        assert_eq!(d.render(), "no change\n");
    }

    #[test]
    fn a_regression_and_lost_coverage_fail_unless_allowed() {
        let before = report(Status::Passed, true, "/ object\n/id string");
        let after = report(Status::Failed, false, "/ object\n/id number");
        let d = diff(&before, &after, &[]);
        assert!(d.fails());
        assert_eq!(d.regressions, ["features/peach/x.feature: Read it back"]);
        assert_eq!(d.lost_coverage, ["peach getThing 200"]);
        assert!(
            d.shape_changes[0].1.contains("-/id string\n+/id number"),
            "{}",
            d.render()
        );
        let d = diff(
            &before,
            &after,
            &[
                "features/peach/x.feature: Read it back".into(),
                "peach getThing 200".into(),
            ],
        );
        assert!(!d.fails(), "{}", d.render());
        assert_eq!(d.allowed.len(), 2);
        let back = diff(&after, &before, &[]);
        assert_eq!(back.fixed.len(), 1);
        assert_eq!(back.newly_covered, ["peach getThing 200"]);
    }

    fn with_evidence(accepted: usize, rejected: usize) -> Report {
        let mut r = report(Status::Passed, true, "/ object");
        r.coverage[0].evidence = Some(crate::evidence::Summary {
            accepted,
            total: 3,
            expected_failures: 3 - accepted - rejected,
            rejected,
            unconfirmed: 0,
        });
        r
    }

    #[test]
    fn a_new_unconfirmed_finding_is_information_unless_strict() {
        let before = report(Status::Passed, true, "/ object");
        let mut after = before.clone();
        after.scenarios[0].steps[0].exchanges[0].response_violations =
            vec![crate::report::ViolationRecord {
                direction: "response".into(),
                operation: Some("getThing".into()),
                pointer: "/body/x".into(),
                rule: "required".into(),
                provenance: crate::contract::Provenance::Choice {
                    reason: "assumed".into(),
                    notes: "choice-x".into(),
                },
                ..Default::default()
            }];
        let d = diff(&before, &after, &[]);
        assert_eq!(
            d.new_unconfirmed,
            ["peach getThing response /body/x required (NOTES.md#choice-x)"]
        );
        assert!(!d.fails() && !d.fails_strict(false) && d.fails_strict(true));
        assert!(d.render().contains("new unconfirmed findings"));
    }

    #[test]
    fn a_contract_that_rejects_more_vendor_evidence_fails_unless_allowed() {
        let (good, worse) = (with_evidence(3, 0), with_evidence(2, 1));
        let d = diff(&good, &worse, &[]);
        assert!(d.fails(), "{}", d.render());
        assert_eq!(
            d.regressions,
            ["peach vendor evidence (3/3 accepted, 0 rejected → 2/3 accepted, 1 rejected)"]
        );
        assert!(
            d.render().contains("vendor evidence (1):"),
            "{}",
            d.render()
        );
        assert!(!diff(&good, &worse, &["peach vendor evidence".into()]).fails());
        // Better, or only moved between accepted and expected failures: shown, never failing.
        let back = diff(&worse, &good, &[]);
        assert!(
            !back.fails() && back.evidence_changes.len() == 1,
            "{}",
            back.render()
        );
        let moved = diff(&good, &with_evidence(2, 0), &[]);
        assert!(!moved.fails() && moved.evidence_changes.len() == 1);
        assert!(diff(&good, &good, &[]).is_empty());
        // A run that checked no corpus is not a regression; one that starts rejecting is.
        let unchecked = report(Status::Passed, true, "/ object");
        assert!(!diff(&good, &unchecked, &[]).fails());
        assert!(diff(&unchecked, &worse, &[]).fails());
    }

    fn recorded(r: &mut Report, name: Option<&str>, hash: &str) {
        r.selection = Some(crate::report::Selection {
            name: name.map(str::to_string),
            features: "features".into(),
            ..Default::default()
        });
        r.contract_set = Some(crate::report::ContractSetRecord {
            source: "built-in".into(),
            sha256: format!("all-{hash}"),
            contracts: vec![crate::report::ContractHash {
                api: "peach".into(),
                sha256: hash.into(),
            }],
        });
    }

    #[test]
    fn a_regression_carries_its_violation() {
        let before = report(Status::Passed, true, "/ object");
        let mut after = report(Status::Failed, false, "/ object");
        after.scenarios[0].failure = Some(
            "expected status 200, got 200 with a broken body\n  operation: getThing\n  response contract violations:\n  - /body/id: type: expected string, got 1\n  reproduce:\n  - not a violation".into(),
        );
        let d = diff(&before, &after, &[]);
        let name = "features/peach/x.feature: Read it back";
        assert_eq!(d.regressions, [name]);
        assert_eq!(
            d.violations[name],
            "expected status 200, got 200 with a broken body; /body/id: type: expected string, got 1"
        );
        let text = d.render();
        assert!(
            text.contains(&format!("  {name}\n      violation: expected status 200")),
            "{text}"
        );
        let md = d.render_markdown(false);
        assert!(md.starts_with("## vouch diff: ❌ regression"), "{md}");
        assert!(md.contains("### regressions (passed → failed) (1)"), "{md}");
        assert!(md.contains(": `expected status 200"), "{md}");
    }

    #[test]
    fn a_contract_change_no_scenario_reached_is_reported() {
        let mut before = report(Status::Passed, true, "/ object");
        let mut after = before.clone();
        recorded(&mut before, None, "aaaa");
        recorded(&mut after, None, "bbbb");
        let d = diff(&before, &after, &[]);
        assert_eq!(
            d.contract_changes,
            ["peach contract changed (sha256 aaaa → bbbb)"]
        );
        assert!(!d.fails() && !d.is_empty(), "{}", d.render());
        assert!(
            d.render().contains("contract changes (1)"),
            "{}",
            d.render()
        );
        recorded(&mut after, None, "aaaa");
        assert!(diff(&before, &after, &[]).is_empty());
    }

    #[test]
    fn other_selections_are_warned_and_only_what_both_ran_is_compared() {
        let mut full = report(Status::Passed, true, "/ object");
        full.scenarios.push(ScenarioRecord {
            path: "features/trusona/y.feature".into(),
            scenario: "Scan".into(),
            ..Default::default()
        });
        let mut named = report(Status::Passed, true, "/ object");
        named.coverage[0].operations[0].statuses[0].passing = false;
        named.coverage[0].operations[0].statuses[0].observed = false;
        recorded(&mut full, None, "aaaa");
        recorded(&mut named, Some("Read"), "aaaa");
        let d = diff(&full, &named, &[]);
        assert!(
            d.warnings[0].starts_with("the runs selected different scenarios (baseline: every scenario in features; current: --name \"Read\")"),
            "{:?}",
            d.warnings
        );
        assert!(d.lost_coverage.is_empty() && !d.fails(), "{}", d.render());
        assert_eq!(d.left_out.len(), 2, "{:?}", d.left_out);
        // What both ran still counts: reached and no longer passing is lost.
        named.coverage[0].operations[0].statuses[0].observed = true;
        let d = diff(&full, &named, &[]);
        assert_eq!(d.lost_coverage, ["peach getThing 200"]);
        // The same selection: the scenario gone is lost coverage, as before.
        recorded(&mut named, None, "aaaa");
        assert!(diff(&full, &named, &[]).lost_coverage.len() == 2);
    }

    #[test]
    fn an_older_report_without_selection_or_hashes_diffs_with_a_warning() {
        let old = report(Status::Passed, true, "/ object");
        let mut new = old.clone();
        recorded(&mut new, None, "aaaa");
        let d = diff(&old, &new, &[]);
        assert!(!d.fails());
        assert_eq!(d.warnings.len(), 2, "{:?}", d.warnings);
        assert!(
            d.warnings
                .iter()
                .all(|w| w.contains("the baseline report records no"))
        );
    }
}
