//! `auth_required`: a case sent without a credential, or with a wrong one, is answered 401.
//!
//! Such a case is the positive one minus its credential, so anything but 401 means the
//! credential was not what decided the answer: the operation is open (a 2xx), or it judges
//! the request before the caller. It applies to the unauthenticated cases only.

use super::{CheckInput, FuzzCheck};
use crate::fuzz::cases::Credentials;

pub(crate) struct AuthRequired;

impl FuzzCheck for AuthRequired {
    fn check(&self, input: &CheckInput<'_>) -> Option<Result<(), String>> {
        if input.case.credentials == Credentials::Valid {
            return None;
        }
        let status = input.status()?;
        Some(if status == 401 {
            Ok(())
        } else {
            Err(format!("{} answered {status}, not 401", input.case.label))
        })
    }
}
