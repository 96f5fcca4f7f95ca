//! `ignored_auth`: an operation that requires a credential does not accept a request without
//! one, or with a wrong one (no 2xx), as Schemathesis' check of the same name.
//!
//! `auth_required` asks more (exactly 401); this check names the graver defect, a protected
//! operation that serves anyone, so a target that ignores credentials is reported under it.

use super::{CheckInput, FuzzCheck, requires_credential};
use crate::contract::{Contract, Operation};
use crate::fuzz::cases::Credentials;

pub(crate) struct IgnoredAuth;

impl FuzzCheck for IgnoredAuth {
    fn check(&self, input: &CheckInput<'_>) -> Option<Result<(), String>> {
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
            ))
        } else {
            Ok(())
        })
    }

    fn applies_to(&self, _contract: &Contract, op: &Operation) -> bool {
        requires_credential(op)
    }
}
