//! Phone numbers as requests may write them, and the E.164 form the mock stores and answers.
//!
//! The page types them only as "Phone number with country code" (MNO_V: "Must be a USA (+1),
//! Canada (+1), or UK (+44) number"). Trusona's own OpenAPI (RequestedSmsMessage,
//! RequestedTrustedSmsMessage, RequestedMnoVerifier) adds: "Dashes, spaces, dots and parentheses
//! are accepted, as is a missing leading +; the number is stored and returned in E.164 form. A
//! number sent without a country code cannot be resolved and is rejected", and for MNO "a missing
//! country code is resolved against the default countries" (USA, Canada, UK). How the mock tells
//! a number without a country code: contracts/NOTES.md § Vendor evidence (issue #14) › Trusona.

use super::super::api::MockError;
use super::verifiers;

/// § RequestedMnoVerifier (the page): the refusal of a number outside the MNO countries.
pub(super) const MNO_COUNTRIES_MESSAGE: &str =
    "MNO_V needs a USA (+1), Canada (+1), or UK (+44) phoneNumber";

/// The digits of `raw` and whether it began with `+`: separators (space, `-`, `.`, `(`, `)`)
/// dropped; `None` for any other character, or a `+` that is not first.
fn digits(raw: &str) -> Option<(bool, String)> {
    let trimmed = raw.trim();
    let (plus, rest) = match trimmed.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let mut out = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    Some((plus, out))
}

/// E.164: `+`, a country code not starting with 0, at most 15 digits in all.
fn e164(digits: &str) -> Option<String> {
    let ok = (2..=15).contains(&digits.len()) && !digits.starts_with('0');
    ok.then(|| format!("+{digits}"))
}

/// A North American national number (10 digits, area code not starting 0 or 1).
fn is_nanp_national(digits: &str) -> bool {
    digits.len() == 10 && !digits.starts_with(['0', '1'])
}

fn bad_sms_number() -> MockError {
    MockError::new(
        400,
        "phoneNumber must be a phone number with its country code (E.164, e.g. +12025550100)",
    )
}

/// An SMS / TRUSTED_SMS `phoneNumber` in E.164. Without a `+`, the digits are read as country
/// code and number, except the two forms that are plainly national (no country code): a leading
/// trunk `0`, and a 10-digit North American number.
pub(super) fn sms(raw: &str) -> Result<String, MockError> {
    let (plus, digits) = digits(raw).ok_or_else(bad_sms_number)?;
    if !plus && (digits.starts_with('0') || is_nanp_national(&digits)) {
        return Err(bad_sms_number());
    }
    e164(&digits).ok_or_else(bad_sms_number)
}

/// An MNO_V `phoneNumber` in E.164, from one of the MNO countries. Without a `+`, a missing
/// country code is resolved against the default countries: a 10-digit North American number is
/// `+1`, a UK national number (trunk `0`, then 9 or 10 digits) is `+44`.
pub(super) fn mno(raw: &str) -> Result<String, MockError> {
    let refuse = || MockError::new(400, MNO_COUNTRIES_MESSAGE);
    let (plus, digits) = digits(raw).ok_or_else(refuse)?;
    let full = if plus {
        digits
    } else if is_nanp_national(&digits) {
        format!("1{digits}")
    } else if let Some(national) = digits
        .strip_prefix('0')
        .filter(|n| (9..=10).contains(&n.len()))
    {
        format!("44{national}")
    } else {
        digits
    };
    e164(&full)
        .filter(|p| verifiers::mno_phone_allowed(p))
        .ok_or_else(refuse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sms_numbers_are_stored_in_e164() {
        for raw in [
            "+12025550100",
            "+1 (202) 555-0100",
            "1.202.555.0100",
            "12025550100",
            " +1-202-555-0100 ",
        ] {
            assert_eq!(sms(raw).unwrap(), "+12025550100", "{raw}");
        }
        assert_eq!(sms("44 7700 900123").unwrap(), "+447700900123");
        for raw in [
            "2025550100",
            "(202) 555-0100",
            "07700 900123",
            "+0123",
            "+1202x5550100",
            "1+2025550100",
            "",
            "+1234567890123456",
        ] {
            assert_eq!(sms(raw).unwrap_err().status, 400, "{raw}");
        }
    }

    #[test]
    fn mno_numbers_resolve_against_the_default_countries() {
        for (raw, e164) in [
            ("+12025550100", "+12025550100"),
            ("(202) 555-0100", "+12025550100"),
            ("1 202 555 0100", "+12025550100"),
            ("+44 7700 900123", "+447700900123"),
            ("07700 900123", "+447700900123"),
            ("447700900123", "+447700900123"),
            ("416.555.0123", "+14165550123"),
        ] {
            assert_eq!(mno(raw).unwrap(), e164, "{raw}");
        }
        for raw in ["+33612345678", "+1202555010", "0612345678x", "33612345678"] {
            assert_eq!(
                mno(raw).unwrap_err().message,
                MNO_COUNTRIES_MESSAGE,
                "{raw}"
            );
        }
    }
}
