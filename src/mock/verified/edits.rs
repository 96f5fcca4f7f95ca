//! What a user or a brand types over the data of a 1-Click or a request: values in the
//! simplified format of a 1ClickEntity's `credentials` ([verified-types] § 1ClickEntity),
//! checked per type, becoming self-attested credentials. Used by the wallet's share and by
//! § Update 1-Click Credentials.

use super::super::api::MockError;
use super::credentials::{Meta, NetCredential, birth_date_stored, check_value, short_key};
use super::errors::generic;
use super::matching::{allows_user_input, child_requests, multi};
use super::new_id;
use super::requests::{Picked, PickedValue};
use serde_json::{Map, Value};

/// Applies what a user typed (the simplified format of a 1ClickEntity's `credentials`) to the
/// picked credentials: each value becomes a new self-attested credential issued by `issuer`.
/// `check_input` enforces `allowUserInput` (the wallet does; the brand's own form, § Update
/// 1-Click Credentials, is the brand's to control).
pub(super) fn apply_edits(
    picked: &mut [Picked],
    edits: &Map<String, Value>,
    meta: &Meta,
    check_input: bool,
) -> Result<Vec<String>, MockError> {
    let mut edited = Vec::new();
    for (key, value) in edits {
        let Some(p) = picked.iter_mut().find(|p| &p.key == key) else {
            return Err(generic(400, format!("`{key}` was not requested")));
        };
        if check_input && !allows_user_input(&p.request) {
            return Err(generic(400, format!("{} does not take user input", p.ty)));
        }
        let bad_shape = || {
            generic(
                400,
                format!("`{key}` must have the shape it was requested in"),
            )
        };
        if p.is_composite() {
            let allowed: Vec<String> = child_requests(&p.request, None)
                .iter()
                .filter_map(|c| c.get("type").and_then(Value::as_str).map(str::to_string))
                .collect();
            let objects: Vec<&Map<String, Value>> = match value {
                Value::Object(m) => vec![m],
                Value::Array(items) if multi(&p.request) && !items.is_empty() => items
                    .iter()
                    .map(Value::as_object)
                    .collect::<Option<_>>()
                    .ok_or_else(bad_shape)?,
                _ => return Err(bad_shape()),
            };
            if value.is_array() {
                p.values.clear();
            }
            for (i, object) in objects.into_iter().enumerate() {
                if i >= p.values.len() {
                    p.values.push(PickedValue {
                        credential: NetCredential {
                            children: Vec::new(),
                            data: Map::new(),
                            ..NetCredential::atomic(&new_id(), &p.ty, "", meta)
                        },
                        children: Vec::new(),
                    });
                }
                if object.is_empty() {
                    return Err(bad_shape());
                }
                // (pushed just above when it was missing)
                let Some(target) = p.values.get_mut(i) else {
                    return Err(bad_shape());
                };
                for (child_key, child_value) in object {
                    // `zip` is the key every worked example uses for `zipCode`.
                    let wanted = if child_key == "zip" {
                        "zipCode"
                    } else {
                        child_key
                    };
                    let child_ty =
                        allowed
                            .iter()
                            .find(|t| short_key(t) == wanted)
                            .ok_or_else(|| {
                                generic(400, format!("`{key}.{child_key}` was not requested"))
                            })?;
                    let text = child_value.as_str().ok_or_else(bad_shape)?;
                    check_value(child_ty, text, false)?;
                    let child = NetCredential::atomic(&new_id(), child_ty, text, meta);
                    match target.children.iter_mut().find(|c| &c.ty == child_ty) {
                        Some(existing) => *existing = child,
                        None => target.children.push(child),
                    }
                }
            }
        } else {
            let texts: Vec<&str> = match value {
                Value::String(s) => vec![s.as_str()],
                Value::Array(items) if multi(&p.request) && !items.is_empty() => items
                    .iter()
                    .map(Value::as_str)
                    .collect::<Option<_>>()
                    .ok_or_else(bad_shape)?,
                _ => return Err(bad_shape()),
            };
            let mut values = Vec::new();
            for text in texts {
                check_value(&p.ty, text, false)?;
                let stored = if p.ty == "BirthDateCredential" {
                    birth_date_stored(text).unwrap_or_default()
                } else {
                    text.to_string()
                };
                values.push(PickedValue {
                    credential: NetCredential::atomic(&new_id(), &p.ty, &stored, meta),
                    children: Vec::new(),
                });
            }
            p.values = values;
        }
        edited.push(key.clone());
    }
    Ok(edited)
}
