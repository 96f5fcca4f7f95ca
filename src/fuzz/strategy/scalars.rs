//! Strategies for strings and numbers: lengths, patterns and formats for strings, bounds for
//! integers and numbers, and any scalar where a schema says nothing.

use super::Generator;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

impl Generator<'_> {
    pub(super) fn string(&self, s: &Map<String, Value>, at: &str) -> BoxedStrategy<Value> {
        let (min, max) = length_bounds(s, "minLength", "maxLength", 12);
        if let Some(format) = s.get("format").and_then(Value::as_str) {
            if let Some(strategy) = format_strategy(format) {
                return strategy;
            }
            self.note(format!("format {format} at #{at}"));
        }
        if let Some(pattern) = s.get("pattern").and_then(Value::as_str) {
            let inner = pattern.strip_prefix('^').unwrap_or(pattern);
            let inner = inner.strip_suffix('$').unwrap_or(inner);
            // ECMA-262 classes are ASCII; the generator's would be Unicode.
            let inner = inner
                .replace("\\d", "[0-9]")
                .replace("\\w", "[A-Za-z0-9_]")
                .replace("\\s", "[ ]");
            return match proptest::string::string_regex(&inner) {
                Ok(strategy) => strategy
                    .prop_filter("length bounds", move |t| {
                        (min..=max.max(min + 64)).contains(&t.chars().count())
                    })
                    .prop_map(Value::String)
                    .boxed(),
                Err(_) => {
                    self.note(format!("pattern /{pattern}/ at #{at}"));
                    Just(Value::String("x".repeat(min.max(1)))).boxed()
                }
            };
        }
        proptest::string::string_regex(&format!("[a-zA-Z0-9 _.-]{{{min},{max}}}"))
            .map(|s| s.prop_map(Value::String).boxed())
            .unwrap_or_else(|_| Just(Value::String("x".repeat(min))).boxed())
    }
}

pub(super) fn bounds(s: &Map<String, Value>, integer: bool) -> (f64, f64) {
    let step = if integer { 1.0 } else { 0.001 };
    let lo = s.get("minimum").and_then(Value::as_f64).or_else(|| {
        s.get("exclusiveMinimum")
            .and_then(Value::as_f64)
            .map(|m| m + step)
    });
    let hi = s.get("maximum").and_then(Value::as_f64).or_else(|| {
        s.get("exclusiveMaximum")
            .and_then(Value::as_f64)
            .map(|m| m - step)
    });
    match (lo, hi) {
        (Some(l), Some(h)) => (l, h.max(l)),
        (Some(l), None) => (l, l + 10_000.0),
        (None, Some(h)) => (h - 10_000.0, h),
        (None, None) => (-10_000.0, 10_000.0),
    }
}

fn format_strategy(format: &str) -> Option<BoxedStrategy<Value>> {
    Some(match format {
        "uuid" => any::<u128>()
            .prop_map(|n| {
                json!(
                    uuid::Builder::from_random_bytes(n.to_le_bytes())
                        .into_uuid()
                        .to_string()
                )
            })
            .boxed(),
        "date-time" => (0i64..4_102_444_800)
            .prop_map(|s| {
                json!(
                    chrono::DateTime::from_timestamp(s, 0)
                        .unwrap_or_default()
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                )
            })
            .boxed(),
        "date" => (0i64..4_102_444_800)
            .prop_map(|s| {
                json!(
                    chrono::DateTime::from_timestamp(s, 0)
                        .unwrap_or_default()
                        .format("%Y-%m-%d")
                        .to_string()
                )
            })
            .boxed(),
        "email" => "[a-z]{1,10}@[a-z]{1,10}\\.(com|net|org)"
            .prop_map(Value::String)
            .boxed(),
        "uri" => "https://[a-z]{1,10}\\.example/[a-z0-9]{0,10}"
            .prop_map(Value::String)
            .boxed(),
        "ipv4" => any::<[u8; 4]>()
            .prop_map(|b| json!(format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3])))
            .boxed(),
        _ => return None,
    })
}

pub(super) fn any_scalar() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-100i64..100).prop_map(|i| json!(i)),
        "[a-z]{0,8}".prop_map(Value::String)
    ]
    .boxed()
}

/// The `min..=max` a length or count keyword pair allows: `min` defaults to 0, `max` to `min +
/// extra` (generated values stay small) and is never below `min`.
pub(super) fn length_bounds(
    s: &Map<String, Value>,
    min_key: &str,
    max_key: &str,
    extra: usize,
) -> (usize, usize) {
    let min = s.get(min_key).and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = s
        .get(max_key)
        .and_then(Value::as_u64)
        .map(|m| m as usize)
        .unwrap_or(min.saturating_add(extra))
        .max(min);
    (min, max)
}
