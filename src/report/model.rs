//! vouch's report model: what a run did, scenario by scenario and step by step, with every
//! exchange (secrets masked) and the coverage of each contract. `report.json` is this model
//! serialised; its JSON Schema is `src/report/report.schema.json`.

pub use crate::exchange::{ExchangeRecord, Header, ViolationRecord};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `format` of every report.json this version writes.
pub const FORMAT: &str = "vouch-report/1";

/// One run of `vouch run` (or `vouch proxy`): `report.json` is this, serialised.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Report {
    /// The report format's version: [`FORMAT`] (`vouch-report/1`) for reports this version
    /// writes.
    pub format: String,
    /// What was run, where, when and with which contracts.
    pub run: RunInfo,
    /// Counts of scenarios, steps, exchanges and violations (see [`crate::report::total`]).
    pub totals: Totals,
    /// Every scenario run, in the order they finished; for `vouch proxy`, one per exchange.
    pub scenarios: Vec<ScenarioRecord>,
    /// Coverage of each selected contract, ordered by API id.
    pub coverage: Vec<ApiCoverage>,
    /// Scenarios not run, with the reason.
    pub skipped: Vec<String>,
    /// Problems outside the scenarios: feature files that could not be parsed, failed hooks,
    /// violations in the mock's own answers; for `vouch proxy`, the proxy's own problems.
    pub errors: Vec<String>,
    /// Fuzz results (`vouch run --fuzz`: cases, tally, failures, unsupported schema constructs);
    /// `None` (`null`) when the run did not fuzz.
    pub fuzz: Option<Value>,
}

/// What was run, where, when and with which contracts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RunInfo {
    /// The version of vouch that ran (its crate version, e.g. `0.1.0`).
    pub vouch_version: String,
    /// When the run started, RFC 3339 in UTC (`vouch run` writes whole seconds:
    /// `2025-01-31T09:15:00Z`).
    pub started_at: String,
    /// How long the whole run took, in milliseconds.
    pub duration_ms: u64,
    /// `mock`, `url` or `sandbox`; `proxy` for `vouch proxy` (one scenario per exchange).
    pub target: String,
    /// The APIs the run was limited to (empty: all).
    pub apis: Vec<String>,
    /// The cucumber tag expression the run was limited to (`--tags`); `None` for no limit.
    pub tags: Option<String>,
    /// The contracts of the selected APIs, ordered by API id.
    pub contracts: Vec<ContractInfo>,
    /// Whether secrets and PII were scrubbed from the report (false with `--no-redact`).
    pub redacted: bool,
    /// This run's id (`{run_id}` in features: what made created ids unique); empty for
    /// `vouch proxy` and in reports written before it was added.
    #[serde(default)]
    pub run_id: String,
}

/// A contract the run checked against.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ContractInfo {
    /// The API id (`verified`, `trusona`, ...).
    pub api: String,
    /// The contract's `info.title`.
    pub title: String,
    /// The contract's `info.version`: the vendor API version it describes.
    pub version: String,
}

/// Counts over the whole run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Totals {
    /// Scenarios run (skipped ones, listed in [`Report::skipped`], not included).
    pub scenarios: usize,
    /// Scenarios that passed.
    pub passed: usize,
    /// Scenarios that failed.
    pub failed: usize,
    /// Scenarios not run: those in [`Report::skipped`] plus any recorded as skipped.
    pub skipped: usize,
    /// Steps recorded, background steps included.
    pub steps: usize,
    /// Requests sent (answered or not) across all scenarios.
    pub exchanges: usize,
    /// Contract violations across all exchanges, request and response.
    pub violations: usize,
}

/// How a scenario or step ended (serialised in lower case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// It ran to the end without failing.
    #[default]
    Passed,
    /// A step or hook failed (for a scenario: any of its steps did not pass).
    Failed,
    /// It did not run to the end: for a step, no step definition matched it.
    Skipped,
}

impl Status {
    /// The serialised form: `passed`, `failed` or `skipped`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
        }
    }
}

/// One scenario run: its place in the features, how it ended, and its steps.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ScenarioRecord {
    /// The feature's name.
    pub feature: String,
    /// The feature file, relative to the working directory when below it.
    pub path: String,
    /// The name of the Gherkin `Rule:` the scenario sits under; `None` outside a rule.
    pub rule: Option<String>,
    /// The scenario's name (secrets and PII scrubbed unless `--no-redact`).
    pub scenario: String,
    /// The line of the scenario in the feature file (1-based); for `vouch proxy`, the
    /// exchange's sequence number.
    pub line: usize,
    /// Tags of the feature, rule and scenario, without `@`.
    pub tags: Vec<String>,
    /// How the scenario ended.
    pub status: Status,
    /// How long the scenario took, in milliseconds.
    pub duration_ms: u64,
    /// Why it failed (the first failing step's or hook's message); `None` when it passed.
    pub failure: Option<String>,
    /// The steps that ran (background steps included), in the order they ran.
    pub steps: Vec<StepRecord>,
}

impl ScenarioRecord {
    /// A name unique within a run: `path:line scenario`.
    pub fn id(&self) -> String {
        format!("{}:{} {}", self.path, self.line, self.scenario)
    }

    /// Every exchange of every step, in order.
    pub fn exchanges(&self) -> impl Iterator<Item = &ExchangeRecord> {
        self.steps.iter().flat_map(|s| &s.exchanges)
    }
}

/// One step run, with the requests it sent.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StepRecord {
    /// `Given`, `When`, ... (with `Background` steps marked `background`).
    pub keyword: String,
    /// The step's text after the keyword (secrets and PII scrubbed unless `--no-redact`).
    pub text: String,
    /// The step's line in the feature file (1-based); for `vouch proxy`, the exchange's
    /// sequence number.
    pub line: usize,
    /// Whether the step comes from the feature's `Background:`.
    pub background: bool,
    /// How the step ended.
    pub status: Status,
    /// How long the step took, in milliseconds.
    pub duration_ms: u64,
    /// Why it failed or was skipped (the step's panic or error message); `None` when it
    /// passed.
    pub failure: Option<String>,
    /// The step's docstring, if any.
    pub docstring: Option<String>,
    /// The requests sent while this step ran, in order.
    pub exchanges: Vec<ExchangeRecord>,
}

/// How much of one API's contract the run covered.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ApiCoverage {
    /// The API id (`verified`, `trusona`, ...).
    pub api: String,
    /// Share of documented operation × status pairs observed in a passing scenario without
    /// response violations, 0–1: `passing / documented`, rounded to three decimals (`0` when
    /// nothing is documented).
    pub score: f64,
    /// Documented operation × status pairs (each response key of each operation).
    pub documented: usize,
    /// Of those, the pairs observed in a passing scenario without response violations.
    pub passing: usize,
    /// How much of the vendor-published evidence (`tests/vendor-evidence/`) the contract
    /// accepts; `null` when the run checked no corpus (see [`crate::evidence`]).
    #[serde(default)]
    pub evidence: Option<crate::evidence::Summary>,
    /// Every operation of the contract, in document order.
    pub operations: Vec<OperationCoverage>,
}

/// How much of one operation the run covered.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OperationCoverage {
    /// The operation's `operationId`.
    pub operation: String,
    /// The HTTP method, upper case.
    pub method: String,
    /// The path template as the contract writes it (`/credentials/{id}`).
    pub path: String,
    /// Whether any exchange of the run matched this operation (a request that got no response
    /// at all carries no operation, so it does not count).
    pub exercised: bool,
    /// One entry per documented response key, sorted: codes, ranges, then `default`.
    pub statuses: Vec<StatusCoverage>,
    /// Statuses answered that the contract does not document, ascending.
    pub undocumented_statuses: Vec<u16>,
    /// Vendor error codes seen in this operation's answers, sorted, each once.
    pub error_codes: Vec<String>,
}

/// Whether one documented response of an operation was seen.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StatusCoverage {
    /// The documented response key: `200`, `4XX` or `default`.
    pub status: String,
    /// Some answer was covered by this key (an exact code before a range before `default`).
    pub observed: bool,
    /// Observed in a passing scenario, in an answer without response violations (request
    /// violations, e.g. of a deliberately malformed request, do not count against it).
    pub passing: bool,
}
