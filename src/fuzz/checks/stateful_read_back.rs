//! `stateful_read_back`: following a contract link from a successful answer finds what that
//! answer created, and reads back unchanged what the link's `x-vouch-reads-back` names.
//!
//! A mock (or server) that answers every request well in isolation can still lose or alter
//! what it stored; only a sequence shows it. The sequences themselves (which links, how their
//! parameters are filled) are `fuzz::links`'; this file holds the rule applied to the linked
//! request's answer, and applies only to such requests.

use super::{CheckInput, FuzzCheck};
use crate::contract::Link;
use serde_json::Value;

pub(crate) struct StatefulReadBack;

/// What a request that follows a link must read back.
pub(crate) struct FollowedLink {
    /// Where in the linked operation's answer the value must be (`x-vouch-reads-back`).
    pointer: Option<String>,
    /// The value the earlier answer held where the link reads it from.
    expected: Option<Value>,
}

impl FollowedLink {
    /// `link` followed from `answer`, the earlier operation's successful answer.
    pub(crate) fn new(link: &Link, answer: &Value) -> Self {
        Self {
            pointer: link.reads_back.as_ref().map(|(_, to)| to.clone()),
            expected: link
                .reads_back
                .as_ref()
                .and_then(|(from, _)| answer.pointer(from).cloned()),
        }
    }
}

impl FuzzCheck for StatefulReadBack {
    fn check(&self, input: &CheckInput<'_>) -> Option<Result<(), String>> {
        let link = input.link?;
        let response = input.answer.ok()?;
        let status = response.status;
        // What was written must be found (not 404/410) and, when the answer succeeds, read
        // back unchanged; a documented business refusal is the other checks' call.
        Some(if status == 404 || status == 410 || status >= 500 {
            Err(format!("following the link answered {status}"))
        } else if !(200..300).contains(&status) {
            Ok(())
        } else {
            match (&link.pointer, &link.expected) {
                (Some(p), Some(want)) => {
                    let got = serde_json::from_slice::<Value>(response.body)
                        .ok()
                        .and_then(|v| v.pointer(p).cloned());
                    if got.as_ref() == Some(want) {
                        Ok(())
                    } else {
                        Err(format!("{p} did not read back unchanged"))
                    }
                }
                _ => Ok(()),
            }
        })
    }
}
