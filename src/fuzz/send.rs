//! Sending one case: the request it makes of the target, the checks applied to the answer and
//! tallied, and the failures recorded in the report. Every selected check that applies runs
//! on every answer and each one that fails is reported (a failure never hides another,
//! issue #22): a case's [`Failures`] hold them all.

use super::cases::{self, Case};
use super::checks::{Check, CheckFailure, CheckInput, FollowedLink, evaluate};
use super::optional::optional_values;
use super::report::{FuzzFailure, GapKind};
use super::reproduce::{curl, request};
use super::sequence::Step;
use super::shared::Shared;
use crate::contract::{Contract, HttpResponse, Operation, ParamIn};

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

/// The failed checks of one case or one link sequence, in the order they were found (never
/// empty when returned as an `Err`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Failures(pub(crate) Vec<Found>);

impl Failures {
    /// `Ok` when nothing failed.
    pub(crate) fn into_result(self) -> Result<(), Failures> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }

    /// The first failure, in words, for proptest's message.
    pub(crate) fn message(&self) -> String {
        self.0
            .iter()
            .map(|f| format!("{}: {}", f.check.name(), f.detail))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// What a sent case came to: the answer, and every selected check that failed on it.
pub(crate) struct Checked {
    pub(crate) sent: Sent,
    pub(crate) failures: Failures,
}

impl Checked {
    /// The answer when no selected check failed, else every failure.
    pub(crate) fn into_result(self) -> Result<Sent, Failures> {
        if self.failures.0.is_empty() {
            Ok(self.sent)
        } else {
            Err(self.failures)
        }
    }
}

/// What a sent case came to.
pub(crate) enum Sent {
    /// The target answered.
    Answered { status: u16, body: bytes::Bytes },
    /// There was no answer (the request could not be built or sent).
    Nothing,
}

/// Sends a case to `op`, applies the checks (with `link` when the case follows a contract
/// link), and tallies the selected ones unless `tally` is off (a shrinking step). Every
/// selected check that fails is in the result, beside the answer (a sequence goes on from an
/// answer that failed a check when it still gives the next step what it needs).
pub(crate) fn check_case(
    shared: &Shared,
    handle: &tokio::runtime::Handle,
    contract: &Contract,
    op: &Operation,
    case: &Case,
    link: Option<&FollowedLink>,
    tally: bool,
) -> Checked {
    let api = contract.api.as_str();
    // An operation whose contract names a tenant flag is sent with that tenant's credential.
    let tenanted;
    let case = match cases::fuzz_tenant(contract, op) {
        Some(flag) if case.tenant.is_none() => {
            tenanted = Case {
                tenant: Some(flag),
                ..case.clone()
            };
            &tenanted
        }
        _ => case,
    };
    let request = match request(shared, api, case) {
        Ok(request) => request,
        Err(why) => {
            shared.gap(api, &op.id, GapKind::NotSent, why.to_string());
            return Checked {
                sent: Sent::Nothing,
                failures: Failures::default(),
            };
        }
    };
    let sent_at = std::time::Instant::now();
    let outcome = handle.block_on(async {
        let exchange = shared.target.client().send(&request).await?;
        Ok::<_, crate::targets::TargetError>((exchange.status, exchange.headers, exchange.body))
    });
    shared.report().waiting += sent_at.elapsed();
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
    if tally {
        let mut report = shared.report();
        report.cases += 1;
        if case.positive && case.probe.is_none() {
            let status = outcome.as_ref().ok().map(|(status, _, _)| *status);
            let live = link.is_some() && op.parameters.iter().any(|p| p.location == ParamIn::Path);
            let entry = report
                .positive
                .entry((api.to_string(), op.id.clone()))
                .or_default();
            entry.cases += 1;
            entry.answered_2xx += u64::from(status.is_some_and(|s| (200..300).contains(&s)));
            entry.live_ids += u64::from(live);
            match status {
                Some(200..=299) => {}
                other => *entry.refused.entry(other.unwrap_or(0)).or_default() += 1,
            }
            for value in optional_values(contract, op) {
                *entry.values.entry(value.describe()).or_default() +=
                    u64::from(value.carried_by(case));
            }
        }
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
    let failures = results
        .into_iter()
        .filter(|(check, _)| shared.options.checks.contains(check))
        .filter_map(|(check, result)| result.err().map(|detail| (check, detail)))
        .map(|(check, detail)| Found {
            operation: op.id.clone(),
            check,
            detail,
            case: Box::new(case.clone()),
            sequence: Vec::new(),
        })
        .collect();
    if tally && let Some(p) = &shared.progress {
        p.inc(1);
    }
    let sent = match outcome {
        Ok((status, _, body)) => Sent::Answered { status, body },
        Err(_) => Sent::Nothing,
    };
    Checked {
        sent,
        failures: Failures(failures),
    }
}

/// Records every failure: each failing operation's tally and the report's failures.
pub(crate) fn record(shared: &Shared, api: &str, failures: Failures) {
    for found in failures.0 {
        record_one(shared, api, found);
    }
}

fn record_one(shared: &Shared, api: &str, found: Found) {
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
