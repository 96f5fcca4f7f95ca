//! The subject's side of a verification, served by the mock itself at `linkUrl` (the page's
//! `linkUrl`: "Link the subject opens to scan the document"; Trusona's own pages are a web app
//! the API does not document, so these are the mock's):
//!
//! - `GET {linkUrl}` opens the link: records the browser as a VerificationDevice and answers
//!   `{verificationId, documentType, status, linkUrlExpiresAt, scanUrl, deviceId}`;
//! - `POST {linkUrl}/scan` with the scan result (`documentNumber`, `firstName`, `dateOfBirth`
//!   as MM/DD/YYYY, ... and optional `images: [{data, orientation}]`) scans the document: the
//!   verification becomes SCANNED, the requested verifiers run and the risk scores are set.
//!
//! Once `linkUrlExpiresAt` has passed both answer 410 and the verification reads EXPIRED
//! (SUPPLEMENT.md § Trusona: "WAITING until the subject scans a document (SCANNED) or the link
//! lapses (EXPIRED)"); after a scan they answer 409. Errors use the API's error shape.

use super::super::api::{MockError, MockResponse, UnroutedRequest};
use super::entities::Scan;
use super::entities::{Status, Verification};
use super::{devices, risk_scores, verifiers};
use http::Method;
use serde_json::{Value, json};

/// The pages live under this path below the API's base URL.
const PREFIX: &str = "/subject/";

/// `linkUrl` for a link code.
pub(super) fn link_url(base_url: &str, link_code: &str) -> String {
    format!("{}{PREFIX}{link_code}", base_url.trim_end_matches('/'))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    Open,
    Scan,
}

/// A request path on the subject's pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Page {
    pub link_code: String,
    pub action: Action,
}

impl Page {
    /// `/subject/{code}` or `/subject/{code}/scan`; anything else is not a subject page.
    pub(super) fn parse(path: &str) -> Option<Self> {
        let rest = path.strip_prefix(PREFIX)?.trim_end_matches('/');
        let (code, action) = match rest.split_once('/') {
            None => (rest, Action::Open),
            Some((code, "scan")) => (code, Action::Scan),
            Some(_) => return None,
        };
        (!code.is_empty() && code.bytes().all(|b| b.is_ascii_alphanumeric())).then(|| Self {
            link_code: code.to_string(),
            action,
        })
    }
}

fn only(request: &UnroutedRequest, method: Method) -> Result<(), MockError> {
    if request.method == method {
        Ok(())
    } else {
        Err(MockError::new(405, "Method not allowed").detail("allow", json!(method.as_str())))
    }
}

/// 410 once the link has lapsed, 409 once the document is scanned.
fn usable(verification: &Verification, request: &UnroutedRequest) -> Result<(), MockError> {
    match verification.status(request.now) {
        Status::Waiting => Ok(()),
        Status::Expired => Err(MockError::new(410, "This verification link has expired")),
        Status::Scanned => Err(MockError::new(
            409,
            "The document for this verification has already been scanned",
        )),
    }
}

pub(super) fn handle(
    verification: &mut Verification,
    page: &Page,
    request: &UnroutedRequest,
) -> Result<MockResponse, MockError> {
    match page.action {
        Action::Open => {
            only(request, Method::GET)?;
            usable(verification, request)?;
            let device = devices::record(verification, request, false)?;
            Ok(MockResponse::json(
                200,
                json!({
                    "verificationId": verification.id,
                    "documentType": verification.document_type,
                    "status": verification.status(request.now).as_str(),
                    "linkUrlExpiresAt": verification.link_expires_at().rfc3339(),
                    "scanUrl": format!("{}/scan", verification.link_url),
                    "deviceId": device,
                }),
            ))
        }
        Action::Scan => {
            only(request, Method::POST)?;
            usable(verification, request)?;
            let body: Value = serde_json::from_slice(&request.body)
                .map_err(|_| MockError::new(400, "The scan must be a JSON object"))?;
            let scan = Scan::parse(&body)?;
            let now = request.now;
            let device = devices::record(verification, request, true)?;
            verification.verifier_checks = verifiers::run(
                &verification.requested_verifiers,
                &verification.document_type,
                &scan,
                now,
            );
            verification.scan = Some(scan);
            verification.risk_scores = risk_scores::assess(verification, &device, now);
            verification.updated_at = now;
            Ok(MockResponse::json(
                200,
                json!({
                    "verificationId": verification.id,
                    "status": verification.status(now).as_str(),
                    "deviceId": device,
                }),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages() {
        assert_eq!(
            Page::parse("/subject/abc123"),
            Some(Page {
                link_code: "abc123".into(),
                action: Action::Open
            })
        );
        assert_eq!(
            Page::parse("/subject/abc123/scan").map(|p| p.action),
            Some(Action::Scan)
        );
        assert_eq!(Page::parse("/subject/abc123/other"), None);
        assert_eq!(Page::parse("/subject/"), None);
        assert_eq!(Page::parse("/subject/a-b"), None);
        assert_eq!(Page::parse("/api/v1/verifications"), None);
        assert_eq!(
            link_url("http://h/trusona/", "c"),
            "http://h/trusona/subject/c"
        );
    }
}
