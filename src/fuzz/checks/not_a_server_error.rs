//! `not_a_server_error`: the target answered, and not with a 5xx.
//!
//! Whatever a case sends, however malformed, a server that honours its contract answers it;
//! a 5xx or a dropped connection is a defect no documented status excuses. It applies to every
//! case, and it is the only check with something to say when there was no answer at all.

use super::{Check, CheckInput, Descriptor, FuzzCheck, Linked, Outcome};

pub(crate) struct NotAServerError;

/// `--checks not_a_server_error`.
pub(super) const CHECK: Check = Check(&Descriptor {
    name: "not_a_server_error",
    short: "5xx",
    help: "No 5xx, and an answer at all.",
    linked: Linked::AnyCase,
    rule: &NotAServerError,
});

impl FuzzCheck for NotAServerError {
    fn check(&self, input: &CheckInput<'_>) -> Option<Outcome> {
        Some(match input.answer {
            Err(e) => Err(format!("no response: {e}").into()),
            Ok(response) if response.status >= 500 => {
                Err(format!("status {}", response.status).into())
            }
            Ok(_) => Ok(()),
        })
    }
}
