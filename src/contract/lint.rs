//! `vouch contracts lint`: every example in a contract must validate against its own schema.
//!
//! Examples are found where OpenAPI 3.1 allows them: a media type's `example` / `examples`, a
//! parameter's `example` / `examples`, and a schema's `examples` array (at any depth of
//! `components.schemas` and of operation schemas).

use super::document::{deref, join};
use super::{Contract, Violation};
use serde_json::Value;

/// One example that does not match its schema.
#[derive(Debug)]
pub struct LintFailure {
    /// The API id of the contract linted.
    pub api: String,
    /// Where the example sits in the contract document (a JSON pointer).
    pub example: String,
    /// Where its schema sits (a JSON pointer).
    pub schema: String,
    /// How the example departs from the schema; pointers are inside the example (empty for
    /// its root), `operation` is `None` and `direction` is always `response`.
    pub violations: Vec<Violation>,
}

impl std::fmt::Display for LintFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{}: example at #{} does not match schema #{}",
            self.api, self.example, self.schema
        )?;
        write!(f, "{}", super::violation::render(&self.violations))
    }
}

/// What linting one contract found.
#[derive(Debug, Default)]
pub struct LintReport {
    /// How many examples were checked.
    pub checked: usize,
    /// The examples that do not match their schema, ordered by the example's pointer.
    pub failures: Vec<LintFailure>,
}

/// Checks every example in the contract.
pub fn lint(contract: &Contract) -> LintReport {
    let doc = contract.document();
    let mut pairs: Vec<(String, String)> = Vec::new(); // (example pointer, schema pointer)
    for op in contract.operations() {
        let media = op
            .request_body
            .iter()
            .flat_map(|b| b.content.iter())
            .chain(op.responses.iter().flat_map(|r| r.content.iter()));
        for m in media {
            if let Some(schema) = &m.schema {
                examples_of(doc, &m.pointer, schema, &mut pairs);
            }
        }
        for p in &op.parameters {
            if let Some(schema) = &p.schema {
                examples_of(doc, &p.pointer, schema, &mut pairs);
            }
        }
    }
    if let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for name in schemas.keys() {
            schema_examples(doc, &join("/components/schemas", name), &mut pairs);
        }
    }
    pairs.sort();
    pairs.dedup();
    let mut report = LintReport {
        checked: pairs.len(),
        failures: Vec::new(),
    };
    for (example, schema) in pairs {
        let Some(value) = doc.pointer(&example) else {
            continue;
        };
        let violations = match contract.schemas().check(&schema, value) {
            Ok(findings) => findings
                .into_iter()
                .map(|f| Violation {
                    api: contract.api.clone(),
                    operation: None,
                    direction: super::Direction::Response,
                    pointer: f.pointer,
                    rule: f.rule,
                    expected: f.expected,
                    actual: f.actual,
                    provenance: f.provenance,
                })
                .collect(),
            Err(e) => vec![Violation {
                api: contract.api.clone(),
                operation: None,
                direction: super::Direction::Response,
                pointer: String::new(),
                rule: "schema".into(),
                expected: "a compilable schema".into(),
                actual: e.to_string(),
                provenance: Default::default(),
            }],
        };
        if !violations.is_empty() {
            report.failures.push(LintFailure {
                api: contract.api.clone(),
                example,
                schema,
                violations,
            });
        }
    }
    report
}

/// `example` and `examples.*` (OpenAPI Example Objects, possibly `$ref`s) of a media type or
/// parameter object.
fn examples_of(doc: &Value, owner: &str, schema: &str, out: &mut Vec<(String, String)>) {
    let Some(object) = doc.pointer(owner) else {
        return;
    };
    if object.get("example").is_some() {
        out.push((join(owner, "example"), schema.to_string()));
    }
    if let Some(map) = object.get("examples").and_then(Value::as_object) {
        for name in map.keys() {
            if let Ok((resolved, _)) = deref(doc, &join(&join(owner, "examples"), name)) {
                // An Example Object keeps its payload under `value` (`externalValue` is not read).
                out.push((join(&resolved, "value"), schema.to_string()));
            }
        }
    }
}

/// Schema-level `examples` arrays, following the schema keywords that hold subschemas.
fn schema_examples(doc: &Value, pointer: &str, out: &mut Vec<(String, String)>) {
    let Some(schema) = doc.pointer(pointer).and_then(Value::as_object) else {
        return;
    };
    if let Some(items) = schema.get("examples").and_then(Value::as_array) {
        for i in 0..items.len() {
            out.push((format!("{pointer}/examples/{i}"), pointer.to_string()));
        }
    }
    if schema.get("example").is_some() {
        out.push((join(pointer, "example"), pointer.to_string()));
    }
    for keyword in [
        "properties",
        "patternProperties",
        "$defs",
        "dependentSchemas",
    ] {
        if let Some(map) = schema.get(keyword).and_then(Value::as_object) {
            for name in map.keys() {
                schema_examples(doc, &join(&join(pointer, keyword), name), out);
            }
        }
    }
    for keyword in ["allOf", "anyOf", "oneOf", "prefixItems"] {
        if let Some(list) = schema.get(keyword).and_then(Value::as_array) {
            for i in 0..list.len() {
                schema_examples(doc, &format!("{pointer}/{keyword}/{i}"), out);
            }
        }
    }
    for keyword in [
        "items",
        "additionalProperties",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
    ] {
        if schema.get(keyword).is_some_and(Value::is_object) {
            schema_examples(doc, &join(pointer, keyword), out);
        }
    }
}
