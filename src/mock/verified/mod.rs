//! Verified Inc. core API ([verified-api-ref], [verified-types], SUPPLEMENT.md
//! § Verified Inc.): a stateful Verified Network behind the documented endpoints.
//!
//! One file per concept, in the vendor's vocabulary:
//! - `network_users`: users, brands, partners and the seeded network (the test user Richard
//!   Hendricks, a user with partial data, the test brand Hooli);
//! - `credentials`: credential types, value formats, issue / patch / get, per-user lists;
//! - `matching`: credential requests against a user's credentials, /hasMatchingCredentials,
//!   shared credentials, partner credential requests; `credential_request`: a credential
//!   request as matching reads it, a `Value` or the request body in place;
//! - `one_click`: hosted, non-hosted and trusted 1-Click, the 1ClickEntity, updates;
//! - `integration`: the brand's integration type (Hosted, Semi-Hosted, Non-Hosted);
//! - `one_click_v2`: 1-Click v2 under `/v2`, answering by the brand's integration type;
//! - `wallet`: the user's side (the Web Wallet pages the `url`s point at);
//! - `wallet_pages`: the same pages as HTML, for a browser; `semi_hosted_page`: a stand-in
//!   for a Semi-Hosted brand's own code-entry page;
//! - `edits`: what a user or brand types over the data (wallet share, Update 1-Click Credentials);
//! - `errors`: the FeathersJS error body and the OCE codes;
//! - `firewall`: the firewall in front of the API (403, 418, 429 in its own body).
//!
//! Brands are tenants: 1-Clicks, shared credentials and issued credentials are seen only by
//! the brand they belong to; users and their credentials are the network's, so any brand can
//! match against them.

mod check_user_credentials;
mod credential_request;
mod credentials;
mod edits;
mod errors;
mod firewall;
mod ids;
mod integration;
mod matching;
mod network_users;
mod one_click;
mod one_click_v2;
mod people;
mod requests;
mod retention;
mod semi_hosted_page;
mod wallet;
mod wallet_pages;

use super::api::{
    Credential, ErrorContext, MockApi, MockError, MockRequest, MockResponse, Operations, Tenant,
    UnroutedRequest,
};
use super::retention::Retained;
use crate::contract::{SecurityScheme, Violation};
use check_user_credentials::Matching;
use credentials::NetCredential;
use http::HeaderMap;
use people::{Brand, Partner, TRUSTED_FLAG, User};
use requests::WalletRequest;
use std::borrow::Cow;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

pub use firewall::{BLOCKED_API_KEY, RATE_LIMITED_API_KEY};
pub use integration::{
    BIRTH_DATE_USER_PHONE, HOSTED_FLAG, NON_HOSTED_API_KEY, NON_HOSTED_FLAG, SEMI_HOSTED_API_KEY,
    SEMI_HOSTED_FLAG,
};
pub use people::{
    ACME_UUID, BRAND_NAME_SETTING, HOOLI_UUID, REDIRECT_URL_SETTING, SECOND_BRAND_UUID, TEST_CODE,
    VERIFIED_UUID,
};

/// The public sandbox key printed in the reference page (§ Sandbox Testing): brand Hooli.
pub const SANDBOX_API_KEY: &str = "yVg3LEnF08y0MDmpHcPxB+sZWFcDARmPRKdY2M906ng=";
/// A second brand, for isolation tests.
pub const SECOND_BRAND_API_KEY: &str = "vouch-verified-second-brand-key";

/// Everything in the mock's Verified Network.
#[derive(Debug)]
pub(crate) struct Network {
    users: Vec<User>,
    brands: Vec<Brand>,
    partners: Vec<Partner>,
    /// The brand each tenant last called as, by the tenant itself (`Network::brand`).
    derived_brands: Vec<(std::sync::Arc<Tenant>, std::sync::Arc<Brand>)>,
    /// Every issued credential (composites carry their children), the seeded ones first.
    credentials: Retained<NetCredential>,
    /// 1-Clicks and /hasMatchingCredentials requests, forgotten on the mock clock
    /// (`retention`).
    /// Boxed: a request is a few hundred bytes, and it is moved in when made and out when it
    /// makes room for a newer one (issue #24: the copies were a share of every kept request).
    requests: Retained<Box<WalletRequest>>,
}

/// A fresh uuid (credential ids, 1-Click uuids, wallet ids). Drawn from a thread-local
/// generator seeded by the OS (uuid's `fast-rng`), not a system call per id, and written
/// without the formatter's growing buffer: two of them on every kept request (issue #24).
pub(crate) fn new_id() -> String {
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    uuid::Uuid::new_v4()
        .hyphenated()
        .encode_lower(&mut text)
        .to_owned()
}

/// The Verified Inc. mock ([`MockApi`] `verified`): one seeded Verified Network of users,
/// brands, partners, credentials and 1-Clicks, shared by every brand (the tenants).
///
/// The network is behind a read-write lock: the operations that only read it (the GETs of
/// `READS`) run side by side; the others hold it alone, and only for the call (issue #24).
#[derive(Debug)]
pub struct Verified {
    network: RwLock<Network>,
}

impl Default for Verified {
    fn default() -> Self {
        Self {
            network: RwLock::new(Network::seeded()),
        }
    }
}

impl Verified {
    /// The network, held only for the duration of one call (never across an `.await`).
    fn network(&self) -> RwLockWriteGuard<'_, Network> {
        self.network.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The network to read, held as [`network`](Self::network) is.
    fn reading(&self) -> RwLockReadGuard<'_, Network> {
        self.network.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// A Verified handler that only reads the network.
type ReadHandler = fn(&Network, &Brand, &MockRequest) -> Result<MockResponse, MockError>;

/// The operations that change nothing, answered under the read lock when the calling brand is
/// already known as it is (the same handlers as in [`OPERATIONS`]).
const READS: Operations<ReadHandler> = Operations::new(&[
    ("getCredential", |network, brand, request| {
        network.get_credential(brand, request)
    }),
    ("getUserCredentials", |network, brand, request| {
        network.get_user_credentials(brand, request)
    }),
]);

/// A Verified handler: the network, the calling brand, the request.
type BrandHandler = fn(&mut Network, &Brand, &MockRequest) -> Result<MockResponse, MockError>;

/// Every operation, by the reference's sections ([verified-api-ref]).
const OPERATIONS: Operations<BrandHandler> = Operations::new(&[
    // § 1-Click
    ("createOneClick", Network::create_one_click),
    // § Trusted 1-Click
    ("createTrustedOneClick", Network::create_trusted_one_click),
    // § Get 1-Click Credentials
    ("getOneClick", Network::get_one_click),
    // § Update 1-Click Credentials
    (
        "updateOneClickCredentials",
        Network::update_one_click_credentials,
    ),
    // § Check User Credentials
    ("hasMatchingCredentials", Network::has_matching_credentials),
    // § Get Shared Credentials
    ("getSharedCredentials", Network::get_shared_credentials),
    // § Get Partner Credential Requests (a partner's, whichever brand asks)
    ("getPartnerCredentialRequests", |network, _, request| {
        network.get_partner_credential_requests(request)
    }),
    // § Issue Credentials
    ("issueCredentials", Network::issue_credentials),
    // § Patch Credential
    ("patchCredential", Network::patch_credential),
    // § Get Credential
    ("getCredential", |network, brand, request| {
        network.get_credential(brand, request)
    }),
    // § Patch All User Credentials
    ("patchUserCredentials", Network::patch_user_credentials),
    // § Get All User Credentials
    ("getUserCredentials", |network, brand, request| {
        network.get_user_credentials(brand, request)
    }),
    // 1-Click v2 (contracts/research/verified-v2.md § 3)
    ("createOneClickV2", Network::create_one_click_v2),
    ("getOneClickV2", Network::get_one_click_v2),
    ("patchOneClickV2", Network::patch_one_click_v2),
]);

impl MockApi for Verified {
    fn id(&self) -> &'static str {
        "verified"
    }

    /// Hooli (the sandbox key; Hosted, the Dashboard default) may use Trusted 1-Click; the
    /// second brand may not. Then one brand per other integration type, and the keys only the
    /// firewall answers (blocked, rate-limited).
    fn default_credentials(&self) -> Vec<Credential> {
        let mut credentials = vec![
            Credential {
                secret: SANDBOX_API_KEY.into(),
                tenant: Tenant::new("hooli")
                    .with_flag(TRUSTED_FLAG)
                    .with_flag(integration::HOSTED_FLAG),
            },
            Credential {
                secret: SECOND_BRAND_API_KEY.into(),
                tenant: Tenant::new("second-brand"),
            },
        ];
        credentials.extend(integration::seeded_credentials());
        credentials.extend(firewall::seeded_credentials());
        credentials
    }

    /// A brand's Dashboard settings: its redirect URL and name (`people::SETTINGS`).
    fn tenant_settings(&self) -> &'static [(&'static str, &'static str)] {
        people::SETTINGS
    }

    /// [verified-api-ref] § Sandbox Testing / § Development (Richard Hendricks, code 111111),
    /// the v2 test users (`integration::GAVIN`, `integration::ERLICH`) and Jared Dunn.
    fn test_users(&self) -> &'static [&'static str] {
        &[
            "Richard Hendricks: phone +10123456789 or +550123456789, email richard@piedpiper.net",
            "wallet code: 111111 on v1; on v2 the `code` the POST answers (what the brand texts)",
            "birth-date step (OCE011): Gavin Belson +10019999997, Erlich Bachman +10019999999",
            "Jared Dunn: phone +10123456790, partial data (no SSN)",
        ]
    }

    /// The key is the bare `Authorization` value or `Bearer <key>` (SUPPLEMENT.md § Base URL
    /// and auth; the contract's `ApiKey` scheme, the `Authorization` header).
    fn secret<'v>(&self, _scheme: &SecurityScheme, value: Cow<'v, str>) -> Option<Cow<'v, str>> {
        const BEARER: &str = "bearer ";
        let key = match value.get(..BEARER.len()) {
            Some(word) if word.eq_ignore_ascii_case(BEARER) => Cow::Owned(
                value
                    .get(BEARER.len()..)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            ),
            // The key as it came when there is nothing to trim (no copy: issue #24).
            _ if value.trim().len() == value.len() => value,
            _ => Cow::Owned(value.trim().to_string()),
        };
        (!key.is_empty()).then_some(key)
    }

    /// The firewall (SUPPLEMENT.md § Verified Inc. > Error codes) answers before the API.
    fn screen(&self, headers: &HeaderMap, tenant: &Tenant) -> Option<MockResponse> {
        firewall::screen(headers, tenant)
    }

    fn error_response(&self, error: &MockError, _at: &ErrorContext<'_>) -> MockResponse {
        errors::body(error)
    }

    fn invalid_request(&self, request: &MockRequest, violations: &[Violation]) -> MockError {
        errors::invalid_request(&request.operation, violations)
    }

    fn operations(&self) -> Vec<&'static str> {
        OPERATIONS.ids()
    }

    fn handle(&self, request: MockRequest) -> Result<MockResponse, MockError> {
        // § Check User Credentials decides under the read lock and writes only what it keeps.
        if request.operation == "hasMatchingCredentials" {
            let decided = {
                let network = self.reading();
                network
                    .known_brand(&request.tenant)
                    .map(|brand| network.decide_matching(brand, &request))
            };
            match decided {
                Some(Ok(Matching::Keep(wallet))) => {
                    let kept = self.network().keep_matching(wallet, &request);
                    // The old request that made room is freed here, the lock released.
                    return kept.map(|(answer, _made_room)| answer);
                }
                Some(Ok(Matching::NoMatch)) => return Ok(check_user_credentials::no_match()),
                Some(Err(refused)) => return Err(refused),
                // A brand's first call: the write lock, to note the brand.
                None => {}
            }
        }
        if let Some(read) = READS.get(&request.operation) {
            let network = self.reading();
            if let Some(brand) = network.known_brand(&request.tenant) {
                return read(&network, &brand, &request);
            }
        }
        let mut network = self.network();
        let brand = network.brand(&request.tenant);
        let handler = OPERATIONS.handler(&request.operation)?;
        handler(&mut network, &brand, &request)
    }

    /// The Web Wallet pages (`/verified/wallet/...`), the user's side of the flows.
    fn handle_unrouted(
        &self,
        request: &UnroutedRequest,
    ) -> Option<Result<MockResponse, MockError>> {
        self.network().wallet(request)
    }

    fn reset(&self) {
        *self.network() = Network::seeded();
    }
}

/// Verified in the API registry.
pub const REGISTRATION: super::Registration = super::Registration {
    id: "verified",
    mock: || std::sync::Arc::new(Verified::default()),
    // [verified-api-ref] § Sandbox Testing prints this key for everyone.
    public_test_credentials: &[SANDBOX_API_KEY],
    // Every id Verified generates is a uuid (a generic filter); a /v2 1-Click's code is six
    // random digits, in answers, in the wallet's body and in the Semi-Hosted GET's query.
    snapshot_filters: &[
        (r#""code": "[0-9]{6}""#, r#""code": "[code]""#),
        (r"code=[0-9]{6}\b", "code=[code]"),
    ],
    // [verified-types] § Error: `{..., data: {errorCode: "OCE008"}}`.
    error_code_pointers: &["/data/errorCode"],
    pii_names: &[],
};
