//! Steps that drive the mock's admin API: clock, faults, journal, reset. They need a mock
//! target; scenarios using them are tagged `@mock-only` and skipped on a sandbox.

use super::world::VouchWorld;
use crate::exchange::SentRequest;
use cucumber::gherkin::Step;
use cucumber::{given, then, when};
use serde_json::{Value, json};

async fn admin(world: &VouchWorld, method: http::Method, path: &str, body: Option<Value>) -> Value {
    let root = world.ctx.target.admin_url().unwrap_or_else(|| {
        panic!("this step needs the mock's admin API: tag the scenario @mock-only")
    });
    let request = SentRequest {
        method,
        url: format!("{root}{path}"),
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.map(|b| b.to_string().into_bytes()).unwrap_or_default(),
    };
    let exchange = world
        .ctx
        .target
        .client()
        .send(&request)
        .await
        .unwrap_or_else(|e| panic!("admin API {path}: {e}"));
    let text = String::from_utf8_lossy(&exchange.body).into_owned();
    if !(200..300).contains(&exchange.status) {
        panic!("admin API {path} answered {}: {text}", exchange.status);
    }
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// `When the mock clock advances 301 seconds`
#[when(regex = r"^the mock clock advances (\d+) seconds?$")]
async fn advance(world: &mut VouchWorld, seconds: u64) {
    admin(
        world,
        http::Method::POST,
        "/clock/advance",
        Some(json!({"seconds": seconds})),
    )
    .await;
}

/// `Given the mock injects the fault:` + a JSON doc string (`api` defaults to the chosen API).
#[given(regex = r"^the mock injects the fault:$")]
async fn fault(world: &mut VouchWorld, step: &Step) {
    let text = world.interpolate(
        step.docstring
            .as_deref()
            .unwrap_or_else(|| panic!("the fault goes in a doc string")),
    );
    let mut spec: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("the fault is not JSON: {e}"));
    if spec.get("api").is_none() {
        spec["api"] = json!(world.api());
    }
    admin(world, http::Method::POST, "/faults", Some(spec)).await;
}

/// `Given the mock has no faults`
#[given(regex = r"^the mock has no faults$")]
async fn no_faults(world: &mut VouchWorld) {
    admin(world, http::Method::DELETE, "/faults", None).await;
}

/// `Given the mock is reset`
#[given(regex = r"^the mock is reset$")]
async fn reset(world: &mut VouchWorld) {
    admin(world, http::Method::POST, "/reset", None).await;
}

/// The journal's entries for the chosen API.
async fn journal(world: &VouchWorld) -> Vec<Value> {
    let api = world.api();
    let found = admin(
        world,
        http::Method::GET,
        &format!("/requests?api={api}"),
        None,
    )
    .await;
    found["requests"].as_array().cloned().unwrap_or_default()
}

/// `Then the mock journal's last request is GET /peach/verification-types with status 200`
#[then(regex = r"^the mock journal's last request is ([A-Z]+) (\S+) with status (\d{3})$")]
async fn last_journal_entry(world: &mut VouchWorld, method: String, path: String, status: u16) {
    let entries = journal(world).await;
    let last = entries
        .last()
        .unwrap_or_else(|| panic!("the mock journal is empty"));
    let path = world.interpolate(&path);
    let expected = json!({"method": method, "path": path, "status": status});
    for key in ["method", "path", "status"] {
        if last[key] != expected[key] {
            panic!("the journal's last request is {last}, expected {expected}");
        }
    }
}

/// `Then the mock journal holds no credential`: neither tenant's secret appears in it.
#[then(regex = r"^the mock journal holds no credential$")]
async fn journal_has_no_secret(world: &mut VouchWorld) {
    let api = world.api();
    let text = Value::Array(journal(world).await).to_string();
    for which in [
        crate::targets::Which::Default,
        crate::targets::Which::Second,
    ] {
        if let Ok(secret) = world.ctx.target.credential(&api, which)
            && text.contains(&secret.value)
        {
            panic!("the mock journal contains a credential ({})", secret.hint);
        }
    }
}
