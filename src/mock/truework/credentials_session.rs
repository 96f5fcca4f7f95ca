//! Credentials Sessions ([truework-session] § Create a Credentials Session).
//!
//! The body's shape (`type`, `permissible_purpose`, `use_case`, `target`, `metadata`) is the
//! contract's to check; what it cannot see is here: the `reseller_originating_party` rule,
//! which depends on the token, and the seeded SSNs (451, 500, 501).

use super::super::api::{MockError, MockRequest, MockResponse, Tenant};
use super::invalid_fields::{Problem, nest};
use super::tokens::RESELLER;
use serde_json::{Value, json};

/// The seeded frozen SSN (SUPPLEMENT.md § Truework: "Their 2023 API description calls 451
/// 'Frozen SSN'"). With or without dashes. Listed in features/truework/README.md.
pub const FROZEN_SSN: &str = "000-00-0451";

/// The seeded SSNs that stand for a failing Truework: § Errors lists 500 "Internal Server
/// Error" and 501 "Not Implemented Error" without a cause, so the mock gives a client one stable
/// request that gets each (a sandbox's magic values, like the frozen SSN), rather than leaving
/// them to the admin fault API, which an SDK's own tests or a proxied app cannot reach.
/// contracts/NOTES.md § Truework > Mock behaviour.
pub const SERVER_ERROR_SSN: &str = "000-00-0500";
/// See [`SERVER_ERROR_SSN`].
pub const NOT_IMPLEMENTED_SSN: &str = "000-00-0501";

/// Each seeded SSN, the status it answers and the message (never echoing the SSN).
const SEEDED_SSNS: [(&str, u16, &str); 3] = [
    (
        FROZEN_SSN,
        451,
        "The target's SSN is frozen; Truework cannot process this verification",
    ),
    (
        SERVER_ERROR_SSN,
        500,
        "Internal server error; the verification was not created",
    ),
    (
        NOT_IMPLEMENTED_SSN,
        501,
        "Not implemented for this target; the verification was not created",
    ),
];

/// A created session. The documented API reads nothing back; the account keeps its sessions
/// so that ids stay unique within it.
#[derive(Debug, Clone)]
pub(super) struct CredentialsSession {
    pub id: String,
    pub token: String,
}

/// The nine digits of an SSN, without dashes.
fn ssn_digits(ssn: &str) -> String {
    ssn.chars().filter(char::is_ascii_digit).collect()
}

/// The refusal a seeded SSN stands for, if `ssn` is one (with or without dashes).
pub(super) fn seeded_refusal(ssn: &str) -> Option<(u16, &'static str)> {
    let digits = ssn_digits(ssn);
    SEEDED_SSNS
        .iter()
        .find(|(seeded, _, _)| ssn_digits(seeded) == digits)
        .map(|&(_, status, message)| (status, message))
}

/// § Request `reseller_originating_party`: "Required for reseller requests, should not be
/// provided for non-reseller requests." Which requests are reseller requests depends on the
/// token (contracts/NOTES.md § Truework: the schema cannot say), so this is checked here, for
/// valid and invalid bodies alike, so that `invalid_fields` names every bad field at once.
/// Returns `(field path, reason)` pairs.
pub(super) fn token_rules(tenant: &Tenant, body: Option<&Value>) -> Vec<Problem> {
    let Some(body) = body.and_then(Value::as_object) else {
        return Vec::new();
    };
    let field = "reseller_originating_party";
    let party = body.get(field);
    let reason = match (tenant.has(RESELLER), party) {
        (true, None) => Some("required for reseller requests"),
        (true, Some(Value::Object(members))) if members.is_empty() => {
            Some("must describe the party the reseller acts for; it is empty")
        }
        (false, Some(_)) => Some("must not be provided for non-reseller requests"),
        _ => None,
    };
    reason
        .map(|r| vec![(vec![field.to_string()], r.to_string())])
        .unwrap_or_default()
}

pub(super) fn bad_fields(problems: &[Problem]) -> MockError {
    // SUPPLEMENT.md § Truework: 400 is `{"error": {"message": "Invalid field values provided",
    // "invalid_fields": {"<field>": ["<why>"]}}}`, nested fields nested (invalid_fields.rs).
    MockError::new(400, "Invalid field values provided").detail("invalid_fields", nest(problems))
}

fn opaque(prefix: &str) -> String {
    format!("{prefix}{}", uuid::Uuid::new_v4().simple())
}

/// `POST /credentials/session` for a body that passed the contract: 400 for the reseller
/// rule, 451 / 500 / 501 for the seeded SSNs, else 201 `{id, token}` (§ Response: both ">=1 character").
pub(super) fn create(
    request: &MockRequest,
    sessions: &mut Vec<CredentialsSession>,
) -> Result<MockResponse, MockError> {
    let problems = token_rules(&request.tenant, request.body.json());
    if !problems.is_empty() {
        return Err(bad_fields(&problems));
    }
    let ssn = request
        .body
        .json()
        .and_then(|b| b.pointer("/target/social_security_number"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    if let Some((status, message)) = seeded_refusal(ssn) {
        // § Errors 451 "Unavailable for Legal Reasons" (SUPPLEMENT.md: "Frozen SSN"), 500, 501.
        // Each creates nothing.
        return Err(MockError::new(status, message));
    }
    let mut id = opaque("");
    while sessions.iter().any(|s| s.id == id) {
        id = opaque("");
    }
    let session = CredentialsSession {
        id,
        token: opaque("cs_tok_"),
    };
    // Bounded state (src/mock/retention.rs): nothing reads a session back (§ Create a
    // Credentials Session documents no other operation), so each is finished once made and the
    // oldest go first over the cap.
    super::super::retention::push_capped(sessions, session.clone(), request.max_entities);
    // SUPPLEMENT.md § Truework: "The SDK's mock answers 201 with the session token."
    Ok(MockResponse::json(
        201,
        json!({"id": session.id, "token": session.token}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_ssns_with_or_without_dashes() {
        assert_eq!(seeded_refusal("000-00-0451").map(|r| r.0), Some(451));
        assert_eq!(seeded_refusal("000000451").map(|r| r.0), Some(451));
        assert_eq!(seeded_refusal("000-00-0500").map(|r| r.0), Some(500));
        assert_eq!(seeded_refusal("000000501").map(|r| r.0), Some(501));
        assert_eq!(seeded_refusal("000-20-0000"), None);
        assert_eq!(seeded_refusal(""), None);
    }

    #[test]
    fn reseller_rule_both_ways() {
        let plain = Tenant::new("a");
        let reseller = Tenant::new("r").with_flag(RESELLER);
        let without = json!({"type": "employment"});
        let with = json!({"reseller_originating_party": {"name": "Lender"}});
        let empty = json!({"reseller_originating_party": {}});
        assert!(token_rules(&plain, Some(&without)).is_empty());
        assert_eq!(
            token_rules(&plain, Some(&with))[0].0,
            ["reseller_originating_party"]
        );
        assert!(token_rules(&reseller, Some(&with)).is_empty());
        assert_eq!(token_rules(&reseller, Some(&without)).len(), 1);
        assert_eq!(token_rules(&reseller, Some(&empty)).len(), 1);
        // Not an object (or no body): the contract reports that; nothing to add.
        assert!(token_rules(&reseller, Some(&json!([1]))).is_empty());
        assert!(token_rules(&reseller, None).is_empty());
    }
}
