//! The auth tokens the mock always accepts ([truework-session] § Authentication:
//! "Bearer authentication of the form Bearer `<token>`"). Each token is its own Truework account
//! (a tenant). Besides the two ordinary test tokens, three are seeded so that the
//! token-dependent statuses of § Errors can be reached: a reseller token (the
//! `reseller_originating_party` rule of § Request), a token without permission (403) and a
//! rate-limited token (429). Listed in features/truework/README.md.

use super::super::api::{Credential, Tenant};

/// The default test token.
pub const TEST_TOKEN: &str = "vouch-test-token";
/// A second account's token, for isolation tests.
pub const SECOND_TOKEN: &str = "vouch-second-token";
/// A reseller's token: `reseller_originating_party` is required with it.
pub const RESELLER_TOKEN: &str = "vouch-reseller-token";
/// A valid token whose account may not create credentials sessions: 403.
pub const NO_PERMISSION_TOKEN: &str = "vouch-no-permission-token";
/// A token limited to one request a minute: its second request within 60 s gets 429.
pub const RATE_LIMITED_TOKEN: &str = "vouch-rate-limited-token";

/// Tenant flag: requests are reseller requests.
pub(super) const RESELLER: &str = "reseller";
/// Tenant flag: the token may not create credentials sessions.
pub(super) const NO_PERMISSION: &str = "no-permission";
/// Tenant flag: the token has the small per-token rate limit.
pub(super) const RATE_LIMITED: &str = "rate-limited";

/// `(token, account, flags)`, the default token first and the second tenant second (the order
/// [`super::super::MockApi::default_credentials`] promises).
const SEEDED: &[(&str, &str, &[&str])] = &[
    (TEST_TOKEN, "vouch-test-account", &[]),
    (SECOND_TOKEN, "vouch-second-account", &[]),
    (RESELLER_TOKEN, "vouch-reseller-account", &[RESELLER]),
    (
        NO_PERMISSION_TOKEN,
        "vouch-no-permission-account",
        &[NO_PERMISSION],
    ),
    (
        RATE_LIMITED_TOKEN,
        "vouch-rate-limited-account",
        &[RATE_LIMITED],
    ),
];

pub(super) fn seeded() -> Vec<Credential> {
    SEEDED
        .iter()
        .map(|(secret, account, flags)| Credential {
            secret: (*secret).to_string(),
            tenant: flags
                .iter()
                .fold(Tenant::new(account), |t, flag| t.with_flag(flag)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_and_second_tokens_come_first() {
        let tokens = seeded();
        assert_eq!(tokens[0].secret, TEST_TOKEN);
        assert_eq!(tokens[1].secret, SECOND_TOKEN);
        assert!(tokens[0].tenant.flags.is_empty());
        assert!(tokens[2].tenant.has(RESELLER));
        assert!(tokens[3].tenant.has(NO_PERMISSION));
        assert!(tokens[4].tenant.has(RATE_LIMITED));
    }
}
