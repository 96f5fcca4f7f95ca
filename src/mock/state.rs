//! Everything the mock shares across requests: the clock, the journal, faults, each API's
//! mock and accepted credentials, and the self-check's findings.

use super::api::{Credential, SharedApi, Tenant};
use super::clock::Clock;
use super::error::{SetupError, TableMismatch};
use super::faults::Faults;
use super::journal::Journal;
use super::namespaces::Namespaces;
use crate::contract::{Contract, ContractSet, Violation};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

/// How many findings (`GET /__admin/violations`) the mock keeps: the first ones.
pub(crate) const MAX_FINDINGS: usize = 10_000;

pub(crate) struct ApiSlot {
    pub api: SharedApi,
    /// The accepted credentials (defaults first); the admin API may add or change one.
    credentials: RwLock<Credentials>,
    /// The server's `--self-check`: only then do answers keep their JSON bytes for it.
    pub self_check: bool,
}

#[derive(Default, Clone)]
struct Credentials {
    list: Vec<Credential>,
    /// Hashed with foldhash, not SipHash: looked up on every request (issue #24), and the
    /// keys are the server's own configuration, not a client's to choose.
    by_secret: HashMap<String, Arc<Tenant>, foldhash::fast::RandomState>,
}

impl Credentials {
    /// Adds a credential, or gives an accepted secret its new tenant.
    fn set(&mut self, credential: Credential) {
        self.by_secret.insert(
            credential.secret.clone(),
            Arc::new(credential.tenant.clone()),
        );
        match self.list.iter_mut().find(|c| c.secret == credential.secret) {
            Some(known) => *known = credential,
            None => self.list.push(credential),
        }
    }
}

/// The state one mock server shares across requests and APIs.
pub struct MockState {
    /// The mock clock every API reads (advanced by `POST /__admin/clock/advance`).
    pub clock: Clock,
    /// The most recent requests and their statuses (`GET /__admin/requests`), without headers
    /// and with sensitive query values redacted.
    pub(crate) journal: Journal,
    /// Injected faults waiting for a matching request (`POST /__admin/faults`).
    pub(crate) faults: Faults,
    /// The contracts the mock routes and validates by, one per served API.
    pub contracts: Arc<ContractSet>,
    pub(crate) apis: Vec<ApiSlot>,
    self_check: bool,
    /// The self-check's violations and the panics caught (`GET /__admin/violations`), the first
    /// [`MAX_FINDINGS`] of them.
    /// Shared by a server's namespaces.
    findings: Arc<Mutex<Vec<Violation>>>,
    /// How many entities of one kind each tenant may hold (handed to every request).
    pub(crate) max_entities: usize,
    /// How long each API answer waits, if at all.
    pub(crate) latency: Option<super::Latency>,
    /// The path this state is served under: empty at the root, `/__ns/<name>` in a namespace.
    prefix: String,
    /// The server's namespaces (none inside a namespace).
    pub(crate) namespaces: Namespaces<MockState>,
}

impl MockState {
    /// `extra` credentials are added to the APIs' default ones.
    ///
    /// Refuses an API without a contract, and an API whose dispatch table
    /// ([`MockApi::operations`](super::MockApi::operations)) is not exactly its contract's
    /// operations: the error names the API and the missing and stray operationIds.
    pub fn new(
        contracts: Arc<ContractSet>,
        apis: Vec<SharedApi>,
        extra: &[(String, Credential)],
        self_check: bool,
    ) -> Result<Self, SetupError> {
        let mut slots = Vec::new();
        let mut mismatches = Vec::new();
        for api in apis {
            let contract = contracts
                .get(api.id())
                .map_err(|_| SetupError::NoContract {
                    api: api.id().into(),
                })?;
            if let Err(problem) = check_table(api.id(), contract, &api.operations()) {
                mismatches.push(problem);
            }
            let mut credentials = api.default_credentials();
            credentials.extend(
                extra
                    .iter()
                    .filter(|(a, _)| a == api.id())
                    .map(|(_, c)| c.clone()),
            );
            let mut accepted = Credentials::default();
            for c in credentials {
                check_settings(api.as_ref(), &c.tenant)?;
                accepted.set(c);
            }
            slots.push(ApiSlot {
                api,
                credentials: RwLock::new(accepted),
                self_check,
            });
        }
        if !mismatches.is_empty() {
            return Err(SetupError::Tables(mismatches));
        }
        for (api, _) in extra {
            if !slots.iter().any(|s| s.api.id() == api) {
                return Err(SetupError::CredentialForUnknownApi { api: api.clone() });
            }
        }
        Ok(Self {
            clock: Clock::default(),
            journal: Journal::default(),
            faults: Faults::default(),
            contracts,
            apis: slots,
            self_check,
            findings: Arc::new(Mutex::new(Vec::new())),
            max_entities: super::DEFAULT_MAX_ENTITIES,
            latency: None,
            prefix: String::new(),
            namespaces: Namespaces::new(super::DEFAULT_MAX_NAMESPACES),
        })
    }

    /// A namespace of this state, served under `prefix`: every API afresh in its seeded state
    /// (from its registration), the same contracts, credentials and limits, a clock, faults
    /// and journal of its own, and the server's findings. Fails for an API that is not
    /// registered (a test's own mock cannot be seeded again).
    pub(crate) fn namespace(&self, prefix: &str) -> Result<Self, SetupError> {
        let apis = self
            .apis
            .iter()
            .map(|slot| {
                let id = slot.api.id();
                let fresh = super::registration::registration(id)
                    .ok_or_else(|| SetupError::NotRegistered { api: id.into() })?;
                Ok(ApiSlot {
                    self_check: slot.self_check,
                    api: (fresh.mock)(),
                    // The root's credentials as they are now (the admin API may have added one).
                    credentials: RwLock::new(
                        slot.credentials
                            .read()
                            .unwrap_or_else(|e| e.into_inner())
                            .clone(),
                    ),
                })
            })
            .collect::<Result<Vec<_>, SetupError>>()?;
        Ok(Self {
            clock: Clock::default(),
            journal: Journal::with_capacity(self.journal.capacity()),
            faults: Faults::default(),
            contracts: self.contracts.clone(),
            apis,
            self_check: self.self_check,
            findings: self.findings.clone(),
            max_entities: self.max_entities,
            latency: self.latency,
            prefix: prefix.to_string(),
            namespaces: Namespaces::new(0),
        })
    }

    /// The path this state is served under: empty at the root, `/__ns/<name>` in a namespace.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The state with these limits: `max_entities` per tenant and kind, the last
    /// `journal_size` requests, `latency` before each API answer, and at most
    /// `max_namespaces` namespaces.
    pub(crate) fn limited(
        mut self,
        max_entities: usize,
        journal_size: usize,
        latency: Option<super::Latency>,
        max_namespaces: usize,
    ) -> Self {
        self.namespaces = Namespaces::new(max_namespaces);
        self.max_entities = max_entities;
        self.journal = Journal::with_capacity(journal_size);
        self.latency = latency;
        self
    }

    /// The mock of an API it serves (its test users, tenant settings).
    pub fn api(&self, api: &str) -> Option<&SharedApi> {
        self.slot(api).map(|s| &s.api)
    }

    pub(crate) fn slot(&self, api: &str) -> Option<&ApiSlot> {
        self.apis.iter().find(|s| s.api.id() == api)
    }

    /// The API served under a prefix, with its contract (every slot has one: [`Self::new`]
    /// refuses an API without, and the set does not change).
    pub(crate) fn routed(&self, api: &str) -> Option<(&ApiSlot, &Contract)> {
        let slot = self.slot(api)?;
        let contract = self.contracts.get(api).ok()?;
        Some((slot, contract))
    }

    /// The journal's entries, oldest first: every request the mock answered, optionally of
    /// one API only (what `GET /__admin/requests` answers; queries redacted).
    pub fn journal_entries(&self, api: Option<&str>) -> Vec<super::JournalEntry> {
        self.journal.entries(api)
    }

    /// The API ids the mock serves.
    pub fn api_ids(&self) -> Vec<&'static str> {
        self.apis.iter().map(|s| s.api.id()).collect()
    }

    /// The credentials an API accepts (defaults first).
    pub fn credentials(&self, api: &str) -> Vec<Credential> {
        self.slot(api)
            .map(|s| {
                s.credentials
                    .read()
                    .unwrap_or_else(|e| e.into_inner())
                    .list
                    .clone()
            })
            .unwrap_or_default()
    }

    /// Accepts one more credential for an API, or gives an accepted secret a new tenant (its
    /// name and flags: a Verified brand's integration type). `POST /__admin/tenants`.
    pub fn set_credential(&self, api: &str, credential: Credential) -> Result<(), SetupError> {
        let slot = self
            .slot(api)
            .ok_or_else(|| SetupError::NotServed { api: api.into() })?;
        check_settings(slot.api.as_ref(), &credential.tenant)?;
        slot.credentials
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .set(credential);
        Ok(())
    }

    pub(crate) fn tenant(&self, slot: &ApiSlot, secret: &str) -> Option<Arc<Tenant>> {
        slot.credentials
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .by_secret
            .get(secret)
            .cloned()
    }

    /// Back to the seeded start: every API's data, the clock, faults and the journal.
    pub fn reset(&self) {
        for slot in &self.apis {
            slot.api.reset();
        }
        self.clock.reset();
        self.faults.clear();
        self.journal.clear();
        // Self-check findings are kept: they describe the server's whole life, not a scenario.
    }

    pub(crate) fn self_checking(&self) -> bool {
        self.self_check
    }

    /// Keeps the self-check's violations (only when it is on).
    pub(crate) fn record_violations(&self, violations: Vec<Violation>) {
        if self.self_check {
            for v in violations {
                self.record_finding(v);
            }
        }
    }

    /// Keeps a finding whether self-check is on or not (a caught panic), up to
    /// [`MAX_FINDINGS`].
    pub(crate) fn record_finding(&self, finding: Violation) {
        let mut found = self.findings.lock().unwrap_or_else(|e| e.into_inner());
        if found.len() < MAX_FINDINGS {
            found.push(finding);
        }
    }

    /// Contract violations in the mock's own responses (when self-check is on) and panics
    /// caught while answering (always).
    pub fn violations(&self) -> Vec<Violation> {
        self.findings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// An API's dispatch table against its contract: every operation has a handler, every handler
/// is for an operation, and none is listed twice.
fn check_table(api: &str, contract: &Contract, handled: &[&str]) -> Result<(), TableMismatch> {
    let documented: Vec<&str> = contract
        .operations()
        .iter()
        .map(|o| o.id.as_str())
        .collect();
    let owned = |ids: Vec<&str>| ids.into_iter().map(str::to_string).collect::<Vec<_>>();
    let missing: Vec<&str> = documented
        .iter()
        .filter(|id| !handled.contains(id))
        .copied()
        .collect();
    let stray: Vec<&str> = handled
        .iter()
        .filter(|id| !documented.contains(id))
        .copied()
        .collect();
    let mut twice: Vec<&str> = handled
        .iter()
        .enumerate()
        .filter(|&(i, id)| handled.iter().take(i).any(|earlier| earlier == id))
        .map(|(_, id)| *id)
        .collect();
    twice.dedup();
    if missing.is_empty() && stray.is_empty() && twice.is_empty() {
        return Ok(());
    }
    Err(TableMismatch {
        api: api.into(),
        origin: contract.origin.clone(),
        missing: owned(missing),
        stray: owned(stray),
        twice: owned(twice),
    })
}

/// Refuses a tenant setting its API does not have, naming it and the ones it has.
fn check_settings(api: &dyn super::MockApi, tenant: &Tenant) -> Result<(), SetupError> {
    let known = api.tenant_settings();
    match tenant
        .settings
        .keys()
        .find(|name| known.iter().all(|(k, _)| k != name))
    {
        None => Ok(()),
        Some(setting) => Err(SetupError::UnknownSetting {
            api: api.id().into(),
            setting: setting.clone(),
            known: if known.is_empty() {
                "none".into()
            } else {
                known.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
            },
        }),
    }
}
