//! Matching credential requests against a user's credentials (§ Check User Credentials), and
//! the endpoints built on it: POST /hasMatchingCredentials, GET /sharedCredentials/{uuid},
//! GET /credentialRequests/{partnerUuid}.
//!
//! The rules, from the worked example in [verified-api-ref] § Check User Credentials:
//! - `mandatory: "yes"`: "it only matches if the user has a credential"; for a composite
//!   requested without `children`, "only ... with all sub-credentials";
//! - `"if_available"`: "if the user has a credential of type CityCredential it will be
//!   mandatory, but if the user does not ... the user will still be able to share";
//! - missing or `"no"`: "If mandatory field are missing, then the credential will be treated as
//!   optional";
//! - `children`: only those sub-credentials are asked for ("Line1Credential and
//!   Line2Credential are ignored"), and a child marked "yes" must be held for a match
//!   ("StateCredential and CountryCredential are mandatory and therefore the user must have a
//!   credential of each type to match");
//! - `issuers`: "If you list multiple issuers, the user can include a credential issued by any
//!   one of those listed. If issuers is left empty the user can include a credential with
//!   matching type issued by any issuer."
//! - only usable credentials count (§ Patch Credential: revoked or expired is unusable).

use super::super::api::{MockError, MockRequest, MockResponse, set_member};
use super::Network;
use super::credential_request::Request;
use super::credentials::{NetCredential, composite_children, short_key};
use super::errors::{self, generic};
use super::ids::Id;
use super::people::{Brand, Partner};
use super::requests::{
    CredentialRequests, Flow, Outcome, Picked, PickedValue, RETRIEVAL_WINDOW_MS, WalletRequest,
};
use serde_json::{Value, json};

/// `mandatory` of a CredentialRequest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mandatory {
    Yes,
    No,
    IfAvailable,
}

/// `mandatory`, else the deprecated `required: true` (§ CredentialRequest: "@deprecated - Use
/// mandatory field instead"), else optional.
pub(super) fn mandatory<'a>(request: impl Request<'a>) -> Mandatory {
    match request.member("mandatory").and_then(Request::as_str) {
        Some("yes") => Mandatory::Yes,
        Some("if_available") => Mandatory::IfAvailable,
        Some(_) => Mandatory::No,
        None if request.member("required").and_then(Request::as_bool) == Some(true) => {
            Mandatory::Yes
        }
        None => Mandatory::No,
    }
}

pub(super) fn request_type<'a>(request: impl Request<'a>) -> &'a str {
    request
        .member("type")
        .and_then(Request::as_str)
        .unwrap_or("")
}

/// `allowUserInput` defaults to true ([verified-types] § CredentialRequest).
pub(super) fn allows_user_input<'a>(request: impl Request<'a>) -> bool {
    request.member("allowUserInput").and_then(Request::as_bool) != Some(false)
}

/// `multi` defaults to false ([verified-types] § CredentialRequest).
pub(super) fn multi<'a>(request: impl Request<'a>) -> bool {
    request.member("multi").and_then(Request::as_bool) == Some(true)
}

fn issuer_accepted<'a>(request: impl Request<'a>, credential: &NetCredential) -> bool {
    match request.member("issuers").and_then(Request::elements) {
        Some(mut issuers) if issuers.clone().next().is_some() => issuers.any(|i| {
            i.as_str()
                .is_some_and(|i| i.eq_ignore_ascii_case(&credential.issuer))
        }),
        _ => true,
    }
}

/// The child requests of a composite request: its `children`, or, without them, every
/// sub-credential of the type ("If not provided, all sub-credentials will be returned"), those
/// the type requires being mandatory when the parent is ("only matches if the user has a
/// credential with all sub-credentials").
pub(super) fn child_requests(request: &Value, held: Option<&NetCredential>) -> Vec<Value> {
    child_specs(request, held)
        .map(|child| match child {
            ChildRequest::Given(given) => given.to_value(),
            ChildRequest::Listed { ty, yes } => {
                json!({"type": ty, "mandatory": if yes { "yes" } else { "no" }})
            }
        })
        .collect()
}

/// A child request as [`child_requests`] reads it, borrowed: what matching asks of each
/// composite on every /hasMatchingCredentials, without building JSON (issue #24).
#[derive(Debug, Clone, Copy)]
enum ChildRequest<'h, R> {
    /// One of the request's own `children`.
    Given(R),
    /// A sub-credential the type lists (or the held credential has), asked for as `yes` or `no`.
    Listed { ty: &'h str, yes: bool },
}

impl<'r, R: Request<'r>> ChildRequest<'_, R> {
    fn is_type(&self, ty: &str) -> bool {
        match self {
            Self::Given(given) => request_type(*given) == ty,
            Self::Listed { ty: listed, .. } => *listed == ty,
        }
    }

    fn mandatory(&self) -> Mandatory {
        match self {
            Self::Given(given) => mandatory(*given),
            Self::Listed { yes: true, .. } => Mandatory::Yes,
            Self::Listed { yes: false, .. } => Mandatory::No,
        }
    }

    fn issuer_accepted(&self, credential: &NetCredential) -> bool {
        match self {
            Self::Given(given) => issuer_accepted(*given, credential),
            Self::Listed { .. } => true,
        }
    }
}

fn child_specs<'r, 'h, R: Request<'r>>(
    request: R,
    held: Option<&'h NetCredential>,
) -> impl Iterator<Item = ChildRequest<'h, R>> {
    // Three sources, exactly one of which gives anything; chained rather than collected, so
    // that matching a composite allocates nothing (issue #24).
    let given = request.member("children").and_then(Request::elements);
    let ty = request_type(request);
    let parent_yes = mandatory(request) == Mandatory::Yes;
    let listed = given
        .is_none()
        .then(|| composite_children(ty))
        .flatten()
        .filter(|(all, _)| !all.is_empty());
    // A composite whose parts the docs do not list: whatever the credential holds.
    let from_held = held.filter(|_| given.is_none() && listed.is_none());
    let given = given.into_iter().flatten().map(ChildRequest::Given);
    let listed = listed.into_iter().flat_map(move |(all, required)| {
        all.iter().map(move |c| ChildRequest::Listed {
            ty: c,
            yes: parent_yes && required.contains(c),
        })
    });
    let from_held = from_held.into_iter().flat_map(|h| {
        h.children.iter().map(|c| ChildRequest::Listed {
            ty: &c.ty,
            yes: false,
        })
    });
    given.chain(listed).chain(from_held)
}

impl Picked {
    pub(super) fn is_composite(&self) -> bool {
        composite_children(&self.ty).is_some()
    }

    /// The request or any requested child says "yes": the user must hold it to match.
    pub(super) fn required(&self) -> bool {
        required(&self.request)
    }

    /// Whether the user may leave it out of what they share: not required, and not
    /// "if_available" while they hold it.
    pub(super) fn may_be_left_out(&self) -> bool {
        let held_if_available =
            mandatory(&self.request) == Mandatory::IfAvailable && !self.values.is_empty();
        !self.required() && !held_if_available
    }
}

/// The request or any requested child says "yes": the user must hold it to match.
fn required<'a>(request: impl Request<'a>) -> bool {
    mandatory(request) == Mandatory::Yes
        || request
            .member("children")
            .and_then(Request::elements)
            .is_some_and(|mut c| c.any(|c| mandatory(c) == Mandatory::Yes))
}

/// A credential that answers a request, and the children it answers with, borrowed.
type Answer<'a> = (&'a NetCredential, Vec<&'a NetCredential>);

/// Picks, for each request, the user's usable credentials that answer it.
pub(super) fn pick(requests: &[Value], held: &[&NetCredential], now: i64) -> Vec<Picked> {
    requests
        .iter()
        .zip(answers(requests, held, now))
        .map(|(request, values)| {
            let ty = request_type(request);
            Picked {
                request: request.clone(),
                key: short_key(ty),
                ty: ty.to_string(),
                values: values
                    .into_iter()
                    .map(|(credential, children)| PickedValue {
                        credential: credential.clone(),
                        children: children.into_iter().cloned().collect(),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// [`matches`] of what [`pick`] would pick, without copying a credential: the question
/// /hasMatchingCredentials asks on every call (issue #24: the copies were a fifth of its time).
pub(super) fn can_match<'a, 'r, R: Request<'r>>(
    requests: impl IntoIterator<Item = R>,
    held: impl Iterator<Item = &'a NetCredential> + Clone,
    now: i64,
) -> bool {
    // Request by request, stopping at the first answer (issue #24: no list of answers built).
    let mut any = false;
    for request in requests {
        let composite = composite_children(request_type(request)).is_some();
        let answered = candidates(request, held.clone(), now)
            .any(|c| !composite || children_of(request, c, now, |_| {}));
        if !answered && required(request) {
            return false;
        }
        any |= answered;
    }
    any
}

/// For each request, the held credentials that answer it: [`pick`]'s choice, borrowed.
fn answers<'a>(requests: &[Value], held: &[&'a NetCredential], now: i64) -> Vec<Vec<Answer<'a>>> {
    requests
        .iter()
        .map(|request| {
            let composite = composite_children(request_type(request)).is_some();
            let mut values = Vec::new();
            for candidate in candidates(request, held.iter().copied(), now) {
                let mut children = Vec::new();
                if !composite || children_of(request, candidate, now, |c| children.push(c)) {
                    values.push((candidate, children));
                }
            }
            if !multi(request) {
                values.truncate(1);
            }
            values
        })
        .collect()
}

/// The held credentials of the request's type that are usable and from an accepted issuer.
fn candidates<'r, 'a, R: Request<'r>>(
    request: R,
    held: impl Iterator<Item = &'a NetCredential>,
    now: i64,
) -> impl Iterator<Item = &'a NetCredential> {
    let ty = request_type(request);
    held.filter(move |c| c.ty == ty && c.usable(now) && issuer_accepted(request, c))
}

/// Walks a composite request's child requests over `candidate`'s sub-credentials, giving each
/// one found to `found`; whether the candidate answers: no mandatory child missing, and at
/// least one found.
fn children_of<'a, 'r, R: Request<'r>>(
    request: R,
    candidate: &'a NetCredential,
    now: i64,
    mut found: impl FnMut(&'a NetCredential),
) -> bool {
    let (mut complete, mut any) = (true, false);
    for child in child_specs(request, Some(candidate)) {
        let held = candidate
            .children
            .iter()
            .find(|c| child.is_type(&c.ty) && c.usable(now) && child.issuer_accepted(c));
        match held {
            Some(c) => {
                any = true;
                found(c);
            }
            None if child.mandatory() == Mandatory::Yes => complete = false,
            None => {}
        }
    }
    complete && any
}

/// A JSON array's items; anything else has none.
pub(super) fn array(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

/// The types of required requests the user does not hold.
pub(super) fn unmet(picked: &[Picked]) -> Vec<String> {
    picked
        .iter()
        .filter(|p| p.required() && p.values.is_empty())
        .map(|p| p.ty.clone())
        .collect()
}

/// "Only if the user has the ability to response with the matching credentials is a request
/// created": every required request is met and at least one request picked something.
pub(super) fn matches(picked: &[Picked]) -> bool {
    unmet(picked).is_empty() && picked.iter().any(|p| !p.values.is_empty())
}

/// Shared credentials (§ Get Shared Credentials): Credential objects with plaintext data, a
/// composite carrying only the children that were asked for.
pub(super) fn shared_credentials(picked: &[Picked]) -> Vec<Value> {
    picked
        .iter()
        .flat_map(|p| &p.values)
        .map(|v| {
            let children: Vec<&NetCredential> = v.children.iter().collect();
            v.credential.shared(&children)
        })
        .collect()
}

impl Network {
    /// The url of § Issue Credentials with a partnerUuid: a request for the partner's
    /// pre-defined credentials, shared with the partner, when the user can meet it.
    pub(crate) fn partner_request(
        &mut self,
        partner: &Partner,
        user: usize,
        email: Option<&str>,
        phone: Option<&str>,
        request: &MockRequest,
    ) -> Option<String> {
        let now = request.now.epoch_millis();
        let requests = partner.credential_requests.as_array()?;
        let picked = pick(requests, &self.usable_credentials(user, now), now);
        if !matches(&picked) {
            return None;
        }
        let brand = self
            .brands
            .iter()
            .find(|b| b.tenant == partner.tenant)
            .cloned()?;
        let wallet = WalletRequest {
            wallet_id: Id::new_uuid(),
            uuid: Id::new_uuid(),
            flow: Flow::Matching,
            redirect_url: partner.redirect_url.as_str().into(),
            brand: std::sync::Arc::new(brand),
            user,
            phone: phone.map(str::to_string),
            email: email.map(str::to_string),
            requests: CredentialRequests::new(requests),
            verification: "only_code".into(),
            title: "Share".into(),
            description: format!("Share your data with {}", partner.name).into(),
            created_at: now,
            attempts: 0,
            code_ok: false,
            outcome: None,
            first_retrieved: None,
            v2: None,
        };
        let url = wallet.url(&request.base_url);
        // The partner's brand at its cap: the credentials are issued, without a url.
        self.requests
            .push(Box::new(wallet), request.now, request.max_entities)
            .ok()?;
        Some(url)
    }

    /// GET /sharedCredentials/{sharedCredentialsUuid} (§ Get Shared Credentials).
    pub(crate) fn get_shared_credentials(
        &mut self,
        brand: &Brand,
        request: &MockRequest,
    ) -> Result<MockResponse, MockError> {
        let now = request.now.epoch_millis();
        let uuid = request
            .path_params
            .get("sharedCredentialsUuid")
            .cloned()
            .unwrap_or_default();
        let not_found = || generic(404, format!("No shared credentials {uuid}"));
        // A request's uuid is only known once the user has answered it (the redirect carries
        // it), and only to the brand it was shared with.
        let wallet = self
            .requests
            .iter_mut()
            .find(|r| {
                r.flow == Flow::Matching
                    && r.uuid.eq_ignore_ascii_case(&uuid)
                    && r.brand.tenant == brand.tenant
                    && r.outcome.is_some()
            })
            .ok_or_else(not_found)?;
        retrieval_allowed(wallet, now, "shared credentials")?;
        let picked = match &wallet.outcome {
            Some(Outcome::Shared(picked)) => picked.clone(),
            // contracts/NOTES.md § Mock behaviour: an opted-out user's request answers OCE021.
            _ => return Err(errors::opted_out()),
        };
        let mut out = json!({"uuid": wallet.uuid, "credentials": shared_credentials(&picked)});
        if let Some(e) = &wallet.email {
            set_member(&mut out, "email", json!(e));
        }
        if let Some(p) = &wallet.phone {
            set_member(&mut out, "phone", json!(p));
        }
        Ok(MockResponse::json(200, out))
    }

    /// GET /credentialRequests/{partnerUuid} (§ Get Partner Credential Requests).
    pub(crate) fn get_partner_credential_requests(
        &self,
        request: &MockRequest,
    ) -> Result<MockResponse, MockError> {
        let uuid = request
            .path_params
            .get("partnerUuid")
            .cloned()
            .unwrap_or_default();
        let partner = self
            .partner(&uuid)
            .ok_or_else(|| generic(404, format!("Partner {uuid} not found")))?;
        Ok(MockResponse::json(
            200,
            json!({"credentialRequests": partner.credential_requests}),
        ))
    }
}

/// The 5-minute retrieval window: the first retrieval starts it; once it has passed, 410
/// OCE014 (contracts/NOTES.md § Statuses: "410, not 404, for an expired retrieval window").
pub(super) fn retrieval_allowed(
    wallet: &mut WalletRequest,
    now: i64,
    what: &str,
) -> Result<(), MockError> {
    match wallet.first_retrieved {
        Some(first) if now.saturating_sub(first) >= RETRIEVAL_WINDOW_MS => Err(errors::expired(
            format!("Access to these {what} ended 5 minutes after they were first retrieved"),
        )),
        Some(_) => Ok(()),
        None => {
            wallet.first_retrieved = Some(now);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::verified::people::ACME_UUID;

    fn richard(n: &Network) -> Vec<&NetCredential> {
        n.usable_credentials(n.find_user("+10123456789").unwrap(), 0)
    }

    /// The request of the worked example in § Check User Credentials.
    fn worked_example() -> Vec<Value> {
        serde_json::from_str(
            r#"[
              {"type": "SsnCredential", "issuers": [], "mandatory": "yes"},
              {"type": "FullNameCredential", "issuers": [], "mandatory": "yes"},
              {"type": "PhoneCredential", "issuers": [], "mandatory": "if_available", "allowUserInput": true},
              {"type": "AddressCredential", "issuers": [], "children": [
                {"type": "CityCredential", "issuers": [], "mandatory": "if_available"},
                {"type": "StateCredential", "issuers": [], "mandatory": "yes"},
                {"type": "CountryCredential", "issuers": [], "mandatory": "yes"},
                {"type": "ZipCodeCredential", "issuers": []}
              ]}
            ]"#,
        )
        .unwrap()
    }

    #[test]
    fn the_worked_example_matches_richard_with_only_the_asked_children() {
        let n = Network::seeded();
        let picked = pick(&worked_example(), &richard(&n), 0);
        assert!(matches(&picked));
        let address = &picked[3].values[0];
        let types: Vec<&str> = address.children.iter().map(|c| c.ty.as_str()).collect();
        assert_eq!(
            types,
            [
                "CityCredential",
                "StateCredential",
                "CountryCredential",
                "ZipCodeCredential"
            ]
        );
        assert_eq!(picked[1].values[0].children.len(), 2, "first and last name");
    }

    #[test]
    fn a_missing_mandatory_credential_means_no_match() {
        let n = Network::seeded();
        let jared = n.usable_credentials(n.find_user("jared@piedpiper.net").unwrap(), 0);
        let picked = pick(&worked_example(), &jared, 0);
        assert_eq!(unmet(&picked), ["SsnCredential"]);
        assert!(!matches(&picked));
    }

    #[test]
    fn a_mandatory_child_the_user_lacks_means_no_match() {
        let n = Network::seeded();
        let jared = n.usable_credentials(n.find_user("jared@piedpiper.net").unwrap(), 0);
        let requests = vec![json!({"type": "AddressCredential", "children": [
            {"type": "Line2Credential", "mandatory": "yes"},
            {"type": "CityCredential"}
        ]})];
        assert!(!matches(&pick(&requests, &jared, 0)));
        // Richard's second address has a line 2: that one is picked.
        let picked = pick(&requests, &richard(&n), 0);
        assert!(matches(&picked));
        assert_eq!(picked[0].values[0].children[0].value(), Some("Apt 301"));
    }

    #[test]
    fn if_available_and_optional_do_not_block_a_match() {
        let n = Network::seeded();
        let jared = n.usable_credentials(n.find_user("jared@piedpiper.net").unwrap(), 0);
        for m in ["if_available", "no"] {
            let requests = vec![
                json!({"type": "SsnCredential", "mandatory": m}),
                json!({"type": "EmailCredential", "mandatory": "yes"}),
            ];
            let picked = pick(&requests, &jared, 0);
            assert!(matches(&picked), "{m}");
            assert!(picked[0].values.is_empty());
        }
        // Nothing at all held: no request is created.
        let only_ssn = vec![json!({"type": "SsnCredential", "mandatory": "if_available"})];
        assert!(!matches(&pick(&only_ssn, &jared, 0)));
    }

    #[test]
    fn issuers_filter_and_the_deprecated_required_flag() {
        let n = Network::seeded();
        let other = vec![
            json!({"type": "SsnCredential", "issuers": ["00000000-0000-4000-8000-000000000000"]}),
        ];
        assert!(!matches(&pick(&other, &richard(&n), 0)));
        let acme = vec![json!({"type": "SsnCredential", "issuers": [ACME_UUID]})];
        assert!(matches(&pick(&acme, &richard(&n), 0)));
        let required = json!({"type": "SsnCredential", "required": true});
        assert_eq!(mandatory(&required), Mandatory::Yes);
    }

    #[test]
    fn multi_takes_every_value_and_single_takes_the_first() {
        let n = Network::seeded();
        let one = pick(&[json!({"type": "AddressCredential"})], &richard(&n), 0);
        assert_eq!(one[0].values.len(), 1);
        let all = pick(
            &[json!({"type": "AddressCredential", "multi": true})],
            &richard(&n),
            0,
        );
        assert_eq!(all[0].values.len(), 3);
        // Without children every sub-credential comes; the first address has no line 2.
        assert_eq!(all[0].values[0].children.len(), 5);
        assert_eq!(all[0].values[1].children.len(), 6);
    }

    #[test]
    fn can_match_answers_as_matches_of_pick_does() {
        let n = Network::seeded();
        let jared = n.usable_credentials(n.find_user("jared@piedpiper.net").unwrap(), 0);
        let sets = [
            worked_example(),
            vec![json!({"type": "SsnCredential", "mandatory": "if_available"})],
            vec![json!({"type": "AddressCredential", "children": [
                {"type": "Line2Credential", "mandatory": "yes"}, {"type": "CityCredential"}]})],
            vec![json!({"type": "SsnCredential", "issuers": [ACME_UUID]})],
            vec![json!({"type": "FullNameCredential", "mandatory": "yes"})],
            vec![
                json!({"type": "SsnCredential", "mandatory": "no"}),
                json!({"type": "EmailCredential", "mandatory": "yes"}),
            ],
        ];
        let mut seen = (0, 0);
        for held in [richard(&n), jared] {
            for (i, requests) in sets.iter().enumerate() {
                for now in [0, 1_871_839_024_044] {
                    let expected = matches(&pick(requests, &held, now));
                    assert_eq!(
                        can_match(requests, held.iter().copied(), now),
                        expected,
                        "set {i} at {now}"
                    );
                    if expected { seen.0 += 1 } else { seen.1 += 1 }
                }
            }
        }
        assert!(
            seen.0 > 0 && seen.1 > 0,
            "both answers are exercised: {seen:?}"
        );
    }

    #[test]
    fn unusable_credentials_are_never_picked() {
        let n = Network::seeded();
        let held = richard(&n);
        // 1871839024044 is when the email and the first two addresses expire.
        let later = pick(
            &[json!({"type": "EmailCredential", "multi": true})],
            &held,
            1_871_839_024_044,
        );
        assert_eq!(later[0].values.len(), 1);
        assert_eq!(
            later[0].values[0].credential.value(),
            Some("richard@hooli.com")
        );
    }
}
