//! vouch's stateful mock of every API, served over HTTP.
//!
//! All APIs share one listener, each under its own prefix (`/verified`, `/trusona`,
//! `/truework`, `/peach`), plus the admin API under `/__admin` (reset, clock, request journal,
//! faults, self-check findings). [`MockServer::start`] runs it in-process on an ephemeral port
//! and stops it when dropped; `vouch mock serve` runs it as a process.
//!
//! The behaviour common to all APIs (routing by the contract, credentials and tenancy, request
//! validation, faults, journal, self-check) is in `pipeline`; each API's own rules are a
//! [`MockApi`] in its module, written to read like the vendor's docs.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

pub(crate) mod admin;
mod answer;
pub(crate) mod api;
pub mod clock;
mod error;
pub(crate) mod faults;
mod header_clock;
pub(crate) mod html;
pub(crate) mod journal;
mod json_body;
mod json_writer;
mod latency;
pub(crate) mod namespaces;
mod panics;
pub(crate) mod pipeline;
pub(crate) mod registration;
pub(crate) mod request_body;
pub(crate) mod retention;
mod server;
pub(crate) mod state;

// One module per API, `src/mock/<api>/mod.rs`. Adding an API adds one line here and one to
// `BUILTIN` (README § Adding an API); `tests/architecture.rs` fails when a folder is missing
// from either list.
pub mod peach;
pub mod truework;
pub mod trusona;
pub mod verified;

/// Every API this build ships, in name order: the registry entries the API modules declare.
pub(crate) static BUILTIN: &[&registration::Registration] = &[
    &peach::REGISTRATION,
    &truework::REGISTRATION,
    &trusona::REGISTRATION,
    &verified::REGISTRATION,
];

pub use api::{
    Credential, ErrorContext, Handler, MockApi, MockError, MockRequest, MockResponse, Operations,
    Refusal, SharedApi, Tenant, UnroutedRequest,
};
pub use error::{ClockError, FaultError, LatencyError, NamespaceError, SetupError, TableMismatch};
pub use journal::{DEFAULT_JOURNAL_SIZE, Entry as JournalEntry};
pub use json_body::JsonBody;
pub use latency::{Latency, MAX_LATENCY};
pub use namespaces::{DEFAULT_MAX_NAMESPACES, IDLE_NAMESPACE};
pub use registration::Registration;
pub use retention::DEFAULT_MAX_ENTITIES;
pub use server::{DEFAULT_HEADER_TIMEOUT, MockConfig, MockServer, serve};
pub use state::MockState;

/// A fresh mock of every registered API (see `registration`), in registry order.
pub fn all_apis() -> Vec<SharedApi> {
    registration::registered()
        .into_iter()
        .map(|api| (api.mock)())
        .collect()
}
