//! Verifications (§ Verifications > createVerification, getVerification, getVerifications) and
//! their lifecycle.

use super::super::api::{MockError, MockRequest, MockResponse};
use super::super::clock::Instant;
use super::entities::{Message, Verification};
use super::messages;
use super::{Account, phones, verifiers};
use serde_json::{Map, Value, json};

/// § Verifications > getVerifications: `count` defaults to 1000 (SUPPLEMENT.md).
const DEFAULT_COUNT: usize = 1000;

// The answer's view of a verification sits with its handlers: it names `risk_scores` and
// `verifiers`, which name the entity (`entities`) in turn.
impl Verification {
    /// `overallRisk`, derived from the risk scores (`NO` until there are any).
    pub(super) fn overall_risk(&self) -> &'static str {
        super::risk_scores::overall(&self.risk_scores)
    }

    /// The VerificationResponse model (§ Models > VerificationResponse).
    pub(super) fn to_json(&self, now: Instant) -> Value {
        let mut out = Map::new();
        out.insert("id".into(), json!(self.id));
        out.insert("documentType".into(), json!(self.document_type));
        out.insert("linkUrl".into(), json!(self.link_url));
        if let Some(url) = &self.callback_url {
            out.insert("callbackUrl".into(), json!(url));
        }
        out.insert(
            "linkUrlExpiresAt".into(),
            json!(self.link_expires_at().rfc3339()),
        );
        out.insert(
            "reviewAccessExpiresAt".into(),
            json!(self.review_expires_at().rfc3339()),
        );
        out.insert("createdAt".into(), json!(self.created_at.rfc3339()));
        out.insert("updatedAt".into(), json!(self.updated_at(now).rfc3339()));
        out.insert(
            "requestedVerifiers".into(),
            Value::Array(self.requested_verifiers.clone()),
        );
        out.insert(
            "requestedMessages".into(),
            Value::Array(self.requested_messages.clone()),
        );
        out.insert("status".into(), json!(self.status(now).as_str()));
        out.insert("closed".into(), json!(self.closed(now)));
        out.insert(
            "expiredReviewAccess".into(),
            json!(self.review_expired(now)),
        );
        out.insert("expiredLinkUrlAccess".into(), json!(self.link_expired(now)));
        out.insert("overallRisk".into(), json!(self.overall_risk()));
        out.insert("workspaceLink".into(), json!(self.workspace_link));
        out.insert(
            "supportedVerifiers".into(),
            json!(verifiers::supported(&self.document_type)),
        );
        out.insert("attachments".into(), json!([]));
        out.insert(
            "verifierChecks".into(),
            Value::Array(self.verifier_checks.clone()),
        );
        out.insert(
            "messages".into(),
            Value::Array(self.messages.iter().map(Message::to_json).collect()),
        );
        out.insert("devices".into(), Value::Array(self.devices.clone()));
        out.insert("riskScores".into(), Value::Array(self.risk_scores.clone()));
        Value::Object(out)
    }
}

fn array(body: &Value, name: &str) -> Vec<Value> {
    body.get(name)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// Builds and stores a verification from a VerificationRequest (or EncryptedVerificationRequest)
/// body the contract has already validated, and answers what `answer` makes of it (stored
/// either way). `prepare` runs before anything is stored, so a refusal there (e.g. an unusable
/// key) leaves the account unchanged.
pub(super) fn open(
    account: &mut Account,
    request: &MockRequest,
    prepare: impl FnOnce(&mut Verification) -> Result<(), MockError>,
    answer: impl FnOnce(&Verification) -> Result<MockResponse, MockError>,
) -> Result<MockResponse, MockError> {
    let body = request.body.json().cloned().unwrap_or(Value::Null);
    let now = request.now;
    // § Models > VerificationRequest: `id (optional) UUID`. A repeat within the account is
    // refused with 400 (the page documents no 409; contracts/NOTES.md § Trusona › Mock behaviour).
    let id = match body.get("id").and_then(Value::as_str) {
        Some(id) => {
            let id = id.to_ascii_lowercase();
            if account.find(&id).is_some() {
                return Err(MockError::new(
                    400,
                    format!("A verification with id {id} already exists"),
                ));
            }
            id
        }
        None => uuid::Uuid::new_v4().to_string(),
    };
    // § Models > RequestedMnoVerifier: "Must be a USA (+1), Canada (+1), or UK (+44) number".
    // The contract says so too; the mock keeps the rule so it holds whatever the schema says,
    // and stores the number in E.164 (the vendor's OpenAPI; [`phones`]).
    let mut requested_verifiers = array(&body, "requestedVerifiers");
    for v in &mut requested_verifiers {
        if v["verifier"] == "MNO_V" {
            let phone = phones::mno(v["phoneNumber"].as_str().unwrap_or_default())?;
            if let Some(fields) = v.as_object_mut() {
                fields.insert("phoneNumber".into(), json!(phone));
            }
        }
    }
    let requested_messages = array(&body, "requestedMessages");
    // § Models > VerificationRequest: requestedMessages "Maximum 2" (also in the contract).
    if requested_messages.len() > 2 {
        return Err(MockError::new(400, "At most 2 requestedMessages"));
    }
    let requested_messages = requested_messages
        .iter()
        .map(messages::check_recipient)
        .collect::<Result<Vec<_>, _>>()?;
    // Room for one more before anything (the message quota) is counted.
    account
        .verifications
        .make_room("", now, request.max_entities)
        .map_err(super::retention::full)?;
    let link_code = uuid::Uuid::new_v4().simple().to_string();
    let base = request.base_url.trim_end_matches('/');
    let mut verification = Verification {
        id: id.clone(),
        document_type: body
            .get("documentType")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        callback_url: body
            .get("callbackUrl")
            .and_then(Value::as_str)
            .map(str::to_string),
        requested_verifiers,
        requested_messages: requested_messages.clone(),
        created_at: now,
        updated_at: now,
        link_url: super::subject::link_url(base, &link_code),
        link_code,
        workspace_link: format!("{base}/workspace/verifications/{id}"),
        devices: Vec::new(),
        messages: Vec::new(),
        scan: None,
        verifier_checks: Vec::new(),
        risk_scores: Vec::new(),
        public_web_key: None,
    };
    prepare(&mut verification)?;
    // "any requested messages already sent" (issue; § Models > VerificationRequest
    // requestedMessages: "Set of messages to send for this verification").
    for m in &requested_messages {
        let message = messages::deliver(account, m, now);
        verification.messages.push(message);
    }
    let answered = answer(&verification);
    account
        .verifications
        .push(verification, now, request.max_entities)
        .map_err(super::retention::full)?;
    answered
}

/// § Verifications > createVerification: 201 with the VerificationResponse.
pub(super) fn create(
    account: &mut Account,
    request: &MockRequest,
) -> Result<MockResponse, MockError> {
    open(
        account,
        request,
        |_| Ok(()),
        |v| Ok(MockResponse::json(201, v.to_json(request.now))),
    )
}

/// § Verifications > getVerification.
pub(super) fn get(account: &mut Account, request: &MockRequest) -> Result<MockResponse, MockError> {
    let verification = account.verification(request)?;
    Ok(MockResponse::json(200, verification.to_json(request.now)))
}

/// A `since` / `until` bound (SUPPLEMENT.md § Trusona: "a verification UUID (verifications
/// created after it), an ISO 8601 date-time, or a YYYY-MM-DD date").
#[derive(Debug, Clone, PartialEq)]
enum Bound {
    /// The position of a verification in the account's creation order.
    After(usize),
    At(Instant),
    /// A well-formed verification id the account does not know: it bounds nothing in.
    Unknown,
}

fn parse_bound(account: &Account, name: &str, text: &str) -> Result<Bound, MockError> {
    let bad = || MockError::new(400, format!("Invalid {name} parameter"));
    if uuid::Uuid::parse_str(text).is_ok() && text.len() == 36 {
        // The page and SUPPLEMENT give 400 for an unparseable bound only: a well-formed id the
        // account does not know (another account's answers the same: tenants never see each
        // other's data) places no verification, so it selects none (contracts/NOTES.md §
        // Fuzzing findings).
        return Ok(account.find(text).map_or(Bound::Unknown, Bound::After));
    }
    if let Some(t) = Instant::parse_rfc3339(text) {
        return Ok(Bound::At(t));
    }
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| bad())?;
    let start = date.and_hms_opt(0, 0, 0).ok_or_else(bad)?.and_utc();
    Ok(Bound::At(Instant(start.timestamp_millis())))
}

/// § Verifications > getVerifications: those created or updated since `since` (a UUID: created
/// after that verification), up to `until` (same forms), `count` per page, zero-based `page`.
pub(super) fn list(
    account: &mut Account,
    request: &MockRequest,
) -> Result<MockResponse, MockError> {
    let now = request.now;
    let since = parse_bound(
        account,
        "since",
        request.query.get("since").map(String::as_str).unwrap_or(""),
    )?;
    let until = match request.query.get("until") {
        Some(text) => Some(parse_bound(account, "until", text)?),
        None => None,
    };
    let number = |name: &str, default: usize| -> Result<usize, MockError> {
        match request.query.get(name) {
            None => Ok(default),
            // The contract gives `count` and `page` no maximum: digits beyond usize saturate.
            Some(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(text.parse().unwrap_or(usize::MAX))
            }
            Some(_) => Err(MockError::new(400, format!("Invalid {name} parameter"))),
        }
    };
    let count = number("count", DEFAULT_COUNT)?.max(1);
    let page = number("page", 0)?;
    let selected: Vec<Value> = account
        .verifications
        .iter()
        .enumerate()
        .filter(|(i, v)| match &since {
            Bound::After(pos) => *i > *pos,
            Bound::At(t) => v.created_at >= *t || v.updated_at(now) >= *t,
            Bound::Unknown => false,
        })
        .filter(|(i, v)| match &until {
            None => true,
            Some(Bound::After(pos)) => *i <= *pos,
            Some(Bound::At(t)) => v.created_at <= *t,
            Some(Bound::Unknown) => false,
        })
        .map(|(_, v)| v.to_json(now))
        .skip(page.saturating_mul(count))
        .take(count)
        .collect();
    Ok(MockResponse::json(200, Value::Array(selected)))
}

#[cfg(test)]
mod tests {
    use super::super::entities::{LINK_SECONDS, REVIEW_SECONDS, Status};
    use super::*;

    fn account_with(n: usize) -> Account {
        let mut account = Account::default();
        for i in 0..n {
            let pushed = account.verifications.push(
                Verification {
                    id: format!("00000000-0000-4000-8000-00000000000{i}"),
                    document_type: "US_CA_DL".into(),
                    callback_url: None,
                    requested_verifiers: vec![],
                    requested_messages: vec![],
                    created_at: Instant(1_700_000_000_000 + i as i64 * 60_000),
                    updated_at: Instant(1_700_000_000_000 + i as i64 * 60_000),
                    link_code: format!("code{i}"),
                    link_url: format!("http://mock/trusona/subject/code{i}"),
                    workspace_link: "http://mock/ws".into(),
                    devices: vec![],
                    messages: vec![],
                    scan: None,
                    verifier_checks: vec![],
                    risk_scores: vec![],
                    public_web_key: None,
                },
                Instant(0),
                usize::MAX,
            );
            assert!(pushed.is_ok());
        }
        account
    }

    #[test]
    fn an_unknown_verification_id_bounds_nothing_in() {
        let account = account_with(3);
        assert_eq!(
            parse_bound(&account, "since", "00000000-0000-4000-8000-00000000000f").ok(),
            Some(Bound::Unknown)
        );
    }

    #[test]
    fn since_takes_three_forms() {
        let account = account_with(3);
        assert_eq!(
            parse_bound(&account, "since", "00000000-0000-4000-8000-000000000001").ok(),
            Some(Bound::After(1))
        );
        assert_eq!(
            parse_bound(&account, "since", "2023-11-14T22:13:20Z").ok(),
            Some(Bound::At(Instant(1_700_000_000_000)))
        );
        assert_eq!(
            parse_bound(&account, "since", "2023-11-14").ok(),
            Some(Bound::At(Instant(1_699_920_000_000)))
        );
        for bad in [
            "yesterday",
            "2023-13-40",
            "2023-11-14T25:00:00Z",
            "11/14/2023",
        ] {
            assert_eq!(
                parse_bound(&account, "since", bad).unwrap_err().status,
                400,
                "{bad}"
            );
        }
    }

    #[test]
    fn lifecycle_follows_the_clock() {
        let account = account_with(1);
        let v = account.verifications.iter().next().unwrap();
        let t0 = v.created_at;
        assert_eq!(v.status(t0), Status::Waiting);
        assert_eq!(v.status(t0.plus_seconds(LINK_SECONDS - 1)), Status::Waiting);
        assert_eq!(v.status(t0.plus_seconds(LINK_SECONDS)), Status::Expired);
        assert!(!v.closed(t0.plus_seconds(REVIEW_SECONDS - 1)));
        assert!(v.closed(t0.plus_seconds(REVIEW_SECONDS)));
        assert_eq!(
            v.updated_at(t0.plus_seconds(REVIEW_SECONDS)),
            v.link_expires_at()
        );
    }
}
