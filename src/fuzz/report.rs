//! What a fuzz run found: the operation × check tally, the failures (each with the smallest
//! case, or the whole link sequence, that shows it), and the gaps, work the run meant to do
//! and did not (an aborted strategy, a panicked task, a link never followed, a check never
//! applied). A gap fails the run like a failure (a fuzzer that drops work silently passes
//! targets it never tested), except a saved case left out because its operation was not
//! selected, which is only reported.

use super::cases::Case;
use super::checks::Check;
use super::sequence::Step;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// A check that failed, with the smallest case found.
#[derive(Debug, Clone, Serialize)]
pub struct FuzzFailure {
    /// The API id.
    pub api: String,
    /// The `operationId` the failing request was sent to (for a link sequence, the operation
    /// whose answer failed, not the one the sequence started at).
    pub operation: String,
    /// The check that failed (each failing check of a case is a failure of its own).
    pub check: Check,
    /// The failing request: for a generated case, the smallest one proptest shrank it to.
    pub case: Case,
    /// What the check found, in words.
    pub detail: String,
    /// A curl command that repeats the request (credentials as an environment variable).
    pub curl: String,
    /// For a failure inside a link sequence, every request of the sequence up to and including
    /// the failing one (the last step), so the replay sends them all again; empty otherwise.
    pub sequence: Vec<Step>,
}

/// Why the run did less than it meant to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapKind {
    /// proptest gave up on a kind of case (too many generated values rejected).
    Aborted,
    /// The task fuzzing an operation panicked.
    Panicked,
    /// A request could not be built (no credential on this target, ...).
    NotSent,
    /// A link declared by a successful response was never followed.
    LinkNotFollowed,
    /// A selected check that applies to the operation never applied to any of its cases.
    CheckNotRun,
    /// A saved or regression case was not replayed (its operation is not selected). Reported,
    /// but it does not fail the run: selecting operations is the user's choice.
    NotReplayed,
}

impl GapKind {
    /// The kind's snake_case name, as the report shows it.
    pub fn name(self) -> &'static str {
        match self {
            GapKind::Aborted => "aborted",
            GapKind::Panicked => "panicked",
            GapKind::NotSent => "not_sent",
            GapKind::LinkNotFollowed => "link_not_followed",
            GapKind::CheckNotRun => "check_not_run",
            GapKind::NotReplayed => "not_replayed",
        }
    }
}

/// Work the run meant to do and did not.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Gap {
    /// The API id.
    pub api: String,
    /// The `operationId` concerned.
    pub operation: String,
    /// What was not done.
    pub kind: GapKind,
    /// Which kind of case, link, check or saved case, and why.
    pub detail: String,
}

/// How often one link was followed, and why it was not the other times.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LinkTally {
    /// Times the linked request was sent.
    pub followed: u64,
    /// Why it was not, with how often (`answered 404`, `parameter id did not resolve`, ...).
    pub skipped: BTreeMap<String, u64>,
}

/// The positive cases of one operation (requests valid by the contract, link steps
/// included): how many answered 2xx, how many were on ids the same run created, and which
/// documented values of its optional parameters they carried.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PositiveTally {
    /// Positive cases sent (shrinking steps not counted), link steps included.
    pub cases: u64,
    /// Of those, the operation's own budget (`--cases`): the cases its positive run sent,
    /// whether to a live id along a chain or not; the steps of chains and sequences that only
    /// pass through it are not counted, so they cannot stand in for its share (issue #22).
    pub own: u64,
    /// Of those, answered 2xx.
    pub answered_2xx: u64,
    /// Of those, sent to a path id an earlier answer of the run gave (along a link).
    pub live_ids: u64,
    /// The other answers: status -> how many (0: no answer).
    pub refused: BTreeMap<u16, u64>,
    /// Each documented value of an optional parameter (`dryRun=true`) -> positive cases that
    /// carried it (0: never sent).
    pub values: BTreeMap<String, u64>,
}

impl PositiveTally {
    /// The share of positive cases answered 2xx, in percent (100 without cases).
    pub fn share_2xx(&self) -> f64 {
        if self.cases == 0 {
            100.0
        } else {
            self.answered_2xx as f64 * 100.0 / self.cases as f64
        }
    }
}

/// What a fuzz run found.
#[derive(Debug, Default)]
pub struct FuzzReport {
    /// (api, operation, check) -> (cases checked, failures). Shrinking steps are not counted.
    pub tally: BTreeMap<(String, String, Check), (u64, u64)>,
    /// Every failure found: saved cases that failed again, and for each operation and kind
    /// of generated case (positive, negative, unauthenticated, probe, link sequence) the
    /// smallest failing case.
    pub failures: Vec<FuzzFailure>,
    /// Work the run did not do; every gap but `not_replayed` fails the run.
    pub gaps: Vec<Gap>,
    /// (api, operation, link name) -> how often the link was followed from that operation's
    /// answers.
    pub links: BTreeMap<(String, String, String), LinkTally>,
    /// Schema constructs the generator could not translate, as `api: keyword at #/pointer`,
    /// sorted, each once (cases there may be less varied than the schema allows).
    pub unsupported: Vec<String>,
    /// Unconfirmed findings in the answers (violations of our choices, which fail no check
    /// unless `--strict`), each once: `api operation: violation — reason (NOTES.md#anchor)`.
    pub unconfirmed: std::collections::BTreeSet<String>,
    /// (api, operation) -> its positive cases: answered 2xx, on live ids, optional values.
    pub positive: BTreeMap<(String, String), PositiveTally>,
    /// Cases sent in all, replays and link sequences included, shrinking steps not.
    pub cases: u64,
    /// How long the whole fuzz run took.
    pub elapsed: Duration,
    /// Time spent waiting on the target (inside each send and its await, the HTTP client
    /// included; shrinking steps too), summed over the operations' threads.
    pub waiting: Duration,
    /// The operations' threads' time, summed: `busy - waiting` is the engine's own
    /// (generation, checks, shrinking, bookkeeping), whose share `vouch bench` reports.
    pub busy: Duration,
}

impl FuzzReport {
    /// Whether any check failed, or the run left work undone (saved cases of operations that
    /// were not selected aside).
    pub fn failed(&self) -> bool {
        !self.failures.is_empty() || self.gaps.iter().any(|g| g.kind != GapKind::NotReplayed)
    }
}
