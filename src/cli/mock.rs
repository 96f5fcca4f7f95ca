//! `vouch mock serve`: every API's mock on one listener until Ctrl-C.

use super::Outcome;
use anyhow::{Context, anyhow, bail};
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use vouch::contract::ContractSet;
use vouch::mock::{Credential, Latency, MockConfig, Tenant};

#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Accept another credential: `API:TENANT[,FLAG...][,SETTING:VALUE...]=SECRET`
    /// (repeatable), e.g. `verified:acme=my-test-key`, or `verified:acme,semi-hosted=my-test-key`
    /// for a Verified brand whose integration type is Semi-Hosted (`hosted`, `semi-hosted`,
    /// `non-hosted`), or
    /// `verified:acme,redirect-url:http://localhost:3000/callback,brand-name:Acme=my-test-key`
    /// for the brand's Dashboard redirect URL and name (a value holds no `,` or `=`).
    /// Each API's default test credentials are always accepted.
    #[arg(
        long = "credential",
        value_name = "API:TENANT[,FLAG...][,SETTING:VALUE...]=SECRET"
    )]
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
    /// Close a connection that has not sent a complete request header within this time
    /// (`500ms`, `30s`), so a client that connects and sends nothing holds nothing.
    #[arg(long, value_name = "DURATION", default_value = "120s", value_parser = parse_timeout)]
    header_timeout: Duration,
    /// A config file whose `[mock.<api>.<tenant>]` tables set tenants' settings, e.g.
    /// `[mock.verified.hooli]` `redirect-url = "http://localhost:3000/callback"` for the
    /// sandbox key's brand. No secrets: a tenant is named, its keys come from `--credential`
    /// or the defaults. Read when it exists.
    #[arg(long, value_name = "FILE", default_value = "vouch.toml")]
    config: std::path::PathBuf,
}

/// One tenant's settings from the config file: `(api, tenant, settings)`.
type FileSettings = Vec<(String, String, Vec<(String, String)>)>;

/// The `[mock.<api>.<tenant>]` tables of `path` (none when it does not exist), each naming an
/// API the mock serves, a tenant some credential stands for, and settings the API has.
fn file_settings(
    path: &std::path::Path,
    extra: &[(String, Credential)],
) -> anyhow::Result<FileSettings> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let at = |what: String| format!("{}: {what}", path.display());
    let text = std::fs::read_to_string(path).with_context(|| at("unreadable".into()))?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| anyhow!(at(e.message().into())))?;
    let Some(mock) = table.get("mock") else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    for (api, tenants) in mock
        .as_table()
        .ok_or_else(|| anyhow!(at("[mock]: expected tables".into())))?
    {
        let Some(registered) = vouch::mock::all_apis().into_iter().find(|m| m.id() == api) else {
            bail!(at(format!("[mock.{api}]: no such API")));
        };
        let known: Vec<String> = registered
            .default_credentials()
            .into_iter()
            .chain(
                extra
                    .iter()
                    .filter(|(a, _)| a == api)
                    .map(|(_, c)| c.clone()),
            )
            .map(|c| c.tenant.name)
            .collect();
        let tenants = tenants
            .as_table()
            .ok_or_else(|| anyhow!(at(format!("[mock.{api}]: expected tables"))))?;
        for (tenant, values) in tenants {
            let section = format!("[mock.{api}.{tenant}]");
            if !known.contains(tenant) {
                bail!(at(format!(
                    "{section}: no credential stands for tenant `{tenant}` (add one with --credential)"
                )));
            }
            let values = values
                .as_table()
                .ok_or_else(|| anyhow!(at(format!("{section}: expected a table"))))?;
            let mut settings = Vec::new();
            let mut checked = Tenant::new(tenant);
            for (name, value) in values {
                let value = value
                    .as_str()
                    .ok_or_else(|| anyhow!(at(format!("{section} {name}: expected a string"))))?;
                checked = checked.with_setting(name, value);
                settings.push((name.clone(), value.to_string()));
            }
            check_settings(api, &checked).map_err(|e| anyhow!(at(format!("{section}: {e}"))))?;
            found.push((api.clone(), tenant.clone(), settings));
        }
    }
    Ok(found)
}

/// Gives every credential of each named tenant the file's settings (the defaults' too: the
/// sandbox key's brand gets its redirect URL without its key being typed again).
fn apply_file_settings(state: &vouch::mock::MockState, settings: &FileSettings) {
    for (api, tenant, values) in settings {
        for mut credential in state.credentials(api) {
            if credential.tenant.name == *tenant {
                for (name, value) in values {
                    credential.tenant = credential.tenant.with_setting(name, value);
                }
                let _ = state.set_credential(api, credential);
            }
        }
    }
}

/// `--header-timeout` for clap: a positive whole number of `ms` or `s`.
fn parse_timeout(text: &str) -> Result<Duration, String> {
    let expected = "expected a positive duration such as 500ms or 30s";
    let parsed = if let Some(ms) = text.strip_suffix("ms") {
        ms.parse().ok().map(Duration::from_millis)
    } else if let Some(s) = text.strip_suffix('s') {
        s.parse().ok().map(Duration::from_secs)
    } else {
        None
    };
    parsed
        .filter(|d| !d.is_zero())
        .ok_or_else(|| expected.to_string())
}

/// `API:TENANT[,FLAG | ,SETTING:VALUE ...]=SECRET`: the tenant part ends at the first `=`
/// (a secret may hold `=`, as base64 keys do), so a setting's value holds neither `,` nor `=`;
/// set such a value with `POST /__admin/tenants`.
fn parse_credential(text: &str) -> anyhow::Result<(String, Credential)> {
    let parsed = text.split_once(':').and_then(|(api, rest)| {
        rest.split_once('=')
            .map(|(tenant, secret)| (api, tenant, secret))
    });
    let usage = "expected API:TENANT[,FLAG...][,SETTING:VALUE...]=SECRET";
    match parsed {
        Some((api, tenant, secret))
            if !api.is_empty() && !tenant.is_empty() && !secret.is_empty() =>
        {
            let mut parts = tenant.split(',');
            let name = parts.next().unwrap_or_default();
            let items: Vec<&str> = parts.collect();
            if name.is_empty() || items.iter().any(|f| f.is_empty() || f.starts_with(':')) {
                bail!("--credential `{api}:{tenant}`: {usage}");
            }
            let tenant =
                items
                    .into_iter()
                    .fold(Tenant::new(name), |t, item| match item.split_once(':') {
                        Some((setting, value)) => t.with_setting(setting, value),
                        None => t.with_flag(item),
                    });
            Ok((
                api.to_string(),
                Credential {
                    secret: secret.to_string(),
                    tenant,
                },
            ))
        }
        _ => bail!(
            "--credential `{}`: {usage}",
            text.split('=').next().unwrap_or_default()
        ),
    }
}

/// Refuses a setting the API's tenants do not have, naming the settings it has (the mock
/// would refuse it too, but blamed on `--addr`).
fn check_settings(api: &str, tenant: &Tenant) -> anyhow::Result<()> {
    let Some(mock) = vouch::mock::all_apis().into_iter().find(|m| m.id() == api) else {
        return Ok(());
    };
    let known = mock.tenant_settings();
    for setting in tenant.settings.keys() {
        if known.iter().all(|(k, _)| k != setting) {
            let names: Vec<&str> = known.iter().map(|(k, _)| *k).collect();
            bail!(
                "no setting `{setting}` for {api} (it has: {})",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            );
        }
    }
    Ok(())
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
        check_settings(api, &credential.tenant)
            .with_context(|| format!("--credential `{api}:{}`", credential.tenant.name))?;
    }
    let from_file = file_settings(&args.config, &credentials)?;
    let config = MockConfig {
        addr: args.addr,
        self_check: args.self_check,
        credentials,
        contracts: Some(Arc::new(contracts)),
        max_entities: args.max_entities as usize,
        journal_size: args.journal_size as usize,
        latency: args.latency,
        max_namespaces: args.max_namespaces as usize,
        header_timeout: args.header_timeout,
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
                apply_file_settings(state, &from_file);
                let mut out = std::io::stdout().lock();
                let _ = banner(&mut out, addr, state);
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

/// Each API's base URLs, each labelled with the API and its version (Verified's unversioned
/// paths are v1, `/v2` is 1-Click v2: a v2 client pointed at the v1 URL gets v1 answers, with
/// no `code`), its credentials and their tenants' flags and settings, and its test users.
fn banner(
    out: &mut impl Write,
    addr: SocketAddr,
    state: &vouch::mock::MockState,
) -> std::io::Result<()> {
    writeln!(out, "vouch mock listening on http://{addr}")?;
    for api in state.api_ids() {
        let contract = state.contracts.get(api).ok();
        let title = contract.map_or(api, |c| c.title.as_str());
        let versions = contract.map(|c| c.versions()).unwrap_or_default();
        // A contract with versioned paths: the unversioned ones are what the vendor calls v1.
        let unversioned = match contract.map(|c| c.version.as_str()) {
            _ if !versions.is_empty() => " v1".to_string(),
            Some("unversioned") | Some("") | None => String::new(),
            Some(version) => format!(" {version}"),
        };
        let label = format!("{title}{unversioned}");
        writeln!(out, "  {api:<9} {label:<40} http://{addr}/{api}")?;
        for version in versions {
            let label = format!("{title} {version}");
            writeln!(out, "  {:<9} {label:<40} http://{addr}/{api}/{version}", "")?;
        }
        for c in state.credentials(api) {
            // The default credentials are public test material (README § Mock). Flags say
            // what a tenant may do or is (a Verified brand's integration type), settings what
            // its Dashboard holds, so a user picks the key for the flow they test.
            let mut tags: Vec<String> = c.tenant.flags.iter().cloned().collect();
            tags.extend(c.tenant.settings.iter().map(|(k, v)| format!("{k}: {v}")));
            let tags = if tags.is_empty() {
                String::new()
            } else {
                format!(" [{}]", tags.join(", "))
            };
            writeln!(
                out,
                "            tenant {:<24} credential {}{tags}",
                c.tenant.name, c.secret
            )?;
        }
        if let Some(mock) = state.api(api) {
            for user in mock.test_users() {
                writeln!(out, "            test: {user}")?;
            }
        }
    }
    writeln!(out, "  admin     http://{addr}/__admin  (Ctrl-C stops)")
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
        // Settings: `NAME:VALUE` items (a URL keeps its own colons); a value ends at `,`.
        let (_, c) = parse_credential(
            "verified:app,semi-hosted,redirect-url:http://localhost:3000/cb,brand-name:App=k=",
        )
        .unwrap();
        assert_eq!(
            c.tenant.setting("redirect-url"),
            Some("http://localhost:3000/cb")
        );
        assert_eq!(c.tenant.setting("brand-name"), Some("App"));
        assert!(c.tenant.has("semi-hosted") && c.tenant.flags.len() == 1);
        assert_eq!(c.secret, "k=");
        assert!(parse_credential("verified:app,:x=key").is_err());
        assert!(check_settings("verified", &c.tenant).is_ok());
        let unknown = Tenant::new("app").with_setting("colour", "red");
        assert!(check_settings("verified", &unknown).is_err());
        assert!(check_settings("peach", &c.tenant).is_err());
        assert!(
            !parse_credential("verified:=secret")
                .unwrap_err()
                .to_string()
                .contains("secret")
        );
    }
}
