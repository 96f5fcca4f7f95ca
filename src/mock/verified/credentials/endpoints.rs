//! The issuer's endpoints (§ Issue Credentials, § Patch Credential, § Get Credential, § Patch
//! All User Credentials, § Get All User Credentials).

use super::super::super::api::{MockError, MockRequest, MockResponse, set_member};
use super::super::errors::{self, generic};
use super::super::people::Brand;
use super::super::{Network, new_id};
use super::*;
use serde_json::{Value, json};

impl Network {
    /// POST /credentials (§ Issue Credentials).
    pub(crate) fn issue_credentials(
        &mut self,
        brand: &Brand,
        request: &MockRequest,
    ) -> Result<MockResponse, MockError> {
        let now = request.now.epoch_millis();
        let body = request.body_object();
        let email = text(&body, "email");
        let phone = text(&body, "phone");
        if email.is_none() && phone.is_none() {
            return Err(errors::phone_or_email_required());
        }
        let partner = match text(&body, "partnerUuid") {
            Some(uuid) => Some(
                self.partner(uuid)
                    .cloned()
                    .ok_or_else(|| generic(404, format!("Partner {uuid} not found")))?,
            ),
            None => None,
        };
        let items = body
            .get("credentials")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if items.is_empty() {
            return Err(generic(
                400,
                "credentials must hold one or more Credentials",
            ));
        }
        // Parse everything before storing anything: a batch is issued whole or not at all.
        let user = self.find_user_by(email, phone);
        let mut drafts = Vec::new();
        for item in &items {
            let ty = item.get("type").and_then(Value::as_str).unwrap_or_default();
            let meta = Meta {
                issuer: brand.uuid.clone(),
                user: user.unwrap_or(usize::MAX),
                issued_at: now,
                expires_at: item.get("expirationDate").and_then(Value::as_i64),
                // An issuer's data is what the issuer attests (vouch's choice, NOTES.md).
                method: None,
            };
            let mut credential = parse_data(ty, item.get("data").unwrap_or(&Value::Null), &meta)?;
            // § Issue Credentials: "uuid formatted; optional. If not provided, a random uuid
            // will be generated ... if a duplicate id value is seen another credential will not
            // be created. Expect a HTTP status code of 409".
            credential.id = match item.get("id").and_then(Value::as_str) {
                Some(id) => id.to_ascii_lowercase(),
                None => new_id(),
            };
            let taken = self.credential_index(&credential.id).is_some()
                || drafts.iter().any(|d: &NetCredential| d.id == credential.id);
            if taken {
                return Err(generic(
                    409,
                    format!("A credential with id {} already exists", credential.id),
                ));
            }
            drafts.push(credential);
        }
        // Room for the whole batch (it is issued whole or not at all): over the brand's cap
        // its oldest expired credentials go first, else 429.
        let room = request
            .max_entities
            .saturating_sub(drafts.len().saturating_sub(1));
        self.credentials
            .make_room(&brand.uuid, request.now, room)
            .map_err(|full| errors::entities_full("issued credentials", full))?;
        let user = match user {
            Some(u) => u,
            None => self.add_user(email, phone),
        };
        self.add_identifiers(user, email, phone);
        let mut issued = Vec::new();
        for mut credential in drafts {
            credential.user = user;
            for c in &mut credential.children {
                c.user = user;
            }
            issued.push(credential.dto(false));
            self.credentials
                .push(credential, request.now, request.max_entities)
                .map_err(|full| errors::entities_full("issued credentials", full))?;
        }
        let mut out = json!({"credentials": issued});
        if let Some(e) = email {
            set_member(&mut out, "email", json!(e));
        }
        if let Some(p) = phone {
            set_member(&mut out, "phone", json!(p));
        }
        if let Some(t) = text(&body, "trackingId") {
            set_member(&mut out, "trackingId", json!(t));
        }
        // § Issue Credentials: "url ... Only present if partnerUuid was provided and conditions
        // are met": the user holds what the partner's pre-defined requests ask for.
        if let Some(partner) = partner
            && let Some(url) = self.partner_request(&partner, user, email, phone, request)
        {
            set_member(&mut out, "url", json!(url));
        }
        Ok(MockResponse::json(201, out))
    }

    /// The index of a top-level credential by id.
    pub(crate) fn credential_index(&self, id: &str) -> Option<usize> {
        let id = id.to_ascii_lowercase();
        self.credentials.iter().position(|c| c.id == id)
    }

    /// A credential this brand issued ("This endpoint returns a credential (issued by your
    /// brand)"); another brand's id answers exactly as an unknown one.
    fn own_credential(&self, brand: &Brand, id: &str) -> Result<&NetCredential, MockError> {
        let lower = id.to_ascii_lowercase();
        self.credentials
            .iter()
            .find(|c| c.id == lower)
            .filter(|c| c.issuer == brand.uuid)
            .ok_or_else(|| not_found(id))
    }

    /// [`Self::own_credential`], to change it.
    fn own_credential_mut(
        &mut self,
        brand: &Brand,
        id: &str,
    ) -> Result<&mut NetCredential, MockError> {
        let lower = id.to_ascii_lowercase();
        self.credentials
            .iter_mut()
            .find(|c| c.id == lower)
            .filter(|c| c.issuer == brand.uuid)
            .ok_or_else(|| not_found(id))
    }

    /// PATCH /credentials/{id} (§ Patch Credential): new data, expiration date and/or status;
    /// "The resultant credential id remains the same".
    pub(crate) fn patch_credential(
        &mut self,
        brand: &Brand,
        request: &MockRequest,
    ) -> Result<MockResponse, MockError> {
        let now = request.now.epoch_millis();
        let id = request.path_params.get("id").cloned().unwrap_or_default();
        let credential = self.own_credential_mut(brand, &id)?;
        let body = request.body_object();
        let mut updated = credential.clone();
        updated.updated_at = now;
        if let Some(data) = body.get("data") {
            let meta = Meta {
                issuer: updated.issuer.clone(),
                user: updated.user,
                issued_at: updated.issued_at,
                expires_at: updated.expires_at,
                method: updated.method.clone(),
            };
            let fresh = parse_data(&updated.ty, data, &meta)?;
            updated.data = fresh.data;
            updated.children = fresh.children;
            for c in &mut updated.children {
                c.status = updated.status;
                c.updated_at = now;
            }
        }
        if let Some(at) = body.get("expirationDate").and_then(Value::as_i64) {
            updated.set_expiration(Some(at), now);
        }
        if let Some(status) = text(&body, "status").and_then(Status::parse) {
            updated.set_status(status, now);
        }
        let out = updated.dto(true);
        *credential = updated;
        Ok(MockResponse::json(200, out))
    }

    /// GET /credentials/{id} (§ Get Credential).
    pub(crate) fn get_credential(
        &self,
        brand: &Brand,
        request: &MockRequest,
    ) -> Result<MockResponse, MockError> {
        let id = request.path_params.get("id").cloned().unwrap_or_default();
        let credential = self.own_credential(brand, &id)?;
        // Written straight from the record, no JSON tree (a GET on every poll: issue #24).
        Ok(MockResponse::json_written(
            200,
            &super::dto::Dto {
                credential,
                stamped: true,
            },
        ))
    }

    /// PATCH /userCredentials/{userIdentifier} (§ Patch All User Credentials): "The only
    /// credential value that can by updated in this manner is status"; "This endpoint all
    /// modifies credentials issued to the user by your brand". Other members of the body are
    /// ignored.
    pub(crate) fn patch_user_credentials(
        &mut self,
        brand: &Brand,
        request: &MockRequest,
    ) -> Result<MockResponse, MockError> {
        let now = request.now.epoch_millis();
        let user = self.user_from_path(request)?;
        let status = text(&request.body_object(), "status")
            .and_then(Status::parse)
            .ok_or_else(|| generic(400, "status must be valid or revoked"))?;
        let mut modified = Vec::new();
        for c in &mut self.credentials {
            if c.user == user && c.issuer == brand.uuid {
                c.set_status(status, now);
                modified.push(c.dto(true));
            }
        }
        Ok(MockResponse::json(200, json!({"credentials": modified})))
    }

    /// GET /userCredentials/{userIdentifier} (§ Get All User Credentials): "all credentials
    /// issued to the user by your brand".
    pub(crate) fn get_user_credentials(
        &self,
        brand: &Brand,
        request: &MockRequest,
    ) -> Result<MockResponse, MockError> {
        let user = self.user_from_path(request)?;
        let list: Vec<Value> = self
            .credentials
            .iter()
            .filter(|c| c.user == user && c.issuer == brand.uuid)
            .map(|c| c.dto(true))
            .collect();
        Ok(MockResponse::json(200, json!({"credentials": list})))
    }

    fn user_from_path(&self, request: &MockRequest) -> Result<usize, MockError> {
        let identifier = request
            .path_params
            .get("userIdentifier")
            .cloned()
            .unwrap_or_default();
        self.find_user(&identifier)
            .ok_or_else(errors::user_not_found)
    }

    /// A user's usable credentials, in issuance order.
    pub(crate) fn usable_credentials(&self, user: usize, now: i64) -> Vec<&NetCredential> {
        self.usable(user, now).collect()
    }

    /// [`usable_credentials`](Self::usable_credentials) as they are walked, not collected
    /// (/hasMatchingCredentials asks on every call: issue #24).
    pub(crate) fn usable(
        &self,
        user: usize,
        now: i64,
    ) -> impl Iterator<Item = &NetCredential> + Clone {
        self.credentials
            .iter()
            .filter(move |c| c.user == user && c.usable(now))
    }
}
