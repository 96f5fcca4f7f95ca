//! Helpers shared by the integration tests (not part of vouch's library).

pub(crate) mod snapshot;
