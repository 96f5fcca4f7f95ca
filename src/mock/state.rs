//! Everything the mock shares across requests: the clock, the journal, faults, each API's
//! mock and accepted credentials, and the self-check's findings.

use super::api::{Credential, SharedApi, Tenant};
use super::clock::Clock;
use super::faults::Faults;
use super::journal::Journal;
use crate::contract::{Contract, ContractSet, Violation};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub(crate) struct ApiSlot {
    pub api: SharedApi,
    pub contract_index: usize,
    pub credentials: Vec<Credential>,
    by_secret: HashMap<String, Tenant>,
}

pub struct MockState {
    pub clock: Clock,
    pub journal: Journal,
    pub faults: Faults,
    pub contracts: Arc<ContractSet>,
    pub(crate) apis: Vec<ApiSlot>,
    self_check: Option<Mutex<Vec<Violation>>>,
}

impl MockState {
    /// `extra` credentials are added to the APIs' default ones.
    pub fn new(
        contracts: Arc<ContractSet>,
        apis: Vec<SharedApi>,
        extra: &[(String, Credential)],
        self_check: bool,
    ) -> Result<Self, String> {
        let mut slots = Vec::new();
        for api in apis {
            let contract_index = contracts
                .iter()
                .position(|c| c.api == api.id())
                .ok_or_else(|| format!("the mock for `{}` has no contract", api.id()))?;
            let mut credentials = api.default_credentials();
            credentials.extend(
                extra
                    .iter()
                    .filter(|(a, _)| a == api.id())
                    .map(|(_, c)| c.clone()),
            );
            let by_secret = credentials
                .iter()
                .map(|c| (c.secret.clone(), c.tenant.clone()))
                .collect();
            slots.push(ApiSlot {
                api,
                contract_index,
                credentials,
                by_secret,
            });
        }
        for (api, _) in extra {
            if !slots.iter().any(|s| s.api.id() == api) {
                return Err(format!("credential for unknown API `{api}`"));
            }
        }
        Ok(Self {
            clock: Clock::default(),
            journal: Journal::default(),
            faults: Faults::default(),
            contracts,
            apis: slots,
            self_check: self_check.then(|| Mutex::new(Vec::new())),
        })
    }

    pub(crate) fn slot(&self, api: &str) -> Option<&ApiSlot> {
        self.apis.iter().find(|s| s.api.id() == api)
    }

    pub(crate) fn contract(&self, slot: &ApiSlot) -> &Contract {
        self.contracts
            .iter()
            .nth(slot.contract_index)
            .expect("slot index comes from this set")
    }

    /// The API ids the mock serves.
    pub fn api_ids(&self) -> Vec<&'static str> {
        self.apis.iter().map(|s| s.api.id()).collect()
    }

    /// The credentials an API accepts (defaults first).
    pub fn credentials(&self, api: &str) -> Vec<Credential> {
        self.slot(api)
            .map(|s| s.credentials.clone())
            .unwrap_or_default()
    }

    pub(crate) fn tenant(&self, slot: &ApiSlot, secret: &str) -> Option<Tenant> {
        slot.by_secret.get(secret).cloned()
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
        self.self_check.is_some()
    }

    pub(crate) fn record_violations(&self, violations: Vec<Violation>) {
        if let Some(found) = &self.self_check {
            found
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(violations);
        }
    }

    /// Contract violations in the mock's own responses (only when self-check is on).
    pub fn violations(&self) -> Vec<Violation> {
        self.self_check
            .as_ref()
            .map(|f| f.lock().unwrap_or_else(|e| e.into_inner()).clone())
            .unwrap_or_default()
    }
}
