//! Trusona Verification API 2.2.0 (trusona-verification-api.txt).
//!
//! Credentials and the error shape are here; the verification lifecycle, subject pages and
//! JWE encryption arrive with the Trusona issue. Until then its operations answer 501.

use super::api::{
    Credential, ErrorContext, MockApi, MockError, MockRequest, MockResponse, Tenant, bearer,
};
use http::{HeaderMap, StatusCode};
use serde_json::json;

/// The default test token: a JWT (the API takes bearer JWTs, § Access) for account `vouch-test-account`.
pub const TEST_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJ2b3VjaCIsInN1YiI6InZvdWNoLXRlc3QtYWNjb3VudCJ9.dm91Y2gtbW9jay1zaWduYXR1cmU";
/// A second account's token, for isolation tests.
pub const SECOND_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJ2b3VjaCIsInN1YiI6InZvdWNoLXNlY29uZC1hY2NvdW50In0.dm91Y2gtbW9jay1zaWduYXR1cmU";

#[derive(Debug, Default)]
pub struct Trusona;

/// A bearer token shaped like a JWT: three base64url segments.
fn is_jwt(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() == 3
        && parts[..2].iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

impl MockApi for Trusona {
    fn id(&self) -> &'static str {
        "trusona"
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

    /// § Access: HTTP bearer token authentication (JWT); a token that is not a JWT is refused.
    fn presented_secret(&self, headers: &HeaderMap) -> Option<String> {
        bearer(headers).filter(|t| is_jwt(t))
    }

    /// The Spring Boot error attributes (contracts/NOTES.md § Trusona: error body).
    fn error_response(&self, error: &MockError, at: &ErrorContext<'_>) -> MockResponse {
        let reason = StatusCode::from_u16(error.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Error");
        MockResponse::json(
            error.status,
            json!({"timestamp": at.now.rfc3339(), "status": error.status, "error": reason,
                   "message": error.message, "path": at.path}),
        )
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

#[cfg(test)]
mod tests {
    #[test]
    fn jwt_shape() {
        assert!(super::is_jwt(super::TEST_TOKEN));
        assert!(!super::is_jwt("vouch-test-token"));
        assert!(!super::is_jwt("a..c"));
    }
}
