//! The brand's integration type (Hosted, Semi-Hosted, Non-Hosted), the brands seeded for each,
//! and the seeded user who needs a birth date before their data can be sourced.
//!
//! verified-types.txt and the v2 integration guide (VerifiedInc.github.io
//! `versioned_docs/version-2/1-click-signup/integration-guide.mdx` l.89-131): "The most
//! important brand setting is integration type"; it is set in the Dashboard, whose default is
//! Hosted (`quick-start-guide.mdx` l.47). The /v2 API answers by it alone
//! (contracts/research/verified-v2.md § 2); the unversioned API keeps the `isHosted` flag of
//! verified-api-reference.txt § 1-Click. In the mock the type is a tenant flag, so
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
    /// Gavin Belson: a user the phone alone does not identify (OCE011 naming `birthDate`
    /// until the brand gives his birth date, 1989-08-01 like every vendor test user).
    pub(super) fn seed_gavin(&mut self) {
        let user = self.users.len();
        self.users.push(User {
            phones: vec![BIRTH_DATE_USER_PHONE.into()],
            emails: vec!["gavin@hooli.com".into()],
            needs_birth_date: true,
        });
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
                "4b1f6c2e-7d3a-4e5b-9c8d-1a2b3c4d5e01",
                "FullNameCredential",
                &[
                    (
                        "4b1f6c2e-7d3a-4e5b-9c8d-1a2b3c4d5e02",
                        "FirstNameCredential",
                        "Gavin",
                    ),
                    (
                        "4b1f6c2e-7d3a-4e5b-9c8d-1a2b3c4d5e03",
                        "LastNameCredential",
                        "Belson",
                    ),
                ],
                &m,
            ),
            NetCredential::atomic(
                "4b1f6c2e-7d3a-4e5b-9c8d-1a2b3c4d5e04",
                "PhoneCredential",
                BIRTH_DATE_USER_PHONE,
                &m,
            ),
            NetCredential::composite(
                "4b1f6c2e-7d3a-4e5b-9c8d-1a2b3c4d5e05",
                "AddressCredential",
                &[
                    (
                        "4b1f6c2e-7d3a-4e5b-9c8d-1a2b3c4d5e06",
                        "Line1Credential",
                        "1 Hooli Way",
                    ),
                    (
                        "4b1f6c2e-7d3a-4e5b-9c8d-1a2b3c4d5e07",
                        "CityCredential",
                        "Palo Alto",
                    ),
                    (
                        "4b1f6c2e-7d3a-4e5b-9c8d-1a2b3c4d5e08",
                        "StateCredential",
                        "CA",
                    ),
                    (
                        "4b1f6c2e-7d3a-4e5b-9c8d-1a2b3c4d5e09",
                        "ZipCodeCredential",
                        "94301",
                    ),
                    (
                        "4b1f6c2e-7d3a-4e5b-9c8d-1a2b3c4d5e10",
                        "CountryCredential",
                        "US",
                    ),
                ],
                &m,
            ),
            NetCredential::atomic(
                "4b1f6c2e-7d3a-4e5b-9c8d-1a2b3c4d5e11",
                "BirthDateCredential",
                &birth,
                &private,
            ),
            NetCredential::atomic(
                "4b1f6c2e-7d3a-4e5b-9c8d-1a2b3c4d5e12",
                "SsnCredential",
                "987654321",
                &private,
            ),
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
        assert!(!n.needs_birth_date(n.find_user("+10123456789").unwrap()));
    }
}
