//! Running the fuzzer: per operation, proptest generates cases (positive, negative, without
//! credentials, probes of undocumented methods), sends them through the target, applies the
//! checks, and shrinks a failure to the smallest case. Operations run in parallel on blocking
//! threads (generation stays off the async path); requests share the target's keep-alive
//! client.
//!
//! This file drives; sending and tallying one case is `send`'s, the gaps after a run `gaps`',
//! the link sequences are in `links`, the checks' rules in
//! `checks`, saved and regression cases in `persist`, the report in `report`, the curl of a
//! failure in `reproduce`. Nothing is dropped: an aborted strategy, a panicked task, a request
//! that could not be built, a check that never applied or a link never followed is a
//! [`Gap`] of the report, and fails the run.

use super::cases::{self, Case, Parts};
use super::checks::Check;
use super::gaps::find_gaps;
use super::links;
use super::persist::{self, SavedCase};
use super::report::{FuzzReport, Gap, GapKind};
use super::send::{Found, check_case, record};
use super::strategy::Generator;
use crate::contract::{Contract, ContractSet, Operation};
use crate::targets::Target;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// What to fuzz and how.
#[derive(Debug, Clone)]
pub struct FuzzOptions {
    /// Only these API ids (empty: all).
    pub apis: Vec<String>,
    /// Only these `operationId`s (empty: all of the selected APIs); each must exist in them.
    pub operations: Vec<String>,
    /// Cases per operation and kind (positive, negative, unauthenticated, probe, link
    /// sequence).
    pub cases: u32,
    /// The checks that are tallied and can fail a case (default: every [`Check`]).
    pub checks: Vec<Check>,
    /// `VOUCH_FUZZ_SEED`: the same seed generates the same cases.
    pub seed: Option<u64>,
    /// Failures are saved here and replayed first by the next run.
    pub failures_file: Option<PathBuf>,
    /// Committed regression cases, replayed every run.
    pub regressions: Option<PathBuf>,
    /// Operations fuzzed at once.
    pub parallel: usize,
    /// `--strict`: a violation of our choice (an unconfirmed finding, `x-vouch-choice`) fails
    /// a conformance check as a vendor rule's does; without it, it is only listed.
    pub strict: bool,
}

impl Default for FuzzOptions {
    fn default() -> Self {
        Self {
            apis: Vec::new(),
            operations: Vec::new(),
            cases: 50,
            checks: Check::ALL.to_vec(),
            seed: None,
            failures_file: None,
            regressions: None,
            parallel: 4,
            strict: false,
        }
    }
}

/// What every operation's blocking thread shares: the contracts, the target, and the report
/// being tallied.
pub(crate) struct Shared {
    pub(crate) contracts: Arc<ContractSet>,
    pub(crate) target: Arc<dyn Target>,
    pub(crate) options: FuzzOptions,
    pub(crate) report: Mutex<FuzzReport>,
    pub(crate) progress: Option<indicatif::ProgressBar>,
}

impl Shared {
    pub(crate) fn report(&self) -> std::sync::MutexGuard<'_, FuzzReport> {
        self.report.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Notes work not done, once per (api, operation, kind, detail).
    pub(crate) fn gap(&self, api: &str, operation: &str, kind: GapKind, detail: String) {
        let gap = Gap {
            api: api.into(),
            operation: operation.into(),
            kind,
            detail,
        };
        let mut report = self.report();
        if !report.gaps.contains(&gap) {
            report.gaps.push(gap);
        }
    }
}

/// The kinds of generated case; each draws from its own seeded stream (changing a number
/// changes the cases a seed generates).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Positive = 0,
    Negative = 1,
    Unauthenticated = 2,
    Links = 3,
    Probe = 4,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Positive => "positive",
            Kind::Negative => "negative",
            Kind::Unauthenticated => "unauthenticated",
            Kind::Links => "link sequence",
            Kind::Probe => "probe",
        }
    }
}

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
                fuzz_operation(&shared, &handle, &api, &operation, &replays)
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

/// Seeds differ per operation and kind, so one seed reproduces the whole run.
fn rng(seed: Option<u64>, api: &str, operation: &str, kind: Kind) -> TestRng {
    let mut bytes = [0u8; 32];
    let seed = seed.unwrap_or_else(rand_seed);
    let mix = seed ^ fnv(&format!("{api}/{operation}/{}", kind as u8));
    bytes[..8].copy_from_slice(&mix.to_le_bytes());
    bytes[8..16].copy_from_slice(&seed.to_le_bytes());
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

fn rand_seed() -> u64 {
    let id = uuid::Uuid::new_v4().as_u128();
    (id as u64) ^ ((id >> 64) as u64)
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

/// A strategy for valid parts of `op` (the positive request built from them passes the contract).
pub(crate) fn valid_parts(
    shared: &Shared,
    generator: &Generator<'_>,
    contract: &Contract,
    op: &Operation,
) -> BoxedStrategy<Parts> {
    let contracts = shared.contracts.clone();
    let (api, operation) = (contract.api.clone(), op.id.clone());
    // A generator slip must never pass for a target that rejects valid input.
    cases::parts(generator, contract, op)
        .prop_filter("valid by the contract", move |parts| {
            let Ok(contract) = contracts.get(&api) else {
                return false;
            };
            let Ok(op) = contract.operation(&operation) else {
                return false;
            };
            cases::is_valid(contract, op, &cases::positive(op, parts))
        })
        .boxed()
}

/// Runs one kind of case for `op`: `test` gets each generated value and whether it is to be
/// tallied (shrinking steps are not). The smallest failure is recorded; a strategy proptest
/// gives up on is a gap.
pub(crate) fn run_kind<V: Clone + PartialEq + std::fmt::Debug>(
    shared: &Shared,
    api: &str,
    op: &Operation,
    kind: Kind,
    strategy: impl Strategy<Value = V>,
    test: impl Fn(V, bool) -> Result<(), Found>,
) {
    let config = Config {
        cases: shared.options.cases,
        max_shrink_iters: 200,
        // A strategy whose values the contract keeps refusing gives up (a gap) after this many
        // refusals rather than proptest's 65,536, which take seconds per kind.
        max_local_rejects: 64 * shared.options.cases + 1024,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(config, rng(shared.options.seed, api, &op.id, kind));
    let shrinking = Cell::new(false);
    let failures: RefCell<Vec<(V, Found)>> = RefCell::new(Vec::new());
    let result = runner.run(&strategy, |value| {
        match test(value.clone(), !shrinking.get()) {
            Ok(()) => Ok(()),
            Err(found) => {
                shrinking.set(true);
                let message = format!("{}: {}", found.check.name(), found.detail);
                failures.borrow_mut().push((value, found));
                Err(TestCaseError::fail(message))
            }
        }
    });
    match result {
        Ok(()) => {}
        Err(TestError::Fail(reason, smallest)) => {
            let mut failures = failures.into_inner();
            // The smallest value proptest reports failed at some point; if shrinking moved
            // past it, the last failure stands in.
            let at = failures.iter().rposition(|(v, _)| *v == smallest);
            let found = match at {
                Some(i) => Some(failures.swap_remove(i).1),
                None => failures.pop().map(|(_, f)| f),
            };
            match found {
                Some(found) => record(shared, api, found),
                // proptest turns a panic in the test into a failure without a `Found`.
                None => shared.gap(
                    api,
                    &op.id,
                    GapKind::Panicked,
                    format!("{} cases: {}", kind.name(), reason.message()),
                ),
            }
        }
        Err(TestError::Abort(reason)) => shared.gap(
            api,
            &op.id,
            GapKind::Aborted,
            format!("{} cases: {reason}", kind.name()),
        ),
    }
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
    let generator = Generator::new(contract);
    for saved in replays {
        let outcome = if saved.sequence.is_empty() {
            check_case(shared, handle, contract, op, &saved.case, None, true).map(|_| ())
        } else {
            links::replay(shared, handle, contract, &saved.sequence)
        };
        if let Err(found) = outcome {
            record(shared, api, found);
        }
    }
    let strategy = valid_parts(shared, &generator, contract, op);
    let kinds: [(Kind, &CaseBuilder); 4] = [
        (Kind::Positive, &|parts: &Parts, _| {
            Some(cases::positive(op, parts))
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
    for (kind, build) in kinds {
        run_kind(
            shared,
            api,
            op,
            kind,
            (strategy.clone(), any::<u32>()),
            |(parts, choice), tally| match build(&parts, choice) {
                None => Ok(()),
                Some(case) => {
                    check_case(shared, handle, contract, op, &case, None, tally).map(|_| ())
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
