//! `status_code_conformance`: the answer's status is one the contract documents for the
//! operation (an exact code, a range such as `4XX`, or `default`).
//!
//! A client can only handle the statuses it was told about; an undocumented one is a contract
//! break even when it is a sensible status. Like Schemathesis' check of the same name it does
//! not apply to an undocumented-method probe, whose 405 is `unsupported_method`'s.

use super::{Check, CheckInput, Descriptor, FuzzCheck, Linked, Outcome};

pub(crate) struct StatusCodeConformance;

/// `--checks status_code_conformance`.
pub(super) const CHECK: Check = Check(&Descriptor {
    name: "status_code_conformance",
    short: "status",
    help: "The status is documented for the operation.",
    linked: Linked::AnyCase,
    rule: &StatusCodeConformance,
});

impl FuzzCheck for StatusCodeConformance {
    fn check(&self, input: &CheckInput<'_>) -> Option<Outcome> {
        if !input.own_method() {
            return None;
        }
        let status = input.status()?;
        Some(if input.documented {
            Ok(())
        } else {
            let documented: Vec<String> = input
                .op
                .statuses()
                .iter()
                .map(ToString::to_string)
                .collect();
            Err(format!(
                "status {status} is not documented for {} (documented: {})",
                input.op.id,
                documented.join(", ")
            )
            .into())
        })
    }
}
