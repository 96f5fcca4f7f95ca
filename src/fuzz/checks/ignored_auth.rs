//! `ignored_auth`: an operation that requires a credential does not accept a request without
//! one, or with a wrong one (no 2xx), as Schemathesis' check of the same name.
//!
//! `auth_required` asks more (exactly 401); this check names the graver defect, a protected
//! operation that serves anyone, so a target that ignores credentials is reported under it.

use super::{Check, CheckInput, Descriptor, FuzzCheck, Linked, Outcome, requires_credential};
use crate::contract::{Contract, Operation};
use crate::fuzz::cases::Credentials;

pub(crate) struct IgnoredAuth;

/// `--checks ignored_auth`.
pub(super) const CHECK: Check = Check(&Descriptor {
    name: "ignored_auth",
    short: "noauth",
    help: "A case without (or with wrong) credentials is not accepted (no 2xx).",
    linked: Linked::AnyCase,
    rule: &IgnoredAuth,
});

impl FuzzCheck for IgnoredAuth {
    fn check(&self, input: &CheckInput<'_>) -> Option<Outcome> {
        if input.case.credentials == Credentials::Valid || !requires_credential(input.op) {
            return None;
        }
        let status = input.status()?;
        Some(if (200..300).contains(&status) {
            Err(format!(
                "the API accepted a request {} ({status})",
                match input.case.credentials {
                    Credentials::Wrong => "with an invalid credential",
                    _ => "without authentication",
                }
            )
            .into())
        } else {
            Ok(())
        })
    }

    fn applies_to(&self, _contract: &Contract, op: &Operation) -> bool {
        requires_credential(op)
    }
}
