//! What one vendor API's mock provides: its credentials, its error shape, and its behaviour.
//!
//! The shared pipeline ([`super::pipeline`]) does everything that is the same for every API:
//! routing by the contract, credentials and tenancy, request validation against the contract,
//! faults, the journal and the self-check. A [`MockApi`] only says how *this* vendor answers.

use super::clock::Instant;
use crate::contract::{SecurityScheme, Violation};
use http::{HeaderMap, Method, StatusCode};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Whose data a request may see: each accepted credential belongs to exactly one tenant (a
/// Verified brand, a Trusona account, ...). A foreign tenant's ids answer as unknown ids do.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tenant {
    /// The tenant's name (a Verified brand, a Trusona account, a Peach company): the API keeps
    /// each tenant's state under it, so credentials with the same name see the same data.
    pub name: String,
    /// Capabilities a vendor rule depends on, e.g. Truework `reseller` or `no-permission`.
    pub flags: BTreeSet<String>,
    /// Settings the vendor keeps for the tenant outside the API (a Verified brand's Dashboard:
    /// `redirect-url`, `brand-name`); which names an API takes is
    /// [`MockApi::tenant_settings`].
    pub settings: BTreeMap<String, String>,
}

impl Tenant {
    /// A tenant without flags.
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_string(),
            flags: BTreeSet::new(),
            settings: BTreeMap::new(),
        }
    }

    /// The tenant with one more setting (`name` as [`MockApi::tenant_settings`] lists it).
    pub fn with_setting(mut self, name: &str, value: &str) -> Self {
        self.settings.insert(name.to_string(), value.to_string());
        self
    }

    /// A setting's value, if the tenant has it.
    pub fn setting(&self, name: &str) -> Option<&str> {
        self.settings.get(name).map(String::as_str)
    }

    /// The tenant with one more capability flag.
    pub fn with_flag(mut self, flag: &str) -> Self {
        self.flags.insert(flag.to_string());
        self
    }

    /// Whether the tenant has this capability flag.
    pub fn has(&self, flag: &str) -> bool {
        self.flags.contains(flag)
    }
}

/// A secret the mock accepts and the tenant it stands for.
#[derive(Debug, Clone)]
pub struct Credential {
    /// The token or API key, exactly as [`MockApi::secret`] reads it from a request (for a
    /// bearer token, without `Bearer `).
    pub secret: String,
    /// The tenant whose data a request with this secret sees.
    pub tenant: Tenant,
}

/// A validated request, as a [`MockApi`] handler sees it.
#[derive(Debug, Clone)]
pub struct MockRequest {
    /// The operation's `operationId`.
    pub operation: String,
    /// The HTTP method.
    pub method: Method,
    /// The path below the API's prefix, e.g. `/verification-types/VT-AB12-CD34`.
    pub path: String,
    /// The values of the path template's `{name}` segments, by name, percent-decoded.
    pub path_params: BTreeMap<String, String>,
    /// The query parameters, percent-decoded (`+` as a space); a repeated name keeps its last
    /// value.
    pub query: BTreeMap<String, String>,
    /// The request headers, as received.
    pub headers: HeaderMap,
    /// The JSON body ([`super::JsonBody::json`] is `None` when the body is empty or not JSON).
    pub body: super::JsonBody,
    /// The tenant the presented credential belongs to (shared with the accepted credential's:
    /// no copy per request).
    pub tenant: std::sync::Arc<Tenant>,
    /// The mock clock's time when the request arrived.
    pub now: Instant,
    /// This API's base URL as the client reached it, e.g. `http://127.0.0.1:8080/peach`.
    pub base_url: String,
    /// The client's address.
    pub remote: Option<std::net::SocketAddr>,
    /// How many entities of one kind the tenant may hold
    /// ([`MockConfig::max_entities`](super::MockConfig::max_entities)).
    pub max_entities: usize,
}

impl MockRequest {
    /// The JSON body's members (empty when there is no body or it is not an object).
    pub fn body_object(&self) -> serde_json::Map<String, Value> {
        self.body
            .json()
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    }
}

/// What a handler answers.
#[derive(Debug, Clone)]
pub struct MockResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// Headers to send; `content-type: application/json` is added when there is a body.
    pub headers: HeaderMap,
    /// The JSON body; `None` sends an empty body.
    pub body: Option<Value>,
    /// A server-rendered page sent instead of `body` (`text/html`): the user's side of a flow
    /// when a browser asks for it (`src/mock/html.rs`).
    pub html: Option<String>,
    /// A JSON body already written ([`json_written`](Self::json_written)), sent instead of
    /// `body`.
    pub written: Option<bytes::Bytes>,
}

impl MockResponse {
    /// A JSON response.
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status: status_code(status),
            headers: HeaderMap::new(),
            body: Some(body),
            html: None,
            written: None,
        }
    }

    /// A JSON response written at once from a typed view of the data: an answer on a hot
    /// path skips building a JSON tree only to write it (issue #24). A view that cannot be
    /// written (never, for the mock's own) answers an empty object.
    pub fn json_written(status: u16, body: &impl serde::Serialize) -> Self {
        let out = json_body(body).unwrap_or_else(|| bytes::Bytes::from_static(b"{}"));
        Self {
            status: status_code(status),
            headers: HeaderMap::new(),
            body: None,
            html: None,
            written: Some(out),
        }
    }

    /// A JSON body its handler wrote itself: a hot path's few bytes, written without serde
    /// (issue #24); the handler's tests check them against serde_json's writing.
    pub(crate) fn json_text(status: u16, body: Vec<u8>) -> Self {
        Self {
            status: status_code(status),
            headers: HeaderMap::new(),
            body: None,
            html: None,
            written: Some(bytes::Bytes::from(body)),
        }
    }

    /// A server-rendered HTML page (`text/html; charset=utf-8`).
    pub fn html(status: u16, page: String) -> Self {
        Self {
            status: status_code(status),
            headers: HeaderMap::new(),
            body: None,
            html: Some(page),
            written: None,
        }
    }

    /// A response without a body (204, 302).
    pub fn empty(status: u16) -> Self {
        Self {
            status: status_code(status),
            headers: HeaderMap::new(),
            body: None,
            html: None,
            written: None,
        }
    }

    /// Adds a header (ignored if the name or value is not valid HTTP).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let (Ok(n), Ok(v)) = (
            http::HeaderName::try_from(name),
            http::HeaderValue::try_from(value),
        ) {
            self.headers.insert(n, v);
        }
        self
    }
}

fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// An error a mock answers, before it is put in the vendor's error shape.
#[derive(Debug, Clone)]
pub struct MockError {
    /// The HTTP status to answer (400, 404, 429, ...).
    pub status: u16,
    /// The human-readable message, placed where the vendor's error body carries one.
    pub message: String,
    /// The vendor's own error code, where it has them (Verified `OCE011`).
    pub code: Option<String>,
    /// Members specific to the vendor's error body (Truework `invalid_fields`, Verified
    /// `additionalInputs`, Peach `nextVerificationOkAt`).
    pub details: BTreeMap<String, Value>,
}

impl MockError {
    /// An error with this status and message, no vendor code and no details.
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            code: None,
            details: BTreeMap::new(),
        }
    }

    /// The error with the vendor's own error code (Verified `OCE011`).
    pub fn code(mut self, code: &str) -> Self {
        self.code = Some(code.to_string());
        self
    }

    /// The error with one more vendor-specific member (see [`details`](Self::details)); a
    /// key given twice keeps the last value.
    pub fn detail(mut self, key: &str, value: Value) -> Self {
        self.details.insert(key.to_string(), value);
        self
    }
}

/// Where an error happened, for vendors whose error bodies say (Trusona's `path`, `timestamp`).
#[derive(Debug, Clone, Copy)]
pub struct ErrorContext<'a> {
    /// The request path below the API's prefix.
    pub path: &'a str,
    /// The mock clock's time when the request arrived.
    pub now: Instant,
}

/// Why the pipeline refuses a request before the handler sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No or unknown credentials (401).
    Unauthenticated,
    /// No documented path (404).
    UnknownPath,
    /// A documented path, another method (405).
    WrongMethod,
    /// Body over 1 MiB (413).
    TooLarge,
}

/// One vendor API's mock behaviour. Implementations keep their state per [`Tenant`] behind
/// their own locks, held only inside a call, never across an `.await`.
pub trait MockApi: Send + Sync + 'static {
    /// The API id, matching `contracts/<id>.yaml` and the URL prefix `/<id>`.
    fn id(&self) -> &'static str;

    /// Credentials that are always accepted: the first is the documented default test
    /// credential, the second a second tenant (for isolation tests).
    fn default_credentials(&self) -> Vec<Credential>;

    /// The secret a credential stands for, given the contract's security scheme it was
    /// presented under and its value there ([`crate::contract::presented`]: a header's value,
    /// a bearer token without `Bearer `); `None` refuses it. The mock reads credentials only
    /// where the operation's `security` says, so the spellings it accepts are the contract's
    /// (issue #26, point 1); this hook only normalises a value (default: as presented).
    /// It is borrowed from the request where the request holds it as it is; a hook that
    /// changes it returns its own (issue #24: no copy of the key per request).
    fn secret<'v>(
        &self,
        _scheme: &SecurityScheme,
        presented: Cow<'v, str>,
    ) -> Option<Cow<'v, str>> {
        Some(presented)
    }

    /// The settings a tenant of this API may carry ([`Tenant::settings`]), each with what it
    /// means; any other name is refused (`--credential`, `POST /__admin/tenants`).
    fn tenant_settings(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }

    /// The seeded test users and codes, one line each, for `vouch mock serve`'s banner: the
    /// vendor's documented test values the mock answers to. SSNs and birth dates are named,
    /// never printed (README § Point your app at the mock has them).
    fn test_users(&self) -> &'static [&'static str] {
        &[]
    }

    /// The vendor's error body and status for an error.
    fn error_response(&self, error: &MockError, at: &ErrorContext<'_>) -> MockResponse;

    /// The error for a request the pipeline refuses before routing or authentication.
    fn refusal(&self, refusal: Refusal) -> MockError {
        match refusal {
            Refusal::Unauthenticated => MockError::new(401, "Missing or invalid credentials"),
            Refusal::UnknownPath => MockError::new(404, "No such resource"),
            Refusal::WrongMethod => MockError::new(405, "Method not allowed"),
            Refusal::TooLarge => MockError::new(413, "Request body is larger than 1 MiB"),
        }
    }

    /// An answer in front of the API, after the credential names the tenant and before the
    /// request is validated (e.g. a vendor's firewall, which blocks a request whatever its
    /// body). `None` lets the request through; the answer is sent as it is, not in
    /// [`error_response`](Self::error_response)'s shape.
    fn screen(&self, _headers: &HeaderMap, _tenant: &Tenant) -> Option<MockResponse> {
        None
    }

    /// The error for a request that breaks its contract. The default is a 400 naming the
    /// first violation; an API maps particular violations to its own statuses and codes.
    fn invalid_request(&self, _request: &MockRequest, violations: &[Violation]) -> MockError {
        let first = violations
            .first()
            .map(|v| format!("{}: {}: expected {}", v.pointer, v.rule, v.expected))
            .unwrap_or_default();
        MockError::new(400, format!("Invalid request: {first}"))
    }

    /// The operationIds this mock answers: the keys of its dispatch table
    /// ([`Operations::ids`]). [`MockState::new`](super::MockState::new) refuses the mock unless
    /// they are exactly the operations of its contract, naming the missing and stray ones, so
    /// the pipeline never hands [`handle`](Self::handle) an operation without a handler.
    /// A test double that wraps a shipped API forwards this to it.
    fn operations(&self) -> Vec<&'static str>;

    /// Answers a request that passed routing, authentication and contract validation: looks
    /// the request's operation up in the API's [`Operations`] table and calls its handler.
    fn handle(&self, request: MockRequest) -> Result<MockResponse, MockError>;

    /// Answers a request to a path the contract does not document (wallet or subject pages
    /// the mock serves for the user's side of a flow). `None` means 404.
    fn handle_unrouted(
        &self,
        _request: &UnroutedRequest,
    ) -> Option<Result<MockResponse, MockError>> {
        None
    }

    /// Forgets every tenant's data and reseeds.
    fn reset(&self);
}

/// The usual handler: the tenant's state and the request. Plain `fn` pointers, so a
/// non-capturing closure or a module's function is a row of a table as it stands.
pub type Handler<S> = fn(&mut S, &MockRequest) -> Result<MockResponse, MockError>;

/// A mock's dispatch table: one row per operation, the operationId and its handler, written in
/// the order of the vendor's docs (the rows read like its table of contents).
///
/// `H` is whatever the API's handlers take, usually a [`Handler`]. An API lists the keys in
/// [`MockApi::operations`] and answers through [`Operations::handler`] in [`MockApi::handle`]:
///
/// ```ignore
/// const OPERATIONS: Operations<Handler<Account>> = Operations::new(&[
///     ("getWidget", widgets::get),
///     ("deleteWidget", |account, request| account.delete(request)),
/// ]);
/// ```
#[derive(Debug)]
pub struct Operations<H: 'static> {
    rows: &'static [(&'static str, H)],
}

impl<H: Copy + 'static> Operations<H> {
    /// A table from `(operationId, handler)` rows, in the vendor docs' order.
    pub const fn new(rows: &'static [(&'static str, H)]) -> Self {
        Self { rows }
    }

    /// The operationIds, in table order.
    pub fn ids(&self) -> Vec<&'static str> {
        self.rows.iter().map(|(id, _)| *id).collect()
    }

    /// The handler of an operation, if the table has one (no error built when it has not).
    pub fn get(&self, operation: &str) -> Option<H> {
        self.rows
            .iter()
            .find(|(id, _)| *id == operation)
            .map(|(_, handler)| *handler)
    }

    /// The handler of an operation. [`MockState::new`](super::MockState::new) has checked the
    /// table against the contract, so through the pipeline this always finds one; a direct
    /// caller naming an operation the table lacks gets a 404 naming it.
    pub fn handler(&self, operation: &str) -> Result<H, MockError> {
        self.rows
            .iter()
            .find(|(id, _)| *id == operation)
            .map(|(_, handler)| *handler)
            .ok_or_else(|| MockError::new(404, format!("No operation `{operation}` in this mock")))
    }
}

/// A request to a path the contract does not know, for [`MockApi::handle_unrouted`].
#[derive(Debug, Clone)]
pub struct UnroutedRequest {
    /// The HTTP method.
    pub method: Method,
    /// The path below the API's prefix, without the query string.
    pub path: String,
    /// The query parameters, percent-decoded (`+` as a space); a repeated name keeps its last
    /// value.
    pub query: BTreeMap<String, String>,
    /// The request headers, as received.
    pub headers: HeaderMap,
    /// The raw body (up to 1 MiB); empty when there is none.
    pub body: bytes::Bytes,
    /// The mock clock's time when the request arrived.
    pub now: Instant,
    /// This API's base URL as the client reached it, e.g. `http://127.0.0.1:8080/trusona`.
    pub base_url: String,
    /// The client's address, when known.
    pub remote: Option<std::net::SocketAddr>,
    /// How many entities (or records) of one kind may be kept
    /// ([`MockConfig::max_entities`](super::MockConfig::max_entities)).
    pub max_entities: usize,
}

/// A shared, type-erased API mock.
pub type SharedApi = Arc<dyn MockApi>;

/// `object[key] = member` for a JSON object built with `json!({...})`, without the panic
/// `IndexMut` keeps for a value that is not an object (there, nothing is set).
pub(crate) fn set_member(object: &mut Value, key: &str, member: Value) {
    if let Some(members) = object.as_object_mut() {
        members.insert(key.to_string(), member);
    }
}

/// A header's value as text.
pub(crate) fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// A JSON body, written into this thread's scratch buffer and copied out at its length: one
/// allocation per answer. (`Bytes` from a `Vec` with room to spare allocates a shared header
/// besides, and a buffer sized for the largest answers was most of them: issue #24.) Written
/// as serde_json writes it, its strings copied whole where they need no escape
/// ([`json_writer`](super::json_writer)).
pub(crate) fn json_body(body: &impl serde::Serialize) -> Option<bytes::Bytes> {
    super::json_writer::written(body, |json| bytes::Bytes::from(json.to_vec()))
}
