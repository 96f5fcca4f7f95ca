//! The API registry: everything vouch knows about an API besides its contract, in one entry
//! per API. Each API's entry is the `REGISTRATION` in its own `src/mock/<api>/mod.rs`, listed
//! in `mock/mod.rs` (one module line and one `BUILTIN` entry); everything that differs
//! per API (the mock, the credentials to use against a sandbox, snapshot filters, where the
//! vendor puts its error code, PII names) is read from here. The library's `apis` module is the facade.

use super::SharedApi;
use std::sync::{Once, RwLock};

/// One API, as it registers itself.
#[derive(Debug)]
pub struct Registration {
    /// The API's name: its contract is `contracts/<id>.yaml`, its features `features/<id>/`,
    /// its mock is served under `/<id>`, its sandbox settings are `VOUCH_<ID>_*`.
    pub id: &'static str,
    /// A fresh mock of the API, in its seeded state.
    pub mock: fn() -> SharedApi,
    /// Credentials the vendor publishes for its sandbox (used there when the user sets none).
    pub public_test_credentials: &'static [&'static str],
    /// Regular expressions and replacements for ids this API generates that differ from run
    /// to run (applied to snapshots besides the generic uuid, time and JOSE filters).
    pub snapshot_filters: &'static [(&'static str, &'static str)],
    /// JSON pointers where this vendor puts its own error code in an error body (the report's
    /// error-code coverage); the first that holds a string wins.
    pub error_code_pointers: &'static [&'static str],
    /// Member names that hold PII in this API beyond the generic ones of
    /// [`crate::redact`] (an SSN, a birth date, a token...).
    pub pii_names: &'static [&'static str],
}

/// APIs registered at run time ([`register`]), after the built-in ones.
static EXTRA: RwLock<Vec<&'static Registration>> = RwLock::new(Vec::new());

/// Adds an API that is not built in (an embedding program's own, or a test's). It takes part
/// in everything the built-in ones do from then on: the mock, the runner, the reports. A
/// second registration of the same id is ignored.
pub fn register(api: &'static Registration) {
    crate::redact::add_sensitive_names(api.pii_names);
    let mut extra = EXTRA.write().unwrap_or_else(|e| e.into_inner());
    let known = super::BUILTIN
        .iter()
        .chain(extra.iter())
        .any(|r| r.id == api.id);
    if !known {
        extra.push(api);
    }
}

/// Every registered API: the built-in ones in name order, then those added with [`register`].
pub(crate) fn registered() -> Vec<&'static Registration> {
    static BUILTIN_NAMES: Once = Once::new();
    BUILTIN_NAMES.call_once(|| {
        for api in super::BUILTIN {
            crate::redact::add_sensitive_names(api.pii_names);
        }
    });
    let extra = EXTRA.read().unwrap_or_else(|e| e.into_inner());
    super::BUILTIN
        .iter()
        .copied()
        .chain(extra.iter().copied())
        .collect()
}

/// The registered API named `id`.
pub(crate) fn registration(id: &str) -> Option<&'static Registration> {
    registered().into_iter().find(|r| r.id == id)
}
