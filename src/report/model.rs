//! vouch's report model: what a run did, scenario by scenario and step by step, with every
//! exchange (secrets masked) and the coverage of each contract. `report.json` is this model
//! serialised; its JSON Schema is `src/report/report.schema.json`.

pub use crate::exchange::{ExchangeRecord, Header, ViolationRecord};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `format` of every report.json this version writes.
pub const FORMAT: &str = "vouch-report/1";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Report {
    pub format: String,
    pub run: RunInfo,
    pub totals: Totals,
    pub scenarios: Vec<ScenarioRecord>,
    pub coverage: Vec<ApiCoverage>,
    /// Scenarios not run, with the reason.
    pub skipped: Vec<String>,
    /// Parsing or hook errors and violations in the mock's own answers.
    pub errors: Vec<String>,
    /// Fuzz results, when the run fuzzed (`null` otherwise).
    pub fuzz: Option<Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RunInfo {
    pub vouch_version: String,
    /// RFC 3339.
    pub started_at: String,
    pub duration_ms: u64,
    /// `mock`, `url` or `sandbox`; `proxy` for `vouch proxy` (one scenario per exchange).
    pub target: String,
    /// The APIs the run was limited to (empty: all).
    pub apis: Vec<String>,
    pub tags: Option<String>,
    pub contracts: Vec<ContractInfo>,
    /// Whether secrets and PII were scrubbed from the report (false with `--no-redact`).
    pub redacted: bool,
    /// This run's id (`{run_id}` in features: what made created ids unique).
    #[serde(default)]
    pub run_id: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ContractInfo {
    pub api: String,
    pub title: String,
    pub version: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Totals {
    pub scenarios: usize,
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub steps: usize,
    pub exchanges: usize,
    pub violations: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Passed,
    Failed,
    Skipped,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ScenarioRecord {
    /// The feature's name.
    pub feature: String,
    /// The feature file, relative to the working directory when below it.
    pub path: String,
    pub rule: Option<String>,
    pub scenario: String,
    pub line: usize,
    /// Tags of the feature, rule and scenario, without `@`.
    pub tags: Vec<String>,
    pub status: Status,
    pub duration_ms: u64,
    /// Why it failed (the failing step's or hook's message).
    pub failure: Option<String>,
    pub steps: Vec<StepRecord>,
}

impl ScenarioRecord {
    /// A name unique within a run: `path:line scenario`.
    pub fn id(&self) -> String {
        format!("{}:{} {}", self.path, self.line, self.scenario)
    }

    pub fn exchanges(&self) -> impl Iterator<Item = &ExchangeRecord> {
        self.steps.iter().flat_map(|s| &s.exchanges)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StepRecord {
    /// `Given`, `When`, ... (with `Background` steps marked `background`).
    pub keyword: String,
    pub text: String,
    pub line: usize,
    pub background: bool,
    pub status: Status,
    pub duration_ms: u64,
    pub failure: Option<String>,
    /// The step's docstring, if any.
    pub docstring: Option<String>,
    pub exchanges: Vec<ExchangeRecord>,
}

/// Coverage of one API's contract by a run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ApiCoverage {
    /// The API id.
    pub api: String,
    /// The conformance score: share of documented operation × status pairs the API answered
    /// by its own rules in a passing scenario without contract violations, 0–1. Answers made by
    /// injected faults do not count.
    pub score: f64,
    /// Documented operation × status pairs.
    pub documented: usize,
    /// Documented statuses answered natively in a passing scenario without violations.
    pub passing: usize,
    /// Documented statuses the API answered by its own rules at least once.
    #[serde(default)]
    pub reached_natively: usize,
    /// Documented statuses only answers made by injected faults had.
    #[serde(default)]
    pub reached_by_faults_only: usize,
    /// Documented statuses never answered.
    #[serde(default)]
    pub never_reached: usize,
    /// Documented statuses not reached natively for which the contract gives no reason
    /// (`x-vouch-unreachable`): a gap in the suite, not in the target.
    #[serde(default)]
    pub unexplained: usize,
    /// Every documented operation, in contract order.
    pub operations: Vec<OperationCoverage>,
}

impl ApiCoverage {
    /// Share of documented statuses reached natively, 0–1 (3 decimals).
    pub fn native_share(&self) -> f64 {
        share(self.reached_natively, self.documented)
    }
}

/// `part / whole`, rounded to 3 decimals; 0 for an empty whole.
pub(crate) fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        ((part as f64 / whole as f64) * 1000.0).round() / 1000.0
    }
}

/// Coverage of one documented operation.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OperationCoverage {
    /// The `operationId`.
    pub operation: String,
    /// The HTTP method.
    pub method: String,
    /// The path template.
    pub path: String,
    /// Whether any exchange matched it.
    pub exercised: bool,
    /// Every documented status, in order.
    pub statuses: Vec<StatusCoverage>,
    /// Statuses the API answered by its own rules that the contract does not document.
    pub undocumented_statuses: Vec<u16>,
    /// Statuses answered by injected faults (documented or not), shown apart from the API's own.
    #[serde(default)]
    pub fault_statuses: Vec<u16>,
    /// Vendor error codes seen in this operation's answers.
    pub error_codes: Vec<String>,
}

/// How a documented status was reached in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    /// The API answered it by its own rules at least once.
    Native,
    /// Only answers made by injected faults (marked `x-vouch-fault`) had it.
    FaultOnly,
    /// No answer had it.
    #[default]
    Never,
}

impl Reach {
    /// `native`, `fault_only` or `never`, as in report.json.
    pub fn as_str(self) -> &'static str {
        match self {
            Reach::Native => "native",
            Reach::FaultOnly => "fault_only",
            Reach::Never => "never",
        }
    }
}

/// Coverage of one documented status of an operation.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StatusCoverage {
    /// `200`, `4XX` or `default`.
    pub status: String,
    /// Answered at all (natively or by an injected fault).
    pub observed: bool,
    /// Answered natively in a passing scenario, without contract violations.
    pub passing: bool,
    /// How it was reached: natively, only through injected faults, or never.
    #[serde(default)]
    pub reached: Reach,
    /// Why the target's own rules never answer this status, from the contract's
    /// `x-vouch-unreachable` on the response (kept whether or not it was reached).
    #[serde(default)]
    pub unreachable: Option<String>,
}
