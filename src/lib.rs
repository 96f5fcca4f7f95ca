//! # vouch
//!
//! A contract and conformance harness for identity-verification HTTP APIs: Verified Inc.
//! (1-Click signup, credentials), Trusona Verification API 2.2.0, Truework credentials
//! sessions and Peach Finance borrower verification types.
//!
//! vouch is built in three replaceable parts, in the spirit of cucumber-rs:
//!
//! 1. **Contracts** ([`contract`]): one OpenAPI 3.1 document per API under `contracts/`,
//!    transcribed from the vendors' reference pages, with every choice the pages leave open
//!    written down in `contracts/NOTES.md`. A [`contract::ContractSet`] loads them, compiles
//!    every schema once, routes a method + URL to its operation, and validates requests and
//!    responses into [`contract::Violation`]s that name the JSON pointer and the rule broken.
//! 2. **Targets**: the vendors' sandboxes or vouch's own stateful mock.
//! 3. **Steps, checks and reports**: Gherkin features under `features/` drive a target; every
//!    response is checked against its contract.
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
pub mod targets;

pub use error::Error;
