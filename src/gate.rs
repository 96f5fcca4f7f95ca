//! The release gate (`vouch diff`): what changed between a baseline report and a current one.
//!
//! Scenarios are matched by feature file and name (not line, which moves when features are
//! edited); coverage by API, operation and documented status; response shapes by API,
//! operation and status; vendor evidence by API. A regression (passed → failed), lost coverage
//! (a documented status passing in the baseline and not now) or a contract that rejects more
//! of the vendor's own payloads than before fails the gate unless its name is allowed.

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
    /// as `no change`).
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
    }

    /// The diff as text for a terminal or a CI log.
    pub fn render(&self) -> String {
        if self.is_empty() {
            return "no change\n".into();
        }
        let mut out = String::new();
        let mut section = |title: &str, items: &[String]| {
            if !items.is_empty() {
                out.push_str(&format!("{title} ({}):\n", items.len()));
                for i in items {
                    out.push_str(&format!("  {i}\n"));
                }
            }
        };
        section("regressions (passed → failed)", &self.regressions);
        section("lost coverage", &self.lost_coverage);
        section("new failures", &self.new_failures);
        section("fixed", &self.fixed);
        section("newly covered", &self.newly_covered);
        section("vendor evidence", &self.evidence_changes);
        section("allowed", &self.allowed);
        section(
            "new unconfirmed findings (our choices; information, a failure only with --strict)",
            &self.new_unconfirmed,
        );
        if !self.shape_changes.is_empty() {
            out.push_str(&format!(
                "response shape changes ({}):\n",
                self.shape_changes.len()
            ));
            for (name, diff) in &self.shape_changes {
                out.push_str(&format!("  {name}\n"));
                for line in diff.lines() {
                    out.push_str(&format!("    {line}\n"));
                }
            }
        }
        out
    }
}

/// Scenarios by `path: name` (repeated names numbered `#2`, `#3`, ...), and the fuzz run's
/// operation × check pairs and gaps as `fuzz/<api>: <operation> <check>` (`Report::cases`), so
/// a check that passed and now fails is a regression like a scenario.
fn scenarios(report: &Report) -> BTreeMap<String, Status> {
    let mut out = BTreeMap::new();
    for s in &report.cases() {
        let base = format!("{}: {}", s.path, s.scenario);
        let mut name = base.clone();
        let mut n = 1;
        while out.contains_key(&name) {
            n += 1;
            name = format!("{base} #{n}");
        }
        out.insert(name, s.status);
    }
    out
}

/// `api operation status` of every documented status observed passing.
fn covered(report: &Report) -> BTreeSet<String> {
    report
        .coverage
        .iter()
        .flat_map(|api| {
            api.operations.iter().flat_map(move |op| {
                op.statuses
                    .iter()
                    .filter(|s| s.passing)
                    .map(move |s| format!("{} {} {}", api.api, op.operation, s.status))
            })
        })
        .collect()
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
    let (before, after) = (scenarios(baseline), scenarios(current));
    for (name, status) in &after {
        match (before.get(name), status) {
            (Some(Status::Passed), Status::Failed) => d.regressions.push(name.clone()),
            (None, Status::Failed) => d.new_failures.push(name.clone()),
            (Some(Status::Failed), Status::Passed) => d.fixed.push(name.clone()),
            _ => {}
        }
    }
    // A scenario that passed and is gone is lost coverage of the suite itself.
    for (name, status) in &before {
        if *status == Status::Passed && !after.contains_key(name) {
            d.lost_coverage
                .push(format!("{name} (scenario no longer runs)"));
        }
    }
    let (was, now) = (covered(baseline), covered(current));
    d.newly_covered = now.difference(&was).cloned().collect();
    d.lost_coverage.extend(was.difference(&now).cloned());
    let (shapes_before, shapes_after) = (shapes(baseline), shapes(current));
    for (key, after) in &shapes_after {
        if let Some(before) = shapes_before.get(key)
            && before != after
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
    for (name, worse) in evidence(baseline, current) {
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
        let r = report(Status::Passed, true, "/ object\n/id string");
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
}
