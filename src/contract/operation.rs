//! The operations of a contract, read out of the OpenAPI document once at load time.

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
    /// The schema's `type` (one name or a list; empty when it has none), read at load so the
    /// mock coerces a raw value without looking the schema up per request (issue #24).
    pub types: Vec<String>,
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
    pub(super) fn parse(key: &str) -> Option<Self> {
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
        /// The header's name (lowercased, as `http` keeps every name), parsed once when the
        /// contract is read: the mock looks it up on every request (issue #24).
        header: http::HeaderName,
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
