//! Reading a JSON text into a [`JsonDoc`]: serde_json's reader, driving a builder through a
//! [`DeserializeSeed`].

use super::{JsonDoc, Slot, Span};
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
    let mut builder = Builder {
        text: &text,
        doc: JsonDoc {
            slots: Vec::with_capacity(guess),
            items: Vec::with_capacity(guess / 2),
            members: Vec::with_capacity(guess),
            ..JsonDoc::default()
        },
        pending_items,
        pending_members,
        unescaped: String::new(),
    };
    let mut reader = serde_json::Deserializer::from_str(&text);
    let root = ValueSeed(&mut builder).deserialize(&mut reader);
    let ended = reader.end();
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
    doc.text = if unescaped.is_empty() {
        text
    } else {
        ByteString::from(format!("{}{unescaped}", &*text))
    };
    Some(doc)
}

/// Open containers' children a thread keeps between bodies, up to this many of each.
const PENDING_KEPT: usize = 1024;

type Pending = (Vec<u32>, Vec<(Span, u32)>);

thread_local! {
    static PENDING: Cell<Pending> = const { Cell::new((Vec::new(), Vec::new())) };
}

/// Objects with more members than this find a name given twice by hashing instead of
/// comparing every pair.
const PAIRWISE_UP_TO: usize = 16;

/// More values, elements or members than a [`JsonDoc`] counts (4 Gi; a body of 1 MiB has
/// far fewer).
#[derive(Debug)]
struct TooMany;

impl fmt::Display for TooMany {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("more values than a JSON document holds")
    }
}

/// The document being read, and the children of the containers still open.
struct Builder<'t> {
    text: &'t str,
    doc: JsonDoc,
    pending_items: Vec<u32>,
    pending_members: Vec<(Span, u32)>,
    /// Escaped strings, unescaped; their spans start past the text's end.
    unescaped: String,
}

impl Builder<'_> {
    fn push(&mut self, slot: Slot) -> Result<u32, TooMany> {
        let at = u32::try_from(self.doc.slots.len()).map_err(|_| TooMany)?;
        self.doc.slots.push(slot);
        Ok(at)
    }

    /// A string borrowed from the text, as a span of it; `None` if it is not the text's.
    fn span_in_text(&self, s: &str) -> Option<Span> {
        let start = (s.as_ptr() as usize).checked_sub(self.text.as_ptr() as usize)?;
        let end = start.checked_add(s.len())?;
        (end <= self.text.len()).then_some(Span {
            start: u32::try_from(start).ok()?,
            len: u32::try_from(s.len()).ok()?,
        })
    }

    fn unescaped(&mut self, s: &str) -> Span {
        let start = self.text.len().saturating_add(self.unescaped.len());
        self.unescaped.push_str(s);
        Span {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            len: u32::try_from(s.len()).unwrap_or(0),
        }
    }

    fn string(&mut self, s: &str, borrowed: bool) -> Span {
        match borrowed.then(|| self.span_in_text(s)).flatten() {
            Some(span) => span,
            None => self.unescaped(s),
        }
    }

    fn name(&self, span: Span) -> &str {
        let start = span.start as usize;
        let (source, start) = match start.checked_sub(self.text.len()) {
            Some(past_the_text) => (self.unescaped.as_str(), past_the_text),
            None => (self.text, start),
        };
        source
            .get(start..start.saturating_add(span.len as usize))
            .unwrap_or_default()
    }

    /// Closes the object whose members are `pending_members[mark..]`.
    fn close_object(&mut self, mark: usize) -> Result<u32, TooMany> {
        let first = u32::try_from(self.doc.members.len()).map_err(|_| TooMany)?;
        let open = self.pending_members.get(mark..).unwrap_or_default();
        if self.repeats_a_name(open) {
            let open = self.pending_members.split_off(mark);
            let kept = self.last_values_in_first_places(open);
            self.doc.members.extend(kept);
        } else {
            self.doc.members.extend(self.pending_members.drain(mark..));
        }
        let len = self.doc.members.len().saturating_sub(first as usize);
        let len = u32::try_from(len).map_err(|_| TooMany)?;
        self.push(Slot::Object { first, len })
    }

    fn repeats_a_name(&self, members: &[(Span, u32)]) -> bool {
        if members.len() <= PAIRWISE_UP_TO {
            members.iter().enumerate().any(|(i, (name, _))| {
                let name = self.name(*name);
                members.iter().take(i).any(|(n, _)| self.name(*n) == name)
            })
        } else {
            let mut seen = std::collections::HashSet::with_capacity(members.len());
            members
                .iter()
                .any(|(name, _)| !seen.insert(self.name(*name)))
        }
    }

    /// A name given twice keeps its first place and its last value, as serde_json's map does.
    fn last_values_in_first_places(&self, members: Vec<(Span, u32)>) -> Vec<(Span, u32)> {
        let mut place: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::with_capacity(members.len());
        let mut kept: Vec<(Span, u32)> = Vec::with_capacity(members.len());
        for (name, value) in members {
            match place.entry(self.name(name)) {
                std::collections::hash_map::Entry::Occupied(e) => {
                    if let Some(k) = kept.get_mut(*e.get()) {
                        k.1 = value;
                    }
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(kept.len());
                    kept.push((name, value));
                }
            }
        }
        kept
    }
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
        let builder = &mut *self.0;
        let first = u32::try_from(builder.doc.items.len()).map_err(de::Error::custom)?;
        let len = u32::try_from(builder.pending_items.len().saturating_sub(mark))
            .map_err(de::Error::custom)?;
        builder
            .doc
            .items
            .extend(builder.pending_items.drain(mark..));
        builder
            .push(Slot::Array { first, len })
            .map_err(de::Error::custom)
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
