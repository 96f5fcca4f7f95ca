//! A credential request as matching (`matching`) reads it, whichever form it comes in.

use crate::contract::json_doc::DocNode;
use crate::mock::json_writer;
use serde_json::Value;

/// A member of a JSON object (`None` for anything else), found by comparing names: the
/// request bodies' objects have a handful of members, and a map lookup hashes the name with
/// SipHash, which cost more than the comparisons on every /hasMatchingCredentials (issue #24).
fn member<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    value
        .as_object()?
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A credential request as matching reads it: a `serde_json::Value` (a partner's requests, a
/// kept request read back) or the request body in place (a [`DocNode`]: issue #24, so that
/// /hasMatchingCredentials builds no `Value` of its body).
pub(super) trait Request<'a>: Copy {
    /// Member `name` of an object.
    fn member(self, name: &str) -> Option<Self>;
    fn as_str(self) -> Option<&'a str>;
    fn as_bool(self) -> Option<bool>;
    /// An array's elements; `None` for anything else.
    fn elements(self) -> Option<impl Iterator<Item = Self> + Clone + 'a>;
    fn to_value(self) -> Value;
    /// Appends the request to `out` as `serde_json::to_writer` writes it.
    fn write_json(self, out: &mut Vec<u8>);
}

impl<'a> Request<'a> for &'a Value {
    fn member(self, name: &str) -> Option<Self> {
        member(self, name)
    }

    fn as_str(self) -> Option<&'a str> {
        Value::as_str(self)
    }

    fn as_bool(self) -> Option<bool> {
        Value::as_bool(self)
    }

    fn elements(self) -> Option<impl Iterator<Item = Self> + Clone + 'a> {
        self.as_array().map(|a| a.iter())
    }

    fn to_value(self) -> Value {
        self.clone()
    }

    fn write_json(self, out: &mut Vec<u8>) {
        // Writing a `Value` into a `Vec` does not fail (a `Value` holds no NaN).
        json_writer::append(out, self).unwrap_or_default();
    }
}

impl<'a> Request<'a> for DocNode<'a> {
    fn member(self, name: &str) -> Option<Self> {
        self.get(name)
    }

    fn as_str(self) -> Option<&'a str> {
        DocNode::as_str(&self)
    }

    fn as_bool(self) -> Option<bool> {
        DocNode::as_bool(&self)
    }

    fn elements(self) -> Option<impl Iterator<Item = Self> + Clone + 'a> {
        self.is_array().then(|| self.items())
    }

    fn to_value(self) -> Value {
        DocNode::to_value(&self)
    }

    fn write_json(self, out: &mut Vec<u8>) {
        self.write_compact(out);
    }
}
