//! The user's side in a real browser: headless Chromium, driven over WebDriver (chromedriver,
//! fantoccini), walks the mock's pages as a user of an app pointed at the mock would.
//!
//! - Hosted 1-Click (v1): open the 1-Click `url`, type the test code `111111`
//!   ([verified-api-ref] § Development), edit a value, untick one, share; the browser lands on
//!   the redirect url with `1ClickUuid` (§ Get 1-Click Credentials), and the brand's GET reads
//!   what the user shared.
//! - Hosted 1-Click (v2): type the 1-Click's own code, opt out; the browser lands on the
//!   redirect url with `identityUuid` and `optedOut=true` (contracts/NOTES.md § 1-Click v2).
//! - Semi-Hosted (v2): the stand-in code-entry page, a user who needs a birth date (OCE011),
//!   then the data.
//! - Trusona: open the `linkUrl`, type the scan result; the verification reads SCANNED.
//!
//! It needs `chromium` and `chromedriver` (Debian: `apt-get install chromium chromium-driver`;
//! `VOUCH_CHROMIUM` and `VOUCH_CHROMEDRIVER` override the paths), so a plain `cargo test` skips
//! it; `.ci/run` installs them and runs `cargo test --test wallet_browser -- --ignored`.

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use vouch::mock::MockServer;
use vouch::mock::verified::{SANDBOX_API_KEY, SEMI_HOSTED_API_KEY};

/// chromedriver, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A page the redirect lands on: any path answers 200 "landed", as the brand's app would.
fn landing_page() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let body = "<!doctype html><title>app</title><h1 id=\"landed\">landed</h1>";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

async fn browser() -> (Driver, Client) {
    let port = free_port();
    let driver = std::env::var("VOUCH_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let child = Command::new(&driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{driver}: {e} (apt-get install chromium-driver)"));
    let driver = Driver(child);
    let chromium = std::env::var("VOUCH_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let caps = json!({"goog:chromeOptions": {
        "binary": chromium,
        "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
    }});
    let caps = caps.as_object().unwrap().clone();
    let started = Instant::now();
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => return (driver, client),
            Err(e) if started.elapsed() > Duration::from_secs(30) => {
                panic!("no WebDriver session from chromedriver: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

async fn post(url: &str, key: &str, body: Value) -> Value {
    let r = reqwest::Client::new()
        .post(url)
        .header("authorization", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{url}: {}", r.status());
    r.json().await.unwrap()
}

async fn get(url: &str, key: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .get(url)
        .header("authorization", key)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn type_into(c: &Client, id: &str, text: &str) {
    let field = c.find(Locator::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn click(c: &Client, id: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"))
        .click()
        .await
        .unwrap();
}

/// Clicks a form's button and waits for the next page (the button goes stale).
async fn submit(c: &Client, id: &str) {
    let button = c
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"));
    button.clone().click().await.unwrap();
    let started = Instant::now();
    while button.is_enabled().await.is_ok() {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "#{id} led nowhere"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits for the browser to reach a url starting with `prefix`; its query members.
async fn landed(c: &Client, prefix: &str) -> Vec<(String, String)> {
    let started = Instant::now();
    loop {
        let url = c.current_url().await.unwrap();
        if url.as_str().starts_with(prefix) {
            return url.query_pairs().into_owned().collect();
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "never landed on {prefix}; at {url}: {}",
            c.source().await.unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn text_of(c: &Client, id: &str) -> String {
    c.find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"))
        .text()
        .await
        .unwrap()
}

async fn hosted_share(c: &Client, base: &str, app: &str) {
    let back = format!("{app}/signup/done");
    let created = post(
        &format!("{base}/1-click"),
        SANDBOX_API_KEY,
        json!({"phone": "+10123456789", "redirectUrl": back}),
    )
    .await;
    c.goto(created["url"].as_str().unwrap()).await.unwrap();
    type_into(c, "code", "000000").await;
    submit(c, "verify").await;
    assert!(text_of(c, "error").await.contains("OCE008"), "a wrong code");
    type_into(c, "code", "111111").await;
    submit(c, "verify").await;
    type_into(c, "fullName.0.firstName", "Dick").await;
    click(c, "share-ssn").await;
    submit(c, "share").await;
    let query = landed(c, &back).await;
    let uuid = query
        .iter()
        .find(|(k, _)| k == "1ClickUuid")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("no 1ClickUuid in {query:?}"));
    let (status, entity) = get(&format!("{base}/1-click/{uuid}"), SANDBOX_API_KEY).await;
    // (Never the whole entity in a message: it holds the test user's SSN and birth date.)
    assert_eq!(status, 200, "{}", entity["data"]);
    let credentials = &entity["credentials"];
    assert_eq!(credentials["fullName"]["firstName"], "Dick");
    assert_eq!(credentials["fullName"]["lastName"], "Hendricks");
    assert!(credentials.get("ssn").is_none(), "the SSN was left out");
    assert!(credentials.get("birthDate").is_some());
}

async fn hosted_opt_out(c: &Client, base: &str, app: &str) {
    let back = format!("{app}/signup/declined");
    let created = post(
        &format!("{base}/v2/1-click"),
        SANDBOX_API_KEY,
        json!({"phone": "+10123456789", "redirectUrl": back}),
    )
    .await;
    c.goto(created["url"].as_str().unwrap()).await.unwrap();
    type_into(c, "code", created["code"].as_str().unwrap()).await;
    submit(c, "verify").await;
    submit(c, "opt-out").await;
    let query = landed(c, &back).await;
    let uuid = created["uuid"].as_str().unwrap();
    assert!(
        query.contains(&("identityUuid".into(), uuid.into())),
        "{query:?}"
    );
    assert!(
        query.contains(&("optedOut".into(), "true".into())),
        "{query:?}"
    );
    let (status, body) = get(&format!("{base}/v2/1-click/{uuid}"), SANDBOX_API_KEY).await;
    assert_eq!(
        (status, &body["data"]["errorCode"]),
        (400, &json!("OCE021"))
    );
}

async fn semi_hosted_code_entry(c: &Client, base: &str) {
    let created = post(
        &format!("{base}/v2/1-click"),
        SEMI_HOSTED_API_KEY,
        json!({"phone": "+10019999997"}),
    )
    .await;
    let uuid = created["uuid"].as_str().unwrap();
    c.goto(&format!("{base}/wallet/semi-hosted/{uuid}"))
        .await
        .unwrap();
    type_into(c, "code", created["code"].as_str().unwrap()).await;
    submit(c, "verify").await;
    // A date input takes its value from script, whatever the browser's locale.
    c.execute(
        "document.getElementById('birthDate').value = '1989-08-01';",
        vec![],
    )
    .await
    .unwrap();
    submit(c, "confirm").await;
    let data = text_of(c, "data").await;
    assert!(
        data.contains("Gavin") && data.contains("1989-08-01"),
        "{data}"
    );
    assert!(!data.contains("987654321"), "the SSN is never shown whole");
}

async fn trusona_scan(c: &Client, server: &MockServer) {
    let base = server.base_url("trusona");
    let created = post(
        &format!("{base}/api/v1/verifications"),
        &format!("Bearer {}", vouch::mock::trusona::TEST_TOKEN),
        json!({"documentType": "US_CA_DL"}),
    )
    .await;
    c.goto(created["linkUrl"].as_str().unwrap()).await.unwrap();
    assert_eq!(text_of(c, "status").await, "WAITING");
    type_into(c, "firstName", "Monica").await;
    type_into(c, "dateOfBirth", "1989-08-01").await;
    submit(c, "scan").await;
    assert!(text_of(c, "error").await.contains("MM/DD/YYYY"));
    type_into(c, "dateOfBirth", "08/01/1989").await;
    submit(c, "scan").await;
    assert_eq!(text_of(c, "status").await, "SCANNED");
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver; .ci/run installs them and runs it"]
async fn the_users_side_in_a_real_browser() {
    let server = MockServer::start().await.unwrap();
    let base = server.base_url("verified");
    let app = landing_page();
    let (_driver, c) = browser().await;
    hosted_share(&c, &base, &app).await;
    hosted_opt_out(&c, &base, &app).await;
    semi_hosted_code_entry(&c, &base).await;
    trusona_scan(&c, &server).await;
    c.close().await.unwrap();
    assert!(server.violations().is_empty(), "{:?}", server.violations());
}
