//! `content_type_conformance`: the answer's `Content-Type` is one the contract documents for
//! its status (the validator's violations at `/headers/content-type`).
//!
//! It applies only to documented statuses: for an undocumented one there is no content to
//! conform to, and `status_code_conformance` already fails.

use super::{Check, CheckInput, Descriptor, FuzzCheck, Linked, Outcome};

pub(crate) struct ContentTypeConformance;

/// `--checks content_type_conformance`.
pub(super) const CHECK: Check = Check(&Descriptor {
    name: "content_type_conformance",
    short: "ctype",
    help: "The Content-Type is documented for that status.",
    linked: Linked::AnyCase,
    rule: &ContentTypeConformance,
});

impl FuzzCheck for ContentTypeConformance {
    fn check(&self, input: &CheckInput<'_>) -> Option<Outcome> {
        input
            .documented
            .then(|| input.violations_at(|pointer| pointer == "/headers/content-type"))
    }
}
