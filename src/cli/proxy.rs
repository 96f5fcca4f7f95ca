//! `vouch proxy`: a validating proxy in front of a sandbox or the mock; `vouch replay`: replay
//! a recording against a target. See PROXY.md.

use super::Outcome;
use anyhow::{Context, bail};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use vouch::contract::ContractSet;
use vouch::mock::{MockConfig, MockServer};
use vouch::proxy::{OnExchange, Proxy, ProxyConfig, ProxyExchange, record};
use vouch::runner::RunOptions;
use vouch::targets::TargetKind;

#[derive(Debug, clap::Args)]
pub(crate) struct ProxyArgs {
    /// An API to proxy under `/<API>` (repeatable): `NAME` uses `--upstream`, `NAME=URL`
    /// names its own upstream base URL (or `mock`).
    #[arg(long = "api", value_name = "NAME[=URL]", required = true)]
    apis: Vec<String>,
    /// The upstream base URL for every `--api NAME` without its own, or `mock` to start the
    /// embedded mock and forward to it.
    #[arg(long, value_name = "URL|mock")]
    upstream: Option<String>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8090")]
    listen: SocketAddr,
    /// Exit 1 on an unconfirmed finding too (a violation of our choice, `x-vouch-choice`).
    /// Without it (and without --observe) the proxy exits 1 on a violation of a vendor rule
    /// or an upstream failure.
    #[arg(long, conflicts_with = "observe")]
    strict: bool,
    /// Always exit 0: only report.
    #[arg(long)]
    observe: bool,
    /// Save each exchange as one JSON file in this directory (secrets and PII redacted).
    #[arg(long, value_name = "DIR")]
    record: Option<PathBuf>,
    /// Keep secrets and PII in recordings (for replaying against a sandbox; never commit them).
    #[arg(long, requires = "record")]
    record_secrets: bool,
    /// How long to wait for the upstream's whole answer before answering 504.
    #[arg(long, default_value_t = 30_000, value_parser = clap::value_parser!(u64).range(1..=600_000))]
    timeout_ms: u64,
    /// Forward answers as the upstream gave them: without it, the upstream's absolute URLs in
    /// response headers (`Location`, `Link`, ...) and JSON string values (`nextUrl`, `linkUrl`,
    /// a hosted `url`) are rewritten to the proxy's address, so a client that follows them
    /// stays on the proxy. The contract checks the upstream's answer either way.
    #[arg(long)]
    no_rewrite: bool,
    /// Where the report is written on exit (`<DIR>/<timestamp>/`).
    #[arg(long, value_name = "DIR", default_value = "reports")]
    reports: PathBuf,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ReplayArgs {
    /// A directory written by `vouch proxy --record`.
    dir: PathBuf,
    /// Where the recorded requests go.
    #[arg(long, env = "VOUCH_TARGET", default_value = "mock")]
    target: TargetKind,
    /// The running mock's root URL, for `--target url`.
    #[arg(long, env = "VOUCH_MOCK_URL")]
    mock_url: Option<String>,
}

/// `(api, upstream)` pairs from the flags; `mock` stays `mock`.
fn upstreams(args: &ProxyArgs) -> anyhow::Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    for spec in &args.apis {
        let (api, url) = match spec.split_once('=') {
            Some((api, url)) => (api.to_string(), url.to_string()),
            None => match &args.upstream {
                Some(url) => (spec.clone(), url.clone()),
                None => bail!(
                    "--api {spec}: no upstream (give --upstream URL|mock or --api {spec}=URL)"
                ),
            },
        };
        if api.is_empty() || url.is_empty() {
            bail!("--api `{spec}`: expected NAME or NAME=URL");
        }
        if url != "mock" && !(url.starts_with("http://") || url.starts_with("https://")) {
            bail!("--api {api}: upstream `{url}` is neither `mock` nor an http(s) URL");
        }
        if out.iter().any(|(a, _)| *a == api) {
            bail!("--api {api} given twice");
        }
        out.push((api, url));
    }
    Ok(out)
}

fn print_exchange(e: &ProxyExchange) {
    println!("{}", e.summary());
    if !e.rewritten.is_empty() {
        // Pointers only: the values (URLs) may carry tokens in their query.
        println!(
            "  rewritten to the proxy's address: {}",
            e.rewritten.join(", ")
        );
    }
    for v in &e.violations {
        // Violations carry no secret or PII value (see vouch::redact).
        if v.is_unconfirmed() {
            println!("  unconfirmed: {v}\n    {}", v.provenance.describe());
        } else {
            println!("  violation: {v}");
        }
    }
}

/// Waits for Ctrl-C or SIGTERM. The handlers are installed when this is called, not when it is
/// first polled, so a caller can install them before it announces that it is listening.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let ctrl_c = tokio::signal::ctrl_c();
    async move {
        shutdown_on(
            #[cfg(unix)]
            term.as_mut(),
            ctrl_c,
        )
        .await
    }
}

/// The first of Ctrl-C and (on Unix) SIGTERM.
async fn shutdown_on(
    #[cfg(unix)] term: Option<&mut tokio::signal::unix::Signal>,
    ctrl_c: impl std::future::Future<Output = std::io::Result<()>>,
) {
    #[cfg(unix)]
    {
        let terminated = async {
            match term {
                Some(t) => {
                    t.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = terminated => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

pub(crate) fn proxy(contracts: ContractSet, args: &ProxyArgs) -> anyhow::Result<Outcome> {
    let wanted = upstreams(args)?;
    for (api, _) in &wanted {
        contracts.get(api).context("--api")?;
    }
    let contracts = Arc::new(contracts);
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let started_at = chrono::Utc::now().to_rfc3339();
    let clock = Instant::now();
    let (exchanges, errors) = runtime.block_on(async {
        let mock = if wanted.iter().any(|(_, u)| u == "mock") {
            Some(
                MockServer::start_with(MockConfig {
                    contracts: Some(contracts.clone()),
                    ..MockConfig::default()
                })
                .await
                .context("starting the embedded mock")?,
            )
        } else {
            None
        };
        let upstreams: Vec<(String, String)> = wanted
            .iter()
            .map(|(api, url)| match (&mock, url.as_str()) {
                (Some(m), "mock") => (api.clone(), m.base_url(api)),
                _ => (api.clone(), url.clone()),
            })
            .collect();
        let config = ProxyConfig {
            listen: args.listen,
            upstreams: upstreams.clone(),
            timeout: Duration::from_millis(args.timeout_ms),
            record: args.record.clone(),
            record_secrets: args.record_secrets,
            rewrite: !args.no_rewrite,
        };
        let on_exchange: OnExchange = Arc::new(print_exchange);
        let proxy = Proxy::start(contracts.clone(), config, Some(on_exchange))
            .await
            .with_context(|| format!("--listen {}", args.listen))?;
        // SIGTERM is handled from here on: a supervisor that stops the proxy as soon as it has
        // said it is listening still gets the report.
        let shutdown = shutdown_signal();
        println!("vouch proxy listening on {}", proxy.url());
        if args.no_rewrite {
            println!("  (--no-rewrite: answers keep the upstream's absolute URLs)");
        }
        for (api, upstream) in &upstreams {
            println!("  {api:<9} {} -> {upstream}", proxy.base_url(api));
        }
        if let Some(m) = &mock {
            for (api, _) in &upstreams {
                for c in m.state().credentials(api).iter().take(1) {
                    // The mock's default credentials are public test material (README § Mock).
                    println!("            {api} mock credential {}", c.secret);
                }
            }
        }
        println!("  (Ctrl-C stops and writes the report)");
        shutdown.await;
        let exchanges = proxy.exchanges();
        let errors = proxy.errors();
        proxy.stop().await;
        Ok::<_, anyhow::Error>((exchanges, errors))
    })?;
    let apis: Vec<String> = wanted.iter().map(|(a, _)| a.clone()).collect();
    let report = vouch::report::proxy_run::ProxyRun {
        contracts: &contracts,
        apis: &apis,
        proxy_url: &format!("http://{}", args.listen),
        exchanges: &exchanges,
        errors,
        started_at,
        duration_ms: clock.elapsed().as_millis() as u64,
        strict: args.strict,
    }
    .report();
    let dir = vouch::report::write_report(&args.reports, &report)
        .with_context(|| format!("writing the reports under {}", args.reports.display()))?;
    let failed = report.totals.failed;
    println!(
        "vouch proxy stopped: {} exchange(s), {} violation(s), {} failed upstream or broke the contract, {} unconfirmed (our choices: they fail only with --strict)",
        report.totals.exchanges, report.totals.violations, failed, report.totals.unconfirmed
    );
    println!("reports: {}", dir.display());
    Ok(if failed > 0 && !args.observe {
        Outcome::Failed
    } else {
        Outcome::Passed
    })
}

pub(crate) fn replay(contracts: ContractSet, args: &ReplayArgs) -> anyhow::Result<Outcome> {
    let recordings = record::read_dir(&args.dir)?;
    let contracts = Arc::new(contracts);
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let results = runtime.block_on(async {
        let options = RunOptions {
            target: args.target,
            mock_url: args.mock_url.clone(),
            ..RunOptions::default()
        };
        let target = vouch::runner::target(&options, &contracts).await?;
        Ok::<_, anyhow::Error>(record::replay(&contracts, target.as_ref(), &recordings).await)
    })?;
    let mut differ = 0;
    for r in &results {
        print!("{}", r.render());
        if r.differs() {
            differ += 1;
        }
    }
    println!(
        "{} exchange(s) replayed on {}, {differ} differ",
        results.len(),
        args.target.as_str()
    );
    Ok(if differ > 0 {
        Outcome::Failed
    } else {
        Outcome::Passed
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct T {
        #[command(flatten)]
        args: ProxyArgs,
    }

    #[test]
    fn apis_take_the_shared_upstream_or_their_own() {
        let t = T::parse_from([
            "x",
            "--api",
            "verified",
            "--api",
            "peach=http://127.0.0.1:9/p",
            "--upstream",
            "mock",
        ]);
        assert_eq!(
            upstreams(&t.args).unwrap(),
            vec![
                ("verified".to_string(), "mock".to_string()),
                ("peach".to_string(), "http://127.0.0.1:9/p".to_string())
            ]
        );
        let t = T::parse_from(["x", "--api", "verified"]);
        assert!(upstreams(&t.args).is_err());
        let t = T::parse_from(["x", "--api", "verified=ftp://x"]);
        assert!(upstreams(&t.args).is_err());
        assert!(T::try_parse_from(["x", "--api", "a", "--strict", "--observe"]).is_err());
    }
}
