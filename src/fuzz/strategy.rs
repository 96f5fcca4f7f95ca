//! JSON Schema to proptest strategies, generically, from the contract itself.
//!
//! Supported: `$ref`, `type` (one or several), `enum`, `const`, `properties`, `required`,
//! `additionalProperties`, `items`, `minItems`/`maxItems`, `uniqueItems`, `minLength`/`maxLength`,
//! `pattern`, the formats `uuid`, `date`, `date-time`, `email`, `uri`, `ipv4`, `minimum`/`maximum`
//! (and exclusive), `oneOf`/`anyOf` (one branch merged into its parent), `allOf` (merged), and
//! `if`/`then`/`else` on objects (a generated object that meets `if` gets `then`'s required
//! members). A construct it cannot translate is recorded by name in [`Generator::unsupported`],
//! never skipped silently. Every positive value is finally checked against the compiled schema,
//! so a construct translated loosely costs rejected cases, never a wrong "valid" case.

use crate::contract::Contract;
use crate::contract::document::local_ref;
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;
use std::sync::Mutex;

/// Keywords that only annotate, or that the merge handles: never "unsupported".
const KNOWN: &[&str] = &[
    "$ref",
    "type",
    "enum",
    "const",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "oneOf",
    "anyOf",
    "allOf",
    "if",
    "then",
    "else",
    "description",
    "title",
    "default",
    "examples",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "x-vouch-source",
    "discriminator",
    "$comment",
    "nullable",
];

/// Turns schemas of one contract into strategies.
pub struct Generator<'a> {
    contract: &'a Contract,
    unsupported: Mutex<BTreeSet<String>>,
}

impl<'a> Generator<'a> {
    pub fn new(contract: &'a Contract) -> Self {
        Self {
            contract,
            unsupported: Mutex::new(BTreeSet::new()),
        }
    }

    /// Constructs met that were not translated, as `keyword at #/pointer`.
    pub fn unsupported(&self) -> Vec<String> {
        self.unsupported
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    fn note(&self, what: String) {
        self.unsupported
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(what);
    }

    /// A strategy for values of the schema at `pointer`.
    pub fn at(&self, pointer: &str) -> BoxedStrategy<Value> {
        let schema = self
            .contract
            .document()
            .pointer(pointer)
            .cloned()
            .unwrap_or(Value::Bool(true));
        self.schema(&schema, pointer, 0)
    }

    /// Resolves `$ref`, `allOf` and the parent of `oneOf`/`anyOf` into flat alternatives.
    fn flatten(&self, schema: &Value, at: &str, depth: usize) -> Vec<Value> {
        let Some(object) = schema.as_object() else {
            return vec![schema.clone()];
        };
        let mut base = object.clone();
        if let Some(target) = base
            .remove("$ref")
            .and_then(|r| r.as_str().map(str::to_string))
        {
            match local_ref(&target)
                .ok()
                .and_then(|p| self.contract.document().pointer(&p).cloned())
            {
                Some(resolved) if depth < 8 => {
                    let mut out = Vec::new();
                    for alt in self.flatten(&resolved, &target, depth + 1) {
                        out.extend(self.flatten(
                            &Value::Object(merge(
                                alt.as_object().cloned().unwrap_or_default(),
                                &base,
                            )),
                            at,
                            depth + 1,
                        ));
                    }
                    return out;
                }
                _ => {
                    self.note(format!("$ref {target} at #{at}"));
                    return vec![Value::Object(base)];
                }
            }
        }
        // `if`/`then` rules, in `allOf` members or on the schema itself.
        let mut conditionals: Vec<Value> = Vec::new();
        if let Some(condition) = base.remove("if") {
            let mut c = Map::new();
            c.insert("if".into(), condition);
            for k in ["then", "else"] {
                if let Some(v) = base.remove(k) {
                    c.insert(k.into(), v);
                }
            }
            conditionals.push(Value::Object(c));
        }
        if let Some(Value::Array(all)) = base.remove("allOf") {
            let (rules, members): (Vec<Value>, Vec<Value>) =
                all.into_iter().partition(|m| m.get("if").is_some());
            conditionals.extend(rules);
            let mut alternatives = vec![base.clone()];
            for member in members {
                let mut next = Vec::new();
                for alt in self.flatten(&member, at, depth + 1) {
                    for current in &alternatives {
                        next.push(merge(
                            current.clone(),
                            alt.as_object().unwrap_or(&Map::new()),
                        ));
                    }
                }
                alternatives = next;
            }
            let mut out = Vec::new();
            for alt in alternatives {
                for expanded in expand_conditionals(alt, &conditionals) {
                    out.extend(self.flatten(&Value::Object(expanded), at, depth + 1));
                }
            }
            return out;
        }
        if !conditionals.is_empty() {
            return expand_conditionals(base, &conditionals)
                .into_iter()
                .flat_map(|a| self.flatten(&Value::Object(a), at, depth + 1))
                .collect();
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = base.remove(keyword) {
                let mut out = Vec::new();
                for branch in branches {
                    for alt in self.flatten(&branch, at, depth + 1) {
                        out.extend(self.flatten(
                            &Value::Object(merge(
                                base.clone(),
                                alt.as_object().unwrap_or(&Map::new()),
                            )),
                            at,
                            depth + 1,
                        ));
                    }
                }
                return out;
            }
        }
        vec![Value::Object(base)]
    }

    fn schema(&self, schema: &Value, at: &str, depth: usize) -> BoxedStrategy<Value> {
        let alternatives: Vec<BoxedStrategy<Value>> = self
            .flatten(schema, at, depth)
            .into_iter()
            .map(|alt| self.flat(&alt, at, depth))
            .collect();
        match alternatives.len() {
            0 => Just(Value::Null).boxed(),
            1 => alternatives
                .into_iter()
                .next()
                .unwrap_or_else(|| Just(Value::Null).boxed()),
            _ => proptest::strategy::Union::new(alternatives).boxed(),
        }
    }

    /// A schema with no `$ref`, `allOf`, `oneOf` or `anyOf` left at its top.
    fn flat(&self, schema: &Value, at: &str, depth: usize) -> BoxedStrategy<Value> {
        let Some(object) = schema.as_object() else {
            return if schema == &Value::Bool(false) {
                Just(Value::Null).boxed()
            } else {
                any_scalar()
            };
        };
        for key in object
            .keys()
            .filter(|k| !KNOWN.contains(&k.as_str()) && !k.starts_with("x-"))
        {
            self.note(format!("{key} at #{at}"));
        }
        if let Some(Value::Array(options)) = object.get("enum") {
            return proptest::sample::select(options.clone()).boxed();
        }
        if let Some(c) = object.get("const") {
            return Just(c.clone()).boxed();
        }
        let types: Vec<String> = match object.get("type") {
            Some(Value::String(t)) => vec![t.clone()],
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => infer_types(object),
        };
        let strategies: Vec<BoxedStrategy<Value>> = types
            .iter()
            .map(|t| self.typed(t, object, at, depth))
            .collect();
        match strategies.len() {
            0 => any_scalar(),
            1 => strategies.into_iter().next().unwrap_or_else(any_scalar),
            _ => proptest::strategy::Union::new(strategies).boxed(),
        }
    }

    fn typed(
        &self,
        kind: &str,
        s: &Map<String, Value>,
        at: &str,
        depth: usize,
    ) -> BoxedStrategy<Value> {
        match kind {
            "null" => Just(Value::Null).boxed(),
            "boolean" => any::<bool>().prop_map(Value::Bool).boxed(),
            "integer" => {
                let (lo, hi) = bounds(s, true);
                (lo as i64..=hi as i64).prop_map(|i| json!(i)).boxed()
            }
            "number" => {
                let (lo, hi) = bounds(s, false);
                (lo..=hi).prop_map(|f| json!(f)).boxed()
            }
            "string" => self.string(s, at),
            "array" => {
                let items = match s.get("items") {
                    Some(schema) if depth < 6 => {
                        self.schema(schema, &format!("{at}/items"), depth + 1)
                    }
                    _ => any_scalar(),
                };
                let min = s.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
                let max = s
                    .get("maxItems")
                    .and_then(Value::as_u64)
                    .map(|m| m as usize)
                    .unwrap_or(min + 3)
                    .max(min);
                let unique = s
                    .get("uniqueItems")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                prop::collection::vec(items, min..=max)
                    .prop_map(move |mut v| {
                        if unique {
                            let mut seen = Vec::new();
                            v.retain(|x| {
                                if seen.contains(x) {
                                    false
                                } else {
                                    seen.push(x.clone());
                                    true
                                }
                            });
                        }
                        Value::Array(v)
                    })
                    .boxed()
            }
            "object" => self.object(s, at, depth),
            other => {
                self.note(format!("type {other} at #{at}"));
                any_scalar()
            }
        }
    }

    fn string(&self, s: &Map<String, Value>, at: &str) -> BoxedStrategy<Value> {
        let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = s
            .get("maxLength")
            .and_then(Value::as_u64)
            .map(|m| m as usize)
            .unwrap_or(min + 12)
            .max(min);
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

    fn object(&self, s: &Map<String, Value>, at: &str, depth: usize) -> BoxedStrategy<Value> {
        let properties = s
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let required: BTreeSet<String> = s
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        if depth >= 6 {
            return Just(Value::Object(Map::new())).boxed();
        }
        // Every documented member gets a value; a mask decides which optional ones appear.
        let names: Vec<String> = properties.keys().cloned().collect();
        let values: Vec<BoxedStrategy<Value>> = names
            .iter()
            .map(|n| self.schema(&properties[n], &format!("{at}/properties/{n}"), depth + 1))
            .collect();
        let extra = match s.get("additionalProperties") {
            Some(schema @ Value::Object(_)) if properties.is_empty() => {
                let value = self.schema(schema, &format!("{at}/additionalProperties"), depth + 1);
                prop::collection::btree_map("[a-z][a-zA-Z]{0,8}", value, 0..3).boxed()
            }
            _ => Just(Default::default()).boxed(),
        };
        let conditionals: Vec<(Value, Option<Value>, Option<Value>)> = s
            .get("x-vouch-if")
            .and_then(Value::as_array)
            .map(|rules| {
                rules
                    .iter()
                    .map(|r| {
                        (
                            r["if"].clone(),
                            r.get("then").cloned(),
                            r.get("else").cloned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let count = names.len();
        (values, prop::collection::vec(any::<bool>(), count), extra)
            .prop_map(move |(values, mask, extra)| {
                let mut all = Map::new();
                for (name, value) in names.iter().zip(values) {
                    all.insert(name.clone(), value);
                }
                let mut object: Map<String, Value> = all
                    .iter()
                    .zip(&mask)
                    .filter(|((n, _), keep)| **keep || required.contains(*n))
                    .map(|((n, v), _)| (n.clone(), v.clone()))
                    .collect();
                for (condition, then, otherwise) in &conditionals {
                    let branch = if satisfies(&Value::Object(object.clone()), condition) {
                        then
                    } else {
                        otherwise
                    };
                    for name in branch
                        .iter()
                        .flat_map(|b| {
                            b.get("required")
                                .and_then(Value::as_array)
                                .into_iter()
                                .flatten()
                        })
                        .filter_map(Value::as_str)
                    {
                        if let Some(v) = all.get(name) {
                            object.entry(name.to_string()).or_insert_with(|| v.clone());
                        }
                    }
                }
                for (k, v) in extra {
                    object.entry(k).or_insert(v);
                }
                Value::Object(object)
            })
            .boxed()
    }
}

/// Merges `extra` into `base`: properties and required united, other keywords from `extra`
/// (the more specific) unless `base` already constrains them; `if`/`then`/`else` carried.
fn merge(mut base: Map<String, Value>, extra: &Map<String, Value>) -> Map<String, Value> {
    for (key, value) in extra {
        match (key.as_str(), base.get_mut(key)) {
            ("properties", Some(Value::Object(existing))) => {
                for (k, v) in value.as_object().into_iter().flatten() {
                    existing.insert(k.clone(), v.clone());
                }
            }
            ("required", Some(Value::Array(existing))) => {
                for v in value.as_array().into_iter().flatten() {
                    if !existing.contains(v) {
                        existing.push(v.clone());
                    }
                }
            }
            ("description" | "examples" | "default" | "title", Some(_)) => {}
            _ => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
    base
}

/// `if: {properties: {p: {const: v}}}` rules become alternatives, one per rule (the schema
/// with `p = v` and `then` merged in) plus the schema alone; other rules stay as runtime
/// conditionals (`x-vouch-if`), applied to required members when an object is built.
fn expand_conditionals(base: Map<String, Value>, rules: &[Value]) -> Vec<Map<String, Value>> {
    let discriminant = |rule: &Value| -> Option<(String, Value)> {
        let props = rule.get("if")?.get("properties")?.as_object()?;
        let (name, condition) = props.iter().next().filter(|_| props.len() == 1)?;
        Some((name.clone(), condition.get("const")?.clone()))
    };
    let (by_value, others): (Vec<&Value>, Vec<&Value>) =
        rules.iter().partition(|r| discriminant(r).is_some());
    let mut plain = base.clone();
    if !others.is_empty() {
        plain.insert(
            "x-vouch-if".into(),
            Value::Array(others.into_iter().cloned().collect()),
        );
    }
    let mut out = vec![plain.clone()];
    for rule in by_value {
        let Some((name, value)) = discriminant(rule) else {
            continue;
        };
        let pinned = merge(
            plain.clone(),
            json!({"properties": {name: {"const": value}}})
                .as_object()
                .unwrap_or(&Map::new()),
        );
        let then = rule
            .get("then")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        out.push(merge(pinned, &then));
    }
    out
}

/// Whether `value` meets a simple `if` condition: `properties` with `const` / `enum`, and `required`.
fn satisfies(value: &Value, condition: &Value) -> bool {
    let required_ok = condition
        .get("required")
        .and_then(Value::as_array)
        .is_none_or(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .all(|n| value.get(n).is_some())
        });
    let properties_ok = condition
        .get("properties")
        .and_then(Value::as_object)
        .is_none_or(|props| {
            props.iter().all(|(name, rule)| match value.get(name) {
                None => true,
                Some(v) => {
                    rule.get("const").is_none_or(|c| c == v)
                        && rule
                            .get("enum")
                            .and_then(Value::as_array)
                            .is_none_or(|e| e.contains(v))
                }
            })
        });
    required_ok && properties_ok
}

fn infer_types(s: &Map<String, Value>) -> Vec<String> {
    let has = |k: &str| s.contains_key(k);
    let t = if has("properties") || has("required") || has("additionalProperties") {
        "object"
    } else if has("items") || has("minItems") {
        "array"
    } else if has("pattern") || has("minLength") || has("format") {
        "string"
    } else if has("minimum") || has("maximum") {
        "number"
    } else {
        return Vec::new();
    };
    vec![t.to_string()]
}

fn bounds(s: &Map<String, Value>, integer: bool) -> (f64, f64) {
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

fn any_scalar() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-100i64..100).prop_map(|i| json!(i)),
        "[a-z]{0,8}".prop_map(Value::String)
    ]
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::ContractSet;
    use proptest::test_runner::TestRunner;

    /// For each request body schema of every contract, most generated values are valid:
    /// the translation is faithful enough that filtering is cheap.
    #[test]
    fn generated_bodies_are_mostly_valid() {
        let contracts = ContractSet::embedded().unwrap();
        let mut runner = TestRunner::deterministic();
        for contract in contracts.iter() {
            let generator = Generator::new(contract);
            for op in contract.operations() {
                let Ok(schema) = contract.body_schema(op, None) else {
                    continue;
                };
                let strategy = generator.at(&schema);
                let valid = (0..50)
                    .filter(|_| {
                        let value = strategy.new_tree(&mut runner).unwrap().current();
                        contract.schemas().is_valid(&schema, &value)
                    })
                    .count();
                assert!(
                    valid >= 10,
                    "{} {}: only {valid}/50 generated bodies are valid",
                    contract.api,
                    op.id
                );
            }
            assert!(
                generator.unsupported().is_empty(),
                "{}: {:?}",
                contract.api,
                generator.unsupported()
            );
        }
    }

    #[test]
    fn conditions() {
        assert!(satisfies(
            &json!({"channel": "SMS"}),
            &json!({"properties": {"channel": {"const": "SMS"}}, "required": ["channel"]})
        ));
        assert!(!satisfies(
            &json!({"channel": "EMAIL"}),
            &json!({"properties": {"channel": {"const": "SMS"}}})
        ));
        assert!(!satisfies(&json!({}), &json!({"required": ["channel"]})));
    }
}
