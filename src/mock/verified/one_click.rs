//! 1-Click Signup: hosted and non-hosted (POST /1-click), trusted (POST /1-click/trusted), Get
//! 1-Click Credentials (GET /1-click/{uuid}) and Update 1-Click Credentials (POST
//! /1-click/{uuid}/credentials), and the 1ClickEntity they answer.

use super::super::api::{MockError, MockRequest, MockResponse, set_member};
use super::Network;
use super::credentials::{Meta, NetCredential, birth_date_millis, short_key};
use super::edits::apply_edits;
use super::errors::{self, generic};
use super::ids::Id;
use super::matching::{multi, pick, retrieval_allowed, unmet};
use super::people::{Brand, TEST_CODE};
use super::requests::{
    CredentialRequests, Flow, Outcome, Picked, RETRIEVAL_WINDOW_MS, WalletRequest,
};
use serde_json::{Map, Value, json};

/// [verified-api-ref] § 1-Click > Default 1-Click Credential Requests.
pub(super) fn default_credential_requests() -> Value {
    json!([
        {"type": "FullNameCredential", "children": [
            {"type": "FirstNameCredential"},
            {"type": "MiddleNameCredential"},
            {"type": "LastNameCredential"}
        ], "allowUserInput": true},
        {"type": "EmailCredential", "allowUserInput": true},
        {"type": "PhoneCredential"},
        {"type": "AddressCredential", "children": [
            {"type": "Line1Credential"},
            {"type": "Line2Credential"},
            {"type": "CityCredential"},
            {"type": "StateCredential"},
            {"type": "CountryCredential"},
            {"type": "ZipCodeCredential"}
        ], "allowUserInput": true},
        {"type": "BirthDateCredential", "allowUserInput": true},
        {"type": "SsnCredential", "allowUserInput": true}
    ])
}

/// The metadata keys of a credential (§ Get 1-Click Credentials > metadataType).
const METADATA_KEYS: [&str; 6] = [
    "id",
    "verificationMethod",
    "status",
    "issuerUuid",
    "issuanceDate",
    "expirationDate",
];

/// A credential's value in the simplified format and its metadata, in [`METADATA_KEYS`]
/// order. A birth date is answered as stored, milliseconds since the epoch: reference § User
/// Data Format ("the default format for the dateBirth credential is a unixTimestamp"), the
/// vendor's current trusted 1-Click example (`"birthDate": "695131200000"`) and their example
/// app, which reads it with `formatDateMMDDYYYY` (contracts/NOTES.md § Vendor evidence). The
/// page says other formats can be requested but not how, so no request asks for one.
fn simplified(c: &NetCredential) -> (Value, [Value; 6]) {
    let value = c.value().unwrap_or_default().to_string();
    (
        json!(value),
        [
            json!(c.id),
            c.method.as_ref().map_or(Value::Null, |m| json!(m)),
            json!(c.status.as_str()),
            json!(c.issuer),
            json!(c.issued_at.to_string()),
            c.expires_at.map_or(Value::Null, |e| json!(e.to_string())),
        ],
    )
}

/// The `credentials` of a 1ClickEntity and the `metadata.credentials` that mirror them
/// ([verified-types] § 1ClickEntity):
/// - "If the credential request has children, each credential value will have type Object";
///   a composite asked for without `children` also answers an object of all its parts (§ Check
///   User Credentials: "If not provided, all sub-credentials will be returned"; contracts/
///   NOTES.md § Mock behaviour);
/// - "If the credential request does not have children, each credential value will have type
///   string";
/// - "If the credential request has multi set to true, the data keyed on credentialKey will be
///   an array of credential values" ("Arrays May Be Single Valued"); else a single value;
/// - metadata is keyed metadataKey first, then credentialKey, each mirroring the value's shape.
pub(super) fn entity_credentials(picked: &[Picked]) -> (Map<String, Value>, Map<String, Value>) {
    let mut credentials = Map::new();
    let mut metadata: [Map<String, Value>; 6] = Default::default();
    for p in picked.iter().filter(|p| !p.values.is_empty()) {
        let mut values = Vec::new();
        let mut metas: [Vec<Value>; 6] = Default::default();
        for v in &p.values {
            if p.is_composite() {
                let mut object = Map::new();
                let mut meta: [Map<String, Value>; 6] = Default::default();
                for child in &v.children {
                    let key = short_key(&child.ty);
                    let (value, m) = simplified(child);
                    object.insert(key.clone(), value);
                    for (slot, item) in meta.iter_mut().zip(m) {
                        slot.insert(key.clone(), item);
                    }
                }
                values.push(Value::Object(object));
                for (slot, m) in metas.iter_mut().zip(meta) {
                    slot.push(Value::Object(m));
                }
            } else {
                let (value, m) = simplified(&v.credential);
                values.push(value);
                for (slot, item) in metas.iter_mut().zip(m) {
                    slot.push(item);
                }
            }
        }
        // (`items` has one entry per value, and `p` has values)
        let shape = |items: Vec<Value>| {
            if multi(&p.request) {
                Value::Array(items)
            } else {
                items.into_iter().next().unwrap_or_default()
            }
        };
        credentials.insert(p.key.clone(), shape(values));
        for (slot, items) in metadata.iter_mut().zip(metas) {
            slot.insert(p.key.clone(), shape(items));
        }
    }
    let metadata = METADATA_KEYS
        .iter()
        .zip(metadata)
        .map(|(k, m)| (k.to_string(), Value::Object(m)))
        .collect();
    (credentials, metadata)
}

/// The 1ClickEntity of an answered 1-Click. "If in the 1-Click Response, the credentials
/// attribute is not present, then means the user opted out of sharing their credentials. But
/// you can still use the 1ClickUuid to check if the user verified their phone number".
pub(super) fn entity(w: &WalletRequest) -> Value {
    let mut identifiers = Map::new();
    let mut methods = Map::new();
    if let Some(phone) = &w.phone {
        identifiers.insert("phone".into(), json!(phone));
        methods.insert("phone".into(), w.identifier_method());
    }
    let mut out = json!({
        "identifiers": identifiers,
        "metadata": {"identifiers": {"verificationMethod": methods}},
    });
    if let Some(Outcome::Shared(picked)) = &w.outcome {
        let (credentials, metadata) = entity_credentials(picked);
        set_member(&mut out, "credentials", Value::Object(credentials));
        if let Some(out_metadata) = out.get_mut("metadata") {
            set_member(out_metadata, "credentials", Value::Object(metadata));
        }
    }
    out
}

pub(super) fn body(request: &MockRequest) -> Value {
    request.body.json().cloned().unwrap_or(Value::Null)
}

/// The body's credential requests. An item may be a bare type name: Verified's 1-Click guide
/// (VerifiedInc.github.io docs, § Change Data Types Requested) sends
/// `["FullNameCredential", "EmailCredential", ...]`; it asks for that type as `{type}` would.
fn requests_of(body: &Value) -> Vec<Value> {
    body.get("credentialRequests")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|item| match item {
                    Value::String(name) => json!({"type": name}),
                    other => other.clone(),
                })
                .collect()
        })
        .unwrap_or_else(|| {
            default_credential_requests()
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
}

/// The SMS the brand sends in production (§ 1-Click: "the SMS body that we recommend sending to
/// the user; You will only have to handle sending the SMS in Production"), by
/// `verificationOptions`. The brand is never told the code any other way, so the body carries
/// it: Verified's 1-Click guide (VerifiedInc.github.io `docs/1-click-signup.mdx`: `only_code`
/// "makes the SMS body contain a verification code rather than a link", `both_link_and_code`
/// "both a verification link and code"; its example "Click this link to verify for Hooli:
/// https://wallet.verified.inc/mt/…"), worded like their example app's own code SMS ("Enter
/// this code to verify for 1-Click Starter App: ${code}"). contracts/NOTES.md § Mock behaviour.
fn sms_body(brand: &str, options: &str, url: &str) -> String {
    match options {
        "only_link" => format!("Click this link to verify for {brand}: {url}"),
        "both_link_and_code" => {
            format!("Enter this code to verify for {brand}: {TEST_CODE}, or click this link: {url}")
        }
        _ => format!("Enter this code to verify for {brand}: {TEST_CODE}"),
    }
}

impl Network {
    /// Whether `birth_date` (YYYY-MM-DD) is one of the user's usable birth dates.
    pub(super) fn birth_date_matches(&self, user: usize, birth_date: &str, now: i64) -> bool {
        let Some(given) = birth_date_millis(birth_date) else {
            return false;
        };
        self.usable_credentials(user, now)
            .iter()
            .filter(|c| c.ty == "BirthDateCredential")
            .any(|c| c.value().and_then(|v| v.parse::<i64>().ok()) == Some(given))
    }

    /// POST /1-click (§ 1-Click): hosted by default; `isHosted: false` answers the data
    /// synchronously with a uuid, like § Trusted 1-Click (contracts/NOTES.md § Mock behaviour).
    pub(crate) fn create_one_click(
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
        let hosted = body.get("isHosted").and_then(Value::as_bool) != Some(false);
        let requests = requests_of(&body);
        if requests.is_empty() {
            return Err(errors::credential_requests_missing());
        }
        // "match: indicates whether we can provide the user with a 1-Click Signup flow": an
        // unknown phone is an unknown user.
        let Some(user) = self.find_user(phone) else {
            return Ok(MockResponse::json(201, json!({"match": false})));
        };
        let email = body.get("email").and_then(Value::as_str);
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
            flow: if hosted {
                Flow::Hosted
            } else {
                Flow::NonHosted
            },
            brand: std::sync::Arc::new(brand.clone()),
            user,
            phone: Some(phone.to_string()),
            email: email.map(str::to_string),
            requests: CredentialRequests::new(&requests),
            // "Default is the redirect url provided in your settings."
            redirect_url: text(&body, "redirectUrl", &brand.redirect_url).into(),
            // "Default is 'only_code'."
            verification: text(&body, "verificationOptions", "only_code").into(),
            // "Default is 'Signup'"; "Default is 'Make sure everything is correct:'".
            title: text(&content, "title", "Signup").into(),
            description: text(&content, "description", "Make sure everything is correct:").into(),
            created_at: now,
            attempts: 0,
            code_ok: false,
            outcome: None,
            first_retrieved: None,
            v2: None,
        };
        if hosted {
            let url = wallet.url(&request.base_url);
            let sms = sms_body(&brand.name, &wallet.verification, &url);
            self.requests
                .push(Box::new(wallet), request.now, request.max_entities)
                .map_err(|full| errors::entities_full("1-Clicks", full))?;
            return Ok(MockResponse::json(
                201,
                json!({"url": url, "match": true, "smsBody": sms}),
            ));
        }
        // Non-hosted: § 1-Click "(Optional) User's birthDate. Only required if you are using
        // the non-hosted integration" (its absence is OCE011, see errors.rs).
        let birth_date = body
            .get("birthDate")
            .and_then(Value::as_str)
            .ok_or_else(|| errors::more_information_needed(&["birthDate"]))?;
        if !self.birth_date_matches(user, birth_date, now) {
            return Err(errors::birth_date_mismatch());
        }
        let picked = pick(&requests, &self.usable_credentials(user, now), now);
        if picked.iter().all(|p| p.values.is_empty()) {
            return Ok(MockResponse::json(201, json!({"match": false})));
        }
        let missing = unmet(&picked);
        if !missing.is_empty() {
            return Err(errors::mandatory_missing(&missing));
        }
        wallet.outcome = Some(Outcome::Shared(picked));
        wallet.first_retrieved = Some(now);
        let mut out = entity(&wallet);
        set_member(&mut out, "match", json!(true));
        set_member(&mut out, "uuid", json!(wallet.uuid));
        self.requests
            .push(Box::new(wallet), request.now, request.max_entities)
            .map_err(|full| errors::entities_full("1-Clicks", full))?;
        Ok(MockResponse::json(201, out))
    }

    /// POST /1-click/trusted (§ Trusted 1-Click): "the user's credentials are returned
    /// synchronously in the response body", with "the addition of the uuid attribute".
    pub(crate) fn create_trusted_one_click(
        &mut self,
        brand: &Brand,
        request: &MockRequest,
    ) -> Result<MockResponse, MockError> {
        let now = request.now.epoch_millis();
        // "Verified Inc. having to perform additional integration checks prior to enabling
        // this feature for your brand."
        if !brand.trusted {
            return Err(errors::brand_not_allowed("Trusted 1-Click"));
        }
        let body = body(request);
        let phone = body
            .get("phone")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let birth_date = body
            .get("birthDate")
            .and_then(Value::as_str)
            .ok_or_else(|| errors::more_information_needed(&["birthDate"]))?;
        let user = self.find_user(phone).ok_or_else(errors::user_not_found)?;
        if !self.birth_date_matches(user, birth_date, now) {
            return Err(errors::birth_date_mismatch());
        }
        let requests = requests_of(&body);
        let picked = pick(&requests, &self.usable_credentials(user, now), now);
        if picked.iter().all(|p| p.values.is_empty()) {
            return Err(errors::no_credentials_found());
        }
        let missing = unmet(&picked);
        if !missing.is_empty() {
            return Err(errors::mandatory_missing(&missing));
        }
        let wallet = WalletRequest {
            wallet_id: Id::new_uuid(),
            uuid: Id::new_uuid(),
            flow: Flow::Trusted,
            brand: std::sync::Arc::new(brand.clone()),
            user,
            phone: Some(phone.to_string()),
            email: body
                .get("email")
                .and_then(Value::as_str)
                .map(str::to_string),
            requests: CredentialRequests::new(&requests),
            redirect_url: brand.redirect_url.clone(),
            verification: "only_code".into(),
            title: "Signup".into(),
            description: std::borrow::Cow::Borrowed(""),
            created_at: now,
            attempts: 0,
            code_ok: false,
            outcome: Some(Outcome::Shared(picked)),
            first_retrieved: Some(now),
            v2: None,
        };
        let mut out = entity(&wallet);
        set_member(&mut out, "uuid", json!(wallet.uuid));
        self.requests
            .push(Box::new(wallet), request.now, request.max_entities)
            .map_err(|full| errors::entities_full("1-Clicks", full))?;
        Ok(MockResponse::json(201, out))
    }

    /// The answered 1-Click with this uuid, if this brand asked for it. A 1ClickUuid is only
    /// known once the user has answered (the redirect carries it) or, for non-hosted and
    /// trusted, from the response; anything else is "1-Click not found".
    fn answered_one_click(
        &mut self,
        brand: &Brand,
        uuid: &str,
    ) -> Result<&mut WalletRequest, MockError> {
        self.requests
            .iter_mut()
            .find(|r| {
                r.flow.is_one_click()
                    && r.v2.is_none()
                    && r.uuid.eq_ignore_ascii_case(uuid)
                    && r.brand.tenant == brand.tenant
                    && r.outcome.is_some()
            })
            .map(|r| &mut **r)
            .ok_or_else(errors::one_click_not_found)
    }

    /// GET /1-click/{uuid} (§ Get 1-Click Credentials): "Your brand's access to 1-Click
    /// credentials is deleted after 5 minutes of the initial credential data retrieval."
    pub(crate) fn get_one_click(
        &mut self,
        brand: &Brand,
        request: &MockRequest,
    ) -> Result<MockResponse, MockError> {
        let now = request.now.epoch_millis();
        let uuid = request.path_params.get("uuid").cloned().unwrap_or_default();
        let wallet = self.answered_one_click(brand, &uuid)?;
        retrieval_allowed(wallet, now, "1-Click credentials")?;
        Ok(MockResponse::json(200, entity(wallet)))
    }

    /// POST /1-click/{uuid}/credentials (§ Update 1-Click Credentials): "only relevant for
    /// the 1-click non-hosted and trusted variants"; "The credential values in same format
    /// they were provided"; answers the verbose credential list with 201.
    pub(crate) fn update_one_click_credentials(
        &mut self,
        brand: &Brand,
        request: &MockRequest,
    ) -> Result<MockResponse, MockError> {
        let now = request.now.epoch_millis();
        let uuid = request.path_params.get("uuid").cloned().unwrap_or_default();
        let body = body(request);
        if let Some(given) = body.get("uuid").and_then(Value::as_str)
            && !given.eq_ignore_ascii_case(&uuid)
        {
            return Err(generic(
                400,
                "The uuid in the body is not the one in the path",
            ));
        }
        let wallet = self.answered_one_click(brand, &uuid)?;
        if wallet.flow == Flow::Hosted {
            return Err(errors::general_one_click(
                "Only non-hosted and trusted 1-Clicks can be updated",
            ));
        }
        if wallet
            .first_retrieved
            .is_some_and(|first| now.saturating_sub(first) >= RETRIEVAL_WINDOW_MS)
        {
            return Err(errors::expired("1-Click request expired"));
        }
        let edits = body
            .get("credentials")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let Some(Outcome::Shared(picked)) = &mut wallet.outcome else {
            return Err(errors::opted_out());
        };
        // Data the brand passes back is attested by the brand ("you will earn a share of the
        // revenue generated when the user uses that data elsewhere").
        let meta = Meta {
            issuer: brand.uuid.clone(),
            user: wallet.user,
            issued_at: now,
            expires_at: None,
            method: Some("self_attested".into()),
        };
        let edited = apply_edits(picked, &edits, &meta, false)?;
        let verbose: Vec<Value> = picked
            .iter()
            .filter(|p| edited.contains(&p.key))
            .flat_map(|p| p.values.iter().map(move |v| (p, v)))
            .map(|(p, v)| {
                if p.is_composite() {
                    let children: Vec<Value> = v.children.iter().map(verbose_credential).collect();
                    json!({"type": p.ty, "verificationMethod": "self_attested", "data": children})
                } else {
                    verbose_credential(&v.credential)
                }
            })
            .collect();
        Ok(MockResponse::json(201, Value::Array(verbose)))
    }
}

/// One credential of the Update 1-Click Credentials response: `{type, verificationMethod,
/// data}` with the data "conforming to credential schemas" (a birth date as stored).
fn verbose_credential(c: &NetCredential) -> Value {
    json!({
        "type": c.ty,
        "verificationMethod": c.method,
        "data": c.data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::verified::matching::pick;

    fn richard_picks(requests: Value) -> Vec<Picked> {
        let n = Network::seeded();
        let held = n.usable_credentials(n.find_user("+10123456789").unwrap(), 0);
        pick(requests.as_array().unwrap(), &held, 0)
    }

    #[test]
    fn a_bare_type_name_asks_as_its_request_object_would() {
        let names = json!({"credentialRequests": ["FullNameCredential", "EmailCredential"]});
        let objects = json!({"credentialRequests": [{"type": "FullNameCredential"}, {"type": "EmailCredential"}]});
        assert_eq!(requests_of(&names), requests_of(&objects));
        let (credentials, _) =
            entity_credentials(&richard_picks(Value::Array(requests_of(&names))));
        assert_eq!(
            Value::Object(credentials),
            json!({"fullName": {"firstName": "Richard", "lastName": "Hendricks"},
                   "email": "richard@piedpiper.net"})
        );
    }

    #[test]
    fn the_default_requests_give_objects_and_strings() {
        let (credentials, metadata) =
            entity_credentials(&richard_picks(default_credential_requests()));
        assert_eq!(
            Value::Object(credentials.clone()),
            json!({
                "fullName": {"firstName": "Richard", "lastName": "Hendricks"},
                "email": "richard@piedpiper.net",
                "phone": "+10123456789",
                "address": {"line1": "5320 Newell Rd", "city": "Palo Alto", "state": "CA",
                            "country": "US", "zipCode": "94303"},
                "birthDate": "617976000000",
                "ssn": "123456789"
            })
        );
        assert_eq!(
            metadata["id"]["email"],
            "8a1d4e35-413d-496b-b499-8810b55cfb5c"
        );
        assert_eq!(
            metadata["id"]["fullName"]["firstName"],
            "2e6a7b9a-e93e-43ba-98a9-c554f4e16457"
        );
        assert_eq!(metadata["verificationMethod"]["email"], "self_attested");
        assert_eq!(metadata["expirationDate"]["email"], "1871839024044");
        assert_eq!(metadata["expirationDate"]["ssn"], Value::Null);
        assert_eq!(metadata["status"]["address"]["city"], "valid");
    }

    #[test]
    fn multi_gives_arrays_even_for_one_value() {
        let (credentials, metadata) = entity_credentials(&richard_picks(json!([
            {"type": "EmailCredential", "multi": true},
            {"type": "SsnCredential", "multi": true},
            {"type": "AddressCredential", "multi": true, "children": [{"type": "CityCredential"}]}
        ])));
        assert_eq!(
            credentials["email"],
            json!(["richard@piedpiper.net", "richard@hooli.com"])
        );
        assert_eq!(credentials["ssn"], json!(["123456789"]));
        assert_eq!(
            credentials["address"],
            json!([{"city": "Palo Alto"}, {"city": "San Francisco"}, {"city": "San Jose"}])
        );
        assert_eq!(
            metadata["verificationMethod"]["address"][2]["city"],
            "phone_carrier"
        );
    }

    #[test]
    fn the_sms_body_carries_what_the_user_needs() {
        let url = "http://mock/verified/wallet/1-click/abc";
        assert_eq!(
            sms_body("Hooli", "only_code", url),
            "Enter this code to verify for Hooli: 111111"
        );
        assert_eq!(
            sms_body("Hooli", "only_link", url),
            format!("Click this link to verify for Hooli: {url}")
        );
        let both = sms_body("Hooli", "both_link_and_code", url);
        assert!(both.contains(TEST_CODE) && both.contains(url), "{both}");
    }

    #[test]
    fn nothing_held_means_no_key() {
        let n = Network::seeded();
        let held = n.usable_credentials(n.find_user("jared@piedpiper.net").unwrap(), 0);
        let picked = pick(&[json!({"type": "SsnCredential"})], &held, 0);
        let (credentials, metadata) = entity_credentials(&picked);
        assert!(credentials.is_empty());
        assert_eq!(metadata["id"], json!({}));
    }
}
