//! What the contract's fuzzing marks make of a generated valid request (issue #22 point 3:
//! positive cases the API accepts, never by loosening a check). contracts/CONVENTIONS.md
//! § Links and fuzzing marks defines them:
//!
//! - `x-vouch-recipient-key` on a body schema: the fuzzer's own public key goes there
//!   (`sealed`), so that what the answer seals can be opened;
//! - `x-vouch-caller-flag` on a body member: only a caller whose credential carries that flag
//!   sends it (Truework's `reseller_originating_party`): the fuzzer, calling with the
//!   target's default credential, leaves it out;
//! - `x-vouch-cursor` on a query parameter: its values are the ones the named link takes from
//!   an earlier answer (a page cursor), never drawn at random; positive cases leave it out and
//!   the link sends it.

use super::sealed;
use crate::contract::document::deref;
use crate::contract::{Contract, Operation, ParamIn};
use crate::jose::KeyKind;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

/// On a body member: sent only by a caller whose credential has this tenant flag.
pub(crate) const CALLER_FLAG: &str = "x-vouch-caller-flag";
/// On a query parameter: `{link: <the link that carries it>, reason}`.
pub(crate) const CURSOR: &str = "x-vouch-cursor";

/// How deep into a body's properties the marks are looked for.
const DEPTH: usize = 6;

fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// Every member of the instances of `schema` (a pointer into the contract) whose schema
/// carries `mark`, as an instance pointer (`/publicWebKey`), with the mark; through `$ref`s
/// and `properties`, the mark's own subschema not searched further.
pub(crate) fn marked(contract: &Contract, schema: &str, mark: &str) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    walk(
        contract.document(),
        schema,
        mark,
        (String::new(), DEPTH),
        &mut out,
    );
    out
}

fn walk(
    doc: &Value,
    pointer: &str,
    mark: &str,
    (at, depth): (String, usize),
    out: &mut Vec<(String, Value)>,
) {
    let pointer = pointer.strip_prefix('#').unwrap_or(pointer);
    let Ok((resolved, schema)) = deref(doc, pointer) else {
        return;
    };
    if let Some(found) = schema.get(mark) {
        out.push((at, found.clone()));
        return;
    }
    if depth == 0 {
        return;
    }
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    for name in properties.keys() {
        let child = format!("{resolved}/properties/{}", escape(name));
        walk(
            doc,
            &child,
            mark,
            (format!("{at}/{}", escape(name)), depth - 1),
            out,
        );
    }
}

/// Where the answers of `op` with `status` carry sealed members (`x-vouch-sealed`) (instance pointers), cached per
/// operation and status (the schema walk would otherwise run on every answer).
pub(crate) fn sealed_at(contract: &Contract, op: &Operation, status: u16) -> Vec<String> {
    type Cache = Mutex<HashMap<(usize, String, String, u16), Vec<String>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    // The document's address tells contracts with the same API id apart (an edited copy).
    let doc = contract.document() as *const Value as usize;
    let key = (doc, contract.api.clone(), op.id.clone(), status);
    let cache = CACHE.get_or_init(Cache::default);
    if let Some(found) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return found.clone();
    }
    let found: Vec<String> = match contract.body_schema(op, Some(status)) {
        Ok(schema) => marked(contract, &schema, sealed::SEALED)
            .into_iter()
            .map(|(at, _)| at)
            .collect(),
        Err(_) => Vec::new(),
    };
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, found.clone());
    found
}

/// What the marks change in `op`'s generated valid requests.
#[derive(Debug, Clone, Default)]
pub(crate) struct Shape {
    /// Where the fuzzer's public key goes, and of which kinds.
    keys: Vec<(String, Vec<KeyKind>)>,
    /// Body members only a flagged caller sends.
    flagged: Vec<String>,
    /// Query parameters whose values only a link gives.
    cursors: Vec<String>,
}

impl Shape {
    pub(crate) fn of(contract: &Contract, op: &Operation) -> Self {
        let (keys, flagged) = match contract.body_schema(op, None) {
            Ok(schema) => (
                marked(contract, &schema, sealed::RECIPIENT_KEY)
                    .into_iter()
                    .map(|(at, mark)| (at, sealed::kinds(&mark)))
                    .collect(),
                marked(contract, &schema, CALLER_FLAG)
                    .into_iter()
                    .map(|(at, _)| at)
                    .collect(),
            ),
            Err(_) => (Vec::new(), Vec::new()),
        };
        let doc = contract.document();
        let cursors = op
            .parameters
            .iter()
            .filter(|p| p.location == ParamIn::Query && !p.required)
            .filter(|p| doc.pointer(&format!("{}/{CURSOR}", p.pointer)).is_some())
            .map(|p| p.name.clone())
            .collect();
        Self {
            keys,
            flagged,
            cursors,
        }
    }

    /// A generated request's query and body as the marks have them: the fuzzer's key in place,
    /// flagged members and cursors left out.
    pub(crate) fn apply(&self, query: &mut BTreeMap<String, Value>, body: Option<&mut Value>) {
        for name in &self.cursors {
            query.remove(name);
        }
        let Some(body) = body else {
            return;
        };
        for at in &self.flagged {
            if let Some((parent, name)) = split(at)
                && let Some(Value::Object(members)) = body.pointer_mut(parent)
            {
                members.remove(&unescape(name));
            }
        }
        if self.keys.is_empty() {
            return;
        }
        let pick = fnv(&body.to_string());
        for (at, kinds) in &self.keys {
            let Some(jwk) = sealed::public_jwk(kinds, pick) else {
                continue;
            };
            if let Some((parent, name)) = split(at)
                && let Some(Value::Object(members)) = body.pointer_mut(parent)
            {
                members.insert(unescape(name), jwk);
            }
        }
    }
}

/// `/a/b` as (`/a`, `b`); `None` for the root.
fn split(at: &str) -> Option<(&str, &str)> {
    at.rsplit_once('/')
}

fn unescape(name: &str) -> String {
    name.replace("~1", "/").replace("~0", "~")
}

/// A stable pick from the generated body, so a seed reproduces the key a case sends.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_marks_place_a_key_and_leave_out_flagged_members_and_cursors() {
        let shape = Shape {
            keys: vec![("/publicWebKey".into(), vec![KeyKind::X25519])],
            flagged: vec!["/reseller".into()],
            cursors: vec!["startingAfter".into()],
        };
        let mut query = BTreeMap::new();
        query.insert("startingAfter".to_string(), json!("VT-AAAA-AAAA"));
        query.insert("limit".to_string(), json!(5));
        let mut body = json!({"reseller": {}, "publicWebKey": {"kty": "zz"}, "a": 1});
        shape.apply(&mut query, Some(&mut body));
        assert_eq!(query.keys().collect::<Vec<_>>(), ["limit"]);
        assert!(body.get("reseller").is_none());
        assert_eq!(body["publicWebKey"]["crv"], "X25519");
        assert_eq!(body["a"], 1);
    }
}
