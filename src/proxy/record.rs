//! Recordings: one JSON file per exchange, and replaying them against a target.
//!
//! A recording directory holds `000001-verified-createOneClick.json`, ... (sequence, API,
//! operation or `undocumented`), each a pretty-printed [`Recorded`] exchange:
//!
//! ```json
//! {
//!   "format": "vouch-recording/1",
//!   "seq": 1,
//!   "api": "verified",
//!   "operation": "createOneClick",
//!   "request": {
//!     "method": "POST",
//!     "path": "/1-click?x=1",
//!     "headers": { "authorization": "<redacted>", "content-type": "application/json" },
//!     "body": { "phone": "+12125550010" }
//!   },
//!   "response": { "status": 200, "headers": { "content-type": "application/json" }, "body": {} }
//! }
//! ```
//!
//! Bodies are JSON when they parse as JSON, otherwise text (`null` when empty). Header names
//! are lower-case and sorted, without hop-by-hop headers, `host`, `content-length` and `date`; values under sensitive names (headers, body members, query
//! parameters: see [`crate::redact`]) are `"<redacted>"` unless recorded with
//! `--record-secrets`. Replaying puts the target's own credential wherever a credential
//! header was redacted.

use super::ProxyExchange;
use crate::contract::ContractSet;
use crate::redact;
use crate::targets::{Target, Which, credential_header};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The `format` of every recorded exchange this version writes.
pub const FORMAT: &str = "vouch-recording/1";

/// One exchange as a recording file holds it (see the module docs for the layout).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    /// The recording format's version: [`FORMAT`] (`vouch-recording/1`).
    pub format: String,
    /// The exchange's sequence number in the proxy run ([`ProxyExchange::seq`]).
    pub seq: u64,
    /// The API id (the proxy prefix the request came under).
    pub api: String,
    /// The `operationId` the request matched; `None` (`null`) when undocumented.
    pub operation: Option<String>,
    /// What the client sent.
    pub request: RecordedRequest,
    /// What the upstream answered.
    pub response: RecordedResponse,
}

/// A recorded request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// The HTTP method, upper case (`POST`).
    pub method: String,
    /// Relative to the API's base URL, with the query string (sensitive values redacted
    /// unless recorded with secrets).
    pub path: String,
    /// Header names (lower case, sorted) to values; a repeated header's values joined with
    /// `, `; hop-by-hop headers, `host`, `content-length` and `date` left out.
    pub headers: BTreeMap<String, String>,
    /// The body: JSON when it parses as JSON (sensitive members redacted unless recorded with
    /// secrets), otherwise a string; `null` when empty.
    pub body: Value,
}

/// A recorded response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedResponse {
    /// The HTTP status the upstream answered.
    pub status: u16,
    /// Header names (lower case, sorted) to values, as for the request.
    pub headers: BTreeMap<String, String>,
    /// The body, as for the request: JSON, a string, or `null` when empty.
    pub body: Value,
    /// Where what the client got differs from the headers and body above (the upstream's,
    /// the ones validated): the upstream's URL rewritten to the proxy's, as
    /// `/headers/<name>` and `/body/<pointer>` ([`ProxyExchange::rewritten`]). Absent when
    /// nothing was rewritten.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rewritten: Vec<String>,
}

fn headers(map: &http::HeaderMap, redacted: bool) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (name, value) in map {
        // Connection-level and per-send headers would make every recording differ.
        if super::forward::HOP_BY_HOP.contains(&name.as_str()) || name == http::header::DATE {
            continue;
        }
        let text = if redacted && redact::is_sensitive_name(name.as_str()) {
            redact::REDACTED.to_string()
        } else {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        };
        out.entry(name.as_str().to_string())
            .and_modify(|v: &mut String| {
                v.push_str(", ");
                v.push_str(&text)
            })
            .or_insert(text);
    }
    out
}

fn body(bytes: &[u8], redacted: bool) -> Value {
    if bytes.is_empty() {
        return Value::Null;
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) if redacted => redact::redact_value(&v),
        Ok(v) => v,
        Err(_) => Value::String(String::from_utf8_lossy(bytes).into_owned()),
    }
}

/// The path with values of sensitive query parameters redacted.
fn path(path: &str, redacted: bool) -> String {
    if redacted {
        redact::redact_query(path).0
    } else {
        path.to_string()
    }
}

impl Recorded {
    /// The recorded form of an exchange, redacted unless `redacted` is false.
    pub fn from_exchange(e: &ProxyExchange, redacted: bool) -> Self {
        Self {
            format: FORMAT.into(),
            seq: e.seq,
            api: e.api.clone(),
            operation: e.operation.clone(),
            request: RecordedRequest {
                method: e.method.to_string(),
                path: path(&e.path, redacted),
                headers: headers(&e.request_headers, redacted),
                body: body(&e.request_body, redacted),
            },
            response: RecordedResponse {
                status: e.status,
                headers: headers(&e.response_headers, redacted),
                body: body(&e.response_body, redacted),
                rewritten: e.rewritten.clone(),
            },
        }
    }

    /// `000001-verified-createOneClick.json`
    pub fn file_name(&self) -> String {
        format!(
            "{:06}-{}-{}.json",
            self.seq,
            self.api,
            self.operation.as_deref().unwrap_or("undocumented")
        )
    }
}

/// Writes one exchange into `dir`.
pub fn write(dir: &Path, exchange: &ProxyExchange, redacted: bool) -> std::io::Result<PathBuf> {
    let recorded = Recorded::from_exchange(exchange, redacted);
    let file = dir.join(recorded.file_name());
    let mut text = serde_json::to_string_pretty(&recorded).map_err(std::io::Error::other)?;
    text.push('\n');
    std::fs::write(&file, text)?;
    Ok(file)
}

/// Why a recording directory cannot be replayed; each names the file or directory.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The directory or a file cannot be read.
    #[error("{path}: {error}")]
    Io {
        /// The directory or file.
        path: String,
        /// The operating system's error (a field, not a source: the message names it once).
        error: std::io::Error,
    },
    /// A file is not a recorded exchange.
    #[error("{path}: {error}")]
    Json {
        /// The file.
        path: String,
        /// The parser's error.
        error: serde_json::Error,
    },
    /// A file recorded in another format.
    #[error("{path}: format `{found}`, expected `{FORMAT}`")]
    Format {
        /// The file.
        path: String,
        /// Its `format`.
        found: String,
    },
    /// A directory without recorded exchanges.
    #[error("{path}: no recorded exchange (*.json)")]
    Empty {
        /// The directory.
        path: String,
    },
}

/// Every recorded exchange in `dir`, in file-name (sequence) order.
pub fn read_dir(dir: &Path) -> Result<Vec<(PathBuf, Recorded)>, ReadError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |error| ReadError::Io { path, error }
    };
    let entries = std::fs::read_dir(dir).map_err(io(dir))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(io(&file))?;
        let recorded: Recorded = serde_json::from_str(&text).map_err(|error| ReadError::Json {
            path: file.display().to_string(),
            error,
        })?;
        if recorded.format != FORMAT {
            return Err(ReadError::Format {
                path: file.display().to_string(),
                found: recorded.format,
            });
        }
        out.push((file, recorded));
    }
    if out.is_empty() {
        return Err(ReadError::Empty {
            path: dir.display().to_string(),
        });
    }
    Ok(out)
}

/// How one replayed exchange compared with its recording.
#[derive(Debug, Clone)]
pub struct ReplayResult {
    /// The recording file replayed.
    pub file: PathBuf,
    /// The API id the recording is for.
    pub api: String,
    /// The HTTP method, as recorded.
    pub method: String,
    /// The path relative to the API's base URL, with the query string, as recorded.
    pub path: String,
    /// The status the upstream answered when recorded.
    pub recorded_status: u16,
    /// The HTTP status the target answered now; `None` when the target gave no answer (see
    /// `error`).
    pub status: Option<u16>,
    /// Why the exchange could not be replayed (no base URL for the API on this target, an
    /// unparsable method) or the target gave no answer; `None` when it answered.
    pub error: Option<String>,
    /// A unified diff of the response body shapes (members and JSON types); empty if equal.
    pub shape_diff: String,
}

impl ReplayResult {
    /// Whether the replay came out differently: another status (or none), or another body
    /// shape.
    pub fn differs(&self) -> bool {
        self.status != Some(self.recorded_status) || !self.shape_diff.is_empty()
    }

    /// A terminal rendering: one line, then the diff when the shape changed.
    pub fn render(&self) -> String {
        let status = match (&self.status, &self.error) {
            (Some(s), _) => s.to_string(),
            (None, Some(e)) => format!("no answer: {e}"),
            (None, None) => "no answer".into(),
        };
        let mut out = format!(
            "{} {} {} /{}{}: recorded {}, now {status}\n",
            if self.differs() { "DIFF" } else { "same" },
            self.file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default(),
            self.method,
            self.api,
            self.path.split('?').next().unwrap_or_default(),
            self.recorded_status,
        );
        out.push_str(&self.shape_diff);
        out
    }
}

fn shape_of(body: &Value) -> String {
    if body.is_null() {
        String::new()
    } else {
        format!("{}\n", redact::shape_lines(body))
    }
}

/// The unified diff between two shapes, empty when equal.
pub fn shape_diff(recorded: &Value, now: &Value) -> String {
    let (a, b) = (shape_of(recorded), shape_of(now));
    if a == b {
        return String::new();
    }
    similar::TextDiff::from_lines(&a, &b)
        .unified_diff()
        .context_radius(3)
        .header("recorded", "replayed")
        .to_string()
}

/// Replays every recording in order against `target`, comparing status and body shape.
pub async fn replay(
    contracts: &ContractSet,
    target: &dyn Target,
    recordings: &[(PathBuf, Recorded)],
) -> Vec<ReplayResult> {
    let mut out = Vec::new();
    for (file, recorded) in recordings {
        let mut result = ReplayResult {
            file: file.clone(),
            api: recorded.api.clone(),
            method: recorded.request.method.clone(),
            path: recorded.request.path.clone(),
            recorded_status: recorded.response.status,
            status: None,
            error: None,
            shape_diff: String::new(),
        };
        let base = match target.base_url(&recorded.api) {
            Ok(b) => b,
            Err(e) => {
                result.error = Some(e.to_string());
                out.push(result);
                continue;
            }
        };
        let method = match recorded.request.method.parse::<http::Method>() {
            Ok(m) => m,
            Err(e) => {
                result.error = Some(format!("method: {e}"));
                out.push(result);
                continue;
            }
        };
        // The target's own credential where the recording redacted one.
        let credential = contracts.get(&recorded.api).ok().and_then(|c| {
            target
                .credential(&recorded.api, Which::Default)
                .ok()
                .map(|s| credential_header(c, &s.value))
        });
        let mut headers = Vec::new();
        for (name, value) in &recorded.request.headers {
            if super::forward::HOP_BY_HOP.contains(&name.as_str()) {
                continue;
            }
            let value = match &credential {
                Some((header, secret))
                    if value == redact::REDACTED && header.eq_ignore_ascii_case(name) =>
                {
                    secret.clone()
                }
                _ => value.clone(),
            };
            headers.push((name.clone(), value));
        }
        let body = match &recorded.request.body {
            Value::Null => Vec::new(),
            Value::String(s) => s.clone().into_bytes(),
            other => other.to_string().into_bytes(),
        };
        let request = crate::exchange::SentRequest {
            method,
            url: format!("{}{}", base.trim_end_matches('/'), recorded.request.path),
            headers,
            body,
        };
        match target.client().send(&request).await {
            Ok(exchange) => {
                result.status = Some(exchange.status);
                let now = self::body(&exchange.body, false);
                result.shape_diff = shape_diff(&recorded.response.body, &now);
            }
            Err(e) => result.error = Some(e.to_string()),
        }
        out.push(result);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sensitive_query_values_and_members_are_redacted() {
        assert_eq!(
            path("/x?token=abc&page=2", true),
            "/x?token=<redacted>&page=2"
        );
        assert_eq!(path("/x?token=abc", false), "/x?token=abc");
        assert_eq!(
            body(br#"{"ssn":"123456789","name":"Ann"}"#, true),
            json!({"ssn": "<redacted>", "name": "Ann"})
        );
        assert_eq!(body(b"plain", true), json!("plain"));
        assert_eq!(body(b"", true), Value::Null);
    }

    #[test]
    fn recorded_headers_leave_out_connection_and_date_headers() {
        let mut map = http::HeaderMap::new();
        for (k, v) in [
            ("host", "x"),
            ("content-length", "3"),
            ("date", "now"),
            ("x-api-key", "k3y"),
            ("accept", "a"),
        ] {
            map.insert(http::HeaderName::from_static(k), v.parse().unwrap());
        }
        let recorded = headers(&map, true);
        assert_eq!(
            recorded.into_iter().collect::<Vec<_>>(),
            vec![
                ("accept".to_string(), "a".to_string()),
                ("x-api-key".to_string(), "<redacted>".to_string())
            ]
        );
    }

    #[test]
    fn shape_diffs_are_unified_and_empty_when_equal() {
        assert_eq!(shape_diff(&json!({"a": 1}), &json!({"a": 2})), "");
        let d = shape_diff(&json!({"a": 1}), &json!({"a": "x"}));
        assert!(d.contains("-/a number") && d.contains("+/a string"), "{d}");
    }
}
