//! Whether a request presents the credentials an operation's `security` asks for (presence
//! only: whether they are right is the API's business, answered 401 by the target).

use super::operation::SecurityScheme;
use http::HeaderMap;
use std::collections::BTreeMap;

/// The value of cookie `name` in the request's `Cookie` headers.
pub(super) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(http::header::COOKIE).iter().find_map(|h| {
        h.to_str().ok()?.split(';').find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        })
    })
}

/// Whether the request carries a non-empty credential where `scheme` says.
pub(super) fn satisfied(
    scheme: &SecurityScheme,
    headers: &HeaderMap,
    query: &BTreeMap<String, String>,
) -> bool {
    let auth = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let prefixed = |p: &str| {
        auth.len() > p.len()
            && auth[..p.len()].eq_ignore_ascii_case(p)
            && !auth[p.len()..].trim().is_empty()
    };
    match scheme {
        SecurityScheme::Header { header, .. } => {
            headers.get(header.as_str()).is_some_and(|h| !h.is_empty())
        }
        SecurityScheme::Query { param, .. } => query.get(param).is_some_and(|v| !v.is_empty()),
        SecurityScheme::Bearer { .. } => prefixed("Bearer "),
        SecurityScheme::Basic { .. } => prefixed("Basic "),
        SecurityScheme::Cookie { cookie: name, .. } => cookie(headers, name).is_some(),
    }
}

/// The scheme as a violation names it.
pub(super) fn describe(scheme: &SecurityScheme) -> String {
    match scheme {
        SecurityScheme::Header { scheme, header } => format!("{scheme} (header `{header}`)"),
        SecurityScheme::Query { scheme, param } => format!("{scheme} (query `{param}`)"),
        SecurityScheme::Bearer { scheme } => format!("{scheme} (Authorization: Bearer)"),
        SecurityScheme::Basic { scheme } => format!("{scheme} (Authorization: Basic)"),
        SecurityScheme::Cookie { scheme, cookie } => format!("{scheme} (cookie `{cookie}`)"),
    }
}
