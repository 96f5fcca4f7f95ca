//! `vouch bench`: the mock's throughput on this machine, with state, auth, contract
//! validation and the journal on (self-check off, as `vouch mock serve` runs by default).
//! The load is a bounded number of requests over loopback from the same process.

use super::Outcome;
use anyhow::Context;
use std::time::{Duration, Instant};
use vouch::mock::{MockConfig, MockServer};

#[derive(Debug, clap::Args)]
pub(crate) struct BenchArgs {
    /// How many requests to send in all.
    #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    requests: u32,
    /// How many requests in flight at once.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u16).range(1..=1024))]
    concurrency: u16,
}

/// The scenarios measured: a read with auth and query validation, and a write with a
/// validated JSON body that grows the tenant's state.
const CASES: &[(&str, &str, &str, Option<&str>)] = &[
    (
        "peach getVerificationQuestions",
        "GET",
        "/peach/verification-questions",
        None,
    ),
    (
        "peach listVerificationTypes",
        "GET",
        "/peach/verification-types?limit=10",
        None,
    ),
    (
        "peach createVerificationType",
        "POST",
        "/peach/verification-types",
        Some(r#"{"expirationInSecs": 600, "enabledQuestionIds": ["birth-year"]}"#),
    ),
];

pub(crate) fn run(args: &BenchArgs) -> anyhow::Result<Outcome> {
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let server = MockServer::start_with(MockConfig {
            self_check: false,
            ..MockConfig::default()
        })
        .await?;
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(usize::from(args.concurrency))
            .build()?;
        println!(
            "vouch bench: {} requests per case, {} in flight, mock at {}",
            args.requests,
            args.concurrency,
            server.url()
        );
        for (name, method, path, body) in CASES {
            let url = format!("{}{path}", server.url());
            let method: reqwest::Method = method.parse()?;
            let per_worker = args.requests / u32::from(args.concurrency);
            let started = Instant::now();
            let workers = (0..args.concurrency).map(|_| {
                let (client, url, method, body) = (
                    client.clone(),
                    url.clone(),
                    method.clone(),
                    body.map(str::to_string),
                );
                tokio::spawn(async move {
                    let mut latencies = Vec::with_capacity(per_worker as usize);
                    let mut failures = 0u32;
                    for _ in 0..per_worker {
                        let t = Instant::now();
                        let mut request = client
                            .request(method.clone(), &url)
                            .bearer_auth("vouch-test-token");
                        if let Some(b) = &body {
                            request = request
                                .header("content-type", "application/json")
                                .body(b.clone());
                        }
                        match request.send().await {
                            Ok(r) if r.status().is_success() => {
                                let _ = r.bytes().await;
                            }
                            _ => failures += 1,
                        }
                        latencies.push(t.elapsed());
                    }
                    (latencies, failures)
                })
            });
            let mut latencies: Vec<Duration> = Vec::new();
            let mut failures = 0;
            for w in futures::future::join_all(workers).await {
                let (l, f) = w?;
                latencies.extend(l);
                failures += f;
            }
            let elapsed = started.elapsed();
            latencies.sort();
            let pct = |p: f64| {
                latencies
                    .get(((latencies.len() as f64 - 1.0) * p) as usize)
                    .copied()
                    .unwrap_or_default()
            };
            println!(
                "  {name:<32} {:>8.0} req/s   p50 {:>6.2} ms   p99 {:>6.2} ms   {failures} failed",
                latencies.len() as f64 / elapsed.as_secs_f64(),
                pct(0.50).as_secs_f64() * 1000.0,
                pct(0.99).as_secs_f64() * 1000.0,
            );
        }
        // Fuzz throughput: generation, sending and every check, as `vouch fuzz` runs them.
        let contracts = std::sync::Arc::new(vouch::contract::ContractSet::embedded()?);
        let target = std::sync::Arc::new(
            vouch::targets::MockTarget::start_with(MockConfig {
                self_check: false,
                ..MockConfig::default()
            })
            .await?,
        );
        let options = vouch::fuzz::FuzzOptions {
            apis: vec!["peach".into(), "truework".into()],
            cases: 200,
            seed: Some(1),
            ..Default::default()
        };
        let report = vouch::fuzz::fuzz(contracts, target, options, None).await?;
        println!(
            "  {:<32} {:>8.0} cases/s ({} cases, every check, shrinking on)",
            "fuzz peach + truework",
            report.cases as f64 / report.elapsed.as_secs_f64().max(0.001),
            report.cases
        );
        Ok(Outcome::Passed)
    })
}
