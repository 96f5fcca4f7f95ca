//! The Verified Network's users, brands and partners, and the seeded network.
//!
//! [verified-api-ref] § Sandbox Testing / § Development: the test brand (Hooli, the
//! public sandbox key) and the test user Richard Hendricks (phones `+10123456789` and
//! `+550123456789`, emails `richard@piedpiper.net` and `richard.hendricks@verified.inc`, static
//! OTP `111111`). His credentials are those of the 1ClickEntity Example ([verified-types]),
//! issued by ACME Lending (the issuer of the reference page's glossary).

use super::super::api::Tenant;
use super::Network;
use super::credentials::{Meta, NetCredential, birth_date_millis};
use super::people::{
    ACME_UUID, BRAND_NAME_SETTING, Brand, HOOLI_UUID, IntegrationType, Partner,
    REDIRECT_URL_SETTING, SECOND_BRAND_UUID, TRUSTED_FLAG, User,
};
use serde_json::json;
use std::sync::Arc;

fn derived_uuid(name: &str) -> String {
    let mut bytes = [0u8; 16];
    for (half, seed) in bytes
        .chunks_exact_mut(8)
        .zip([0xcbf2_9ce4_8422_2325u64, 0x8422_2325_cbf2_9ce4u64])
    {
        let mut h = seed;
        for b in name.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        half.copy_from_slice(&h.to_be_bytes());
    }
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// The seeded brands' names by tenant; a brand added by a key of its own is named as its tenant.
const SEEDED_NAMES: [(&str, &str); 3] = [
    ("hooli", "Hooli"),
    ("second-brand", "Second Brand"),
    ("acme-lending", "ACME Lending"),
];

fn default_name(tenant: &str) -> String {
    SEEDED_NAMES
        .iter()
        .find(|(t, _)| *t == tenant)
        .map_or(tenant, |(_, name)| name)
        .to_string()
}

/// The redirect URL of a brand without the `redirect-url` setting: a host of its own under
/// `.example` (RFC 2606), so a test sees which brand's it is.
fn default_redirect_url(tenant: &str) -> String {
    format!(
        "https://{}.example/verified/callback",
        tenant.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    )
}

fn brand(tenant: &str, name: &str, uuid: &str, trusted: bool) -> Brand {
    Brand {
        tenant: tenant.into(),
        name: name.into(),
        uuid: uuid.into(),
        redirect_url: default_redirect_url(tenant).into(),
        trusted,
        integration: IntegrationType::Hosted,
    }
}

impl Network {
    /// The network as every scenario starts: Hooli, the second brand and ACME Lending; Richard
    /// Hendricks with full data and Jared Dunn with partial data (no SSN); two partners.
    pub(crate) fn seeded() -> Self {
        let mut network = Network {
            users: Vec::new(),
            brands: vec![
                brand("hooli", "Hooli", HOOLI_UUID, true),
                brand("second-brand", "Second Brand", SECOND_BRAND_UUID, false),
                brand("acme-lending", "ACME Lending", ACME_UUID, false),
            ],
            partners: Vec::new(),
            derived_brands: Vec::new(),
            credentials: Default::default(),
            requests: Default::default(),
        };
        network.partners = vec![
            Partner {
                uuid: ACME_UUID.into(),
                tenant: "acme-lending".into(),
                name: "ACME Lending".into(),
                redirect_url: "https://acme-lending.example/verified/callback".into(),
                credential_requests: json!([
                    {"type": "FullNameCredential", "issuers": [], "mandatory": "yes"},
                    {"type": "SsnCredential", "issuers": [], "mandatory": "yes"},
                    {"type": "BirthDateCredential", "issuers": [], "mandatory": "yes"}
                ]),
            },
            Partner {
                uuid: SECOND_BRAND_UUID.into(),
                tenant: "second-brand".into(),
                name: "Second Brand".into(),
                redirect_url: "https://second-brand.example/verified/callback".into(),
                credential_requests: json!([
                    {"type": "FullNameCredential", "issuers": [], "mandatory": "yes",
                     "children": [{"type": "FirstNameCredential"}, {"type": "LastNameCredential"}]},
                    {"type": "EmailCredential", "issuers": [], "mandatory": "if_available"}
                ]),
            },
        ];
        network.seed_richard();
        network.seed_jared();
        network.seed_birth_date_user(&super::integration::GAVIN);
        network.seed_birth_date_user(&super::integration::ERLICH);
        network
    }

    /// Richard Hendricks: the credentials, ids, verification methods and expiration dates of
    /// [verified-types] § 1ClickEntity Example (SSN and phone get ids of their own: the
    /// example reuses the birth date's id for the SSN).
    fn seed_richard(&mut self) {
        let user = self.push_user(
            &["+10123456789", "+550123456789"],
            &["richard@piedpiper.net", "richard.hendricks@verified.inc"],
        );
        let m = |method: &str, expires: Option<i64>| Meta {
            issuer: ACME_UUID.into(),
            user,
            issued_at: 1_704_110_400_000,
            expires_at: expires,
            method: Some(method.into()),
        };
        let birth = birth_date_millis("1989-08-01")
            .unwrap_or_default()
            .to_string();
        let seeded = vec![
            NetCredential::composite(
                "c1d0a3f4-5e6b-4a7c-8d9e-0f1a2b3c4d01",
                "FullNameCredential",
                &[
                    (
                        "2e6a7b9a-e93e-43ba-98a9-c554f4e16457",
                        "FirstNameCredential",
                        "Richard",
                    ),
                    (
                        "9a5817ef-e621-4277-8c48-c8ee3776b6c4",
                        "LastNameCredential",
                        "Hendricks",
                    ),
                ],
                &m("phone_carrier", Some(1_871_839_024_044)),
            ),
            NetCredential::atomic(
                "8a1d4e35-413d-496b-b499-8810b55cfb5c",
                "EmailCredential",
                "richard@piedpiper.net",
                &m("self_attested", Some(1_871_839_024_044)),
            ),
            NetCredential::atomic(
                "b82e39cf-3bb6-4105-b9c1-bfd1ed2a4dbc",
                "EmailCredential",
                "richard@hooli.com",
                &m("credit_bureau", Some(1_885_082_680_000)),
            ),
            NetCredential::atomic(
                "d3e4f5a6-b7c8-4d9e-8f0a-1b2c3d4e5f02",
                "PhoneCredential",
                "+10123456789",
                &m("otp", None),
            ),
            NetCredential::composite(
                "c1d0a3f4-5e6b-4a7c-8d9e-0f1a2b3c4d02",
                "AddressCredential",
                &[
                    (
                        "f5a4dc93-bc06-4bb8-bd05-17b5ba912bcd",
                        "Line1Credential",
                        "5320 Newell Rd",
                    ),
                    (
                        "efd3820f-676a-4db1-b63e-695b66ed8ba0",
                        "CityCredential",
                        "Palo Alto",
                    ),
                    (
                        "b65022a2-2016-41df-88f3-252e8e3a29c5",
                        "StateCredential",
                        "CA",
                    ),
                    (
                        "b747ff84-39d8-4df9-98f9-24a465f1a9ae",
                        "ZipCodeCredential",
                        "94303",
                    ),
                    (
                        "d57a7bca-2a7c-4671-86ad-5647731cad02",
                        "CountryCredential",
                        "US",
                    ),
                ],
                &m("credit_bureau", Some(1_871_839_024_044)),
            ),
            NetCredential::composite(
                "c1d0a3f4-5e6b-4a7c-8d9e-0f1a2b3c4d03",
                "AddressCredential",
                &[
                    (
                        "6c7350bd-ea84-485b-baa8-fba3381cc859",
                        "Line1Credential",
                        "9536 Meadow Dr",
                    ),
                    (
                        "5311e2c8-67a1-4fe4-8ddb-88dc8a900915",
                        "Line2Credential",
                        "Apt 301",
                    ),
                    (
                        "c315d4ed-34c6-41a9-b7ca-c17cb4bac927",
                        "CityCredential",
                        "San Francisco",
                    ),
                    (
                        "e3774b5f-0996-4dc7-a9b3-8ad24c9a286c",
                        "StateCredential",
                        "CA",
                    ),
                    (
                        "abc2e42c-2864-4bf6-b262-05cb51416957",
                        "ZipCodeCredential",
                        "94112",
                    ),
                    (
                        "fca7d486-c99b-436e-9a92-95e221e4ba5d",
                        "CountryCredential",
                        "US",
                    ),
                ],
                &m("credit_bureau", Some(1_871_839_024_044)),
            ),
            NetCredential::composite(
                "c1d0a3f4-5e6b-4a7c-8d9e-0f1a2b3c4d04",
                "AddressCredential",
                &[
                    (
                        "afdaca85-4abe-4c0d-910d-7f48261bcbe0",
                        "Line1Credential",
                        "7292 Hanover St",
                    ),
                    (
                        "cf17d0d8-08f3-4205-82a9-812a0be747da",
                        "CityCredential",
                        "San Jose",
                    ),
                    (
                        "b1480256-bd81-4ed5-a748-62890304a2e3",
                        "StateCredential",
                        "CA",
                    ),
                    (
                        "62d14d62-bd4e-4175-8a0d-01f21a22d833",
                        "ZipCodeCredential",
                        "95122",
                    ),
                    (
                        "baff8fea-34cd-451c-9324-ca0cf1582dd7",
                        "CountryCredential",
                        "US",
                    ),
                ],
                &m("phone_carrier", Some(1_875_924_280_000)),
            ),
            NetCredential::atomic(
                "ec1ef0ce-eeed-46a4-94a9-29b46e64403d",
                "BirthDateCredential",
                &birth,
                &m("phone_carrier", None),
            ),
            NetCredential::atomic(
                "e7f8a9b0-c1d2-4e3f-8a4b-5c6d7e8f9a05",
                "SsnCredential",
                "123456789",
                &m("phone_carrier", None),
            ),
        ];
        self.credentials.seed(seeded);
    }

    /// Jared Dunn: a user with partial data (no SSN, one address without line 2).
    fn seed_jared(&mut self) {
        let user = self.push_user(&["+10123456790"], &["jared@piedpiper.net"]);
        let m = Meta {
            issuer: ACME_UUID.into(),
            user,
            issued_at: 1_704_110_400_000,
            expires_at: None,
            method: Some("credit_bureau".into()),
        };
        let birth = birth_date_millis("1985-03-12")
            .unwrap_or_default()
            .to_string();
        self.credentials.seed([
            NetCredential::composite(
                "f0e1d2c3-b4a5-4968-8776-655443322101",
                "FullNameCredential",
                &[
                    (
                        "f0e1d2c3-b4a5-4968-8776-655443322102",
                        "FirstNameCredential",
                        "Donald",
                    ),
                    (
                        "f0e1d2c3-b4a5-4968-8776-655443322103",
                        "LastNameCredential",
                        "Dunn",
                    ),
                ],
                &m,
            ),
            NetCredential::atomic(
                "f0e1d2c3-b4a5-4968-8776-655443322104",
                "EmailCredential",
                "jared@piedpiper.net",
                &m,
            ),
            NetCredential::atomic(
                "f0e1d2c3-b4a5-4968-8776-655443322105",
                "PhoneCredential",
                "+10123456790",
                &m,
            ),
            NetCredential::composite(
                "f0e1d2c3-b4a5-4968-8776-655443322106",
                "AddressCredential",
                &[
                    (
                        "f0e1d2c3-b4a5-4968-8776-655443322107",
                        "Line1Credential",
                        "1 Hacker Way",
                    ),
                    (
                        "f0e1d2c3-b4a5-4968-8776-655443322108",
                        "CityCredential",
                        "Menlo Park",
                    ),
                    (
                        "f0e1d2c3-b4a5-4968-8776-655443322109",
                        "StateCredential",
                        "CA",
                    ),
                    (
                        "f0e1d2c3-b4a5-4968-8776-655443322110",
                        "ZipCodeCredential",
                        "94025",
                    ),
                    (
                        "f0e1d2c3-b4a5-4968-8776-655443322111",
                        "CountryCredential",
                        "US",
                    ),
                ],
                &m,
            ),
            NetCredential::atomic(
                "f0e1d2c3-b4a5-4968-8776-655443322112",
                "BirthDateCredential",
                &birth,
                &m,
            ),
        ]);
    }

    fn push_user(&mut self, phones: &[&str], emails: &[&str]) -> usize {
        let user = self.users.len();
        self.users.push(User {
            phones: phones.iter().map(|s| s.to_string()).collect(),
            emails: emails.iter().map(|s| s.to_string()).collect(),
            needs_birth_date: false,
        });
        user
    }

    /// The user a userIdentifier (phone or email) names; unknown identifiers are unknown users.
    /// Emails compare case-insensitively.
    pub(crate) fn find_user(&self, identifier: &str) -> Option<usize> {
        let identifier = identifier.trim();
        self.users.iter().position(|u| {
            u.phones.iter().any(|p| p == identifier)
                || u.emails.iter().any(|e| e.eq_ignore_ascii_case(identifier))
        })
    }

    /// The user named by a phone or an email (the phone first).
    pub(crate) fn find_user_by(&self, email: Option<&str>, phone: Option<&str>) -> Option<usize> {
        phone
            .and_then(|p| self.find_user(p))
            .or_else(|| email.and_then(|e| self.find_user(e)))
    }

    /// Issuing to identifiers nobody has yet adds a user to the network.
    pub(crate) fn add_user(&mut self, email: Option<&str>, phone: Option<&str>) -> usize {
        let user = self.users.len();
        self.users.push(User {
            phones: Vec::new(),
            emails: Vec::new(),
            needs_birth_date: false,
        });
        self.add_identifiers(user, email, phone);
        user
    }

    /// Identifiers given with an issue that no other user has are added to the user's.
    pub(crate) fn add_identifiers(
        &mut self,
        user: usize,
        email: Option<&str>,
        phone: Option<&str>,
    ) {
        if let Some(p) = phone
            && self.find_user(p).is_none()
            && let Some(u) = self.users.get_mut(user)
        {
            u.phones.push(p.to_string());
        }
        if let Some(e) = email
            && self.find_user(e).is_none()
            && let Some(u) = self.users.get_mut(user)
        {
            u.emails.push(e.to_string());
        }
    }

    /// The brand of a tenant. A tenant added with `--credential verified:NAME=KEY` becomes a
    /// brand named after it, with a stable uuid and no trusted 1-Click.
    pub(crate) fn brand(&mut self, tenant: &Arc<Tenant>) -> Arc<Brand> {
        if let Some(derived) = self.derived_brand(tenant) {
            return derived;
        }
        let b = self.brand_of(tenant);
        match self
            .brands
            .iter_mut()
            .find(|known| known.tenant == tenant.name)
        {
            Some(known) if *known == b => {}
            Some(known) => *known = b.clone(),
            None => self.brands.push(b.clone()),
        }
        let b = Arc::new(b);
        self.derived_brands.retain(|(t, _)| t.name != tenant.name);
        self.derived_brands.push((tenant.clone(), b.clone()));
        b
    }

    /// The calling brand when [`brand`](Self::brand) has already derived it from this tenant
    /// (nothing for it to write): a read-only operation then needs no write lock. A tenant's
    /// first call takes the write lock once, to note it; deriving the brand on every call
    /// instead cost five copies per request of a tenant that only ever reads (issue #24).
    pub(crate) fn known_brand(&self, tenant: &Arc<Tenant>) -> Option<Arc<Brand>> {
        self.derived_brand(tenant)
    }

    /// The brand [`brand`](Self::brand) last derived from this very tenant (the same `Arc`):
    /// a tenant never changes once made (a key re-set with `POST /__admin/tenants` is a new
    /// one), and a brand's own members (tenant, uuid) change only with a reset, which makes a
    /// new network. So every call but a tenant's first costs no copy (issue #24).
    fn derived_brand(&self, tenant: &Arc<Tenant>) -> Option<Arc<Brand>> {
        self.derived_brands
            .iter()
            .find(|(t, _)| Arc::ptr_eq(t, tenant))
            .map(|(_, b)| b.clone())
    }

    /// The brand a tenant stands for, with its settings.
    fn brand_of(&self, tenant: &Tenant) -> Brand {
        let mut b = match self.brands.iter().find(|b| b.tenant == tenant.name) {
            Some(known) => known.clone(),
            None => brand(
                &tenant.name,
                &tenant.name,
                &derived_uuid(&tenant.name),
                false,
            ),
        };
        // The Dashboard settings come with the calling key's tenant, so a key re-set with
        // `POST /__admin/tenants` takes effect at its next call; without one, the seeded value.
        b.trusted = tenant.has(TRUSTED_FLAG);
        b.integration = IntegrationType::of(tenant);
        b.redirect_url = tenant
            .setting(REDIRECT_URL_SETTING)
            .map_or_else(|| default_redirect_url(&tenant.name).into(), Into::into);
        b.name = tenant
            .setting(BRAND_NAME_SETTING)
            .map_or_else(|| default_name(&tenant.name), str::to_string);
        b
    }

    pub(crate) fn partner(&self, uuid: &str) -> Option<&Partner> {
        self.partners
            .iter()
            .find(|p| p.uuid.eq_ignore_ascii_case(uuid))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_user_is_found_by_each_identifier() {
        let n = Network::seeded();
        let richard = n.find_user("+10123456789").unwrap();
        for id in [
            "+550123456789",
            "richard@piedpiper.net",
            "RICHARD.HENDRICKS@verified.inc",
        ] {
            assert_eq!(n.find_user(id), Some(richard), "{id}");
        }
        assert_eq!(n.find_user("+19999999999"), None);
        assert_eq!(n.find_user("nobody@example.com"), None);
    }

    #[test]
    fn derived_brand_uuids_are_stable_uuids() {
        let a = derived_uuid("acme");
        assert_eq!(a, derived_uuid("acme"));
        assert_ne!(a, derived_uuid("other"));
        assert!(uuid::Uuid::parse_str(&a).is_ok());
    }

    #[test]
    fn jared_has_no_ssn() {
        let n = Network::seeded();
        let jared = n.find_user("jared@piedpiper.net").unwrap();
        assert!(
            n.usable_credentials(jared, 0)
                .iter()
                .all(|c| c.ty != "SsnCredential")
        );
    }
}
