//! The named checks applied to every fuzz case (select them with `--checks`).
//!
//! [`Check`] names them (it is the `--checks` value and the key of the report's tally, so its
//! snake_case names are part of vouch's interface); each check's rule lives in its own file
//! behind the `FuzzCheck` trait, and `evaluate` applies them all to one answer.

mod auth_required;
mod content_type_conformance;
mod negative_data_rejection;
mod not_a_server_error;
mod positive_data_acceptance;
mod response_schema_conformance;
mod stateful_read_back;
mod status_code_conformance;

pub(crate) use stateful_read_back::FollowedLink;

use super::cases::Case;
use crate::contract::{Contract, HttpResponse, Operation, Violation};
use serde::Serialize;

/// A check of every answer, by the name `--checks` takes and reports show.
// The variants' doc comments are also clap's help for the `--checks` values: keep them short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Check {
    /// No 5xx, and an answer at all.
    NotAServerError,
    /// The status is documented for the operation.
    StatusCodeConformance,
    /// The Content-Type is documented for that status.
    ContentTypeConformance,
    /// The body matches the documented schema.
    ResponseSchemaConformance,
    /// A case that breaks one rule gets a documented 4xx (in the vendor's error shape).
    NegativeDataRejection,
    /// A valid case gets a 2xx, or a documented business error (not 401/403/405/406/413/415).
    PositiveDataAcceptance,
    /// A case without (or with wrong) credentials gets 401.
    AuthRequired,
    /// Following a contract link from a successful answer succeeds, and what was written reads
    /// back unchanged where the link says (`x-vouch-reads-back`).
    StatefulReadBack,
}

impl Check {
    /// Every check, in the order they are evaluated: a case's first failing check (in this
    /// order) is the one its failure is reported under.
    pub const ALL: [Check; 8] = [
        Check::NotAServerError,
        Check::StatusCodeConformance,
        Check::ContentTypeConformance,
        Check::ResponseSchemaConformance,
        Check::NegativeDataRejection,
        Check::PositiveDataAcceptance,
        Check::AuthRequired,
        Check::StatefulReadBack,
    ];

    /// The check's snake_case name, as `--checks` takes it and reports show it
    /// (`not_a_server_error`).
    pub fn name(self) -> &'static str {
        match self {
            Check::NotAServerError => "not_a_server_error",
            Check::StatusCodeConformance => "status_code_conformance",
            Check::ContentTypeConformance => "content_type_conformance",
            Check::ResponseSchemaConformance => "response_schema_conformance",
            Check::NegativeDataRejection => "negative_data_rejection",
            Check::PositiveDataAcceptance => "positive_data_acceptance",
            Check::AuthRequired => "auth_required",
            Check::StatefulReadBack => "stateful_read_back",
        }
    }

    /// The registry: the rule behind each check.
    pub(crate) fn rule(self) -> &'static dyn FuzzCheck {
        match self {
            Check::NotAServerError => &not_a_server_error::NotAServerError,
            Check::StatusCodeConformance => &status_code_conformance::StatusCodeConformance,
            Check::ContentTypeConformance => &content_type_conformance::ContentTypeConformance,
            Check::ResponseSchemaConformance => {
                &response_schema_conformance::ResponseSchemaConformance
            }
            Check::NegativeDataRejection => &negative_data_rejection::NegativeDataRejection,
            Check::PositiveDataAcceptance => &positive_data_acceptance::PositiveDataAcceptance,
            Check::AuthRequired => &auth_required::AuthRequired,
            Check::StatefulReadBack => &stateful_read_back::StatefulReadBack,
        }
    }
}

/// One check's rule.
pub(crate) trait FuzzCheck {
    /// The outcome for one sent case (`Err` says what failed), or `None` when the check does
    /// not apply to it: a valid case is not asked to be refused, and without an answer only
    /// [`Check::NotAServerError`] has something to say.
    fn check(&self, input: &CheckInput<'_>) -> Option<Result<(), String>>;
}

/// What a check sees of one sent case.
pub(crate) struct CheckInput<'a> {
    pub(crate) op: &'a Operation,
    pub(crate) case: &'a Case,
    /// The target's answer, or why there was none (the connection failed, ...).
    pub(crate) answer: Result<&'a HttpResponse<'a>, &'a str>,
    /// Whether the answer's status is documented for `op` (`false` without an answer).
    pub(crate) documented: bool,
    /// The answer's departures from the contract, computed once for the conformance checks.
    pub(crate) violations: Vec<Violation>,
    /// Set when the case follows a contract link from an earlier answer.
    pub(crate) link: Option<&'a FollowedLink>,
}

impl<'a> CheckInput<'a> {
    pub(crate) fn new(
        contract: &Contract,
        op: &'a Operation,
        case: &'a Case,
        answer: Result<&'a HttpResponse<'a>, &'a str>,
        link: Option<&'a FollowedLink>,
    ) -> Self {
        let (documented, violations) = match answer {
            Ok(response) => (
                op.response_for(response.status).is_some(),
                contract.validate_response(op, response),
            ),
            Err(_) => (false, Vec::new()),
        };
        Self {
            op,
            case,
            answer,
            documented,
            violations,
            link,
        }
    }

    /// The answer's status; `None` when there was no answer.
    pub(crate) fn status(&self) -> Option<u16> {
        self.answer.ok().map(|r| r.status)
    }

    /// `Err` listing the violations whose pointer `at` selects, if any.
    pub(crate) fn violations_at(&self, at: impl Fn(&str) -> bool) -> Result<(), String> {
        let found: Vec<String> = self
            .violations
            .iter()
            .filter(|v| at(&v.pointer))
            .map(ToString::to_string)
            .collect();
        if found.is_empty() {
            Ok(())
        } else {
            Err(found.join("; "))
        }
    }
}

/// The checks that apply to a case and their outcomes (`Err` says what failed), in
/// [`Check::ALL`] order. Every check is evaluated; the run counts only the selected ones.
pub(crate) fn evaluate(input: &CheckInput<'_>) -> Vec<(Check, Result<(), String>)> {
    Check::ALL
        .into_iter()
        .filter_map(|check| check.rule().check(input).map(|outcome| (check, outcome)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    /// `--checks` values, report keys and `name()` are one and the same spelling.
    #[test]
    fn names_agree() {
        for check in Check::ALL {
            let value = check.to_possible_value().unwrap();
            assert_eq!(value.get_name(), check.name());
            assert_eq!(
                serde_json::to_value(check).unwrap(),
                serde_json::json!(check.name())
            );
        }
        assert_eq!(Check::value_variants(), Check::ALL.as_slice());
    }
}
