//! The mock's answers written as JSON exactly as `serde_json::to_writer` writes them, byte for
//! byte, but with each string checked for what JSON escapes eight bytes at a time and copied
//! whole when it has none. serde_json looks every byte of every string up in its escape table,
//! about ten instructions a byte: two thirds of writing a credential, 10 % of a whole GET
//! (issue #24).
//!
//! Only the common shapes are written here: strings, integers, booleans, nulls, lists and
//! objects with string keys. Anything else (a float, a key that is not a string, serde_json's
//! raw values) stops the writer, and the answer is written by serde_json from the start: the
//! output is serde_json's in every case, which the tests check on random values.

use crate::contract::json_doc::string_end;
use serde::ser::{self, Serialize};
use std::fmt::Display;

/// Writes `value` as `serde_json::to_writer` would, into `out` (cleared first).
pub(crate) fn write<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> serde_json::Result<()> {
    out.clear();
    append(out, value)
}

/// Appends `value` to `out` as `serde_json::to_writer` would.
pub(crate) fn append<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    value: &T,
) -> serde_json::Result<()> {
    let before = out.len();
    if value.serialize(Writer { out: &mut *out }).is_ok() {
        return Ok(());
    }
    out.truncate(before);
    serde_json::to_writer(out, value)
}

/// `value` written as [`write`] writes it into this thread's scratch buffer, handed to `copy`
/// (which copies it out at its length: one allocation, where a `Vec` grown to fit would be
/// several and keep room to spare); `None` if it cannot be written as JSON.
pub(crate) fn written<T: Serialize + ?Sized, R>(
    value: &T,
    copy: impl FnOnce(&[u8]) -> R,
) -> Option<R> {
    with_scratch(|out| write(out, value).ok().map(|()| copy(out)))
}

/// `write` given this thread's scratch buffer, empty: for text written to be copied out at
/// its length (see [`written`]).
pub(crate) fn with_scratch<R>(write: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let write = |out: &mut Vec<u8>| {
        out.clear();
        let result = write(out);
        // A rare large value does not keep its buffer for the thread's life.
        if out.capacity() > 64 * 1024 {
            *out = Vec::new();
        }
        result
    };
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut out) => write(&mut out),
        // Only if `write` itself asks for the scratch; still written.
        Err(_) => write(&mut Vec::new()),
    })
}

/// Why the fast writer stopped; the caller then asks serde_json (never seen by a client).
fn unsupported() -> serde_json::Error {
    ser::Error::custom("left to serde_json")
}

/// Whether a string needs no escaping: no `"`, no `\`, no control character (RFC 8259 § 7;
/// serde_json escapes exactly these), found eight bytes at a time by the JSON reader's scan.
fn plain(bytes: &[u8]) -> bool {
    string_end(bytes).is_none()
}

/// The text `parts` make together, appended to `out` as one JSON string, quoted and escaped
/// as serde_json writes it: a body written by hand around a string (a url made of its parts)
/// without a copy of the whole, and without serde (issue #24).
pub(crate) fn push_string(out: &mut Vec<u8>, parts: &[&str]) {
    if parts.iter().all(|p| plain(p.as_bytes())) {
        quote(out, parts);
    } else {
        // Writing into a `Vec` does not fail.
        write_str(out, &parts.concat()).ok();
    }
}

/// `parts`, one after the other, between quotes: for parts none of which needs an escape.
fn quote(out: &mut Vec<u8>, parts: &[&str]) {
    out.reserve(
        parts
            .iter()
            .map(|p| p.len())
            .sum::<usize>()
            .saturating_add(2),
    );
    out.push(b'"');
    for part in parts {
        out.extend_from_slice(part.as_bytes());
    }
    out.push(b'"');
}

fn write_str(out: &mut Vec<u8>, text: &str) -> serde_json::Result<()> {
    if plain(text.as_bytes()) {
        quote(out, &[text]);
        Ok(())
    } else {
        // serde_json's own escapes (`\n`, `\u001f`, ...), for the rare string that needs them.
        serde_json::to_writer(out, text)
    }
}

fn write_integer(out: &mut Vec<u8>, n: impl itoa::Integer) -> serde_json::Result<()> {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    Ok(())
}

struct Writer<'o> {
    out: &'o mut Vec<u8>,
}

/// A list or an object on its way: whether a member was written (the next needs a comma), and
/// how many brackets close it (two for an enum variant's `{"name": [...]}`).
struct Compound<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
    close: &'static [u8],
}

impl<'o> Compound<'o> {
    fn open(out: &'o mut Vec<u8>, open: &[u8], close: &'static [u8]) -> Self {
        out.extend_from_slice(open);
        Self {
            out,
            first: true,
            close,
        }
    }

    fn comma(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> serde_json::Result<()> {
        self.comma();
        value.serialize(Writer {
            out: &mut *self.out,
        })
    }

    fn member<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> serde_json::Result<()> {
        self.comma();
        write_str(self.out, key)?;
        self.out.push(b':');
        value.serialize(Writer {
            out: &mut *self.out,
        })
    }

    fn close(self) -> serde_json::Result<()> {
        self.out.extend_from_slice(self.close);
        Ok(())
    }
}

/// `{"variant":` before a variant's value, as serde_json writes an externally tagged enum.
fn variant_open(out: &mut Vec<u8>, variant: &str) -> serde_json::Result<()> {
    out.push(b'{');
    write_str(out, variant)?;
    out.push(b':');
    Ok(())
}

/// The integer methods: digits by `itoa`, as serde_json writes them.
macro_rules! integers {
    ($($method:ident($kind:ty)),*) => {$(
        fn $method(self, v: $kind) -> serde_json::Result<()> {
            write_integer(self.out, v)
        }
    )*};
}

/// The compound variants' methods: the variant's name, then its list or object.
macro_rules! variants {
    ($($method:ident => $open:literal, $close:literal),*) => {$(
        fn $method(
            self,
            _: &'static str,
            _: u32,
            variant: &'static str,
            _: usize,
        ) -> serde_json::Result<Compound<'o>> {
            variant_open(self.out, variant)?;
            Ok(Compound::open(self.out, $open, $close))
        }
    )*};
}

impl<'o> ser::Serializer for Writer<'o> {
    type Ok = ();
    type Error = serde_json::Error;
    type SerializeSeq = Compound<'o>;
    type SerializeTuple = Compound<'o>;
    type SerializeTupleStruct = Compound<'o>;
    type SerializeTupleVariant = Compound<'o>;
    type SerializeMap = Compound<'o>;
    type SerializeStruct = Compound<'o>;
    type SerializeStructVariant = Compound<'o>;

    fn serialize_bool(self, v: bool) -> serde_json::Result<()> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    integers!(
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64)
    );
    // Floats (shortest round-trip digits, `null` when not finite) are serde_json's to write.
    fn serialize_f32(self, _: f32) -> serde_json::Result<()> {
        Err(unsupported())
    }
    fn serialize_f64(self, _: f64) -> serde_json::Result<()> {
        Err(unsupported())
    }
    fn serialize_char(self, v: char) -> serde_json::Result<()> {
        write_str(self.out, v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> serde_json::Result<()> {
        write_str(self.out, v)
    }
    fn serialize_bytes(self, v: &[u8]) -> serde_json::Result<()> {
        let mut list = Compound::open(self.out, b"[", b"]");
        for byte in v {
            list.element(byte)?;
        }
        list.close()
    }
    fn serialize_none(self) -> serde_json::Result<()> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> serde_json::Result<()> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> serde_json::Result<()> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> serde_json::Result<()> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> serde_json::Result<()> {
        write_str(self.out, variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> serde_json::Result<()> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> serde_json::Result<()> {
        variant_open(self.out, variant)?;
        value.serialize(Writer {
            out: &mut *self.out,
        })?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> serde_json::Result<Compound<'o>> {
        Ok(Compound::open(self.out, b"[", b"]"))
    }
    fn serialize_tuple(self, _: usize) -> serde_json::Result<Compound<'o>> {
        Ok(Compound::open(self.out, b"[", b"]"))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> serde_json::Result<Compound<'o>> {
        Ok(Compound::open(self.out, b"[", b"]"))
    }
    fn serialize_map(self, _: Option<usize>) -> serde_json::Result<Compound<'o>> {
        Ok(Compound::open(self.out, b"{", b"}"))
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> serde_json::Result<Compound<'o>> {
        // serde_json's raw values pass as a struct of this name; their text is theirs to copy.
        if name.starts_with("$serde_json::") {
            return Err(unsupported());
        }
        Ok(Compound::open(self.out, b"{", b"}"))
    }
    // `{"variant":[...]}` and `{"variant":{...}}`, as serde_json tags an enum's variants.
    variants!(
        serialize_tuple_variant => b"[", b"]}",
        serialize_struct_variant => b"{", b"}}"
    );
    fn collect_str<T: Display + ?Sized>(self, value: &T) -> serde_json::Result<()> {
        write_str(self.out, &value.to_string())
    }
}

/// The four kinds of list serde knows are one in JSON: `[a,b]`.
macro_rules! list_like {
    ($($kind:ident::$add:ident),*) => {$(
        impl ser::$kind for Compound<'_> {
            type Ok = ();
            type Error = serde_json::Error;
            fn $add<T: Serialize + ?Sized>(&mut self, value: &T) -> serde_json::Result<()> {
                self.element(value)
            }
            fn end(self) -> serde_json::Result<()> {
                self.close()
            }
        }
    )*};
}

list_like!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// A struct and a struct variant's fields are an object's members.
macro_rules! struct_like {
    ($($kind:ident),*) => {$(
        impl ser::$kind for Compound<'_> {
            type Ok = ();
            type Error = serde_json::Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> serde_json::Result<()> {
                self.member(key, value)
            }
            fn end(self) -> serde_json::Result<()> {
                self.close()
            }
        }
    )*};
}

struct_like!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> serde_json::Result<()> {
        self.comma();
        // A key is written as any value; one that does not come out a string (a number, a
        // boolean, a list) is left to serde_json, which quotes some and refuses the rest. The
        // ones that do (a string, a char, a unit variant, through newtypes and options) are
        // the ones serde_json writes as strings too.
        let start = self.out.len();
        key.serialize(Writer {
            out: &mut *self.out,
        })?;
        match self.out.get(start) {
            Some(b'"') => Ok(()),
            _ => Err(unsupported()),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> serde_json::Result<()> {
        self.out.push(b':');
        value.serialize(Writer {
            out: &mut *self.out,
        })
    }
    fn end(self) -> serde_json::Result<()> {
        self.close()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::{plain, push_string, write};
    use proptest::prelude::*;
    use serde::Serialize;
    use serde_json::{Map, Value, json};
    use std::collections::BTreeMap;

    fn ours<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
        let mut out = b"left from before".to_vec();
        write(&mut out, value).unwrap();
        out
    }

    /// Every byte at every place of a word and of the tail: the word test never misses one.
    #[test]
    fn a_string_is_plain_unless_a_byte_needs_escaping() {
        for len in [1, 7, 8, 9, 16, 17] {
            for at in 0..len {
                for byte in 0..=u8::MAX {
                    let mut text = vec![b'a'; len];
                    text[at] = byte;
                    let expected = byte >= 0x20 && byte != b'"' && byte != b'\\';
                    assert_eq!(plain(&text), expected, "{byte:#x} at {at} of {len}");
                }
            }
        }
        assert!(plain(b""));
    }

    #[derive(Serialize, PartialEq, Eq, Hash)]
    enum Shape {
        Unit,
        Newtype(u8),
        Tuple(i32, String),
        Struct { a: Option<bool>, b: char },
    }

    #[derive(Serialize)]
    struct Answer<'a> {
        #[serde(rename = "match")]
        matched: bool,
        url: &'a str,
        shapes: Vec<Shape>,
        unit: (),
        bytes: &'a [u8],
        nothing: Option<u64>,
        keys: BTreeMap<&'a str, i64>,
    }

    /// The shapes serde derives, and those the writer leaves to serde_json (floats, keys that
    /// are not strings, raw values), all written as serde_json writes them.
    #[test]
    fn every_shape_is_written_as_serde_json_writes_it() {
        let answer = Answer {
            matched: true,
            url: "http://127.0.0.1:8080/verified/wallet/requests/\u{e9}\"\\\n\u{1}",
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(7),
                Shape::Tuple(-3, "x".into()),
                Shape::Struct {
                    a: Some(false),
                    b: '"',
                },
                Shape::Struct { a: None, b: 'é' },
            ],
            unit: (),
            bytes: &[0, 255],
            nothing: None,
            keys: BTreeMap::from([("a", i64::MIN), ("b\t", i64::MAX)]),
        };
        assert_eq!(ours(&answer), serde_json::to_vec(&answer).unwrap());
        let floats = json!({"f": 1.5, "g": [0.1, -2e300]});
        assert_eq!(ours(&floats), serde_json::to_vec(&floats).unwrap());
        let numbered: BTreeMap<u32, &str> = BTreeMap::from([(1, "one"), (2, "two")]);
        assert_eq!(ours(&numbered), serde_json::to_vec(&numbered).unwrap());
        // Keys that come out strings, and one serde_json quotes.
        let chars = BTreeMap::from([('"', 1), ('k', 2)]);
        assert_eq!(ours(&chars), serde_json::to_vec(&chars).unwrap());
        let variants = std::collections::HashMap::from([(Shape::Unit, 1)]);
        assert_eq!(ours(&variants), serde_json::to_vec(&variants).unwrap());
        let booleans = BTreeMap::from([(false, "no"), (true, "yes")]);
        assert_eq!(ours(&booleans), serde_json::to_vec(&booleans).unwrap());
        let raw = serde_json::value::RawValue::from_string("{ \"a\" : 1 }".into()).unwrap();
        assert_eq!(ours(&raw), serde_json::to_vec(&raw).unwrap());
        assert_eq!(ours(&json!({})), b"{}");
        assert_eq!(ours(&json!([])), b"[]");
    }

    pub(crate) fn value() -> impl Strategy<Value = Value> {
        let text = "[a-z\"\\\\\u{0}-\u{1f}\u{7f}é€😀 /]{0,20}";
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            text.prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 8, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::vec((text, inner), 0..8)
                    .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
            ]
        })
    }

    proptest! {
        // No seed file beside the sources, as for vouch's other property runs
        // (src/fuzz/kinds.rs); the cases a failure would keep are the deterministic tests'.
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Random JSON (control characters, quotes, backslashes, non-ASCII, floats and
        /// integers at their limits, members in insertion order) comes out as serde_json's.
        #[test]
        fn any_value_is_written_as_serde_json_writes_it(v in value()) {
            prop_assert_eq!(ours(&v), serde_json::to_vec(&v).unwrap());
        }

        /// A string pushed in parts is the whole's JSON string, escapes and all.
        #[test]
        fn a_string_pushed_in_parts_is_written_as_serde_json_writes_it(
            parts in prop::collection::vec("[a-z\"\\\u{0}-\u{1f}\u{7f}é€😀 /:]{0,8}", 0..5)
        ) {
            let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
            let mut out = b"[".to_vec();
            push_string(&mut out, &parts);
            prop_assert_eq!(out, [b"[".to_vec(), serde_json::to_vec(&parts.concat()).unwrap()].concat());
        }
    }
}
