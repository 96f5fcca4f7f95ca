//! The subject's pages as HTML (`src/mock/html.rs`): what a browser sees at `linkUrl`. The same
//! calls as the JSON pages (`subject.rs`), the same rules: opening the link records the browser
//! as a VerificationDevice and shows the document to scan; the form posts the scan result's
//! fields (SUPPLEMENT.md § Trusona, `documents::FIELDS`) to `{linkUrl}/scan`. Trusona's own
//! subject app is not documented (it scans with the camera), so the form, which types what a
//! scan would read, is the mock's. An error shows on the page with its status.

use super::super::api::{MockError, MockResponse, UnroutedRequest};
use super::super::html::{error_note, escape, form_fields, page};
use super::documents::FIELDS;
use super::entities::Verification;
use super::subject::{self, Action, Page};
use serde_json::{Map, Value, json};

fn text<'a>(answer: &'a Value, key: &str) -> &'a str {
    answer.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The scan form, with what the subject typed kept when the scan was refused.
fn scan_form(verification: &Verification, typed: &Map<String, Value>) -> String {
    let mut form = format!(
        "<form method=\"post\" action=\"{}/scan\">",
        escape(&verification.link_url)
    );
    for name in FIELDS {
        let value = typed.get(name).and_then(Value::as_str).unwrap_or("");
        let hint = if name == "dateOfBirth" {
            "MM/DD/YYYY"
        } else {
            ""
        };
        form.push_str(&format!(
            "<label>{n} <input type=\"text\" id=\"{n}\" name=\"{n}\" value=\"{}\" placeholder=\"{hint}\"></label>",
            escape(value),
            n = name,
        ));
    }
    form.push_str("<button type=\"submit\" id=\"scan\">Scan document</button></form>");
    form
}

fn heading(verification: &Verification) -> String {
    format!(
        "<h1>Verify your identity</h1>\n<p>Document: <span id=\"documentType\">{}</span></p>\n",
        escape(&verification.document_type)
    )
}

fn error_page(
    e: &MockError,
    verification: &Verification,
    form: Option<&Map<String, Value>>,
) -> MockResponse {
    let mut body = heading(verification);
    body.push_str(&error_note(e.code.as_deref(), &e.message));
    if let Some(typed) = form {
        body.push_str(&scan_form(verification, typed));
    }
    MockResponse::html(e.status, page("Trusona", &body))
}

/// A subject page for a browser.
pub(super) fn handle(
    verification: &mut Verification,
    target: &Page,
    request: &UnroutedRequest,
) -> MockResponse {
    match target.action {
        Action::Open => match subject::handle(verification, target, request) {
            Ok(r) => {
                let answer = r.body.unwrap_or(Value::Null);
                let mut body = heading(verification);
                body.push_str(&format!(
                    "<p>Status: <span id=\"status\">{}</span>; the link expires at {}.</p>\n",
                    escape(text(&answer, "status")),
                    escape(text(&answer, "linkUrlExpiresAt")),
                ));
                body.push_str(&scan_form(verification, &Map::new()));
                MockResponse::html(200, page("Trusona", &body))
            }
            Err(e) => error_page(&e, verification, None),
        },
        Action::Scan => {
            let Some(fields) = form_fields(&request.body) else {
                let e = MockError::new(400, "The form is not valid UTF-8");
                return error_page(&e, verification, Some(&Map::new()));
            };
            let typed: Map<String, Value> = fields
                .into_iter()
                .filter(|(n, _)| FIELDS.contains(&n.as_str()))
                .map(|(n, v)| (n, json!(v)))
                .collect();
            let mut as_json = request.clone();
            as_json.body = bytes::Bytes::from(
                serde_json::to_vec(&Value::Object(typed.clone())).unwrap_or_default(),
            );
            match subject::handle(verification, target, &as_json) {
                Ok(r) => {
                    let answer = r.body.unwrap_or(Value::Null);
                    let mut body = heading(verification);
                    body.push_str(&format!(
                        "<p>Thank you, your document was received. Status: <span id=\"status\">{}</span></p>",
                        escape(text(&answer, "status"))
                    ));
                    MockResponse::html(200, page("Trusona", &body))
                }
                // A lapsed or already scanned link has no form left to fill.
                Err(e) if e.status == 400 => error_page(&e, verification, Some(&typed)),
                Err(e) => error_page(&e, verification, None),
            }
        }
    }
}
