//! Requests for one operation: positive (valid by the contract), negative (exactly one
//! documented constraint broken, or malformed JSON, a wrong content type, missing or wrong
//! credentials) and probes (a method the path does not document, `OPTIONS`).

use super::strategy::Generator;
use crate::contract::mutate::mutations;
use crate::contract::{Contract, Operation, ParamIn};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Which credential a case carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Credentials {
    /// The target's default credential for the API, in the header the contract names.
    Valid,
    /// No credential at all.
    Missing,
    /// A credential the target cannot know (`vouch-wrong-credential`), in the right header.
    Wrong,
}

/// One generated request, before the target's base URL and credential are added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// What the case is: `positive`, or the one rule it breaks (`drop /phone`, `malformed JSON`, ...).
    pub label: String,
    /// Whether the request is valid by the contract (and so must be accepted).
    pub positive: bool,
    /// The HTTP method, upper case (`POST`).
    pub method: String,
    /// Path and query, relative to the API's base URL.
    pub path: String,
    /// Header parameters, names lower case; the credential and `content-type` are added when
    /// the case is sent.
    pub headers: Vec<(String, String)>,
    /// The body as sent (it may be deliberately malformed); `None` for no body.
    pub body: Option<String>,
    /// The `content-type` to send (it may be deliberately wrong); `None` sends none.
    pub content_type: Option<String>,
    /// Which credential the case carries.
    pub credentials: Credentials,
    /// What the case probes beyond its data, when it does: an undocumented method, a
    /// required header left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe: Option<Probe>,
    /// The mock namespace (`/__ns/<name>`) the case is sent to, for fresh state: a positive
    /// case of an operation with business refusals (a throttle, a quota) gets one of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The tenant whose credential a case with valid credentials carries, by the capability
    /// flag its operation's contract names (`x-vouch-fuzz-tenant`: a Verified v2 1-Click
    /// answers by the brand's integration type); `None`: the target's default credential.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
}

/// What a case probes beyond the data it sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Probe {
    /// The case's method is not documented for its path (`OPTIONS` included): the answer is
    /// 405 with an `Allow` of exactly the documented methods.
    UnsupportedMethod,
    /// A required header parameter is left out.
    MissingHeader {
        /// The header's name, as the contract spells it.
        name: String,
    },
}

/// The parts of a valid request, as generated (a link sequence saves them, so a replay can
/// fill in the linked values again).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Parts {
    /// Path parameters, as text.
    #[serde(default)]
    pub path: BTreeMap<String, String>,
    /// Query parameters.
    #[serde(default)]
    pub query: BTreeMap<String, Value>,
    /// Header parameters.
    #[serde(default)]
    pub headers: BTreeMap<String, Value>,
    /// The JSON body; `None` for none.
    #[serde(default)]
    pub body: Option<Value>,
}

pub(crate) fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A strategy for valid request parts of `op`.
pub(crate) fn parts(
    generator: &Generator<'_>,
    contract: &Contract,
    op: &Operation,
) -> BoxedStrategy<Parts> {
    let mut path = Vec::new();
    let mut query = Vec::new();
    let mut headers = Vec::new();
    for p in &op.parameters {
        let Some(schema) = &p.schema else { continue };
        let values = generator.at(schema);
        let entry = (p.name.clone(), p.required, values);
        match p.location {
            ParamIn::Path => path.push(entry),
            ParamIn::Query => query.push(entry),
            ParamIn::Header => headers.push(entry),
            ParamIn::Cookie => {}
        }
    }
    let pick = |list: Vec<(String, bool, BoxedStrategy<Value>)>| -> BoxedStrategy<BTreeMap<String, Value>> {
        let names: Vec<(String, bool)> = list.iter().map(|(n, r, _)| (n.clone(), *r)).collect();
        let values: Vec<BoxedStrategy<Value>> = list.into_iter().map(|(_, _, s)| s).collect();
        let count = names.len();
        (values, prop::collection::vec(any::<bool>(), count))
            .prop_map(move |(values, mask)| {
                names.iter().zip(values).zip(mask).filter(|(((_, required), _), keep)| *required || *keep).map(|(((n, _), v), _)| (n.clone(), v)).collect()
            })
            .boxed()
    };
    let body = match contract.body_schema(op, None) {
        Ok(schema) => {
            let required = op.request_body.as_ref().is_some_and(|b| b.required);
            let valid = generator.at(&schema);
            if required {
                valid.prop_map(Some).boxed()
            } else {
                prop::option::of(valid).boxed()
            }
        }
        Err(_) => Just(None).boxed(),
    };
    // The contract's fuzzing marks: the fuzzer's own key, no flagged member, no random cursor.
    let shape = super::marks::Shape::of(contract, op);
    (pick(path), pick(query), pick(headers), body)
        .prop_map(move |(path, mut query, headers, mut body)| {
            shape.apply(&mut query, body.as_mut());
            Parts {
                path: path.into_iter().map(|(k, v)| (k, text(&v))).collect(),
                query,
                headers,
                body,
            }
        })
        .boxed()
}

/// The positive case for the parts.
pub(crate) fn positive(op: &Operation, parts: &Parts) -> Case {
    let mut path = op.path.fill(&parts.path);
    if !parts.query.is_empty() {
        let pairs: Vec<String> = parts
            .query
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(&text(v))))
            .collect();
        path = format!("{path}?{}", pairs.join("&"));
    }
    Case {
        label: "positive".into(),
        positive: true,
        method: op.method.to_string(),
        path,
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), text(v)))
            .collect(),
        body: parts.body.as_ref().map(Value::to_string),
        content_type: parts.body.as_ref().map(|_| "application/json".into()),
        credentials: Credentials::Valid,
        probe: None,
        namespace: None,
        tenant: None,
    }
}

/// The tenant flag whose credential `op`'s cases carry (`x-vouch-fuzz-tenant: {flag,
/// reason}` on the operation), when the contract names one.
pub(crate) fn fuzz_tenant(contract: &Contract, op: &Operation) -> Option<String> {
    contract
        .document()
        .pointer(&format!("{}/x-vouch-fuzz-tenant/flag", op.pointer))
        .and_then(Value::as_str)
        .map(str::to_string)
}

pub(crate) fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Every way to break exactly one rule of a positive case; `choice` picks one.
pub(crate) fn negative(
    contract: &Contract,
    op: &Operation,
    parts: &Parts,
    choice: usize,
) -> Option<Case> {
    let base = positive(op, parts);
    let mut options: Vec<Case> = Vec::new();
    let with = |label: String, f: &dyn Fn(&mut Case)| {
        let mut c = base.clone();
        c.label = label;
        c.positive = false;
        f(&mut c);
        c
    };
    if let (Some(body), Ok(schema)) = (&parts.body, contract.body_schema(op, None)) {
        // A mutation under `anyOf` may leave another branch satisfied: only real breaks count.
        for m in mutations(contract, &schema, body)
            .into_iter()
            .filter(|m| !contract.schemas().is_valid(&schema, &m.instance))
        {
            let instance = m.instance.to_string();
            options.push(with(format!("body {}", m.name()), &|c| {
                c.body = Some(instance.clone())
            }));
        }
        let broken = format!("{}{{", body);
        options.push(with("malformed JSON".into(), &|c| {
            c.body = Some(broken.clone())
        }));
        options.push(with("wrong Content-Type".into(), &|c| {
            c.content_type = Some("text/plain".into())
        }));
    }
    for p in op
        .parameters
        .iter()
        .filter(|p| p.required && p.location != ParamIn::Path)
    {
        let mut without = parts.clone();
        without.query.remove(&p.name);
        without.headers.remove(&p.name);
        let case = positive(op, &without);
        options.push(Case {
            label: format!("{} parameter {} missing", p.location.as_str(), p.name),
            positive: false,
            probe: (p.location == ParamIn::Header).then(|| Probe::MissingHeader {
                name: p.name.clone(),
            }),
            ..case
        });
    }
    for p in op
        .parameters
        .iter()
        .filter(|p| p.location == ParamIn::Query)
    {
        let Some(schema) = p
            .schema
            .as_ref()
            .and_then(|s| contract.document().pointer(s))
        else {
            continue;
        };
        let wrong = match schema.get("type").and_then(Value::as_str) {
            Some("integer" | "number") => Value::String("not-a-number".into()),
            Some("boolean") => Value::String("maybe".into()),
            _ => continue,
        };
        let mut broken = parts.clone();
        broken.query.insert(p.name.clone(), wrong);
        let case = positive(op, &broken);
        options.push(Case {
            label: format!("query parameter {} wrong type", p.name),
            positive: false,
            ..case
        });
    }
    if options.is_empty() {
        return None;
    }
    Some(options.swap_remove(choice % options.len()))
}

/// The case without credentials, or with a wrong one.
pub(crate) fn unauthenticated(op: &Operation, parts: &Parts, wrong: bool) -> Case {
    let mut c = positive(op, parts);
    c.positive = false;
    c.credentials = if wrong {
        Credentials::Wrong
    } else {
        Credentials::Missing
    };
    c.label = if wrong {
        "wrong credentials".into()
    } else {
        "no credentials".into()
    };
    c
}

/// The methods a probe may try on a path the contract documents other methods for.
const PROBED_METHODS: [&str; 6] = ["GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"];

/// The methods the contract documents for `op`'s path template, upper case, sorted.
pub(crate) fn documented_methods(contract: &Contract, op: &Operation) -> Vec<String> {
    let mut methods: Vec<String> = contract
        .operations()
        .iter()
        .filter(|o| o.path.as_str() == op.path.as_str())
        .map(|o| o.method.to_string())
        .collect();
    methods.sort();
    methods.dedup();
    methods
}

/// Every probe of `op` with valid parts: each method its path does not document (`OPTIONS`
/// among them), and the request without each of its required header parameters.
pub(crate) fn probes(contract: &Contract, op: &Operation, parts: &Parts) -> Vec<Case> {
    let documented = documented_methods(contract, op);
    let base = positive(op, parts);
    let headers = op
        .parameters
        .iter()
        .filter(|p| p.required && p.location == ParamIn::Header)
        .map(|p| {
            let mut without = parts.clone();
            without.headers.remove(&p.name);
            Case {
                label: format!("header parameter {} missing", p.name),
                positive: false,
                probe: Some(Probe::MissingHeader {
                    name: p.name.clone(),
                }),
                ..positive(op, &without)
            }
        });
    let methods = PROBED_METHODS
        .into_iter()
        .filter(|m| !documented.iter().any(|d| d == m))
        .map(|method| {
            // A body goes only with methods that take one.
            let with_body = matches!(method, "PUT" | "POST" | "PATCH");
            Case {
                label: format!("undocumented method {method}"),
                positive: false,
                method: method.into(),
                body: base.body.clone().filter(|_| with_body),
                content_type: base.content_type.clone().filter(|_| with_body),
                probe: Some(Probe::UnsupportedMethod),
                ..base.clone()
            }
        });
    methods.chain(headers).collect()
}

/// Whether some response of `op` is marked a business refusal (`x-vouch-business-refusal`:
/// a throttle, a quota, a window), which state can bring about for a valid request.
pub(crate) fn has_business_refusal(contract: &Contract, op: &Operation) -> bool {
    op.responses.iter().any(|r| {
        contract
            .document()
            .pointer(&format!("{}/x-vouch-business-refusal", r.pointer))
            .is_some()
    })
}

/// Whether the contract accepts a case as a request (credentials aside).
pub(crate) fn is_valid(contract: &Contract, op: &Operation, case: &Case) -> bool {
    let mut headers = http::HeaderMap::new();
    for (k, v) in &case.headers {
        match (
            http::HeaderName::try_from(k.as_str()),
            http::HeaderValue::try_from(v.as_str()),
        ) {
            (Ok(k), Ok(v)) => {
                headers.insert(k, v);
            }
            _ => return false,
        }
    }
    if let Some(ct) = &case.content_type {
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_str(ct)
                .unwrap_or(http::HeaderValue::from_static("application/json")),
        );
    }
    let body = case.body.clone().unwrap_or_default();
    let request = crate::contract::HttpRequest {
        method: &op.method,
        path: &case.path,
        headers: &headers,
        body: body.as_bytes(),
    };
    let check = contract.check_request(&request);
    check
        .matched
        .as_ref()
        .is_ok_and(|m| m.operation.id == op.id)
        && check.violations.iter().all(|v| v.rule == "security")
}
