//! The proxy's run as a vouch report (the formats of [`crate::report`]): one scenario per
//! exchange (feature `proxy`, tagged with the API), failed when it broke the contract or the
//! upstream failed, with the exchange (secrets masked) and its violations. An exchange whose
//! only violations are unconfirmed (our choices, `x-vouch-choice`) passes unless `strict`.

use crate::contract::{ContractSet, Direction};
use crate::exchange::{Exchange, ExchangeRecord, Outcome, SentRequest};
use crate::proxy::ProxyExchange;
use crate::report::{
    ContractInfo, Report, RunInfo, ScenarioRecord, Status, StepRecord, ViolationRecord,
};

/// The report of a proxy run. `proxy_url` is the proxy's root URL (in each exchange's curl),
/// `started_at` is RFC 3339; `errors` are the proxy's own problems. Unconfirmed findings fail
/// no exchange (see [`ProxyRun`] for `--strict`).
pub fn build(
    contracts: &ContractSet,
    apis: &[String],
    proxy_url: &str,
    exchanges: &[ProxyExchange],
    errors: Vec<String>,
    started_at: String,
    duration_ms: u64,
) -> Report {
    ProxyRun {
        contracts,
        apis,
        proxy_url,
        exchanges,
        errors,
        started_at,
        duration_ms,
        strict: false,
    }
    .report()
}

/// The run info's `target` of a proxy run's report.
pub const TARGET: &str = "proxy";

impl Report {
    /// The command that made the report, for the writers' titles (`summary.md`, `report.html`):
    /// `vouch proxy` for a proxy run's (its target is [`TARGET`]), `vouch run` otherwise.
    pub fn command(&self) -> &'static str {
        if self.run.target == TARGET {
            "vouch proxy"
        } else {
            "vouch run"
        }
    }
}

/// What a proxy run's report is made from.
pub struct ProxyRun<'a> {
    /// The contracts the exchanges were checked against.
    pub contracts: &'a ContractSet,
    /// The APIs the proxy served.
    pub apis: &'a [String],
    /// The proxy's root URL (in each exchange's curl).
    pub proxy_url: &'a str,
    /// What passed through.
    pub exchanges: &'a [ProxyExchange],
    /// The proxy's own problems.
    pub errors: Vec<String>,
    /// When the run started (RFC 3339).
    pub started_at: String,
    /// How long it ran.
    pub duration_ms: u64,
    /// `--strict`: an unconfirmed finding fails its exchange too.
    pub strict: bool,
}

impl ProxyRun<'_> {
    /// The report: one scenario per exchange.
    pub fn report(self) -> Report {
        let ProxyRun {
            contracts,
            apis,
            proxy_url,
            exchanges,
            errors,
            started_at,
            duration_ms,
            strict,
        } = self;
        let scenarios: Vec<ScenarioRecord> = exchanges
            .iter()
            .map(|e| scenario(proxy_url, e, strict))
            .collect();
        assemble(contracts, apis, scenarios, errors, started_at, duration_ms)
    }
}

/// The report around the scenarios: run info, coverage, totals, scrubbed.
fn assemble(
    contracts: &ContractSet,
    apis: &[String],
    scenarios: Vec<ScenarioRecord>,
    errors: Vec<String>,
    started_at: String,
    duration_ms: u64,
) -> Report {
    let mut report = Report {
        format: crate::report::FORMAT.to_string(),
        run: RunInfo {
            vouch_version: env!("CARGO_PKG_VERSION").into(),
            started_at,
            duration_ms,
            target: TARGET.into(),
            apis: apis.to_vec(),
            tags: None,
            contracts: contracts
                .iter()
                .filter(|c| apis.is_empty() || apis.contains(&c.api))
                .map(|c| ContractInfo {
                    api: c.api.clone(),
                    title: c.title.clone(),
                    version: c.version.clone(),
                })
                .collect(),
            redacted: true,
            run_id: String::new(),
        },
        coverage: crate::report::coverage(contracts, apis, &scenarios),
        scenarios,
        errors,
        // What `vouch diff` compares two runs by: the proxy's traffic is a selection of its own
        // (no feature file), checked against these contracts.
        selection: Some(crate::report::model::Selection {
            apis: apis.to_vec(),
            features: "(traffic through vouch proxy)".into(),
            ..Default::default()
        }),
        contract_set: Some(crate::report::contract_set_record(contracts, apis)),
        ..Default::default()
    };
    crate::report::total(&mut report);
    crate::report::scrub(&mut report, &[]);
    report
}

/// One exchange as a scenario with one step: failed when it broke the contract or the
/// upstream failed, with the exchange (secrets masked) and its violations.
fn scenario(proxy_url: &str, e: &ProxyExchange, strict: bool) -> ScenarioRecord {
    let (request_violations, response_violations): (Vec<_>, Vec<_>) = e
        .violations
        .iter()
        .cloned()
        .partition(|v| v.direction == Direction::Request);
    let request = SentRequest {
        method: e.method.clone(),
        url: format!("{}/{}{}", proxy_url.trim_end_matches('/'), e.api, e.path),
        headers: e
            .request_headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: e.request_body.to_vec(),
    };
    let outcome = Outcome::Answered {
        exchange: Exchange {
            request,
            status: e.status,
            headers: e.response_headers.clone(),
            body: e.response_body.clone(),
            elapsed: e.elapsed,
        },
        operation: e.operation.clone(),
        request_violations,
        response_violations,
    };
    let pointers = crate::apis::get(&e.api).map_or(&[][..], |r| r.error_code_pointers);
    // The proxy knows no credential by name: every sensitive header is redacted.
    let mut exchange = ExchangeRecord::from_outcome(&outcome, &e.api, &[], pointers);
    exchange.error = e.upstream_error.clone();
    let mut failures: Vec<String> = exchange
        .request_violations
        .iter()
        .chain(&exchange.response_violations)
        .filter(|v| strict || !v.is_unconfirmed())
        .map(ViolationRecord::to_string)
        .collect();
    if let Some(err) = &e.upstream_error {
        failures.insert(0, format!("upstream failed: {err}"));
    }
    let failure = (!failures.is_empty()).then(|| failures.join("\n"));
    let status = if failure.is_some() {
        Status::Failed
    } else {
        Status::Passed
    };
    let text = format!(
        "{} /{}{}",
        e.method,
        e.api,
        e.path.split('?').next().unwrap_or_default()
    );
    ScenarioRecord {
        feature: "proxy".into(),
        path: "proxy".into(),
        rule: None,
        scenario: format!("#{} {text}", e.seq),
        line: e.seq as usize,
        tags: vec![e.api.clone(), "proxy".into()],
        status,
        duration_ms: exchange.elapsed_ms,
        failure: failure.clone(),
        steps: vec![StepRecord {
            keyword: "When".into(),
            text: format!("the client sends {text}"),
            line: e.seq as usize,
            background: false,
            status,
            duration_ms: exchange.elapsed_ms,
            failure,
            // What the client got differs from the exchange shown (the upstream's answer).
            docstring: (!e.rewritten.is_empty()).then(|| {
                format!(
                    "forwarded with the upstream's URL rewritten to the proxy's at: {}",
                    e.rewritten.join(", ")
                )
            }),
            exchanges: vec![exchange],
        }],
    }
}
