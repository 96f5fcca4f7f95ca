//! Ids the network mints: a uuid's 36 characters, kept inline.
//!
//! A kept /hasMatchingCredentials request carries two (its wallet id and its uuid); as
//! `String`s they were two allocations on every write and two frees, often on the other
//! worker thread, when it made room for a newer one (issue #24).

use serde::{Serialize, Serializer};
use std::fmt;
use std::ops::Deref;

/// The longest id kept inline: a hyphenated uuid.
const MAX: usize = uuid::fmt::Hyphenated::LENGTH;

/// An id of at most [`MAX`] bytes, read as a `&str`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Id {
    len: u8,
    bytes: [u8; MAX],
}

impl Id {
    /// A fresh random (v4) uuid, hyphenated, lower case.
    pub(crate) fn new_uuid() -> Self {
        let mut bytes = [0u8; MAX];
        uuid::Uuid::new_v4().hyphenated().encode_lower(&mut bytes);
        Self {
            len: MAX as u8,
            bytes,
        }
    }

    /// An id of the caller's choice (a test's `w1`); `None` past [`MAX`] bytes.
    #[cfg(test)]
    pub(crate) fn from_text(text: &str) -> Option<Self> {
        let mut bytes = [0u8; MAX];
        bytes
            .get_mut(..text.len())?
            .copy_from_slice(text.as_bytes());
        Some(Self {
            len: u8::try_from(text.len()).ok()?,
            bytes,
        })
    }
}

impl Deref for Id {
    type Target = str;

    fn deref(&self) -> &str {
        // Only whole `&str`s are written in (a uuid's ASCII, or `from_text`'s text).
        let written = self.bytes.get(..usize::from(self.len)).unwrap_or_default();
        std::str::from_utf8(written).unwrap_or_default()
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        **self == *other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        **self == **other
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::Id;

    #[test]
    fn a_new_uuid_reads_as_a_hyphenated_lower_case_uuid() {
        let id = Id::new_uuid();
        let parsed = uuid::Uuid::parse_str(&id).expect("a uuid");
        assert_eq!(parsed.hyphenated().to_string(), *id);
        assert_ne!(Id::new_uuid(), id);
        assert_eq!(serde_json::to_value(id).ok(), Some(serde_json::json!(&*id)));
    }

    #[test]
    fn text_of_a_uuids_length_is_kept_and_longer_is_refused() {
        assert_eq!(Id::from_text("w1").as_deref(), Some("w1"));
        assert_eq!(Id::from_text(&"x".repeat(36)).map(|i| i.len()), Some(36));
        assert_eq!(Id::from_text(&"x".repeat(37)), None);
        assert_eq!(format!("{}", Id::from_text("w1").unwrap()), "w1");
    }
}
