//! `status_code_conformance`: the answer's status is one the contract documents for the
//! operation (an exact code, a range such as `4XX`, or `default`).
//!
//! A client can only handle the statuses it was told about; an undocumented one is a contract
//! break even when it is a sensible status.

use super::{CheckInput, FuzzCheck};

pub(crate) struct StatusCodeConformance;

impl FuzzCheck for StatusCodeConformance {
    fn check(&self, input: &CheckInput<'_>) -> Option<Result<(), String>> {
        let status = input.status()?;
        Some(if input.documented {
            Ok(())
        } else {
            Err(format!(
                "status {status} is not documented for {}",
                input.op.id
            ))
        })
    }
}
