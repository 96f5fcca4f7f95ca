//! `response_schema_conformance`: the answer's body matches the schema the contract gives for
//! its status and content type (the validator's violations under `/body`).
//!
//! `Content-Type` is `content_type_conformance`'s and the other headers are
//! `response_headers_conformance`'s, so one wrong header fails one check. It applies only to
//! documented statuses, which are the ones with a schema.

use super::{Check, CheckInput, Descriptor, FuzzCheck, Linked, Outcome};

pub(crate) struct ResponseSchemaConformance;

/// `--checks response_schema_conformance`.
pub(super) const CHECK: Check = Check(&Descriptor {
    name: "response_schema_conformance",
    short: "schema",
    help: "The body matches the documented schema.",
    linked: Linked::AnyCase,
    rule: &ResponseSchemaConformance,
});

impl FuzzCheck for ResponseSchemaConformance {
    fn check(&self, input: &CheckInput<'_>) -> Option<Outcome> {
        input
            .documented
            .then(|| input.violations_at(|pointer| pointer.starts_with("/body")))
    }
}
