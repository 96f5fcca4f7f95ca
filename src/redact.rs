//! Keeping secrets and PII out of everything vouch prints or writes.
//!
//! Violations, logs, reports and snapshots show values to help people debug; values that sit
//! under a sensitive name (an SSN, a birth date, a token, an API key, a document number) are
//! replaced with [`REDACTED`]. Matching is on the JSON member or header name, case-insensitively
//! and ignoring `_` and `-`, so `social_security_number`, `ssn4` and `dateOfBirth` all match.

use serde_json::Value;

/// What a redacted value is replaced with.
pub const REDACTED: &str = "<redacted>";

/// Normalised fragments of member names whose values are secret or PII, matched anywhere in
/// the name (`contact_date_of_birth`, `X-Api-Key`).
const SENSITIVE: &[&str] = &[
    "socialsecurity",
    "birthdate",
    "dateofbirth",
    "token",
    "apikey",
    "authorization",
    "password",
    "secret",
    "documentnumber",
    "privatekey",
    "cookie",
    "verificationcode",
];

/// Short names that are sensitive only as a whole word of the name (`ssn`, `ssn4`,
/// `user_otp`), never inside another word: `className` holds no SSN.
const SENSITIVE_WORDS: &[&str] = &["ssn", "dob", "otp"];

/// The words of a name: split at `_`, `-`, `.`, spaces and lower-to-upper case changes,
/// lower-cased, trailing digits dropped (`ssn4` is `ssn`).
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        let boundary = matches!(c, '_' | '-' | '.' | ' ') || (c.is_uppercase() && previous_lower);
        if boundary && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        if c.is_alphanumeric() {
            current.extend(c.to_lowercase());
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.into_iter()
        .map(|w| w.trim_end_matches(|c: char| c.is_ascii_digit()).to_string())
        .collect()
}

/// Whether a JSON member name or header name holds a secret or PII.
pub fn is_sensitive_name(name: &str) -> bool {
    let norm: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    SENSITIVE.iter().any(|s| norm.contains(s))
        || words(name)
            .iter()
            .any(|w| SENSITIVE_WORDS.contains(&w.as_str()))
}

/// Whether the value at a JSON pointer is sensitive: any token of the pointer is a sensitive name.
pub fn is_sensitive_pointer(pointer: &str) -> bool {
    pointer.split('/').any(is_sensitive_name)
}

/// A copy of `value` with every member under a sensitive name replaced by [`REDACTED`].
pub fn redact_value(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = if is_sensitive_name(k) && !v.is_null() {
                        Value::String(REDACTED.into())
                    } else {
                        redact_value(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact_value).collect()),
        other => other.clone(),
    }
}

/// A short rendering of the value found at `pointer`, for a violation's `actual`: redacted when
/// the pointer is sensitive, and cut to 80 characters.
pub fn show_value(pointer: &str, value: &Value) -> String {
    if is_sensitive_pointer(pointer) {
        return REDACTED.to_string();
    }
    let text = redact_value(value).to_string();
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(79).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sensitive_names_in_any_spelling() {
        for name in [
            "ssn",
            "SSN4",
            "social_security_number",
            "birthDate",
            "date_of_birth",
            "Authorization",
            "x-api-key",
            "token",
        ] {
            assert!(is_sensitive_name(name), "{name}");
        }
        for name in [
            "phone",
            "firstName",
            "status",
            "documentType",
            "className",
            "lessNotes",
            "adobe",
            "footprint",
        ] {
            assert!(!is_sensitive_name(name), "{name}");
        }
    }

    #[test]
    fn nested_values_are_redacted() {
        let v = redact_value(
            &json!({"target": {"social_security_number": "000-20-0000", "first_name": "Ann"}, "items": [{"ssn": "123456789"}]}),
        );
        assert_eq!(
            v,
            json!({"target": {"social_security_number": REDACTED, "first_name": "Ann"}, "items": [{"ssn": REDACTED}]})
        );
    }

    #[test]
    fn show_value_redacts_by_pointer_and_truncates() {
        assert_eq!(
            show_value("/credentials/ssn", &json!("123456789")),
            REDACTED
        );
        assert_eq!(show_value("/phone", &json!("+1")), "\"+1\"");
        assert!(show_value("/x", &json!("a".repeat(200))).ends_with('…'));
    }
}

#[cfg(test)]
mod word_tests {
    use super::*;

    #[test]
    fn short_names_match_as_whole_words_only() {
        for name in ["ssn4", "userSsn", "user_otp", "dob", "SSN"] {
            assert!(is_sensitive_name(name), "{name}");
        }
        for name in ["className", "classname", "adobe", "footprint"] {
            assert!(!is_sensitive_name(name), "{name}");
        }
        assert_eq!(words("userSsn4-last_name"), ["user", "ssn", "last", "name"]);
    }
}
