//! `auth_required`: a case sent without a credential, or with a wrong one, is answered 401.
//!
//! Such a case is the positive one minus its credential, so anything but 401 means the
//! credential was not what decided the answer: the operation judges the request before the
//! caller, or refuses with the wrong status (a 2xx is `ignored_auth`'s). It applies to the
//! unauthenticated cases of operations that require a credential.

use super::{Check, CheckInput, Descriptor, FuzzCheck, Linked, Outcome, requires_credential};
use crate::contract::{Contract, Operation};
use crate::fuzz::cases::Credentials;

pub(crate) struct AuthRequired;

/// `--checks auth_required`.
pub(super) const CHECK: Check = Check(&Descriptor {
    name: "auth_required",
    short: "auth",
    help: "A case without (or with wrong) credentials gets 401.",
    linked: Linked::AnyCase,
    rule: &AuthRequired,
});

impl FuzzCheck for AuthRequired {
    fn check(&self, input: &CheckInput<'_>) -> Option<Outcome> {
        if input.case.credentials == Credentials::Valid || !requires_credential(input.op) {
            return None;
        }
        let status = input.status()?;
        Some(if status == 401 {
            Ok(())
        } else {
            Err(format!("{} answered {status}, not 401", input.case.label).into())
        })
    }

    fn applies_to(&self, _contract: &Contract, op: &Operation) -> bool {
        requires_credential(op)
    }
}
