//! The brand's integration type (Hosted, Semi-Hosted, Non-Hosted), the brands seeded for each,
//! and the seeded user who needs a birth date before their data can be sourced.
//!
//! [verified-types] and the v2 integration guide (VerifiedInc.github.io
//! `versioned_docs/version-2/1-click-signup/integration-guide.mdx` l.89-131): "The most
//! important brand setting is integration type"; it is set in the Dashboard, whose default is
//! Hosted (`quick-start-guide.mdx` l.47). The /v2 API answers by it alone
//! (contracts/research/verified-v2.md § 2); the unversioned API keeps the `isHosted` flag of
//! [verified-api-ref] § 1-Click. In the mock the type is a tenant flag, so
//! `--credential verified:NAME,semi-hosted=KEY` and `POST /__admin/tenants` set it.

use super::super::api::{Credential, Tenant, set_member};
use super::Network;
use super::credentials::{Meta, NetCredential, birth_date_millis};
use super::people::{ACME_UUID, IntegrationType, User};
use serde_json::{Value, json};

/// The tenant flag of a Hosted brand (also the type of a brand without a flag).
pub const HOSTED_FLAG: &str = "hosted";
/// The tenant flag of a Semi-Hosted brand.
pub const SEMI_HOSTED_FLAG: &str = "semi-hosted";
/// The tenant flag of a Non-Hosted brand.
pub const NON_HOSTED_FLAG: &str = "non-hosted";

/// The key of the seeded Semi-Hosted brand.
pub const SEMI_HOSTED_API_KEY: &str = "vouch-verified-semi-hosted-key";
/// The key of the seeded Non-Hosted brand.
pub const NON_HOSTED_API_KEY: &str = "vouch-verified-non-hosted-key";

/// The phone of the seeded user who needs a birth date (OCE011), modelled on the vendor's
/// test user `+10019999997` (VerifiedInc.github.io `versioned_docs/version-2.0/1-click-signup/
/// api-reference/test-users.mdx` l.146-171).
pub const BIRTH_DATE_USER_PHONE: &str = "+10019999997";

/// A seeded user who needs a birth date (`Network::seed_birth_date_user`).
pub(super) struct BirthDateUser {
    pub phone: &'static str,
    pub email: &'static str,
    pub first: &'static str,
    pub last: &'static str,
    pub line1: &'static str,
    pub ssn: &'static str,
    /// The seeded credentials' ids: this and two digits.
    pub id_prefix: &'static str,
}

/// Gavin Belson, the vendor's 2025 test user `+10019999997` ("Phone and Birth Date").
pub(super) const GAVIN: BirthDateUser = BirthDateUser {
    phone: BIRTH_DATE_USER_PHONE,
    email: "gavin@hooli.com",
    first: "Gavin",
    last: "Belson",
    line1: "1 Hooli Way",
    ssn: "987654321",
    id_prefix: "4b1f6c2e-7d3a-4e5b-9c8d-1a2b3c4d5e",
};

/// The number Verified's example app shows developers for "Phone and Birth Date Inputs"
/// (`VerifiedInc/one-click-signup-example-app` at 134fd24 through `@verifiedinc-public/
/// shared-ui-elements` 1.2.0 `TestPhoneNumbersBanner`; before, its own
/// `src/components/signup/TestPhoneNumbersBanner.tsx`); the docs' "Phone and Birth Date
/// and/or SSN4" test user (DOCS-v2.0 `api-reference/test-users.mdx` l.117-144). The docs
/// give no name: Erlich Bachman is vouch's (contracts/NOTES.md § 1-Click v2).
pub(super) const APP_BIRTH_DATE_USER_PHONE: &str = "+10019999999";

pub(super) const ERLICH: BirthDateUser = BirthDateUser {
    phone: APP_BIRTH_DATE_USER_PHONE,
    email: "erlich@aviato.com",
    first: "Erlich",
    last: "Bachman",
    line1: "5230 Newell Rd",
    ssn: "555016789",
    id_prefix: "5c2a7d3f-8e4b-4f6c-8d9e-2b3c4d5e6f",
};

impl IntegrationType {
    /// The type a tenant's flags give (Hosted, the Dashboard default, without a flag).
    pub(crate) fn of(tenant: &Tenant) -> Self {
        if tenant.has(NON_HOSTED_FLAG) {
            Self::NonHosted
        } else if tenant.has(SEMI_HOSTED_FLAG) {
            Self::SemiHosted
        } else {
            Self::Hosted
        }
    }

    /// The default credential requests of a /v2 1-Click: Hosted ones let the user type data
    /// and ask for every address (`reusables/default-credential-requests-hosted.mdx`), the
    /// others ask for one address and no user input (`...-not-hosted.mdx`).
    pub(crate) fn default_credential_requests(self) -> Value {
        let hosted = self == Self::Hosted;
        let request = |ty: &str, children: &[&str], multi: bool| {
            let mut r = json!({"type": ty, "mandatory": "no"});
            if !children.is_empty() {
                let children: Vec<Value> = children.iter().map(|c| json!({"type": c})).collect();
                set_member(&mut r, "children", Value::Array(children));
            }
            if hosted {
                set_member(&mut r, "allowUserInput", json!(true));
                if multi {
                    set_member(&mut r, "multi", json!(true));
                }
            }
            r
        };
        json!([
            request(
                "FullNameCredential",
                &[
                    "FirstNameCredential",
                    "MiddleNameCredential",
                    "LastNameCredential"
                ],
                false
            ),
            request("EmailCredential", &[], false),
            request("PhoneCredential", &[], false),
            request(
                "AddressCredential",
                &[
                    "Line1Credential",
                    "Line2Credential",
                    "CityCredential",
                    "StateCredential",
                    "ZipCodeCredential",
                    "CountryCredential"
                ],
                true
            ),
            request("BirthDateCredential", &[], false),
            request("SsnCredential", &[], false)
        ])
    }
}

/// One seeded brand per integration type besides Hooli (Hosted): their keys.
pub(super) fn seeded_credentials() -> Vec<Credential> {
    vec![
        Credential {
            secret: SEMI_HOSTED_API_KEY.into(),
            tenant: Tenant::new("semi-hosted-brand").with_flag(SEMI_HOSTED_FLAG),
        },
        Credential {
            secret: NON_HOSTED_API_KEY.into(),
            tenant: Tenant::new("non-hosted-brand").with_flag(NON_HOSTED_FLAG),
        },
    ]
}

impl Network {
    /// A user the phone alone does not identify (OCE011 naming `birthDate` until the brand
    /// gives the birth date, 1989-08-01 like every vendor test user, SSN ending 6789 like
    /// their SSN4): full name, phone, one address, birth date and SSN from ACME Lending.
    pub(super) fn seed_birth_date_user(&mut self, who: &BirthDateUser) {
        let user = self.users.len();
        self.users.push(User {
            phones: vec![who.phone.into()],
            emails: vec![who.email.into()],
            needs_birth_date: true,
        });
        let id = |n: u8| format!("{}{n:02}", who.id_prefix);
        let meta = |method: &str| Meta {
            issuer: ACME_UUID.into(),
            user,
            issued_at: 1_704_110_400_000,
            expires_at: None,
            method: Some(method.into()),
        };
        let m = meta("credit_bureau");
        // Values in metadata under a sensitive key (`verificationMethod.birthDate`) are
        // scrubbed from reports everywhere they appear: the birth date and SSN are verified
        // the way Richard's are, so no new ordinary word joins the scrubbed values.
        let private = meta("phone_carrier");
        let birth = birth_date_millis("1989-08-01")
            .unwrap_or_default()
            .to_string();
        self.credentials.seed([
            NetCredential::composite(
                &id(1),
                "FullNameCredential",
                &[
                    (&id(2), "FirstNameCredential", who.first),
                    (&id(3), "LastNameCredential", who.last),
                ],
                &m,
            ),
            NetCredential::atomic(&id(4), "PhoneCredential", who.phone, &m),
            NetCredential::composite(
                &id(5),
                "AddressCredential",
                &[
                    (&id(6), "Line1Credential", who.line1),
                    (&id(7), "CityCredential", "Palo Alto"),
                    (&id(8), "StateCredential", "CA"),
                    (&id(9), "ZipCodeCredential", "94301"),
                    (&id(10), "CountryCredential", "US"),
                ],
                &m,
            ),
            NetCredential::atomic(&id(11), "BirthDateCredential", &birth, &private),
            NetCredential::atomic(&id(12), "SsnCredential", who.ssn, &private),
        ]);
    }

    /// Whether the user's phone alone is not enough to source their data (OCE011).
    pub(super) fn needs_birth_date(&self, user: usize) -> bool {
        self.users.get(user).is_some_and(|u| u.needs_birth_date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_comes_from_the_flags_and_defaults_to_hosted() {
        assert_eq!(
            IntegrationType::of(&Tenant::new("a")),
            IntegrationType::Hosted
        );
        for c in seeded_credentials() {
            assert_ne!(IntegrationType::of(&c.tenant), IntegrationType::Hosted);
        }
        let hosted = IntegrationType::Hosted.default_credential_requests();
        let other = IntegrationType::NonHosted.default_credential_requests();
        assert_eq!(hosted[3]["multi"], true);
        assert!(other[3].get("multi").is_none());
        assert!(other[0].get("allowUserInput").is_none());
    }

    #[test]
    fn gavin_needs_a_birth_date_richard_does_not() {
        let n = Network::seeded();
        let gavin = n.find_user(BIRTH_DATE_USER_PHONE).unwrap();
        assert!(n.needs_birth_date(gavin));
        let erlich = n.find_user(APP_BIRTH_DATE_USER_PHONE).unwrap();
        assert!(n.needs_birth_date(erlich));
        assert_ne!(erlich, gavin);
        assert!(!n.needs_birth_date(n.find_user("+10123456789").unwrap()));
    }
}
