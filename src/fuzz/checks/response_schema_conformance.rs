//! `response_schema_conformance`: the answer's body, and its documented headers other than
//! `Content-Type`, match the schemas the contract gives for its status (the validator's
//! violations under `/body` and `/headers/`).
//!
//! `Content-Type` is `content_type_conformance`'s, so one wrong header fails one check. Like
//! that check it applies only to documented statuses, which are the ones with a schema.

use super::{CheckInput, FuzzCheck};

pub(crate) struct ResponseSchemaConformance;

impl FuzzCheck for ResponseSchemaConformance {
    fn check(&self, input: &CheckInput<'_>) -> Option<Result<(), String>> {
        input.documented.then(|| {
            input.violations_at(|pointer| {
                pointer.starts_with("/body")
                    || (pointer.starts_with("/headers/") && pointer != "/headers/content-type")
            })
        })
    }
}
