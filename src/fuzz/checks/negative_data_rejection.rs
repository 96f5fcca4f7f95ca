//! `negative_data_rejection`: a case that breaks exactly one documented rule of the request
//! (a body mutation, malformed JSON, a wrong Content-Type, a missing required parameter, a
//! query parameter of the wrong type) is refused with a documented 4xx.
//!
//! Accepting it would mean the contract promises a validation the server does not do; a 5xx
//! is `not_a_server_error`'s. It applies to negative cases with valid credentials (a case
//! without them is `auth_required`'s; an undocumented method is `unsupported_method`'s).

use super::{Check, CheckInput, Descriptor, FuzzCheck, Linked, Outcome};
use crate::contract::{Contract, Operation, ParamIn};
use crate::fuzz::cases::Credentials;

pub(crate) struct NegativeDataRejection;

/// `--checks negative_data_rejection`.
pub(super) const CHECK: Check = Check(&Descriptor {
    name: "negative_data_rejection",
    short: "neg",
    help: "A case that breaks one rule gets a documented 4xx.",
    linked: Linked::AnyCase,
    rule: &NegativeDataRejection,
});

impl FuzzCheck for NegativeDataRejection {
    fn check(&self, input: &CheckInput<'_>) -> Option<Outcome> {
        let case = input.case;
        if case.credentials != Credentials::Valid || case.positive || !input.own_method() {
            return None;
        }
        let status = input.status()?;
        Some(if (400..500).contains(&status) && input.documented {
            Ok(())
        } else {
            Err(format!(
                "{} answered {status}{}",
                case.label,
                if (400..500).contains(&status) {
                    ", which is not documented"
                } else {
                    ""
                }
            )
            .into())
        })
    }

    fn applies_to(&self, contract: &Contract, op: &Operation) -> bool {
        // What `cases::negative` can break: the body, a required parameter, a query one whose
        // type a string can break (integer, number, boolean; an optional string query
        // parameter, like Verified v2's `code`, gives it nothing to break).
        let typed = |p: &crate::contract::Parameter| {
            p.schema
                .as_ref()
                .and_then(|s| contract.document().pointer(s))
                .and_then(|s| s.get("type"))
                .and_then(|t| t.as_str())
                .is_some_and(|t| matches!(t, "integer" | "number" | "boolean"))
        };
        contract.body_schema(op, None).is_ok()
            || op.parameters.iter().any(|p| {
                p.location != ParamIn::Path
                    && (p.required || (p.location == ParamIn::Query && typed(p)))
            })
    }
}
