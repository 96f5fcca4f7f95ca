//! Trusona Verification API 2.2.0 ([trusona-api], "the page"; SUPPLEMENT.md
//! § Trusona Verification API).
//!
//! One file per concept, in Trusona's vocabulary:
//! - `verifications`: create, get, list; the lifecycle WAITING → SCANNED | EXPIRED and the
//!   link / review-access clocks;
//! - `subject`: the subject's side, served by the mock itself at `linkUrl` (open the link,
//!   scan the document);
//! - `subject_pages`: the same pages as HTML, for a browser;
//! - `devices`: the VerificationDevice recorded from each request of the subject's browser;
//! - `verifiers`: verifier checks (DMV, MNO_V, SCAN) against seeded records;
//! - `risk_scores`: the named risk rules and the overall risk;
//! - `messages`: SMS, TRUSTED_SMS (SIM-swap detection), EMAIL and COPY messages, the quota;
//! - `phones`: phone numbers as written in requests, and the E.164 form stored and answered;
//! - `documents`: the scanned document (UNMASKED / MASKED) and its images;
//! - `encryption`: encrypted verifications and documents (a compact JWE to the caller's public JWK).
//!
//! Choices where the page is silent: contracts/NOTES.md § Trusona › Mock behaviour.

mod devices;
mod documents;
mod encryption;
mod entities;
mod messages;
mod phones;
mod retention;
mod risk_scores;
mod subject;
mod subject_pages;
mod verifications;
mod verifiers;

use super::api::{
    Credential, ErrorContext, Handler, MockApi, MockError, MockRequest, MockResponse, Operations,
    Tenant, UnroutedRequest,
};
use super::html::wants_html;
use crate::contract::{SecurityScheme, Violation};
use entities::Verification;
use http::StatusCode;
use serde_json::json;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Mutex;

/// The default test token: a JWT (the API takes bearer JWTs, § Access) for account `vouch-test-account`.
pub const TEST_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJ2b3VjaCIsInN1YiI6InZvdWNoLXRlc3QtYWNjb3VudCJ9.dm91Y2gtbW9jay1zaWduYXR1cmU";
/// A second account's token, for isolation tests.
pub const SECOND_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJ2b3VjaCIsInN1YiI6InZvdWNoLXNlY29uZC1hY2NvdW50In0.dm91Y2gtbW9jay1zaWduYXR1cmU";

/// One Trusona account's data.
#[derive(Debug, Default)]
struct Account {
    /// Oldest first (the list order), forgotten on the mock clock (`retention`).
    verifications: super::retention::Retained<Verification>,
    /// When each counted message was sent, for the quota ([`messages::QUOTA`]).
    sent: Vec<super::clock::Instant>,
}

impl Account {
    fn find(&self, id: &str) -> Option<usize> {
        self.verifications
            .iter()
            .position(|v| v.id.eq_ignore_ascii_case(id))
    }

    /// The verification named by the path, or the page's 404 "Verification not found".
    fn verification(&mut self, request: &MockRequest) -> Result<&mut Verification, MockError> {
        let id = request
            .path_params
            .get("verificationId")
            .map(String::as_str)
            .unwrap_or_default();
        self.verifications
            .iter_mut()
            .find(|v| v.id.eq_ignore_ascii_case(id))
            .ok_or_else(not_found)
    }
}

/// § Verifications > getVerification 404 "Verification not found" (also for another
/// account's id: tenants never see each other's data).
fn not_found() -> MockError {
    MockError::new(404, "Verification not found")
}

/// The Trusona Verification API mock ([`MockApi`] `trusona`): each account's verifications,
/// devices, messages and documents, kept per tenant.
#[derive(Debug, Default)]
pub struct Trusona {
    accounts: Mutex<HashMap<String, Account>>,
}

impl Trusona {
    fn with_account<T>(&self, tenant: &Tenant, f: impl FnOnce(&mut Account) -> T) -> T {
        let mut accounts = self.accounts.lock().unwrap_or_else(|e| e.into_inner());
        f(accounts.entry(tenant.name.clone()).or_default())
    }
}

/// A bearer token shaped like a JWT: three base64url segments.
fn is_jwt(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() == 3
        && parts.iter().take(2).all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Operations whose page lists 400; elsewhere a malformed path id answers the documented 404.
const DOCUMENTS_400: [&str; 4] = [
    "createVerification",
    "createEncryptedVerification",
    "createMessage",
    "getVerifications",
];

/// Every operation, by the page's sections ([trusona-api]).
const OPERATIONS: Operations<Handler<Account>> = Operations::new(&[
    // § Verifications > createVerification
    ("createVerification", verifications::create),
    // § Verifications > getVerification
    ("getVerification", verifications::get),
    // § Verifications > getVerifications
    ("getVerifications", verifications::list),
    // § Devices > getDevices
    ("getDevices", devices::list),
    // § RiskScores > getRiskScores
    ("getRiskScores", risk_scores::list),
    // § Messages > createMessage
    ("createMessage", messages::create),
    // § Messages > getMessages
    ("getMessages", messages::list),
    // § Messages > getMessage
    ("getMessage", messages::get),
    // § Documents > getDocument
    ("getDocument", documents::document),
    // § Documents > getScannedImages
    ("getScannedImages", documents::scanned_images),
    // § EncryptedVerifications > createEncryptedVerification
    ("createEncryptedVerification", encryption::create),
    // § EncryptedVerifications > getEncryptedVerification
    ("getEncryptedVerification", encryption::get),
    // vendor OpenAPI only (contracts/NOTES.md § Vendor evidence (issue #14) › Trusona)
    ("getEncryptedDocument", encryption::document),
]);

impl MockApi for Trusona {
    fn id(&self) -> &'static str {
        "trusona"
    }

    /// Trusona's ID Proofing sandbox Test Case 1 (`verifiers.rs`).
    fn test_users(&self) -> &'static [&'static str] {
        &["DMV licence DL000001 (John Doe): every field matches (Trusona's sandbox Test Case 1)"]
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

    /// § Access: HTTP bearer token authentication (JWT), the contract's `bearerAuth`
    /// (`bearerFormat: JWT`); a token that is not a JWT is refused.
    fn secret<'v>(
        &self,
        _scheme: &SecurityScheme,
        presented: Cow<'v, str>,
    ) -> Option<Cow<'v, str>> {
        is_jwt(&presented).then_some(presented)
    }

    /// The Spring Boot error attributes (contracts/NOTES.md § Trusona: error body).
    fn error_response(&self, error: &MockError, at: &ErrorContext<'_>) -> MockResponse {
        let reason = StatusCode::from_u16(error.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Error");
        let mut response = MockResponse::json(
            error.status,
            json!({"timestamp": at.now.rfc3339(), "status": error.status, "error": reason,
                   "message": error.message, "path": at.path}),
        );
        // § Messages > createMessage 429: when the quota frees up again.
        if let Some(retry) = error.details.get("retryAfter").and_then(|v| v.as_i64()) {
            response = response.header("Retry-After", &retry.to_string());
        }
        // The subject's pages: the method they take.
        if let Some(allow) = error.details.get("allow").and_then(|v| v.as_str()) {
            response = response.header("Allow", allow);
        }
        response
    }

    fn invalid_request(&self, request: &MockRequest, violations: &[Violation]) -> MockError {
        let op = request.operation.as_str();
        // § EncryptedVerifications > createEncryptedVerification 400 "Bad request - Must be one of
        // RSA, EC or OKP (crv=X25519) type in JWK format".
        if violations
            .iter()
            .any(|v| v.pointer.starts_with("/body/publicWebKey"))
        {
            return MockError::new(400, encryption::KEY_TYPE_MESSAGE);
        }
        // § Verifications > getVerifications 400 "Bad request - invalid since parameter".
        if let Some(v) = violations.iter().find(|v| v.pointer.starts_with("/query/")) {
            let name = v.pointer.trim_start_matches("/query/");
            return MockError::new(400, format!("Invalid {name} parameter"));
        }
        // A malformed id in the path: 404 where the page documents no 400.
        if violations.iter().all(|v| v.pointer.starts_with("/path/"))
            && !DOCUMENTS_400.contains(&op)
        {
            return not_found();
        }
        let first = violations
            .first()
            .map(|v| format!("{}: {}: expected {}", v.pointer, v.rule, v.expected))
            .unwrap_or_default();
        MockError::new(400, format!("Validation failed: {first}"))
    }

    fn operations(&self) -> Vec<&'static str> {
        OPERATIONS.ids()
    }

    fn handle(&self, request: MockRequest) -> Result<MockResponse, MockError> {
        let handler = OPERATIONS.handler(&request.operation)?;
        self.with_account(&request.tenant, |account| handler(account, &request))
    }

    /// The subject's pages at `linkUrl` (no credential: the subject is not the API caller).
    fn handle_unrouted(
        &self,
        request: &UnroutedRequest,
    ) -> Option<Result<MockResponse, MockError>> {
        let page = subject::Page::parse(&request.path)?;
        let mut accounts = self.accounts.lock().unwrap_or_else(|e| e.into_inner());
        let found = accounts.values_mut().find_map(|account| {
            account
                .verifications
                .iter_mut()
                .find(|v| v.link_code == page.link_code)
        });
        Some(match found {
            // A browser gets the same pages as HTML.
            Some(verification) if wants_html(&request.headers) => {
                Ok(subject_pages::handle(verification, &page, request))
            }
            Some(verification) => subject::handle(verification, &page, request),
            None => Err(MockError::new(404, "No verification has this link")),
        })
    }

    fn reset(&self) {
        self.accounts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

/// Trusona in the API registry.
pub const REGISTRATION: super::Registration = super::Registration {
    id: "trusona",
    mock: || std::sync::Arc::new(Trusona::default()),
    // Trusona tokens are signed per account.
    public_test_credentials: &[],
    // Link codes and scan codes (32 hex digits) and the subject page they open; a device's
    // `browserDateTime` (JavaScript's `Date.toString()`, from the mock clock when the browser
    // reported none).
    snapshot_filters: &[
        (r"\b[0-9a-f]{32}\b", "[hex-id]"),
        (r"/subject/[A-Za-z0-9_-]+", "/subject/[link-code]"),
        (
            r"\b[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT[+-]\d{4}",
            "[browser-time]",
        ),
    ],
    // Spring-style `{timestamp, status, error, message, path}`: no code of Trusona's own.
    error_code_pointers: &[],
    pii_names: &[],
};

#[cfg(test)]
mod tests {
    #[test]
    fn jwt_shape() {
        assert!(super::is_jwt(super::TEST_TOKEN));
        assert!(!super::is_jwt("vouch-test-token"));
        assert!(!super::is_jwt("a..c"));
    }
}
