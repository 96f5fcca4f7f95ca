//! The one curl renderer. Every curl vouch prints (a failing step, a fuzz finding, a report, a
//! proxy run) comes from here, so they all quote the same safe way:
//!
//! - every literal is in single quotes, so nothing in a value (`$`, backticks, `!`) is expanded
//!   by the shell that pastes it;
//! - a credential the target knows is written as its environment variable, outside the quotes
//!   (`-H 'authorization: Bearer '"$VOUCH_PEACH_TOKEN"`), so the command runs as it is once
//!   the variable is set, and never shows the value;
//! - any other value under a sensitive name is [`REDACTED`](crate::redact::REDACTED);
//! - JSON bodies are shown with sensitive members redacted.

use super::SentRequest;
use crate::redact::{self, Secret, Shown};

/// The curl command that sends `request` again, secrets masked (see the module docs).
pub fn curl(request: &SentRequest, secrets: &[Secret]) -> String {
    let mut out = format!("curl -sS -X {} {}", request.method, quote(&request.url));
    for (name, value) in &request.headers {
        out.push_str(" -H ");
        let mut parts = vec![Shown::Text(format!("{name}: "))];
        parts.extend(redact::mask_header(name, value, secrets));
        out.push_str(&render(&parts, secrets));
    }
    if !request.body.is_empty() {
        let body = redact::body_text(&request.body, usize::MAX);
        out.push_str(" --data-raw ");
        out.push_str(&quote(body.trim_end()));
    }
    out
}

/// Literal text in single quotes and secrets as `"$VARIABLE"`, adjacent so the shell joins
/// them into one word. A secret whose hint names no variable is shown as literal text.
fn render(parts: &[Shown], secrets: &[Secret]) -> String {
    let variable = |hint: &str| {
        secrets
            .iter()
            .find(|s| s.hint == hint)
            .and_then(Secret::variable)
            .map(str::to_string)
    };
    // `Text` is literal, `Secret` now only a variable name; adjacent literals are merged.
    let mut merged: Vec<Shown> = Vec::new();
    for part in parts {
        let part = match part {
            Shown::Secret(hint) => match variable(hint) {
                Some(name) => Shown::Secret(name),
                None => Shown::Text(hint.clone()),
            },
            text => text.clone(),
        };
        match (merged.last_mut(), part) {
            (Some(Shown::Text(last)), Shown::Text(text)) => last.push_str(&text),
            (_, part) => merged.push(part),
        }
    }
    merged
        .iter()
        .map(|part| match part {
            Shown::Text(text) => quote(text),
            Shown::Secret(name) => format!("\"${name}\""),
        })
        .collect()
}

/// `curl` (a command [`curl`] rendered for a request to `url`) sent to `origin`
/// (`http://127.0.0.1:8080`) instead of `url`'s scheme, host and port: for a run's embedded
/// mock, whose port closed when the run ended, a mock the person starts.
pub fn rebase(curl: &str, url: &str, origin: &str) -> String {
    let old = url
        .find("://")
        .map(|scheme| match url[scheme + 3..].find('/') {
            Some(path) => &url[..scheme + 3 + path],
            None => url,
        })
        .unwrap_or_default();
    if old.is_empty() {
        return curl.to_string();
    }
    curl.replacen(&format!("'{old}"), &format!("'{origin}"), 1)
}

/// The environment variables `curl` (a command [`curl`] rendered) reads, in order: what a
/// person must set before pasting it.
pub fn variables(curl: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for piece in curl.split("\"$").skip(1) {
        let name: String = piece
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() && !found.contains(&name) {
            found.push(name);
        }
    }
    found
}

/// `text` as one single-quoted shell word (`'` becomes `'\''`).
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(headers: &[(&str, &str)], body: &str) -> SentRequest {
        SentRequest {
            method: http::Method::POST,
            url: "http://127.0.0.1:1/peach/x?q=$HOME".into(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    fn token() -> Secret {
        Secret {
            value: "tok-123456".into(),
            hint: "$VOUCH_PEACH_TOKEN".into(),
        }
    }

    #[test]
    fn credentials_become_variables_outside_the_quotes() {
        let shown = curl(
            &request(&[("authorization", "Bearer tok-123456")], ""),
            &[token()],
        );
        assert_eq!(
            shown,
            "curl -sS -X POST 'http://127.0.0.1:1/peach/x?q=$HOME' -H 'authorization: Bearer '\"$VOUCH_PEACH_TOKEN\""
        );
        assert!(!shown.contains("tok-123456"));
    }

    #[test]
    fn values_with_shell_characters_stay_literal() {
        let shown = curl(
            &request(
                &[("x-note", "it's $(rm -rf) `x`")],
                r#"{"name":"O'Hara $USER"}"#,
            ),
            &[],
        );
        assert!(
            shown.contains(r#"-H 'x-note: it'\''s $(rm -rf) `x`'"#),
            "{shown}"
        );
        assert!(
            shown.ends_with(r#"--data-raw '{"name":"O'\''Hara $USER"}'"#),
            "{shown}"
        );
    }

    #[test]
    fn unknown_secrets_and_sensitive_members_are_redacted() {
        let shown = curl(
            &request(
                &[("x-api-key", "not-a-known-one")],
                r#"{"ssn":"123456789","a":1}"#,
            ),
            &[token()],
        );
        assert!(shown.contains("-H 'x-api-key: <redacted>'"), "{shown}");
        assert!(shown.contains(r#"{"ssn":"<redacted>","a":1}"#), "{shown}");
        assert!(!shown.contains("123456789"));
    }

    #[test]
    fn a_curl_rebased_keeps_path_and_query() {
        let shown = curl(
            &request(&[("authorization", "Bearer tok-123456")], ""),
            &[token()],
        );
        let moved = rebase(
            &shown,
            "http://127.0.0.1:1/peach/x",
            "http://127.0.0.1:8080",
        );
        assert!(
            moved.starts_with("curl -sS -X POST 'http://127.0.0.1:8080/peach/x?q=$HOME' -H"),
            "{moved}"
        );
        assert_eq!(variables(&moved), ["VOUCH_PEACH_TOKEN"]);
        assert!(variables(&curl(&request(&[], ""), &[])).is_empty());
    }

    #[test]
    fn a_described_secret_is_quoted_as_text() {
        let key = Secret {
            value: "k".repeat(20),
            hint: "<the public sandbox key>".into(),
        };
        let shown = curl(&request(&[("authorization", &"k".repeat(20))], ""), &[key]);
        assert!(
            shown.ends_with("-H 'authorization: <the public sandbox key>'"),
            "{shown}"
        );
    }
}
