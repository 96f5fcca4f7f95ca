//! `cucumber.json`: cucumber's standard JSON (as cucumber-jvm and cucumber-js write it), for
//! existing viewers: an array of features, each with its scenarios (`elements`) and steps;
//! durations in nanoseconds.

use super::{Format, Report};
use serde_json::{Value, json};

/// The `cucumber.json` format: cucumber's standard JSON, durations in nanoseconds.
pub const FORMAT: Format = Format {
    file_name: "cucumber.json",
    render,
};

fn slug(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

fn render(report: &Report, _history: &[Report]) -> String {
    let mut features: Vec<(String, Value)> = Vec::new();
    for s in &report.cases() {
        let index = match features.iter().position(|(p, _)| *p == s.path) {
            Some(i) => i,
            None => {
                features.push((
                    s.path.clone(),
                    json!({
                        "uri": s.path,
                        "id": slug(&s.feature),
                        "keyword": "Feature",
                        "name": s.feature,
                        "description": "",
                        "line": 1,
                        "elements": [],
                    }),
                ));
                features.len() - 1
            }
        };
        let steps: Vec<Value> = s
            .steps
            .iter()
            .map(|step| {
                let mut result = json!({
                    "status": step.status.as_str(),
                    "duration": step.duration_ms * 1_000_000,
                });
                if let Some(f) = &step.failure {
                    result["error_message"] = json!(f);
                }
                let mut v = json!({
                    "keyword": format!("{} ", step.keyword),
                    "name": step.text,
                    "line": step.line,
                    "match": {"location": s.path},
                    "result": result,
                });
                if let Some(doc) = &step.docstring {
                    v["doc_string"] = json!({"value": doc, "line": step.line + 1});
                }
                v
            })
            .collect();
        // Unconfirmed findings (our choices) in the scenario's description, not as an error:
        // a step's `output` is not part of every Cucumber JSON dialect (the Ruby schema of
        // @cucumber/cucumber-json-converter refuses it).
        let unconfirmed: Vec<String> = s
            .steps
            .iter()
            .flat_map(|step| &step.exchanges)
            .flat_map(|e| e.request_violations.iter().chain(&e.response_violations))
            .filter(|v| v.is_unconfirmed())
            .map(|v| format!("unconfirmed: {v}"))
            .collect();
        let element = json!({
            "id": format!("{};{}", slug(&s.feature), slug(&s.scenario)),
            "keyword": "Scenario",
            "name": s.scenario,
            "description": unconfirmed.join("\n"),
            "line": s.line,
            "type": "scenario",
            "tags": s.tags.iter().map(|t| json!({"name": format!("@{t}"), "line": s.line - 1})).collect::<Vec<_>>(),
            "steps": steps,
        });
        if let Some(Value::Array(elements)) = features[index].1.get_mut("elements") {
            elements.push(element);
        }
    }
    let all: Vec<Value> = features.into_iter().map(|(_, f)| f).collect();
    let mut text = serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}
