//! The Verified Web Wallet, simulated over HTTP: the user's side of a hosted 1-Click and of a
//! request created by /hasMatchingCredentials (or by issuing with a partnerUuid).
//!
//! [verified-api-ref] § 1-Click: `url` is the "Verified Inc. Web Wallet url to redirect
//! user to for credential request handling. It will redirect back to your client"; "upon the
//! user completing the flow, the user will be redirected back to your client with a 1ClickUuid
//! as a query parameter" (§ Get 1-Click Credentials), or "with a sharedCredentialsUuid"
//! (§ Get Shared Credentials). The url "ought to then be enriched with a redirectUrl query
//! param".
//!
//! The mock's pages (JSON, no credentials; the user is not a brand), under the API's prefix:
//!
//! | call | what the user does |
//! | --- | --- |
//! | `GET /wallet/{flow}/{id}` | opens the url: the request page |
//! | `POST /wallet/{flow}/{id}/code` `{"code": "111111"}` | enters the verification code |
//! | `POST /wallet/{flow}/{id}/birth-date` `{"birthDate": "1989-08-01"}` | a /v2 Hosted user who needs it confirms the birth date (or gives it with the share) |
//! | `POST /wallet/{flow}/{id}/share` `{"edits"?: {...}, "leaveOut"?: [...]}` | consents: 302 to the redirect url |
//! | `POST /wallet/{flow}/{id}/opt-out` | declines: 302 to the redirect url |
//!
//! `{flow}` is `1-click` or `requests`. A `redirectUrl` query parameter on any of them replaces
//! the redirect url. A browser (`Accept: text/html`, or a form post) gets the same calls as
//! pages (`wallet_pages`).

use super::super::api::{MockError, MockResponse, UnroutedRequest, set_member};
use super::super::clock::Instant;
use super::super::html::wants_html;
use super::Network;
use super::credentials::Meta;
use super::edits::apply_edits;
use super::errors::{self, generic};
use super::matching::{pick, unmet};
use super::one_click::entity_credentials;
use super::people::{TEST_CODE, VERIFIED_UUID};
use super::requests::{
    CODE_LIFETIME_MS, Flow, MAX_CODE_ATTEMPTS, Outcome, REQUEST_LIFETIME_MS,
    V2_REQUEST_LIFETIME_MS, WalletRequest,
};
use http::Method;
use serde_json::{Value, json};

impl WalletRequest {
    pub(super) fn url(&self, base_url: &str) -> String {
        self.url_parts(base_url).concat()
    }

    /// The wallet url's parts, for an answer that writes them without joining them first
    /// (every kept /hasMatchingCredentials: issue #24).
    pub(super) fn url_parts<'a>(&'a self, base_url: &'a str) -> [&'a str; 5] {
        [
            base_url.trim_end_matches('/'),
            "/wallet/",
            self.flow.segment(),
            "/",
            &self.wallet_id,
        ]
    }

    /// `only_link`: opening the link texted to the phone proves it; otherwise the user enters
    /// the code (contracts/NOTES.md § Mock behaviour).
    fn needs_code(&self) -> bool {
        self.verification != "only_link"
    }

    /// How long the request waits for its answer: 5 minutes, or 30 for a /v2 1-Click ("You
    /// must make the PATCH /1-click/{uuid} call within 30 minutes of having made the POST
    /// /1-click", v2 `reusables/recency-requirement-admonition.mdx`).
    pub(super) fn lifetime_ms(&self) -> i64 {
        if self.v2.is_some() {
            V2_REQUEST_LIFETIME_MS
        } else {
            REQUEST_LIFETIME_MS
        }
    }

    pub(super) fn expired(&self, now: i64) -> bool {
        self.outcome.is_none() && now.saturating_sub(self.created_at) >= self.lifetime_ms()
    }

    /// The code the user must type: the /v2 1-Click's own, else the static test OTP.
    fn expected_code(&self) -> &str {
        self.v2.as_ref().map_or(TEST_CODE, |v| v.code.as_str())
    }

    /// How the phone was verified, for `metadata.identifiers.verificationMethod`: by the
    /// wallet's code or link (hosted), or not by Verified (non-hosted, trusted).
    pub(super) fn identifier_method(&self) -> Value {
        match self.flow {
            Flow::Hosted | Flow::Matching | Flow::SemiHosted
                if self.code_ok || !self.needs_code() =>
            {
                json!("otp")
            }
            _ => Value::Null,
        }
    }

    /// 302 to the redirect url with the uuid the brand retrieves the answer with: v1
    /// `1ClickUuid`, v2 `identityUuid` ("Use identityUuid instead of 1ClickUuid, which is
    /// renamed in v2", v2 `migration-guide-v1-to-v2.mdx` l.147-154), plus `optedOut=true` when
    /// a /v2 user declined (the vendor's v1 demo app reads it; no v2 page says: NOTES).
    fn redirect(&self) -> MockResponse {
        let name = match (self.flow.is_one_click(), &self.v2) {
            (true, Some(_)) => "identityUuid",
            (true, None) => "1ClickUuid",
            (false, _) => "sharedCredentialsUuid",
        };
        let opted_out = if self.v2.is_some() && matches!(self.outcome, Some(Outcome::OptedOut)) {
            "&optedOut=true"
        } else {
            ""
        };
        let separator = if self.redirect_url.contains('?') {
            '&'
        } else {
            '?'
        };
        let location = format!(
            "{}{separator}{name}={}{opted_out}",
            self.redirect_url, self.uuid
        );
        MockResponse::empty(302).header("location", &location)
    }

    fn status(&self) -> &'static str {
        match &self.outcome {
            Some(Outcome::Shared(_)) => "shared",
            Some(Outcome::OptedOut) => "opted_out",
            None if self.needs_code() && !self.code_ok => "awaiting_code",
            None => "awaiting_consent",
        }
    }
}

fn masked(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    let (head, tail) = chars.split_at(chars.len().saturating_sub(3));
    let prefix: String = head.iter().take(2).collect();
    let tail: String = tail.iter().collect();
    format!("{prefix}{}{tail}", "*".repeat(head.len().saturating_sub(2)))
}

fn not_found(flow_segment: &str) -> MockError {
    if flow_segment == "1-click" {
        errors::one_click_not_found()
    } else {
        generic(404, "Request not found")
    }
}

impl Network {
    /// A request to `/wallet/...`; `None` for every other unrouted path.
    pub(crate) fn wallet(
        &mut self,
        request: &UnroutedRequest,
    ) -> Option<Result<MockResponse, MockError>> {
        let rest = request.path.strip_prefix("/wallet/")?;
        let parts: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        // The stand-in for a Semi-Hosted brand's page (`semi_hosted_page`), HTML only.
        match parts.as_slice() {
            ["semi-hosted", uuid] => return Some(self.semi_hosted_page(request, uuid, None)),
            ["semi-hosted", uuid, action] => {
                return Some(self.semi_hosted_page(request, uuid, Some(action)));
            }
            _ => {}
        }
        // A browser gets the same calls as pages (`wallet_pages`).
        if wants_html(&request.headers) {
            return Some(match parts.as_slice() {
                [flow, id] => self.wallet_html(request, flow, id, None),
                [flow, id, action] => self.wallet_html(request, flow, id, Some(action)),
                _ => Err(generic(404, "No such wallet page")),
            });
        }
        Some(match parts.as_slice() {
            [flow, id] => self.wallet_call(request, flow, id, None),
            [flow, id, action] => self.wallet_call(request, flow, id, Some(action)),
            _ => Err(generic(404, "No such wallet page")),
        })
    }

    /// Where the request a wallet url names is kept.
    pub(super) fn wallet_index(&self, segment: &str, id: &str) -> Result<usize, MockError> {
        self.requests
            .iter()
            .position(|r| r.wallet_id == id && r.flow.segment() == segment)
            .ok_or_else(|| not_found(segment))
    }

    pub(super) fn wallet_call(
        &mut self,
        request: &UnroutedRequest,
        segment: &str,
        id: &str,
        action: Option<&str>,
    ) -> Result<MockResponse, MockError> {
        let now = request.now.epoch_millis();
        let index = self.wallet_index(segment, id)?;
        let expected = if action.is_some() {
            Method::POST
        } else {
            Method::GET
        };
        if request.method != expected {
            return Err(generic(405, format!("Use {expected} here")));
        }
        if let Some(redirect) = request.query.get("redirectUrl").filter(|r| !r.is_empty()) {
            self.request_mut(index)?.redirect_url = redirect.as_str().into();
        }
        let wallet = self.request(index)?;
        if action.is_none() {
            return Ok(self.page(wallet, now));
        }
        if wallet.expired(now) {
            return Err(errors::expired(if wallet.flow.is_one_click() {
                "1-Click request expired"
            } else {
                "Request expired"
            }));
        }
        match &wallet.outcome {
            Some(Outcome::OptedOut) => return Err(errors::opted_out()),
            Some(Outcome::Shared(_)) => {
                return Err(generic(400, "The user has already answered this request"));
            }
            None => {}
        }
        let body = errors::json_body(&request.body)?;
        match action {
            Some("code") => self.enter_code(index, &body, now),
            Some("share") => self.share(index, &body, now),
            Some("birth-date") => self.confirm_birth_date(index, &body, now),
            Some("opt-out") => {
                let wallet = self.request_mut(index)?;
                wallet.outcome = Some(Outcome::OptedOut);
                Ok(wallet.redirect())
            }
            _ => Err(generic(404, "No such wallet page")),
        }
    }

    /// The wallet request at an index [`Self::wallet_call`] found (an index nothing is at
    /// answers as no wallet page).
    pub(super) fn request(&self, index: usize) -> Result<&WalletRequest, MockError> {
        self.requests
            .get(index)
            .map(|r| &**r)
            .ok_or_else(|| generic(404, "No such wallet page"))
    }

    fn request_mut(&mut self, index: usize) -> Result<&mut WalletRequest, MockError> {
        self.requests
            .get_mut(index)
            .map(|r| &mut **r)
            .ok_or_else(|| generic(404, "No such wallet page"))
    }

    /// The request page: who asks, for what, and (once the phone is verified) the data the
    /// user is about to share.
    fn page(&self, w: &WalletRequest, now: i64) -> MockResponse {
        MockResponse::json(200, self.page_value(w, now))
    }

    /// The request page's JSON, which the HTML page shows (`wallet_pages`).
    pub(super) fn page_value(&self, w: &WalletRequest, now: i64) -> Value {
        let mut page = json!({
            "request": w.wallet_id,
            "brand": w.brand.name,
            "title": w.title,
            "description": w.description,
            "status": if w.expired(now) { "expired" } else { w.status() },
            "verificationOptions": w.verification,
            "expiresAt": Instant(w.created_at.saturating_add(w.lifetime_ms())).rfc3339(),
            "credentialRequests": w.requests.list(),
        });
        if let Some(phone) = &w.phone {
            set_member(&mut page, "phone", json!(masked(phone)));
        }
        if w.status() == "awaiting_consent" {
            let picked = pick(
                &w.requests.list(),
                &self.usable_credentials(w.user, now),
                now,
            );
            set_member(
                &mut page,
                "credentials",
                Value::Object(entity_credentials(&picked).0),
            );
        }
        page
    }

    /// § Development: "authenticate to the wallet using a static OTP value of 111111".
    fn enter_code(
        &mut self,
        index: usize,
        body: &Value,
        now: i64,
    ) -> Result<MockResponse, MockError> {
        let w = self.request_mut(index)?;
        if w.attempts >= MAX_CODE_ATTEMPTS {
            return Err(errors::too_many_code_attempts());
        }
        let code = body.get("code").and_then(Value::as_str).unwrap_or("");
        if code.trim().is_empty() {
            return Err(errors::code_required());
        }
        // A /v2 code is good for 5 minutes (OCE008 "Invalid or expired verification code").
        let stale = w.v2.is_some() && now.saturating_sub(w.created_at) >= CODE_LIFETIME_MS;
        if code != w.expected_code() || stale {
            w.attempts = w.attempts.saturating_add(1);
            return Err(errors::code_invalid());
        }
        w.code_ok = true;
        Ok(self.page(self.request(index)?, now))
    }

    /// /v2 Hosted: "the birth date, if necessary" (v2 integration-guide.mdx l.223-232), as a
    /// step of its own before the data is shown; sharing without it still takes `birthDate`.
    fn confirm_birth_date(
        &mut self,
        index: usize,
        body: &Value,
        now: i64,
    ) -> Result<MockResponse, MockError> {
        let w = self.request(index)?;
        if w.needs_code() && !w.code_ok {
            return Err(errors::code_required());
        }
        if !w.v2.as_ref().is_some_and(|v| v.awaiting_birth_date) {
            return Err(generic(400, "This request needs no birth date"));
        }
        self.birth_date_step(w.user, body, now)?;
        if let Some(v2) = self.request_mut(index)?.v2.as_mut() {
            v2.awaiting_birth_date = false;
        }
        Ok(self.page(self.request(index)?, now))
    }

    /// The user consents: what they hold (fresh: revoked or expired credentials are never
    /// shared), minus what they leave out, plus what they typed; then back to the brand.
    fn share(&mut self, index: usize, body: &Value, now: i64) -> Result<MockResponse, MockError> {
        let w = self.request(index)?;
        if w.needs_code() && !w.code_ok {
            return Err(errors::code_required());
        }
        // /v2 Hosted: "the birth date, if necessary" (v2 integration-guide.mdx l.223-232).
        if w.v2.as_ref().is_some_and(|v| v.awaiting_birth_date) {
            self.birth_date_step(w.user, body, now)?;
        }
        let mut picked = pick(
            &w.requests.list(),
            &self.usable_credentials(w.user, now),
            now,
        );
        if let Some(keys) = body.get("leaveOut") {
            let keys = keys
                .as_array()
                .ok_or_else(|| generic(400, "leaveOut must be a list of credential keys"))?;
            for key in keys {
                let key = key.as_str().unwrap_or_default();
                let p = picked
                    .iter_mut()
                    .find(|p| p.key == key)
                    .ok_or_else(|| generic(400, format!("`{key}` was not requested")))?;
                if !p.may_be_left_out() {
                    return Err(errors::mandatory_missing(std::slice::from_ref(&p.ty)));
                }
                p.values.clear();
            }
        }
        if let Some(edits) = body.get("edits") {
            let edits = edits
                .as_object()
                .ok_or_else(|| generic(400, "edits must be an object of credential keys"))?;
            let meta = Meta {
                issuer: VERIFIED_UUID.into(),
                user: w.user,
                issued_at: now,
                expires_at: None,
                method: Some("self_attested".into()),
            };
            apply_edits(&mut picked, edits, &meta, true)?;
        }
        let missing = unmet(&picked);
        if !missing.is_empty() {
            return Err(errors::mandatory_missing(&missing));
        }
        if w.flow == Flow::Matching && picked.iter().all(|p| p.values.is_empty()) {
            return Err(errors::no_credentials_found());
        }
        let w = self.request_mut(index)?;
        w.outcome = Some(Outcome::Shared(picked));
        Ok(w.redirect())
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::mock::api::Tenant;
    use crate::mock::clock::Instant;
    use crate::mock::verified::ids::Id;
    use crate::mock::verified::requests::CredentialRequests;

    fn hosted_request(network: &mut Network) -> String {
        hosted_request_titled(network, "Signup")
    }

    /// A hosted 1-Click for Richard (the wallet request `w1`) with this title; its page's path.
    pub(in crate::mock::verified) fn hosted_request_titled(
        network: &mut Network,
        title: &str,
    ) -> String {
        let brand = network.brand(&std::sync::Arc::new(Tenant::new("hooli")));
        let w = WalletRequest {
            wallet_id: Id::from_text("w1").expect("an id of two letters"),
            uuid: Id::new_uuid(),
            flow: Flow::Hosted,
            brand,
            user: network.find_user("+10123456789").unwrap(),
            phone: Some("+10123456789".into()),
            email: None,
            requests: CredentialRequests::new(
                super::super::one_click::default_credential_requests()
                    .as_array()
                    .unwrap(),
            ),
            redirect_url: "https://hooli.example/back".into(),
            verification: "only_code".into(),
            title: title.to_string().into(),
            description: std::borrow::Cow::Borrowed(""),
            created_at: 0,
            attempts: 0,
            code_ok: false,
            outcome: None,
            first_retrieved: None,
            v2: None,
        };
        network
            .requests
            .push(Box::new(w), Instant(0), usize::MAX)
            .unwrap();
        "/wallet/1-click/w1".into()
    }

    fn call(network: &mut Network, method: Method, path: &str, body: &[u8]) -> u16 {
        let request = UnroutedRequest {
            method,
            path: path.into(),
            query: Default::default(),
            headers: Default::default(),
            body: bytes::Bytes::copy_from_slice(body),
            now: Instant(1000),
            base_url: "http://mock/verified".into(),
            remote: None,
            max_entities: usize::MAX,
        };
        match network.wallet(&request) {
            Some(Ok(r)) => r.status.as_u16(),
            Some(Err(e)) => e.status,
            None => 0,
        }
    }

    #[test]
    fn bad_input_to_the_wallet_is_a_4xx_never_a_panic() {
        let mut n = Network::seeded();
        let page = hosted_request(&mut n);
        let code = format!("{page}/code");
        let share = format!("{page}/share");
        assert_eq!(call(&mut n, Method::POST, &code, b"{not json"), 400);
        assert_eq!(
            call(&mut n, Method::POST, &code, br#"{"code": 111111}"#),
            400
        );
        assert_eq!(
            call(&mut n, Method::POST, &code, br#"{"code": "111111"}"#),
            200
        );
        for body in [
            &br#"[]"#[..],
            br#"{"leaveOut": "ssn"}"#,
            br#"{"leaveOut": [1]}"#,
            br#"{"edits": []}"#,
            br#"{"edits": {"fullName": {}}}"#,
            br#"{"edits": {"fullName": "Richard"}}"#,
            br#"{"edits": {"address": {"zipCode": "abcd\u20ac"}}}"#,
            br#"{"edits": {"address": {"planet": "Earth"}}}"#,
            br#"{"edits": {"email": ["a@b.co"]}}"#,
            br#"{"edits": {"unknown": "x"}}"#,
        ] {
            let status = call(&mut n, Method::POST, &share, body);
            assert!(
                (400..500).contains(&status),
                "{} -> {status}",
                String::from_utf8_lossy(body)
            );
        }
        assert_eq!(call(&mut n, Method::GET, &share, b""), 405);
        assert_eq!(
            call(&mut n, Method::POST, &format!("{page}/nope"), b"{}"),
            404
        );
        assert_eq!(
            call(&mut n, Method::GET, "/wallet/1-click/unknown", b""),
            404
        );
        assert_eq!(
            call(&mut n, Method::GET, "/wallet", b""),
            0,
            "not a wallet page"
        );
        assert_eq!(call(&mut n, Method::GET, "/walletx/1", b""), 0);
        assert_eq!(call(&mut n, Method::POST, &share, b""), 302);
    }

    #[test]
    fn phones_are_masked_on_the_page() {
        assert_eq!(masked("+10123456789"), "+1*******789");
        assert_eq!(masked("+1"), "+1");
    }
}
