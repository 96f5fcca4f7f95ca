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
    let tenant = case
        .tenant
        .iter()
        .filter_map(|flag| shared.target.flagged_credential(api, flag).ok());
    let secrets: Vec<Secret> = [Which::Default, Which::Second]
        .into_iter()
        .filter_map(|w| shared.target.credential(api, w).ok())
        .chain(tenant)
        .collect();
    crate::exchange::curl::curl(&request, &secrets)
}

/// Why a case's request cannot be built (the case becomes a gap, `not sent`).
#[derive(Debug, thiserror::Error)]
pub(crate) enum Unsendable {
    /// The API has no contract in the set.
    #[error(transparent)]
    Contract(#[from] crate::Error),
    /// The target has no base URL or credential for the API.
    #[error(transparent)]
    Target(#[from] crate::targets::TargetError),
    /// A method `http` cannot parse.
    #[error("bad method {0}")]
    Method(String),
}

/// The root under which the target's mock namespaces are (`/__ns/<name>/...`): only the
/// embedded mock's, whose admin API sits at its root (a URL target may already be in one).
pub(crate) fn namespaced_root(shared: &Shared) -> Option<String> {
    if shared.target.kind() != crate::targets::TargetKind::Mock {
        return None;
    }
    let admin = shared.target.admin_url()?;
    admin.strip_suffix("/__admin").map(str::to_string)
}

/// The request a case makes of the target: its base URL, the credential the case calls for,
/// and the case's content type.
pub(crate) fn request(shared: &Shared, api: &str, case: &Case) -> Result<SentRequest, Unsendable> {
    let contract = shared.contracts.get(api)?;
    let base = match (&case.namespace, namespaced_root(shared)) {
        (Some(name), Some(root)) => format!("{root}/__ns/{name}/{api}"),
        _ => shared.target.base_url(api)?,
    };
    let mut headers = case.headers.clone();
    match case.credentials {
        Credentials::Valid => {
            let secret = match &case.tenant {
                Some(flag) => shared.target.flagged_credential(api, flag)?,
                None => shared.target.credential(api, Which::Default)?,
            };
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
            .map_err(|_| Unsendable::Method(case.method.clone()))?,
        url: format!("{}{}", base.trim_end_matches('/'), case.path),
        headers,
        body: case
            .body
            .clone()
            .map(String::into_bytes)
            .unwrap_or_default(),
    })
}
