//! `stateful_read_back`: an answer carries every member its links read (`$response.body#…`),
//! and a request that follows a link finds what that answer named and reads back unchanged what
//! the link's `x-vouch-reads-back` names.
//!
//! A server that answers every request well in isolation can still lose or alter what it
//! stored; only a sequence shows it. The sequences themselves (which links, how their
//! parameters are filled) are `fuzz::links`'; this file holds the rule applied to a linked
//! request's answer, and to the successful answers that declare links.

use super::{
    Check, CheckInput, Descriptor, FuzzCheck, Linked, Outcome, PAGE_MARK, is_link_target, link_mark,
};
use crate::contract::{Contract, Operation};
use crate::fuzz::cases::Credentials;
use serde_json::Value;

pub(crate) struct StatefulReadBack;

/// `--checks stateful_read_back`.
pub(super) const CHECK: Check = Check(&Descriptor {
    name: "stateful_read_back",
    short: "links",
    help: "An answer carries what its links read, and linked reads give it back unchanged.",
    linked: Linked::UnlessOwnLinks,
    rule: &StatefulReadBack,
});

/// The `$response.body#` pointers an expression (or an object of them) reads.
fn pointers(expression: &Value, out: &mut Vec<String>) {
    match expression {
        Value::String(e) => {
            if let Some(p) = e.strip_prefix("$response.body#") {
                out.push(p.to_string());
            }
        }
        Value::Object(map) => map.values().for_each(|v| pointers(v, out)),
        _ => {}
    }
}

/// Whether a successful answer holds every member its links read.
fn carries_link_sources(input: &CheckInput<'_>) -> Option<Outcome> {
    let response = input.answer.ok()?;
    if !(200..300).contains(&response.status) || input.case.credentials != Credentials::Valid {
        return None;
    }
    let spec = input.op.response_for(response.status)?;
    if spec.links.is_empty() {
        return None;
    }
    let answer = serde_json::from_slice::<Value>(response.body).ok();
    let mut missing = Vec::new();
    for link in &spec.links {
        // A page link's cursor is absent from the last page, and its first item from an empty
        // one: that is how a list ends, not a lost member (`pagination_consistency` judges
        // pages).
        if link_mark(input.contract, spec, &link.name, PAGE_MARK).is_some() {
            continue;
        }
        let mut wanted = Vec::new();
        link.parameters
            .values()
            .for_each(|e| pointers(e, &mut wanted));
        if let Some(body) = &link.request_body {
            pointers(body, &mut wanted);
        }
        if let Some((source, _)) = &link.reads_back {
            wanted.push(source.clone());
        }
        for pointer in wanted {
            if answer.as_ref().and_then(|a| a.pointer(&pointer)).is_none() {
                missing.push(format!("{pointer} (link {})", link.name));
            }
        }
    }
    Some(if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the answer lacks what its links read: {}",
            missing.join(", ")
        )
        .into())
    })
}

/// `, which dropped the member(s) a, b` when an object read back without members it was
/// written with (the read-back loses what was stored, rather than showing it as it was).
fn dropped(want: &Value, got: Option<&Value>) -> String {
    let (Value::Object(want), Some(Value::Object(got))) = (want, got) else {
        return String::new();
    };
    let lost: Vec<&str> = want
        .keys()
        .filter(|k| !got.contains_key(*k))
        .map(String::as_str)
        .collect();
    if lost.is_empty() {
        String::new()
    } else {
        format!(", which dropped the member(s) {}", lost.join(", "))
    }
}

impl FuzzCheck for StatefulReadBack {
    fn check(&self, input: &CheckInput<'_>) -> Option<Outcome> {
        let Some(link) = input.link else {
            return carries_link_sources(input);
        };
        if link.freed.is_some() {
            return None;
        }
        let response = input.answer.ok()?;
        let status = response.status;
        // What was named must be found (not 404/410) and, when the answer succeeds, read back
        // unchanged; a documented business refusal is the other checks' call.
        if status == 404 || status == 410 {
            return Some(Err(format!(
                "following link {} from {} answered {status}",
                link.name, link.from
            )
            .into()));
        }
        if !(200..300).contains(&status) {
            return Some(Ok(()));
        }
        let Some((pointer, expected)) = &link.reads_back else {
            return carries_link_sources(input).or(Some(Ok(())));
        };
        let want = match expected {
            Ok(want) => want,
            Err(lacking) => return Some(Err(format!("link {}: {lacking}", link.name).into())),
        };
        let got = serde_json::from_slice::<Value>(response.body)
            .ok()
            .and_then(|v| v.pointer(pointer).cloned());
        Some(if got.as_ref() == Some(want) {
            carries_link_sources(input).unwrap_or(Ok(()))
        } else {
            Err(format!(
                "{} did not read back unchanged along link {}{}: {} written, {} read",
                if pointer.is_empty() {
                    "the object"
                } else {
                    pointer
                },
                link.name,
                dropped(want, got.as_ref()),
                want,
                got.map_or("nothing".to_string(), |g| g.to_string())
            )
            .into())
        })
    }

    fn applies_to(&self, contract: &Contract, op: &Operation) -> bool {
        is_link_target(contract, op, false) || op.responses.iter().any(|r| !r.links.is_empty())
    }
}
