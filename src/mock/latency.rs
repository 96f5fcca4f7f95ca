//! `vouch mock serve --latency`: every API answer waits a fixed time or a time drawn uniformly
//! from a range, so what a remote sandbox's round trips cost (and what `vouch run --jobs`
//! saves) can be measured against the mock. The admin API is never slowed.

use super::LatencyError;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// The longest latency the mock accepts (as for an injected fault's `delay_ms`).
pub const MAX_LATENCY: Duration = Duration::from_secs(60);

/// How long the mock waits before answering each API request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Latency {
    min: Duration,
    max: Duration,
}

impl Latency {
    /// Always `delay` (at most [`MAX_LATENCY`]).
    pub fn fixed(delay: Duration) -> Result<Self, LatencyError> {
        Self::uniform(delay, delay)
    }

    /// Uniformly between `min` and `max`, both included (`min <= max <= MAX_LATENCY`).
    pub fn uniform(min: Duration, max: Duration) -> Result<Self, LatencyError> {
        if min > max {
            return Err(LatencyError::Backwards { min, max });
        }
        if max > MAX_LATENCY {
            return Err(LatencyError::TooLong {
                max,
                limit: MAX_LATENCY,
            });
        }
        Ok(Self { min, max })
    }

    /// The shortest wait.
    pub fn min(&self) -> Duration {
        self.min
    }

    /// The longest wait.
    pub fn max(&self) -> Duration {
        self.max
    }

    /// One request's wait.
    pub fn sample(&self) -> Duration {
        use rand_core::RngCore;
        let span = self.max.saturating_sub(self.min).as_micros();
        let span = u64::try_from(span).unwrap_or(u64::MAX);
        if span == 0 {
            return self.min;
        }
        let offset = rand_core::OsRng
            .next_u64()
            .checked_rem(span.saturating_add(1))
            .unwrap_or(0);
        self.min.saturating_add(Duration::from_micros(offset))
    }
}

fn millis(d: Duration) -> String {
    format!("{}ms", d.as_millis())
}

/// `200ms`, `1s`, `1500us`: a whole number and a unit.
fn parse_duration(text: &str) -> Result<Duration, LatencyError> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| LatencyError::NoUnit(text.into()))?;
    let (number, unit) = text.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| LatencyError::NotANumber(text.into()))?;
    match unit {
        "ms" => Ok(Duration::from_millis(n)),
        "s" => Ok(Duration::from_secs(n)),
        "us" | "µs" => Ok(Duration::from_micros(n)),
        _ => Err(LatencyError::BadUnit {
            text: text.into(),
            unit: unit.into(),
        }),
    }
}

impl FromStr for Latency {
    type Err = LatencyError;

    /// `200ms` (fixed) or `100ms..300ms` (uniform).
    fn from_str(text: &str) -> Result<Self, LatencyError> {
        match text.split_once("..") {
            Some((min, max)) => Self::uniform(parse_duration(min)?, parse_duration(max)?),
            None => Self::fixed(parse_duration(text)?),
        }
    }
}

impl fmt::Display for Latency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.min == self.max {
            f.write_str(&millis(self.min))
        } else {
            write!(f, "{}..{}", millis(self.min), millis(self.max))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_and_ranges_parse() {
        let fixed: Latency = "200ms".parse().unwrap();
        assert_eq!(fixed.sample(), Duration::from_millis(200));
        assert_eq!(fixed.to_string(), "200ms");
        let range: Latency = "100ms..300ms".parse().unwrap();
        assert_eq!(range.to_string(), "100ms..300ms");
        for _ in 0..200 {
            let d = range.sample();
            assert!(
                (Duration::from_millis(100)..=Duration::from_millis(300)).contains(&d),
                "{d:?}"
            );
        }
        assert_eq!(
            "1s".parse::<Latency>().unwrap().max(),
            Duration::from_secs(1)
        );
    }

    #[test]
    fn bad_latencies_are_explained() {
        for (text, says) in [
            ("200", "no unit"),
            ("ms", "whole number"),
            ("200 minutes", "not ms, s or us"),
            ("300ms..100ms", "starts after it ends"),
            ("61s", "longer than"),
            ("1ms..2", "no unit"),
        ] {
            let e = text.parse::<Latency>().unwrap_err().to_string();
            assert!(e.contains(says), "{text}: {e}");
        }
    }
}
