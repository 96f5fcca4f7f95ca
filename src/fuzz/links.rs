//! Stateful sequences along the contract's OpenAPI links: a valid request to an operation,
//! then each link its successful answer declares, with the linked parameters taken from that
//! answer (`$response.body#/data/id`) or from the request (`$request.path.id`), then the links
//! of those answers in turn (up to [`MAX_DEPTH`] links deep). A link marked `x-vouch-frees`
//! (a revocation, a deletion) is followed last, and then the link it names is followed again
//! to read the freed resource (`use_after_free`).
//!
//! A failure inside a sequence is filed under the operation whose answer failed, with every
//! step sent so far, so `replay` sends the whole sequence again (filling in the linked values
//! from the new answers). A link that cannot be followed (the earlier answer was not a 2xx, or
//! not JSON, or lacks a linked value) is counted with the reason in the report's link tally.

use super::cases::{self, Case, Parts};
use super::chain::{Chain, MAX_DEPTH, chain_to, fresh_namespace, reachable, successful_links};
use super::checks::{FollowedLink, Freed, frees};
use super::fill::{Unfilled, fill, place, takes_id};
use super::kinds::{Kind, run_kind, valid_parts};
use super::marks::sealed_at;
use super::optional::optional_values;
use super::outside;
use super::report::GapKind;
use super::sealed;
use super::send::{Failures, Found, Sent, check_case};
use super::sequence::{Step, Via};
use super::shared::Shared;
use super::strategy::Generator;
use crate::contract::{Contract, Link, Operation};
use proptest::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, VecDeque};

/// Why a link of a sequence was not followed; its words are the link tally's reasons in the
/// report (`answered 404`, `parameter id did not resolve (...)`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
enum NotFollowed {
    #[error("step {0} was not sent")]
    StepNotSent(usize),
    /// The earlier answer was not a documented 2xx.
    #[error("answered {0}")]
    Answered(u16),
    #[error("no link {link} at status {status}")]
    NoLink { link: String, status: u16 },
    #[error("the answer is not JSON")]
    NotJson,
    #[error("{0}")]
    Unfilled(#[from] Unfilled),
    /// What must happen outside the API first (`x-vouch-outside`) did not.
    #[error("{0}")]
    Outside(#[from] outside::Undone),
}

/// An answered step: what was sent and what came back.
struct Answered<'c> {
    op: &'c Operation,
    parts: Parts,
    status: u16,
    json: Option<Value>,
}

/// One sequence being sent.
struct Walk<'s, 'c> {
    shared: &'s Shared,
    handle: &'s tokio::runtime::Handle,
    contract: &'c Contract,
    tally: bool,
    steps: Vec<Step>,
    sent: Vec<Option<Answered<'c>>>,
    /// Every check that failed along the way: a failed check does not end the sequence.
    failures: Vec<Found>,
    /// Builds the next step's request from its filled parts in place of the positive case
    /// (a negative case on a live id, issue #22); `None` from it sends nothing.
    next_case: Option<LastCase<'s>>,
    /// The mock namespace every step is sent to, for fresh state (`None`: the target's own).
    namespace: Option<String>,
}

/// Builds the request of a chain's last step from its filled parts.
pub(crate) type LastCase<'a> = &'a dyn Fn(&Parts) -> Option<Case>;

impl<'s, 'c> Walk<'s, 'c> {
    fn new(
        shared: &'s Shared,
        handle: &'s tokio::runtime::Handle,
        contract: &'c Contract,
        tally: bool,
    ) -> Self {
        Self {
            shared,
            handle,
            contract,
            tally,
            steps: Vec::new(),
            sent: Vec::new(),
            failures: Vec::new(),
            next_case: None,
            namespace: None,
        }
    }

    /// What failed along the sequence, each with the steps up to its own.
    fn finish(self) -> Result<(), Failures> {
        Failures(self.failures).into_result()
    }

    /// Counts a link in the report's tally: followed (`None`) or not, with why.
    fn tally_link(&self, from: &Operation, link: &str, skipped: Option<String>) {
        if !self.tally {
            return;
        }
        let mut report = self.shared.report();
        let key = (self.contract.api.clone(), from.id.clone(), link.to_string());
        let entry = report.links.entry(key).or_default();
        match skipped {
            Some(reason) => *entry.skipped.entry(reason).or_default() += 1,
            None => entry.followed += 1,
        }
    }

    /// The link `via` names, from the answer it was declared in.
    fn link_of(&self, via: &Via) -> Result<(&'c Operation, &'c Link, u16), NotFollowed> {
        let Some(Some(from)) = self.sent.get(via.from) else {
            return Err(NotFollowed::StepNotSent(via.from));
        };
        let spec = from
            .op
            .response_for(from.status)
            .filter(|_| (200..300).contains(&from.status))
            .ok_or(NotFollowed::Answered(from.status))?;
        let link = spec
            .links
            .iter()
            .find(|l| l.name == via.link)
            .ok_or_else(|| NotFollowed::NoLink {
                link: via.link.clone(),
                status: from.status,
            })?;
        Ok((from.op, link, from.status))
    }

    /// How the step after a free must read, from the freeing step's link.
    fn freed(&self, k: usize) -> Option<Freed> {
        let via = self.steps.get(k)?.via.as_ref()?;
        let Some(Some(from)) = self.sent.get(via.from) else {
            return None;
        };
        let spec = from.op.response_for(from.status)?;
        let link = spec.links.iter().find(|l| l.name == via.link)?;
        frees(self.contract, spec, link)?.ok()
    }

    /// Sends `step`: its index when it was answered, `None` when it could not be sent (the
    /// reason is in the link tally). A failed check is kept and the sequence goes on from the
    /// answer, as far as the answer gives the next step what it needs (issue #22).
    fn send(&mut self, step: Step) -> Option<usize> {
        let build = self.next_case.take();
        let index = self.steps.len();
        self.steps.push(step.clone());
        self.sent.push(None);
        let Ok(op) = self.contract.operation(&step.operation) else {
            self.shared.gap(
                &self.contract.api,
                &step.operation,
                GapKind::NotSent,
                "a link sequence names an unknown operation".into(),
            );
            return None;
        };
        let (parts, mut followed) = match &step.via {
            None => (step.parts.clone(), None),
            Some(via) => {
                let (from_op, link, status) = match self.link_of(via) {
                    Ok(found) => found,
                    Err(reason) => {
                        if let Some(Some(from)) = self.sent.get(via.from) {
                            self.tally_link(from.op, &via.link, Some(reason.to_string()));
                        }
                        return None;
                    }
                };
                let Some(Some(from)) = self.sent.get(via.from) else {
                    return None;
                };
                let Some(answer) = from.json.clone() else {
                    self.tally_link(from_op, &link.name, Some(NotFollowed::NotJson.to_string()));
                    return None;
                };
                let keep: Vec<String> = optional_values(self.contract, op)
                    .into_iter()
                    .map(|v| v.name)
                    .collect();
                let linked = (&answer, &from.parts);
                let mut parts = match fill(link, op, step.parts.clone(), linked, &keep) {
                    Ok(parts) => parts,
                    Err(reason) => {
                        self.tally_link(from_op, &link.name, Some(reason.to_string()));
                        return None;
                    }
                };
                // What must happen outside the API first, and the parameters it gives.
                let spec = from_op.response_for(status);
                let given = match spec.and_then(|spec| outside::of(self.contract, spec, link)) {
                    None => Default::default(),
                    Some(mark) => {
                        match outside::arrange(self.shared, self.handle, &mark, &answer) {
                            Ok(given) => given,
                            Err(why) => {
                                let why = NotFollowed::from(why).to_string();
                                self.tally_link(from_op, &link.name, Some(why));
                                return None;
                            }
                        }
                    }
                };
                let mut followed = FollowedLink::new(link, from_op, status, &answer);
                followed.linked.extend(given.keys().cloned());
                for (name, value) in given {
                    place(op, &mut parts, &name, value);
                }
                followed.freed = via.after_free.and_then(|k| self.freed(k));
                self.tally_link(from_op, &link.name, None);
                (parts, Some(followed))
            }
        };
        let mut case = cases::positive(op, &parts);
        case.namespace = self.namespace.clone();
        if let Some(via) = &step.via {
            case.label = format!("{} (link {} of step {})", op.id, via.link, via.from + 1);
        }
        // A built (negative) case is judged as such: the link checks judge positive reads.
        if let Some(build) = build {
            case = build(&parts)?;
            case.namespace = self.namespace.clone();
            followed = None;
        }
        let checked = check_case(
            self.shared,
            self.handle,
            self.contract,
            op,
            &case,
            followed.as_ref(),
            self.tally,
        );
        for mut found in checked.failures.0 {
            found.sequence = self.steps.clone();
            self.failures.push(found);
        }
        let Sent::Answered { status, body } = checked.sent else {
            return None;
        };
        // Sealed members the fuzzer's keys open read as their plaintext, for the links.
        let json = serde_json::from_slice(&body)
            .ok()
            .map(|json| sealed::open(&sealed_at(self.contract, op, status), json));
        if let Some(slot) = self.sent.get_mut(index) {
            *slot = Some(Answered {
                op,
                parts,
                status,
                json,
            });
        }
        Some(index)
    }

    /// The links a sent step's answer declares, or `None` (counted as skipped) when they cannot
    /// be followed: the answer was not a 2xx.
    fn links_of(&self, i: usize) -> Option<Vec<&'c Link>> {
        let answered = self.sent.get(i)?.as_ref()?;
        let spec = answered.op.response_for(answered.status);
        match spec {
            Some(spec) if (200..300).contains(&answered.status) => {
                Some(spec.links.iter().collect())
            }
            _ => {
                for link in successful_links(answered.op) {
                    let why = format!("answered {}", answered.status);
                    self.tally_link(answered.op, &link.name, Some(why));
                }
                None
            }
        }
    }

    /// Sends the chain's first operation with `first`, then follows each link in turn, the
    /// last with `parts`: the last step's index, when it was answered.
    fn chain(
        &mut self,
        (root, chain): &Chain<'_>,
        (first, parts): (Parts, Parts),
        last: Option<LastCase<'s>>,
    ) -> Option<usize> {
        let mut at = self.send(Step {
            operation: root.id.clone(),
            via: None,
            parts: first,
        });
        for (k, link) in chain.iter().enumerate() {
            let from = at?;
            if k + 1 == chain.len() {
                self.next_case = last;
            }
            at = self.send(Step {
                operation: link.operation_id.clone(),
                via: Some(Via {
                    from,
                    link: link.name.clone(),
                    after_free: None,
                }),
                parts: if k + 1 == chain.len() {
                    parts.clone()
                } else {
                    Parts::default()
                },
            });
        }
        at
    }

    /// The sequence from a first request to `op` with `parts` (after the `live` chain that
    /// creates what it takes, when there is one), the linked requests drawing their other
    /// parts from `pool` (by operation id).
    fn generated(
        &mut self,
        op: &Operation,
        (parts, live): (Parts, Option<(&Chain<'_>, Parts)>),
        pool: &BTreeMap<String, Parts>,
    ) {
        let step = |operation: &str, via: Via| Step {
            operation: operation.to_string(),
            via: Some(via),
            parts: pool.get(operation).cloned().unwrap_or_default(),
        };
        let first = match live {
            Some((chain, first)) => self.chain(chain, (first, parts), None),
            None => self.send(Step {
                operation: op.id.clone(),
                via: None,
                parts,
            }),
        };
        let Some(first) = first else {
            return;
        };
        let mut queue = VecDeque::from([(first, 0)]);
        while let Some((i, depth)) = queue.pop_front() {
            if depth >= MAX_DEPTH {
                continue;
            }
            let Some(links) = self.links_of(i) else {
                continue;
            };
            let Some(Some(answered)) = self.sent.get(i) else {
                continue;
            };
            let from: &'c Operation = answered.op;
            let Some(spec) = from.response_for(answered.status) else {
                continue;
            };
            // Links that free what they read go last, so the others find it alive.
            let (freeing, plain): (Vec<&Link>, Vec<&Link>) = links
                .into_iter()
                .partition(|l| frees(self.contract, spec, l).is_some());
            for link in plain {
                let via = Via {
                    from: i,
                    link: link.name.clone(),
                    after_free: None,
                };
                if let Some(j) = self.send(step(&link.operation_id, via)) {
                    queue.push_back((j, depth + 1));
                }
            }
            for link in freeing {
                let freed = match frees(self.contract, spec, link) {
                    Some(Ok(freed)) => freed,
                    Some(Err(mistake)) => {
                        let api = self.contract.api.clone();
                        let mistake = mistake.to_string();
                        self.shared.gap(&api, &from.id, GapKind::NotSent, mistake);
                        continue;
                    }
                    None => continue,
                };
                let via = Via {
                    from: i,
                    link: link.name.clone(),
                    after_free: None,
                };
                let Some(k) = self.send(step(&link.operation_id, via)) else {
                    continue;
                };
                let freed_ok =
                    matches!(self.sent.get(k), Some(Some(a)) if (200..300).contains(&a.status));
                if !freed_ok {
                    continue;
                }
                queue.push_back((k, depth + 1));
                let Some(read) = spec.links.iter().find(|l| l.name == freed.read_with) else {
                    continue;
                };
                let via = Via {
                    from: i,
                    link: read.name.clone(),
                    after_free: Some(k),
                };
                self.send(step(&read.operation_id, via));
            }
        }
    }
}

/// Runs the link sequences that start at `op`, whose valid parts `strategy` generates; a
/// failing sequence is shrunk and recorded under the operation whose answer failed.
pub(crate) fn sequences(
    shared: &Shared,
    handle: &tokio::runtime::Handle,
    generator: &Generator<'_>,
    contract: &Contract,
    op: &Operation,
    strategy: BoxedStrategy<Parts>,
) {
    if successful_links(op).next().is_none() {
        return;
    }
    let targets = reachable(contract, op);
    let ids: Vec<String> = targets.iter().map(|t| t.id.clone()).collect();
    let pool: Vec<BoxedStrategy<Parts>> = targets
        .iter()
        .map(|t| valid_parts(shared, generator, contract, t))
        .collect();
    // A sequence from an operation that takes a path id starts on an id the run creates.
    let chain = chain_to(contract, op).filter(|_| takes_id(op));
    let root = match &chain {
        Some((root, _)) => valid_parts(shared, generator, contract, root),
        None => Just(Parts::default()).boxed(),
    };
    run_kind(
        shared,
        &contract.api,
        op,
        Kind::Links,
        (strategy, root, pool),
        |(parts, first, pool), tally| {
            let pool: BTreeMap<String, Parts> = ids.iter().cloned().zip(pool).collect();
            let mut walk = Walk::new(shared, handle, contract, tally);
            // On a live id, the operation itself is a link's target too.
            let live_op = chain.as_ref().map(|_| op.id.as_str());
            let linked = live_op.into_iter().chain(ids.iter().map(String::as_str));
            walk.namespace = fresh_namespace(shared, contract, linked);
            let live = chain.as_ref().map(|chain| (chain, first));
            walk.generated(op, (parts, live), &pool);
            walk.finish()
        },
    );
}

/// A case of the last operation of `chain` on an id the run creates: the chain's first
/// operation is sent with `first`, then each link is followed in turn, the last with `parts`
/// (issue #22: live ids, not only random ones that answer 404), its request built by `last`
/// when given (a negative case: an update accepting invalid data shows only on a live id).
/// With what failed, whether the last step was answered (the chain may stop short).
pub(crate) fn live(
    shared: &Shared,
    handle: &tokio::runtime::Handle,
    contract: &Contract,
    chain: &Chain<'_>,
    (parts, last): ((Parts, Parts), Option<LastCase<'_>>),
    tally: bool,
) -> (bool, Result<(), Failures>) {
    let mut walk = Walk::new(shared, handle, contract, tally);
    let linked = chain.1.iter().map(|l| l.operation_id.as_str());
    walk.namespace = fresh_namespace(shared, contract, linked);
    let reached = walk.chain(chain, parts, last).is_some();
    (reached, walk.finish())
}

/// Sends a saved sequence again, step by step, filling in the linked values from the new
/// answers; the last step's request is `last`'s when given (a saved negative case on a live id).
pub(crate) fn replay(
    shared: &Shared,
    handle: &tokio::runtime::Handle,
    contract: &Contract,
    steps: &[Step],
    last: Option<LastCase<'_>>,
) -> Result<(), Failures> {
    let mut walk = Walk::new(shared, handle, contract, true);
    for (i, step) in steps.iter().enumerate() {
        if i + 1 == steps.len() {
            walk.next_case = last;
        }
        walk.send(step.clone());
    }
    walk.finish()
}
