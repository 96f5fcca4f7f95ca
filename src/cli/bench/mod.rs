//! `vouch bench`: the mock's stamina on this machine, side by side in one run. The mock runs
//! as `vouch mock serve` does (state, auth, contract validation and the journal on, self-check
//! off) on its own threads; a `wrk`-like load generator (`load`) drives it from one more thread
//! over loopback keep-alive connections. It measures
//! - a read (Verified GET /credentials/{id}) and a write that keeps state (Verified POST
//!   /hasMatchingCredentials, each answer a wallet request): req/s, p50 and p99, statuses;
//! - the soak: `--soak` writes in batches of 100 000, with the process's RSS after each and the
//!   last batch's throughput against the first (bounded state keeps both flat).
//!
//! While the writes run, time passes: the mock clock moves `--clock-step` seconds every 100 ms
//! (default 301: each wallet request's 5-minute window), so requests expire and are forgotten
//! as they would be over a day of use, and the writes keep being answered 201. With
//! `--clock-step 0` the clock stands still, the tenant's cap fills with requests still waiting
//! for the user, and the rest are answered 429 (bounded state's other path);
//! - the fuzzer's cases per second, with every check.
//!
//! Goals on 2 cores and 16 connections: GET ≥ 60k req/s, POST ≥ 40k req/s, RSS after 10⁶ POSTs
//! ≤ 100 MB with the last 10⁵ within 10% of the first 10⁵'s throughput. Measured, never
//! asserted: a timed test would fail on a busy machine for no fault of the code.

mod load;

use super::Outcome;
use anyhow::Context;
use std::net::SocketAddr;
use vouch::mock::verified::SANDBOX_API_KEY;
use vouch::mock::{MockConfig, MockServer};

/// The seeded test user's phone (features/verified/README.md: Richard Hendricks).
const TEST_PHONE: &str = "+10123456789";

#[derive(Debug, clap::Args)]
pub(crate) struct BenchArgs {
    /// Requests per case (the GET and the POST).
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    requests: u64,
    /// Connections kept open at once (each sends its next request when answered).
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=1024))]
    connections: u16,
    /// Writes for the soak, in batches of 100 000 (0: no soak).
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(0..=100_000_000))]
    soak: u64,
    /// The mock's cap on entities of one kind per tenant (as `vouch mock serve --max-entities`).
    #[arg(long, value_name = "N", default_value_t = vouch::mock::DEFAULT_MAX_ENTITIES as u32,
          value_parser = clap::value_parser!(u32).range(1..))]
    max_entities: u32,
    /// Fuzz cases per operation and kind for the fuzz figure (0: none).
    #[arg(long, default_value_t = 200)]
    fuzz_cases: u32,
    /// Seconds the mock clock moves every 100 ms while the writes run (0: it stands still).
    #[arg(long, value_name = "SECONDS", default_value_t = 301)]
    clock_step: u32,
}

/// One soak batch.
const BATCH: u64 = 100_000;

/// The write: a matching request for the seeded test user (SUPPLEMENT.md § Verified), which
/// the mock keeps as a wallet request until it expires.
fn matching_body() -> String {
    format!(
        r#"{{"phone": "{TEST_PHONE}", "credentialRequests": [{{"type": "FullNameCredential", "mandatory": "yes"}}]}}"#
    )
}

fn mib(rss: Option<f64>) -> String {
    rss.map_or("n/a".into(), |m| format!("{m:.1} MiB"))
}

/// One case's line of the table: requests, req/s, p50 and p99, statuses.
fn show(name: &str, l: &load::Load) {
    println!(
        "  {name:<44} {:>9} {:>10.0} {:>8.2} {:>8.2}  {}",
        l.requests,
        l.rate(),
        l.quantile_ms(0.5),
        l.quantile_ms(0.99),
        l.status_mix()
    );
}

/// The soak (module doc): `--soak` writes in batches, the RSS after each, and the last
/// batch's throughput against the first's.
async fn soak(addr: SocketAddr, post: &[u8], args: &BenchArgs) {
    let step = u64::from(args.clock_step);
    let mut batches: Vec<(load::Load, Option<f64>)> = Vec::new();
    let mut left = args.soak;
    while left > 0 {
        let n = left.min(BATCH);
        let batch = load::run(addr, post, n, args.connections).await;
        batches.push((batch, load::rss_mib()));
        left -= n;
    }
    if let (Some((first, _)), Some((last, rss_end))) = (batches.first(), batches.last()) {
        println!(
            "  soak: {} POSTs in {} batches of up to {BATCH}, the mock clock {}",
            args.soak,
            batches.len(),
            if step > 0 {
                format!("moving {step} s every 100 ms")
            } else {
                "standing still".into()
            }
        );
        for (i, (b, rss)) in batches.iter().enumerate() {
            println!(
                "    batch {:>3}: {:>8.0} req/s  p99 {:>6.2} ms  RSS {:>10}  {}",
                i + 1,
                b.rate(),
                b.quantile_ms(0.99),
                mib(*rss),
                b.status_mix()
            );
        }
        println!(
            "  last batch at {:.0}% of the first's throughput; RSS {} after the soak",
            100.0 * last.rate() / first.rate().max(1e-9),
            mib(*rss_end)
        );
    }
}

pub(crate) fn run(args: &BenchArgs) -> anyhow::Result<Outcome> {
    let rss_at_start = load::rss_mib();
    // The mock on its own threads, as a separate `vouch mock serve` would be.
    let server_threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let server_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(server_threads)
        .enable_all()
        .build()
        .context("starting the mock's runtime")?;
    let server = server_runtime.block_on(MockServer::start_with(MockConfig {
        self_check: false,
        max_entities: args.max_entities as usize,
        ..MockConfig::default()
    }))?;
    let addr: SocketAddr = server.url().trim_start_matches("http://").parse()?;
    // The load on one thread, as `wrk -t1`.
    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the load generator's runtime")?;
    let local = tokio::task::LocalSet::new();
    println!(
        "vouch bench: mock at {} ({server_threads} threads), {} connections from 1 thread",
        server.url(),
        args.connections
    );
    let rss_ready = load::rss_mib();
    let outcome = local.block_on(&client, async {
        // A credential of the brand's own to read back.
        let issue = format!(
            r#"{{"phone": "{TEST_PHONE}", "credentials": [{{"type": "EmailCredential", "data": {{"email": "bench@example.com"}}}}]}}"#
        );
        let issued = load::request("POST", "/verified/credentials", SANDBOX_API_KEY, Some(&issue));
        let id = issue_one(addr, &issued).await?;
        let get = load::request(
            "GET",
            &format!("/verified/credentials/{id}"),
            SANDBOX_API_KEY,
            None,
        );
        let post_body = matching_body();
        let post = load::request(
            "POST",
            "/verified/hasMatchingCredentials",
            SANDBOX_API_KEY,
            Some(&post_body),
        );
        println!(
            "  {:<44} {:>9} {:>10} {:>8} {:>8}  statuses",
            "case", "requests", "req/s", "p50 ms", "p99 ms"
        );
        let reads = load::run(addr, &get, args.requests, args.connections).await;
        show("GET  /verified/credentials/{id}", &reads);
        // Time passes while the writes run (see the module's docs).
        let state = server.state().clone();
        let step = u64::from(args.clock_step);
        let clock = server_runtime.spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_millis(100));
            loop {
                tick.tick().await;
                if step > 0 {
                    let _ = state.clock.advance(step);
                }
            }
        });
        let writes = load::run(addr, &post, args.requests, args.connections).await;
        show("POST /verified/hasMatchingCredentials", &writes);
        let rss_after_cases = load::rss_mib();
        // The soak: the same write, in batches, on a fresh state.
        server.state().reset();
        soak(addr, &post, args).await;
        clock.abort();
        println!(
            "  RSS: {} at start, {} with the mock ready, {} after the GET and POST cases",
            mib(rss_at_start),
            mib(rss_ready),
            mib(rss_after_cases)
        );
        Ok::<_, anyhow::Error>(())
    });
    outcome?;
    if args.fuzz_cases > 0 {
        fuzz_rate(&server_runtime, args.fuzz_cases)?;
    }
    drop(server);
    Ok(Outcome::Passed)
}

/// Issues one credential and returns its id.
async fn issue_one(addr: SocketAddr, request: &[u8]) -> anyhow::Result<String> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream.write_all(request).await?;
    let mut answer = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = stream.read(&mut chunk).await?;
        answer.extend_from_slice(chunk.get(..n).unwrap_or_default());
        let text = String::from_utf8_lossy(&answer);
        if let Some((_, body)) = text.split_once("\r\n\r\n")
            && let Ok(json) = serde_json::from_str::<serde_json::Value>(body)
        {
            return json
                .pointer("/credentials/0/id")
                .and_then(|v| v.as_str())
                .map(str::to_string)
                .context("issuing the credential to read back answered no id");
        }
        anyhow::ensure!(n > 0, "issuing the credential to read back: no answer");
    }
}

/// Fuzz throughput: generation, sending and every check, as `vouch fuzz` runs them.
fn fuzz_rate(runtime: &tokio::runtime::Runtime, cases: u32) -> anyhow::Result<()> {
    runtime.block_on(async {
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
            cases,
            seed: Some(1),
            ..Default::default()
        };
        let report = vouch::fuzz::fuzz(contracts, target, options, None).await?;
        println!(
            "  {:<44} {:>9} {:>10.0} cases/s (every check, shrinking on)",
            "fuzz peach + truework",
            report.cases,
            report.cases as f64 / report.elapsed.as_secs_f64().max(0.001),
        );
        Ok(())
    })
}
