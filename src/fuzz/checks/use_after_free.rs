//! `use_after_free`: once a link of the sequence has freed a resource (revoked, deleted:
//! `x-vouch-frees` on the link, see `checks::link`), reading it again is not served as live:
//! 404 or 410, or, where the contract says a freed resource still reads (`readsAs`), a 2xx
//! that shows it freed (`/status` is `revoked`).
//!
//! Schemathesis' check of the same name knows DELETE only; identity APIs revoke rather than
//! delete, and a revoked credential served as active is the defect that matters.

use super::{Check, CheckInput, Descriptor, FuzzCheck, Linked, Outcome, is_read_after_free};
use crate::contract::{Contract, Operation};
use serde_json::Value;

pub(crate) struct UseAfterFree;

/// `--checks use_after_free`.
pub(super) const CHECK: Check = Check(&Descriptor {
    name: "use_after_free",
    short: "freed",
    help: "What a link revoked or deleted is not served as live afterwards.",
    linked: Linked::Only,
    rule: &UseAfterFree,
});

impl FuzzCheck for UseAfterFree {
    fn check(&self, input: &CheckInput<'_>) -> Option<Outcome> {
        let freed = input.link?.freed.as_ref()?;
        let response = input.answer.ok()?;
        let status = response.status;
        let gone = status == 404 || status == 410;
        Some(match &freed.reads_as {
            None if gone => Ok(()),
            None => Err(format!(
                "answered {status} for a resource freed by link {} (expected 404 or 410)",
                freed.by
            )
            .into()),
            Some(_) if gone => Ok(()),
            Some((pointer, want)) if (200..300).contains(&status) => {
                let got = serde_json::from_slice::<Value>(response.body)
                    .ok()
                    .and_then(|v| v.pointer(pointer).cloned());
                if got.as_ref() == Some(want) {
                    Ok(())
                } else {
                    Err(format!(
                        "served as live after link {} freed it: {pointer} is {}, not {want}",
                        freed.by,
                        got.map_or("missing".to_string(), |g| g.to_string())
                    )
                    .into())
                }
            }
            // Another refusal is the other checks' call.
            Some(_) => Ok(()),
        })
    }

    fn applies_to(&self, contract: &Contract, op: &Operation) -> bool {
        is_read_after_free(contract, op)
    }
}
