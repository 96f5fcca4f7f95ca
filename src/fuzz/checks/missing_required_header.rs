//! `missing_required_header`: a request that leaves out a required header parameter is
//! refused with 400, 401, 403, 406, 415 or 422 (Schemathesis' default expectation for its
//! check of the same name; 401 alone when the header is `Authorization`).
//!
//! A server that answers it anyway reads a default the contract does not document. It applies
//! to the negative cases that drop a required header parameter.

use super::{Check, CheckInput, Descriptor, FuzzCheck, Linked, Outcome};
use crate::contract::{Contract, Operation, ParamIn};
use crate::fuzz::cases::Probe;

pub(crate) struct MissingRequiredHeader;

/// `--checks missing_required_header`.
pub(super) const CHECK: Check = Check(&Descriptor {
    name: "missing_required_header",
    short: "reqhdr",
    help: "A request without a required header is refused (400, 401, 403, 406, 415 or 422).",
    linked: Linked::AnyCase,
    rule: &MissingRequiredHeader,
});

const EXPECTED: [u16; 6] = [400, 401, 403, 406, 415, 422];

impl FuzzCheck for MissingRequiredHeader {
    fn check(&self, input: &CheckInput<'_>) -> Option<Outcome> {
        let Some(Probe::MissingHeader { name }) = &input.case.probe else {
            return None;
        };
        let status = input.status()?;
        let expected: &[u16] = if name.eq_ignore_ascii_case("authorization") {
            &[401]
        } else {
            &EXPECTED
        };
        // A throttled answer the contract documents as a business refusal comes before the
        // request is read at all.
        let throttled = status == 429
            && input.answer.ok().is_some_and(|r| {
                super::positive_data_acceptance::business_refusal(
                    input.contract,
                    input.op,
                    status,
                    r.body,
                )
                .is_some_and(|m| m.is_ok())
            });
        Some(if expected.contains(&status) || throttled {
            Ok(())
        } else {
            let list: Vec<String> = expected.iter().map(ToString::to_string).collect();
            Err(format!(
                "answered {status} without the required header `{name}`, not one of {}",
                list.join(", ")
            )
            .into())
        })
    }

    fn applies_to(&self, _contract: &Contract, op: &Operation) -> bool {
        op.parameters
            .iter()
            .any(|p| p.required && p.location == ParamIn::Header)
    }
}
