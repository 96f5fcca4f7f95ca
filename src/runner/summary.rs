//! How a run went: its counts, its errors (unparsable features, failed hooks, the mocks' own
//! answers that break a contract, grouped and blamed on what is at fault) and whether what it
//! skipped fails it.

use super::{Ran, RunOptions, pool};
use crate::contract::ContractSet;
use crate::report;

/// How a run went.
#[derive(Debug, Clone, Default)]
pub struct RunSummary {
    /// Everything the run did, for the report files (see [`crate::report`]).
    pub report: crate::report::Report,
    /// Scenarios that passed.
    pub passed: usize,
    /// Scenarios that ran and did not pass.
    pub failed: usize,
    /// Scenarios not run, with the reason.
    pub skipped: Vec<String>,
    /// Why scenarios were not run, each reason with how many it kept from running, most first.
    pub skip_reasons: Vec<(String, usize)>,
    /// Parsing or hook errors, and (on the mock) contract violations in the mock's own answers.
    pub errors: Vec<String>,
    /// The vendor evidence checked against the contracts (with [`RunOptions::evidence`]).
    pub evidence: Option<crate::evidence::Check>,
}

impl RunSummary {
    /// Whether the run passed: no scenario failed and there were no errors (skipped
    /// scenarios do not count against it).
    pub fn succeeded(&self) -> bool {
        self.failed == 0 && self.errors.is_empty()
    }
}

/// The run's counts and errors: unparsable feature files, failed hooks, and the mocks' own
/// answers that break their contract (their self-check).
pub(super) fn summarize(
    ran: &Ran,
    skipped: Vec<String>,
    evidence: Option<crate::evidence::Check>,
    pool: &pool::Pool,
    contracts: &ContractSet,
) -> RunSummary {
    let passed = ran
        .scenarios
        .iter()
        .filter(|s| s.status == report::Status::Passed)
        .count();
    let mut summary = RunSummary {
        report: Default::default(),
        passed,
        failed: ran.scenarios.len() - passed,
        skipped,
        errors: Vec::new(),
        evidence,
        ..Default::default()
    };
    if ran.parsing_errors > 0 {
        summary.errors.push(format!(
            "{} feature file(s) could not be parsed",
            ran.parsing_errors
        ));
    }
    if ran.hook_errors > 0 {
        summary
            .errors
            .push(format!("{} hook(s) failed", ran.hook_errors));
    }
    // Each violation once, with how often the mock's answers broke it: a contract edited with
    // `--contracts` that the mock does not follow breaks the same rule in every scenario.
    let violations = pool.all().iter().flat_map(|t| t.self_check_violations());
    for (violation, times) in group(violations.map(|v| self_check_text(&v)).collect()) {
        let api = violation.split(' ').next().unwrap_or_default();
        let given = contracts
            .get(api)
            .is_ok_and(|c| !c.origin.starts_with("embedded:"));
        let blame = if given {
            "the contract given with --contracts disagrees with the mock's answer"
        } else {
            "the mock's own answer breaks its contract"
        };
        let times = if times > 1 {
            format!(" ({times} times)")
        } else {
            String::new()
        };
        summary.errors.push(format!("{blame}{times}: {violation}"));
    }
    summary
}

/// A self-check violation as the run's errors group it: array indices as `*` and without the
/// value found, so one rule broken in every item of every page is one line.
fn self_check_text(v: &crate::contract::Violation) -> String {
    let pointer: Vec<&str> = v
        .pointer
        .split('/')
        .map(|p| {
            if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) {
                "*"
            } else {
                p
            }
        })
        .collect();
    let pointer = pointer.join("/");
    let op = v
        .operation
        .as_deref()
        .map(|o| format!("{o} "))
        .unwrap_or_default();
    format!(
        "{} {op}{} {}: {}: expected {}",
        v.api,
        v.direction,
        if pointer.is_empty() { "/" } else { &pointer },
        v.rule,
        v.expected
    )
}

/// Equal texts counted, most frequent first (then in text order).
pub(super) fn group(texts: Vec<String>) -> Vec<(String, usize)> {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for text in texts {
        *counts.entry(text).or_default() += 1;
    }
    let mut grouped: Vec<(String, usize)> = counts.into_iter().collect();
    grouped.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    grouped
}

/// Why the run fails for what it skipped: every selected scenario skipped (a run that checked
/// nothing is not green: a CI job whose secret expired would pass forever), or more than
/// `--max-skipped`. The reasons are grouped (`no peach credential: set VOUCH_PEACH_TOKEN: 100
/// scenarios`), so the message says what to set.
pub(super) fn too_many_skipped(options: &RunOptions, summary: &RunSummary) -> Option<String> {
    let skipped = summary.skipped.len();
    let selected = skipped + summary.passed + summary.failed;
    let head = if skipped > 0 && skipped == selected {
        format!("every selected scenario ({skipped}) was skipped")
    } else {
        let max = options.max_skipped?;
        if !max.exceeded(skipped, selected) {
            return None;
        }
        format!(
            "{skipped} of {selected} selected scenarios were skipped, more than --max-skipped {max}"
        )
    };
    let reasons: Vec<String> = summary
        .skip_reasons
        .iter()
        .map(|(reason, n)| format!("{reason}: {n} scenario{}", if *n == 1 { "" } else { "s" }))
        .collect();
    Some(format!("{head}: {}", reasons.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(passed: usize, skipped: &[&str]) -> RunSummary {
        let reasons: Vec<String> = skipped.iter().map(|r| r.to_string()).collect();
        RunSummary {
            passed,
            skipped: reasons.clone(),
            skip_reasons: group(reasons),
            ..Default::default()
        }
    }

    #[test]
    fn a_run_that_skipped_everything_fails_with_its_reasons_grouped() {
        let options = RunOptions::default();
        let why = too_many_skipped(&options, &summary(0, &["set A", "set B", "set A"]))
            .expect("all skipped fails");
        assert_eq!(
            why,
            "every selected scenario (3) was skipped: set A: 2 scenarios; set B: 1 scenario"
        );
        assert_eq!(too_many_skipped(&options, &summary(1, &["set A"])), None);
        let strict = RunOptions {
            max_skipped: Some(super::super::MaxSkipped::Count(0)),
            ..RunOptions::default()
        };
        let why = too_many_skipped(&strict, &summary(1, &["set A"])).expect("over the max");
        assert!(why.starts_with("1 of 2 selected scenarios were skipped, more than --max-skipped 0: set A: 1 scenario"), "{why}");
    }
}
