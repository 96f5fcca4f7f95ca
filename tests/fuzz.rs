//! The fuzzer over every operation of every contract against the embedded mock (a modest
//! budget; `VOUCH_FUZZ_SEED` picks another deterministic run), and proof that every check can
//! fail: a small widgets API (its contract and an axum server below) that honours its contract,
//! and the same server with one defect at a time, each caught under the right check with the
//! right message. Also: nothing the fuzzer meant to do is dropped silently.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use vouch::contract::{Contract, ContractSet};
use vouch::fuzz::{Check, FuzzOptions, FuzzReport, GapKind, fuzz};
use vouch::redact::Secret;
use vouch::targets::{HttpClient, MockTarget, Target, TargetError, TargetKind, Which};

/// The check called `name` (`Check::named`, which a typo fails loudly).
fn check(name: &str) -> Check {
    Check::named(name).unwrap_or_else(|| panic!("no check named {name}"))
}

fn seed() -> u64 {
    std::env::var("VOUCH_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261121)
}

/// Every applicable (operation, check) pair must have been applied to at least this many cases.
const MIN_CASES: u64 = 3;

fn failures(report: &FuzzReport) -> String {
    report
        .failures
        .iter()
        .map(|f| {
            format!(
                "{} {} {}: {} [{}]\n    {}",
                f.api,
                f.operation,
                f.check.name(),
                f.detail,
                f.case.label,
                f.curl
            )
        })
        .chain(report.gaps.iter().map(|g| {
            format!(
                "GAP {} {} {}: {}",
                g.kind.name(),
                g.api,
                g.operation,
                g.detail
            )
        }))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every selected check that applies to an operation ran on at least `MIN_CASES` of its cases.
fn assert_every_applicable_pair_ran(contracts: &ContractSet, report: &FuzzReport) {
    let mut short = Vec::new();
    for contract in contracts.iter() {
        for op in contract.operations() {
            for &check in Check::ALL {
                if !check.applies_to(contract, op) {
                    continue;
                }
                let key = (contract.api.clone(), op.id.clone(), check);
                let ran = report.tally.get(&key).map_or(0, |(n, _)| *n);
                if ran < MIN_CASES {
                    short.push(format!(
                        "{} {} {}: {ran}",
                        contract.api,
                        op.id,
                        check.name()
                    ));
                }
            }
        }
    }
    assert!(
        short.is_empty(),
        "checks applied to fewer than {MIN_CASES} cases:\n{}",
        short.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_of_every_contract_passes_every_check_on_the_mock() {
    let contracts = Arc::new(ContractSet::embedded().unwrap());
    let mock = Arc::new(MockTarget::start().await.unwrap());
    let regressions =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let options = FuzzOptions {
        cases: 25,
        seed: Some(seed()),
        regressions: Some(regressions),
        ..FuzzOptions::default()
    };
    let report = fuzz(contracts.clone(), mock.clone(), options, None)
        .await
        .unwrap();
    assert!(!report.failed(), "seed {}:\n{}", seed(), failures(&report));
    assert!(report.unsupported.is_empty(), "{:?}", report.unsupported);
    let fuzzed: std::collections::BTreeSet<_> = report
        .tally
        .keys()
        .map(|(a, o, _)| (a.clone(), o.clone()))
        .collect();
    let documented: usize = contracts.iter().map(|c| c.operations().len()).sum();
    assert_eq!(fuzzed.len(), documented, "every operation is fuzzed");
    assert_every_applicable_pair_ran(&contracts, &report);
    assert!(
        mock.self_check_violations().is_empty(),
        "{:?}",
        mock.self_check_violations()
    );
}

// ---- The widgets API: a contract, and a server that honours it unless told a defect ----

const WIDGETS: &str = r##"
openapi: 3.1.0
info: {title: Widgets, version: '1'}
x-vouch-api: widgets
servers: [{url: 'http://localhost'}]
security: [{key: []}]
paths:
  /widgets:
    post:
      operationId: createWidget
      parameters:
      - {name: X-Request-Id, in: header, required: true, schema: {type: string, pattern: '^[a-z0-9]{1,8}$'}}
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/NewWidget'}}}
      responses:
        '201':
          description: Created.
          headers:
            X-Widget-Count: {required: true, schema: {type: integer, minimum: 1}}
          content: {application/json: {schema: {$ref: '#/components/schemas/Widget'}}}
          links:
            GetWidget:
              operationId: getWidget
              parameters: {id: $response.body#/id}
              x-vouch-reads-back: /name
            RenameWidget:
              operationId: renameWidget
              parameters: {id: $response.body#/id}
            RevokeWidget:
              operationId: revokeWidget
              parameters: {id: $response.body#/id}
              x-vouch-frees:
                readWith: GetWidget
                readsAs: {pointer: /status, value: revoked}
        '400': {$ref: '#/components/responses/Error'}
        '401': {$ref: '#/components/responses/Error'}
        '403': {$ref: '#/components/responses/Error'}
  /widgets/{id}:
    parameters:
    - {name: id, in: path, required: true, schema: {type: string, pattern: '^w-[0-9]{1,6}$'}}
    get:
      operationId: getWidget
      responses:
        '200': {description: The widget., content: {application/json: {schema: {$ref: '#/components/schemas/Widget'}}}}
        '400': {$ref: '#/components/responses/Error'}
        '401': {$ref: '#/components/responses/Error'}
        '403': {$ref: '#/components/responses/Error'}
        '404': {$ref: '#/components/responses/Error'}
    put:
      operationId: renameWidget
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/NewWidget'}}}
      responses:
        '200':
          description: Renamed.
          content: {application/json: {schema: {$ref: '#/components/schemas/Widget'}}}
          links:
            GetRenamedWidget:
              operationId: getWidget
              parameters: {id: $response.body#/id}
              x-vouch-reads-back: /name
        '400': {$ref: '#/components/responses/Error'}
        '401': {$ref: '#/components/responses/Error'}
        '403': {$ref: '#/components/responses/Error'}
        '404': {$ref: '#/components/responses/Error'}
  /widgets/{id}/revocation:
    parameters:
    - {name: id, in: path, required: true, schema: {type: string, pattern: '^w-[0-9]{1,6}$'}}
    post:
      operationId: revokeWidget
      responses:
        '200': {description: Revoked., content: {application/json: {schema: {$ref: '#/components/schemas/Widget'}}}}
        '400': {$ref: '#/components/responses/Error'}
        '401': {$ref: '#/components/responses/Error'}
        '403': {$ref: '#/components/responses/Error'}
        '404': {$ref: '#/components/responses/Error'}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    NewWidget:
      type: object
      required: [name]
      additionalProperties: false
      properties:
        name: {type: string, minLength: 1, maxLength: 20}
    Widget:
      type: object
      required: [id, name, status]
      properties:
        id: {type: string}
        name: {type: string}
        status: {type: string, enum: [active, revoked]}
    Error:
      type: object
      required: [message]
      properties: {message: {type: string}}
  responses:
    Error:
      description: An error.
      content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}
"##;

const KEY: &str = "widget-key";

/// One way the widgets server breaks its contract.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Defect {
    None,
    /// Reading a widget answers 500.
    ServerError,
    /// Creating answers 202, which the contract does not document.
    UndocumentedStatus,
    /// Creating answers `text/plain`.
    WrongContentType,
    /// `X-Widget-Count` is not an integer.
    BadCountHeader,
    /// A widget is served without its required `status`.
    OmitsMember,
    /// An undocumented method answers 404.
    WrongMethodStatus,
    /// `Allow` lists an undocumented method.
    WrongAllow,
    /// A request without `X-Request-Id` is served.
    IgnoresMissingHeader,
    /// A body the schema refuses is accepted.
    AcceptsInvalid,
    /// A request without a key is served.
    IgnoresAuth,
    /// A request without a key is refused with 403, not 401.
    WrongAuthStatus,
    /// A created widget cannot be read.
    LosesCreated,
    /// A revoked widget still reads as active.
    ServesRevoked,
    /// A rename is answered, but reads show the first name.
    StaleAfterRename,
    /// Every valid request is refused with the documented 400.
    RefusesValid,
    /// Two defects on one answer: a read shows the first name and lacks `status`.
    StaleAndOmitsMember,
}

#[derive(Clone)]
struct Widget {
    name: String,
    first_name: String,
    revoked: bool,
}

struct Widgets {
    defect: Defect,
    store: Mutex<BTreeMap<String, Widget>>,
    next: AtomicU64,
}

type Answer = (u16, Vec<(&'static str, String)>, String);

fn error(status: u16, message: &str) -> Answer {
    (
        status,
        vec![("content-type", "application/json".into())],
        serde_json::json!({ "message": message }).to_string(),
    )
}

impl Widgets {
    /// A widget as answered; `read` is a GET (where a stale store shows through).
    fn show(&self, id: &str, w: &Widget, read: bool) -> serde_json::Value {
        let both = self.defect == Defect::StaleAndOmitsMember && read;
        let name = if (self.defect == Defect::StaleAfterRename && read) || both {
            &w.first_name
        } else {
            &w.name
        };
        let revoked = w.revoked && self.defect != Defect::ServesRevoked;
        let mut v = serde_json::json!({"id": id, "name": name, "status": if revoked {"revoked"} else {"active"}});
        if (self.defect == Defect::OmitsMember || both)
            && let Some(m) = v.as_object_mut()
        {
            m.remove("status");
        }
        v
    }

    fn json(&self, status: u16, value: serde_json::Value) -> Answer {
        (
            status,
            vec![("content-type", "application/json".into())],
            value.to_string(),
        )
    }

    /// The body's new name, if it is valid (or the defect accepts anything).
    fn name(&self, headers: &http::HeaderMap, body: &[u8]) -> Result<String, Answer> {
        let json = headers
            .get("content-type")
            .is_some_and(|c| c.as_bytes().starts_with(b"application/json"));
        let value: Option<serde_json::Value> = serde_json::from_slice(body).ok();
        let (Some(value), true) = (value, json) else {
            return Err(error(400, "the body is not JSON"));
        };
        let name = value.get("name").and_then(|n| n.as_str());
        let valid = value.as_object().is_some_and(|o| o.len() == 1)
            && name.is_some_and(|n| (1..=20).contains(&n.chars().count()));
        match (valid, self.defect) {
            (true, _) => Ok(name.unwrap_or_default().to_string()),
            (false, Defect::AcceptsInvalid) => Ok(name.unwrap_or("?").to_string()),
            (false, _) => Err(error(400, "invalid widget")),
        }
    }

    fn answer(
        &self,
        method: &http::Method,
        path: &str,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Answer {
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let (allowed, id): (&[&str], Option<&str>) = match segments.as_slice() {
            ["widgets"] => (&["POST"], None),
            ["widgets", id] => (&["GET", "PUT"], Some(id)),
            ["widgets", id, "revocation"] => (&["POST"], Some(id)),
            _ => return error(404, "no such path"),
        };
        if !allowed.contains(&method.as_str()) {
            if self.defect == Defect::WrongMethodStatus {
                return error(404, "no such path");
            }
            let mut allow = allowed.join(", ");
            if self.defect == Defect::WrongAllow {
                allow.push_str(", DELETE");
            }
            let (s, mut h, b) = error(405, "method not allowed");
            h.push(("allow", allow));
            return (s, h, b);
        }
        if headers.get("x-key").is_none_or(|k| k != KEY) {
            match self.defect {
                Defect::IgnoresAuth => {}
                Defect::WrongAuthStatus => return error(403, "forbidden"),
                _ => return error(401, "unauthenticated"),
            }
        }
        if let Some(id) = id {
            let ok = id.strip_prefix("w-").is_some_and(|n| {
                (1..=6).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit())
            });
            if !ok {
                return error(400, "malformed id");
            }
        }
        if self.defect == Defect::RefusesValid {
            return error(400, "refused");
        }
        let mut store = self.store.lock().unwrap();
        match (method.as_str(), id) {
            ("POST", None) => {
                let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok());
                let request_id_ok = request_id.is_some_and(|r| {
                    (1..=8).contains(&r.len())
                        && r.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                });
                let excused = request_id.is_none() && self.defect == Defect::IgnoresMissingHeader;
                if !(request_id_ok || excused) {
                    return error(400, "X-Request-Id is required");
                }
                let name = match self.name(headers, body) {
                    Ok(name) => name,
                    Err(answer) => return answer,
                };
                let id = format!("w-{}", self.next.fetch_add(1, Ordering::SeqCst) % 1_000_000);
                let widget = Widget {
                    name: name.clone(),
                    first_name: name,
                    revoked: false,
                };
                let shown = self.show(&id, &widget, false);
                store.insert(id, widget);
                let count = if self.defect == Defect::BadCountHeader {
                    "many".to_string()
                } else {
                    store.len().to_string()
                };
                let status = if self.defect == Defect::UndocumentedStatus {
                    202
                } else {
                    201
                };
                let content_type = if self.defect == Defect::WrongContentType {
                    "text/plain"
                } else {
                    "application/json"
                };
                (
                    status,
                    vec![
                        ("content-type", content_type.into()),
                        ("x-widget-count", count),
                    ],
                    shown.to_string(),
                )
            }
            (method, Some(id)) => {
                if self.defect == Defect::ServerError {
                    return error(500, "the widget store is down");
                }
                let found = store
                    .get_mut(id)
                    .filter(|_| self.defect != Defect::LosesCreated);
                let Some(widget) = found else {
                    return error(404, "no such widget");
                };
                match (method, segments.len()) {
                    ("GET", _) => {}
                    ("PUT", _) => match self.name(headers, body) {
                        Ok(name) => widget.name = name,
                        Err(answer) => return answer,
                    },
                    _ => widget.revoked = true,
                }
                let widget = widget.clone();
                self.json(200, self.show(id, &widget, method == "GET"))
            }
            _ => error(404, "no such path"),
        }
    }
}

/// The widgets server on a free loopback port, as a fuzz target.
struct WidgetsTarget {
    url: String,
    client: HttpClient,
}

impl Target for WidgetsTarget {
    fn kind(&self) -> TargetKind {
        TargetKind::Url
    }
    fn base_url(&self, _api: &str) -> Result<String, TargetError> {
        Ok(self.url.clone())
    }
    fn credential(&self, _api: &str, _which: Which) -> Result<Secret, TargetError> {
        Ok(Secret {
            value: KEY.into(),
            hint: "$WIDGETS_KEY".into(),
        })
    }
    fn admin_url(&self) -> Option<String> {
        None
    }
    fn client(&self) -> &HttpClient {
        &self.client
    }
}

async fn widgets(defect: Defect) -> Arc<WidgetsTarget> {
    let state = Arc::new(Widgets {
        defect,
        store: Mutex::new(BTreeMap::new()),
        next: AtomicU64::new(1),
    });
    let app = axum::Router::new().fallback(
        move |method: http::Method,
              uri: http::Uri,
              headers: http::HeaderMap,
              body: bytes::Bytes| {
            let state = state.clone();
            async move {
                let (status, headers, body) = state.answer(&method, uri.path(), &headers, &body);
                let mut response = http::Response::builder().status(status);
                for (name, value) in headers {
                    response = response.header(name, value);
                }
                response.body(axum::body::Body::from(body)).unwrap()
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Arc::new(WidgetsTarget {
        url,
        client: HttpClient::new(4),
    })
}

fn widgets_contracts() -> Arc<ContractSet> {
    let contract = Contract::from_yaml("widgets", WIDGETS, "tests/fuzz.rs").unwrap();
    Arc::new(ContractSet::new(vec![contract]))
}

async fn fuzz_widgets(defect: Defect, options: FuzzOptions) -> FuzzReport {
    let target = widgets(defect).await;
    fuzz(widgets_contracts(), target, options, None)
        .await
        .unwrap()
}

fn options() -> FuzzOptions {
    FuzzOptions {
        cases: 10,
        seed: Some(seed()),
        ..FuzzOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widgets_server_passes_every_check_and_every_check_applies() {
    let report = fuzz_widgets(Defect::None, options()).await;
    assert!(!report.failed(), "{}", failures(&report));
    assert_every_applicable_pair_ran(&widgets_contracts(), &report);
    for &check in Check::ALL {
        assert!(
            report.tally.keys().any(|(_, _, c)| *c == check),
            "{} never applied to the widgets API",
            check.name()
        );
    }
}

/// Each defect, the check that must catch it, and what its detail must say.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_check_catches_its_defect_under_its_name() {
    let expectations = [
        (
            Defect::ServerError,
            check("not_a_server_error"),
            "status 500",
        ),
        (
            Defect::UndocumentedStatus,
            check("status_code_conformance"),
            "status 202 is not documented for createWidget",
        ),
        (
            Defect::WrongContentType,
            check("content_type_conformance"),
            "text/plain",
        ),
        (
            Defect::BadCountHeader,
            check("response_headers_conformance"),
            "header `x-widget-count: many` does not match its schema",
        ),
        (
            Defect::OmitsMember,
            check("response_schema_conformance"),
            "status",
        ),
        (
            Defect::WrongMethodStatus,
            check("unsupported_method"),
            "answered 404, not 405 Method Not Allowed",
        ),
        (
            Defect::WrongAllow,
            check("allow_header_conformance"),
            "undocumented DELETE advertised",
        ),
        (
            Defect::IgnoresMissingHeader,
            check("missing_required_header"),
            "without the required header `X-Request-Id`",
        ),
        (
            Defect::AcceptsInvalid,
            check("negative_data_rejection"),
            "answered 201",
        ),
        (
            Defect::IgnoresAuth,
            check("ignored_auth"),
            "the API accepted a request",
        ),
        (
            Defect::WrongAuthStatus,
            check("auth_required"),
            "answered 403, not 401",
        ),
        (
            Defect::LosesCreated,
            check("ensure_resource_availability"),
            "for a resource that was just created (created with createWidget",
        ),
        (
            Defect::ServesRevoked,
            check("use_after_free"),
            "served as live after link RevokeWidget freed it: /status is \"active\"",
        ),
        (
            Defect::StaleAfterRename,
            check("stateful_read_back"),
            "/name did not read back unchanged along link GetRenamedWidget",
        ),
        (
            Defect::RefusesValid,
            check("positive_data_acceptance"),
            "a valid request answered 400: {\"message\":\"refused\"}",
        ),
    ];
    assert_eq!(expectations.len(), Check::ALL.len(), "one defect per check");
    let mut missed = Vec::new();
    for (defect, check, detail) in expectations {
        let report = fuzz_widgets(defect, options()).await;
        let caught = report
            .failures
            .iter()
            .any(|f| f.check == check && f.detail.contains(detail));
        if !caught {
            missed.push(format!(
                "{defect:?}: expected {} with `{detail}`, got:\n{}",
                check.name(),
                failures(&report)
            ));
        }
    }
    assert!(missed.is_empty(), "{}", missed.join("\n\n"));
}

/// A failure never hides another (issue #22): a read-back that both breaks the schema and is
/// stale is reported under both checks, for the same answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_defects_on_one_answer_are_both_reported() {
    let report = fuzz_widgets(Defect::StaleAndOmitsMember, options()).await;
    let stale = report
        .failures
        .iter()
        .find(|f| f.check == check("stateful_read_back"))
        .unwrap_or_else(|| panic!("{}", failures(&report)));
    let schema = report.failures.iter().find(|f| {
        f.check == check("response_schema_conformance")
            && f.case == stale.case
            && f.sequence == stale.sequence
    });
    assert!(
        schema.is_some_and(|f| f.detail.contains("status")),
        "{}",
        failures(&report)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deselected_check_fails_nothing() {
    let options = FuzzOptions {
        checks: Check::ALL
            .iter()
            .copied()
            .filter(|c| *c != check("positive_data_acceptance"))
            .collect(),
        ..options()
    };
    let report = fuzz_widgets(Defect::RefusesValid, options).await;
    assert!(report.failures.is_empty(), "{}", failures(&report));
    assert!(
        !report
            .tally
            .keys()
            .any(|(_, _, c)| *c == check("positive_data_acceptance"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_in_a_link_sequence_is_the_consumers_and_replays_whole() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-sequence-replay");
    let _ = std::fs::remove_dir_all(&dir);
    let saved = dir.join("failures.json");
    // Sequences start at createWidget only.
    let options = FuzzOptions {
        operations: vec!["createWidget".into()],
        failures_file: Some(saved.clone()),
        ..options()
    };
    let target = widgets(Defect::StaleAfterRename).await;
    let report = fuzz(widgets_contracts(), target.clone(), options.clone(), None)
        .await
        .unwrap();
    let failure = report
        .failures
        .iter()
        .find(|f| f.check == check("stateful_read_back"))
        .unwrap_or_else(|| panic!("{}", failures(&report)));
    assert_eq!(failure.operation, "getWidget", "filed under the consumer");
    assert_eq!(failure.case.method, "GET");
    assert!(failure.curl.contains("/widgets/w-"), "{}", failure.curl);
    let steps: Vec<&str> = failure
        .sequence
        .iter()
        .map(|s| s.operation.as_str())
        .collect();
    assert_eq!(steps.first(), Some(&"createWidget"), "{steps:?}");
    assert!(steps.contains(&"renameWidget"), "{steps:?}");
    assert_eq!(steps.last(), Some(&"getWidget"), "{steps:?}");
    let tally = report
        .tally
        .get(&(
            "widgets".into(),
            "getWidget".into(),
            check("stateful_read_back"),
        ))
        .unwrap();
    assert!(tally.1 >= 1, "the failure is tallied under the consumer");
    // Only getWidget is fuzzed now: no sequence starts, so only the replay of the saved
    // sequence can reach a stale read.
    let replay = FuzzOptions {
        operations: vec!["getWidget".into()],
        checks: vec![check("stateful_read_back")],
        ..options
    };
    let again = fuzz(widgets_contracts(), target, replay, None)
        .await
        .unwrap();
    assert!(
        again
            .failures
            .iter()
            .any(|f| f.check == check("stateful_read_back") && f.operation == "getWidget"),
        "{}",
        failures(&again)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_or_unknown_saved_cases_are_errors_naming_the_file() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-bad-saved");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        ("malformed.json", "[{\"api\": \"widgets\"".to_string()),
        (
            "unknown.json",
            serde_json::json!([{"api": "widgets", "operation": "deleteWidget",
                "case": {"label": "positive", "positive": true, "method": "DELETE", "path": "/widgets/w-1",
                         "headers": [], "body": null, "content_type": null, "credentials": "valid"}}])
            .to_string(),
        ),
    ];
    for (name, text) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let options = FuzzOptions {
            failures_file: Some(path.clone()),
            ..options()
        };
        let error = fuzz(
            widgets_contracts(),
            widgets(Defect::None).await,
            options,
            None,
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(error.contains(name), "{error}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saved_cases_of_operations_not_run_are_reported() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-not-replayed");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("saved.json");
    let saved = serde_json::json!([{"api": "widgets", "operation": "revokeWidget",
        "case": {"label": "positive", "positive": true, "method": "POST", "path": "/widgets/w-1/revocation",
                 "headers": [], "body": null, "content_type": null, "credentials": "valid"}}]);
    std::fs::write(&path, saved.to_string()).unwrap();
    let options = FuzzOptions {
        operations: vec!["getWidget".into()],
        failures_file: Some(path),
        ..options()
    };
    let report = fuzz_widgets(Defect::None, options).await;
    assert!(
        report
            .gaps
            .iter()
            .any(|g| g.kind == GapKind::NotReplayed && g.operation == "revokeWidget"),
        "{}",
        failures(&report)
    );
    assert!(!report.failed(), "not selecting an operation is no failure");
}

/// A target whose credential look-up panics: the task fuzzing the operation dies.
struct PanickingTarget(Arc<WidgetsTarget>);

impl Target for PanickingTarget {
    fn kind(&self) -> TargetKind {
        TargetKind::Url
    }
    fn base_url(&self, api: &str) -> Result<String, TargetError> {
        self.0.base_url(api)
    }
    fn credential(&self, _api: &str, _which: Which) -> Result<Secret, TargetError> {
        panic!("the key store is gone")
    }
    fn admin_url(&self) -> Option<String> {
        None
    }
    fn client(&self) -> &HttpClient {
        self.0.client()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicked_task_is_a_gap_that_fails_the_run() {
    let target = Arc::new(PanickingTarget(widgets(Defect::None).await));
    let options = FuzzOptions {
        operations: vec!["getWidget".into()],
        ..options()
    };
    let report = fuzz(widgets_contracts(), target, options, None)
        .await
        .unwrap();
    let gap = report
        .gaps
        .iter()
        .find(|g| g.kind == GapKind::Panicked)
        .unwrap_or_else(|| panic!("{}", failures(&report)));
    assert_eq!(gap.operation, "getWidget");
    assert!(
        gap.detail.contains("the key store is gone"),
        "{}",
        gap.detail
    );
    assert!(report.failed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_aborted_strategy_and_a_check_that_never_ran_are_gaps() {
    // No value satisfies `code`: proptest rejects every generated request and gives up, so
    // nothing is sent to findWidgets and none of its checks ever applies.
    let yaml = WIDGETS.replace(
        "  /widgets/{id}/revocation:",
        "  /widgets/search:\n    get:\n      operationId: findWidgets\n      parameters:\n      - {name: code, in: query, required: true, schema: {type: string, pattern: '^a$', not: {const: a}}}\n      responses:\n        '200': {description: Found., content: {application/json: {schema: {type: array}}}}\n        '401': {$ref: '#/components/responses/Error'}
        '403': {$ref: '#/components/responses/Error'}\n  /widgets/{id}/revocation:",
    );
    let contract = Contract::from_yaml("widgets", &yaml, "tests/fuzz.rs").unwrap();
    let contracts = Arc::new(ContractSet::new(vec![contract]));
    let options = FuzzOptions {
        operations: vec!["findWidgets".into()],
        ..options()
    };
    let report = fuzz(contracts, widgets(Defect::None).await, options, None)
        .await
        .unwrap();
    let kinds: Vec<GapKind> = report
        .gaps
        .iter()
        .filter(|g| g.operation == "findWidgets")
        .map(|g| g.kind)
        .collect();
    assert!(kinds.contains(&GapKind::Aborted), "{}", failures(&report));
    assert!(
        kinds.contains(&GapKind::CheckNotRun),
        "{}",
        failures(&report)
    );
    assert!(report.failed());
}
