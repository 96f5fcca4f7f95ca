//! Sending requests. A doc string under a send step is the body: JSON by default, or raw
//! text with a named content type (to send malformed or non-JSON bodies on purpose).

use super::world::VouchWorld;
use cucumber::gherkin::Step;
use cucumber::{given, when};

/// `When I send GET /verification-types?limit=5`, or with a JSON doc string as the body.
#[when(regex = r"^I send ([A-Z]+) (\S+)$")]
async fn send(world: &mut VouchWorld, step: &Step, method: String, path: String) {
    let body = step.docstring.as_ref().map(|d| {
        let text = world.interpolate(d);
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
            panic!("the doc string is not JSON ({e}); to send it as it is, say `with content type \"...\"`");
        }
        ("application/json".to_string(), text.into_bytes())
    });
    world.send(&method, &path, body).await;
}

/// `When I send POST /verification-types with content type "text/plain":` + raw doc string.
/// An empty content type sends no `Content-Type` header.
#[when(regex = r#"^I send ([A-Z]+) (\S+) with content type "([^"]*)"$"#)]
async fn send_raw(
    world: &mut VouchWorld,
    step: &Step,
    method: String,
    path: String,
    content_type: String,
) {
    let text = step
        .docstring
        .as_ref()
        .map(|d| world.interpolate(d))
        .unwrap_or_default();
    world
        .send(&method, &path, Some((content_type, text.into_bytes())))
        .await;
}

/// `When I send POST /verification-types with a JSON body of 2000000 bytes`
#[when(regex = r"^I send ([A-Z]+) (\S+) with a JSON body of (\d+) bytes$")]
async fn send_large(world: &mut VouchWorld, method: String, path: String, size: usize) {
    let padding = "a".repeat(size.saturating_sub(16));
    let body = format!("{{\"padding\": \"{padding}\"}}").into_bytes();
    world
        .send(&method, &path, Some(("application/json".into(), body)))
        .await;
}

/// `When I follow "$.nextUrl"`: a GET to the URL found in the last response, which must lie
/// under the API's base URL.
#[when(regex = r#"^I follow "([^"]+)"$"#)]
async fn follow(world: &mut VouchWorld, path: String) {
    let found = super::response::one(world, &path);
    let url = found
        .as_str()
        .unwrap_or_else(|| panic!("{path} is {found}, not a URL\n{}", world.explain()))
        .to_string();
    let relative = relative_url(world, &url);
    world.send("GET", &relative, None).await;
}

/// A URL found in a response as a path (and query) below the API's base URL, as
/// [`VouchWorld::send`] takes it; a URL elsewhere fails the step.
pub(crate) fn relative_url(world: &VouchWorld, url: &str) -> String {
    let base = world.ctx.target.base_url(&world.api()).unwrap_or_default();
    let relative = crate::contract::relative_to_base(url, &base).unwrap_or_else(|| {
        panic!(
            "{url} is not under the API's base URL {base}\n{}",
            world.explain()
        )
    });
    let query = url
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    format!("{relative}{query}")
}

/// `Given the next response is expected to break the contract`: the automatic contract check
/// records the next response's violations instead of failing; assert them with
/// `Then the response broke the contract with "<rule>" at "<pointer>"`.
#[given(regex = r"^the next response is expected to break the contract$")]
fn expect_violation(world: &mut VouchWorld) {
    world.allow_next_violation = true;
}
