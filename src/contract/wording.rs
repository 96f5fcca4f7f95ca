//! How a broken JSON Schema rule reads in a violation, `expected <what the rule asks>, got
//! <what came>`: jsonschema's own messages describe the failure ("value is less than the
//! minimum of 1"), which read backwards after "expected", so bounds, lengths and counts are
//! worded here from the rule's limit; and an enum's values are listed whole.

use crate::redact;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

/// `n thing` or `n things`.
fn count(n: u64, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}

/// What a bound, length, count or uniqueness rule expects, and what the value had, for the
/// rules that have a limit; `None` for the others. `at` is the value's pointer (a sensitive
/// one shows no value, only its size).
pub(crate) fn bound(
    kind: &ValidationErrorKind,
    at: &str,
    value: &Value,
) -> Option<(String, String)> {
    let shown = || redact::show_value(at, value);
    let chars = || {
        let n = value.as_str().map_or(0, |s| s.chars().count()) as u64;
        if redact::is_sensitive_pointer(at) {
            count(n, "character")
        } else {
            format!("{} ({})", shown(), count(n, "character"))
        }
    };
    let items = || count(value.as_array().map_or(0, Vec::len) as u64, "item");
    let members = || count(value.as_object().map_or(0, |m| m.len()) as u64, "member");
    Some(match kind {
        ValidationErrorKind::Minimum { limit } => (format!("at least {limit}"), shown()),
        ValidationErrorKind::Maximum { limit } => (format!("at most {limit}"), shown()),
        ValidationErrorKind::ExclusiveMinimum { limit } => (format!("more than {limit}"), shown()),
        ValidationErrorKind::ExclusiveMaximum { limit } => (format!("less than {limit}"), shown()),
        ValidationErrorKind::MultipleOf { multiple_of } => {
            (format!("a multiple of {multiple_of}"), shown())
        }
        ValidationErrorKind::MinLength { limit } => {
            (format!("at least {}", count(*limit, "character")), chars())
        }
        ValidationErrorKind::MaxLength { limit } => {
            (format!("at most {}", count(*limit, "character")), chars())
        }
        ValidationErrorKind::MinItems { limit } => {
            (format!("at least {}", count(*limit, "item")), items())
        }
        ValidationErrorKind::MaxItems { limit } => {
            (format!("at most {}", count(*limit, "item")), items())
        }
        ValidationErrorKind::AdditionalItems { limit } => {
            (format!("at most {}", count(*limit as u64, "item")), items())
        }
        ValidationErrorKind::MinProperties { limit } => {
            (format!("at least {}", count(*limit, "member")), members())
        }
        ValidationErrorKind::MaxProperties { limit } => {
            (format!("at most {}", count(*limit, "member")), members())
        }
        ValidationErrorKind::UniqueItems => ("no repeated items".into(), shown()),
        ValidationErrorKind::Contains => ("an item matching `contains`".into(), shown()),
        ValidationErrorKind::OneOfMultipleValid { .. } => (
            "exactly one alternative to match".into(),
            format!("{} (several match)", shown()),
        ),
        _ => return None,
    })
}

/// Longest an enum's list of values gets before the rest are counted instead.
const LIST_LIMIT: usize = 200;

/// An enum's values, `"A", "B", "C"`, whole values only: past [`LIST_LIMIT`] characters the
/// list stops between two values and says how many more there are.
pub(crate) fn values(options: &Value) -> String {
    let Value::Array(items) = options else {
        return options.to_string();
    };
    let mut text = String::new();
    for (i, item) in items.iter().enumerate() {
        let next = item.to_string();
        let sep = if i == 0 { "" } else { ", " };
        let length = text
            .chars()
            .count()
            .saturating_add(sep.len())
            .saturating_add(next.chars().count());
        if i > 0 && length > LIST_LIMIT {
            return format!("{text}, … ({} more)", items.len().saturating_sub(i));
        }
        text.push_str(sep);
        text.push_str(&next);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_long_enum_is_cut_between_values_and_counts_the_rest() {
        let options = json!((0..60).map(|i| format!("STATE_{i:02}")).collect::<Vec<_>>());
        let text = values(&options);
        assert!(text.chars().count() <= LIST_LIMIT + 20, "{text}");
        let (head, tail) = text.split_once(", … (").unwrap();
        // Every listed value is whole.
        assert!(
            head.split(", ").all(|v| v.len() == 10 && v.ends_with('"')),
            "{head}"
        );
        let listed = head.split(", ").count();
        assert_eq!(tail, format!("{} more)", 60 - listed));
        assert_eq!(values(&json!(["A", "B"])), r#""A", "B""#);
    }

    #[test]
    fn bounds_read_as_what_is_expected() {
        let min = ValidationErrorKind::Minimum { limit: json!(1) };
        assert_eq!(
            bound(&min, "/query/limit", &json!(0)),
            Some(("at least 1".into(), "0".into()))
        );
        let max_len = ValidationErrorKind::MaxLength { limit: 3 };
        assert_eq!(
            bound(&max_len, "/body/name", &json!("abcd")).unwrap(),
            (
                "at most 3 characters".into(),
                "\"abcd\" (4 characters)".into()
            )
        );
        // A sensitive value shows only its size.
        assert_eq!(
            bound(&max_len, "/body/ssn", &json!("123-45-6789"))
                .unwrap()
                .1,
            "11 characters"
        );
        let min_items = ValidationErrorKind::MinItems { limit: 1 };
        assert_eq!(
            bound(&min_items, "/body/data", &json!([])).unwrap(),
            ("at least 1 item".into(), "0 items".into())
        );
        assert!(bound(&ValidationErrorKind::FalseSchema, "", &json!(1)).is_none());
    }
}
