//! The user's side of Verified's hosted flows: what a person does in the Verified Web Wallet
//! after a brand sends them to the `url` of a 1-Click or a /hasMatchingCredentials answer.
//! The wallet is vouch's mock's own pages (`/verified/wallet/...`), so scenarios using these
//! steps are `@mock-only`. The steps send no API key (the user is not the brand) and leave
//! each answer in `world.last`, so the generic assertions (`the response status is 400`,
//! `"$.data.errorCode" is "OCE008"`) read it.
//!
//! ```gherkin
//! When the user opens the wallet link "$.url"
//! When the user opens the wallet link "$.url" with redirectUrl "https://hooli.example/welcome"
//! When the user enters the verification code "111111"
//! When the user continues without a verification code
//! When the user shares the credentials
//! When the user shares the credentials giving the birth date "1989-08-01"   # /v2, if needed
//! When the user shares the credentials leaving out "ssn"
//! When the user shares the credentials with these changes:   # doc string: {"ssn": "..."}
//! When the user opts out
//! Then the user is sent back to "https://hooli.example/welcome" with a 1ClickUuid
//! Then the user is sent back to "https://hooli.example/welcome" with an identityUuid   # /v2
//! Then the user is sent back to "https://hooli.example/welcome" with a sharedCredentialsUuid
//! ```
//!
//! The last three remember the uuid as `{one_click_uuid}`, `{identity_uuid}` or
//! `{shared_credentials_uuid}`; the code step takes `{name}`s (`"{code}"`).

use super::world::VouchWorld;
use crate::exchange::SentRequest;
use cucumber::gherkin::Step;
use cucumber::{then, when};
use serde_json::{Value, json};

/// Where the wallet page the user has open is remembered (also usable as `{wallet_url}`).
const WALLET_URL: &str = "wallet_url";

/// Sends one of the user's actions to the open wallet page and keeps the answer in
/// `world.last`. `action` is appended to the page's path (its query string kept).
async fn wallet(world: &mut VouchWorld, method: http::Method, action: Option<&str>, body: Value) {
    let url = world.vars.get(WALLET_URL).cloned().unwrap_or_else(|| {
        panic!("no wallet page is open: start with `When the user opens the wallet link \"$.url\"`")
    });
    let url = match action {
        None => url,
        Some(action) => match url.split_once('?') {
            Some((path, query)) => format!("{path}/{action}?{query}"),
            None => format!("{url}/{action}"),
        },
    };
    let (headers, body) = if method == http::Method::GET {
        (Vec::new(), Vec::new())
    } else {
        (
            vec![("content-type".to_string(), "application/json".to_string())],
            body.to_string().into_bytes(),
        )
    };
    let request = SentRequest {
        method,
        url,
        headers,
        body,
    };
    world.send_page(request).await;
}

async fn open(world: &mut VouchWorld, path: &str, redirect: Option<&str>) {
    let found = super::response::one(world, path);
    let mut url = found
        .as_str()
        .unwrap_or_else(|| panic!("{path} is {found}, not a URL\n{}", world.explain()))
        .to_string();
    let base = world.ctx.target.base_url(&world.api()).unwrap_or_default();
    if crate::contract::relative_to_base(&url, &base).is_none() {
        panic!(
            "{url} is not a page of the mock's wallet (under {base})\n{}",
            world.explain()
        );
    }
    if let Some(redirect) = redirect {
        let encoded: String =
            percent_encoding::utf8_percent_encode(redirect, percent_encoding::NON_ALPHANUMERIC)
                .collect();
        let separator = if url.contains('?') { '&' } else { '?' };
        url = format!("{url}{separator}redirectUrl={encoded}");
    }
    world.vars.insert(WALLET_URL.into(), url);
    wallet(world, http::Method::GET, None, Value::Null).await;
}

/// `When the user opens the wallet link "$.url"`: the url found in the last response.
#[when(regex = r#"^the user opens the wallet link "([^"]+)"$"#)]
async fn opens(world: &mut VouchWorld, path: String) {
    open(world, &path, None).await;
}

/// `When the user opens the wallet link "$.url" with redirectUrl "https://..."`: the url
/// "enriched with a redirectUrl query param" ([verified-api-ref] § 1-Click).
#[when(regex = r#"^the user opens the wallet link "([^"]+)" with redirectUrl "([^"]+)"$"#)]
async fn opens_with_redirect(world: &mut VouchWorld, path: String, redirect: String) {
    let redirect = world.interpolate(&redirect);
    open(world, &path, Some(&redirect)).await;
}

/// `When the user enters the verification code "111111"`
#[when(regex = r#"^the user enters the verification code "([^"]*)"$"#)]
async fn enters_code(world: &mut VouchWorld, code: String) {
    let code = world.interpolate(&code);
    wallet(
        world,
        http::Method::POST,
        Some("code"),
        json!({"code": code}),
    )
    .await;
}

/// `When the user continues without a verification code`
#[when(regex = r"^the user continues without a verification code$")]
async fn no_code(world: &mut VouchWorld) {
    wallet(world, http::Method::POST, Some("code"), json!({})).await;
}

/// `When the user shares the credentials`
#[when(regex = r"^the user shares the credentials$")]
async fn shares(world: &mut VouchWorld) {
    wallet(world, http::Method::POST, Some("share"), json!({})).await;
}

/// `When the user shares the credentials giving the birth date "1989-08-01"`: the wallet's
/// birth-date step of /v2 Hosted, for a user the phone alone does not identify.
#[when(regex = r#"^the user shares the credentials giving the birth date "([^"]*)"$"#)]
async fn shares_with_birth_date(world: &mut VouchWorld, date: String) {
    wallet(
        world,
        http::Method::POST,
        Some("share"),
        json!({"birthDate": date}),
    )
    .await;
}

/// `When the user shares the credentials leaving out "ssn"` (or `"ssn", "phone"`): the keys
/// of the credentials the user unticks.
#[when(regex = r#"^the user shares the credentials leaving out ((?:"[^"]+"(?:, )?)+)$"#)]
async fn shares_leaving_out(world: &mut VouchWorld, keys: String) {
    let keys: Vec<&str> = keys
        .split('"')
        .map(str::trim)
        .filter(|k| !k.is_empty() && *k != ",")
        .collect();
    wallet(
        world,
        http::Method::POST,
        Some("share"),
        json!({"leaveOut": keys}),
    )
    .await;
}

/// `When the user shares the credentials with these changes:` + a JSON doc string in the
/// simplified credentials format, e.g. `{"fullName": {"firstName": "Dick"}}`.
#[when(regex = r"^the user shares the credentials with these changes:$")]
async fn shares_with_changes(world: &mut VouchWorld, step: &Step) {
    let text = world.interpolate(
        step.docstring
            .as_deref()
            .unwrap_or_else(|| panic!("the changes go in a JSON doc string")),
    );
    let edits: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("the changes are not JSON ({e})"));
    wallet(
        world,
        http::Method::POST,
        Some("share"),
        json!({"edits": edits}),
    )
    .await;
}

/// `When the user opts out`
#[when(regex = r"^the user opts out$")]
async fn opts_out(world: &mut VouchWorld) {
    wallet(world, http::Method::POST, Some("opt-out"), json!({})).await;
}

/// `Then the user is sent back to "https://hooli.example/welcome" with a 1ClickUuid`: a 302
/// whose Location is that url with the uuid as a query parameter; remembered as
/// `{one_click_uuid}` (or `{shared_credentials_uuid}` for a sharedCredentialsUuid).
#[when(
    regex = r#"^the user is sent back to "([^"]+)" with an? (1ClickUuid|identityUuid|sharedCredentialsUuid)$"#
)]
#[then(
    regex = r#"^the user is sent back to "([^"]+)" with an? (1ClickUuid|identityUuid|sharedCredentialsUuid)$"#
)]
fn sent_back(world: &mut VouchWorld, target: String, parameter: String) {
    let target = world.interpolate(&target);
    let (exchange, _, _) = world.exchange();
    if exchange.status != 302 {
        panic!(
            "expected a 302 redirect, got {}\n{}",
            exchange.status,
            world.explain()
        );
    }
    let location = exchange
        .headers
        .get(http::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let (base, query) = location.split_once('?').unwrap_or((&location, ""));
    let target_base = target.split_once('?').map_or(target.as_str(), |(b, _)| b);
    if base != target_base {
        panic!(
            "the user is sent to {location:?}, expected {target:?}\n{}",
            world.explain()
        );
    }
    let query = crate::contract::path::parse_query(Some(query));
    let uuid = query.get(&parameter).cloned().unwrap_or_else(|| {
        panic!(
            "the redirect {location:?} carries no {parameter}\n{}",
            world.explain()
        )
    });
    if uuid::Uuid::parse_str(&uuid).is_err() {
        panic!("the {parameter} {uuid:?} is not a uuid");
    }
    let name = match parameter.as_str() {
        "1ClickUuid" => "one_click_uuid",
        "identityUuid" => "identity_uuid",
        _ => "shared_credentials_uuid",
    };
    world.vars.insert(name.into(), uuid);
}
