//! Truework credentials session ([truework-session], SUPPLEMENT.md § Truework).
//!
//! The order a request's rules are checked in (contracts/NOTES.md § Truework, Mock behaviour):
//! 401 (no or unknown token; the pipeline), 403 (a token without permission), 429 (the
//! per-token rate limit), 406 (`Accept`), 400 (every bad field at once, including the
//! token-dependent `reseller_originating_party` rule), 451 / 500 / 501 (seeded SSNs), then 201.

mod credentials_session;
mod invalid_fields;
mod rate_limit;
mod tokens;

pub use credentials_session::{FROZEN_SSN, NOT_IMPLEMENTED_SSN, SERVER_ERROR_SSN};
pub use tokens::{
    NO_PERMISSION_TOKEN, RATE_LIMITED_TOKEN, RESELLER_TOKEN, SECOND_TOKEN, TEST_TOKEN,
};

use super::api::{
    Credential, ErrorContext, Handler, MockApi, MockError, MockRequest, MockResponse, Operations,
    Tenant, set_member,
};
use crate::contract::Violation;
use credentials_session::CredentialsSession;
use rate_limit::RateLimit;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Mutex;

/// The `MockError` detail carrying a 429's `Retry-After` (sent as a header, not in the body).
const RETRY_AFTER: &str = "retry_after";

/// One account's state (one per token).
#[derive(Debug, Default)]
struct Account {
    sessions: Vec<CredentialsSession>,
    rate_limit: RateLimit,
}

/// The Truework mock ([`MockApi`] `truework`): each account's credentials sessions and rate
/// limit, kept per tenant (one account per seeded token).
#[derive(Debug, Default)]
pub struct Truework {
    accounts: Mutex<HashMap<String, Account>>,
}

impl Truework {
    fn with_account<T>(&self, tenant: &Tenant, f: impl FnOnce(&mut Account) -> T) -> T {
        let mut accounts = self.accounts.lock().unwrap_or_else(|e| e.into_inner());
        f(accounts.entry(tenant.name.clone()).or_default())
    }

    /// The token's own rules, before anything about the request: 403 for a token without
    /// permission (§ Errors 403 "Forbidden"), then 429 when the token is over its limit
    /// (§ Errors 429 "Too Many Requests"; the limit is vouch's choice, see [`rate_limit`]).
    fn gate(&self, request: &MockRequest) -> Result<(), MockError> {
        if request.tenant.has(tokens::NO_PERMISSION) {
            return Err(MockError::new(
                403,
                "This token does not have permission to create credentials sessions",
            ));
        }
        let limit = if request.tenant.has(tokens::RATE_LIMITED) {
            rate_limit::RATE_LIMITED_LIMIT
        } else {
            rate_limit::ORDINARY_LIMIT
        };
        self.with_account(&request.tenant, |a| a.rate_limit.admit(request.now, limit))
            .map_err(|wait| {
                MockError::new(
                    429,
                    format!("Too many requests for this token; retry in {wait} seconds"),
                )
                .detail(RETRY_AFTER, json!(wait))
            })
    }
}

/// Every operation ([truework-session]), each after the token's own rules
/// ([`Truework::gate`]).
const OPERATIONS: Operations<Handler<Account>> = Operations::new(&[
    // § Create a Credentials Session
    ("createCredentialsSession", |account, request| {
        credentials_session::create(request, &mut account.sessions)
    }),
]);

impl MockApi for Truework {
    fn id(&self) -> &'static str {
        "truework"
    }

    /// Truework's example app identity and sandbox fixtures (tests/advertised_test_users.rs).
    fn test_users(&self) -> &'static [&'static str] {
        &["any target, e.g. Jane Doe (truework.js-examples); the sandbox fixture SSNs (README)"]
    }

    fn default_credentials(&self) -> Vec<Credential> {
        tokens::seeded()
    }

    // § Authentication: `Bearer <token>`, the contract's `bearerAuth` (read by the pipeline).

    /// `{"error": {"message", "invalid_fields"?}}` (SUPPLEMENT.md § Truework); a 429 also
    /// carries `Retry-After`.
    fn error_response(&self, error: &MockError, _at: &ErrorContext<'_>) -> MockResponse {
        let mut inner = json!({"message": error.message});
        if let Some(fields) = error.details.get("invalid_fields") {
            set_member(&mut inner, "invalid_fields", fields.clone());
        }
        let response = MockResponse::json(error.status, json!({"error": inner}));
        match error.details.get(RETRY_AFTER).and_then(Value::as_u64) {
            Some(seconds) => response.header("retry-after", &seconds.to_string()),
            None => response,
        }
    }

    /// After the token's own rules: a non-JSON `Accept` is 406 (§ Headers, § Errors); every
    /// other broken rule is a 400 whose `invalid_fields` names each bad field, nested
    /// (`{"target": {"date_of_birth": [...]}}`), the token-dependent reseller rule included.
    fn invalid_request(&self, request: &MockRequest, violations: &[Violation]) -> MockError {
        if let Err(refused) = self.gate(request) {
            return refused;
        }
        if violations.iter().any(|v| v.pointer == "/headers/accept") {
            return MockError::new(
                406,
                "The Accept header must be application/json, optionally with a version",
            );
        }
        let mut problems: Vec<invalid_fields::Problem> = violations
            .iter()
            .map(|v| {
                (
                    invalid_fields::path_of(&v.pointer),
                    format!("{}: expected {}", v.rule, v.expected),
                )
            })
            .collect();
        problems.extend(credentials_session::token_rules(
            &request.tenant,
            request.body.json(),
        ));
        credentials_session::bad_fields(&problems)
    }

    fn operations(&self) -> Vec<&'static str> {
        OPERATIONS.ids()
    }

    fn handle(&self, request: MockRequest) -> Result<MockResponse, MockError> {
        self.gate(&request)?;
        let handler = OPERATIONS.handler(&request.operation)?;
        self.with_account(&request.tenant, |account| handler(account, &request))
    }

    fn reset(&self) {
        self.accounts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

/// Truework in the API registry.
pub const REGISTRATION: super::Registration = super::Registration {
    id: "truework",
    mock: || std::sync::Arc::new(Truework::default()),
    // Truework sandbox tokens are issued per account.
    public_test_credentials: &[],
    // Credentials-session tokens ([truework-session] § Credentials session).
    snapshot_filters: &[(r"cs_tok_[0-9a-f]+", "[session-token]")],
    // `{"error": {"message", "invalid_fields"?}}`: no code of Truework's own.
    error_code_pointers: &[],
    pii_names: &[],
};
