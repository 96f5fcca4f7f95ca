//! The mock answers within every vendor source (issue #26, point 2; contracts/NOTES.md § Answers
//! within every vendor source): a contract accepts the union of what the vendor sources allow,
//! the mock answers within their intersection, so a client built from any vendor source can read
//! every answer the mock gives.
//!
//! One run of the whole suite against the embedded mock (unredacted: a masked value is not what
//! the mock answered), then every answer it gave (injected faults aside) is checked against each
//! vendor description we hold (`contracts/vendor/`, each with its README):
//! - Trusona's OpenAPI: the response schema of the same `operationId` and status;
//! - Truework's later descriptions (beta and orders): they do not describe the credentials
//!   session, only the error bodies it shares (`Error<status>`), which every error answer must fit;
//! - Verified's Postman export (`api/specs/api.json`, OpenAPI 3.0): the six calls it records;
//!   and Verified's schema package: the `data` of every credential in an answer, by its `type`;
//! - the vendors' published response samples (Peach, Truework: `tests/vendor-evidence/`): every
//!   member a sample shows is in the answer, with the sample's JSON type (a sample says no more).
//!
//! Every difference is fixed in the mock or listed, with its reason, in
//! `contracts/vendor/expected-differences.txt`; an unlisted difference fails, and so does a
//! listed one that no longer occurs.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use vouch::contract::{ContractSet, Schemas};
use vouch::runner::{self, RunOptions};

const TRUSONA: &str = "contracts/vendor/api-evangelist-trusona/698f97506f2a3443a2f3488f1642ce551e8443e4/openapi/_original/trusona-verification-api-openapi.yml";
const TRUEWORK: &str =
    "contracts/vendor/api-evangelist-truework/c683459652932cdb480bde96fe47bcf29fab9b1a/openapi";
const VERIFIED: &str = "contracts/vendor/VerifiedInc-VerifiedInc.github.io/28954c0034f45ed3101388ab947a8d085301a5b6/api/specs/api.json";
const SCHEMA_SDK: &str =
    "contracts/vendor/verified-schema-sdk/f58251b681d263afe072192e8d3578a0197240e2/jsonSchemas";
const EXPECTED: &str = "contracts/vendor/expected-differences.txt";

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

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.trim_start_matches('\u{feff}').to_string()
}

fn yaml(path: &Path) -> Value {
    serde_norway::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One answer of the mock: the operation it matched, its status and its body.
#[derive(Debug, Clone)]
struct Answer {
    api: String,
    operation: String,
    status: u16,
    body: Option<Value>,
}

/// One way an answer departs from one vendor source; `pointer` with array indices as `*`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Difference {
    api: String,
    source: String,
    operation: String,
    status: u16,
    pointer: String,
    rule: String,
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
fn generalise(pointer: &str) -> String {
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
struct Sources {
    descriptions: Vec<Description>,
    package: BTreeMap<String, jsonschema::Validator>,
    samples: Vec<(String, String, u16, String, Value)>,
}

impl Sources {
    fn load() -> Self {
        Self {
            descriptions: descriptions(),
            package: schema_package(),
            samples: samples(),
        }
    }

    /// How many answers each source checked, and every difference found.
    fn check(&self, answers: &[Answer]) -> (BTreeMap<String, usize>, BTreeSet<Difference>) {
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

/// One line of the expected-differences file: six fields (`*` matches anything; a status may
/// be a class, `4xx`) and the reason after `#`.
#[derive(Debug)]
struct Entry {
    line: usize,
    fields: Vec<String>,
}

impl Entry {
    fn matches(&self, d: &Difference) -> bool {
        let status = d.status.to_string();
        let actual = [
            d.api.as_str(),
            &d.source,
            &d.operation,
            &status,
            if d.pointer.is_empty() {
                "/"
            } else {
                &d.pointer
            },
            &d.rule,
        ];
        self.fields
            .iter()
            .zip(actual)
            .enumerate()
            .all(|(i, (f, a))| {
                f == "*"
                    || f == a
                    || (i == 3 && f.len() == 3 && f.ends_with("xx") && a.starts_with(&f[..1]))
            })
    }
}

fn parse_expected(text: &str) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (what, reason) = line.split_once(" # ").unwrap_or((line, ""));
        let fields: Vec<String> = what.split_whitespace().map(str::to_string).collect();
        if fields.len() != 6 {
            return Err(format!(
                "{EXPECTED} line {}: six fields, got {}",
                i + 1,
                fields.len()
            ));
        }
        if reason.trim().is_empty() {
            return Err(format!("{EXPECTED} line {}: no reason (` # why`)", i + 1));
        }
        entries.push(Entry {
            line: i + 1,
            fields,
        });
    }
    Ok(entries)
}

fn expected() -> Vec<Entry> {
    parse_expected(&read(&root().join(EXPECTED))).unwrap_or_else(|e| panic!("{e}"))
}

/// The differences no entry lists, and the entries that list no difference.
fn compare(found: &BTreeSet<Difference>, entries: &[Entry]) -> (Vec<String>, Vec<usize>) {
    let unlisted = found
        .iter()
        .filter(|d| !entries.iter().any(|e| e.matches(d)))
        .map(ToString::to_string)
        .collect();
    let stale = entries
        .iter()
        .filter(|e| !found.iter().any(|d| e.matches(d)))
        .map(|e| e.line)
        .collect();
    (unlisted, stale)
}

/// Every answer the mock gave to the whole suite (faults aside), unredacted.
fn suite_answers() -> Vec<Answer> {
    let options = RunOptions {
        features: root().join("features"),
        config: root().join("vouch.toml"),
        no_redact: true,
        ..RunOptions::default()
    };
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let summary = runtime
        .block_on(async {
            let target: Arc<dyn vouch::targets::Target> =
                Arc::new(vouch::targets::MockTarget::start().await?);
            runner::run(&options, Arc::new(ContractSet::embedded()?), target).await
        })
        .expect("the suite runs");
    assert_eq!(summary.failed, 0, "the suite passes: {:?}", summary.errors);
    let exchanges = summary
        .report
        .scenarios
        .iter()
        .flat_map(|s| &s.steps)
        .flat_map(|s| &s.exchanges);
    exchanges
        .filter(|x| x.fault.is_none())
        .filter_map(|x| {
            Some(Answer {
                api: x.api.clone(),
                operation: x.operation.clone()?,
                status: x.status?,
                body: x
                    .response_body
                    .as_deref()
                    .and_then(|b| serde_json::from_str(b).ok()),
            })
        })
        .collect()
}

#[test]
fn every_answer_of_the_suite_is_within_every_vendor_source() {
    let sources = Sources::load();
    let answers = suite_answers();
    let (checked, found) = sources.check(&answers);
    let entries = expected();
    println!("answers checked per vendor source:");
    for (source, n) in &checked {
        let listed = found.iter().filter(|d| d.source == *source).count();
        println!("  {source:<48} {n:>5} answers, {listed} differences (each listed)");
    }
    let (unlisted, stale) = compare(&found, &entries);
    assert!(
        unlisted.is_empty(),
        "answers of the mock that a vendor source rejects: fix the mock, or list them with a \
         reason in {EXPECTED}:\n{}",
        unlisted.join("\n")
    );
    assert!(
        stale.is_empty(),
        "{EXPECTED}: entries on lines {stale:?} list a difference that no longer occurs"
    );
    let unchecked: Vec<&str> = [
        "trusona-openapi",
        "truework-beta",
        "truework-orders",
        "verified-postman",
        "verified-schema-sdk",
        "peach/002-start-verification-200.json",
        "peach/006-create-verification-type-200.json",
    ]
    .into_iter()
    .filter(|s| checked.get(*s).copied().unwrap_or(0) == 0)
    .collect();
    assert!(
        unchecked.is_empty(),
        "no answer was checked against {unchecked:?}"
    );
}

fn answer(api: &str, operation: &str, status: u16, body: Value) -> Answer {
    Answer {
        api: api.into(),
        operation: operation.into(),
        status,
        body: Some(body),
    }
}

/// The check can fail: answers each vendor source rejects give differences that no entry of
/// the expected-differences file lists (the mock's old `NONE` risk score among them).
#[test]
fn an_answer_a_vendor_source_rejects_is_an_unlisted_difference() {
    let sources = Sources::load();
    let score = serde_json::json!([{"id": "0d98bd5f-7e8d-4430-a048-14775c6e57f9",
        "ruleType": "DEVICE", "type": "DEVICE", "score": "NONE", "rule": "MULTIPLE_DEVICES"}]);
    let device = serde_json::json!([{"platform": "iPhone", "language": "en-US", "origin": "x",
        "offsetMinutes": 0, "epochMilliseconds": 0, "browserDateTime": "x"}]);
    let answers = [
        answer("trusona", "getRiskScores", 200, score),
        answer("trusona", "getDevices", 200, device),
        answer(
            "truework",
            "createCredentialsSession",
            401,
            serde_json::json!({"message": "no"}),
        ),
        answer(
            "verified",
            "hasMatchingCredentials",
            201,
            serde_json::json!({"match": "yes"}),
        ),
        answer(
            "verified",
            "getCredential",
            200,
            serde_json::json!({"type": "BirthDateCredential", "data": {"birthDate": 7}}),
        ),
        answer(
            "peach",
            "createPersonVerification",
            200,
            serde_json::json!({"status": 200}),
        ),
    ];
    let (_, found) = sources.check(&answers);
    let (unlisted, _) = compare(&found, &expected());
    for wanted in [
        "trusona trusona-openapi getRiskScores 200 /*/score enum",
        "trusona trusona-openapi getDevices 200 /*/browserTimeZone required",
        "truework truework-beta createCredentialsSession 401 /error required",
        "truework truework-orders createCredentialsSession 401 /error required",
        "verified verified-postman hasMatchingCredentials 201 /match type",
        "verified verified-schema-sdk getCredential 200 /data/birthDate type",
        "peach peach/002-start-verification-200.json createPersonVerification 200 /data required",
    ] {
        assert!(
            unlisted.iter().any(|u| u == wanted),
            "{wanted} not in {unlisted:#?}"
        );
    }
    // An operation a description does not cover is not checked against it.
    let (checked, _) = sources.check(&[answer("verified", "createOneClick", 201, Value::Null)]);
    assert_eq!(checked.get("verified-postman"), None);
}

/// An entry needs six fields and a reason; one that lists nothing is reported as stale.
#[test]
fn the_expected_differences_file_is_strict() {
    let no_reason = "trusona trusona-openapi * 401 / status";
    assert!(
        parse_expected(no_reason)
            .unwrap_err()
            .contains("line 1: no reason")
    );
    let short = "# comment\ntrusona trusona-openapi 401 / status # why";
    assert!(
        parse_expected(short)
            .unwrap_err()
            .contains("line 2: six fields")
    );
    let entries =
        parse_expected("truework * * 4xx / status # why\npeach * * * / body # why").unwrap();
    let found: BTreeSet<Difference> = [Difference {
        api: "truework".into(),
        source: "truework-beta".into(),
        operation: "createCredentialsSession".into(),
        status: 418,
        pointer: String::new(),
        rule: "status".into(),
    }]
    .into();
    let (unlisted, stale) = compare(&found, &entries);
    assert!(
        unlisted.is_empty(),
        "a status class lists 418: {unlisted:?}"
    );
    assert_eq!(stale, vec![2]);
    assert_eq!(generalise("/0/devices/12/origin"), "/*/devices/*/origin");
}
