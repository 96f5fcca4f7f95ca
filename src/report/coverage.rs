//! Coverage of each contract by a run: for every documented operation, whether it was
//! exercised, which documented statuses were observed (and in a passing scenario, without
//! contract violations), which vendor error codes came back; and a conformance score per API.

use super::model::{ApiCoverage, OperationCoverage, ScenarioRecord, Status, StatusCoverage};
use crate::contract::ContractSet;
use std::collections::BTreeSet;

/// Coverage of the contracts of `apis` (every contract when empty).
pub fn coverage(
    contracts: &ContractSet,
    apis: &[String],
    scenarios: &[ScenarioRecord],
) -> Vec<ApiCoverage> {
    let mut out = Vec::new();
    for contract in contracts.iter() {
        if !apis.is_empty() && !apis.contains(&contract.api) {
            continue;
        }
        let mut api = ApiCoverage {
            api: contract.api.clone(),
            ..Default::default()
        };
        for op in contract.operations() {
            let statuses = op.statuses();
            let mut cov = OperationCoverage {
                operation: op.id.clone(),
                method: op.method.to_string(),
                path: op.path.as_str().to_string(),
                statuses: statuses
                    .iter()
                    .map(|s| StatusCoverage {
                        status: s.to_string(),
                        ..Default::default()
                    })
                    .collect(),
                ..Default::default()
            };
            let mut codes = BTreeSet::new();
            let mut undocumented = BTreeSet::new();
            for scenario in scenarios {
                for exchange in scenario.exchanges() {
                    if exchange.api != contract.api
                        || exchange.operation.as_deref() != Some(op.id.as_str())
                    {
                        continue;
                    }
                    cov.exercised = true;
                    let Some(status) = exchange.status else {
                        continue;
                    };
                    if let Some(code) = &exchange.error_code {
                        codes.insert(code.clone());
                    }
                    match op.response_for(status) {
                        Some(spec) => {
                            let key = spec.status.to_string();
                            if let Some(s) = cov.statuses.iter_mut().find(|s| s.status == key) {
                                s.observed = true;
                                s.passing |= scenario.status == Status::Passed
                                    && exchange.response_violations.is_empty();
                            }
                        }
                        None => {
                            undocumented.insert(status);
                        }
                    }
                }
            }
            cov.error_codes = codes.into_iter().collect();
            cov.undocumented_statuses = undocumented.into_iter().collect();
            api.documented += cov.statuses.len();
            api.passing += cov.statuses.iter().filter(|s| s.passing).count();
            api.operations.push(cov);
        }
        api.score = if api.documented == 0 {
            0.0
        } else {
            ((api.passing as f64 / api.documented as f64) * 1000.0).round() / 1000.0
        };
        out.push(api);
    }
    out
}
