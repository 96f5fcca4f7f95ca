//! Verification types (§ Create / Get / Update verification type, § Get verification types).

use super::super::api::{MockError, MockRequest, MockResponse};
use super::super::clock::Instant;
use super::envelope;
use super::questions::question_ids;
use serde_json::{Map, Value, json};

/// The documented defaults of a new verification type (§ Create verification type).
const DEFAULTS: [(&str, i64); 4] = [
    ("expirationInSecs", 900),
    ("maxSessionsRecentPast", 2),
    ("recentPastSecs", 3600),
    ("maxAttemptsPerSession", 3),
];

/// § Get verification types: `limit` defaults to 25 (1..100 is the contract's to enforce).
const DEFAULT_LIMIT: usize = 25;

/// One company's verification types, oldest first (creation order; lists answer them newest
/// first).
#[derive(Debug, Default)]
pub(super) struct VerificationTypes {
    items: Vec<Map<String, Value>>,
}

/// `<prefix>-XXXX-XXXX`, as in the page's example `VT-7RKX-OKQZ` (and Peach's `BO-XXXX-XXXX`
/// person ids, SUPPLEMENT.md).
pub(super) fn new_id(prefix: &str) -> String {
    const ALPHABET: &[u8; 36] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let chars: String = bytes
        .iter()
        .take(8)
        .filter_map(|b| ALPHABET.get(usize::from(*b) % 36))
        .map(|c| char::from(*c))
        .collect();
    format!("{prefix}-{}-{}", &chars[..4], &chars[4..])
}

fn bad(field: &str, message: String) -> MockError {
    MockError::new(400, "Invalid request")
        .detail("errors", json!([{"field": field, "message": message}]))
}

fn not_found(id: &str) -> MockError {
    MockError::new(404, format!("Verification type {id} not found"))
}

/// The members a create / update body may set (§ Create verification type). Anything else in
/// the (open) body is ignored, so a client cannot overwrite `id`, `createdAt` or `updatedAt`.
const SETTINGS: [&str; 6] = [
    "expirationInSecs",
    "maxSessionsRecentPast",
    "recentPastSecs",
    "maxAttemptsPerSession",
    "enabledQuestionIds",
    "questionSelectionCriteria",
];

/// Applies the settings of a create/update body to `target`, checking the rule the schema
/// cannot: enabled question ids must exist in the bank.
fn apply(target: &mut Map<String, Value>, body: &Map<String, Value>) -> Result<(), MockError> {
    for key in SETTINGS {
        if let Some(value) = body.get(key) {
            target.insert(key.to_string(), value.clone());
        }
    }
    let bank: Vec<&str> = question_ids().collect();
    let enabled: Vec<String> = match target.get("enabledQuestionIds") {
        Some(Value::Array(ids)) => ids
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        // "if null then all available questions will be considered"
        _ => bank.iter().map(|s| s.to_string()).collect(),
    };
    for (i, id) in enabled.iter().enumerate() {
        if !bank.contains(&id.as_str()) {
            return Err(bad(
                &format!("enabledQuestionIds.{i}"),
                format!("unknown question id `{id}`"),
            ));
        }
    }
    // A criterion naming a question not enabled, or asking for more than it names, is not
    // refused: "Only questions with IDs present in enabledQuestionIds will be considered" says
    // the others are left out, not that the request fails, and `questionIds`/`minimumCount`
    // are vouch's own members (NOTES.md § Fuzzing findings, peach-criteria-considered).
    Ok(())
}

/// Where one page of a list starts a cursor (§ Get verification types: `startingAfter`,
/// `endingBefore`), as item indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cursor {
    /// No cursor: the first page.
    First,
    StartingAfter(usize),
    EndingBefore(usize),
}

/// One page of a list of `len` items: `start..end`, and the cursors of the pages either side
/// (`None` at either end of the list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Page {
    start: usize,
    end: usize,
    next: Option<Cursor>,
    previous: Option<Cursor>,
}

/// Cursor pagination over `len` items. `endingBefore` wins when both cursors are given
/// (SUPPLEMENT.md § Peach). Following `next` from the first page, or `previous` from the last,
/// visits every item exactly once: a page's `next` starts right after its last item and its
/// `previous` ends right before its first.
fn page(len: usize, limit: usize, cursor: Cursor) -> Page {
    let limit = limit.max(1);
    let (start, end) = match cursor {
        Cursor::EndingBefore(before) => {
            let before = before.min(len);
            (before.saturating_sub(limit), before)
        }
        Cursor::StartingAfter(after) => {
            let start = after.saturating_add(1).min(len);
            (start, start.saturating_add(limit).min(len))
        }
        Cursor::First => (0, limit.min(len)),
    };
    let next = (end < len).then(|| {
        end.checked_sub(1)
            .map_or(Cursor::First, Cursor::StartingAfter)
    });
    let previous = (start > 0).then(|| {
        if start < len {
            Cursor::EndingBefore(start)
        } else {
            // An empty page past the end: the previous page is the last `limit` items, when
            // there are more than `limit`.
            len.checked_sub(limit)
                .and_then(|n| n.checked_sub(1))
                .map_or(Cursor::First, Cursor::StartingAfter)
        }
    });
    Page {
        start,
        end,
        next,
        previous,
    }
}

/// A new verification type with the documented defaults (§ Create verification type:
/// "Default: 900", "Default: 2", "Default: 3600", "Default: 3"; `enabledQuestionIds` null
/// means all questions).
fn with_defaults(id: String, now: Instant) -> Map<String, Value> {
    let mut item = Map::new();
    item.insert("id".into(), Value::String(id));
    for (key, default) in DEFAULTS {
        item.insert(key.into(), json!(default));
    }
    item.insert("enabledQuestionIds".into(), Value::Null);
    item.insert("questionSelectionCriteria".into(), json!([]));
    item.insert("createdAt".into(), json!(now.rfc3339()));
    item.insert("updatedAt".into(), json!(now.rfc3339()));
    item
}

fn has_id(item: &Map<String, Value>, id: &str) -> bool {
    item.get("id").is_some_and(|v| v == id)
}

fn path_id(request: &MockRequest) -> &str {
    request
        .path_params
        .get("verificationTypeId")
        .map(String::as_str)
        .unwrap_or_default()
}

impl VerificationTypes {
    fn find(&self, id: &str) -> Option<usize> {
        self.items.iter().position(|t| has_id(t, id))
    }

    /// A verification type by id, for starting person verifications.
    pub(super) fn lookup(&self, id: &str) -> Option<&Map<String, Value>> {
        self.items.iter().find(|t| has_id(t, id))
    }

    /// Adds a verification type with the defaults and a chosen id (the company's seeded
    /// `crmDefaultTypeId`).
    pub(super) fn seed(&mut self, id: &str, now: Instant) {
        self.items.push(with_defaults(id.to_string(), now));
    }

    pub(super) fn create(&mut self, request: &MockRequest) -> Result<MockResponse, MockError> {
        // Bounded state: the seeded type does not count (`retention`).
        if self.items.len().saturating_sub(1) >= request.max_entities {
            return Err(super::retention::types_full());
        }
        let mut id = new_id("VT");
        while self.find(&id).is_some() {
            id = new_id("VT");
        }
        let mut item = with_defaults(id, request.now);
        let body = request.body_object();
        apply(&mut item, &body)?;
        self.items.push(item.clone());
        Ok(envelope(200, Value::Object(item)))
    }

    pub(super) fn get(&self, request: &MockRequest) -> Result<MockResponse, MockError> {
        let id = path_id(request);
        let item = self.lookup(id).ok_or_else(|| not_found(id))?;
        Ok(envelope(200, Value::Object(item.clone())))
    }

    /// Members left out of the body keep their values (contracts/NOTES.md § Peach: PUT).
    pub(super) fn update(&mut self, request: &MockRequest) -> Result<MockResponse, MockError> {
        let id = path_id(request);
        let item = self
            .items
            .iter_mut()
            .find(|t| has_id(t, id))
            .ok_or_else(|| not_found(id))?;
        let mut updated = item.clone();
        let body = request.body_object();
        apply(&mut updated, &body)?;
        updated.insert("updatedAt".into(), json!(request.now.rfc3339()));
        *item = updated.clone();
        Ok(envelope(200, Value::Object(updated)))
    }

    /// § Get verification types: newest first (Peach's API reference, introduction: lists
    /// "return objects in reverse chronological order"), `limit` items (default 25; 1..100 is
    /// the contract's to enforce), `total`, `count`, and `nextUrl` / `previousUrl` that
    /// continue the walk in either direction (null at the ends). A cursor naming no
    /// verification type of this company is a 400.
    pub(super) fn list(&self, request: &MockRequest) -> Result<MockResponse, MockError> {
        let newest_first: Vec<&Map<String, Value>> = self.items.iter().rev().collect();
        let limit = request
            .query
            .get("limit")
            .and_then(|l| l.parse::<usize>().ok())
            .filter(|l| *l >= 1)
            .unwrap_or(DEFAULT_LIMIT);
        let cursor = |name: &str| -> Result<Option<usize>, MockError> {
            match request.query.get(name) {
                None => Ok(None),
                Some(id) => newest_first
                    .iter()
                    .position(|t| has_id(t, id))
                    .map(Some)
                    .ok_or_else(|| bad(name, format!("unknown verification type `{id}`"))),
            }
        };
        // "when both startingAfter and endingBefore are given, endingBefore wins"
        let cursor = match (cursor("endingBefore")?, cursor("startingAfter")?) {
            (Some(before), _) => Cursor::EndingBefore(before),
            (None, Some(after)) => Cursor::StartingAfter(after),
            (None, None) => Cursor::First,
        };
        let page = page(newest_first.len(), limit, cursor);
        let data: Vec<Value> = newest_first
            .get(page.start..page.end)
            .unwrap_or_default()
            .iter()
            .map(|t| Value::Object((*t).clone()))
            .collect();
        let url = |cursor: Option<Cursor>| -> Value {
            let base = format!("{}/verification-types?limit={limit}", request.base_url);
            let id = |i: usize| {
                newest_first
                    .get(i)
                    .and_then(|t| t.get("id"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            match cursor {
                None => Value::Null,
                Some(Cursor::First) => json!(base),
                Some(Cursor::StartingAfter(i)) => json!(format!("{base}&startingAfter={}", id(i))),
                Some(Cursor::EndingBefore(i)) => json!(format!("{base}&endingBefore={}", id(i))),
            }
        };
        Ok(MockResponse::json(
            200,
            json!({
                "status": 200,
                "total": self.items.len(),
                "count": data.len(),
                "nextUrl": url(page.next),
                "previousUrl": url(page.previous),
                "data": data,
            }),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Follows `next` from the first page (or `previous` from the last page) and returns the
    /// items seen, in list order.
    fn walk(len: usize, limit: usize, forwards: bool) -> Vec<usize> {
        let mut seen = Vec::new();
        let mut current = page(len, limit, Cursor::First);
        if !forwards {
            while let Some(next) = current.next {
                current = page(len, limit, next);
            }
        }
        let mut pages = Vec::new();
        for _ in 0..=len + 1 {
            assert!(current.end - current.start <= limit);
            pages.push(current.start..current.end);
            let step = if forwards {
                current.next
            } else {
                current.previous
            };
            match step {
                Some(c) => current = page(len, limit, c),
                None => break,
            }
        }
        if !forwards {
            pages.reverse();
        }
        for p in pages {
            seen.extend(p);
        }
        seen
    }

    #[test]
    fn walks_in_both_directions_have_no_gaps_or_repeats() {
        for len in 0..15 {
            for limit in 1..18 {
                let all: Vec<usize> = (0..len).collect();
                assert_eq!(
                    walk(len, limit, true),
                    all,
                    "forwards len {len} limit {limit}"
                );
                assert_eq!(
                    walk(len, limit, false),
                    all,
                    "backwards len {len} limit {limit}"
                );
            }
        }
    }

    #[test]
    fn cursors_at_the_edges_never_overrun() {
        // startingAfter the last item: an empty page whose previous page is the last one.
        let p = page(5, 2, Cursor::StartingAfter(4));
        assert_eq!((p.start, p.end, p.next), (5, 5, None));
        assert_eq!(p.previous, Some(Cursor::StartingAfter(2)));
        assert_eq!(
            page(2, 5, Cursor::StartingAfter(1)).previous,
            Some(Cursor::First)
        );
        // endingBefore the first item: an empty page whose next page is the first one.
        let p = page(5, 2, Cursor::EndingBefore(0));
        assert_eq!((p.start, p.end, p.previous), (0, 0, None));
        assert_eq!(p.next, Some(Cursor::First));
        // An empty list.
        let p = page(0, 25, Cursor::First);
        assert_eq!((p.start, p.end, p.next, p.previous), (0, 0, None, None));
    }

    #[test]
    fn ending_before_pages_backwards() {
        let p = page(10, 3, Cursor::EndingBefore(7));
        assert_eq!((p.start, p.end), (4, 7));
        assert_eq!(p.previous, Some(Cursor::EndingBefore(4)));
        assert_eq!(p.next, Some(Cursor::StartingAfter(6)));
        let p = page(10, 3, Cursor::EndingBefore(2));
        assert_eq!((p.start, p.end, p.previous), (0, 2, None));
    }

    #[test]
    fn only_documented_settings_are_applied() {
        let mut item = with_defaults("VT-AAAA-BBBB".into(), Instant(0));
        let body = json!({"id": "VT-ZZZZ-ZZZZ", "createdAt": "2000-01-01T00:00:00Z",
                          "maxAttemptsPerSession": 5, "unknown": 1});
        apply(&mut item, body.as_object().unwrap()).unwrap();
        assert_eq!(item["id"], "VT-AAAA-BBBB");
        assert_eq!(item["createdAt"], Instant(0).rfc3339());
        assert_eq!(item["maxAttemptsPerSession"], 5);
        assert!(!item.contains_key("unknown"));
    }

    #[test]
    fn only_unknown_question_ids_are_refused() {
        let mut item = with_defaults("VT-AAAA-BBBB".into(), Instant(0));
        // Not enabled, or more asked than named: considered away, not refused.
        let body = json!({"enabledQuestionIds": ["birth-year"],
            "questionSelectionCriteria": [{"questionIds": ["zip-code"], "minimumCount": 1}]});
        assert!(apply(&mut item, body.as_object().unwrap()).is_ok());
        let body = json!({"questionSelectionCriteria":
            [{"questionIds": ["zip-code"], "minimumCount": 2}]});
        assert!(apply(&mut item, body.as_object().unwrap()).is_ok());
        let body = json!({"enabledQuestionIds": ["no-such-question"]});
        assert_eq!(
            apply(&mut item, body.as_object().unwrap())
                .unwrap_err()
                .status,
            400
        );
    }
}
