//! The JSON representation the contracts' schemas validate: `serde_json::Value`, as
//! jsonschema's own [`SerdeJson`] reads it, except that a member of a small object is found by
//! comparing names instead of hashing one.
//!
//! With `preserve_order` (which vouch needs: contracts, reports and answers keep their members'
//! order), a `serde_json::Map` is an `IndexMap` hashed with SipHash, and jsonschema looks members
//! up by name for `required` and for the `properties` of wide objects: hashing the name cost more
//! than the rest of a valid request's check (issue #24: about 1 200 instructions of each
//! /hasMatchingCredentials, for a body of two members and a credential request of two). The
//! request bodies the mock checks have a handful of members, and comparing names rejects on
//! length first. Everything else is [`SerdeJson`]'s, called through its traits, so a value
//! reads the same in both; the module's tests hold it to jsonschema's own conformance check.

use jsonschema::json::{Array, Json, Node, NodeIdentity, Object, SerdeJson};
use jsonschema::types::JsonType;
use serde_json::{Map, Number, Value};
use std::borrow::Cow;

/// Objects with at most this many members are scanned; larger ones are hashed into as before.
const SCANNED_UP_TO: usize = 8;

/// `serde_json::Value` with small objects scanned (the module doc says why).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scanned;

impl Json for Scanned {
    type Node<'a> = &'a Value;
    type PreparedKey = String;
    type StringBuffer = Value;

    // As `SerdeJson`'s: jsonschema walks an object's members instead of looking names up while
    // it has at most this many per name looked for.
    const KEYS_PER_LOOKUP: usize = SerdeJson::KEYS_PER_LOOKUP;

    fn prepare_key(key: &str) -> String {
        SerdeJson::prepare_key(key)
    }

    fn with_string_node<T>(buffer: &mut Value, string: &str, f: impl FnOnce(&Value) -> T) -> T {
        SerdeJson::with_string_node(buffer, string, f)
    }
}

impl<'a> Node<'a, Scanned> for &'a Value {
    type Object = &'a Map<String, Value>;
    type Array = &'a [Value];
    type Number = &'a Number;

    fn as_object(&self) -> Option<Self::Object> {
        <Self as Node<'a, SerdeJson>>::as_object(self)
    }

    fn as_array(&self) -> Option<Self::Array> {
        <Self as Node<'a, SerdeJson>>::as_array(self)
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        <Self as Node<'a, SerdeJson>>::as_string(self)
    }

    fn as_number(&self) -> Option<Self::Number> {
        <Self as Node<'a, SerdeJson>>::as_number(self)
    }

    fn as_boolean(&self) -> Option<bool> {
        <Self as Node<'a, SerdeJson>>::as_boolean(self)
    }

    fn is_null(&self) -> bool {
        <Self as Node<'a, SerdeJson>>::is_null(self)
    }

    fn is_number(&self) -> bool {
        <Self as Node<'a, SerdeJson>>::is_number(self)
    }

    fn is_string(&self) -> bool {
        <Self as Node<'a, SerdeJson>>::is_string(self)
    }

    fn json_type(&self) -> JsonType {
        <Self as Node<'a, SerdeJson>>::json_type(self)
    }

    fn string_length(&self) -> Option<u64> {
        <Self as Node<'a, SerdeJson>>::string_length(self)
    }

    fn equals_value(&self, expected: &Value) -> bool {
        <Self as Node<'a, SerdeJson>>::equals_value(self, expected)
    }

    fn to_value(&self) -> Cow<'a, Value> {
        <Self as Node<'a, SerdeJson>>::to_value(self)
    }

    fn identity(&self) -> Option<NodeIdentity> {
        <Self as Node<'a, SerdeJson>>::identity(self)
    }

    fn container_identity(&self) -> Option<NodeIdentity> {
        <Self as Node<'a, SerdeJson>>::container_identity(self)
    }
}

impl<'a> Object<'a, Scanned> for &'a Map<String, Value> {
    type Node = &'a Value;
    type MemberName = <Self as Object<'a, SerdeJson>>::MemberName;
    type MembersIter = <Self as Object<'a, SerdeJson>>::MembersIter;

    fn len(&self) -> usize {
        Map::len(self)
    }

    fn get(&self, key: &String) -> Option<&'a Value> {
        if Map::len(self) <= SCANNED_UP_TO {
            // `str` equality compares lengths before bytes.
            self.iter().find(|(name, _)| *name == key).map(|(_, v)| v)
        } else {
            <Self as Object<'a, SerdeJson>>::get(self, key)
        }
    }

    fn members(&self) -> Self::MembersIter {
        <Self as Object<'a, SerdeJson>>::members(self)
    }
}

impl<'a> Array<'a, Scanned> for &'a [Value] {
    type Node = &'a Value;
    type ElementsIter = <Self as Array<'a, SerdeJson>>::ElementsIter;

    fn len(&self) -> usize {
        <[Value]>::len(self)
    }

    fn elements(&self) -> Self::ElementsIter {
        <Self as Array<'a, SerdeJson>>::elements(self)
    }

    fn is_unique(&self) -> bool {
        <Self as Array<'a, SerdeJson>>::is_unique(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonschema::json::conformance;
    use serde_json::json;

    /// `name` and two more, all different (a `required` list of three takes its own path).
    fn three_names(name: &str) -> Vec<&str> {
        let mut names = vec![name];
        names.extend(
            ["m0", "m1", "m2"]
                .into_iter()
                .filter(|n| *n != name)
                .take(2),
        );
        names
    }

    #[test]
    fn reads_values_as_jsonschema_requires() {
        let document = conformance::document();
        conformance::assert_conformance::<Scanned>(&&document);
    }

    /// The members a lookup finds, scanned or hashed, are `SerdeJson`'s, and so are the
    /// verdicts of schemas that look members up (`required`, `properties` of a wide object,
    /// `dependentRequired`), for objects on both sides of the scanning limit.
    #[test]
    fn finds_and_judges_as_serde_json_does() {
        let names: Vec<String> = (0..12).map(|i| format!("m{i}")).collect();
        for size in [0, 1, 2, SCANNED_UP_TO, SCANNED_UP_TO + 1, 12] {
            let object: Map<String, Value> = names
                .iter()
                .take(size)
                .map(|n| (n.clone(), json!(n.len())))
                .collect();
            let value = Value::Object(object.clone());
            for name in names.iter().map(String::as_str).chain(["", "m", "m10x"]) {
                let key = Scanned::prepare_key(name);
                assert_eq!(
                    <&Map<String, Value> as Object<'_, Scanned>>::get(&&object, &key),
                    object.get(name),
                    "{name} in {size} members"
                );
                let schemas = [
                    json!({"required": [name]}),
                    json!({"required": three_names(name)}),
                    json!({"properties": {name: {"type": "string"}}}),
                    json!({"dependentRequired": {"m0": [name]}}),
                ];
                for schema in schemas {
                    let ours = jsonschema::options_for::<Scanned>().build(&schema).unwrap();
                    let theirs = jsonschema::options().build(&schema).unwrap();
                    assert_eq!(
                        ours.is_valid(&value),
                        theirs.is_valid(&value),
                        "{schema} on {size} members"
                    );
                    assert_eq!(
                        ours.iter_errors(&value).count(),
                        theirs.iter_errors(&value).count(),
                        "{schema} on {size} members"
                    );
                }
            }
        }
    }
}
