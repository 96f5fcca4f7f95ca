//! The mock clock. Every timestamp and expiry in every mocked API reads it, so a scenario can
//! test a 5-minute rule by advancing it (`POST /__admin/clock/advance`) instead of waiting.
//! It runs with the system clock, plus however far it has been advanced.

use chrono::{DateTime, SecondsFormat, Utc};
use std::sync::atomic::{AtomicI64, Ordering};

/// A point in mock time, in milliseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub i64);

impl Instant {
    /// Milliseconds since the Unix epoch (negative before 1970).
    pub fn epoch_millis(self) -> i64 {
        self.0
    }

    /// RFC 3339 in UTC with milliseconds, e.g. `2026-11-21T23:24:31.123Z`. An instant past
    /// what RFC 3339's four-digit year can write saturates at [`LATEST`] (or [`EARLIEST`]):
    /// a Peach type with a huge `recentPastSecs` puts `nextVerificationOkAt` there, and
    /// `+17871-04-21T...` (or chrono's fallback, the epoch: a false date) is no date-time.
    pub fn rfc3339(self) -> String {
        Instant(self.0.clamp(EARLIEST.0, LATEST.0))
            .datetime()
            .to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    /// The instant as a chrono UTC date-time; the Unix epoch if it is out of chrono's range.
    pub fn datetime(self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.0).unwrap_or_default()
    }

    /// The instant `seconds` later (earlier when negative), saturating at the ends of `i64`
    /// milliseconds.
    pub fn plus_seconds(self, seconds: i64) -> Self {
        Self(self.0.saturating_add(seconds.saturating_mul(1000)))
    }

    /// Whole seconds from `self` until `later`, rounded up; 0 when `later` is not after `self`.
    pub fn seconds_until(self, later: Instant) -> i64 {
        later.0.saturating_sub(self.0).max(0).saturating_add(999) / 1000
    }

    /// Parses an RFC 3339 date-time.
    pub fn parse_rfc3339(text: &str) -> Option<Self> {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|d| Self(d.timestamp_millis()))
    }
}

/// The latest time the clock may show: the last millisecond RFC 3339 can write
/// (`9999-12-31T23:59:59.999Z`), so every timestamp the mock answers stays a valid date-time.
pub const LATEST: Instant = Instant(253_402_300_799_999);

/// The earliest instant RFC 3339 writes: `0001-01-01T00:00:00.000Z` (year 0 aside).
pub const EARLIEST: Instant = Instant(-62_135_596_800_000);

/// The shared clock: system time plus an offset that only grows until reset.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// The mock time now: the system time plus how far the clock has been advanced.
    pub fn now(&self) -> Instant {
        Instant(system_millis().saturating_add(self.offset_ms.load(Ordering::Relaxed)))
    }

    /// Moves the clock forward by `seconds`, unless that would take it past [`LATEST`]: then
    /// it stays where it is, and the error says how far it may still go.
    pub fn advance(&self, seconds: u64) -> Result<(), super::ClockError> {
        let system = system_millis();
        let advanced = |offset: i64| {
            i64::try_from(seconds)
                .ok()
                .and_then(|s| s.checked_mul(1000))
                .and_then(|ms| offset.checked_add(ms))
                .filter(|offset| system.checked_add(*offset).is_some_and(|t| t <= LATEST.0))
        };
        self.offset_ms
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, advanced)
            .map(|_| ())
            .map_err(|offset| {
                let now = Instant(system.saturating_add(offset));
                super::ClockError {
                    seconds,
                    now: now.rfc3339(),
                    left: LATEST.0.saturating_sub(now.0) / 1000,
                    latest: LATEST.rfc3339(),
                }
            })
    }

    /// Back to system time.
    pub fn reset(&self) {
        self.offset_ms.store(0, Ordering::Relaxed);
    }
}

/// The system clock in milliseconds since the epoch, read without a calendar date (chrono's
/// `Utc::now` works out the day and year on every call, and the mock asks on every request:
/// issue #24). A clock set before 1970 reads as the epoch.
fn system_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_and_reset_returns() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance(300).unwrap();
        let after = clock.now();
        assert!(after.0 - before.0 >= 300_000, "{before:?} {after:?}");
        clock.reset();
        assert!(clock.now().0 - before.0 < 300_000);
    }

    #[test]
    fn an_advance_past_the_latest_date_is_refused_and_moves_nothing() {
        let clock = Clock::default();
        clock.advance(60).unwrap();
        let before = clock.now();
        for seconds in [u64::MAX, i64::MAX as u64, 300_000_000_000] {
            let refused = clock.advance(seconds).unwrap_err().to_string();
            assert!(refused.contains("out of range"), "{refused}");
            assert!(refused.contains("9999-12-31T23:59:59.999Z"), "{refused}");
        }
        let after = clock.now();
        assert!(after.0 - before.0 < 60_000, "{before:?} {after:?}");
        assert!(after.rfc3339().starts_with("20"), "{}", after.rfc3339());
        // up to the latest date is fine
        let left = (LATEST.0 - clock.now().0) / 1000 - 3600;
        clock.advance(left as u64).unwrap();
        assert!(
            clock.now().rfc3339().starts_with("9999-12-31T"),
            "{:?}",
            clock.now()
        );
    }

    #[test]
    fn seconds_until_rounds_up() {
        let t = Instant(1_000);
        assert_eq!(t.seconds_until(Instant(1_000)), 0);
        assert_eq!(t.seconds_until(Instant(1_001)), 1);
        assert_eq!(t.seconds_until(Instant(61_000)), 60);
        assert_eq!(t.seconds_until(Instant(0)), 0);
        assert_eq!(
            Instant(i64::MIN).seconds_until(Instant(i64::MAX)),
            i64::MAX / 1000
        );
    }

    #[test]
    fn rfc3339_round_trip() {
        let t = Instant(1_700_000_000_123);
        assert_eq!(t.rfc3339(), "2023-11-14T22:13:20.123Z");
        assert_eq!(Instant::parse_rfc3339(&t.rfc3339()), Some(t));
        assert_eq!(t.plus_seconds(1).0, 1_700_000_001_123);
    }

    #[test]
    fn rfc3339_saturates_at_the_years_it_can_write() {
        // recentPastSecs 500000000000 and 9000000000000 (Schemathesis, ST_SEED=2).
        for seconds in [500_000_000_000, 9_000_000_000_000, i64::MAX] {
            let later = Instant(1_700_000_000_000).plus_seconds(seconds);
            assert_eq!(later.rfc3339(), "9999-12-31T23:59:59.999Z");
        }
        assert_eq!(LATEST.rfc3339(), "9999-12-31T23:59:59.999Z");
        assert_eq!(Instant(i64::MIN).rfc3339(), "0001-01-01T00:00:00.000Z");
        assert_eq!(Instant::parse_rfc3339(&EARLIEST.rfc3339()), Some(EARLIEST));
    }
}
