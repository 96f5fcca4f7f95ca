//! What the Peach mock forgets, and when (bounded state, `src/mock/retention.rs`).
//!
//! | entity | finished (may make room) and forgotten |
//! | --- | --- |
//! | person verification session | once it has expired and left the throttle window |
//! | verification type | never: the docs give no way to delete one |
//!
//! Sources: [peach-verification-types] § Create verification type (`expirationInSecs`
//! "How many seconds each verification session has until it is marked as expired";
//! `recentPastSecs` "Seconds into the past considered the recent past for throttling"). No
//! operation reads a session back, so a session no rule counts any more is forgotten at once
//! (the window is the verification type's when the session started: contracts/NOTES.md
//! § Across all APIs › Bounded state). Over the cap: a session start is 429 with
//! `nextVerificationOkAt` (a dry run 400), as throttling is; a verification type 400.

use super::super::api::MockError;
use super::super::clock::Instant;
use super::super::retention::{Full, Lifetime};
use super::entities::PersonVerification;
use serde_json::json;

impl Lifetime for PersonVerification {
    /// The list is the company's own: one owner.
    fn owner(&self) -> &str {
        ""
    }

    fn finished_at(&self) -> Option<Instant> {
        Some(self.counted_until)
    }

    fn forget_at(&self) -> Option<Instant> {
        Some(self.counted_until)
    }
}

/// The company holds as many sessions as the mock keeps, all still active or counted: a start
/// waits like a throttled one (429, a dry run 400) until the first one is done.
pub(super) fn sessions_full(full: Full, dry_run: bool) -> MockError {
    let message = "The company has as many verification sessions in progress as the mock keeps \
                   (--max-entities)";
    match full.room_at {
        Some(at) => MockError::new(if dry_run { 400 } else { 429 }, message)
            .detail("nextVerificationOkAt", json!(at.rfc3339())),
        None => MockError::new(400, message),
    }
}

/// The company has as many verification types as the mock keeps: 400.
pub(super) fn types_full() -> MockError {
    MockError::new(
        400,
        "The company has as many verification types as the mock keeps (--max-entities)",
    )
}

#[cfg(test)]
mod tests {
    use super::super::super::retention::testing::Capped;
    use super::super::TEST_TOKEN;
    use serde_json::json;

    #[tokio::test]
    async fn sessions_wait_at_the_cap_like_a_throttle_and_types_stop_at_it() {
        let mock = Capped::start(1).await;
        let auth = format!("Bearer {TEST_TOKEN}");
        let start = |person: &str, dry: bool| {
            let url = format!(
                "/peach/people/{person}/verifications{}",
                if dry { "?dryRun=true" } else { "" }
            );
            let (mock, auth) = (&mock, &auth);
            async move { mock.send("POST", &url, auth, Some(json!({}))).await }
        };
        let (status, first) = start("BO-AAAA-1111", false).await;
        assert_eq!(status, 200, "{first}");
        let created = first["data"]["createdAt"].as_str().unwrap();
        let counted_until = super::Instant::parse_rfc3339(created)
            .unwrap()
            .plus_seconds(3600)
            .rfc3339();
        // another person: the company's cap is full until the first leaves the window
        let (status, full) = start("BO-BBBB-2222", false).await;
        assert_eq!(status, 429, "{full}");
        assert_eq!(full["nextVerificationOkAt"], json!(counted_until));
        assert_eq!(start("BO-BBBB-2222", true).await.0, 400);
        mock.advance(3600);
        assert_eq!(start("BO-BBBB-2222", true).await.0, 204);
        assert_eq!(start("BO-BBBB-2222", false).await.0, 200);

        let create = || {
            mock.send(
                "POST",
                "/peach/verification-types",
                &auth,
                Some(json!({"expirationInSecs": 600})),
            )
        };
        assert_eq!(create().await.0, 200);
        let (status, full) = create().await;
        assert_eq!(status, 400);
        assert!(full["message"].as_str().unwrap().contains("--max-entities"));
        mock.assert_conforming();
    }
}
