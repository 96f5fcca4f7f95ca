//! What the Verified mock forgets, and when (bounded state, `src/mock/retention.rs`).
//!
//! | entity | finished (may make room) | forgotten |
//! | --- | --- | --- |
//! | 1-Click or matching request, unanswered | 5 min after it was made (a /v2 1-Click: 30 min) | 1 h later |
//! | answered, retrieved | 5 min after the first retrieval | 1 h later |
//! | answered, never retrieved | 24 h after it was made | 1 h later |
//! | issued credential | at its `expirationDate` | only to make room |
//!
//! Sources: SUPPLEMENT.md § Verified Inc. ("Verification codes expire after 5 minutes"; OCE014
//! "1-Click request expired"); [verified-api-ref] § Get 1-Click Credentials and § Get
//! Shared Credentials ("Your brand's access to ... credentials is deleted after 5 minutes of
//! the initial credential data retrieval"); § Issue Credentials (`expirationDate`). The pages
//! do not say how long an answer waits for its first retrieval, nor how long an expired uuid
//! still answers 410 rather than 404: contracts/NOTES.md § Across all APIs › Bounded state.
//! Over the cap with nothing finished, a brand gets 429 (documented for every operation).

use super::super::clock::Instant;
use super::super::retention::Lifetime;
use super::credentials::NetCredential;
use super::requests::{RETRIEVAL_WINDOW_MS, WalletRequest};

/// How long an answer waits for the brand's first retrieval (vouch's choice).
const AWAITING_RETRIEVAL_MS: i64 = 24 * 60 * 60 * 1000;
/// How long a request past its window still answers as expired (410 OCE014) before it is
/// forgotten (404), vouch's choice.
const GRACE_MS: i64 = 60 * 60 * 1000;

impl Lifetime for WalletRequest {
    fn owner(&self) -> &str {
        &self.brand.tenant
    }

    fn finished_at(&self) -> Option<Instant> {
        let at = match (&self.outcome, self.first_retrieved) {
            (None, _) => self.created_at.saturating_add(self.lifetime_ms()),
            (Some(_), Some(first)) => first.saturating_add(RETRIEVAL_WINDOW_MS),
            (Some(_), None) => self.created_at.saturating_add(AWAITING_RETRIEVAL_MS),
        };
        Some(Instant(at))
    }

    fn forget_at(&self) -> Option<Instant> {
        self.finished_at()
            .map(|at| Instant(at.0.saturating_add(GRACE_MS)))
    }
}

impl Lifetime for NetCredential {
    /// The issuing brand's uuid: each brand's issued credentials count against its own cap.
    fn owner(&self) -> &str {
        &self.issuer
    }

    /// An expired credential is unusable for good unless patched (contracts/NOTES.md § Verified
    /// › Credentials: "Unusable"); a revoked one may be made valid again, so it stays.
    fn finished_at(&self) -> Option<Instant> {
        self.expires_at.map(Instant)
    }

    /// Credentials are the network's data: kept until a brand's cap needs the room.
    fn forget_at(&self) -> Option<Instant> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::retention::testing::Capped;
    use super::super::{SANDBOX_API_KEY, SECOND_BRAND_API_KEY};
    use serde_json::{Value, json};

    fn ask() -> Option<Value> {
        Some(json!({"email": "richard@piedpiper.net",
                    "credentialRequests": [{"type": "SsnCredential", "mandatory": "yes"}]}))
    }

    #[tokio::test]
    async fn requests_wait_at_the_cap_make_room_when_expired_and_are_forgotten() {
        let mock = Capped::start(2).await;
        let post = |key| mock.send("POST", "/verified/hasMatchingCredentials", key, ask());
        let (_, first) = post(SANDBOX_API_KEY).await;
        let (_, second) = post(SANDBOX_API_KEY).await;
        let (status, full) = post(SANDBOX_API_KEY).await;
        assert_eq!(status, 429, "{full}");
        assert_eq!(full["data"]["errorCode"], "ERR001");
        assert!(
            full["message"].as_str().unwrap().contains("--max-entities"),
            "{full}"
        );
        // another brand's cap is its own
        assert_eq!(post(SECOND_BRAND_API_KEY).await.0, 201);
        // 5 minutes on, the unanswered requests have expired: the oldest makes room
        mock.advance(300);
        assert_eq!(post(SANDBOX_API_KEY).await.0, 201);
        let page = |url: &Value| {
            let url = url.as_str().unwrap().to_string();
            let mock = &mock;
            async move { mock.send("GET", &url, "", None).await }
        };
        assert_eq!(page(&first["url"]).await.0, 404);
        let (status, expired) = page(&second["url"]).await;
        assert_eq!((status, &expired["status"]), (200, &json!("expired")));
        // an hour past its window it is forgotten (at the next write)
        mock.advance(3600);
        assert_eq!(post(SANDBOX_API_KEY).await.0, 201);
        assert_eq!(page(&second["url"]).await.0, 404);
        mock.assert_conforming();
    }

    #[tokio::test]
    async fn a_batch_of_credentials_needs_room_for_all_of_it() {
        let mock = Capped::start(2).await;
        let issue = |n: usize, expiration: i64| {
            let credentials: Vec<Value> = (0..n)
                .map(|_| {
                    json!({"type": "EmailCredential", "data": {"email": "a@example.com"},
                                "expirationDate": expiration})
                })
                .collect();
            mock.send(
                "POST",
                "/verified/credentials",
                SANDBOX_API_KEY,
                Some(json!({"phone": "+12025550123", "credentials": credentials})),
            )
        };
        let soon = mock
            .server
            .state()
            .clock
            .now()
            .plus_seconds(60)
            .epoch_millis();
        assert_eq!(issue(3, soon).await.0, 429);
        let (status, issued) = issue(2, soon).await;
        assert_eq!(status, 201, "{issued}");
        assert_eq!(issue(1, soon).await.0, 429);
        // once expired, the oldest issued credential makes room
        mock.advance(60);
        let (status, body) = issue(1, soon).await;
        assert_eq!(status, 201, "{body}");
        let id = issued["credentials"][0]["id"].as_str().unwrap();
        let url = format!("/verified/credentials/{id}");
        assert_eq!(mock.send("GET", &url, SANDBOX_API_KEY, None).await.0, 404);
        mock.assert_conforming();
    }
}
