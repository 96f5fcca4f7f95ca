//! A failure's reproduction: the curl command that repeats its request. The credential is
//! shown as the target's hint for getting it back (`$VOUCH_PEACH_TOKEN`), other sensitive
//! headers and body members redacted, so the command can be pasted into a report.

use super::cases::Case;
use super::run::{Shared, request};
use crate::target::Which;

// TODO(exchange): replaced by the shared curl renderer
pub(crate) fn curl(shared: &Shared, api: &str, case: &Case) -> String {
    let Ok(request) = request(shared, api, case) else {
        return String::new();
    };
    let hint = shared.target.credential(api, Which::Default).ok();
    let mut out = format!("curl -sS -X {} '{}'", request.method, request.url);
    for (k, v) in &request.headers {
        let shown = match &hint {
            Some(s) if v.contains(&s.value) => v.replace(&s.value, &s.hint),
            _ if crate::redact::is_sensitive_name(k) => crate::redact::REDACTED.to_string(),
            _ => v.clone(),
        };
        out.push_str(&format!(" -H \"{k}: {}\"", shown.replace('"', "\\\"")));
    }
    if !request.body.is_empty() {
        let body = String::from_utf8_lossy(&request.body);
        let shown = serde_json::from_str::<serde_json::Value>(&body)
            .map(|v| crate::redact::redact_value(&v).to_string())
            .unwrap_or_else(|_| body.into_owned());
        out.push_str(&format!(" --data-raw '{}'", shown.replace('\'', "'\\''")));
    }
    out
}
