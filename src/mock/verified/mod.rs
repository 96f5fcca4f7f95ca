//! Verified Inc. core API (verified-api-reference.txt, verified-types.txt, SUPPLEMENT.md
//! § Verified Inc.): a stateful Verified Network behind the documented endpoints.
//!
//! One file per concept, in the vendor's vocabulary:
//! - [`network_users`]: users, brands, partners and the seeded network (the test user Richard
//!   Hendricks, a user with partial data, the test brand Hooli);
//! - [`credentials`]: credential types, value formats, issue / patch / get, per-user lists;
//! - [`matching`]: credential requests against a user's credentials, /hasMatchingCredentials,
//!   shared credentials, partner credential requests;
//! - [`one_click`]: hosted, non-hosted and trusted 1-Click, the 1ClickEntity, updates;
//! - [`wallet`]: the user's side (the Web Wallet pages the `url`s point at);
//! - [`errors`]: the FeathersJS error body and the OCE codes.
//!
//! Brands are tenants: 1-Clicks, shared credentials and issued credentials are seen only by
//! the brand they belong to; users and their credentials are the network's, so any brand can
//! match against them.

mod credentials;
mod errors;
mod matching;
mod network_users;
mod one_click;
mod wallet;

use super::api::{
    Credential, ErrorContext, MockApi, MockError, MockRequest, MockResponse, Tenant,
    UnroutedRequest, header_text,
};
use crate::contract::Violation;
use credentials::NetCredential;
use http::HeaderMap;
use network_users::{Brand, Partner, TRUSTED_FLAG, User};
use std::sync::{Mutex, MutexGuard};
use wallet::WalletRequest;

pub use network_users::{ACME_UUID, HOOLI_UUID, SECOND_BRAND_UUID, TEST_CODE, VERIFIED_UUID};

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
    /// Every issued credential (composites carry their children).
    credentials: Vec<NetCredential>,
    /// 1-Clicks and /hasMatchingCredentials requests.
    requests: Vec<WalletRequest>,
}

/// A fresh uuid (credential ids, 1-Click uuids, wallet ids).
pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[derive(Debug)]
pub struct Verified {
    network: Mutex<Network>,
}

impl Default for Verified {
    fn default() -> Self {
        Self {
            network: Mutex::new(Network::seeded()),
        }
    }
}

impl Verified {
    /// The network, held only for the duration of one call (never across an `.await`).
    fn network(&self) -> MutexGuard<'_, Network> {
        self.network.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl MockApi for Verified {
    fn id(&self) -> &'static str {
        "verified"
    }

    /// Hooli (the sandbox key) may use Trusted 1-Click; the second brand may not.
    fn default_credentials(&self) -> Vec<Credential> {
        vec![
            Credential {
                secret: SANDBOX_API_KEY.into(),
                tenant: Tenant::new("hooli").with_flag(TRUSTED_FLAG),
            },
            Credential {
                secret: SECOND_BRAND_API_KEY.into(),
                tenant: Tenant::new("second-brand"),
            },
        ]
    }

    /// The key is the bare `Authorization` value or `Bearer <key>` (SUPPLEMENT.md § Base URL and auth).
    fn presented_secret(&self, headers: &HeaderMap) -> Option<String> {
        let value = header_text(headers, "authorization")?;
        let key = match value.split_once(' ') {
            Some((scheme, key)) if scheme.eq_ignore_ascii_case("bearer") => key.trim().to_string(),
            _ => value.trim().to_string(),
        };
        (!key.is_empty()).then_some(key)
    }

    fn error_response(&self, error: &MockError, _at: &ErrorContext<'_>) -> MockResponse {
        errors::body(error)
    }

    fn invalid_request(&self, request: &MockRequest, violations: &[Violation]) -> MockError {
        errors::invalid_request(&request.operation, violations)
    }

    fn handle(&self, request: MockRequest) -> Result<MockResponse, MockError> {
        let mut network = self.network();
        let brand = network.brand(&request.tenant);
        match request.operation.as_str() {
            "createOneClick" => network.create_one_click(&brand, &request),
            "createTrustedOneClick" => network.create_trusted_one_click(&brand, &request),
            "getOneClick" => network.get_one_click(&brand, &request),
            "updateOneClickCredentials" => network.update_one_click_credentials(&brand, &request),
            "hasMatchingCredentials" => network.has_matching_credentials(&brand, &request),
            "getSharedCredentials" => network.get_shared_credentials(&brand, &request),
            "getPartnerCredentialRequests" => network.get_partner_credential_requests(&request),
            "issueCredentials" => network.issue_credentials(&brand, &request),
            "patchCredential" => network.patch_credential(&brand, &request),
            "getCredential" => network.get_credential(&brand, &request),
            "patchUserCredentials" => network.patch_user_credentials(&brand, &request),
            "getUserCredentials" => network.get_user_credentials(&brand, &request),
            other => Err(errors::generic(
                501,
                format!("{other} is not implemented in vouch's mock"),
            )),
        }
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
    // verified-api-reference.txt § Sandbox Testing prints this key for everyone.
    public_test_credentials: &[SANDBOX_API_KEY],
    // Every id Verified generates is a uuid (a generic filter).
    snapshot_filters: &[],
    // verified-types.txt § Error: `{..., data: {errorCode: "OCE008"}}`.
    error_code_pointers: &["/data/errorCode"],
    pii_names: &[],
};
