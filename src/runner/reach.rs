//! Whether a remote target answers at all, checked once before the run: an unreachable mock
//! (`--target url`) or sandbox is one error naming it, not a failed `Before` hook or request in
//! every scenario (issue #25). Any HTTP status counts as reachable; only a connection that
//! cannot be made (refused, unknown host, timeout) does not.

use super::select::Selection;
use crate::exchange::SentRequest;
use crate::targets::{HttpClient, Target, Which};
use cucumber::Parser as _;
use futures::StreamExt as _;
use std::collections::BTreeSet;

async fn answers(url: String) -> Result<(), crate::targets::TargetError> {
    let request = SentRequest {
        method: http::Method::GET,
        url,
        headers: Vec::new(),
        body: Vec::new(),
    };
    HttpClient::new(1).send(&request).await.map(|_| ())
}

/// The mock of a `url` target (its admin API).
pub(super) async fn mock(url: &str) -> Result<(), crate::Error> {
    answers(format!("{}/__admin", url.trim_end_matches('/')))
        .await
        .map_err(|why| crate::Error::Config {
            path: "--target url".into(),
            message: format!("cannot reach {url}: {why}"),
        })
}

/// Every sandbox the selected scenarios will call: the APIs of the scenarios the run will run
/// (read with the run's own parser, as `--shard` does; selected by the options and not skipped
/// on this target, e.g. for want of a credential) that have a credential on the target.
pub(super) async fn sandboxes(
    roots: Vec<super::features::Root>,
    selection: &Selection,
    sandbox: &dyn Target,
) -> Result<(), crate::Error> {
    let parsed: Vec<_> = super::features::SuiteParser
        .parse(roots, Default::default())
        .collect()
        .await;
    // `admits` counts what each filter selected (for `nothing_selected`) and records the
    // skipped scenarios with their reasons; this look-ahead must not do either twice.
    let counts = selection.counts();
    let before = *counts.lock().unwrap_or_else(|e| e.into_inner());
    let skipped = selection.skipped();
    let skipped_before = skipped.lock().unwrap_or_else(|e| e.into_inner()).len();
    let mut apis = BTreeSet::new();
    for feature in parsed.iter().flatten() {
        let scenarios = feature.scenarios.iter().map(|s| (None, s));
        let in_rules = feature
            .rules
            .iter()
            .flat_map(|r| r.scenarios.iter().map(move |s| (Some(r), s)));
        for (rule, scenario) in scenarios.chain(in_rules) {
            // Selected and not skipped on this target (`@mock-only`, no credential, ...).
            if selection.admits(feature, rule, scenario) {
                apis.extend(selection.apis(feature, rule, scenario));
            }
        }
    }
    *counts.lock().unwrap_or_else(|e| e.into_inner()) = before;
    skipped
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .truncate(skipped_before);
    for api in apis {
        if sandbox.credential(&api, Which::Default).is_err() {
            continue;
        }
        let Ok(base) = sandbox.base_url(&api) else {
            continue;
        };
        if let Err(why) = answers(base.clone()).await {
            return Err(crate::Error::Config {
                path: "--target sandbox".into(),
                message: format!(
                    "cannot reach the {api} sandbox at {base}: {why} (VOUCH_{}_BASE_URL sets it)",
                    api.to_uppercase()
                ),
            });
        }
    }
    Ok(())
}
