//! Listening and serving: an in-process [`MockServer`] for tests, and [`serve`] for
//! `vouch mock serve`. The accept loop is hyper's, so an injected `connection_reset` fault can
//! drop a connection without answering.

use super::api::{Credential, SharedApi};
use super::header_clock::HeaderClock;
use super::pipeline::{self, AbortConnection};
use super::state::MockState;
use super::{admin, namespaces, panics, request_body};
use crate::contract::{ContractSet, Violation};
use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use futures::FutureExt;
use http::StatusCode;
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

/// How to run the mock.
#[derive(Clone)]
pub struct MockConfig {
    /// Where to listen; port 0 picks a free one. Default: `127.0.0.1:0`.
    pub addr: SocketAddr,
    /// Validate every response the mock sends against the contract and keep the findings
    /// (`MockServer::violations`, `GET /__admin/violations`).
    pub self_check: bool,
    /// Credentials accepted besides each API's defaults, as `(api, credential)`.
    pub credentials: Vec<(String, Credential)>,
    /// The API mocks to serve, each under `/<id>`. Default: every registered API.
    pub apis: Vec<SharedApi>,
    /// The contracts to route and validate by; `None` for the embedded ones.
    pub contracts: Option<Arc<ContractSet>>,
    /// How many entities of one kind (1-Clicks, verifications, sessions, ...) each tenant may
    /// hold; over it the oldest expired or finished go first, else the vendor's 429 or a
    /// documented error. Default [`DEFAULT_MAX_ENTITIES`](super::DEFAULT_MAX_ENTITIES).
    pub max_entities: usize,
    /// How many requests the journal keeps (a ring). Default
    /// [`DEFAULT_JOURNAL_SIZE`](super::DEFAULT_JOURNAL_SIZE).
    pub journal_size: usize,
    /// A wait before each API answer (fixed or uniform in a range); `None` answers at once.
    pub latency: Option<super::Latency>,
    /// How many namespaces (`/__ns/<name>/...`, isolated copies of the mock) it keeps at once;
    /// past it the least recently used goes. Default
    /// [`DEFAULT_MAX_NAMESPACES`](super::DEFAULT_MAX_NAMESPACES).
    pub max_namespaces: usize,
    /// How long a connection may take to send a complete request header (its first request,
    /// and each next one on a kept-alive HTTP/1 connection); past it the connection is closed,
    /// so a client that connects and sends nothing holds no task. Default
    /// [`DEFAULT_HEADER_TIMEOUT`].
    pub header_timeout: Duration,
}

/// [`MockConfig::header_timeout`]'s default: longer than HTTP clients keep an idle pooled
/// connection (reqwest/hyper-util 90 s), since the same timeout runs on an idle kept-alive
/// connection; at hyper's own 30 s a client reusing a pooled connection could find it closed
/// under it (a test suite's run that waits out a `Retry-After` does exactly that).
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(120);

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            self_check: true,
            credentials: Vec::new(),
            apis: super::all_apis(),
            contracts: None,
            max_entities: super::DEFAULT_MAX_ENTITIES,
            journal_size: super::DEFAULT_JOURNAL_SIZE,
            latency: None,
            max_namespaces: super::DEFAULT_MAX_NAMESPACES,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
        }
    }
}

/// A running mock; stops when dropped.
pub struct MockServer {
    addr: SocketAddr,
    state: Arc<MockState>,
    stop: watch::Sender<bool>,
}

impl MockServer {
    /// Starts every API's mock on an ephemeral loopback port, with self-check on.
    pub async fn start() -> Result<Self, crate::Error> {
        Self::start_with(MockConfig::default()).await
    }

    /// Starts the mock as `config` says. Fails when the contracts do not load or do not fit
    /// the APIs' dispatch tables ([`crate::Error::Contract`]) or the address cannot be bound
    /// ([`crate::Error::Io`]).
    pub async fn start_with(config: MockConfig) -> Result<Self, crate::Error> {
        let (listener, state, header_timeout) = bind(config).await?;
        let addr = listener.local_addr().map_err(|source| crate::Error::Io {
            path: "mock listener".into(),
            error: source,
        })?;
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(run(listener, state.clone(), header_timeout, stopped));
        Ok(Self { addr, state, stop })
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// An API's base URL, e.g. `http://127.0.0.1:PORT/verified`.
    pub fn base_url(&self, api: &str) -> String {
        format!("{}/{api}", self.url())
    }

    /// The running mock's shared state: clock, journal, faults, accepted credentials.
    pub fn state(&self) -> &Arc<MockState> {
        &self.state
    }

    /// Contract violations in the mock's own responses so far.
    pub fn violations(&self) -> Vec<Violation> {
        self.state.violations()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// The listener, the state, and how long a connection may take to send its header.
type Bound = (TcpListener, Arc<MockState>, Duration);

async fn bind(config: MockConfig) -> Result<Bound, crate::Error> {
    let contracts = match config.contracts {
        Some(c) => c,
        None => Arc::new(ContractSet::embedded()?),
    };
    let state = MockState::new(
        contracts,
        config.apis,
        &config.credentials,
        config.self_check,
    )
    .map_err(|e| crate::Error::Contract {
        origin: "mock".into(),
        message: e.to_string(),
    })?
    .limited(
        config.max_entities,
        config.journal_size,
        config.latency,
        config.max_namespaces,
    );
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|source| crate::Error::Io {
            path: format!("listen on {}", config.addr),
            error: source,
        })?;
    Ok((listener, Arc::new(state), config.header_timeout))
}

/// Serves until `shutdown` completes (e.g. Ctrl-C). Calls `started` with the bound address and
/// the state once listening (to print URLs and credentials).
pub async fn serve(
    config: MockConfig,
    started: impl FnOnce(SocketAddr, &MockState),
    shutdown: impl Future<Output = ()>,
) -> Result<(), crate::Error> {
    let (listener, state, header_timeout) = bind(config).await?;
    let addr = listener.local_addr().map_err(|source| crate::Error::Io {
        path: "mock listener".into(),
        error: source,
    })?;
    started(addr, &state);
    let (stop, stopped) = watch::channel(false);
    let server = tokio::spawn(run(listener, state, header_timeout, stopped));
    shutdown.await;
    let _ = stop.send(true);
    let _ = server.await;
    Ok(())
}

fn router(state: Arc<MockState>) -> Router {
    async fn fallback(
        State(state): State<Arc<MockState>>,
        request: Request,
    ) -> axum::response::Response {
        let remote = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        pipeline::handle(&state, request, remote).await
    }
    admin::routes().fallback(fallback).with_state(state)
}

/// The state and router a request is for: a namespace's for `/__ns/<name>/...` (the prefix
/// taken off the request's URI), else (`None`) the root's. The error (a bad or impossible
/// namespace) is answered 400.
fn namespaced<B>(
    root: &Arc<MockState>,
    request: &mut hyper::Request<B>,
) -> Result<Option<(Arc<MockState>, Router)>, super::NamespaceError> {
    if !request.uri().path().starts_with(namespaces::PREFIX) {
        return Ok(None);
    }
    let whole = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or_default();
    let Some((name, rest)) = namespaces::split(whole) else {
        return Ok(None);
    };
    let (state, app) = root
        .namespaces
        .get(name, |prefix| root.namespace(prefix), router)?;
    let rest = if rest.starts_with('/') {
        rest.to_string()
    } else {
        format!("/{rest}")
    };
    let mut parts = request.uri().clone().into_parts();
    parts.path_and_query = Some(rest.parse().map_err(|_| super::NamespaceError::BadPath)?);
    *request.uri_mut() = http::Uri::from_parts(parts).map_err(|_| super::NamespaceError::BadUri)?;
    Ok(Some((state, app)))
}

/// A request to the admin API (`/__admin/...`), through axum's router.
///
/// Its JSON bodies have the pipeline's limit, read as the APIs' are: a larger declared one is
/// refused before it is read, a chunked one at the limit, and the rest drained beside the 413.
/// `path` is the request's, for the panic guard's finding.
async fn admin_request(
    state: &MockState,
    app: &Router,
    request: Request,
    remote: SocketAddr,
    path: &str,
) -> axum::response::Response {
    let Ok(mut request) = request_body::read_request(request).await else {
        return super::answer::plain_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request body: larger than 1 MiB",
        );
    };
    // Only the router's fallback reads it; an API request gets the address as an argument, no
    // extension map (issue #24).
    request.extensions_mut().insert(ConnectInfo(remote));
    let answer = app
        .clone()
        .oneshot(request)
        .map(|r| r.unwrap_or_else(|e| match e {}));
    panics::catch_all(state, path, answer).await
}

#[derive(Debug)]
struct Aborted;

impl std::fmt::Display for Aborted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Aborted {}

async fn run(
    listener: TcpListener,
    state: Arc<MockState>,
    header_timeout: Duration,
    mut stopped: watch::Receiver<bool>,
) {
    let app = router(state.clone());
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors and the like: keep serving the connections we have.
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    continue;
                }
            },
            _ = stopped.changed() => return,
        };
        let _ = stream.set_nodelay(true);
        // The root's state and router, shared within the connection: a request clones this
        // connection's `Arc`, not the server-wide ones both worker threads would contend on
        // (issue #24). Beside them the connection's header timeout clock, told by each request
        // when its header is complete and when its answer is ready.
        let root = Arc::new((state.clone(), app.clone(), HeaderClock::new()));
        let watched = root.clone();
        let mut stop = stopped.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(
                move |mut request: hyper::Request<hyper::body::Incoming>| {
                    let found = namespaced(&root.0, &mut request);
                    let root = root.clone();
                    async move {
                        let _serving = root.2.header_complete(request.version());
                        let found = match found {
                            Ok(found) => found,
                            Err(refused) => {
                                return Ok(super::answer::plain_error(
                                    StatusCode::BAD_REQUEST,
                                    &refused.to_string(),
                                ));
                            }
                        };
                        let (state, app) =
                            found.as_ref().map_or((&root.0, &root.1), |f| (&f.0, &f.1));
                        // The URI's bytes are shared with the request (no copy), for the
                        // panic guard's finding.
                        let uri = request.uri().clone();
                        let admin = uri.path().starts_with("/__admin");
                        let request = request.map(axum::body::Body::new);
                        let response = if admin {
                            // Boxed: inline, the admin API's futures (the body's read, axum's
                            // router) were part of every API request's future, moved into the
                            // connection's with each request (issue #24).
                            Box::pin(admin_request(state, app, request, remote, uri.path())).await
                        } else {
                            // Every other path is the router's fallback: the pipeline, called
                            // directly (issue #24: the router's matching and service layers
                            // were a share of each API request's time).
                            let answer = pipeline::handle(state, request, Some(remote));
                            panics::catch_all(state, uri.path(), answer).await
                        };
                        if response.extensions().get::<AbortConnection>().is_some() {
                            Err(Aborted)
                        } else {
                            Ok(response)
                        }
                    }
                },
            );
            // No hyper timer: the header timeout is `HeaderClock`'s (one timer per connection,
            // not one per request), and runs from the start, while the auto builder is still
            // reading the bytes that tell HTTP/1 from HTTP/2.
            let builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stop.changed() => {}
                _ = watched.2.expired(header_timeout) => {}
            }
        });
    }
}
