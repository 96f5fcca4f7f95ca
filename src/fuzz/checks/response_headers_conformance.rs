//! `response_headers_conformance`: the headers the contract documents for the answer's status
//! are there when required, and each one present matches its schema (as Schemathesis' check of
//! the same name: a header's text is read as the schema's type, `simple` style).
//!
//! It applies to answers with a documented status whose response documents headers.

use super::{Check, CheckInput, Descriptor, FuzzCheck, Linked, Outcome};
use crate::contract::{Contract, Operation, ResponseSpec, StatusKey};
use serde_json::Value;

pub(crate) struct ResponseHeadersConformance;

/// `--checks response_headers_conformance`.
pub(super) const CHECK: Check = Check(&Descriptor {
    name: "response_headers_conformance",
    short: "headers",
    help: "The documented headers of that status are there and match their schemas.",
    linked: Linked::AnyCase,
    rule: &ResponseHeadersConformance,
});

/// The headers `spec` documents: name and the pointer of its schema (if it has one).
fn documented_headers(contract: &Contract, spec: &ResponseSpec) -> Vec<(String, Option<String>)> {
    let doc = contract.document();
    let Some(headers) = doc
        .pointer(&format!("{}/headers", spec.pointer))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    headers
        .iter()
        .map(|(name, header)| {
            let escaped = name.replace('~', "~0").replace('/', "~1");
            // A header may be a `$ref` to `components/headers`.
            let at = match header.get("$ref").and_then(Value::as_str) {
                Some(r) => r.trim_start_matches('#').to_string(),
                None => format!("{}/headers/{escaped}", spec.pointer),
            };
            let schema = format!("{at}/schema");
            (
                name.to_ascii_lowercase(),
                doc.pointer(&schema).map(|_| schema),
            )
        })
        .collect()
}

/// A header's text as the JSON value its schema's type reads it as.
fn coerce(contract: &Contract, schema: &str, text: &str) -> Value {
    let types: Vec<&str> = match contract.document().pointer(&format!("{schema}/type")) {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if types.contains(&"string") || types.is_empty() {
        return Value::String(text.to_string());
    }
    if types
        .iter()
        .any(|t| matches!(*t, "integer" | "number" | "boolean" | "null"))
        && let Ok(v) = serde_json::from_str::<Value>(text.trim())
    {
        return v;
    }
    Value::String(text.to_string())
}

impl FuzzCheck for ResponseHeadersConformance {
    fn check(&self, input: &CheckInput<'_>) -> Option<Outcome> {
        if !input.documented {
            return None;
        }
        let response = input.answer.ok()?;
        let spec = input.op.response_for(response.status)?;
        let headers = documented_headers(input.contract, spec);
        if headers.is_empty() {
            return None;
        }
        let mut found: Vec<String> = input
            .violations
            .iter()
            .filter(|v| v.pointer.starts_with("/headers/") && v.pointer != "/headers/content-type")
            .map(ToString::to_string)
            .collect();
        for (name, schema) in &headers {
            let (Some(value), Some(schema)) = (response.headers.get(name.as_str()), schema) else {
                continue;
            };
            let text = String::from_utf8_lossy(value.as_bytes());
            let instance = coerce(input.contract, schema, &text);
            if !input.contract.schemas().is_valid(schema, &instance) {
                found.push(format!(
                    "header `{name}: {text}` does not match its schema (#{schema})"
                ));
            }
        }
        Some(if found.is_empty() {
            Ok(())
        } else {
            Err(found.join("; ").into())
        })
    }

    fn applies_to(&self, contract: &Contract, op: &Operation) -> bool {
        // Counted where a valid request's answer documents headers.
        op.responses
            .iter()
            .filter(|r| matches!(r.status, StatusKey::Code(200..=299)))
            .any(|r| !documented_headers(contract, r).is_empty())
    }
}
