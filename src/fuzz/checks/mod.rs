//! The named checks applied to every fuzz case (select them with `--checks`).
//!
//! [`Check`] names them (it is the `--checks` value and the key of the report's tally, so its
//! snake_case names are part of vouch's interface). Where a check overlaps one of
//! Schemathesis' it has the same name and is at least as strict. Each check's rule lives in
//! its own file behind the `FuzzCheck` trait, and `evaluate` applies them all to one answer.

mod allow_header_conformance;
mod auth_required;
mod content_type_conformance;
mod ensure_resource_availability;
mod ignored_auth;
mod link;
mod missing_required_header;
mod negative_data_rejection;
mod not_a_server_error;
mod positive_data_acceptance;
mod response_headers_conformance;
mod response_schema_conformance;
mod stateful_read_back;
mod status_code_conformance;
mod unsupported_method;
mod use_after_free;

pub(crate) use link::{FollowedLink, Freed, frees, is_link_target, is_read_after_free};

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
    /// The documented headers of that status are there and match their schemas.
    ResponseHeadersConformance,
    /// The body matches the documented schema.
    ResponseSchemaConformance,
    /// An undocumented method gets 405 with an Allow header.
    UnsupportedMethod,
    /// An Allow header lists exactly the methods documented for the path.
    AllowHeaderConformance,
    /// A request without a required header is refused (400, 401, 403, 406, 415 or 422).
    MissingRequiredHeader,
    /// A case that breaks one rule gets a documented 4xx.
    NegativeDataRejection,
    /// A case without (or with wrong) credentials is not accepted (no 2xx).
    IgnoredAuth,
    /// A case without (or with wrong) credentials gets 401.
    AuthRequired,
    /// What a POST just created can be read along its links (no 404/410).
    EnsureResourceAvailability,
    /// What a link revoked or deleted is not served as live afterwards.
    UseAfterFree,
    /// An answer carries what its links read, and linked reads give it back unchanged.
    StatefulReadBack,
    /// A valid case gets a 2xx, or a documented business refusal, or 404 for a drawn id.
    PositiveDataAcceptance,
}

impl Check {
    /// Every check, in the order they are evaluated: a case's first failing check (in this
    /// order) is the one its failure is reported under, so the specific checks come before
    /// the general ones (`positive_data_acceptance` last).
    pub const ALL: [Check; 15] = [
        Check::NotAServerError,
        Check::StatusCodeConformance,
        Check::ContentTypeConformance,
        Check::ResponseHeadersConformance,
        Check::ResponseSchemaConformance,
        Check::UnsupportedMethod,
        Check::AllowHeaderConformance,
        Check::MissingRequiredHeader,
        Check::NegativeDataRejection,
        Check::IgnoredAuth,
        Check::AuthRequired,
        Check::EnsureResourceAvailability,
        Check::UseAfterFree,
        Check::StatefulReadBack,
        Check::PositiveDataAcceptance,
    ];

    /// The check's snake_case name, as `--checks` takes it and reports show it
    /// (`not_a_server_error`).
    pub fn name(self) -> &'static str {
        match self {
            Check::NotAServerError => "not_a_server_error",
            Check::StatusCodeConformance => "status_code_conformance",
            Check::ContentTypeConformance => "content_type_conformance",
            Check::ResponseHeadersConformance => "response_headers_conformance",
            Check::ResponseSchemaConformance => "response_schema_conformance",
            Check::UnsupportedMethod => "unsupported_method",
            Check::AllowHeaderConformance => "allow_header_conformance",
            Check::MissingRequiredHeader => "missing_required_header",
            Check::NegativeDataRejection => "negative_data_rejection",
            Check::IgnoredAuth => "ignored_auth",
            Check::AuthRequired => "auth_required",
            Check::EnsureResourceAvailability => "ensure_resource_availability",
            Check::UseAfterFree => "use_after_free",
            Check::StatefulReadBack => "stateful_read_back",
            Check::PositiveDataAcceptance => "positive_data_acceptance",
        }
    }

    /// The registry: the rule behind each check.
    pub(crate) fn rule(self) -> &'static dyn FuzzCheck {
        match self {
            Check::NotAServerError => &not_a_server_error::NotAServerError,
            Check::StatusCodeConformance => &status_code_conformance::StatusCodeConformance,
            Check::ContentTypeConformance => &content_type_conformance::ContentTypeConformance,
            Check::ResponseHeadersConformance => {
                &response_headers_conformance::ResponseHeadersConformance
            }
            Check::ResponseSchemaConformance => {
                &response_schema_conformance::ResponseSchemaConformance
            }
            Check::UnsupportedMethod => &unsupported_method::UnsupportedMethod,
            Check::AllowHeaderConformance => &allow_header_conformance::AllowHeaderConformance,
            Check::MissingRequiredHeader => &missing_required_header::MissingRequiredHeader,
            Check::NegativeDataRejection => &negative_data_rejection::NegativeDataRejection,
            Check::IgnoredAuth => &ignored_auth::IgnoredAuth,
            Check::AuthRequired => &auth_required::AuthRequired,
            Check::EnsureResourceAvailability => {
                &ensure_resource_availability::EnsureResourceAvailability
            }
            Check::UseAfterFree => &use_after_free::UseAfterFree,
            Check::StatefulReadBack => &stateful_read_back::StatefulReadBack,
            Check::PositiveDataAcceptance => &positive_data_acceptance::PositiveDataAcceptance,
        }
    }

    /// Whether the check has anything to say about `op` at all: a run that fuzzes `op` with
    /// this check selected and never applies it reports the pair as never run.
    pub fn applies_to(self, contract: &Contract, op: &Operation) -> bool {
        self.rule().applies_to(contract, op)
    }
}

/// One check's rule.
pub(crate) trait FuzzCheck {
    /// The outcome for one sent case (`Err` says what failed), or `None` when the check does
    /// not apply to it: a valid case is not asked to be refused, and without an answer only
    /// [`Check::NotAServerError`] has something to say.
    fn check(&self, input: &CheckInput<'_>) -> Option<Result<(), String>>;

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
