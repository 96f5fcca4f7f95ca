//! What the sequence checks know of a request that follows a contract link: which link, from
//! which answer, what it must read back, and whether an earlier link of the sequence freed
//! (revoked, deleted) what it reads. The sequences themselves are `fuzz::links`'.
//!
//! `x-vouch-frees` (on a link; contracts/CONVENTIONS.md) marks a link whose operation ends the
//! life of what the answer created, and names the sibling link that reads it afterwards:
//!
//! ```yaml
//! RevokeIssuedCredential:
//!   operationId: patchCredential
//!   x-vouch-frees:
//!     readWith: GetIssuedCredential          # read it again along this link
//!     readsAs: {pointer: /status, value: revoked}   # optional: how a freed one reads
//! ```
//!
//! Without `readsAs` a freed resource must be gone (404 or 410).

use crate::contract::{Contract, Link, Operation, ResponseSpec, StatusKey};
use serde_json::Value;

/// The earlier answer lacked the value a link's `x-vouch-reads-back` names.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the answer of {operation} has no {pointer}")]
pub(crate) struct MissingSource {
    /// The operation whose answer lacked it.
    pub(crate) operation: String,
    /// The JSON pointer into that answer.
    pub(crate) pointer: String,
}

/// A malformed vouch mark in the contract (`x-vouch-frees`, `x-vouch-business-refusal`): a
/// contract mistake, reported rather than skipped.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("#{at}: {problem}")]
pub(crate) struct ContractMark {
    /// The JSON pointer of the mark in the contract.
    pub(crate) at: String,
    /// What is wrong with it.
    pub(crate) problem: String,
}

impl ContractMark {
    pub(crate) fn new(at: &str, problem: impl Into<String>) -> Self {
        Self {
            at: at.to_string(),
            problem: problem.into(),
        }
    }
}

/// A request that follows a link from an earlier answer of its sequence.
#[derive(Debug, Clone)]
pub(crate) struct FollowedLink {
    /// The link's name.
    pub(crate) name: String,
    /// The operation whose answer the link was followed from.
    pub(crate) from: String,
    /// Whether that answer created what the link reads: a POST answered 2xx.
    pub(crate) created: bool,
    /// The parameters the link fills in (the others were generated).
    pub(crate) linked: Vec<String>,
    /// `x-vouch-reads-back`: where the linked answer must hold the value, and the value the
    /// earlier answer held (`Err` names what it lacked).
    pub(crate) reads_back: Option<(String, Result<Value, MissingSource>)>,
    /// Set when an earlier link of the sequence freed what this request reads.
    pub(crate) freed: Option<Freed>,
    /// The earlier answer the link was followed from, for the checks that compare the two
    /// (`pagination_consistency`: a page against the page it follows).
    pub(crate) earlier: Value,
}

impl FollowedLink {
    /// `link`, followed from `answer`, which `from` answered with `status`.
    pub(crate) fn new(link: &Link, from: &Operation, status: u16, answer: &Value) -> Self {
        Self {
            name: link.name.clone(),
            from: from.id.clone(),
            created: from.method == http::Method::POST && (200..300).contains(&status),
            linked: link.parameters.keys().cloned().collect(),
            reads_back: link.reads_back.as_ref().map(|(source, to)| {
                let value = answer
                    .pointer(source)
                    .cloned()
                    .ok_or_else(|| MissingSource {
                        operation: from.id.clone(),
                        pointer: source.clone(),
                    });
                (to.clone(), value)
            }),
            freed: None,
            earlier: answer.clone(),
        }
    }

    /// The vouch mark `key` (`x-vouch-page`) on this link, where `contract` declares it on a
    /// successful response of the operation it was followed from.
    pub(crate) fn mark<'c>(
        &self,
        contract: &'c Contract,
        key: &str,
    ) -> Option<(String, &'c Value)> {
        let from = contract.operation(&self.from).ok()?;
        from.responses
            .iter()
            .filter(|r| matches!(r.status, StatusKey::Code(200..=299)))
            .filter(|r| r.links.iter().any(|l| l.name == self.name))
            .find_map(|spec| link_mark(contract, spec, &self.name, key))
    }
}

/// The vouch mark `key` on the link `name` of the response `spec`, with its JSON pointer.
pub(crate) fn link_mark<'c>(
    contract: &'c Contract,
    spec: &ResponseSpec,
    name: &str,
    key: &str,
) -> Option<(String, &'c Value)> {
    let at = format!(
        "{}/links/{}/{key}",
        spec.pointer,
        name.replace('~', "~0").replace('/', "~1")
    );
    let raw = contract.document().pointer(&at)?;
    Some((at, raw))
}

/// How a freed resource must read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Freed {
    /// The link that freed it.
    pub(crate) by: String,
    /// The sibling link that reads it again.
    pub(crate) read_with: String,
    /// Where a freed resource that is still served shows it, and the value there; `None`: it
    /// is gone (404/410).
    pub(crate) reads_as: Option<(String, Value)>,
}

/// The `x-vouch-frees` of `link` in the response `spec`, if it has one (a malformed one is
/// `Err`, so a contract mistake is reported rather than skipped).
pub(crate) fn frees(
    contract: &Contract,
    spec: &ResponseSpec,
    link: &Link,
) -> Option<Result<Freed, ContractMark>> {
    let at = format!(
        "{}/links/{}/x-vouch-frees",
        spec.pointer,
        link.name.replace('~', "~0").replace('/', "~1")
    );
    let raw = contract.document().pointer(&at)?;
    let Some(read_with) = raw.get("readWith").and_then(Value::as_str) else {
        return Some(Err(ContractMark::new(&at, "readWith names no link")));
    };
    if !spec.links.iter().any(|l| l.name == read_with) {
        return Some(Err(ContractMark::new(
            &at,
            format!("readWith `{read_with}` is not a link of this response"),
        )));
    }
    let reads_as = match raw.get("readsAs") {
        None => None,
        Some(r) => match (r.get("pointer").and_then(Value::as_str), r.get("value")) {
            (Some(pointer), Some(value)) => Some((pointer.to_string(), value.clone())),
            _ => {
                return Some(Err(ContractMark::new(
                    &at,
                    "readsAs needs a pointer and a value",
                )));
            }
        },
    };
    Some(Ok(Freed {
        by: link.name.clone(),
        read_with: read_with.to_string(),
        reads_as,
    }))
}

/// The successful responses of every operation with the links they declare.
fn successful_links(contract: &Contract) -> impl Iterator<Item = (&Operation, &ResponseSpec)> {
    contract.operations().iter().flat_map(|o| {
        o.responses
            .iter()
            .filter(|r| matches!(r.status, StatusKey::Code(200..=299)))
            .map(move |r| (o, r))
    })
}

/// Whether some link leads to `op` (from a POST's answer when `created_only`).
pub(crate) fn is_link_target(contract: &Contract, op: &Operation, created_only: bool) -> bool {
    successful_links(contract).any(|(from, spec)| {
        (!created_only || from.method == http::Method::POST)
            && spec.links.iter().any(|l| l.operation_id == op.id)
    })
}

/// Whether `op` is read again after a link frees what it reads.
pub(crate) fn is_read_after_free(contract: &Contract, op: &Operation) -> bool {
    successful_links(contract).any(|(_, spec)| {
        spec.links.iter().any(|l| {
            frees(contract, spec, l)
                .and_then(Result::ok)
                .and_then(|f| spec.links.iter().find(|r| r.name == f.read_with))
                .is_some_and(|r| r.operation_id == op.id)
        })
    })
}
