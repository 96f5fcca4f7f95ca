//! A JSON text parsed into one flat tree whose strings stay in the text: what the mock reads a
//! request body as (issue #24).
//!
//! Reading a body into `serde_json::Value` allocates every string and, with `preserve_order`,
//! builds an `IndexMap` per object, hashing each member name with SipHash: about a seventh of
//! what the mock did for a /hasMatchingCredentials call, for a body it only reads. [`JsonDoc`]
//! holds a handful of vectors whatever the body, and its strings are spans of the text it
//! shares (a body with escaped strings is read from one copy with them unescaped after the
//! text: escapes are rare in the requests the mock answers). The contract checks it
//! through its own jsonschema representation (`json_doc_schema`), handlers read it through
//! [`DocNode`], and a `Value` is built from it only when something asks for one.
//!
//! The common body (strings without escapes, small whole numbers) is read by `plain`, a
//! reader that gives up on anything else; serde_json reads every other text (`read`, through
//! a `serde::de::DeserializeSeed`), so what is JSON, the numbers each literal gives and the
//! nesting limit are serde_json's own, and `plain` finishes only texts on which the two agree.
//! A name given twice in one object reads as serde_json's map reads it: the last value, in the
//! first one's place.

mod build;
mod plain;
mod read;

use bytestring::ByteString;
pub(crate) use plain::string_end;
use serde_json::{Map, Number, Value};
use std::fmt;

/// Where a string's characters are: in the text, or, for a string with escapes, past its end
/// (the document then reads a copy of the text with the strings unescaped after it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    len: u32,
}

/// One value. Containers name their children by position in [`JsonDoc::items`] or
/// [`JsonDoc::members`].
#[derive(Debug, Clone, PartialEq)]
enum Slot {
    Null,
    Bool(bool),
    Number(Number),
    String(Span),
    /// `text`: where the array stands in the text, when the reader knows (`plain` does; an
    /// empty span when serde_json read it).
    Array {
        first: u32,
        len: u32,
        text: Span,
    },
    Object {
        first: u32,
        len: u32,
    },
}

/// A JSON text, parsed (see the module doc), holding the text (shared, not copied).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JsonDoc {
    /// The text, followed by its escaped strings unescaped when it has any (rarely: a body
    /// with no escapes is read in place).
    text: ByteString,
    /// How much of `text` is the JSON text itself (strings within it have no escapes).
    source_len: u32,
    slots: Vec<Slot>,
    /// Arrays' elements, each array's together.
    items: Vec<u32>,
    /// Objects' members (name, value), each object's together, in the text's order.
    members: Vec<(Span, u32)>,
    root: u32,
}

impl JsonDoc {
    /// `text` parsed, or `None` when it is not one JSON value (as `serde_json::from_str`
    /// decides), or longer than 4 GiB.
    pub fn parse(text: ByteString) -> Option<Self> {
        read::parse(text)
    }

    /// The root value.
    pub fn root(&self) -> DocNode<'_> {
        DocNode {
            doc: self,
            at: self.root,
        }
    }

    /// A document of one string, `text` (what a schema's `propertyNames` checks).
    pub(crate) fn single_string(&mut self, text: &str) {
        let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
        self.text = ByteString::from(text);
        // Not read from a JSON text: the string is written escaped if it must be.
        self.source_len = 0;
        self.slots.clear();
        self.slots.push(Slot::String(Span { start: 0, len }));
        self.root = 0;
    }
}

impl Drop for JsonDoc {
    fn drop(&mut self) {
        read::keep_spare((
            std::mem::take(&mut self.slots),
            std::mem::take(&mut self.items),
            std::mem::take(&mut self.members),
        ));
    }
}

/// One value of a [`JsonDoc`].
#[derive(Clone, Copy)]
pub struct DocNode<'a> {
    doc: &'a JsonDoc,
    at: u32,
}

impl fmt::Debug for DocNode<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_value(), f)
    }
}

impl<'a> DocNode<'a> {
    fn slot(&self) -> &'a Slot {
        self.doc.slots.get(self.at as usize).unwrap_or(&Slot::Null)
    }

    fn at(&self, at: u32) -> Self {
        Self { at, ..*self }
    }

    fn text(&self) -> &'a str {
        &self.doc.text
    }

    fn string(&self, span: Span) -> &'a str {
        let start = span.start as usize;
        self.text()
            .get(start..start.saturating_add(span.len as usize))
            .unwrap_or_default()
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self.slot(), Slot::Null)
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self.slot() {
            Slot::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_number(&self) -> Option<&'a Number> {
        match self.slot() {
            Slot::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&'a str> {
        match self.slot() {
            Slot::String(span) => Some(self.string(*span)),
            _ => None,
        }
    }

    /// Whether this is an array.
    pub fn is_array(&self) -> bool {
        matches!(self.slot(), Slot::Array { .. })
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self.slot(), Slot::Object { .. })
    }

    /// An array's JSON text as it stands in the body (whitespace and all), when the reader
    /// that read it knows where it is: every array of a body without escapes. Read back by
    /// serde_json, it is the array's value.
    pub fn array_text(&self) -> Option<&'a str> {
        match self.slot() {
            Slot::Array { text, .. } if text.len > 0 => Some(self.string(*text)),
            _ => None,
        }
    }

    /// An array's elements; anything else has none.
    pub fn items(&self) -> Items<'a> {
        let items: &'a [u32] = match self.slot() {
            Slot::Array { first, len, .. } => range(&self.doc.items, *first, *len),
            _ => &[],
        };
        Items {
            node: *self,
            rest: items.iter(),
        }
    }

    /// An object's members in the text's order; anything else has none.
    pub fn members(&self) -> Members<'a> {
        let members: &'a [(Span, u32)] = match self.slot() {
            Slot::Object { first, len } => range(&self.doc.members, *first, *len),
            _ => &[],
        };
        Members {
            node: *self,
            rest: members.iter(),
        }
    }

    /// An object's member `name`, found by comparing names (a body's objects are small):
    /// lengths first, and a name's characters only when its length is `name`'s.
    pub fn get(&self, name: &str) -> Option<DocNode<'a>> {
        let Slot::Object { first, len } = self.slot() else {
            return None;
        };
        range(&self.doc.members, *first, *len)
            .iter()
            .find(|(span, _)| self.is(*span, name))
            .map(|&(_, at)| self.at(at))
    }

    fn is(&self, span: Span, name: &str) -> bool {
        let start = span.start as usize;
        span.len as usize == name.len()
            && self
                .text()
                .as_bytes()
                .get(start..start.saturating_add(name.len()))
                == Some(name.as_bytes())
    }

    /// The value's type, as jsonschema names it.
    pub(crate) fn json_type(&self) -> jsonschema::types::JsonType {
        use jsonschema::types::JsonType;
        match self.slot() {
            Slot::Null => JsonType::Null,
            Slot::Bool(_) => JsonType::Boolean,
            Slot::Number(_) => JsonType::Number,
            Slot::String(_) => JsonType::String,
            Slot::Array { .. } => JsonType::Array,
            Slot::Object { .. } => JsonType::Object,
        }
    }

    /// Which document and which of its values this is: what tells nodes apart.
    pub(crate) fn identity(&self) -> (usize, u32) {
        (std::ptr::from_ref(self.doc) as usize, self.at)
    }

    /// The value as `serde_json` would have read it from the text.
    pub fn to_value(&self) -> Value {
        match self.slot() {
            Slot::Null => Value::Null,
            Slot::Bool(b) => Value::Bool(*b),
            Slot::Number(n) => Value::Number(n.clone()),
            Slot::String(span) => Value::String(self.string(*span).to_string()),
            Slot::Array { .. } => Value::Array(self.items().map(|i| i.to_value()).collect()),
            Slot::Object { .. } => Value::Object(
                self.members()
                    .map(|(n, v)| (n.to_string(), v.to_value()))
                    .collect::<Map<String, Value>>(),
            ),
        }
    }
}

impl DocNode<'_> {
    /// Appends this value to `out` as `serde_json::to_writer` writes it, without serde: a
    /// string of the text is written as it stands there (serde_json reads none with a
    /// character it would escape), so keeping a body's part as text is a copy (issue #24).
    pub fn write_compact(&self, out: &mut Vec<u8>) {
        match self.slot() {
            Slot::Null => out.extend_from_slice(b"null"),
            Slot::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            // Writing into a `Vec` does not fail.
            Slot::Number(n) => serde_json::to_writer(&mut *out, n).unwrap_or_default(),
            Slot::String(span) => self.write_string(*span, out),
            Slot::Array { .. } => {
                out.push(b'[');
                for (i, item) in self.items().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    item.write_compact(out);
                }
                out.push(b']');
            }
            Slot::Object { first, len } => {
                out.push(b'{');
                let members = range(&self.doc.members, *first, *len);
                for (i, &(name, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    self.write_string(name, out);
                    out.push(b':');
                    self.at(value).write_compact(out);
                }
                out.push(b'}');
            }
        }
    }

    fn write_string(&self, span: Span, out: &mut Vec<u8>) {
        let text = self.string(span);
        if span.start.saturating_add(span.len) <= self.doc.source_len {
            out.push(b'"');
            out.extend_from_slice(text.as_bytes());
            out.push(b'"');
        } else {
            serde_json::to_writer(&mut *out, text).unwrap_or_default();
        }
    }
}

/// Written as the value it holds (what `serde_json` writes of [`DocNode::to_value`]).
impl serde::Serialize for DocNode<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self.slot() {
            Slot::Null => serializer.serialize_unit(),
            Slot::Bool(b) => serializer.serialize_bool(*b),
            Slot::Number(n) => n.serialize(serializer),
            Slot::String(span) => serializer.serialize_str(self.string(*span)),
            Slot::Array { len, .. } => {
                let mut seq = serializer.serialize_seq(Some(*len as usize))?;
                for item in self.items() {
                    seq.serialize_element(&item)?;
                }
                seq.end()
            }
            Slot::Object { len, .. } => {
                let mut map = serializer.serialize_map(Some(*len as usize))?;
                for (name, value) in self.members() {
                    map.serialize_entry(name, &value)?;
                }
                map.end()
            }
        }
    }
}

/// An array's elements ([`DocNode::items`]).
#[derive(Clone)]
pub struct Items<'a> {
    node: DocNode<'a>,
    rest: std::slice::Iter<'a, u32>,
}

impl<'a> Iterator for Items<'a> {
    type Item = DocNode<'a>;

    fn next(&mut self) -> Option<DocNode<'a>> {
        self.rest.next().map(|&at| self.node.at(at))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.rest.size_hint()
    }
}

impl ExactSizeIterator for Items<'_> {}

/// An object's members ([`DocNode::members`]).
#[derive(Clone)]
pub struct Members<'a> {
    node: DocNode<'a>,
    rest: std::slice::Iter<'a, (Span, u32)>,
}

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, DocNode<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        self.rest
            .next()
            .map(|&(name, at)| (self.node.string(name), self.node.at(at)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.rest.size_hint()
    }
}

impl ExactSizeIterator for Members<'_> {}

fn range<T>(all: &[T], first: u32, len: u32) -> &[T] {
    let first = first as usize;
    all.get(first..first.saturating_add(len as usize))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::JsonDoc;
    use serde_json::Value;

    /// What `text` reads as, written out (members in their order) three ways: through a
    /// `JsonDoc` built back into a `Value`, by the document's `Serialize`, and by its
    /// `write_compact`; or (`theirs`) through serde_json alone, three times.
    fn ours(text: &str) -> Option<(String, String, String)> {
        let doc = JsonDoc::parse(text.into())?;
        let root = doc.root();
        let mut compact = Vec::new();
        root.write_compact(&mut compact);
        Some((
            root.to_value().to_string(),
            serde_json::to_string(&root).unwrap(),
            String::from_utf8(compact).unwrap(),
        ))
    }

    fn theirs(text: &str) -> Option<(String, String, String)> {
        let value: Value = serde_json::from_str(text).ok()?;
        Some((value.to_string(), value.to_string(), value.to_string()))
    }

    fn nested(depth: usize) -> String {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn reads_every_text_as_serde_json_does() {
        let wide: String = (0..20)
            .map(|i| format!("\"m{}\": {i}", i % 7))
            .collect::<Vec<_>>()
            .join(", ");
        let texts = [
            "{}",
            "[]",
            "null",
            "true",
            " [1, -0, -1, 1.5, 0.1, -2e300, 1E2] ",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1e400",
            r#""a\nb\"c\\d\u00e9\ud83d\ude00""#,
            r#""\ud800""#,
            r#"{"a": 1, "a": 2}"#,
            r#"{"a": 1, "b": {"c": [true]}, "a": 3, "b": null}"#,
            r#"{"a\u0062": 1, "ab": 2, "b\n": "x", "b\n": "y"}"#,
            &format!("{{{wide}}}"),
            r#"{"phone": "+10123456789", "credentialRequests": [{"type": "FullNameCredential", "mandatory": "yes", "children": [{"type": "FirstNameCredential"}]}]}"#,
            &nested(127),
            &nested(128),
            &nested(129),
            "",
            " ",
            "{} x",
            "[1,]",
            r#"{"a" 1}"#,
            "nul",
            "\"\u{7}\"",
            "[01]",
            "[-0, 0]",
            "{\"a\": 1,}",
            r#""\u0041""#,
        ];
        for text in texts {
            assert_eq!(ours(text), theirs(text), "{text:.80}");
        }
        // The table holds texts of both kinds.
        assert!(texts.iter().any(|t| theirs(t).is_none()));
        assert!(texts.iter().filter(|t| theirs(t).is_some()).count() > 15);
    }

    #[test]
    fn a_dropped_documents_vectors_serve_the_thread_next() {
        let first = JsonDoc::parse("[1, [true], {}]".into()).unwrap();
        let vectors = (first.slots.as_ptr(), first.members.as_ptr());
        drop(first);
        let second = JsonDoc::parse(r#"{"a": "b", "c": [null]}"#.into()).unwrap();
        assert_eq!((second.slots.as_ptr(), second.members.as_ptr()), vectors);
        // Emptied first: nothing of the first document is left in the second.
        assert_eq!(second.slots.len(), 4);
        assert_eq!(
            second.root().to_value().to_string(),
            r#"{"a":"b","c":[null]}"#
        );
    }

    #[test]
    fn reads_members_and_items_in_place() {
        let text = r#"{"s": "plain", "e": "tab\there", "n": 7, "a": [1, "two", null], "o": {}}"#;
        let doc = JsonDoc::parse(text.into()).unwrap();
        let root = doc.root();
        assert!(root.is_object() && !root.is_array());
        assert_eq!(root.get("s").and_then(|v| v.as_str()), Some("plain"));
        assert_eq!(root.get("e").and_then(|v| v.as_str()), Some("tab\there"));
        assert_eq!(
            root.get("n")
                .and_then(|v| v.as_number())
                .and_then(|n| n.as_u64()),
            Some(7)
        );
        assert!(root.get("missing").is_none());
        let items: Vec<Value> = root
            .get("a")
            .unwrap()
            .items()
            .map(|i| i.to_value())
            .collect();
        assert_eq!(items, vec![Value::from(1), Value::from("two"), Value::Null]);
        assert_eq!(root.get("a").unwrap().items().len(), 3);
        assert_eq!(root.items().len(), 0);
        let names: Vec<&str> = root.members().map(|(n, _)| n).collect();
        assert_eq!(names, ["s", "e", "n", "a", "o"]);
        assert_eq!(root.get("o").unwrap().members().len(), 0);
        assert!(root.get("a").unwrap().get("s").is_none());
        // Without escapes, strings are the text's own; with one, a copy's.
        for (text, in_place) in [(r#"{"s": "plain"}"#, true), (r#"{"s": "plain\n"}"#, false)] {
            let text = bytestring::ByteString::from(text);
            let doc = JsonDoc::parse(text.clone()).unwrap();
            let s = doc.root().get("s").unwrap().as_str().unwrap();
            let range = text.as_bytes().as_ptr_range();
            assert_eq!(range.contains(&s.as_ptr()), in_place, "{text}");
        }
    }
}
