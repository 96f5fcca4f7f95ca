//! The proxy's run as a vouch report (the formats of [`crate::report`]): one scenario per
//! exchange (feature `proxy`, tagged with the API), failed when it broke the contract or the
//! upstream failed, with the exchange (secrets masked) and its violations.

use super::ProxyExchange;
use crate::contract::ContractSet;
use crate::redact;
use crate::report::{
    ContractInfo, ExchangeRecord, Header, Report, RunInfo, ScenarioRecord, Status, StepRecord,
    ViolationRecord,
};
use serde_json::Value;

fn body_text(bytes: &[u8]) -> Option<String> {
    if bytes.is_empty() {
        return None;
    }
    Some(match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => serde_json::to_string_pretty(&redact::redact_value(&v)).unwrap_or_default(),
        Err(_) => String::from_utf8_lossy(bytes).chars().take(4096).collect(),
    })
}

/// The report of a proxy run. `started_at` is RFC 3339; `errors` are the proxy's own problems.
pub fn build(
    contracts: &ContractSet,
    apis: &[String],
    exchanges: &[ProxyExchange],
    errors: Vec<String>,
    started_at: String,
    duration_ms: u64,
) -> Report {
    let mut secrets = Vec::new();
    let scenarios = exchanges
        .iter()
        .map(|e| {
            let (request_violations, response_violations): (Vec<_>, Vec<_>) = e
                .violations
                .iter()
                .partition(|v| v.direction == crate::contract::Direction::Request);
            let mut request_headers = Vec::new();
            let mut curl = format!("curl -X {} \"$VOUCH_PROXY/{}{}\"", e.method, e.api, e.path);
            for (name, value) in &e.request_headers {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                let shown = if redact::is_sensitive_name(name.as_str()) {
                    secrets.extend(value.split_whitespace().map(str::to_string));
                    secrets.push(value);
                    redact::REDACTED.to_string()
                } else {
                    value
                };
                curl.push_str(&format!(" -H '{name}: {shown}'"));
                request_headers.push(Header {
                    name: name.as_str().to_string(),
                    value: shown,
                });
            }
            let json = serde_json::from_slice::<Value>(&e.response_body).ok();
            let exchange = ExchangeRecord {
                api: e.api.clone(),
                operation: e.operation.clone(),
                method: e.method.to_string(),
                url: format!("/{}{}", e.api, e.path),
                request_headers,
                request_body: body_text(&e.request_body),
                status: Some(e.status),
                error: e.upstream_error.clone(),
                response_body: body_text(&e.response_body),
                response_shape: json.as_ref().map(crate::report::shape),
                error_code: None,
                elapsed_ms: e.elapsed.as_millis() as u64,
                request_violations: request_violations.into_iter().map(Into::into).collect(),
                response_violations: response_violations.into_iter().map(Into::into).collect(),
                curl,
                ..Default::default()
            };
            let mut failures: Vec<String> = exchange
                .request_violations
                .iter()
                .chain(&exchange.response_violations)
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
                    docstring: None,
                    exchanges: vec![exchange],
                }],
            }
        })
        .collect::<Vec<_>>();
    let mut report = Report {
        format: crate::report::FORMAT.to_string(),
        run: RunInfo {
            vouch_version: env!("CARGO_PKG_VERSION").into(),
            started_at,
            duration_ms,
            target: "proxy".into(),
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
        ..Default::default()
    };
    crate::report::total(&mut report);
    crate::report::scrub(&mut report, &secrets);
    report
}
