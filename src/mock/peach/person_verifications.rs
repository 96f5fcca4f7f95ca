//! Starting a borrower verification: `POST /people/{personId}/verifications`
//! ([peach-verification-types] § Create verification type; SUPPLEMENT.md § Peach).
//!
//! Rules, each with its source; where the docs are silent the choice is recorded in
//! contracts/NOTES.md § Peach, Mock behaviour:
//! - `verificationTypeId` names the verification type; omitted, the company's
//!   `crmDefaultTypeId` applies (SUPPLEMENT.md). An unknown id is 404 (contract).
//! - `personId` is `ext-...`, `BO-XXXX-XXXX` or digits (SUPPLEMENT.md); anything else is a 400
//!   from the contract before this code runs. Every well-formed id is a person (the docs give
//!   no way to create people).
//! - A session expires `expirationInSecs` after it starts (§ Create verification type: "How
//!   many seconds each verification session has until it is marked as expired"), on the mock
//!   clock. While a person's session is still active no other can start: 400 (vouch's choice).
//! - More than `maxSessionsRecentPast` sessions within `recentPastSecs` (§ Create verification
//!   type) is refused with 429 and `nextVerificationOkAt` (SUPPLEMENT.md: "Throttled requests
//!   get 429 with nextVerificationOkAt"): the moment the oldest counted session leaves the
//!   window.
//! - `?dryRun=true` starts nothing: 204 if a verification could start, 400 if it cannot
//!   (SUPPLEMENT.md), a throttled dry run included (with `nextVerificationOkAt`).
//! - The answer is the verification object of Peach's API reference (Verifications > Start
//!   verification, 200 sample): `object` "verification", `agentUserId` (null: an API key is no
//!   agent), `maxAttempts` (the type's `maxAttemptsPerSession`), the `questions` drawn for the
//!   session, `attempts` (none yet), `updatedAt`, `deletedAt` (null); and `verificationTypeId`,
//!   which the sample lacks (contracts/NOTES.md § Vendor evidence > Peach).

use super::super::api::{MockError, MockRequest, MockResponse};
use super::super::clock::Instant;
use super::entities::PersonVerification;
use super::envelope;
use super::questions::{by_id, question_ids};
use super::verification_types::{VerificationTypes, new_id};
use serde_json::{Map, Value, json};

/// The questions a session asks (§ Create verification type): with selection criteria, for
/// each criterion either the first `exactMatchCount` enabled questions of its `category` (the
/// shape of the API reference's samples, `{"exactMatchCount": 0, "category": "inBorrowerPortal"}`)
/// or the first `minimumCount` of its enabled `questionIds` (vouch's earlier shape, still accepted);
/// without criteria, every enabled question (`enabledQuestionIds` null: the whole bank). In bank
/// order, each once.
fn draw_questions(vt: &Map<String, Value>) -> Vec<Value> {
    let enabled: Vec<String> = match vt.get("enabledQuestionIds").and_then(Value::as_array) {
        Some(ids) => ids
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        None => question_ids().map(str::to_string).collect(),
    };
    let criteria = vt
        .get("questionSelectionCriteria")
        .and_then(Value::as_array)
        .filter(|c| !c.is_empty());
    let chosen: Vec<String> = match criteria {
        Some(criteria) => criteria
            .iter()
            .flat_map(|c| criterion_picks(c, &enabled))
            .collect(),
        None => enabled,
    };
    question_ids()
        .filter(|id| chosen.iter().any(|c| c == id))
        .filter_map(by_id)
        .collect()
}

/// The question ids one selection criterion draws from the enabled ones.
fn criterion_picks(c: &Value, enabled: &[String]) -> Vec<String> {
    let count = |key: &str| {
        let n = c.get(key).and_then(Value::as_u64).unwrap_or(0);
        usize::try_from(n).unwrap_or(usize::MAX)
    };
    if let Some(category) = c.get("category").and_then(Value::as_str) {
        return enabled
            .iter()
            .filter(|id| {
                by_id(id)
                    .is_some_and(|q| q.get("category").and_then(Value::as_str) == Some(category))
            })
            .take(count("exactMatchCount"))
            .cloned()
            .collect();
    }
    // "Only questions with IDs present in enabledQuestionIds will be considered."
    c.get("questionIds")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|id| enabled.iter().any(|e| e == id))
        .take(count("minimumCount"))
        .map(str::to_string)
        .collect()
}

/// A company's verification sessions, oldest first, forgotten once no rule counts them
/// (`retention`).
#[derive(Debug, Default)]
pub(super) struct PersonVerifications {
    sessions: super::super::retention::Retained<PersonVerification>,
}

/// The throttle settings of a verification type.
#[derive(Debug, Clone, Copy)]
struct Settings {
    expiration_secs: i64,
    max_sessions_recent_past: usize,
    recent_past_secs: i64,
}

impl Settings {
    /// Reads a stored type; the stored values always exist (the defaults are applied on
    /// create), the fallbacks are the documented defaults.
    fn of(vt: &Map<String, Value>) -> Self {
        let int = |key: &str, default: i64| vt.get(key).and_then(Value::as_i64).unwrap_or(default);
        Self {
            expiration_secs: int("expirationInSecs", 900),
            max_sessions_recent_past: usize::try_from(int("maxSessionsRecentPast", 2)).unwrap_or(2),
            recent_past_secs: int("recentPastSecs", 3600),
        }
    }
}

/// Why a verification cannot start for a person now.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Blocked {
    /// A session is still active until this moment.
    Active { until: Instant },
    /// Too many sessions in the recent past; a new one may start at this moment.
    Throttled { ok_at: Instant },
}

impl PersonVerifications {
    /// Whether `person` may start a session with `settings` at `now`.
    fn blocked(&self, person: &str, settings: Settings, now: Instant) -> Option<Blocked> {
        let theirs = || self.sessions.iter().filter(move |s| s.person_id == person);
        if let Some(active) = theirs().rfind(|s| s.expires_at > now) {
            return Some(Blocked::Active {
                until: active.expires_at,
            });
        }
        let window_start = now.plus_seconds(settings.recent_past_secs.saturating_neg());
        let recent: Vec<&PersonVerification> =
            theirs().filter(|s| s.created_at > window_start).collect();
        let max = settings.max_sessions_recent_past;
        // At `max` or more: the session that must leave the window before one more fits
        // (sessions are kept oldest first).
        if let Some(leaving) = recent.len().checked_sub(max).and_then(|i| recent.get(i)) {
            return Some(Blocked::Throttled {
                ok_at: leaving.created_at.plus_seconds(settings.recent_past_secs),
            });
        }
        None
    }

    pub(super) fn start(
        &mut self,
        request: &MockRequest,
        types: &VerificationTypes,
        crm_default_type_id: &str,
    ) -> Result<MockResponse, MockError> {
        let person = request
            .path_params
            .get("personId")
            .cloned()
            .unwrap_or_default();
        let type_id = request
            .body
            .json()
            .and_then(|b| b.get("verificationTypeId"))
            .and_then(Value::as_str)
            .unwrap_or(crm_default_type_id)
            .to_string();
        let vt = types
            .lookup(&type_id)
            .ok_or_else(|| MockError::new(404, format!("Verification type {type_id} not found")))?;
        let settings = Settings::of(vt);
        let dry_run = request.query.get("dryRun").is_some_and(|v| v == "true");
        match self.blocked(&person, settings, request.now) {
            Some(Blocked::Active { until }) => Err(MockError::new(
                400,
                format!(
                    "Person {person} has a verification session in progress until {}",
                    until.rfc3339()
                ),
            )
            .detail(
                "errors",
                json!([{"field": "personId", "message": "a verification session is still active"}]),
            )),
            Some(Blocked::Throttled { ok_at }) => {
                let status = if dry_run { 400 } else { 429 };
                Err(MockError::new(
                    status,
                    format!(
                        "Person {person} started too many verification sessions in the recent past"
                    ),
                )
                .detail("nextVerificationOkAt", json!(ok_at.rfc3339())))
            }
            None => {
                // Bounded state: room for one more (`retention`).
                self.sessions
                    .make_room("", request.now, request.max_entities)
                    .map_err(|full| super::retention::sessions_full(full, dry_run))?;
                if dry_run {
                    return Ok(MockResponse::empty(204));
                }
                let mut id = new_id("BV");
                while self.sessions.iter().any(|s| s.id == id) {
                    id = new_id("BV");
                }
                let session = PersonVerification {
                    id,
                    person_id: person,
                    verification_type_id: type_id,
                    created_at: request.now,
                    expires_at: request.now.plus_seconds(settings.expiration_secs),
                    max_attempts: vt
                        .get("maxAttemptsPerSession")
                        .and_then(Value::as_i64)
                        .unwrap_or(3),
                    questions: draw_questions(vt),
                    counted_until: request
                        .now
                        .plus_seconds(settings.expiration_secs.max(settings.recent_past_secs)),
                };
                let body = session.to_json();
                self.sessions
                    .push(session, request.now, request.max_entities)
                    .map_err(|full| super::retention::sessions_full(full, false))?;
                Ok(envelope(200, body))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULTS: Settings = Settings {
        expiration_secs: 900,
        max_sessions_recent_past: 2,
        recent_past_secs: 3600,
    };

    fn started(at: Instant, person: &str, settings: Settings) -> PersonVerification {
        PersonVerification {
            id: new_id("BV"),
            person_id: person.into(),
            verification_type_id: "VT-7RKX-OKQZ".into(),
            created_at: at,
            expires_at: at.plus_seconds(settings.expiration_secs),
            max_attempts: 3,
            questions: Vec::new(),
            counted_until: at.plus_seconds(settings.expiration_secs.max(settings.recent_past_secs)),
        }
    }

    fn push(v: &mut PersonVerifications, session: PersonVerification) {
        v.sessions.push(session, Instant(0), usize::MAX).unwrap();
    }

    #[test]
    fn questions_follow_the_selection_criteria_else_the_enabled_ones() {
        let ids = |vt: Value| -> Vec<String> {
            draw_questions(vt.as_object().unwrap())
                .iter()
                .map(|q| q["id"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(
            ids(json!({"enabledQuestionIds": null})).len(),
            question_ids().count()
        );
        assert_eq!(
            ids(json!({"enabledQuestionIds": ["zip-code", "birth-year"]})),
            ["birth-year", "zip-code"]
        );
        assert_eq!(
            ids(json!({"questionSelectionCriteria": [
                {"questionIds": ["zip-code", "street-name"], "minimumCount": 1},
                {"questionIds": ["payment-day"], "minimumCount": 1}]})),
            ["zip-code", "payment-day"]
        );
        // "Only questions with IDs present in enabledQuestionIds will be considered."
        assert_eq!(
            ids(json!({"enabledQuestionIds": ["birth-year", "street-name"],
                "questionSelectionCriteria": [
                {"questionIds": ["zip-code", "street-name"], "minimumCount": 1}]})),
            ["street-name"]
        );
        // The API reference's shape: the first exactMatchCount enabled questions of a category.
        assert_eq!(
            ids(json!({"questionSelectionCriteria": [
                {"exactMatchCount": 2, "category": "identity"},
                {"exactMatchCount": 0, "category": "address"}]})),
            ["birth-year", "birth-month"]
        );
        assert_eq!(
            ids(json!({"enabledQuestionIds": ["ssn-last-four", "zip-code"],
                       "questionSelectionCriteria": [{"exactMatchCount": 2, "category": "identity"}]})),
            ["ssn-last-four"]
        );
    }

    #[test]
    fn a_session_blocks_until_it_expires() {
        let t0 = Instant(1_000_000);
        let mut v = PersonVerifications::default();
        push(&mut v, started(t0, "ext-1", DEFAULTS));
        let until = t0.plus_seconds(900);
        assert_eq!(
            v.blocked("ext-1", DEFAULTS, t0.plus_seconds(899)),
            Some(Blocked::Active { until })
        );
        assert_eq!(v.blocked("ext-1", DEFAULTS, until), None);
        // Another person is not blocked.
        assert_eq!(v.blocked("ext-2", DEFAULTS, t0), None);
    }

    #[test]
    fn throttled_after_max_sessions_in_the_recent_past() {
        let t0 = Instant(1_000_000);
        let mut v = PersonVerifications::default();
        push(&mut v, started(t0, "BO-AAAA-1111", DEFAULTS));
        let t1 = t0.plus_seconds(900);
        push(&mut v, started(t1, "BO-AAAA-1111", DEFAULTS));
        let ok_at = t0.plus_seconds(3600);
        assert_eq!(
            v.blocked("BO-AAAA-1111", DEFAULTS, t0.plus_seconds(1800)),
            Some(Blocked::Throttled { ok_at })
        );
        assert_eq!(
            v.blocked("BO-AAAA-1111", DEFAULTS, ok_at.plus_seconds(-1)),
            Some(Blocked::Throttled { ok_at })
        );
        assert_eq!(v.blocked("BO-AAAA-1111", DEFAULTS, ok_at), None);
    }

    #[test]
    fn a_lowered_maximum_waits_for_the_right_session() {
        let t0 = Instant(0);
        let short = Settings {
            expiration_secs: 10,
            max_sessions_recent_past: 3,
            recent_past_secs: 100,
        };
        let mut v = PersonVerifications::default();
        for s in [0, 20, 40] {
            push(&mut v, started(t0.plus_seconds(s), "42", short));
        }
        let lowered = Settings {
            max_sessions_recent_past: 1,
            ..short
        };
        // Three in the window, one allowed: the newest (t=40) must leave, at t=140.
        assert_eq!(
            v.blocked("42", lowered, t0.plus_seconds(50)),
            Some(Blocked::Throttled {
                ok_at: t0.plus_seconds(140)
            })
        );
    }
}
