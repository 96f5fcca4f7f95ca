//! Whether a request presents the credentials an operation's `security` asks for (presence
//! only: whether they are right is the API's business, answered 401 by the target), and what
//! it presents: the mock authenticates with [`Operation::presented_credentials`], so the spellings it
//! accepts are exactly the contract's schemes (issue #26, point 1).

use super::document::join;
use super::operation::{Operation, SecurityScheme};
use http::HeaderMap;
use std::borrow::Cow;
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
    presented_text(scheme, headers, query).is_some()
}

/// The credential a request presents where `scheme` says: the header's or query parameter's
/// value, the token after `Bearer ` / `Basic ` (scheme word case-insensitive), the cookie's
/// value. `None` when it is absent or blank (a cookie counts when present, even empty).
pub fn presented(
    scheme: &SecurityScheme,
    headers: &HeaderMap,
    query: &BTreeMap<String, String>,
) -> Option<String> {
    presented_text(scheme, headers, query).map(Cow::into_owned)
}

/// [`presented`], borrowed where the request holds it as it is (the validator asks only
/// whether it is there, on every mock request: issue #24).
fn presented_text<'a>(
    scheme: &SecurityScheme,
    headers: &'a HeaderMap,
    query: &'a BTreeMap<String, String>,
) -> Option<Cow<'a, str>> {
    // `Authorization` is read only for the schemes that use it (issue #24: the mock asks on
    // every request).
    let after = |p: &str| {
        let auth = headers
            .get(http::header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())?;
        (auth.len() > p.len() && auth.get(..p.len())?.eq_ignore_ascii_case(p))
            .then(|| auth.get(p.len()..).unwrap_or_default().trim())
            .filter(|t| !t.is_empty())
            .map(Cow::Borrowed)
    };
    match scheme {
        // Visible ASCII (every key) is borrowed without a UTF-8 scan; other bytes lossily.
        SecurityScheme::Header { header, .. } => {
            headers.get(header).filter(|h| !h.is_empty()).map(|h| {
                h.to_str()
                    .map_or_else(|_| String::from_utf8_lossy(h.as_bytes()), Cow::Borrowed)
            })
        }
        SecurityScheme::Query { param, .. } => query
            .get(param)
            .filter(|v| !v.is_empty())
            .map(|v| Cow::Borrowed(v.as_str())),
        SecurityScheme::Bearer { .. } => after("Bearer "),
        SecurityScheme::Basic { .. } => after("Basic "),
        SecurityScheme::Cookie { cookie: name, .. } => cookie(headers, name).map(Cow::Owned),
    }
}

impl Operation {
    /// Every credential the request presents under this operation's `security`, with its
    /// scheme: the schemes of each alternative the request satisfies whole, alternatives in
    /// their declared order; none when it satisfies none (or the operation declares none).
    /// One at a time and borrowed from the request where it holds them as they are, so that a
    /// caller that takes the first that names a tenant (the mock, on every request) builds no
    /// list and copies no key (issue #24).
    pub fn presented_credentials<'a, 'r>(
        &'a self,
        headers: &'r HeaderMap,
        query: &'r BTreeMap<String, String>,
    ) -> impl Iterator<Item = (&'a SecurityScheme, Cow<'r, str>)> + use<'a, 'r> {
        self.security.iter().flat_map(move |alternative| {
            // One scheme (most operations): no list of the alternative's.
            if let [only] = alternative.as_slice() {
                return Alternative::One(
                    presented_text(only, headers, query).map(|value| (only, value)),
                );
            }
            let found: Vec<_> = alternative
                .iter()
                .filter_map(|s| Some((s, presented_text(s, headers, query)?)))
                .collect();
            let whole = found.len() == alternative.len();
            Alternative::All(if whole { found } else { Vec::new() }.into_iter())
        })
    }
}

/// What one `security` alternative gives: its one scheme's credential, or all of its schemes'.
enum Alternative<'a, 'r> {
    One(Option<(&'a SecurityScheme, Cow<'r, str>)>),
    All(std::vec::IntoIter<(&'a SecurityScheme, Cow<'r, str>)>),
}

impl<'a, 'r> Iterator for Alternative<'a, 'r> {
    type Item = (&'a SecurityScheme, Cow<'r, str>);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Self::One(one) => one.take(),
            Self::All(all) => all.next(),
        }
    }
}

/// Where a request without credentials lacks them: the one place the operation's one scheme
/// reads (`/headers/x-api-key`, `/query/key`, `/headers/cookie`), else `Authorization`, where
/// most schemes and alternatives read theirs.
pub(super) fn missing_at(security: &[Vec<SecurityScheme>]) -> String {
    match security {
        [only] => match only.as_slice() {
            [SecurityScheme::Header { header, .. }] => join("/headers", header.as_str()),
            [SecurityScheme::Query { param, .. }] => join("/query", param),
            [SecurityScheme::Cookie { .. }] => "/headers/cookie".into(),
            _ => "/headers/authorization".into(),
        },
        _ => "/headers/authorization".into(),
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
