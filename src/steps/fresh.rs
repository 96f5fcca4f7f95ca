//! Fresh values, so a scenario creates its own data and can run again, and alongside other
//! scenarios, against a target that is never reset (a vendor sandbox): `{uuid}` is new on
//! every use, a fresh id is new once per scenario and then remembered like any `{name}`.
//!
//! ```gherkin
//! Given a fresh id as borrower        # then ext-{borrower}, issued-{borrower}@example.com, ...
//! ```

use super::world::VouchWorld;
use cucumber::{given, when};

/// `Given a fresh id as borrower`: a random UUID (v4), remembered as `{borrower}` for the rest
/// of the scenario. UUIDs, because they are unique without coordination and every report and
/// snapshot already masks them.
#[given(regex = r"^a fresh id as (\w+)$")]
#[when(regex = r"^a fresh id as (\w+)$")]
fn fresh_id(world: &mut VouchWorld, name: String) {
    if matches!(name.as_str(), "uuid" | "run_id") {
        panic!("`{name}` is a built-in value; remember the fresh id under another name");
    }
    world.vars.insert(name, uuid::Uuid::new_v4().to_string());
}
