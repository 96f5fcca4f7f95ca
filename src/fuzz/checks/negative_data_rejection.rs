//! `negative_data_rejection`: a case that breaks exactly one documented rule of the request
//! (a body mutation, malformed JSON, a wrong Content-Type, a missing required parameter, a
//! query parameter of the wrong type) is refused with a documented 4xx.
//!
//! Accepting it would mean the contract promises a validation the server does not do; a 5xx
//! is `not_a_server_error`'s. It applies to negative cases with valid credentials (a case
//! without them is `auth_required`'s; an undocumented method is `unsupported_method`'s).
//!
//! A body that breaks only rules that are our choice (`x-vouch-choice`, contracts/NOTES.md
//! § Choices) is not judged unless `--strict`: no vendor source says the server must refuse
//! it, so a target that accepts it shows nothing wrong with the target.

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
        let refused = (400..500).contains(&status) && input.documented;
        if !refused && !input.strict && breaks_only_choices(input) {
            return None;
        }
        Some(if refused {
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

/// Whether the case's body breaks rules of the contract and every one is our choice.
fn breaks_only_choices(input: &CheckInput<'_>) -> bool {
    let Some(body) = input.case.body.as_deref() else {
        return false;
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(body) else {
        return false;
    };
    match input.contract.check_body(input.op, None, &value) {
        Ok(violations) => !violations.is_empty() && violations.iter().all(|v| v.is_unconfirmed()),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::HttpResponse;
    use crate::fuzz::cases::Case;
    use serde_json::json;

    /// A contract whose `size` must be at least 1 by our choice and an integer by the vendor.
    fn contract() -> Contract {
        let doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/things": {"post": {
                "operationId": "makeThing",
                "x-vouch-source": "Example page § Make",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"size": {
                        "type": "integer",
                        "minimum": 1,
                        "x-vouch-choice": {
                            "keywords": ["minimum"],
                            "reason": "assumed",
                            "notes": "choice-test"
                        }
                    }}
                }}}},
                "responses": {"201": {"description": "made"}, "400": {"description": "refused"}}
            }}}
        });
        Contract::from_value("things", doc, "test").unwrap()
    }

    fn judged(body: &str, strict: bool) -> Option<Outcome> {
        let contract = contract();
        let op = contract.operation("makeThing").unwrap();
        let case = Case {
            label: "a rule broken".into(),
            positive: false,
            method: "POST".into(),
            path: "/things".into(),
            headers: Vec::new(),
            body: Some(body.into()),
            content_type: Some("application/json".into()),
            credentials: Credentials::Valid,
            probe: None,
            namespace: None,
            tenant: None,
        };
        let headers = http::HeaderMap::new();
        let answer = HttpResponse {
            status: 201,
            headers: &headers,
            body: b"",
        };
        let input = CheckInput::new(&contract, op, &case, Ok(&answer), None, strict);
        NegativeDataRejection.check(&input)
    }

    #[test]
    fn accepting_what_breaks_only_our_choice_is_not_judged_unless_strict() {
        assert!(judged(r#"{"size": 0}"#, false).is_none());
        assert!(matches!(judged(r#"{"size": 0}"#, true), Some(Err(_))));
        // A vendor rule broken (the type) is judged either way.
        assert!(matches!(judged(r#"{"size": "big"}"#, false), Some(Err(_))));
    }
}
