//! Test support: the vendor sources the mock's answers are checked against (issue #26, point 2;
//! `tests/vendor_descriptions.rs`, contracts/NOTES.md § Answers within every vendor source):
//! each machine-readable vendor description we hold under `contracts/vendor/`, how our operations
//! map onto it, and the checks (a compiled response schema, Verified's schema package by
//! credential type, a published sample's shape). Every difference comes out as a [`Difference`].

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use vouch::contract::Schemas;

const TRUSONA: &str = "contracts/vendor/api-evangelist-trusona/698f97506f2a3443a2f3488f1642ce551e8443e4/openapi/_original/trusona-verification-api-openapi.yml";
const TRUEWORK: &str =
    "contracts/vendor/api-evangelist-truework/c683459652932cdb480bde96fe47bcf29fab9b1a/openapi";
const VERIFIED: &str = "contracts/vendor/VerifiedInc-VerifiedInc.github.io/28954c0034f45ed3101388ab947a8d085301a5b6/api/specs/api.json";
const SCHEMA_SDK: &str =
    "contracts/vendor/verified-schema-sdk/f58251b681d263afe072192e8d3578a0197240e2/jsonSchemas";
/// The calls Verified's Postman export records (each path holds a literal example id), as our
/// operations: operationId, the export's path key, method.
const VERIFIED_CALLS: [(&str, &str, &str); 6] = [
    ("hasMatchingCredentials", "/hasMatchingCredentials", "post"),
    ("issueCredentials", "/credentials", "post"),
    (
        "getSharedCredentials",
        "/sharedCredentials/1f34c103-b31f-43f3-87d8-6fcde244357c",
        "get",
    ),
    (
        "patchCredential",
        "/credentials/f6cb4a2e-7ef8-403d-a569-40dc00f2474c",
        "patch",
    ),
    (
        "getUserCredentials",
        "/userCredentials/{randomEmail}",
        "get",
    ),
    (
        "patchUserCredentials",
        "/userCredentials/{randomEmail}",
        "patch",
    ),
];

pub(crate) fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn read(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.trim_start_matches('\u{feff}').to_string()
}

fn yaml(path: &Path) -> Value {
    serde_norway::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One answer of the mock: the operation it matched, its status and its body.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) api: String,
    pub(crate) operation: String,
    pub(crate) status: u16,
    pub(crate) body: Option<Value>,
}

/// One way an answer departs from one vendor source; `pointer` with array indices as `*`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Difference {
    pub(crate) api: String,
    pub(crate) source: String,
    pub(crate) operation: String,
    pub(crate) status: u16,
    pub(crate) pointer: String,
    pub(crate) rule: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(
            f,
            "{} {} {} {} {} {}",
            self.api, self.source, self.operation, self.status, pointer, self.rule
        )
    }
}

/// `/0/devices/12/origin` → `/*/devices/*/origin`: one entry covers every item of a list.
pub(crate) fn generalise(pointer: &str) -> String {
    pointer
        .split('/')
        .map(|s| {
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                "*"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// What a vendor description says about one (operation, status).
enum Lookup {
    /// It does not describe the operation (nothing to check).
    NotCovered,
    /// It describes the operation but not this status.
    Undocumented,
    /// It documents the status without a body schema.
    NoBody,
    /// The body's schema, as a JSON pointer into the description.
    Schema(String),
}

/// A machine-readable vendor description with the way our operations map onto it.
struct Description {
    api: &'static str,
    source: &'static str,
    doc: Value,
    schemas: Schemas,
    lookup: fn(&Value, &str, u16) -> Lookup,
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The response of `operation_pointer` for `status`, as the description gives it.
fn response_lookup(doc: &Value, operation_pointer: &str, status: u16) -> Lookup {
    let responses = format!("{operation_pointer}/responses");
    let Some(response) = doc.pointer(&format!("{responses}/{status}")) else {
        return Lookup::Undocumented;
    };
    match response["content"]
        .as_object()
        .and_then(|c| c.keys().next())
    {
        Some(media) => Lookup::Schema(format!(
            "{responses}/{status}/content/{}/schema",
            escape(media)
        )),
        None => Lookup::NoBody,
    }
}

/// Trusona's OpenAPI names its operations as our contract does.
fn trusona_lookup(doc: &Value, operation: &str, status: u16) -> Lookup {
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            if op["operationId"] == operation {
                let pointer = format!("/paths/{}/{method}", escape(path));
                return response_lookup(doc, &pointer, status);
            }
        }
    }
    Lookup::NotCovered
}

fn verified_lookup(doc: &Value, operation: &str, status: u16) -> Lookup {
    match VERIFIED_CALLS.iter().find(|(id, _, _)| *id == operation) {
        Some((_, path, method)) => {
            response_lookup(doc, &format!("/paths/{}/{method}", escape(path)), status)
        }
        None => Lookup::NotCovered,
    }
}

/// Truework's later descriptions share only the error bodies with the credentials session.
fn truework_lookup(doc: &Value, _operation: &str, status: u16) -> Lookup {
    if status < 400 {
        return Lookup::NotCovered;
    }
    let pointer = format!("/components/schemas/Error{status}");
    match doc.pointer(&pointer) {
        Some(_) => Lookup::Schema(pointer),
        None => Lookup::Undocumented,
    }
}

/// OpenAPI 3.0's `nullable: true` as JSON Schema 2020-12 (`type: [t, "null"]`), the one 3.0
/// keyword Verified's export uses that 2020-12 reads differently.
fn nullable_to_type(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let (Some(Value::Bool(true)), Some(Value::String(t))) =
                (map.get("nullable"), map.get("type").cloned())
            {
                map.insert("type".into(), serde_json::json!([t, "null"]));
            }
            map.values_mut().for_each(nullable_to_type);
        }
        Value::Array(items) => items.iter_mut().for_each(nullable_to_type),
        _ => {}
    }
}

fn description(
    api: &'static str,
    source: &'static str,
    doc: Value,
    lookup: fn(&Value, &str, u16) -> Lookup,
) -> Description {
    let schemas =
        Schemas::new(&format!("vendor-{source}"), &doc).expect("the description compiles");
    Description {
        api,
        source,
        doc,
        schemas,
        lookup,
    }
}

fn descriptions() -> Vec<Description> {
    let mut verified: Value = serde_json::from_str(&read(&root().join(VERIFIED))).unwrap();
    nullable_to_type(&mut verified);
    let truework = root().join(TRUEWORK);
    vec![
        description(
            "trusona",
            "trusona-openapi",
            yaml(&root().join(TRUSONA)),
            trusona_lookup,
        ),
        description(
            "truework",
            "truework-beta",
            yaml(&truework.join("truework-beta-openapi.yml")),
            truework_lookup,
        ),
        description(
            "truework",
            "truework-orders",
            yaml(&truework.join("truework-verifications-orders-openapi.yml")),
            truework_lookup,
        ),
        description("verified", "verified-postman", verified, verified_lookup),
    ]
}

impl Description {
    /// The differences of one answer; `None` when the description does not cover it.
    fn check(&self, answer: &Answer) -> Option<Vec<Difference>> {
        if answer.api != self.api {
            return None;
        }
        let difference = |pointer: &str, rule: &str| Difference {
            api: answer.api.clone(),
            source: self.source.into(),
            operation: answer.operation.clone(),
            status: answer.status,
            pointer: generalise(pointer),
            rule: rule.into(),
        };
        let schema = match (self.lookup)(&self.doc, &answer.operation, answer.status) {
            Lookup::NotCovered => return None,
            Lookup::Undocumented => return Some(vec![difference("", "status")]),
            Lookup::NoBody => return Some(Vec::new()),
            Lookup::Schema(pointer) => pointer,
        };
        let Some(body) = &answer.body else {
            return Some(vec![difference("", "body")]);
        };
        let findings = self
            .schemas
            .check(&schema, body)
            .expect("the schema compiles");
        Some(
            findings
                .iter()
                .map(|f| difference(&f.pointer, &f.rule))
                .collect(),
        )
    }
}

/// Where the package's schemas are registered: each `$id` (`CityCredential`) and each `$ref`
/// between them resolves against it.
const PACKAGE_BASE: &str = "https://schema-sdk.invalid/";

/// Verified's schema package: every credential type's JSON Schema, compiled.
fn schema_package() -> BTreeMap<String, jsonschema::Validator> {
    let mut schemas = BTreeMap::new();
    for entry in std::fs::read_dir(root().join(SCHEMA_SDK)).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let schema: Value = serde_json::from_str(&read(&path)).unwrap();
        schemas.insert(name, schema);
    }
    let mut registry = jsonschema::Registry::new().draft(jsonschema::Draft::Draft202012);
    for (name, schema) in &schemas {
        let resource = jsonschema::Resource::from_contents(schema.clone());
        registry = registry
            .add(format!("{PACKAGE_BASE}{name}"), resource)
            .expect("a package schema registers");
    }
    let registry = registry
        .prepare()
        .expect("the package's references resolve");
    schemas
        .keys()
        .map(|name| {
            let reference = serde_json::json!({ "$ref": format!("{PACKAGE_BASE}{name}") });
            let validator = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .with_registry(&registry)
                .should_validate_formats(true)
                .build(&reference)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            (name.clone(), validator)
        })
        .collect()
}

/// Every credential in `value` (an object with a package `type` and a `data` object) against
/// the package's schema of its type.
fn check_credentials(
    package: &BTreeMap<String, jsonschema::Validator>,
    value: &Value,
    at: &str,
    out: &mut Vec<(String, String)>,
) {
    match value {
        Value::Object(map) => {
            let typed = map.get("type").and_then(Value::as_str);
            if let (Some(validator), Some(data)) =
                (typed.and_then(|t| package.get(t)), map.get("data"))
            {
                for error in validator.iter_errors(data) {
                    let keyword = error
                        .schema_path()
                        .as_str()
                        .rsplit('/')
                        .next()
                        .unwrap_or("");
                    let pointer = format!("{at}/data{}", error.instance_path().as_str());
                    out.push((pointer, keyword.to_string()));
                }
            }
            for (k, v) in map {
                check_credentials(package, v, &format!("{at}/{}", escape(k)), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                check_credentials(package, v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// A published sample's shape: every member it shows is in the answer with the sample's JSON
/// type (integer and number agree; `null` in either says nothing about the type).
fn shape(sample: &Value, answer: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match (sample, answer) {
        (_, Value::Null) | (Value::Null, _) => {}
        (Value::Object(s), Value::Object(a)) => {
            for (k, sv) in s {
                let here = format!("{at}/{}", escape(k));
                match a.get(k) {
                    Some(av) => shape(sv, av, &here, out),
                    None => out.push((here, "required".into())),
                }
            }
        }
        (Value::Array(s), Value::Array(a)) => {
            if let Some(first) = s.first() {
                for (i, av) in a.iter().enumerate() {
                    shape(first, av, &format!("{at}/{i}"), out);
                }
            }
        }
        (Value::Number(_), Value::Number(_))
        | (Value::String(_), Value::String(_))
        | (Value::Bool(_), Value::Bool(_)) => {}
        _ => out.push((at.to_string(), "type".into())),
    }
}

/// The vendors' published response samples we check by shape: (api, operation, status, file,
/// sample), from the evidence manifest (Peach and Truework: the others' samples come from the
/// descriptions checked above).
fn samples() -> Vec<(String, String, u16, String, Value)> {
    let dir = root().join("tests/vendor-evidence");
    let manifest: Vec<Value> = serde_json::from_str(&read(&dir.join("manifest.json"))).unwrap();
    manifest
        .iter()
        .filter(|e| e["direction"] == "response" && (e["api"] == "peach" || e["api"] == "truework"))
        .map(|e| {
            let file = e["file"].as_str().unwrap().to_string();
            let sample = serde_json::from_str(&read(&dir.join(&file))).unwrap();
            let status = e["status"].as_u64().unwrap() as u16;
            let api = e["api"].as_str().unwrap().to_string();
            (
                api,
                e["operation"].as_str().unwrap().to_string(),
                status,
                file,
                sample,
            )
        })
        .collect()
}

/// Every vendor source, ready to check answers.
pub(crate) struct Sources {
    descriptions: Vec<Description>,
    package: BTreeMap<String, jsonschema::Validator>,
    samples: Vec<(String, String, u16, String, Value)>,
}

impl Sources {
    pub(crate) fn load() -> Self {
        Self {
            descriptions: descriptions(),
            package: schema_package(),
            samples: samples(),
        }
    }

    /// How many answers each source checked, and every difference found.
    pub(crate) fn check(
        &self,
        answers: &[Answer],
    ) -> (BTreeMap<String, usize>, BTreeSet<Difference>) {
        let mut checked: BTreeMap<String, usize> = BTreeMap::new();
        let mut found = BTreeSet::new();
        for answer in answers {
            for d in &self.descriptions {
                if let Some(differences) = d.check(answer) {
                    *checked.entry(d.source.into()).or_default() += 1;
                    found.extend(differences);
                }
            }
            let difference = |source: &str, (pointer, rule): (String, String)| Difference {
                api: answer.api.clone(),
                source: source.into(),
                operation: answer.operation.clone(),
                status: answer.status,
                pointer: generalise(&pointer),
                rule,
            };
            if let (true, Some(body)) = (answer.api == "verified", &answer.body) {
                let mut out = Vec::new();
                check_credentials(&self.package, body, "", &mut out);
                *checked.entry("verified-schema-sdk".into()).or_default() += 1;
                found.extend(
                    out.into_iter()
                        .map(|p| difference("verified-schema-sdk", p)),
                );
            }
            for (api, operation, status, file, sample) in &self.samples {
                let same = *api == answer.api && *operation == answer.operation;
                if same && *status == answer.status {
                    let mut out = Vec::new();
                    match &answer.body {
                        Some(body) => shape(sample, body, "", &mut out),
                        None => out.push((String::new(), "body".into())),
                    }
                    *checked.entry(file.clone()).or_default() += 1;
                    found.extend(out.into_iter().map(|p| difference(file, p)));
                }
            }
        }
        (checked, found)
    }
}
