//! The cucumber World: what one scenario knows (the API, the credential, remembered values,
//! the last exchange) and how it sends a request and checks it against the contract.

use super::Context;
use super::explain;
use crate::contract::{
    Contract, HttpRequest, HttpResponse, RouteError, Violation, relative_to_base,
};
use crate::target::{Exchange, SentRequest, Which};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Which credential the next requests carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialChoice {
    Tenant(Which),
    None,
    /// A literal value (e.g. a wrong key), sent as the API's credential header.
    Literal(String),
}

/// What the last request came to.
#[derive(Debug, Clone)]
pub enum Outcome {
    Answered {
        exchange: Exchange,
        /// The operation the request matched, if any.
        operation: Option<String>,
        request_violations: Vec<Violation>,
        response_violations: Vec<Violation>,
    },
    /// No response: the connection failed (e.g. an injected `connection_reset`).
    NoResponse { request: SentRequest, error: String },
}

#[derive(cucumber::World)]
#[world(init = Self::new)]
pub struct VouchWorld {
    pub(crate) ctx: Arc<Context>,
    pub api: Option<String>,
    pub credential: CredentialChoice,
    /// Extra headers sent with every following request.
    pub headers: Vec<(String, String)>,
    /// Values remembered from responses, used as `{name}` in later steps.
    pub vars: BTreeMap<String, String>,
    pub last: Option<Outcome>,
    /// Set by "the next response is expected to break the contract".
    pub allow_next_violation: bool,
}

impl std::fmt::Debug for VouchWorld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // No credentials or bodies here: cucumber may print the World.
        f.debug_struct("VouchWorld")
            .field("api", &self.api)
            .field("vars", &self.vars.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl VouchWorld {
    fn new() -> Self {
        Self {
            ctx: super::context(),
            api: None,
            credential: CredentialChoice::Tenant(Which::Default),
            headers: Vec::new(),
            vars: BTreeMap::new(),
            last: None,
            allow_next_violation: false,
        }
    }

    /// The chosen API, or a failure telling the scenario to choose one.
    pub fn api(&self) -> String {
        self.api.clone().unwrap_or_else(|| {
            panic!("no API chosen: start the scenario with `Given the <api> API`")
        })
    }

    pub fn contract(&self) -> &Contract {
        let api = self.api();
        self.ctx
            .contracts
            .get(&api)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Replaces `{name}` with remembered values; `{uuid}` is a fresh UUID each time and
    /// `{run_id}` this run's id (so ids created on a sandbox are unique per run).
    pub fn interpolate(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let end = after.find('}').filter(|e| {
                after[..*e]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && *e > 0
            });
            match end {
                Some(e)
                    if after[..1]
                        .chars()
                        .all(|c| c.is_ascii_alphabetic() || c == '_') =>
                {
                    let name = &after[..e];
                    let value = match name {
                        "uuid" => uuid::Uuid::new_v4().to_string(),
                        "run_id" => self.ctx.run_id.clone(),
                        _ => self.vars.get(name).cloned().unwrap_or_else(|| {
                            panic!(
                                "`{{{name}}}` is not remembered (remembered: {})",
                                self.vars.keys().cloned().collect::<Vec<_>>().join(", ")
                            )
                        }),
                    };
                    out.push_str(&value);
                    rest = &after[e + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// Sends a request to the chosen API and checks it and its response against the contract.
    /// A response that breaks the contract fails the step, unless the scenario said it
    /// expected that.
    pub async fn send(&mut self, method: &str, path: &str, body: Option<(String, Vec<u8>)>) {
        let api = self.api();
        let target = self.ctx.target.clone();
        let base = target
            .base_url(&api)
            .unwrap_or_else(|why| panic!("{api} is not available on this target: {why}"));
        let path = self.interpolate(path);
        let method: http::Method = method
            .parse()
            .unwrap_or_else(|_| panic!("`{method}` is not an HTTP method"));
        let mut headers = Vec::new();
        let secret = match &self.credential {
            CredentialChoice::Tenant(which) => Some(
                target
                    .credential(&api, *which)
                    .unwrap_or_else(|why| panic!("{why}"))
                    .value,
            ),
            CredentialChoice::Literal(value) => Some(value.clone()),
            CredentialChoice::None => None,
        };
        if let Some(secret) = secret {
            let (name, value) = crate::target::credential_header(self.contract(), &secret);
            headers.push((name, value));
        }
        for (k, v) in &self.headers {
            headers.push((k.to_ascii_lowercase(), self.interpolate(v)));
        }
        let body_bytes = match body {
            Some((content_type, bytes)) => {
                if !headers.iter().any(|(k, _)| k == "content-type") && !content_type.is_empty() {
                    headers.push(("content-type".into(), content_type));
                }
                bytes
            }
            None => Vec::new(),
        };
        let request = SentRequest {
            method,
            url: format!("{}{}", base.trim_end_matches('/'), path),
            headers,
            body: body_bytes,
        };
        self.last = Some(match target.client().send(&request).await {
            Err(error) => Outcome::NoResponse { request, error },
            Ok(exchange) => self.check(&base, exchange),
        });
        let allowed = std::mem::take(&mut self.allow_next_violation);
        if let Some(Outcome::Answered {
            response_violations,
            ..
        }) = &self.last
            && !response_violations.is_empty()
            && !allowed
        {
            panic!("the response breaks the contract\n{}", self.explain());
        }
    }

    fn check(&self, base: &str, exchange: Exchange) -> Outcome {
        let contract = self.contract();
        let relative = relative_to_base(&exchange.request.url, base).unwrap_or_default();
        let query = exchange
            .request
            .url
            .split_once('?')
            .map(|(_, q)| format!("?{q}"))
            .unwrap_or_default();
        let path = format!("{relative}{query}");
        let headers: http::HeaderMap = exchange
            .request
            .headers
            .iter()
            .filter_map(|(k, v)| {
                Some((
                    http::HeaderName::try_from(k.as_str()).ok()?,
                    http::HeaderValue::try_from(v.as_str()).ok()?,
                ))
            })
            .collect();
        let request = HttpRequest {
            method: &exchange.request.method,
            path: &path,
            headers: &headers,
            body: &exchange.request.body,
        };
        let checked = contract.check_request(&request);
        let (operation, response_violations) = match &checked.matched {
            Ok(m) => {
                let response = HttpResponse {
                    status: exchange.status,
                    headers: &exchange.headers,
                    body: &exchange.body,
                };
                (
                    Some(m.operation.id.clone()),
                    contract.validate_response(m.operation, &response),
                )
            }
            Err(RouteError::NotFound | RouteError::MethodNotAllowed { .. }) => (None, Vec::new()),
        };
        Outcome::Answered {
            exchange,
            operation,
            request_violations: checked.violations,
            response_violations,
        }
    }

    /// The last exchange, or a failure saying there was none.
    pub fn exchange(&self) -> (&Exchange, &[Violation], &[Violation]) {
        match &self.last {
            Some(Outcome::Answered {
                exchange,
                request_violations,
                response_violations,
                ..
            }) => (exchange, request_violations, response_violations),
            Some(Outcome::NoResponse { error, .. }) => panic!(
                "the last request got no response ({error})\n{}",
                self.explain()
            ),
            None => panic!("no request has been sent yet"),
        }
    }

    /// The last response body as JSON.
    pub fn json(&self) -> Value {
        let (exchange, _, _) = self.exchange();
        serde_json::from_slice(&exchange.body)
            .unwrap_or_else(|e| panic!("the response body is not JSON ({e})\n{}", self.explain()))
    }

    /// Puts the mock back to its seeded state (no-op on a sandbox).
    pub async fn reset_mock(&self) {
        if let Some(root) = self.ctx.target.admin_url() {
            let request = SentRequest {
                method: http::Method::POST,
                url: format!("{root}/reset"),
                headers: Vec::new(),
                body: Vec::new(),
            };
            match self.ctx.target.client().send(&request).await {
                Ok(e) if e.status == 200 => {}
                Ok(e) => panic!("resetting the mock answered {}", e.status),
                Err(e) => panic!("resetting the mock failed: {e}"),
            }
        }
    }

    /// Everything needed to understand a failure: request, response, violations, curl.
    pub fn explain(&self) -> String {
        explain::explain(self.last.as_ref(), self.api.as_deref(), &self.ctx)
    }
}
