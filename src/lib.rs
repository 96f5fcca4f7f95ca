//! # vouch
//!
//! A contract and conformance harness for identity-verification HTTP APIs: Verified Inc.
//! (1-Click signup, credentials), Trusona Verification API 2.2.0, Truework credentials
//! sessions and Peach Finance borrower verification types.
//!
//! vouch is a pipeline in the spirit of cucumber-rs, **contracts → target → steps and checks
//! → report writers**, and each module below is one part of it. Dependencies point one way
//! (from the bottom of this list up; `tests/architecture.rs` enforces it):
//!
//! - [`redact`]: what is secret or PII and how it is hidden (names, queries, headers, body
//!   shapes); [`jose`]: JWE as Trusona uses it; [`Error`]: what went wrong, naming the file,
//!   API, operation or field.
//! - [`contract`]: one OpenAPI 3.1 document per API under `contracts/`, transcribed from the
//!   vendors' pages with every choice written down in `contracts/NOTES.md`. A
//!   [`contract::ContractSet`] loads them, compiles every schema once, routes a method + URL
//!   to its operation, and validates requests and responses into [`contract::Violation`]s that
//!   name the JSON pointer and the rule broken.
//! - [`exchange`]: a request as sent, its answer, its outcome against the contract, the one
//!   curl renderer, and the record a report keeps.
//! - [`mock`]: the stateful mock of every API,
//!   one module per vendor, each dispatching through a table keyed by `operationId`.
//! - [`apis`]: the registry: every API and what vouch knows about it besides its contract.
//! - [`targets`]: where requests go (the mock in-process, a running mock, the sandboxes).
//! - [`fuzz`]: property fuzzing from the contracts; [`proxy`]: a validating proxy and
//!   recordings; the Gherkin step library (internal, used by the runner).
//! - [`report`]: the report model and one module per format.
//! - [`runner`]: running the features against a target; [`gate`]: the release gate.
//!
//! ```
//! use vouch::contract::{ContractSet, HttpResponse};
//!
//! let contracts = ContractSet::embedded().unwrap();
//! let verified = contracts.get("verified").unwrap();
//! let found = verified.find(&http::Method::GET, "/credentials/3f1c5e5e-1d2b-4c8a-9f7e-2b1a4c6d8e0f").unwrap();
//! let mut headers = http::HeaderMap::new();
//! headers.insert("content-type", "application/json".parse().unwrap());
//! let violations = verified.validate_response(
//!     found.operation,
//!     &HttpResponse { status: 200, headers: &headers, body: br#"{"id": 1}"# },
//! );
//! assert!(violations.iter().any(|v| v.pointer == "/body/id" && v.rule == "type"));
//! ```
//!
//! Secrets and PII never reach output: see [`redact`].

pub mod apis;
pub mod contract;
mod error;
pub mod evidence;
pub mod exchange;
pub mod fuzz;
pub mod gate;
pub mod jose;
pub mod mock;
pub mod proxy;
pub mod redact;
pub mod report;
pub mod runner;
mod steps;
/// The step library for feature authors: every step with an example (`vouch steps`).
pub use steps::catalog as step_library;
pub mod targets;

pub use error::Error;
