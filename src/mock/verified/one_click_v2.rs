//! 1-Click v2 (`/v2`): POST /1-click answering by the brand's integration type, GET
//! /1-click/{uuid}[?code=] and PATCH /1-click/{uuid} with the birth date.
//!
//! Every rule and its source: contracts/research/verified-v2.md (§ 3 endpoints, § 4 flows,
//! § 8 error codes) and contracts/NOTES.md § Verified Inc. › 1-Click v2. In short:
//! - POST answers Hosted `{uuid, url, code}`, Semi-Hosted `{uuid, code}`, Non-Hosted `{uuid,
//!   identity}` (v2 `1-click-signup/api-reference/endpoints.mdx` l.175-233); `isHosted`,
//!   `verificationOptions` and `match` are gone (`migration-guide-v1-to-v2.mdx` l.109-131);
//! - OCE011 only when the phone alone does not identify the user
//!   (`reusables/when-step-is-necessary-admonition.mdx`): Non-Hosted on POST, Semi-Hosted on
//!   GET, Hosted in the wallet;
//! - Semi-Hosted GET needs the code the user typed: none is OCE009, a wrong or 5-minute-old one
//!   OCE008 (`1-click-signup/api-reference/errors.mdx` l.139-164);
//! - PATCH gives the birth date within 30 minutes of POST, else OCE014; a wrong one is OCE012;
//! - GET and PATCH answer the flat 1ClickEntity (endpoints.mdx l.303-312, l.400-411).

use super::super::api::{MockError, MockRequest, MockResponse};
use super::Network;
use super::errors;
use super::ids::Id;
use super::matching::{pick, retrieval_allowed, unmet};
use super::one_click::{body, entity};
use super::people::{Brand, IntegrationType};
use super::requests::{
    CODE_LIFETIME_MS, CredentialRequests, Flow, MAX_CODE_ATTEMPTS, Outcome, V2, WalletRequest,
};
use serde_json::{Value, json};

/// Six random digits: "Verification code you should send to the user by SMS", "6 digits"
/// (v2 `reusables/post-1-click-response-body-table-*.mdx`; v1 codes had a hyphen).
fn new_code() -> String {
    let n = uuid::Uuid::new_v4()
        .as_u128()
        .checked_rem(1_000_000)
        .unwrap_or_default();
    format!("{n:06}")
}

impl Network {
    /// The birth-date step: none given is OCE011 naming `birthDate`, a wrong one OCE012 (the
    /// date itself is never echoed).
    pub(super) fn birth_date_step(
        &self,
        user: usize,
        body: &Value,
        now: i64,
    ) -> Result<(), MockError> {
        let given = body
            .get("birthDate")
            .and_then(Value::as_str)
            .ok_or_else(|| errors::more_information_needed(&["birthDate"]))?;
        if self.birth_date_matches(user, given, now) {
            Ok(())
        } else {
            Err(errors::birth_date_mismatch())
        }
    }

    /// POST /v2/1-click: a new 1-Click, answered as the brand's integration type says.
    pub(crate) fn create_one_click_v2(
        &mut self,
        brand: &Brand,
        request: &MockRequest,
    ) -> Result<MockResponse, MockError> {
        let now = request.now.epoch_millis();
        let body = body(request);
        let phone = body
            .get("phone")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let kind = brand.integration;
        // "The default is the brand's default credential requests setting."
        let requests = match body.get("credentialRequests").and_then(Value::as_array) {
            Some(given) => given.clone(),
            None => kind
                .default_credential_requests()
                .as_array()
                .cloned()
                .unwrap_or_default(),
        };
        if requests.is_empty() {
            return Err(errors::credential_requests_missing());
        }
        let user = self.find_user(phone).ok_or_else(errors::user_not_found)?;
        // A birth date given is checked whatever the type ("In Sandbox, this must be
        // 1989-08-01 to pass validation", `reusables/sandbox-birth-date-admonition.mdx`).
        if body.get("birthDate").is_some() {
            self.birth_date_step(user, &body, now)?;
        }
        let awaiting_birth_date = self.needs_birth_date(user) && body.get("birthDate").is_none();
        // `content` and `redirectUrl` are Hosted's only (endpoints.mdx l.119-160).
        let content = body.get("content").cloned().unwrap_or(Value::Null);
        let text = |v: &Value, key: &str, default: &str| {
            v.get(key)
                .and_then(Value::as_str)
                .unwrap_or(default)
                .to_string()
        };
        let mut wallet = WalletRequest {
            wallet_id: Id::new_uuid(),
            uuid: Id::new_uuid(),
            flow: match kind {
                IntegrationType::Hosted => Flow::Hosted,
                IntegrationType::SemiHosted => Flow::SemiHosted,
                IntegrationType::NonHosted => Flow::NonHosted,
            },
            brand: std::sync::Arc::new(brand.clone()),
            user,
            phone: Some(phone.to_string()),
            email: body
                .get("email")
                .and_then(Value::as_str)
                .map(str::to_string),
            requests: CredentialRequests::new(&requests),
            redirect_url: text(&body, "redirectUrl", &brand.redirect_url).into(),
            verification: "only_code".into(),
            title: text(&content, "title", "Signup").into(),
            description: text(&content, "description", "Make sure everything is correct:").into(),
            created_at: now,
            attempts: 0,
            code_ok: false,
            outcome: None,
            first_retrieved: None,
            v2: Some(V2 {
                code: new_code(),
                awaiting_birth_date,
            }),
        };
        let code = wallet
            .v2
            .as_ref()
            .map(|v| v.code.clone())
            .unwrap_or_default();
        let out = match kind {
            IntegrationType::Hosted => {
                json!({"uuid": wallet.uuid, "url": wallet.url(&request.base_url), "code": code})
            }
            IntegrationType::SemiHosted => json!({"uuid": wallet.uuid, "code": code}),
            IntegrationType::NonHosted => {
                if awaiting_birth_date {
                    return Err(errors::more_information_needed(&["birthDate"]));
                }
                self.source(&mut wallet, now)?;
                json!({"uuid": wallet.uuid, "identity": entity(&wallet)})
            }
        };
        self.requests
            .push(Box::new(wallet), request.now, request.max_entities)
            .map_err(|full| errors::entities_full("1-Clicks", full))?;
        Ok(MockResponse::json(201, out))
    }

    /// The user's data for the request: what they hold, as asked; OCE013 when nothing is
    /// found, OCE007 when a mandatory credential is missing.
    fn source(&self, wallet: &mut WalletRequest, now: i64) -> Result<(), MockError> {
        let picked = pick(
            &wallet.requests.list(),
            &self.usable_credentials(wallet.user, now),
            now,
        );
        if picked.iter().all(|p| p.values.is_empty()) {
            return Err(errors::no_credentials_found());
        }
        let missing = unmet(&picked);
        if !missing.is_empty() {
            return Err(errors::mandatory_missing(&missing));
        }
        wallet.outcome = Some(Outcome::Shared(picked));
        wallet.first_retrieved = Some(now);
        Ok(())
    }

    /// Where the brand's /v2 1-Click with this uuid is; a foreign or unknown uuid (or one made
    /// through the unversioned API) is OCE015 "1-Click Not Found".
    fn v2_index(&self, brand: &Brand, request: &MockRequest) -> Result<usize, MockError> {
        let uuid = request.path_params.get("uuid").cloned().unwrap_or_default();
        self.requests
            .iter()
            .position(|r| {
                r.v2.is_some()
                    && r.flow.is_one_click()
                    && r.uuid.eq_ignore_ascii_case(&uuid)
                    && r.brand.tenant == brand.tenant
            })
            .ok_or_else(errors::one_click_not_found)
    }

    /// A copy of the request at `index`, and the request itself to update afterwards.
    fn v2_request(&self, index: usize) -> Result<WalletRequest, MockError> {
        self.requests
            .get(index)
            .map(|r| WalletRequest::clone(r))
            .ok_or_else(errors::one_click_not_found)
    }

    fn store(&mut self, index: usize, wallet: WalletRequest) -> Result<(), MockError> {
        let slot = self
            .requests
            .get_mut(index)
            .ok_or_else(errors::one_click_not_found)?;
        **slot = wallet;
        Ok(())
    }

    /// GET /v2/1-click/{uuid}[?code=]: the flat 1ClickEntity. Hosted: once the user shared in
    /// the wallet (before: OCE015, after opting out: OCE021). Semi-Hosted: only with the code
    /// the user typed. Non-Hosted: the entity POST answered, again.
    pub(crate) fn get_one_click_v2(
        &mut self,
        brand: &Brand,
        request: &MockRequest,
    ) -> Result<MockResponse, MockError> {
        let now = request.now.epoch_millis();
        let index = self.v2_index(brand, request)?;
        let mut wallet = self.v2_request(index)?;
        if wallet.flow == Flow::SemiHosted {
            let result = self.check_code(&mut wallet, request, now);
            self.store(index, wallet.clone())?;
            result?;
            if wallet.outcome.is_none() {
                if wallet.v2.as_ref().is_some_and(|v| v.awaiting_birth_date) {
                    return Err(errors::more_information_needed(&["birthDate"]));
                }
                self.source(&mut wallet, now)?;
            }
        }
        let result = match &wallet.outcome {
            None => Err(errors::one_click_not_found()),
            Some(Outcome::OptedOut) => Err(errors::opted_out()),
            Some(Outcome::Shared(_)) => retrieval_allowed(&mut wallet, now, "1-Click credentials"),
        };
        let out = entity(&wallet);
        self.store(index, wallet)?;
        result.map(|()| MockResponse::json(200, out))
    }

    /// The Semi-Hosted code check: "Do NOT use code from the response body of POST /1-click
    /// as the value for userInput" is the brand's rule; the mock checks what arrives.
    fn check_code(
        &self,
        wallet: &mut WalletRequest,
        request: &MockRequest,
        now: i64,
    ) -> Result<(), MockError> {
        let given = request.query.get("code").map(|c| c.trim()).unwrap_or("");
        if given.is_empty() {
            return Err(errors::code_required());
        }
        if wallet.attempts >= MAX_CODE_ATTEMPTS {
            return Err(errors::too_many_code_attempts());
        }
        let expected = wallet.v2.as_ref().map(|v| v.code.as_str()).unwrap_or("");
        let fresh = now.saturating_sub(wallet.created_at) < CODE_LIFETIME_MS;
        if given != expected || !fresh {
            wallet.attempts = wallet.attempts.saturating_add(1);
            return Err(errors::code_invalid());
        }
        wallet.code_ok = true;
        Ok(())
    }

    /// PATCH /v2/1-click/{uuid} `{birthDate}`: the Semi-Hosted birth-date step, after the code
    /// was proven by GET (which answered OCE011), within 30 minutes of POST.
    pub(crate) fn patch_one_click_v2(
        &mut self,
        brand: &Brand,
        request: &MockRequest,
    ) -> Result<MockResponse, MockError> {
        let now = request.now.epoch_millis();
        let index = self.v2_index(brand, request)?;
        let mut wallet = self.v2_request(index)?;
        if wallet.flow != Flow::SemiHosted {
            // "Hosted: our web app handles collecting additional information"; "Non-Hosted:
            // POST again with birthDate" (endpoints.mdx l.347-395).
            return Err(errors::general_one_click(
                "PATCH /1-click/{uuid} only applies to a Semi-Hosted integration type",
            ));
        }
        if wallet.expired(now) {
            return Err(errors::expired("1-Click Request Expired"));
        }
        if !wallet.code_ok {
            return Err(errors::code_required());
        }
        if wallet.outcome.is_none() {
            self.birth_date_step(wallet.user, &body(request), now)?;
            if let Some(v2) = wallet.v2.as_mut() {
                v2.awaiting_birth_date = false;
            }
            self.source(&mut wallet, now)?;
        }
        let out = entity(&wallet);
        self.store(index, wallet)?;
        Ok(MockResponse::json(200, out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..50 {
            let c = new_code();
            assert_eq!(c.len(), 6, "{c}");
            assert!(c.bytes().all(|b| b.is_ascii_digit()), "{c}");
        }
    }
}
