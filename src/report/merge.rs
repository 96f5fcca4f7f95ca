//! `vouch merge`: the reports of a run's shards (`vouch run --shard I/N`) as the report of one
//! run. `report.json` is the source: scenarios, skipped scenarios and errors are joined, the
//! totals and the coverage are computed again from the joined scenarios, and every format is
//! rendered from the merged model like any run's.

use super::{Report, coverage, coverage_of_selection, total};
use crate::contract::ContractSet;
use std::collections::BTreeSet;

/// Why reports cannot be merged; each names the shard (where it was read from) concerned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MergeError {
    /// No shard given.
    #[error("nothing to merge: give the shards' report directories")]
    Nothing,
    /// A shard of another run: its `what` (format, target, ...) differs from the first's.
    #[error("{shard}: its {what} differs from {first}'s: not shards of one run")]
    NotOneRun {
        /// The shard that differs.
        shard: String,
        /// What differs.
        what: &'static str,
        /// The first shard.
        first: String,
    },
    /// A scenario in two shards.
    #[error(
        "{shard}: scenario `{scenario}` is also in another shard (are these shards of one run?)"
    )]
    Twice {
        /// The second shard with it.
        shard: String,
        /// The scenario's id.
        scenario: String,
    },
    /// A shard with fingerprints, and no key to scrub them with.
    #[error(
        "{shard}: the shard kept fingerprints of the values it scrubbed; set {variable} to the \
         key the shards ran with, to scrub them from every shard"
    )]
    NoScrubKey {
        /// The shard.
        shard: String,
        /// The key's variable.
        variable: &'static str,
    },
    /// A shard whose fingerprints were kept under another key.
    #[error("{shard}: {variable} is not the key this shard ran with")]
    OtherScrubKey {
        /// The shard.
        shard: String,
        /// The key's variable.
        variable: &'static str,
    },
}

/// One report made of `shards` (each with where it was read from, for messages). They must be
/// shards of the same run: the same format, target, APIs, tags, redaction and contracts, and no
/// scenario in two of them.
///
/// Shards run with a scrub key keep fingerprints of the values they scrubbed
/// (`super::scrub`): with the same `scrub_key`, every such value is scrubbed from every shard's
/// text, so the merged report hides what any shard hid. Fingerprints without the key (or under
/// another key) are an error naming [`SCRUB_KEY_VARIABLE`](super::SCRUB_KEY_VARIABLE).
pub fn merge(
    shards: &[(String, Report)],
    contracts: &ContractSet,
    scrub_key: Option<&str>,
) -> Result<Report, MergeError> {
    let Some((first_name, first)) = shards.first() else {
        return Err(MergeError::Nothing);
    };
    let mut merged = Report {
        format: first.format.clone(),
        run: first.run.clone(),
        // The shards together are the run their selection made without `--shard`.
        selection: first
            .selection
            .clone()
            .map(|s| super::Selection { shard: None, ..s }),
        contract_set: first.contract_set.clone(),
        ..Default::default()
    };
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut errors: BTreeSet<String> = BTreeSet::new();
    for (name, shard) in shards {
        same_run(first_name, first, name, shard)?;
        if shard.run.started_at < merged.run.started_at {
            merged.run.started_at = shard.run.started_at.clone();
            merged.run.run_id = shard.run.run_id.clone();
        }
        // The shards ran at once: the run took as long as the longest.
        merged.run.duration_ms = merged.run.duration_ms.max(shard.run.duration_ms);
        for scenario in &shard.scenarios {
            if !seen.insert(scenario.id()) {
                return Err(MergeError::Twice {
                    shard: name.clone(),
                    scenario: scenario.id(),
                });
            }
            merged.scenarios.push(scenario.clone());
        }
        merged.skipped.extend(shard.skipped.iter().cloned());
        errors.extend(shard.errors.iter().cloned());
        if let Some(fuzz) = &shard.fuzz {
            merged.fuzz.get_or_insert_default().merge(fuzz);
        }
    }
    let mut fingerprints: BTreeSet<String> = BTreeSet::new();
    for (name, shard) in shards {
        if shard.scrub_fingerprints.is_empty() {
            continue;
        }
        let variable = super::SCRUB_KEY_VARIABLE;
        match scrub_key {
            None => {
                return Err(MergeError::NoScrubKey {
                    shard: name.clone(),
                    variable,
                });
            }
            Some(key) if !super::scrub::kept_under(&shard.scrub_fingerprints, key) => {
                return Err(MergeError::OtherScrubKey {
                    shard: name.clone(),
                    variable,
                });
            }
            Some(_) => fingerprints.extend(shard.scrub_fingerprints.iter().cloned()),
        }
    }
    if let Some(key) = scrub_key.filter(|_| !fingerprints.is_empty()) {
        super::scrub::scrub_fingerprinted(&mut merged, &fingerprints, key);
    }
    merged.scrub_fingerprints = fingerprints.into_iter().collect();
    merged
        .scenarios
        .sort_by(|a, b| (&a.path, a.line, &a.scenario).cmp(&(&b.path, b.line, &b.scenario)));
    merged.skipped.sort();
    merged.errors = errors.into_iter().collect();
    merged.coverage = match &merged.selection {
        Some(selection) => coverage_of_selection(contracts, selection, &merged.scenarios),
        None => coverage(contracts, &merged.run.apis, &merged.scenarios),
    };
    total(&mut merged);
    Ok(merged)
}

/// Whether two reports can be shards of one run; the error names what differs.
fn same_run(a_name: &str, a: &Report, b_name: &str, b: &Report) -> Result<(), MergeError> {
    let contracts = |r: &Report| -> Vec<(String, String)> {
        r.run
            .contracts
            .iter()
            .map(|c| (c.api.clone(), c.version.clone()))
            .collect()
    };
    let selection = |r: &Report| {
        r.selection
            .clone()
            .map(|s| super::Selection { shard: None, ..s })
    };
    let hashes = |r: &Report| r.contract_set.as_ref().map(|c| c.sha256.clone());
    let differs = [
        ("format", a.format != b.format),
        ("selection", selection(a) != selection(b)),
        ("contracts' hashes", hashes(a) != hashes(b)),
        ("target", a.run.target != b.run.target),
        ("apis", a.run.apis != b.run.apis),
        ("tags", a.run.tags != b.run.tags),
        ("redaction", a.run.redacted != b.run.redacted),
        ("contracts", contracts(a) != contracts(b)),
    ];
    match differs.iter().find(|(_, d)| *d) {
        Some((what, _)) => Err(MergeError::NotOneRun {
            shard: b_name.into(),
            what,
            first: a_name.into(),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{RunInfo, ScenarioRecord, Status};
    use super::*;

    fn shard(run_id: &str, started: &str, scenarios: &[(&str, usize, Status)]) -> Report {
        let mut report = Report {
            format: super::super::FORMAT.into(),
            run: RunInfo {
                run_id: run_id.into(),
                started_at: started.into(),
                duration_ms: 100,
                target: "mock".into(),
                ..Default::default()
            },
            scenarios: scenarios
                .iter()
                .map(|(path, line, status)| ScenarioRecord {
                    path: path.to_string(),
                    line: *line,
                    scenario: format!("s{line}"),
                    status: *status,
                    ..Default::default()
                })
                .collect(),
            skipped: vec![format!("{run_id}: skipped")],
            errors: vec!["shared".into()],
            ..Default::default()
        };
        total(&mut report);
        report
    }

    #[test]
    fn shards_join_in_feature_order_with_totals_again() {
        let contracts = ContractSet::embedded().unwrap();
        let a = shard("b", "2025-01-01T00:00:02Z", &[("f/b", 3, Status::Failed)]);
        let b = shard(
            "a",
            "2025-01-01T00:00:01Z",
            &[("f/a", 9, Status::Passed), ("f/b", 1, Status::Passed)],
        );
        let merged = merge(
            &[("1".into(), a.clone()), ("2".into(), b)],
            &contracts,
            None,
        )
        .unwrap();
        let order: Vec<String> = merged.scenarios.iter().map(|s| s.id()).collect();
        assert_eq!(order, ["f/a:9 s9", "f/b:1 s1", "f/b:3 s3"]);
        assert_eq!(
            (
                merged.totals.scenarios,
                merged.totals.passed,
                merged.totals.failed
            ),
            (3, 2, 1)
        );
        assert_eq!(merged.run.run_id, "a");
        assert_eq!(merged.skipped, ["a: skipped", "b: skipped"]);
        assert_eq!(merged.errors, ["shared"]);
        assert_eq!(merged.coverage.len(), contracts.iter().count());
        // the same scenario twice: not shards of one run
        let twice = merge(
            &[("1".into(), a.clone()), ("2".into(), a.clone())],
            &contracts,
            None,
        );
        assert!(
            twice
                .unwrap_err()
                .to_string()
                .contains("also in another shard")
        );
        let mut sandbox = a.clone();
        sandbox.run.target = "sandbox".into();
        sandbox.scenarios.clear();
        let mixed = merge(&[("1".into(), a), ("2".into(), sandbox)], &contracts, None);
        assert!(mixed.unwrap_err().to_string().contains("target differs"));
        assert!(merge(&[], &contracts, None).is_err());
    }

    /// A value one shard saw under a sensitive name is scrubbed from the other shard's step
    /// text in the merged report; without the shards' key, or with another, there is no merge.
    #[test]
    fn a_value_any_shard_scrubbed_is_scrubbed_from_every_shard() {
        use crate::report::{ExchangeRecord, StepRecord};
        let contracts = ContractSet::embedded().unwrap();
        let with_step = |id: &str, path: &str, text: &str, sensitive: &[&str]| {
            let mut r = shard(id, "2025-01-01T00:00:01Z", &[(path, 1, Status::Passed)]);
            r.scenarios[0].steps.push(StepRecord {
                text: text.into(),
                exchanges: vec![ExchangeRecord {
                    sensitive: sensitive.iter().map(|s| s.to_string()).collect(),
                    ..Default::default()
                }],
                ..Default::default()
            });
            r
        };
        let mut one = with_step(
            "a",
            "f/a",
            r#"I send {"ssn": "123-45-6789"}"#,
            &["123-45-6789"],
        );
        let mut two = with_step("b", "f/b", "the letter quotes 123-45-6789", &[]);
        for r in [&mut one, &mut two] {
            crate::report::scrub_with_fingerprints(r, &[], "ci-secret");
        }
        let shards = [("1".to_string(), one), ("2".to_string(), two)];
        let merged = merge(&shards, &contracts, Some("ci-secret")).unwrap();
        let text = serde_json::to_string(&merged.scenarios).unwrap();
        assert!(!text.contains("123-45-6789"), "{text}");
        assert!(text.contains("the letter quotes <redacted>"), "{text}");
        let unkeyed = merge(&shards, &contracts, None).unwrap_err().to_string();
        assert!(unkeyed.contains("VOUCH_SCRUB_KEY"), "{unkeyed}");
        let wrong = merge(&shards, &contracts, Some("another"))
            .unwrap_err()
            .to_string();
        assert!(wrong.contains("not the key"), "{wrong}");
    }
}
