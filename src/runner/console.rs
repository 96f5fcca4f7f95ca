//! What a run prints for CI and for people (issue #25, point 2). cucumber's own writer shows
//! every step (`--output pretty`, the default on a terminal); without a terminal that is
//! thousands of lines nobody reads. So for CI:
//!
//! - [`Progress`], a cucumber writer beside the [`Recorder`](super::recorder::Recorder): one
//!   line per feature as it finishes (`path  name: N passed, M failed`);
//! - [`closing`], from the run's records once it is over: each failure once (scenarios that
//!   fail the same way grouped, with the scenarios they hit), each with the command that reruns
//!   exactly that scenario (`vouch run --features path:line`) and the curl of its last request,
//!   told how to send it again (a remote target's variable to set, or for the embedded mock,
//!   which is gone when the run ends, how to start `vouch mock serve`); then the failed
//!   scenarios as `path:line  name`; then the counts.

use super::{Output, RunOptions};
use crate::exchange::curl;
use crate::report::{ExchangeRecord, Report, ScenarioRecord, Status};
use crate::targets::TargetKind;
use cucumber::event::{self, Cucumber, Feature, Rule, Scenario, Step};
use cucumber::{Event, gherkin, parser};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

/// Where the rerun of a failure points `vouch mock serve` and the curls of an embedded-mock
/// run (the mock's documented default address).
const SERVE_ADDR: &str = "127.0.0.1:8080";

/// A failure group lists at most this many of the scenarios it hit (the failed list has all).
const HITS_SHOWN: usize = 5;

/// A cucumber writer printing one line per feature as it finishes (only with
/// [`Output::Ci`]). It keys scenarios by their place, so the order events arrive in
/// (scenarios interleave when they run concurrently) does not matter.
#[derive(Default)]
pub(super) struct Progress {
    enabled: bool,
    /// Per feature (by its place): scenarios passed and failed.
    counts: HashMap<String, (usize, usize)>,
    /// Scenarios (by their key) that have failed a step or hook.
    failing: HashSet<String>,
}

impl Progress {
    pub(super) fn new(output: Output) -> Self {
        Self {
            enabled: output == Output::Ci,
            ..Self::default()
        }
    }

    fn on_scenario(
        &mut self,
        feature: &gherkin::Feature,
        scenario: &gherkin::Scenario,
        ev: &Scenario<crate::steps::VouchWorld>,
    ) {
        let key = super::recorder::scenario_key(feature, scenario);
        match ev {
            Scenario::Step(_, Step::Failed(..) | Step::Skipped)
            | Scenario::Background(_, Step::Failed(..) | Step::Skipped)
            | Scenario::Hook(_, event::Hook::Failed(..)) => {
                self.failing.insert(key);
            }
            Scenario::Finished => {
                let counts = self.counts.entry(feature_key(feature)).or_default();
                if self.failing.remove(&key) {
                    counts.1 += 1;
                } else {
                    counts.0 += 1;
                }
            }
            _ => {}
        }
    }
}

fn feature_key(feature: &gherkin::Feature) -> String {
    feature
        .path
        .as_deref()
        .map(super::shown_path)
        .unwrap_or_else(|| feature.name.clone())
}

impl cucumber::Writer<crate::steps::VouchWorld> for Progress {
    type Cli = cucumber::cli::Empty;

    async fn handle_event(
        &mut self,
        ev: parser::Result<Event<Cucumber<crate::steps::VouchWorld>>>,
        _cli: &Self::Cli,
    ) {
        if !self.enabled {
            return;
        }
        let Ok(Event {
            value: Cucumber::Feature(feature, ev),
            ..
        }) = ev
        else {
            return;
        };
        match ev {
            Feature::Scenario(scenario, retryable) => {
                self.on_scenario(&feature, &scenario, &retryable.event)
            }
            Feature::Rule(_, Rule::Scenario(scenario, retryable)) => {
                self.on_scenario(&feature, &scenario, &retryable.event)
            }
            Feature::Finished => {
                let place = feature_key(&feature);
                if let Some((passed, failed)) = self.counts.remove(&place) {
                    println!(
                        "{place}  {}: {passed} passed, {failed} failed",
                        feature.name
                    );
                }
            }
            _ => {}
        }
    }
}

/// Events are keyed by scenario and feature, so they need no normalising.
impl cucumber::writer::Normalized for Progress {}

/// How a run's failures are rerun: the command line's head (`vouch`, with `--contracts DIR`
/// when the run had it) and the target the run used.
#[derive(Debug, Clone)]
pub struct Rerun {
    /// `--contracts DIR` as given, if the run loaded its contracts from a directory.
    pub contracts: Option<String>,
    target: TargetKind,
    mock_url: Option<String>,
}

impl Rerun {
    /// The rerun of a run with `options`, whose contracts came from `contracts` (`--contracts`).
    pub fn new(options: &RunOptions, contracts: Option<&std::path::Path>) -> Self {
        Self {
            contracts: contracts.map(|d| d.display().to_string()),
            target: options.target,
            mock_url: options.mock_url.clone(),
        }
    }

    /// `vouch [--contracts DIR]`.
    fn vouch(&self) -> String {
        match &self.contracts {
            Some(dir) => format!("vouch --contracts {dir}"),
            None => "vouch".into(),
        }
    }

    /// The command that runs exactly the scenario at `path:line` on the same target.
    pub fn command(&self, path: &str, line: usize) -> String {
        let target = match (self.target, &self.mock_url) {
            (TargetKind::Mock, _) => String::new(),
            (TargetKind::Url, Some(url)) => format!(" --target url --mock-url {url}"),
            (kind, _) => format!(" --target {}", kind.as_str()),
        };
        format!("{} run --features {path}:{line}{target}", self.vouch())
    }

    /// The lines that let a person send `exchange` again: the curl, and what it needs.
    fn curl(&self, exchange: &ExchangeRecord) -> Vec<String> {
        let mut lines = Vec::new();
        let command = if self.target == TargetKind::Mock {
            // The embedded mock's port closed with the run: point the curl at a mock the
            // person starts (its state is the seeded one, as at the scenario's start).
            lines.push(format!(
                "the embedded mock is gone: start one with `{} mock serve --addr {SERVE_ADDR}`, \
                 then rerun against it (add --target url --mock-url http://{SERVE_ADDR}) or send:",
                self.vouch()
            ));
            curl::rebase(
                &exchange.curl,
                &exchange.url,
                &format!("http://{SERVE_ADDR}"),
            )
        } else {
            exchange.curl.clone()
        };
        lines.push(command.clone());
        let variables = curl::variables(&command);
        if !variables.is_empty() {
            let whose = if self.target == TargetKind::Sandbox {
                "the credential the run used"
            } else {
                "the credential `vouch mock serve` prints"
            };
            lines.push(format!("set {} first ({whose})", variables.join(", ")));
        }
        lines
    }
}

/// What a failed scenario failed on: its message's first line and the violations of the
/// failing step's exchanges without the values found (the rest, request and response, and the
/// values a scenario sent differ from scenario to scenario), and those values.
fn failure_key(scenario: &ScenarioRecord) -> (String, Vec<String>) {
    let message = scenario.failure.as_deref().unwrap_or("(no message)");
    let mut key = message.lines().next().unwrap_or_default().to_string();
    let mut found = Vec::new();
    if let Some(exchange) = failing_exchange(scenario) {
        for v in exchange
            .request_violations
            .iter()
            .chain(&exchange.response_violations)
        {
            let op = v.operation.as_deref().unwrap_or("-");
            let pointer = if v.pointer.is_empty() {
                "/"
            } else {
                &v.pointer
            };
            let _ = write!(
                key,
                "\n  {} {op} {pointer}: {}: expected {}",
                v.direction, v.rule, v.expected
            );
            found.push(v.actual.clone());
        }
    }
    (key, found)
}

/// The last exchange of the scenario's first failing step, or of the scenario.
fn failing_exchange(scenario: &ScenarioRecord) -> Option<&ExchangeRecord> {
    let failing = scenario
        .steps
        .iter()
        .find(|s| s.status != Status::Passed)
        .and_then(|s| s.exchanges.last());
    failing.or_else(|| scenario.steps.iter().rev().find_map(|s| s.exchanges.last()))
}

/// The run's closing text (see the module docs): failures grouped, the failed scenarios, and
/// the counts (`skipped` scenarios not run).
pub fn closing(report: &Report, skipped: usize, rerun: &Rerun) -> String {
    let failed: Vec<&ScenarioRecord> = report
        .scenarios
        .iter()
        .filter(|s| s.status != Status::Passed)
        .collect();
    let passed = report.scenarios.len() - failed.len();
    let mut out = String::new();
    if !failed.is_empty() {
        let mut groups: BTreeMap<String, Group> = BTreeMap::new();
        for s in &failed {
            let (key, found) = failure_key(s);
            let group = groups.entry(key).or_default();
            group.hit.push(s);
            for value in found {
                if !group.found.contains(&value) {
                    group.found.push(value);
                }
            }
        }
        let _ = writeln!(
            out,
            "failures: {} scenario(s), {} distinct",
            failed.len(),
            groups.len()
        );
        for (key, group) in &groups {
            out.push_str(&group_text(key, group, rerun));
        }
        out.push_str("failed scenarios:\n");
        for s in &failed {
            let _ = writeln!(out, "  {}:{}  {}", s.path, s.line, s.scenario);
        }
    }
    let _ = writeln!(
        out,
        "scenarios: {passed} passed, {} failed, {skipped} skipped",
        failed.len()
    );
    out
}

/// The scenarios that failed one way, and the values their violations found.
#[derive(Default)]
struct Group<'a> {
    hit: Vec<&'a ScenarioRecord>,
    found: Vec<String>,
}

/// One failure and the scenarios it hit, the command that reruns the first, and its curl.
fn group_text(key: &str, group: &Group<'_>, rerun: &Rerun) -> String {
    let hit = &group.hit;
    let mut out = String::new();
    let (first, rest) = key.split_once('\n').unwrap_or((key, ""));
    let _ = writeln!(out, "FAILED x{}: {first}", hit.len());
    if !rest.is_empty() {
        let _ = writeln!(out, "{rest}");
        let _ = writeln!(out, "  found: {}", group.found.join(", "));
    }
    let places: Vec<String> = hit
        .iter()
        .take(HITS_SHOWN)
        .map(|s| format!("{}:{}", s.path, s.line))
        .collect();
    let more = hit.len().saturating_sub(HITS_SHOWN);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    let _ = writeln!(out, "  in {}{more}", places.join(", "));
    let _ = writeln!(out, "  rerun: {}", rerun.command(&hit[0].path, hit[0].line));
    if let Some(exchange) = failing_exchange(hit[0]) {
        for line in rerun.curl(exchange) {
            let _ = writeln!(out, "    {line}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(target: TargetKind) -> RunOptions {
        RunOptions {
            target,
            mock_url: Some("http://h:1".into()),
            ..RunOptions::default()
        }
    }

    #[test]
    fn the_rerun_names_the_target_and_the_contracts() {
        let mock = Rerun::new(&options(TargetKind::Mock), Some("c".as_ref()));
        assert_eq!(
            mock.command("f.feature", 3),
            "vouch --contracts c run --features f.feature:3"
        );
        let url = Rerun::new(&options(TargetKind::Url), None);
        assert_eq!(
            url.command("f.feature", 3),
            "vouch run --features f.feature:3 --target url --mock-url http://h:1"
        );
        let sandbox = Rerun::new(&options(TargetKind::Sandbox), None);
        assert!(sandbox.command("f", 1).ends_with("--target sandbox"));
    }

    fn exchange() -> ExchangeRecord {
        ExchangeRecord {
            url: "http://127.0.0.1:40111/peach/x".into(),
            curl: "curl -sS -X GET 'http://127.0.0.1:40111/peach/x' -H 'authorization: Bearer '\"$VOUCH_PEACH_TOKEN\"".into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_embedded_mock_curl_points_at_a_mock_the_person_starts() {
        let lines = Rerun::new(&options(TargetKind::Mock), None).curl(&exchange());
        assert!(
            lines[0].contains("vouch mock serve --addr 127.0.0.1:8080"),
            "{lines:?}"
        );
        assert!(
            lines[1].contains("'http://127.0.0.1:8080/peach/x'"),
            "{lines:?}"
        );
        assert!(
            lines[2].starts_with("set VOUCH_PEACH_TOKEN first"),
            "{lines:?}"
        );
    }

    #[test]
    fn a_sandbox_curl_says_which_variable_to_set() {
        let lines = Rerun::new(&options(TargetKind::Sandbox), None).curl(&exchange());
        assert_eq!(lines[0], exchange().curl);
        assert_eq!(
            lines[1],
            "set VOUCH_PEACH_TOKEN first (the credential the run used)"
        );
    }

    #[test]
    fn identical_failures_are_grouped_and_every_failed_scenario_listed() {
        let failed = |line, name: &str| ScenarioRecord {
            path: "features/a.feature".into(),
            line,
            scenario: name.into(),
            status: Status::Failed,
            failure: Some("expected status 400, got 200\n  request: ...".into()),
            ..Default::default()
        };
        let report = Report {
            scenarios: vec![
                failed(3, "one"),
                failed(9, "two"),
                ScenarioRecord::default(),
            ],
            ..Default::default()
        };
        let text = closing(&report, 4, &Rerun::new(&options(TargetKind::Mock), None));
        assert_eq!(
            text.matches("FAILED x2: expected status 400, got 200")
                .count(),
            1,
            "{text}"
        );
        assert!(
            text.contains("rerun: vouch run --features features/a.feature:3\n"),
            "{text}"
        );
        assert!(
            text.ends_with(
                "failed scenarios:\n  features/a.feature:3  one\n  features/a.feature:9  two\n\
                 scenarios: 1 passed, 2 failed, 4 skipped\n"
            ),
            "{text}"
        );
    }
}
