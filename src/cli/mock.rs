//! `vouch mock serve`: every API's mock on one listener until Ctrl-C.

use super::Outcome;
use anyhow::{Context, bail};
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use vouch::contract::ContractSet;
use vouch::mock::{Credential, Latency, MockConfig, Tenant};

#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Accept another credential: `API:TENANT[,FLAG...]=SECRET` (repeatable), e.g.
    /// `verified:acme=my-test-key`, or `verified:acme,semi-hosted=my-test-key` for a Verified
    /// brand whose integration type is Semi-Hosted (`hosted`, `semi-hosted`, `non-hosted`).
    /// Each API's default test credentials are always accepted.
    #[arg(long = "credential", value_name = "API:TENANT[,FLAG...]=SECRET")]
    credentials: Vec<String>,
    /// Validate every response the mock sends against the contract (`GET /__admin/violations`).
    #[arg(long)]
    self_check: bool,
    /// How many entities of one kind (1-Clicks, verifications, sessions, ...) each tenant may
    /// hold; over it the oldest expired or finished go first, else the vendor's 429 or a
    /// documented error. Entities are also forgotten once past their documented lifetime.
    #[arg(long, value_name = "N", default_value_t = vouch::mock::DEFAULT_MAX_ENTITIES as u32,
          value_parser = clap::value_parser!(u32).range(1..))]
    max_entities: u32,
    /// How many requests the journal (`GET /__admin/requests`) keeps; the oldest go first.
    #[arg(long, value_name = "N", default_value_t = vouch::mock::DEFAULT_JOURNAL_SIZE as u32)]
    journal_size: u32,
    /// Wait before each API answer: fixed (`200ms`) or uniform in a range (`100ms..300ms`);
    /// units ms, s, us. The admin API is not slowed.
    #[arg(long, value_name = "DURATION|MIN..MAX", value_parser = super::run_flags::parse_latency)]
    latency: Option<Latency>,
    /// How many namespaces (`/__ns/<name>/...`: isolated copies of the mock, one per scenario
    /// of `vouch run --target url --jobs N`) it keeps; past it the least recently used goes,
    /// and one idle for 10 minutes is forgotten. 0 serves none.
    #[arg(long, value_name = "N", default_value_t = vouch::mock::DEFAULT_MAX_NAMESPACES as u32)]
    max_namespaces: u32,
}

fn parse_credential(text: &str) -> anyhow::Result<(String, Credential)> {
    let parsed = text.split_once(':').and_then(|(api, rest)| {
        rest.split_once('=')
            .map(|(tenant, secret)| (api, tenant, secret))
    });
    match parsed {
        Some((api, tenant, secret))
            if !api.is_empty() && !tenant.is_empty() && !secret.is_empty() =>
        {
            let mut parts = tenant.split(',');
            let name = parts.next().unwrap_or_default();
            let flags: Vec<&str> = parts.collect();
            if name.is_empty() || flags.iter().any(|f| f.is_empty()) {
                bail!("--credential `{api}:{tenant}`: expected API:TENANT[,FLAG...]=SECRET");
            }
            Ok((
                api.to_string(),
                Credential {
                    secret: secret.to_string(),
                    tenant: flags
                        .into_iter()
                        .fold(Tenant::new(name), |t, f| t.with_flag(f)),
                },
            ))
        }
        _ => bail!(
            "--credential `{}`: expected API:TENANT[,FLAG...]=SECRET",
            text.split('=').next().unwrap_or_default()
        ),
    }
}

/// Serves the mock, routing and validating by `contracts` (the built-in ones, or those of
/// `--contracts DIR`).
pub(crate) fn serve(contracts: ContractSet, args: &ServeArgs) -> anyhow::Result<Outcome> {
    let credentials = args
        .credentials
        .iter()
        .map(|c| parse_credential(c))
        .collect::<anyhow::Result<Vec<_>>>()?;
    // Named here, before the listener: the mock would refuse it too, but blamed on `--addr`.
    for (api, credential) in &credentials {
        contracts
            .get(api)
            .with_context(|| format!("--credential `{api}:{}`", credential.tenant.name))?;
    }
    let config = MockConfig {
        addr: args.addr,
        self_check: args.self_check,
        credentials,
        contracts: Some(Arc::new(contracts)),
        max_entities: args.max_entities as usize,
        journal_size: args.journal_size as usize,
        latency: args.latency,
        max_namespaces: args.max_namespaces as usize,
        ..MockConfig::default()
    };
    let (max_entities, journal_size, latency, max_namespaces) = (
        args.max_entities,
        args.journal_size,
        args.latency,
        args.max_namespaces,
    );
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime
        .block_on(vouch::mock::serve(
            config,
            |addr, state| {
                // What it prints is for a person; a closed stdout (`| head -1`) must not stop
                // the mock, so write errors are ignored rather than panicking like `println!`.
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "vouch mock listening on http://{addr}");
                for api in state.api_ids() {
                    let _ = writeln!(out, "  {api:<9} http://{addr}/{api}");
                    // An API whose contract has versioned paths (Verified `/v2`): the base URL
                    // a client of that version uses.
                    if let Ok(contract) = state.contracts.get(api) {
                        for version in contract.versions() {
                            let _ = writeln!(out, "  {:<9} http://{addr}/{api}/{version}", "");
                        }
                    }
                    for c in state.credentials(api) {
                        // The default credentials are public test material (README § Mock).
                        // Flags say what a tenant may do or is (a Verified brand's
                        // integration type), so a user picks the key for the flow they test.
                        let flags: Vec<&str> = c.tenant.flags.iter().map(String::as_str).collect();
                        let flags = if flags.is_empty() {
                            String::new()
                        } else {
                            format!(" [{}]", flags.join(", "))
                        };
                        let _ = writeln!(
                            out,
                            "            tenant {:<24} credential {}{flags}",
                            c.tenant.name, c.secret
                        );
                    }
                }
                let _ = writeln!(out, "  admin     http://{addr}/__admin  (Ctrl-C stops)");
                let _ = writeln!(
                    out,
                    "  isolated  http://{addr}/__ns/<name>/<api>, .../__ns/<name>/__admin  (at most {max_namespaces})"
                );
                let _ = writeln!(
                    out,
                    "  keeps     {} entities per tenant and kind, the last {} requests{}",
                    max_entities,
                    journal_size,
                    latency
                        .map(|l| format!("; answers after {l}"))
                        .unwrap_or_default()
                );
                let _ = out.flush();
            },
            async {
                let _ = tokio::signal::ctrl_c().await;
            },
        ))
        .with_context(|| format!("--addr {}", args.addr))?;
    let _ = writeln!(std::io::stdout(), "vouch mock stopped");
    Ok(Outcome::Passed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_flags() {
        let (api, c) = parse_credential("verified:acme=k=ey").unwrap();
        assert_eq!(
            (api.as_str(), c.tenant.name.as_str(), c.secret.as_str()),
            ("verified", "acme", "k=ey")
        );
        assert!(parse_credential("verified=key").is_err());
        let (_, c) = parse_credential("verified:acme,semi-hosted=key").unwrap();
        assert_eq!(c.tenant.name, "acme");
        assert!(c.tenant.has("semi-hosted"));
        assert!(parse_credential("verified:acme,=key").is_err());
        assert!(parse_credential("verified:,semi-hosted=key").is_err());
        assert!(parse_credential("verified:acme=").is_err());
        assert!(
            !parse_credential("verified:=secret")
                .unwrap_err()
                .to_string()
                .contains("secret")
        );
    }
}
