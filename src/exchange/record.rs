//! An exchange as the report keeps it: request and response with secrets masked (headers by
//! name and known credential, bodies by member name, sensitive query values), its violations,
//! its vendor error code and the curl that repeats it. Every producer of report entries (the
//! steps, the proxy) builds them here.

use super::{Outcome, SentRequest, curl::curl};
use crate::contract::Violation;
use crate::redact::{self, Secret};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The header vouch's mock puts on an answer an injected fault made (`/__admin/faults`), with
/// the fault as its value. Such an answer is not the API's own: coverage counts it apart.
pub const FAULT_HEADER: &str = "x-vouch-fault";

/// Bodies are kept whole up to this size, so snapshot filters never see a value cut in half.
const MAX_BODY_KEPT: usize = 256 * 1024;

/// A header as recorded (value masked).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Header {
    /// The header name, lower case, as sent.
    pub name: String,
    /// The value as it may be shown: as sent for an insensitive header; in a sensitive one
    /// (`authorization`, `x-api-key`, ...), a known credential by its hint
    /// (`Bearer $VOUCH_PEACH_TOKEN`) and anything else `<redacted>`.
    pub value: String,
}

/// One request and what came back, secrets masked.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExchangeRecord {
    /// The API id the request went to (`verified`, `trusona`, ...).
    pub api: String,
    /// The `operationId` the request matched in the contract; `None` when it matched none
    /// (an undocumented path or method) or no response came.
    pub operation: Option<String>,
    /// The HTTP method, upper case (`POST`).
    pub method: String,
    /// The full URL as sent, query included, with sensitive query values `<redacted>`.
    pub url: String,
    /// The request headers in the order sent, values masked.
    pub request_headers: Vec<Header>,
    /// The request body as text (JSON compacted, sensitive members `<redacted>`), cut after
    /// 4000 bytes with the full length noted; `None` when the body was empty.
    pub request_body: Option<String>,
    /// The HTTP status the target answered; `None` when no response came (see `error`).
    pub status: Option<u16>,
    /// Why no response came (connection refused, timeout, ...), or for `vouch proxy` why the
    /// upstream failed; `None` otherwise.
    pub error: Option<String>,
    /// The response body as text (JSON compacted, sensitive members `<redacted>`), cut after
    /// 256 KiB with the full length noted; `None` when the body was empty or no response came.
    pub response_body: Option<String>,
    /// The response body's shape, for `vouch diff`: one line per JSON pointer,
    /// `<pointer> <type>`, members sorted and arrays by their first item (`/[]`); `None` when
    /// the body is not JSON.
    pub response_shape: Option<String>,
    /// The vendor error code of an error answer (Verified `data.errorCode`, ...).
    pub error_code: Option<String>,
    /// The injected fault that made this answer (the mock's [`FAULT_HEADER`]), e.g.
    /// `status 500`; `None` for the API's own answer.
    #[serde(default)]
    pub fault: Option<String>,
    /// Milliseconds from sending the request to the last byte of the response body; `0` when
    /// no response came.
    pub elapsed_ms: u64,
    /// How the request departs from the contract (including an unknown path or method).
    pub request_violations: Vec<ViolationRecord>,
    /// How the response departs from the operation's contract; empty when the request matched
    /// no operation.
    pub response_violations: Vec<ViolationRecord>,
    /// A curl command that sends the same request (credentials as environment variables).
    pub curl: String,
    /// When it was sent (to place it in its step); not serialised.
    #[serde(skip)]
    pub(crate) at: Option<std::time::Instant>,
    /// Values seen under sensitive names (scrubbed from the whole report); not serialised.
    #[serde(skip)]
    pub(crate) sensitive: Vec<String>,
}

/// A contract violation as the report keeps it (see [`Violation`], which it is made from).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ViolationRecord {
    /// `request` or `response`.
    pub direction: String,
    /// The `operationId` of the operation checked; `None` when the request matched none.
    pub operation: Option<String>,
    /// JSON pointer over the whole exchange: `/status`, `/headers/content-type`,
    /// `/query/limit`, `/body/data/errorCode`, ...
    pub pointer: String,
    /// The rule broken: a JSON Schema keyword (`required`, `type`, `enum`, ...) or one of
    /// vouch's HTTP rules (`status`, `content-type`, `security`, ...).
    pub rule: String,
    /// What the contract asks for, in words (`one of 200, 4XX`).
    pub expected: String,
    /// What the exchange had instead, with secret and PII values redacted.
    pub actual: String,
    /// The rule's source (`{"kind": "vendor", "source": ...}`) or our choice (`{"kind":
    /// "choice", "reason": ..., "notes": <NOTES.md anchor>}`: an unconfirmed finding).
    #[serde(default)]
    pub provenance: crate::contract::Provenance,
}

impl ViolationRecord {
    /// Whether the rule broken is our choice (an unconfirmed finding, failing only `--strict`).
    pub fn is_unconfirmed(&self) -> bool {
        self.provenance.is_choice()
    }
}

impl From<&Violation> for ViolationRecord {
    fn from(v: &Violation) -> Self {
        Self {
            direction: v.direction.to_string(),
            operation: v.operation.clone(),
            pointer: v.pointer.clone(),
            rule: v.rule.clone(),
            expected: v.expected.clone(),
            actual: v.actual.clone(),
            provenance: v.provenance.clone(),
        }
    }
}

impl std::fmt::Display for ViolationRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {} (expected {}, got {}) [{}]",
            self.direction,
            self.pointer,
            self.rule,
            self.expected,
            self.actual,
            self.provenance.describe()
        )
    }
}

impl ExchangeRecord {
    /// The record of an outcome on API `api`: headers masked (a known credential in `secrets`
    /// by its hint), bodies redacted, the vendor error code read at the first of
    /// `error_code_pointers` that holds a string (from the API's registry entry).
    pub fn from_outcome(
        outcome: &Outcome,
        api: &str,
        secrets: &[Secret],
        error_code_pointers: &[&str],
    ) -> Self {
        let request = outcome.request();
        let mut record = match outcome {
            Outcome::Answered {
                exchange,
                operation,
                request_violations,
                response_violations,
            } => {
                let json = serde_json::from_slice::<Value>(&exchange.body).ok();
                let error_code = json
                    .as_ref()
                    .filter(|_| exchange.status >= 400)
                    .and_then(|j| {
                        error_code_pointers
                            .iter()
                            .filter_map(|p| j.pointer(p))
                            .find_map(|v| v.as_str().map(str::to_string))
                    });
                let mut sensitive = Vec::new();
                if let Some(j) = &json {
                    collect_sensitive(j, Under::Plain, &mut sensitive);
                }
                let fault = exchange
                    .headers
                    .get(FAULT_HEADER)
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
                ExchangeRecord {
                    operation: operation.clone(),
                    status: Some(exchange.status),
                    fault,
                    response_body: (!exchange.body.is_empty()).then(|| {
                        redact::body_text(&exchange.body, MAX_BODY_KEPT)
                            .trim_end()
                            .to_string()
                    }),
                    response_shape: json.as_ref().map(redact::shape_lines),
                    error_code,
                    elapsed_ms: u64::try_from(exchange.elapsed.as_millis()).unwrap_or(u64::MAX),
                    request_violations: request_violations.iter().map(Into::into).collect(),
                    response_violations: response_violations.iter().map(Into::into).collect(),
                    sensitive,
                    ..Default::default()
                }
            }
            Outcome::NoResponse { error, .. } => ExchangeRecord {
                error: Some(error.clone()),
                ..Default::default()
            },
        };
        if let Ok(j) = serde_json::from_slice::<Value>(&request.body) {
            collect_sensitive(&j, Under::Plain, &mut record.sensitive);
        }
        let (url, mut from_query) = redact::redact_query(&request.url);
        record.sensitive.append(&mut from_query);
        for (name, value) in &request.headers {
            if redact::is_sensitive_name(name) {
                record.sensitive.push(value.clone());
                if let Some(token) = value.split_whitespace().nth(1) {
                    record.sensitive.push(token.to_string());
                }
            }
        }
        record.api = api.to_string();
        record.method = request.method.to_string();
        record.request_headers = request
            .headers
            .iter()
            .map(|(name, value)| Header {
                name: name.clone(),
                value: redact::masked_header(name, value, secrets),
            })
            .collect();
        record.request_body = (!request.body.is_empty()).then(|| {
            redact::body_text(&request.body, MAX_BODY_SHOWN)
                .trim_end()
                .to_string()
        });
        record.curl = curl(
            &SentRequest {
                url: url.clone(),
                ..request.clone()
            },
            secrets,
        );
        record.url = url;
        record.at = Some(std::time::Instant::now());
        record
    }
}

/// Request bodies are shown up to this size in records and failure messages.
pub(crate) const MAX_BODY_SHOWN: usize = 4000;

/// Where a value sits, for [`collect_sensitive`].
#[derive(Clone, Copy, PartialEq)]
enum Under {
    Plain,
    Sensitive,
    /// Under a record-keeping member ([`redact::is_metadata_name`]): ids, issuers, statuses,
    /// times. Verified mirrors a credential's names inside them
    /// (`metadata.credentials.issuerUuid.birthDate` is the uuid of the brand that issued the
    /// birth date), so a sensitive name below one names what the value describes, not a secret.
    Metadata,
}

/// Values under sensitive names, to scrub wherever else they appear. Record-keeping members
/// are not collected, inside a sensitive object or around one: the body is redacted by name
/// where it stands all the same.
fn collect_sensitive(value: &Value, under: Under, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let below = if under == Under::Metadata || redact::is_metadata_name(k) {
                    Under::Metadata
                } else if redact::is_sensitive_name(k) {
                    Under::Sensitive
                } else {
                    under
                };
                collect_sensitive(v, below, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_sensitive(v, under, out)),
        Value::String(s) if under == Under::Sensitive => out.push(s.clone()),
        Value::Number(n) if under == Under::Sensitive => out.push(n.to_string()),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_under_sensitive_names_are_collected() {
        let mut out = Vec::new();
        collect_sensitive(
            &json!({"ssn": "123456789", "user": {"birthDate": "1989-08-01"}, "name": "Ann"}),
            Under::Plain,
            &mut out,
        );
        assert_eq!(out, vec!["123456789", "1989-08-01"]);
    }

    #[test]
    fn a_sensitive_credential_object_gives_its_value_not_its_metadata() {
        let mut out = Vec::new();
        collect_sensitive(
            &json!({"credentials": {"birthDate": {
                "value": "628473600000", "id": "c-1", "issuerUuid": "7c0f2f5e-6a43",
                "issuanceDate": "1795979315532", "status": "valid",
                "verificationMethod": "credit_bureau",
                "data": {"ssn": "123456789", "documentNumber": "D1234567"}}},
              "metadata": {"credentials": {"issuerUuid": {"birthDate": "7c0f2f5e-6a43"},
                                           "status": {"ssn": "valid"}}}}),
            Under::Plain,
            &mut out,
        );
        out.sort();
        assert_eq!(out, vec!["123456789", "628473600000", "D1234567"]);
    }

    #[test]
    fn records_mask_credentials_query_values_and_read_the_error_code() {
        let request = SentRequest {
            method: http::Method::GET,
            url: "http://h/peach/x?token=abc%2Fd&page=2".into(),
            headers: vec![("authorization".into(), "Bearer tok-123456".into())],
            body: Vec::new(),
        };
        let outcome = Outcome::Answered {
            exchange: crate::exchange::Exchange {
                request,
                status: 400,
                headers: http::HeaderMap::new(),
                body: bytes::Bytes::from_static(br#"{"error":{"code":"E1"}}"#),
                elapsed: std::time::Duration::from_millis(3),
            },
            operation: Some("op".into()),
            request_violations: Vec::new(),
            response_violations: Vec::new(),
        };
        let secrets = [Secret {
            value: "tok-123456".into(),
            hint: "$VOUCH_PEACH_TOKEN".into(),
        }];
        let r = ExchangeRecord::from_outcome(&outcome, "peach", &secrets, &["/error/code"]);
        assert_eq!(r.url, "http://h/peach/x?token=<redacted>&page=2");
        assert_eq!(r.request_headers[0].value, "Bearer $VOUCH_PEACH_TOKEN");
        assert_eq!(r.error_code.as_deref(), Some("E1"));
        assert!(r.sensitive.contains(&"abc/d".to_string()));
        assert!(
            !r.curl.contains("tok-123456") && !r.curl.contains("abc%2Fd"),
            "{}",
            r.curl
        );
        assert_eq!(r.fault, None, "the API's own answer");
    }

    #[test]
    fn an_answer_the_mock_marked_as_injected_records_its_fault() {
        let mut headers = http::HeaderMap::new();
        headers.insert(FAULT_HEADER, http::HeaderValue::from_static("status 500"));
        let outcome = Outcome::Answered {
            exchange: crate::exchange::Exchange {
                request: SentRequest {
                    method: http::Method::GET,
                    url: "http://h/peach/x".into(),
                    headers: Vec::new(),
                    body: Vec::new(),
                },
                status: 500,
                headers,
                body: bytes::Bytes::new(),
                elapsed: std::time::Duration::from_millis(1),
            },
            operation: Some("op".into()),
            request_violations: Vec::new(),
            response_violations: Vec::new(),
        };
        let r = ExchangeRecord::from_outcome(&outcome, "peach", &[], &[]);
        assert_eq!(r.fault.as_deref(), Some("status 500"));
    }
}
