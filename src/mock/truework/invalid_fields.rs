//! The 400 body's `invalid_fields`: each bad field with the reasons it was rejected, nested the
//! way the fields are. Truework's SDK types it recursively (truework-sdk-node `lib/types.ts`:
//! `InvalidFields = { [field: string]: InvalidFields | string[] }`), and its fixture's reason
//! ("This field is required.") is the default message of Django REST framework, which reports
//! a nested object's fields as a nested map: `{"target": {"first_name": ["..."]}}`. Reasons
//! about an object itself, beside reasons about its members, go under `non_field_errors` (the
//! same framework's key), so a member is always either a list or a map. contracts/NOTES.md §
//! Vendor evidence > Truework.

use serde_json::{Map, Value, json};

/// Where a problem is (`["target", "date_of_birth"]`; empty: the body itself) and why.
pub(super) type Problem = (Vec<String>, String);

/// The key for reasons about an object itself.
const NON_FIELD_ERRORS: &str = "non_field_errors";

/// A violation's pointer as a field path: `/body/target/date_of_birth` is
/// `["target", "date_of_birth"]` (JSON-pointer escapes undone).
pub(super) fn path_of(pointer: &str) -> Vec<String> {
    pointer
        .strip_prefix("/body")
        .unwrap_or(pointer)
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Every problem, reasons grouped per field and fields nested per object.
pub(super) fn nest(problems: &[Problem]) -> Value {
    let mut root = Map::new();
    for (path, reason) in problems {
        add(&mut root, path, reason);
    }
    Value::Object(root)
}

fn add(map: &mut Map<String, Value>, path: &[String], reason: &str) {
    match path {
        [] => add(map, &[NON_FIELD_ERRORS.to_string()], reason),
        [leaf] => match map.entry(leaf.clone()).or_insert_with(|| json!([])) {
            Value::Array(reasons) => reasons.push(json!(reason)),
            Value::Object(members) => add(members, &[], reason),
            other => *other = json!([reason]),
        },
        [head, rest @ ..] => {
            let slot = map.entry(head.clone()).or_insert_with(|| json!({}));
            if let Value::Array(own) = slot {
                // The object already has reasons of its own: they move under non_field_errors.
                *slot = json!({ NON_FIELD_ERRORS: own.clone() });
            }
            if let Value::Object(members) = slot {
                add(members, rest, reason);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(path: &[&str], reason: &str) -> Problem {
        (path.iter().map(|s| s.to_string()).collect(), reason.into())
    }

    #[test]
    fn paths_come_from_body_pointers() {
        assert_eq!(
            path_of("/body/target/date_of_birth"),
            ["target", "date_of_birth"]
        );
        assert_eq!(path_of("/body/metadata/a~1b"), ["metadata", "a/b"]);
        assert!(path_of("/body").is_empty());
        assert_eq!(
            path_of("/headers/content-type"),
            ["headers", "content-type"]
        );
    }

    #[test]
    fn reasons_are_grouped_per_field_and_nested_per_object() {
        let fields = nest(&[
            p(&["type"], "one"),
            p(&["target", "first_name"], "two"),
            p(&["type"], "three"),
            p(&["target", "company", "id"], "four"),
            p(&[], "five"),
        ]);
        assert_eq!(
            fields,
            json!({
                "type": ["one", "three"],
                "target": {"first_name": ["two"], "company": {"id": ["four"]}},
                "non_field_errors": ["five"]
            })
        );
    }

    #[test]
    fn an_object_with_reasons_of_its_own_keeps_them_under_non_field_errors() {
        let first = nest(&[
            p(&["target", "company"], "own"),
            p(&["target", "company", "id"], "member"),
        ]);
        let second = nest(&[
            p(&["target", "company", "id"], "member"),
            p(&["target", "company"], "own"),
        ]);
        let expected =
            json!({"target": {"company": {"non_field_errors": ["own"], "id": ["member"]}}});
        assert_eq!(first, expected);
        assert_eq!(
            second["target"]["company"]["non_field_errors"],
            json!(["own"])
        );
        assert_eq!(second["target"]["company"]["id"], json!(["member"]));
    }
}
