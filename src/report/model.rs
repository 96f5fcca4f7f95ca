//! vouch's report model: what a run did, scenario by scenario and step by step, with every
//! exchange (secrets masked) and the coverage of each contract. `report.json` is this model
//! serialised; its JSON Schema is `src/report/report.schema.json`.

pub use crate::exchange::{ExchangeRecord, Header, ViolationRecord};
use serde::{Deserialize, Serialize};

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
    /// Fuzz results (`vouch run --fuzz`: cases, tally, failures, links, gaps, unsupported
    /// schema constructs); `None` (`null`) when the run did not fuzz. The formats render them
    /// as cases beside the scenarios ([`Report::cases`]).
    pub fuzz: Option<super::FuzzRun>,
    /// A shard's fingerprints of the values it scrubbed (`<length>:<HMAC-SHA256 under
    /// VOUCH_SCRUB_KEY, 128 bits hex>`), for `vouch merge` to scrub them from every shard;
    /// empty (and absent from the JSON) otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scrub_fingerprints: Vec<String>,
    /// Which scenarios the run selected (`--api`, `--tags`, `--name`, `--features`,
    /// `--shard`); `None` for `vouch proxy` and in reports written before it was recorded.
    #[serde(default)]
    pub selection: Option<Selection>,
    /// Which contracts the run checked against (their source and hashes), so `vouch diff` can
    /// tell a changed contract; `None` in reports written before it was recorded.
    #[serde(default)]
    pub contract_set: Option<ContractSetRecord>,
}

/// The contracts a run checked against: where they came from and a hash of each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractSetRecord {
    /// `built-in` (the copies compiled into vouch) or the `--contracts` directory.
    pub source: String,
    /// SHA-256 over the contracts' hashes, in API order: equal for two runs checked against
    /// the same rules.
    pub sha256: String,
    /// Each selected contract's hash, ordered by API id.
    pub contracts: Vec<ContractHash>,
}

/// One contract's hash.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractHash {
    /// The API id.
    pub api: String,
    /// SHA-256 of the contract's document as parsed (YAML comments and layout aside), hex.
    pub sha256: String,
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

/// Which scenarios a run selected, as given on the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// `--api` (empty: every API).
    pub apis: Vec<String>,
    /// `--tags`, a cucumber tag expression.
    pub tags: Option<String>,
    /// `--name`: only scenarios whose name contains it.
    pub name: Option<String>,
    /// `--features`: the feature file or directory (`features`, the suite, by default).
    pub features: String,
    /// `--shard I/N`; `None` for a whole run (and for a merge of shards).
    pub shard: Option<String>,
}

impl Selection {
    /// Whether the run selected part of the suite (a name, tags, a feature file or folder
    /// other than the suite's `features/`, a shard), so its coverage is only of the
    /// operations it touched. `--api` alone runs each selected API's whole suite.
    pub fn is_partial(&self) -> bool {
        let path = std::path::Path::new(&self.features);
        let suite = path.file_name().is_some_and(|n| n == "features")
            && !self.features.contains(".feature");
        self.tags.is_some() || self.name.is_some() || self.shard.is_some() || !suite
    }

    /// The selection as the flags that made it, e.g. `--api peach --name "page"`, or
    /// `every scenario in features` for a whole run.
    pub fn describe(&self) -> String {
        let mut flags: Vec<String> = self.apis.iter().map(|a| format!("--api {a}")).collect();
        if let Some(t) = &self.tags {
            flags.push(format!("--tags {t:?}"));
        }
        if let Some(n) = &self.name {
            flags.push(format!("--name {n:?}"));
        }
        let suite = std::path::Path::new(&self.features)
            .file_name()
            .is_some_and(|n| n == "features");
        if !suite {
            flags.push(format!("--features {}", self.features));
        }
        if let Some(s) = &self.shard {
            flags.push(format!("--shard {s}"));
        }
        if flags.is_empty() {
            format!("every scenario in {}", self.features)
        } else {
            flags.join(" ")
        }
    }
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
    /// Of `violations`, those of a rule that is our choice (`x-vouch-choice`): unconfirmed,
    /// failing nothing unless `--strict`.
    #[serde(default)]
    pub unconfirmed: usize,
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

impl Report {
    /// What the formats list as test cases: every scenario, then the fuzz run's operation ×
    /// check pairs and gaps ([`FuzzRun::records`](super::FuzzRun::records)).
    pub fn cases(&self) -> Vec<std::borrow::Cow<'_, ScenarioRecord>> {
        let fuzz = self.fuzz.iter().flat_map(|f| f.records());
        self.scenarios
            .iter()
            .map(std::borrow::Cow::Borrowed)
            .chain(fuzz.map(std::borrow::Cow::Owned))
            .collect()
    }
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

/// Coverage of one API's contract by a run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ApiCoverage {
    /// The API id.
    pub api: String,
    /// The conformance score: share of documented operation × status pairs the API answered
    /// by its own rules in a passing scenario without contract violations and no failing
    /// scenario exercised, 0–1. Answers made by injected faults do not count. In a run of
    /// part of the suite ([`Selection::is_partial`]), only the operations it exercised.
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
    /// How much of the vendor-published evidence (`tests/vendor-evidence/`) the contract
    /// accepts; `null` when the run checked no corpus (see [`crate::evidence`]).
    #[serde(default)]
    pub evidence: Option<crate::evidence::Summary>,
    /// Contract violations in this API's exchanges of a vendor rule (confirmed findings).
    #[serde(default)]
    pub confirmed_findings: usize,
    /// Contract violations in this API's exchanges of our choice (unconfirmed findings).
    #[serde(default)]
    pub unconfirmed_findings: usize,
    /// Failed scenarios that sent this API a request: each counts against the statuses (and,
    /// when it got no documented answer, the operations) it exercised.
    #[serde(default)]
    pub failing_scenarios: usize,
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
    /// The documented response key: `200`, `4XX` or `default`.
    pub status: String,
    /// Answered at all (natively or by an injected fault).
    pub observed: bool,
    /// Answered natively in a passing scenario, without contract violations, and never
    /// exercised by a failing scenario.
    pub passing: bool,
    /// Exercised by a failing scenario (answered, or its operation sent without a documented
    /// answer): counted against the score whatever other scenarios did.
    #[serde(default)]
    pub failing: bool,
    /// How it was reached: natively, only through injected faults, or never.
    #[serde(default)]
    pub reached: Reach,
    /// Why the target's own rules never answer this status, from the contract's
    /// `x-vouch-unreachable` on the response (kept whether or not it was reached).
    #[serde(default)]
    pub unreachable: Option<String>,
}
