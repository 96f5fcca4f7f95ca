//! Injected faults (`POST /__admin/faults`): make an operation answer a status, slowly, with an
//! empty or malformed body, or drop the connection, so an SDK's retry and error handling can be
//! tested against the mock.

use serde::Deserialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

/// What a fault does besides (or instead of) a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FaultKind {
    /// Close the connection without answering.
    ConnectionReset,
    /// Answer the status (default 200) with no body at all.
    EmptyResponse,
    /// Answer the status (default 200) with `Content-Type: application/json` and a truncated body.
    MalformedBody,
}

impl FaultKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FaultKind::ConnectionReset => "connection_reset",
            FaultKind::EmptyResponse => "empty_response",
            FaultKind::MalformedBody => "malformed_body",
        }
    }
}

/// A fault as posted to the admin API.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct FaultSpec {
    pub api: String,
    #[serde(rename = "operationId")]
    pub operation_id: Option<String>,
    /// A concrete path below the API's prefix, e.g. `/verification-types`.
    pub path: Option<String>,
    pub status: Option<u16>,
    pub delay_ms: Option<u64>,
    /// How many matching requests it affects; unlimited when absent.
    pub times: Option<u32>,
    pub fault: Option<FaultKind>,
}

impl FaultSpec {
    /// Checks the spec on its own; whether the API and operation exist is the caller's check.
    pub(crate) fn validate(&self) -> Result<(), super::FaultError> {
        use super::FaultError;
        match (&self.operation_id, &self.path) {
            (Some(_), Some(_)) => return Err(FaultError::Both),
            (None, None) => return Err(FaultError::Neither),
            (None, Some(p)) if !p.starts_with('/') => {
                return Err(FaultError::RelativePath);
            }
            _ => {}
        }
        if self.status.is_none() && self.delay_ms.is_none() && self.fault.is_none() {
            return Err(FaultError::NoEffect);
        }
        if let Some(s) = self.status
            && !(100..=599).contains(&s)
        {
            return Err(FaultError::NotAStatus(s));
        }
        if self.times == Some(0) {
            return Err(FaultError::NoTimes);
        }
        if self.delay_ms.is_some_and(|d| d > 60_000) {
            return Err(FaultError::TooLong);
        }
        Ok(())
    }

    fn matches(&self, api: &str, operation: Option<&str>, path: &str) -> bool {
        self.api == api
            && match (&self.operation_id, &self.path) {
                (Some(id), _) => operation == Some(id.as_str()),
                (None, Some(p)) => p.trim_end_matches('/') == path.trim_end_matches('/'),
                (None, None) => false,
            }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Faults {
    rules: Mutex<Vec<(FaultSpec, Option<u32>)>>,
    /// How many rules there are, written under the lock: a request reads it without the lock,
    /// so with no fault injected (the usual case) no request takes it (issue #24).
    count: AtomicUsize,
}

impl Faults {
    fn rules(&self) -> MutexGuard<'_, Vec<(FaultSpec, Option<u32>)>> {
        self.rules.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn add(&self, spec: FaultSpec) {
        let remaining = spec.times;
        let mut rules = self.rules();
        rules.push((spec, remaining));
        self.count.store(rules.len(), Ordering::Release);
    }

    pub(crate) fn clear(&self) {
        let mut rules = self.rules();
        rules.clear();
        self.count.store(0, Ordering::Release);
    }

    pub(crate) fn list(&self) -> Vec<FaultSpec> {
        self.rules
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(s, _)| s.clone())
            .collect()
    }

    /// The first fault that applies to this request, counting it against `times`.
    pub(crate) fn take(&self, api: &str, operation: Option<&str>, path: &str) -> Option<FaultSpec> {
        if self.count.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut rules = self.rules();
        let index = rules
            .iter()
            .position(|(spec, _)| spec.matches(api, operation, path))?;
        let (spec, remaining) = rules.get_mut(index)?;
        let spec = spec.clone();
        if let Some(remaining) = remaining {
            *remaining = remaining.saturating_sub(1);
            if *remaining == 0 {
                rules.remove(index);
                self.count.store(rules.len(), Ordering::Release);
            }
        }
        Some(spec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: &str) -> FaultSpec {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn times_counts_down_then_the_fault_is_gone() {
        let f = Faults::default();
        f.add(spec(
            r#"{"api": "peach", "operationId": "getVerificationType", "status": 500, "times": 2}"#,
        ));
        assert!(f.take("peach", Some("getVerificationType"), "/x").is_some());
        assert!(
            f.take("peach", Some("listVerificationTypes"), "/x")
                .is_none()
        );
        assert!(f.take("peach", Some("getVerificationType"), "/x").is_some());
        assert!(f.take("peach", Some("getVerificationType"), "/x").is_none());
    }

    #[test]
    fn path_faults_match_the_path() {
        let f = Faults::default();
        f.add(spec(
            r#"{"api": "peach", "path": "/verification-types/", "fault": "empty_response"}"#,
        ));
        assert_eq!(
            f.take("peach", None, "/verification-types").unwrap().fault,
            Some(FaultKind::EmptyResponse)
        );
        assert!(f.take("truework", None, "/verification-types").is_none());
    }

    #[test]
    fn bad_specs_are_explained() {
        assert!(
            spec(r#"{"api": "a", "status": 500}"#)
                .validate()
                .unwrap_err()
                .to_string()
                .contains("required")
        );
        assert!(
            spec(r#"{"api": "a", "path": "/x"}"#)
                .validate()
                .unwrap_err()
                .to_string()
                .contains("at least one")
        );
        assert!(
            spec(r#"{"api": "a", "path": "/x", "status": 99}"#)
                .validate()
                .unwrap_err()
                .to_string()
                .contains("not an HTTP status")
        );
        assert!(
            spec(r#"{"api": "a", "path": "x", "status": 500}"#)
                .validate()
                .is_err()
        );
        assert!(
            serde_json::from_str::<FaultSpec>(r#"{"api": "a", "path": "/x", "fault": "explode"}"#)
                .is_err()
        );
        assert!(
            serde_json::from_str::<FaultSpec>(r#"{"api": "a", "path": "/x", "sttaus": 500}"#)
                .is_err()
        );
    }
}
