//! Known values: what the target knows before the run, so that most positive cases reach a
//! resource that exists (issue #22 point 3). Two sources, generic over every contract:
//!
//! - the contract's documented examples: OpenAPI 3.1 `examples` on a schema (an array) or on
//!   a parameter (a map of Example Objects, their `value`), e.g. a vendor's sandbox test user;
//! - `vouch fuzz --value NAME=VALUE`: the values of the user's own sandbox (a partner's uuid is
//!   per account), by parameter or body property name; they replace the examples of that name.
//!
//! [`Generator::at`] draws from a strategy built with known values in [`KNOWN_WEIGHT`] cases of
//! [`KNOWN_WEIGHT`] + 1, and from the plain one otherwise, so random values keep reaching the
//! target's 404 path. A known value the contract refuses is filtered out like any generated
//! value (`kinds::valid_parts`), never sent as valid.

use super::Generator;
use proptest::prelude::*;
use serde_json::{Map, Value};
use std::sync::atomic::Ordering;

/// Cases drawn from known values for each one drawn at random.
pub(super) const KNOWN_WEIGHT: u32 = 19;

impl Generator<'_> {
    /// The strategy for the schema at `pointer` built with known values, or `None` when no
    /// known value applies anywhere in it.
    pub(super) fn known_at(&self, pointer: &str, schema: &Value) -> Option<BoxedStrategy<Value>> {
        // A parameter's schema sits at `<parameter>/schema`: its name and examples are there.
        let parameter = pointer
            .strip_suffix("/schema")
            .and_then(|p| self.contract.document().pointer(p))
            .and_then(Value::as_object);
        if let Some(parameter) = parameter {
            let name = parameter.get("name").and_then(Value::as_str).unwrap_or("");
            if let Some(values) = self.supplied(name, schema) {
                return Some(values);
            }
            if let Some(Value::Object(examples)) = parameter.get("examples") {
                let values: Vec<Value> = examples
                    .values()
                    .filter_map(|e| e.get("value").cloned())
                    .collect();
                if !values.is_empty() {
                    return Some(proptest::sample::select(values).boxed());
                }
            }
        }
        self.known.store(true, Ordering::Relaxed);
        self.met.store(false, Ordering::Relaxed);
        let strategy = self.schema(schema, pointer, 0);
        self.known.store(false, Ordering::Relaxed);
        self.met.swap(false, Ordering::Relaxed).then_some(strategy)
    }

    /// While known values are being built: a schema's own `examples`.
    pub(super) fn examples(&self, schema: &Map<String, Value>) -> Option<BoxedStrategy<Value>> {
        if !self.known.load(Ordering::Relaxed) {
            return None;
        }
        let examples = schema
            .get("examples")?
            .as_array()
            .filter(|e| !e.is_empty())?;
        self.met.store(true, Ordering::Relaxed);
        Some(proptest::sample::select(examples.clone()).boxed())
    }

    /// While known values are being built: the `--value`s given for the property `name`.
    pub(super) fn property(&self, name: &str, schema: &Value) -> Option<BoxedStrategy<Value>> {
        if !self.known.load(Ordering::Relaxed) {
            return None;
        }
        let values = self.supplied(name, schema)?;
        self.met.store(true, Ordering::Relaxed);
        Some(values)
    }

    /// The `--value`s given for `name`, typed by the schema: text for a string, else the JSON
    /// it parses as (`--value limit=5` is a number), else text.
    fn supplied(&self, name: &str, schema: &Value) -> Option<BoxedStrategy<Value>> {
        let raw = self.values.get(name)?;
        let texts = self
            .flatten(schema, "", 0)
            .iter()
            .any(|alt| takes_text(alt.get("type")));
        let values: Vec<Value> = raw
            .iter()
            .map(|v| match serde_json::from_str::<Value>(v) {
                Ok(parsed) if !texts && !parsed.is_string() => parsed,
                _ => Value::String(v.clone()),
            })
            .collect();
        Some(proptest::sample::select(values).boxed())
    }
}

/// Whether a `type` keyword admits strings (no `type` admits anything, strings included).
fn takes_text(kind: Option<&Value>) -> bool {
    match kind {
        None => true,
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::ContractSet;
    use proptest::test_runner::TestRunner;

    /// 200 draws of the strategy at `pointer`.
    fn draws(generator: &Generator<'_>, pointer: &str) -> Vec<Value> {
        let mut runner = TestRunner::deterministic();
        let strategy = generator.at(pointer);
        (0..200)
            .map(|_| strategy.new_tree(&mut runner).unwrap().current())
            .collect()
    }

    const TRUSTED: &str = "/components/schemas/TrustedOneClickRequest";
    const PARTNER: &str = "/components/parameters/PartnerUuid/schema";

    /// A property's `examples` are sent in most draws, random values in some (the 404 path).
    #[test]
    fn a_propertys_examples_are_most_draws_not_all() {
        let contracts = ContractSet::embedded().unwrap();
        let generator = Generator::new(contracts.get("verified").unwrap());
        let phones: Vec<Value> = draws(&generator, TRUSTED)
            .into_iter()
            .map(|body| body["phone"].clone())
            .collect();
        let known = ["+10123456789", "+550123456789"];
        let documented = phones
            .iter()
            .filter(|p| known.iter().any(|k| *p == k))
            .count();
        assert!(documented >= 160, "{documented}/200 documented phones");
        assert!(
            documented < 200,
            "no random phone: the 404 path is never taken"
        );
    }

    /// `--value NAME=VALUE` replaces the examples of that name, for a body property and for a
    /// parameter (the partner of the user's own sandbox), and reaches only that name.
    #[test]
    fn a_value_given_replaces_the_examples_of_its_name() {
        let contracts = ContractSet::embedded().unwrap();
        let verified = contracts.get("verified").unwrap();
        let mine = "0d6d4a8e-9f1b-4c2a-8e3d-5b7a6c9f0e12";
        let values = [
            ("phone".to_string(), "+15550001111".to_string()),
            ("partnerUuid".to_string(), mine.to_string()),
        ];
        let generator = Generator::with_values(verified, &values);
        let bodies = draws(&generator, TRUSTED);
        let given = bodies
            .iter()
            .filter(|b| b["phone"] == "+15550001111")
            .count();
        assert!(given >= 160, "{given}/200 phones given");
        // birthDate keeps its own example.
        let birth = bodies
            .iter()
            .filter(|b| b["birthDate"] == "1989-08-01")
            .count();
        assert!(birth >= 160, "{birth}/200 documented birth dates");
        let partners = draws(&generator, PARTNER);
        let ours = partners.iter().filter(|p| **p == mine).count();
        assert!(ours >= 160, "{ours}/200 given partners");
        let seeded = "a5e1c7d2-3b4f-4e6a-8c9d-0f1e2d3c4b5a";
        assert!(
            !partners.iter().any(|p| p == seeded),
            "the example still sent"
        );
    }

    /// A value is typed by its schema: text for a string, JSON otherwise.
    #[test]
    fn a_value_is_typed_by_its_schema() {
        let contracts = ContractSet::embedded().unwrap();
        let peach = contracts.get("peach").unwrap();
        let values = [("limit".to_string(), "5".to_string())];
        let generator = Generator::with_values(peach, &values);
        let op = peach.operation("listVerificationTypes").unwrap();
        let limit = op.parameters.iter().find(|p| p.name == "limit").unwrap();
        let drawn = draws(&generator, limit.schema.as_deref().unwrap());
        assert!(
            drawn.iter().filter(|v| **v == 5).count() >= 160,
            "{drawn:?}"
        );
    }
}
