//! Targets: where a run sends its requests.
//!
//! One trait, three kinds: [`mock`](MockTarget) (vouch's own mock in-process, the default),
//! [`url`](UrlTarget) (a `vouch mock serve` running elsewhere) and [`sandbox`](SandboxTarget)
//! (the vendors' live sandboxes, configured from the environment). Steps ask a target for an
//! API's base URL and credentials and send through its [`HttpClient`], which bounds
//! concurrency and honours `429 Retry-After`.

mod client;
mod config;
mod error;

pub use crate::redact::Secret;
pub use client::HttpClient;
pub(crate) use config::seeded_flags;
pub use config::{SandboxApi, SandboxSettings};
pub use error::TargetError;

use crate::contract::{Contract, SecurityScheme};
use crate::mock::{MockConfig, MockServer};
use std::sync::Arc;

/// Which of an API's accepted credentials to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The documented default test credential (the first tenant).
    Default,
    /// A second tenant's credential, for isolation scenarios.
    Second,
}

/// The kind of a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    /// vouch's mock, started in-process on an ephemeral port ([`MockTarget`]).
    Mock,
    /// A vouch mock already running at a URL, e.g. `vouch mock serve` ([`UrlTarget`]).
    Url,
    /// The vendors' live sandboxes ([`SandboxTarget`]).
    Sandbox,
}

impl TargetKind {
    /// The name `--target` takes and reports show: `mock`, `url` or `sandbox`.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Mock => "mock",
            TargetKind::Url => "url",
            TargetKind::Sandbox => "sandbox",
        }
    }
}

// `--target` for clap: a user boundary, the `String` is the message shown after the flag.
impl std::str::FromStr for TargetKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "mock" => Ok(TargetKind::Mock),
            "url" => Ok(TargetKind::Url),
            "sandbox" => Ok(TargetKind::Sandbox),
            other => Err(format!(
                "unknown target `{other}` (expected mock, url or sandbox)"
            )),
        }
    }
}

/// Where requests go.
pub trait Target: Send + Sync {
    /// Which kind of target this is.
    fn kind(&self) -> TargetKind;

    /// The API's base URL, or why its scenarios are skipped on this target.
    fn base_url(&self, api: &str) -> Result<String, TargetError>;

    /// A credential of the API, or why there is none on this target.
    fn credential(&self, api: &str, which: Which) -> Result<Secret, TargetError>;

    /// The mock's admin API root (`http://host:port/__admin`); `None` on a sandbox.
    fn admin_url(&self) -> Option<String>;

    /// The credential of a tenant with this capability flag (`semi-hosted`: a Verified brand
    /// whose integration type is Semi-Hosted), or why there is none on this target.
    fn flagged_credential(&self, api: &str, flag: &str) -> Result<Secret, TargetError> {
        Err(TargetError::FlagUnsupported {
            api: api.into(),
            flag: flag.into(),
        })
    }

    /// Whether scenarios of this API version (`v2`; `v1` is the unversioned API) run here, or
    /// why not: a mock serves every version, a sandbox the one its base URL selects.
    fn runs_version(&self, api: &str, version: &str) -> Result<(), TargetError> {
        let _ = (api, version);
        Ok(())
    }

    /// The client every request to this target goes through (shared keep-alive connections,
    /// bounded concurrency).
    fn client(&self) -> &HttpClient;

    /// Contract violations in the answers of a mock this target runs in-process (its
    /// self-check); empty for other targets.
    fn self_check_violations(&self) -> Vec<crate::contract::Violation> {
        Vec::new()
    }
}

/// The header that carries a credential for an API, from its contract's security scheme:
/// `Authorization: <key>` for an API key in `Authorization` (Verified), `Authorization:
/// Bearer <token>` for bearer schemes, or the scheme's own header.
pub fn credential_header(contract: &Contract, secret: &str) -> (String, String) {
    let schemes = contract
        .operations()
        .iter()
        .flat_map(|o| o.security.iter().flatten());
    for scheme in schemes {
        match scheme {
            SecurityScheme::Bearer { .. } => {
                return ("authorization".into(), format!("Bearer {secret}"));
            }
            SecurityScheme::Header { header, .. } => {
                return (header.to_string(), secret.to_string());
            }
            _ => {}
        }
    }
    ("authorization".into(), format!("Bearer {secret}"))
}

/// The embedded mock, started in-process.
pub struct MockTarget {
    server: MockServer,
    client: HttpClient,
}

impl MockTarget {
    /// Starts the mock of every API with the default [`MockConfig`] (loopback, ephemeral
    /// port, self-check on).
    pub async fn start() -> Result<Self, crate::Error> {
        Self::start_with(MockConfig::default()).await
    }

    /// Starts the mock as `config` says (see [`MockServer::start_with`] for the errors).
    pub async fn start_with(config: MockConfig) -> Result<Self, crate::Error> {
        Ok(Self {
            server: MockServer::start_with(config).await?,
            client: HttpClient::new(64),
        })
    }

    /// The running mock server (its URL, state and self-check findings).
    pub fn server(&self) -> &MockServer {
        &self.server
    }
}

fn mock_credential(
    state: &crate::mock::MockState,
    api: &str,
    which: Which,
) -> Result<Secret, TargetError> {
    let index = match which {
        Which::Default => 0,
        Which::Second => 1,
    };
    state
        .credentials(api)
        .get(index)
        .map(|c| Secret {
            value: c.secret.clone(),
            // The variable a sandbox run reads, so the curl of a mock run works on both.
            hint: format!("${}", config::credential_variable(api, which)),
        })
        .ok_or_else(|| TargetError::MockHasNoCredential {
            api: api.into(),
            which,
        })
}

fn mock_flagged_credential(
    state: &crate::mock::MockState,
    api: &str,
    flag: &str,
) -> Result<Secret, TargetError> {
    state
        .credentials(api)
        .into_iter()
        .find(|c| c.tenant.has(flag))
        .map(|c| Secret {
            value: c.secret,
            hint: format!("${}_API_KEY", config::flag_variable(api, flag)),
        })
        .ok_or_else(|| TargetError::MockHasNoFlag {
            api: api.into(),
            flag: flag.into(),
        })
}

impl Target for MockTarget {
    fn kind(&self) -> TargetKind {
        TargetKind::Mock
    }
    fn base_url(&self, api: &str) -> Result<String, TargetError> {
        Ok(self.server.base_url(api))
    }
    fn credential(&self, api: &str, which: Which) -> Result<Secret, TargetError> {
        mock_credential(self.server.state(), api, which)
    }
    fn flagged_credential(&self, api: &str, flag: &str) -> Result<Secret, TargetError> {
        mock_flagged_credential(self.server.state(), api, flag)
    }
    fn admin_url(&self) -> Option<String> {
        Some(format!("{}/__admin", self.server.url()))
    }
    fn client(&self) -> &HttpClient {
        &self.client
    }
    fn self_check_violations(&self) -> Vec<crate::contract::Violation> {
        self.server.violations()
    }
}

/// A vouch mock already running at a URL (`VOUCH_MOCK_URL`), e.g. `vouch mock serve`
/// elsewhere, at its root or in one of its namespaces ([`UrlTarget::in_namespace`]). It uses
/// the mock's documented default credentials.
pub struct UrlTarget {
    root: String,
    /// `/__ns/<name>` in a namespace, else empty.
    namespace: String,
    defaults: Arc<crate::mock::MockState>,
    client: HttpClient,
}

impl UrlTarget {
    /// A target for the mock whose root URL is `root` (e.g. `http://127.0.0.1:8080`; a
    /// trailing `/` is ignored). Nothing is contacted yet; the error is that of loading the
    /// embedded contracts and mock defaults.
    pub fn new(root: &str) -> Result<Self, crate::Error> {
        let contracts = Arc::new(crate::contract::ContractSet::embedded()?);
        let defaults = crate::mock::MockState::new(contracts, crate::mock::all_apis(), &[], false)
            .map_err(|e| crate::Error::Contract {
                origin: "mock".into(),
                message: e.to_string(),
            })?;
        Ok(Self {
            root: root.trim_end_matches('/').to_string(),
            namespace: String::new(),
            defaults: Arc::new(defaults),
            client: HttpClient::new(16),
        })
    }

    /// The same mock's namespace `name` (`/__ns/<name>/...`): an isolated copy of it, with
    /// its own data, clock, faults and journal, made by the mock on the first request. Each
    /// target has a client of its own.
    pub fn in_namespace(&self, name: &str) -> Self {
        Self {
            root: self.root.clone(),
            namespace: format!("/__ns/{name}"),
            defaults: self.defaults.clone(),
            client: HttpClient::new(16),
        }
    }

    /// How many namespaces the mock keeps (its `GET /__admin` says), `None` if it does not
    /// say (it is not reachable, or is older than namespaces).
    pub async fn max_namespaces(&self) -> Option<usize> {
        let request = crate::exchange::SentRequest {
            method: http::Method::GET,
            url: format!("{}/__admin", self.root),
            headers: Vec::new(),
            body: Vec::new(),
        };
        let answer = self.client.send(&request).await.ok()?;
        let index: serde_json::Value = serde_json::from_slice(&answer.body).ok()?;
        let max = index.get("maxNamespaces")?.as_u64()?;
        usize::try_from(max).ok()
    }
}

impl Target for UrlTarget {
    fn kind(&self) -> TargetKind {
        TargetKind::Url
    }
    fn base_url(&self, api: &str) -> Result<String, TargetError> {
        Ok(format!("{}{}/{api}", self.root, self.namespace))
    }
    fn credential(&self, api: &str, which: Which) -> Result<Secret, TargetError> {
        mock_credential(&self.defaults, api, which)
    }
    fn flagged_credential(&self, api: &str, flag: &str) -> Result<Secret, TargetError> {
        mock_flagged_credential(&self.defaults, api, flag)
    }
    fn admin_url(&self) -> Option<String> {
        Some(format!("{}{}/__admin", self.root, self.namespace))
    }
    fn client(&self) -> &HttpClient {
        &self.client
    }
}

/// The vendors' live sandboxes, configured per API from the environment (and `vouch.toml`).
pub struct SandboxTarget {
    settings: SandboxSettings,
    client: HttpClient,
}

impl SandboxTarget {
    /// A target for the sandboxes `settings` describe: at most `settings.concurrency`
    /// requests in flight, and a `429` with `Retry-After` retried up to 3 times.
    pub fn new(settings: SandboxSettings) -> Self {
        let concurrency = settings.concurrency;
        Self {
            settings,
            client: HttpClient::new(concurrency).with_retries_on_429(3),
        }
    }
}

impl Target for SandboxTarget {
    fn kind(&self) -> TargetKind {
        TargetKind::Sandbox
    }
    fn base_url(&self, api: &str) -> Result<String, TargetError> {
        self.settings.api(api).map(|a| a.base_url.clone())
    }
    fn credential(&self, api: &str, which: Which) -> Result<Secret, TargetError> {
        let settings = self.settings.api(api)?;
        let found = match which {
            Which::Default => settings.credential.clone(),
            Which::Second => settings.second_credential.clone(),
        };
        found.ok_or_else(|| match which {
            Which::Default => TargetError::NoCredential {
                api: api.into(),
                variable: settings.credential_env.clone(),
            },
            Which::Second => TargetError::NoSecondCredential {
                api: api.into(),
                variable: settings.second_credential_env.clone(),
            },
        })
    }
    fn admin_url(&self) -> Option<String> {
        None
    }
    fn flagged_credential(&self, api: &str, flag: &str) -> Result<Secret, TargetError> {
        let settings = self.settings.api(api)?;
        settings
            .flagged
            .get(flag)
            .cloned()
            .ok_or_else(|| TargetError::NoFlaggedCredential {
                api: api.into(),
                flag: flag.into(),
                variable: config::flag_variable(api, flag),
            })
    }
    /// `v1` is the unversioned API; `vN` needs a base URL ending in `/vN`.
    fn runs_version(&self, api: &str, version: &str) -> Result<(), TargetError> {
        let settings = self.settings.api(api)?;
        let selected = settings.version.as_deref().unwrap_or("v1");
        if selected == version {
            return Ok(());
        }
        Err(TargetError::OtherVersion {
            upper: api.to_ascii_uppercase(),
            selected: selected.into(),
            version: version.into(),
        })
    }
    fn client(&self) -> &HttpClient {
        &self.client
    }
}
