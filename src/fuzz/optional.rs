//! The documented values of an operation's optional parameters and optional body properties
//! (both values of a boolean, each value of an enum): the first positive cases send each in
//! turn, and the report counts the cases that carried each (issue #22).

use super::cases::{Case, Parts, encode, text};
use crate::contract::{Contract, Operation, ParamIn};
use serde_json::Value;

/// One documented value of an optional parameter or of an optional property of the JSON
/// body: every one of them must appear in some positive case (issue #22: a wrong status for
/// one value of a flag is found only if that value is sent).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OptionalValue {
    pub(crate) place: Place,
    pub(crate) name: String,
    pub(crate) value: Value,
}

/// Where an optional value goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Place {
    /// A query or header parameter.
    Param(ParamIn),
    /// A top-level property of the JSON body.
    Body,
}

impl OptionalValue {
    /// `dryRun=true` for a parameter, `/color=red` for a body property (a JSON pointer, so
    /// the two cannot be confused), as the report lists it.
    pub(crate) fn describe(&self) -> String {
        match self.place {
            Place::Param(_) => format!("{}={}", self.name, text(&self.value)),
            Place::Body => format!("/{}={}", self.name, text(&self.value)),
        }
    }

    /// Whether `case` carries this value.
    pub(crate) fn carried_by(&self, case: &Case) -> bool {
        let want = text(&self.value);
        match self.place {
            Place::Param(ParamIn::Query) => case.path.split_once('?').is_some_and(|(_, q)| {
                q.split('&')
                    .any(|pair| pair == format!("{}={}", encode(&self.name), encode(&want)))
            }),
            Place::Param(ParamIn::Header) => case
                .headers
                .iter()
                .any(|(k, v)| k.eq_ignore_ascii_case(&self.name) && *v == want),
            Place::Param(ParamIn::Path | ParamIn::Cookie) => false,
            Place::Body => case
                .body
                .as_deref()
                .and_then(|b| serde_json::from_str::<Value>(b).ok())
                .is_some_and(|b| b.get(&self.name) == Some(&self.value)),
        }
    }

    /// `parts` with this value set (a body property in the generated body, or in an empty
    /// object when there is none: the caller keeps the result only if it is valid).
    pub(crate) fn set(&self, mut parts: Parts) -> Parts {
        match self.place {
            Place::Param(ParamIn::Query) => {
                parts.query.insert(self.name.clone(), self.value.clone());
            }
            Place::Param(ParamIn::Header) => {
                parts.headers.insert(self.name.clone(), self.value.clone());
            }
            Place::Param(ParamIn::Path | ParamIn::Cookie) => {}
            Place::Body => {
                let body = parts
                    .body
                    .get_or_insert_with(|| Value::Object(Default::default()));
                if let Some(object) = body.as_object_mut() {
                    object.insert(self.name.clone(), self.value.clone());
                }
            }
        }
        parts
    }
}

/// Every documented value of `op`'s optional query and header parameters, then of the
/// optional top-level properties of its JSON body: both values of a boolean, each value of
/// an `enum`.
pub(crate) fn optional_values(contract: &Contract, op: &Operation) -> Vec<OptionalValue> {
    let doc = contract.document();
    let mut out = Vec::new();
    for p in op.parameters.iter().filter(|p| !p.required) {
        if !matches!(p.location, ParamIn::Query | ParamIn::Header) {
            continue;
        }
        let Some(pointer) = &p.schema else { continue };
        out.extend(documented_values(doc, pointer).map(|value| OptionalValue {
            place: Place::Param(p.location),
            name: p.name.clone(),
            value,
        }));
    }
    if let Ok(body) = contract.body_schema(op, None) {
        for (name, pointer) in optional_properties(doc, &body) {
            out.extend(documented_values(doc, &pointer).map(|value| OptionalValue {
                place: Place::Body,
                name: name.clone(),
                value,
            }));
        }
    }
    out
}

/// The documented values of the schema at `pointer`: its `enum`, or both booleans.
fn documented_values(doc: &Value, pointer: &str) -> impl Iterator<Item = Value> {
    let schema = crate::contract::document::deref(doc, pointer).map(|(_, s)| s);
    let values = match schema.ok() {
        Some(s) if s.get("readOnly") == Some(&Value::Bool(true)) => Vec::new(),
        Some(s) => match s.get("enum").and_then(Value::as_array) {
            Some(values) => values.clone(),
            None if s.get("type").and_then(Value::as_str) == Some("boolean") => {
                vec![Value::Bool(true), Value::Bool(false)]
            }
            None => Vec::new(),
        },
        None => Vec::new(),
    };
    values.into_iter()
}

/// The optional top-level properties of the object schema at `pointer` (its own and those
/// of its `allOf` members), each with its schema's pointer, in the schema's order.
fn optional_properties(doc: &Value, pointer: &str) -> Vec<(String, String)> {
    let Ok((at, schema)) = crate::contract::document::deref(doc, pointer) else {
        return Vec::new();
    };
    let mut required: Vec<&str> = Vec::new();
    let mut found: Vec<(String, String)> = Vec::new();
    let mut parts = vec![(at.clone(), schema)];
    let members = schema.get("allOf").and_then(Value::as_array);
    for i in 0..members.map_or(0, Vec::len) {
        if let Ok(member) = crate::contract::document::deref(doc, &format!("{at}/allOf/{i}")) {
            parts.push(member);
        }
    }
    for (at, schema) in parts {
        let names = schema.get("required").and_then(Value::as_array);
        required.extend(names.into_iter().flatten().filter_map(Value::as_str));
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in properties.into_iter().flat_map(|p| p.keys()) {
            let escaped = name.replace('~', "~0").replace('/', "~1");
            found.push((name.clone(), format!("{at}/properties/{escaped}")));
        }
    }
    found.retain(|(name, _)| !required.contains(&name.as_str()));
    found
}
