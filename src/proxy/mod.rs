//! A validating proxy: sits between any client (an SDK's own test suite, in any language) and
//! an upstream (a vendor's sandbox or vouch's mock), forwards every exchange unchanged and
//! checks the request and the response against the API's contract.
//!
//! Several APIs share one listener, each under its own prefix like the mock (`/verified/...`
//! goes to the `verified` upstream with the prefix removed). What the proxy saw is kept as
//! [`ProxyExchange`]s ([`Proxy::exchanges`]), turned into a run report by the report module (`report::proxy_run`),
//! and, with a recording directory, saved one JSON file per exchange ([`record`]).
//!
//! Response bodies are streamed through as they arrive (a copy is validated once complete);
//! request bodies are read whole first, to be validated before they are forwarded.
//!
//! The upstream's absolute URLs in answers (headers, JSON string values) are rewritten to the
//! proxy's own address in what is forwarded, unless [`ProxyConfig::rewrite`] is off; the
//! contract checks the answer as the upstream gave it (`src/proxy/rewrite.rs`).
//!
//! The proxy answers by itself only when the upstream fails: 502 when it is down or answers
//! something that is not HTTP, 504 when it is slower than the timeout, each with a JSON body
//! `{"error": "...", "message": "...", "api": "..."}`; and 404 for a prefix it does not proxy.

mod forward;
pub mod record;
mod rewrite;
mod stream;

use forward::handle;

use crate::contract::{ContractSet, Violation};
use axum::Router;
use bytes::Bytes;
use http::HeaderMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// The largest body the proxy holds to validate: a larger request is refused with 413, a
/// larger response is passed on but not validated.
pub const MAX_BODY: usize = 32 * 1024 * 1024;
/// How to run the proxy.
#[derive(Debug, Clone)]
pub struct ProxyConfig {
    /// Where the proxy listens; port 0 picks a free one. Default: `127.0.0.1:0`.
    pub listen: SocketAddr,
    /// `(api, upstream base URL)`: requests under `/<api>` go to that base URL.
    pub upstreams: Vec<(String, String)>,
    /// How long to wait for an upstream's whole answer before a 504 (default 30 s; the
    /// connect timeout is this, at most 10 s).
    pub timeout: Duration,
    /// Save each exchange as a JSON file in this directory.
    pub record: Option<PathBuf>,
    /// Keep secrets and PII in recordings (off by default; the console and the report are
    /// always redacted).
    pub record_secrets: bool,
    /// Rewrite the upstream's absolute URLs in answers to the proxy's own address (default
    /// on; `--no-rewrite` turns it off): see the `rewrite` module.
    pub rewrite: bool,
}

impl Default for ProxyConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            upstreams: Vec::new(),
            timeout: Duration::from_secs(30),
            record: None,
            record_secrets: false,
            rewrite: true,
        }
    }
}

/// What the proxy saw of one exchange. Headers and bodies are the raw ones (secrets
/// included): redact before showing or writing (`report::proxy_run` and [`record`] do).
#[derive(Debug, Clone)]
pub struct ProxyExchange {
    /// 1, 2, ... in the order exchanges completed (for streamed responses, when the body
    /// ended), which may differ from the order requests arrived in.
    pub seq: u64,
    /// The API id: the URL prefix the request came under.
    pub api: String,
    /// The `operationId` the request matched; `None` when it matched none (see
    /// `undocumented`).
    pub operation: Option<String>,
    /// The HTTP method.
    pub method: http::Method,
    /// Relative to the API's base URL, with the query string.
    pub path: String,
    /// The request headers as the client sent them (hop-by-hop ones included; they are not
    /// forwarded).
    pub request_headers: HeaderMap,
    /// The request body as the client sent it; empty for none.
    pub request_body: Bytes,
    /// The status the client got (502/504 when the upstream failed).
    pub status: u16,
    /// The upstream's response headers, or the proxy's own when it answered itself.
    pub response_headers: HeaderMap,
    /// The response body as passed on, or the proxy's own JSON error body; incomplete when
    /// the body was larger than [`MAX_BODY`] (it is then not validated).
    pub response_body: Bytes,
    /// Why the exchange did not complete normally: the upstream gave no usable answer (then
    /// the proxy answered 502/504 itself), its body broke off, or the client went away before
    /// the whole body was passed on. `None` when it completed.
    pub upstream_error: Option<String>,
    /// No documented operation for this path and method (still forwarded).
    pub undocumented: bool,
    /// Request and response violations together (tell them apart by
    /// [`Violation::direction`]); the response is not checked when the request matched no
    /// operation, `upstream_error` is set, or the body was over [`MAX_BODY`].
    pub violations: Vec<Violation>,
    /// From the request's arrival at the proxy to the end of the response body.
    pub elapsed: Duration,
    /// Where the answer forwarded to the client differs from the upstream's (kept in
    /// `response_headers`/`response_body` and validated as it came): the upstream's URL
    /// rewritten to the proxy's, as `/headers/<name>` and `/body/<JSON pointer>`. Empty
    /// when nothing was rewritten (or with rewriting off).
    pub rewritten: Vec<String>,
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
    /// Where the proxy listens (its own address when a request names no `Host`).
    addr: SocketAddr,
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
                error: source,
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
                    error: source,
                })?;
        let addr = listener.local_addr().map_err(|source| crate::Error::Io {
            path: "proxy listener".into(),
            error: source,
        })?;
        let shared = Arc::new(Shared {
            addr,
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

    /// Every completed exchange so far, by [`seq`](ProxyExchange::seq): the order they
    /// completed in.
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

#[cfg(test)]
mod tests {
    use super::forward::is_hop_by_hop;
    use http::{HeaderMap, HeaderName};

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
