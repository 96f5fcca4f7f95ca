//! The Trusona mock's entities, below the handlers that make, change and show them (so no
//! handler names another for a type): a verification (§ Models > VerificationResponse), its
//! status and lifetimes (SUPPLEMENT.md § Trusona), a message (§ Models > VerificationMessage)
//! and the subject's scan (SUPPLEMENT.md § Trusona: the scan result).

use super::super::clock::Instant;
use serde_json::{Map, Value, json};

/// SUPPLEMENT.md § Trusona: "linkUrlExpiresAt is 15 minutes after createdAt".
pub(super) const LINK_SECONDS: i64 = 15 * 60;
/// SUPPLEMENT.md § Trusona: "reviewAccessExpiresAt 30 minutes after".
pub(super) const REVIEW_SECONDS: i64 = 30 * 60;
/// One verification, as the account holds it.
#[derive(Debug, Clone)]
pub(super) struct Verification {
    pub id: String,
    pub document_type: String,
    pub callback_url: Option<String>,
    pub requested_verifiers: Vec<Value>,
    pub requested_messages: Vec<Value>,
    pub created_at: Instant,
    pub updated_at: Instant,
    /// The secret part of `linkUrl` that names this verification on the subject's pages.
    pub link_code: String,
    pub link_url: String,
    pub workspace_link: String,
    pub devices: Vec<Value>,
    pub messages: Vec<Message>,
    pub scan: Option<Scan>,
    pub verifier_checks: Vec<Value>,
    pub risk_scores: Vec<Value>,
    /// The public JWK of an encrypted verification (§ EncryptedVerifications).
    pub public_web_key: Option<Value>,
}

/// SUPPLEMENT.md § Trusona: "a verification is WAITING until the subject scans a document
/// (SCANNED) or the link lapses (EXPIRED)".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Status {
    Waiting,
    Scanned,
    Expired,
}

impl Status {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Status::Waiting => "WAITING",
            Status::Scanned => "SCANNED",
            Status::Expired => "EXPIRED",
        }
    }
}

impl Verification {
    pub(super) fn link_expires_at(&self) -> Instant {
        self.created_at.plus_seconds(LINK_SECONDS)
    }

    pub(super) fn review_expires_at(&self) -> Instant {
        self.created_at.plus_seconds(REVIEW_SECONDS)
    }

    /// `expiredLinkUrlAccess`: the mock clock has reached `linkUrlExpiresAt`.
    pub(super) fn link_expired(&self, now: Instant) -> bool {
        now >= self.link_expires_at()
    }

    /// `expiredReviewAccess`: the mock clock has reached `reviewAccessExpiresAt`.
    pub(super) fn review_expired(&self, now: Instant) -> bool {
        now >= self.review_expires_at()
    }

    pub(super) fn status(&self, now: Instant) -> Status {
        if self.scan.is_some() {
            Status::Scanned
        } else if self.link_expired(now) {
            Status::Expired
        } else {
            Status::Waiting
        }
    }

    /// `closed` (undocumented; contracts/NOTES.md § Trusona › Mock behaviour): nothing more can
    /// happen to the verification once its review access has expired.
    pub(super) fn closed(&self, now: Instant) -> bool {
        self.review_expired(now)
    }

    /// `updatedAt`: the last change; a verification that lapsed changed when its link did.
    pub(super) fn updated_at(&self, now: Instant) -> Instant {
        if self.status(now) == Status::Expired {
            self.updated_at.max(self.link_expires_at())
        } else {
            self.updated_at
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Message {
    pub id: String,
    pub channel: String,
    pub recipient: Option<String>,
    pub created_at: Instant,
    pub status: &'static str,
    /// Only for TRUSTED_SMS (§ Models > RequestedTrustedSmsMessage: "SIM swap detection").
    pub sim_swapped: Option<bool>,
}

impl Message {
    /// § Models > VerificationMessage.
    pub(super) fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("id".into(), json!(self.id));
        out.insert("status".into(), json!(self.status));
        out.insert("createdAt".into(), json!(self.created_at.rfc3339()));
        out.insert("channel".into(), json!(self.channel));
        if let Some(r) = &self.recipient {
            out.insert("recipient".into(), json!(r));
        }
        if let Some(s) = self.sim_swapped {
            out.insert("simSwapped".into(), json!(s));
        }
        Value::Object(out)
    }
}

/// What the subject's scan read.
#[derive(Debug, Clone)]
pub(super) struct Scan {
    pub(super) fields: Map<String, Value>,
    /// § Models > IdentityImage: `{data, orientation}`.
    pub images: Vec<Value>,
}
