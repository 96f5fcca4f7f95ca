//! The HTTP client every step sends through: bounded concurrency, timeouts, and (on a
//! sandbox) `429 Retry-After` honoured a bounded number of times.

use super::TargetError;
use crate::exchange::{Exchange, SentRequest};
use http::HeaderMap;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// The client: reqwest with rustls, no redirects followed, bounded concurrency.
pub struct HttpClient {
    inner: reqwest::Client,
    permits: Semaphore,
    concurrency: usize,
    retries_on_429: u32,
}

/// The longest `Retry-After` vouch waits for before giving up on a 429.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

impl HttpClient {
    /// At most `concurrency` requests in flight; no retries.
    pub fn new(concurrency: usize) -> Self {
        let inner = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client with rustls and no proxies builds");
        Self {
            inner,
            permits: Semaphore::new(concurrency.max(1)),
            concurrency: concurrency.max(1),
            retries_on_429: 0,
        }
    }

    /// How many requests it lets through at once.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// Retries a 429 that carries `Retry-After` (seconds) up to `times` times.
    pub fn with_retries_on_429(mut self, times: u32) -> Self {
        self.retries_on_429 = times;
        self
    }

    /// Sends the request. `Err` is a transport failure (refused, reset, timed out), described
    /// without the request's secrets.
    pub async fn send(&self, request: &SentRequest) -> Result<Exchange, TargetError> {
        // The semaphore is never closed: a closed one would be a defect of this client.
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| TargetError::Transport {
                kind: "the client was shut down",
                detail: None,
            })?;
        let started = Instant::now();
        let mut attempt = 0;
        loop {
            let mut builder = self.inner.request(request.method.clone(), &request.url);
            for (k, v) in &request.headers {
                builder = builder.header(k, v);
            }
            if !request.body.is_empty() {
                builder = builder.body(request.body.clone());
            }
            let response = builder.send().await.map_err(describe)?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(describe)?;
            if status == 429
                && attempt < self.retries_on_429
                && let Some(wait) = retry_after(&headers).filter(|w| *w <= MAX_RETRY_AFTER)
            {
                attempt += 1;
                tokio::time::sleep(wait).await;
                continue;
            }
            return Ok(Exchange {
                request: request.clone(),
                status,
                headers,
                body,
                elapsed: started.elapsed(),
            });
        }
    }
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// A transport error in one line, without the URL's query (which may hold a secret).
fn describe(e: reqwest::Error) -> TargetError {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the response body broke off"
    } else {
        "the connection failed"
    };
    let mut source = std::error::Error::source(&e);
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    TargetError::Transport {
        kind,
        detail: (!detail.is_empty()).then_some(detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", "3".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
        h.insert(
            "retry-after",
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), None);
    }
}
