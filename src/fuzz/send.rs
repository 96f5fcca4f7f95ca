//! Sending one case: the request it makes of the target, the checks applied to the answer and
//! tallied, and the failure recorded in the report.

use super::cases::Case;
use super::checks::{Check, CheckFailure, CheckInput, FollowedLink, evaluate};
use super::report::{FuzzFailure, GapKind};
use super::reproduce::{curl, request};
use super::sequence::Step;
use super::shared::Shared;
use crate::contract::{Contract, HttpResponse, Operation};

/// A failed check, with everything needed to report and replay it.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// The operation whose answer failed.
    pub(crate) operation: String,
    pub(crate) check: Check,
    pub(crate) detail: CheckFailure,
    /// The request that got the failing answer (boxed: a `Found` travels in every `Err`).
    pub(crate) case: Box<Case>,
    /// For a link sequence, every step up to the failing one.
    pub(crate) sequence: Vec<Step>,
}

/// What a sent case came to when no selected check failed.
pub(crate) enum Sent {
    /// The target answered.
    Answered { status: u16, body: bytes::Bytes },
    /// There was no answer (the request could not be built or sent), and no selected check
    /// failed for it.
    Nothing,
}

/// Sends a case to `op`, applies the checks (with `link` when the case follows a contract
/// link), and tallies the selected ones unless `tally` is off (a shrinking step).
pub(crate) fn check_case(
    shared: &Shared,
    handle: &tokio::runtime::Handle,
    contract: &Contract,
    op: &Operation,
    case: &Case,
    link: Option<&FollowedLink>,
    tally: bool,
) -> Result<Sent, Found> {
    let api = contract.api.as_str();
    let request = match request(shared, api, case) {
        Ok(request) => request,
        Err(why) => {
            shared.gap(api, &op.id, GapKind::NotSent, why.to_string());
            return Ok(Sent::Nothing);
        }
    };
    let outcome = handle.block_on(async {
        let exchange = shared.target.client().send(&request).await?;
        Ok::<_, crate::targets::TargetError>((exchange.status, exchange.headers, exchange.body))
    });
    let outcome = outcome.map_err(|e| e.to_string());
    let strict = shared.options.strict;
    let (results, unconfirmed) = match &outcome {
        Ok((status, headers, body)) => {
            let response = HttpResponse {
                status: *status,
                headers,
                body,
            };
            let input = CheckInput::new(contract, op, case, Ok(&response), link, strict);
            (evaluate(&input), input.unconfirmed)
        }
        Err(e) => {
            let input = CheckInput::new(contract, op, case, Err(e.as_str()), link, strict);
            (evaluate(&input), input.unconfirmed)
        }
    };
    let mut failure = None;
    if tally {
        let mut report = shared.report();
        report.cases += 1;
        for v in &unconfirmed {
            report
                .unconfirmed
                .insert(format!("{v} — {}", v.provenance.describe()));
        }
        for (check, _) in &results {
            if shared.options.checks.contains(check) {
                report
                    .tally
                    .entry((api.to_string(), op.id.clone(), *check))
                    .or_default()
                    .0 += 1;
            }
        }
    }
    for (check, result) in results {
        if let (true, Err(detail)) = (shared.options.checks.contains(&check), result) {
            failure = Some((check, detail));
            break;
        }
    }
    if tally && let Some(p) = &shared.progress {
        p.inc(1);
    }
    match (failure, outcome) {
        (Some((check, detail)), _) => Err(Found {
            operation: op.id.clone(),
            check,
            detail,
            case: Box::new(case.clone()),
            sequence: Vec::new(),
        }),
        (None, Ok((status, _, body))) => Ok(Sent::Answered { status, body }),
        (None, Err(_)) => Ok(Sent::Nothing),
    }
}

/// Records a failure: the failing operation's tally and the report's failures.
pub(crate) fn record(shared: &Shared, api: &str, found: Found) {
    let curl = curl(shared, api, &found.case);
    let mut report = shared.report();
    report
        .tally
        .entry((api.to_string(), found.operation.clone(), found.check))
        .or_default()
        .1 += 1;
    report.failures.push(FuzzFailure {
        api: api.into(),
        operation: found.operation,
        check: found.check,
        case: *found.case,
        detail: found.detail.to_string(),
        curl,
        sequence: found.sequence,
    });
}
