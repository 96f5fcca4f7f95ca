//! The test identities that Truework's, Trusona's and Peach's own example apps, SDK READMEs and guides show
//! developers (issue #21 point 4), sent to `vouch mock serve` as those apps send them. Where each
//! comes from, and what was searched and left out, is in
//! contracts/NOTES.md § Truework > Mock behaviour, § Trusona > Mock behaviour and § Peach > Mock
//! behaviour ("Advertised test identities").

#[path = "support/serve.rs"]
mod serve;

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use serve::Serve;

/// The token `vouch mock serve` prints for Truework and Peach (README § Mock).
const TOKEN: &str = "vouch-test-token";

/// `truework/truework.js-examples` at 7e5e9a9 (2023-08-11, the last commit before the app moved
/// to the orders API), `server.js` `GET /token`: the body the app sends verbatim.
fn truework_example_app_payload() -> Value {
    json!({
        "type": "employment",
        "permissible_purpose": "credit-application",
        "use_case": "mortgage",
        "target": {
            "first_name": "Jane",
            "last_name": "Doe",
            "social_security_number": "000-20-0000",
            "contact_email": "jane@example.com",
            "date_of_birth": "2020-02-02",
            "company": {"name": "Acme Inc"}
        }
    })
}

/// The same app at 5ffe2d6 (2021-10-22): another test identity, and no `Accept` header.
fn truework_first_example_app_payload() -> Value {
    json!({
        "type": "employment",
        "permissible_purpose": "credit-application",
        "use_case": "mortgage",
        "target": {
            "first_name": "Eric",
            "last_name": "Bailey",
            "social_security_number": "000001234",
            "contact_email": "eric@truework.com",
            "date_of_birth": "2020-02-02",
            "company": {"name": "Truework"}
        }
    })
}

/// Truework's reference page for the endpoint in API version 2019-10-15
/// (https://www.truework.com/docs/api-reference/versions/2019-10-15/get-credentials-session):
/// its curl example's body.
fn truework_reference_curl_payload(ssn: &str) -> Value {
    json!({
        "permissible_purpose": "child-support",
        "target": {"first_name": "Jane", "last_name": "Doe", "social_security_number": ssn},
        "type": "employment-income",
        "use_case": "mortgage"
    })
}

/// `POST <truework>/credentials/session` with the bearer token, `Accept` when given.
async fn create_session(server: &Serve, accept: Option<&str>, body: &Value) -> (StatusCode, Value) {
    let mut request = Client::new()
        .post(format!(
            "{}/credentials/session",
            server.base_url("truework")
        ))
        .bearer_auth(TOKEN)
        .json(body);
    if let Some(accept) = accept {
        request = request.header("Accept", accept);
    }
    let response = request.send().await.expect("the mock answers");
    let status = response.status();
    (status, response.json().await.expect("a JSON body"))
}

/// The session token the app hands to `Truework.credentials.init({sessionToken})`.
fn session_token(body: &Value) -> String {
    body["token"]
        .as_str()
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| panic!("no session token in {body}"))
        .to_string()
}

#[tokio::test]
async fn truework_example_app_gets_a_session_token_for_its_test_applicant() {
    let server = Serve::start();
    let (status, body) = create_session(
        &server,
        Some("application/json"),
        &truework_example_app_payload(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    session_token(&body);
    server.assert_no_violations().await;
}

#[tokio::test]
async fn truework_first_example_app_identity_works_and_its_missing_accept_is_406() {
    let server = Serve::start();
    let body = truework_first_example_app_payload();
    // The page lists `Accept` as Required, so the app's first version (which sent none) is
    // refused; the same request with the header creates a session (NOTES § Truework).
    let (status, answer) = create_session(&server, None, &body).await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE, "{answer}");
    let (status, answer) = create_session(&server, Some("application/json"), &body).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    session_token(&answer);
}

/// `truework-archive/truework-sdk-node` README at 25dcf09, § credentials.createSession: the
/// README's example body, sent as the SDK's client sends every call (`lib/client.ts`:
/// `accept: application/json` plus `; version=<v>` when configured, bearer token).
#[tokio::test]
async fn truework_sdk_readme_example_creates_a_session() {
    let server = Serve::start();
    let body = json!({
        "type": "employment",
        "permissible_purpose": "employment",
        "use_case": "mortgage",
        "target": {
            "first_name": "Megan",
            "last_name": "Rapinoe",
            "social_security_number": "123121234",
            "date_of_birth": "2020-02-02",
            "company": {"name": "USWNT"}
        }
    });
    for accept in ["application/json", "application/json; version=2020-12-07"] {
        let (status, answer) = create_session(&server, Some(accept), &body).await;
        assert_eq!(status, StatusCode::CREATED, "{accept}: {answer}");
        session_token(&answer);
    }
}

/// Truework's sandbox fixture SSNs (https://truework.com/docs/api-reference/sandbox/test-cases,
/// "Truework Fixture Reference", 000-00-0000 to 000-00-0007): their outcomes (report, canceled)
/// come after the applicant signs in through the widget, so creating the session succeeds for
/// each, with or without dashes, and each gets its own token.
#[tokio::test]
async fn truework_sandbox_fixture_ssns_each_open_a_session() {
    let server = Serve::start();
    let mut tokens = Vec::new();
    for n in 0..=7 {
        for ssn in [format!("000-00-000{n}"), format!("00000000{n}")] {
            let body = truework_reference_curl_payload(&ssn);
            let (status, answer) =
                create_session(&server, Some("application/json; version=2020-12-07"), &body).await;
            assert_eq!(status, StatusCode::CREATED, "{ssn}: {answer}");
            tokens.push(session_token(&answer));
        }
    }
    let count = tokens.len();
    tokens.sort();
    tokens.dedup();
    assert_eq!(tokens.len(), count, "every session has its own token");
    server.assert_no_violations().await;
}

/// `POST <peach>/people/{personId}/verifications[?dryRun=true]` with `X-API-KEY`, as the
/// borrower quickstart authenticates (https://docs.peachfinance.com/borrowers/quickstart).
async fn start_verification(server: &Serve, person: &str, dry_run: bool) -> (StatusCode, Value) {
    let query = if dry_run { "?dryRun=true" } else { "" };
    let response = Client::new()
        .post(format!(
            "{}/people/{person}/verifications{query}",
            server.base_url("peach")
        ))
        .header("X-API-KEY", TOKEN)
        .json(&json!({}))
        .send()
        .await
        .expect("the mock answers");
    let status = response.status();
    let text = response.text().await.expect("a body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The borrowers Peach's material names: `flexbase-eng/peach-node-client` README at ef221f3
/// (`BO-9BR3-GW8J`, and the same borrower by its external id `ext-26e2ffb0-…`), and the borrower
/// quickstart's James Smith (`BO-1212-ABAB`, external id `BORROWER-12345`). A dry run says a
/// verification can start, the start opens one for that id, and while it lasts a dry run says
/// no (the mock's session rule, NOTES § Peach > Mock behaviour).
#[tokio::test]
async fn peach_advertised_borrowers_can_be_verified() {
    let server = Serve::start();
    for person in [
        "BO-9BR3-GW8J",
        "ext-26e2ffb0-65e4-4fe1-a21a-569289583931",
        "BO-1212-ABAB",
        "ext-BORROWER-12345",
    ] {
        let (status, _) = start_verification(&server, person, true).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{person}: dry run");
        let (status, body) = start_verification(&server, person, false).await;
        assert_eq!(status, StatusCode::OK, "{person}: {body}");
        assert_eq!(body["data"]["personId"], person, "{body}");
        assert_eq!(body["data"]["status"], "pending", "{body}");
        let (status, body) = start_verification(&server, person, true).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{person}: {body}");
    }
    server.assert_no_violations().await;
}

/// The bearer JWT `vouch mock serve` prints for Trusona's first tenant.
fn trusona_token() -> String {
    let trusona = vouch::mock::all_apis()
        .into_iter()
        .find(|api| api.id() == "trusona")
        .expect("the trusona mock");
    trusona.default_credentials()[0].secret.clone()
}

/// Trusona's ID Proofing Service Sandbox, Test Case 1 (DL000001, "All fields match exactly",
/// https://docs.trusona.com/apis/trusona-id-proofing-sandbox/): the licence scanned in a
/// Verification API verification with a DMV verifier; the DMV check matches every field.
#[tokio::test]
async fn trusona_sandbox_test_licence_matches_the_dmv() {
    let server = Serve::start();
    let client = Client::new();
    let api = server.base_url("trusona");
    let token = trusona_token();
    let created: Value = client
        .post(format!("{api}/api/v1/verifications"))
        .bearer_auth(&token)
        .json(&json!({"documentType": "US_CA_DL", "requestedVerifiers": [{"verifier": "DMV"}]}))
        .send()
        .await
        .expect("the mock answers")
        .json()
        .await
        .expect("JSON");
    let link = created["linkUrl"].as_str().expect("a link").to_string();
    let id = created["id"].as_str().expect("an id").to_string();
    let opened = client.get(&link).send().await.expect("the link opens");
    assert_eq!(opened.status(), StatusCode::OK);
    // Test Case 1's request parameters, as the subject's scan reads them off the licence.
    let scan = json!({
        "documentNumber": "DL000001", "firstName": "John", "lastName": "Doe",
        "dateOfBirth": "04/01/1970", "address1": "1515 Oak Street", "city": "Phoenix",
        "state": "AZ", "zipCode": "85000", "issueDate": "04/01/2010",
        "expiryDate": "04/01/2030", "documentType": "DL", "iso2CountryCode": "US"
    });
    let scanned = client
        .post(format!("{link}/scan"))
        .json(&scan)
        .send()
        .await
        .expect("the scan is sent");
    assert_eq!(scanned.status(), StatusCode::OK);
    let verification: Value = client
        .get(format!("{api}/api/v1/verifications/{id}"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("the mock answers")
        .json()
        .await
        .expect("JSON");
    // The link was opened by a client that told nothing about itself (no User-Agent, no
    // Accept-Language): the device still carries every member Trusona's OpenAPI requires,
    // as non-empty strings (contracts/NOTES.md § Answers within every vendor source).
    let device = &verification["devices"][0];
    for member in [
        "platform",
        "language",
        "origin",
        "browserTimeZone",
        "browserDateTime",
    ] {
        let value = device[member].as_str().unwrap_or_default();
        assert!(!value.is_empty(), "device without {member}: {device}");
    }
    let check = &verification["verifierChecks"][0];
    assert_eq!(check["verifier"], "DMV", "{verification}");
    assert_eq!(check["verifierResult"], "SUCCESS", "{check}");
    let matches = check["matches"].as_object().expect("matches");
    assert!(
        !matches.is_empty() && matches.values().all(|m| m == true),
        "{check}"
    );
    server.assert_no_violations().await;
}
