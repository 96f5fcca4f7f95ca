//! Credential types and their value formats: which composites have which parts, short keys,
//! birth dates, and the checks a value must pass ([verified-types], SUPPLEMENT.md § Credential
//! types).

use super::super::super::api::MockError;
use super::super::errors::generic;
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};

/// The children of a composite credential type, and those it must carry.
///
/// [verified-api-ref] § Composite Credentials: "a FullNameCredential is made up of
/// FirstNameCredential, MiddleNameCredential(optional), and LastNameCredential. When issuing a
/// composite credential, you must provide the child credentials as well." AddressCredential's
/// six parts are § Check User Credentials'; Line2 is the optional one (vouch's choice,
/// contracts/NOTES.md § Mock behaviour). The other composites of SUPPLEMENT.md § Credential
/// types have undocumented parts: any child type, none required.
pub(crate) fn composite_children(
    ty: &str,
) -> Option<(&'static [&'static str], &'static [&'static str])> {
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
pub(crate) fn short_key(ty: &str) -> String {
    let stem = ty.strip_suffix("Credential").unwrap_or(ty);
    let mut chars = stem.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// The member an atomic credential's `data` carries its value under, as Verified's schema
/// package defines it (`VerifiedInc/schema-sdk` at f58251b, `src/jsonSchemas/`; pinned in
/// contracts/vendor/verified-schema-sdk/). Mostly the shortened type (§ Get 1-Click
/// Credentials > Definitions), but not for these 18 types: where the two disagree, the package
/// wins (contracts/NOTES.md § Verified > Credentials from the schema package). `None` for
/// IdentityCredential, whose data is empty (`additionalProperties: false`, no member).
pub(crate) fn data_key(ty: &str) -> Option<String> {
    let member = match ty {
        "IdentityCredential" => return None,
        "AnnualIncomeRangeCredential" => "income",
        "CountryResidenceCredential" => "country",
        "DocumentNumberCredential" | "GovernmentIdNumberCredential" => "idNumber",
        "EmployerNameCredential" => "employer",
        "EmploymentStartDateCredential" => "startDate",
        "FacialImageCredential"
        | "GovernmentIdDocumentBackImageCredential"
        | "GovernmentIdDocumentImageCredential" => "image",
        "GovernmentIdExpirationDateCredential" => "expirationDate",
        "GovernmentIdIssuanceDateCredential" => "issuanceDate",
        "GovernmentIdStateCredential" => "state",
        "GovernmentIdTypeCredential" => "documentType",
        "IncomeCurrencyCredential" => "currency",
        "LineTypeCredential" => "type",
        "LivenessCredential" | "MatchCredential" => "confidence",
        _ => return Some(short_key(ty)),
    };
    Some(member.to_string())
}

/// The child type a member of a composite's data map stands for, when the composite comes as
/// the schema package defines it: one map of its children's members (`src/jsonSchemas/
/// compositeCredential/`, e.g. FullNameCredential `{"firstName": …, "lastName": …}`). `None`
/// for the members that have no child type (`fullName`, `address`, `income`: the package's
/// one-string alternatives).
pub(crate) fn composite_member_type(composite: &str, member: &str) -> Option<&'static str> {
    let parts: &[(&str, &str)] = match composite {
        "FullNameCredential" => &[
            ("firstName", "FirstNameCredential"),
            ("middleName", "MiddleNameCredential"),
            ("lastName", "LastNameCredential"),
        ],
        "AddressCredential" => &[
            ("line1", "Line1Credential"),
            ("line2", "Line2Credential"),
            ("city", "CityCredential"),
            ("state", "StateCredential"),
            ("zipCode", "ZipCodeCredential"),
            ("country", "CountryCredential"),
        ],
        "GovernmentIdCredential" => &[
            ("documentBackImage", "DocumentBackImageCredential"),
            ("documentImage", "DocumentImageCredential"),
            ("documentType", "DocumentTypeCredential"),
            ("idNumber", "DocumentNumberCredential"),
            ("expirationDate", "ExpirationDateCredential"),
            ("issuanceDate", "IssuanceDateCredential"),
            ("state", "StateCredential"),
        ],
        "EmployerCredential" => &[
            ("employer", "EmployerNameCredential"),
            ("startDate", "EmploymentStartDateCredential"),
            ("title", "TitleCredential"),
            ("incomeRange", "IncomeRangeCredential"),
            ("currency", "CurrencyCredential"),
            ("amount", "AmountCredential"),
        ],
        "AnnualIncomeCredential" => &[
            ("currency", "CurrencyCredential"),
            ("amount", "AmountCredential"),
        ],
        "PhoneInfoCredential" => &[("phone", "PhoneCredential"), ("type", "LineTypeCredential")],
        _ => &[],
    };
    parts.iter().find(|(m, _)| *m == member).map(|(_, t)| *t)
}

/// The types whose value is a day as milliseconds at 12:00:00.000 UTC (the package's
/// `unixMsEpochDayFormat`, `src/formats.ts`), which no pattern can check.
fn is_day_millis_type(ty: &str) -> bool {
    matches!(
        ty,
        "BirthDateCredential"
            | "EmploymentStartDateCredential"
            | "ExpirationDateCredential"
            | "IssuanceDateCredential"
            | "GovernmentIdExpirationDateCredential"
            | "GovernmentIdIssuanceDateCredential"
    )
}

/// Birth dates are stored as "a string of milliseconds since the epoch falling on
/// 12:00:00.000 UTC (e.g. "631195200000")" (SUPPLEMENT.md § Value formats).
pub(crate) fn birth_date_millis(date: &str) -> Option<i64> {
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let noon = day.and_time(NaiveTime::from_hms_opt(12, 0, 0)?);
    Some(Utc.from_utc_datetime(&noon).timestamp_millis())
}

/// Whether `value` is a stored birth date: a digit string (a minus before 1970) of milliseconds
/// since the epoch falling on 12:00:00.000 UTC.
fn is_stored_birth_date(value: &str) -> bool {
    value
        .parse::<i64>()
        .ok()
        .and_then(|ms| Utc.timestamp_millis_opt(ms).single())
        .is_some_and(|t| t.timestamp_millis().rem_euclid(86_400_000) == 43_200_000)
}

/// A birth date a brand or user gives back in the simplified format, as stored: either the
/// milliseconds 1-Click answers (§ Update 1-Click Credentials: values "in same format they were
/// provided"; reference § User Data Format: "the default format for the dateBirth credential is
/// a unixTimestamp") or a typed `YYYY-MM-DD` (the wallet's form, 1-Click request bodies).
pub(crate) fn birth_date_stored(value: &str) -> Option<String> {
    if is_stored_birth_date(value) {
        Some(value.to_string())
    } else {
        birth_date_millis(value).map(|ms| ms.to_string())
    }
}

/// Whether a value is valid for a type (SUPPLEMENT.md § Value formats: "SSN is 9 digits;
/// phone is E.164; a stored birth date is a string of milliseconds since the epoch falling on
/// 12:00:00.000 UTC, while request bodies of /1-click use YYYY-MM-DD; US ZIP is
/// ^\d{5}(-\d{4})?$"). `stored` picks the birth-date form. Messages never carry the value.
pub(crate) fn check_value(ty: &str, value: &str, stored: bool) -> Result<(), MockError> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let ok = match ty {
        "SsnCredential" => value.len() == 9 && digits(value),
        "PhoneCredential" => is_e164(value),
        "EmailCredential" => is_email(value),
        // The package gives ZipCodeCredential no format: only 1-Click values (SUPPLEMENT's US
        // ZIP) are checked, an issued one is any string.
        "ZipCodeCredential" if stored => true,
        "ZipCodeCredential" => {
            let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
            (value.len() == 5 && all_digits(value))
                || value.split_once('-').is_some_and(|(zip, plus4)| {
                    zip.len() == 5 && plus4.len() == 4 && all_digits(zip) && all_digits(plus4)
                })
        }
        t if stored && is_day_millis_type(t) => is_stored_birth_date(value),
        "BirthDateCredential" => birth_date_stored(value).is_some(),
        // The package's plain strings may be anything; 1-Click values may not be blank.
        _ => stored || !value.trim().is_empty(),
    };
    if ok {
        Ok(())
    } else {
        let expected = match ty {
            "SsnCredential" => "9 digits",
            "PhoneCredential" => "an E.164 phone number",
            "EmailCredential" => "an email address",
            "ZipCodeCredential" => "a US ZIP code",
            t if stored && is_day_millis_type(t) => {
                "milliseconds since the epoch at 12:00:00.000 UTC"
            }
            "BirthDateCredential" => {
                "a date, YYYY-MM-DD, or milliseconds since the epoch at 12:00:00.000 UTC"
            }
            _ => "a non-empty string",
        };
        Err(generic(400, format!("{ty} data must be {expected}")))
    }
}

pub(crate) fn is_e164(value: &str) -> bool {
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
