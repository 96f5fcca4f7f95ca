//! The person being verified in a Trusona verification, acting on the mock's own subject pages
//! at `linkUrl` (contracts/NOTES.md § Trusona › Mock behaviour): open the link, scan the
//! document. These pages are the mock's, not Trusona's, so scenarios using these steps are
//! `@mock-only`. Each answer becomes the last response, for the generic assertions.
//!
//! ```gherkin
//! Given the subject uses the browser "Mozilla/5.0 (iPhone ...) Safari/604.1" from 203.0.113.7
//! When the subject opens the link "{link}"
//! When the subject opens the link "{link}" reporting "offsetMinutes=-420&platform=iPhone"
//! When the subject scans the document:            # the scan result as a JSON doc string
//! When the subject scans the document at "{link}":
//! ```

use super::world::VouchWorld;
use crate::exchange::SentRequest;
use cucumber::gherkin::Step;
use cucumber::{given, when};

/// The browser the subject uses unless a scenario says otherwise: Safari on an iPhone, from a
/// documentation address the mock geolocates (San Francisco).
const DEFAULT_USER_AGENT: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
const DEFAULT_IP: &str = "203.0.113.7";

const UA_VAR: &str = "subject_user_agent";
const IP_VAR: &str = "subject_ip";
const LINK_VAR: &str = "subject_link";

/// Sends a request as the subject's browser and makes its answer the last response.
async fn as_subject(
    world: &mut VouchWorld,
    method: http::Method,
    url: String,
    body: Option<String>,
) {
    let mut headers = vec![
        (
            "user-agent".to_string(),
            world
                .vars
                .get(UA_VAR)
                .cloned()
                .unwrap_or_else(|| DEFAULT_USER_AGENT.into()),
        ),
        (
            "x-forwarded-for".to_string(),
            world
                .vars
                .get(IP_VAR)
                .cloned()
                .unwrap_or_else(|| DEFAULT_IP.into()),
        ),
        ("accept-language".to_string(), "en-US,en;q=0.9".to_string()),
    ];
    if body.is_some() {
        headers.push(("content-type".into(), "application/json".into()));
    }
    let request = SentRequest {
        method,
        url,
        headers,
        body: body.map(String::into_bytes).unwrap_or_default(),
    };
    world.send_page(request).await;
}

/// `Given the subject uses the browser "Mozilla/5.0 (X11; Linux x86_64)" from 198.51.100.23`:
/// the following subject steps send this `User-Agent` and this address (as `X-Forwarded-For`).
#[given(regex = r#"^the subject uses the browser "([^"]*)" from (\S+)$"#)]
fn browser(world: &mut VouchWorld, user_agent: String, ip: String) {
    world.vars.insert(UA_VAR.into(), user_agent);
    world.vars.insert(IP_VAR.into(), ip);
}

/// `When the subject opens the link "{link}"` (a URL, usually a remembered `$.linkUrl`),
/// optionally `reporting "offsetMinutes=-420&browserTimeZone=America/Los_Angeles"`: what the
/// page's script would report about the browser, as query parameters.
#[when(regex = r#"^the subject opens the link "([^"]+)"(?: reporting "([^"]*)")?$"#)]
async fn open(world: &mut VouchWorld, link: String, report: String) {
    let link = world.interpolate(&link);
    world.vars.insert(LINK_VAR.into(), link.clone());
    let report = world.interpolate(&report);
    let url = if report.is_empty() {
        link
    } else {
        format!("{link}?{report}")
    };
    as_subject(world, http::Method::GET, url, None).await;
}

/// `When the subject scans the document:` + the scan result as a JSON doc string, on the link
/// the subject opened last (or `at "{link}"` without opening it first).
#[when(regex = r#"^the subject scans the document(?: at "([^"]+)")?:$"#)]
async fn scan(world: &mut VouchWorld, step: &Step, link: String) {
    let link = if link.is_empty() {
        world.vars.get(LINK_VAR).cloned().unwrap_or_else(|| {
            panic!("the subject has not opened a link: say `at \"{{link}}\"` or open it first")
        })
    } else {
        world.interpolate(&link)
    };
    let body = world.interpolate(
        step.docstring
            .as_deref()
            .unwrap_or_else(|| panic!("the scan result goes in a doc string")),
    );
    as_subject(
        world,
        http::Method::POST,
        format!("{link}/scan"),
        Some(body),
    )
    .await;
}
