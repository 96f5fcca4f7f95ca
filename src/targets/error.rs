//! Why a target cannot serve an API's scenario, or why a request to it got no answer. The
//! messages are those a run shows beside a skipped scenario (`vouch run`'s skip list) or a
//! failed step.

use super::Which;

/// Why a target cannot give what a step asked of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TargetError {
    /// A sandbox run has no settings for the API (its contract is not loaded).
    #[error("no sandbox settings for `{api}`")]
    NoSettings {
        /// The API id.
        api: String,
    },
    /// A sandbox run has no credential of the API: the environment variable to set.
    #[error("no {api} credential: set {variable}")]
    NoCredential {
        /// The API id.
        api: String,
        /// The variable that holds it (`VOUCH_PEACH_API_KEY`, ...).
        variable: String,
    },
    /// A sandbox run has no second tenant's credential of the API (isolation scenarios).
    #[error("no second {api} credential: set {variable}")]
    NoSecondCredential {
        /// The API id.
        api: String,
        /// The variable that holds it.
        variable: String,
    },
    /// A sandbox run has no credential of a tenant with the capability flag.
    #[error("no {api} `{flag}` credential: set {variable}_TOKEN or {variable}_API_KEY")]
    NoFlaggedCredential {
        /// The API id.
        api: String,
        /// The flag (`semi-hosted`).
        flag: String,
        /// The variables' common stem (`VOUCH_VERIFIED_SEMI_HOSTED`).
        variable: String,
    },
    /// The mock has no credential of that tenant for the API.
    #[error("the mock has no {which:?} credential for {api}")]
    MockHasNoCredential {
        /// The API id.
        api: String,
        /// Which tenant was asked for.
        which: Which,
    },
    /// The mock has no tenant of the API with the capability flag.
    #[error("the mock has no {api} tenant with the flag `{flag}`")]
    MockHasNoFlag {
        /// The API id.
        api: String,
        /// The flag asked for.
        flag: String,
    },
    /// A target kind that knows no flagged tenants (the trait's default).
    #[error("this target has no {api} tenant with the flag `{flag}`")]
    FlagUnsupported {
        /// The API id.
        api: String,
        /// The flag asked for.
        flag: String,
    },
    /// A sandbox base URL selects another version of the API than the scenario's.
    #[error(
        "VOUCH_{upper}_BASE_URL selects {selected}; {}",
        if version == "v1" {
            format!("the unversioned API (v1) needs a base URL without /{selected}")
        } else {
            format!("{version} needs a base URL ending in /{version}")
        }
    )]
    OtherVersion {
        /// The API id in upper case, as in its variables.
        upper: String,
        /// The version the base URL selects (`v1` when it ends in none).
        selected: String,
        /// The version the scenario needs.
        version: String,
    },
    /// A request got no answer (refused, reset, timed out), described without its URL's query
    /// or headers, which may hold a secret.
    #[error("{kind}{}", detail.as_ref().map(|d| format!(": {d}")).unwrap_or_default())]
    Transport {
        /// What failed (`timed out`, `could not connect`, ...).
        kind: &'static str,
        /// The innermost cause's own words, when there is one.
        detail: Option<String>,
    },
}

#[cfg(test)]
mod tests {
    use super::TargetError;

    #[test]
    fn messages_are_those_the_skip_list_shows() {
        let other = |version: &str| TargetError::OtherVersion {
            upper: "VERIFIED".into(),
            selected: "v2".into(),
            version: version.into(),
        };
        assert_eq!(
            other("v1").to_string(),
            "VOUCH_VERIFIED_BASE_URL selects v2; the unversioned API (v1) needs a base URL without /v2"
        );
        let upper = TargetError::OtherVersion {
            upper: "VERIFIED".into(),
            selected: "v1".into(),
            version: "v2".into(),
        };
        assert_eq!(
            upper.to_string(),
            "VOUCH_VERIFIED_BASE_URL selects v1; v2 needs a base URL ending in /v2"
        );
        let transport = |detail: Option<&str>| TargetError::Transport {
            kind: "timed out",
            detail: detail.map(str::to_string),
        };
        assert_eq!(transport(None).to_string(), "timed out");
        assert_eq!(
            transport(Some("os error 111")).to_string(),
            "timed out: os error 111"
        );
    }
}
