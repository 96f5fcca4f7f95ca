//! The path every request to `/<api>/...` takes, the same for every API:
//!
//! 0. with `--latency`, the answer waits;
//! 1. the body is read (over 1 MiB, or declared so by `Content-Length`: 413 before reading);
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

use super::answer::{body_bytes, internal_error, plain_error, to_http, vendor_error};
use super::api::{MockError, MockRequest, Refusal, Tenant, UnroutedRequest};
use super::clock::Instant;
use super::faults::{FaultKind, FaultSpec};
use super::journal::Trace;
use super::json_body::JsonBody;
use super::panics::guarded;
use super::request_body::read_limited;
use super::state::{ApiSlot, MockState};
use crate::contract::validate::Parsed;
use crate::contract::{Contract, HttpRequest, HttpResponse, Match, Operation, RouteError};
use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;

/// Marks a response whose connection must be dropped without answering.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AbortConnection;

/// Answers one API request; `remote` is the client's address (when the server knows it).
///
/// The request is taken apart before the answer's future is made: an `async fn` keeps its
/// arguments apart from its locals, so the request was held twice in every request's future
/// (issue #24: 1 760 bytes with the connection's part, 1 152 without the copy).
pub(crate) fn handle(
    state: &MockState,
    request: Request<Body>,
    remote: Option<SocketAddr>,
) -> impl Future<Output = Response> + '_ {
    let (parts, body) = request.into_parts();
    let http::request::Parts {
        method,
        uri,
        headers,
        ..
    } = parts;
    async move {
        // `--latency`: as far away as a remote sandbox (the admin API is routed elsewhere).
        // Boxed, as a fault's answer is (see `Routed`).
        if let Some(latency) = state.latency {
            Box::pin(tokio::time::sleep(latency.sample())).await;
        }
        let full_path = uri.path_and_query().map_or("/", |p| p.as_str());
        let (api_id, rest) = split_api(uri.path());
        let Some((slot, contract)) = state.routed(api_id) else {
            let known = state.api_ids().join(", ");
            return plain_error(
                StatusCode::NOT_FOUND,
                &format!("no API at /{api_id}; the mock serves: {known} (and /__admin)"),
            );
        };
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        // In a namespace, the links the mock answers with stay in it.
        let base_url = base_url(host, state.prefix(), api_id);
        let now = state.clock.now();
        // The path below the API's prefix with its query: a slice of the URI's, unless the
        // prefix is all there is (`/peach?x=1` is `/?x=1`).
        let path: Cow<'_, str> = match uri.query() {
            None => rest.into(),
            Some(q) => uri
                .path()
                .len()
                .checked_sub(rest.len())
                .filter(|_| {
                    uri.path().ends_with(rest)
                        && full_path
                            .strip_prefix(uri.path())
                            .and_then(|t| t.strip_prefix('?'))
                            == Some(q)
                })
                .and_then(|at| full_path.get(at..))
                .map_or_else(|| format!("{rest}?{q}").into(), Cow::Borrowed),
        };
        let mut noted = Noted::default();
        let method_name = method.clone();
        let read = read_limited(body).await;
        let response = match read {
            Err(()) => vendor_error(slot, &slot.api.refusal(Refusal::TooLarge), rest, now),
            Ok(bytes) => {
                let (bare_path, query) = crate::contract::path::split_url(&path);
                let incoming = Incoming {
                    state,
                    slot,
                    contract,
                    method,
                    query: crate::contract::path::parse_query(query),
                    bare_path,
                    path: &path,
                    headers,
                    body: bytes,
                    remote,
                    base_url,
                    now,
                };
                match route(incoming, &mut noted) {
                    Routed::Now(response) => response,
                    Routed::Later(answer) => answer.await,
                }
            }
        };
        state.journal.keep(
            Trace {
                api: api_id,
                operation: noted.operation,
                method: method_name.as_str(),
                path: full_path,
                status: response.status().as_u16(),
                tenant: noted.tenant.as_deref().map(|t| t.name.as_str()),
                fault: noted.fault.as_deref(),
            },
            now,
        );
        response
    }
}

/// What the journal is told of a request besides its line and status, learnt on its way.
#[derive(Default)]
struct Noted<'c> {
    operation: Option<&'c str>,
    tenant: Option<Arc<Tenant>>,
    fault: Option<String>,
}

/// One request on its way through the pipeline, its body read and its API known.
struct Incoming<'a> {
    state: &'a MockState,
    slot: &'a ApiSlot,
    contract: &'a Contract,
    method: Method,
    /// The path under the API's prefix, with its query string.
    path: &'a str,
    /// The same path without the query.
    bare_path: &'a str,
    query: BTreeMap<String, String>,
    headers: HeaderMap,
    body: Bytes,
    remote: Option<SocketAddr>,
    /// The API's root as the client sees it (links in answers start with it).
    base_url: String,
    now: Instant,
}

/// What routing gives: the answer, or, where something must be waited for (an injected
/// fault's delay or answer, the API's own pages), a future of it.
///
/// Only those rare paths are futures, boxed: as async steps inline, their timers and answers
/// made the pipeline's future 2 720 bytes instead of 1 248, in every request's (issue #24).
enum Routed<'a> {
    Now(Response),
    Later(Pin<Box<dyn Future<Output = Response> + Send + 'a>>),
}

/// Steps 2 to 7 of the module doc: unrouted -> fault -> authenticate -> validate -> dispatch,
/// each answer self-checked against the operation it was routed to.
fn route<'a: 'n, 'n>(request: Incoming<'a>, noted: &'n mut Noted<'a>) -> Routed<'n> {
    let matched = match request.contract.find(&request.method, request.path) {
        Ok(m) => m,
        Err(route_error) => return Routed::Later(Box::pin(unrouted(request, route_error, noted))),
    };
    let op = matched.operation;
    noted.operation = Some(op.id.as_str());
    match take_fault(&request, Some(&op.id), noted) {
        None => Routed::Now(answer(request, matched, noted)),
        Some(fault) => Routed::Later(Box::pin(async move {
            let (slot, path, now) = (request.slot, request.bare_path, request.now);
            match apply_fault(slot, &fault, path, now).await {
                Some(faulted) => faulted,
                // A fault that only delays: the API answers after it.
                None => answer(request, matched, noted),
            }
        })),
    }
}

/// Steps 4 to 7 for a routed request no fault answered.
fn answer<'a>(request: Incoming<'a>, matched: Match<'a>, noted: &mut Noted<'a>) -> Response {
    let (state, contract, op) = (request.state, request.contract, matched.operation);
    let answer = match authenticate(&request, op) {
        Err(refused) => *refused,
        Ok(tenant) => {
            noted.tenant = Some(tenant.clone());
            match request.slot.api.screen(&request.headers, &tenant) {
                Some(screened) => to_http(screened, request.slot.self_check),
                None => validate_and_dispatch(request, matched, tenant),
            }
        }
    };
    checked(state, contract, op, answer)
}

/// Step 3: the first injected fault that applies to this operation (or, unrouted, this path),
/// counted against its `times`.
fn take_fault(
    request: &Incoming<'_>,
    operation: Option<&str>,
    noted: &mut Noted<'_>,
) -> Option<FaultSpec> {
    let (slot, path) = (request.slot, request.bare_path);
    let fault = request.state.faults.take(slot.api.id(), operation, path)?;
    noted.fault = Some(describe(&fault));
    Some(fault)
}

/// Step 2, a request the contract does not route: the API's own pages
/// ([`MockApi::handle_unrouted`](super::api::MockApi::handle_unrouted)) may answer; else the
/// API's 404, or its 405 with `Allow`.
async fn unrouted(
    request: Incoming<'_>,
    route_error: RouteError,
    noted: &mut Noted<'_>,
) -> Response {
    if let Some(fault) = take_fault(&request, None, noted) {
        let faulted = apply_fault(request.slot, &fault, request.bare_path, request.now).await;
        if let Some(r) = faulted {
            return r;
        }
    }
    let (state, slot, now) = (request.state, request.slot, request.now);
    let path = request.bare_path;
    let unrouted = UnroutedRequest {
        method: request.method,
        path: path.to_string(),
        query: request.query,
        headers: request.headers,
        body: request.body,
        now,
        base_url: request.base_url,
        remote: request.remote,
        max_entities: state.max_entities,
    };
    let answered = guarded(state, slot.api.id(), None, || {
        slot.api.handle_unrouted(&unrouted)
    });
    let refuse = |refusal| vendor_error(slot, &slot.api.refusal(refusal), path, now);
    match answered {
        Err(()) => internal_error(slot, path, now),
        Ok(Some(Ok(r))) => to_http(r, slot.self_check),
        Ok(Some(Err(e))) => vendor_error(slot, &e, path, now),
        Ok(None) => match route_error {
            RouteError::NotFound => refuse(Refusal::UnknownPath),
            RouteError::MethodNotAllowed { allowed } => {
                let mut r = refuse(Refusal::WrongMethod);
                let allow: Vec<&str> = allowed.iter().map(Method::as_str).collect();
                if let Ok(v) = HeaderValue::from_str(&allow.join(", ")) {
                    r.headers_mut().insert(header::ALLOW, v);
                }
                r
            }
        },
    }
}

/// Step 4: the credential names the tenant; missing or unknown, the API's 401. Credentials
/// are read only where the operation's `security` schemes say (the first that names a
/// tenant wins), so the mock accepts exactly the spellings the contract declares.
fn authenticate(request: &Incoming<'_>, op: &Operation) -> Result<Arc<Tenant>, Box<Response>> {
    let (state, slot) = (request.state, request.slot);
    let Some(tenant) = op
        .presented_credentials(&request.headers, &request.query)
        .filter_map(|(scheme, value)| slot.api.secret(scheme, value))
        .find_map(|secret| state.tenant(slot, &secret))
    else {
        let refusal = slot.api.refusal(Refusal::Unauthenticated);
        return Err(Box::new(vendor_error(
            slot,
            &refusal,
            request.bare_path,
            request.now,
        )));
    };
    Ok(tenant)
}

/// Steps 5 and 6: a request the contract finds broken gets the API's 400 (or its mapping of
/// the violations); a valid one, the API's handler's answer.
fn validate_and_dispatch(
    request: Incoming<'_>,
    matched: Match<'_>,
    tenant: Arc<Tenant>,
) -> Response {
    // Parsed once, for the contract's check and for the handler, into a tree that borrows
    // its strings from the body: a handler that wants a `Value` builds one (`JsonBody`).
    let body = JsonBody::parse(request.body);
    let http_request = HttpRequest {
        method: &request.method,
        path: request.path,
        headers: &request.headers,
        body: body.text(),
    };
    // Authenticated already (step 4): the contract's `security` rule is not checked again.
    let violations = request.contract.validate_authenticated_request(
        &matched,
        &http_request,
        body.doc().map(Parsed::Doc),
        &request.query,
    );
    let (state, slot, now, op) = (request.state, request.slot, request.now, matched.operation);
    let path = request.bare_path;
    let mock_request = MockRequest {
        operation: op.id.clone(),
        method: request.method,
        path: path.to_string(),
        path_params: matched.path_params,
        query: request.query,
        headers: request.headers,
        body,
        tenant,
        now,
        base_url: request.base_url,
        remote: request.remote,
        max_entities: state.max_entities,
    };
    if !violations.is_empty() {
        let error = slot.api.invalid_request(&mock_request, &violations);
        return vendor_error(slot, &error, path, now);
    }
    match guarded(state, slot.api.id(), Some(&op.id), || {
        slot.api.handle(mock_request)
    }) {
        Err(()) => internal_error(slot, path, now),
        Ok(Ok(r)) => to_http(r, slot.self_check),
        Ok(Err(e)) => vendor_error(slot, &e, path, now),
    }
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

/// `http://{host}{prefix}/{api}`, written without the formatter (on every request: issue #24).
fn base_url(host: &str, prefix: &str, api: &str) -> String {
    let mut url = String::with_capacity(
        [8, host.len(), prefix.len(), api.len()]
            .into_iter()
            .fold(0usize, usize::saturating_add),
    );
    for part in ["http://", host, prefix, "/", api] {
        url.push_str(part);
    }
    url
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
    fn base_urls() {
        assert_eq!(
            base_url("127.0.0.1:9", "/ns/a", "peach"),
            "http://127.0.0.1:9/ns/a/peach"
        );
        assert_eq!(base_url("h", "", "verified"), "http://h/verified");
    }

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
