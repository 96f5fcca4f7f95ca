//! Fuzz at the limit (issue #24 point 3): per API, `vouch fuzz`'s run (every check, shrinking
//! on, operations four at a time) against the embedded mock, its cases per second, and the
//! fuzz engine's own share of the run.
//!
//! The share is measured where it costs least: the engine adds up the time each case spends
//! inside its send (the HTTP client included) and each operation's thread spends in all
//! (`FuzzReport::waiting`, `FuzzReport::busy`, two clock reads per case); the rest of the
//! threads' time is generation, checks, shrinking and bookkeeping. On a machine with fewer
//! cores than threads (mock, client, engine) a thread that waits also waits for a core, so
//! the share is a floor of the engine's cost, not an exact CPU split.

use anyhow::Context;
use serde::Serialize;
use std::sync::Arc;
use vouch::mock::MockConfig;

/// One API's fuzz figures.
#[derive(Debug, Clone, Serialize)]
pub(super) struct FuzzRate {
    pub api: String,
    /// Cases sent (replays and link sequences included, shrinking steps not).
    pub cases: u64,
    pub seconds: f64,
    pub cases_per_s: f64,
    /// The engine's own time over its threads' time (0–1): `(busy - waiting) / busy`.
    pub engine_share: f64,
    pub waiting_s: f64,
    pub busy_s: f64,
    /// Checks that failed: counted so a reader knows the run shrank failures (shrinking
    /// costs time that the cases/s figure does not count as cases).
    pub failures: usize,
}

/// Fuzzes each API in turn with `cases` cases per operation and kind, on `runtime`.
pub(super) fn per_api(
    runtime: &tokio::runtime::Runtime,
    cases: u32,
) -> anyhow::Result<Vec<FuzzRate>> {
    runtime.block_on(async {
        let contracts = Arc::new(vouch::contract::ContractSet::embedded()?);
        let target = Arc::new(
            vouch::targets::MockTarget::start_with(MockConfig {
                self_check: false,
                contracts: Some(contracts.clone()),
                ..MockConfig::default()
            })
            .await?,
        );
        let apis: Vec<String> = contracts.iter().map(|c| c.api.clone()).collect();
        let mut rates = Vec::new();
        for api in apis {
            let options = vouch::fuzz::FuzzOptions {
                apis: vec![api.clone()],
                cases,
                seed: Some(1),
                ..Default::default()
            };
            let report = vouch::fuzz::fuzz(contracts.clone(), target.clone(), options, None)
                .await
                .with_context(|| format!("fuzzing {api}"))?;
            let busy = report.busy.as_secs_f64();
            let waiting = report.waiting.as_secs_f64();
            let seconds = report.elapsed.as_secs_f64();
            rates.push(FuzzRate {
                api,
                cases: report.cases,
                seconds,
                cases_per_s: report.cases as f64 / seconds.max(1e-6),
                engine_share: if busy > 0.0 {
                    (busy - waiting) / busy
                } else {
                    0.0
                },
                waiting_s: waiting,
                busy_s: busy,
                failures: report.failures.len(),
            });
        }
        Ok(rates)
    })
}
