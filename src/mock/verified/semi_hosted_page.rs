//! A stand-in for the brand's own code-entry page of a /v2 Semi-Hosted 1-Click, at
//! `<base>/wallet/semi-hosted/{uuid}` (always HTML). Semi-Hosted is "your UI and Verified's
//! code" (v2 `integration-guide.mdx` l.102-106): Verified hosts no page, and POST answers no
//! `url`. The mock serves this page so that a browser test (or a developer without a page of
//! their own yet) can walk the user's side: it makes the calls the brand's server would, as the
//! vendor's example app does (`VerifiedInc/one-click-signup-example-app` at 134fd244,
//! `src/pages/signup/1-click/semi-hosted.tsx`): the typed code to `GET /v2/1-click/{uuid}?code=`,
//! the birth date, when OCE011 asks for it, to `PATCH /v2/1-click/{uuid}`; then it shows the
//! data. The page and its path are vouch's (contracts/NOTES.md § The wallet as web pages).

use super::super::api::{MockError, MockRequest, MockResponse, Tenant, UnroutedRequest};
use super::super::html::{error_note, escape, form_fields, page};
use super::Network;
use super::errors;
use super::requests::Flow;
use super::wallet_pages::one_line;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The OCE code of "more information needed" (the birth-date step).
const MORE_INFORMATION: &str = "OCE011";

fn code_form(action: &str, phone: &str) -> String {
    format!(
        "<form method=\"post\" action=\"{}/code\"><label for=\"code\">Enter the code we texted to {}</label>\
         <input type=\"text\" id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\">\
         <button type=\"submit\" id=\"verify\">Verify</button></form>",
        escape(action),
        escape(phone)
    )
}

fn birth_date_form(action: &str) -> String {
    format!(
        "<form method=\"post\" action=\"{}/birth-date\"><label for=\"birthDate\">Confirm your birth date</label>\
         <input type=\"date\" id=\"birthDate\" name=\"birthDate\">\
         <button type=\"submit\" id=\"confirm\">Continue</button></form>",
        escape(action)
    )
}

/// The data the brand received (the flat 1ClickEntity's `credentials`), one line per value.
fn data_list(entity: &Value) -> String {
    let empty = Map::new();
    let credentials = entity
        .get("credentials")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut out = String::from("<p id=\"status\">Verified. Your details:</p><dl id=\"data\">");
    for (key, value) in credentials {
        let text = one_line(key, value);
        out.push_str(&format!(
            "<dt>{}</dt><dd>{}</dd>",
            escape(key),
            escape(&text)
        ));
    }
    out.push_str("</dl>");
    out
}

impl Network {
    /// `GET|POST /wallet/semi-hosted/{uuid}[/code|/birth-date]`.
    pub(super) fn semi_hosted_page(
        &mut self,
        request: &UnroutedRequest,
        uuid: &str,
        action: Option<&str>,
    ) -> Result<MockResponse, MockError> {
        let w = self
            .requests
            .iter()
            .find(|r| r.flow == Flow::SemiHosted && r.uuid == uuid)
            .ok_or_else(errors::one_click_not_found)?;
        let (brand, phone) = (w.brand.clone(), w.phone.clone().unwrap_or_default());
        let here = format!(
            "{}/wallet/semi-hosted/{uuid}",
            request.base_url.trim_end_matches('/')
        );
        let form = form_fields(&request.body).unwrap_or_default();
        let given = |name: &str| {
            form.iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.trim().to_string())
                .unwrap_or_default()
        };
        let call = |query: BTreeMap<String, String>, body: Option<Value>| MockRequest {
            operation: String::new(),
            method: request.method.clone(),
            path: format!("/v2/1-click/{uuid}"),
            path_params: BTreeMap::from([("uuid".to_string(), uuid.to_string())]),
            query,
            headers: Default::default(),
            body: body.into(),
            tenant: Tenant::new(&brand.tenant).into(),
            now: request.now,
            base_url: request.base_url.clone(),
            remote: request.remote,
            max_entities: request.max_entities,
        };
        let answered = match action {
            None => None,
            Some("code") => Some(self.get_one_click_v2(
                &brand,
                &call(BTreeMap::from([("code".into(), given("code"))]), None),
            )),
            Some("birth-date") => Some(self.patch_one_click_v2(
                &brand,
                &call(
                    BTreeMap::new(),
                    Some(json!({"birthDate": given("birthDate")})),
                ),
            )),
            Some(_) => return Err(errors::generic(404, "No such page")),
        };
        let mut body = format!("<h1>{}</h1>\n", escape(&brand.name));
        let status = match (answered, action) {
            (None, _) => {
                body.push_str(&code_form(&here, &phone));
                200
            }
            (Some(Ok(r)), _) => {
                body.push_str(&data_list(&r.body.unwrap_or(Value::Null)));
                200
            }
            // OCE011 is the next step, not a failure.
            (Some(Err(e)), _) if e.code.as_deref() == Some(MORE_INFORMATION) => {
                body.push_str(&birth_date_form(&here));
                200
            }
            (Some(Err(e)), step) => {
                body.push_str(&error_note(e.code.as_deref(), &e.message));
                if step == Some("birth-date") {
                    body.push_str(&birth_date_form(&here));
                } else {
                    body.push_str(&code_form(&here, &phone));
                }
                e.status
            }
        };
        Ok(MockResponse::html(
            status,
            page(&format!("{} - sign up", brand.name), &body),
        ))
    }
}
