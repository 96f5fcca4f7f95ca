//! The gaps found after a run: selected checks that apply to a fuzzed operation but never
//! applied to one of its cases, and links of fuzzed operations that were never followed.

use super::checks::{Check, Linked};
use super::report::{FuzzReport, Gap, GapKind};
use super::shared::FuzzOptions;
use crate::contract::{Contract, ContractSet, Operation, StatusKey};

/// The selected checks that apply to a fuzzed operation but never applied to one of its
/// cases, and the links of fuzzed operations that were never followed.
pub(crate) fn find_gaps(
    contracts: &ContractSet,
    options: &FuzzOptions,
    work: &[(String, String)],
    report: &mut FuzzReport,
) {
    let mut gaps = Vec::new();
    for (api, operation) in work {
        let Ok(contract) = contracts.get(api) else {
            continue;
        };
        let Ok(op) = contract.operation(operation) else {
            continue;
        };
        for check in options.checks.iter().copied() {
            if !applicable(check, contract, op, work) {
                continue;
            }
            let ran = report
                .tally
                .get(&(api.clone(), operation.clone(), check))
                .is_some_and(|(n, _)| *n > 0);
            if !ran {
                gaps.push(Gap {
                    api: api.clone(),
                    operation: operation.clone(),
                    kind: GapKind::CheckNotRun,
                    detail: format!("{} applied to none of its cases", check.name()),
                });
            }
        }
        let successful = op
            .responses
            .iter()
            .filter(|r| matches!(r.status, StatusKey::Code(200..=299)));
        for link in successful.flat_map(|r| &r.links) {
            let tally = report
                .links
                .get(&(api.clone(), operation.clone(), link.name.clone()))
                .cloned()
                .unwrap_or_default();
            if tally.followed == 0 {
                let why: Vec<String> = tally
                    .skipped
                    .iter()
                    .map(|(reason, n)| format!("{reason} ({n}×)"))
                    .collect();
                gaps.push(Gap {
                    api: api.clone(),
                    operation: operation.clone(),
                    kind: GapKind::LinkNotFollowed,
                    detail: format!(
                        "link {} to {} was never followed: {}",
                        link.name,
                        link.operation_id,
                        if why.is_empty() {
                            "no sequence reached it".to_string()
                        } else {
                            why.join(", ")
                        }
                    ),
                });
            }
        }
    }
    report.gaps.extend(gaps);
}

/// Whether `check` is expected to apply to some case of `op` in a run of `work`: the checks of
/// linked requests need the operation whose links lead to `op` in the run too.
pub(crate) fn applicable(
    check: Check,
    contract: &Contract,
    op: &Operation,
    work: &[(String, String)],
) -> bool {
    if !check.applies_to(contract, op) {
        return false;
    }
    let linked_only = match check.linked() {
        Linked::AnyCase => false,
        Linked::Only => true,
        Linked::UnlessOwnLinks => op.responses.iter().all(|r| r.links.is_empty()),
    };
    !linked_only
        || contract.operations().iter().any(|from| {
            work.iter()
                .any(|(a, o)| *a == contract.api && *o == from.id)
                && from
                    .responses
                    .iter()
                    .any(|r| r.links.iter().any(|l| l.operation_id == op.id))
        })
}
