//! The mock server itself: a fifth API plugged in with nothing but a contract and a `MockApi`,
//! every contract operation having a handler (and a mock without one refused at start), the
//! self-check catching a wrong answer, the admin API's errors, shutdown on drop, no panic
//! reaching a client, the journal's size and the cap on entities reaching the API's code.

use serde_json::{Value, json};
use std::sync::Arc;
use vouch::contract::{Contract, ContractSet};
use vouch::mock::{
    Credential, ErrorContext, MockApi, MockConfig, MockError, MockRequest, MockResponse,
    MockServer, MockState, Operations, Tenant,
};

const WIDGETS_YAML: &str = r##"
openapi: 3.1.0
info: {title: Widgets, version: "1"}
x-vouch-api: widgets
security: [{key: []}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    Error: {type: object, required: [problem], properties: {problem: {type: string}}}
    Widget: {type: object, required: [id, size], properties: {id: {type: string}, size: {type: integer, minimum: 1}}}
paths:
  /widgets/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get:
      operationId: getWidget
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Widget"}}}}
        "401": {description: no key, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        "404": {description: none, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
"##;

/// A handler of the Widgets mock: it keeps no state.
type WidgetHandler = fn(&MockRequest) -> Result<MockResponse, MockError>;

/// The Widgets table: one row per operation of the contract.
const WIDGETS: Operations<WidgetHandler> = Operations::new(&[("getWidget", get_widget)]);

/// `w-bad` answers a widget that breaks the contract, `w-panic` panics (a defect in a mock),
/// `w-cap` answers the cap on entities the mock was configured with as its size.
fn get_widget(request: &MockRequest) -> Result<MockResponse, MockError> {
    match request.path_params["id"].as_str() {
        "w-1" => Ok(MockResponse::json(200, json!({"id": "w-1", "size": 3}))),
        "w-bad" => Ok(MockResponse::json(200, json!({"id": "w-bad", "size": 0}))),
        "w-panic" => panic!("a widget exploded"),
        "w-cap" => Ok(MockResponse::json(
            200,
            json!({"id": "w-cap", "size": request.max_entities}),
        )),
        _ => Err(MockError::new(404, "no such widget")),
    }
}

/// A fifth API in a dozen lines, answering through a table (other tables: the construction
/// check).
struct Widgets(&'static Operations<WidgetHandler>);

impl MockApi for Widgets {
    fn id(&self) -> &'static str {
        "widgets"
    }
    fn default_credentials(&self) -> Vec<Credential> {
        vec![Credential {
            secret: "k1".into(),
            tenant: Tenant::new("one"),
        }]
    }
    fn error_response(&self, error: &MockError, _at: &ErrorContext<'_>) -> MockResponse {
        MockResponse::json(error.status, json!({"problem": error.message}))
    }
    fn operations(&self) -> Vec<&'static str> {
        self.0.ids()
    }
    fn handle(&self, request: MockRequest) -> Result<MockResponse, MockError> {
        self.0.handler(&request.operation)?(&request)
    }
    fn reset(&self) {}
}

fn widgets_contracts() -> Arc<ContractSet> {
    let contract = Contract::from_yaml("widgets", WIDGETS_YAML, "widgets.yaml").unwrap();
    Arc::new(ContractSet::new(vec![contract]))
}

async fn widgets_server() -> MockServer {
    let config = MockConfig {
        apis: vec![Arc::new(Widgets(&WIDGETS))],
        contracts: Some(widgets_contracts()),
        ..MockConfig::default()
    };
    MockServer::start_with(config).await.unwrap()
}

async fn get(url: &str, key: Option<&str>) -> (u16, Value) {
    let mut request = reqwest::Client::new().get(url);
    if let Some(k) = key {
        request = request.header("x-key", k);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_fifth_api_needs_only_a_contract_and_a_mock_api() {
    let server = widgets_server().await;
    let base = server.base_url("widgets");
    assert_eq!(
        get(&format!("{base}/widgets/w-1"), Some("k1")).await,
        (200, json!({"id": "w-1", "size": 3}))
    );
    assert_eq!(
        get(&format!("{base}/widgets/w-2"), Some("k1")).await,
        (404, json!({"problem": "no such widget"}))
    );
    assert_eq!(get(&format!("{base}/widgets/w-1"), None).await.0, 401);
    assert_eq!(get(&format!("{base}/widgets/w-1"), Some("k2")).await.0, 401);
    assert!(server.violations().is_empty(), "{:?}", server.violations());
}

#[test]
fn every_operation_of_every_contract_has_a_handler() {
    let contracts = Arc::new(ContractSet::embedded().unwrap());
    let apis = vouch::mock::all_apis();
    for contract in contracts.iter() {
        let api = apis
            .iter()
            .find(|a| a.id() == contract.api)
            .unwrap_or_else(|| panic!("no mock serves contract `{}`", contract.api));
        let handled = api.operations();
        assert!(!contract.operations().is_empty(), "{}", contract.api);
        for op in contract.operations() {
            assert!(
                handled.contains(&op.id.as_str()),
                "the mock for `{}` has no handler for `{}`",
                contract.api,
                op.id
            );
        }
    }
    // and the check the server makes when it starts agrees
    MockState::new(contracts, apis, &[], true).unwrap();
}

/// A table without a row for `getWidget`.
const NO_ROWS: Operations<WidgetHandler> = Operations::new(&[]);
/// A table with a row for an operation the contract does not have, and one listed twice.
const TYPO: Operations<WidgetHandler> = Operations::new(&[
    ("getWidget", get_widget),
    ("getWidgets", get_widget),
    ("getWidget", get_widget),
]);

#[tokio::test]
async fn a_mock_whose_table_does_not_match_its_contract_is_refused_at_start() {
    let refused = |table: &'static Operations<WidgetHandler>| {
        MockState::new(
            widgets_contracts(),
            vec![Arc::new(Widgets(table))],
            &[],
            false,
        )
        .err()
        .expect("refused")
        .to_string()
    };
    let missing = refused(&NO_ROWS);
    assert!(
        missing.contains("`widgets`") && missing.contains("no handler for getWidget"),
        "{missing}"
    );
    let stray = refused(&TYPO);
    assert!(
        stray.contains("`widgets`")
            && stray.contains("the contract does not have: getWidgets")
            && stray.contains("listed twice: getWidget")
            && !stray.contains("no handler"),
        "{stray}"
    );
    // the server does not start with it either
    let config = MockConfig {
        apis: vec![Arc::new(Widgets(&NO_ROWS))],
        contracts: Some(widgets_contracts()),
        ..MockConfig::default()
    };
    let error = MockServer::start_with(config).await.err().expect("refused");
    assert!(
        error.to_string().contains("no handler for getWidget"),
        "{error}"
    );
}

#[tokio::test]
async fn the_self_check_catches_an_answer_that_breaks_the_contract() {
    let server = widgets_server().await;
    let (status, _) = get(
        &format!("{}/widgets/w-bad", server.base_url("widgets")),
        Some("k1"),
    )
    .await;
    assert_eq!(status, 200);
    let found = server.violations();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].pointer.as_str(), found[0].rule.as_str()),
        ("/body/size", "minimum")
    );
    // and the admin API shows it
    let (_, body) = get(&format!("{}/__admin/violations", server.url()), None).await;
    assert_eq!(body["violations"][0]["pointer"], "/body/size");
}

fn system_now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

async fn post(url: &str, body: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(url)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn admin_errors_name_what_is_wrong() {
    let server = MockServer::start().await.unwrap();
    let admin = format!("{}/__admin", server.url());
    let cases = [
        (
            "/faults",
            r#"{"api": "peach", "status": 500}"#,
            "`operationId` or `path` is required",
        ),
        (
            "/faults",
            r#"{"api": "nope", "path": "/x", "status": 500}"#,
            "`api`: unknown API `nope`",
        ),
        (
            "/faults",
            r#"{"api": "peach", "operationId": "nope", "status": 500}"#,
            "`operationId`: peach: unknown operation `nope`",
        ),
        (
            "/faults",
            r#"{"api": "peach", "path": "/x", "fault": "explode"}"#,
            "unknown variant `explode`",
        ),
        ("/faults", "not json", "request body"),
        ("/clock/advance", r#"{"seconds": -5}"#, "request body"),
        ("/clock/advance", r#"{"secs": 5}"#, "unknown field `secs`"),
        // past the last date RFC 3339 can write: refused, the clock does not wrap to 1970
        (
            "/clock/advance",
            r#"{"seconds": 18446744073709551615}"#,
            "`seconds`: 18446744073709551615 is out of range",
        ),
        ("/clock/advance", r#"{"seconds": 300000000000}"#, "at most"),
    ];
    for (path, body, needle) in cases {
        let (status, answer) = post(&format!("{admin}{path}"), body).await;
        assert_eq!(status, 400, "{path} {body}: {answer}");
        let message = answer["error"].as_str().unwrap_or_default();
        assert!(
            message.contains(needle),
            "{path} {body}: `{needle}` not in `{message}`"
        );
    }
    let (status, clock) = post(&format!("{admin}/clock/advance"), r#"{"seconds": 60}"#).await;
    assert_eq!(status, 200);
    assert!(
        clock["epochMilliseconds"].as_i64().unwrap() > 0
            && clock["now"].as_str().unwrap().ends_with('Z')
    );
    // the refused advances moved nothing: only the 60 seconds
    let lag = clock["epochMilliseconds"].as_i64().unwrap() - system_now_millis();
    assert!((55_000..65_000).contains(&lag), "{clock}");
}

#[tokio::test]
async fn unknown_prefixes_and_many_clients_at_once() {
    let server = MockServer::start().await.unwrap();
    let (status, body) = get(&format!("{}/nope/x", server.url()), None).await;
    assert_eq!(status, 404);
    let ids: Vec<&str> = vouch::apis::all().iter().map(|a| a.id).collect();
    assert!(
        body["error"].as_str().unwrap().contains(&ids.join(", ")),
        "{body}"
    );
    let url = format!("{}/verification-questions", server.base_url("peach"));
    let client = reqwest::Client::new();
    let requests = (0..200).map(|_| {
        let (client, url) = (client.clone(), url.clone());
        tokio::spawn(async move {
            client
                .get(url)
                .bearer_auth("vouch-test-token")
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    });
    for r in futures::future::join_all(requests).await {
        assert_eq!(r.unwrap(), 200);
    }
    assert_eq!(server.state().journal_entries(Some("peach")).len(), 200);
}

#[tokio::test]
async fn dropping_the_server_stops_it() {
    let server = MockServer::start().await.unwrap();
    let url = server.url();
    assert_eq!(get(&format!("{url}/__admin/clock"), None).await.0, 200);
    drop(server);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let fresh = reqwest::Client::new();
    assert!(
        fresh
            .get(format!("{url}/__admin/clock"))
            .send()
            .await
            .is_err(),
        "still listening after drop"
    );
}

#[tokio::test]
async fn the_journal_is_a_ring_of_the_configured_size() {
    let server = MockServer::start_with(MockConfig {
        apis: vec![Arc::new(Widgets(&WIDGETS))],
        contracts: Some(widgets_contracts()),
        journal_size: 3,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let base = server.base_url("widgets");
    for i in 0..5 {
        get(&format!("{base}/widgets/w-{i}"), Some("k1")).await;
    }
    let (_, journal) = get(&format!("{}/__admin/requests", server.url()), None).await;
    let paths: Vec<&str> = journal["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "/widgets/widgets/w-2",
            "/widgets/widgets/w-3",
            "/widgets/widgets/w-4"
        ]
    );
}

#[tokio::test]
async fn the_cap_on_entities_reaches_the_api() {
    let server = MockServer::start_with(MockConfig {
        apis: vec![Arc::new(Widgets(&WIDGETS))],
        contracts: Some(widgets_contracts()),
        max_entities: 7,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let (status, body) = get(
        &format!("{}/widgets/w-cap", server.base_url("widgets")),
        Some("k1"),
    )
    .await;
    assert_eq!((status, body["size"].clone()), (200, json!(7)));
}

/// The finding a caught panic leaves in `GET /__admin/violations`.
async fn panics_found(server: &MockServer) -> Vec<Value> {
    let (_, found) = get(&format!("{}/__admin/violations", server.url()), None).await;
    found["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["rule"] == "panic")
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_panic_in_a_mock_answers_the_vendors_500_and_is_a_finding() {
    // with self-check off too: a panic is always kept
    let server = MockServer::start_with(MockConfig {
        apis: vec![Arc::new(Widgets(&WIDGETS))],
        contracts: Some(widgets_contracts()),
        self_check: false,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let base = server.base_url("widgets");
    let (status, body) = get(&format!("{base}/widgets/w-panic"), Some("k1")).await;
    assert_eq!(status, 500);
    // the vendor's error shape, from the API's own error_response
    assert_eq!(
        body,
        json!({"problem": "Internal server error (vouch mock)"})
    );
    let found = panics_found(&server).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["operation"], "getWidget");
    assert!(
        found[0]["actual"]
            .as_str()
            .unwrap()
            .contains("a widget exploded"),
        "{found:?}"
    );
    // and the mock goes on serving
    assert_eq!(get(&format!("{base}/widgets/w-1"), Some("k1")).await.0, 200);
}

/// A mock whose error shape itself panics: caught around the whole request.
struct BrokenErrors;

impl MockApi for BrokenErrors {
    fn id(&self) -> &'static str {
        "widgets"
    }
    fn default_credentials(&self) -> Vec<Credential> {
        Widgets(&WIDGETS).default_credentials()
    }
    fn error_response(&self, _error: &MockError, _at: &ErrorContext<'_>) -> MockResponse {
        panic!("no error shape")
    }
    fn operations(&self) -> Vec<&'static str> {
        WIDGETS.ids()
    }
    fn handle(&self, request: MockRequest) -> Result<MockResponse, MockError> {
        WIDGETS.handler(&request.operation)?(&request)
    }
    fn reset(&self) {}
}

#[tokio::test]
async fn a_panic_outside_the_handler_answers_a_plain_500_and_is_a_finding() {
    let server = MockServer::start_with(MockConfig {
        apis: vec![Arc::new(BrokenErrors)],
        contracts: Some(widgets_contracts()),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let base = server.base_url("widgets");
    // a 404 needs the error shape, which panics
    let (status, body) = get(&format!("{base}/widgets/w-2"), Some("k1")).await;
    assert_eq!(status, 500);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("/__admin/violations"),
        "{body}"
    );
    let found = panics_found(&server).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["api"], "widgets");
    assert!(
        found[0]["actual"]
            .as_str()
            .unwrap()
            .contains("no error shape")
    );
    assert_eq!(get(&format!("{base}/widgets/w-1"), Some("k1")).await.0, 200);
}

#[tokio::test]
async fn with_latency_every_api_answer_waits_and_the_admin_api_does_not() {
    let latency: vouch::mock::Latency = "1s".parse().unwrap();
    let server = MockServer::start_with(MockConfig {
        apis: vec![Arc::new(Widgets(&WIDGETS))],
        contracts: Some(widgets_contracts()),
        latency: Some(latency),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let started = std::time::Instant::now();
    let (status, _) = get(
        &format!("{}/widgets/w-1", server.base_url("widgets")),
        Some("k1"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        started.elapsed() >= latency.min(),
        "{:?}",
        started.elapsed()
    );
    let started = std::time::Instant::now();
    assert_eq!(
        get(&format!("{}/__admin/clock", server.url()), None)
            .await
            .0,
        200
    );
    assert!(started.elapsed() < latency.min(), "{:?}", started.elapsed());
}

/// A namespace (`/__ns/<name>/...`) is the mock again, isolated: its clock, data and journal
/// are its own, its links keep its prefix, and a bad name is a 400 naming the rule.
#[tokio::test]
async fn a_namespace_is_an_isolated_copy_of_the_mock() {
    let server = MockServer::start().await.unwrap();
    let client = reqwest::Client::new();
    let root_clock = || async {
        let c: Value = client
            .get(format!("{}/__admin/clock", server.url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        c["epochMilliseconds"].as_i64().unwrap()
    };
    let before = root_clock().await;
    let advanced: Value = client
        .post(format!("{}/__ns/job-1/__admin/clock/advance", server.url()))
        .json(&json!({"seconds": 3600}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(advanced["epochMilliseconds"].as_i64().unwrap() - before >= 3_600_000);
    assert!(
        root_clock().await - before < 3_600_000,
        "the root's clock did not move"
    );
    // an API call in the namespace is journaled there, not at the root
    let peach = server.state().credentials("peach")[0].secret.clone();
    let answer = client
        .get(format!(
            "{}/__ns/job-1/peach/verification-types",
            server.url()
        ))
        .bearer_auth(&peach)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert!(server.state().journal_entries(None).is_empty());
    let journal: Value = client
        .get(format!("{}/__ns/job-1/__admin/requests", server.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(journal["requests"][0]["path"], "/peach/verification-types");
    let listed: Value = client
        .get(format!("{}/__admin/namespaces", server.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["namespaces"][0]["name"], "job-1");
    let bad = client
        .get(format!(
            "{}/__ns/no.dots/peach/verification-types",
            server.url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("namespace name"));
}
