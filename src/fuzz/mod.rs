//! Property fuzzing of every operation, derived from the contracts (in the spirit of
//! Schemathesis, natively in Rust with proptest).
//!
//! [`strategy`] turns the contract's JSON Schemas into proptest strategies; [`cases`] builds
//! positive requests and negative ones that break exactly one documented rule; [`checks`] names
//! what is checked of every answer; [`run`] drives a target, shrinks failures to the smallest
//! request, saves them for replay and tallies operation x check.

pub mod cases;
pub mod checks;
pub mod run;
pub mod strategy;

pub use checks::Check;
pub use run::{FuzzFailure, FuzzOptions, FuzzReport, SavedCase, fuzz};
