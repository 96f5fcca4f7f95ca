//! Helpers shared by the integration tests (not part of vouch's library).

pub mod snapshot;
