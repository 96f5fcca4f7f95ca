//! Loading a contract file: YAML to JSON, JSON pointers, and local `$ref`s.
//!
//! Contracts are YAML for people and JSON for the validator. YAML allows keys that JSON does not
//! (an unquoted `200:` is an integer), so the conversion goes through `serde_norway::Value` and
//! stringifies scalar keys instead of failing on them.

use super::ContractError;
use serde_json::{Map, Number, Value};

/// Parses YAML text into a JSON value. `Err` carries the parser's message (with line/column).
pub(crate) fn yaml_to_json(text: &str) -> Result<Value, ContractError> {
    let yaml: serde_norway::Value =
        serde_norway::from_str(text).map_err(|e| ContractError::Yaml(e.to_string()))?;
    convert(yaml)
}

fn convert(yaml: serde_norway::Value) -> Result<Value, ContractError> {
    use serde_norway::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                Value::Number(Number::from_f64(f).ok_or(ContractError::NotJsonNumber(f))?)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            Value::Array(items.into_iter().map(convert).collect::<Result<_, _>>()?)
        }
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => return Err(ContractError::NonScalarKey(format!("{other:?}"))),
                };
                out.insert(key, convert(v)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => convert(tagged.value)?,
    })
}

/// Escapes one JSON pointer reference token (RFC 6901).
pub(crate) fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Unescapes one JSON pointer reference token (RFC 6901).
pub(crate) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends a token to a pointer: `join("/a", "b/c")` is `/a/b~1c`.
pub(crate) fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape(token))
}

/// Follows local `$ref`s (`#/components/...`) from `pointer` until it reaches a value that is
/// not a bare reference. Returns the final pointer and value. Used for the non-schema objects of
/// OpenAPI (responses, parameters, request bodies, examples), which may themselves be `$ref`s.
pub(crate) fn deref<'a>(
    doc: &'a Value,
    pointer: &str,
) -> Result<(String, &'a Value), ContractError> {
    let mut current = pointer.to_string();
    for _ in 0..32 {
        let value = doc
            .pointer(&current)
            .ok_or_else(|| ContractError::NothingAt(current.clone()))?;
        match value.get("$ref").and_then(Value::as_str) {
            Some(target) => current = local_ref(target)?,
            None => return Ok((current, value)),
        }
    }
    Err(ContractError::RefChain(pointer.into()))
}

/// Turns a local reference (`#/components/schemas/Error`) into a pointer (`/components/schemas/Error`).
pub(crate) fn local_ref(reference: &str) -> Result<String, ContractError> {
    reference
        .strip_prefix('#')
        .map(|p| {
            p.split('/')
                .map(|t| {
                    percent_encoding::percent_decode_str(t)
                        .decode_utf8_lossy()
                        .into_owned()
                })
                .collect::<Vec<_>>()
                .join("/")
        })
        .ok_or_else(|| ContractError::NonLocalRef(reference.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_keys_become_strings() {
        let v = yaml_to_json("responses:\n  200:\n    description: ok\n").unwrap();
        assert_eq!(v["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn pointer_tokens_round_trip() {
        assert_eq!(
            join("/paths", "/1-click/{uuid}"),
            "/paths/~11-click~1{uuid}"
        );
        assert_eq!(unescape("~11-click~1{uuid}"), "/1-click/{uuid}");
        assert_eq!(escape("a~b"), "a~0b");
    }

    #[test]
    fn deref_follows_chains_and_reports_missing_targets() {
        let doc = serde_json::json!({
            "a": {"$ref": "#/b"}, "b": {"$ref": "#/c"}, "c": {"x": 1},
            "loop": {"$ref": "#/loop"}, "dangling": {"$ref": "#/nope"}
        });
        assert_eq!(
            deref(&doc, "/a").unwrap(),
            ("/c".to_string(), &serde_json::json!({"x": 1}))
        );
        assert_eq!(
            deref(&doc, "/loop").unwrap_err(),
            ContractError::RefChain("/loop".into())
        );
        assert_eq!(
            deref(&doc, "/dangling").unwrap_err().to_string(),
            "nothing at #/nope"
        );
        assert!(local_ref("other.yaml#/x").is_err());
    }
}
