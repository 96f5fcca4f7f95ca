//! Verifier checks (§ Models > RequestedVerifier, RequestedDmvVerifier, RequestedMnoVerifier,
//! VerificationSummary) against the mock's seeded records: what a DMV (AAMVA) and a mobile
//! network operator would answer for the test identities.
//!
//! Seeded records (features/trusona/README.md lists them for feature writers):
//! - DMV `D1234567`: Alex Rivera, 01/02/1985, 100 Main St, 94105: a scan of it matches fully;
//! - DMV `D7654321`: Jordan Lee, 07/04/1990, 1 Oak Ave, 10001: scan it with another birth date
//!   or address and the check partly matches;
//! - DMV `DL000001`: John Doe, 04/01/1970, 1515 Oak Street, 85000: Trusona's own sandbox test
//!   licence, "All fields match exactly" (Trusona ID Proofing Service Sandbox, Test Case 1,
//!   <https://docs.trusona.com/apis/trusona-id-proofing-sandbox/>; contracts/NOTES.md § Trusona >
//!   Mock behaviour says why only this one);
//! - MNO `+12025550100` (and UK `+447700900123`): Alex Rivera's phone, matches;
//! - MNO `+12025550199`: Jordan Lee's phone, whose SIM was swapped recently.

use super::super::clock::Instant;
use super::documents::parse_us_date;
use super::entities::Scan;
use serde_json::{Map, Value, json};

/// A phone whose carrier record matches the seeded identity Alex Rivera.
pub(super) const MATCHING_PHONE: &str = "+12025550100";
/// A phone whose SIM was swapped recently: TRUSTED_SMS refuses it, MNO_V fails.
pub(super) const SIM_SWAPPED_PHONE: &str = "+12025550199";

struct DmvRecord {
    document_number: &'static str,
    first_name: &'static str,
    last_name: &'static str,
    date_of_birth: &'static str,
    address1: &'static str,
    zip_code: &'static str,
}

const DMV_RECORDS: [DmvRecord; 3] = [
    DmvRecord {
        document_number: "D1234567",
        first_name: "Alex",
        last_name: "Rivera",
        date_of_birth: "01/02/1985",
        address1: "100 Main St",
        zip_code: "94105",
    },
    DmvRecord {
        document_number: "D7654321",
        first_name: "Jordan",
        last_name: "Lee",
        date_of_birth: "07/04/1990",
        address1: "1 Oak Ave",
        zip_code: "10001",
    },
    // Test Case 1's request parameters: person_given_name, person_sur_name, person_birth_date
    // 19700401, address_delivery_point_text_1, location_postal_code.
    DmvRecord {
        document_number: "DL000001",
        first_name: "John",
        last_name: "Doe",
        date_of_birth: "04/01/1970",
        address1: "1515 Oak Street",
        zip_code: "85000",
    },
];

struct MnoRecord {
    phone: &'static str,
    first_name: &'static str,
    last_name: &'static str,
    date_of_birth: &'static str,
    address1: &'static str,
    sim_swapped: bool,
}

const MNO_RECORDS: [MnoRecord; 3] = [
    MnoRecord {
        phone: MATCHING_PHONE,
        first_name: "Alex",
        last_name: "Rivera",
        date_of_birth: "01/02/1985",
        address1: "100 Main St",
        sim_swapped: false,
    },
    MnoRecord {
        phone: "+447700900123",
        first_name: "Alex",
        last_name: "Rivera",
        date_of_birth: "01/02/1985",
        address1: "100 Main St",
        sim_swapped: false,
    },
    MnoRecord {
        phone: SIM_SWAPPED_PHONE,
        first_name: "Jordan",
        last_name: "Lee",
        date_of_birth: "07/04/1990",
        address1: "1 Oak Ave",
        sim_swapped: true,
    },
];

/// `supportedVerifiers` for a document type (undocumented: the page prints an empty "Enum:").
/// DMV (AAMVA, § Models > RequestedDmvVerifier) covers US and Canadian driver licences only;
/// MNO_V and SCAN work with any document.
pub(super) fn supported(document_type: &str) -> Vec<&'static str> {
    if document_type == "US_CA_DL" {
        vec!["DMV", "MNO_V", "SCAN"]
    } else {
        vec!["MNO_V", "SCAN"]
    }
}

/// § Models > RequestedMnoVerifier: "Must be a USA (+1), Canada (+1), or UK (+44) number":
/// `+1` and a 10-digit NANP number (area code not starting 0 or 1), or `+44` and a 9-10 digit
/// national number not starting 0.
pub(super) fn mno_phone_allowed(phone: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(rest) = phone.strip_prefix("+1") {
        return rest.len() == 10 && digits(rest) && !rest.starts_with(['0', '1']);
    }
    if let Some(rest) = phone.strip_prefix("+44") {
        return (9..=10).contains(&rest.len()) && digits(rest) && !rest.starts_with('0');
    }
    false
}

/// Whether the carrier reports a recent SIM swap for the number.
pub(super) fn sim_swapped(phone: &str) -> bool {
    MNO_RECORDS
        .iter()
        .any(|r| r.phone == phone && r.sim_swapped)
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// `true`/`false` where the scan has the field, `null` where it does not (SUPPLEMENT.md:
/// "matches: a map of field name to true / false / null").
fn compare(scan: &Scan, fields: &[(&str, &str)]) -> Map<String, Value> {
    fields
        .iter()
        .map(|(name, expected)| {
            let value = match scan.field(name) {
                Some(actual) => json!(same(actual, expected)),
                None => Value::Null,
            };
            (name.to_string(), value)
        })
        .collect()
}

fn result(matches: &Map<String, Value>, ok: bool) -> &'static str {
    if ok && !matches.values().any(|v| v == &json!(false)) {
        "SUCCESS"
    } else {
        "FAILURE"
    }
}

fn dmv(scan: &Scan, document_type: &str, check: &mut Map<String, Value>) {
    if !supported(document_type).contains(&"DMV") {
        check.insert("verifierResult".into(), json!("FATAL"));
        check.insert("matches".into(), json!({}));
        return;
    }
    let number = scan.field("documentNumber").unwrap_or_default();
    let matches = match DMV_RECORDS.iter().find(|r| same(r.document_number, number)) {
        Some(r) => {
            check.insert("externalId".into(), json!(format!("aamva-{}", r.zip_code)));
            compare(
                scan,
                &[
                    ("documentNumber", r.document_number),
                    ("firstName", r.first_name),
                    ("lastName", r.last_name),
                    ("dateOfBirth", r.date_of_birth),
                    ("address1", r.address1),
                    ("zipCode", r.zip_code),
                ],
            )
        }
        None => {
            let mut m = Map::new();
            m.insert("documentNumber".into(), json!(false));
            for f in [
                "firstName",
                "lastName",
                "dateOfBirth",
                "address1",
                "zipCode",
            ] {
                m.insert(f.into(), Value::Null);
            }
            m
        }
    };
    check.insert("verifierResult".into(), json!(result(&matches, true)));
    check.insert("matches".into(), Value::Object(matches));
}

/// The last four characters (all of a shorter text), for the `...Suffix` members.
fn last_four(text: &str) -> String {
    let skip = text.chars().count().saturating_sub(4);
    text.chars().skip(skip).collect()
}

fn mno(scan: &Scan, phone: &str, check: &mut Map<String, Value>) {
    check.insert("phoneNumber".into(), json!(phone));
    let digits = phone.trim_start_matches('+');
    let code = if digits.starts_with("44") { "44" } else { "1" };
    check.insert("phoneNumberCountryCode".into(), json!(code));
    check.insert("phoneNumberSuffix".into(), json!(last_four(digits)));
    let (matches, swapped) = match MNO_RECORDS.iter().find(|r| r.phone == phone) {
        Some(r) => {
            let mut m = compare(
                scan,
                &[
                    ("firstName", r.first_name),
                    ("lastName", r.last_name),
                    ("dateOfBirth", r.date_of_birth),
                    ("address1", r.address1),
                ],
            );
            m.insert("phoneNumber".into(), json!(true));
            (m, r.sim_swapped)
        }
        None => {
            let mut m = Map::new();
            m.insert("phoneNumber".into(), json!(false));
            for f in ["firstName", "lastName", "dateOfBirth", "address1"] {
                m.insert(f.into(), Value::Null);
            }
            (m, false)
        }
    };
    check.insert("verifierResult".into(), json!(result(&matches, !swapped)));
    check.insert("matches".into(), Value::Object(matches));
}

/// The SCAN verifier judges the document itself: the core fields were read and it has not
/// expired.
fn scan_check(scan: &Scan, now: Instant, check: &mut Map<String, Value>) {
    let mut matches = Map::new();
    for f in ["documentNumber", "firstName", "lastName", "dateOfBirth"] {
        matches.insert(f.into(), json!(scan.field(f).is_some()));
    }
    let today = now.datetime().date_naive();
    let expiry = scan.field("expiryDate").map(|e| match parse_us_date(e) {
        Some(date) => json!(date >= today),
        None => json!(false),
    });
    matches.insert("expiryDate".into(), expiry.unwrap_or(Value::Null));
    check.insert("verifierResult".into(), json!(result(&matches, true)));
    check.insert("matches".into(), Value::Object(matches));
}

/// The VerificationSummary of every requested verifier, run when the document is scanned.
pub(super) fn run(
    requested: &[Value],
    document_type: &str,
    scan: &Scan,
    now: Instant,
) -> Vec<Value> {
    requested
        .iter()
        .map(|r| {
            let verifier = r["verifier"].as_str().unwrap_or_default();
            let mut check = Map::new();
            check.insert("id".into(), json!(uuid::Uuid::new_v4().to_string()));
            check.insert("documentType".into(), json!(document_type));
            check.insert("verifier".into(), json!(verifier));
            check.insert("createdAt".into(), json!(now.rfc3339()));
            if let Some(last) = scan.field("lastName") {
                check.insert("lastName".into(), json!(last));
            }
            if let Some(number) = scan.field("documentNumber") {
                check.insert("documentNumberSuffix".into(), json!(last_four(number)));
            }
            match verifier {
                "DMV" => dmv(scan, document_type, &mut check),
                "MNO_V" => mno(
                    scan,
                    r["phoneNumber"].as_str().unwrap_or_default(),
                    &mut check,
                ),
                _ => scan_check(scan, now, &mut check),
            }
            Value::Object(check)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(fields: Value) -> Scan {
        Scan::from_fields(fields.as_object().cloned().unwrap_or_default())
    }

    #[test]
    fn mno_phones() {
        assert!(mno_phone_allowed("+12025550100"));
        assert!(mno_phone_allowed("+14165550100"));
        assert!(mno_phone_allowed("+447700900123"));
        assert!(!mno_phone_allowed("+33612345678"));
        assert!(!mno_phone_allowed("+11025550100"));
        assert!(!mno_phone_allowed("+1202555010"));
        assert!(!mno_phone_allowed("+4407700900123"));
    }

    #[test]
    fn dmv_full_partial_and_unknown() {
        let now = Instant(1_700_000_000_000);
        let dmv = json!([{"verifier": "DMV"}]);
        let full = scan(
            json!({"documentNumber": "D1234567", "firstName": "ALEX", "lastName": "Rivera",
                               "dateOfBirth": "01/02/1985", "address1": "100 Main St", "zipCode": "94105"}),
        );
        let check = &run(dmv.as_array().unwrap(), "US_CA_DL", &full, now)[0];
        assert_eq!(check["verifierResult"], "SUCCESS");
        assert_eq!(check["documentNumberSuffix"], "4567");
        let partial = scan(
            json!({"documentNumber": "D7654321", "firstName": "Jordan", "lastName": "Lee",
                                  "dateOfBirth": "01/01/1991"}),
        );
        let check = &run(dmv.as_array().unwrap(), "US_CA_DL", &partial, now)[0];
        assert_eq!(check["verifierResult"], "FAILURE");
        assert_eq!(check["matches"]["lastName"], true);
        assert_eq!(check["matches"]["dateOfBirth"], false);
        assert_eq!(check["matches"]["address1"], Value::Null);
        let unknown = scan(json!({"documentNumber": "X1"}));
        let check = &run(dmv.as_array().unwrap(), "US_CA_DL", &unknown, now)[0];
        assert_eq!(check["matches"]["documentNumber"], false);
        let check = &run(dmv.as_array().unwrap(), "PASSPORT", &full, now)[0];
        assert_eq!(check["verifierResult"], "FATAL");
    }

    #[test]
    fn mno_sim_swap_fails() {
        let now = Instant(1_700_000_000_000);
        let s = scan(json!({"firstName": "Jordan", "lastName": "Lee"}));
        let r = json!([{"verifier": "MNO_V", "phoneNumber": SIM_SWAPPED_PHONE}]);
        let check = &run(r.as_array().unwrap(), "PASSPORT", &s, now)[0];
        assert_eq!(check["verifierResult"], "FAILURE");
        assert_eq!(check["matches"]["phoneNumber"], true);
        assert_eq!(check["phoneNumberSuffix"], "0199");
        assert!(sim_swapped(SIM_SWAPPED_PHONE));
        assert!(!sim_swapped(MATCHING_PHONE));
    }
}
