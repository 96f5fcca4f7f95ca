//! A link sequence as the report and the saved cases keep it: its steps, each with the link it
//! follows. Sending and replaying sequences is `links`'; these types sit below it, the report
//! and the saved cases, which all name them.

use super::cases::Parts;
use serde::{Deserialize, Serialize};

/// One request of a link sequence, as saved for replay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// The `operationId` the request is sent to.
    pub operation: String,
    /// How its parameters are linked to an earlier step's answer; `None` for the first step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<Via>,
    /// The generated parts; the linked values are filled in from `via` when the step is sent.
    pub parts: Parts,
}

/// Which link of which earlier step a step follows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Via {
    /// The index of the earlier step whose answer declares the link.
    pub from: usize,
    /// The link's name in that answer's response.
    pub link: String,
    /// Set when the step reads again what the step at this index freed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_free: Option<usize>,
}
