//! The header timeout of one connection ([`MockConfig::header_timeout`]): a connection that
//! has not sent a complete request header within the timeout (its first request, and on a
//! kept-alive HTTP/1 connection each next one, counted from the last answer) is closed.
//!
//! hyper has this timer itself (`header_read_timeout`), but it arms a new one for every
//! request: a boxed sleep put into tokio's timer wheel when hyper starts reading a header and
//! taken out when the header is complete, about 2 000 instructions per request, a twentieth of
//! a POST's whole cost (issue #24, callgrind). This clock arms one timer per connection: each
//! request only writes one number (busy, or the time its answer was ready), and the
//! connection's watchdog reads it when its sleep ends, every `timeout` or less, and either
//! sleeps on to the deadline that number gives or, past it, ends (the connection is then
//! dropped, as hyper drops it: closed without an answer).
//!
//! [`MockConfig::header_timeout`]: super::MockConfig::header_timeout

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
// tokio's clock (std's when not paused), so that the tests can run it under a paused clock.
use tokio::time::Instant;

/// A request of the connection is being served: no header is awaited.
const BUSY: u64 = u64::MAX;
/// The connection speaks HTTP/2: hyper's HTTP/1 timer never ran on it after its first
/// header, and this one does not either (HTTP/2 has its own keep-alive pings).
const OFF: u64 = u64::MAX - 1;

/// One connection's clock: since when it has been waiting for a header.
#[derive(Debug)]
pub(super) struct HeaderClock {
    opened: Instant,
    /// Microseconds from `opened` to the moment the connection last went idle (its last
    /// answer ready), or [`BUSY`], or [`OFF`].
    idle_since: AtomicU64,
}

impl HeaderClock {
    /// A clock for a connection accepted now: its first header is awaited from now.
    pub(super) fn new() -> Self {
        Self {
            opened: Instant::now(),
            idle_since: AtomicU64::new(0),
        }
    }

    /// A complete header came in (the service is called): until the answer is ready (the
    /// returned guard dropped) no header is awaited. An HTTP/2 request stops the clock for
    /// good: its streams are served side by side, and HTTP/1's timeout is not HTTP/2's.
    pub(super) fn header_complete(&self, version: http::Version) -> Option<Serving<'_>> {
        if version == http::Version::HTTP_2 {
            self.idle_since.store(OFF, Ordering::Relaxed);
            return None;
        }
        self.idle_since.store(BUSY, Ordering::Relaxed);
        Some(Serving(self))
    }

    /// Ends when the connection has waited `timeout` for a header; never, once HTTP/2.
    pub(super) async fn expired(&self, timeout: Duration) {
        let sleep = tokio::time::sleep(timeout);
        tokio::pin!(sleep);
        loop {
            (&mut sleep).await;
            let now = Instant::now();
            let deadline = match self.idle_since.load(Ordering::Relaxed) {
                OFF => None,
                // Its answer is not ready yet: look again once a whole timeout has passed;
                // by then the answer's time gives the deadline.
                BUSY => now.checked_add(timeout),
                since => self
                    .opened
                    .checked_add(Duration::from_micros(since))
                    .and_then(|idle| idle.checked_add(timeout)),
            };
            // A deadline past what the clock can count never comes either.
            let Some(deadline) = deadline else {
                return std::future::pending().await;
            };
            if deadline <= now {
                return;
            }
            sleep.as_mut().reset(deadline);
        }
    }
}

/// A request being served; dropped when its answer is ready (or the request is abandoned),
/// which restarts the clock.
pub(super) struct Serving<'a>(&'a HeaderClock);

impl Drop for Serving<'_> {
    fn drop(&mut self) {
        let since = self.0.opened.elapsed();
        // Whole microseconds, below BUSY and OFF for half a million years.
        let micros = since
            .as_secs()
            .saturating_mul(1_000_000)
            .saturating_add(u64::from(since.subsec_micros()))
            .min(OFF - 1);
        self.0.idle_since.store(micros, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The watchdog under a paused clock: when it ends, counted from what the requests did.
    async fn ends_after(clock: &HeaderClock, timeout: Duration) -> Duration {
        let started = tokio::time::Instant::now();
        clock.expired(timeout).await;
        started.elapsed()
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_connection_expires_after_the_timeout() {
        let clock = HeaderClock::new();
        let waited = ends_after(&clock, Duration::from_secs(5)).await;
        assert!(waited >= Duration::from_secs(5), "{waited:?}");
        assert!(waited < Duration::from_secs(6), "{waited:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_answer_does_not_count_and_the_next_header_is_awaited_from_it() {
        let clock = HeaderClock::new();
        let timeout = Duration::from_secs(5);
        let serving = clock.header_complete(http::Version::HTTP_11);
        assert!(serving.is_some());
        let watchdog = ends_after(&clock, timeout);
        let answer = async {
            // The answer takes three and a half timeouts: the watchdog must not end meanwhile.
            tokio::time::sleep(timeout * 7 / 2).await;
            drop(serving);
        };
        let (waited, ()) = tokio::join!(watchdog, answer);
        // Ready at 17.5 s, then 5 s without a header: the connection ends at 22.5 s, not at
        // its look at 20 s, nor at the one after (25 s).
        let expected = timeout * 9 / 2;
        assert!(waited >= expected, "{waited:?}");
        assert!(waited < expected + Duration::from_millis(100), "{waited:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn an_http2_connection_never_expires() {
        let clock = HeaderClock::new();
        assert!(clock.header_complete(http::Version::HTTP_2).is_none());
        let ended = tokio::time::timeout(
            Duration::from_secs(3600),
            clock.expired(Duration::from_secs(1)),
        )
        .await;
        assert!(ended.is_err(), "the watchdog ended on an HTTP/2 connection");
    }
}
