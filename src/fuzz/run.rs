//! Running the fuzzer: per operation, proptest generates cases (positive, negative, without
//! credentials, probes of undocumented methods), sends them through the target, applies the
//! checks, and shrinks a failure to the smallest case. Operations run in parallel on blocking
//! threads (generation stays off the async path); requests share the target's keep-alive
//! client.
//!
//! This file drives; running one kind of case is `kinds`', sending and tallying one case
//! `send`'s, the gaps after a run `gaps`', the link sequences are in `links`, the checks'
//! rules in `checks`, saved and regression cases in `persist`, the report in `report`, the
//! request and curl of a case in `reproduce`, the options and shared state in `shared`. Nothing is dropped: an aborted strategy, a panicked task, a request
//! that could not be built, a check that never applied or a link never followed is a
//! [`Gap`] of the report, and fails the run.

use super::cases::{self, Case, Parts};
use super::gaps::find_gaps;
use super::kinds::{Kind, Roots, run_kind, valid_parts};
use super::persist::{self, SavedCase};
use super::report::{FuzzReport, GapKind};
use super::reproduce::namespaced_root;
use super::send::{Failures, check_case, record};
use super::shared::{FuzzOptions, Shared};
use super::strategy::Generator;
use super::{chain, fill, links, optional};
use crate::contract::ContractSet;
use crate::targets::Target;
use proptest::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Fuzzes every selected operation; `progress` is advanced once per case.
pub async fn fuzz(
    contracts: Arc<ContractSet>,
    target: Arc<dyn Target>,
    options: FuzzOptions,
    progress: Option<indicatif::ProgressBar>,
) -> Result<FuzzReport, crate::Error> {
    let mut work = Vec::new();
    for contract in contracts
        .iter()
        .filter(|c| options.apis.is_empty() || options.apis.contains(&c.api))
    {
        for op in contract.operations() {
            if options.operations.is_empty() || options.operations.contains(&op.id) {
                work.push((contract.api.clone(), op.id.clone()));
            }
        }
    }
    for id in &options.operations {
        if !work.iter().any(|(_, o)| o == id) {
            return Err(crate::Error::Config {
                path: "--operation".into(),
                message: format!("no operation `{id}` in the selected APIs"),
            });
        }
    }
    let saved = persist::load(
        &contracts,
        options.regressions.as_ref(),
        options.failures_file.as_ref(),
    )?;
    if let Some(p) = &progress {
        p.set_length(work.len() as u64 * 5 * u64::from(options.cases) + saved.len() as u64);
    }
    let started = Instant::now();
    let shared = Arc::new(Shared {
        contracts: contracts.clone(),
        target,
        options: options.clone(),
        report: Mutex::new(FuzzReport::default()),
        progress,
    });
    for s in &saved {
        if !work.iter().any(|(a, o)| *a == s.api && *o == s.operation) {
            shared.gap(
                &s.api,
                &s.operation,
                GapKind::NotReplayed,
                format!(
                    "saved case `{}`: its operation is not selected",
                    s.case.label
                ),
            );
        }
    }
    let handle = tokio::runtime::Handle::current();
    let permits = Arc::new(tokio::sync::Semaphore::new(options.parallel.max(1)));
    let mut tasks = Vec::new();
    for (api, operation) in work.clone() {
        let (shared, handle, permits) = (shared.clone(), handle.clone(), permits.clone());
        let replays: Vec<SavedCase> = saved
            .iter()
            .filter(|s| s.api == api && s.operation == operation)
            .cloned()
            .collect();
        let (a, o) = (api.clone(), operation.clone());
        let task = tokio::spawn(async move {
            let _permit = permits.acquire_owned().await;
            tokio::task::spawn_blocking(move || {
                let began = Instant::now();
                fuzz_operation(&shared, &handle, &api, &operation, &replays);
                shared.report().busy += began.elapsed();
            })
            .await
        });
        tasks.push((a, o, task));
    }
    for (api, operation, task) in tasks {
        let panicked = match task.await {
            Ok(Ok(())) => None,
            Ok(Err(e)) | Err(e) => Some(panic_message(e)),
        };
        if let Some(message) = panicked {
            shared.gap(&api, &operation, GapKind::Panicked, message);
        }
    }
    let shared = Arc::try_unwrap(shared).map_err(|_| crate::Error::Config {
        path: "fuzz".into(),
        message: "a fuzz task outlived the run".into(),
    })?;
    let mut report = shared
        .report
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    report.elapsed = started.elapsed();
    find_gaps(&contracts, &options, &work, &mut report);
    report.unsupported.sort();
    report.unsupported.dedup();
    report.gaps.sort();
    if let Some(path) = &options.failures_file {
        persist::save_failures(path, &report.failures)?;
    }
    Ok(report)
}

fn panic_message(e: tokio::task::JoinError) -> String {
    if !e.is_panic() {
        return format!("the task was cancelled: {e}");
    }
    let payload = e.into_panic();
    let text = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a panic without a message".into());
    format!("panicked: {text}")
}

/// One positive case in this many of an operation that takes a path id goes to a random id
/// (the 404 path); the others go to ids the run creates along the contract's links.
const RANDOM_ID_EVERY: usize = 10;

/// `parts` with the `i`th documented value of an optional parameter, while there is one and
/// the request stays valid: the first cases send each value in turn, so every one is sent
/// whatever the budget (issue #22).
fn with_optional(
    contract: &crate::contract::Contract,
    op: &crate::contract::Operation,
    i: usize,
    parts: Parts,
) -> Parts {
    let optional = optional::optional_values(contract, op);
    match optional.get(i).map(|value| value.set(parts.clone())) {
        Some(forced) if cases::is_valid(contract, op, &cases::positive(op, &forced)) => forced,
        _ => parts,
    }
}

/// The positive cases of an operation that takes a path id and that a chain of links
/// reaches: most on an id the chain's first operation has just created, one in
/// [`RANDOM_ID_EVERY`] on a random one.
fn live_positives(
    shared: &Shared,
    handle: &tokio::runtime::Handle,
    contract: &crate::contract::Contract,
    op: &crate::contract::Operation,
    (chain, roots): (&chain::Chain<'_>, &Roots),
    (strategy, root): (BoxedStrategy<Parts>, BoxedStrategy<Parts>),
) {
    let next = AtomicUsize::new(0);
    run_kind(
        shared,
        &contract.api,
        op,
        Kind::Positive,
        (strategy, root),
        |(parts, first), tally| {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let parts = with_optional(contract, op, i, parts);
            let on_random_id = |tally| {
                let case = cases::positive(op, &parts);
                own_case(shared, &contract.api, op, tally);
                check_case(shared, handle, contract, op, &case, None, tally)
                    .into_result()
                    .map(|_| ())
            };
            if i % RANDOM_ID_EVERY == RANDOM_ID_EVERY - 1 {
                return on_random_id(tally);
            }
            let attempt = |first: Parts| {
                let parts = ((first, parts.clone()), None);
                let sent = links::live(shared, handle, contract, chain, parts, tally);
                if sent.0 {
                    own_case(shared, &contract.api, op, tally);
                }
                sent
            };
            live_or_random(roots, first, attempt, || on_random_id(tally))
        },
    );
}

/// How many more first requests a case on a live id tries, each with fresh parts, when the
/// chain stops short (the creating request refused: an unknown partner, a conflict), before
/// it goes to a random id.
const MORE_ROOTS: usize = 8;

/// A case on a live id: the chain from `first`; when it stops short, the chain again from
/// fresh first parts drawn from `roots` (up to [`MORE_ROOTS`] times), then the case on a
/// random id. So the operation runs its whole share of the budget, as much of it on live ids
/// as the target allows (issue #22).
fn live_or_random(
    roots: &Roots,
    first: Parts,
    attempt: impl Fn(Parts) -> (bool, Result<(), Failures>),
    on_random_id: impl FnOnce() -> Result<(), Failures>,
) -> Result<(), Failures> {
    let (mut reached, mut outcome) = attempt(first);
    for _ in 0..MORE_ROOTS {
        if reached {
            return outcome;
        }
        let Some(first) = roots.draw() else { break };
        let (again, more) = attempt(first);
        (reached, outcome) = (again, both(outcome, more));
    }
    if reached {
        outcome
    } else {
        both(outcome, on_random_id())
    }
}

/// Counts one positive case of `op`'s own budget ([`PositiveTally::own`]).
///
/// [`PositiveTally::own`]: super::report::PositiveTally::own
fn own_case(shared: &Shared, api: &str, op: &crate::contract::Operation, tally: bool) {
    if tally {
        let key = (api.to_string(), op.id.clone());
        shared.report().positive.entry(key).or_default().own += 1;
    }
}

/// Every failure of two outcomes.
fn both(a: Result<(), Failures>, b: Result<(), Failures>) -> Result<(), Failures> {
    let mut all = a.err().unwrap_or_default();
    all.0.extend(b.err().unwrap_or_default().0);
    all.into_result()
}

/// The negative cases of an operation that takes a path id and that a chain of links
/// reaches: most on an id the chain's first operation has just created, one in
/// [`RANDOM_ID_EVERY`] on a random one (the 404 path). An update that accepts invalid data
/// on an existing resource shows only on a live id: a random one answers 404 before the body
/// is read (issue #22).
fn live_negatives(
    shared: &Shared,
    handle: &tokio::runtime::Handle,
    contract: &crate::contract::Contract,
    op: &crate::contract::Operation,
    (chain, roots): (&chain::Chain<'_>, &Roots),
    (strategy, root): (BoxedStrategy<Parts>, BoxedStrategy<Parts>),
) {
    let next = AtomicUsize::new(0);
    run_kind(
        shared,
        &contract.api,
        op,
        Kind::Negative,
        (strategy, root, any::<u32>()),
        |(parts, first, choice), tally| {
            let choice = choice as usize;
            // Nothing to break (a read without a body or a required parameter): no request.
            let Some(case) = cases::negative(contract, op, &parts, choice) else {
                return Ok(());
            };
            let i = next.fetch_add(1, Ordering::Relaxed);
            let on_random_id = |tally| {
                check_case(shared, handle, contract, op, &case, None, tally)
                    .into_result()
                    .map(|_| ())
            };
            if i % RANDOM_ID_EVERY == RANDOM_ID_EVERY - 1 {
                return on_random_id(tally);
            }
            let build = |filled: &Parts| {
                let case = cases::negative(contract, op, filled, choice)?;
                Some(on_live_id(chain, case))
            };
            let attempt = |first: Parts| {
                let parts = ((first, parts.clone()), Some(&build as links::LastCase<'_>));
                links::live(shared, handle, contract, chain, parts, tally)
            };
            live_or_random(roots, first, attempt, || on_random_id(tally))
        },
    );
}

/// `case`, sent to what the chain created, with a label that names that resource, so a
/// failure says which resource and which rule (issue #22).
fn on_live_id(chain: &chain::Chain<'_>, mut case: Case) -> Case {
    let path = case.path.split('?').next().unwrap_or_default();
    let link = chain.1.last().map_or("", |l| l.name.as_str());
    case.label = format!(
        "{} on {path} (a live id: {} created it, link {link})",
        case.label, chain.0.id
    );
    case
}

/// A saved negative case on a live id, sent again on the id the replayed chain creates: its
/// path with the new id, its query and everything else as saved.
fn saved_on(op: &crate::contract::Operation, saved: &Case, filled: &Parts) -> Case {
    let fresh = cases::positive(op, filled).path;
    let path = fresh.split('?').next().unwrap_or_default();
    let query = saved.path.split_once('?').map(|(_, q)| q);
    let mut case = saved.clone();
    case.path = match query {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    };
    case
}

/// Builds one kind of case from generated parts and a choice among that kind's variants.
type CaseBuilder<'a> = dyn Fn(&Parts, u32) -> Option<Case> + 'a;

/// Everything for one operation: its saved cases first, then each kind of generated case,
/// then the link sequences that start at it.
fn fuzz_operation(
    shared: &Shared,
    handle: &tokio::runtime::Handle,
    api: &str,
    operation: &str,
    replays: &[SavedCase],
) {
    let Ok(contract) = shared.contracts.get(api) else {
        return shared.gap(api, operation, GapKind::NotSent, "unknown API".into());
    };
    let Ok(op) = contract.operation(operation) else {
        return shared.gap(api, operation, GapKind::NotSent, "unknown operation".into());
    };
    let generator = Generator::with_values(contract, &shared.options.values);
    for saved in replays {
        let outcome = if saved.sequence.is_empty() {
            check_case(shared, handle, contract, op, &saved.case, None, true)
                .into_result()
                .map(|_| ())
        } else {
            let on_live_id = |filled: &Parts| Some(saved_on(op, &saved.case, filled));
            let last = (!saved.case.positive).then_some(&on_live_id as links::LastCase<'_>);
            links::replay(shared, handle, contract, &saved.sequence, last)
        };
        if let Err(found) = outcome {
            record(shared, api, found);
        }
    }
    let strategy = valid_parts(shared, &generator, contract, op);
    let next_optional = AtomicUsize::new(0);
    // A throttle or quota would refuse most valid requests of a run: on the mock, each
    // positive case of such an operation gets a namespace of its own, fresh state (issue
    // #22). Those sent here take no id the run created (an operation a chain of links reaches
    // runs its positive cases in `live_positives`), only ids the seeded state already holds or
    // that any value names (a Peach person: its documented examples, sent again and again,
    // would find a verification in progress).
    let fresh_state =
        cases::has_business_refusal(contract, op) && namespaced_root(shared).is_some();
    let kinds: [(Kind, &CaseBuilder); 4] = [
        (Kind::Positive, &|parts: &Parts, _| {
            // The first cases carry each documented value of an optional parameter in turn,
            // so every one is sent whatever the budget (issue #22).
            let i = next_optional.fetch_add(1, Ordering::Relaxed);
            let mut case = cases::positive(op, &with_optional(contract, op, i, parts.clone()));
            if fresh_state {
                case.namespace = Some(format!("fuzz-{}-{i}", op.id));
            }
            Some(case)
        }),
        (Kind::Negative, &|parts: &Parts, choice| {
            cases::negative(contract, op, parts, choice as usize)
        }),
        (Kind::Unauthenticated, &|parts: &Parts, choice| {
            Some(cases::unauthenticated(op, parts, choice % 2 == 1))
        }),
        (Kind::Probe, &|parts: &Parts, choice| {
            let mut probes = cases::probes(contract, op, parts);
            let n = probes.len();
            (n > 0).then(|| probes.swap_remove(choice as usize % n))
        }),
    ];
    let chain = chain::chain_to(contract, op).filter(|_| fill::takes_id(op));

    for (kind, build) in kinds {
        if let (Kind::Positive | Kind::Negative, Some(chain)) = (kind, &chain) {
            let root = valid_parts(shared, &generator, contract, chain.0);
            let roots = Roots::new(shared, &contract.api, op, root.clone());
            let strategies = (strategy.clone(), root);
            let live = (chain, &roots);
            match kind {
                Kind::Positive => live_positives(shared, handle, contract, op, live, strategies),
                _ => live_negatives(shared, handle, contract, op, live, strategies),
            }
            continue;
        }
        run_kind(
            shared,
            api,
            op,
            kind,
            (strategy.clone(), any::<u32>()),
            |(parts, choice), tally| match build(&parts, choice) {
                None => Ok(()),
                Some(case) => {
                    if case.positive {
                        own_case(shared, api, op, tally);
                    }
                    check_case(shared, handle, contract, op, &case, None, tally)
                        .into_result()
                        .map(|_| ())
                }
            },
        );
    }
    links::sequences(shared, handle, &generator, contract, op, strategy);
    let unsupported = generator.unsupported();
    shared
        .report()
        .unsupported
        .extend(unsupported.into_iter().map(|u| format!("{api}: {u}")));
}
