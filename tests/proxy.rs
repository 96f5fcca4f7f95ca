//! `vouch proxy` end to end: a plain HTTP client (reqwest, not the step library) through the
//! proxy to the embedded mock, to a deliberately non-conforming server, and to upstreams that
//! are down, slow or answer garbage; recordings replayed against the mock.

use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use vouch::contract::ContractSet;
use vouch::mock::MockServer;
use vouch::proxy::{Proxy, ProxyConfig, record};
use vouch::targets::{MockTarget, credential_header};

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        Self(std::env::temp_dir().join(format!("vouch-proxy-{name}-{}", uuid::Uuid::new_v4())))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn contracts() -> Arc<ContractSet> {
    Arc::new(ContractSet::embedded().unwrap())
}

/// Every registered API.
fn apis() -> Vec<&'static str> {
    vouch::apis::all().iter().map(|a| a.id).collect()
}

async fn proxy_to(upstreams: Vec<(String, String)>, record: Option<PathBuf>) -> Proxy {
    proxy_recording(upstreams, record, false).await
}

async fn proxy_recording(
    upstreams: Vec<(String, String)>,
    record: Option<PathBuf>,
    record_secrets: bool,
) -> Proxy {
    Proxy::start(
        contracts(),
        ProxyConfig {
            upstreams,
            timeout: Duration::from_millis(500),
            record,
            record_secrets,
            ..ProxyConfig::default()
        },
        None,
    )
    .await
    .unwrap()
}

/// The mock's default credential of an API, as the header its contract names.
fn auth(mock: &MockServer, api: &str) -> (String, String) {
    let contracts = contracts();
    let secret = mock.state().credentials(api)[0].secret.clone();
    credential_header(contracts.get(api).unwrap(), &secret)
}

/// A conforming request of an API, as an SDK would send it: method, path, body.
fn conforming(api: &str) -> (reqwest::Method, &'static str, Option<Value>) {
    match api {
        "peach" => (reqwest::Method::GET, "/verification-types", None),
        "trusona" => (
            reqwest::Method::GET,
            "/api/v1/verifications?since=2024-01-01",
            None,
        ),
        "truework" => (
            reqwest::Method::POST,
            "/credentials/session",
            Some(json!({
                "type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
                "target": {"first_name": "Ann", "last_name": "Lee",
                           "social_security_number": "000-20-0000",
                           "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}
            })),
        ),
        "verified" => (
            reqwest::Method::GET,
            "/userCredentials/proxy-test@example.com",
            None,
        ),
        other => panic!("no conforming request for {other}"),
    }
}

/// One conforming request per API, as an SDK would send it.
async fn send_one_per_api(client: &reqwest::Client, proxy: &Proxy, mock: &MockServer) {
    for api in apis() {
        let (method, path, body) = conforming(api);
        let (name, value) = auth(mock, api);
        let mut request = client
            .request(method, format!("{}{path}", proxy.base_url(api)))
            .header(name, value);
        if let Some(body) = body {
            request = request.header("accept", "application/json").json(&body);
        }
        let response = request.send().await.unwrap();
        assert!(
            response.status().as_u16() < 500,
            "{api} {path}: {}",
            response.status()
        );
    }
}

fn mock_upstreams(mock: &MockServer) -> Vec<(String, String)> {
    apis()
        .into_iter()
        .map(|a| (a.to_string(), mock.base_url(a)))
        .collect()
}

#[tokio::test]
async fn every_api_through_the_proxy_to_the_mock_has_no_violation_and_a_valid_report() {
    let mock = MockServer::start().await.unwrap();
    let proxy = proxy_to(mock_upstreams(&mock), None).await;
    let client = reqwest::Client::new();
    send_one_per_api(&client, &proxy, &mock).await;

    let exchanges = proxy.exchanges();
    assert_eq!(exchanges.len(), apis().len());
    for e in &exchanges {
        assert!(
            e.violations.is_empty(),
            "{}: {:?}",
            e.summary(),
            e.violations
        );
        assert!(e.operation.is_some() && e.upstream_error.is_none());
    }
    assert!(mock.violations().is_empty());

    let contracts = contracts();
    let names: Vec<String> = apis().into_iter().map(|a| a.to_string()).collect();
    let report = vouch::report::proxy_run::build(
        &contracts,
        &names,
        &proxy.url(),
        &exchanges,
        proxy.errors(),
        chrono::Utc::now().to_rfc3339(),
        1,
    );
    assert_eq!(report.totals.exchanges, apis().len());
    assert_eq!(report.totals.violations, 0);
    assert_eq!(report.totals.failed, 0);

    let dir = TempDir::new("report");
    let written = vouch::report::write_report(&dir.0, &report).unwrap();
    let text = std::fs::read_to_string(written.join("report.json")).unwrap();
    let schema: Value = serde_json::from_str(vouch::report::json::SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The credentials and the SSN went upstream but are in no report file.
    for file in std::fs::read_dir(&written).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        for api in apis() {
            let secret = &mock.state().credentials(api)[0].secret;
            assert!(!text.contains(secret.as_str()), "{api} credential leaked");
        }
        assert!(!text.contains("000-20-0000"));
    }
}

#[tokio::test]
async fn a_recording_replays_against_the_mock_without_differences_and_holds_no_secret() {
    let mock = MockServer::start().await.unwrap();
    let dir = TempDir::new("record");
    let proxy = proxy_to(mock_upstreams(&mock), Some(dir.0.clone())).await;
    let client = reqwest::Client::new();
    send_one_per_api(&client, &proxy, &mock).await;

    let recordings = record::read_dir(&dir.0).unwrap();
    assert_eq!(recordings.len(), apis().len());
    for (file, recorded) in &recordings {
        let text = std::fs::read_to_string(file).unwrap();
        assert!(!text.contains("000-20-0000"), "{}", file.display());
        let secret = &mock.state().credentials(&recorded.api)[0].secret;
        assert!(!text.contains(secret.as_str()), "{}", file.display());
        assert!(text.contains(vouch::redact::REDACTED));
    }
    let truework = &recordings
        .iter()
        .find(|(_, r)| r.api == "truework")
        .unwrap()
        .1;
    assert_eq!(
        truework.request.body["target"]["social_security_number"],
        "<redacted>"
    );
    assert_eq!(truework.request.body["target"]["first_name"], "Ann");

    // A fresh mock, as a team would replay next month. Credentials come from the target; a
    // request whose PII was redacted (truework's SSN) no longer replays as it was sent.
    let target = MockTarget::start().await.unwrap();
    let results = record::replay(&contracts(), &target, &recordings).await;
    for r in &results {
        assert_eq!(r.differs(), r.api == "truework", "{}", r.render());
    }

    // Recorded with --record-secrets (sandbox test data only), every exchange replays as it was.
    let full = TempDir::new("record-secrets");
    let proxy = proxy_recording(mock_upstreams(&mock), Some(full.0.clone()), true).await;
    send_one_per_api(&client, &proxy, &mock).await;
    let with_secrets = record::read_dir(&full.0).unwrap();
    let results = record::replay(&contracts(), &target, &with_secrets).await;
    assert_eq!(results.len(), apis().len());
    for r in &results {
        assert!(!r.differs(), "{}", r.render());
    }

    // A recording whose shape no longer matches is reported with a diff.
    let (file, mut changed) = recordings[0].clone();
    changed.response.body = json!({"unexpected": true});
    let results = record::replay(&contracts(), &target, &[(file, changed)]).await;
    assert!(results[0].differs());
    assert!(
        results[0].shape_diff.contains("-/unexpected boolean"),
        "{}",
        results[0].render()
    );
}

/// A server that breaks the verified contract on purpose.
async fn non_conforming() -> String {
    use axum::routing::get;
    let app = axum::Router::new()
        .route(
            "/credentials/{id}",
            get(|| async { axum::Json(json!({"id": 1})) }),
        )
        .route(
            "/userCredentials/{user}",
            get(|| async { (http::StatusCode::IM_A_TEAPOT, "short and stout") }),
        )
        .route("/nowhere", get(|| async { "still forwarded" }))
        .route(
            "/1-click/{uuid}",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                "too late"
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_non_conforming_upstream_has_each_violation_listed() {
    let upstream = non_conforming().await;
    let proxy = proxy_to(vec![("verified".into(), upstream)], None).await;
    let client = reqwest::Client::new();
    let base = proxy.base_url("verified");
    let send = |path: &str| {
        client
            .get(format!("{base}{path}"))
            .header("authorization", "proxy-test-secret-key-123")
            .send()
    };

    let r = send("/credentials/3f1c5e5e-1d2b-4c8a-9f7e-2b1a4c6d8e0f")
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.text().await.unwrap(),
        r#"{"id":1}"#,
        "passed back unchanged"
    );
    let r = send("/userCredentials/a@example.com").await.unwrap();
    assert_eq!(r.status(), 418);
    let r = send("/nowhere").await.unwrap();
    assert_eq!(r.text().await.unwrap(), "still forwarded");

    let exchanges = proxy.exchanges();
    let rules = |i: usize| -> Vec<(String, String)> {
        exchanges[i]
            .violations
            .iter()
            .map(|v| (v.pointer.clone(), v.rule.clone()))
            .collect()
    };
    assert!(
        rules(0).contains(&("/body/id".into(), "type".into())),
        "{:?}",
        rules(0)
    );
    assert!(
        rules(1).contains(&("/headers/content-type".into(), "content-type".into())),
        "{:?}",
        rules(1)
    );
    assert!(exchanges[2].undocumented);
    assert_eq!(rules(2), vec![("/path".into(), "unknown-operation".into())]);

    let report = vouch::report::proxy_run::build(
        &contracts(),
        &["verified".into()],
        &proxy.url(),
        &exchanges,
        proxy.errors(),
        chrono::Utc::now().to_rfc3339(),
        1,
    );
    assert_eq!(report.totals.failed, 3);
    assert_eq!(
        report.totals.violations,
        exchanges.iter().map(|e| e.violations.len()).sum::<usize>()
    );
    let text = serde_json::to_string(&report).unwrap();
    assert!(!text.contains("proxy-test-secret-key-123"));
}

#[tokio::test]
async fn upstream_down_slow_or_garbage_answers_502_or_504_and_the_proxy_keeps_running() {
    // Down: a port nothing listens on.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let down = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    // Garbage: answers bytes that are not HTTP.
    let garbage = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let garbage_url = format!("http://{}", garbage.local_addr().unwrap());
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut stream, _)) = garbage.accept().await {
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf).await;
            let _ = stream.write_all(b"\x00\x01 this is not HTTP\r\n\r\n").await;
        }
    });
    let slow = non_conforming().await;
    let proxy = proxy_to(
        vec![
            ("peach".into(), down),
            ("trusona".into(), garbage_url),
            ("verified".into(), slow),
        ],
        None,
    )
    .await;
    let client = reqwest::Client::new();
    for (api, path, status, error) in [
        ("peach", "/verification-types", 502, "upstream_failed"),
        ("trusona", "/api/v1/verifications", 502, "upstream_failed"),
        (
            "verified",
            "/1-click/3f1c5e5e-1d2b-4c8a-9f7e-2b1a4c6d8e0f",
            504,
            "upstream_timeout",
        ),
        ("peach", "/verification-types", 502, "upstream_failed"),
    ] {
        let r = client
            .get(format!("{}{path}", proxy.base_url(api)))
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), status, "{api}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"], error, "{api}: {body}");
        assert!(body["message"].as_str().unwrap().len() > 10);
    }
    // An unknown prefix is the proxy's own 404.
    let r = client
        .get(format!("{}/nope/x", proxy.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(proxy.errors().len(), 1);
    let exchanges = proxy.exchanges();
    assert_eq!(exchanges.len(), 4);
    assert!(exchanges.iter().all(|e| e.upstream_error.is_some()));
    proxy.stop().await;
}

/// Kills the proxy if a test fails before stopping it.
#[cfg(unix)]
struct Running(std::process::Child);

#[cfg(unix)]
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[cfg(unix)]
impl Running {
    /// `vouch proxy ARGS --listen 127.0.0.1:0`, its stdout lines, and its banner.
    fn start(
        args: &[&std::ffi::OsStr],
    ) -> (
        Self,
        std::sync::mpsc::Receiver<String>,
        std::thread::JoinHandle<()>,
        Vec<String>,
    ) {
        use std::io::BufRead;
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_vouch"))
            .arg("proxy")
            .args(args)
            .args(["--listen", "127.0.0.1:0"])
            .env_remove("VOUCH_CONTRACTS")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut child = Running(child);
        let (lines_tx, lines) = std::sync::mpsc::channel::<String>();
        let stdout = child.0.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                let _ = lines_tx.send(line);
            }
        });
        let mut banner = Vec::new();
        while !banner.iter().any(|l: &String| l.contains("Ctrl-C")) {
            banner.push(lines.recv_timeout(Duration::from_secs(20)).unwrap());
        }
        (child, lines, reader, banner)
    }

    /// SIGTERM, then the exit code and everything printed after the banner.
    fn stop(
        mut self,
        lines: std::sync::mpsc::Receiver<String>,
        reader: std::thread::JoinHandle<()>,
    ) -> (Option<i32>, String) {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = self.0.wait().unwrap();
        reader.join().unwrap();
        let out: Vec<String> = lines.try_iter().collect();
        (exit.code(), out.join("\n"))
    }
}

/// The binary as a user runs it: `vouch proxy ... --upstream mock` until SIGTERM, then the
/// report and the exit status; then `vouch replay` of what it recorded.
#[cfg(unix)]
#[tokio::test]
async fn the_proxy_command_prints_violations_writes_a_report_on_exit_and_replays() {
    use std::process::Command;
    let scratch = TempDir::new("cli");
    let reports = scratch.0.join("reports");
    let recording = scratch.0.join("recording");
    let (child, lines, reader, banner) = Running::start(&[
        "--api".as_ref(),
        "verified".as_ref(),
        "--upstream".as_ref(),
        "mock".as_ref(),
        "--timeout-ms".as_ref(),
        "2000".as_ref(),
        "--reports".as_ref(),
        reports.as_os_str(),
        "--record".as_ref(),
        recording.as_os_str(),
    ]);
    let url = banner[0].rsplit(' ').next().unwrap().to_string();
    let credential = banner
        .iter()
        .find_map(|l| l.split("mock credential ").nth(1))
        .unwrap()
        .to_string();

    let client = reqwest::Client::new();
    let ok = client
        .get(format!("{url}/verified/userCredentials/cli@example.com"))
        .header("authorization", &credential)
        .header("x-api-secret", "cli-secret-value-9999")
        .send()
        .await
        .unwrap();
    assert!(ok.status().as_u16() < 500, "{}", ok.status());
    let undocumented = client
        .get(format!("{url}/verified/nowhere"))
        .header("authorization", &credential)
        .send()
        .await
        .unwrap();
    assert_eq!(
        undocumented.status(),
        404,
        "forwarded to the mock, which has no such page"
    );

    let (code, out) = child.stop(lines, reader);
    assert_eq!(code, Some(1), "--strict is the default:\n{out}");
    assert!(
        out.contains("violation: verified request /path: unknown-operation"),
        "{out}"
    );
    assert!(out.contains("2 exchange(s), 1 violation(s)"), "{out}");
    assert!(!out.contains("cli-secret-value-9999"));

    let report_dir = std::fs::read_dir(&reports)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let report = vouch::report::read(&report_dir).unwrap();
    assert_eq!(report.run.target, "proxy");
    assert_eq!((report.totals.exchanges, report.totals.failed), (2, 1));
    // `vouch diff` compares proxy runs by their contracts and selection too.
    let contract_set = report.contract_set.as_ref().expect("the contracts' hashes");
    assert_eq!(contract_set.source, "built-in", "{contract_set:?}");
    assert!(report.selection.is_some());
    // The proxy's reports are titled by the command that made them.
    let summary = std::fs::read_to_string(report_dir.join("summary.md")).unwrap();
    assert!(summary.starts_with("# vouch proxy: "), "{summary}");
    let html = std::fs::read_to_string(report_dir.join("report.html")).unwrap();
    assert!(
        html.contains("<h1>vouch proxy: "),
        "no proxy title in report.html"
    );
    assert!(!summary.contains("vouch run") && !html.contains("<h1>vouch run"));
    for dir in [&report_dir, &recording] {
        for file in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
            assert!(!text.contains("cli-secret-value-9999"));
            assert!(!text.contains(credential.as_str()));
        }
    }

    let replay = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .arg("replay")
        .arg(&recording)
        .args(["--target", "mock"])
        .env_remove("VOUCH_CONTRACTS")
        .env_remove("VOUCH_TARGET")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&replay.stdout);
    assert!(replay.status.success(), "{text}");
    assert!(
        text.contains("2 exchange(s) replayed on mock, 0 differ"),
        "{text}"
    );
}

/// `--observe` exits 0 even when the upstream is down (the client got a 502 and the report says
/// so).
#[cfg(unix)]
#[tokio::test]
async fn observe_exits_zero_and_a_down_upstream_is_a_502() {
    let scratch = TempDir::new("cli-observe");
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("peach=http://{}", closed.local_addr().unwrap());
    drop(closed);
    let (child, lines, reader, banner) = Running::start(&[
        "--api".as_ref(),
        api.as_ref(),
        "--observe".as_ref(),
        "--reports".as_ref(),
        scratch.0.as_os_str(),
    ]);
    let url = banner[0].rsplit(' ').next().unwrap().to_string();
    let r = reqwest::get(format!("{url}/peach/verification-types"))
        .await
        .unwrap();
    assert_eq!(r.status(), 502);
    let (code, out) = child.stop(lines, reader);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("upstream failed: connection failed"), "{out}");
    assert!(
        out.contains("request /headers/authorization: security"),
        "{out}"
    );
    assert!(
        out.contains("1 exchange(s), 1 violation(s), 1 failed"),
        "{out}"
    );
}

/// A streamed (chunked) answer reaches the client chunk by chunk, and is validated whole.
#[tokio::test]
async fn streamed_answers_are_passed_on_as_they_arrive_and_validated_whole() {
    use axum::routing::get;
    let release = Arc::new(tokio::sync::Notify::new());
    let gate = release.clone();
    let app = axum::Router::new().route(
        "/credentials/{id}",
        get(move || {
            let gate = gate.clone();
            async move {
                let chunks = futures::stream::unfold(0, move |n| {
                    let gate = gate.clone();
                    async move {
                        match n {
                            0 => Some((Ok::<_, std::io::Error>("{\"id\":"), 1)),
                            1 => {
                                // The second half only once the client has the first.
                                gate.notified().await;
                                Some((Ok("1}"), 2))
                            }
                            _ => None,
                        }
                    }
                });
                (
                    [(http::header::CONTENT_TYPE, "application/json")],
                    axum::body::Body::from_stream(chunks),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let proxy = proxy_to(vec![("verified".into(), upstream)], None).await;
    let mut response = reqwest::Client::new()
        .get(format!(
            "{}/credentials/3f1c5e5e-1d2b-4c8a-9f7e-2b1a4c6d8e0f",
            proxy.base_url("verified")
        ))
        .header("authorization", "k")
        .send()
        .await
        .unwrap();
    let first = tokio::time::timeout(Duration::from_secs(5), response.chunk())
        .await
        .expect("the first chunk arrives before the upstream has finished")
        .unwrap()
        .unwrap();
    assert_eq!(&first[..], b"{\"id\":");
    assert!(proxy.exchanges().is_empty(), "not complete yet");
    release.notify_one();
    let mut rest = Vec::new();
    while let Some(chunk) = response.chunk().await.unwrap() {
        rest.extend_from_slice(&chunk);
    }
    assert_eq!(rest, b"1}");
    let exchanges = proxy.exchanges();
    assert_eq!(exchanges.len(), 1);
    assert_eq!(&exchanges[0].response_body[..], b"{\"id\":1}");
    assert!(
        exchanges[0]
            .violations
            .iter()
            .any(|v| v.pointer == "/body/id" && v.rule == "type"),
        "{:?}",
        exchanges[0].violations
    );
}

/// A proxy in front of the mock, rewriting or not.
async fn proxy_rewriting(mock: &MockServer, rewrite: bool, record: Option<PathBuf>) -> Proxy {
    Proxy::start(
        contracts(),
        ProxyConfig {
            upstreams: mock_upstreams(mock),
            timeout: Duration::from_secs(5),
            record,
            rewrite,
            ..ProxyConfig::default()
        },
        None,
    )
    .await
    .unwrap()
}

/// Trusona as its SDK drives it: create a verification, open its `linkUrl` and scan there,
/// read the result. Returns the `linkUrl` the client got.
async fn trusona_flow(client: &reqwest::Client, proxy: &Proxy, mock: &MockServer) -> String {
    let (name, token) = auth(mock, "trusona");
    let api = proxy.base_url("trusona");
    let created: Value = client
        .post(format!("{api}/api/v1/verifications"))
        .header(&name, &token)
        .json(&json!({"documentType": "US_CA_DL", "requestedVerifiers": [{"verifier": "DMV"}]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let link = created["linkUrl"].as_str().expect("a linkUrl").to_string();
    let id = created["id"].as_str().unwrap();
    // The SDK follows the link it was given, wherever it points.
    assert_eq!(client.get(&link).send().await.unwrap().status(), 200);
    let scan = json!({"documentNumber": "DL000001", "firstName": "John", "lastName": "Doe",
        "dateOfBirth": "04/01/1970", "documentType": "DL", "iso2CountryCode": "US"});
    let scanned = client.post(format!("{link}/scan")).json(&scan).send().await;
    assert_eq!(scanned.unwrap().status(), 200);
    let read = client
        .get(format!("{api}/api/v1/verifications/{id}"))
        .header(&name, &token)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);
    link
}

/// Verified's hosted 1-Click v2: the answer's `url` is the wallet the user is sent to.
async fn verified_hosted_url(client: &reqwest::Client, proxy: &Proxy, mock: &MockServer) -> String {
    let (name, key) = auth(mock, "verified");
    let response = client
        .post(format!("{}/v2/1-click", proxy.base_url("verified")))
        .header(name, key)
        .json(&json!({"phone": "+10123456789"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let length = response.content_length();
    let body = response.bytes().await.unwrap();
    // The rewritten body declares its own length.
    assert_eq!(length, Some(body.len() as u64));
    let created: Value = serde_json::from_slice(&body).unwrap();
    let url = created["url"].as_str().expect("a wallet url").to_string();
    assert_eq!(client.get(&url).send().await.unwrap().status(), 200);
    url
}

#[tokio::test]
async fn an_sdk_following_the_answers_urls_stays_on_the_proxy() {
    let mock = MockServer::start().await.unwrap();
    let dir = TempDir::new("rewrite");
    let proxy = proxy_rewriting(&mock, true, Some(dir.0.clone())).await;
    let client = reqwest::Client::new();
    let link = trusona_flow(&client, &proxy, &mock).await;
    let wallet = verified_hosted_url(&client, &proxy, &mock).await;
    assert!(link.starts_with(&proxy.base_url("trusona")), "{link}");
    assert!(wallet.starts_with(&proxy.base_url("verified")), "{wallet}");

    // The link and the wallet were fetched through the proxy, not from the mock directly.
    let exchanges = proxy.exchanges();
    let paths: Vec<String> = exchanges
        .iter()
        .map(|e| format!("/{}{}", e.api, e.path))
        .collect();
    let link_path = link.strip_prefix(&proxy.url()).unwrap();
    let wallet_path = wallet.strip_prefix(&proxy.url()).unwrap();
    for followed in [
        link_path.to_string(),
        format!("{link_path}/scan"),
        wallet_path.into(),
    ] {
        assert!(paths.contains(&followed), "{followed} not in {paths:?}");
    }
    // Validated as the upstream gave it, forwarded rewritten, and the record says where.
    let created = exchanges
        .iter()
        .find(|e| e.operation.as_deref() == Some("createVerification"))
        .unwrap();
    let upstream: Value = serde_json::from_slice(&created.response_body).unwrap();
    assert!(
        upstream["linkUrl"]
            .as_str()
            .unwrap()
            .starts_with(&mock.base_url("trusona"))
    );
    assert_eq!(created.rewritten, ["/body/linkUrl", "/body/workspaceLink"]);
    for e in exchanges.iter().filter(|e| e.operation.is_some()) {
        assert!(
            e.violations.is_empty(),
            "{}: {:?}",
            e.summary(),
            e.violations
        );
    }
    let recordings = record::read_dir(&dir.0).unwrap();
    let recorded = recordings
        .iter()
        .find(|(_, r)| r.operation.as_deref() == Some("createOneClickV2"))
        .unwrap();
    // The report's step says so too.
    let report = vouch::report::proxy_run::build(
        &contracts(),
        &["trusona".to_string(), "verified".to_string()],
        &proxy.url(),
        &exchanges,
        proxy.errors(),
        chrono::Utc::now().to_rfc3339(),
        1,
    );
    let noted: Vec<&str> = report
        .scenarios
        .iter()
        .filter_map(|s| s.steps[0].docstring.as_deref())
        .collect();
    assert!(
        noted.iter().any(|d| d.contains("/body/linkUrl")),
        "{noted:?}"
    );
    assert_eq!(recorded.1.response.rewritten, ["/body/url"]);
    assert!(
        recorded.1.response.body["url"]
            .as_str()
            .unwrap()
            .starts_with(&mock.base_url("verified"))
    );
}

#[tokio::test]
async fn no_rewrite_forwards_the_upstreams_urls() {
    let mock = MockServer::start().await.unwrap();
    let proxy = proxy_rewriting(&mock, false, None).await;
    let client = reqwest::Client::new();
    let link = trusona_flow(&client, &proxy, &mock).await;
    let wallet = verified_hosted_url(&client, &proxy, &mock).await;
    assert!(link.starts_with(&mock.base_url("trusona")), "{link}");
    assert!(wallet.starts_with(&mock.base_url("verified")), "{wallet}");
    // The client left the proxy: it saw only the two requests sent to it per API.
    assert_eq!(proxy.exchanges().len(), 3);
    assert!(proxy.exchanges().iter().all(|e| e.rewritten.is_empty()));
}

/// Headers are rewritten, a chunked JSON body is rewritten as it streams (the URL split across
/// chunks), and a body that is not JSON is passed on byte for byte.
#[tokio::test]
async fn headers_and_streamed_json_are_rewritten_other_bodies_pass_unchanged() {
    use axum::routing::get;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream = format!("http://{}", listener.local_addr().unwrap());
    let up = upstream.clone();
    let json_route = get(move || {
        let up = up.clone();
        async move {
            let (head, tail) = up.split_at(10);
            let chunks = vec![
                Ok::<_, std::io::Error>(format!("{{\"next\": \"{head}")),
                Ok(format!("{tail}/credentials/2\", \"other\": \"{tail}\"}}")),
            ];
            (
                [
                    (http::header::CONTENT_TYPE, "application/json".to_string()),
                    (http::header::LOCATION, format!("{up}/credentials/2")),
                    (
                        http::header::LINK,
                        format!("<{up}/credentials/3>; rel=\"next\""),
                    ),
                ],
                axum::body::Body::from_stream(futures::stream::iter(chunks)),
            )
        }
    });
    let up = upstream.clone();
    let text_route = get(move || {
        let up = up.clone();
        async move {
            (
                [(http::header::CONTENT_TYPE, "text/plain")],
                format!("\"{up}/x\""),
            )
        }
    });
    let app = axum::Router::new()
        .route("/credentials/{id}", json_route)
        .route("/text", text_route);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let proxy = proxy_to(vec![("verified".into(), upstream.clone())], None).await;
    let base = proxy.base_url("verified");
    let client = reqwest::Client::new();
    let response = client
        .get(format!(
            "{base}/credentials/3f1c5e5e-1d2b-4c8a-9f7e-2b1a4c6d8e0f"
        ))
        .header("authorization", "k")
        .send()
        .await
        .unwrap();
    let headers = response.headers().clone();
    assert_eq!(
        headers["location"],
        format!("{base}/credentials/2").as_str()
    );
    assert_eq!(
        headers["link"],
        format!("<{base}/credentials/3>; rel=\"next\"").as_str()
    );
    let body: Value = response.json().await.unwrap();
    let tail = &upstream[10..];
    assert_eq!(
        body,
        json!({"next": format!("{base}/credentials/2"), "other": tail})
    );

    let text = client.get(format!("{base}/text")).send().await.unwrap();
    assert_eq!(text.text().await.unwrap(), format!("\"{upstream}/x\""));

    let exchanges = proxy.exchanges();
    assert_eq!(
        exchanges[0].rewritten,
        ["/headers/location", "/headers/link", "/body/next"]
    );
    // The contract saw the upstream's own answer.
    assert!(String::from_utf8_lossy(&exchanges[0].response_body).contains(&upstream));
    assert!(exchanges[1].rewritten.is_empty());
}

/// Where a request carries a credential: a header or a query parameter.
#[derive(Debug, Clone)]
enum Spelling {
    Header(String, String),
    Query(String, String),
}

/// `secret` where `scheme` says.
fn spelled(scheme: &vouch::contract::SecurityScheme, secret: &str) -> Spelling {
    use vouch::contract::SecurityScheme as S;
    let header = |n: &str, v: String| Spelling::Header(n.into(), v);
    match scheme {
        S::Header { header: name, .. } => header(name.as_str(), secret.into()),
        S::Query { param, .. } => Spelling::Query(param.clone(), secret.into()),
        S::Bearer { .. } => header("authorization", format!("Bearer {secret}")),
        S::Basic { .. } => header("authorization", format!("Basic {secret}")),
        S::Cookie { cookie, .. } => header("cookie", format!("{cookie}={secret}")),
    }
}

/// Every scheme an API's operations declare, each once; every operation declares one (the
/// mock refuses a request with no credential, so an operation without `security` would be
/// one where the two disagree).
fn declared_schemes(api: &str) -> Vec<vouch::contract::SecurityScheme> {
    let contracts = contracts();
    let mut out = Vec::new();
    for op in contracts.get(api).unwrap().operations() {
        assert!(
            !op.security.is_empty(),
            "{api} {} declares no security",
            op.id
        );
        for scheme in op.security.iter().flatten() {
            if !out.contains(scheme) {
                out.push(scheme.clone());
            }
        }
    }
    out
}

/// Usual credential spellings that no scheme of the API declares: API key headers and query
/// parameters, and a bare `Authorization` value where the contract wants `Bearer`.
fn undeclared(api: &str, secret: &str) -> Vec<Spelling> {
    let declared: Vec<Spelling> = declared_schemes(api)
        .iter()
        .map(|s| spelled(s, secret))
        .collect();
    let headers = [
        "x-api-key",
        "x_api_key",
        "api-key",
        "x-auth-token",
        "authorization",
    ];
    let queries = ["api_key", "token", "access_token"];
    headers
        .iter()
        .map(|h| Spelling::Header(h.to_string(), secret.into()))
        .chain(
            queries
                .iter()
                .map(|q| Spelling::Query(q.to_string(), secret.into())),
        )
        .filter(|candidate| {
            !declared.iter().any(|d| match (d, candidate) {
                (Spelling::Header(a, v), Spelling::Header(b, w)) => a == b && v == w,
                (Spelling::Query(a, _), Spelling::Query(b, _)) => a == b,
                _ => false,
            })
        })
        .collect()
}

/// The API's conforming request to `base` with the credential spelled so.
fn credentialed(
    client: &reqwest::Client,
    base: &str,
    api: &str,
    spelling: &Spelling,
) -> reqwest::RequestBuilder {
    let (method, path, body) = conforming(api);
    let mut url = format!("{base}{path}");
    let mut request = match spelling {
        Spelling::Query(name, value) => {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&format!("{name}={value}"));
            client.request(method, url)
        }
        Spelling::Header(name, value) => client.request(method, url).header(name, value),
    };
    if let Some(body) = body {
        request = request.header("accept", "application/json").json(&body);
    }
    request
}

/// What the contract engine says of a request's credentials: whether it reports `security`.
fn contract_refuses(api: &str, request: &reqwest::Request, base: &str) -> bool {
    let contracts = contracts();
    let path = request
        .url()
        .as_str()
        .strip_prefix(base)
        .unwrap()
        .to_string();
    let body = request
        .body()
        .and_then(|b| b.as_bytes())
        .map(bytes::Bytes::copy_from_slice)
        .unwrap_or_default();
    let check = contracts
        .get(api)
        .unwrap()
        .check_request(&vouch::contract::HttpRequest {
            method: request.method(),
            path: &path,
            headers: request.headers(),
            body: &body,
        });
    check.violations.iter().any(|v| v.rule == "security")
}

/// For every API: each scheme the contract declares authenticates on the mock and satisfies
/// the contract; each usual spelling it does not declare is refused by both (issue #26.1).
#[tokio::test]
async fn the_mock_and_the_contract_accept_exactly_the_same_credential_spellings() {
    let mock = MockServer::start().await.unwrap();
    let client = reqwest::Client::new();
    for api in apis() {
        let secret = mock.state().credentials(api)[0].secret.clone();
        let base = mock.base_url(api);
        let accepted: Vec<Spelling> = declared_schemes(api)
            .iter()
            .map(|s| spelled(s, &secret))
            .collect();
        for spelling in &accepted {
            let request = credentialed(&client, &base, api, spelling).build().unwrap();
            assert!(
                !contract_refuses(api, &request, &base),
                "{api} {spelling:?}"
            );
            let status = client.execute(request).await.unwrap().status().as_u16();
            assert!(
                status != 401 && status < 500,
                "{api} {spelling:?}: {status}"
            );
        }
        let refused = undeclared(api, &secret);
        assert!(refused.len() >= 6, "{api}: {refused:?}");
        for spelling in &refused {
            let request = credentialed(&client, &base, api, spelling).build().unwrap();
            assert!(contract_refuses(api, &request, &base), "{api} {spelling:?}");
            let status = client.execute(request).await.unwrap().status().as_u16();
            assert_eq!(status, 401, "{api} {spelling:?}");
        }
    }
    // Peach's two API key headers are both declared: X_API_KEY is a customer client's.
    let peach: Vec<String> = declared_schemes("peach")
        .iter()
        .map(|s| format!("{s:?}"))
        .collect();
    assert!(
        peach.iter().any(|s| s.contains("\"x_api_key\"")),
        "{peach:?}"
    );
    assert!(
        peach.iter().any(|s| s.contains("\"x-api-key\"")),
        "{peach:?}"
    );
}

/// Every accepted spelling of every API through `vouch proxy --strict` to the mock, and the
/// Peach customer client's own headers: 0 violations, exit 0 (issue #26.1, done-when).
#[cfg(unix)]
#[tokio::test]
async fn every_accepted_credential_spelling_passes_vouch_proxy_strict() {
    let scratch = TempDir::new("cli-credentials");
    let mut args: Vec<std::ffi::OsString> = Vec::new();
    for api in apis() {
        args.extend(["--api".into(), api.into()]);
    }
    args.extend(["--upstream", "mock", "--strict", "--reports"].map(Into::into));
    args.push(scratch.0.clone().into_os_string());
    let refs: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let (child, lines, reader, banner) = Running::start(&refs);
    let url = banner[0].rsplit(' ').next().unwrap().to_string();
    let client = reqwest::Client::new();
    let mut sent = 0;
    for api in apis() {
        let secret = banner
            .iter()
            .find_map(|l| l.split(&format!(" {api} mock credential ")).nth(1))
            .unwrap()
            .to_string();
        let base = format!("{url}/{api}");
        for scheme in declared_schemes(api) {
            let spelling = spelled(&scheme, &secret);
            let response = credentialed(&client, &base, api, &spelling)
                .send()
                .await
                .unwrap();
            // Documented answers (Verified's unknown user is a 404); never the 401.
            let status = response.status().as_u16();
            assert!(
                status != 401 && status < 500,
                "{api} {spelling:?}: {}",
                response.status()
            );
            sent += 1;
        }
    }
    // flexbase-eng/peach-node-client `src/index.ts` (95acd69): the headers of every call.
    let peach = client
        .get(format!("{url}/peach/verification-types"))
        .header(
            "X_API_KEY",
            banner
                .iter()
                .find_map(|l| l.split(" peach mock credential ").nth(1))
                .unwrap(),
        )
        .header("Accept", "application/json")
        .header("X-Peach-Client-Ver", "0.1.0")
        .header("Content-Type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(peach.status(), 200);
    let (code, out) = child.stop(lines, reader);
    assert!(
        out.contains(&format!(
            "{} exchange(s), 0 violation(s), 0 failed",
            sent + 1
        )),
        "{out}"
    );
    assert_eq!(code, Some(0), "{out}");
}

/// `vouch proxy --no-rewrite`: the wallet `url` of a hosted 1-Click still points at the mock;
/// without the flag, at the proxy.
#[cfg(unix)]
#[tokio::test]
async fn the_no_rewrite_flag_keeps_the_upstream_url() {
    let scratch = TempDir::new("cli-no-rewrite");
    for no_rewrite in [true, false] {
        let reports = scratch.0.join(no_rewrite.to_string());
        let mut args = vec!["--api", "verified", "--upstream", "mock", "--observe"];
        if no_rewrite {
            args.push("--no-rewrite");
        }
        let mut refs: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
        refs.extend(["--reports".as_ref(), reports.as_os_str()]);
        let (child, lines, reader, banner) = Running::start(&refs);
        let url = banner[0].rsplit(' ').next().unwrap().to_string();
        let key = banner
            .iter()
            .find_map(|l| l.split(" verified mock credential ").nth(1))
            .unwrap()
            .to_string();
        let created: Value = reqwest::Client::new()
            .post(format!("{url}/verified/v2/1-click"))
            .header("authorization", key)
            .json(&json!({"phone": "+10123456789"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let wallet = created["url"].as_str().unwrap();
        let (_, out) = child.stop(lines, reader);
        assert_eq!(wallet.starts_with(&url), !no_rewrite, "{wallet}");
        assert_eq!(
            out.contains("rewritten to the proxy's address: /body/url"),
            !no_rewrite,
            "{out}"
        );
    }
}
