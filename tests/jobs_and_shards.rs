//! Scaling a run out: scenarios at once (`--jobs`, one mock per job on the embedded mock) and
//! shards (`--shard I/N`, merged with `vouch merge`) give the same results as one scenario at a
//! time in one process.

use std::collections::BTreeMap;
use std::sync::Arc;
use vouch::contract::ContractSet;
use vouch::report::{Report, Status};
use vouch::runner::{self, RunOptions};

fn options() -> RunOptions {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    RunOptions {
        features: root.join("features"),
        config: root.join("vouch.toml"),
        ..RunOptions::default()
    }
}

async fn run(options: &RunOptions) -> Report {
    let contracts = Arc::new(ContractSet::embedded().unwrap());
    let targets = runner::targets(options, &contracts).await.unwrap();
    let summary = runner::run_on(options, contracts, targets).await.unwrap();
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
    summary.report
}

/// Every scenario's id and status, in report order.
fn statuses(report: &Report) -> Vec<(String, Status)> {
    report
        .scenarios
        .iter()
        .map(|s| (s.id(), s.status))
        .collect()
}

/// Every scenario's exchanges (statuses and methods; bodies carry ids), by scenario id.
fn exchanges(r: &Report) -> BTreeMap<String, Vec<(Option<u16>, String)>> {
    r.scenarios
        .iter()
        .map(|s| {
            let e = s
                .exchanges()
                .map(|e| (e.status, e.method.clone()))
                .collect();
            (s.id(), e)
        })
        .collect()
}

/// `--jobs 4` ends every scenario as `--jobs 1` did, with the same exchanges.
async fn scenarios_at_once_end_as_they_do_one_at_a_time(one: &Report) {
    let four = run(&RunOptions {
        jobs: Some(4),
        ..options()
    })
    .await;
    assert!(one.scenarios.len() > 100, "{}", one.scenarios.len());
    assert_eq!(statuses(one), statuses(&four));
    // the same exchanges too, scenario by scenario
    assert_eq!(exchanges(one), exchanges(&four));
}

/// What must not differ between two runs of the same suite: everything but timings, run ids
/// and the ids the mock generates (bodies and URLs carry those), as `(part, value)` pairs so
/// a difference names its place.
fn essence(report: &Report) -> Vec<(String, serde_json::Value)> {
    use serde_json::{json, to_value};
    let mut parts = vec![
        ("format".into(), json!(report.format)),
        (
            "run".into(),
            json!([
                report.run.target,
                report.run.apis,
                report.run.tags,
                to_value(&report.run.contracts).unwrap()
            ]),
        ),
        ("totals".into(), to_value(&report.totals).unwrap()),
        ("skipped".into(), json!(report.skipped)),
        ("errors".into(), json!(report.errors)),
    ];
    for api in &report.coverage {
        parts.push((format!("coverage {}", api.api), to_value(api).unwrap()));
    }
    for s in &report.scenarios {
        let steps: Vec<_> = s
            .steps
            .iter()
            .map(|st| json!([st.keyword, st.text, st.line, st.status]))
            .collect();
        // Which step an exchange is filed under is a matter of timing; the sequence is not.
        let exchanges: Vec<_> = s
            .exchanges()
            .map(|e| json!([e.method, e.status, e.operation]))
            .collect();
        parts.push((s.id(), json!([s.status, s.tags, steps, exchanges])));
    }
    parts
}

/// The first part in which a merged report differs from the whole run's, if any.
fn first_difference(merged: &Report, whole: &Report) -> Option<String> {
    let (merged, whole) = (essence(merged), essence(whole));
    if merged.len() != whole.len() {
        return Some(format!("{} parts against {}", merged.len(), whole.len()));
    }
    merged
        .iter()
        .zip(&whole)
        .find(|(m, w)| m != w)
        .map(|(m, w)| format!("{}: {} against {}: {}", m.0, m.1, w.0, w.1))
}

/// On a `url` target (one running mock), `--jobs 4` runs each scenario in a namespace of its
/// own, and every scenario ends as it does one at a time on the embedded mock, with the same
/// exchanges; the mock's own answers keep to the contracts in every namespace.
async fn scenarios_at_once_on_one_running_mock_end_as_they_do_one_at_a_time(one: &Report) {
    let server = vouch::mock::MockServer::start().await.unwrap();
    let on_url = run(&RunOptions {
        target: vouch::targets::TargetKind::Url,
        mock_url: Some(server.url()),
        jobs: Some(4),
        ..options()
    })
    .await;
    assert_eq!(on_url.run.target, "url");
    assert_eq!(statuses(one), statuses(&on_url));
    assert_eq!(exchanges(one), exchanges(&on_url));
    assert!(
        server.violations().is_empty(),
        "the mock broke its contracts: {:?}",
        server.violations()
    );
    // the scenarios ran in four namespaces, and never at the mock's root
    let index: serde_json::Value = reqwest::get(format!("{}/__admin/namespaces", server.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(index["namespaces"].as_array().unwrap().len(), 4, "{index}");
    assert!(server.state().journal_entries(None).is_empty());
}

/// One test, so the whole run one scenario at a time is made once for every comparison.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_and_shards_end_as_one_scenario_at_a_time_does() {
    let whole = run(&RunOptions {
        jobs: Some(1),
        ..options()
    })
    .await;
    scenarios_at_once_end_as_they_do_one_at_a_time(&whole).await;
    scenarios_at_once_on_one_running_mock_end_as_they_do_one_at_a_time(&whole).await;
    four_shards_run_the_whole_suite_once_and_merge_into_its_report(&whole).await;
}

/// The key the shards keep fingerprints of their scrubbed values under (a CI secret in real use).
const SCRUB_KEY: &str = "vouch-test-scrub-key";

/// Four shards run exactly the scenarios of the whole run, and `vouch merge` of their reports
/// equals its report, scrubbing included: a value any shard saw under a sensitive name is
/// scrubbed from every shard's text, as the whole run scrubs it.
async fn four_shards_run_the_whole_suite_once_and_merge_into_its_report(whole: &Report) {
    let dir = std::env::temp_dir().join(format!("vouch-shards-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut shard_dirs = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for i in 1..=4 {
        let shard = run(&RunOptions {
            shard: Some(format!("{i}/4").parse().unwrap()),
            scrub_key: Some(vouch::redact::Secret {
                value: SCRUB_KEY.into(),
                hint: "$VOUCH_SCRUB_KEY".into(),
            }),
            ..options()
        })
        .await;
        // balanced: a quarter each, give or take one
        let quarter = whole.scenarios.len() / 4;
        assert!(
            (quarter..=quarter + 1).contains(&shard.scenarios.len()),
            "shard {i}/4 has {} of {}",
            shard.scenarios.len(),
            whole.scenarios.len()
        );
        ids.extend(shard.scenarios.iter().map(|s| s.id()));
        let shard_dir = dir.join(format!("shard-{i}"));
        vouch::report::write_report_to(&shard_dir, &shard, &[]).unwrap();
        shard_dirs.push(shard_dir);
    }
    ids.sort();
    let mut whole_ids: Vec<String> = whole.scenarios.iter().map(|s| s.id()).collect();
    whole_ids.sort();
    assert_eq!(
        ids, whole_ids,
        "the shards together run exactly the whole run"
    );

    let merged_dir = dir.join("merged");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vouch"))
        .arg("merge")
        .env(vouch::report::SCRUB_KEY_VARIABLE, SCRUB_KEY)
        .args(&shard_dirs)
        .arg("--out")
        .arg(&merged_dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let merged = vouch::report::read(&merged_dir).unwrap();
    assert_eq!(first_difference(&merged, whole), None);
    // every format is rendered again from the merged model
    for format in vouch::report::FORMATS {
        let text = std::fs::read_to_string(merged_dir.join(format.file_name)).unwrap();
        assert!(!text.is_empty(), "{}", format.file_name);
    }
    let junit = std::fs::read_to_string(merged_dir.join("junit.xml")).unwrap();
    assert_eq!(
        junit.matches("<testcase ").count(),
        whole.scenarios.len(),
        "junit.xml has every scenario of every shard"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
