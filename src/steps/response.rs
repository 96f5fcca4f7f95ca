//! Assertions on the last response, and remembering values for later steps. JSON paths are
//! RFC 9535 JSONPath (`$.data.id`, `$.data[0].id`, `$.errors[*].field`).

use super::world::VouchWorld;
use crate::contract::Violation;
use crate::exchange::Outcome;
use cucumber::{given, then, when};
use serde_json::Value;
use serde_json_path::JsonPath;

/// The nodes a JSON path selects in the last response. Remembered values may be used in the
/// path, e.g. `$[?@.id == '{id}'].status`.
pub(crate) fn select(world: &VouchWorld, path: &str) -> Vec<Value> {
    let path = world.interpolate(path);
    let parsed =
        JsonPath::parse(&path).unwrap_or_else(|e| panic!("`{path}` is not a JSON path: {e}"));
    let json = world.json();
    parsed.query(&json).all().into_iter().cloned().collect()
}

/// A value for a failure message: `<redacted>` when the path names a secret or PII member
/// (`$.credentials.ssn`, `$..birthDate`), and sensitive members inside it redacted.
pub(crate) fn shown(path: &str, value: &Value) -> String {
    let sensitive = path
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .any(crate::redact::is_sensitive_name);
    if sensitive {
        crate::redact::REDACTED.to_string()
    } else {
        crate::redact::redact_value(value).to_string()
    }
}

/// The single node a JSON path selects.
pub(crate) fn one(world: &VouchWorld, path: &str) -> Value {
    let nodes = select(world, path);
    match nodes.as_slice() {
        [v] => v.clone(),
        [] => panic!("{path} selects nothing\n{}", world.explain()),
        many => panic!(
            "{path} selects {} values; make it select one\n{}",
            many.len(),
            world.explain()
        ),
    }
}

/// `Then the response status is 201`
#[then(regex = r"^the response status is (\d{3})$")]
fn status(world: &mut VouchWorld, expected: u16) {
    let (exchange, _, _) = world.exchange();
    if exchange.status != expected {
        panic!(
            "expected status {expected}, got {}\n{}",
            exchange.status,
            world.explain()
        );
    }
}

/// `Then the request fails without a response` (a dropped connection)
#[then(regex = r"^the request fails without a response$")]
fn no_response(world: &mut VouchWorld) {
    if !matches!(world.last, Some(Outcome::NoResponse { .. })) {
        panic!(
            "expected the connection to fail without a response\n{}",
            world.explain()
        );
    }
}

/// `Then "$.data.expirationInSecs" is 900`: the right side is JSON (`"text"`, `12`, `null`,
/// `[1, 2]`), after `{name}` substitution.
#[then(
    regex = r#"^"([^"]+)" is (-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|".*"|\[.*\]|\{.*\}|true|false|null)$"#
)]
fn equals(world: &mut VouchWorld, path: String, expected: String) {
    let text = world.interpolate(&expected);
    let expected: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("`{text}` is not JSON ({e}); quote strings: \"{text}\""));
    let actual = one(world, &path);
    if actual != expected {
        panic!(
            "{path} is {}, expected {}\n{}",
            shown(&path, &actual),
            shown(&path, &expected),
            world.explain()
        );
    }
}

/// `Then "$.url" exists`
#[then(regex = r#"^"([^"]+)" exists$"#)]
fn exists(world: &mut VouchWorld, path: String) {
    if select(world, &path).is_empty() {
        panic!("{path} selects nothing\n{}", world.explain());
    }
}

/// `Then "$.url" does not exist`
#[then(regex = r#"^"([^"]+)" does not exist$"#)]
fn absent(world: &mut VouchWorld, path: String) {
    let found = select(world, &path);
    if !found.is_empty() {
        panic!(
            "{path} selects {}, expected nothing\n{}",
            shown(&path, &Value::Array(found)),
            world.explain()
        );
    }
}

/// `Then "$.data.id" matches "^VT-[A-Z0-9]{4}-[A-Z0-9]{4}$"`
#[then(regex = r#"^"([^"]+)" matches "(.*)"$"#)]
fn matches(world: &mut VouchWorld, path: String, pattern: String) {
    let re = regex::Regex::new(&pattern)
        .unwrap_or_else(|e| panic!("`{pattern}` is not a regular expression: {e}"));
    let actual = one(world, &path);
    let text = match &actual {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if !re.is_match(&text) {
        panic!(
            "{path} is {}, which does not match /{pattern}/\n{}",
            shown(&path, &actual),
            world.explain()
        );
    }
}

/// `Then "$.data" has 3 items`
#[then(regex = r#"^"([^"]+)" has (\d+) items?$"#)]
fn length(world: &mut VouchWorld, path: String, expected: usize) {
    let actual = one(world, &path);
    let len = actual
        .as_array()
        .map(Vec::len)
        .unwrap_or_else(|| panic!("{path} is {actual}, not an array\n{}", world.explain()));
    if len != expected {
        panic!(
            "{path} has {len} items, expected {expected}\n{}",
            world.explain()
        );
    }
}

/// `Then the response header "Allow" is "GET, POST"`
#[then(regex = r#"^the response header "([^"]+)" is "(.*)"$"#)]
fn header(world: &mut VouchWorld, name: String, expected: String) {
    let (exchange, _, _) = world.exchange();
    let actual = exchange
        .headers
        .get(name.as_str())
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if actual.as_deref() != Some(expected.as_str()) {
        panic!(
            "header {name} is {actual:?}, expected {expected:?}\n{}",
            world.explain()
        );
    }
}

/// `When I remember "$.data.id" as vt_id`: later steps use `{vt_id}`.
#[given(regex = r#"^I remember "([^"]+)" as (\w+)$"#)]
#[when(regex = r#"^I remember "([^"]+)" as (\w+)$"#)]
#[then(regex = r#"^I remember "([^"]+)" as (\w+)$"#)]
fn remember(world: &mut VouchWorld, path: String, name: String) {
    let value = match one(world, &path) {
        Value::String(s) => s,
        other => other.to_string(),
    };
    world.vars.insert(name, value);
}

fn has_violation(violations: &[Violation], rule: &str, pointer: &str) -> bool {
    violations
        .iter()
        .any(|v| v.rule == rule && v.pointer == pointer)
}

/// `Then the response broke the contract with "json" at "/body"` (after
/// `Given the next response is expected to break the contract`)
#[then(regex = r#"^the response broke the contract with "([^"]+)" at "([^"]*)"$"#)]
fn response_violation(world: &mut VouchWorld, rule: String, pointer: String) {
    let (_, _, violations) = world.exchange();
    if !has_violation(violations, &rule, &pointer) {
        panic!(
            "expected a `{rule}` violation at {pointer:?} in the response\n{}",
            world.explain()
        );
    }
}

/// `Then the request broke the contract with "minimum" at "/query/limit"`: the scenario sent a
/// deliberately bad request; this checks it was bad for the reason the scenario means.
#[then(regex = r#"^the request broke the contract with "([^"]+)" at "([^"]*)"$"#)]
fn request_violation(world: &mut VouchWorld, rule: String, pointer: String) {
    let (_, violations, _) = world.exchange();
    if !has_violation(violations, &rule, &pointer) {
        panic!(
            "expected a `{rule}` violation at {pointer:?} in the request\n{}",
            world.explain()
        );
    }
}

/// `Then "$.linkUrlExpiresAt" is 900 seconds after "{created_at}"` (or `at least 900 seconds
/// after`): both sides RFC 3339 date-times.
#[then(regex = r#"^"([^"]+)" is (at least )?(\d+) seconds after "([^"]*)"$"#)]
fn seconds_after(
    world: &mut VouchWorld,
    path: String,
    at_least: String,
    seconds: i64,
    earlier: String,
) {
    let parse = |text: &str| {
        chrono::DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| {
            panic!(
                "`{text}` is not an RFC 3339 date-time ({e})\n{}",
                world.explain()
            )
        })
    };
    let later = one(world, &path);
    let later = parse(
        later
            .as_str()
            .unwrap_or_else(|| panic!("{path} is {later}, not a date-time")),
    );
    let earlier = parse(&world.interpolate(&earlier));
    let gap = (later - earlier).num_milliseconds();
    let ok = if at_least.is_empty() {
        gap == seconds * 1000
    } else {
        gap >= seconds * 1000
    };
    if !ok {
        panic!(
            "{path} is {gap} ms after {earlier}, expected {at_least}{seconds} s\n{}",
            world.explain()
        );
    }
}

/// `Then the response took at least 200 ms` (a lower bound, e.g. for an injected delay; not a
/// performance check)
#[then(regex = r"^the response took at least (\d+) ms$")]
fn took_at_least(world: &mut VouchWorld, ms: u64) {
    let (exchange, _, _) = world.exchange();
    if exchange.elapsed.as_millis() < u128::from(ms) {
        panic!(
            "the response took {} ms, expected at least {ms} ms\n{}",
            exchange.elapsed.as_millis(),
            world.explain()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::shown;
    use serde_json::json;

    #[test]
    fn failure_messages_never_show_pii() {
        assert_eq!(
            shown("$.credentials.ssn", &json!("123456789")),
            crate::redact::REDACTED
        );
        assert_eq!(
            shown("$..birthDate", &json!("1989-08-01")),
            crate::redact::REDACTED
        );
        assert_eq!(
            shown(
                "$.target",
                &json!({"date_of_birth": "1990-01-01", "first_name": "Ann"})
            ),
            r#"{"date_of_birth":"<redacted>","first_name":"Ann"}"#
        );
        assert_eq!(shown("$.data.id", &json!("VT-1")), r#""VT-1""#);
    }
}
