//! The cucumber step library: a generic vocabulary any API's features use.
//!
//! - [`api`]: choose the API, the credential, extra headers;
//! - [`http`]: send requests (JSON, raw, oversized), follow URLs in responses;
//! - [`response`]: status, JSON-path assertions (equals, exists, absent, matches, length),
//!   remembering values for later steps (`{name}`), expected contract violations;
//! - [`fresh`]: fresh ids, once per scenario, so scenarios create their own data;
//! - [`mock_admin`]: the mock's clock, faults, journal and reset (`@mock-only` scenarios);
//! - Verified: [`verified_wallet`] (the user's actions in the Web Wallet) and
//!   [`verified_credentials`] (credential dates, revoking what a scenario issued).
//! - [`trusona_subject`]: the person in a Trusona verification, on the mock's own pages;
//! - [`trusona_encryption`]: key pairs, and decrypting Trusona's encrypted verifications.
//!
//! [`catalog`] lists them all (`vouch steps`) and finds the closest to an undefined step.
//!
//! Every response is checked against the contract by [`VouchWorld::send`], whether a step asks
//! or not. Domain steps for each API live beside these, one module per vendor concept.

pub(crate) mod api;
pub mod catalog;
pub(crate) mod explain;
pub(crate) mod fresh;
pub(crate) mod http;
pub(crate) mod mock_admin;
pub(crate) mod response;
mod world;

// The domain steps, one module per vendor concept, `src/steps/<api>_<concept>.rs`.
pub(crate) mod peach_verification_types;
pub(crate) mod trusona_encryption;
pub(crate) mod trusona_subject;
pub(crate) mod verified_credentials;
pub(crate) mod verified_wallet;

pub(crate) use world::VouchWorld;

use crate::contract::ContractSet;
use crate::redact::Secret;
use crate::targets::{Target, Which};
use std::sync::{Arc, RwLock};

/// What every scenario of a run shares.
pub(crate) struct Context {
    pub target: Arc<dyn Target>,
    pub contracts: Arc<ContractSet>,
    /// Unique per run, available as `{run_id}`.
    pub run_id: String,
    /// `--strict`: an unconfirmed finding (a violation of our choice) fails a step too.
    pub strict: bool,
    /// Kept while a scenario uses [`target`](Self::target): dropping it gives the target back
    /// to the run (a mock leased to one scenario at a time).
    pub _lease: Option<Box<dyn std::any::Any + Send + Sync>>,
}

impl Context {
    /// The target's credentials for `api` (both tenants, and each tenant with a flag the
    /// API's mock seeds), to show by their hints and scrub from reports.
    pub(crate) fn secrets(&self, api: &str) -> Vec<Secret> {
        let flagged = crate::targets::seeded_flags(api)
            .into_iter()
            .filter_map(|flag| self.target.flagged_credential(api, &flag).ok());
        [Which::Default, Which::Second]
            .into_iter()
            .filter_map(|w| self.target.credential(api, w).ok())
            .chain(flagged)
            .collect()
    }
}

static CONTEXT: RwLock<Option<Arc<Context>>> = RwLock::new(None);

/// Whether steps print what they find in passing (an unconfirmed finding) as they run: with
/// cucumber's pretty output, beside the step; for CI (`--output ci`) not, as the run's closing
/// lines and the reports list them.
static ECHO: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Sets whether steps print their findings as they run (see `ECHO`).
pub(crate) fn set_echo(echo: bool) {
    ECHO.store(echo, std::sync::atomic::Ordering::Relaxed);
}

pub(crate) fn echo() -> bool {
    ECHO.load(std::sync::atomic::Ordering::Relaxed)
}

/// Sets the context the next run's scenarios use.
pub(crate) fn set_context(context: Arc<Context>) {
    *CONTEXT.write().unwrap_or_else(|e| e.into_inner()) = Some(context);
}

pub(crate) fn context() -> Arc<Context> {
    CONTEXT
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .expect("steps::set_context is called before a run")
}
