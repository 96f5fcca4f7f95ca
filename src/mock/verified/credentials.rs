//! Credentials: the credential types, one credential as the network stores it, its value
//! formats, and the issuer's endpoints (§ Issue Credentials, § Patch Credential, § Get
//! Credential, § Patch All User Credentials, § Get All User Credentials).

use super::super::api::{MockError, MockRequest, MockResponse, set_member};
use super::errors::{self, generic};
use super::network_users::Brand;
use super::{Network, new_id};
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use serde_json::{Map, Value, json};

/// `valid` or `revoked` (§ Issue Credentials > Response Body: "all credentials are valid when
/// first issued — note that this is independent of the expirationDate").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Valid,
    Revoked,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Revoked => "revoked",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "valid" => Some(Status::Valid),
            "revoked" => Some(Status::Revoked),
            _ => None,
        }
    }
}

/// The children of a composite credential type, and those it must carry.
///
/// verified-api-reference.txt § Composite Credentials: "a FullNameCredential is made up of
/// FirstNameCredential, MiddleNameCredential(optional), and LastNameCredential. When issuing a
/// composite credential, you must provide the child credentials as well." AddressCredential's
/// six parts are § Check User Credentials'; Line2 is the optional one (vouch's choice,
/// contracts/NOTES.md § Mock behaviour). The other composites of SUPPLEMENT.md § Credential
/// types have undocumented parts: any child type, none required.
pub fn composite_children(ty: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    const FULL_NAME: &[&str] = &[
        "FirstNameCredential",
        "MiddleNameCredential",
        "LastNameCredential",
    ];
    const FULL_NAME_REQUIRED: &[&str] = &["FirstNameCredential", "LastNameCredential"];
    const ADDRESS: &[&str] = &[
        "Line1Credential",
        "Line2Credential",
        "CityCredential",
        "StateCredential",
        "ZipCodeCredential",
        "CountryCredential",
    ];
    const ADDRESS_REQUIRED: &[&str] = &[
        "Line1Credential",
        "CityCredential",
        "StateCredential",
        "ZipCodeCredential",
        "CountryCredential",
    ];
    match ty {
        "FullNameCredential" => Some((FULL_NAME, FULL_NAME_REQUIRED)),
        "AddressCredential" => Some((ADDRESS, ADDRESS_REQUIRED)),
        "GovernmentIdCredential"
        | "EmployerCredential"
        | "AnnualIncomeCredential"
        | "PhoneInfoCredential" => Some((&[], &[])),
        _ => None,
    }
}

/// The shortened credential type (§ Get 1-Click Credentials > Definitions: "just the type
/// without the word Credential", camelCase): `FirstNameCredential` → `firstName`. It is also
/// the data key of an atomic credential (`{"firstName": "Richard"}`, § Composite Credentials).
pub fn short_key(ty: &str) -> String {
    let stem = ty.strip_suffix("Credential").unwrap_or(ty);
    let mut chars = stem.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// Birth dates are stored as "a string of milliseconds since the epoch falling on
/// 12:00:00.000 UTC (e.g. "631195200000")" (SUPPLEMENT.md § Value formats).
pub fn birth_date_millis(date: &str) -> Option<i64> {
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let noon = day.and_time(NaiveTime::from_hms_opt(12, 0, 0)?);
    Some(Utc.from_utc_datetime(&noon).timestamp_millis())
}

/// A stored birth date (ms at noon UTC) as `YYYY-MM-DD`, the format of the 1ClickEntity
/// example and of 1-Click request bodies.
pub fn birth_date_text(stored: &str) -> Option<String> {
    let ms: i64 = stored.parse().ok()?;
    let at = Utc.timestamp_millis_opt(ms).single()?;
    Some(at.format("%Y-%m-%d").to_string())
}

/// Whether a value is valid for a type (SUPPLEMENT.md § Value formats: "SSN is 9 digits;
/// phone is E.164; a stored birth date is a string of milliseconds since the epoch falling on
/// 12:00:00.000 UTC, while request bodies of /1-click use YYYY-MM-DD; US ZIP is
/// ^\d{5}(-\d{4})?$"). `stored` picks the birth-date form. Messages never carry the value.
pub fn check_value(ty: &str, value: &str, stored: bool) -> Result<(), MockError> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let ok = match ty {
        "SsnCredential" => value.len() == 9 && digits(value),
        "PhoneCredential" => is_e164(value),
        "EmailCredential" => is_email(value),
        "ZipCodeCredential" => {
            let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
            (value.len() == 5 && all_digits(value))
                || value.split_once('-').is_some_and(|(zip, plus4)| {
                    zip.len() == 5 && plus4.len() == 4 && all_digits(zip) && all_digits(plus4)
                })
        }
        "BirthDateCredential" if stored => value
            .parse::<i64>()
            .ok()
            .and_then(|ms| Utc.timestamp_millis_opt(ms).single())
            .is_some_and(|t| t.timestamp_millis() % 86_400_000 == 43_200_000),
        "BirthDateCredential" => birth_date_millis(value).is_some(),
        _ => !value.trim().is_empty(),
    };
    if ok {
        Ok(())
    } else {
        let expected = match ty {
            "SsnCredential" => "9 digits",
            "PhoneCredential" => "an E.164 phone number",
            "EmailCredential" => "an email address",
            "ZipCodeCredential" => "a US ZIP code",
            "BirthDateCredential" if stored => "milliseconds since the epoch at 12:00:00.000 UTC",
            "BirthDateCredential" => "a date, YYYY-MM-DD",
            _ => "a non-empty string",
        };
        Err(generic(400, format!("{ty} data must be {expected}")))
    }
}

pub fn is_e164(value: &str) -> bool {
    let Some(rest) = value.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&rest.len())
        && rest.bytes().all(|b| b.is_ascii_digit())
        && !rest.starts_with('0')
}

fn is_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// One credential in the network: atomic (a data map) or composite (child credentials).
#[derive(Debug, Clone)]
pub struct NetCredential {
    pub id: String,
    pub ty: String,
    /// The issuing brand's uuid (`issuerUuid`, `issuer`).
    pub issuer: String,
    /// The user it was issued to (index into the network's users).
    pub user: usize,
    pub issued_at: i64,
    pub expires_at: Option<i64>,
    pub status: Status,
    /// How the data was verified (§ Get 1-Click Credentials > metadataType).
    pub method: Option<String>,
    /// An atomic credential's data, e.g. `{"ssn": "123456789"}`; empty for a composite.
    pub data: Map<String, Value>,
    pub children: Vec<NetCredential>,
}

impl NetCredential {
    /// An atomic credential whose data is `{short_key(ty): value}`.
    pub fn atomic(id: &str, ty: &str, value: &str, meta: &Meta) -> Self {
        let mut data = Map::new();
        data.insert(short_key(ty), Value::String(value.to_string()));
        Self {
            id: id.to_string(),
            ty: ty.to_string(),
            issuer: meta.issuer.clone(),
            user: meta.user,
            issued_at: meta.issued_at,
            expires_at: meta.expires_at,
            status: Status::Valid,
            method: meta.method.clone(),
            data,
            children: Vec::new(),
        }
    }

    /// A composite credential from `(id, child type, value)` parts.
    pub fn composite(id: &str, ty: &str, parts: &[(&str, &str, &str)], meta: &Meta) -> Self {
        let children = parts
            .iter()
            .map(|(cid, cty, v)| Self::atomic(cid, cty, v, meta))
            .collect();
        Self {
            children,
            data: Map::new(),
            ..Self::atomic(id, ty, "", meta)
        }
    }

    pub fn is_composite(&self) -> bool {
        composite_children(&self.ty).is_some()
    }

    /// The value of an atomic credential (its data member under the shortened type).
    pub fn value(&self) -> Option<&str> {
        self.data.get(&short_key(&self.ty)).and_then(Value::as_str)
    }

    /// § Patch Credential note: "If a credential is expired but the status is 'valid' it is an
    /// unusable credential. Likewise, if the credential as not expired but the status is
    /// 'revoked', it is also not usable credential."
    pub fn usable(&self, now: i64) -> bool {
        self.status == Status::Valid && self.expires_at.is_none_or(|e| e > now)
    }

    fn set_status(&mut self, status: Status) {
        self.status = status;
        for c in &mut self.children {
            c.set_status(status);
        }
    }

    fn set_expiration(&mut self, at: Option<i64>) {
        self.expires_at = at;
        for c in &mut self.children {
            c.set_expiration(at);
        }
    }

    /// `data` as the issuer sees it: the map, or `[{id, type, data}]` children.
    fn data_value(&self) -> Value {
        if self.is_composite() {
            Value::Array(
                self.children
                    .iter()
                    .map(|c| json!({"id": c.id, "type": c.ty, "data": c.data_value()}))
                    .collect(),
            )
        } else {
            Value::Object(self.data.clone())
        }
    }

    /// CredentialDto (§ Patch Credential, § Get Credential): issuanceDate a string,
    /// expirationDate a number. In CredentialsDto (§ Issue Credentials) expirationDate is a
    /// string too (`expiration_text`); contracts/NOTES.md § Timestamps.
    pub fn dto(&self, expiration_text: bool) -> Value {
        let mut out = json!({
            "id": self.id,
            "type": self.ty,
            "data": self.data_value(),
            "issuanceDate": self.issued_at.to_string(),
            "status": self.status.as_str(),
        });
        if let Some(e) = self.expires_at {
            let expiration = if expiration_text {
                json!(e.to_string())
            } else {
                json!(e)
            };
            set_member(&mut out, "expirationDate", expiration);
        }
        out
    }

    /// Credential (§ Get Shared Credentials): "plaintext user data"; issuanceDate and
    /// expirationDate are numbers; a composite's data is its child Credentials.
    pub fn shared(&self, children: &[&NetCredential]) -> Value {
        let data = if self.is_composite() {
            Value::Array(children.iter().map(|c| c.shared(&[])).collect())
        } else {
            Value::Object(self.data.clone())
        };
        let mut out = json!({
            "id": self.id,
            "type": self.ty,
            "issuer": self.issuer,
            "issuanceDate": self.issued_at,
            "data": data,
        });
        if let Some(e) = self.expires_at {
            set_member(&mut out, "expirationDate", json!(e));
        }
        out
    }
}

/// What credentials issued together share.
#[derive(Debug, Clone)]
pub struct Meta {
    pub issuer: String,
    pub user: usize,
    pub issued_at: i64,
    pub expires_at: Option<i64>,
    pub method: Option<String>,
}

/// Parses one `Credentials` object of an issue request (or the `data` of a patch) into a
/// credential, enforcing what the contract cannot: an atomic credential's data member and its
/// format, a composite credential's children (allowed types, required ones, no repeats).
fn parse_data(ty: &str, data: &Value, meta: &Meta) -> Result<NetCredential, MockError> {
    match (composite_children(ty), data) {
        (Some((allowed, required)), Value::Array(items)) => {
            let mut children = Vec::new();
            for item in items {
                let child_ty = item
                    .get("type")
                    .and_then(Value::as_str)
                    .ok_or_else(|| generic(400, format!("Every child of {ty} needs a type")))?;
                if !allowed.is_empty() && !allowed.contains(&child_ty) {
                    return Err(generic(400, format!("{child_ty} is not a part of {ty}")));
                }
                if composite_children(child_ty).is_some() {
                    return Err(generic(400, format!("{ty} cannot contain {child_ty}")));
                }
                if children.iter().any(|c: &NetCredential| c.ty == child_ty) {
                    return Err(generic(400, format!("{ty} has {child_ty} twice")));
                }
                let child_data = item.get("data").unwrap_or(&Value::Null);
                let mut child = parse_data(child_ty, child_data, meta)?;
                child.id = new_id();
                children.push(child);
            }
            if let Some(missing) = required
                .iter()
                .find(|r| !children.iter().any(|c| c.ty == **r))
            {
                return Err(generic(
                    400,
                    format!("{ty} must carry its child credentials: {missing} is missing"),
                ));
            }
            if children.is_empty() {
                return Err(generic(
                    400,
                    format!("{ty} must carry its child credentials"),
                ));
            }
            Ok(NetCredential {
                children,
                data: Map::new(),
                ..NetCredential::atomic("", ty, "", meta)
            })
        }
        (Some(_), _) => Err(generic(
            400,
            format!(
                "{ty} is a composite credential: its data is the list of its child credentials"
            ),
        )),
        (None, Value::Object(map)) => {
            let key = short_key(ty);
            let value = map.get(&key).and_then(Value::as_str).ok_or_else(|| {
                generic(
                    400,
                    format!("{ty} data needs the member `{key}` (a string)"),
                )
            })?;
            check_value(ty, value, true)?;
            Ok(NetCredential {
                data: map.clone(),
                ..NetCredential::atomic("", ty, value, meta)
            })
        }
        (None, _) => Err(generic(
            400,
            format!("{ty} is an atomic credential: its data is an object"),
        )),
    }
}

fn not_found(id: &str) -> MockError {
    // contracts/NOTES.md § Statuses: "no credential with that id from your brand".
    generic(404, format!("No credential {id} issued by your brand"))
}

fn text<'a>(body: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    body.get(key).and_then(Value::as_str)
}

impl Network {
    /// POST /credentials (§ Issue Credentials).
    pub fn issue_credentials(
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
            issued.push(credential.dto(true));
            self.credentials.push(credential);
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
    pub fn credential_index(&self, id: &str) -> Option<usize> {
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
    pub fn patch_credential(
        &mut self,
        brand: &Brand,
        request: &MockRequest,
    ) -> Result<MockResponse, MockError> {
        let id = request.path_params.get("id").cloned().unwrap_or_default();
        let credential = self.own_credential_mut(brand, &id)?;
        let body = request.body_object();
        let mut updated = credential.clone();
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
            }
        }
        if let Some(at) = body.get("expirationDate").and_then(Value::as_i64) {
            updated.set_expiration(Some(at));
        }
        if let Some(status) = text(&body, "status").and_then(Status::parse) {
            updated.set_status(status);
        }
        let out = updated.dto(false);
        *credential = updated;
        Ok(MockResponse::json(200, out))
    }

    /// GET /credentials/{id} (§ Get Credential).
    pub fn get_credential(
        &self,
        brand: &Brand,
        request: &MockRequest,
    ) -> Result<MockResponse, MockError> {
        let id = request.path_params.get("id").cloned().unwrap_or_default();
        let credential = self.own_credential(brand, &id)?;
        Ok(MockResponse::json(200, credential.dto(false)))
    }

    /// PATCH /userCredentials/{userIdentifier} (§ Patch All User Credentials): "The only
    /// credential value that can by updated in this manner is status"; "This endpoint all
    /// modifies credentials issued to the user by your brand". Other members of the body are
    /// ignored.
    pub fn patch_user_credentials(
        &mut self,
        brand: &Brand,
        request: &MockRequest,
    ) -> Result<MockResponse, MockError> {
        let user = self.user_from_path(request)?;
        let status = text(&request.body_object(), "status")
            .and_then(Status::parse)
            .ok_or_else(|| generic(400, "status must be valid or revoked"))?;
        let mut modified = Vec::new();
        for c in &mut self.credentials {
            if c.user == user && c.issuer == brand.uuid {
                c.set_status(status);
                modified.push(c.dto(false));
            }
        }
        Ok(MockResponse::json(200, json!({"credentials": modified})))
    }

    /// GET /userCredentials/{userIdentifier} (§ Get All User Credentials): "all credentials
    /// issued to the user by your brand".
    pub fn get_user_credentials(
        &self,
        brand: &Brand,
        request: &MockRequest,
    ) -> Result<MockResponse, MockError> {
        let user = self.user_from_path(request)?;
        let list: Vec<Value> = self
            .credentials
            .iter()
            .filter(|c| c.user == user && c.issuer == brand.uuid)
            .map(|c| c.dto(false))
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
    pub fn usable_credentials(&self, user: usize, now: i64) -> Vec<&NetCredential> {
        self.credentials
            .iter()
            .filter(|c| c.user == user && c.usable(now))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Meta {
        Meta {
            issuer: "issuer".into(),
            user: 0,
            issued_at: 1,
            expires_at: None,
            method: None,
        }
    }

    #[test]
    fn short_keys_are_camel_case_stems() {
        assert_eq!(short_key("FirstNameCredential"), "firstName");
        assert_eq!(short_key("ZipCodeCredential"), "zipCode");
        assert_eq!(short_key("SsnCredential"), "ssn");
        assert_eq!(short_key("Line1Credential"), "line1");
    }

    #[test]
    fn birth_dates_are_stored_at_noon_utc() {
        let ms = birth_date_millis("1989-08-01").unwrap();
        assert_eq!(ms, 617_976_000_000);
        assert_eq!(
            birth_date_text(&ms.to_string()).as_deref(),
            Some("1989-08-01")
        );
        assert!(check_value("BirthDateCredential", &ms.to_string(), true).is_ok());
        assert!(check_value("BirthDateCredential", &(ms + 1).to_string(), true).is_err());
        assert!(check_value("BirthDateCredential", "1989-08-01", true).is_err());
        assert!(check_value("BirthDateCredential", "1989-08-01", false).is_ok());
        assert!(check_value("BirthDateCredential", "1989-02-30", false).is_err());
    }

    #[test]
    fn value_formats() {
        assert!(check_value("SsnCredential", "123456789", true).is_ok());
        assert!(check_value("SsnCredential", "12345678", true).is_err());
        assert!(check_value("ZipCodeCredential", "94303", true).is_ok());
        assert!(check_value("ZipCodeCredential", "94303-1234", true).is_ok());
        assert!(check_value("ZipCodeCredential", "9430", true).is_err());
        assert!(check_value("ZipCodeCredential", "94303-12", true).is_err());
        assert!(check_value("ZipCodeCredential", "abcd€", false).is_err());
        assert!(check_value("ZipCodeCredential", "9430€1234", false).is_err());
        assert!(check_value("PhoneCredential", "+10123456789", true).is_ok());
        assert!(check_value("PhoneCredential", "0123456789", true).is_err());
        assert!(check_value("EmailCredential", "a@b.co", true).is_ok());
        assert!(check_value("EmailCredential", "a@b", true).is_err());
        let e = check_value("SsnCredential", "12-34", true).unwrap_err();
        assert!(!e.message.contains("12-34"), "{}", e.message);
    }

    #[test]
    fn composites_must_carry_their_required_children() {
        let full = json!([
            {"type": "FirstNameCredential", "data": {"firstName": "Richard"}},
            {"type": "LastNameCredential", "data": {"lastName": "Hendricks"}}
        ]);
        let c = parse_data("FullNameCredential", &full, &meta()).unwrap();
        assert_eq!(c.children.len(), 2);
        let partial = json!([{"type": "FirstNameCredential", "data": {"firstName": "R"}}]);
        let e = parse_data("FullNameCredential", &partial, &meta()).unwrap_err();
        assert!(
            e.message.contains("LastNameCredential is missing"),
            "{}",
            e.message
        );
        let wrong = json!([
            {"type": "FirstNameCredential", "data": {"firstName": "R"}},
            {"type": "LastNameCredential", "data": {"lastName": "H"}},
            {"type": "CityCredential", "data": {"city": "Palo Alto"}}
        ]);
        assert!(parse_data("FullNameCredential", &wrong, &meta()).is_err());
        assert!(parse_data("FullNameCredential", &json!({"firstName": "R"}), &meta()).is_err());
        assert!(parse_data("SsnCredential", &json!([]), &meta()).is_err());
        assert!(parse_data("SexCredential", &json!({"gender": "x"}), &meta()).is_err());
    }

    #[test]
    fn revoked_or_expired_is_unusable() {
        let mut c = NetCredential::atomic("id", "SsnCredential", "123456789", &meta());
        assert!(c.usable(10));
        c.expires_at = Some(10);
        assert!(!c.usable(10));
        assert!(c.usable(9));
        c.expires_at = None;
        c.set_status(Status::Revoked);
        assert!(!c.usable(0));
    }
}
