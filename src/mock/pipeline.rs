//! The path every request to `/<api>/...` takes, the same for every API:
//!
//! 0. with `--latency`, the answer waits;
//! 1. the body is read (over 1 MiB: 413);
//! 2. the contract routes it (unknown path: the API's own pages, else 404; wrong method: 405);
//! 3. an injected fault may answer instead;
//! 4. the credential is looked up (missing or unknown: 401) and names the tenant; the API may
//!    screen the request there (a vendor's firewall, [`MockApi::screen`](super::api::MockApi::screen)) and answer instead;
//! 5. the request is validated against the contract (broken: the API's 400, or its mapping);
//! 6. the API's handler answers;
//! 7. the answer is put in the vendor's shape, self-checked against the contract when asked,
//!    and journaled.
//!
//! Every refusal uses the vendor's error shape, never a 5xx of vouch's own making.

use super::api::{ErrorContext, MockError, MockRequest, MockResponse, Refusal, UnroutedRequest};
use super::clock::Instant;
use super::faults::{FaultKind, FaultSpec};
use super::journal::Entry;
use super::panics::guarded;
use super::state::{ApiSlot, MockState};
use crate::contract::{Contract, HttpRequest, HttpResponse, RouteError};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use std::net::SocketAddr;
use std::sync::Arc;

/// Largest request body the mock reads.
pub(crate) const MAX_BODY: usize = 1024 * 1024;

/// Marks a response whose connection must be dropped without answering.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AbortConnection;

pub(crate) async fn handle(state: Arc<MockState>, request: Request<Body>) -> Response {
    // `--latency`: as far away as a remote sandbox (the admin API is routed elsewhere).
    if let Some(latency) = state.latency {
        tokio::time::sleep(latency.sample()).await;
    }
    let remote = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let (parts, body) = request.into_parts();
    let full_path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let (api_id, rest) = split_api(parts.uri.path());
    let Some((slot, contract)) = state.routed(api_id) else {
        let known = state.api_ids().join(", ");
        return plain_error(
            StatusCode::NOT_FOUND,
            &format!("no API at /{api_id}; the mock serves: {known} (and /__admin)"),
        );
    };
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    // In a namespace, the links the mock answers with stay in it.
    let base_url = format!("http://{host}{}/{api_id}", state.prefix());
    let now = state.clock.now();
    let mut entry = Entry {
        api: api_id.to_string(),
        operation: None,
        method: parts.method.to_string(),
        path: full_path.clone(),
        status: 0,
        // Written from `now` when the journal is read.
        time: String::new(),
        tenant: None,
        fault: None,
    };
    let response = match axum::body::to_bytes(body, MAX_BODY).await {
        Err(_) => vendor_error(slot, &slot.api.refusal(Refusal::TooLarge), rest, now),
        Ok(bytes) => {
            let path_and_query = match parts.uri.query() {
                Some(q) => format!("{rest}?{q}"),
                None => rest.to_string(),
            };
            route(
                &state,
                slot,
                contract,
                &parts.method,
                &path_and_query,
                parts.headers,
                bytes,
                remote,
                base_url,
                now,
                &mut entry,
            )
            .await
        }
    };
    entry.status = response.status().as_u16();
    state.journal.record(entry, now);
    response
}

#[allow(clippy::too_many_arguments)]
async fn route(
    state: &MockState,
    slot: &ApiSlot,
    contract: &Contract,
    method: &Method,
    path: &str,
    headers: HeaderMap,
    body: Bytes,
    remote: Option<SocketAddr>,
    base_url: String,
    now: Instant,
    entry: &mut Entry,
) -> Response {
    let (bare_path, query) = crate::contract::path::path_and_query(path);
    let query = crate::contract::path::parse_query(query.as_deref());
    let matched = match contract.find(method, path) {
        Ok(m) => m,
        Err(route_error) => {
            if let Some(fault) = state.faults.take(slot.api.id(), None, &bare_path) {
                entry.fault = Some(describe(&fault));
                if let Some(r) = apply_fault(slot, &fault, &bare_path, now).await {
                    return r;
                }
            }
            let unrouted = UnroutedRequest {
                method: method.clone(),
                path: bare_path.clone(),
                query,
                headers,
                body,
                now,
                base_url,
                remote,
                max_entities: state.max_entities,
            };
            let answered = guarded(state, slot.api.id(), None, || {
                slot.api.handle_unrouted(&unrouted)
            });
            return match answered {
                Err(()) => internal_error(slot, &bare_path, now),
                Ok(Some(Ok(r))) => to_http(r),
                Ok(Some(Err(e))) => vendor_error(slot, &e, &bare_path, now),
                Ok(None) => match route_error {
                    RouteError::NotFound => vendor_error(
                        slot,
                        &slot.api.refusal(Refusal::UnknownPath),
                        &bare_path,
                        now,
                    ),
                    RouteError::MethodNotAllowed { allowed } => {
                        let mut r = vendor_error(
                            slot,
                            &slot.api.refusal(Refusal::WrongMethod),
                            &bare_path,
                            now,
                        );
                        let allow: Vec<&str> = allowed.iter().map(Method::as_str).collect();
                        if let Ok(v) = HeaderValue::from_str(&allow.join(", ")) {
                            r.headers_mut().insert(header::ALLOW, v);
                        }
                        r
                    }
                },
            };
        }
    };
    let op = matched.operation;
    entry.operation = Some(op.id.clone());
    if let Some(fault) = state.faults.take(slot.api.id(), Some(&op.id), &bare_path) {
        entry.fault = Some(describe(&fault));
        if let Some(r) = apply_fault(slot, &fault, &bare_path, now).await {
            return r;
        }
    }
    let tenant = slot
        .api
        .presented_secret(&headers)
        .and_then(|secret| state.tenant(slot, &secret));
    let Some(tenant) = tenant else {
        return checked(
            state,
            contract,
            op,
            vendor_error(
                slot,
                &slot.api.refusal(Refusal::Unauthenticated),
                &bare_path,
                now,
            ),
        );
    };
    entry.tenant = Some(tenant.name.clone());
    if let Some(screened) = slot.api.screen(&headers, &tenant) {
        return checked(state, contract, op, to_http(screened));
    }
    let http_request = HttpRequest {
        method,
        path,
        headers: &headers,
        body: &body,
    };
    let violations: Vec<_> = contract
        .validate_request(&matched, &http_request)
        .into_iter()
        .filter(|v| v.rule != "security")
        .collect();
    let request = MockRequest {
        operation: op.id.clone(),
        method: method.clone(),
        path: bare_path.clone(),
        path_params: matched.path_params.clone(),
        query,
        headers,
        body: serde_json::from_slice(&body).ok(),
        tenant,
        now,
        base_url,
        remote,
        max_entities: state.max_entities,
    };
    let response = if violations.is_empty() {
        match guarded(state, slot.api.id(), Some(&op.id), || {
            slot.api.handle(request)
        }) {
            Err(()) => internal_error(slot, &bare_path, now),
            Ok(Ok(r)) => to_http(r),
            Ok(Err(e)) => vendor_error(slot, &e, &bare_path, now),
        }
    } else {
        vendor_error(
            slot,
            &slot.api.invalid_request(&request, &violations),
            &bare_path,
            now,
        )
    };
    checked(state, contract, op, response)
}

/// With self-check on, validates the mock's own response against the contract.
fn checked(
    state: &MockState,
    contract: &Contract,
    op: &crate::contract::Operation,
    response: Response,
) -> Response {
    if !state.self_checking() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match &body_bytes(&parts.extensions) {
        Some(b) => b.clone(),
        None => Bytes::new(),
    };
    let violations = contract.validate_response(
        op,
        &HttpResponse {
            status: parts.status.as_u16(),
            headers: &parts.headers,
            body: &bytes,
        },
    );
    state.record_violations(violations);
    Response::from_parts(parts, body)
}

/// The JSON bytes of a response built by [`to_http`], kept as an extension for the self-check.
#[derive(Clone)]
struct JsonBytes(Bytes);

fn body_bytes(ext: &http::Extensions) -> Option<Bytes> {
    ext.get::<JsonBytes>().map(|b| b.0.clone())
}

fn to_http(r: MockResponse) -> Response {
    let bytes = r
        .body
        .as_ref()
        .map(|v| Bytes::from(serde_json::to_vec(v).unwrap_or_default()))
        .unwrap_or_default();
    let mut response = Response::new(Body::from(bytes.clone()));
    *response.status_mut() = r.status;
    *response.headers_mut() = r.headers;
    if r.body.is_some() {
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    response.extensions_mut().insert(JsonBytes(bytes));
    response
}

fn vendor_error(slot: &ApiSlot, error: &MockError, path: &str, now: Instant) -> Response {
    to_http(slot.api.error_response(error, &ErrorContext { path, now }))
}

/// The vendor's 500, for an API whose code panicked (a defect of vouch's mock, kept in
/// `GET /__admin/violations`).
fn internal_error(slot: &ApiSlot, path: &str, now: Instant) -> Response {
    let error = MockError::new(500, "Internal server error (vouch mock)");
    vendor_error(slot, &error, path, now)
}

/// An error from vouch itself (not from a mocked API), e.g. an unknown API prefix.
pub(crate) fn plain_error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
}

// An answer an injected fault made is marked with the exchange layer's `FAULT_HEADER` (its
// value describes the fault), so a client and the report can tell it from the API's own
// answer. A fault that only delays leaves the API's answer unmarked: its status is the API's.
use crate::exchange::record::FAULT_HEADER;

async fn apply_fault(
    slot: &ApiSlot,
    fault: &FaultSpec,
    path: &str,
    now: Instant,
) -> Option<Response> {
    let mut response = fault_response(slot, fault, path, now).await?;
    if let Ok(v) = HeaderValue::from_str(&describe(fault)) {
        response.headers_mut().insert(FAULT_HEADER, v);
    }
    Some(response)
}

async fn fault_response(
    slot: &ApiSlot,
    fault: &FaultSpec,
    path: &str,
    now: Instant,
) -> Option<Response> {
    if let Some(ms) = fault.delay_ms {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
    let status = fault.status.and_then(|s| StatusCode::from_u16(s).ok());
    match fault.fault {
        Some(FaultKind::ConnectionReset) => {
            let mut r = Response::new(Body::empty());
            r.extensions_mut().insert(AbortConnection);
            Some(r)
        }
        Some(FaultKind::EmptyResponse) => {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = status.unwrap_or(StatusCode::OK);
            Some(r)
        }
        Some(FaultKind::MalformedBody) => {
            let mut r = Response::new(Body::from("{\"truncated\": "));
            *r.status_mut() = status.unwrap_or(StatusCode::OK);
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            Some(r)
        }
        None => status.map(|s| {
            let error = MockError::new(s.as_u16(), "Injected fault (vouch mock)");
            let mut r = vendor_error(slot, &error, path, now);
            // An injected 429 or 503 says when to come back, so SDK retry logic can be tested.
            if s == StatusCode::TOO_MANY_REQUESTS || s == StatusCode::SERVICE_UNAVAILABLE {
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            r
        }),
    }
}

fn describe(fault: &FaultSpec) -> String {
    let mut parts = Vec::new();
    if let Some(s) = fault.status {
        parts.push(format!("status {s}"));
    }
    if let Some(d) = fault.delay_ms {
        parts.push(format!("delay {d}ms"));
    }
    if let Some(k) = fault.fault {
        parts.push(k.as_str().to_string());
    }
    parts.join(", ")
}

/// `/peach/verification-types` is API `peach` and path `/verification-types`; the API's root
/// is `/`.
fn split_api(path: &str) -> (&str, &str) {
    match crate::redact::url::split_api_prefix(path) {
        (api, "") => (api, "/"),
        split => split,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_prefixes() {
        assert_eq!(
            split_api("/peach/verification-types"),
            ("peach", "/verification-types")
        );
        assert_eq!(split_api("/peach"), ("peach", "/"));
        assert_eq!(split_api("/"), ("", "/"));
    }
}
