//! Reading a JSON text into a [`JsonDoc`]: serde_json's reader, driving a builder through a
//! [`DeserializeSeed`].

use super::build::Builder;
use super::{JsonDoc, Slot, Span, plain};
use bytestring::ByteString;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Number;
use std::cell::Cell;
use std::fmt;

/// `text` parsed ([`JsonDoc::parse`]).
pub(super) fn parse(text: ByteString) -> Option<JsonDoc> {
    u32::try_from(text.len()).ok()?;
    // Sized for a small body at once (the mock's requests have about a value per six
    // bytes); a larger one grows the vectors as it is read.
    let guess = (text.len() / 6).clamp(4, 256);
    // The stacks of open containers' children, kept by the thread from one body to the
    // next (two allocations fewer per body).
    let (pending_items, pending_members) = PENDING.take();
    // A dropped document's vectors, when this thread kept them (`JsonDoc`'s `Drop`).
    let (slots, items, members) = match SPARE.take() {
        spare if spare.0.capacity() > 0 => spare,
        _ => (
            Vec::with_capacity(guess),
            Vec::with_capacity(guess / 2),
            Vec::with_capacity(guess),
        ),
    };
    let mut builder = Builder {
        text: &text,
        doc: JsonDoc {
            text: ByteString::new(),
            source_len: 0,
            slots,
            items,
            members,
            root: 0,
        },
        pending_items,
        pending_members,
        unescaped: String::new(),
    };
    // The common body (no escapes, small whole numbers) without serde; anything else, or
    // anything that is not JSON, from the start by serde_json.
    let (root, ended) = match plain::read(&mut builder) {
        Some(root) => (Ok(root), Ok(())),
        None => {
            builder.clear();
            let mut reader = serde_json::Deserializer::from_str(&text);
            let root = ValueSeed(&mut builder).deserialize(&mut reader);
            (root, reader.end())
        }
    };
    let Builder {
        mut doc,
        mut pending_items,
        mut pending_members,
        unescaped,
        ..
    } = builder;
    if pending_items.capacity() <= PENDING_KEPT && pending_members.capacity() <= PENDING_KEPT {
        pending_items.clear();
        pending_members.clear();
        PENDING.set((pending_items, pending_members));
    }
    doc.root = root.ok()?;
    ended.ok()?;
    doc.source_len = u32::try_from(text.len()).ok()?;
    doc.text = if unescaped.is_empty() {
        text
    } else {
        ByteString::from(format!("{}{unescaped}", &*text))
    };
    Some(doc)
}

#[cfg(test)]
impl JsonDoc {
    /// Whether `plain`'s reader finishes `text` by itself.
    pub(super) fn read_plainly(text: &str) -> bool {
        let mut builder = Builder {
            text,
            doc: JsonDoc::default(),
            pending_items: Vec::new(),
            pending_members: Vec::new(),
            unescaped: String::new(),
        };
        plain::read(&mut builder).is_some()
    }
}

/// Open containers' children a thread keeps between bodies, and a dropped document's values,
/// up to this many of each.
const PENDING_KEPT: usize = 1024;

type Pending = (Vec<u32>, Vec<(Span, u32)>);

/// A document's vectors: its values, elements and members.
type Spare = (Vec<Slot>, Vec<u32>, Vec<(Span, u32)>);

thread_local! {
    static PENDING: Cell<Pending> = const { Cell::new((Vec::new(), Vec::new())) };
    /// The vectors of the last document this thread dropped, for the next it reads: three
    /// allocations and three frees fewer per request body (issue #24).
    static SPARE: Cell<Spare> = const { Cell::new((Vec::new(), Vec::new(), Vec::new())) };
}

/// Keeps a dropped document's vectors for the thread's next body, if they are not large and
/// the thread keeps none yet.
pub(super) fn keep_spare(mut spare: Spare) {
    let small = spare.0.capacity() <= PENDING_KEPT
        && spare.1.capacity() <= PENDING_KEPT
        && spare.2.capacity() <= PENDING_KEPT;
    if !small || spare.0.capacity() == 0 {
        return;
    }
    // `try_with`: a document dropped as the thread ends is simply freed.
    let _ = SPARE.try_with(|kept| {
        let held = kept.take();
        if held.0.capacity() == 0 {
            spare.0.clear();
            spare.1.clear();
            spare.2.clear();
            kept.set(spare);
        } else {
            kept.set(held);
        }
    });
}

/// Reads one value into the builder; its slot's index is the result.
struct ValueSeed<'b, 't>(&'b mut Builder<'t>);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_> {
    type Value = u32;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<u32, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_, '_> {
    type Value = u32;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<u32, E> {
        self.0.push(Slot::Null).map_err(E::custom)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<u32, E> {
        self.0.push(Slot::Bool(b)).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<u32, E> {
        self.0.push(Slot::Number(n.into())).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<u32, E> {
        self.0.push(Slot::Number(n.into())).map_err(E::custom)
    }

    // As `Value` reads a float: one it cannot hold is null.
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<u32, E> {
        let slot = Number::from_f64(n).map_or(Slot::Null, Slot::Number);
        self.0.push(slot).map_err(E::custom)
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<u32, E> {
        let span = self.0.string(s, true);
        self.0.push(Slot::String(span)).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<u32, E> {
        let span = self.0.string(s, false);
        self.0.push(Slot::String(span)).map_err(E::custom)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<u32, A::Error> {
        let mark = self.0.pending_items.len();
        while let Some(at) = seq.next_element_seed(ValueSeed(&mut *self.0))? {
            self.0.pending_items.push(at);
        }
        // serde_json does not say where the array stands.
        let unknown = Span { start: 0, len: 0 };
        self.0.close_array(mark, unknown).map_err(de::Error::custom)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<u32, A::Error> {
        let mark = self.0.pending_members.len();
        while let Some(name) = map.next_key_seed(NameSeed(&mut *self.0))? {
            let value = map.next_value_seed(ValueSeed(&mut *self.0))?;
            self.0.pending_members.push((name, value));
        }
        self.0.close_object(mark).map_err(de::Error::custom)
    }
}

/// Reads a member's name.
struct NameSeed<'b, 't>(&'b mut Builder<'t>);

impl<'de> DeserializeSeed<'de> for NameSeed<'_, '_> {
    type Value = Span;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Span, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for NameSeed<'_, '_> {
    type Value = Span;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Span, E> {
        Ok(self.0.string(s, true))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Span, E> {
        Ok(self.0.string(s, false))
    }
}
