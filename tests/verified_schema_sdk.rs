//! Verified credentials as the vendor's schema package defines them (issue #21, point 2).
//!
//! The pinned JSON Schemas of `VerifiedInc/schema-sdk` (contracts/vendor/verified-schema-sdk/
//! <commit>/) are the source: the contract's credential data schemas are generated from them
//! (`scripts/verified-credential-schemas.py --check`); for every type in the package, a payload
//! built from the package's own `examples` is accepted by the contract's issue request and by
//! `vouch mock serve` (issued, then read back as issued); and the Verified Hooli demo's issue
//! calls (`VerifiedInc/Hooli-Demo-Web` at 222d817, `app/coreAPI.server.ts`
//! `issueCredentials`) complete on the mock, with and without a partner, exactly as its code
//! shapes them.

#[path = "support/serve.rs"]
mod serve;

use reqwest::Client;
use serde_json::{Map, Value, json};
use serve::Serve;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use vouch::contract::ContractSet;

const PINNED: &str =
    "contracts/vendor/verified-schema-sdk/f58251b681d263afe072192e8d3578a0197240e2/jsonSchemas";
/// The documented sandbox key (README § The mock).
const KEY: &str = "yVg3LEnF08y0MDmpHcPxB+sZWFcDARmPRKdY2M906ng=";
/// A partner the mock seeds (features/verified/README.md: ACME Lending).
const PARTNER: &str = "a5e1c7d2-3b4f-4e6a-8c9d-0f1e2d3c4b5a";

/// Every type of the package: its name and its JSON Schema.
fn package() -> BTreeMap<String, Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(PINNED);
    let mut types = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("the pinned schemas") {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        types.insert(name, serde_json::from_str(&text).expect("JSON"));
    }
    assert_eq!(types.len(), 49, "src/jsonSchemas/index.ts defines 49 types");
    types
}

/// A data map shaped as the package defines the schema: every required member with the first
/// of the package's own `examples`; a union (`anyOf`) or intersection (`allOf`) as the members
/// of all its branches together (every branch then holds, and no member is unevaluated); a
/// `$ref` names another type's `$id`.
fn example(schema: &Value, package: &BTreeMap<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(name) = schema.get("$ref").and_then(Value::as_str) {
        return example(&package[name], package);
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (member, prop) in props {
            let value = prop["examples"][0].clone();
            assert!(
                value.is_string(),
                "{member}: the package's example is a string"
            );
            out.insert(member.clone(), value);
        }
    }
    for keyword in ["anyOf", "allOf"] {
        for branch in schema[keyword].as_array().into_iter().flatten() {
            out.extend(example(branch, package));
        }
    }
    out
}

fn issue_body(email: &str, credentials: Value) -> Value {
    json!({"email": email, "credentials": credentials})
}

#[test]
fn the_contract_is_generated_from_the_pinned_package() {
    let out = Command::new("python3")
        .arg("scripts/verified-credential-schemas.py")
        .arg("--check")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_package_type_is_accepted_by_the_contracts_issue_request() {
    let set = ContractSet::embedded().expect("embedded contracts load");
    let contract = set.get("verified").unwrap();
    let op = contract.operation("issueCredentials").unwrap();
    let package = package();
    for (name, schema) in &package {
        let data = example(schema, &package);
        let body = issue_body("sdk@example.com", json!([{"type": name, "data": data}]));
        let violations = contract.check_body(op, None, &body).unwrap();
        assert!(violations.is_empty(), "{name} {data:?}: {violations:?}");
    }
    // The shortened type is not the member where the package says otherwise (issue #21).
    let body = issue_body(
        "sdk@example.com",
        json!([{"type": "GovernmentIdTypeCredential", "data": {"governmentIdType": "Passport"}}]),
    );
    let violations = contract.check_body(op, None, &body).unwrap();
    assert!(
        violations
            .iter()
            .any(|v| v.pointer == "/body/credentials/0/data/documentType"),
        "{violations:?}"
    );
}

async fn post(client: &Client, url: &str, auth: &str, body: &Value) -> (u16, Value) {
    let response = client
        .post(url)
        .header("Authorization", auth)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("the mock answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON body"))
}

#[tokio::test]
async fn every_package_type_is_issued_and_read_back_by_the_mock() {
    let server = Serve::start();
    let client = Client::new();
    let base = server.base_url("verified");
    let package = package();
    for (i, (name, schema)) in package.iter().enumerate() {
        let data = Value::Object(example(schema, &package));
        let body = issue_body(
            &format!("sdk-{i}@example.com"),
            json!([{"type": name, "data": data}]),
        );
        let (status, answer) = post(&client, &format!("{base}/credentials"), KEY, &body).await;
        assert_eq!(status, 201, "{name}: {answer}");
        let issued = &answer["credentials"][0];
        assert_eq!(issued["data"], data, "{name} is answered as issued");
        let id = issued["id"].as_str().expect("an id");
        let read: Value = client
            .get(format!("{base}/credentials/{id}"))
            .header("Authorization", KEY)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(read["type"], json!(name));
        assert_eq!(read["data"], data, "{name} reads back as issued");
    }
}

/// The Hooli demo's `issueCredentials(email, phone)`: its credential list (the email, then the
/// "dummy credentials"), `partnerUuid` when configured, and with a phone a PhoneCredential
/// (`+1` added when missing) and `phone`. Values are the demo's own.
fn hooli_options(email: &str, phone: Option<&str>, partner: Option<&str>) -> Value {
    let mut credentials = vec![
        json!({"type": "EmailCredential", "data": {"email": email}}),
        json!({"type": "FullNameCredential", "data": [
            {"type": "FirstNameCredential", "data": {"firstName": "Richard"}},
            {"type": "LastNameCredential", "data": {"lastName": "Hendricks"}}
        ]}),
        json!({"type": "SexCredential", "data": {"sex": "Male"}}),
        json!({"type": "BirthDateCredential", "data": {"birthDate": "603201600000"}}),
        json!({"type": "SsnCredential", "data": {"ssn": "111223333"}}),
        json!({"type": "NationalityCredential", "data": {"nationality": "US"}}),
        json!({"type": "GovernmentIdTypeCredential", "data": {"documentType": "Drivers License"}}),
        json!({"type": "GovernmentIdStateCredential", "data": {"state": "US-CA"}}),
        json!({"type": "GovernmentIdNumberCredential", "data": {"idNumber": "6383736743891101"}}),
        json!({"type": "GovernmentIdIssuanceDateCredential", "data": {"issuanceDate": "1596888000000"}}),
        json!({"type": "GovernmentIdExpirationDateCredential", "data": {"expirationDate": "1754654400000"}}),
    ];
    let mut options = json!({"email": email});
    if let Some(partner) = partner {
        options["partnerUuid"] = json!(partner);
    }
    if let Some(phone) = phone {
        let with_code = if phone.starts_with("+1") {
            phone.to_string()
        } else {
            format!("+1{phone}")
        };
        credentials.push(json!({"type": "PhoneCredential", "data": {"phone": with_code}}));
        options["phone"] = json!(with_code);
    }
    options["credentials"] = Value::Array(credentials);
    options
}

#[tokio::test]
async fn the_hooli_demos_issue_calls_complete_on_the_mock() {
    let server = Serve::start();
    let client = Client::new();
    // The demo's `config.coreServiceUrl + '/credentials'`, with `Bearer ` before the key.
    let url = format!("{}/credentials", server.base_url("verified"));
    let auth = format!("Bearer {KEY}");
    let cases = [
        ("hooli-1@example.com", None, None),
        ("hooli-2@example.com", Some("5550100123"), None),
        ("hooli-3@example.com", None, Some(PARTNER)),
        ("hooli-4@example.com", Some("+15550100124"), Some(PARTNER)),
    ];
    for (email, phone, partner) in cases {
        let options = hooli_options(email, phone, partner);
        let (status, answer) = post(&client, &url, &auth, &options).await;
        // The demo treats an answer with `code` as an error; with a partner it redirects to
        // `url`; otherwise it is done.
        assert!(answer.get("code").is_none(), "{email}: {status} {answer}");
        assert_eq!(status, 201, "{email}: {answer}");
        assert_eq!(answer.get("url").is_some(), partner.is_some(), "{answer}");
        let issued = answer["credentials"].as_array().unwrap();
        assert_eq!(
            issued.len(),
            options["credentials"].as_array().unwrap().len()
        );
        let government_type = &issued[6];
        assert_eq!(government_type["type"], "GovernmentIdTypeCredential");
        assert_eq!(government_type["data"]["documentType"], "Drivers License");
    }
}
