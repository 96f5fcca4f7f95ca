//! The shape of a JSON body: its members and JSON types, values dropped. Shapes are what vouch
//! compares when values may differ (a sandbox's data, a replayed recording, two releases'
//! reports) and what it may show when values are PII.
//!
//! One definition, [`shape`], in two renderings: a JSON value (snapshots) and one line per
//! pointer ([`shape_lines`], for line diffs in `vouch diff` and `vouch replay`).

use serde_json::{Value, json};

/// Members and JSON types: `{"id": "string", "items": ["object…"]}`. An array holds the
/// distinct shapes of its items, in order of first appearance.
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

/// The shape as one `pointer type` line per member, members sorted, arrays by their first
/// item (`/items/[]`), integers as `number`: stable text for a line diff.
pub fn shape_lines(value: &Value) -> String {
    fn walk(shape: &Value, pointer: &str, out: &mut Vec<String>) {
        let kind = match shape {
            Value::Object(_) => "object",
            Value::Array(_) => "array",
            Value::String(t) if t == "integer" => "number",
            Value::String(t) => t.as_str(),
            _ => "unknown",
        };
        out.push(format!(
            "{} {kind}",
            if pointer.is_empty() { "/" } else { pointer }
        ));
        match shape {
            Value::Object(map) => {
                let mut members: Vec<(&String, &Value)> = map.iter().collect();
                members.sort_by(|a, b| a.0.cmp(b.0));
                for (k, v) in members {
                    walk(v, &format!("{pointer}/{k}"), out);
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
    walk(&shape(value), "", &mut out);
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_keep_members_and_types_only() {
        let v = json!({"id": "x", "n": 1, "f": 1.5, "ok": true, "none": null, "items": [{"a": 1}, {"a": 2}, "s"]});
        assert_eq!(
            shape(&v),
            json!({"id": "string", "n": "integer", "f": "number", "ok": "boolean", "none": "null", "items": [{"a": "integer"}, "string"]})
        );
    }

    #[test]
    fn shape_lines_list_members_sorted_and_arrays_by_first_item() {
        assert_eq!(
            shape_lines(&json!({"b": [{"x": 1}], "a": "s", "c": null})),
            "/ object\n/a string\n/b array\n/b/[] object\n/b/[]/x number\n/c null"
        );
    }
}
