//! A case's request, and a failure's reproduction: the request a case makes of the target, and
//! the curl command that repeats it, from the shared renderer (credentials as `$VOUCH_…`
//! variables, sensitive values redacted). `send` sends the request; both sit below it.

use super::cases::{Case, Credentials};
use super::shared::Shared;
use crate::exchange::SentRequest;
use crate::redact::Secret;
use crate::targets::{Which, credential_header};

/// The curl of a fuzz case, or why there is none (the request could not be built).
pub(crate) fn curl(shared: &Shared, api: &str, case: &Case) -> String {
    let request = match request(shared, api, case) {
        Ok(request) => request,
        Err(why) => return format!("# no curl: {why}"),
    };
    let secrets: Vec<Secret> = [Which::Default, Which::Second]
        .into_iter()
        .filter_map(|w| shared.target.credential(api, w).ok())
        .collect();
    crate::exchange::curl::curl(&request, &secrets)
}

/// The request a case makes of the target: its base URL, the credential the case calls for,
/// and the case's content type.
pub(crate) fn request(shared: &Shared, api: &str, case: &Case) -> Result<SentRequest, String> {
    let contract = shared.contracts.get(api).map_err(|e| e.to_string())?;
    let base = shared.target.base_url(api)?;
    let mut headers = case.headers.clone();
    match case.credentials {
        Credentials::Valid => {
            let secret = shared.target.credential(api, Which::Default)?;
            headers.push(credential_header(contract, &secret.value));
        }
        Credentials::Wrong => headers.push(credential_header(contract, "vouch-wrong-credential")),
        Credentials::Missing => {}
    }
    if let Some(ct) = &case.content_type {
        headers.push(("content-type".into(), ct.clone()));
    }
    Ok(SentRequest {
        method: case
            .method
            .parse()
            .map_err(|_| format!("bad method {}", case.method))?,
        url: format!("{}{}", base.trim_end_matches('/'), case.path),
        headers,
        body: case
            .body
            .clone()
            .map(String::into_bytes)
            .unwrap_or_default(),
    })
}
