//! The scanned document (§ Documents > getDocument, getScannedImages; § Models > IdentityImage;
//! SUPPLEMENT.md § Trusona: the `{UNMASKED, MASKED}` scan result and its masking).

use super::super::api::{MockError, MockRequest, MockResponse};
use super::super::clock::Instant;
use super::Account;
use super::entities::{Scan, Verification};
use base64::Engine;
use serde_json::{Map, Value, json};

/// SUPPLEMENT.md § Trusona: the scan result's "fields such as documentNumber, dateOfBirth
/// (MM/DD/YYYY), firstName, lastName, middleName, issueDate, expiryDate, documentType, sex,
/// address1, city, state, zipCode, nationality, iso2CountryCode".
pub(super) const FIELDS: [&str; 15] = [
    "documentNumber",
    "dateOfBirth",
    "firstName",
    "lastName",
    "middleName",
    "issueDate",
    "expiryDate",
    "documentType",
    "sex",
    "address1",
    "city",
    "state",
    "zipCode",
    "nationality",
    "iso2CountryCode",
];

/// The fields masked in the MASKED form (personal data and identifiers; the document type,
/// sex, city, state, nationality and country stay readable: contracts/NOTES.md § Trusona ›
/// Mock behaviour).
const MASKED_FIELDS: [&str; 9] = [
    "documentNumber",
    "dateOfBirth",
    "firstName",
    "lastName",
    "middleName",
    "issueDate",
    "expiryDate",
    "address1",
    "zipCode",
];

/// A 1×1 PNG, the image of a scan that sent none.
const PLACEHOLDER_IMAGE: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

/// `MM/DD/YYYY`, the scan result's date format.
pub(super) fn parse_us_date(text: &str) -> Option<chrono::NaiveDate> {
    if text.len() != 10 {
        return None;
    }
    chrono::NaiveDate::parse_from_str(text, "%m/%d/%Y").ok()
}

/// SUPPLEMENT.md § Trusona: "masked values keep a short prefix and replace the rest with `*`".
/// The prefix is a quarter of the value, at least one and at most four characters; a value of
/// one character is fully masked. The length is kept.
pub(super) fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let keep = match chars.len() {
        0 | 1 => 0,
        n => (n / 4).clamp(1, 4),
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < keep { *c } else { '*' })
        .collect()
}

fn bad(message: impl Into<String>) -> MockError {
    MockError::new(400, message)
}

impl Scan {
    /// A scan of exactly these fields (no checks), for tests.
    #[cfg(test)]
    pub(super) fn from_fields(fields: Map<String, Value>) -> Self {
        Self {
            fields,
            images: Vec::new(),
        }
    }

    /// Reads the subject's scan upload: the documented scan-result fields (strings; others are
    /// ignored), `dateOfBirth` as MM/DD/YYYY, and optional `images`.
    pub(super) fn parse(body: &Value) -> Result<Self, MockError> {
        let Some(object) = body.as_object() else {
            return Err(bad("The scan must be a JSON object"));
        };
        let mut fields = Map::new();
        for name in FIELDS {
            match object.get(name) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) if s.trim().is_empty() => {}
                Some(Value::String(s)) => {
                    fields.insert(name.into(), json!(s.trim()));
                }
                Some(_) => return Err(bad(format!("{name} must be a string"))),
            }
        }
        if let Some(dob) = fields.get("dateOfBirth").and_then(Value::as_str)
            && parse_us_date(dob).is_none()
        {
            return Err(bad("dateOfBirth must be a date as MM/DD/YYYY"));
        }
        if let Some(code) = fields.get("iso2CountryCode").and_then(Value::as_str)
            && (code.len() != 2 || !code.bytes().all(|b| b.is_ascii_alphabetic()))
        {
            return Err(bad("iso2CountryCode must be two letters"));
        }
        let images = match object.get("images") {
            None | Some(Value::Null) => {
                vec![json!({"data": PLACEHOLDER_IMAGE, "orientation": 0})]
            }
            Some(Value::Array(items)) => items
                .iter()
                .map(parse_image)
                .collect::<Result<Vec<_>, _>>()?,
            Some(_) => return Err(bad("images must be an array")),
        };
        Ok(Self { fields, images })
    }

    pub(super) fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).and_then(Value::as_str)
    }

    /// The VerificationDocument: `{UNMASKED, MASKED}`.
    pub(super) fn document(&self) -> Value {
        let masked: Map<String, Value> = self
            .fields
            .iter()
            .map(|(k, v)| {
                let value = match (MASKED_FIELDS.contains(&k.as_str()), v.as_str()) {
                    (true, Some(s)) => json!(mask(s)),
                    _ => v.clone(),
                };
                (k.clone(), value)
            })
            .collect();
        json!({"UNMASKED": self.fields, "MASKED": masked})
    }
}

/// § Models > IdentityImage: `data` base64, `orientation` the rotation in degrees.
fn parse_image(image: &Value) -> Result<Value, MockError> {
    let data = image["data"]
        .as_str()
        .filter(|d| base64::engine::general_purpose::STANDARD.decode(d).is_ok())
        .ok_or_else(|| bad("images[].data must be base64"))?;
    let orientation = match &image["orientation"] {
        Value::Null => 0,
        v => v
            .as_i64()
            .filter(|o| [0, 90, 180, 270].contains(o))
            .ok_or_else(|| bad("images[].orientation must be 0, 90, 180 or 270"))?,
    };
    Ok(json!({"data": data, "orientation": orientation}))
}

/// 404 until the document is scanned ("Verification was not found or document is not yet
/// available"), 410 once the review access has expired ("Document has been removed (occurs
/// when parent verification expires)").
pub(super) fn available<'a>(
    verification: &'a Verification,
    now: Instant,
    what: &str,
) -> Result<&'a Scan, MockError> {
    let Some(scan) = &verification.scan else {
        return Err(MockError::new(
            404,
            format!("The verification has no {what} yet"),
        ));
    };
    if verification.review_expired(now) {
        return Err(MockError::new(
            410,
            format!("The {what} has been removed: the verification's review access expired"),
        ));
    }
    Ok(scan)
}

/// § Documents > getDocument.
pub(super) fn document(
    account: &mut Account,
    request: &MockRequest,
) -> Result<MockResponse, MockError> {
    let v = account.verification(request)?;
    let scan = available(v, request.now, "document")?;
    Ok(MockResponse::json(200, scan.document()))
}

/// § Documents > getScannedImages.
pub(super) fn scanned_images(
    account: &mut Account,
    request: &MockRequest,
) -> Result<MockResponse, MockError> {
    let v = account.verification(request)?;
    let scan = available(v, request.now, "scanned image")?;
    Ok(MockResponse::json(200, Value::Array(scan.images.clone())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_keeps_a_short_prefix() {
        assert_eq!(mask("D1234567"), "D1******");
        assert_eq!(mask("01/02/1985"), "01********");
        assert_eq!(mask("Rivera"), "R*****");
        assert_eq!(mask("Al"), "A*");
        assert_eq!(mask("A"), "*");
        assert_eq!(mask(""), "");
        assert_eq!(
            mask("1234567890123456789012345"),
            "1234*********************"
        );
    }

    #[test]
    fn the_document_masks_personal_fields_only() {
        let scan = Scan::parse(
            &json!({"documentNumber": "D1234567", "dateOfBirth": "01/02/1985",
                                       "state": "CA", "unknown": 5}),
        )
        .unwrap();
        let doc = scan.document();
        assert_eq!(doc["UNMASKED"]["documentNumber"], "D1234567");
        assert_eq!(doc["MASKED"]["documentNumber"], "D1******");
        assert_eq!(doc["MASKED"]["state"], "CA");
        assert!(doc["UNMASKED"].get("unknown").is_none());
        assert_eq!(scan.images.len(), 1);
    }

    #[test]
    fn bad_scans_are_refused() {
        for body in [
            json!([]),
            json!({"firstName": 1}),
            json!({"dateOfBirth": "1985-01-02"}),
            json!({"dateOfBirth": "13/02/1985"}),
            json!({"iso2CountryCode": "USA"}),
            json!({"images": [{"data": "%%%"}]}),
            json!({"images": [{"data": "AAAA", "orientation": 45}]}),
            json!({"images": "AAAA"}),
        ] {
            assert_eq!(Scan::parse(&body).unwrap_err().status, 400, "{body}");
        }
    }
}
