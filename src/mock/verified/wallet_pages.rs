//! The Web Wallet as web pages: what a browser sees at a 1-Click or request `url` when it asks
//! for `text/html` (`src/mock/html.rs`). The same calls as the JSON wallet (`wallet.rs`), the
//! same rules and the same redirect; only the shape differs:
//!
//! | page | form | on success |
//! | --- | --- | --- |
//! | the request (`GET {url}`) | `code`: the verification code | 303 back to the page |
//! | the birth-date step (/v2, a user who needs it) | `birthDate` | 303 back to the page |
//! | the credentials, once the phone is verified | `share` per credential held, `{key}.{i}[.{child}]` per value | the vendor's redirect (302) |
//! | both | opt out | the vendor's redirect (302) |
//!
//! [verified-api-ref] § 1-Click: the url is the "Web Wallet url to redirect user to for
//! credential request handling. It will redirect back to your client"; § Development: "the
//! wallet using a static OTP value of 111111". An error re-renders the page with its status and
//! the vendor's code and message. What the page shows of the user's own data is vouch's choice
//! (contracts/NOTES.md § The wallet as web pages): every value as the 1ClickEntity answers it,
//! the birth date as a date, the SSN only as its last four digits.

use super::super::api::{MockError, MockResponse, UnroutedRequest};
use super::super::html::{error_note, escape, form_fields, page};
use super::Network;
use super::credentials::short_key;
use super::errors::generic;
use super::matching::{
    Mandatory, allows_user_input, child_requests, mandatory, multi, request_type,
};
use super::requests::WalletRequest;
use serde_json::{Map, Value, json};

/// What a form field of one value is called: `{key}.{i}` or `{key}.{i}.{child}`.
fn field(key: &str, i: usize, child: Option<&str>) -> String {
    match child {
        Some(c) => format!("{key}.{i}.{c}"),
        None => format!("{key}.{i}"),
    }
}

/// A value as the page shows it: a birth date (stored as epoch milliseconds) as a date, an SSN
/// never in full (it is not pre-filled either).
fn shown(ty_key: &str, value: &str) -> String {
    match ty_key {
        "birthDate" => value
            .parse::<i64>()
            .ok()
            .and_then(chrono::DateTime::from_timestamp_millis)
            .map_or_else(|| value.to_string(), |d| d.format("%Y-%m-%d").to_string()),
        "ssn" => String::new(),
        _ => value.to_string(),
    }
}

/// A value of a 1ClickEntity as one line of text (objects joined, lists separated by `;`).
pub(super) fn one_line(key: &str, value: &Value) -> String {
    match value {
        Value::String(s) if key == "ssn" => ssn_hint(s),
        Value::String(s) => shown(key, s),
        Value::Array(items) => items
            .iter()
            .map(|v| one_line(key, v))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| one_line(k, v))
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

fn ssn_hint(value: &str) -> String {
    let last: String = value
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("•••-••-{last}")
}

/// The values of one credential as a list of items (one per value; `multi` answers a list).
fn items(current: Option<&Value>) -> Vec<Value> {
    match current {
        Some(Value::Array(a)) => a.clone(),
        Some(v) => vec![v.clone()],
        None => Vec::new(),
    }
}

/// The child keys a composite request shows, in the order asked for.
fn child_keys(request: &Value) -> Vec<String> {
    child_requests(request, None)
        .iter()
        .map(|c| short_key(request_type(c)))
        .collect()
}

fn is_composite(request: &Value) -> bool {
    super::credentials::composite_children(request_type(request)).is_some()
}

/// One input (or, without user input, the value as text).
fn input(name: &str, label: &str, key: &str, value: &str, editable: bool) -> String {
    let (kind, placeholder) = match key {
        "birthDate" => ("date", String::new()),
        "ssn" if !value.is_empty() => ("text", ssn_hint(value)),
        _ => ("text", String::new()),
    };
    let value = shown(key, value);
    if !editable {
        let text = if key == "ssn" { &placeholder } else { &value };
        return format!("<p>{}: <span>{}</span></p>", escape(label), escape(text));
    }
    format!(
        "<label>{} <input type=\"{kind}\" id=\"{n}\" name=\"{n}\" value=\"{}\" placeholder=\"{}\"></label>",
        escape(label),
        escape(&value),
        escape(&placeholder),
        n = escape(name),
    )
}

/// The fieldset of one credential request.
fn credential_fieldset(request: &Value, current: Option<&Value>) -> String {
    let key = short_key(request_type(request));
    let editable = allows_user_input(request);
    let mut values = items(current);
    let held = !values.is_empty();
    if values.is_empty() && editable {
        values.push(Value::Null);
    }
    let required = if mandatory(request) == Mandatory::Yes {
        " (required)"
    } else {
        ""
    };
    let mut out = format!("<fieldset><legend>{}{required}</legend>", escape(&key));
    if held {
        out.push_str(&format!(
            "<label><input type=\"checkbox\" name=\"share\" value=\"{k}\" id=\"share-{k}\" checked> Share</label>",
            k = escape(&key)
        ));
    } else if !editable {
        out.push_str("<p class=\"muted\">Not on file</p>");
    }
    for (i, item) in values.iter().enumerate() {
        if is_composite(request) {
            for child in child_keys(request) {
                let v = item.get(&child).and_then(Value::as_str).unwrap_or("");
                out.push_str(&input(
                    &field(&key, i, Some(&child)),
                    &child,
                    &child,
                    v,
                    editable,
                ));
            }
        } else {
            let v = item.as_str().unwrap_or("");
            out.push_str(&input(&field(&key, i, None), &key, &key, v, editable));
        }
    }
    out.push_str("</fieldset>");
    out
}

/// The page of a wallet request: its JSON page (`Network::page`) as HTML, with `error` shown.
fn render(w: &WalletRequest, json_page: &Value, action: &str, error: Option<&MockError>) -> String {
    let text = |k: &str| json_page.get(k).and_then(Value::as_str).unwrap_or("");
    let mut body = format!(
        "<h1>{}</h1>\n<h2>{}</h2>\n<p>{}</p>\n",
        escape(text("brand")),
        escape(text("title")),
        escape(text("description")),
    );
    if let Some(e) = error {
        body.push_str(&error_note(e.code.as_deref(), &e.message));
    }
    let status = text("status");
    let opt_out = format!(
        "<form method=\"post\" action=\"{}/opt-out\"><button type=\"submit\" id=\"opt-out\">Opt out</button></form>",
        escape(action)
    );
    match status {
        "awaiting_code" => body.push_str(&format!(
            "<form method=\"post\" action=\"{a}/code\"><label for=\"code\">Enter the code sent to {}</label>\
             <input type=\"text\" id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\">\
             <button type=\"submit\" id=\"verify\">Verify</button></form>\n{opt_out}",
            escape(text("phone")),
            a = escape(action)
        )),
        // The birth date first, then the data it unlocks.
        "awaiting_consent" if w.v2.as_ref().is_some_and(|v| v.awaiting_birth_date) => {
            body.push_str(&format!(
                "<form method=\"post\" action=\"{}/birth-date\"><label for=\"birthDate\">Confirm your birth date</label>\
                 <input type=\"date\" id=\"birthDate\" name=\"birthDate\">\
                 <button type=\"submit\" id=\"confirm\">Continue</button></form>\n{opt_out}",
                escape(action)
            ));
        }
        "awaiting_consent" => {
            let credentials = json_page.get("credentials");
            let mut form = format!(
                "<form method=\"post\" action=\"{}/share\">",
                escape(action)
            );
            for request in &w.requests.list() {
                let key = short_key(request_type(request));
                form.push_str(&credential_fieldset(
                    request,
                    credentials.and_then(|c| c.get(&key)),
                ));
            }
            form.push_str("<button type=\"submit\" id=\"share\">Share</button></form>\n");
            body.push_str(&form);
            body.push_str(&opt_out);
        }
        "shared" => body.push_str("<p id=\"status\">You shared your data.</p>"),
        "opted_out" => body.push_str("<p id=\"status\">You opted out.</p>"),
        _ => body.push_str("<p id=\"status\">This request has expired.</p>"),
    }
    page(&format!("{} - Verified", text("brand")), &body)
}

/// The share body the JSON wallet takes, from the form: `leaveOut` the credentials held but not
/// ticked, `edits` the values the user changed or typed.
fn share_body(w: &WalletRequest, json_page: &Value, form: &[(String, String)]) -> Value {
    let get = |name: &str| {
        form.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let ticked: Vec<&str> = form
        .iter()
        .filter(|(n, _)| n == "share")
        .map(|(_, v)| v.as_str())
        .collect();
    let credentials = json_page.get("credentials");
    let (mut leave_out, mut edits) = (Vec::new(), Map::new());
    for request in &w.requests.list() {
        let key = short_key(request_type(request));
        let current = items(credentials.and_then(|c| c.get(&key)));
        if !current.is_empty() && !ticked.contains(&key.as_str()) {
            leave_out.push(json!(key));
            continue;
        }
        let count = current.len().max(1);
        let mut changed = false;
        let mut typed = Vec::new();
        for i in 0..count {
            let old = current.get(i).unwrap_or(&Value::Null);
            if is_composite(request) {
                let mut object = Map::new();
                for child in child_keys(request) {
                    let was = shown(
                        &child,
                        old.get(&child).and_then(Value::as_str).unwrap_or(""),
                    );
                    let now = get(&field(&key, i, Some(&child)));
                    if !now.is_empty() && now != was {
                        changed = true;
                    }
                    if !now.is_empty() && (multi(request) || now != was) {
                        object.insert(child, json!(now));
                    }
                }
                if !object.is_empty() {
                    typed.push(Value::Object(object));
                }
            } else {
                let was = shown(&key, old.as_str().unwrap_or(""));
                let now = get(&field(&key, i, None));
                changed |= !now.is_empty() && now != was;
                if !now.is_empty() {
                    typed.push(json!(now));
                }
            }
        }
        if changed {
            let value = if multi(request) {
                Value::Array(typed)
            } else {
                typed.into_iter().next().unwrap_or(Value::Null)
            };
            edits.insert(key, value);
        }
    }
    json!({"leaveOut": leave_out, "edits": edits})
}

impl Network {
    /// A wallet call from a browser: the same call as JSON, answered as a page.
    pub(super) fn wallet_html(
        &mut self,
        request: &UnroutedRequest,
        segment: &str,
        id: &str,
        action: Option<&str>,
    ) -> Result<MockResponse, MockError> {
        let page_url = format!(
            "{}/wallet/{segment}/{id}",
            request.base_url.trim_end_matches('/')
        );
        let form = form_fields(&request.body)
            .ok_or_else(|| generic(400, "The form is not valid UTF-8"))?;
        let now = request.now.epoch_millis();
        let body = match action {
            Some(name @ ("code" | "birth-date")) => {
                let member = if name == "code" { "code" } else { "birthDate" };
                let given = form.iter().find(|(n, _)| n == member);
                json!({member: given.map(|(_, v)| v.trim()).unwrap_or("")})
            }
            Some("share") => {
                let index = self.wallet_index(segment, id)?;
                let w = self.request(index)?;
                share_body(w, &self.page_value(w, now), &form)
            }
            _ => json!({}),
        };
        let mut as_json = request.clone();
        as_json.body = bytes::Bytes::from(serde_json::to_vec(&body).unwrap_or_default());
        let answered = self.wallet_call(&as_json, segment, id, action);
        // A request that does not exist has no page to show the error on.
        let index = match (&answered, self.wallet_index(segment, id)) {
            (_, Ok(index)) => index,
            (Err(e), Err(_)) => return Ok(error_page(e)),
            (Ok(_), Err(e)) => return Err(e),
        };
        match (answered, action) {
            (Ok(r), Some(_)) if r.status.is_redirection() => Ok(r),
            (Ok(_), Some(_)) => Ok(MockResponse::empty(303).header("location", &page_url)),
            (Ok(_), None) => {
                let w = self.request(index)?;
                Ok(MockResponse::html(
                    200,
                    render(w, &self.page_value(w, now), &page_url, None),
                ))
            }
            (Err(e), _) => {
                let w = self.request(index)?;
                Ok(MockResponse::html(
                    e.status,
                    render(w, &self.page_value(w, now), &page_url, Some(&e)),
                ))
            }
        }
    }
}

/// The vendor's error as a page, for a request the wallet does not know.
fn error_page(e: &MockError) -> MockResponse {
    let body = format!(
        "<h1>Verified</h1>\n{}",
        error_note(e.code.as_deref(), &e.message)
    );
    MockResponse::html(e.status, page("Verified", &body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::clock::Instant;
    use http::{HeaderMap, HeaderValue, Method};

    /// A hosted 1-Click for Richard whose title is hostile markup.
    fn hosted(network: &mut Network) -> String {
        super::super::wallet::tests::hosted_request_titled(network, "<script>alert(1)</script>")
    }

    /// A browser's call: (status, location, page).
    fn call(n: &mut Network, method: Method, path: &str, form: &str) -> (u16, String, String) {
        let mut headers = HeaderMap::new();
        headers.insert("accept", HeaderValue::from_static("text/html"));
        if method == Method::POST {
            headers.insert(
                "content-type",
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            );
        }
        let request = UnroutedRequest {
            method,
            path: path.into(),
            query: Default::default(),
            headers,
            body: bytes::Bytes::copy_from_slice(form.as_bytes()),
            now: Instant(1000),
            base_url: "http://mock/verified".into(),
            remote: None,
            max_entities: usize::MAX,
        };
        let r = match n.wallet(&request) {
            Some(Ok(r)) => r,
            other => panic!("{other:?}"),
        };
        let location = r
            .headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        (r.status.as_u16(), location, r.html.unwrap_or_default())
    }

    #[test]
    fn the_pages_walk_code_edit_leave_out_and_share() {
        let mut n = Network::seeded();
        let page = hosted(&mut n);
        let (status, _, html) = call(&mut n, Method::GET, &page, "");
        assert_eq!(status, 200);
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(!html.contains("<script>"));
        assert!(html.contains("id=\"code\"") && !html.contains("Richard"));
        let (status, _, html) = call(&mut n, Method::POST, &format!("{page}/code"), "code=1");
        assert_eq!(status, 400);
        assert!(html.contains("OCE008"), "{html}");
        let code = call(&mut n, Method::POST, &format!("{page}/code"), "code=111111");
        assert_eq!(
            (code.0, code.1.as_str()),
            (303, "http://mock/verified/wallet/1-click/w1")
        );
        let (_, _, html) = call(&mut n, Method::GET, &page, "");
        assert!(html.contains("value=\"Richard\"") && html.contains("value=\"1989-08-01\""));
        assert!(html.contains("•••-••-6789"), "the SSN's last four");
        // (Richard's phone, +10123456789, holds the same digits.)
        let bare = html.replace("+10123456789", "");
        assert!(!bare.contains("123456789"), "the SSN never in full");
        // A typed value that breaks its type's rule: the page again, with the vendor's 400.
        let (status, _, html) = call(
            &mut n,
            Method::POST,
            &format!("{page}/share"),
            "share=address&address.0.zipCode=%3Cb%3E",
        );
        assert_eq!(status, 400, "{html}");
        assert!(html.contains("id=\"error\"") && !html.contains("<b>"));
        let form = "share=fullName&fullName.0.firstName=Dick&fullName.0.lastName=Hendricks";
        let (status, location, _) = call(&mut n, Method::POST, &format!("{page}/share"), form);
        assert_eq!(status, 302);
        assert!(
            location.starts_with("https://hooli.example/back?1ClickUuid="),
            "{location}"
        );
        let (_, _, html) = call(&mut n, Method::GET, &page, "");
        assert!(html.contains("id=\"status\">You shared"));
    }

    #[test]
    fn the_share_form_becomes_the_json_wallets_body() {
        let mut n = Network::seeded();
        hosted(&mut n);
        let w = n.request(0).unwrap().clone();
        let page = json!({"credentials": {
            "fullName": {"firstName": "Richard", "lastName": "Hendricks"},
            "email": "r@p.net",
            "birthDate": "617932800000",
            "ssn": "123456789",
        }});
        let form = |f: &[(&str, &str)]| -> Vec<(String, String)> {
            f.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        // Nothing changed, everything ticked: no edits, nothing left out.
        let same = form(&[
            ("share", "fullName"),
            ("fullName.0.firstName", "Richard"),
            ("fullName.0.lastName", "Hendricks"),
            ("share", "email"),
            ("email.0", "r@p.net"),
            ("share", "birthDate"),
            ("birthDate.0", "1989-08-01"),
            ("share", "ssn"),
            ("ssn.0", ""),
        ]);
        assert_eq!(
            share_body(&w, &page, &same),
            json!({"leaveOut": [], "edits": {}})
        );
        // One name changed, the SSN unticked, a phone typed where none was held.
        let changed = form(&[
            ("share", "fullName"),
            ("fullName.0.firstName", "Dick"),
            ("fullName.0.lastName", "Hendricks"),
            ("share", "email"),
            ("email.0", "r@p.net"),
            ("share", "birthDate"),
            ("birthDate.0", "1989-08-01"),
            ("phone.0", "+10123456789"),
        ]);
        assert_eq!(
            share_body(&w, &page, &changed),
            json!({"leaveOut": ["ssn"], "edits": {
                "fullName": {"firstName": "Dick"},
                "phone": "+10123456789",
            }})
        );
    }
}
