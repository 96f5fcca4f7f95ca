//! What happens outside the API before a link can be followed (issue #22): a link marked
//! `x-vouch-outside` reads something that exists only once someone other than the API's
//! caller has acted (Trusona's document exists once the subject has scanned it at `linkUrl`;
//! Verified's shared credentials once the user has entered the code in the wallet and shared,
//! and the redirect back carries their `sharedCredentialsUuid`). The mark says who acts, why,
//! on which targets it can be done, and the HTTP requests that stand for it, run in order,
//! their URLs built from the earlier answer (`{$response.body#/url}/code`); its `gives` takes
//! the link's parameters from the last of their answers
//! (`$outside.header.Location#query=sharedCredentialsUuid`). On a target the mark does not
//! list, the link is not followed, with the mark's reason (a gap, not a failure).
//! contracts/CONVENTIONS.md § Links and fuzzing marks.

use super::shared::Shared;
use crate::contract::{Contract, Link, ResponseSpec};
use crate::exchange::{Exchange, SentRequest};
use crate::targets::TargetKind;
use serde_json::Value;
use std::collections::BTreeMap;

/// On a link: `{actor, reason, targets: [mock], method, url, body}` (one request), or
/// `{actor, reason, targets, steps: [{method, url, body}, ...], gives: {parameter: expression}}`.
pub(crate) const MARK: &str = "x-vouch-outside";

/// A link's outside mark, with the contract and link it sits on (for its mistakes' messages).
pub(crate) struct Outside<'c> {
    mark: &'c Value,
    api: &'c str,
    link: String,
}

/// The outside step a link needs, if it is marked.
pub(crate) fn of<'c>(
    contract: &'c Contract,
    spec: &ResponseSpec,
    link: &Link,
) -> Option<Outside<'c>> {
    let mark = contract.document().pointer(&format!(
        "{}/links/{}/{MARK}",
        spec.pointer,
        escape(&link.name)
    ))?;
    Some(Outside {
        mark,
        api: &contract.api,
        link: link.name.clone(),
    })
}

fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// Whether the mark's `targets` list this target: `mock` is vouch's mock, embedded or at a
/// URL (`vouch mock serve`), which serves the outside actor's pages.
fn reaches(mark: &Value, kind: TargetKind) -> bool {
    let names: Vec<&str> = mark
        .get("targets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let name = match kind {
        TargetKind::Mock | TargetKind::Url => "mock",
        TargetKind::Sandbox => "sandbox",
    };
    names.contains(&name)
}

/// `{$response.body#/linkUrl}/scan` with each embedded expression taken from `answer`; `None`
/// when one does not resolve to a string.
fn url(template: &str, answer: &Value) -> Option<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("{$response.body#") {
        out.push_str(&rest[..start]);
        let after = &rest[start + "{$response.body#".len()..];
        let end = after.find('}')?;
        out.push_str(answer.pointer(&after[..end]).and_then(Value::as_str)?);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// What a `gives` expression reads of the last outside answer. The syntax is OpenAPI's
/// runtime expression `source` (`header.NAME`, `body#/POINTER`) after `$outside.` in place of
/// `$response.`, plus `#query=KEY` on a header: the query parameter KEY of the URL the header
/// carries (a redirect's `Location`, where Verified's wallet puts `sharedCredentialsUuid`:
/// [verified-api-ref] § Get Shared Credentials, "redirected back to your client with a
/// sharedCredentialsUuid as a query parameter"). OpenAPI has no expression for that.
#[derive(Debug, Clone, PartialEq)]
enum Given {
    /// `$outside.header.NAME`, or with `#query=KEY` that parameter of the URL it carries.
    Header { name: String, query: Option<String> },
    /// `$outside.body#/POINTER`: a JSON pointer into the answer's body.
    Body(String),
}

/// The forms a `gives` expression may take, for its mistakes' messages.
const FORMS: &str =
    "$outside.header.NAME, $outside.header.NAME#query=KEY or $outside.body#/POINTER";

/// A `gives` expression that does not read as one of [`FORMS`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("`{expression}` {why} (expected {FORMS})")]
struct BadExpression {
    expression: String,
    why: &'static str,
}

impl Given {
    fn parse(expression: &str) -> Result<Self, BadExpression> {
        let wrong = |why| BadExpression {
            expression: expression.to_string(),
            why,
        };
        let source = expression
            .strip_prefix("$outside.")
            .ok_or_else(|| wrong("does not start with $outside."))?;
        if let Some(pointer) = source.strip_prefix("body#") {
            return if pointer.starts_with('/') {
                Ok(Self::Body(pointer.to_string()))
            } else {
                Err(wrong("has no JSON pointer after body#"))
            };
        }
        let header = source
            .strip_prefix("header.")
            .ok_or_else(|| wrong("reads neither a header nor the body"))?;
        let (name, fragment) = match header.split_once('#') {
            Some((name, fragment)) => (name, Some(fragment)),
            None => (header, None),
        };
        // An RFC 9110 token: what OpenAPI's header-reference takes.
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if name.is_empty() || !name.chars().all(token) {
            return Err(wrong("names no header"));
        }
        let query = match fragment.map(|f| f.strip_prefix("query=")) {
            None => None,
            Some(Some(key)) if !key.is_empty() => Some(key.to_string()),
            Some(_) => return Err(wrong("has a fragment other than #query=KEY")),
        };
        Ok(Self::Header {
            name: name.to_string(),
            query,
        })
    }

    /// The value this expression reads of `exchange`, as text; `None` when it is not there.
    fn read(&self, exchange: &Exchange) -> Option<String> {
        match self {
            Self::Body(pointer) => {
                let body: Value = serde_json::from_slice(&exchange.body).ok()?;
                match body.pointer(pointer)? {
                    Value::String(text) => Some(text.clone()),
                    other => Some(other.to_string()),
                }
            }
            Self::Header { name, query } => {
                let value = exchange.headers.get(name.as_str())?.to_str().ok()?;
                match query {
                    None => Some(value.to_string()),
                    Some(key) => query_value(value, key),
                }
            }
        }
    }
}

/// The value of the query parameter `key` in `url` (absolute or not), decoded.
fn query_value(url: &str, key: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(k) == key).then(|| decode(v))
    })
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// Why the outside step was not done; its words are the link tally's reasons.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum Undone {
    #[error("needs the {actor} to act outside the API, which this target cannot do: {reason}")]
    Unreachable { actor: String, reason: String },
    /// A contract mistake: the mark itself cannot be read.
    #[error("{api} link {link}: {MARK} is wrong: {problem}")]
    Mistaken {
        api: String,
        link: String,
        problem: String,
    },
    #[error("the {actor}'s step could not be built: {why}")]
    Unbuilt { actor: String, why: String },
    #[error("the {actor}'s step was not answered: {why}")]
    Unanswered { actor: String, why: String },
    #[error("the {actor}'s step answered {status}")]
    Refused { actor: String, status: u16 },
}

/// What the mark asks, read: the requests in order, and what the last answer gives.
struct Read<'m> {
    requests: Vec<&'m Value>,
    gives: Vec<(String, Given)>,
}

impl Outside<'_> {
    fn mistaken(&self, problem: impl Into<String>) -> Undone {
        Undone::Mistaken {
            api: self.api.to_string(),
            link: self.link.clone(),
            problem: problem.into(),
        }
    }

    /// The mark's requests (`steps`, or the mark itself when it is one request) and `gives`.
    fn read(&self) -> Result<Read<'_>, Undone> {
        let requests: Vec<&Value> = match self.mark.get("steps") {
            None if self.mark.get("url").is_some() => vec![self.mark],
            None => return Err(self.mistaken("neither a url nor steps")),
            Some(_) if self.mark.get("url").is_some() => {
                return Err(self.mistaken("both a url and steps"));
            }
            Some(Value::Array(steps)) if !steps.is_empty() => steps.iter().collect(),
            Some(_) => return Err(self.mistaken("steps is not a list of requests")),
        };
        if let Some(i) = requests.iter().position(|r| !r["url"].is_string()) {
            return Err(self.mistaken(format!("step {} has no url", i + 1)));
        }
        let gives = match self.mark.get("gives") {
            None => Vec::new(),
            Some(Value::Object(gives)) => gives
                .iter()
                .map(|(name, expression)| {
                    let expression = expression.as_str().unwrap_or_default();
                    Given::parse(expression)
                        .map(|given| (name.clone(), given))
                        .map_err(|why| self.mistaken(format!("gives {name}: {why}")))
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(self.mistaken("gives is not a map of parameters")),
        };
        Ok(Read { requests, gives })
    }
}

/// The text member `name` of `v`, empty when it has none.
fn text<'v>(v: &'v Value, name: &str) -> &'v str {
    v.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// Does what the mark describes, from `answer`: the link's parameters its `gives` reads from
/// the last answer, or `Err` saying why the link cannot be followed (the mark is wrong, the
/// target cannot do it, a URL did not resolve, a step was not answered 2xx or 3xx: the
/// wallet's share answers with a redirect, 302).
pub(crate) fn arrange(
    shared: &Shared,
    handle: &tokio::runtime::Handle,
    outside: &Outside<'_>,
    answer: &Value,
) -> Result<BTreeMap<String, Value>, Undone> {
    let mark = outside.mark;
    let read = outside.read()?;
    let actor = Some(text(mark, "actor"))
        .filter(|a| !a.is_empty())
        .unwrap_or("someone")
        .to_string();
    if !reaches(mark, shared.target.kind()) {
        let reason = text(mark, "reason").to_string();
        return Err(Undone::Unreachable { actor, reason });
    }
    let unbuilt = |why: String| Undone::Unbuilt {
        actor: actor.clone(),
        why,
    };
    let mut last = None;
    for step in &read.requests {
        let template = text(step, "url");
        let url =
            url(template, answer).ok_or_else(|| unbuilt(format!("{template} did not resolve")))?;
        let method = Some(text(step, "method"))
            .filter(|m| !m.is_empty())
            .unwrap_or("POST");
        let body = step.get("body").map(Value::to_string);
        let request = SentRequest {
            method: method
                .parse()
                .map_err(|_| unbuilt(format!("bad method {method}")))?,
            url,
            headers: body
                .iter()
                .map(|_| ("content-type".to_string(), "application/json".to_string()))
                .collect(),
            body: body.map(String::into_bytes).unwrap_or_default(),
        };
        let exchange = handle
            .block_on(shared.target.client().send(&request))
            .map_err(|e| Undone::Unanswered {
                actor: actor.clone(),
                why: e.to_string(),
            })?;
        if !(200..400).contains(&exchange.status) {
            let status = exchange.status;
            return Err(Undone::Refused { actor, status });
        }
        last = Some(exchange);
    }
    let Some(last) = last else {
        return Ok(BTreeMap::new());
    };
    read.gives
        .iter()
        .map(|(name, given)| {
            let value = given
                .read(&last)
                .ok_or_else(|| unbuilt(format!("its answer gives no {name}")))?;
            Ok((name.clone(), Value::String(value)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn urls_take_expressions_from_the_answer_and_targets_are_named() {
        let answer = json!({"linkUrl": "http://m/s/abc", "sealed": {"linkUrl": "http://m/s/d"}});
        assert_eq!(
            url("{$response.body#/linkUrl}/scan", &answer).unwrap(),
            "http://m/s/abc/scan"
        );
        assert_eq!(
            url("{$response.body#/sealed/linkUrl}", &answer).unwrap(),
            "http://m/s/d"
        );
        assert!(url("{$response.body#/nope}/scan", &answer).is_none());
        let mark = json!({"targets": ["mock"]});
        assert!(reaches(&mark, TargetKind::Mock) && reaches(&mark, TargetKind::Url));
        assert!(!reaches(&mark, TargetKind::Sandbox));
    }

    /// A 302 from the wallet's share, with a JSON body, as the mock answers it.
    fn redirect(location: &str, body: &str) -> Exchange {
        let mut headers = http::HeaderMap::new();
        headers.insert("location", location.parse().unwrap());
        Exchange {
            request: SentRequest {
                method: http::Method::POST,
                url: "http://m/wallet/requests/w1/share".into(),
                headers: Vec::new(),
                body: Vec::new(),
            },
            status: 302,
            headers,
            body: body.as_bytes().to_vec().into(),
            elapsed: std::time::Duration::ZERO,
        }
    }

    #[test]
    fn gives_reads_a_header_a_query_parameter_of_it_and_a_body_pointer() {
        let answer = redirect(
            "https://hooli.example/back?a=1&sharedCredentialsUuid=9f1c%2D2&x#frag",
            r#"{"data": {"uuid": "u-1", "n": 2}}"#,
        );
        let read = |e: &str| Given::parse(e).unwrap().read(&answer);
        assert_eq!(
            read("$outside.header.Location#query=sharedCredentialsUuid").as_deref(),
            Some("9f1c-2")
        );
        assert_eq!(
            read("$outside.header.location#query=a").as_deref(),
            Some("1")
        );
        assert_eq!(
            read("$outside.header.Location#query=x").as_deref(),
            Some("")
        );
        assert_eq!(read("$outside.header.Location#query=nope"), None);
        assert_eq!(
            read("$outside.header.Location").as_deref(),
            Some("https://hooli.example/back?a=1&sharedCredentialsUuid=9f1c%2D2&x#frag")
        );
        assert_eq!(read("$outside.header.X-Missing"), None);
        assert_eq!(read("$outside.body#/data/uuid").as_deref(), Some("u-1"));
        assert_eq!(read("$outside.body#/data/n").as_deref(), Some("2"));
        assert_eq!(read("$outside.body#/data/none"), None);
        // A relative redirect (a brand whose redirect url has no host) reads the same.
        let relative = redirect("/back?sharedCredentialsUuid=u-2", "");
        let given = Given::parse("$outside.header.Location#query=sharedCredentialsUuid").unwrap();
        assert_eq!(given.read(&relative).as_deref(), Some("u-2"));
        assert_eq!(
            Given::parse("$outside.body#/x").unwrap().read(&relative),
            None
        );
    }

    #[test]
    fn a_bad_gives_expression_is_a_mistake_naming_the_contract_link_and_parameter() {
        for (bad, why) in [
            ("$response.header.Location", "does not start with $outside."),
            ("$outside.query.x", "reads neither a header nor the body"),
            ("$outside.body#x", "has no JSON pointer after body#"),
            ("$outside.header.", "names no header"),
            ("$outside.header.Loc ation", "names no header"),
            (
                "$outside.header.Location#path=x",
                "has a fragment other than #query=KEY",
            ),
            (
                "$outside.header.Location#query=",
                "has a fragment other than #query=KEY",
            ),
        ] {
            let mark =
                json!({"targets": ["mock"], "steps": [{"url": "u"}], "gives": {"uuid": bad}});
            let outside = Outside {
                mark: &mark,
                api: "verified",
                link: "ShareAndGet".into(),
            };
            let Err(mistake) = outside.read() else {
                panic!("{bad} was read");
            };
            let text = mistake.to_string();
            assert!(
                text.starts_with(
                    "verified link ShareAndGet: x-vouch-outside is wrong: gives uuid: "
                ),
                "{text}"
            );
            assert!(
                text.contains(&format!("`{bad}` {why} (expected {FORMS})")),
                "{text}"
            );
        }
    }

    /// The shipped contracts' marks all read: Trusona's scans (one request each) and
    /// Verified's wallet (two steps, the uuid given from the redirect).
    #[test]
    fn every_shipped_mark_reads() {
        let contracts = crate::contract::ContractSet::embedded().unwrap();
        let mut read = Vec::new();
        for contract in contracts.iter() {
            for op in contract.operations() {
                for spec in &op.responses {
                    for link in &spec.links {
                        if let Some(outside) = of(contract, spec, link) {
                            let r = outside.read().unwrap_or_else(|e| panic!("{e}"));
                            read.push((link.name.clone(), r.requests.len(), r.gives));
                        }
                    }
                }
            }
        }
        let header = |name: &str, query: &str| Given::Header {
            name: name.into(),
            query: Some(query.into()),
        };
        let uuid = "sharedCredentialsUuid";
        read.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            read,
            [
                ("GetScannedDocument".into(), 1, Vec::new()),
                ("GetScannedEncryptedDocument".into(), 1, Vec::new()),
                (
                    "GetSharedCredentialsAfterSharing".into(),
                    2,
                    vec![(uuid.into(), header("Location", uuid))]
                ),
            ]
        );
    }

    #[test]
    fn the_mark_is_one_request_or_a_list_of_steps() {
        let read = |mark: Value| {
            let outside = Outside {
                mark: &mark,
                api: "a",
                link: "L".into(),
            };
            outside
                .read()
                .map(|r| (r.requests.len(), r.gives.len()))
                .map_err(|e| e.to_string())
        };
        assert_eq!(read(json!({"url": "u", "method": "POST"})), Ok((1, 0)));
        let steps = json!({"steps": [{"url": "u/code"}, {"url": "u/share"}],
            "gives": {"id": "$outside.body#/id"}});
        assert_eq!(read(steps), Ok((2, 1)));
        for (mark, problem) in [
            (json!({}), "neither a url nor steps"),
            (
                json!({"url": "u", "steps": [{"url": "v"}]}),
                "both a url and steps",
            ),
            (json!({"steps": []}), "steps is not a list of requests"),
            (
                json!({"steps": [{"url": "v"}, {"method": "POST"}]}),
                "step 2 has no url",
            ),
            (
                json!({"url": "u", "gives": ["x"]}),
                "gives is not a map of parameters",
            ),
        ] {
            assert_eq!(
                read(mark),
                Err(format!("a link L: x-vouch-outside is wrong: {problem}"))
            );
        }
    }
}
