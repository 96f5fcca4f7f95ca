//! Verified's errors: the FeathersJS error body, the OCE codes with their statuses, and how a
//! request that breaks the contract maps to the documented code.
//!
//! [verified-types] § Error: `{name, message, code, className, data: {errorCode}}`; the codes
//! and their meanings come from SUPPLEMENT.md § Verified Inc. > Error codes; the status of each
//! code is vouch's choice, recorded in contracts/NOTES.md § Statuses ("OCE codes → status").

use super::super::api::{MockError, MockResponse, set_member};
use super::super::retention::Full;
use crate::contract::Violation;
use serde_json::{Value, json};

/// FeathersJS error names and classes by status ([verified-types] § Error: `"BadRequest"`,
/// `bad-request`; the rest are Feathers' own error classes).
pub(super) fn feathers(status: u16) -> (&'static str, &'static str) {
    match status {
        400 => ("BadRequest", "bad-request"),
        401 => ("NotAuthenticated", "not-authenticated"),
        402 => ("PaymentError", "payment-error"),
        403 => ("Forbidden", "forbidden"),
        404 => ("NotFound", "not-found"),
        405 => ("MethodNotAllowed", "method-not-allowed"),
        406 => ("NotAcceptable", "not-acceptable"),
        408 => ("Timeout", "timeout"),
        409 => ("Conflict", "conflict"),
        410 => ("Gone", "gone"),
        411 => ("LengthRequired", "length-required"),
        413 => ("PayloadTooLarge", "payload-too-large"),
        422 => ("Unprocessable", "unprocessable"),
        429 => ("TooManyRequests", "too-many-requests"),
        501 => ("NotImplemented", "not-implemented"),
        502 => ("BadGateway", "bad-gateway"),
        503 => ("Unavailable", "unavailable"),
        _ => ("GeneralError", "general-error"),
    }
}

/// The HTTP status vouch's mock answers with each code (contracts/NOTES.md § Statuses).
pub(super) fn status_of(code: &str) -> u16 {
    match code {
        "OCE017" | "OCE020" => 403,
        "OCE004" | "OCE013" | "OCE015" => 404,
        "OCE016" => 409,
        "OCE014" => 410,
        "OCE018" | "OCE019" => 429,
        _ => 400,
    }
}

/// An error with a Verified code, at the code's status.
pub(super) fn oce(code: &str, message: impl Into<String>) -> MockError {
    MockError::new(status_of(code), message).code(code)
}

/// ERR001, the generic error (SUPPLEMENT.md: "generic error"), at any status.
pub(super) fn generic(status: u16, message: impl Into<String>) -> MockError {
    MockError::new(status, message).code("ERR001")
}

// The documented conditions, one constructor each, so every place that raises one says it the
// same way. Texts: SUPPLEMENT.md § Error codes (meanings), [verified-types] § Error (OCE011).

/// OCE001 general 1-Click error.
pub(super) fn general_one_click(message: impl Into<String>) -> MockError {
    oce("OCE001", message)
}
/// OCE002 phone number not supported for 1-Click.
pub(super) fn phone_not_supported() -> MockError {
    oce("OCE002", "Phone number not supported for 1-Click")
}
/// OCE003 either "phone" or "email" is required.
pub(super) fn phone_or_email_required() -> MockError {
    oce("OCE003", "Either \"phone\" or \"email\" is required")
}
/// OCE004 user not found.
pub(super) fn user_not_found() -> MockError {
    oce("OCE004", "User not found")
}
/// OCE005 credential requests are missing.
pub(super) fn credential_requests_missing() -> MockError {
    oce("OCE005", "Credential requests are missing")
}
/// OCE006 user identifier is missing.
pub(super) fn user_identifier_missing(which: &str) -> MockError {
    oce("OCE006", format!("User identifier is missing: {which}"))
}
/// OCE007 mandatory credentials are missing (naming the credential types, never values).
pub(super) fn mandatory_missing(types: &[String]) -> MockError {
    oce(
        "OCE007",
        format!("Mandatory credentials are missing: {}", types.join(", ")),
    )
}
/// OCE008 verification code invalid or expired.
pub(super) fn code_invalid() -> MockError {
    oce("OCE008", "Verification code invalid or expired")
}
/// OCE009 verification code required.
pub(super) fn code_required() -> MockError {
    oce("OCE009", "Verification code required")
}
/// OCE011 more information needed; the message lists the inputs ([verified-types] § Error
/// Example: "Additional information is required to source data for user: birthDate") and
/// `data.additionalInputs` names them (SUPPLEMENT.md).
pub(super) fn more_information_needed(inputs: &[&str]) -> MockError {
    oce(
        "OCE011",
        format!(
            "Additional information is required to source data for user: {}",
            inputs.join(", ")
        ),
    )
    .detail("additionalInputs", json!(inputs))
}
/// OCE012 birth date does not match (the date itself is never echoed).
pub(super) fn birth_date_mismatch() -> MockError {
    oce("OCE012", "Birth date does not match")
}
/// OCE013 no credentials found.
pub(super) fn no_credentials_found() -> MockError {
    oce("OCE013", "No credentials found")
}
/// OCE014 1-Click request expired (also: a retrieval window that has passed).
pub(super) fn expired(message: impl Into<String>) -> MockError {
    oce("OCE014", message)
}
/// OCE015 1-Click not found.
pub(super) fn one_click_not_found() -> MockError {
    oce("OCE015", "1-Click not found")
}
/// OCE018 too many verification-code attempts.
pub(super) fn too_many_code_attempts() -> MockError {
    oce("OCE018", "Too many verification code attempts")
}
/// OCE020 brand may not use the 1-Click API (here: its trusted variant).
pub(super) fn brand_not_allowed(what: &str) -> MockError {
    oce("OCE020", format!("This brand may not use {what}"))
}
/// OCE021 user opted out.
pub(super) fn opted_out() -> MockError {
    oce("OCE021", "User opted out")
}

/// [verified-types] § Error: `{name, message, code, className, data: {errorCode, ...}}`.
pub(super) fn body(error: &MockError) -> MockResponse {
    let (name, class) = feathers(error.status);
    let mut data = json!({"errorCode": error.code.clone().unwrap_or_else(|| "ERR001".into())});
    for (k, v) in &error.details {
        set_member(&mut data, k, v.clone());
    }
    MockResponse::json(
        error.status,
        json!({"name": name, "message": error.message, "code": error.status, "className": class, "data": data}),
    )
}

/// The documented code for a contract violation, where the docs name one; `None` is ERR001.
fn documented(operation: &str, v: &Violation) -> Option<MockError> {
    let one_click = matches!(
        operation,
        "createOneClick" | "createTrustedOneClick" | "createOneClickV2"
    );
    let pointer = v.pointer.as_str();
    match (pointer, v.rule.as_str()) {
        // [verified-api-ref] § 1-Click: "birthDate ... Required if you are using the
        // non-hosted integration"; [verified-types] § Error Example: OCE011 naming birthDate.
        ("/body/birthDate", "required") if one_click => {
            Some(more_information_needed(&["birthDate"]))
        }
        // v2 errors.mdx l.153-164: OCE009 "Verification code is required" (an empty `?code=`).
        ("/query/code", "minLength") if operation == "getOneClickV2" => Some(code_required()),
        // § 1-Click: "You need to provide: 1. User's phone" (the one user identifier).
        ("/body/phone", "required") if one_click => Some(user_identifier_missing("phone")),
        // § 1-Click: "user's phone number in E.164 format"; SUPPLEMENT: OCE002.
        ("/body/phone", "pattern") if one_click => Some(phone_not_supported()),
        // § Check User Credentials / § Issue Credentials: "Either a phone and/or email".
        ("/body/email", "required")
            if matches!(operation, "hasMatchingCredentials" | "issueCredentials") =>
        {
            Some(phone_or_email_required())
        }
        // § Check User Credentials: "Required if Partner UUID is not provided"; a list of
        // "one or more" CredentialRequest objects everywhere.
        ("/body/credentialRequests", "required" | "minItems") => {
            Some(credential_requests_missing())
        }
        _ => None,
    }
}

/// A request that breaks the contract: the documented OCE code when one violation has one,
/// else ERR001 naming the first violation (its pointer, rule and expectation; never the value,
/// which may be PII).
pub(super) fn invalid_request(operation: &str, violations: &[Violation]) -> MockError {
    if let Some(e) = violations.iter().find_map(|v| documented(operation, v)) {
        return e;
    }
    let first = violations
        .first()
        .map(|v| {
            let at = v.pointer.strip_prefix("/body").unwrap_or(&v.pointer);
            let at = if at.is_empty() { "/" } else { at };
            format!("{at}: {}: expected {}", v.rule, v.expected)
        })
        .unwrap_or_default();
    generic(400, format!("Invalid request: {first}"))
}

/// The body of a wallet request, a JSON object (empty means `{}`).
pub(super) fn json_body(bytes: &[u8]) -> Result<Value, MockError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    match serde_json::from_slice(bytes) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(generic(400, "The body must be a JSON object")),
        Err(_) => Err(generic(400, "The body is not valid JSON")),
    }
}

// Bounded state (`retention`): here, beside the other answers, so the credentials and
// handlers that store entities name no retention rule.
/// The brand holds as many `what` as the mock keeps, none of them finished: 429, naming when
/// room comes if time alone will make it.
pub(super) fn entities_full(what: &str, full: Full) -> MockError {
    let when = full
        .room_at
        .map(|at| format!("; the first finishes at {}", at.rfc3339()))
        .unwrap_or_default();
    generic(
        429,
        format!("This brand holds as many {what} as the mock keeps (--max-entities){when}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::violation::Direction;

    fn violation(pointer: &str, rule: &str) -> Violation {
        Violation {
            api: "verified".into(),
            operation: None,
            direction: Direction::Request,
            pointer: pointer.into(),
            rule: rule.into(),
            expected: "something".into(),
            actual: "<redacted>".into(),
            provenance: Default::default(),
        }
    }

    #[test]
    fn missing_birth_date_is_oce011_naming_it() {
        let e = invalid_request(
            "createOneClick",
            &[violation("/body/birthDate", "required")],
        );
        assert_eq!(e.status, 400);
        assert_eq!(e.code.as_deref(), Some("OCE011"));
        assert_eq!(
            e.message,
            "Additional information is required to source data for user: birthDate"
        );
        assert_eq!(e.details["additionalInputs"], json!(["birthDate"]));
    }

    #[test]
    fn a_documented_code_wins_over_an_earlier_generic_violation() {
        let e = invalid_request(
            "issueCredentials",
            &[
                violation("/body/credentials/0/data/ssn", "pattern"),
                violation("/body/email", "required"),
            ],
        );
        assert_eq!(e.code.as_deref(), Some("OCE003"));
    }

    #[test]
    fn other_violations_are_err001_without_the_value() {
        let e = invalid_request(
            "issueCredentials",
            &[violation("/body/credentials/0/data/ssn", "pattern")],
        );
        assert_eq!(e.code.as_deref(), Some("ERR001"));
        assert!(e.message.contains("/credentials/0/data/ssn: pattern"));
        assert!(!e.message.contains("redacted"));
    }

    #[test]
    fn statuses_follow_the_notes() {
        for (code, status) in [
            ("OCE008", 400),
            ("OCE020", 403),
            ("OCE015", 404),
            ("OCE014", 410),
            ("OCE018", 429),
        ] {
            assert_eq!(status_of(code), status, "{code}");
        }
        let r = body(&one_click_not_found());
        let b = r.body.unwrap();
        assert_eq!(b["name"], "NotFound");
        assert_eq!(b["className"], "not-found");
        assert_eq!(b["code"], 404);
        assert_eq!(b["data"]["errorCode"], "OCE015");
    }
}
