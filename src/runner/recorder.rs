//! Building the report while the suite runs: [`Recorder`] is a cucumber writer that turns
//! scenario and step events into [`ScenarioRecord`]s (status, duration, failure), and
//! [`Recorder::add_exchanges`] (called from the runner's `after` hook with the World's
//! exchanges) places each exchange in the step that sent it.

use crate::report::{ExchangeRecord, ScenarioRecord, Status, StepRecord};
use cucumber::event::{self, Cucumber, Feature, Rule, Scenario, Step};
use cucumber::{Event, gherkin, parser};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

#[derive(Default)]
struct Running {
    record: ScenarioRecord,
    started: Option<Instant>,
    /// When each step started.
    step_starts: Vec<Instant>,
}

#[derive(Default)]
struct Collected {
    running: HashMap<String, Running>,
    finished: Vec<(String, ScenarioRecord, Vec<Instant>)>,
    exchanges: HashMap<String, Vec<ExchangeRecord>>,
}

/// A cucumber writer that records scenarios; cheap to clone (clones share the records).
#[derive(Clone, Default)]
pub(super) struct Recorder {
    shared: Arc<Mutex<Collected>>,
}

/// The key joining a scenario's events with its World's exchanges.
pub(super) fn scenario_key(feature: &gherkin::Feature, scenario: &gherkin::Scenario) -> String {
    format!(
        "{}:{}:{}:{}",
        feature
            .path
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        scenario.position.line,
        scenario.position.col,
        scenario.name
    )
}

/// A panic payload as text.
fn panic_text(info: &event::Info) -> String {
    if let Some(s) = info.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = info.downcast_ref::<&str>() {
        (*s).to_string()
    } else {
        "(a panic without a message)".into()
    }
}

fn step_error_text(error: &event::StepError) -> String {
    match error {
        event::StepError::Panic(info) => panic_text(info),
        other => other.to_string(),
    }
}

fn undefined_step_text(step: &gherkin::Step) -> String {
    crate::steps::catalog::undefined_step_text(&step.keyword, &step.value)
}

fn ms(from: Option<Instant>) -> u64 {
    from.map(|s| s.elapsed().as_millis() as u64).unwrap_or(0)
}

impl Recorder {
    pub(super) fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Collected> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The exchanges a scenario's World made (from the `after` hook).
    pub(super) fn add_exchanges(&self, key: String, exchanges: Vec<ExchangeRecord>) {
        self.lock()
            .exchanges
            .entry(key)
            .or_default()
            .extend(exchanges);
    }

    /// Every finished scenario, in the order they finished, with their exchanges placed in
    /// the steps that sent them.
    pub(super) fn scenarios(&self) -> Vec<ScenarioRecord> {
        let mut collected = self.lock();
        let finished = std::mem::take(&mut collected.finished);
        let mut out = Vec::with_capacity(finished.len());
        for (key, mut record, starts) in finished {
            for exchange in collected.exchanges.remove(&key).unwrap_or_default() {
                let at = exchange.at;
                let index = at
                    .and_then(|at| starts.iter().rposition(|s| *s <= at))
                    .unwrap_or(0);
                if let Some(step) = record.steps.get_mut(index) {
                    step.exchanges.push(exchange);
                }
            }
            out.push(record);
        }
        out
    }

    fn on_scenario(
        &self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
        ev: Scenario<crate::steps::VouchWorld>,
    ) {
        let key = scenario_key(feature, scenario);
        let mut collected = self.lock();
        match ev {
            Scenario::Started => {
                let tags = feature
                    .tags
                    .iter()
                    .chain(rule.iter().flat_map(|r| &r.tags))
                    .chain(&scenario.tags)
                    .map(|t| t.trim_start_matches('@').to_string())
                    .collect();
                let record = ScenarioRecord {
                    feature: feature.name.clone(),
                    path: feature
                        .path
                        .as_deref()
                        .map(super::shown_path)
                        .unwrap_or_default(),
                    rule: rule.map(|r| r.name.clone()),
                    scenario: super::select::scenario_name(feature, scenario),
                    line: scenario.position.line,
                    tags,
                    ..Default::default()
                };
                collected.running.insert(
                    key,
                    Running {
                        record,
                        started: Some(Instant::now()),
                        step_starts: Vec::new(),
                    },
                );
            }
            Scenario::Step(step, ev) => {
                if let Some(running) = collected.running.get_mut(&key) {
                    on_step(running, &step, ev, false);
                }
            }
            Scenario::Background(step, ev) => {
                if let Some(running) = collected.running.get_mut(&key) {
                    on_step(running, &step, ev, true);
                }
            }
            Scenario::Hook(kind, event::Hook::Failed(_, info)) => {
                if let Some(running) = collected.running.get_mut(&key) {
                    running.record.status = Status::Failed;
                    running.record.failure.get_or_insert_with(|| {
                        format!("{kind:?} hook failed: {}", panic_text(&info))
                    });
                }
            }
            Scenario::Finished => {
                if let Some(mut running) = collected.running.remove(&key) {
                    running.record.duration_ms = ms(running.started);
                    if running
                        .record
                        .steps
                        .iter()
                        .any(|s| s.status != Status::Passed)
                    {
                        running.record.status = Status::Failed;
                    }
                    collected
                        .finished
                        .push((key, running.record, running.step_starts));
                }
            }
            Scenario::Hook(..) | Scenario::Log(_) => {}
        }
    }
}

fn on_step(
    running: &mut Running,
    step: &gherkin::Step,
    ev: Step<crate::steps::VouchWorld>,
    background: bool,
) {
    match ev {
        Step::Started => {
            running.step_starts.push(Instant::now());
            running.record.steps.push(StepRecord {
                keyword: step.keyword.trim().to_string(),
                text: step.value.clone(),
                line: step.position.line,
                background,
                docstring: step.docstring.clone(),
                status: Status::Skipped,
                ..Default::default()
            });
        }
        Step::Passed(..) | Step::Skipped | Step::Failed(..) => {
            let started = running.step_starts.last().copied();
            let Some(record) = running.record.steps.last_mut() else {
                return;
            };
            record.duration_ms = ms(started);
            match ev {
                Step::Passed(..) => record.status = Status::Passed,
                Step::Skipped => {
                    record.status = Status::Skipped;
                    record.failure = Some(undefined_step_text(step));
                }
                Step::Failed(_, _, _, error) => {
                    let text = match error {
                        // `fail_on_skipped`: no definition matches; name the closest ones.
                        event::StepError::NotFound => undefined_step_text(step),
                        _ => step_error_text(&error),
                    };
                    record.status = Status::Failed;
                    record.failure = Some(text.clone());
                    running.record.status = Status::Failed;
                    running.record.failure.get_or_insert(text);
                }
                Step::Started => {}
            }
        }
    }
}

impl cucumber::Writer<crate::steps::VouchWorld> for Recorder {
    type Cli = cucumber::cli::Empty;

    async fn handle_event(
        &mut self,
        ev: parser::Result<Event<Cucumber<crate::steps::VouchWorld>>>,
        _cli: &Self::Cli,
    ) {
        let Ok(Event { value, .. }) = ev else {
            return;
        };
        if let Cucumber::Feature(feature, ev) = value {
            match ev {
                Feature::Scenario(scenario, retryable) => {
                    self.on_scenario(&feature, None, &scenario, retryable.event)
                }
                Feature::Rule(rule, Rule::Scenario(scenario, retryable)) => {
                    self.on_scenario(&feature, Some(&rule), &scenario, retryable.event)
                }
                _ => {}
            }
        }
    }
}

/// The recorder keys every event by its scenario, so the order events arrive in (scenarios
/// interleave when they run concurrently) does not matter: it needs no normalising.
impl cucumber::writer::Normalized for Recorder {}
