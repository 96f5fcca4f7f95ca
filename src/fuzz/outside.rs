//! What happens outside the API before a link can be followed (issue #22): a link marked
//! `x-vouch-outside` reads something that exists only once someone other than the API's
//! caller has acted (Trusona's document exists once the subject has scanned it at `linkUrl`).
//! The mark says who acts, why, on which targets it can be done, and the HTTP request that
//! stands for it, its URL built from the earlier answer (`{$response.body#/linkUrl}/scan`).
//! On a target the mark does not list, the link is not followed, with the mark's reason (a
//! gap, not a failure). contracts/CONVENTIONS.md § Links and fuzzing marks.

use super::shared::Shared;
use crate::contract::{Contract, Link, ResponseSpec};
use crate::exchange::SentRequest;
use crate::targets::TargetKind;
use serde_json::Value;

/// On a link: `{actor, reason, targets: [mock], method, url, body}`.
pub(crate) const MARK: &str = "x-vouch-outside";

/// The outside step a link needs, if it is marked.
pub(crate) fn of<'c>(
    contract: &'c Contract,
    spec: &ResponseSpec,
    link: &Link,
) -> Option<&'c Value> {
    contract.document().pointer(&format!(
        "{}/links/{}/{MARK}",
        spec.pointer,
        escape(&link.name)
    ))
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

/// Why the outside step was not done; its words are the link tally's reasons.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum Undone {
    #[error("needs the {actor} to act outside the API, which this target cannot do: {reason}")]
    Unreachable { actor: String, reason: String },
    #[error("the {actor}'s step could not be built: {why}")]
    Unbuilt { actor: String, why: String },
    #[error("the {actor}'s step was not answered: {why}")]
    Unanswered { actor: String, why: String },
    #[error("the {actor}'s step answered {status}")]
    Refused { actor: String, status: u16 },
}

/// Does what the mark describes, from `answer`: `Err` says why the link cannot be followed
/// (the target cannot do it, the URL did not resolve, the step was not answered 2xx).
pub(crate) fn arrange(
    shared: &Shared,
    handle: &tokio::runtime::Handle,
    mark: &Value,
    answer: &Value,
) -> Result<(), Undone> {
    let text = |name: &str| mark.get(name).and_then(Value::as_str).unwrap_or_default();
    let actor = Some(text("actor"))
        .filter(|a| !a.is_empty())
        .unwrap_or("someone")
        .to_string();
    if !reaches(mark, shared.target.kind()) {
        let reason = text("reason").to_string();
        return Err(Undone::Unreachable { actor, reason });
    }
    let unbuilt = |why: String| Undone::Unbuilt {
        actor: actor.clone(),
        why,
    };
    let template = text("url");
    let url =
        url(template, answer).ok_or_else(|| unbuilt(format!("{template} did not resolve")))?;
    let method = Some(text("method"))
        .filter(|m| !m.is_empty())
        .unwrap_or("POST");
    let body = mark.get("body").map(Value::to_string);
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
    if (200..300).contains(&exchange.status) {
        Ok(())
    } else {
        let status = exchange.status;
        Err(Undone::Refused { actor, status })
    }
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
}
