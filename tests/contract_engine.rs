//! The contract engine against the shipped contracts: routing, base URLs, request and response
//! validation. Each test breaks one rule and checks the violation names it.

use http::{HeaderMap, Method};
use serde_json::json;
use std::sync::OnceLock;
use vouch::contract::{
    ContractSet, HttpRequest, HttpResponse, RouteError, Violation, relative_to_base,
};

fn contracts() -> &'static ContractSet {
    static SET: OnceLock<ContractSet> = OnceLock::new();
    SET.get_or_init(|| ContractSet::embedded().expect("embedded contracts load"))
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    pairs
        .iter()
        .map(|(k, v)| (http::HeaderName::from_static(k), v.parse().unwrap()))
        .collect()
}

fn request(
    api: &str,
    method: Method,
    path: &str,
    hdrs: &[(&'static str, &str)],
    body: &str,
) -> Vec<Violation> {
    let contract = contracts().get(api).unwrap();
    let h = headers(hdrs);
    contract
        .check_request(&HttpRequest {
            method: &method,
            path,
            headers: &h,
            body: body.as_bytes(),
        })
        .violations
}

fn has(violations: &[Violation], pointer: &str, rule: &str) -> bool {
    violations
        .iter()
        .any(|v| v.pointer == pointer && v.rule == rule)
}

const SANDBOX_KEY: &str = "yVg3LEnF08y0MDmpHcPxB+sZWFcDARmPRKdY2M906ng=";

#[test]
fn embedded_and_on_disk_contracts_agree() {
    let disk =
        ContractSet::load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts"))
            .unwrap();
    let names = |set: &ContractSet| {
        set.iter()
            .map(|c| (c.api.clone(), c.operations().len()))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(contracts()), names(&disk));
    // Every registered API has a contract, and every contract an API: each documents at
    // least one operation.
    let registered: Vec<String> = vouch::apis::all()
        .iter()
        .map(|a| a.id.to_string())
        .collect();
    let contracted: Vec<String> = names(&disk).into_iter().map(|(api, _)| api).collect();
    assert_eq!(registered, contracted);
    assert!(
        names(&disk).iter().all(|(_, n)| *n > 0),
        "{:?}",
        names(&disk)
    );
}

#[test]
fn routing_prefers_literal_segments_and_reports_wrong_methods() {
    let verified = contracts().get("verified").unwrap();
    assert_eq!(
        verified
            .find(&Method::POST, "/1-click/trusted")
            .unwrap()
            .operation
            .id,
        "createTrustedOneClick"
    );
    let m = verified
        .find(
            &Method::GET,
            "/1-click/9b0c7e1e-5d7a-4a53-8f0e-0d5c1f2b3a4c?x=1",
        )
        .unwrap();
    assert_eq!(m.operation.id, "getOneClick");
    assert_eq!(
        m.path_params["uuid"],
        "9b0c7e1e-5d7a-4a53-8f0e-0d5c1f2b3a4c"
    );
    assert_eq!(
        verified.find(&Method::DELETE, "/1-click/abc").unwrap_err(),
        RouteError::MethodNotAllowed {
            allowed: vec![Method::GET]
        }
    );
    // The concrete path is its own resource: GET is not one of its methods, and the
    // templated `/1-click/{uuid}` does not take over (OpenAPI 3.1 § Path Templating Matching).
    for method in [Method::GET, Method::DELETE] {
        assert_eq!(
            verified.find(&method, "/1-click/trusted").unwrap_err(),
            RouteError::MethodNotAllowed {
                allowed: vec![Method::POST]
            },
            "{method} /1-click/trusted"
        );
    }
    assert_eq!(
        verified.find(&Method::GET, "/nope").unwrap_err(),
        RouteError::NotFound
    );
    let v = request("verified", Method::GET, "/nope", &[], "");
    assert!(has(&v, "/path", "unknown-operation"), "{v:?}");
}

#[test]
fn a_base_url_with_a_path_prefix() {
    let verified = contracts().get("verified").unwrap();
    let path = relative_to_base(
        "https://core-api.sandbox-verifiedinc.com/v2/credentials/abc",
        "https://core-api.sandbox-verifiedinc.com/v2",
    )
    .unwrap();
    assert_eq!(
        verified.find(&Method::PATCH, &path).unwrap().operation.id,
        "patchCredential"
    );
    let mock = relative_to_base(
        "http://127.0.0.1:8080/peach/verification-types?limit=5",
        "http://127.0.0.1:8080/peach",
    )
    .unwrap();
    assert_eq!(
        contracts()
            .get("peach")
            .unwrap()
            .find(&Method::GET, &mock)
            .unwrap()
            .operation
            .id,
        "listVerificationTypes"
    );
}

#[test]
fn query_parameters_are_typed_and_bounded() {
    let auth = [("authorization", "Bearer vouch-test-token")];
    assert!(
        request(
            "peach",
            Method::GET,
            "/verification-types?limit=100",
            &auth,
            ""
        )
        .is_empty()
    );
    let v = request(
        "peach",
        Method::GET,
        "/verification-types?limit=0",
        &auth,
        "",
    );
    assert!(has(&v, "/query/limit", "minimum"), "{v:?}");
    let v = request(
        "peach",
        Method::GET,
        "/verification-types?limit=101",
        &auth,
        "",
    );
    assert!(has(&v, "/query/limit", "maximum"), "{v:?}");
    let v = request(
        "peach",
        Method::GET,
        "/verification-types?limit=ten",
        &auth,
        "",
    );
    assert!(has(&v, "/query/limit", "type"), "{v:?}");
    let v = request("trusona", Method::GET, "/api/v1/verifications", &auth, "");
    assert!(has(&v, "/query/since", "parameter-required"), "{v:?}");
}

#[test]
fn credentials_must_be_present_in_the_documented_scheme() {
    let v = request("peach", Method::GET, "/verification-questions", &[], "");
    assert!(has(&v, "/headers/authorization", "security"), "{v:?}");
    assert!(
        request(
            "peach",
            Method::GET,
            "/verification-questions",
            &[("x-api-key", "k")],
            ""
        )
        .is_empty()
    );
    let v = request(
        "trusona",
        Method::GET,
        "/api/v1/verifications/9b0c7e1e-5d7a-4a53-8f0e-0d5c1f2b3a4c",
        &[("authorization", "Basic abc")],
        "",
    );
    assert!(has(&v, "/headers/authorization", "security"), "{v:?}");
    // Verified takes the key bare or as a bearer token
    for value in [SANDBOX_KEY.to_string(), format!("Bearer {SANDBOX_KEY}")] {
        let v = request(
            "verified",
            Method::GET,
            "/credentials/9b0c7e1e-5d7a-4a53-8f0e-0d5c1f2b3a4c",
            &[("authorization", &value)],
            "",
        );
        assert!(v.is_empty(), "{v:?}");
    }
}

/// A header scheme's name is read as a header name once, with the contract: one no header can
/// have is the contract's error, naming the scheme, not a scheme no request ever satisfies.
#[test]
fn a_header_scheme_must_name_a_possible_header() {
    let contract = |name: &str| {
        let yaml = format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\nsecurity: [{{key: []}}]\n\
             components: {{securitySchemes: {{key: {{type: apiKey, in: header, name: '{name}'}}}}}}\n\
             paths: {{/w: {{get: {{operationId: getW, responses: {{'200': {{description: ok}}}}}}}}}}\n"
        );
        vouch::contract::Contract::from_yaml("w", &yaml, "inline:w.yaml")
    };
    let error = contract("X Key").unwrap_err().to_string();
    assert!(
        error.contains("security scheme `key`: `X Key` is not a valid header name"),
        "{error}"
    );
    let read = contract("X-Key").unwrap();
    let key = [("x-key", "k")];
    let request = |pairs: &[(&'static str, &str)]| {
        let headers = headers(pairs);
        read.check_request(&HttpRequest {
            method: &Method::GET,
            path: "/w",
            headers: &headers,
            body: b"",
        })
        .violations
    };
    assert!(request(&key).is_empty());
    // Missing, it is reported where that scheme reads it.
    let missing = request(&[]);
    assert!(has(&missing, "/headers/x-key", "security"), "{missing:?}");
}

#[test]
fn header_parameters_are_validated() {
    let body = json!({
        "type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
        "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                   "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}
    })
    .to_string();
    let ok = [
        ("authorization", "Bearer t"),
        ("content-type", "application/json"),
        ("accept", "application/json; version=2020-12-07"),
    ];
    assert!(request("truework", Method::POST, "/credentials/session", &ok, &body).is_empty());
    let v = request(
        "truework",
        Method::POST,
        "/credentials/session",
        &ok[..2],
        &body,
    );
    assert!(has(&v, "/headers/accept", "parameter-required"), "{v:?}");
    let v = request(
        "truework",
        Method::POST,
        "/credentials/session",
        &[ok[0], ok[1], ("accept", "text/html")],
        &body,
    );
    assert!(has(&v, "/headers/accept", "pattern"), "{v:?}");
}

#[test]
fn request_bodies_content_type_syntax_and_schema() {
    let auth = ("authorization", SANDBOX_KEY);
    let json_ct = ("content-type", "application/json");
    let v = request("verified", Method::POST, "/1-click", &[auth, json_ct], "");
    assert!(has(&v, "/body", "body-required"), "{v:?}");
    let v = request(
        "verified",
        Method::POST,
        "/1-click",
        &[auth, json_ct],
        "{\"phone\": ",
    );
    assert!(has(&v, "/body", "json"), "{v:?}");
    let v = request(
        "verified",
        Method::POST,
        "/1-click",
        &[auth, ("content-type", "text/plain")],
        "{}",
    );
    assert!(has(&v, "/headers/content-type", "content-type"), "{v:?}");
    let v = request(
        "verified",
        Method::POST,
        "/1-click",
        &[auth, json_ct],
        r#"{"phone": "+10123456789", "isHosted": false}"#,
    );
    assert!(
        has(&v, "/body/birthDate", "required"),
        "non-hosted 1-Click needs a birth date: {v:?}"
    );
    let v = request(
        "verified",
        Method::POST,
        "/1-click",
        &[auth, json_ct],
        r#"{"phone": "0123456789"}"#,
    );
    assert!(has(&v, "/body/phone", "pattern"), "{v:?}");
    let v = request(
        "verified",
        Method::POST,
        "/1-click",
        &[auth, ("content-type", "application/json; charset=utf-8")],
        r#"{"phone": "+10123456789"}"#,
    );
    assert!(v.is_empty(), "{v:?}");
}

#[test]
fn responses_status_content_type_and_body() {
    let verified = contracts().get("verified").unwrap();
    let op = verified.operation("getCredential").unwrap();
    let json_ct = headers(&[("content-type", "application/json")]);
    let response = |status, h: &HeaderMap, body: &str| {
        verified.validate_response(
            op,
            &HttpResponse {
                status,
                headers: h,
                body: body.as_bytes(),
            },
        )
    };
    let v = response(299, &json_ct, "{}");
    assert!(has(&v, "/status", "status"), "{v:?}");
    let v = response(200, &HeaderMap::new(), "{}");
    assert!(has(&v, "/headers/content-type", "content-type"), "{v:?}");
    let v = response(
        404,
        &json_ct,
        r#"{"name": "NotFound", "message": "x", "code": 404, "className": "not-found", "data": {"errorCode": "OCE0010"}}"#,
    );
    assert!(
        has(&v, "/body/data/errorCode", "enum"),
        "the four-digit code is a known typo: {v:?}"
    );
    let v = response(
        404,
        &json_ct,
        r#"{"name": "NotFound", "message": "x", "code": 404, "className": "not-found", "data": {"errorCode": "OCE010"}}"#,
    );
    assert!(v.is_empty(), "{v:?}");
    let v = response(404, &json_ct, "not json");
    assert!(has(&v, "/body", "json"), "{v:?}");
}

/// `x-vouch-body-optional: true` (CONVENTIONS.md § Operations): an empty answer without a
/// Content-Type passes; a body that is there is still checked; responses without the mark still
/// need their body.
#[test]
fn a_response_body_marked_optional_may_be_absent() {
    let contract = vouch::contract::Contract::from_value(
        "optional-body",
        json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/things/{id}": {"get": {
                "operationId": "getThing",
                "parameters": [{"name": "id", "in": "path", "required": true,
                                "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Error"}}}},
                    "404": {"description": "not found", "x-vouch-body-optional": true,
                            "content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/Error"}}}},
                    "410": {"$ref": "#/components/responses/Gone"}
                }}}},
            "components": {
                "schemas": {"Error": {"type": "object", "required": ["message"],
                    "properties": {"message": {"type": "string"}}}},
                "responses": {"Gone": {"description": "gone", "x-vouch-body-optional": true,
                    "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Error"}}}}}
            }
        }),
        "inline",
    )
    .unwrap();
    let op = contract.operation("getThing").unwrap();
    let json_ct = headers(&[("content-type", "application/json")]);
    let none = HeaderMap::new();
    let response = |status, h: &HeaderMap, body: &str| {
        contract.validate_response(
            op,
            &HttpResponse {
                status,
                headers: h,
                body: body.as_bytes(),
            },
        )
    };
    let v = response(404, &none, "");
    assert!(v.is_empty(), "an empty 404 passes: {v:?}");
    let v = response(410, &none, "");
    assert!(v.is_empty(), "the mark on a shared response counts: {v:?}");
    let v = response(404, &json_ct, r#"{"message": "Verification not found"}"#);
    assert!(v.is_empty(), "a right body passes: {v:?}");
    let v = response(404, &json_ct, r#"{"message": 404}"#);
    assert!(
        has(&v, "/body/message", "type"),
        "a wrong body fails: {v:?}"
    );
    let v = response(404, &json_ct, "");
    assert!(has(&v, "/body", "json"), "JSON announced, none sent: {v:?}");
    let v = response(404, &none, "Not Found");
    assert!(
        has(&v, "/headers/content-type", "content-type"),
        "a body without a Content-Type: {v:?}"
    );
    let v = response(200, &none, "");
    assert!(
        has(&v, "/headers/content-type", "content-type"),
        "an unmarked response needs its body: {v:?}"
    );
}

#[test]
fn violations_never_show_secret_values() {
    let auth = ("authorization", SANDBOX_KEY);
    let v = request(
        "verified",
        Method::POST,
        "/1-click/trusted",
        &[auth, ("content-type", "application/json")],
        r#"{"phone": "+10123456789", "birthDate": "01/08/1989-secret"}"#,
    );
    let birth = v
        .iter()
        .find(|v| v.pointer == "/body/birthDate")
        .expect("a birthDate violation");
    assert!(!birth.to_string().contains("1989"), "{birth}");
    assert!(v.iter().all(|v| !v.to_string().contains(SANDBOX_KEY)));
}
