//! How the mock's answers become HTTP responses: an API's [`MockResponse`] (its JSON bytes kept
//! for the self-check), the vendor's error shape, and vouch's own plain error. Below both the
//! request pipeline and the panic guard, which answer with them.

use super::api::{ErrorContext, MockError, MockResponse};
use super::clock::Instant;
use super::state::ApiSlot;
use axum::body::Body;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::{HeaderValue, StatusCode, header};

/// The JSON bytes of a response built by [`to_http`], kept as an extension for the self-check.
#[derive(Clone)]
pub(super) struct JsonBytes(Bytes);

pub(super) fn body_bytes(ext: &http::Extensions) -> Option<Bytes> {
    ext.get::<JsonBytes>().map(|b| b.0.clone())
}

/// The answer as HTTP; with `keep` (the server's `--self-check`), its JSON bytes ride along as
/// an extension for the check. Without, no extension map is made (issue #24).
pub(super) fn to_http(r: MockResponse, keep: bool) -> Response {
    if let Some(page) = r.html {
        let mut response = Response::new(Body::from(page));
        *response.status_mut() = r.status;
        *response.headers_mut() = r.headers;
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        // The pages load nothing and run no script (`src/mock/html.rs`).
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
        );
        return response;
    }
    let json = r.body.is_some() || r.written.is_some();
    let bytes = match (r.written, &r.body) {
        (Some(written), _) => written,
        (None, body) => body.as_ref().map(json_bytes).unwrap_or_default(),
    };
    let kept = keep.then(|| bytes.clone());
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = r.status;
    *response.headers_mut() = r.headers;
    if json {
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    if let Some(bytes) = kept {
        response.extensions_mut().insert(JsonBytes(bytes));
    }
    response
}

/// A JSON body's bytes ([`json_body`](super::api::json_body)); none if it cannot be written.
fn json_bytes(body: &serde_json::Value) -> Bytes {
    super::api::json_body(body).unwrap_or_default()
}

pub(super) fn vendor_error(
    slot: &ApiSlot,
    error: &MockError,
    path: &str,
    now: Instant,
) -> Response {
    to_http(
        slot.api.error_response(error, &ErrorContext { path, now }),
        slot.self_check,
    )
}

/// The vendor's 500, for an API whose code panicked (a defect of vouch's mock, kept in
/// `GET /__admin/violations`).
pub(super) fn internal_error(slot: &ApiSlot, path: &str, now: Instant) -> Response {
    let error = MockError::new(500, "Internal server error (vouch mock)");
    vendor_error(slot, &error, path, now)
}

/// An error from vouch itself (not from a mocked API), e.g. an unknown API prefix.
pub(super) fn plain_error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
}
