//! Mutations of a valid JSON value that each break exactly one documented constraint: a
//! required member dropped, a value of the wrong type, a value outside an enum.
//!
//! The walk follows the schema alongside the value (`$ref`, `allOf`, the `anyOf`/`oneOf`
//! branches and `if`/`then`/`else` that the value actually takes, `properties`,
//! `additionalProperties`, `items`), so a mutation is generated only where the schema really
//! constrains that member. The fixture tests use these to prove that a validator rejects each
//! broken value at the right JSON pointer; the fuzzer uses them as negative cases.

use super::Contract;
use super::document::{join, local_ref};
use super::schema::json_type;
use serde_json::{Value, json};

/// Which constraint a mutation breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MutationKind {
    /// A member listed in `required` is removed (rule `required`).
    DropRequired,
    /// The value is replaced by one of a type the schema's `type` does not admit (rule `type`).
    WrongType,
    /// The value is replaced by one outside the schema's `enum` (rule `enum`).
    OutOfEnum,
    /// A string is replaced by one that does not match the schema's `pattern` (rule `pattern`).
    PatternBroken,
    /// A string is replaced by `not-a-<format>`, which breaks the schema's `format` (rule
    /// `format`).
    FormatBroken,
    /// A number is replaced by `minimum` minus one (rule `minimum`).
    BelowMinimum,
    /// A number is replaced by `maximum` plus one (rule `maximum`).
    AboveMaximum,
    /// A string is cut to `minLength` minus one characters (rule `minLength`).
    TooShort,
    /// A string is replaced by one of `maxLength` plus one characters (rule `maxLength`).
    TooLong,
    /// An array is cut to `minItems` minus one items (rule `minItems`).
    TooFewItems,
    /// An array is padded with copies of its first item to `maxItems` plus one (rule
    /// `maxItems`).
    TooManyItems,
}

impl MutationKind {
    /// The schema keyword a validator should report.
    pub fn rule(self) -> &'static str {
        match self {
            MutationKind::DropRequired => "required",
            MutationKind::WrongType => "type",
            MutationKind::OutOfEnum => "enum",
            MutationKind::PatternBroken => "pattern",
            MutationKind::FormatBroken => "format",
            MutationKind::BelowMinimum => "minimum",
            MutationKind::AboveMaximum => "maximum",
            MutationKind::TooShort => "minLength",
            MutationKind::TooLong => "maxLength",
            MutationKind::TooFewItems => "minItems",
            MutationKind::TooManyItems => "maxItems",
        }
    }
}

/// One broken copy of the value.
#[derive(Debug, Clone)]
pub struct Mutation {
    /// Which constraint the mutation breaks.
    pub kind: MutationKind,
    /// The member that was dropped or replaced, as a JSON pointer into the value (empty for
    /// the root).
    pub pointer: String,
    /// The whole value with that one member dropped or replaced.
    pub instance: Value,
}

impl Mutation {
    /// A short name, e.g. `drop /phone`, `type /limit`, `enum /status`.
    pub fn name(&self) -> String {
        let verb = match self.kind {
            MutationKind::DropRequired => "drop",
            other => other.rule(),
        };
        format!(
            "{verb} {}",
            if self.pointer.is_empty() {
                "/"
            } else {
                &self.pointer
            }
        )
    }
}

/// Every mutation of `instance` (which should be valid) against the schema at `schema`.
pub fn mutations(contract: &Contract, schema: &str, instance: &Value) -> Vec<Mutation> {
    let mut walker = Walker {
        contract,
        root: instance,
        out: Vec::new(),
    };
    walker.walk(schema, schema, "", instance, 0);
    walker
        .out
        .sort_by(|a, b| (&a.pointer, a.kind).cmp(&(&b.pointer, b.kind)));
    walker
        .out
        .dedup_by(|a, b| a.pointer == b.pointer && a.kind == b.kind);
    walker.out
}

struct Walker<'a> {
    contract: &'a Contract,
    root: &'a Value,
    out: Vec<Mutation>,
}

impl Walker<'_> {
    /// `entry` is the schema through which the walk reached `node` (a `properties` member,
    /// `items`, ...): a replacement value must be rejected by it for the rule being broken, not
    /// only by the branch being walked (`12345` breaks no type rule of a member whose `anyOf`
    /// admits an array branch and an integer branch).
    fn walk(&mut self, entry: &str, schema_ptr: &str, at: &str, node: &Value, hops: usize) {
        // `hops` counts schema steps that do not descend into the value ($ref, allOf, ...), so
        // a self-referencing schema cannot loop.
        if hops > 64 {
            return;
        }
        let next = hops.saturating_add(1);
        let doc = self.contract.document();
        let Some(schema) = doc.pointer(schema_ptr).and_then(Value::as_object) else {
            return;
        };
        if let Some(target) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| local_ref(r).ok())
        {
            self.walk(entry, &target, at, node, next);
        }
        if let Some(list) = schema.get("allOf").and_then(Value::as_array) {
            for i in 0..list.len() {
                self.walk(entry, &format!("{schema_ptr}/allOf/{i}"), at, node, next);
            }
        }
        for keyword in ["anyOf", "oneOf"] {
            if let Some(list) = schema.get(keyword).and_then(Value::as_array) {
                for i in 0..list.len() {
                    let branch = format!("{schema_ptr}/{keyword}/{i}");
                    if self.contract.schemas().is_valid(&branch, node) {
                        self.walk(entry, &branch, at, node, next);
                    }
                }
            }
        }
        if schema.contains_key("if") {
            let taken = if self
                .contract
                .schemas()
                .is_valid(&join(schema_ptr, "if"), node)
            {
                "then"
            } else {
                "else"
            };
            if schema.contains_key(taken) {
                self.walk(entry, &join(schema_ptr, taken), at, node, next);
            }
        }
        if let Some(types) = schema.get("type") {
            let allowed: Vec<&str> = match types {
                Value::String(t) => vec![t.as_str()],
                Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            if let Some(wrong) = wrong_types(&allowed).find(|c| self.rejects_as(entry, c, "type")) {
                self.push(MutationKind::WrongType, at, Some(wrong));
            }
        }
        if let Some(options) = schema.get("enum").and_then(Value::as_array) {
            let outside = if options.iter().all(Value::is_number) {
                json!(987_654_321)
            } else {
                json!("not-a-documented-value")
            };
            if !options.contains(&outside) && self.rejects_as(entry, &outside, "enum") {
                self.push(MutationKind::OutOfEnum, at, Some(outside));
            }
        }
        self.bounds(entry, schema, at, node);
        match node {
            Value::Object(members) => {
                if let Some(required) = schema.get("required").and_then(Value::as_array) {
                    for name in required.iter().filter_map(Value::as_str) {
                        if members.contains_key(name) {
                            self.push(MutationKind::DropRequired, &join(at, name), None);
                        }
                    }
                }
                let properties = schema.get("properties").and_then(Value::as_object);
                for (name, child) in members {
                    let child_at = join(at, name);
                    if properties.is_some_and(|p| p.contains_key(name)) {
                        let member = join(&join(schema_ptr, "properties"), name);
                        self.walk(&member, &member, &child_at, child, 0);
                    } else if schema
                        .get("additionalProperties")
                        .is_some_and(Value::is_object)
                    {
                        let member = join(schema_ptr, "additionalProperties");
                        self.walk(&member, &member, &child_at, child, 0);
                    }
                }
            }
            Value::Array(items) => {
                let prefix = schema
                    .get("prefixItems")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                for (i, item) in items.iter().enumerate() {
                    let item_at = format!("{at}/{i}");
                    if i < prefix {
                        let member = format!("{schema_ptr}/prefixItems/{i}");
                        self.walk(&member, &member, &item_at, item, 0);
                    } else if schema.get("items").is_some_and(Value::is_object) {
                        let member = join(schema_ptr, "items");
                        self.walk(&member, &member, &item_at, item, 0);
                    }
                }
            }
            _ => {}
        }
    }

    /// Pattern, format and bound mutations of one node, each kept only when the member's schema
    /// rejects the replacement for exactly that rule.
    fn bounds(
        &mut self,
        entry: &str,
        schema: &serde_json::Map<String, Value>,
        at: &str,
        node: &Value,
    ) {
        let number = |k: &str| schema.get(k).and_then(Value::as_f64);
        let count = |k: &str| schema.get(k).and_then(Value::as_u64).map(|n| n as usize);
        let mut candidates: Vec<(MutationKind, Value)> = Vec::new();
        match node {
            Value::String(text) => {
                if schema.contains_key("pattern") {
                    candidates.push((MutationKind::PatternBroken, json!("!not matching!")));
                }
                if let Some(format) = schema.get("format").and_then(Value::as_str) {
                    candidates.push((MutationKind::FormatBroken, json!(format!("not-a-{format}"))));
                }
                if let Some(shorter) = count("minLength").and_then(|m| m.checked_sub(1)) {
                    candidates.push((
                        MutationKind::TooShort,
                        json!(text.chars().take(shorter).collect::<String>()),
                    ));
                }
                if let Some(longer) = count("maxLength").and_then(|m| m.checked_add(1)) {
                    candidates.push((MutationKind::TooLong, json!("x".repeat(longer))));
                }
            }
            Value::Number(n) => {
                let integer = n.is_i64() || n.is_u64();
                let step = |v: f64, d: f64| {
                    if integer {
                        json!((v + d) as i64)
                    } else {
                        json!(v + d)
                    }
                };
                if let Some(min) = number("minimum") {
                    candidates.push((MutationKind::BelowMinimum, step(min, -1.0)));
                }
                if let Some(max) = number("maximum") {
                    candidates.push((MutationKind::AboveMaximum, step(max, 1.0)));
                }
            }
            Value::Array(items) => {
                // one fewer than `minItems`, when the value has at least that many
                let fewer = count("minItems")
                    .and_then(|m| m.checked_sub(1))
                    .filter(|f| *f < items.len());
                if let Some(kept) = fewer.and_then(|f| items.get(..f)) {
                    candidates.push((MutationKind::TooFewItems, Value::Array(kept.to_vec())));
                }
                let more = count("maxItems").and_then(|m| m.checked_add(1));
                if let (Some(more), Some(first)) = (more, items.first()) {
                    let mut longer = items.clone();
                    longer.resize(more, first.clone());
                    candidates.push((MutationKind::TooManyItems, Value::Array(longer)));
                }
            }
            _ => {}
        }
        for (kind, value) in candidates {
            if self.rejects_as(entry, &value, kind.rule()) {
                self.push(kind, at, Some(value));
            }
        }
    }

    /// Whether the member schema `entry` rejects `value` itself for breaking `rule`.
    fn rejects_as(&self, entry: &str, value: &Value, rule: &str) -> bool {
        self.contract
            .schemas()
            .check(entry, value)
            .is_ok_and(|findings| {
                findings
                    .iter()
                    .any(|f| f.pointer.is_empty() && f.rule == rule)
            })
    }

    /// Records a mutation: `replacement` replaces the member at `at`, or `None` drops it.
    fn push(&mut self, kind: MutationKind, at: &str, replacement: Option<Value>) {
        let mut instance = self.root.clone();
        let applied = match replacement {
            Some(value) => match instance.pointer_mut(at) {
                Some(slot) => {
                    *slot = value;
                    true
                }
                None => false,
            },
            None => {
                let (parent, name) = at.rsplit_once('/').unwrap_or(("", at));
                let name = super::document::unescape(name);
                instance
                    .pointer_mut(parent)
                    .and_then(Value::as_object_mut)
                    .and_then(|o| o.remove(&name))
                    .is_some()
            }
        };
        if applied {
            self.out.push(Mutation {
                kind,
                pointer: at.to_string(),
                instance,
            });
        }
    }
}

/// Values whose type is none of `allowed` (an integer counts as a number), best first.
fn wrong_types<'a>(allowed: &'a [&'a str]) -> impl Iterator<Item = Value> + 'a {
    let candidates = [
        json!(12345),
        json!("not-the-documented-type"),
        json!(true),
        json!([]),
        json!({}),
        Value::Null,
    ];
    candidates.into_iter().filter(move |c| {
        let t = json_type(c);
        !(allowed.contains(&t) || (t == "integer" && allowed.contains(&"number")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_types_avoid_every_allowed_type() {
        assert_eq!(wrong_types(&["string"]).next(), Some(json!(12345)));
        assert_eq!(
            wrong_types(&["number"]).next(),
            Some(json!("not-the-documented-type"))
        );
        assert_eq!(
            wrong_types(&["integer", "string", "boolean", "array", "object", "null"]).next(),
            None
        );
    }
}
