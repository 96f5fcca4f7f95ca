//! Peach verification types: creating several at once, and walking their cursor-paginated
//! list ([peach-verification-types] § Get verification types) the way a client does,
//! by following `nextUrl` or `previousUrl` until it is null.
//!
//! A walk records the ids it saw, in list order, and the size of each page, for
//! `Then the walk saw "..."` and `Then the pages held ...`. Every page is sent through
//! [`VouchWorld::send`], so each is checked against the contract, and the last page stays the
//! last response for the generic assertions.

use super::response::one;
use super::world::VouchWorld;
use cucumber::{given, then, when};
use serde_json::Value;

/// Where a walk keeps what it saw (in `world.vars`, so a failure's explanation lists it).
const WALK_IDS: &str = "walk_ids";
const WALK_PAGES: &str = "walk_pages";

fn status(world: &VouchWorld) -> u16 {
    world.exchange().0.status
}

/// `Given 7 verification types were created, remembered as vt_1 to vt_7`
#[given(
    regex = r"^(\d+) verification types? (?:was|were) created, remembered as (\w+)_1 to (\w+)_(\d+)$"
)]
async fn create_many(world: &mut VouchWorld, n: usize, prefix: String, again: String, last: usize) {
    if prefix != again || last != n {
        panic!("say `remembered as {prefix}_1 to {prefix}_{n}`");
    }
    for i in 1..=n {
        world
            .send(
                "POST",
                "/verification-types",
                Some(("application/json".into(), b"{}".to_vec())),
            )
            .await;
        if status(world) != 200 {
            panic!(
                "creating verification type {i} of {n} answered {}\n{}",
                status(world),
                world.explain()
            );
        }
        let id = one(world, "$.data.id");
        let id = id.as_str().unwrap_or_default().to_string();
        world.vars.insert(format!("{prefix}_{i}"), id);
    }
}

/// Checks one page of the walk and returns its ids.
fn page_ids(world: &VouchWorld, limit: usize, total: &mut Option<u64>) -> Vec<String> {
    if status(world) != 200 {
        panic!(
            "a page of the walk answered {}\n{}",
            status(world),
            world.explain()
        );
    }
    let body = world.json();
    let data = body["data"].as_array().cloned().unwrap_or_default();
    if body["count"].as_u64() != Some(data.len() as u64) {
        panic!(
            "count is {}, but the page holds {} items\n{}",
            body["count"],
            data.len(),
            world.explain()
        );
    }
    if data.len() > limit {
        panic!(
            "the page holds {} items, more than limit={limit}\n{}",
            data.len(),
            world.explain()
        );
    }
    if let Some(page_total) = body["total"].as_u64() {
        if total.is_some_and(|t| t != page_total) {
            panic!(
                "total changed during the walk ({} then {page_total})\n{}",
                total.unwrap_or_default(),
                world.explain()
            );
        }
        *total = Some(page_total);
    }
    data.iter()
        .map(|v| v["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The URL at `member` of the last page, or `None` at the end of the walk.
fn link(world: &VouchWorld, member: &str) -> Option<String> {
    match world.json().get(member) {
        None | Some(Value::Null) => None,
        Some(Value::String(url)) if url.is_empty() => None,
        Some(Value::String(url)) => Some(url.clone()),
        Some(other) => panic!("{member} is {other}, not a URL\n{}", world.explain()),
    }
}

async fn go(world: &mut VouchWorld, url: &str) {
    let relative = super::http::relative_url(world, url);
    world.send("GET", &relative, None).await;
}

/// `When I page forwards through the verification types, 3 at a time` (from the first page,
/// following `nextUrl`), or `backwards` (from the last page, reached by following `nextUrl`,
/// then following `previousUrl`).
#[when(regex = r"^I page (forwards|backwards) through the verification types, (\d+) at a time$")]
async fn walk(world: &mut VouchWorld, direction: String, limit: usize) {
    world
        .send("GET", &format!("/verification-types?limit={limit}"), None)
        .await;
    let mut total = None;
    let mut pages: Vec<Vec<String>> = Vec::new();
    let forwards = direction == "forwards";
    if !forwards {
        // To the last page first; a walk backwards starts there.
        let mut hops = 0;
        while let Some(next) = link(world, "nextUrl") {
            page_ids(world, limit, &mut total);
            hops += 1;
            if hops > 1000 {
                panic!("nextUrl never ends\n{}", world.explain());
            }
            go(world, &next).await;
        }
    }
    let member = if forwards { "nextUrl" } else { "previousUrl" };
    loop {
        pages.push(page_ids(world, limit, &mut total));
        // Each page holds at least one item until the list ends, so a walk longer than
        // `total` pages (plus the first) never ends.
        if pages.len() as u64 > total.unwrap_or(0) + 1 {
            panic!(
                "the walk {direction} does not end after {} pages\n{}",
                pages.len(),
                world.explain()
            );
        }
        match link(world, member) {
            Some(url) => go(world, &url).await,
            None => break,
        }
    }
    if !forwards {
        pages.reverse();
    }
    let sizes: Vec<String> = pages.iter().map(|p| p.len().to_string()).collect();
    let ids: Vec<String> = pages.into_iter().flatten().collect();
    world.vars.insert(WALK_IDS.into(), ids.join(", "));
    world.vars.insert(WALK_PAGES.into(), sizes.join(", "));
}

fn walked(world: &VouchWorld, key: &str) -> String {
    world
        .vars
        .get(key)
        .cloned()
        .unwrap_or_else(|| panic!("no walk yet: `When I page forwards through ...` first"))
}

/// `Then the walk saw "VT-7RKX-OKQZ, {vt_1}, {vt_2}"`: exactly these ids, in list order (so
/// a gap, a repeat or a wrong order fails).
#[then(regex = r#"^the walk saw "(.*)"$"#)]
fn walk_saw(world: &mut VouchWorld, expected: String) {
    let expected: Vec<String> = world
        .interpolate(&expected)
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let seen_text = walked(world, WALK_IDS);
    let seen: Vec<String> = seen_text
        .split(", ")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if seen != expected {
        let missing: Vec<&String> = expected.iter().filter(|e| !seen.contains(e)).collect();
        let repeated: Vec<&String> = seen
            .iter()
            .enumerate()
            .filter(|(i, s)| seen[..*i].contains(s))
            .map(|(_, s)| s)
            .collect();
        panic!(
            "the walk saw [{seen_text}]\nexpected    [{}]\nmissing: {missing:?}, repeated: {repeated:?}\n{}",
            expected.join(", "),
            world.explain()
        );
    }
}

/// `Then the pages held 3, 3, 2 verification types` (in list order).
#[then(regex = r"^the pages held ([\d, ]+) verification types?$")]
fn pages_held(world: &mut VouchWorld, expected: String) {
    let expected: Vec<&str> = expected
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let seen = walked(world, WALK_PAGES);
    if seen.split(", ").collect::<Vec<_>>() != expected {
        panic!(
            "the pages held [{seen}], expected [{}]\n{}",
            expected.join(", "),
            world.explain()
        );
    }
}
