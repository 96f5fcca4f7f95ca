//! A failure's reproduction: the curl command that repeats its request, from the shared
//! renderer (credentials as `$VOUCH_…` variables, sensitive values redacted).

use super::cases::Case;
use super::run::Shared;
use super::send::request;
use crate::redact::Secret;
use crate::targets::Which;

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
