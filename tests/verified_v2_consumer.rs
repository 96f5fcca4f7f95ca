//! A consumer of Verified 1-Click v2, written as Verified's own example app calls it
//! (`VerifiedInc/one-click-signup-example-app` at 134fd24, `src/pages/api/1-click/index.ts`
//! and the three pages under `src/pages/signup/1-click/`; contracts/research/verified-v2.md
//! § 7): its base URL ends in `/v2`, every call sends `Authorization: <key>` (bare) and
//! `Content-Type: application/json`, and it reads only the members the app reads, choosing
//! each branch by their presence (the app's proxy ignores the HTTP status). Only the base URL
//! and the key differ from the app's: the mock's, one key per integration type, as a user
//! would point the app at `vouch mock serve` (features/verified/README.md § Pointing an app at
//! the mock).
//!
//! The user's side of Hosted (typing the code in the wallet, sharing or opting out) goes
//! through the mock's wallet pages, as a browser would.

#[path = "support/serve.rs"]
mod serve;

use reqwest::{Client, Method, redirect};
use serde_json::{Value, json};
use serve::Serve;

/// The keys `vouch mock serve` prints (README § Mock): one brand per integration type.
const HOSTED_KEY: &str = "yVg3LEnF08y0MDmpHcPxB+sZWFcDARmPRKdY2M906ng=";
const SEMI_HOSTED_KEY: &str = "vouch-verified-semi-hosted-key";
const NON_HOSTED_KEY: &str = "vouch-verified-non-hosted-key";
/// The vendor's phone-only test user, and a user who needs a birth date (OCE011).
const PHONE_ONLY_USER: &str = "+10123456789";
const BIRTH_DATE_USER: &str = "+10019999997";
/// What the app's first screen shows developers (`TestPhoneNumbersBanner`, from
/// `@verifiedinc-public/shared-ui-elements` 1.2.0 at 134fd24, the app's own component before):
/// "Phone Only Input: +10123456789", "Phone and Birth Date Inputs: +10019999999".
const BANNER: [(&str, bool); 2] = [("+10123456789", false), ("+10019999999", true)];

struct App {
    client: Client,
    api_url: String,
    key: &'static str,
}

impl App {
    /// The app's `callOneClickApi`-style proxy call: the body verbatim, the bare key.
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.api_url))
            .header("Authorization", self.key)
            .header("Content-Type", "application/json");
        if let Some(body) = body {
            request = request.body(body.to_string());
        }
        let response = request.send().await.expect("the mock answers");
        response.json().await.expect("a JSON body")
    }

    /// `POST /1-click` with `body`, as the app's sign-up pages send it.
    async fn post_one_click(&self, body: Value) -> Value {
        self.call(Method::POST, "/1-click", Some(body)).await
    }

    /// The app's integration-type check on the POST answer
    /// (`src/services/client/one-click-request-service.ts` l.45-85).
    fn integration_type(answer: &Value) -> &'static str {
        if has(answer, "url") {
            "hosted"
        } else if has(answer, "identity") || error_code(answer) == Some("OCE011") {
            "non-hosted"
        } else if has(answer, "code") && has(answer, "uuid") {
            "semi-hosted"
        } else {
            "unknown"
        }
    }
}

fn has(v: &Value, member: &str) -> bool {
    v.get(member).is_some()
}

fn error_code(v: &Value) -> Option<&str> {
    v.pointer("/data/errorCode").and_then(Value::as_str)
}

/// What the app does with `credentials` before showing them: the SSN masked with
/// shared-ui-elements' `(\d{3})-?(\d{2})-?(\d{4})`, the birth date read as epoch milliseconds
/// (`formatDateMMDDYYYY(Number(x))`), the address as an object or a list with `zipCode`.
fn check_credentials_as_the_app_reads_them(credentials: &Value) {
    let ssn = credentials["ssn"].as_str().expect("an SSN string");
    let digits: String = ssn.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(
        digits.len(),
        9,
        "the app's SSN mask needs 9 digits: {ssn:?}"
    );
    let millis: i64 = credentials["birthDate"]
        .as_str()
        .and_then(|b| b.parse().ok())
        .expect("the birth date as a string of epoch milliseconds");
    assert_eq!(millis / 86_400_000, 7152, "1989-08-01 (day 7152)");
    assert!(credentials["fullName"]["firstName"].is_string());
    let address = match &credentials["address"] {
        Value::Array(list) => list.first().cloned().unwrap_or_default(),
        other => other.clone(),
    };
    for member in ["line1", "city", "state", "zipCode", "country"] {
        assert!(address[member].is_string(), "address.{member}: {address}");
    }
}

/// `vouch mock serve` itself, the program a user points the app at.
async fn start() -> (Serve, Client) {
    let server = Serve::start();
    let client = Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .expect("client");
    (server, client)
}

fn app(server: &Serve, client: &Client, key: &'static str) -> App {
    App {
        client: client.clone(),
        api_url: format!("{}/v2", server.base_url("verified")),
        key,
    }
}

/// The user in the Verified wallet: opens `url`, types `code`, then shares or opts out; the
/// Location of the redirect back to the brand.
async fn wallet(client: &Client, url: &str, code: &str, action: &str) -> String {
    let page = client.get(url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let typed = client
        .post(format!("{url}/code"))
        .json(&json!({"code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(typed.status(), 200, "the code the brand texted is accepted");
    let answer = client
        .post(format!("{url}/{action}"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 302);
    answer.headers()["location"].to_str().unwrap().to_string()
}

fn query_value(location: &str, name: &str) -> Option<String> {
    let (_, query) = location.split_once('?')?;
    query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

#[tokio::test]
async fn hosted_share_and_opt_out() {
    let (server, client) = start().await;
    let app = app(&server, &client, HOSTED_KEY);
    for action in ["share", "opt-out"] {
        // hosted.tsx l.55-61: the phone and the page content, no redirectUrl.
        let answer = app
            .post_one_click(json!({"phone": PHONE_ONLY_USER,
                            "content": {"title": "Signup", "description": "Signup to Slooow"}}))
            .await;
        assert_eq!(App::integration_type(&answer), "hosted", "{answer}");
        let code = answer["code"].as_str().expect("the code to text");
        let url = answer["url"].as_str().expect("the wallet url");
        let location = wallet(&client, url, code, action).await;
        // hosted.tsx l.95-133: only `router.query.identityUuid`.
        let identity_uuid = query_value(&location, "identityUuid").expect("identityUuid");
        assert_eq!(
            identity_uuid, answer["uuid"],
            "the POST uuid is the identityUuid"
        );
        assert!(query_value(&location, "1ClickUuid").is_none(), "{location}");
        let entity = app
            .call(Method::GET, &format!("/1-click/{identity_uuid}"), None)
            .await;
        if action == "share" {
            assert!(has(&entity, "credentials"), "{entity}");
            check_credentials_as_the_app_reads_them(&entity["credentials"]);
        } else {
            // "We couldn't find your identity": no credentials, an error with a message.
            assert!(!has(&entity, "credentials"), "{entity}");
            assert!(has(&entity, "data") && has(&entity, "message"), "{entity}");
            assert_eq!(query_value(&location, "optedOut").as_deref(), Some("true"));
        }
    }
    server.assert_no_violations().await;
}

#[tokio::test]
async fn non_hosted_with_and_without_the_birth_date_step() {
    let (server, client) = start().await;
    let app = app(&server, &client, NON_HOSTED_KEY);
    // non-hosted.tsx l.96-103: the phone alone is enough for the test user.
    let answer = app.post_one_click(json!({"phone": PHONE_ONLY_USER})).await;
    assert_eq!(App::integration_type(&answer), "non-hosted", "{answer}");
    check_credentials_as_the_app_reads_them(&answer["identity"]["credentials"]);
    assert!(!has(&answer, "url") && !has(&answer, "code"), "{answer}");

    // l.106-107: OCE011 sends the user to the birth-date step; then POST again (l.122-125).
    let first = app.post_one_click(json!({"phone": BIRTH_DATE_USER})).await;
    assert_eq!(error_code(&first), Some("OCE011"), "{first}");
    assert_eq!(App::integration_type(&first), "non-hosted");
    assert!(!has(&first, "uuid"), "an error never carries uuid: {first}");
    let wrong = app
        .post_one_click(json!({"phone": BIRTH_DATE_USER, "birthDate": "1990-01-01"}))
        .await;
    assert_eq!(error_code(&wrong), Some("OCE012"), "{wrong}");
    let second = app
        .post_one_click(json!({"phone": BIRTH_DATE_USER, "birthDate": "1989-08-01"}))
        .await;
    assert!(has(&second, "identity"), "{second}");
    check_credentials_as_the_app_reads_them(&second["identity"]["credentials"]);
    server.assert_no_violations().await;
}

#[tokio::test]
async fn semi_hosted_right_code_wrong_code_and_birth_date() {
    let (server, client) = start().await;
    let app = app(&server, &client, SEMI_HOSTED_KEY);
    // semi-hosted.tsx l.70-79: `{uuid, code}`, no url, no identity.
    let answer = app.post_one_click(json!({"phone": PHONE_ONLY_USER})).await;
    assert_eq!(App::integration_type(&answer), "semi-hosted", "{answer}");
    let uuid = answer["uuid"].as_str().unwrap().to_string();
    let code = answer["code"].as_str().unwrap().to_string();
    let wrong = if code == "000000" { "000001" } else { "000000" };
    // l.95-98: the code the user typed, as `?code=`.
    let refused = app
        .call(Method::GET, &format!("/1-click/{uuid}?code={wrong}"), None)
        .await;
    assert_eq!(error_code(&refused), Some("OCE008"), "{refused}");
    assert!(!has(&refused, "credentials") && has(&refused, "message"));
    let without = app
        .call(Method::GET, &format!("/1-click/{uuid}"), None)
        .await;
    assert_eq!(error_code(&without), Some("OCE009"), "{without}");
    let entity = app
        .call(Method::GET, &format!("/1-click/{uuid}?code={code}"), None)
        .await;
    assert!(has(&entity, "credentials"), "{entity}");
    check_credentials_as_the_app_reads_them(&entity["credentials"]);

    // The user who needs a birth date: GET answers OCE011, PATCH gives it (l.106-136).
    let answer = app.post_one_click(json!({"phone": BIRTH_DATE_USER})).await;
    assert_eq!(App::integration_type(&answer), "semi-hosted", "{answer}");
    let uuid = answer["uuid"].as_str().unwrap().to_string();
    let code = answer["code"].as_str().unwrap().to_string();
    let more = app
        .call(Method::GET, &format!("/1-click/{uuid}?code={code}"), None)
        .await;
    assert_eq!(error_code(&more), Some("OCE011"), "{more}");
    let wrong_date = app
        .call(
            Method::PATCH,
            &format!("/1-click/{uuid}"),
            Some(json!({"birthDate": "1990-01-01"})),
        )
        .await;
    assert_eq!(error_code(&wrong_date), Some("OCE012"), "{wrong_date}");
    // DobFormStep: `new Date(dob).toISOString().split('T')[0]`.
    let patched = app
        .call(
            Method::PATCH,
            &format!("/1-click/{uuid}"),
            Some(json!({"birthDate": "1989-08-01"})),
        )
        .await;
    assert!(has(&patched, "credentials"), "{patched}");
    check_credentials_as_the_app_reads_them(&patched["credentials"]);
    server.assert_no_violations().await;
}

#[tokio::test]
async fn the_unversioned_api_keeps_the_reference_pages_flow() {
    let (server, client) = start().await;
    let v1 = App {
        client: client.clone(),
        api_url: server.base_url("verified"),
        key: HOSTED_KEY,
    };
    let hosted = v1.post_one_click(json!({"phone": PHONE_ONLY_USER})).await;
    assert_eq!(hosted["match"], true, "{hosted}");
    assert!(has(&hosted, "smsBody") && !has(&hosted, "code"), "{hosted}");
    let location = wallet(&client, hosted["url"].as_str().unwrap(), "111111", "share").await;
    assert!(query_value(&location, "1ClickUuid").is_some(), "{location}");
    // `isHosted: false` is still accepted there, whatever the brand's type.
    let v1_semi = App {
        key: SEMI_HOSTED_KEY,
        ..v1
    };
    let non_hosted = v1_semi
        .post_one_click(
            json!({"phone": PHONE_ONLY_USER, "isHosted": false, "birthDate": "1989-08-01"}),
        )
        .await;
    assert_eq!(non_hosted["match"], true, "{non_hosted}");
    assert!(has(&non_hosted, "credentials"), "{non_hosted}");
    server.assert_no_violations().await;
}

#[tokio::test]
async fn the_admin_api_sets_a_brands_integration_type() {
    let (server, client) = start().await;
    let set = |flags: Value| {
        client
            .post(format!("{}/__admin/tenants", server.url))
            .json(
                &json!({"api": "verified", "tenant": "acme", "secret": "acme-key", "flags": flags}),
            )
            .send()
    };
    assert_eq!(set(json!(["semi-hosted"])).await.unwrap().status(), 201);
    let acme = app(&server, &client, "acme-key");
    let answer = acme.post_one_click(json!({"phone": PHONE_ONLY_USER})).await;
    assert_eq!(App::integration_type(&answer), "semi-hosted", "{answer}");
    // The same key, now Non-Hosted.
    assert_eq!(set(json!(["non-hosted"])).await.unwrap().status(), 201);
    let answer = acme.post_one_click(json!({"phone": PHONE_ONLY_USER})).await;
    assert_eq!(App::integration_type(&answer), "non-hosted", "{answer}");
    // Bad input names the member.
    let bad = client
        .post(format!("{}/__admin/tenants", server.url))
        .json(&json!({"api": "nope", "tenant": "t", "secret": "s"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("`api`"));
}

/// Each number the app's banner advertises, on the app's first screen for each integration
/// type (the calls its three sign-up pages make), and the birth-date step where the banner
/// says the number needs one (1989-08-01, the vendor's test birth date).
#[tokio::test]
async fn the_numbers_the_apps_banner_advertises_work_on_every_type() {
    let (server, client) = start().await;
    for (phone, needs_birth_date) in BANNER {
        // hosted.tsx l.55-61: the wallet asks the user, so the first answer is the url.
        let hosted = app(&server, &client, HOSTED_KEY);
        let answer = hosted
            .post_one_click(json!({"phone": phone,
                            "content": {"title": "Signup", "description": "Signup to Slooow"}}))
            .await;
        assert_eq!(
            App::integration_type(&answer),
            "hosted",
            "{phone}: {answer}"
        );

        // non-hosted.tsx l.96-125: OCE011 leads to the birth-date step, then POST again.
        let non_hosted = app(&server, &client, NON_HOSTED_KEY);
        let mut answer = non_hosted.post_one_click(json!({"phone": phone})).await;
        assert_eq!(
            App::integration_type(&answer),
            "non-hosted",
            "{phone}: {answer}"
        );
        assert_eq!(
            error_code(&answer) == Some("OCE011"),
            needs_birth_date,
            "{phone}: {answer}"
        );
        if needs_birth_date {
            answer = non_hosted
                .post_one_click(json!({"phone": phone, "birthDate": "1989-08-01"}))
                .await;
        }
        assert!(has(&answer, "identity"), "{phone}: {answer}");
        check_credentials_as_the_app_reads_them(&answer["identity"]["credentials"]);

        // semi-hosted.tsx l.70-136: the code, then GET; OCE011 leads to PATCH with the date.
        let semi = app(&server, &client, SEMI_HOSTED_KEY);
        let answer = semi.post_one_click(json!({"phone": phone})).await;
        assert_eq!(
            App::integration_type(&answer),
            "semi-hosted",
            "{phone}: {answer}"
        );
        let uuid = answer["uuid"].as_str().unwrap().to_string();
        let code = answer["code"].as_str().unwrap().to_string();
        let mut entity = semi
            .call(Method::GET, &format!("/1-click/{uuid}?code={code}"), None)
            .await;
        assert_eq!(
            error_code(&entity) == Some("OCE011"),
            needs_birth_date,
            "{phone}: {entity}"
        );
        if needs_birth_date {
            entity = semi
                .call(
                    Method::PATCH,
                    &format!("/1-click/{uuid}"),
                    Some(json!({"birthDate": "1989-08-01"})),
                )
                .await;
        }
        assert!(has(&entity, "credentials"), "{phone}: {entity}");
        check_credentials_as_the_app_reads_them(&entity["credentials"]);
    }
    server.assert_no_violations().await;
}

/// The app's hosted page (hosted.tsx, l.95-133) as the brand's Dashboard redirect URL: the
/// wallet sends the user back there, and the app reads `identityUuid` from its query.
const APP_REDIRECT_URL: &str = "http://localhost:3000/signup/1-click/hosted";

/// issue #23 point 3: the example app pointed at `vouch mock serve` with its own key, whose
/// brand's redirect URL is set on the command line (the app sends no `redirectUrl`, relying on
/// the Dashboard setting). The hosted flow ends on that URL with `identityUuid`, for share and
/// opt-out alike, and the GET the app makes next answers as before.
#[tokio::test]
async fn the_hosted_flow_ends_on_the_redirect_url_set_by_the_flag() {
    let credential =
        format!("verified:example-app,redirect-url:{APP_REDIRECT_URL},brand-name:Slooow=app-key");
    let (server, banner) = Serve::start_with(&[], &["--self-check", "--credential", &credential]);
    let tenant_line = banner
        .iter()
        .find(|l| l.contains("credential app-key"))
        .expect("the banner lists the key");
    assert!(tenant_line.contains(APP_REDIRECT_URL), "{tenant_line}");
    let client = Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap();
    let app = app(&server, &client, "app-key");
    for action in ["share", "opt-out"] {
        // hosted.tsx l.55-61: no redirectUrl.
        let answer = app
            .post_one_click(json!({"phone": PHONE_ONLY_USER,
                            "content": {"title": "Signup", "description": "Signup to Slooow"}}))
            .await;
        assert_eq!(App::integration_type(&answer), "hosted", "{answer}");
        let location = wallet(
            &client,
            answer["url"].as_str().unwrap(),
            answer["code"].as_str().unwrap(),
            action,
        )
        .await;
        let (page, _) = location.split_once('?').expect("a query");
        assert_eq!(page, APP_REDIRECT_URL, "{action}: {location}");
        let identity_uuid = query_value(&location, "identityUuid").expect("identityUuid");
        assert_eq!(identity_uuid, answer["uuid"], "{location}");
        let entity = app
            .call(Method::GET, &format!("/1-click/{identity_uuid}"), None)
            .await;
        assert_eq!(has(&entity, "credentials"), action == "share", "{entity}");
    }
    // A POST that names its own redirectUrl still wins over the setting (§ 1-Click member 6).
    let own = "http://localhost:3000/elsewhere";
    let answer = app
        .post_one_click(json!({"phone": PHONE_ONLY_USER, "redirectUrl": own}))
        .await;
    let location = wallet(
        &client,
        answer["url"].as_str().unwrap(),
        answer["code"].as_str().unwrap(),
        "share",
    )
    .await;
    assert!(location.starts_with(&format!("{own}?")), "{location}");
    server.assert_no_violations().await;
}

/// The same settings through `POST /__admin/tenants` (a URL with a query keeps it and the
/// wallet adds `identityUuid` with `&`); an unknown setting is refused naming `settings`.
#[tokio::test]
async fn the_admin_api_sets_a_brands_redirect_url() {
    let (server, client) = start().await;
    let redirect = "http://localhost:3000/back?from=verified";
    let set = client
        .post(format!("{}/__admin/tenants", server.url))
        .json(
            &json!({"api": "verified", "tenant": "app", "secret": "app-key",
                      "settings": {"redirect-url": redirect, "brand-name": "Slooow"}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 201);
    let app = app(&server, &client, "app-key");
    let answer = app.post_one_click(json!({"phone": PHONE_ONLY_USER})).await;
    let url = answer["url"].as_str().expect("hosted");
    let page: Value = client.get(url).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        page["brand"], "Slooow",
        "the wallet shows the brand's name: {page}"
    );
    let code = answer["code"].as_str().unwrap();
    let location = wallet(&client, url, code, "share").await;
    assert!(
        location.starts_with(&format!("{redirect}&identityUuid=")),
        "{location}"
    );
    let bad = client
        .post(format!("{}/__admin/tenants", server.url))
        .json(&json!({"api": "verified", "tenant": "t", "secret": "s",
                      "settings": {"colour": "red"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let text = bad.text().await.unwrap();
    assert!(
        text.contains("`settings`") && text.contains("colour"),
        "{text}"
    );
    server.assert_no_violations().await;
}

/// The sandbox key's own brand (Hooli) given the app's redirect URL in `vouch.toml`
/// (`[mock.verified.hooli]`): no key typed again, no secret in the file; the hosted flow with
/// the key the banner prints ends there.
#[tokio::test]
async fn vouch_toml_sets_the_sandbox_brands_redirect_url() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("app-config");
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("vouch.toml");
    std::fs::write(
        &config,
        format!("[mock.verified.hooli]\nredirect-url = \"{APP_REDIRECT_URL}\"\n"),
    )
    .unwrap();
    let (server, _) = Serve::start_with(&[], &["--config", config.to_str().unwrap()]);
    let client = Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap();
    let app = app(&server, &client, HOSTED_KEY);
    let answer = app.post_one_click(json!({"phone": PHONE_ONLY_USER})).await;
    let location = wallet(
        &client,
        answer["url"].as_str().expect("hosted"),
        answer["code"].as_str().unwrap(),
        "share",
    )
    .await;
    assert!(
        location.starts_with(&format!("{APP_REDIRECT_URL}?identityUuid=")),
        "{location}"
    );
}
