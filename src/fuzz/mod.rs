//! Property fuzzing of every operation, derived from the contracts (in the spirit of
//! Schemathesis, natively in Rust with proptest; where a check overlaps one of Schemathesis'
//! it has its name and is at least as strict).
//!
//! - `strategy` turns the contract's JSON Schemas into proptest strategies;
//! - [`cases`] builds positive requests, negative ones that break exactly one documented
//!   rule, and probes (an undocumented method);
//! - [`checks`] names what is checked of every answer, one file per check;
//! - `run` drives a target: per operation it runs each kind of case (`kinds`: generation from
//!   a seeded stream, shrinking a failure to the smallest request); `send` sends one case,
//!   applies the checks and tallies them; `gaps` finds what the run meant to do and did not;
//! - `optional` lists the documented values of optional parameters and body properties,
//!   which the first positive cases send in turn;
//! - `fill` builds the request a link leads to from the earlier answer;
//! - `marks` applies the contract's fuzzing marks to generated requests (the fuzzer's own key
//!   where the answer is sealed to it, members only a flagged caller sends, cursors only a
//!   link gives); `sealed` holds the fuzzer's keys and opens what answers seal to them;
//! - `outside` does what must happen outside the API before a link (the subject scans);
//! - `chain` finds the chain of links to an operation on a live id, and the fresh namespace
//!   a walk runs in when it reaches a quota;
//! - `links` follows the contract's links from successful answers (stateful sequences, whose
//!   steps are `sequence`'s types);
//! - `shared` is the run's options and the state its threads share;
//! - `report` is what a run found, gaps (work not done) included;
//! - `persist` saves failures and loads them, and the committed regression cases, for replay;
//! - `reproduce` builds a case's request and renders a failure as a curl command.
//!
//! Each file names only files below it (`tests/architecture.rs`, no import circle): `run`
//! above `links` above `kinds` above `send` above `reproduce` above `shared`, and
//! `report`, `persist` above `sequence`.

pub mod cases;
mod chain;
pub mod checks;
mod fill;
mod gaps;
mod kinds;
mod links;
mod marks;
mod optional;
mod outside;
mod persist;
mod report;
mod reproduce;
mod run;
mod sealed;
mod send;
mod sequence;
mod shared;
mod strategy;

pub use checks::Check;
pub use persist::SavedCase;
pub use report::{FuzzFailure, FuzzReport, Gap, GapKind, LinkTally, PositiveTally};
pub use run::fuzz;
pub use sequence::{Step, Via};
pub use shared::FuzzOptions;
