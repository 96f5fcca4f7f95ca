//! The document being read: its values, and the children of the containers still open. Both
//! readers fill it (`plain`, and serde_json's through `read`).

use super::{JsonDoc, Slot, Span};
use std::fmt;

/// Objects with more members than this find a name given twice by hashing instead of
/// comparing every pair.
const PAIRWISE_UP_TO: usize = 16;

/// More values, elements or members than a [`JsonDoc`] counts (4 Gi; a body of 1 MiB has
/// far fewer).
#[derive(Debug)]
pub(super) struct TooMany;

impl fmt::Display for TooMany {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("more values than a JSON document holds")
    }
}

/// The document being read, and the children of the containers still open.
pub(super) struct Builder<'t> {
    pub(super) text: &'t str,
    pub(super) doc: JsonDoc,
    pub(super) pending_items: Vec<u32>,
    pub(super) pending_members: Vec<(Span, u32)>,
    /// Escaped strings, unescaped; their spans start past the text's end.
    pub(super) unescaped: String,
}

impl Builder<'_> {
    /// Back to no values read (what a reader that gave up leaves is dropped).
    pub(super) fn clear(&mut self) {
        self.doc.slots.clear();
        self.doc.items.clear();
        self.doc.members.clear();
        self.pending_items.clear();
        self.pending_members.clear();
        self.unescaped.clear();
    }

    pub(super) fn push(&mut self, slot: Slot) -> Result<u32, TooMany> {
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

    pub(super) fn string(&mut self, s: &str, borrowed: bool) -> Span {
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

    /// Closes the array whose elements are `pending_items[mark..]`, and which stands at `text`
    /// in the text (an empty span if the reader does not know).
    pub(super) fn close_array(&mut self, mark: usize, text: Span) -> Result<u32, TooMany> {
        let first = u32::try_from(self.doc.items.len()).map_err(|_| TooMany)?;
        let len =
            u32::try_from(self.pending_items.len().saturating_sub(mark)).map_err(|_| TooMany)?;
        let open = self.pending_items.get(mark..).unwrap_or_default();
        self.doc.items.extend_from_slice(open);
        self.pending_items.truncate(mark);
        self.push(Slot::Array { first, len, text })
    }

    /// Closes the object whose members are `pending_members[mark..]`.
    pub(super) fn close_object(&mut self, mark: usize) -> Result<u32, TooMany> {
        let first = u32::try_from(self.doc.members.len()).map_err(|_| TooMany)?;
        let open = self.pending_members.get(mark..).unwrap_or_default();
        if self.repeats_a_name(open) {
            let open = self.pending_members.split_off(mark);
            let kept = self.last_values_in_first_places(open);
            self.doc.members.extend(kept);
        } else {
            self.doc.members.extend_from_slice(open);
            self.pending_members.truncate(mark);
        }
        let len = self.doc.members.len().saturating_sub(first as usize);
        let len = u32::try_from(len).map_err(|_| TooMany)?;
        self.push(Slot::Object { first, len })
    }

    fn repeats_a_name(&self, members: &[(Span, u32)]) -> bool {
        if members.len() <= PAIRWISE_UP_TO {
            // Lengths first: names are read only when two have the same length.
            members.iter().enumerate().any(|(i, (name, _))| {
                members
                    .iter()
                    .take(i)
                    .any(|(n, _)| n.len == name.len && self.name(*n) == self.name(*name))
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
