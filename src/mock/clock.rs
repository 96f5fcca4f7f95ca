//! The mock clock. Every timestamp and expiry in every mocked API reads it, so a scenario can
//! test a 5-minute rule by advancing it (`POST /__admin/clock/advance`) instead of waiting.
//! It runs with the system clock, plus however far it has been advanced.

use chrono::{DateTime, SecondsFormat, Utc};
use std::sync::atomic::{AtomicI64, Ordering};

/// A point in mock time, in milliseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub i64);

impl Instant {
    pub fn epoch_millis(self) -> i64 {
        self.0
    }

    /// RFC 3339 in UTC with milliseconds, e.g. `2026-11-21T23:24:31.123Z`.
    pub fn rfc3339(self) -> String {
        self.datetime().to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    pub fn datetime(self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.0).unwrap_or_default()
    }

    pub fn plus_seconds(self, seconds: i64) -> Self {
        Self(self.0.saturating_add(seconds.saturating_mul(1000)))
    }

    /// Parses an RFC 3339 date-time.
    pub fn parse_rfc3339(text: &str) -> Option<Self> {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|d| Self(d.timestamp_millis()))
    }
}

/// The shared clock: system time plus an offset that only grows until reset.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    pub fn now(&self) -> Instant {
        Instant(Utc::now().timestamp_millis() + self.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves the clock forward by `seconds`.
    pub fn advance(&self, seconds: u64) {
        let ms = i64::try_from(seconds)
            .unwrap_or(i64::MAX / 2)
            .saturating_mul(1000);
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }

    /// Back to system time.
    pub fn reset(&self) {
        self.offset_ms.store(0, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_and_reset_returns() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance(300);
        let after = clock.now();
        assert!(after.0 - before.0 >= 300_000, "{before:?} {after:?}");
        clock.reset();
        assert!(clock.now().0 - before.0 < 300_000);
    }

    #[test]
    fn rfc3339_round_trip() {
        let t = Instant(1_700_000_000_123);
        assert_eq!(t.rfc3339(), "2023-11-14T22:13:20.123Z");
        assert_eq!(Instant::parse_rfc3339(&t.rfc3339()), Some(t));
        assert_eq!(t.plus_seconds(1).0, 1_700_000_001_123);
    }
}
