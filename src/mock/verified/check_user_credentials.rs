//! POST /hasMatchingCredentials ([verified-api-ref] § Check User Credentials): whether the
//! user can meet the credential requests (the rules are `matching`'s), and if so a wallet
//! request the user answers at the returned `url`. Decided under the network's read lock,
//! kept under its write lock for no longer than the push (issue #24).

use super::super::api::{MockError, MockRequest, MockResponse};
use super::Network;
use super::credential_request::Request;
use super::errors::{self, generic};
use super::ids::Id;
use super::matching::{array, can_match};
use super::people::Brand;
use super::requests::{CredentialRequests, Flow, WalletRequest};
use crate::contract::json_doc::DocNode;
use crate::mock::json_writer;
use serde_json::json;
use std::borrow::Cow;
use std::sync::Arc;

/// What /hasMatchingCredentials decides before it changes anything: the answer, or the
/// wallet request to keep (then the answer names its url).
pub(super) enum Matching {
    /// The user cannot meet the requests (or is no user of the network).
    NoMatch,
    /// A request to keep, made under the read lock; keeping it takes the write lock.
    Keep(Box<WalletRequest>),
}

/// What a /hasMatchingCredentials call asks besides its credential requests.
struct Asked<'b> {
    brand: Arc<Brand>,
    email: Option<&'b str>,
    phone: Option<&'b str>,
    description: Option<&'b str>,
    now: i64,
}

/// The members of a /hasMatchingCredentials body the mock reads (§ Check User Credentials >
/// Request Body), found in one pass over its members rather than a search for each (issue
/// #24); a member that is not a string where one is read is absent, as `as_str` reads it.
#[derive(Default)]
struct Body<'b> {
    email: Option<&'b str>,
    phone: Option<&'b str>,
    description: Option<&'b str>,
    partner_uuid: Option<&'b str>,
    credential_requests: Option<DocNode<'b>>,
}

impl<'b> Body<'b> {
    fn of(body: Option<DocNode<'b>>) -> Self {
        let mut read = Self::default();
        for (name, value) in body.iter().flat_map(DocNode::members) {
            match name {
                "email" => read.email = value.as_str(),
                "phone" => read.phone = value.as_str(),
                "description" => read.description = value.as_str(),
                "partnerUuid" => read.partner_uuid = value.as_str(),
                "credentialRequests" => read.credential_requests = Some(value),
                _ => {}
            }
        }
        read
    }
}

/// The answer when there is none: "Only if the user has the ability to response with the
/// matching credentials is a request created".
pub(super) fn no_match() -> MockResponse {
    MockResponse::json(201, json!({"match": false}))
}

/// The answer of a match (§ Check User Credentials: `{"match": true, "url": ...}`), as
/// serde_json writes it, written by hand (every kept request: issue #24).
fn matched(url: &[&str]) -> MockResponse {
    const OPEN: &[u8] = br#"{"match":true,"url":"#;
    let mut body = Vec::with_capacity(
        OPEN.len()
            .saturating_add(url.iter().map(|p| p.len()).sum())
            .saturating_add(3),
    );
    body.extend_from_slice(OPEN);
    json_writer::push_string(&mut body, url);
    body.push(b'}');
    MockResponse::json_text(201, body)
}

impl Network {
    /// POST /hasMatchingCredentials (§ Check User Credentials).
    pub(crate) fn has_matching_credentials(
        &mut self,
        brand: &Brand,
        request: &MockRequest,
    ) -> Result<MockResponse, MockError> {
        // The first call of a brand (the table's handlers take the brand itself).
        match self.decide_matching(Arc::new(brand.clone()), request)? {
            Matching::NoMatch => Ok(no_match()),
            Matching::Keep(wallet) => self
                .keep_matching(wallet, request)
                .map(|(answer, _)| answer),
        }
    }

    /// The part of /hasMatchingCredentials that only reads the network, so that it can run
    /// under the read lock beside other calls (issue #24).
    ///
    /// The brand is moved into the request it keeps: one count of its `Arc` fewer to take and
    /// give back on each call, a cache line both worker threads write (issue #24).
    pub(super) fn decide_matching(
        &self,
        brand: Arc<Brand>,
        request: &MockRequest,
    ) -> Result<Matching, MockError> {
        let now = request.now.epoch_millis();
        // Read in place: the body is copied only into a request that is kept, and no `Value`
        // of it is built (issue #24).
        let body = Body::of(request.body.doc());
        let (email, phone) = (body.email, body.phone);
        if email.is_none() && phone.is_none() {
            return Err(errors::phone_or_email_required());
        }
        let asked = Asked {
            brand,
            email,
            phone,
            description: body.description,
            now,
        };
        // "If Partner UUID is provided, the Credential requests attribute is not used. Instead,
        // a pre-defined set of accepting partner's credentials requests are used."
        match body.partner_uuid {
            Some(uuid) => {
                let partner = self
                    .partner(uuid)
                    .ok_or_else(|| generic(404, format!("Partner {uuid} not found")))?;
                self.decide_for(array(&partner.credential_requests).iter(), None, asked)
            }
            None => {
                let requests = body.credential_requests;
                let text = requests.and_then(|r| r.array_text());
                self.decide_for(requests.into_iter().flat_map(|r| r.items()), text, asked)
            }
        }
    }

    /// [`decide_matching`](Self::decide_matching) for these credential requests, whose JSON
    /// text is `text` when the body's reader knows it (then a kept request copies it).
    fn decide_for<'r, R: Request<'r>>(
        &self,
        requests: impl Iterator<Item = R> + Clone,
        text: Option<&str>,
        asked: Asked<'_>,
    ) -> Result<Matching, MockError> {
        let now = asked.now;
        if requests.clone().next().is_none() {
            return Err(errors::credential_requests_missing());
        }
        let Some(user) = self.find_user_by(asked.email, asked.phone) else {
            return Ok(Matching::NoMatch);
        };
        if !can_match(requests.clone(), self.usable(user, now), now) {
            return Ok(Matching::NoMatch);
        }
        let description = asked
            .description
            .map_or(Cow::Borrowed("Share your data with a single click"), |d| {
                Cow::Owned(d.to_string())
            });
        let brand = asked.brand;
        let wallet = Box::new(WalletRequest {
            wallet_id: Id::new_uuid(),
            uuid: Id::new_uuid(),
            flow: Flow::Matching,
            redirect_url: brand.redirect_url.clone(),
            brand,
            user,
            phone: asked.phone.map(str::to_string),
            email: asked.email.map(str::to_string),
            requests: text.map_or_else(
                || CredentialRequests::of(requests),
                CredentialRequests::from_text,
            ),
            verification: "only_code".into(),
            title: "Share".into(),
            description,
            created_at: now,
            attempts: 0,
            code_ok: false,
            outcome: None,
            first_retrieved: None,
            v2: None,
        });
        Ok(Matching::Keep(wallet))
    }

    /// Keeps the request [`decide_matching`](Self::decide_matching) made (under the write
    /// lock, for no longer than that) and answers its url; with the answer, the old request
    /// that made room for it (if one did), for the caller to drop after the lock.
    pub(super) fn keep_matching(
        &mut self,
        wallet: Box<WalletRequest>,
        request: &MockRequest,
    ) -> Result<(MockResponse, Option<Box<WalletRequest>>), MockError> {
        let answer = matched(&wallet.url_parts(&request.base_url));
        let made_room = self
            .requests
            .push_making_room(wallet, request.now, request.max_entities)
            .map_err(|full| errors::entities_full("credential requests", full))?;
        Ok((answer, made_room))
    }
}

#[cfg(test)]
mod tests {
    use super::matched;
    use serde_json::json;

    #[test]
    fn a_match_is_answered_as_serde_json_writes_it() {
        for url in [
            &["http://127.0.0.1:8080", "/wallet/", "requests", "/", "4f1c"][..],
            &["http://h/\"q\"\\\u{1}é", "/wallet/"],
            &[],
        ] {
            let answer = matched(url);
            let theirs = serde_json::to_vec(&json!({"match": true, "url": url.concat()}));
            assert_eq!(answer.written.map(|b| b.to_vec()), theirs.ok(), "{url:?}");
            assert_eq!(answer.status.as_u16(), 201);
        }
    }
}
