//! Sandbox settings, per API, from the environment and an optional `vouch.toml`.
//!
//! | variable | meaning | default |
//! | --- | --- | --- |
//! | `VOUCH_<API>_BASE_URL` | the API's base URL, may carry a path prefix; a last segment that is one of the contract's versions (`.../v2`) selects that version | the contract's first server |
//! | `VOUCH_<API>_API_KEY` or `VOUCH_<API>_TOKEN` | the credential | Verified: the public sandbox key |
//! | `VOUCH_<API>_SECOND_API_KEY` or `..._SECOND_TOKEN` | a second tenant, for isolation scenarios | none |
//! | `VOUCH_<API>_<FLAG>_API_KEY` or `..._<FLAG>_TOKEN` | a tenant with a capability flag the mock seeds (`VOUCH_VERIFIED_SEMI_HOSTED_API_KEY`: a Semi-Hosted brand), for scenarios tagged `@<flag>` | none |
//! | `VOUCH_CONCURRENCY` | requests in flight at once | 4 |
//!
//! `vouch.toml` may set `[sandbox] concurrency` and `[sandbox.<api>] base_url`; the environment
//! wins. Secrets are read from the environment only, never from a file in the repository.

use super::Secret;
use crate::contract::{Contract, ContractSet};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The variable that holds an API's credential: `VOUCH_PEACH_TOKEN`, or for the second tenant
/// `VOUCH_PEACH_SECOND_TOKEN` (`..._API_KEY` is read too).
pub(crate) fn credential_variable(api: &str, which: super::Which) -> String {
    let upper = api.to_ascii_uppercase();
    match which {
        super::Which::Default => format!("VOUCH_{upper}_TOKEN"),
        super::Which::Second => format!("VOUCH_{upper}_SECOND_TOKEN"),
    }
}

/// One API's sandbox settings.
#[derive(Debug, Clone)]
pub struct SandboxApi {
    /// The API's base URL: `VOUCH_<API>_BASE_URL`, else `[sandbox.<api>] base_url` in the
    /// config file, else the contract's first server; empty when none of them gives one.
    pub base_url: String,
    /// The default tenant's credential: `VOUCH_<API>_API_KEY`, else `VOUCH_<API>_TOKEN`
    /// (empty values ignored), else the vendor's published test credential if it has one;
    /// `None` skips the API's scenarios.
    pub credential: Option<Secret>,
    /// A second tenant's credential (`VOUCH_<API>_SECOND_API_KEY`, else `..._SECOND_TOKEN`);
    /// `None` skips the API's `@second-tenant` scenarios.
    pub second_credential: Option<Secret>,
    /// The variable to set for the credential (named in skip reasons).
    pub credential_env: String,
    /// The variable to set for the second credential (named in skip reasons).
    pub second_credential_env: String,
    /// The version the base URL selected (`v2` for `https://host/v2` when the contract has
    /// `/v2/...` paths; `base_url` is then the host's root, which those paths start from);
    /// `None` for the unversioned API (v1).
    pub version: Option<String>,
    /// Credentials of tenants with a capability flag (`semi-hosted`), by flag: from
    /// `VOUCH_<API>_<FLAG>_API_KEY` or `..._TOKEN`, for every flag the API's mock seeds.
    pub flagged: BTreeMap<String, Secret>,
}

/// The version a base URL selects, and the base URL the contract's paths then start from:
/// `https://h/v2` with `/v2/...` paths in the contract is `v2` at `https://h`; anything else
/// is the unversioned API at the URL as given.
pub(crate) fn select_version(contract: &Contract, base_url: &str) -> (String, Option<String>) {
    let trimmed = base_url.trim_end_matches('/');
    if let Some((root, last)) = trimmed.rsplit_once('/')
        && !root.ends_with('/')
        && contract.versions().iter().any(|v| v == last)
    {
        return (root.to_string(), Some(last.to_string()));
    }
    (base_url.to_string(), None)
}

/// The capability flags of the tenants an API's mock seeds (`semi-hosted`, `reseller`).
/// Read once per API (building a mock to ask is not free).
pub(crate) fn seeded_flags(api: &str) -> Vec<String> {
    static SEEN: std::sync::Mutex<BTreeMap<String, Vec<String>>> =
        std::sync::Mutex::new(BTreeMap::new());
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    seen.entry(api.to_string())
        .or_insert_with(|| {
            let mut flags: Vec<String> = crate::apis::get(api)
                .map(|r| (r.mock)().default_credentials())
                .unwrap_or_default()
                .into_iter()
                .flat_map(|c| c.tenant.flags)
                .collect();
            flags.sort();
            flags.dedup();
            flags
        })
        .clone()
}

/// `VOUCH_VERIFIED_SEMI_HOSTED`: the prefix of a flagged tenant's variables.
pub(crate) fn flag_variable(api: &str, flag: &str) -> String {
    format!(
        "VOUCH_{}_{}",
        api.to_ascii_uppercase(),
        flag.to_ascii_uppercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    )
}

/// The sandbox settings of every API with a contract.
#[derive(Debug, Clone)]
pub struct SandboxSettings {
    apis: BTreeMap<String, SandboxApi>,
    /// Requests in flight at once: `VOUCH_CONCURRENCY`, else `[sandbox] concurrency`, else 4.
    pub concurrency: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    sandbox: FileSandbox,
    /// `[mock.<api>.<tenant>]`: the mock's tenant settings, read by `vouch mock serve`.
    #[serde(default, rename = "mock")]
    _mock: Option<toml::Table>,
    /// `[run]` (which features run) is the runner's (`runner::features`), checked there.
    #[serde(default, rename = "run")]
    _run: Option<toml::Table>,
}

#[derive(Debug, Default, Deserialize)]
struct FileSandbox {
    concurrency: Option<usize>,
    #[serde(flatten)]
    apis: BTreeMap<String, FileApi>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileApi {
    base_url: Option<String>,
}

impl SandboxSettings {
    /// Reads the environment through `env` (so tests need not touch the process environment)
    /// and the optional config file.
    pub fn load(
        contracts: &ContractSet,
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, crate::Error> {
        let config: FileConfig = match file {
            Some(path) if path.exists() => {
                let text = std::fs::read_to_string(path).map_err(|source| crate::Error::Io {
                    path: path.display().to_string(),
                    error: source,
                })?;
                toml::from_str(&text).map_err(|e| crate::Error::Config {
                    path: path.display().to_string(),
                    message: e.message().to_string(),
                })?
            }
            _ => FileConfig::default(),
        };
        let mut apis = BTreeMap::new();
        for contract in contracts.iter() {
            let upper = contract.api.to_ascii_uppercase();
            let var = |suffix: &str| format!("VOUCH_{upper}_{suffix}");
            let secret = |names: [String; 2]| {
                names.into_iter().find_map(|n| {
                    env(&n).filter(|v| !v.is_empty()).map(|value| Secret {
                        value,
                        hint: format!("${n}"),
                    })
                })
            };
            let from_file = config
                .sandbox
                .apis
                .get(&contract.api)
                .and_then(|a| a.base_url.clone());
            let base_url = env(&var("BASE_URL"))
                .or(from_file)
                .or_else(|| contract.servers.first().map(|s| s.url.clone()))
                .unwrap_or_default();
            let (base_url, version) = select_version(contract, &base_url);
            let flagged = seeded_flags(&contract.api)
                .into_iter()
                .filter_map(|flag| {
                    let prefix = flag_variable(&contract.api, &flag);
                    secret([format!("{prefix}_API_KEY"), format!("{prefix}_TOKEN")])
                        .map(|s| (flag, s))
                })
                .collect();
            // The vendor's published test credential (its registry entry), if any.
            let public = crate::apis::get(&contract.api)
                .and_then(|api| api.public_test_credentials.first())
                .map(|key| Secret {
                    value: key.to_string(),
                    hint: "<the public sandbox key>".into(),
                });
            apis.insert(
                contract.api.clone(),
                SandboxApi {
                    base_url,
                    credential: secret([var("API_KEY"), var("TOKEN")]).or(public),
                    second_credential: secret([var("SECOND_API_KEY"), var("SECOND_TOKEN")]),
                    credential_env: format!("{} or {}", var("TOKEN"), var("API_KEY")),
                    second_credential_env: format!(
                        "{} or {}",
                        var("SECOND_TOKEN"),
                        var("SECOND_API_KEY")
                    ),
                    version,
                    flagged,
                },
            );
        }
        for name in config.sandbox.apis.keys() {
            if !apis.contains_key(name) {
                return Err(crate::Error::Config {
                    path: file.map(|p| p.display().to_string()).unwrap_or_default(),
                    message: format!("[sandbox.{name}]: unknown API"),
                });
            }
        }
        let concurrency =
            match env("VOUCH_CONCURRENCY") {
                Some(v) => v.parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| {
                    crate::Error::Config {
                        path: "VOUCH_CONCURRENCY".into(),
                        message: format!("`{v}` is not a positive number"),
                    }
                })?,
                None => config.sandbox.concurrency.unwrap_or(4),
            };
        Ok(Self { apis, concurrency })
    }

    /// One API's settings, or an error naming the API when it has none (no contract).
    pub fn api(&self, api: &str) -> Result<&SandboxApi, super::TargetError> {
        self.apis
            .get(api)
            .ok_or_else(|| super::TargetError::NoSettings { api: api.into() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn defaults_come_from_the_contracts_and_the_public_key() {
        let contracts = ContractSet::embedded().unwrap();
        let s = SandboxSettings::load(&contracts, None, env(&[])).unwrap();
        assert_eq!(
            s.api("verified").unwrap().base_url,
            "https://core-api.sandbox-verifiedinc.com"
        );
        assert!(s.api("verified").unwrap().credential.is_some());
        assert!(s.api("peach").unwrap().credential.is_none());
        assert_eq!(s.concurrency, 4);
    }

    #[test]
    fn environment_overrides() {
        let contracts = ContractSet::embedded().unwrap();
        let s = SandboxSettings::load(
            &contracts,
            None,
            env(&[
                ("VOUCH_PEACH_TOKEN", "t"),
                ("VOUCH_VERIFIED_BASE_URL", "https://h/v2"),
                ("VOUCH_CONCURRENCY", "2"),
            ]),
        )
        .unwrap();
        assert_eq!(
            s.api("peach").unwrap().credential.as_ref().unwrap().hint,
            "$VOUCH_PEACH_TOKEN"
        );
        // The last segment names a version of the contract: v2, at the host's root.
        let verified = s.api("verified").unwrap();
        assert_eq!(verified.base_url, "https://h");
        assert_eq!(verified.version.as_deref(), Some("v2"));
        assert_eq!(s.concurrency, 2);
        assert!(
            SandboxSettings::load(&contracts, None, env(&[("VOUCH_CONCURRENCY", "0")])).is_err()
        );
    }

    #[test]
    fn only_a_version_of_the_contract_is_selected() {
        let contracts = ContractSet::embedded().unwrap();
        let verified = contracts.get("verified").unwrap();
        for (given, base, version) in [
            ("https://h/v2", "https://h", Some("v2")),
            ("https://h/v2/", "https://h", Some("v2")),
            ("https://h/api/v2", "https://h/api", Some("v2")),
            ("https://h", "https://h", None),
            ("https://h/v3", "https://h/v3", None),
            ("https://h/v2x", "https://h/v2x", None),
        ] {
            let (b, v) = select_version(verified, given);
            assert_eq!((b.as_str(), v.as_deref()), (base, version), "{given}");
        }
        // A contract without versioned paths never strips a `/v1` that is part of its URL.
        let peach = contracts.get("peach").unwrap();
        assert_eq!(select_version(peach, "https://p/v1").1, None);
    }

    #[test]
    fn flagged_tenants_come_from_their_own_variables() {
        let contracts = ContractSet::embedded().unwrap();
        let s = SandboxSettings::load(
            &contracts,
            None,
            env(&[("VOUCH_VERIFIED_SEMI_HOSTED_API_KEY", "k")]),
        )
        .unwrap();
        let flagged = &s.api("verified").unwrap().flagged;
        assert_eq!(flagged["semi-hosted"].value, "k");
        assert!(!flagged.contains_key("non-hosted"));
    }

    #[test]
    fn config_file_names_its_errors() {
        let contracts = ContractSet::embedded().unwrap();
        let dir = std::env::temp_dir().join(format!("vouch-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("vouch.toml");
        std::fs::write(
            &file,
            "[sandbox]\nconcurrency = 3\n[sandbox.peach]\nbase_url = \"https://p/api\"\n",
        )
        .unwrap();
        let s = SandboxSettings::load(&contracts, Some(&file), env(&[])).unwrap();
        assert_eq!(
            (s.concurrency, s.api("peach").unwrap().base_url.as_str()),
            (3, "https://p/api")
        );
        // `[mock.<api>.<tenant>]` is `vouch mock serve`'s: the sandbox settings leave it alone.
        std::fs::write(
            &file,
            "[sandbox]\nconcurrency = 2\n[mock.verified.hooli]\nredirect-url = \"http://l/cb\"\n",
        )
        .unwrap();
        let s = SandboxSettings::load(&contracts, Some(&file), env(&[])).unwrap();
        assert_eq!(s.concurrency, 2);
        std::fs::write(&file, "[sandbox.nope]\nbase_url = \"x\"\n").unwrap();
        let e = SandboxSettings::load(&contracts, Some(&file), env(&[]))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("vouch.toml") && e.contains("[sandbox.nope]"),
            "{e}"
        );
    }
}
