//! What the snapshot tests pin: per feature file, the response of every exchange of every
//! scenario, normalised. Against the mock, the body itself (values that change from run to run
//! are replaced by insta filters: [`FILTERS`]); against a sandbox, only its shape (members and
//! JSON types), so a vendor-side change shows up as a reviewable diff without pinning data.
//! Bodies come from the report, so secrets and PII are already redacted.

use super::{Report, ScenarioRecord};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Regular expressions and replacements for values that differ between runs: ids, times,
/// tokens, the mock's port. Applied by insta settings to the serialised snapshot, with the
/// run's own `run_id` (which makes created ids unique) as one more.
pub const FILTERS: &[(&str, &str)] = &[
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
    (r"\b[A-Z]{2}-[A-Z0-9]{4}-[A-Z0-9]{4}\b", "[peach-id]"),
    (r"\b[0-9a-f]{32}\b", "[hex-id]"),
    (r"cs_tok_[0-9a-f]+", "[session-token]"),
    (r"127\.0\.0\.1:\d+", "[mock]"),
    (r"/subject/[A-Za-z0-9_-]+", "/subject/[link-code]"),
];

/// One snapshot per feature file: `(name, value)`, the name derived from the file's path.
pub fn by_feature(report: &Report, shapes_only: bool) -> Vec<(String, Value)> {
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

/// The path and query of a URL (the host differs between runs and targets).
fn path_of(url: &str) -> String {
    match url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
    {
        Some(p) => p.to_string(),
        None => url.to_string(),
    }
}

/// Members and JSON types, values dropped: `{"id": "string", "items": ["object…"]}`.
pub fn shape(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), shape(v))).collect())
        }
        Value::Array(items) => {
            let mut kinds: Vec<Value> = items.iter().map(shape).collect();
            kinds.dedup();
            Value::Array(kinds)
        }
        Value::String(_) => json!("string"),
        Value::Number(n) if n.is_f64() => json!("number"),
        Value::Number(_) => json!("integer"),
        Value::Bool(_) => json!("boolean"),
        Value::Null => json!("null"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_keep_members_and_types_only() {
        let v = json!({"id": "x", "n": 1, "f": 1.5, "ok": true, "list": [{"a": 1}, {"a": 2}], "none": null});
        assert_eq!(
            shape(&v),
            json!({"id": "string", "n": "integer", "f": "number", "ok": "boolean", "list": [{"a": "integer"}], "none": "null"})
        );
    }

    #[test]
    fn names_and_paths() {
        assert_eq!(
            name_of("features/verified/one_click.feature"),
            "verified__one_click"
        );
        assert_eq!(path_of("http://127.0.0.1:1/peach/x?y=1"), "/peach/x?y=1");
    }

    #[test]
    fn filters_compile() {
        for (pattern, _) in FILTERS {
            regex::Regex::new(pattern).unwrap();
        }
    }
}
