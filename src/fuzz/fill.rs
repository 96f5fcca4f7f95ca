//! The request a link leads to: the linked values resolved from the earlier answer and
//! request (OpenAPI runtime expressions), put where the target operation takes them. `links`
//! sends the sequences; this file only builds a step's parts.

use super::cases::Parts;
use crate::contract::{Link, Operation, ParamIn};
use serde_json::Value;

/// Why a link's request could not be built; its words are the link tally's reasons.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum Unfilled {
    #[error("parameter {name} did not resolve ({expression})")]
    Unresolved { name: String, expression: String },
    #[error("the request body did not resolve ({0})")]
    BodyUnresolved(String),
}

/// The parts of the request that follows `link` to `target`: what the link names, from the
/// earlier `answer` and `request`, and what the target requires, nothing random besides (a
/// random optional cursor or body would answer a business error) but the optional parameters
/// named in `keep` (those with documented values: a flag, an enum). `Err` names what did not
/// resolve.
pub(crate) fn fill(
    link: &Link,
    target: &Operation,
    mut parts: Parts,
    (answer, request): (&Value, &Parts),
    keep: &[String],
) -> Result<Parts, Unfilled> {
    let required = |name: &String| {
        keep.contains(name)
            || target
                .parameters
                .iter()
                .any(|p| p.name == *name && p.required)
    };
    parts.query.retain(|k, _| required(k));
    parts.headers.retain(|k, _| required(k));
    if !target.request_body.as_ref().is_some_and(|b| b.required) {
        parts.body = None;
    }
    for (name, expression) in &link.parameters {
        let value = resolve(expression, answer, request).ok_or_else(|| Unfilled::Unresolved {
            name: name.clone(),
            expression: expression.to_string(),
        })?;
        place(target, &mut parts, name, value);
    }
    if let Some(body) = &link.request_body {
        parts.body = Some(
            resolve(body, answer, request)
                .ok_or_else(|| Unfilled::BodyUnresolved(body.to_string()))?,
        );
    }
    Ok(parts)
}

/// Puts `value` where `target` takes the parameter `name` (a path id as text).
pub(crate) fn place(target: &Operation, parts: &mut Parts, name: &str, value: Value) {
    let location = target
        .parameters
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.location);
    let name = name.to_string();
    match location {
        Some(ParamIn::Path) => {
            let text = match value {
                Value::String(s) => s,
                other => other.to_string(),
            };
            parts.path.insert(name, text);
        }
        Some(ParamIn::Header) => {
            parts.headers.insert(name, value);
        }
        Some(ParamIn::Query) | Some(ParamIn::Cookie) | None => {
            parts.query.insert(name, value);
        }
    }
}

/// A link's runtime expression (`$response.body#/data/id`, `$request.path.id`) or constant;
/// objects are resolved member by member (arrays, like other constants, are taken as they
/// are). `None` when an expression finds nothing.
fn resolve(expression: &Value, answer: &Value, request: &Parts) -> Option<Value> {
    match expression {
        Value::String(e) if e.starts_with('$') => {
            if let Some(pointer) = e.strip_prefix("$response.body#") {
                answer.pointer(pointer).cloned()
            } else if let Some(name) = e.strip_prefix("$request.path.") {
                request.path.get(name).map(|v| Value::String(v.clone()))
            } else if let Some(name) = e.strip_prefix("$request.query.") {
                request.query.get(name).cloned()
            } else if let Some(pointer) = e.strip_prefix("$request.body#") {
                request.body.as_ref()?.pointer(pointer).cloned()
            } else {
                None
            }
        }
        Value::Object(map) => Some(Value::Object(
            map.iter()
                .map(|(k, v)| Some((k.clone(), resolve(v, answer, request)?)))
                .collect::<Option<_>>()?,
        )),
        other => Some(other.clone()),
    }
}

/// Whether `op` can be sent with nothing but its path ids (what a link gives).
pub(crate) fn needs_no_parts(op: &Operation) -> bool {
    op.request_body.as_ref().is_none_or(|b| !b.required)
        && op
            .parameters
            .iter()
            .all(|p| !p.required || p.location == ParamIn::Path)
}

/// Whether `op` takes a path parameter (an id).
pub(crate) fn takes_id(op: &Operation) -> bool {
    op.parameters.iter().any(|p| p.location == ParamIn::Path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resolves_runtime_expressions_and_constants() {
        let answer = json!({"data": {"id": "vt-1", "n": 2}});
        let mut request = Parts::default();
        request.path.insert("id".into(), "p-1".into());
        request.query.insert("limit".into(), json!(5));
        request.body = Some(json!({"name": "x"}));
        let r = |e: Value| resolve(&e, &answer, &request);
        assert_eq!(r(json!("$response.body#/data/id")), Some(json!("vt-1")));
        assert_eq!(r(json!("$request.path.id")), Some(json!("p-1")));
        assert_eq!(r(json!("$request.query.limit")), Some(json!(5)));
        assert_eq!(r(json!("$request.body#/name")), Some(json!("x")));
        assert_eq!(r(json!("$response.body#/data/missing")), None);
        assert_eq!(r(json!("$url")), None);
        assert_eq!(r(json!("constant")), Some(json!("constant")));
        assert_eq!(
            r(json!({"id": "$response.body#/data/id", "n": 1})),
            Some(json!({"id": "vt-1", "n": 1}))
        );
        assert_eq!(r(json!({"id": "$response.body#/nope"})), None);
    }
}
