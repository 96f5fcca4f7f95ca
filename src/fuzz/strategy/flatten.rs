//! Schema combinators flattened into plain alternatives: `$ref` resolved, `allOf` members
//! merged, each `oneOf`/`anyOf` branch merged into its parent, and `if`/`then`/`else` rules
//! either pinned into alternatives or kept as runtime conditionals (`x-vouch-if`).

use super::Generator;
use crate::contract::document::local_ref;
use serde_json::{Map, Value, json};

impl Generator<'_> {
    /// Resolves `$ref`, `allOf` and the parent of `oneOf`/`anyOf` into flat alternatives.
    pub(super) fn flatten(&self, schema: &Value, at: &str, depth: usize) -> Vec<Value> {
        let Some(object) = schema.as_object() else {
            return vec![schema.clone()];
        };
        let mut base = object.clone();
        if let Some(target) = base
            .remove("$ref")
            .and_then(|r| r.as_str().map(str::to_string))
        {
            match local_ref(&target)
                .ok()
                .and_then(|p| self.contract.document().pointer(&p).cloned())
            {
                Some(resolved) if depth < 8 => {
                    let mut out = Vec::new();
                    for alt in self.flatten(&resolved, &target, depth + 1) {
                        out.extend(self.flatten(
                            &Value::Object(merge(
                                alt.as_object().cloned().unwrap_or_default(),
                                &base,
                            )),
                            at,
                            depth + 1,
                        ));
                    }
                    return out;
                }
                _ => {
                    self.note(format!("$ref {target} at #{at}"));
                    return vec![Value::Object(base)];
                }
            }
        }
        // `if`/`then` rules, in `allOf` members or on the schema itself.
        let mut conditionals: Vec<Value> = Vec::new();
        if let Some(condition) = base.remove("if") {
            let mut c = Map::new();
            c.insert("if".into(), condition);
            for k in ["then", "else"] {
                if let Some(v) = base.remove(k) {
                    c.insert(k.into(), v);
                }
            }
            conditionals.push(Value::Object(c));
        }
        if let Some(Value::Array(all)) = base.remove("allOf") {
            let (rules, members): (Vec<Value>, Vec<Value>) =
                all.into_iter().partition(|m| m.get("if").is_some());
            conditionals.extend(rules);
            let mut alternatives = vec![base.clone()];
            for member in members {
                let mut next = Vec::new();
                for alt in self.flatten(&member, at, depth + 1) {
                    for current in &alternatives {
                        next.push(merge(
                            current.clone(),
                            alt.as_object().unwrap_or(&Map::new()),
                        ));
                    }
                }
                alternatives = next;
            }
            let mut out = Vec::new();
            for alt in alternatives {
                for expanded in expand_conditionals(alt, &conditionals) {
                    out.extend(self.flatten(&Value::Object(expanded), at, depth + 1));
                }
            }
            return out;
        }
        if !conditionals.is_empty() {
            return expand_conditionals(base, &conditionals)
                .into_iter()
                .flat_map(|a| self.flatten(&Value::Object(a), at, depth + 1))
                .collect();
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = base.remove(keyword) {
                let mut out = Vec::new();
                for branch in branches {
                    for alt in self.flatten(&branch, at, depth + 1) {
                        out.extend(self.flatten(
                            &Value::Object(merge(
                                base.clone(),
                                alt.as_object().unwrap_or(&Map::new()),
                            )),
                            at,
                            depth + 1,
                        ));
                    }
                }
                return out;
            }
        }
        vec![Value::Object(base)]
    }
}

/// Merges `extra` into `base`: properties and required united, other keywords from `extra`
/// (the more specific) unless `base` already constrains them; `if`/`then`/`else` carried.
fn merge(mut base: Map<String, Value>, extra: &Map<String, Value>) -> Map<String, Value> {
    for (key, value) in extra {
        match (key.as_str(), base.get_mut(key)) {
            ("properties", Some(Value::Object(existing))) => {
                for (k, v) in value.as_object().into_iter().flatten() {
                    existing.insert(k.clone(), v.clone());
                }
            }
            ("required", Some(Value::Array(existing))) => {
                for v in value.as_array().into_iter().flatten() {
                    if !existing.contains(v) {
                        existing.push(v.clone());
                    }
                }
            }
            ("description" | "examples" | "default" | "title", Some(_)) => {}
            _ => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
    base
}

/// `if: {properties: {p: {const: v}}}` rules become alternatives, one per rule (the schema
/// with `p = v` and `then` merged in) plus the schema alone; other rules stay as runtime
/// conditionals (`x-vouch-if`), applied to required members when an object is built.
fn expand_conditionals(base: Map<String, Value>, rules: &[Value]) -> Vec<Map<String, Value>> {
    let discriminant = |rule: &Value| -> Option<(String, Value)> {
        let props = rule.get("if")?.get("properties")?.as_object()?;
        let (name, condition) = props.iter().next().filter(|_| props.len() == 1)?;
        Some((name.clone(), condition.get("const")?.clone()))
    };
    let (by_value, others): (Vec<&Value>, Vec<&Value>) =
        rules.iter().partition(|r| discriminant(r).is_some());
    let mut plain = base.clone();
    if !others.is_empty() {
        plain.insert(
            "x-vouch-if".into(),
            Value::Array(others.into_iter().cloned().collect()),
        );
    }
    let mut out = vec![plain.clone()];
    for rule in by_value {
        let Some((name, value)) = discriminant(rule) else {
            continue;
        };
        let pinned = merge(
            plain.clone(),
            json!({"properties": {name: {"const": value}}})
                .as_object()
                .unwrap_or(&Map::new()),
        );
        let then = rule
            .get("then")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        out.push(merge(pinned, &then));
    }
    out
}

/// Whether `value` meets a simple `if` condition: `properties` with `const` / `enum`, and `required`.
pub(super) fn satisfies(value: &Value, condition: &Value) -> bool {
    let required_ok = condition
        .get("required")
        .and_then(Value::as_array)
        .is_none_or(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .all(|n| value.get(n).is_some())
        });
    let properties_ok = condition
        .get("properties")
        .and_then(Value::as_object)
        .is_none_or(|props| {
            props.iter().all(|(name, rule)| match value.get(name) {
                None => true,
                Some(v) => {
                    rule.get("const").is_none_or(|c| c == v)
                        && rule
                            .get("enum")
                            .and_then(Value::as_array)
                            .is_none_or(|e| e.contains(v))
                }
            })
        });
    required_ok && properties_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions() {
        assert!(satisfies(
            &json!({"channel": "SMS"}),
            &json!({"properties": {"channel": {"const": "SMS"}}, "required": ["channel"]})
        ));
        assert!(!satisfies(
            &json!({"channel": "EMAIL"}),
            &json!({"properties": {"channel": {"const": "SMS"}}})
        ));
        assert!(!satisfies(&json!({}), &json!({"required": ["channel"]})));
    }
}
