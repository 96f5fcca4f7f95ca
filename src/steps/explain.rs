//! A failed step explains itself: the request (secrets masked), the response, the contract
//! violations, and a `curl` command that sends the same request (with the credential taken
//! from the environment variable that holds it rather than printed).

use crate::contract::violation;
use crate::exchange::{Outcome, curl::curl};
use crate::redact::{self, Secret};

/// Bodies are cut here in failure messages.
const MAX_BODY_SHOWN: usize = 4000;

fn body_text(body: &[u8]) -> String {
    redact::body_text(body, MAX_BODY_SHOWN)
}

/// The explanation of the last outcome; `secrets` are the target's credentials for the API,
/// shown by their hints.
pub(crate) fn explain(last: Option<&Outcome>, secrets: &[Secret]) -> String {
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
    let (url, _) = redact::redact_query(&request.url);
    let mut head = format!("  request: {} {url}\n", request.method);
    for (k, v) in &request.headers {
        head.push_str(&format!(
            "    {k}: {}\n",
            redact::masked_header(k, v, secrets)
        ));
    }
    if !request.body.is_empty() {
        head.push_str(&indent(&body_text(&request.body)));
    }
    let shown = crate::exchange::SentRequest {
        url,
        ..request.clone()
    };
    let curl = format!("  {}", curl(&shown, secrets));
    out.insert_str(0, &head);
    out.push_str("  reproduce:\n");
    out.push_str(&curl);
    out.push('\n');
    out
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}
