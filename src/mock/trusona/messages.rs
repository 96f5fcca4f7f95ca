//! Messages (§ Messages > createMessage, getMessages, getMessage; § Models > createMessage_request,
//! RequestedSmsMessage, RequestedTrustedSmsMessage, RequestedEmailMessage, RequestedCopyMessage,
//! VerificationMessage).

use super::super::api::{MockError, MockRequest, MockResponse};
use super::super::clock::Instant;
use super::entities::{Message, Status};
use super::{Account, phones, verifiers};
use serde_json::{Value, json};

/// Messages an account may send in [`QUOTA_WINDOW_SECONDS`] (§ Messages > createMessage 429
/// "Quota limit has been reached"; the limit is undocumented: contracts/NOTES.md § Trusona ›
/// Mock behaviour).
pub(super) const QUOTA: usize = 5;
pub(super) const QUOTA_WINDOW_SECONDS: i64 = 24 * 60 * 60;

/// SUPPLEMENT.md § Trusona: "Message status values seen: DELIVERED".
const DELIVERED: &str = "DELIVERED";
/// A TRUSTED_SMS withheld because the number's SIM was swapped (the mock's own value).
const BLOCKED: &str = "BLOCKED";

/// § Models > RequestedSmsMessage / RequestedTrustedSmsMessage need `phoneNumber`,
/// RequestedEmailMessage `emailAddress`, RequestedCopyMessage neither (the contract says so too).
/// Answers the message as the mock stores it: an SMS / TRUSTED_SMS number in E.164
/// ([`phones::sms`]).
pub(super) fn check_recipient(m: &Value) -> Result<Value, MockError> {
    let has = |name: &str| m[name].as_str().is_some_and(|s| !s.is_empty());
    match m["channel"].as_str().unwrap_or_default() {
        "SMS" | "TRUSTED_SMS" if !has("phoneNumber") => Err(MockError::new(
            400,
            format!("{} messages need a phoneNumber", m["channel"]),
        )),
        "SMS" | "TRUSTED_SMS" => {
            let phone = phones::sms(m["phoneNumber"].as_str().unwrap_or_default())?;
            let mut stored = m.clone();
            if let Some(fields) = stored.as_object_mut() {
                fields.insert("phoneNumber".into(), json!(phone));
            }
            Ok(stored)
        }
        "EMAIL" if !has("emailAddress") => {
            Err(MockError::new(400, "EMAIL messages need an emailAddress"))
        }
        "EMAIL" | "COPY" => Ok(m.clone()),
        _ => Err(MockError::new(
            400,
            "channel must be one of COPY, SMS, EMAIL, TRUSTED_SMS",
        )),
    }
}

fn recipient(m: &Value) -> Option<String> {
    match m["channel"].as_str() {
        Some("SMS" | "TRUSTED_SMS") => m["phoneNumber"].as_str().map(str::to_string),
        Some("EMAIL") => m["emailAddress"].as_str().map(str::to_string),
        _ => None,
    }
}

/// COPY sends nothing (the link is handed back for copying), so it does not count.
fn counted(message: &Message) -> bool {
    message.channel != "COPY" && message.status == DELIVERED
}

/// Sends a message that passed [`check_recipient`]. A TRUSTED_SMS to a SIM-swapped number is
/// recorded, not sent: `simSwapped: true`, status BLOCKED.
pub(super) fn deliver(account: &mut Account, m: &Value, now: Instant) -> Message {
    let channel = m["channel"].as_str().unwrap_or_default().to_string();
    let recipient = recipient(m);
    let sim_swapped = (channel == "TRUSTED_SMS")
        .then(|| verifiers::sim_swapped(recipient.as_deref().unwrap_or_default()));
    let message = Message {
        id: uuid::Uuid::new_v4().to_string(),
        channel,
        recipient,
        created_at: now,
        status: if sim_swapped == Some(true) {
            BLOCKED
        } else {
            DELIVERED
        },
        sim_swapped,
    };
    if counted(&message) {
        account.sent.push(now);
    }
    message
}

/// Seconds until the account may send again, if it is over its quota.
fn over_quota(account: &mut Account, now: Instant) -> Option<i64> {
    let window_start = now.plus_seconds(-QUOTA_WINDOW_SECONDS);
    account.sent.retain(|t| *t > window_start);
    if account.sent.len() < QUOTA {
        return None;
    }
    let oldest = account.sent.iter().min().copied().unwrap_or(now);
    let free_at = oldest.plus_seconds(QUOTA_WINDOW_SECONDS);
    // Whole seconds, rounded up: retrying after them always succeeds.
    Some(now.seconds_until(free_at).max(1))
}

/// § Messages > createMessage: 201, 400, 404, 410 "Messages can no longer be added to this
/// verification", 422 "Sim swap was detected for a TRUSTED_SMS", 429 "Quota limit has been
/// reached".
pub(super) fn create(
    account: &mut Account,
    request: &MockRequest,
) -> Result<MockResponse, MockError> {
    let now = request.now;
    let body = request.body.json().cloned().unwrap_or(Value::Null);
    let v = account.verification(request)?;
    // 410 once the link has lapsed, the document is scanned, or the verification is closed:
    // a message carries the link, which no longer leads anywhere.
    if v.status(now) != Status::Waiting || v.closed(now) {
        return Err(MockError::new(
            410,
            format!(
                "Messages can no longer be added to this verification ({})",
                v.status(now).as_str()
            ),
        ));
    }
    let body = check_recipient(&body)?;
    let copy = body.get("channel").and_then(Value::as_str) == Some("COPY");
    if let Some(retry) = over_quota(account, now).filter(|_| !copy) {
        return Err(
            MockError::new(429, "Quota limit has been reached").detail("retryAfter", json!(retry))
        );
    }
    let message = deliver(account, &body, now);
    let v = account.verification(request)?;
    super::super::retention::push_capped(&mut v.messages, message.clone(), request.max_entities);
    v.updated_at = now;
    if message.sim_swapped == Some(true) {
        return Err(MockError::new(
            422,
            "Sim swap was detected for a TRUSTED_SMS; the message was not sent",
        ));
    }
    Ok(MockResponse::json(201, message.to_json()))
}

/// § Messages > getMessages: every message, oldest first (`[]` when there are none; the page's
/// 404 "Messages not found" is kept for an unknown verification).
pub(super) fn list(
    account: &mut Account,
    request: &MockRequest,
) -> Result<MockResponse, MockError> {
    let v = account.verification(request)?;
    Ok(MockResponse::json(
        200,
        Value::Array(v.messages.iter().map(Message::to_json).collect()),
    ))
}

/// § Messages > getMessage: 404 "Verification or message were not found".
pub(super) fn get(account: &mut Account, request: &MockRequest) -> Result<MockResponse, MockError> {
    let v = account.verification(request)?;
    let id = request
        .path_params
        .get("verificationMessageId")
        .map(String::as_str)
        .unwrap_or_default();
    v.messages
        .iter()
        .find(|m| m.id.eq_ignore_ascii_case(id))
        .map(|m| MockResponse::json(200, m.to_json()))
        .ok_or_else(|| MockError::new(404, "Verification or message were not found"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_per_channel() {
        assert!(check_recipient(&json!({"channel": "COPY"})).is_ok());
        assert!(check_recipient(&json!({"channel": "SMS"})).is_err());
        assert!(
            check_recipient(&json!({"channel": "TRUSTED_SMS", "phoneNumber": "+12025550100"}))
                .is_ok()
        );
        assert!(
            check_recipient(&json!({"channel": "EMAIL", "phoneNumber": "+12025550100"})).is_err()
        );
        assert!(check_recipient(&json!({"channel": "FAX"})).is_err());
    }

    #[test]
    fn quota_is_a_rolling_window_without_copies_or_blocked_messages() {
        let mut account = Account::default();
        let t0 = Instant(1_700_000_000_000);
        deliver(&mut account, &json!({"channel": "COPY"}), t0);
        let swapped =
            json!({"channel": "TRUSTED_SMS", "phoneNumber": verifiers::SIM_SWAPPED_PHONE});
        assert_eq!(deliver(&mut account, &swapped, t0).sim_swapped, Some(true));
        assert_eq!(account.sent.len(), 0);
        for _ in 0..QUOTA {
            deliver(
                &mut account,
                &json!({"channel": "EMAIL", "emailAddress": "a@example.com"}),
                t0,
            );
        }
        assert_eq!(
            over_quota(&mut account, t0.plus_seconds(60)),
            Some(QUOTA_WINDOW_SECONDS - 60)
        );
        assert_eq!(
            over_quota(&mut account, t0.plus_seconds(QUOTA_WINDOW_SECONDS)),
            None
        );
    }
}
