//! Coverage of each contract by a run: for every documented operation, whether it was
//! exercised; for every documented status, whether the API answered it by its own rules
//! (**native**), only through an injected fault (**fault only**: the mock marks such answers
//! with `x-vouch-fault`), or **never**, with the reason the contract gives
//! (`x-vouch-unreachable` on the response); which vendor error codes came back; and a
//! conformance score per API that counts native answers only, and that a failing scenario
//! counts against (issue #25: a run with 39 failing Peach scenarios showed Peach at 100 %).
//!
//! A run of part of the suite ([`Selection::is_partial`]: `--name`, `--tags`, a feature file)
//! is scored on the operations it exercised only, and lists only the APIs it touched (or
//! named with `--api`): the others are not gaps of that run.

use super::model::{
    ApiCoverage, OperationCoverage, Reach, ScenarioRecord, Selection, Status, StatusCoverage, share,
};
use crate::contract::{Contract, ContractSet, ResponseSpec};
use serde_json::Value;
use std::collections::BTreeSet;

/// The contract extension on a response that says why the target's own rules never answer it.
const UNREACHABLE_EXTENSION: &str = "x-vouch-unreachable";

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
            let mut specs: Vec<&ResponseSpec> = op.responses.iter().collect();
            specs.sort_by_key(|r| r.status);
            let mut cov = OperationCoverage {
                operation: op.id.clone(),
                method: op.method.to_string(),
                path: op.path.as_str().to_string(),
                statuses: specs
                    .iter()
                    .map(|spec| StatusCoverage {
                        status: spec.status.to_string(),
                        unreachable: unreachable_reason(contract, spec),
                        ..Default::default()
                    })
                    .collect(),
                ..Default::default()
            };
            let mut codes = BTreeSet::new();
            let mut undocumented = BTreeSet::new();
            let mut faults = BTreeSet::new();
            // A failing scenario that got no documented answer from this operation (no
            // response, an undocumented status) counts against all of its statuses.
            let mut failed_unanswered = false;
            for scenario in scenarios {
                let failed = scenario.status == Status::Failed;
                for exchange in scenario.exchanges() {
                    if exchange.api != contract.api
                        || exchange.operation.as_deref() != Some(op.id.as_str())
                    {
                        continue;
                    }
                    cov.exercised = true;
                    let Some(status) = exchange.status else {
                        failed_unanswered |= failed;
                        continue;
                    };
                    let injected = exchange.fault.is_some();
                    if injected {
                        faults.insert(status);
                    } else if let Some(code) = &exchange.error_code {
                        codes.insert(code.clone());
                    }
                    let Some(spec) = op.response_for(status) else {
                        if !injected {
                            undocumented.insert(status);
                        }
                        failed_unanswered |= failed;
                        continue;
                    };
                    let key = spec.status.to_string();
                    let Some(s) = cov.statuses.iter_mut().find(|s| s.status == key) else {
                        continue;
                    };
                    s.observed = true;
                    s.failing |= failed;
                    if injected {
                        if s.reached == Reach::Never {
                            s.reached = Reach::FaultOnly;
                        }
                    } else {
                        s.reached = Reach::Native;
                        // Unconfirmed findings (our choices) are information, not a defect of
                        // the answer: they do not take its status's coverage away.
                        s.passing |= scenario.status == Status::Passed
                            && exchange
                                .response_violations
                                .iter()
                                .all(|v| v.is_unconfirmed());
                    }
                }
            }
            cov.error_codes = codes.into_iter().collect();
            cov.undocumented_statuses = undocumented.into_iter().collect();
            cov.fault_statuses = faults.into_iter().collect();
            for s in &mut cov.statuses {
                s.failing |= failed_unanswered;
                s.passing &= !s.failing;
            }
            api.operations.push(cov);
        }
        api.failing_scenarios = scenarios
            .iter()
            .filter(|s| s.status == Status::Failed)
            .filter(|s| s.exchanges().any(|e| e.api == contract.api))
            .count();
        tally(&mut api);
        out.push(api);
    }
    out
}

/// The coverage a run with this selection shows: [`coverage`] of the APIs it named with
/// `--api` or sent a request to; for part of the suite, of the operations it exercised only.
pub fn coverage_of_selection(
    contracts: &ContractSet,
    selection: &Selection,
    scenarios: &[ScenarioRecord],
) -> Vec<ApiCoverage> {
    let touched: BTreeSet<&str> = scenarios
        .iter()
        .flat_map(ScenarioRecord::exchanges)
        .map(|e| e.api.as_str())
        .collect();
    let mut out = coverage(contracts, &selection.apis, scenarios);
    out.retain(|api| selection.apis.contains(&api.api) || touched.contains(api.api.as_str()));
    if selection.is_partial() {
        for api in &mut out {
            api.operations.retain(|op| op.exercised);
            tally(api);
        }
    }
    out
}

/// Fills an API's counts and score from its operations' statuses.
fn tally(api: &mut ApiCoverage) {
    let (mut documented, mut passing, mut native, mut faults, mut never, mut unexplained) =
        (0, 0, 0, 0, 0, 0);
    for s in api.operations.iter().flat_map(|o| &o.statuses) {
        documented += 1;
        passing += usize::from(s.passing);
        match s.reached {
            Reach::Native => native += 1,
            Reach::FaultOnly => faults += 1,
            Reach::Never => never += 1,
        }
        if s.reached != Reach::Native && s.unreachable.is_none() {
            unexplained += 1;
        }
    }
    api.documented = documented;
    api.passing = passing;
    api.reached_natively = native;
    api.reached_by_faults_only = faults;
    api.never_reached = never;
    api.unexplained = unexplained;
    api.score = share(passing, documented);
}

/// Documented statuses an API did not answer natively, grouped by status, how they were
/// reached and reason, with the operations concerned: what the report shows apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Gap {
    pub(crate) status: String,
    pub(crate) reached: Reach,
    pub(crate) reason: Option<String>,
    pub(crate) operations: Vec<String>,
}

/// The API's [`Gap`]s: unexplained ones first, then by status.
pub(crate) fn gaps(api: &ApiCoverage) -> Vec<Gap> {
    let mut out: Vec<Gap> = Vec::new();
    for op in &api.operations {
        for s in op.statuses.iter().filter(|s| s.reached != Reach::Native) {
            match out.iter_mut().find(|g| {
                g.status == s.status && g.reached == s.reached && g.reason == s.unreachable
            }) {
                Some(g) => g.operations.push(op.operation.clone()),
                None => out.push(Gap {
                    status: s.status.clone(),
                    reached: s.reached,
                    reason: s.unreachable.clone(),
                    operations: vec![op.operation.clone()],
                }),
            }
        }
    }
    out.sort_by(|a, b| {
        (a.reason.is_some(), &a.status, a.reached.as_str()).cmp(&(
            b.reason.is_some(),
            &b.status,
            b.reached.as_str(),
        ))
    });
    out
}

/// The response's `x-vouch-unreachable` reason (on the response object itself, or on the
/// component it refers to).
fn unreachable_reason(contract: &Contract, spec: &ResponseSpec) -> Option<String> {
    contract
        .document()
        .pointer(&spec.pointer)
        .and_then(|r| r.get(UNREACHABLE_EXTENSION))
        .and_then(Value::as_str)
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::ExchangeRecord;
    use crate::report::StepRecord;

    const CONTRACT: &str = r##"
openapi: 3.1.0
info: {title: T, version: '1'}
x-vouch-api: t
paths:
  /things:
    get:
      operationId: getThings
      responses:
        '200': {description: ok}
        '401': {$ref: '#/components/responses/Unauthorized'}
        '429': {description: slow down, x-vouch-unreachable: no rate limit in the mock}
        '500': {description: down, x-vouch-unreachable: only through faults}
        '503': {description: unavailable}
components:
  responses:
    Unauthorized: {description: no key}
"##;

    fn exchange(status: u16, fault: Option<&str>) -> ExchangeRecord {
        ExchangeRecord {
            api: "t".into(),
            operation: Some("getThings".into()),
            status: Some(status),
            fault: fault.map(str::to_string),
            ..Default::default()
        }
    }

    #[test]
    fn native_fault_only_and_never_are_told_apart_with_reasons() {
        let contract = Contract::from_yaml("t", CONTRACT, "test").unwrap();
        let set = ContractSet::new(vec![contract]);
        let scenario = ScenarioRecord {
            status: Status::Passed,
            steps: vec![StepRecord {
                exchanges: vec![
                    exchange(200, None),
                    exchange(500, Some("status 500")),
                    exchange(418, Some("status 418")),
                    exchange(401, Some("status 401")),
                    exchange(401, None),
                ],
                ..Default::default()
            }],
            ..Default::default()
        };
        let cov = coverage(&set, &[], &[scenario]);
        let api = &cov[0];
        let op = &api.operations[0];
        let reach: Vec<(&str, Reach, bool)> = op
            .statuses
            .iter()
            .map(|s| (s.status.as_str(), s.reached, s.passing))
            .collect();
        assert_eq!(
            reach,
            [
                ("200", Reach::Native, true),
                ("401", Reach::Native, true),
                ("429", Reach::Never, false),
                ("500", Reach::FaultOnly, false),
                ("503", Reach::Never, false),
            ]
        );
        assert_eq!(
            op.statuses[2].unreachable.as_deref(),
            Some("no rate limit in the mock")
        );
        assert_eq!(op.statuses[1].unreachable, None);
        assert_eq!(op.fault_statuses, [401, 418, 500]);
        assert!(op.undocumented_statuses.is_empty(), "418 was injected");
        assert_eq!(
            (
                api.documented,
                api.passing,
                api.reached_natively,
                api.reached_by_faults_only,
                api.never_reached,
                api.unexplained
            ),
            (5, 2, 2, 1, 2, 1),
            "503 is the one gap without a reason"
        );
        assert_eq!(api.score, 0.4);
        assert_eq!(api.native_share(), 0.4);
        let found = gaps(api);
        let gaps: Vec<(&str, Reach, bool)> = found
            .iter()
            .map(|g| (g.status.as_str(), g.reached, g.reason.is_some()))
            .collect();
        assert_eq!(
            gaps,
            [
                ("503", Reach::Never, false),
                ("429", Reach::Never, true),
                ("500", Reach::FaultOnly, true),
            ]
        );
    }

    fn scenario(status: Status, exchanges: Vec<ExchangeRecord>) -> ScenarioRecord {
        ScenarioRecord {
            status,
            steps: vec![StepRecord {
                exchanges,
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_failing_scenario_counts_against_what_it_exercised() {
        let set = ContractSet::new(vec![Contract::from_yaml("t", CONTRACT, "test").unwrap()]);
        let passing = scenario(
            Status::Passed,
            vec![exchange(200, None), exchange(401, None)],
        );
        let all_passing = coverage(&set, &[], std::slice::from_ref(&passing));
        assert_eq!(all_passing[0].passing, 2);
        // The same answers, and one failing scenario that also got the 200: the 200 no longer
        // passes, whatever the passing scenario did.
        let failing = scenario(Status::Failed, vec![exchange(200, None)]);
        let cov = coverage(&set, &[], &[passing.clone(), failing]);
        let api = &cov[0];
        assert_eq!((api.passing, api.failing_scenarios), (1, 1));
        let s200 = &api.operations[0].statuses[0];
        assert!(s200.failing && !s200.passing, "{s200:?}");
        // A failing scenario whose request got no documented answer counts against the whole
        // operation.
        let unanswered = scenario(Status::Failed, vec![exchange(418, None)]);
        let cov = coverage(&set, &[], &[passing, unanswered]);
        assert_eq!(cov[0].passing, 0);
        assert!(cov[0].operations[0].statuses.iter().all(|s| s.failing));
    }

    #[test]
    fn part_of_the_suite_is_scored_on_what_it_touched() {
        const TWO: &str = r##"
openapi: 3.1.0
info: {title: U, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      responses: {'200': {description: ok}, '404': {description: gone}}
  /b:
    get:
      operationId: getB
      responses: {'200': {description: ok}}
"##;
        let set = ContractSet::new(vec![
            Contract::from_yaml("t", CONTRACT, "test").unwrap(),
            Contract::from_yaml("u", TWO, "test").unwrap(),
        ]);
        let mut get_a = exchange(200, None);
        get_a.api = "u".into();
        get_a.operation = Some("getA".into());
        let ran = [scenario(Status::Passed, vec![get_a])];
        let whole = Selection {
            features: "features".into(),
            ..Default::default()
        };
        let named = Selection {
            name: Some("a".into()),
            ..whole.clone()
        };
        // The whole suite: every operation of the touched API; an untouched API is left out.
        let cov = coverage_of_selection(&set, &whole, &ran);
        let apis: Vec<&str> = cov.iter().map(|a| a.api.as_str()).collect();
        assert_eq!(apis, ["u"]);
        assert_eq!((cov[0].operations.len(), cov[0].documented), (2, 3));
        // Part of it: only the operation it exercised, scored on its statuses.
        let cov = coverage_of_selection(&set, &named, &ran);
        assert_eq!((cov[0].operations.len(), cov[0].documented), (1, 2));
        assert_eq!((cov[0].passing, cov[0].score), (1, 0.5));
        // An API named with --api stays, at 0 %, even untouched.
        let peach = Selection {
            apis: vec!["t".into(), "u".into()],
            ..whole
        };
        assert_eq!(coverage_of_selection(&set, &peach, &ran).len(), 2);
    }
}
