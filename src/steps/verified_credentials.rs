//! Verified credential dates: `issuanceDate` and `expirationDate` are milliseconds since the
//! epoch (verified-api-reference.txt § Issue Credentials), sometimes a string, sometimes a
//! number. A scenario that needs a credential to expire soon computes its expiration from a
//! date the API answered (on the mock, that date reads the mock clock).
//!
//! ```gherkin
//! When I remember "$.credentials[0].issuanceDate" plus 60 seconds as expires_at
//! ```

use super::world::VouchWorld;
use cucumber::when;
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
