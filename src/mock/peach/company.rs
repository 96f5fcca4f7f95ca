//! A Peach company (one per credential) and its seeded config.
//!
//! [peach-verification-types] § Create verification type, "Using with CRM App UI": the
//! company config value `config.borrowerVerification.crmDefaultTypeId` names the verification
//! type to use, "e.g., config.borrowerVerification.crmDefaultTypeId = "VT-7RKX-OKQZ"", and
//! SUPPLEMENT.md § Peach: when `verificationTypeId` is omitted from
//! `POST /people/{personId}/verifications` "the company default ... applies". The docs give no
//! way to read or set the config, so the mock seeds every company with one verification type
//! (the documented defaults) and makes it the default (contracts/NOTES.md § Peach, Mock
//! behaviour; listed in features/peach/README.md).

use super::super::clock::Instant;
use super::person_verifications::PersonVerifications;
use super::verification_types::{VerificationTypes, new_id};

/// The default test company's `crmDefaultTypeId`: the page's own example id.
pub const TEST_COMPANY_DEFAULT_TYPE: &str = "VT-7RKX-OKQZ";
/// The second test company's `crmDefaultTypeId`.
pub const SECOND_COMPANY_DEFAULT_TYPE: &str = "VT-2SEC-DFLT";

/// One company's data.
#[derive(Debug)]
pub(super) struct Company {
    pub verification_types: VerificationTypes,
    pub person_verifications: PersonVerifications,
    /// `config.borrowerVerification.crmDefaultTypeId`.
    pub crm_default_type_id: String,
}

impl Company {
    /// A company as the mock seeds it: one verification type, which is the CRM default.
    /// Companies added with `--credential` get a generated id.
    pub(super) fn seeded(tenant: &str, now: Instant) -> Self {
        let default_type = match tenant {
            super::TEST_COMPANY => TEST_COMPANY_DEFAULT_TYPE.to_string(),
            super::SECOND_COMPANY => SECOND_COMPANY_DEFAULT_TYPE.to_string(),
            _ => new_id("VT"),
        };
        let mut verification_types = VerificationTypes::default();
        verification_types.seed(&default_type, now);
        Self {
            verification_types,
            person_verifications: PersonVerifications::default(),
            crm_default_type_id: default_type,
        }
    }
}
