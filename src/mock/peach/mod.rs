//! Peach Finance borrower verification types ([peach-verification-types] and SUPPLEMENT.md
//! § Peach Finance).
//!
//! The question bank, verification types (create, get, list with cursors, update), each
//! company's seeded config (`crmDefaultTypeId`) and person verifications (dry runs, session
//! expiry, throttling). Seeded data: features/peach/README.md.

mod company;
mod entities;
mod person_verifications;
mod questions;
mod retention;
mod verification_types;

pub use company::{SECOND_COMPANY_DEFAULT_TYPE, TEST_COMPANY_DEFAULT_TYPE};

use super::api::{
    Credential, ErrorContext, Handler, MockApi, MockError, MockRequest, MockResponse, Operations,
    Tenant, set_member,
};
use crate::contract::Violation;
use company::Company;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Mutex;

/// The default test token (bearer, or the API-key header).
pub const TEST_TOKEN: &str = "vouch-test-token";
/// A second company's token, for isolation tests.
pub const SECOND_TOKEN: &str = "vouch-second-token";
/// The company of [`TEST_TOKEN`].
pub const TEST_COMPANY: &str = "vouch-test-company";
/// The company of [`SECOND_TOKEN`].
pub const SECOND_COMPANY: &str = "vouch-second-company";

/// The Peach Finance mock ([`MockApi`] `peach`): each company's verification types, config
/// and person verifications, kept per tenant and seeded on the company's first request.
#[derive(Debug, Default)]
pub struct Peach {
    companies: Mutex<HashMap<String, Company>>,
}

/// Each company's data, by tenant name.
type Companies = HashMap<String, Company>;

/// The request's company, seeded on first use.
fn company<'a>(companies: &'a mut Companies, request: &MockRequest) -> &'a mut Company {
    let tenant: &Tenant = &request.tenant;
    companies
        .entry(tenant.name.clone())
        .or_insert_with(|| Company::seeded(&tenant.name, request.now))
}

/// Every operation, by the page's sections ([peach-verification-types]). The question
/// bank is the same for every company, so asking for it seeds none.
const OPERATIONS: Operations<Handler<Companies>> = Operations::new(&[
    // § Get questions
    ("getVerificationQuestions", |_, _| Ok(questions::list())),
    // § Create verification type
    ("createVerificationType", |companies, request| {
        company(companies, request)
            .verification_types
            .create(request)
    }),
    // § Get verification type by ID
    ("getVerificationType", |companies, request| {
        company(companies, request).verification_types.get(request)
    }),
    // § Update verification type
    ("updateVerificationType", |companies, request| {
        company(companies, request)
            .verification_types
            .update(request)
    }),
    // § Get verification types
    ("listVerificationTypes", |companies, request| {
        company(companies, request).verification_types.list(request)
    }),
    // § Create verification type ("Using with CRM App UI"); SUPPLEMENT.md § Peach Finance
    ("createPersonVerification", |companies, request| {
        let c = company(companies, request);
        c.person_verifications
            .start(request, &c.verification_types, &c.crm_default_type_id)
    }),
]);

/// The `{status, message, data}` envelope of single objects (SUPPLEMENT.md; Peach's response
/// samples print all three); `status` mirrors the HTTP status and `message` is its reason
/// phrase (no source says what a success message reads; the samples print `"string"`).
pub(crate) fn envelope(status: u16, data: Value) -> MockResponse {
    let message = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("OK");
    MockResponse::json(
        status,
        json!({"status": status, "message": message, "data": data}),
    )
}

impl MockApi for Peach {
    fn id(&self) -> &'static str {
        "peach"
    }

    /// The borrowers Peach's SDK README and borrower quickstart name
    /// (tests/advertised_test_users.rs).
    fn test_users(&self) -> &'static [&'static str] {
        &[
            "borrowers BO-9BR3-GW8J (peach-node-client README), BO-1212-ABAB (James Smith, quickstart)",
        ]
    }

    fn default_credentials(&self) -> Vec<Credential> {
        vec![
            Credential {
                secret: TEST_TOKEN.into(),
                tenant: Tenant::new(TEST_COMPANY),
            },
            Credential {
                secret: SECOND_TOKEN.into(),
                tenant: Tenant::new(SECOND_COMPANY),
            },
        ]
    }

    // Credentials: a bearer token or the key in an API key header, each spelling a scheme of
    // contracts/peach.yaml (the pipeline reads them there; NOTES.md § Peach > Choices).

    /// `{status, message, errors?}` (contracts/NOTES.md § Peach: error body).
    fn error_response(&self, error: &MockError, _at: &ErrorContext<'_>) -> MockResponse {
        let mut body = json!({"status": error.status, "message": error.message});
        for (k, v) in &error.details {
            set_member(&mut body, k, v.clone());
        }
        MockResponse::json(error.status, body)
    }

    fn invalid_request(&self, _request: &MockRequest, violations: &[Violation]) -> MockError {
        let errors: Vec<Value> = violations
            .iter()
            .map(|v| {
                let field = v
                    .pointer
                    .splitn(3, '/')
                    .nth(2)
                    .unwrap_or_default()
                    .replace('/', ".");
                json!({"field": field, "message": format!("{}: expected {}", v.rule, v.expected)})
            })
            .collect();
        MockError::new(400, "Invalid request").detail("errors", Value::Array(errors))
    }

    fn operations(&self) -> Vec<&'static str> {
        OPERATIONS.ids()
    }

    fn handle(&self, request: MockRequest) -> Result<MockResponse, MockError> {
        let handler = OPERATIONS.handler(&request.operation)?;
        let mut companies = self.companies.lock().unwrap_or_else(|e| e.into_inner());
        handler(&mut companies, &request)
    }

    fn reset(&self) {
        self.companies
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

/// Peach in the API registry.
pub const REGISTRATION: super::Registration = super::Registration {
    id: "peach",
    mock: || std::sync::Arc::new(Peach::default()),
    // Peach publishes no sandbox key: each company has its own.
    public_test_credentials: &[],
    // Generated ids: `VT-AB12-CD34`, `PV-...` ([peach-verification-types] § Verification types).
    snapshot_filters: &[(r"\b[A-Z]{2}-[A-Z0-9]{4}-[A-Z0-9]{4}\b", "[peach-id]")],
    // Peach error bodies carry the HTTP status and a message only.
    error_code_pointers: &[],
    pii_names: &[],
};
