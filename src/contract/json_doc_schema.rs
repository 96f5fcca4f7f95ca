//! [`JsonDoc`] as jsonschema reads a JSON representation: how the contract checks a request
//! body the mock parsed as a [`JsonDoc`] (issue #24) without building a `serde_json::Value`.
//!
//! Only the verdict is asked of it (`is_valid`): a body it finds broken is checked again as a
//! `Value` through [`Scanned`](super::scanned_json::Scanned), so that the findings (their
//! wording, their provenance) come from one place. The module's tests hold it to jsonschema's
//! own conformance check and to `SerdeJson`'s verdicts.

use super::json_doc::{self, DocNode, JsonDoc};
use jsonschema::json::{Array, Json, Node, NodeIdentity, Object, cmp};
use jsonschema::types::JsonType;
use serde_json::{Number, Value};
use std::borrow::Cow;

/// A [`JsonDoc`], read by jsonschema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Doc;

impl Json for Doc {
    type Node<'a> = DocNode<'a>;
    type PreparedKey = String;
    type StringBuffer = JsonDoc;

    // As `Scanned`'s (`SerdeJson`'s): `DocNode::get` compares names as `Scanned` does for
    // small objects, so the same trade between lookups and a members pass holds.
    const KEYS_PER_LOOKUP: usize = jsonschema::json::SerdeJson::KEYS_PER_LOOKUP;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>(
        buffer: &mut JsonDoc,
        string: &str,
        f: impl FnOnce(DocNode<'_>) -> T,
    ) -> T {
        buffer.single_string(string);
        f(buffer.root())
    }
}

impl<'a> Node<'a, Doc> for DocNode<'a> {
    type Object = Members<'a>;
    type Array = Items<'a>;
    type Number = &'a Number;

    fn as_object(&self) -> Option<Members<'a>> {
        self.is_object().then_some(Members(*self))
    }

    fn as_array(&self) -> Option<Items<'a>> {
        self.is_array().then_some(Items(*self))
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        DocNode::as_str(self).map(Cow::Borrowed)
    }

    fn as_number(&self) -> Option<&'a Number> {
        DocNode::as_number(self)
    }

    fn as_boolean(&self) -> Option<bool> {
        DocNode::as_bool(self)
    }

    fn is_null(&self) -> bool {
        DocNode::is_null(self)
    }

    fn json_type(&self) -> JsonType {
        DocNode::json_type(self)
    }

    fn string_length(&self) -> Option<u64> {
        DocNode::as_str(self).map(|s| s.chars().count() as u64)
    }

    // Scalars compare without building a `Value` (an `enum` of strings is checked on every
    // request that has one); containers, rarely compared, as values.
    fn equals_value(&self, expected: &Value) -> bool {
        match (expected, self.is_array() || self.is_object()) {
            (Value::String(e), false) => DocNode::as_str(self) == Some(e.as_str()),
            (Value::Bool(e), false) => self.as_bool() == Some(*e),
            (Value::Null, false) => DocNode::is_null(self),
            (Value::Number(e), false) => {
                DocNode::as_number(self).is_some_and(|n| cmp::equal_numbers(&n, e))
            }
            (_, false) => false,
            (_, true) => cmp::equal(&self.to_value(), expected),
        }
    }

    fn to_value(&self) -> Cow<'a, Value> {
        Cow::Owned(DocNode::to_value(self))
    }

    fn identity(&self) -> Option<NodeIdentity> {
        let (doc, at) = DocNode::identity(self);
        Some(NodeIdentity::tagged(doc, at))
    }
}

/// An object of a [`JsonDoc`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Members<'a>(DocNode<'a>);

impl<'a> Object<'a, Doc> for Members<'a> {
    type Node = DocNode<'a>;
    type MemberName = &'a str;
    type MembersIter = json_doc::Members<'a>;

    fn len(&self) -> usize {
        self.0.members().len()
    }

    fn get(&self, key: &String) -> Option<DocNode<'a>> {
        self.0.get(key)
    }

    fn members(&self) -> Self::MembersIter {
        self.0.members()
    }
}

/// An array of a [`JsonDoc`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Items<'a>(DocNode<'a>);

impl<'a> Array<'a, Doc> for Items<'a> {
    type Node = DocNode<'a>;
    type ElementsIter = json_doc::Items<'a>;

    fn len(&self) -> usize {
        self.0.items().len()
    }

    fn elements(&self) -> Self::ElementsIter {
        self.0.items()
    }
}

#[cfg(test)]
mod tests {
    use super::Doc;
    use crate::contract::json_doc::JsonDoc;
    use jsonschema::json::conformance;
    use serde_json::{Value, json};

    #[test]
    fn reads_documents_as_jsonschema_requires() {
        let text = conformance::document().to_string();
        let doc = JsonDoc::parse(text.into()).unwrap();
        conformance::assert_conformance::<Doc>(&doc.root());
    }

    /// Every keyword family the contracts use, on instances of every kind: the verdict on a
    /// document is the verdict on the `Value` serde_json reads from the same text.
    #[test]
    fn judges_as_serde_json_values_are_judged() {
        let schemas = [
            json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}),
            json!({"type": "object", "additionalProperties": false, "properties": {"a": {}}}),
            json!({"properties": {"a": {"enum": ["yes", "no", 1, null, [1], {"k": true}]}}}),
            json!({"properties": {"a": {"const": 1}}}),
            json!({"properties": {"a": {"const": {"k": [1, "x"]}}}}),
            json!({"patternProperties": {"^x-": {"type": "integer"}}}),
            json!({"propertyNames": {"maxLength": 2}}),
            json!({"minProperties": 2, "maxProperties": 3}),
            json!({"dependentRequired": {"a": ["b"]}}),
            json!({"type": "array", "items": {"type": "number"}, "uniqueItems": true}),
            json!({"prefixItems": [{"type": "string"}], "contains": {"type": "null"}}),
            json!({"type": "string", "minLength": 2, "maxLength": 3, "pattern": "^[a-zé]+$"}),
            json!({"type": "string", "format": "email"}),
            json!({"type": "string", "format": "date"}),
            json!({"type": "integer", "minimum": -1, "exclusiveMaximum": 10, "multipleOf": 2}),
            json!({"oneOf": [{"required": ["a"]}, {"required": ["b"]}]}),
            json!({"anyOf": [{"type": "boolean"}, {"type": "null"}]}),
            json!({"not": {"type": "object"}}),
            json!({"if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {"maxProperties": 0}}),
            json!({"$defs": {"n": {"type": ["object", "null"], "properties": {"next": {"$ref": "#/$defs/n"}}}}, "$ref": "#/$defs/n"}),
        ];
        let texts = [
            r#"{"a": "yes"}"#,
            r#"{"a": "yés", "b": 1}"#,
            r#"{"a": 1.0, "a": 2}"#,
            r#"{"a": {"k": [1, "x"]}}"#,
            r#"{"a": [1], "b": null, "c": 3}"#,
            r#"{"x-1": 1, "x-2": 1.5}"#,
            r#"{"abc": null}"#,
            r#"{"next": {"next": {"next": null}}}"#,
            r#"{"next": {"next": 1}}"#,
            "{}",
            "[1, 2, 2.0]",
            r#"["s", null, 1]"#,
            "[]",
            r#""ab""#,
            r#""éé\u00e9""#,
            r#""a@example.com""#,
            r#""2024-02-30""#,
            "4",
            "4.0",
            "-2",
            "12",
            "true",
            "null",
        ];
        let mut judged = (0, 0);
        for schema in &schemas {
            let ours = jsonschema::options_for::<Doc>()
                .should_validate_formats(true)
                .build(schema)
                .unwrap();
            let theirs = jsonschema::options()
                .should_validate_formats(true)
                .build(schema)
                .unwrap();
            for text in texts {
                let doc = JsonDoc::parse(text.into()).unwrap();
                let value: Value = serde_json::from_str(text).unwrap();
                let verdict = theirs.is_valid(&value);
                assert_eq!(
                    ours.is_valid(doc.root()),
                    verdict,
                    "{text} against {schema}"
                );
                if verdict {
                    judged.0 += 1
                } else {
                    judged.1 += 1
                }
            }
        }
        // Both verdicts are well represented.
        assert!(judged.0 > 100 && judged.1 > 100, "{judged:?}");
    }
}
