//! The neutral exchange layer: what was sent, what came back, and how it is shown. Steps,
//! the fuzzer, the proxy and the targets all speak these types, and the report is built from
//! them, so every component shows a request the same way:
//!
//! - [`SentRequest`] and [`Exchange`]: a request as sent and its answer;
//! - [`Outcome`] and [`check`]: an exchange checked against its contract;
//! - [`curl`]: the one curl renderer (single-quoted, credentials as `$VOUCH_…`);
//! - [`record`]: an exchange as the report keeps it, secrets masked.
//!
//! It depends on the contracts and on [`crate::redact`] only.

mod check;
pub mod curl;
pub mod record;

pub use check::check;
pub use record::{ExchangeRecord, Header, ViolationRecord};

use crate::contract::Violation;
use bytes::Bytes;
use http::HeaderMap;
use std::time::Duration;

/// A request as a step, a fuzz case or a replay built it.
#[derive(Debug, Clone)]
pub struct SentRequest {
    /// The HTTP method.
    pub method: http::Method,
    /// The whole URL, query included.
    pub url: String,
    /// Header names (lower case) and values, in the order sent.
    pub headers: Vec<(String, String)>,
    /// The body, empty for none.
    pub body: Vec<u8>,
}

/// A request and what came back.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The request as sent.
    pub request: SentRequest,
    /// The response status.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The response body.
    pub body: Bytes,
    /// From sending to the last byte of the body.
    pub elapsed: Duration,
}

/// What a request came to, checked against the contract.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// A response came.
    Answered {
        /// The request and its response.
        exchange: Exchange,
        /// The operation the request matched, if any.
        operation: Option<String>,
        /// How the request broke its contract.
        request_violations: Vec<Violation>,
        /// How the response broke its contract.
        response_violations: Vec<Violation>,
    },
    /// No response: the connection failed (e.g. an injected `connection_reset`).
    NoResponse {
        /// The request that got no answer.
        request: SentRequest,
        /// The transport error, without secrets.
        error: String,
    },
}

impl Outcome {
    /// An answer that no contract governs (a page the mock serves outside the API).
    pub fn unchecked(
        answer: Result<Exchange, impl std::fmt::Display>,
        request: SentRequest,
    ) -> Self {
        match answer {
            Ok(exchange) => Outcome::Answered {
                exchange,
                operation: None,
                request_violations: Vec::new(),
                response_violations: Vec::new(),
            },
            Err(error) => Outcome::NoResponse {
                request,
                error: error.to_string(),
            },
        }
    }

    /// The request, answered or not.
    pub fn request(&self) -> &SentRequest {
        match self {
            Outcome::Answered { exchange, .. } => &exchange.request,
            Outcome::NoResponse { request, .. } => request,
        }
    }
}
