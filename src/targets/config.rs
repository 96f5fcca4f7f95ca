//! Sandbox settings, per API, from the environment and an optional `vouch.toml`.
//!
//! | variable | meaning | default |
//! | --- | --- | --- |
//! | `VOUCH_<API>_BASE_URL` | the API's base URL, may carry a path prefix (`.../v2`) | the contract's first server |
//! | `VOUCH_<API>_API_KEY` or `VOUCH_<API>_TOKEN` | the credential | Verified: the public sandbox key |
//! | `VOUCH_<API>_SECOND_API_KEY` or `..._SECOND_TOKEN` | a second tenant, for isolation scenarios | none |
//! | `VOUCH_CONCURRENCY` | requests in flight at once | 4 |
//!
//! `vouch.toml` may set `[sandbox] concurrency` and `[sandbox.<api>] base_url`; the environment
//! wins. Secrets are read from the environment only, never from a file in the repository.

use super::Secret;
use crate::contract::ContractSet;
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
    pub fn api(&self, api: &str) -> Result<&SandboxApi, String> {
        self.apis
            .get(api)
            .ok_or_else(|| format!("no sandbox settings for `{api}`"))
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
        assert_eq!(s.api("verified").unwrap().base_url, "https://h/v2");
        assert_eq!(s.concurrency, 2);
        assert!(
            SandboxSettings::load(&contracts, None, env(&[("VOUCH_CONCURRENCY", "0")])).is_err()
        );
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
