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
/// into the text buffers of the one it pushes out, so a busy mock journals without
/// allocating (issue #24).
#[derive(Debug)]
pub(crate) struct Journal {
    entries: Mutex<Ring>,
    capacity: usize,
}

/// The kept entries: up to the capacity, then each new one overwrites the oldest in place
/// (its strings refilled, nothing moved or allocated: issue #24).
#[derive(Debug, Default)]
struct Ring {
    items: Vec<(Instant, Entry)>,
    /// Where the oldest entry is once the ring is full (and the next to be overwritten).
    oldest: usize,
}

impl Ring {
    fn iter(&self) -> impl Iterator<Item = &(Instant, Entry)> {
        let (newer, older) = self.items.split_at(self.oldest.min(self.items.len()));
        older.iter().chain(newer)
    }
}

impl Default for Journal {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_JOURNAL_SIZE)
    }
}

/// `text` into `buffer`, keeping the buffer's allocation.
fn refill(buffer: &mut String, text: &str) {
    buffer.clear();
    buffer.push_str(text);
}

fn refill_option(buffer: &mut Option<String>, text: Option<&str>) {
    match (buffer.as_mut(), text) {
        (Some(b), Some(t)) => refill(b, t),
        (_, t) => *buffer = t.map(str::to_string),
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
        let fill = |(time, entry): &mut (Instant, Entry)| {
            *time = at;
            refill(&mut entry.api, trace.api);
            refill_option(&mut entry.operation, trace.operation);
            refill(&mut entry.method, trace.method);
            refill(&mut entry.path, path);
            entry.status = trace.status;
            refill_option(&mut entry.tenant, trace.tenant);
            refill_option(&mut entry.fault, trace.fault);
        };
        if ring.items.len() < self.capacity {
            let mut item = (at, Entry::default());
            fill(&mut item);
            ring.items.push(item);
        } else {
            let oldest = ring.oldest;
            if let Some(item) = ring.items.get_mut(oldest) {
                fill(item);
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
            .filter(|(_, e)| api.is_none_or(|a| e.api == a))
            .map(|(at, e)| Entry {
                time: at.rfc3339(),
                ..e.clone()
            })
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
}
