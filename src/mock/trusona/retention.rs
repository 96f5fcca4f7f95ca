//! What the Trusona mock forgets, and when (bounded state, `src/mock/retention.rs`).
//!
//! | entity | finished (may make room) | forgotten |
//! | --- | --- | --- |
//! | verification, never scanned | at `linkUrlExpiresAt` (EXPIRED) | 24 h after `reviewAccessExpiresAt` |
//! | verification, scanned | at `reviewAccessExpiresAt` (closed) | 24 h after `reviewAccessExpiresAt` |
//! | message, device | once recorded: the oldest go first over the cap | with their verification |
//!
//! Sources: SUPPLEMENT.md § Trusona ("linkUrlExpiresAt is 15 minutes after createdAt",
//! "reviewAccessExpiresAt 30 minutes after"); [trusona-api] § Documents >
//! getDocument 410 "Document has been removed (occurs when parent verification expires)". The
//! page does not say how long an expired verification can still be read: vouch keeps it a day
//! (contracts/NOTES.md § Across all APIs › Bounded state). Over the cap with nothing finished,
//! creating a verification is 400 (the page documents no 429 for it).

use super::super::api::MockError;
use super::super::clock::Instant;
use super::super::retention::{Full, Lifetime};
use super::entities::Verification;

/// How long a verification is kept after its review access ended (vouch's choice).
const GRACE_SECONDS: i64 = 24 * 60 * 60;

impl Lifetime for Verification {
    /// The list is the account's own: one owner.
    fn owner(&self) -> &str {
        ""
    }

    fn finished_at(&self) -> Option<Instant> {
        Some(if self.scan.is_some() {
            self.review_expires_at()
        } else {
            self.link_expires_at()
        })
    }

    fn forget_at(&self) -> Option<Instant> {
        Some(self.review_expires_at().plus_seconds(GRACE_SECONDS))
    }
}

/// The account holds as many open verifications as the mock keeps: 400 (documented for both
/// create operations), naming when the first one lapses.
pub(super) fn full(full: Full) -> MockError {
    let when = full
        .room_at
        .map(|at| format!("; the first lapses at {}", at.rfc3339()))
        .unwrap_or_default();
    MockError::new(
        400,
        format!(
            "This account has as many open verifications as the mock keeps (--max-entities){when}"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::super::retention::testing::Capped;
    use super::super::TEST_TOKEN;
    use serde_json::json;

    #[tokio::test]
    async fn verifications_wait_at_the_cap_make_room_when_lapsed_and_are_forgotten() {
        let mock = Capped::start(1).await;
        let auth = format!("Bearer {TEST_TOKEN}");
        let create = || {
            mock.send(
                "POST",
                "/trusona/api/v1/verifications",
                &auth,
                Some(json!({"documentType": "US_CA_DL"})),
            )
        };
        let get = |id: &serde_json::Value| {
            let url = format!("/trusona/api/v1/verifications/{}", id.as_str().unwrap());
            let (mock, auth) = (&mock, &auth);
            async move { mock.send("GET", &url, auth, None).await.0 }
        };
        let (_, first) = create().await;
        let (status, full) = create().await;
        assert_eq!(status, 400, "{full}");
        assert!(
            full["message"]
                .as_str()
                .unwrap()
                .contains("first lapses at")
        );
        // the link lapses after 15 minutes: EXPIRED, it makes room
        mock.advance(900);
        let (status, second) = create().await;
        assert_eq!(status, 201);
        assert_eq!(get(&first["id"]).await, 404);
        // closed after 30 minutes, still readable for a day, then forgotten
        mock.advance(1800 + 86_400 - 1);
        assert_eq!(get(&second["id"]).await, 200);
        mock.advance(1);
        assert_eq!(create().await.0, 201);
        assert_eq!(get(&second["id"]).await, 404);
        mock.assert_conforming();
    }
}
