//! The chains a live case walks (issue #22): the shortest chain of the contract's links from
//! the operation that creates something to an operation on what it created, and the fresh
//! mock namespace a walk runs in when it reaches a quota, and the operations a sequence can
//! reach. `links` sends the walks.

use super::checks::frees;
use super::fill::{needs_no_parts, takes_id};
use super::reproduce::namespaced_root;
use super::shared::Shared;
use crate::contract::{Contract, Link, Operation, StatusKey};
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many links deep a chain goes (`links`' sequences go as deep).
pub(crate) const MAX_DEPTH: usize = 3;

/// The operation that creates, and the links from its answer to an operation on what it
/// created.
pub(crate) type Chain<'c> = (&'c Operation, Vec<&'c Link>);

/// Whether `op` needs nothing but its path ids and a body (which a link's `requestBody` can
/// give).
fn needs_only_a_body(op: &Operation) -> bool {
    op.parameters
        .iter()
        .all(|p| !p.required || p.location == crate::contract::ParamIn::Path)
}

/// The shortest chain of links from an operation that takes no path parameter (the one that
/// creates) to `op`, none of them freeing what it reads but the last; `None` when no
/// chain of at most [`MAX_DEPTH`] links leads to `op`.
pub(crate) fn chain_to<'c>(contract: &'c Contract, op: &Operation) -> Option<Chain<'c>> {
    // Each entry: the operation reached backwards, the links from it to `op`, and whether the
    // link into it must give its body (a middle step needing one: createMessage on the way
    // to getMessage takes its body from the link, `{channel: COPY}`).
    let mut frontier: Vec<(String, Vec<&'c Link>, bool)> = vec![(op.id.clone(), Vec::new(), false)];
    for _ in 0..MAX_DEPTH {
        let mut next = Vec::new();
        for (id, chain, needs_body) in frontier {
            for from in contract.operations() {
                for response in from
                    .responses
                    .iter()
                    .filter(|r| matches!(r.status, StatusKey::Code(200..=299)))
                {
                    for link in response
                        .links
                        .iter()
                        .filter(|l| l.operation_id == id)
                        .filter(|l| !needs_body || l.request_body.is_some())
                    {
                        let freeing = frees(contract, response, link).is_some();
                        if freeing && !chain.is_empty() {
                            continue;
                        }
                        let mut longer = vec![link];
                        longer.extend(chain.iter().copied());
                        if !takes_id(from) {
                            return Some((from, longer));
                        }
                        // `from` would be a middle step, which is sent without parts of its
                        // own: only an operation that needs none (no required body, header or
                        // query parameter), or only a body that the link into it gives, can be
                        // one, or the chain would send an invalid request as a valid one (a
                        // false positive_data_acceptance).
                        if needs_no_parts(from) {
                            next.push((from.id.clone(), longer, false));
                        } else if needs_only_a_body(from) {
                            next.push((from.id.clone(), longer, true));
                        }
                    }
                }
            }
        }
        frontier = next;
    }
    None
}

/// The links of every successful response of `op`.
pub(crate) fn successful_links(op: &Operation) -> impl Iterator<Item = &Link> {
    op.responses
        .iter()
        .filter(|r| matches!(r.status, StatusKey::Code(200..=299)))
        .flat_map(|r| &r.links)
}

/// The operations a sequence from `op` can reach, `op` excluded, by id.
pub(crate) fn reachable<'c>(contract: &'c Contract, op: &Operation) -> Vec<&'c Operation> {
    let mut seen: Vec<&Operation> = Vec::new();
    let mut frontier: Vec<String> = successful_links(op)
        .map(|l| l.operation_id.clone())
        .collect();
    for _ in 0..MAX_DEPTH {
        let mut next = Vec::new();
        for id in frontier {
            let Ok(target) = contract.operation(&id) else {
                continue;
            };
            if !seen.iter().any(|s| s.id == target.id) {
                seen.push(target);
                next.extend(successful_links(target).map(|l| l.operation_id.clone()));
            }
        }
        frontier = next;
    }
    seen
}

/// Whether `op` documents a business refusal with 429: a quota or a throttle, which the run's
/// own traffic spends (a refusal of the request's values, a 400, no fresh state would lift).
fn refuses_when_spent(contract: &Contract, op: &Operation) -> bool {
    op.responses.iter().any(|r| {
        r.status == StatusKey::Code(429)
            && contract
                .document()
                .pointer(&format!("{}/x-vouch-business-refusal", r.pointer))
                .is_some()
    })
}

/// A mock namespace of its own (fresh state) for a walk that a link leads to an operation
/// that refuses once a quota is spent (Trusona's createMessage 429), on
/// the embedded mock: the walk creates everything it reads, so it runs as well there, and the
/// run's other walks do not spend the quota for it (issue #22).
pub(crate) fn fresh_namespace<'o>(
    shared: &Shared,
    contract: &Contract,
    mut linked: impl Iterator<Item = &'o str>,
) -> Option<String> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    namespaced_root(shared)?;
    let refused = linked.find(|id| {
        contract
            .operation(id)
            .is_ok_and(|op| refuses_when_spent(contract, op))
    })?;
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    Some(format!("fuzz-walk-{refused}-{n}"))
}
