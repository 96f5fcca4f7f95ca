//! The soak: `--soak` writes (Verified POST /hasMatchingCredentials) against the mock in
//! batches of 100 000, the process's RSS after each, and the last batch's throughput against
//! the first's. Bounded state (README § The mock: it forgets what the vendors forget) keeps
//! both flat: issue #24 asks RSS ≤ 100 MB after 10⁶ POSTs and the last 10⁵ within 10 % of the
//! first 10⁵.

use super::load;
use super::rounds::Round;
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

/// One soak batch.
pub(super) const BATCH: u64 = 100_000;

/// One batch's figures and the RSS after it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Batch {
    #[serde(flatten)]
    pub figures: Round,
    pub rss_mib: Option<f64>,
}

/// What the soak measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Soak {
    pub posts: u64,
    /// Seconds the mock clock moved every 100 ms (0: it stood still).
    pub clock_step_secs: u64,
    pub batches: Vec<Batch>,
    /// The last batch's req/s over the first's.
    pub last_vs_first: f64,
    /// The process's RSS before the first batch and after the last (a process of its own:
    /// the mock, its runtime and the load generator, nothing of the other servers).
    pub rss_before_mib: Option<f64>,
    pub rss_after_mib: Option<f64>,
}

/// `posts` writes in batches; `None` when there are none.
pub(super) async fn run(
    addr: SocketAddr,
    post: &[u8],
    posts: u64,
    connections: u16,
    clock_step_secs: u64,
) -> Option<Soak> {
    let rss_before_mib = load::rss_mib();
    let mut batches = Vec::new();
    let mut left = posts;
    while left > 0 {
        let n = left.min(BATCH);
        let batch = load::run(addr, post, n, connections).await;
        batches.push(Batch {
            figures: Round::from(&batch),
            rss_mib: load::rss_mib(),
        });
        left -= n;
    }
    let first = batches.first()?.figures.req_per_s;
    let last = batches.last()?;
    Some(Soak {
        posts,
        clock_step_secs,
        last_vs_first: last.figures.req_per_s / first.max(1e-9),
        rss_before_mib,
        rss_after_mib: last.rss_mib,
        batches,
    })
}

/// The soak of `args` run by `vouch bench --soak-only` in a child process, so the RSS it
/// reports is one mock's, not the process's that held the reference and the `--self-check`
/// mock too (issue #24: RSS after 10⁶ POSTs ≤ 100 MB). `None` when `--soak 0`.
pub(super) fn in_own_process(args: &super::BenchArgs) -> anyhow::Result<Option<Soak>> {
    if args.soak == 0 {
        return Ok(None);
    }
    let exe = std::env::current_exe().context("the soak: finding vouch's own binary")?;
    let out = std::process::Command::new(&exe)
        .arg("bench")
        .arg("--soak-only")
        .args(["--soak", &args.soak.to_string()])
        .args(["--connections", &args.connections.to_string()])
        .args(["--clock-step", &args.clock_step.to_string()])
        .args(["--max-entities", &args.max_entities.to_string()])
        .stderr(std::process::Stdio::inherit())
        .output()
        .with_context(|| format!("the soak: starting {}", exe.display()))?;
    anyhow::ensure!(
        out.status.success(),
        "the soak: {} bench --soak-only exited with {}",
        exe.display(),
        out.status
    );
    let soak = serde_json::from_slice(&out.stdout).context("the soak: reading its figures")?;
    Ok(Some(soak))
}
