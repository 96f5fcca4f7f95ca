//! A failed step explains itself: the request (secrets masked), the response, the contract
//! violations, and a `curl` command that sends the same request (with the credential taken
//! from the environment variable that holds it rather than printed).

use super::Context;
use super::world::Outcome;
use crate::contract::violation;
use crate::redact;
use crate::target::{SentRequest, Which};

const MAX_BODY_SHOWN: usize = 4000;

pub fn explain(last: Option<&Outcome>, api: Option<&str>, ctx: &Context) -> String {
    let Some(last) = last else {
        return "  (no request was sent)\n".into();
    };
    let (request, mut out) = match last {
        Outcome::Answered {
            exchange,
            operation,
            request_violations,
            response_violations,
        } => {
            let mut out = String::new();
            if let Some(op) = operation {
                out.push_str(&format!("  operation: {op}\n"));
            }
            out.push_str(&format!(
                "  response: {} ({} ms)\n",
                exchange.status,
                exchange.elapsed.as_millis()
            ));
            out.push_str(&indent(&body_text(&exchange.body)));
            if !response_violations.is_empty() {
                out.push_str("  response contract violations:\n");
                out.push_str(&violation::render(response_violations));
            }
            if !request_violations.is_empty() {
                out.push_str("  request contract violations (the request itself departs from the contract):\n");
                out.push_str(&violation::render(request_violations));
            }
            (&exchange.request, out)
        }
        Outcome::NoResponse { request, error } => (request, format!("  no response: {error}\n")),
    };
    let mut head = format!("  request: {} {}\n", request.method, request.url);
    for (k, v) in masked_headers(request, api, ctx) {
        head.push_str(&format!("    {k}: {v}\n"));
    }
    if !request.body.is_empty() {
        head.push_str(&indent(&body_text(&request.body)));
    }
    let curl = format!("  {}", curl(request, api, ctx));
    out.insert_str(0, &head);
    out.push_str("  reproduce:\n");
    out.push_str(&curl);
    out.push('\n');
    out
}

/// The request's headers, each sensitive one masked: a credential of the target becomes the
/// environment variable that holds it (`$VOUCH_PEACH_TOKEN`), anything else sensitive
/// [`redact::REDACTED`].
pub(crate) fn masked_headers(
    request: &SentRequest,
    api: Option<&str>,
    ctx: &Context,
) -> Vec<(String, String)> {
    let masked = |name: &str, value: &str| -> String {
        if !redact::is_sensitive_name(name) {
            return value.to_string();
        }
        let hint = api.and_then(|api| {
            [Which::Default, Which::Second]
                .into_iter()
                .filter_map(|w| ctx.target.credential(api, w).ok())
                .find(|s| value.contains(&s.value))
                .map(|s| value.replace(&s.value, &s.hint))
        });
        hint.unwrap_or_else(|| redact::REDACTED.to_string())
    };
    request
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), masked(k, v)))
        .collect()
}

/// A `curl` command that sends the same request, secrets masked as in [`masked_headers`].
pub(crate) fn curl(request: &SentRequest, api: Option<&str>, ctx: &Context) -> String {
    let mut curl = format!("curl -sS -X {} '{}'", request.method, request.url);
    for (k, shown) in masked_headers(request, api, ctx) {
        // double quotes, so a `$VOUCH_...` hint expands in the shell
        if shown.contains('$') {
            curl.push_str(&format!(" -H \"{k}: {shown}\""));
        } else {
            curl.push_str(&format!(" -H '{k}: {}'", shown.replace('\'', "'\\''")));
        }
    }
    if !request.body.is_empty() {
        curl.push_str(&format!(
            " --data-raw '{}'",
            body_text(&request.body).trim_end().replace('\'', "'\\''")
        ));
    }
    curl
}

/// A body for display: JSON with sensitive members redacted, else lossy text; cut when long.
pub(crate) fn body_text(body: &[u8]) -> String {
    body_text_up_to(body, MAX_BODY_SHOWN)
}

/// [`body_text`] with another length limit (reports keep whole bodies up to 256 KiB).
pub(crate) fn body_text_up_to(body: &[u8], limit: usize) -> String {
    let text = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(v) => redact::redact_value(&v).to_string(),
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    };
    if text.len() > limit {
        let mut cut = limit;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}… ({} bytes)\n", &text[..cut], text.len())
    } else {
        format!("{text}\n")
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}
