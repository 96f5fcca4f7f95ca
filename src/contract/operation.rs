//! The operations of a contract, read out of the OpenAPI document once at load time.

use super::ContractError;
use super::document::{deref, join};
use super::path::PathTemplate;
use serde_json::Value;

/// One documented method + path.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The `operationId`, unique within the contract (e.g. `createCredential`).
    pub id: String,
    /// The HTTP method (the key under the path item: `get`, `post`, ...).
    pub method: http::Method,
    /// The path template (`/credentials/{id}`), relative to the API's server URL.
    pub path: PathTemplate,
    /// The operation's `summary`, when the contract gives one.
    pub summary: Option<String>,
    /// `deprecated: true` in the contract; `false` when absent.
    pub deprecated: bool,
    /// `x-vouch-source`: the vendor page, section and URL it was transcribed from (CONVENTIONS.md).
    pub source: Option<String>,
    /// Where the operation object sits in the document (`/paths/~1credentials/post`).
    pub pointer: String,
    /// Every parameter: the path item's shared ones, overridden (same name and location) by
    /// the operation's own, with `$ref`s followed.
    pub parameters: Vec<Parameter>,
    /// The `requestBody`; `None` when the operation documents none.
    pub request_body: Option<Body>,
    /// One entry per key of `responses`, in document order.
    pub responses: Vec<ResponseSpec>,
    /// Alternatives, any one of which must be met; empty when the operation needs no credentials.
    pub security: Vec<Vec<SecurityScheme>>,
}

/// Where a parameter is carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    /// `in: path`: a `{name}` segment of the path template (always required).
    Path,
    /// `in: query`: a query-string parameter.
    Query,
    /// `in: header`: a request header.
    Header,
    /// `in: cookie`: a cookie in the `Cookie` header.
    Cookie,
}

impl ParamIn {
    /// The first token of the JSON pointer that violations use for parameters of this kind:
    /// `path`, `query`, `headers` or `cookies` (note the plurals, which differ from the
    /// OpenAPI `in` values).
    pub fn as_str(self) -> &'static str {
        match self {
            ParamIn::Path => "path",
            ParamIn::Query => "query",
            ParamIn::Header => "headers",
            ParamIn::Cookie => "cookies",
        }
    }
}

/// A documented parameter of an operation (`$ref`s already followed).
#[derive(Debug, Clone)]
pub struct Parameter {
    /// The parameter's `name`, as the contract spells it.
    pub name: String,
    /// Where the parameter is carried (its `in`).
    pub location: ParamIn,
    /// `required: true` in the contract; always `true` for path parameters.
    pub required: bool,
    /// Pointer to the parameter's schema in the document.
    pub schema: Option<String>,
    /// Pointer to the parameter object (for its examples).
    pub pointer: String,
}

/// A request or response body: its media types.
#[derive(Debug, Clone)]
pub struct Body {
    /// `required: true` on the `requestBody`; `false` when absent.
    pub required: bool,
    /// One entry per key of `content`, in document order; empty when there is no `content`.
    pub content: Vec<MediaType>,
    /// Where the `requestBody` object sits in the document, after following its `$ref`.
    pub pointer: String,
}

/// One entry of a body's `content` map.
#[derive(Debug, Clone)]
pub struct MediaType {
    /// The media type key, lowercased (`application/json`, `application/jose`).
    pub media_type: String,
    /// Pointer to the schema, when the media type has one.
    pub schema: Option<String>,
    /// Pointer to the media type object (for its examples).
    pub pointer: String,
}

/// A documented status: an exact code, a range (`4XX`) or `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusKey {
    /// One exact status, 100 to 599 (`200`).
    Code(u16),
    /// A class of statuses, holding its first digit 1 to 5 (`Range(4)` is `4XX`).
    Range(u16),
    /// `default`: any status not documented otherwise.
    Default,
}

impl StatusKey {
    fn parse(key: &str) -> Option<Self> {
        if key == "default" {
            return Some(StatusKey::Default);
        }
        if let Some(d) = key.strip_suffix("XX").and_then(|d| d.parse::<u16>().ok()) {
            return (1..=5).contains(&d).then_some(StatusKey::Range(d));
        }
        key.parse::<u16>()
            .ok()
            .filter(|c| (100..=599).contains(c))
            .map(StatusKey::Code)
    }

    /// Whether a concrete status falls under this key.
    pub fn covers(self, status: u16) -> bool {
        match self {
            StatusKey::Code(c) => c == status,
            StatusKey::Range(d) => status / 100 == d,
            StatusKey::Default => true,
        }
    }
}

impl std::fmt::Display for StatusKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatusKey::Code(c) => write!(f, "{c}"),
            StatusKey::Range(d) => write!(f, "{d}XX"),
            StatusKey::Default => f.write_str("default"),
        }
    }
}

/// An OpenAPI link: a response feeds a parameter or the body of another operation.
#[derive(Debug, Clone)]
pub struct Link {
    /// The link's key in the response's `links` map.
    pub name: String,
    /// The `operationId` of the linked operation (checked to exist when the contract loads).
    pub operation_id: String,
    /// Parameter name -> runtime expression (`$response.body#/data/id`) or constant.
    pub parameters: std::collections::BTreeMap<String, Value>,
    /// The link's `requestBody`: a runtime expression or a constant; `None` when absent.
    pub request_body: Option<Value>,
    /// `x-vouch-reads-back`: a value of this answer (first pointer) the linked operation must
    /// answer unchanged (at the second). Written as one pointer when both are the same, or as
    /// `{response: /credentials/0/id, linked: /id}`.
    pub reads_back: Option<(String, String)>,
}

/// One documented response of an operation (`$ref`s already followed).
#[derive(Debug, Clone)]
pub struct ResponseSpec {
    /// The key under `responses`: an exact code, a range or `default`.
    pub status: StatusKey,
    /// The response's `links`, in document order.
    pub links: Vec<Link>,
    /// The response's `description`; empty when absent.
    pub description: String,
    /// One entry per key of `content`, in document order; empty for a response without a body.
    pub content: Vec<MediaType>,
    /// Headers the response must carry (`required: true` in the contract), lowercased.
    pub required_headers: Vec<String>,
    /// Where the response object sits in the document, after following its `$ref`
    /// (`/paths/~1credentials/post/responses/201` or `/components/responses/...`).
    pub pointer: String,
}

/// How a request proves who it is, as far as a validator can check without the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityScheme {
    /// A header that must be present (an `apiKey` in a header).
    Header {
        /// The scheme's name in `components.securitySchemes`.
        scheme: String,
        /// The header's name, lowercased.
        header: String,
    },
    /// A query parameter that must be present.
    Query {
        /// The scheme's name in `components.securitySchemes`.
        scheme: String,
        /// The query parameter's name.
        param: String,
    },
    /// `Authorization: Bearer ...` (http bearer, oauth2, openIdConnect).
    Bearer {
        /// The scheme's name in `components.securitySchemes`.
        scheme: String,
    },
    /// `Authorization: Basic ...`.
    Basic {
        /// The scheme's name in `components.securitySchemes`.
        scheme: String,
    },
    /// A cookie that must be present.
    Cookie {
        /// The scheme's name in `components.securitySchemes`.
        scheme: String,
        /// The cookie's name.
        cookie: String,
    },
}

impl Operation {
    /// The response spec that covers `status`: an exact code first, then a range, then `default`.
    pub fn response_for(&self, status: u16) -> Option<&ResponseSpec> {
        let mut specs: Vec<&ResponseSpec> = self
            .responses
            .iter()
            .filter(|r| r.status.covers(status))
            .collect();
        specs.sort_by_key(|r| r.status);
        specs.into_iter().next()
    }

    /// The documented statuses, sorted: exact codes, then ranges, then `default`.
    pub fn statuses(&self) -> Vec<StatusKey> {
        let mut s: Vec<_> = self.responses.iter().map(|r| r.status).collect();
        s.sort();
        s
    }
}

pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// What reading a part of the document gives, or why it cannot.
type Read<T> = Result<T, ContractError>;

/// Reads every operation under `paths`. Errors name the JSON pointer of the offending object.
pub(crate) fn read_operations(doc: &Value) -> Read<Vec<Operation>> {
    let mut operations = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Ok(operations);
    };
    let global_security = doc.get("security");
    for (raw_path, _) in paths {
        let item_pointer = join("/paths", raw_path);
        let (item_pointer, item) = deref(doc, &item_pointer)?;
        let template = PathTemplate::parse(raw_path)?;
        let shared = read_parameters(
            doc,
            item.get("parameters"),
            &join(&item_pointer, "parameters"),
        )?;
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let pointer = join(&item_pointer, method);
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .ok_or_else(|| ContractError::NoOperationId(pointer.clone()))?
                .to_string();
            let own = read_parameters(doc, op.get("parameters"), &join(&pointer, "parameters"))?;
            let mut parameters: Vec<Parameter> = shared
                .iter()
                .filter(|s| {
                    !own.iter()
                        .any(|o| o.name == s.name && o.location == s.location)
                })
                .cloned()
                .collect();
            parameters.extend(own);
            for name in template.params() {
                if !parameters
                    .iter()
                    .any(|p| p.location == ParamIn::Path && p.name == name)
                {
                    return Err(ContractError::UndeclaredPathParameter {
                        pointer,
                        name: name.into(),
                    });
                }
            }
            let request_body = match op.get("requestBody") {
                None => None,
                Some(_) => {
                    let (body_pointer, body) = deref(doc, &join(&pointer, "requestBody"))?;
                    Some(Body {
                        required: body
                            .get("required")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                        content: read_content(doc, body, &body_pointer)?,
                        pointer: body_pointer,
                    })
                }
            };
            let responses = read_responses(doc, op, &pointer)?;
            let security = read_security(doc, op.get("security").or(global_security))?;
            operations.push(Operation {
                id,
                method: method
                    .to_uppercase()
                    .parse()
                    .map_err(|_| ContractError::BadMethod(method.to_string()))?,
                path: template.clone(),
                summary: op
                    .get("summary")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                deprecated: op
                    .get("deprecated")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                source: op
                    .get("x-vouch-source")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                pointer,
                parameters,
                request_body,
                responses,
                security,
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    for op in &operations {
        if !seen.insert(op.id.as_str()) {
            return Err(ContractError::DuplicateOperationId(op.id.clone()));
        }
    }
    Ok(operations)
}

fn read_parameters(doc: &Value, list: Option<&Value>, pointer: &str) -> Read<Vec<Parameter>> {
    let Some(items) = list.and_then(Value::as_array) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for i in 0..items.len() {
        let (p_pointer, p) = deref(doc, &format!("{pointer}/{i}"))?;
        let name = p
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| ContractError::UnnamedParameter(p_pointer.clone()))?;
        let location = match p.get("in").and_then(Value::as_str) {
            Some("path") => ParamIn::Path,
            Some("query") => ParamIn::Query,
            Some("header") => ParamIn::Header,
            Some("cookie") => ParamIn::Cookie,
            other => {
                return Err(ContractError::BadLocation {
                    pointer: p_pointer,
                    found: format!("{other:?}"),
                });
            }
        };
        out.push(Parameter {
            name: name.to_string(),
            location,
            required: location == ParamIn::Path
                || p.get("required").and_then(Value::as_bool).unwrap_or(false),
            schema: p.get("schema").map(|_| join(&p_pointer, "schema")),
            pointer: p_pointer,
        });
    }
    Ok(out)
}

fn read_content(_doc: &Value, owner: &Value, owner_pointer: &str) -> Read<Vec<MediaType>> {
    let Some(content) = owner.get("content").and_then(Value::as_object) else {
        return Ok(Vec::new());
    };
    Ok(content
        .iter()
        .map(|(media_type, mt)| {
            let pointer = join(&join(owner_pointer, "content"), media_type);
            MediaType {
                media_type: media_type.to_ascii_lowercase(),
                schema: mt.get("schema").map(|_| join(&pointer, "schema")),
                pointer,
            }
        })
        .collect())
}

fn read_responses(doc: &Value, op: &Value, pointer: &str) -> Read<Vec<ResponseSpec>> {
    let responses_pointer = join(pointer, "responses");
    let Some(map) = op.get("responses").and_then(Value::as_object) else {
        return Err(ContractError::NoResponses(pointer.into()));
    };
    let mut out = Vec::new();
    for key in map.keys() {
        let status = StatusKey::parse(key).ok_or_else(|| ContractError::NotAStatus {
            pointer: responses_pointer.clone(),
            key: key.clone(),
        })?;
        let (r_pointer, r) = deref(doc, &join(&responses_pointer, key))?;
        let mut required_headers = Vec::new();
        if let Some(headers) = r.get("headers").and_then(Value::as_object) {
            for name in headers.keys() {
                let (_, h) = deref(doc, &join(&join(&r_pointer, "headers"), name))?;
                if h.get("required").and_then(Value::as_bool).unwrap_or(false) {
                    required_headers.push(name.to_ascii_lowercase());
                }
            }
        }
        let mut links = Vec::new();
        if let Some(map) = r.get("links").and_then(Value::as_object) {
            for name in map.keys() {
                let (l_pointer, l) = deref(doc, &join(&join(&r_pointer, "links"), name))?;
                let operation_id = l
                    .get("operationId")
                    .and_then(Value::as_str)
                    .ok_or_else(|| ContractError::LinkWithoutOperation(l_pointer.clone()))?
                    .to_string();
                links.push(Link {
                    name: name.clone(),
                    operation_id,
                    parameters: l
                        .get("parameters")
                        .and_then(Value::as_object)
                        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                        .unwrap_or_default(),
                    request_body: l.get("requestBody").cloned(),
                    reads_back: match l.get("x-vouch-reads-back") {
                        None => None,
                        Some(Value::String(p)) => Some((p.clone(), p.clone())),
                        Some(pair) => match (
                            pair.get("response").and_then(Value::as_str),
                            pair.get("linked").and_then(Value::as_str),
                        ) {
                            (Some(a), Some(b)) => Some((a.to_string(), b.to_string())),
                            _ => return Err(ContractError::BadReadsBack(l_pointer)),
                        },
                    },
                });
            }
        }
        out.push(ResponseSpec {
            status,
            links,
            description: r
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            content: read_content(doc, r, &r_pointer)?,
            required_headers,
            pointer: r_pointer,
        });
    }
    Ok(out)
}

fn read_security(doc: &Value, requirements: Option<&Value>) -> Read<Vec<Vec<SecurityScheme>>> {
    let Some(alternatives) = requirements.and_then(Value::as_array) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for requirement in alternatives {
        let Some(names) = requirement.as_object() else {
            continue;
        };
        if names.is_empty() {
            // `{}` means "no credentials needed" is one of the alternatives.
            return Ok(Vec::new());
        }
        let mut all = Vec::new();
        for name in names.keys() {
            let (_, s) = deref(doc, &join("/components/securitySchemes", name))
                .map_err(|_| ContractError::UndefinedScheme(name.clone()))?;
            let scheme = name.clone();
            let kind = s.get("type").and_then(Value::as_str).unwrap_or_default();
            let location = s.get("in").and_then(Value::as_str).unwrap_or_default();
            let param = s
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            all.push(match (kind, location) {
                ("apiKey", "header") => SecurityScheme::Header {
                    scheme,
                    header: param.to_ascii_lowercase(),
                },
                ("apiKey", "query") => SecurityScheme::Query { scheme, param },
                ("apiKey", "cookie") => SecurityScheme::Cookie {
                    scheme,
                    cookie: param,
                },
                ("http", _)
                    if s.get("scheme")
                        .and_then(Value::as_str)
                        .is_some_and(|x| x.eq_ignore_ascii_case("basic")) =>
                {
                    SecurityScheme::Basic { scheme }
                }
                ("http" | "oauth2" | "openIdConnect", _) => SecurityScheme::Bearer { scheme },
                _ => {
                    return Err(ContractError::UnsupportedScheme {
                        name: name.clone(),
                        kind: kind.to_string(),
                    });
                }
            });
        }
        out.push(all);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_keys() {
        assert_eq!(StatusKey::parse("200"), Some(StatusKey::Code(200)));
        assert_eq!(StatusKey::parse("4XX"), Some(StatusKey::Range(4)));
        assert_eq!(StatusKey::parse("default"), Some(StatusKey::Default));
        assert_eq!(StatusKey::parse("999"), None);
        assert_eq!(StatusKey::parse("ok"), None);
        assert!(StatusKey::Range(4).covers(404));
        assert!(!StatusKey::Code(200).covers(201));
    }
}
