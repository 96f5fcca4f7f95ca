//! `positive_data_acceptance`: a case valid by the contract, with valid credentials, is
//! accepted: a 2xx. Two refusals pass, and only these:
//!
//! - a status the contract marks, on that operation's response, as a documented business
//!   refusal: `x-vouch-business-refusal` with the vendor doc's reason, and optionally `when`, a
//!   regular expression the answer's body must match (so one documented refusal does not excuse
//!   every other answer with the same status; contracts/CONVENTIONS.md);
//! - 404 for a path id the fuzzer drew at random (it names nothing), never for one a link took
//!   from an earlier answer.
//!
//! Stricter than Schemathesis' check of the same name, which lets any 401, 403, 404, 409 and
//! 429 pass: a target answering a documented 400 to every valid request fails here.

use super::{Check, CheckInput, ContractMark, Descriptor, FuzzCheck, Linked, Outcome};
use crate::contract::{Contract, Operation};
use crate::fuzz::cases::Credentials;
use serde_json::Value;

pub(crate) struct PositiveDataAcceptance;

/// `--checks positive_data_acceptance`.
pub(super) const CHECK: Check = Check(&Descriptor {
    name: "positive_data_acceptance",
    short: "pos",
    help: "A valid case gets a 2xx, or a documented business refusal, or 404 for a drawn id.",
    linked: Linked::AnyCase,
    rule: &PositiveDataAcceptance,
});

/// The reason the contract gives for answering `status` to a valid request of `op` with
/// `body`, when it marks that answer as a business refusal (`x-vouch-business-refusal`: a
/// reason, `{reason, when}`, or a list of those); `Err` for a malformed mark.
pub(crate) fn business_refusal(
    contract: &Contract,
    op: &Operation,
    status: u16,
    body: &[u8],
) -> Option<Result<String, ContractMark>> {
    let spec = op.response_for(status)?;
    let at = format!("{}/x-vouch-business-refusal", spec.pointer);
    let mark = contract.document().pointer(&at)?;
    let marks = match mark {
        Value::Array(marks) => marks.iter().collect(),
        one => vec![one],
    };
    let text = String::from_utf8_lossy(body);
    for mark in marks {
        let (reason, when) = match mark {
            Value::String(reason) => (reason.as_str(), None),
            Value::Object(m) => match (m.get("reason").and_then(Value::as_str), m.get("when")) {
                (Some(reason), None) => (reason, None),
                (Some(reason), Some(Value::String(when))) => (reason, Some(when.as_str())),
                _ => {
                    return Some(Err(ContractMark::new(
                        &at,
                        "needs a reason and, optionally, when",
                    )));
                }
            },
            _ => {
                return Some(Err(ContractMark::new(
                    &at,
                    "a reason, {reason, when}, or a list",
                )));
            }
        };
        match when.map(regex::Regex::new) {
            None => return Some(Ok(reason.to_string())),
            Some(Err(e)) => {
                return Some(Err(ContractMark::new(
                    &at,
                    format!("when is not a regular expression: {e}"),
                )));
            }
            Some(Ok(re)) if re.is_match(&text) => return Some(Ok(reason.to_string())),
            Some(Ok(_)) => {}
        }
    }
    None
}

impl FuzzCheck for PositiveDataAcceptance {
    fn check(&self, input: &CheckInput<'_>) -> Option<Outcome> {
        // A read of what a link freed is `use_after_free`'s.
        if input.case.credentials != Credentials::Valid
            || !input.case.positive
            || input.link.is_some_and(|l| l.freed.is_some())
        {
            return None;
        }
        let response = input.answer.ok()?;
        let status = response.status;
        if (200..300).contains(&status) {
            return Some(Ok(()));
        }
        match business_refusal(input.contract, input.op, status, response.body) {
            Some(Ok(_)) if input.documented => return Some(Ok(())),
            Some(Err(mark)) => return Some(Err(mark.into())),
            _ => {}
        }
        // A drawn path id names nothing; one a link took from an earlier answer must exist.
        let drawn = input
            .op
            .path
            .params()
            .any(|p| input.link.is_none_or(|l| !l.linked.iter().any(|n| n == p)));
        if status == 404 && drawn {
            return Some(Ok(()));
        }
        Some(Err(format!(
            "a valid request answered {status}{}{}",
            if input.link.is_some() && status == 404 {
                " for an id taken from an earlier answer"
            } else {
                ""
            },
            input.body_excerpt()
        )
        .into()))
    }
}
