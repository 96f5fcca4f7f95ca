//! Alternating rounds (issue #24): the same load against each server in turn (vouch, the
//! reference, vouch with `--self-check`, vouch, ...), so that whatever else the machine does
//! during the run falls on all of them alike; each server's figure is the median of its
//! rounds, and vouch's are read as ratios to the reference's, with the lowest and highest
//! ratio of a single turn beside them.

use super::load::{self, Load};
use serde::Serialize;
use std::collections::BTreeMap;
use std::net::SocketAddr;

/// The reference's name in the figures.
pub(super) const REFERENCE: &str = "reference";

/// One server a case drives, and the request it sends there (each mock reads its own
/// credential's id).
pub(super) struct Contender {
    pub name: &'static str,
    pub addr: SocketAddr,
    pub request: Vec<u8>,
}

/// One round's figures.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub(super) struct Round {
    pub requests: u64,
    pub req_per_s: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Answers by status; `no_answer` counts requests whose connection failed.
    #[serde(deserialize_with = "status_keys")]
    pub statuses: BTreeMap<u16, u64>,
    pub no_answer: u64,
}

/// The statuses of a round read back from JSON, whose keys are strings: a flattened round (a
/// soak batch) reaches its map through serde's buffer, which leaves "201" a string.
fn status_keys<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<u16, u64>, D::Error> {
    let text: BTreeMap<String, u64> = serde::Deserialize::deserialize(d)?;
    text.into_iter()
        .map(|(k, n)| k.parse().map(|k| (k, n)).map_err(serde::de::Error::custom))
        .collect()
}

impl From<&Load> for Round {
    fn from(l: &Load) -> Self {
        Self {
            requests: l.requests,
            req_per_s: l.rate(),
            p50_ms: l.quantile_ms(0.5),
            p99_ms: l.quantile_ms(0.99),
            statuses: l.statuses.clone(),
            no_answer: l.classes[0],
        }
    }
}

/// The medians of a server's rounds (each figure on its own).
#[derive(Debug, Clone, Copy, Serialize)]
pub(super) struct Median {
    pub req_per_s: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// One server's rounds of a case.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Measured {
    pub server: &'static str,
    pub median: Median,
    pub rounds: Vec<Round>,
}

/// A server's medians over the reference's: req/s (above 1: faster than the reference),
/// p50 and p99 (above 1: slower).
#[derive(Debug, Clone, Copy, Serialize)]
pub(super) struct Ratio {
    pub server: &'static str,
    pub req_per_s: f64,
    pub p50: f64,
    pub p99: f64,
    /// The lowest and the highest req/s ratio of one round to the reference's round of the
    /// same turn: how far this run's figure may be trusted. On a shared or virtual machine
    /// the spread is often wider than the difference between two builds.
    pub req_per_s_rounds: [f64; 2],
    /// The median of those turn-by-turn ratios: each vouch round is measured beside the
    /// reference round of its own turn, so a machine that slows down between turns moves both
    /// alike; the headline `req_per_s` compares medians taken over the whole run.
    pub req_per_s_turn_median: f64,
}

/// The median of `values` (the mean of the middle two when their number is even).
pub(super) fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn medians(rounds: &[Round]) -> Median {
    let of = |f: fn(&Round) -> f64| median(rounds.iter().map(f).collect());
    Median {
        req_per_s: of(|r| r.req_per_s),
        p50_ms: of(|r| r.p50_ms),
        p99_ms: of(|r| r.p99_ms),
    }
}

/// `rounds` rounds of `requests` requests over `connections` connections, the contenders in
/// turn within each round.
pub(super) async fn alternate(
    contenders: &[Contender],
    requests: u64,
    rounds: u32,
    connections: u16,
) -> Vec<Measured> {
    let mut all: Vec<Vec<Round>> = vec![Vec::new(); contenders.len()];
    for _ in 0..rounds {
        for (c, seen) in contenders.iter().zip(all.iter_mut()) {
            let l = load::run(c.addr, &c.request, requests, connections).await;
            seen.push(Round::from(&l));
        }
    }
    contenders
        .iter()
        .zip(all)
        .map(|(c, rounds)| Measured {
            server: c.name,
            median: medians(&rounds),
            rounds,
        })
        .collect()
}

/// Every server's medians over the reference's (none when the reference is not among them).
pub(super) fn ratios(measured: &[Measured]) -> Vec<Ratio> {
    let Some(base) = measured.iter().find(|m| m.server == REFERENCE) else {
        return Vec::new();
    };
    measured
        .iter()
        .filter(|m| m.server != REFERENCE)
        .map(|m| {
            let turns: Vec<f64> = m
                .rounds
                .iter()
                .zip(&base.rounds)
                .map(|(r, b)| r.req_per_s / b.req_per_s)
                .collect();
            let lowest = turns.iter().copied().fold(f64::NAN, f64::min);
            let highest = turns.iter().copied().fold(f64::NAN, f64::max);
            let turn_median = median(turns);
            Ratio {
                server: m.server,
                req_per_s: m.median.req_per_s / base.median.req_per_s,
                p50: m.median.p50_ms / base.median.p50_ms,
                p99: m.median.p99_ms / base.median.p99_ms,
                req_per_s_rounds: [lowest, highest],
                req_per_s_turn_median: turn_median,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(req_per_s: f64, p50_ms: f64) -> Round {
        Round {
            requests: 10,
            req_per_s,
            p50_ms,
            p99_ms: p50_ms * 2.0,
            statuses: BTreeMap::new(),
            no_answer: 0,
        }
    }

    #[test]
    fn the_median_of_odd_and_even_counts() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(Vec::new()).is_nan());
    }

    #[test]
    fn ratios_are_of_the_medians_to_the_reference() {
        // (req/s, p50) of each round, vouch's and the reference's.
        let measured_of = |vouch: [(f64, f64); 3], reference: [(f64, f64); 3]| {
            [(vouch, "vouch"), (reference, REFERENCE)].map(|(rounds, server)| {
                let rounds: Vec<Round> = rounds.iter().map(|&(r, p)| round(r, p)).collect();
                Measured {
                    server,
                    median: medians(&rounds),
                    rounds,
                }
            })
        };
        let vouch = [(50.0, 2.0), (10.0, 9.0), (60.0, 1.0)];
        let measured = measured_of(vouch, [(100.0, 1.0), (200.0, 0.5), (80.0, 4.0)]);
        let r = ratios(&measured);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].server, "vouch");
        assert_eq!(r[0].req_per_s, 0.5);
        assert_eq!(r[0].p50, 2.0);
        assert_eq!(r[0].p99, 2.0);
        // Round by round: 50/100, 10/200, 60/80.
        assert_eq!(r[0].req_per_s_rounds, [0.05, 0.75]);
        assert_eq!(r[0].req_per_s_turn_median, 0.5);
        assert!(ratios(&measured[..1]).is_empty());
        // A machine slow in the second turn, for both servers: turn by turn vouch is at half
        // the reference twice (50/100, 10/20) and at 0.75 once; the medians (50 over 80) say
        // 0.625, because the slow turn moved the reference's median and not vouch's.
        let drifting = measured_of(vouch, [(100.0, 1.0), (20.0, 0.5), (80.0, 4.0)]);
        let r = ratios(&drifting);
        assert_eq!(r[0].req_per_s, 0.625);
        assert_eq!(r[0].req_per_s_turn_median, 0.5);
    }
}
