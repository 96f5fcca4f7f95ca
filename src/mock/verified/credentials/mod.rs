//! Credentials: the credential types, one credential as the network stores it, its value
//! formats, and the issuer's endpoints (§ Issue Credentials, § Patch Credential, § Get
//! Credential, § Patch All User Credentials, § Get All User Credentials).

mod dto;
mod endpoints;
mod values;

pub(super) use values::*;

use super::super::api::MockError;
use super::errors::generic;
use super::new_id;
use serde_json::{Map, Value};

/// `valid` or `revoked` (§ Issue Credentials > Response Body: "all credentials are valid when
/// first issued — note that this is independent of the expirationDate").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Valid,
    Revoked,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
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
/// One credential in the network: atomic (a data map) or composite (child credentials).
#[derive(Debug, Clone)]
pub(crate) struct NetCredential {
    pub id: String,
    pub ty: String,
    /// The issuing brand's uuid (`issuerUuid`, `issuer`).
    pub issuer: String,
    /// The user it was issued to (index into the network's users).
    pub user: usize,
    pub issued_at: i64,
    /// When it was last patched or revoked (its issuance until then).
    pub updated_at: i64,
    pub expires_at: Option<i64>,
    pub status: Status,
    /// How the data was verified (§ Get 1-Click Credentials > metadataType).
    pub method: Option<String>,
    /// An atomic credential's data, e.g. `{"ssn": "123456789"}`; empty for a composite.
    pub data: Map<String, Value>,
    pub children: Vec<NetCredential>,
}

impl NetCredential {
    /// An atomic credential whose data is `{data_key(ty): value}`.
    pub(crate) fn atomic(id: &str, ty: &str, value: &str, meta: &Meta) -> Self {
        let mut data = Map::new();
        if let Some(key) = data_key(ty) {
            data.insert(key, Value::String(value.to_string()));
        }
        Self {
            id: id.to_string(),
            ty: ty.to_string(),
            issuer: meta.issuer.clone(),
            user: meta.user,
            issued_at: meta.issued_at,
            updated_at: meta.issued_at,
            expires_at: meta.expires_at,
            status: Status::Valid,
            method: meta.method.clone(),
            data,
            children: Vec::new(),
        }
    }

    /// A composite credential from `(id, child type, value)` parts.
    pub(crate) fn composite(id: &str, ty: &str, parts: &[(&str, &str, &str)], meta: &Meta) -> Self {
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

    pub(crate) fn is_composite(&self) -> bool {
        composite_children(&self.ty).is_some()
    }

    /// The value of an atomic credential (its data member, `data_key`).
    pub(crate) fn value(&self) -> Option<&str> {
        self.data.get(&data_key(&self.ty)?).and_then(Value::as_str)
    }

    /// § Patch Credential note: "If a credential is expired but the status is 'valid' it is an
    /// unusable credential. Likewise, if the credential as not expired but the status is
    /// 'revoked', it is also not usable credential."
    pub(crate) fn usable(&self, now: i64) -> bool {
        self.status == Status::Valid && self.expires_at.is_none_or(|e| e > now)
    }

    fn set_status(&mut self, status: Status, now: i64) {
        self.status = status;
        self.updated_at = now;
        for c in &mut self.children {
            c.set_status(status, now);
        }
    }

    fn set_expiration(&mut self, at: Option<i64>, now: i64) {
        self.expires_at = at;
        self.updated_at = now;
        for c in &mut self.children {
            c.set_expiration(at, now);
        }
    }

    /// CredentialDto ([`dto::Dto`]) as a JSON tree, for answers that embed it.
    pub(crate) fn dto(&self, stamped: bool) -> Value {
        serde_json::to_value(dto::Dto {
            credential: self,
            stamped,
        })
        .unwrap_or_default()
    }

    /// Credential (§ Get Shared Credentials, [`dto::Shared`]) as a JSON tree: a composite
    /// carries the `children` asked for.
    pub(crate) fn shared(&self, children: &[&NetCredential]) -> Value {
        serde_json::to_value(dto::Shared {
            credential: self,
            children,
        })
        .unwrap_or_default()
    }
}

/// What credentials issued together share.
#[derive(Debug, Clone)]
pub(crate) struct Meta {
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
        (Some(_), Value::Object(map)) => parse_composite_map(ty, map, meta),
        (Some(_), _) => Err(generic(
            400,
            format!(
                "{ty} is a composite credential: its data is the list of its child credentials"
            ),
        )),
        (None, Value::Object(map)) => {
            let Some(key) = data_key(ty) else {
                return Ok(NetCredential {
                    data: map.clone(),
                    ..NetCredential::atomic("", ty, "", meta)
                });
            };
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

/// A composite issued as the schema package defines it (`src/jsonSchemas/compositeCredential/`):
/// one data map of its children's members, at least one, no other (`unevaluatedProperties:
/// false`). The map is kept as issued (and answered so); each member with a child type also
/// becomes a child, so matching and sharing find the parts as they find an array's.
fn parse_composite_map(
    ty: &str,
    map: &Map<String, Value>,
    meta: &Meta,
) -> Result<NetCredential, MockError> {
    if map.is_empty() {
        return Err(generic(400, format!("{ty} data needs at least one member")));
    }
    let mut children = Vec::new();
    for (member, value) in map {
        let text = value
            .as_str()
            .ok_or_else(|| generic(400, format!("{ty} data member `{member}` must be a string")))?;
        if let Some(child_ty) = composite_member_type(ty, member) {
            check_value(child_ty, text, true)?;
            children.push(NetCredential::atomic(&new_id(), child_ty, text, meta));
        }
    }
    Ok(NetCredential {
        children,
        data: map.clone(),
        ..NetCredential::atomic("", ty, "", meta)
    })
}

fn not_found(id: &str) -> MockError {
    // contracts/NOTES.md § Statuses: "no credential with that id from your brand".
    generic(404, format!("No credential {id} issued by your brand"))
}

fn text<'a>(body: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    body.get(key).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        // The schema package's member names win over the shortened type (contracts/vendor/
        // verified-schema-sdk/…/jsonSchemas/<Type>.json).
        assert_eq!(
            data_key("FirstNameCredential").as_deref(),
            Some("firstName")
        );
        assert_eq!(
            data_key("GovernmentIdTypeCredential").as_deref(),
            Some("documentType")
        );
        assert_eq!(
            data_key("DocumentNumberCredential").as_deref(),
            Some("idNumber")
        );
        assert_eq!(
            data_key("CountryResidenceCredential").as_deref(),
            Some("country")
        );
        assert_eq!(data_key("IdentityCredential"), None);
    }

    #[test]
    fn birth_dates_are_stored_at_noon_utc() {
        let ms = birth_date_millis("1989-08-01").unwrap();
        assert_eq!(ms, 617_976_000_000);
        assert_eq!(
            birth_date_stored("1989-08-01").as_deref(),
            Some("617976000000")
        );
        assert_eq!(
            birth_date_stored("617976000000").as_deref(),
            Some("617976000000")
        );
        assert_eq!(birth_date_stored("617976000001"), None);
        // Before 1970: a minus, still at noon UTC.
        let old = birth_date_millis("1950-06-15").unwrap();
        assert!(old < 0);
        assert_eq!(birth_date_stored(&old.to_string()), Some(old.to_string()));
        assert!(check_value("BirthDateCredential", &ms.to_string(), true).is_ok());
        assert!(check_value("BirthDateCredential", &(ms + 1).to_string(), true).is_err());
        assert!(check_value("BirthDateCredential", "1989-08-01", true).is_err());
        assert!(check_value("BirthDateCredential", "1989-08-01", false).is_ok());
        assert!(check_value("BirthDateCredential", "617976000000", false).is_ok());
        assert!(check_value("BirthDateCredential", "1989-02-30", false).is_err());
    }

    #[test]
    fn value_formats() {
        assert!(check_value("SsnCredential", "123456789", true).is_ok());
        assert!(check_value("SsnCredential", "12345678", true).is_err());
        assert!(check_value("ZipCodeCredential", "94303", true).is_ok());
        assert!(check_value("ZipCodeCredential", "94303-1234", true).is_ok());
        // An issued ZipCodeCredential has no format in the schema package; a 1-Click one does.
        assert!(check_value("ZipCodeCredential", "9430", true).is_ok());
        assert!(check_value("ZipCodeCredential", "9430", false).is_err());
        assert!(check_value("ZipCodeCredential", "94303-12", false).is_err());
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
        // The schema package's shape: one data map of the children's members, kept as issued.
        let map = parse_data("FullNameCredential", &json!({"firstName": "R"}), &meta()).unwrap();
        assert_eq!(map.children[0].ty, "FirstNameCredential");
        assert_eq!(map.dto(false)["data"], json!({"firstName": "R"}));
        assert!(parse_data("FullNameCredential", &json!({}), &meta()).is_err());
        assert!(parse_data("FullNameCredential", &json!({"firstName": 1}), &meta()).is_err());
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
        c.set_status(Status::Revoked, 5);
        assert_eq!(c.updated_at, 5);
        assert!(!c.usable(0));
    }
}
