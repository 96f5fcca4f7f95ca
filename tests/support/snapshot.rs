//! Test support: what the snapshot tests pin. Per feature file, the response of every
//! exchange of every scenario, normalised. Against the mock, the body itself (values that
//! change from run to run are replaced by insta filters: [`filters`]); against a sandbox, only
//! its shape (members and JSON types), so a vendor-side change shows up as a reviewable diff
//! without pinning data. Bodies come from the report, so secrets and PII are already redacted.

use serde_json::{Value, json};
use std::collections::BTreeMap;
use vouch::redact::{shape, url::path_of};
use vouch::report::{Report, ScenarioRecord};

/// Regular expressions and replacements for values that differ between runs whatever the API:
/// uuids, times, JOSE strings, the mock's port. Each API adds its own ids in its registry
/// entry, and the run's own `run_id` (which makes created ids unique) is one more.
const GENERIC_FILTERS: &[(&str, &str)] = &[
    (
        r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
        "[uuid]",
    ),
    (
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})",
        "[timestamp]",
    ),
    (r"\b1[7-9]\d{11}\b", "[epoch-ms]"),
    (r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_.-]*", "[jose]"),
    (r"127\.0\.0\.1:\d+", "[mock]"),
];

/// Every filter: the generic ones, then each registered API's, in registry order.
pub(crate) fn filters() -> Vec<(&'static str, &'static str)> {
    GENERIC_FILTERS
        .iter()
        .copied()
        .chain(
            vouch::apis::all()
                .into_iter()
                .flat_map(|api| api.snapshot_filters.iter().copied()),
        )
        .collect()
}

/// One snapshot per feature file: `(name, value)`, the name derived from the file's path.
pub(crate) fn by_feature(report: &Report, shapes_only: bool) -> Vec<(String, Value)> {
    let mut features: BTreeMap<String, Vec<&ScenarioRecord>> = BTreeMap::new();
    for scenario in &report.scenarios {
        features
            .entry(scenario.path.clone())
            .or_default()
            .push(scenario);
    }
    features
        .into_iter()
        .map(|(path, mut scenarios)| {
            scenarios.sort_by(|a, b| (a.line, &a.scenario).cmp(&(b.line, &b.scenario)));
            let entries: Vec<Value> = scenarios
                .iter()
                .map(|s| {
                    let exchanges: Vec<Value> = s
                        .exchanges()
                        .map(|e| {
                            let body = e.response_body.as_deref().map(|b| serde_json::from_str::<Value>(b).unwrap_or_else(|_| Value::String(b.to_string())));
                            let body = if shapes_only { body.map(|b| shape(&b)) } else { body };
                            json!({"request": format!("{} {}", e.method, path_of(&e.url)), "status": e.status, "error": e.error, "body": body})
                        })
                        .collect();
                    json!({"scenario": format!("{}:{}", s.line, s.scenario), "exchanges": exchanges})
                })
                .collect();
            (name_of(&path), Value::Array(entries))
        })
        .collect()
}

/// `features/verified/one_click_hosted.feature` becomes `verified__one_click_hosted`.
fn name_of(path: &str) -> String {
    let trimmed = path
        .rsplit_once("features/")
        .map(|(_, p)| p)
        .unwrap_or(path);
    trimmed.trim_end_matches(".feature").replace('/', "__")
}
