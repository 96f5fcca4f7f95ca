//! `positive_data_acceptance`: a case valid by the contract, with valid credentials, is
//! accepted: a 2xx, or a documented 4xx that is a business answer (an unknown id, a state
//! conflict, ...).
//!
//! Not any 4xx: 401, 403, 405, 406, 413 and 415 say the request itself was refused (its
//! credential, method, accepted types, size or content type), which a valid request must never
//! be, even where the contract documents those statuses.

use super::{CheckInput, FuzzCheck};
use crate::fuzz::cases::Credentials;

pub(crate) struct PositiveDataAcceptance;

/// Statuses that refuse the request as such rather than answer it.
const REFUSED: [u16; 6] = [401, 403, 405, 406, 413, 415];

impl FuzzCheck for PositiveDataAcceptance {
    fn check(&self, input: &CheckInput<'_>) -> Option<Result<(), String>> {
        if input.case.credentials != Credentials::Valid || !input.case.positive {
            return None;
        }
        let status = input.status()?;
        let ok = (200..300).contains(&status)
            || ((400..500).contains(&status) && input.documented && !REFUSED.contains(&status));
        Some(if ok {
            Ok(())
        } else {
            Err(format!("a valid request answered {status}"))
        })
    }
}
