//! `ensure_resource_availability`: what a POST just created can be read along the links its
//! answer declares: the linked request, whose every linked value comes from that answer, is
//! not answered 404 or 410 (unless a link of the sequence freed it on purpose; that is
//! `use_after_free`'s).
//!
//! Schemathesis' check of the same name fails on 404 only; a 410 for a resource created a
//! moment ago is as wrong.

use super::{Check, CheckInput, Descriptor, FuzzCheck, Linked, Outcome, is_link_target};
use crate::contract::{Contract, Operation};

pub(crate) struct EnsureResourceAvailability;

/// `--checks ensure_resource_availability`.
pub(super) const CHECK: Check = Check(&Descriptor {
    name: "ensure_resource_availability",
    short: "avail",
    help: "What a POST just created can be read along its links (no 404/410).",
    linked: Linked::Only,
    rule: &EnsureResourceAvailability,
});

impl FuzzCheck for EnsureResourceAvailability {
    fn check(&self, input: &CheckInput<'_>) -> Option<Outcome> {
        let link = input.link?;
        if !link.created || link.freed.is_some() {
            return None;
        }
        let status = input.status()?;
        Some(if status == 404 || status == 410 {
            Err(format!(
                "answered {status} for a resource that was just created (created with {}, not \
                 available with {} along link {}){}",
                link.from,
                input.op.id,
                link.name,
                input.body_excerpt()
            )
            .into())
        } else {
            Ok(())
        })
    }

    fn applies_to(&self, contract: &Contract, op: &Operation) -> bool {
        is_link_target(contract, op, true)
    }
}
