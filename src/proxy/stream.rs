//! Streaming a response through: the client gets each chunk as it arrives while a copy is kept
//! and validated once complete ([`Pending`] records it then).

use super::*;
use crate::contract::HttpResponse;
use bytes::Bytes;
use http::HeaderMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// An exchange whose response is still on its way to the client.
pub(super) struct Pending {
    pub(super) shared: Arc<Shared>,
    pub(super) exchange: ProxyExchange,
    pub(super) started: Instant,
    /// The rewrite applied to the JSON body on its way (its pointers are listed in
    /// [`ProxyExchange::rewritten`] once the body is complete).
    pub(super) rewrite: Option<super::rewrite::Rewrite>,
}

impl Pending {
    /// Validates the whole response (unless `truncated` or broken off), then records, prints and
    /// keeps the exchange.
    pub(super) fn finish(mut self, body: Bytes, truncated: bool, error: Option<String>) {
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
        if let Some(rewrite) = &self.rewrite
            && !truncated
            && let Ok(body) = serde_json::from_slice(&e.response_body)
        {
            e.rewritten.extend(rewrite.pointers(&body));
        }
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
        rewritten: Vec::new(),
    }
}

/// The upstream's body on its way to the client, kept (up to [`MAX_BODY`]) to validate when it
/// is complete: at its declared `content-length` (before the last chunk is passed on, so the
/// exchange is on record when the client has it all), or at its end.
pub(super) struct Tee {
    pub(super) inner: futures::stream::BoxStream<'static, reqwest::Result<Bytes>>,
    pub(super) buf: Vec<u8>,
    pub(super) truncated: bool,
    pub(super) expected: Option<u64>,
    pub(super) seen: u64,
    pub(super) pending: Option<Pending>,
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

/// Why a forward failed, in words that carry no URL query or header. Here, below `forward`,
/// which names it too: the body stream reports a failed read in the same words.
pub(super) fn describe(e: &reqwest::Error) -> String {
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
