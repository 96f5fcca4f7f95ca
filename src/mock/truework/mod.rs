//! Truework credentials session (truework-credentials-session.txt, SUPPLEMENT.md § Truework).
//!
//! Credentials, the error shape and the mapping of contract violations to 406 / 400 with
//! `invalid_fields` are here; sessions, frozen SSNs and rate limits arrive with the Truework
//! issue. Until then the operation answers 501 (a documented status of this operation).

use super::api::{
    Credential, ErrorContext, MockApi, MockError, MockRequest, MockResponse, Tenant, bearer,
};
use crate::contract::Violation;
use http::HeaderMap;
use serde_json::{Map, Value, json};

/// The default test token.
pub const TEST_TOKEN: &str = "vouch-test-token";
/// A second account's token, for isolation tests.
pub const SECOND_TOKEN: &str = "vouch-second-token";

#[derive(Debug, Default)]
pub struct Truework;

impl MockApi for Truework {
    fn id(&self) -> &'static str {
        "truework"
    }

    fn default_credentials(&self) -> Vec<Credential> {
        vec![
            Credential {
                secret: TEST_TOKEN.into(),
                tenant: Tenant::new("vouch-test-account"),
            },
            Credential {
                secret: SECOND_TOKEN.into(),
                tenant: Tenant::new("vouch-second-account"),
            },
        ]
    }

    /// § Authentication: `Bearer <token>`.
    fn presented_secret(&self, headers: &HeaderMap) -> Option<String> {
        bearer(headers)
    }

    /// `{"error": {"message", "invalid_fields"?}}` (SUPPLEMENT.md § Truework).
    fn error_response(&self, error: &MockError, _at: &ErrorContext<'_>) -> MockResponse {
        let mut inner = json!({"message": error.message});
        if let Some(fields) = error.details.get("invalid_fields") {
            inner["invalid_fields"] = fields.clone();
        }
        MockResponse::json(error.status, json!({"error": inner}))
    }

    /// A non-JSON `Accept` is 406 (§ Errors); every other broken rule is a 400 whose
    /// `invalid_fields` names each bad field (`target.date_of_birth`).
    fn invalid_request(&self, _request: &MockRequest, violations: &[Violation]) -> MockError {
        if violations.iter().any(|v| v.pointer == "/headers/accept") {
            return MockError::new(
                406,
                "The Accept header must be application/json, optionally with a version",
            );
        }
        let mut fields = Map::new();
        for v in violations {
            let field = v
                .pointer
                .trim_start_matches("/body")
                .trim_start_matches('/')
                .replace('/', ".");
            let field = if field.is_empty() {
                "body".to_string()
            } else {
                field
            };
            let reasons = fields.entry(field).or_insert_with(|| json!([]));
            if let Some(list) = reasons.as_array_mut() {
                list.push(json!(format!("{}: expected {}", v.rule, v.expected)));
            }
        }
        MockError::new(400, "Invalid field values provided")
            .detail("invalid_fields", Value::Object(fields))
    }

    fn handle(&self, request: MockRequest) -> Result<MockResponse, MockError> {
        Err(MockError::new(
            501,
            format!(
                "{} is not implemented in vouch's mock yet",
                request.operation
            ),
        ))
    }

    fn reset(&self) {}
}
