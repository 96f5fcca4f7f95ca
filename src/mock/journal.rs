//! The request journal (`GET /__admin/requests`): what the mock was asked and what it answered.
//! It keeps the most recent entries only, and never a secret: no headers, and query values
//! under sensitive names are redacted.

use super::clock::Instant;
use crate::redact;
use serde::Serialize;
use std::sync::Mutex;

/// How many entries the journal keeps unless configured
/// ([`MockConfig::journal_size`](super::MockConfig::journal_size)): a ring, the oldest go first.
pub const DEFAULT_JOURNAL_SIZE: usize = 10_000;

/// One request the mock answered, as `GET /__admin/requests` lists it.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Entry {
    /// The API (its URL prefix), or the unknown prefix that was asked for.
    pub api: String,
    /// The contract operation the request matched, if any.
    #[serde(rename = "operationId", skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The HTTP method.
    pub method: String,
    /// Path and query, below the mock's root (`/peach/verification-types?limit=5`).
    pub path: String,
    /// The status the mock answered.
    pub status: u16,
    /// Mock-clock time, RFC 3339.
    pub time: String,
    /// The tenant whose credential the request carried, when it carried a known one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// Set when an injected fault answered instead of the API.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
}

/// What the pipeline knows of an answered request, borrowed from it: the journal copies it
/// into an entry of its ring.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Trace<'a> {
    pub api: &'a str,
    pub operation: Option<&'a str>,
    pub method: &'a str,
    /// Path and query, as asked (redacted when journaled).
    pub path: &'a str,
    pub status: u16,
    pub tenant: Option<&'a str>,
    pub fault: Option<&'a str>,
}

/// The journal keeps each entry with its mock-clock time as an instant, and writes the
/// RFC 3339 text only when the journal is read: formatting a date per request costs the hot
/// path more than the rest of journaling. Once the ring is full, each new entry is written
/// over the one it pushes out, into its text buffer, so a busy mock journals without
/// allocating (issue #24).
#[derive(Debug)]
pub(crate) struct Journal {
    entries: Mutex<Ring>,
    capacity: usize,
}

/// The kept entries: up to the capacity, then each new one overwrites the oldest in place.
#[derive(Debug, Default)]
struct Ring {
    items: Vec<Kept>,
    /// Where the oldest entry is once the ring is full (and the next to be overwritten).
    oldest: usize,
}

impl Ring {
    fn iter(&self) -> impl Iterator<Item = &Kept> {
        let (newer, older) = self.items.split_at(self.oldest.min(self.items.len()));
        older.iter().chain(newer)
    }
}

/// One entry as the ring keeps it: its texts one after another in a single buffer, a cache
/// line and a buffer per entry. An entry the ring overwrites was written a whole ring of
/// requests before, so each of its lines is a cache miss: as an [`Entry`] of five strings it
/// was eight (issue #24).
#[derive(Debug)]
struct Kept {
    at: Instant,
    status: u16,
    /// Which of the optional parts (operation, tenant, fault) the entry has, a bit each.
    present: u8,
    /// Where each of [`PARTS`] ends in `text`.
    ends: [u32; PARTS],
    text: String,
}

/// The texts of an entry, in the order they are kept: api, method, path, operation, tenant,
/// fault (the last three optional).
const PARTS: usize = 6;

impl Kept {
    fn new(trace: &Trace<'_>, path: &str, at: Instant) -> Self {
        let mut kept = Self {
            at,
            status: 0,
            present: 0,
            ends: [0; PARTS],
            text: String::new(),
        };
        kept.fill(trace, path, at);
        kept
    }

    fn fill(&mut self, trace: &Trace<'_>, path: &str, at: Instant) {
        let parts = [
            Some(trace.api),
            Some(trace.method),
            Some(path),
            trace.operation,
            trace.tenant,
            trace.fault,
        ];
        self.at = at;
        self.status = trace.status;
        self.present = 0;
        self.text.clear();
        // One allocation for a new entry's text (or a reused one's that grows), not one per
        // part as it is pushed.
        self.text
            .reserve(parts.iter().flatten().map(|p| p.len()).sum());
        for (i, (part, end)) in parts.into_iter().zip(&mut self.ends).enumerate() {
            if let Some(part) = part {
                self.text.push_str(part);
                self.present |= 1 << i;
            }
            *end = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        }
    }

    /// Part `i` of [`PARTS`], if the entry has it.
    fn part(&self, i: usize) -> Option<&str> {
        if self.present & (1 << i) == 0 {
            return None;
        }
        let end = |i: usize| self.ends.get(i).map_or(0, |&e| e as usize);
        let start = i.checked_sub(1).map_or(0, end);
        self.text.get(start..end(i))
    }

    fn entry(&self) -> Entry {
        let text = |i| self.part(i).unwrap_or_default().to_string();
        let option = |i| self.part(i).map(str::to_string);
        Entry {
            api: text(0),
            method: text(1),
            path: text(2),
            operation: option(3),
            tenant: option(4),
            fault: option(5),
            status: self.status,
            time: self.at.rfc3339(),
        }
    }
}

impl Default for Journal {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_JOURNAL_SIZE)
    }
}

impl Journal {
    /// A journal keeping the last `capacity` entries (0 keeps none).
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(Ring::default()),
            capacity,
        }
    }

    /// How many entries it keeps.
    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// Keeps `entry` (its `time` is written from `at` when read).
    #[cfg(test)]
    pub(crate) fn record(&self, entry: Entry, at: Instant) {
        self.keep(
            Trace {
                api: &entry.api,
                operation: entry.operation.as_deref(),
                method: &entry.method,
                path: &entry.path,
                status: entry.status,
                tenant: entry.tenant.as_deref(),
                fault: entry.fault.as_deref(),
            },
            at,
        );
    }

    /// Keeps what `trace` says of a request answered at `at`, its query's sensitive values
    /// redacted.
    pub(crate) fn keep(&self, trace: Trace<'_>, at: Instant) {
        if self.capacity == 0 {
            return;
        }
        let redacted = trace
            .path
            .contains('?')
            .then(|| redact::redact_query(trace.path).0);
        let path = redacted.as_deref().unwrap_or(trace.path);
        let mut ring = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if ring.items.len() < self.capacity {
            ring.items.push(Kept::new(&trace, path, at));
        } else {
            let oldest = ring.oldest;
            if let Some(kept) = ring.items.get_mut(oldest) {
                kept.fill(&trace, path, at);
            }
            ring.oldest = oldest
                .saturating_add(1)
                .checked_rem(self.capacity)
                .unwrap_or(0);
        }
    }

    /// The entries, oldest first, optionally of one API.
    pub(crate) fn entries(&self, api: Option<&str>) -> Vec<Entry> {
        let ring = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        ring.iter()
            .filter(|kept| api.is_none_or(|a| kept.part(0) == Some(a)))
            .map(Kept::entry)
            .collect()
    }

    pub(crate) fn clear(&self) {
        *self.entries.lock().unwrap_or_else(|e| e.into_inner()) = Ring::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(api: &str, path: &str) -> Entry {
        Entry {
            api: api.into(),
            operation: None,
            method: "GET".into(),
            path: path.into(),
            status: 200,
            time: String::new(),
            tenant: None,
            fault: None,
        }
    }

    #[test]
    fn secrets_in_queries_are_redacted() {
        let j = Journal::default();
        j.record(entry("peach", "/peach/x?api_key=abc&limit=5"), Instant(0));
        assert_eq!(j.entries(None)[0].time, "1970-01-01T00:00:00.000Z");
        assert_eq!(
            j.entries(None)[0].path,
            "/peach/x?api_key=<redacted>&limit=5"
        );
    }

    #[test]
    fn a_ring_of_the_configured_size() {
        let j = Journal::with_capacity(3);
        for i in 0..7 {
            j.record(entry("a", &format!("/{i}")), Instant(0));
        }
        let paths: Vec<String> = j.entries(None).into_iter().map(|e| e.path).collect();
        assert_eq!(paths, ["/4", "/5", "/6"]);
        let none = Journal::with_capacity(0);
        none.record(entry("a", "/x"), Instant(0));
        assert!(none.entries(None).is_empty());
    }

    #[test]
    fn a_recycled_entry_keeps_nothing_of_the_one_it_replaces() {
        let j = Journal::with_capacity(2);
        let full = Entry {
            operation: Some("getCredential".into()),
            tenant: Some("hooli".into()),
            fault: Some("status 500".into()),
            status: 500,
            ..entry(
                "verified",
                "/verified/credentials/a-long-identifier?api_key=abc",
            )
        };
        j.record(full.clone(), Instant(0));
        j.record(full, Instant(0));
        // The ring is full: these two are written over the two above.
        j.record(entry("peach", "/p"), Instant(0));
        let second = Entry {
            tenant: Some("t".into()),
            ..entry("trusona", "/t?x=1")
        };
        j.record(second.clone(), Instant(0));
        let kept = j.entries(None);
        assert_eq!(
            kept[0],
            Entry {
                time: "1970-01-01T00:00:00.000Z".into(),
                ..entry("peach", "/p")
            }
        );
        assert_eq!(
            kept[1],
            Entry {
                time: "1970-01-01T00:00:00.000Z".into(),
                ..second
            }
        );
    }

    #[test]
    fn bounded_and_filtered() {
        let j = Journal::default();
        for i in 0..DEFAULT_JOURNAL_SIZE + 5 {
            j.record(
                entry(if i % 2 == 0 { "a" } else { "b" }, &format!("/{i}")),
                Instant(0),
            );
        }
        assert_eq!(j.entries(None).len(), DEFAULT_JOURNAL_SIZE);
        assert_eq!(j.entries(None)[0].path, "/5");
        assert!(j.entries(Some("a")).iter().all(|e| e.api == "a"));
        j.clear();
        assert!(j.entries(None).is_empty());
    }

    #[test]
    fn an_empty_part_is_kept_apart_from_a_missing_one() {
        let j = Journal::with_capacity(4);
        let empty = Entry {
            operation: Some(String::new()),
            tenant: None,
            fault: Some("status 503".into()),
            ..entry("", "/")
        };
        j.record(empty.clone(), Instant(0));
        j.record(entry("ab", "/c"), Instant(0));
        let kept = j.entries(None);
        assert_eq!(
            kept[0],
            Entry {
                time: "1970-01-01T00:00:00.000Z".into(),
                ..empty
            }
        );
        assert_eq!((kept[1].api.as_str(), kept[1].path.as_str()), ("ab", "/c"));
        // An API's entries only: `a` is not a prefix match of `ab`.
        assert!(j.entries(Some("a")).is_empty());
        assert_eq!(j.entries(Some("ab")).len(), 1);
        assert_eq!(j.entries(Some("")).len(), 1);
    }
}
