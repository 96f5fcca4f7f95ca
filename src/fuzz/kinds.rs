//! The kinds of generated case and how one kind is run: proptest generates values from a
//! seeded stream per operation and kind, each is tested, and the smallest failure is recorded
//! (a strategy proptest gives up on is a gap). `run` drives every kind of an operation through
//! [`run_kind`]; `links` runs its sequences through it too.

use super::cases::{self, Parts};
use super::report::GapKind;
use super::send::{Failures, record};
use super::shared::Shared;
use super::strategy::Generator;
use crate::contract::{Contract, Operation};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use std::cell::{Cell, RefCell};

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
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Positive => "positive",
            Kind::Negative => "negative",
            Kind::Unauthenticated => "unauthenticated",
            Kind::Links => "link sequence",
            Kind::Probe => "probe",
        }
    }
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

/// More first requests for the chains to an operation's live ids, drawn when a chain's
/// first request was refused (`run`'s `live_or_random`): from their own seeded stream, so a
/// seed still reproduces the run.
pub(crate) struct Roots {
    strategy: BoxedStrategy<Parts>,
    runner: std::sync::Mutex<TestRunner>,
}

impl Roots {
    pub(crate) fn new(
        shared: &Shared,
        api: &str,
        op: &Operation,
        strategy: BoxedStrategy<Parts>,
    ) -> Self {
        let rng = rng(
            shared.options.seed,
            api,
            &format!("{}/roots", op.id),
            Kind::Links,
        );
        Self {
            strategy,
            runner: std::sync::Mutex::new(TestRunner::new_with_rng(Config::default(), rng)),
        }
    }

    /// Fresh valid first parts; `None` when the strategy gives up.
    pub(crate) fn draw(&self) -> Option<Parts> {
        use proptest::strategy::ValueTree;
        let mut runner = self.runner.lock().unwrap_or_else(|e| e.into_inner());
        self.strategy
            .new_tree(&mut runner)
            .ok()
            .map(|tree| tree.current())
    }
}

/// Runs one kind of case for `op`: `test` gets each generated value and whether it is to be
/// tallied (shrinking steps are not). The smallest failing value is recorded with every check
/// it failed; a strategy proptest
/// gives up on is a gap.
pub(crate) fn run_kind<V: Clone + PartialEq + std::fmt::Debug>(
    shared: &Shared,
    api: &str,
    op: &Operation,
    kind: Kind,
    strategy: impl Strategy<Value = V>,
    test: impl Fn(V, bool) -> Result<(), Failures>,
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
    let failures: RefCell<Vec<(V, Failures)>> = RefCell::new(Vec::new());
    let result = runner.run(&strategy, |value| {
        match test(value.clone(), !shrinking.get()) {
            Ok(()) => Ok(()),
            Err(found) => {
                shrinking.set(true);
                let message = found.message();
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
