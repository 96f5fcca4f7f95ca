//! The Verified Network's parties as the mock holds them: users, brands (with their
//! integration type, the Dashboard setting) and partners, and the seeded ids. Below every
//! handler and the credentials, which all name them ([verified-api-ref] § Sandbox
//! Testing / § Development; contracts/research/verified-v2.md for the integration types).

use serde_json::Value;

/// § Development: "you can authenticate to the wallet using a static OTP value of 111111".
/// Every user of vouch's mock is a test user.
pub const TEST_CODE: &str = "111111";

/// Hooli, the sandbox test brand (§ Sandbox Testing: "These are Hooli and Richard Hendricks").
pub const HOOLI_UUID: &str = "7c0f2f5e-6a43-4c5e-9a61-3f1d0b7e2a10";
/// The second brand (isolation tests); also a seeded partner.
pub const SECOND_BRAND_UUID: &str = "2b9d4e61-0c7a-4f3b-8e25-5a6c1d9f7b34";
/// ACME Lending, issuer of the seeded users' credentials and a seeded partner.
pub const ACME_UUID: &str = "a5e1c7d2-3b4f-4e6a-8c9d-0f1e2d3c4b5a";
/// Verified Inc. itself: the issuer of data a user types into the wallet (self-attested).
pub const VERIFIED_UUID: &str = "0e3b6f8a-1c2d-4b5e-9f70-8a9b0c1d2e3f";

/// The tenant flag of brands allowed to use Trusted 1-Click (§ Trusted 1-Click: "Verified
/// Inc. having to perform additional integration checks prior to enabling this feature for
/// your brand").
pub(super) const TRUSTED_FLAG: &str = "trusted-1-click";

/// The tenant setting for the brand's default redirect URL, "the redirect url provided in your
/// settings" ([verified-api-ref] § 1-Click, request member 6): where the wallet sends the user
/// when the POST has no `redirectUrl`, as Verified's example app relies on (it sends none:
/// contracts/research/verified-v2.md § 7).
pub const REDIRECT_URL_SETTING: &str = "redirect-url";
/// The tenant setting for the brand's name, which the wallet shows and the v1 `smsBody` says
/// ([verified-api-ref] § 1-Click: "your brand name").
pub const BRAND_NAME_SETTING: &str = "brand-name";

/// The Dashboard settings a brand's tenant may carry (`--credential
/// verified:NAME,redirect-url:URL=KEY`, `POST /__admin/tenants` `settings`). The integration
/// type is a flag (`semi-hosted`, `non-hosted`), as before.
pub(super) const SETTINGS: &[(&str, &str)] = &[
    (
        REDIRECT_URL_SETTING,
        "where the wallet sends the user back (the Dashboard's redirect URL)",
    ),
    (
        BRAND_NAME_SETTING,
        "the brand name the wallet shows and the text message says",
    ),
];

/// A person in the network (§ glossary "user": "at least one phone or emails").
#[derive(Debug, Clone)]
pub(crate) struct User {
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    /// The phone alone does not identify the user: the /v2 API asks for a birth date (OCE011).
    pub needs_birth_date: bool,
}

/// A company entity with its own API key (§ glossary "brand").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Brand {
    /// The mock tenant this brand is (its API key's tenant).
    pub tenant: String,
    pub name: String,
    pub uuid: String,
    /// "the redirect url provided in your settings" (§ 1-Click); shared with the requests made
    /// for the brand (issue #24).
    pub redirect_url: std::sync::Arc<str>,
    pub trusted: bool,
    /// The Dashboard's integration type setting (what /v2 answers by).
    pub integration: IntegrationType,
}

/// A partner and its pre-defined credential requests (§ Get Partner Credential Requests).
#[derive(Debug, Clone)]
pub(crate) struct Partner {
    pub uuid: String,
    /// The tenant of the partner's brand (who receives what the user shares with it).
    pub tenant: String,
    pub name: String,
    pub redirect_url: String,
    pub credential_requests: Value,
}

/// A uuid that is the same for the same name, for brands of tenants added on the command line.
/// A brand's integration type (the Dashboard setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IntegrationType {
    /// Verified's UI and code: POST answers `{uuid, url, code}`; the user answers in the wallet.
    Hosted,
    /// The brand's UI, Verified's code: POST answers `{uuid, code}`; the brand checks the code
    /// the user typed with GET `?code=`.
    SemiHosted,
    /// The brand's UI and code: POST answers `{uuid, identity}` at once.
    NonHosted,
}
