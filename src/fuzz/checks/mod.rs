//! The named checks applied to every fuzz case (select them with `--checks`).
//!
//! [`Check`] names them (it is the `--checks` value and the key of the report's tally, so its
//! snake_case names are part of vouch's interface). Where a check overlaps one of
//! Schemathesis' it has the same name and is at least as strict. Each check is one file: its
//! rule behind the `FuzzCheck` trait and its descriptor `CHECK` (name, column heading, help,
//! which cases it can judge); the list `ALL` has one line per check (README § Fuzzing › Adding
//! a check), and `evaluate` applies them all to one answer. A failed check is a
//! `CheckFailure`.

mod allow_header_conformance;
mod auth_required;
mod content_type_conformance;
mod ensure_resource_availability;
mod ignored_auth;
mod link;
mod missing_required_header;
mod negative_data_rejection;
mod not_a_server_error;
mod pagination_consistency;
mod positive_data_acceptance;
mod response_headers_conformance;
mod response_schema_conformance;
mod stateful_read_back;
mod status_code_conformance;
mod unsupported_method;
mod use_after_free;

pub(crate) use link::{
    ContractMark, FollowedLink, Freed, frees, is_link_target, is_read_after_free, link_mark,
};
pub(crate) use pagination_consistency::PAGE_MARK;

use super::cases::Case;
use crate::contract::{Contract, HttpResponse, Operation, Violation};
use serde::{Serialize, Serializer};
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

/// Every check, in the order they are evaluated and a case's failures are listed (each failing
/// check is reported), the specific checks before the general ones
/// (`positive_data_acceptance` last). Adding a check: its file (a [`FuzzCheck`] rule and
/// its `CHECK` descriptor), its `mod` line above, and its line here.
const ALL: &[Check] = &[
    not_a_server_error::CHECK,
    status_code_conformance::CHECK,
    content_type_conformance::CHECK,
    response_headers_conformance::CHECK,
    response_schema_conformance::CHECK,
    unsupported_method::CHECK,
    allow_header_conformance::CHECK,
    missing_required_header::CHECK,
    negative_data_rejection::CHECK,
    ignored_auth::CHECK,
    auth_required::CHECK,
    ensure_resource_availability::CHECK,
    use_after_free::CHECK,
    stateful_read_back::CHECK,
    pagination_consistency::CHECK,
    positive_data_acceptance::CHECK,
];

/// A check of every answer, by the name `--checks` takes and reports show: each check's file
/// declares it (`CHECK`, its `Descriptor` with its rule). Its snake_case name is part of
/// vouch's interface (the `--checks` value and the key of the report's tally); two checks are
/// equal when their names are, and order as they are evaluated ([`Check::ALL`]). A thin
/// handle: it travels in every failure.
#[derive(Clone, Copy)]
pub struct Check(&'static Descriptor);

/// What a check's file declares about it.
pub(crate) struct Descriptor {
    name: &'static str,
    /// The column heading `vouch fuzz` prints for it.
    short: &'static str,
    /// clap's help for the `--checks` value: keep it short.
    help: &'static str,
    linked: Linked,
    rule: &'static (dyn FuzzCheck + Sync),
}

/// Which cases a check can apply to at all, for the run's "check never run" gap: some judge
/// only a request that follows a contract link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Linked {
    /// Any case of the operation.
    AnyCase,
    /// Only a request sent along a link, so only when an operation whose links lead to this
    /// one is fuzzed too.
    Only,
    /// A linked request, or the operation's own answers when it declares links.
    UnlessOwnLinks,
}

impl Check {
    /// Every check, in the order they are evaluated.
    pub const ALL: &'static [Check] = ALL;

    /// The check's snake_case name, as `--checks` takes it and reports show it
    /// (`not_a_server_error`).
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// The check's short column heading (`5xx`, `status`, ...), as `vouch fuzz` prints it.
    pub fn short(self) -> &'static str {
        self.0.short
    }

    /// The check called `name`, if there is one.
    pub fn named(name: &str) -> Option<Check> {
        ALL.iter().copied().find(|c| c.0.name == name)
    }

    /// Its place in [`Check::ALL`], the evaluation order.
    fn position(self) -> usize {
        ALL.iter()
            .position(|c| c.0.name == self.0.name)
            .unwrap_or(ALL.len())
    }

    /// Whether only requests along a link can be judged by this check (see [`Linked`]).
    pub(crate) fn linked(self) -> Linked {
        self.0.linked
    }

    /// Whether the check has anything to say about `op` at all: a run that fuzzes `op` with
    /// this check selected and never applies it reports the pair as never run.
    pub fn applies_to(self, contract: &Contract, op: &Operation) -> bool {
        self.0.rule.applies_to(contract, op)
    }
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.name)
    }
}

impl PartialEq for Check {
    fn eq(&self, other: &Self) -> bool {
        self.0.name == other.0.name
    }
}

impl Eq for Check {}

impl Hash for Check {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.name.hash(state);
    }
}

impl PartialOrd for Check {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Check {
    fn cmp(&self, other: &Self) -> Ordering {
        self.position().cmp(&other.position())
    }
}

impl Serialize for Check {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.name)
    }
}

impl clap::ValueEnum for Check {
    fn value_variants<'a>() -> &'a [Self] {
        ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.name).help(self.0.help))
    }
}

/// What a check found wrong with one answer (a failure's `detail` in the report, in words).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum CheckFailure {
    /// The answer breaks the check's rule: what it did, against what was expected.
    #[error("{0}")]
    Answer(String),
    /// A vouch mark in the contract the check reads is malformed: the contract's mistake,
    /// reported as a failure rather than skipped.
    #[error("{0}")]
    Mark(#[from] ContractMark),
}

impl From<String> for CheckFailure {
    fn from(detail: String) -> Self {
        Self::Answer(detail)
    }
}

impl From<&str> for CheckFailure {
    fn from(detail: &str) -> Self {
        Self::Answer(detail.to_string())
    }
}

/// One check's outcome for one answer.
pub(crate) type Outcome = Result<(), CheckFailure>;

/// One check's rule.
pub(crate) trait FuzzCheck {
    /// The outcome for one sent case (`Err` says what failed), or `None` when the check does
    /// not apply to it: a valid case is not asked to be refused, and without an answer only
    /// `not_a_server_error` has something to say.
    fn check(&self, input: &CheckInput<'_>) -> Option<Outcome>;

    /// Whether some case the fuzzer sends to `op` is one this check applies to (every
    /// operation, unless the check says otherwise).
    fn applies_to(&self, _contract: &Contract, _op: &Operation) -> bool {
        true
    }
}

/// Whether `op` requires a credential: it has a security requirement, and none of its
/// alternatives is empty (`security: [{}]` makes the credential optional).
pub(crate) fn requires_credential(op: &Operation) -> bool {
    !op.security.is_empty()
        && op
            .security
            .iter()
            .all(|alternative| !alternative.is_empty())
}

/// What a check sees of one sent case.
pub(crate) struct CheckInput<'a> {
    pub(crate) contract: &'a Contract,
    pub(crate) op: &'a Operation,
    pub(crate) case: &'a Case,
    /// The target's answer, or why there was none (the connection failed, ...).
    pub(crate) answer: Result<&'a HttpResponse<'a>, &'a str>,
    /// Whether the answer's status is documented for `op` (`false` without an answer).
    pub(crate) documented: bool,
    /// The answer's departures from the contract, computed once for the conformance checks:
    /// those that fail a check (vendor rules; with `--strict`, our choices too).
    pub(crate) violations: Vec<Violation>,
    /// Departures from our choices only (unconfirmed findings), when not `--strict`: listed,
    /// failing no check.
    pub(crate) unconfirmed: Vec<Violation>,
    /// Set when the case follows a contract link from an earlier answer.
    pub(crate) link: Option<&'a FollowedLink>,
    /// `--strict`: our choices (`x-vouch-choice`) count as vendor rules.
    pub(crate) strict: bool,
}

impl<'a> CheckInput<'a> {
    pub(crate) fn new(
        contract: &'a Contract,
        op: &'a Operation,
        case: &'a Case,
        answer: Result<&'a HttpResponse<'a>, &'a str>,
        link: Option<&'a FollowedLink>,
        strict: bool,
    ) -> Self {
        // A probe's method is not `op`'s: its answer is judged by the probe checks alone.
        let (documented, violations) = match answer {
            Ok(response) if case.probe != Some(super::cases::Probe::UnsupportedMethod) => (
                op.response_for(response.status).is_some(),
                contract.validate_response(op, response),
            ),
            _ => (false, Vec::new()),
        };
        let (unconfirmed, violations) = violations
            .into_iter()
            .partition(|v: &Violation| !strict && v.is_unconfirmed());
        Self {
            contract,
            op,
            case,
            answer,
            documented,
            violations,
            unconfirmed,
            link,
            strict,
        }
    }

    /// The answer's status; `None` when there was no answer.
    pub(crate) fn status(&self) -> Option<u16> {
        self.answer.ok().map(|r| r.status)
    }

    /// Whether the case is sent with `op`'s own method (not an undocumented-method probe).
    pub(crate) fn own_method(&self) -> bool {
        self.case.probe != Some(super::cases::Probe::UnsupportedMethod)
    }

    /// The start of the answer's body, for a failure's detail.
    pub(crate) fn body_excerpt(&self) -> String {
        let Ok(response) = self.answer else {
            return String::new();
        };
        let text = String::from_utf8_lossy(response.body);
        let text: String = text.chars().take(160).collect();
        if text.is_empty() {
            String::new()
        } else {
            format!(": {text}")
        }
    }

    /// `Err` listing the violations whose pointer `at` selects, if any.
    pub(crate) fn violations_at(&self, at: impl Fn(&str) -> bool) -> Outcome {
        let found: Vec<String> = self
            .violations
            .iter()
            .filter(|v| at(&v.pointer))
            .map(ToString::to_string)
            .collect();
        if found.is_empty() {
            Ok(())
        } else {
            Err(found.join("; ").into())
        }
    }
}

/// The checks that apply to a case and their outcomes (`Err` says what failed), in
/// [`Check::ALL`] order. Every check is evaluated; the run counts only the selected ones.
pub(crate) fn evaluate(input: &CheckInput<'_>) -> Vec<(Check, Outcome)> {
    ALL.iter()
        .filter_map(|check| check.0.rule.check(input).map(|outcome| (*check, outcome)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    /// `--checks` values, report keys and `name()` are one and the same spelling.
    #[test]
    fn names_agree() {
        for &check in Check::ALL {
            let value = check.to_possible_value().unwrap();
            assert_eq!(value.get_name(), check.name());
            assert_eq!(
                serde_json::to_value(check).unwrap(),
                serde_json::json!(check.name())
            );
        }
        assert_eq!(Check::value_variants(), Check::ALL);
        let names: std::collections::BTreeSet<&str> = ALL.iter().map(|c| c.0.name).collect();
        assert_eq!(names.len(), ALL.len(), "each check has a name of its own");
    }
}
