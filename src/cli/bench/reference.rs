//! The bare axum server `vouch bench` measures the mock against (issue #24): the benchmarked
//! routes, each answering the status and body the mock gave to the same request, fixed. No
//! state, no credentials, no contract, no journal: what this machine, tokio, hyper and axum do
//! for these requests, on the same runtime as the mock and driven by the same load generator,
//! so that the mock's figures can be read as a share of it (the same on a laptop and on a CI
//! runner). It is served as `axum::serve` serves, with `TCP_NODELAY` as the mock sets it.

use axum::Router;
use axum::http::{StatusCode, header};
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use bytes::Bytes;
use std::net::SocketAddr;

/// A fixed answer: the status and body the mock gave to one request of a case.
#[derive(Debug, Clone)]
pub(super) struct Fixed {
    pub status: u16,
    pub body: Bytes,
}

impl Fixed {
    fn answer(&self) -> (StatusCode, [(header::HeaderName, &'static str); 1], Bytes) {
        (
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK),
            [(header::CONTENT_TYPE, "application/json")],
            self.body.clone(),
        )
    }
}

/// The running reference; dropping it stops accepting connections.
pub(super) struct Reference {
    pub addr: SocketAddr,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Reference {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Starts the reference on the current runtime: Verified `GET /credentials/{id}` answers
/// `read`, `POST /hasMatchingCredentials` answers `write` (under `/verified`, as the mock
/// serves them). The write's body is read whole, as any server must before it answers.
pub(super) async fn start(read: Fixed, write: Fixed) -> anyhow::Result<Reference> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let listener = listener.tap_io(|stream| {
        let _ = stream.set_nodelay(true);
    });
    let app = Router::new()
        .route(
            "/verified/credentials/{id}",
            get(move || {
                let read = read.clone();
                async move { read.answer() }
            }),
        )
        .route(
            "/verified/hasMatchingCredentials",
            post(move |_body: Bytes| {
                let write = write.clone();
                async move { write.answer() }
            }),
        );
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(Reference { addr, server })
}
