//! Compiled JSON Schemas of one contract, and the translation of validator errors into
//! findings that point at the exact member that is wrong.
//!
//! The whole OpenAPI document is registered once as a resource (`urn:vouch:<api>`); each schema
//! is compiled from `{"$ref": "urn:vouch:<api>#<pointer>"}`, so `#/components/...` references
//! resolve inside the document. Schemas used by operations are compiled eagerly at load time;
//! any other pointer (a component, a branch) is compiled on first use and cached.

use super::ContractError;
use super::Provenance;
use super::json_doc::DocNode;
use super::provenance::Index;
use super::scanned_json::Scanned;
use crate::redact;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{Draft, Registry, Resource, ValidationError};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// Characters a JSON pointer may hold that a URI fragment may not (`{id}` in a path, spaces).
const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// One way a JSON value departs from a schema, with `pointer` relative to that value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub pointer: String,
    pub rule: String,
    pub expected: String,
    pub actual: String,
    /// Where the failing keyword's rule comes from (see [`Index`]).
    pub provenance: Provenance,
}

/// A compiled schema: it reads values as [`Scanned`] does (small objects' members found by
/// comparing names, not by hashing one).
type Validator = jsonschema::Validator<Scanned>;

type ByPointer = HashMap<String, Arc<Validator>, foldhash::fast::RandomState>;

/// The same schemas, compiled to read a [`JsonDoc`](super::json_doc::JsonDoc): the request
/// bodies' schemas, for the mock's check of each body (issue #24).
type DocValidators = HashMap<
    String,
    jsonschema::Validator<super::json_doc_schema::Doc>,
    foldhash::fast::RandomState,
>;

/// The compiled schemas of one contract document.
pub struct Schemas {
    base: String,
    registry: Registry<'static>,
    provenance: Index,
    /// By pointer, hashed with foldhash rather than SipHash: looked up for every body the
    /// mock checks (issue #24), and the pointers are the contract's own.
    eager: ByPointer,
    lazy: RwLock<ByPointer>,
    for_docs: DocValidators,
}

impl std::fmt::Debug for Schemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schemas")
            .field("base", &self.base)
            .field("compiled", &self.eager.len())
            .finish()
    }
}

impl Schemas {
    /// Registers the document. `api` names the resource (`urn:vouch:<api>`).
    pub fn new(api: &str, doc: &Value) -> Result<Self, ContractError> {
        let base = format!("urn:vouch:{api}");
        let registry = Registry::new()
            .draft(Draft::Draft202012)
            .add(&base, Resource::from_contents(doc.clone()))
            .and_then(|b| b.prepare())
            .map_err(|e| ContractError::Schema(e.to_string()))?;
        Ok(Self {
            base,
            registry,
            provenance: Index::new(doc)?,
            eager: ByPointer::default(),
            lazy: RwLock::new(ByPointer::default()),
            for_docs: DocValidators::default(),
        })
    }

    fn build<J: jsonschema::json::Json>(
        &self,
        pointer: &str,
    ) -> Result<jsonschema::Validator<J>, ContractError> {
        let fragment = percent_encoding::utf8_percent_encode(pointer, FRAGMENT);
        let reference = json!({ "$ref": format!("{}#{fragment}", self.base) });
        jsonschema::options_for::<J>()
            .with_draft(Draft::Draft202012)
            .with_registry(&self.registry)
            .should_validate_formats(true)
            .build(&reference)
            .map_err(|e| ContractError::Schema(e.to_string()))
    }

    /// Compiles the schema at `pointer` now (at load time), so validation never compiles.
    pub fn compile(&mut self, pointer: &str) -> Result<(), ContractError> {
        if !self.eager.contains_key(pointer) {
            let validator = self.build(pointer)?;
            self.eager.insert(pointer.to_string(), Arc::new(validator));
        }
        Ok(())
    }

    /// Compiles the schema at `pointer` now for values and for [`JsonDoc`]s (a request body's
    /// schema, which the mock checks each body against as a document).
    ///
    /// [`JsonDoc`]: super::json_doc::JsonDoc
    pub fn compile_for_bodies(&mut self, pointer: &str) -> Result<(), ContractError> {
        self.compile(pointer)?;
        if !self.for_docs.contains_key(pointer) {
            let validator = self.build(pointer)?;
            self.for_docs.insert(pointer.to_string(), validator);
        }
        Ok(())
    }

    /// Whether `body` is valid against the schema at `pointer`; `None` when that schema was not
    /// compiled for documents ([`compile_for_bodies`](Self::compile_for_bodies)).
    pub(crate) fn is_valid_doc(&self, pointer: &str, body: DocNode<'_>) -> Option<bool> {
        self.for_docs.get(pointer).map(|v| v.is_valid(body))
    }

    /// The validator for the schema at `pointer`, compiling and caching it if needed.
    pub(crate) fn get(&self, pointer: &str) -> Result<Arc<Validator>, ContractError> {
        if let Some(v) = self.eager.get(pointer) {
            return Ok(v.clone());
        }
        if let Some(v) = self
            .lazy
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(pointer)
        {
            return Ok(v.clone());
        }
        let validator = Arc::new(self.build(pointer)?);
        self.lazy
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(pointer.to_string(), validator.clone());
        Ok(validator)
    }

    /// Every `x-vouch-choice` and `x-vouch-source` of the document (see [`Index`]).
    pub(crate) fn provenance(&self) -> &Index {
        &self.provenance
    }

    /// How many schemas were compiled at load time.
    pub fn compiled(&self) -> usize {
        self.eager.len()
    }

    /// Whether `instance` is valid against the schema at `pointer` (false if it does not compile).
    pub fn is_valid(&self, pointer: &str, instance: &Value) -> bool {
        self.get(pointer)
            .map(|v| v.is_valid(instance))
            .unwrap_or(false)
    }

    /// Every way `instance` departs from the schema at `pointer`. Errors under `anyOf`/`oneOf`
    /// are replaced by the errors of the branch that came closest (see `best_branch`), so a
    /// finding names the member that is wrong rather than the whole union.
    pub fn check(&self, pointer: &str, instance: &Value) -> Result<Vec<Finding>, ContractError> {
        // A schema compiled at load is borrowed: no reference count moved per request (issue
        // #24; both worker threads would write its cache line).
        let lazy;
        let validator = match self.eager.get(pointer) {
            Some(v) => &**v,
            None => {
                lazy = self.get(pointer)?;
                &*lazy
            }
        };
        // A valid instance has no errors to collect, and `is_valid` stops early and builds none:
        // the common case (every well-formed request to the mock) costs much less.
        if validator.is_valid(instance) {
            return Ok(Vec::new());
        }
        let mut findings = Vec::new();
        let cx = Cx {
            index: &self.provenance,
            root: pointer,
        };
        for error in validator.iter_errors(instance) {
            convert(&cx, &error, &mut findings);
        }
        findings.dedup();
        Ok(findings)
    }
}

/// What `convert` needs besides the error: the provenance index and the compiled schema.
struct Cx<'a> {
    index: &'a Index,
    root: &'a str,
}

impl Cx<'_> {
    /// The provenance of the keyword that raised `error` (for `required`, of `member`).
    fn provenance(&self, error: &ValidationError<'_>, member: Option<&str>) -> Provenance {
        self.index.for_keyword(
            self.root,
            error.evaluation_path().as_str(),
            error.schema_path().as_str(),
            member,
        )
    }
}

fn convert(cx: &Cx<'_>, error: &ValidationError<'_>, out: &mut Vec<Finding>) {
    let at = error.instance_path().as_str().to_string();
    let value = error.instance();
    let shown = || redact::show_value(&at, value);
    let finding = |rule: &str, expected: String, actual: String| Finding {
        pointer: at.clone(),
        rule: rule.to_string(),
        expected,
        actual,
        provenance: cx.provenance(error, None),
    };
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| property.to_string());
            out.push(Finding {
                pointer: crate::contract::document::join(&at, &name),
                rule: "required".into(),
                expected: format!("member `{name}` to be present"),
                actual: "missing".into(),
                provenance: cx.provenance(error, Some(&name)),
            });
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => format!("type {t}"),
                TypeKind::Multiple(set) => {
                    format!(
                        "one of types {}",
                        set.iter()
                            .map(|t| t.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            };
            out.push(finding("type", expected, json_type(value).to_string()));
        }
        ValidationErrorKind::Enum { options } => {
            out.push(finding(
                "enum",
                format!("one of {}", super::wording::values(options)),
                shown(),
            ));
        }
        ValidationErrorKind::Constant { expected_value } => {
            out.push(finding("const", expected_value.to_string(), shown()));
        }
        ValidationErrorKind::Format { format } => {
            out.push(finding("format", format!("format `{format}`"), shown()));
        }
        ValidationErrorKind::Pattern { pattern } => {
            out.push(finding(
                "pattern",
                format!("a match for /{pattern}/"),
                shown(),
            ));
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            for name in unexpected {
                out.push(Finding {
                    pointer: crate::contract::document::join(&at, name),
                    rule: error.kind().keyword().to_string(),
                    expected: "no undocumented member".into(),
                    actual: format!("member `{name}`"),
                    provenance: cx.provenance(error, Some(name)),
                });
            }
        }
        ValidationErrorKind::FalseSchema => {
            out.push(finding("false", "no value here".into(), shown()));
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            if let Some(merged) = alternative_members(cx, context) {
                out.push(merged);
                return;
            }
            match best_branch(cx, context) {
                Some(branch) => out.extend(branch),
                None => out.push(finding(
                    error.kind().keyword(),
                    "a value matching one of the alternatives".into(),
                    shown(),
                )),
            }
        }
        kind => {
            // Bounds, lengths, counts: worded from the limit (`expected at least 1, got 0`);
            // any other rule by jsonschema's masked message, which does not echo the value.
            let (expected, actual) = super::wording::bound(kind, &at, value)
                .unwrap_or_else(|| (error.masked().to_string(), shown()));
            out.push(finding(kind.keyword(), expected, actual));
        }
    }
}

/// `anyOf: [{required: [email]}, {required: [phone]}]` fails as one finding naming every
/// alternative ("member `email` or `phone`"), at the first alternative's pointer.
fn alternative_members(cx: &Cx<'_>, context: &[Vec<ValidationError<'static>>]) -> Option<Finding> {
    let mut names = Vec::new();
    let mut first: Option<Finding> = None;
    for errors in context {
        let mut findings = Vec::new();
        for e in errors {
            convert(cx, e, &mut findings);
        }
        let [f] = findings.as_slice() else {
            return None;
        };
        if f.rule != "required" {
            return None;
        }
        let parent = f.pointer.rsplit_once('/').map(|(p, _)| p.to_string());
        if let Some(head) = &first
            && head.pointer.rsplit_once('/').map(|(p, _)| p.to_string()) != parent
        {
            return None;
        }
        names.push(f.pointer.rsplit('/').next().unwrap_or_default().to_string());
        first.get_or_insert_with(|| f.clone());
    }
    let mut merged = first?;
    if names.len() > 1 {
        let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        merged.expected = format!("member {} to be present", quoted.join(" or "));
    }
    Some(merged)
}

/// Of the branches of a failed `anyOf`/`oneOf`, the one that came closest: its findings reach
/// deepest into the instance (it got furthest before failing), and then it has the fewest.
fn best_branch(cx: &Cx<'_>, context: &[Vec<ValidationError<'static>>]) -> Option<Vec<Finding>> {
    context
        .iter()
        .map(|errors| {
            let mut findings = Vec::new();
            for e in errors {
                convert(cx, e, &mut findings);
            }
            findings
        })
        .filter(|f| !f.is_empty())
        .min_by_key(|f| {
            // A branch whose `const` failed is another variant (a discriminator such as a
            // credential's `type` did not match): the value's own variant explains it better,
            // however shallow its findings.
            let other_variant = f.iter().any(|x| x.rule == "const");
            let depth = f
                .iter()
                .map(|x| x.pointer.matches('/').count())
                .max()
                .unwrap_or(0);
            (other_variant, std::cmp::Reverse(depth), f.len())
        })
}

/// The JSON Schema type name of a value.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A schema's `type`: one name or a list of names; `None` when it has none (or one that is
/// neither).
pub(crate) fn declared_types(schema: &Value) -> Option<Vec<String>> {
    match schema.get("type")? {
        Value::String(t) => Some(vec![t.clone()]),
        Value::Array(ts) => Some(
            ts.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemas() -> Schemas {
        let doc = json!({
            "components": {"schemas": {
                "Error": {
                    "type": "object",
                    "required": ["data"],
                    "properties": {"data": {"type": "object", "required": ["errorCode"],
                        "properties": {"errorCode": {"enum": ["ERR001", "OCE001"]}}}}
                },
                "Value": {"anyOf": [
                    {"type": "string"},
                    {"type": "object", "additionalProperties": {"type": "string"}}
                ]},
                "Person": {"type": "object", "properties": {"ssn": {"type": "string", "pattern": "^\\d{9}$"},
                    "id": {"type": "string", "format": "uuid"}}}
            }}
        });
        let mut s = Schemas::new("test", &doc).unwrap();
        s.compile("/components/schemas/Error").unwrap();
        s
    }

    #[test]
    fn required_points_at_the_missing_member() {
        let f = schemas()
            .check("/components/schemas/Error", &json!({"data": {}}))
            .unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].pointer, "/data/errorCode");
        assert_eq!(f[0].rule, "required");
    }

    #[test]
    fn enum_lists_the_options() {
        let f = schemas()
            .check(
                "/components/schemas/Error",
                &json!({"data": {"errorCode": "OCE0010"}}),
            )
            .unwrap();
        assert_eq!(f[0].rule, "enum");
        assert_eq!(f[0].expected, "one of \"ERR001\", \"OCE001\"");
        assert_eq!(f[0].actual, "\"OCE0010\"");
    }

    #[test]
    fn union_errors_name_the_closest_branch_member() {
        let s = schemas();
        let f = s
            .check("/components/schemas/Value", &json!({"firstName": 1}))
            .unwrap();
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].pointer.as_str(), f[0].rule.as_str()),
            ("/firstName", "type")
        );
        let f = s.check("/components/schemas/Value", &json!(5)).unwrap();
        assert_eq!((f[0].pointer.as_str(), f[0].rule.as_str()), ("", "type"));
        assert!(s.is_valid("/components/schemas/Value", &json!("x")));
    }

    #[test]
    fn a_union_names_the_value_own_variant_not_one_whose_discriminator_failed() {
        // As Verified's credentials: one branch per `type`, a composite taking an array.
        let doc = json!({"components": {"schemas": {"Credential": {"anyOf": [
            {"type": "object", "properties": {"type": {"const": "AddressCredential"},
                "data": {"type": "array"}}},
            {"type": "object", "properties": {"type": {"const": "SsnCredential"},
                "data": {"type": "object"}}}
        ]}}}});
        let s = Schemas::new("t", &doc).unwrap();
        let f = s
            .check(
                "/components/schemas/Credential",
                &json!({"type": "SsnCredential", "data": []}),
            )
            .unwrap();
        assert_eq!(
            (f[0].pointer.as_str(), f[0].rule.as_str()),
            ("/data", "type"),
            "{f:?}"
        );
    }

    #[test]
    fn formats_are_checked_and_secrets_never_shown() {
        let s = schemas();
        let f = s
            .check(
                "/components/schemas/Person",
                &json!({"ssn": "12-34", "id": "nope"}),
            )
            .unwrap();
        let ssn = f.iter().find(|x| x.pointer == "/ssn").unwrap();
        assert_eq!(ssn.rule, "pattern");
        assert_eq!(ssn.actual, redact::REDACTED);
        let id = f.iter().find(|x| x.pointer == "/id").unwrap();
        assert_eq!(
            (id.rule.as_str(), id.actual.as_str()),
            ("format", "\"nope\"")
        );
    }

    #[test]
    fn alternative_required_members_are_named_together() {
        let doc = json!({"components": {"schemas": {"Who": {"type": "object", "anyOf": [{"required": ["email"]}, {"required": ["phone"]}]}}}});
        let s = Schemas::new("t", &doc).unwrap();
        let f = s.check("/components/schemas/Who", &json!({})).unwrap();
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].pointer, "/email");
        assert_eq!(f[0].expected, "member `email` or `phone` to be present");
    }

    #[test]
    fn unknown_pointers_do_not_compile() {
        assert!(schemas().get("/components/schemas/Nope").is_err());
    }
}
