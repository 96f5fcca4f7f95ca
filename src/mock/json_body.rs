//! A request's body as a handler reads it: parsed once into a [`JsonDoc`] (the contract checks
//! that, and /hasMatchingCredentials reads it), and as a `serde_json::Value` only when a
//! handler asks for one (issue #24: building the `Value` of every body was a seventh of what
//! the mock did for a /hasMatchingCredentials call).

use crate::contract::json_doc::{DocNode, JsonDoc};
use bytes::Bytes;
use bytestring::ByteString;
use serde_json::Value;
use std::sync::OnceLock;

/// A request body (see the module doc).
#[derive(Clone, Default)]
pub struct JsonBody {
    text: Bytes,
    /// What the text reads as, when it is UTF-8 (checked once: each check of a body cost
    /// about a tenth of reading it) and JSON.
    doc: Option<JsonDoc>,
    value: OnceLock<Option<Value>>,
}

impl JsonBody {
    /// The body `text`, parsed.
    pub(crate) fn parse(text: Bytes) -> Self {
        // An empty body (every GET) is not JSON, and is not handed to the reader to be told so.
        let doc = (!text.is_empty())
            .then(|| ByteString::try_from(text.clone()).ok())
            .flatten()
            .and_then(JsonDoc::parse);
        Self {
            text,
            doc,
            value: OnceLock::new(),
        }
    }

    /// A body that is `value` (for a [`MockRequest`](super::MockRequest) built by hand).
    pub fn from_value(value: Value) -> Self {
        let body = Self::parse(Bytes::from(value.to_string()));
        body.value.get_or_init(|| Some(value));
        body
    }

    /// The body as JSON; `None` when it is empty or not JSON.
    pub fn json(&self) -> Option<&Value> {
        self.value
            .get_or_init(|| self.doc().map(|d| d.to_value()))
            .as_ref()
    }

    /// The body as it came.
    pub(crate) fn text(&self) -> &[u8] {
        &self.text
    }

    /// The body's root value, read in place; `None` when it is empty or not JSON.
    pub fn doc(&self) -> Option<DocNode<'_>> {
        self.doc.as_ref().map(JsonDoc::root)
    }
}

impl std::fmt::Debug for JsonBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.json(), f)
    }
}

impl From<Option<Value>> for JsonBody {
    fn from(value: Option<Value>) -> Self {
        value.map_or_else(Self::default, Self::from_value)
    }
}

#[cfg(test)]
mod tests {
    use super::JsonBody;
    use crate::mock::json_writer::tests::value;
    use bytes::Bytes;
    use proptest::prelude::*;
    use serde_json::Value;

    #[test]
    fn a_body_that_is_not_json_has_no_json() {
        for text in [&b""[..], b"  ", b"{", b"\xff\xfe", b"{} {}", b"name=value"] {
            let body = JsonBody::parse(Bytes::from_static(text));
            assert!(body.json().is_none() && body.doc().is_none(), "{text:?}");
            assert_eq!(body.text(), text);
        }
        assert!(JsonBody::default().json().is_none());
        let given = JsonBody::from(Some(serde_json::json!({"a": [1]})));
        assert_eq!(given.doc().map(|d| d.to_value()), given.json().cloned());
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Any JSON, written compactly or pretty, reads back as serde_json reads it: the same
        /// values, members in the same order, written out the same.
        #[test]
        fn any_body_reads_as_serde_json_reads_it(v in value(), pretty in any::<bool>()) {
            let write = if pretty { serde_json::to_string_pretty } else { serde_json::to_string };
            let text = write(&v).unwrap();
            let theirs: Value = serde_json::from_str(&text).unwrap();
            let body = JsonBody::parse(Bytes::from(text));
            prop_assert_eq!(body.json().map(Value::to_string), Some(theirs.to_string()));
            let doc = body.doc().unwrap();
            prop_assert_eq!(serde_json::to_string(&doc).unwrap(), theirs.to_string());
        }
    }
}
