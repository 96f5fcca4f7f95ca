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

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ApiCoverage {
    pub api: String,
    /// Share of documented operation × status pairs observed in a passing scenario without
    /// contract violations, 0–1.
    pub score: f64,
    pub documented: usize,
    pub passing: usize,
    /// How much of the vendor-published evidence (`tests/vendor-evidence/`) the contract
    /// accepts; `null` when the run checked no corpus (see [`crate::evidence`]).
    #[serde(default)]
    pub evidence: Option<crate::evidence::Summary>,
    pub operations: Vec<OperationCoverage>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OperationCoverage {
    pub operation: String,
    pub method: String,
    pub path: String,
    pub exercised: bool,
    pub statuses: Vec<StatusCoverage>,
    /// Statuses answered that the contract does not document.
    pub undocumented_statuses: Vec<u16>,
    /// Vendor error codes seen in this operation's answers.
    pub error_codes: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StatusCoverage {
    /// `200`, `4XX` or `default`.
    pub status: String,
    pub observed: bool,
    /// Observed in a passing scenario, without contract violations.
    pub passing: bool,
}
