//! Keeping secrets and PII out of everything vouch prints or writes: the one place that
//! decides what is sensitive and how it is hidden, used by every component that shows data.
//!
//! Violations, logs, reports and snapshots show values to help people debug; values that sit
//! under a sensitive name (an SSN, a birth date, a token, an API key, a document number) are
//! replaced with [`REDACTED`]. Matching is on the JSON member or header name, case-insensitively
//! and ignoring `_` and `-`, so `social_security_number`, `ssn4` and `dateOfBirth` all match.
//! An API adds its own PII names through its registry entry ([`add_sensitive_names`]).
//!
//! - here: names, JSON values, bodies for display, [`Secret`]s and header masking;
//! - [`query`]: sensitive query parameters;
//! - [`mod@shape`]: a body's members and types without its values;
//! - [`url`]: API prefixes and host-free paths.

pub mod query;
pub mod shape;
pub mod url;

pub use query::redact_query;
pub use shape::{shape, shape_lines};

use serde_json::Value;
use std::sync::RwLock;

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
    // Verified's government-ID document number (`VerifiedInc/schema-sdk`
    // documentNumberCredential.ts and backwardsCredential/index.ts: `idNumber`).
    "idnumber",
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

/// PII member names registered by APIs (see [`add_sensitive_names`]), normalised.
static REGISTERED: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Lower-case alphanumerics only: `Social_Security-Number` is `socialsecuritynumber`.
fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Makes these member names sensitive too, matched like the built-in fragments (anywhere in
/// a name, in any spelling). The API registry calls it with each API's PII names, so a new API
/// brings its own without an edit here.
pub fn add_sensitive_names(names: &[&str]) {
    let mut registered = REGISTERED.write().unwrap_or_else(|e| e.into_inner());
    for name in names {
        let norm = normalise(name);
        if !norm.is_empty() && !registered.contains(&norm) {
            registered.push(norm);
        }
    }
}

/// Whether a JSON member name or header name holds a secret or PII.
pub fn is_sensitive_name(name: &str) -> bool {
    let norm = normalise(name);
    SENSITIVE.iter().any(|s| norm.contains(s))
        || words(name)
            .iter()
            .any(|w| SENSITIVE_WORDS.contains(&w.as_str()))
        || REGISTERED
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .any(|s| norm.contains(s.as_str()))
}

/// Whether a member is record-keeping rather than a secret: an identifier (`id`,
/// `issuerUuid`), a status, type or method, or when the record was made or lapses
/// (`issuanceDate`, `createdAt`). Verified answers a credential's metadata beside its value
/// (`{"birthDate": {"value": …, "issuerUuid": …}}`, or mirrored,
/// `metadata.credentials.issuerUuid.birthDate`; [verified-api-ref] § Get 1-Click
/// Credentials > metadataType): the member is redacted by name where it stands all the same,
/// but only the value is PII worth scrubbing from the rest of a report, where the brand's uuid
/// and the times are what a reader follows. A name that is itself sensitive is never metadata.
pub fn is_metadata_name(name: &str) -> bool {
    if is_sensitive_name(name) {
        return false;
    }
    let words = words(name);
    let Some(last) = words.last() else {
        return false;
    };
    matches!(
        last.as_str(),
        "id" | "uuid" | "status" | "type" | "method" | "at" | "date" | "issuer"
    )
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

/// A body for display: JSON with sensitive members redacted (compact), else lossy text; cut
/// after `limit` bytes with the full length noted. Ends with a newline.
pub fn body_text(body: &[u8], limit: usize) -> String {
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(v) => redact_value(&v).to_string(),
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    };
    if text.len() > limit {
        let mut cut = limit;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}… ({} bytes)\n", &text[..cut], text.len())
    } else {
        format!("{text}\n")
    }
}

/// A secret and where it came from, so output can name it without showing it.
#[derive(Clone)]
pub struct Secret {
    /// The value; never printed.
    pub value: String,
    /// How to get it back in a shell: an environment variable (`$VOUCH_PEACH_TOKEN`), or a
    /// description in angle brackets where there is none (`<the public sandbox key>`).
    pub hint: String,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({})", self.hint)
    }
}

impl Secret {
    /// The environment variable the hint names (`VOUCH_PEACH_TOKEN`), if it names one.
    pub fn variable(&self) -> Option<&str> {
        let name = self.hint.strip_prefix('$')?;
        (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .then_some(name)
    }
}

/// A header value as it may be shown: literal text, and known secrets by their hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// Text that may be shown as it is (it is not secret, or it is [`REDACTED`]).
    Text(String),
    /// A known secret, shown by its hint.
    Secret(String),
}

/// A header's value as it may be shown: an insensitive header as it is; in a sensitive one,
/// each known secret by its hint (`Bearer $VOUCH_PEACH_TOKEN`) and anything else
/// [`REDACTED`].
pub fn mask_header(name: &str, value: &str, secrets: &[Secret]) -> Vec<Shown> {
    if !is_sensitive_name(name) {
        return vec![Shown::Text(value.to_string())];
    }
    let Some(secret) = secrets
        .iter()
        .filter(|s| !s.value.is_empty() && value.contains(&s.value))
        .max_by_key(|s| s.value.len())
    else {
        return vec![Shown::Text(REDACTED.to_string())];
    };
    let mut out = Vec::new();
    let mut pieces = value.split(secret.value.as_str()).peekable();
    while let Some(piece) = pieces.next() {
        if !piece.is_empty() {
            // What surrounds the secret is its scheme (`Bearer `).
            out.push(Shown::Text(piece.to_string()));
        }
        if pieces.peek().is_some() {
            out.push(Shown::Secret(secret.hint.clone()));
        }
    }
    out
}

/// [`mask_header`] as one string (`Bearer $VOUCH_PEACH_TOKEN`).
pub fn masked_header(name: &str, value: &str, secrets: &[Secret]) -> String {
    mask_header(name, value, secrets)
        .into_iter()
        .map(|s| match s {
            Shown::Text(t) | Shown::Secret(t) => t,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn token() -> Secret {
        Secret {
            value: "tok-123456".into(),
            hint: "$VOUCH_PEACH_TOKEN".into(),
        }
    }

    #[test]
    fn headers_show_known_secrets_by_hint_and_hide_the_rest() {
        let secrets = [token()];
        assert_eq!(
            masked_header("Authorization", "Bearer tok-123456", &secrets),
            "Bearer $VOUCH_PEACH_TOKEN"
        );
        assert_eq!(
            masked_header("x-api-key", "someone-elses-key", &secrets),
            REDACTED
        );
        assert_eq!(
            masked_header("content-type", "application/json", &secrets),
            "application/json"
        );
        assert_eq!(token().variable(), Some("VOUCH_PEACH_TOKEN"));
        let described = Secret {
            value: "x".into(),
            hint: "<the public sandbox key>".into(),
        };
        assert_eq!(described.variable(), None);
    }

    #[test]
    fn registered_names_become_sensitive_in_any_spelling() {
        assert!(!is_sensitive_name("passport_scan_ref"));
        add_sensitive_names(&["passportScanRef"]);
        assert!(is_sensitive_name("passport_scan_ref"));
        assert!(is_sensitive_name("PassportScanRefNumber"));
    }

    #[test]
    fn bodies_for_display_are_redacted_and_cut() {
        assert_eq!(
            body_text(br#"{"ssn":"123456789"}"#, 100),
            "{\"ssn\":\"<redacted>\"}\n"
        );
        assert!(body_text("é".repeat(10).as_bytes(), 5).starts_with("éé… (20 bytes)"));
    }

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
        for name in ["ssn4", "userSsn", "user_otp", "dob", "SSN", "idNumber"] {
            assert!(is_sensitive_name(name), "{name}");
        }
        for name in ["className", "classname", "adobe", "footprint"] {
            assert!(!is_sensitive_name(name), "{name}");
        }
        assert_eq!(words("userSsn4-last_name"), ["user", "ssn", "last", "name"]);
    }
}
