//! `unsupported_method`: a request with a method the contract documents for none of the
//! path's operations is answered 405 Method Not Allowed, with an `Allow` header (RFC 9110
//! § 15.5.6).
//!
//! Stricter than Schemathesis' check of the same name, which also lets 401/403 (when the
//! operation is protected), 404 (for a drawn path id) and 429 pass: the probe carries a valid
//! credential, and the method is refused whatever the id. `OPTIONS` is probed too, but may be
//! answered (its `Allow` is `allow_header_conformance`'s).

use super::{Check, CheckInput, Descriptor, FuzzCheck, Linked, Outcome};
use crate::fuzz::cases::Probe;

pub(crate) struct UnsupportedMethod;

/// `--checks unsupported_method`.
pub(super) const CHECK: Check = Check(&Descriptor {
    name: "unsupported_method",
    short: "method",
    help: "An undocumented method gets 405 with an Allow header.",
    linked: Linked::AnyCase,
    rule: &UnsupportedMethod,
});

impl FuzzCheck for UnsupportedMethod {
    fn check(&self, input: &CheckInput<'_>) -> Option<Outcome> {
        if input.case.probe != Some(Probe::UnsupportedMethod) || input.case.method == "OPTIONS" {
            return None;
        }
        let response = input.answer.ok()?;
        let method = &input.case.method;
        Some(if response.status != 405 {
            Err(format!(
                "undocumented method {method} answered {}, not 405 Method Not Allowed{}",
                response.status,
                input.body_excerpt()
            )
            .into())
        } else if !response.headers.contains_key(http::header::ALLOW) {
            Err(format!("undocumented method {method} answered 405 without an Allow header").into())
        } else {
            Ok(())
        })
    }
}
