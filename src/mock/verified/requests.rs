//! Requests for a user's credentials as the mock holds them: a 1-Click or a
//! /hasMatchingCredentials request (`WalletRequest`), its flow, what the user shared (`Picked`)
//! and the lifetimes that govern it. Below the handlers (matching, wallet, 1-Click, /v2) and
//! the retention rules, which all name them; above the credentials and parties they hold.

use super::credential_request::Request;
use super::credentials::NetCredential;
use super::ids::Id;
use super::people::Brand;
use crate::mock::json_writer;
use serde_json::Value;
use std::borrow::Cow;
use std::sync::Arc;

/// Which flow a request belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flow {
    /// § 1-Click (hosted): answered in the wallet.
    Hosted,
    /// § 1-Click with `isHosted: false`, or /v2 for a Non-Hosted brand: answered
    /// synchronously.
    NonHosted,
    /// /v2 for a Semi-Hosted brand: answered when the brand proves the user's code.
    SemiHosted,
    /// § Trusted 1-Click: answered synchronously.
    Trusted,
    /// § Check User Credentials: answered in the wallet, retrieved as shared credentials.
    Matching,
}

impl Flow {
    pub(super) fn is_one_click(self) -> bool {
        self != Flow::Matching
    }

    pub(super) fn segment(self) -> &'static str {
        if self.is_one_click() {
            "1-click"
        } else {
            "requests"
        }
    }
}

/// How the user answered.
#[derive(Debug, Clone)]
pub(super) enum Outcome {
    /// The credentials shared, as stored awaiting retrieval ("the credentials are sent and
    /// stored securely awaiting retrieval", § Get 1-Click Credentials).
    Shared(Vec<Picked>),
    /// SUPPLEMENT.md: a 1-Click record moves to `USER_OPTED_OUT`.
    OptedOut,
}

/// A request for credentials: a 1-Click or a /hasMatchingCredentials request.
#[derive(Debug, Clone)]
pub(super) struct WalletRequest {
    /// The id in the wallet url.
    pub wallet_id: Id,
    /// The 1ClickUuid or sharedCredentialsUuid the redirect carries.
    pub uuid: Id,
    pub flow: Flow,
    /// The brand that receives the credentials.
    /// Shared with the network's record of the brand (no copy per kept request: issue #24).
    pub brand: Arc<Brand>,
    pub user: usize,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub requests: CredentialRequests,
    /// Shared with the brand's (or partner's) unless the request names its own (issue #24).
    pub redirect_url: Arc<str>,
    /// The wallet's texts: mostly the documented defaults, so not copied per request.
    pub verification: Cow<'static, str>,
    pub title: Cow<'static, str>,
    pub description: Cow<'static, str>,
    pub created_at: i64,
    /// Wrong verification codes entered so far.
    pub attempts: u32,
    pub code_ok: bool,
    pub outcome: Option<Outcome>,
    pub first_retrieved: Option<i64>,
    /// What a 1-Click made through /v2 adds (`None` on the unversioned API).
    pub v2: Option<V2>,
}

/// A /v2 1-Click's own state (contracts/research/verified-v2.md § 3).
#[derive(Debug, Clone)]
pub(super) struct V2 {
    /// The 6-digit code POST answered: the brand texts it, the user types it (in the wallet
    /// for Hosted, in the brand's page for Semi-Hosted).
    pub code: String,
    /// The user must still give a birth date before their data is sourced (OCE011).
    pub awaiting_birth_date: bool,
}

/// A request the user has not answered expires 5 minutes after it was made (SUPPLEMENT.md:
/// "Verification codes expire after 5 minutes"; OCE014 "1-Click request expired").
pub(super) const REQUEST_LIFETIME_MS: i64 = 5 * 60 * 1000;

/// A /v2 1-Click waits 30 minutes for its answer; its code is good for the first 5.
pub(super) const V2_REQUEST_LIFETIME_MS: i64 = 30 * 60 * 1000;

/// Wrong codes a user may enter; the next attempt is refused with OCE018 (vouch's choice,
/// contracts/NOTES.md § Mock behaviour; SUPPLEMENT.md gives "3 per input" for OCE019).
pub(super) const MAX_CODE_ATTEMPTS: u32 = 3;

/// The credentials a request asks for (`credentialRequests`: the body's, its partner's, or a
/// 1-Click's defaults), kept as their JSON text. As a tree they were about ten allocations per
/// kept request, each freed when the request made room for a newer one thousands of requests
/// later: from a cold cache line, and as often as not on the other worker thread. That was a
/// third of the allocator's share of a /hasMatchingCredentials call (issue #24). Read back only
/// by the flows that show or answer them: the wallet and its pages, a 1-Click's answer.
#[derive(Debug, Clone, Default)]
pub(super) struct CredentialRequests(Box<[u8]>);

impl CredentialRequests {
    /// `list` as it is kept (nothing asked: no text).
    pub(super) fn new(list: &[Value]) -> Self {
        Self::of(list.iter())
    }

    /// The requests `list` gives, as they are kept: values, or a body's requests read in
    /// place (whose text is copied as it stands, not written through serde: issue #24).
    pub(super) fn of<'a, R: Request<'a>>(mut list: impl Iterator<Item = R>) -> Self {
        let Some(first) = list.next() else {
            return Self::default();
        };
        json_writer::with_scratch(|out| {
            out.push(b'[');
            first.write_json(out);
            for request in list {
                out.push(b',');
                request.write_json(out);
            }
            out.push(b']');
            // Read back by serde_json, which checks it is UTF-8 (it always is: written from
            // `Value`s and from a text that is).
            Self(Box::from(&out[..]))
        })
    }

    /// The requests a body's array gives, kept as the array's text stands in the body (a
    /// copy: no writing, issue #24); serde_json reads it back as the array's values.
    pub(super) fn from_text(array: &str) -> Self {
        Self(Box::from(array.as_bytes()))
    }

    /// The requests as they were kept: serde_json reads back what it wrote as the same values
    /// (numbers too: its `float_roundtrip` feature, Cargo.toml).
    pub(super) fn list(&self) -> Vec<Value> {
        if self.0.is_empty() {
            return Vec::new();
        }
        serde_json::from_slice(&self.0).unwrap_or_default()
    }
}

/// One value picked for a request: an atomic credential, or a composite one with the picked
/// children (in the order they were requested).
#[derive(Debug, Clone)]
pub(super) struct PickedValue {
    pub credential: NetCredential,
    pub children: Vec<NetCredential>,
}

/// What a request picked from the user's credentials.
#[derive(Debug, Clone)]
pub(super) struct Picked {
    pub request: Value,
    /// The shortened credential type, the key in a 1ClickEntity.
    pub key: String,
    pub ty: String,
    pub values: Vec<PickedValue>,
}

/// "Your brand's access to shared credentials is deleted after 5 minutes of the initial
/// credential data retrieval" (§ Get Shared Credentials; the same for 1-Click).
pub(super) const RETRIEVAL_WINDOW_MS: i64 = 5 * 60 * 1000;

/// "Verification codes expire after 5 minutes" (v2 errors.mdx l.139-150, OCE008).
pub(super) const CODE_LIFETIME_MS: i64 = 5 * 60 * 1000;

#[cfg(test)]
mod tests {
    use super::CredentialRequests;
    use crate::contract::json_doc::JsonDoc;
    use crate::mock::json_writer::tests::value;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    #[test]
    fn requests_read_back_as_they_were_kept() {
        let asked = vec![
            json!({"type": "FullNameCredential", "mandatory": "yes",
                   "children": [{"type": "FirstNameCredential"}, {"type": "LastNameCredential"}]}),
            json!({"type": "AddressCredential", "description": "Où \"vous\" vivez\n\\\u{1}",
                   "allowUserInput": true, "issuers": null}),
            json!({"z": 1, "a": -9_223_372_036_854_775_808_i64, "m": 18_446_744_073_709_551_615_u64}),
            json!({"floats": [0.1, 0.30000000000000004, 5e-324, 1.7976931348623157e308,
                              2.2250738585072014e-308, -0.0, 1e21, 123456.789,
                              // Read back one bit off without `float_roundtrip`.
                              1.0715660391465826e-75, -1.81996730402717e-179]}),
        ];
        let kept = CredentialRequests::new(&asked);
        assert_eq!(kept.list(), asked);
        // Members keep their order (`z` before `a`), as the wallet shows them.
        let third = kept.list()[2]
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>());
        assert_eq!(third, Some(vec!["z".into(), "a".into(), "m".into()]));
    }

    #[test]
    fn nothing_asked_is_nothing_kept() {
        assert_eq!(CredentialRequests::new(&[]).list(), Vec::<Value>::new());
        assert_eq!(CredentialRequests::default().list(), Vec::<Value>::new());
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Any list of JSON values (every float, control characters, non-ASCII, nesting) is
        /// read back as the same values.
        #[test]
        fn any_requests_read_back_as_the_same_values(asked in prop::collection::vec(value(), 0..6)) {
            prop_assert_eq!(CredentialRequests::new(&asked).list(), asked);
        }

        /// Requests kept from a body read in place (pretty or not), written from its values or
        /// copied from its text, read back as the values serde_json reads from that body.
        #[test]
        fn requests_kept_from_a_body_read_back_as_its_values(
            asked in prop::collection::vec(value(), 0..6),
            pretty in any::<bool>(),
        ) {
            let text = if pretty { serde_json::to_string_pretty(&asked) } else { serde_json::to_string(&asked) };
            let doc = JsonDoc::parse(text.unwrap().into()).unwrap();
            prop_assert_eq!(&CredentialRequests::of(doc.root().items()).list(), &asked);
            if let Some(text) = doc.root().array_text() {
                prop_assert_eq!(CredentialRequests::from_text(text).list(), asked);
            }
        }
    }
}
