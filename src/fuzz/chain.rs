//! The chain of links that leads to an operation on a path id from the operation that
//! creates what it takes: `links` sends it before a case on a live id (issue #22), and starts
//! a sequence from such an operation with it.

use super::checks::frees;
use super::fill::{needs_no_parts, takes_id};
use crate::contract::{Contract, Link, Operation, StatusKey};

/// How many links deep a sequence goes from its first request.
pub(crate) const MAX_DEPTH: usize = 3;

/// The operation that creates, and the links from its answer to an operation on what it
/// created.
pub(crate) type Chain<'c> = (&'c Operation, Vec<&'c Link>);

/// The shortest chain of links from an operation that takes no path parameter (the one that
/// creates) to `op`, none of them freeing what it reads but the last; `None` when no
/// chain of at most [`MAX_DEPTH`] links leads to `op`.
pub(crate) fn chain_to<'c>(contract: &'c Contract, op: &Operation) -> Option<Chain<'c>> {
    let mut frontier: Vec<(String, Vec<&'c Link>)> = vec![(op.id.clone(), Vec::new())];
    for _ in 0..MAX_DEPTH {
        let mut next = Vec::new();
        for (id, chain) in frontier {
            for from in contract.operations() {
                for response in from
                    .responses
                    .iter()
                    .filter(|r| matches!(r.status, StatusKey::Code(200..=299)))
                {
                    for link in response.links.iter().filter(|l| l.operation_id == id) {
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
                        // query parameter) can be one, or the chain would send an invalid
                        // request as a valid one (a false positive_data_acceptance).
                        if needs_no_parts(from) {
                            next.push((from.id.clone(), longer));
                        }
                    }
                }
            }
        }
        frontier = next;
    }
    None
}
