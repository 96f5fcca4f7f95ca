//! The texts most request bodies are, read without serde: strings without escapes, whole
//! numbers from 0 to 19 digits, `true`, `false`, `null`, arrays and objects nested up to
//! [`DEEPEST`] deep (issue #24: serde_json's reader, driven through a visitor, was a fifth of
//! what the mock did for a /hasMatchingCredentials call).
//!
//! Anything else gives up: an escape, a minus sign, a fraction or an exponent, a longer
//! number, deeper nesting, and anything that is not JSON. serde_json then reads the text from
//! the start (`read`), so what is JSON and what each value is stay serde_json's: on the texts
//! this reader finishes, it builds what serde_json's reading builds (the tests compare the two
//! on random texts, broken ones too).

use super::build::Builder;
use super::{Slot, Span};

/// Nesting this reader follows; deeper texts are serde_json's (its limit is 128).
const DEEPEST: u32 = 64;

/// The root's slot, or `None` when the text is not of the kind this reader finishes.
pub(super) fn read(builder: &mut Builder<'_>) -> Option<u32> {
    let mut reader = Reader {
        bytes: builder.text.as_bytes(),
        at: 0,
    };
    let root = reader.value(builder, 0)?;
    reader.skip_whitespace();
    (reader.at == reader.bytes.len()).then_some(root)
}

struct Reader<'t> {
    bytes: &'t [u8],
    at: usize,
}

impl Reader<'_> {
    /// RFC 8259 § 2: space, tab, line feed and carriage return.
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.bytes.get(self.at) {
            self.at = self.at.saturating_add(1);
        }
    }

    /// The next byte that is not whitespace, stepped over.
    fn next_token(&mut self) -> Option<u8> {
        self.skip_whitespace();
        let byte = *self.bytes.get(self.at)?;
        self.at = self.at.saturating_add(1);
        Some(byte)
    }

    fn value(&mut self, builder: &mut Builder<'_>, depth: u32) -> Option<u32> {
        let slot = match self.next_token()? {
            b'"' => Slot::String(self.string()?),
            b'{' if depth < DEEPEST => return self.object(builder, depth.saturating_add(1)),
            b'[' if depth < DEEPEST => return self.array(builder, depth.saturating_add(1)),
            b't' => self.literal(b"rue", Slot::Bool(true))?,
            b'f' => self.literal(b"alse", Slot::Bool(false))?,
            b'n' => self.literal(b"ull", Slot::Null)?,
            first @ b'0'..=b'9' => Slot::Number(self.whole_number(first)?.into()),
            _ => return None,
        };
        builder.push(slot).ok()
    }

    /// The rest of a literal whose first byte was read.
    fn literal(&mut self, rest: &[u8], slot: Slot) -> Option<Slot> {
        let end = self.at.checked_add(rest.len())?;
        (self.bytes.get(self.at..end)? == rest).then(|| {
            self.at = end;
            slot
        })
    }

    /// The rest of a string whose quote was read: its characters up to the closing quote, if
    /// none is escaped or a control character (which JSON does not allow unescaped). The text
    /// is UTF-8 and quotes are ASCII, so the span falls on character boundaries.
    fn string(&mut self) -> Option<Span> {
        let start = self.at;
        let rest = self.bytes.get(start..)?;
        let len = string_end(rest)?;
        if rest.get(len) != Some(&b'"') {
            return None;
        }
        self.at = start.saturating_add(len).saturating_add(1);
        Some(Span {
            start: u32::try_from(start).ok()?,
            len: u32::try_from(len).ok()?,
        })
    }

    /// A whole number whose first digit was read: no sign, no leading zero, at most 19
    /// digits (so it fits a `u64`), and not followed by a fraction or an exponent.
    fn whole_number(&mut self, first: u8) -> Option<u64> {
        let mut n = u64::from(first.wrapping_sub(b'0'));
        let mut digits = 1_u32;
        while let Some(&b) = self.bytes.get(self.at) {
            match b {
                b'0'..=b'9' if first != b'0' && digits < 19 => {
                    n = n
                        .checked_mul(10)?
                        .checked_add(u64::from(b.wrapping_sub(b'0')))?;
                    digits = digits.saturating_add(1);
                    self.at = self.at.saturating_add(1);
                }
                b'0'..=b'9' | b'.' | b'e' | b'E' => return None,
                _ => break,
            }
        }
        Some(n)
    }

    /// The rest of an array whose `[` was read.
    fn array(&mut self, builder: &mut Builder<'_>, depth: u32) -> Option<u32> {
        let start = self.at.checked_sub(1)?;
        let mark = builder.pending_items.len();
        self.skip_whitespace();
        if self.bytes.get(self.at) == Some(&b']') {
            self.at = self.at.saturating_add(1);
        } else {
            loop {
                let item = self.value(builder, depth)?;
                builder.pending_items.push(item);
                match self.next_token()? {
                    b',' => {}
                    b']' => break,
                    _ => return None,
                }
            }
        }
        let text = Span {
            start: u32::try_from(start).ok()?,
            len: u32::try_from(self.at.checked_sub(start)?).ok()?,
        };
        builder.close_array(mark, text).ok()
    }

    /// The rest of an object whose `{` was read.
    fn object(&mut self, builder: &mut Builder<'_>, depth: u32) -> Option<u32> {
        let mark = builder.pending_members.len();
        let mut token = self.next_token()?;
        if token != b'}' {
            loop {
                if token != b'"' {
                    return None;
                }
                let name = self.string()?;
                if self.next_token()? != b':' {
                    return None;
                }
                let value = self.value(builder, depth)?;
                builder.pending_members.push((name, value));
                match self.next_token()? {
                    b',' => token = self.next_token()?,
                    b'}' => break,
                    _ => return None,
                }
            }
        }
        builder.close_object(mark).ok()
    }
}

/// Where a string's characters end: the offset of the first quote, backslash or control
/// character. Eight bytes at a time, with the "has a zero byte" and "has a byte less than n"
/// word tests read little-endian: they may flag a byte after the first that matches, never
/// one before it, so the lowest flagged byte is the first (serde_json scans the same way).
/// `None` when there is none: the bytes need no escape in a JSON string (RFC 8259 § 7; the
/// mock's JSON writer asks that).
pub(crate) fn string_end(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let has_zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGHS;
    let mut chunks = bytes.chunks_exact(8);
    let mut offset: usize = 0;
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let flagged = (w.wrapping_sub(ONES * 0x20) & !w & HIGHS)
            | has_zero(w ^ (ONES * u64::from(b'"')))
            | has_zero(w ^ (ONES * u64::from(b'\\')));
        if flagged != 0 {
            return offset.checked_add((flagged.trailing_zeros() / 8) as usize);
        }
        offset = offset.saturating_add(8);
    }
    let in_rest = chunks
        .remainder()
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
    offset.checked_add(in_rest)
}

#[cfg(test)]
mod tests {
    use super::super::{DocNode, JsonDoc};
    use proptest::prelude::*;
    use serde_json::Value;

    /// Whether this reader finishes `text` (rather than leaving it to serde_json).
    fn finishes(text: &str) -> bool {
        JsonDoc::read_plainly(text)
    }

    #[test]
    fn finishes_the_common_bodies_and_leaves_the_rest() {
        for text in [
            r#"{"phone": "+10123456789", "credentialRequests": [{"type": "FullNameCredential", "mandatory": "yes"}]}"#,
            "{}",
            " [ ] ",
            "[0, 7, 1234567890123456789, true, false, null, \"é\"]",
            "{\"a\":{\"b\":[{\"c\":\"\"}]},\"a\":1}",
            "\"\u{7f}\"",
        ] {
            assert!(finishes(text), "{text}");
        }
        for text in [
            "",
            "-1",
            "[1.5]",
            "[1e2]",
            "12345678901234567890",
            "[01]",
            r#""a\nb""#,
            "\"\u{1}\"",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{1:2}",
            "nul",
            "truex",
            "{} x",
            &format!("{}{}", "[".repeat(65), "]".repeat(65)),
        ] {
            assert!(!finishes(text), "{text}");
        }
        assert!(finishes(&format!("{}{}", "[".repeat(64), "]".repeat(64))));
    }

    /// JSON of the kind this reader finishes, or (one time in four) any JSON.
    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            (0..=u64::MAX).prop_map(Value::from),
            (0..10_000_000_000_000_000_000_u64).prop_map(Value::from),
            (0u64..1000).prop_map(Value::from),
            "[a-z +é@.]{0,12}".prop_map(Value::from),
        ];
        let plain = leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
                prop::collection::vec(("[a-c]{1,2}", inner), 0..6).prop_map(|members| {
                    // Written with names given twice, as a client may send them.
                    let text = members
                        .iter()
                        .map(|(n, v)| format!("\"{n}\": {v}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    serde_json::from_str(&format!("{{{text}}}")).unwrap_or_default()
                }),
            ]
        });
        // What `plain` leaves to serde_json: signs, fractions, exponents, escapes.
        let other = prop_oneof![
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "[a-z\"\\\u{0}-\u{1f}\u{7f}é😀/]{0,8}".prop_map(Value::from),
        ];
        let any_json =
            prop_oneof![3 => leaf_of_any(), 1 => other].prop_recursive(3, 24, 5, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..5).prop_map(Value::from),
                    prop::collection::vec(("[a-z\"\\\n]{0,3}", inner), 0..5)
                        .prop_map(|m| Value::Object(m.into_iter().collect())),
                ]
            });
        prop_oneof![3 => plain, 1 => any_json]
    }

    fn leaf_of_any() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            "[a-z ]{0,6}".prop_map(Value::from),
        ]
    }

    /// A JSON text, pretty or not, as it is, or with one of JSON's structural or literal bytes
    /// put in place of one of its bytes, or between two.
    fn broken() -> impl Strategy<Value = String> {
        let bytes = b"{}[],:\" \\0-.e1tn\x01x";
        (
            json(),
            any::<bool>(),
            0..4,
            any::<prop::sample::Index>(),
            prop::sample::select(bytes.to_vec()),
        )
            .prop_map(|(v, pretty, how, at, byte)| {
                let text = if pretty {
                    serde_json::to_string_pretty(&v)
                } else {
                    serde_json::to_string(&v)
                };
                let mut text = text.unwrap_or_default().into_bytes();
                let i = at.index(text.len().max(1)).min(text.len());
                // Where a container's values meet: a byte before one is a likely mistake.
                let joints: Vec<usize> = (0..text.len())
                    .filter(|&j| matches!(text.get(j), Some(b'}' | b']' | b',' | b':')))
                    .collect();
                match how {
                    0 => {}
                    1 => text.insert(i, byte),
                    2 if !joints.is_empty() => text.insert(joints[at.index(joints.len())], byte),
                    _ => {
                        if let Some(b) = text.get_mut(i) {
                            *b = byte;
                        }
                    }
                }
                String::from_utf8_lossy(&text).into_owned()
            })
    }

    fn collect_arrays<'a>(node: DocNode<'a>, out: &mut Vec<DocNode<'a>>) {
        if node.is_array() {
            out.push(node);
        }
        for child in node.items().chain(node.members().map(|(_, v)| v)) {
            collect_arrays(child, out);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// The word-at-a-time scan finds the byte a byte-by-byte one finds.
        #[test]
        fn a_string_ends_where_the_first_special_byte_is(
            bytes in prop::collection::vec(
                prop_oneof![Just(b'"'), Just(b'\\'), 0u8..0x20, 0x20u8..=0xff, 0x20u8..=0xff], 0..40)
        ) {
            let naive = bytes.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
            prop_assert_eq!(super::string_end(&bytes), naive);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 2048,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Whatever the text, and whichever reader finished it, the document is serde_json's
        /// reading of it (or there is none when serde_json finds no JSON).
        #[test]
        fn reads_any_text_as_serde_json_does(text in broken()) {
            let doc = JsonDoc::parse(text.as_str().into());
            let ours = doc.as_ref().map(|d| d.root().to_value().to_string());
            let theirs = serde_json::from_str::<Value>(&text).ok().map(|v| v.to_string());
            prop_assert_eq!(&ours, &theirs);
            // Written back as serde_json writes what it read.
            let written = doc.map(|d| {
                let mut out = Vec::new();
                d.root().write_compact(&mut out);
                String::from_utf8(out).unwrap_or_default()
            });
            prop_assert_eq!(written, theirs);
            // Every array `plain` read knows its text, which reads as its value; serde_json's
            // reading knows none.
            if let Some(doc) = JsonDoc::parse(text.as_str().into()) {
                let mut arrays = Vec::new();
                collect_arrays(doc.root(), &mut arrays);
                for array in arrays {
                    let value = array.array_text().map(serde_json::from_str::<Value>);
                    match value {
                        Some(read) => prop_assert_eq!(read.ok(), Some(array.to_value())),
                        None => prop_assert!(!JsonDoc::read_plainly(&text)),
                    }
                }
            }
        }
    }
}
