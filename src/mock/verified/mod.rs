//! Verified Inc. core API (verified-api-reference.txt, verified-types.txt).
//!
//! Credentials and the error shape are here; the 1-Click, wallet, matching and credential
//! behaviour arrives with the Verified issue. Until then its operations answer 501.

use super::api::{
    Credential, ErrorContext, MockApi, MockError, MockRequest, MockResponse, Tenant, header_text,
};
use http::HeaderMap;
use serde_json::json;

/// The public sandbox key printed in the reference page (§ Sandbox Testing): brand Hooli.
pub const SANDBOX_API_KEY: &str = "yVg3LEnF08y0MDmpHcPxB+sZWFcDARmPRKdY2M906ng=";
/// A second brand, for isolation tests.
pub const SECOND_BRAND_API_KEY: &str = "vouch-verified-second-brand-key";

#[derive(Debug, Default)]
pub struct Verified;

/// FeathersJS error names and classes by status (verified-types.txt § Error).
fn feathers(status: u16) -> (&'static str, &'static str) {
    match status {
        400 => ("BadRequest", "bad-request"),
        401 => ("NotAuthenticated", "not-authenticated"),
        402 => ("PaymentError", "payment-error"),
        403 => ("Forbidden", "forbidden"),
        404 => ("NotFound", "not-found"),
        405 => ("MethodNotAllowed", "method-not-allowed"),
        406 => ("NotAcceptable", "not-acceptable"),
        408 => ("Timeout", "timeout"),
        409 => ("Conflict", "conflict"),
        410 => ("Gone", "gone"),
        411 => ("LengthRequired", "length-required"),
        413 => ("PayloadTooLarge", "payload-too-large"),
        422 => ("Unprocessable", "unprocessable"),
        429 => ("TooManyRequests", "too-many-requests"),
        501 => ("NotImplemented", "not-implemented"),
        502 => ("BadGateway", "bad-gateway"),
        503 => ("Unavailable", "unavailable"),
        _ => ("GeneralError", "general-error"),
    }
}

impl MockApi for Verified {
    fn id(&self) -> &'static str {
        "verified"
    }

    fn default_credentials(&self) -> Vec<Credential> {
        vec![
            Credential {
                secret: SANDBOX_API_KEY.into(),
                tenant: Tenant::new("hooli"),
            },
            Credential {
                secret: SECOND_BRAND_API_KEY.into(),
                tenant: Tenant::new("second-brand"),
            },
        ]
    }

    /// The key is the bare `Authorization` value or `Bearer <key>` (SUPPLEMENT.md § Base URL and auth).
    fn presented_secret(&self, headers: &HeaderMap) -> Option<String> {
        let value = header_text(headers, "authorization")?;
        let key = match value.split_once(' ') {
            Some((scheme, key)) if scheme.eq_ignore_ascii_case("bearer") => key.trim().to_string(),
            _ => value.trim().to_string(),
        };
        (!key.is_empty()).then_some(key)
    }

    /// verified-types.txt § Error: `{name, message, code, className, data: {errorCode}}`.
    fn error_response(&self, error: &MockError, _at: &ErrorContext<'_>) -> MockResponse {
        let (name, class) = feathers(error.status);
        let mut data = json!({"errorCode": error.code.clone().unwrap_or_else(|| "ERR001".into())});
        for (k, v) in &error.details {
            data[k] = v.clone();
        }
        MockResponse::json(
            error.status,
            json!({"name": name, "message": error.message, "code": error.status, "className": class, "data": data}),
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
