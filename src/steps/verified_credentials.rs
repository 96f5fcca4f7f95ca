//! Verified credential dates: `issuanceDate` and `expirationDate` are milliseconds since the
//! epoch ([verified-api-ref] § Issue Credentials), sometimes a string, sometimes a
//! number. A scenario that needs a credential to expire soon computes its expiration from a
//! date the API answered (on the mock, that date reads the mock clock).
//!
//! ```gherkin
//! When I remember "$.credentials[0].issuanceDate" plus 60 seconds as expires_at
//! ```
//!
//! And cleaning up: a scenario that issues credentials revokes them when it is done, so a
//! sandbox that is never reset keeps no usable credential of it (revoked credentials are never
//! matched, shared or returned by 1-Click).
//!
//! ```gherkin
//! Then the brand revokes what it issued to "all-{user}@example.com"
//! ```

use super::world::VouchWorld;
use cucumber::{then, when};
use serde_json::Value;

/// `When I remember "$.credentials[0].issuanceDate" plus 60 seconds as expires_at`
#[when(regex = r#"^I remember "([^"]+)" plus (\d+) seconds as (\w+)$"#)]
fn remember_later(world: &mut VouchWorld, path: String, seconds: i64, name: String) {
    let found = super::response::one(world, &path);
    let millis = match &found {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse::<i64>().ok(),
        _ => None,
    }
    .unwrap_or_else(|| {
        panic!(
            "{path} is {found}, not milliseconds since the epoch\n{}",
            world.explain()
        )
    });
    let later = millis.saturating_add(seconds.saturating_mul(1000));
    world.vars.insert(name, later.to_string());
}

/// `Then the brand revokes what it issued to "all-{user}@example.com"`: `PATCH
/// /userCredentials/{userIdentifier}` with `{"status": "revoked"}` under the current
/// credentials ([verified-api-ref] § Patch All User Credentials: every credential "by
/// your brand"); fails unless the answer is 200 with every credential revoked. A phone's `+`
/// is sent as `%2B`.
#[when(regex = r#"^the brand revokes what it issued to "([^"]+)"$"#)]
#[then(regex = r#"^the brand revokes what it issued to "([^"]+)"$"#)]
async fn revoke_all(world: &mut VouchWorld, identifier: String) {
    let identifier = world.interpolate(&identifier).replace('+', "%2B");
    let body = br#"{"status": "revoked"}"#.to_vec();
    world
        .send(
            "PATCH",
            &format!("/userCredentials/{identifier}"),
            Some(("application/json".into(), body)),
        )
        .await;
    let (exchange, _, _) = world.exchange();
    if exchange.status != 200 {
        panic!(
            "revoking what the brand issued answered {}\n{}",
            exchange.status,
            world.explain()
        );
    }
    let statuses = super::response::select(world, "$.credentials[*].status");
    if statuses.is_empty() || statuses.iter().any(|s| s != "revoked") {
        panic!(
            "expected every credential revoked, got statuses {statuses:?}\n{}",
            world.explain()
        );
    }
}
