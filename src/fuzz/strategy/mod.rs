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
//!
//! The combinators (`$ref`, `allOf`, `oneOf`/`anyOf`, `if`/`then`/`else`) are flattened into
//! alternatives in [`flatten`]; strings and numbers are drawn in [`scalars`]; this file holds
//! the [`Generator`] and the per-type strategies.

mod flatten;
mod known;
mod scalars;

use crate::contract::Contract;
use crate::contract::schema::declared_types;
use flatten::satisfies;
use proptest::prelude::*;
use scalars::{any_scalar, bounds};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

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
pub(crate) struct Generator<'a> {
    contract: &'a Contract,
    unsupported: Mutex<BTreeSet<String>>,
    /// `--value NAME=VALUE`, by parameter or property name ([`known`]).
    values: BTreeMap<String, Vec<String>>,
    /// Whether the strategy being built draws known values ([`known`]).
    known: AtomicBool,
    /// Whether a known value was met while building it.
    met: AtomicBool,
}

impl<'a> Generator<'a> {
    #[cfg(test)]
    pub(crate) fn new(contract: &'a Contract) -> Self {
        Self::with_values(contract, &[])
    }

    /// A generator that sends `values` (`--value NAME=VALUE`, repeatable) where a parameter or
    /// body property has that name, as it sends the contract's examples ([`known`]).
    pub(crate) fn with_values(contract: &'a Contract, values: &[(String, String)]) -> Self {
        let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, value) in values {
            by_name.entry(name.clone()).or_default().push(value.clone());
        }
        Self {
            contract,
            unsupported: Mutex::new(BTreeSet::new()),
            values: by_name,
            known: AtomicBool::new(false),
            met: AtomicBool::new(false),
        }
    }

    /// Constructs met that were not translated, as `keyword at #/pointer`.
    pub(crate) fn unsupported(&self) -> Vec<String> {
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

    /// A strategy for values of the schema at `pointer`: known values (the contract's
    /// examples, `--value`s) in most cases where some apply, random ones otherwise.
    pub(crate) fn at(&self, pointer: &str) -> BoxedStrategy<Value> {
        let schema = self
            .contract
            .document()
            .pointer(pointer)
            .cloned()
            .unwrap_or(Value::Bool(true));
        let random = self.schema(&schema, pointer, 0);
        match self.known_at(pointer, &schema) {
            Some(known) => prop_oneof![known::KNOWN_WEIGHT => known, 1 => random].boxed(),
            None => random,
        }
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
        if let Some(examples) = self.examples(object) {
            return examples;
        }
        if let Some(Value::Array(options)) = object.get("enum") {
            return proptest::sample::select(options.clone()).boxed();
        }
        if let Some(c) = object.get("const") {
            return Just(c.clone()).boxed();
        }
        let types = declared_types(schema).unwrap_or_else(|| infer_types(object));
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
                let (min, max) = scalars::length_bounds(s, "minItems", "maxItems", 3);
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
            .map(|n| {
                self.property(n, &properties[n]).unwrap_or_else(|| {
                    self.schema(&properties[n], &format!("{at}/properties/{n}"), depth + 1)
                })
            })
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
}
