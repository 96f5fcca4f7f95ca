//! vouch's report model: what a run did, scenario by scenario and step by step, with every
//! exchange (secrets masked) and the coverage of each contract. `report.json` is this model
//! serialised; its JSON Schema is `src/report/report.schema.json`.

use crate::contract::Violation;
use crate::redact;
use crate::steps::Outcome;
use crate::steps::explain;
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
pub struct Header {
    pub name: String,
    pub value: String,
}

/// One request and what came back, secrets masked.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExchangeRecord {
    pub api: String,
    /// The contract operation the request matched.
    pub operation: Option<String>,
    pub method: String,
    pub url: String,
    pub request_headers: Vec<Header>,
    pub request_body: Option<String>,
    /// `None` when no response came (see `error`).
    pub status: Option<u16>,
    pub error: Option<String>,
    pub response_body: Option<String>,
    /// The response body's shape (members and JSON types), for `vouch diff`.
    pub response_shape: Option<String>,
    /// The vendor error code of an error answer (Verified `data.errorCode`, ...).
    pub error_code: Option<String>,
    pub elapsed_ms: u64,
    pub request_violations: Vec<ViolationRecord>,
    pub response_violations: Vec<ViolationRecord>,
    /// A curl command that sends the same request (credentials as environment variables).
    pub curl: String,
    /// When it was sent (to place it in its step); not serialised.
    #[serde(skip)]
    pub at: Option<std::time::Instant>,
    /// Values seen under sensitive names (scrubbed from the whole report); not serialised.
    #[serde(skip)]
    pub sensitive: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ViolationRecord {
    /// `request` or `response`.
    pub direction: String,
    pub operation: Option<String>,
    pub pointer: String,
    pub rule: String,
    pub expected: String,
    pub actual: String,
}

impl From<&Violation> for ViolationRecord {
    fn from(v: &Violation) -> Self {
        Self {
            direction: v.direction.to_string(),
            operation: v.operation.clone(),
            pointer: v.pointer.clone(),
            rule: v.rule.clone(),
            expected: v.expected.clone(),
            actual: v.actual.clone(),
        }
    }
}

impl std::fmt::Display for ViolationRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {} (expected {}, got {})",
            self.direction, self.pointer, self.rule, self.expected, self.actual
        )
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ApiCoverage {
    pub api: String,
    /// Share of documented operation × status pairs observed in a passing scenario without
    /// contract violations, 0–1.
    pub score: f64,
    pub documented: usize,
    pub passing: usize,
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

/// Where vendors put an error code in an error body.
const ERROR_CODE_POINTERS: &[&str] = &[
    "/data/errorCode",
    "/errorCode",
    "/error_code",
    "/code",
    "/error/code",
];

impl ExchangeRecord {
    /// The record of the World's last exchange: headers masked and bodies redacted as
    /// [`explain`] shows them.
    pub fn from_outcome(outcome: &Outcome, api: &str, ctx: &crate::steps::Context) -> Self {
        let (request, mut record) = match outcome {
            Outcome::Answered {
                exchange,
                operation,
                request_violations,
                response_violations,
            } => {
                let json = serde_json::from_slice::<Value>(&exchange.body).ok();
                let error_code = json
                    .as_ref()
                    .filter(|_| exchange.status >= 400)
                    .and_then(|j| {
                        ERROR_CODE_POINTERS
                            .iter()
                            .filter_map(|p| j.pointer(p))
                            .find_map(|v| v.as_str().map(str::to_string))
                    });
                let mut sensitive = Vec::new();
                if let Some(j) = &json {
                    collect_sensitive(j, false, &mut sensitive);
                }
                (
                    &exchange.request,
                    ExchangeRecord {
                        operation: operation.clone(),
                        status: Some(exchange.status),
                        response_body: (!exchange.body.is_empty()).then(|| {
                            explain::body_text_up_to(&exchange.body, 256 * 1024)
                                .trim_end()
                                .to_string()
                        }),
                        response_shape: json.as_ref().map(shape),
                        error_code,
                        elapsed_ms: exchange.elapsed.as_millis() as u64,
                        request_violations: request_violations.iter().map(Into::into).collect(),
                        response_violations: response_violations.iter().map(Into::into).collect(),
                        sensitive,
                        ..Default::default()
                    },
                )
            }
            Outcome::NoResponse { request, error } => (
                request,
                ExchangeRecord {
                    error: Some(error.clone()),
                    ..Default::default()
                },
            ),
        };
        if let Ok(j) = serde_json::from_slice::<Value>(&request.body) {
            collect_sensitive(&j, false, &mut record.sensitive);
        }
        let (url, mut from_query) = redact_query(&request.url);
        record.sensitive.append(&mut from_query);
        for (name, value) in &request.headers {
            if redact::is_sensitive_name(name) {
                record.sensitive.push(value.clone());
                if let Some(token) = value.split_whitespace().nth(1) {
                    record.sensitive.push(token.to_string());
                }
            }
        }
        record.api = api.to_string();
        record.method = request.method.to_string();
        record.request_headers = explain::masked_headers(request, Some(api), ctx)
            .into_iter()
            .map(|(name, value)| Header { name, value })
            .collect();
        record.request_body = (!request.body.is_empty())
            .then(|| explain::body_text(&request.body).trim_end().to_string());
        record.curl = explain::curl(request, Some(api), ctx).replace(&request.url, &url);
        record.url = url;
        record.at = Some(std::time::Instant::now());
        record
    }
}

/// Values under sensitive names, to scrub wherever else they appear.
fn collect_sensitive(value: &Value, under_sensitive: bool, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                collect_sensitive(v, under_sensitive || redact::is_sensitive_name(k), out);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|v| collect_sensitive(v, under_sensitive, out)),
        Value::String(s) if under_sensitive => out.push(s.clone()),
        Value::Number(n) if under_sensitive => out.push(n.to_string()),
        _ => {}
    }
}

/// The URL with values of sensitive query parameters redacted, and those values.
fn redact_query(url: &str) -> (String, Vec<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), Vec::new());
    };
    let mut found = Vec::new();
    let parts: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) if redact::is_sensitive_name(k) && !v.is_empty() => {
                found.push(v.to_string());
                if let Ok(decoded) = percent_encoding::percent_decode_str(v).decode_utf8() {
                    found.push(decoded.into_owned());
                }
                format!("{k}={}", redact::REDACTED)
            }
            _ => pair.to_string(),
        })
        .collect();
    (format!("{base}?{}", parts.join("&")), found)
}

/// The shape of a JSON value: members and types, one line per pointer, arrays by their
/// first item (`[]`).
pub fn shape(value: &Value) -> String {
    fn walk(value: &Value, pointer: &str, out: &mut Vec<String>) {
        let kind = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        out.push(format!(
            "{} {kind}",
            if pointer.is_empty() { "/" } else { pointer }
        ));
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                for k in keys {
                    walk(&map[k], &format!("{pointer}/{k}"), out);
                }
            }
            Value::Array(items) => {
                if let Some(first) = items.first() {
                    walk(first, &format!("{pointer}/[]"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, "", &mut out);
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shapes_list_members_and_types() {
        assert_eq!(
            shape(&json!({"b": [{"x": 1}], "a": "s"})),
            "/ object\n/a string\n/b array\n/b/[] object\n/b/[]/x number"
        );
    }

    #[test]
    fn sensitive_query_values_are_redacted_and_remembered() {
        let (url, found) = redact_query("https://x/y?token=abc%2Fd&page=2");
        assert_eq!(url, "https://x/y?token=<redacted>&page=2");
        assert!(found.contains(&"abc/d".to_string()));
    }

    #[test]
    fn values_under_sensitive_names_are_collected() {
        let mut out = Vec::new();
        collect_sensitive(
            &json!({"ssn": "123456789", "user": {"birthDate": "1989-08-01"}, "name": "Ann"}),
            false,
            &mut out,
        );
        assert_eq!(out, vec!["123456789", "1989-08-01"]);
    }
}
