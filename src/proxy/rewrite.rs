//! Rewriting the upstream's absolute URLs to the proxy's own address (on unless `--no-rewrite`),
//! so a client that follows a link from an answer (Trusona's `linkUrl`, Peach's `nextUrl`,
//! Verified's hosted 1-Click `url`, a `Location` header) comes back through the proxy instead
//! of leaving it.
//!
//! What is rewritten: a response header value's every occurrence of the upstream's base URL,
//! and a JSON body's every string value that starts with it. Both at a URL boundary: the base
//! `http://h:1/api` matches `http://h:1/api/x` and `http://h:1/api?q`, not `http://h:1/apix`.
//! The contract checks the upstream's answer as it came; only what is forwarded is rewritten.
//! A string that starts with the upstream's origin but not its base path is left alone: the
//! proxy has no address for it.
//!
//! A JSON body is rewritten as text (its formatting and member order kept): a `"` that opens a
//! string (not an escaped one) followed by the base URL and a boundary. This works on a stream
//! too: only the bytes that may be the start of a match are held back between chunks.

use serde_json::Value;

/// The upstream's base URL and what replaces it.
#[derive(Debug, Clone)]
pub(super) struct Rewrite {
    from: String,
    to: String,
}

/// Whether the byte after a match ends the base URL's last segment.
fn boundary(next: Option<u8>) -> bool {
    match next {
        None => true,
        Some(b) => {
            matches!(
                b,
                b'/' | b'?' | b'#' | b'"' | b'\'' | b'<' | b'>' | b';' | b',' | b'\\'
            ) || b.is_ascii_whitespace()
        }
    }
}

impl Rewrite {
    /// `None` when there is nothing to rewrite (the same address on both sides).
    pub(super) fn new(upstream_base: &str, proxy_base: &str) -> Option<Self> {
        let from = upstream_base.trim_end_matches('/').to_string();
        let to = proxy_base.trim_end_matches('/').to_string();
        (!from.is_empty() && from != to).then_some(Self { from, to })
    }

    /// Every occurrence of the base URL in a header value; `None` when there is none.
    pub(super) fn text(&self, value: &str) -> Option<String> {
        let mut out = String::with_capacity(value.len());
        let mut rest = value;
        let mut changed = false;
        while let Some(at) = rest.find(&self.from) {
            let end = at + self.from.len();
            out.push_str(&rest[..at]);
            if boundary(rest.as_bytes().get(end).copied()) {
                out.push_str(&self.to);
                changed = true;
            } else {
                out.push_str(&self.from);
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        changed.then_some(out)
    }

    /// Whether a string value starts with the base URL (at a boundary).
    fn starts(&self, s: &str) -> bool {
        s.starts_with(&self.from) && boundary(s.as_bytes().get(self.from.len()).copied())
    }

    /// The JSON pointers (under `/body`) of the string values that start with the base URL:
    /// what [`Self::json`] rewrites, for the record of the exchange.
    pub(super) fn pointers(&self, body: &Value) -> Vec<String> {
        let mut found = Vec::new();
        self.walk(body, "/body".to_string(), &mut found);
        found
    }

    fn walk(&self, value: &Value, at: String, found: &mut Vec<String>) {
        match value {
            Value::String(s) if self.starts(s) => found.push(at),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.walk(item, format!("{at}/{i}"), found);
                }
            }
            Value::Object(members) => {
                for (k, v) in members {
                    let key = k.replace('~', "~0").replace('/', "~1");
                    self.walk(v, format!("{at}/{key}"), found);
                }
            }
            _ => {}
        }
    }

    /// A whole JSON body rewritten, `None` when nothing in it changes. Text first (formatting
    /// kept); should that miss a string the parsed body shows (a base URL written with `\/`),
    /// the parsed body with its strings rewritten, serialised again.
    pub(super) fn json(&self, body: &[u8]) -> Option<Vec<u8>> {
        let parsed: Value = serde_json::from_slice(body).ok()?;
        if self.pointers(&parsed).is_empty() {
            return None;
        }
        let mut stream = StreamRewrite::new(self.clone());
        let mut out = stream.feed(body);
        out.extend(stream.finish());
        let expected = self.rewritten_value(parsed);
        match serde_json::from_slice::<Value>(&out) {
            Ok(v) if v == expected => Some(out),
            _ => serde_json::to_vec(&expected).ok(),
        }
    }

    fn rewritten_value(&self, value: Value) -> Value {
        match value {
            Value::String(s) if self.starts(&s) => {
                Value::String(format!("{}{}", self.to, &s[self.from.len()..]))
            }
            Value::Array(items) => {
                Value::Array(items.into_iter().map(|v| self.rewritten_value(v)).collect())
            }
            Value::Object(members) => Value::Object(
                members
                    .into_iter()
                    .map(|(k, v)| (k, self.rewritten_value(v)))
                    .collect(),
            ),
            other => other,
        }
    }
}

/// [`Rewrite`] over a JSON body that arrives in chunks: each chunk is passed on at once but
/// for a tail that may be the start of a match (at most the base URL's length plus two bytes).
pub(super) struct StreamRewrite {
    rewrite: Rewrite,
    /// `"` followed by the base URL: the start of a string to rewrite.
    pattern: Vec<u8>,
    held: Vec<u8>,
    /// Whether the bytes passed on so far end in an odd run of backslashes (the next `"` is
    /// escaped, inside a string, not the start of one).
    escaped: bool,
}

impl StreamRewrite {
    pub(super) fn new(rewrite: Rewrite) -> Self {
        let mut pattern = vec![b'"'];
        pattern.extend_from_slice(rewrite.from.as_bytes());
        Self {
            rewrite,
            pattern,
            held: Vec::new(),
            escaped: false,
        }
    }

    /// The next chunk, rewritten, less a tail held back until the next chunk tells.
    pub(super) fn feed(&mut self, chunk: &[u8]) -> Vec<u8> {
        let mut data = std::mem::take(&mut self.held);
        data.extend_from_slice(chunk);
        let mut out = Vec::with_capacity(data.len());
        let mut i = 0;
        while i < data.len() {
            let Some(q) = data[i..].iter().position(|&b| b == b'"') else {
                self.pass(&mut out, &data[i..]);
                break;
            };
            self.pass(&mut out, &data[i..i + q]);
            i += q;
            let rest = &data[i..];
            if rest.len() <= self.pattern.len() && self.pattern.starts_with(rest) {
                // Maybe a match: the next chunk decides.
                self.held = rest.to_vec();
                break;
            }
            let matched = !self.escaped
                && rest.starts_with(&self.pattern)
                && boundary(rest.get(self.pattern.len()).copied());
            if matched {
                out.push(b'"');
                out.extend_from_slice(self.rewrite.to.as_bytes());
                self.escaped = false;
                i += self.pattern.len();
            } else {
                self.pass(&mut out, b"\"");
                i += 1;
            }
        }
        out
    }

    /// The held-back tail at the end of the body (a match needs a byte after it: none came).
    pub(super) fn finish(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.held)
    }

    fn pass(&mut self, out: &mut Vec<u8>, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        out.extend_from_slice(bytes);
        let run = bytes.iter().rev().take_while(|&&b| b == b'\\').count();
        self.escaped = if run == bytes.len() {
            self.escaped ^ (run % 2 == 1)
        } else {
            run % 2 == 1
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rewrite() -> Rewrite {
        Rewrite::new("http://up:1/api/", "http://me:2/peach").unwrap()
    }

    #[test]
    fn header_values_are_rewritten_at_a_boundary_only() {
        let r = rewrite();
        assert_eq!(
            r.text("<http://up:1/api/x?page=2>; rel=\"next\", <http://up:1/apix>; rel=\"x\"")
                .unwrap(),
            "<http://me:2/peach/x?page=2>; rel=\"next\", <http://up:1/apix>; rel=\"x\""
        );
        assert_eq!(r.text("http://up:1/api").unwrap(), "http://me:2/peach");
        assert_eq!(r.text("http://up:1/other"), None);
        assert!(Rewrite::new("http://a/", "http://a").is_none());
    }

    #[test]
    fn json_strings_that_start_with_the_base_are_rewritten_and_nothing_else() {
        let r = rewrite();
        let body = br#"{"nextUrl": "http://up:1/api/types?limit=1",
  "note": "see \"http://up:1/api/x\" or http://up:1/api/y", "self": "http://up:1/apix",
  "list": ["http://up:1/api"]}"#;
        let out = String::from_utf8(r.json(body).unwrap()).unwrap();
        assert_eq!(
            out,
            r#"{"nextUrl": "http://me:2/peach/types?limit=1",
  "note": "see \"http://up:1/api/x\" or http://up:1/api/y", "self": "http://up:1/apix",
  "list": ["http://me:2/peach"]}"#
        );
        let parsed: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(r.pointers(&parsed), ["/body/nextUrl", "/body/list/0"]);
        assert_eq!(r.json(br#"{"a": "http://up:1/apix"}"#), None);
        assert_eq!(r.json(b"not json http://up:1/api"), None);
    }

    #[test]
    fn escaped_slashes_fall_back_to_the_parsed_body() {
        let r = rewrite();
        let out = r.json(br#"{"url": "http:\/\/up:1\/api\/x"}"#).unwrap();
        assert_eq!(
            serde_json::from_slice::<Value>(&out).unwrap(),
            json!({"url": "http://me:2/peach/x"})
        );
    }

    #[test]
    fn a_stream_split_anywhere_gives_the_same_bytes_as_the_whole() {
        let r = rewrite();
        let body = br#"{"a":"http://up:1/api/1","b":"x\\","c":"http://up:1/api","d":"\"http://up:1/api/2"}"#;
        let whole = r.json(body).unwrap();
        for cut in 0..body.len() {
            let mut s = StreamRewrite::new(r.clone());
            let mut out = s.feed(&body[..cut]);
            out.extend(s.feed(&body[cut..]));
            out.extend(s.finish());
            assert_eq!(out, whole, "cut at {cut}");
        }
        let text = String::from_utf8(whole).unwrap();
        assert!(text.contains(r#""a":"http://me:2/peach/1""#), "{text}");
        assert!(text.contains(r#""c":"http://me:2/peach""#), "{text}");
        assert!(text.contains(r#""\"http://up:1/api/2""#), "{text}");
    }

    #[test]
    fn a_chunk_that_cannot_start_a_match_is_passed_on_whole() {
        let mut s = StreamRewrite::new(rewrite());
        assert_eq!(s.feed(b"{\"id\":"), b"{\"id\":");
        assert_eq!(s.feed(b"\"http:"), b"");
        assert_eq!(s.feed(b"//else\"}"), b"\"http://else\"}");
    }
}
