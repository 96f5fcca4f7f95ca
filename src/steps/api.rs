//! Choosing the API, the credential and extra headers.

use super::world::{CredentialChoice, VouchWorld};
use crate::targets::Which;
use cucumber::given;

/// `Given the peach API`
#[given(regex = r"^the (\w+) API$")]
fn the_api(world: &mut VouchWorld, api: String) {
    if let Err(e) = world.ctx.contracts.get(&api) {
        panic!("{e}");
    }
    world.api = Some(api);
}

/// `Given I use the default credentials` / `Given I use the second tenant's credentials`
#[given(regex = r"^I use the (default|second tenant's) credentials$")]
fn credentials(world: &mut VouchWorld, which: String) {
    world.credential = CredentialChoice::Tenant(if which == "default" {
        Which::Default
    } else {
        Which::Second
    });
}

/// `Given I use the default credentials in the "X-API-KEY" header`: the tenant's credential,
/// as it is, in a header the API also accepts (instead of its usual one), so a scenario can
/// prove the alternative works on any target without naming a secret.
#[given(regex = r#"^I use the (default|second tenant's) credentials in the "([^"]+)" header$"#)]
fn credentials_in_header(world: &mut VouchWorld, which: String, header: String) {
    let which = if which == "default" {
        Which::Default
    } else {
        Which::Second
    };
    world.credential = CredentialChoice::InHeader(which, header);
}

/// `Given I use the "semi-hosted" tenant's credentials`: a tenant with that capability flag
/// (on the mock, the seeded one; on a sandbox, `VOUCH_<API>_SEMI_HOSTED_API_KEY`). Tag the
/// scenario `@semi-hosted` so a sandbox without that credential skips it.
#[given(regex = r#"^I use the "([^"]+)" tenant's credentials$"#)]
fn flagged_credentials(world: &mut VouchWorld, flag: String) {
    world.credential = CredentialChoice::Flagged(flag);
}

/// `Given I use no credentials`
#[given(regex = r"^I use no credentials$")]
fn no_credentials(world: &mut VouchWorld) {
    world.credential = CredentialChoice::None;
}

/// `Given I use the credential "not-a-key"` (sent where the API expects its credential)
#[given(regex = r#"^I use the credential "(.*)"$"#)]
fn literal_credential(world: &mut VouchWorld, value: String) {
    world.credential = CredentialChoice::Literal(value);
}

/// `Given the request header "Accept" is "text/html"` (for every following request)
#[given(regex = r#"^the request header "([^"]+)" is "(.*)"$"#)]
fn request_header(world: &mut VouchWorld, name: String, value: String) {
    world
        .headers
        .retain(|(k, _)| !k.eq_ignore_ascii_case(&name));
    world.headers.push((name, value));
}
