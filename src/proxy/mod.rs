//! A validating proxy: sits between any client (an SDK's own test suite, in any language) and
//! an upstream (a vendor's sandbox or vouch's mock), forwards every exchange unchanged and
//! checks the request and the response against the API's contract.
//!
//! Several APIs share one listener, each under its own prefix like the mock (`/verified/...`
//! goes to the `verified` upstream with the prefix removed). What the proxy saw is kept as
//! [`ProxyExchange`]s ([`Proxy::exchanges`]), turned into a run report by [`crate::report::proxy_run::build`],
//! and, with a recording directory, saved one JSON file per exchange ([`record`]).
//!
//! Response bodies are streamed through as they arrive (a copy is validated once complete);
//! request bodies are read whole first, to be validated before they are forwarded.
//!
//! The proxy answers by itself only when the upstream fails: 502 when it is down or answers
//! something that is not HTTP, 504 when it is slower than the timeout, each with a JSON body
//! `{"error": "...", "message": "...", "api": "..."}`; and 404 for a prefix it does not proxy.

pub mod record;

use crate::contract::{ContractSet, HttpRequest, HttpResponse, Violation};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, StatusCode};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::watch;

/// The largest body the proxy holds to validate: a larger request is refused with 413, a
/// larger response is passed on but not validated.
pub const MAX_BODY: usize = 32 * 1024 * 1024;

/// Headers that belong to one connection and are not forwarded (RFC 9110 § 7.6.1), plus
/// `host` and `content-length`, which the forwarding client sets itself.
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
];

fn is_hop_by_hop(name: &HeaderName, connection: &HeaderMap) -> bool {
    if HOP_BY_HOP.contains(&name.as_str()) {
        return true;
    }
    // Headers the `Connection` header names are hop-by-hop too.
    connection
        .get_all(http::header::CONNECTION)
        .iter()
        .any(|v| {
            v.to_str()
                .unwrap_or_default()
                .split(',')
                .any(|n| n.trim().eq_ignore_ascii_case(name.as_str()))
        })
}

/// How to run the proxy.
#[derive(Debug, Clone)]
pub struct ProxyConfig {
    pub listen: SocketAddr,
    /// `(api, upstream base URL)`: requests under `/<api>` go to that base URL.
    pub upstreams: Vec<(String, String)>,
    /// How long to wait for an upstream's whole answer before a 504.
    pub timeout: Duration,
    /// Save each exchange as a JSON file in this directory.
    pub record: Option<PathBuf>,
    /// Keep secrets and PII in recordings (off by default; the console and the report are
    /// always redacted).
    pub record_secrets: bool,
}

impl Default for ProxyConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            upstreams: Vec::new(),
            timeout: Duration::from_secs(30),
            record: None,
            record_secrets: false,
        }
    }
}

/// What the proxy saw of one exchange. Headers and bodies are the raw ones (secrets
/// included): redact before showing or writing ([`crate::report::proxy_run::build`] and [`record`] do).
#[derive(Debug, Clone)]
pub struct ProxyExchange {
    /// 1, 2, ... in arrival order.
    pub seq: u64,
    pub api: String,
    pub operation: Option<String>,
    pub method: http::Method,
    /// Relative to the API's base URL, with the query string.
    pub path: String,
    pub request_headers: HeaderMap,
    pub request_body: Bytes,
    /// The status the client got (502/504 when the upstream failed).
    pub status: u16,
    pub response_headers: HeaderMap,
    pub response_body: Bytes,
    /// Why the upstream gave no usable answer (then the proxy answered itself).
    pub upstream_error: Option<String>,
    /// No documented operation for this path and method (still forwarded).
    pub undocumented: bool,
    pub violations: Vec<Violation>,
    pub elapsed: Duration,
}

impl ProxyExchange {
    /// One line for a terminal: no header, body or query value (they may hold secrets).
    pub fn summary(&self) -> String {
        let path = self.path.split('?').next().unwrap_or_default();
        let what = match (&self.upstream_error, &self.operation) {
            (Some(e), _) => format!("upstream failed: {e}"),
            (None, Some(op)) => op.clone(),
            (None, None) => "undocumented".into(),
        };
        format!(
            "#{} {} {} /{}{} -> {} ({what}, {} violation(s))",
            self.seq,
            self.api,
            self.method,
            self.api,
            path,
            self.status,
            self.violations.len()
        )
    }
}

/// Called for each exchange as it completes (to print it).
pub type OnExchange = Arc<dyn Fn(&ProxyExchange) + Send + Sync>;

struct Shared {
    contracts: Arc<ContractSet>,
    config: ProxyConfig,
    client: reqwest::Client,
    exchanges: Mutex<Vec<ProxyExchange>>,
    errors: Mutex<Vec<String>>,
    seq: std::sync::atomic::AtomicU64,
    on_exchange: Option<OnExchange>,
}

/// A running proxy; stops when dropped.
pub struct Proxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    server: Option<tokio::task::JoinHandle<()>>,
}

impl Proxy {
    /// Binds and starts serving. Every API named in `config.upstreams` must have a contract.
    pub async fn start(
        contracts: Arc<ContractSet>,
        config: ProxyConfig,
        on_exchange: Option<OnExchange>,
    ) -> Result<Self, crate::Error> {
        for (api, _) in &config.upstreams {
            contracts.get(api)?;
        }
        if let Some(dir) = &config.record {
            std::fs::create_dir_all(dir).map_err(|source| crate::Error::Io {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| crate::Error::Contract {
                origin: "proxy".into(),
                message: format!("building the HTTP client: {e}"),
            })?;
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| crate::Error::Io {
                    path: format!("listen on {}", config.listen),
                    source,
                })?;
        let addr = listener.local_addr().map_err(|source| crate::Error::Io {
            path: "proxy listener".into(),
            source,
        })?;
        let shared = Arc::new(Shared {
            contracts,
            config,
            client,
            exchanges: Mutex::new(Vec::new()),
            errors: Mutex::new(Vec::new()),
            seq: std::sync::atomic::AtomicU64::new(0),
            on_exchange,
        });
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let (stop, mut stopped) = watch::channel(false);
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.changed().await;
                })
                .await;
        });
        Ok(Self {
            addr,
            shared,
            stop,
            server: Some(server),
        })
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Where a client should send an API's requests: `http://127.0.0.1:PORT/<api>`.
    pub fn base_url(&self, api: &str) -> String {
        format!("{}/{api}", self.url())
    }

    /// Every exchange so far, in arrival order.
    pub fn exchanges(&self) -> Vec<ProxyExchange> {
        let mut list = self
            .shared
            .exchanges
            .lock()
            .map(|l| l.clone())
            .unwrap_or_default();
        list.sort_by_key(|e| e.seq);
        list
    }

    /// Problems of the proxy itself (unknown prefixes, recordings it could not write).
    pub fn errors(&self) -> Vec<String> {
        self.shared
            .errors
            .lock()
            .map(|l| l.clone())
            .unwrap_or_default()
    }

    /// Stops accepting, lets in-flight exchanges finish (up to the timeout), and returns.
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(server) = self.server.take() {
            let _ = tokio::time::timeout(self.shared.config.timeout, server).await;
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// A JSON answer of the proxy itself.
fn own_answer(status: StatusCode, error: &str, message: &str, api: &str) -> Response {
    let body = serde_json::json!({
        "error": error,
        "message": message,
        "api": api,
        "source": "vouch proxy",
    });
    Response::builder()
        .status(status)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap_or_default()
}

/// Why a forward failed, in words that carry no URL query or header.
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "the answer's body could not be read"
    } else {
        "the answer was not valid HTTP"
    };
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    let mut detail = None;
    while let Some(s) = source {
        detail = Some(s.to_string());
        source = s.source();
    }
    match detail {
        Some(d) => format!("{kind} ({d})"),
        None => kind.to_string(),
    }
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    let full = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let (prefix, rest) = crate::redact::url::split_api_prefix(&full);
    let Some((api, upstream)) = shared
        .config
        .upstreams
        .iter()
        .find(|(api, _)| api == prefix)
        .cloned()
    else {
        let known: Vec<&str> = shared
            .config
            .upstreams
            .iter()
            .map(|(a, _)| a.as_str())
            .collect();
        let message = format!(
            "no API is proxied under `/{prefix}` (proxied: {})",
            known.join(", ")
        );
        if let Ok(mut errors) = shared.errors.lock() {
            errors.push(format!("{} {}: {message}", parts.method, parts.uri.path()));
        }
        return own_answer(StatusCode::NOT_FOUND, "unknown_api", &message, prefix);
    };
    let path = if rest.is_empty() || rest.starts_with('?') {
        format!("/{rest}")
    } else {
        rest.to_string()
    };
    let request_body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return own_answer(
                StatusCode::PAYLOAD_TOO_LARGE,
                "request_too_large",
                "the request body is larger than the proxy buffers",
                &api,
            );
        }
    };
    let contracts = shared.contracts.clone();
    let contract = match contracts.get(&api) {
        Ok(c) => c,
        Err(e) => {
            return own_answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                "no_contract",
                &e.to_string(),
                &api,
            );
        }
    };
    let check = contract.check_request(&HttpRequest {
        method: &parts.method,
        path: &path,
        headers: &parts.headers,
        body: &request_body,
    });
    let violations = check.violations;
    let operation = check.matched.as_ref().ok().map(|m| m.operation);

    // Forward: same method, path, query, headers (but hop-by-hop) and body.
    let url = format!("{}{}", upstream.trim_end_matches('/'), path);
    let mut forward = shared.client.request(parts.method.clone(), &url);
    for (name, value) in &parts.headers {
        if !is_hop_by_hop(name, &parts.headers) {
            forward = forward.header(name, value);
        }
    }
    if !request_body.is_empty() {
        forward = forward.body(request_body.clone());
    }
    let undocumented = check.matched.is_err();
    let (exchange_api, method, request_headers) =
        (api.clone(), parts.method.clone(), parts.headers.clone());
    // What is known of the exchange before the answer; the answer's status and headers (or the
    // upstream's failure) complete it.
    let exchange = move |status: StatusCode,
                         response_headers: HeaderMap,
                         upstream_error: Option<String>| ProxyExchange {
        seq: 0,
        api: exchange_api,
        operation: operation.map(|o| o.id.clone()),
        method,
        path,
        request_headers,
        request_body,
        status: status.as_u16(),
        response_headers,
        response_body: Bytes::new(),
        upstream_error,
        undocumented,
        violations,
        elapsed: Duration::ZERO,
    };
    let response = match forward.send().await {
        Ok(r) => r,
        Err(e) => {
            let (status, error) = if e.is_timeout() {
                (StatusCode::GATEWAY_TIMEOUT, "upstream_timeout")
            } else {
                (StatusCode::BAD_GATEWAY, "upstream_failed")
            };
            let message = if e.is_timeout() {
                format!(
                    "the upstream did not answer within {} ms",
                    shared.config.timeout.as_millis()
                )
            } else {
                format!("the upstream gave no usable answer: {}", describe(&e))
            };
            let body = serde_json::json!({
                "error": error,
                "message": message,
                "api": api,
                "source": "vouch proxy",
            })
            .to_string();
            let mut headers = HeaderMap::new();
            headers.insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/json"),
            );
            let pending = Pending {
                shared: shared.clone(),
                exchange: exchange(status, headers, Some(describe(&e))),
                started,
            };
            pending.finish(Bytes::from(body.clone()), false, None);
            return own_answer(status, error, &message, &api);
        }
    };
    let status = response.status();
    let response_headers = response.headers().clone();
    let pending = Pending {
        shared: shared.clone(),
        exchange: exchange(status, response_headers.clone(), None),
        started,
    };

    // Pass the answer back unchanged (but hop-by-hop headers; `content-length` is kept so the
    // client sees the upstream's framing).
    let mut builder = Response::builder().status(status);
    for (name, value) in &response_headers {
        if name == http::header::CONTENT_LENGTH || !is_hop_by_hop(name, &response_headers) {
            builder = builder.header(name, value);
        }
    }
    let expected = response_headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let bodiless = parts.method == http::Method::HEAD
        || status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED
        || expected == Some(0);
    let body = if bodiless {
        // Nothing to stream: complete the exchange before answering, so it is on record by the
        // time the client has its answer.
        let (body, error) = match response.bytes().await {
            Ok(b) => (b, None),
            Err(e) => (Bytes::new(), Some(describe(&e))),
        };
        pending.finish(body.clone(), false, error);
        Body::from(body)
    } else {
        // Streamed through as it arrives, and kept to validate once complete.
        Body::from_stream(Tee {
            inner: Box::pin(futures::stream::unfold(Some(response), |r| async move {
                let mut r = r?;
                match r.chunk().await {
                    Ok(Some(chunk)) => Some((Ok(chunk), Some(r))),
                    Ok(None) => None,
                    // One error ends the stream.
                    Err(e) => Some((Err(e), None)),
                }
            })),
            buf: Vec::new(),
            truncated: false,
            expected,
            seen: 0,
            pending: Some(pending),
        })
    };
    builder.body(body).unwrap_or_else(|_| {
        own_answer(
            StatusCode::BAD_GATEWAY,
            "upstream_failed",
            "the upstream's answer could not be passed on",
            &api,
        )
    })
}

/// An exchange whose response is still on its way to the client.
struct Pending {
    shared: Arc<Shared>,
    exchange: ProxyExchange,
    started: Instant,
}

impl Pending {
    /// Validates the whole response (unless `truncated` or broken off), then records, prints and
    /// keeps the exchange.
    fn finish(mut self, body: Bytes, truncated: bool, error: Option<String>) {
        let shared = &self.shared;
        let e = &mut self.exchange;
        e.seq = shared.seq.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        e.elapsed = self.started.elapsed();
        e.response_body = body;
        if e.upstream_error.is_none() {
            e.upstream_error = error;
        }
        let op = shared.contracts.get(&e.api).ok().and_then(|c| {
            let op = c.operation(e.operation.as_deref()?).ok()?;
            Some((c, op))
        });
        if truncated && let Ok(mut errors) = shared.errors.lock() {
            errors.push(format!(
                "exchange #{}: response body larger than {MAX_BODY} bytes, passed on but not validated",
                e.seq
            ));
        }
        if let Some((contract, op)) = op
            && e.upstream_error.is_none()
            && !truncated
        {
            e.violations.extend(contract.validate_response(
                op,
                &HttpResponse {
                    status: e.status,
                    headers: &e.response_headers,
                    body: &e.response_body,
                },
            ));
        }
        if let Some(dir) = &shared.config.record
            && e.upstream_error.is_none()
            && let Err(err) = record::write(dir, e, !shared.config.record_secrets)
            && let Ok(mut errors) = shared.errors.lock()
        {
            errors.push(format!("recording exchange #{}: {err}", e.seq));
        }
        if let Some(on_exchange) = &shared.on_exchange {
            on_exchange(e);
        }
        if let Ok(mut list) = shared.exchanges.lock() {
            list.push(std::mem::replace(e, placeholder()));
        }
    }
}

fn placeholder() -> ProxyExchange {
    ProxyExchange {
        seq: 0,
        api: String::new(),
        operation: None,
        method: http::Method::GET,
        path: String::new(),
        request_headers: HeaderMap::new(),
        request_body: Bytes::new(),
        status: 0,
        response_headers: HeaderMap::new(),
        response_body: Bytes::new(),
        upstream_error: None,
        undocumented: false,
        violations: Vec::new(),
        elapsed: Duration::ZERO,
    }
}

/// The upstream's body on its way to the client, kept (up to [`MAX_BODY`]) to validate when it
/// is complete: at its declared `content-length` (before the last chunk is passed on, so the
/// exchange is on record when the client has it all), or at its end.
struct Tee {
    inner: futures::stream::BoxStream<'static, reqwest::Result<Bytes>>,
    buf: Vec<u8>,
    truncated: bool,
    expected: Option<u64>,
    seen: u64,
    pending: Option<Pending>,
}

impl Tee {
    fn finish(&mut self, error: Option<String>) {
        if let Some(pending) = self.pending.take() {
            let body = Bytes::from(std::mem::take(&mut self.buf));
            pending.finish(body, self.truncated, error);
        }
    }
}

impl futures::Stream for Tee {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = &mut *self;
        match this.inner.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.seen += chunk.len() as u64;
                if this.buf.len() + chunk.len() <= MAX_BODY {
                    this.buf.extend_from_slice(&chunk);
                } else {
                    this.truncated = true;
                }
                if this.expected == Some(this.seen) {
                    this.finish(None);
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(e))) => {
                let reason = describe(&e);
                this.finish(Some(format!("the response body broke off: {reason}")));
                Poll::Ready(Some(Err(std::io::Error::other(reason))))
            }
            Poll::Ready(None) => {
                this.finish(None);
                Poll::Ready(None)
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for Tee {
    fn drop(&mut self) {
        self.finish(Some(
            "the client went away before the whole response was passed on".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hop_by_hop_headers_include_those_connection_names() {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::CONNECTION, "close, x-trace".parse().unwrap());
        assert!(is_hop_by_hop(&HeaderName::from_static("x-trace"), &headers));
        assert!(is_hop_by_hop(&HeaderName::from_static("upgrade"), &headers));
        assert!(!is_hop_by_hop(
            &HeaderName::from_static("authorization"),
            &headers
        ));
    }
}
