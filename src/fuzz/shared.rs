//! What a fuzz run is asked to do ([`FuzzOptions`]) and what every operation's thread shares
//! while it runs ([`Shared`]: the contracts, the target, the report being tallied). It sits
//! below every file that sends, tallies or records a case.

use super::checks::Check;
use super::report::{FuzzReport, Gap, GapKind};
use crate::contract::ContractSet;
use crate::targets::Target;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

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
    /// `--value NAME=VALUE` (repeatable): values the target knows (a partner's uuid in the
    /// user's sandbox), sent like the contract's examples where a parameter or body property
    /// has that name.
    pub values: Vec<(String, String)>,
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
            values: Vec::new(),
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
