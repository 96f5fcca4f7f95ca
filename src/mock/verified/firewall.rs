//! The firewall in front of Verified's API (SUPPLEMENT.md § Verified Inc. > Error codes:
//! "Requests blocked by the firewall get a different body, `{"error": "...", "message":
//! "..."}`, with 403, 418 (key used from a browser) or 429").
//!
//! The docs give neither the firewall's rules nor its messages; vouch's choices
//! (contracts/NOTES.md § Verified Inc. > Mock behaviour, The firewall):
//! - a key whose brand is blocked (the seeded [`BLOCKED_API_KEY`]) gets 403 on every request;
//! - a request carrying an `Origin` header was sent by a browser (browsers send `Origin` on
//!   cross-origin requests and on every non-GET request; server-side clients do not): 418;
//! - a rate-limited key (the seeded [`RATE_LIMITED_API_KEY`]) has no requests left: 429 with
//!   `Retry-After`.
//!
//! The key's standing is judged first (blocked), then how it is used (from a browser), then
//! how often (rate limit). The firewall sees only known keys: an unknown key is 401 first.

use super::super::api::{Credential, MockResponse, Tenant};
use http::HeaderMap;
use serde_json::json;

/// A brand the firewall blocks: every request with this key is 403 `FirewallError`.
pub const BLOCKED_API_KEY: &str = "vouch-verified-blocked-key";
/// A brand over the firewall's rate limit: every request with this key is 429
/// `FirewallError` with `Retry-After`.
pub const RATE_LIMITED_API_KEY: &str = "vouch-verified-rate-limited-key";

/// Tenant flag: the firewall blocks the brand's key.
const BLOCKED: &str = "firewall-blocked";
/// Tenant flag: the brand's key is over the firewall's rate limit.
const RATE_LIMITED: &str = "firewall-rate-limited";

/// Seconds the rate-limited key is told to wait (vouch's choice; the docs give no window).
const RETRY_AFTER_SECONDS: u32 = 60;

/// The seeded keys only the firewall answers, each its own brand.
pub(super) fn seeded_credentials() -> Vec<Credential> {
    vec![
        Credential {
            secret: BLOCKED_API_KEY.into(),
            tenant: Tenant::new("firewall-blocked-brand").with_flag(BLOCKED),
        },
        Credential {
            secret: RATE_LIMITED_API_KEY.into(),
            tenant: Tenant::new("firewall-rate-limited-brand").with_flag(RATE_LIMITED),
        },
    ]
}

/// The firewall's answer to a request, or `None` to let it through to the API.
pub(super) fn screen(headers: &HeaderMap, tenant: &Tenant) -> Option<MockResponse> {
    if tenant.has(BLOCKED) {
        return Some(blocked(403, "Forbidden", "This API key is blocked."));
    }
    if headers.contains_key(http::header::ORIGIN) {
        return Some(blocked(
            418,
            "I'm a teapot",
            "API keys must not be used from a browser.",
        ));
    }
    if tenant.has(RATE_LIMITED) {
        return Some(
            blocked(
                429,
                "Too Many Requests",
                "Rate limit exceeded; try again later.",
            )
            .header("retry-after", &RETRY_AFTER_SECONDS.to_string()),
        );
    }
    None
}

/// A `FirewallError` body (`{error, message}`), not Verified's Feathers error.
fn blocked(status: u16, error: &str, message: &str) -> MockResponse {
    MockResponse::json(status, json!({ "error": error, "message": message }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant(secret: &str) -> Tenant {
        seeded_credentials()
            .into_iter()
            .find(|c| c.secret == secret)
            .map(|c| c.tenant)
            .unwrap()
    }

    #[test]
    fn an_ordinary_key_from_a_server_passes() {
        assert!(screen(&HeaderMap::new(), &Tenant::new("hooli")).is_none());
    }

    #[test]
    fn each_rule_answers_its_status_in_the_firewall_shape() {
        let mut browser = HeaderMap::new();
        browser.insert(http::header::ORIGIN, "https://app.example".parse().unwrap());
        let cases = [
            (HeaderMap::new(), tenant(BLOCKED_API_KEY), 403),
            (browser.clone(), tenant(BLOCKED_API_KEY), 403),
            (browser.clone(), Tenant::new("hooli"), 418),
            (browser, tenant(RATE_LIMITED_API_KEY), 418),
            (HeaderMap::new(), tenant(RATE_LIMITED_API_KEY), 429),
        ];
        for (headers, tenant, status) in cases {
            let r = screen(&headers, &tenant).unwrap();
            assert_eq!(r.status.as_u16(), status, "{tenant:?}");
            let body = r.body.unwrap();
            assert!(body["error"].is_string() && body["message"].is_string());
            assert_eq!(r.headers.contains_key("retry-after"), status == 429);
        }
    }
}
