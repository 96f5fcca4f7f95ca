//! The Peach mock's entities, below the handlers that make them and the retention rules
//! that forget them (so neither names the other): a started person verification session
//! ([peach-verification-types] § Create verification type; SUPPLEMENT.md § Peach).

use super::super::clock::Instant;
use serde_json::{Value, json};

/// One started verification session.
#[derive(Debug, Clone)]
pub(super) struct PersonVerification {
    pub id: String,
    pub person_id: String,
    pub verification_type_id: String,
    pub created_at: Instant,
    pub expires_at: Instant,
    /// The type's `maxAttemptsPerSession` when the session started.
    pub max_attempts: i64,
    /// The questions drawn for the session (bank entries).
    pub questions: Vec<Value>,
    /// Until when a rule counts it: while active, and while in the throttle window of its
    /// verification type when it started (`retention`).
    pub counted_until: Instant,
}

impl PersonVerification {
    pub(super) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "object": "verification",
            "personId": self.person_id,
            "agentUserId": null,
            "verificationTypeId": self.verification_type_id,
            "status": "pending",
            "maxAttempts": self.max_attempts,
            "questions": self.questions,
            "attempts": [],
            "createdAt": self.created_at.rfc3339(),
            "updatedAt": self.created_at.rfc3339(),
            "deletedAt": null,
            "expiresAt": self.expires_at.rfc3339(),
        })
    }
}
