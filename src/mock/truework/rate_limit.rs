//! The per-token rate limit behind § Errors "429 Get Credentials Session Request Too Many
//! Requests Error". Truework documents the status but not the limit; vouch's choice
//! (contracts/NOTES.md § Truework, Mock behaviour): a sliding window of 60 seconds on the mock
//! clock, 30 requests for an ordinary token and 1 for the seeded rate-limited token. Every
//! request that gets past authentication and the permission check counts, whatever its answer;
//! refused (429) requests do not. A 429 carries `Retry-After`: the whole seconds until the
//! oldest counted request leaves the window.

use super::super::clock::Instant;
use std::collections::VecDeque;

/// The window, in seconds.
pub(super) const WINDOW_SECS: i64 = 60;
/// Requests an ordinary token may make per window.
pub(super) const ORDINARY_LIMIT: usize = 30;
/// Requests the rate-limited token may make per window.
pub(super) const RATE_LIMITED_LIMIT: usize = 1;

/// One token's recent requests, oldest first.
#[derive(Debug, Default)]
pub(super) struct RateLimit {
    recent: VecDeque<Instant>,
}

impl RateLimit {
    /// Counts a request at `now` if `limit` allows it; otherwise the seconds to wait.
    pub(super) fn admit(&mut self, now: Instant, limit: usize) -> Result<(), u64> {
        let window_start = now.plus_seconds(-WINDOW_SECS);
        while self.recent.front().is_some_and(|t| *t <= window_start) {
            self.recent.pop_front();
        }
        if self.recent.len() < limit {
            self.recent.push_back(now);
            return Ok(());
        }
        // The request that must leave the window before one more fits.
        let free_at = self
            .recent
            .len()
            .checked_sub(limit)
            .and_then(|i| self.recent.get(i))
            .map_or(now, |leaving| leaving.plus_seconds(WINDOW_SECS));
        Err(u64::try_from(now.seconds_until(free_at))
            .unwrap_or(1)
            .max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_request_a_minute() {
        let mut limit = RateLimit::default();
        let t0 = Instant(1_000_000);
        assert_eq!(limit.admit(t0, 1), Ok(()));
        assert_eq!(limit.admit(t0, 1), Err(60));
        assert_eq!(limit.admit(t0.plus_seconds(59), 1), Err(1));
        // Refused requests do not count: exactly 60 s after the first, one more fits.
        assert_eq!(limit.admit(t0.plus_seconds(60), 1), Ok(()));
        assert_eq!(limit.admit(t0.plus_seconds(61), 1), Err(59));
    }

    #[test]
    fn retry_after_rounds_up() {
        let mut limit = RateLimit::default();
        let t0 = Instant(5_000);
        assert_eq!(limit.admit(t0, 1), Ok(()));
        assert_eq!(limit.admit(Instant(5_001), 1), Err(60));
        assert_eq!(limit.admit(Instant(64_999), 1), Err(1));
    }

    #[test]
    fn a_larger_limit_waits_for_the_right_request() {
        let mut limit = RateLimit::default();
        let t0 = Instant(0);
        for s in 0..3 {
            assert_eq!(limit.admit(t0.plus_seconds(s * 10), 3), Ok(()));
        }
        // Full at t=30: the request at t=0 leaves at t=60.
        assert_eq!(limit.admit(t0.plus_seconds(30), 3), Err(30));
        assert_eq!(limit.admit(t0.plus_seconds(60), 3), Ok(()));
        // Now t=10, t=20, t=60 are in the window; t=10 leaves at t=70.
        assert_eq!(limit.admit(t0.plus_seconds(61), 3), Err(9));
    }
}
