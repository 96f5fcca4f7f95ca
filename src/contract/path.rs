//! Path templates (`/1-click/{uuid}`) and base URLs with a path prefix (`https://host/v2`).

use std::collections::BTreeMap;

/// One OpenAPI path template, split into segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    raw: String,
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param(String),
}

impl Segment {
    /// 1 for a literal the part is, 0 for a parameter it fills; `None` when it does not match
    /// (an empty part fills no parameter).
    fn score(&self, part: &str) -> Option<usize> {
        match self {
            Self::Literal(l) => (l == part).then_some(1),
            Self::Param(_) => (!part.is_empty()).then_some(0),
        }
    }
}

impl PathTemplate {
    /// Parses a template such as `/verifications/{verificationId}/messages`.
    pub fn parse(raw: &str) -> Result<Self, super::ContractError> {
        if !raw.starts_with('/') {
            return Err(super::ContractError::PathWithoutSlash(raw.into()));
        }
        let segments = split(raw)
            .map(
                |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) if !name.is_empty() && !name.contains(['{', '}']) => {
                        Ok(Segment::Param(name.to_string()))
                    }
                    _ if s.contains(['{', '}']) => Err(super::ContractError::MixedSegment {
                        path: raw.into(),
                        segment: s.into(),
                    }),
                    _ => Ok(Segment::Literal(s.to_string())),
                },
            )
            .collect::<Result<_, _>>()?;
        Ok(Self {
            raw: raw.to_string(),
            segments,
        })
    }

    /// The template as written in the contract.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Names of the template's parameters, in order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Param(p) => Some(p.as_str()),
            Segment::Literal(_) => None,
        })
    }

    /// The specificity score [`matches`](Self::matches) would give a path already cut into
    /// its segments ([`segments`]), without decoding or allocating: how the router asks it of
    /// every template for every request, cutting the path once (issue #24).
    pub(crate) fn score_segments(&self, parts: &[&str]) -> Option<usize> {
        if parts.len() != self.segments.len() {
            return None;
        }
        let mut literals: usize = 0;
        for (segment, part) in self.segments.iter().zip(parts) {
            literals = literals.saturating_add(segment.score(part)?);
        }
        Some(literals)
    }

    /// Matches a concrete path (no query string). Parameter values are percent-decoded.
    /// Returns the parameters and a specificity score (literal segments matched): when two
    /// templates match, the more literal one wins (`/1-click/trusted` over `/1-click/{uuid}`).
    pub fn matches(&self, path: &str) -> Option<(BTreeMap<String, String>, usize)> {
        let parts = segments(path);
        let literals = self.score_segments(&parts)?;
        Some((self.params_of(&parts), literals))
    }

    /// The parameters of a path this template matches ([`score_segments`](Self::score_segments)
    /// said so), percent-decoded.
    pub(crate) fn params_of(&self, parts: &[&str]) -> BTreeMap<String, String> {
        // Inserted one by one: collecting would sort a list first, for a parameter or two.
        let mut params = BTreeMap::new();
        for (segment, part) in self.segments.iter().zip(parts) {
            if let Segment::Param(name) = segment {
                // Most ids have nothing to decode: copied as they are, without the decoder
                // (issue #24).
                let value = if part.contains('%') {
                    percent_encoding::percent_decode_str(part)
                        .decode_utf8_lossy()
                        .into_owned()
                } else {
                    (*part).to_owned()
                };
                params.insert(name.clone(), value);
            }
        }
        params
    }

    /// Fills the template with values (percent-encoding them). Missing values stay as `{name}`.
    pub fn fill(&self, values: &BTreeMap<String, String>) -> String {
        let mut out = String::new();
        for segment in &self.segments {
            out.push('/');
            match segment {
                Segment::Literal(l) => out.push_str(l),
                Segment::Param(name) => match values.get(name) {
                    Some(v) => out.extend(percent_encoding::utf8_percent_encode(v, SEGMENT)),
                    None => out.push_str(&format!("{{{name}}}")),
                },
            }
        }
        if out.is_empty() { "/".to_string() } else { out }
    }
}

/// Everything but RFC 3986 unreserved characters is escaped in a path segment (a `\\` or `%`
/// left raw would be rewritten by clients that follow the WHATWG URL rules).
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A concrete path's segments, as templates are matched against them.
/// A path's segments, on the stack for up to eight (every documented path: routing runs on
/// every mock request, issue #24).
pub(crate) fn segments(path: &str) -> smallvec::SmallVec<[&str; 8]> {
    split(path).collect()
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    let trimmed = path.strip_prefix('/').unwrap_or(path);
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    // Cut at each `/` found byte by byte (ASCII, so on character boundaries): `str::split`
    // set up a char searcher that cost more than a short path's scan, on every request
    // routed (issue #24).
    let mut rest = Some(trimmed).filter(|t| !t.is_empty());
    std::iter::from_fn(move || {
        let text = rest?;
        match text.bytes().position(|b| b == b'/') {
            Some(i) => {
                let (segment, tail) = text.split_at(i);
                rest = tail.get(1..);
                Some(segment)
            }
            None => {
                rest = None;
                Some(text)
            }
        }
    })
}

/// Splits a URL or path into its path (without query or fragment) and its raw query.
pub(crate) fn path_and_query(url: &str) -> (String, Option<String>) {
    let (path, query) = split_url(url);
    (path.to_string(), query.map(str::to_string))
}

/// [`path_and_query`]'s path, borrowed (the router's per-request split, issue #24).
pub(crate) fn bare_path(url: &str) -> &str {
    split_url(url).0
}

/// [`path_and_query`] without copying: the path (`/` when empty) and the raw query.
pub(crate) fn split_url(url: &str) -> (&str, Option<&str>) {
    // One vectorised byte search for the first `?` or `#`: `split_once` on a char set up a
    // searcher that cost more than the scan of a short path, and a byte-by-byte loop was 5
    // instructions a byte, where the mock splits every request's path (issue #24). Both are
    // ASCII, so the cuts fall on char boundaries; a `?` after the `#` is the fragment's.
    let cut = memchr::memchr2(b'?', b'#', url.as_bytes());
    let (before_query, query) = match cut.map(|i| url.split_at(i)) {
        Some((path, rest)) => match rest.strip_prefix('?') {
            Some(query) => {
                let fragment = memchr::memchr(b'#', query.as_bytes());
                (path, Some(fragment.map_or(query, |i| query.split_at(i).0)))
            }
            None => (path, None),
        },
        None => (url, None),
    };
    // A path (what the mock splits, several times per request) has no scheme to cut: no
    // substring search for `://`, whose set-up alone was 1 % of a GET (issue #24).
    let path = if before_query.starts_with('/') {
        before_query
    } else {
        match before_query.split_once("://") {
            Some((_, rest)) => match rest.find('/') {
                Some(i) => &rest[i..],
                None => "/",
            },
            None => before_query,
        }
    };
    (if path.is_empty() { "/" } else { path }, query)
}

/// Decodes a query string (`a=1&b=x+y`) into a map; a repeated name keeps its last value.
pub(crate) fn parse_query(query: Option<&str>) -> BTreeMap<String, String> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

/// The part of `url` below `base`: `relative_to_base("https://h/v2/1-click?x", "https://h/v2")`
/// is `Some("/1-click")`. Both may be absolute URLs or bare paths; the base's path prefix must
/// match whole segments. When both carry a scheme and authority, those must agree too
/// (case-insensitively).
pub fn relative_to_base(url: &str, base: &str) -> Option<String> {
    if let (Some(u), Some(b)) = (authority(url), authority(base))
        && !u.eq_ignore_ascii_case(b)
    {
        return None;
    }
    let (path, _) = path_and_query(url);
    let (base_path, _) = path_and_query(base);
    let prefix = base_path.trim_end_matches('/');
    if prefix.is_empty() {
        return Some(path);
    }
    let rest = path.strip_prefix(prefix)?;
    match rest {
        "" => Some("/".to_string()),
        r if r.starts_with('/') => Some(r.to_string()),
        _ => None,
    }
}

fn authority(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let tail = rest
        .find(['/', '?', '#'])
        .and_then(|end| rest.get(end..))
        .unwrap_or_default();
    url.strip_suffix(tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_cut_into_segments_at_each_slash() {
        let cases: [(&str, &[&str]); 10] = [
            ("", &[]),
            ("/", &[]),
            ("//", &[]),
            ("/a", &["a"]),
            ("a/b", &["a", "b"]),
            ("/a/b/", &["a", "b"]),
            ("/a//b", &["a", "", "b"]),
            ("///a///", &["", "", "a", "", ""]),
            ("/é/ü€", &["é", "ü€"]),
            ("/1-click/{uuid}", &["1-click", "{uuid}"]),
        ];
        for (path, expected) in cases {
            assert_eq!(segments(path).as_slice(), expected, "{path:?}");
            // As `str::split` cuts them (how they were cut before issue #24).
            let trimmed = path.strip_prefix('/').unwrap_or(path);
            let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
            let by_split: Vec<&str> = trimmed.split('/').filter(|_| !trimmed.is_empty()).collect();
            assert_eq!(by_split, expected, "{path:?}");
        }
    }

    #[test]
    fn literal_and_parameter_segments() {
        let t = PathTemplate::parse(
            "/api/v1/verifications/{verificationId}/messages/{verificationMessageId}",
        )
        .unwrap();
        let (params, literals) = t
            .matches("/api/v1/verifications/abc/messages/m%201")
            .unwrap();
        assert_eq!(params["verificationId"], "abc");
        assert_eq!(params["verificationMessageId"], "m 1");
        assert_eq!(literals, 4);
        assert!(t.matches("/api/v1/verifications/abc/messages").is_none());
        assert!(t.matches("/api/v1/verifications//messages/x").is_none());
        assert_eq!(
            t.params().collect::<Vec<_>>(),
            ["verificationId", "verificationMessageId"]
        );
    }

    #[test]
    fn score_is_the_score_of_matches_without_the_parameters() {
        let templates = [
            "/",
            "/credentials/{id}",
            "/1-click/trusted",
            "/1-click/{uuid}",
            "/a/{b}/c",
        ];
        let paths = [
            "/",
            "",
            "/credentials/x%20y",
            "/credentials/",
            "/credentials/a/b",
            "/1-click/trusted",
            "/1-click/abc/",
            "/a/1/c",
            "/a//c",
            "/a/1/d",
            "/x",
        ];
        let mut matched = 0;
        for t in templates {
            let template = PathTemplate::parse(t).unwrap();
            for p in paths {
                let expected = template.matches(p).map(|(_, score)| score);
                assert_eq!(
                    template.score_segments(&segments(p)),
                    expected,
                    "{t} against {p}"
                );
                matched += usize::from(expected.is_some());
            }
        }
        assert!(matched >= 5, "some paths match: {matched}");
    }

    #[test]
    fn literal_templates_score_higher_than_parameters() {
        let literal = PathTemplate::parse("/1-click/trusted").unwrap();
        let param = PathTemplate::parse("/1-click/{uuid}").unwrap();
        let (_, a) = literal.matches("/1-click/trusted").unwrap();
        let (_, b) = param.matches("/1-click/trusted").unwrap();
        assert!(a > b);
    }

    #[test]
    fn trailing_slash_and_root() {
        let t = PathTemplate::parse("/verification-types").unwrap();
        assert!(t.matches("/verification-types/").is_some());
        assert!(PathTemplate::parse("/").unwrap().matches("/").is_some());
    }

    #[test]
    fn bad_templates_are_rejected() {
        assert!(PathTemplate::parse("no-slash").is_err());
        assert!(PathTemplate::parse("/a/x{id}").is_err());
    }

    #[test]
    fn fill_encodes_values() {
        let t = PathTemplate::parse("/userCredentials/{userIdentifier}").unwrap();
        let mut v = BTreeMap::new();
        v.insert("userIdentifier".to_string(), "+1 0/1".to_string());
        assert_eq!(t.fill(&v), "/userCredentials/%2B1%200%2F1");
        v.insert("userIdentifier".to_string(), "ext-\\a|b".to_string());
        assert_eq!(t.fill(&v), "/userCredentials/ext-%5Ca%7Cb");
        assert_eq!(
            t.fill(&BTreeMap::new()),
            "/userCredentials/{userIdentifier}"
        );
    }

    #[test]
    fn base_urls_with_a_path_prefix() {
        let base = "https://core-api.sandbox-verifiedinc.com/v2";
        assert_eq!(
            relative_to_base(
                "https://core-api.sandbox-verifiedinc.com/v2/1-click/x?a=1",
                base
            )
            .as_deref(),
            Some("/1-click/x")
        );
        assert_eq!(
            relative_to_base("/v2/1-click", base).as_deref(),
            Some("/1-click")
        );
        assert_eq!(
            relative_to_base("https://core-api.sandbox-verifiedinc.com/v2", base).as_deref(),
            Some("/")
        );
        // the prefix must match whole segments, and the host must agree
        assert_eq!(
            relative_to_base("https://core-api.sandbox-verifiedinc.com/v20/x", base),
            None
        );
        assert_eq!(
            relative_to_base("https://other.example/v2/1-click", base),
            None
        );
        assert_eq!(
            relative_to_base(
                "http://127.0.0.1:8080/verified/1-click",
                "http://127.0.0.1:8080/verified/"
            )
            .as_deref(),
            Some("/1-click")
        );
        assert_eq!(
            relative_to_base("https://h/1-click", "https://H").as_deref(),
            Some("/1-click")
        );
    }

    #[test]
    fn path_and_query_split() {
        assert_eq!(
            path_and_query("https://h/a/b?x=1#f"),
            ("/a/b".to_string(), Some("x=1".to_string()))
        );
        assert_eq!(path_and_query("https://h"), ("/".to_string(), None));
        assert_eq!(
            path_and_query("/a?"),
            ("/a".to_string(), Some(String::new()))
        );
        // A `?` after the `#` is the fragment's; a `#` after the `?` ends the query.
        assert_eq!(path_and_query("/a#f?x=1"), ("/a".to_string(), None));
        assert_eq!(path_and_query("/a#"), ("/a".to_string(), None));
        assert_eq!(
            path_and_query("/a?x=1#f?y=2"),
            ("/a".to_string(), Some("x=1".to_string()))
        );
        assert_eq!(
            path_and_query("?x"),
            ("/".to_string(), Some("x".to_string()))
        );
    }
}
