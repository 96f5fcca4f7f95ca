//! Validating an HTTP request or response against an operation: status, content type,
//! parameters, credentials presence, and the body's schema.

use super::json_doc::DocNode;
use super::operation::{MediaType, ParamIn};
use super::security::{cookie, describe, missing_at, satisfied};
use super::{Contract, Direction, Match, Operation, Provenance, RouteError, Violation};
use http::HeaderMap;
use serde_json::Value;
use std::collections::BTreeMap;

/// A request as a client sent it. `path` is relative to the API's base URL and may carry a
/// query string.
#[derive(Debug, Clone, Copy)]
pub struct HttpRequest<'a> {
    /// The HTTP method.
    pub method: &'a http::Method,
    /// The path relative to the API's base URL (`/credentials/3f1c...`), optionally followed by
    /// `?` and the query string.
    pub path: &'a str,
    /// The request headers (credentials, `content-type`, header and cookie parameters).
    pub headers: &'a HeaderMap,
    /// The raw body; empty when the request had none.
    pub body: &'a [u8],
}

/// A request body its reader has parsed already: as a `Value`, or (the mock) as a
/// [`JsonDoc`](super::json_doc::JsonDoc).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Parsed<'a> {
    Value(&'a Value),
    Doc(DocNode<'a>),
}

/// A response as a server gave it.
#[derive(Debug, Clone, Copy)]
pub struct HttpResponse<'a> {
    /// The HTTP status code.
    pub status: u16,
    /// The response headers (`content-type` and the headers the contract requires).
    pub headers: &'a HeaderMap,
    /// The raw body; empty when the response had none.
    pub body: &'a [u8],
}

/// What request validation found: the operation (when routing succeeded) and the violations.
#[derive(Debug)]
pub struct RequestCheck<'a> {
    /// The operation and path parameters the request routed to, or why it routed nowhere.
    pub matched: Result<Match<'a>, RouteError>,
    /// How the request departs from the contract; when routing failed, the one
    /// `unknown-operation` or `method` violation.
    pub violations: Vec<Violation>,
}

impl Contract {
    fn violation(
        &self,
        op: Option<&Operation>,
        direction: Direction,
        pointer: String,
        rule: &str,
        expected: String,
        actual: String,
    ) -> Violation {
        Violation {
            api: self.api.clone(),
            operation: op.map(|o| o.id.clone()),
            direction,
            pointer,
            rule: rule.to_string(),
            expected,
            actual,
            provenance: Provenance::default(),
        }
    }

    /// Routes a request and validates it. An unknown path or method is itself a violation.
    pub fn check_request<'a>(&'a self, request: &HttpRequest<'_>) -> RequestCheck<'a> {
        let matched = self.find(request.method, request.path);
        let violations = match &matched {
            Ok(m) => self.validate_request(m, request),
            Err(RouteError::NotFound) => vec![self.violation(
                None,
                Direction::Request,
                "/path".into(),
                "unknown-operation",
                "a documented path".into(),
                format!(
                    "{} {}",
                    request.method,
                    super::path::path_and_query(request.path).0
                ),
            )],
            Err(RouteError::MethodNotAllowed { allowed }) => vec![self.violation(
                None,
                Direction::Request,
                "/method".into(),
                "method",
                format!(
                        "one of {}",
                        allowed
                            .iter()
                            .map(|m| m.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                request.method.to_string(),
            )],
        };
        RequestCheck {
            matched,
            violations,
        }
    }

    /// Validates a routed request: parameters, credentials presence, content type and body.
    pub fn validate_request(&self, m: &Match<'_>, request: &HttpRequest<'_>) -> Vec<Violation> {
        self.validate_request_parsed(m, request, None)
    }

    /// [`validate_request`](Self::validate_request) with the body already parsed as JSON
    /// (`parsed`, when the caller has it: the mock parses each body once, for the check and
    /// for its handler). `None` parses here; a body that is not JSON is reported either way.
    /// A valid request costs no violation text: pointers and messages are written only for
    /// what fails (issue #24).
    pub fn validate_request_parsed(
        &self,
        m: &Match<'_>,
        request: &HttpRequest<'_>,
        parsed: Option<&Value>,
    ) -> Vec<Violation> {
        let query = super::path::parse_query(super::path::split_url(request.path).1);
        self.validate_request_with(m, request, parsed.map(Parsed::Value), &query, true)
    }

    /// [`validate_request_parsed`](Self::validate_request_parsed) for the mock, which has
    /// already cut the query from the path and authenticated the request against the
    /// operation's `security` (its 401 is that rule's check): neither is done again on every
    /// request (issue #24).
    pub(crate) fn validate_authenticated_request(
        &self,
        m: &Match<'_>,
        request: &HttpRequest<'_>,
        parsed: Option<Parsed<'_>>,
        query: &BTreeMap<String, String>,
    ) -> Vec<Violation> {
        self.validate_request_with(m, request, parsed, query, false)
    }

    fn validate_request_with(
        &self,
        m: &Match<'_>,
        request: &HttpRequest<'_>,
        parsed: Option<Parsed<'_>>,
        query: &BTreeMap<String, String>,
        check_security: bool,
    ) -> Vec<Violation> {
        let op = m.operation;
        let mut out = Vec::new();
        let v = |pointer: String, rule: &str, expected: String, actual: String| {
            self.violation(
                Some(op),
                Direction::Request,
                pointer,
                rule,
                expected,
                actual,
            )
        };
        for p in &op.parameters {
            // Header names are case-insensitive: pointers use the lower-case form.
            let pointer = || {
                let key = if p.location == ParamIn::Header {
                    p.name.to_ascii_lowercase()
                } else {
                    p.name.clone()
                };
                super::document::join(&format!("/{}", p.location.as_str()), &key)
            };
            let raw: Option<std::borrow::Cow<'_, str>> = match p.location {
                ParamIn::Path => m.path_params.get(&p.name).map(|s| s.as_str().into()),
                ParamIn::Query => query.get(&p.name).map(|s| s.as_str().into()),
                ParamIn::Header => request
                    .headers
                    .get(&p.name)
                    .map(|h| String::from_utf8_lossy(h.as_bytes())),
                ParamIn::Cookie => cookie(request.headers, &p.name).map(Into::into),
            };
            match (raw, &p.schema) {
                (None, _) if p.required => out.push(v(
                    pointer(),
                    "parameter-required",
                    format!("{} parameter `{}`", p.location.as_str(), p.name),
                    "missing".into(),
                )),
                (None, _) | (Some(_), None) => {}
                (Some(raw), Some(schema)) => {
                    let value = coerce(&p.types, &raw);
                    if !self.schemas().is_valid(schema, &value) {
                        out.extend(self.findings(
                            Some(op),
                            Direction::Request,
                            schema,
                            &value,
                            &pointer(),
                        ));
                    }
                }
            }
        }
        if check_security
            && !op.security.is_empty()
            && !op
                .security
                .iter()
                .any(|all| all.iter().all(|s| satisfied(s, request.headers, query)))
        {
            let names: Vec<String> = op
                .security
                .iter()
                .map(|all| all.iter().map(describe).collect::<Vec<_>>().join(" and "))
                .collect();
            out.push(v(
                missing_at(&op.security),
                "security",
                names.join(" or "),
                "no credentials".into(),
            ));
        }
        if let Some(body) = &op.request_body {
            if request.body.is_empty() {
                if body.required {
                    out.push(v(
                        "/body".into(),
                        "body-required",
                        "a request body".into(),
                        "empty body".into(),
                    ));
                }
            } else {
                out.extend(self.check_payload(
                    op,
                    Direction::Request,
                    &body.content,
                    request.headers,
                    (request.body, parsed),
                ));
            }
        }
        self.attributed(op, None, out)
    }

    /// Validates a response to `op`: documented status, required headers, content type, body.
    pub fn validate_response(&self, op: &Operation, response: &HttpResponse<'_>) -> Vec<Violation> {
        let v = |pointer: &str, rule: &str, expected: String, actual: String| {
            self.violation(
                Some(op),
                Direction::Response,
                pointer.to_string(),
                rule,
                expected,
                actual,
            )
        };
        let Some(spec) = op.response_for(response.status) else {
            let documented: Vec<String> = op.statuses().iter().map(ToString::to_string).collect();
            return self.attributed(
                op,
                None,
                vec![v(
                    "/status",
                    "status",
                    format!("one of {}", documented.join(", ")),
                    response.status.to_string(),
                )],
            );
        };
        let mut out = Vec::new();
        for name in &spec.required_headers {
            if !response.headers.contains_key(name.as_str()) {
                out.push(v(
                    &super::document::join("/headers", name),
                    "header-required",
                    format!("header `{name}`"),
                    "missing".into(),
                ));
            }
        }
        if spec.content.is_empty() {
            if !response.body.is_empty() && response.status != 302 {
                out.push(v(
                    "/body",
                    "unexpected-body",
                    "no body".into(),
                    format!("{} bytes", response.body.len()),
                ));
            }
        } else if response.body.is_empty()
            && !response.headers.contains_key(http::header::CONTENT_TYPE)
            && self
                .doc
                .pointer(&format!("{}/x-vouch-body-optional", spec.pointer))
                == Some(&Value::Bool(true))
        {
            // `x-vouch-body-optional: true` (CONVENTIONS.md § Operations): the vendor documents
            // this status without a body, so an empty answer is as good as the declared one.
        } else {
            out.extend(self.check_payload(
                op,
                Direction::Response,
                &spec.content,
                response.headers,
                (response.body, None),
            ));
        }
        self.attributed(op, Some(spec), out)
    }

    fn check_payload(
        &self,
        op: &Operation,
        direction: Direction,
        content: &[MediaType],
        headers: &HeaderMap,
        (body, parsed): (&[u8], Option<Parsed<'_>>),
    ) -> Vec<Violation> {
        let v = |pointer: &str, rule: &str, expected: String, actual: String| {
            self.violation(
                Some(op),
                direction,
                pointer.to_string(),
                rule,
                expected,
                actual,
            )
        };
        // Checked as visible ASCII first (every usual media type): the lossy decoding walks
        // the bytes through its UTF-8 chunker, on every request with a body (issue #24).
        let declared = headers.get(http::header::CONTENT_TYPE).map(|h| {
            h.to_str()
                .map_or_else(|_| String::from_utf8_lossy(h.as_bytes()), Into::into)
        });
        let Some(declared) = declared else {
            return vec![v(
                "/headers/content-type",
                "content-type",
                expected_types(content),
                "no Content-Type".into(),
            )];
        };
        // Cut at the first `;` (an ASCII byte, so on a character boundary) without setting up
        // a char searcher for a short text.
        let cut = declared.bytes().position(|b| b == b';');
        let essence = cut.map_or(&*declared, |i| declared.split_at(i).0).trim();
        // Lower-cased only when it is not already (the usual `application/json` is).
        let essence: std::borrow::Cow<'_, str> = if essence.bytes().any(|b| b.is_ascii_uppercase())
        {
            essence.to_ascii_lowercase().into()
        } else {
            essence.into()
        };
        let Some(media) = content
            .iter()
            .find(|m| media_matches(&m.media_type, &essence))
        else {
            return vec![v(
                "/headers/content-type",
                "content-type",
                expected_types(content),
                declared.into_owned(),
            )];
        };
        let Some(schema) = &media.schema else {
            return Vec::new();
        };
        if !is_json(&essence) {
            return Vec::new();
        }
        match parsed {
            Some(Parsed::Value(value)) => {
                return self.findings(Some(op), direction, schema, value, "/body");
            }
            // The verdict from the document; a broken body's findings from its `Value`, so
            // that they are worded in one place.
            Some(Parsed::Doc(doc)) => {
                if self.schemas().is_valid_doc(schema, doc) == Some(true) {
                    return Vec::new();
                }
                return self.findings(Some(op), direction, schema, &doc.to_value(), "/body");
            }
            None => {}
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(value) => self.findings(Some(op), direction, schema, &value, "/body"),
            Err(e) => vec![v(
                "/body",
                "json",
                "a JSON document".into(),
                format!("invalid JSON ({e})"),
            )],
        }
    }

    pub(super) fn findings(
        &self,
        op: Option<&Operation>,
        direction: Direction,
        schema: &str,
        value: &Value,
        prefix: &str,
    ) -> Vec<Violation> {
        match self.schemas().check(schema, value) {
            Ok(findings) => findings
                .into_iter()
                .map(|f| Violation {
                    // Nothing between the keyword and the schema's root names a source (a
                    // shared component): the operation's own `x-vouch-source`.
                    provenance: match (f.provenance, op) {
                        (Provenance::Vendor { source: None }, Some(o)) => {
                            self.schemas().provenance().source_at(&o.pointer)
                        }
                        (p, _) => p,
                    },
                    ..self.violation(
                        op,
                        direction,
                        format!("{prefix}{}", f.pointer),
                        &f.rule,
                        f.expected,
                        f.actual,
                    )
                })
                .collect(),
            Err(e) => vec![self.violation(
                op,
                direction,
                prefix.to_string(),
                "schema",
                format!("a compilable schema at #{schema}"),
                e.to_string(),
            )],
        }
    }
}

fn expected_types(content: &[MediaType]) -> String {
    content
        .iter()
        .map(|m| m.media_type.as_str())
        .collect::<Vec<_>>()
        .join(" or ")
}

/// `application/json` matches itself; `application/*` and `*/*` match by wildcard.
fn media_matches(declared: &str, actual: &str) -> bool {
    declared == actual
        || declared == "*/*"
        || declared
            .strip_suffix("/*")
            .is_some_and(|top| actual.split('/').next() == Some(top))
}

pub(super) fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}

/// Parameter values arrive as text; a schema typed integer, number or boolean gets the parsed
/// value when it parses, and the text otherwise (so the schema reports the type error).
fn coerce(types: &[String], raw: &str) -> Value {
    // Asked of every parameter of every request: the types were read at load (issue #24).
    let has = |name: &str| types.iter().any(|t| t == name);
    if has("integer")
        && let Ok(i) = raw.parse::<i64>()
    {
        return Value::from(i);
    }
    if has("number")
        && let Some(n) = raw
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
    {
        return Value::Number(n);
    }
    if has("boolean") && (raw == "true" || raw == "false") {
        return Value::Bool(raw == "true");
    }
    Value::String(raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn types(schema: &Value) -> Vec<String> {
        super::super::schema::declared_types(schema).unwrap_or_default()
    }

    #[test]
    fn query_parsing_and_coercion() {
        let q = super::super::path::parse_query(Some("limit=10&since=2024-01-01&name=a+b%21&flag"));
        assert_eq!(q["limit"], "10");
        assert_eq!(q["name"], "a b!");
        assert_eq!(q["flag"], "");
        assert_eq!(coerce(&types(&json!({"type": "integer"})), "10"), json!(10));
        assert_eq!(
            coerce(&types(&json!({"type": "integer"})), "ten"),
            json!("ten")
        );
        assert_eq!(
            coerce(&types(&json!({"type": ["boolean", "null"]})), "true"),
            json!(true)
        );
        assert_eq!(coerce(&[], "x"), json!("x"));
    }

    #[test]
    fn media_type_matching() {
        assert!(media_matches("application/json", "application/json"));
        assert!(media_matches("application/*", "application/json"));
        assert!(!media_matches("application/json", "text/plain"));
        assert!(is_json("application/problem+json"));
    }
}
