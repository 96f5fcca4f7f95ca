//! The named checks applied to every fuzz case (select them with `--checks`).

use super::cases::{Case, Credentials};
use crate::contract::{Contract, HttpResponse, Operation};
use serde::Serialize;

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
}

/// The checks that apply to a case and their outcomes (`Err` says what failed).
pub fn evaluate(
    contract: &Contract,
    op: &Operation,
    case: &Case,
    answer: Result<&HttpResponse<'_>, &str>,
) -> Vec<(Check, Result<(), String>)> {
    let response = match answer {
        Ok(r) => r,
        Err(e) => return vec![(Check::NotAServerError, Err(format!("no response: {e}")))],
    };
    let status = response.status;
    let violations = contract.validate_response(op, response);
    let documented = op.response_for(status).is_some();
    let mut out = vec![
        (
            Check::NotAServerError,
            if status >= 500 {
                Err(format!("status {status}"))
            } else {
                Ok(())
            },
        ),
        (
            Check::StatusCodeConformance,
            if documented {
                Ok(())
            } else {
                Err(format!("status {status} is not documented for {}", op.id))
            },
        ),
    ];
    if documented {
        let of = |f: &dyn Fn(&str) -> bool| -> Result<(), String> {
            let found: Vec<String> = violations
                .iter()
                .filter(|v| f(&v.pointer))
                .map(ToString::to_string)
                .collect();
            if found.is_empty() {
                Ok(())
            } else {
                Err(found.join("; "))
            }
        };
        out.push((
            Check::ContentTypeConformance,
            of(&|p| p == "/headers/content-type"),
        ));
        out.push((
            Check::ResponseSchemaConformance,
            of(&|p| {
                p.starts_with("/body")
                    || (p.starts_with("/headers/") && p != "/headers/content-type")
            }),
        ));
    }
    let refused = [401, 403, 405, 406, 413, 415];
    match case.credentials {
        Credentials::Missing | Credentials::Wrong => {
            out.push((
                Check::AuthRequired,
                if status == 401 {
                    Ok(())
                } else {
                    Err(format!("{} answered {status}, not 401", case.label))
                },
            ));
        }
        Credentials::Valid if case.positive => {
            let ok = (200..300).contains(&status)
                || ((400..500).contains(&status) && documented && !refused.contains(&status));
            out.push((
                Check::PositiveDataAcceptance,
                if ok {
                    Ok(())
                } else {
                    Err(format!("a valid request answered {status}"))
                },
            ));
        }
        Credentials::Valid => {
            let ok = (400..500).contains(&status) && documented;
            out.push((
                Check::NegativeDataRejection,
                if ok {
                    Ok(())
                } else {
                    Err(format!("{} answered {status}", case.label))
                },
            ));
        }
    }
    out
}
