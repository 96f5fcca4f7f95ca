//! A fuzz run as a typed part of the report model (`report.json`'s `fuzz` member, the same
//! shape it always had), and the same run as test cases, so every [`Format`](super::Format)
//! renders its failures as it renders scenarios: each operation × check the run tallied is one
//! case (failed when the check failed there), and each gap (work the run meant to do and did
//! not) one more (`not_replayed` skipped, the others failed, as they fail the run).

use super::{ScenarioRecord, Status, StepRecord};
use crate::fuzz::FuzzReport;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What `vouch run --fuzz` (or `vouch fuzz`) found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FuzzRun {
    /// Cases sent in all, replays and link sequences included, shrinking steps not.
    pub cases: u64,
    /// How long the fuzz run took, in milliseconds.
    #[serde(rename = "durationMs")]
    pub duration_ms: u64,
    /// Cases checked and failures per operation × check.
    pub tally: Vec<FuzzTally>,
    /// Each failure with its smallest case and a curl that repeats it.
    pub failures: Vec<FuzzFailure>,
    /// How often each link was followed, and why not otherwise.
    #[serde(default)]
    pub links: Vec<FuzzLink>,
    /// Work the run meant to do and did not.
    #[serde(default)]
    pub gaps: Vec<FuzzGap>,
    /// Schema constructs the generator could not translate (`api: keyword at #/pointer`).
    pub unsupported: Vec<String>,
    /// Unconfirmed findings in the answers (violations of our choices, `x-vouch-choice`),
    /// which fail no check unless `--strict`: `api operation: violation — reason (anchor)`.
    #[serde(default)]
    pub unconfirmed: Vec<String>,
    /// Per operation, its positive cases: answered 2xx, on live ids, optional values sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub positive: Vec<FuzzPositive>,
}

/// The positive cases of one operation (valid requests, link steps included).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FuzzPositive {
    /// The API id.
    pub api: String,
    /// The `operationId`.
    pub operation: String,
    /// Positive cases sent.
    pub cases: u64,
    /// Of those, the operation's own budget (`--cases`), chain and sequence steps through
    /// it not counted.
    #[serde(default)]
    pub own: u64,
    /// Of those, answered 2xx.
    #[serde(rename = "answered2xx")]
    pub answered_2xx: u64,
    /// Of those, on a path id the same run created (along a link).
    #[serde(rename = "liveIds")]
    pub live_ids: u64,
    /// Each documented value of an optional parameter (`dryRun=true`) -> cases carrying it.
    #[serde(default)]
    pub values: BTreeMap<String, u64>,
    /// The answers that were not 2xx: status -> how many (0: no answer).
    #[serde(default)]
    pub refused: BTreeMap<u16, u64>,
}

/// Cases and failures of one check on one operation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FuzzTally {
    /// The API id.
    pub api: String,
    /// The `operationId`.
    pub operation: String,
    /// The check's snake_case name (`not_a_server_error`).
    pub check: String,
    /// Cases the check judged.
    pub cases: u64,
    /// Cases it failed.
    pub failures: u64,
}

/// A check that failed, with the smallest case found (its body redacted by member name).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FuzzFailure {
    /// The API id.
    pub api: String,
    /// The operation whose answer failed.
    pub operation: String,
    /// The check that failed (each failing check of a case is a failure of its own).
    pub check: String,
    /// What the check found, in words.
    pub detail: String,
    /// The failing request.
    pub case: FuzzCase,
    /// For a failure inside a link sequence, every step up to the failing one.
    #[serde(default)]
    pub sequence: Vec<FuzzStep>,
    /// A curl command that repeats the request (credentials as environment variables).
    pub curl: String,
}

/// A failing request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FuzzCase {
    /// Which kind of case and what it broke (`positive`, `negative: /name missing`, ...).
    pub label: String,
    /// The HTTP method.
    pub method: String,
    /// The path and query.
    pub path: String,
    /// The body, secrets and PII redacted; `None` without one.
    pub body: Option<String>,
}

/// One step of a failing link sequence.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FuzzStep {
    /// The `operationId` the step was sent to.
    pub operation: String,
    /// The link it followed; `None` for the first step.
    pub link: Option<String>,
}

/// How often one link was followed from an operation's answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FuzzLink {
    /// The API id.
    pub api: String,
    /// The operation whose answers declare the link.
    pub operation: String,
    /// The link's name.
    pub link: String,
    /// Times the linked request was sent.
    pub followed: u64,
    /// Why it was not, with how often.
    pub skipped: BTreeMap<String, u64>,
}

/// Work the run meant to do and did not.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FuzzGap {
    /// The API id.
    pub api: String,
    /// The `operationId` concerned.
    pub operation: String,
    /// `aborted`, `panicked`, `not_sent`, `link_not_followed`, `check_not_run` or
    /// `not_replayed`.
    pub kind: String,
    /// Which kind of case, link, check or saved case, and why.
    pub detail: String,
}

/// The one gap kind that is reported without failing the run.
const NOT_REPLAYED: &str = "not_replayed";

impl From<&FuzzReport> for FuzzRun {
    fn from(report: &FuzzReport) -> Self {
        let redacted = |body: Option<&str>| {
            body.map(|b| match serde_json::from_str::<serde_json::Value>(b) {
                Ok(v) => crate::redact::redact_value(&v).to_string(),
                Err(_) => b.to_string(),
            })
        };
        let tally = report
            .tally
            .iter()
            .map(|((api, operation, check), (cases, failures))| FuzzTally {
                api: api.clone(),
                operation: operation.clone(),
                check: check.name().to_string(),
                cases: *cases,
                failures: *failures,
            });
        let failures = report.failures.iter().map(|f| FuzzFailure {
            api: f.api.clone(),
            operation: f.operation.clone(),
            check: f.check.name().to_string(),
            detail: f.detail.clone(),
            case: FuzzCase {
                label: f.case.label.clone(),
                method: f.case.method.clone(),
                path: f.case.path.clone(),
                body: redacted(f.case.body.as_deref()),
            },
            sequence: f
                .sequence
                .iter()
                .map(|s| FuzzStep {
                    operation: s.operation.clone(),
                    link: s.via.as_ref().map(|v| v.link.clone()),
                })
                .collect(),
            curl: f.curl.clone(),
        });
        let links = report
            .links
            .iter()
            .map(|((api, operation, link), t)| FuzzLink {
                api: api.clone(),
                operation: operation.clone(),
                link: link.clone(),
                followed: t.followed,
                skipped: t.skipped.clone(),
            });
        let gaps = report.gaps.iter().map(|g| FuzzGap {
            api: g.api.clone(),
            operation: g.operation.clone(),
            kind: g.kind.name().to_string(),
            detail: g.detail.clone(),
        });
        FuzzRun {
            cases: report.cases,
            duration_ms: report.elapsed.as_millis() as u64,
            tally: tally.collect(),
            failures: failures.collect(),
            links: links.collect(),
            gaps: gaps.collect(),
            unsupported: report.unsupported.clone(),
            unconfirmed: report.unconfirmed.iter().cloned().collect(),
            positive: report
                .positive
                .iter()
                .map(|((api, operation), p)| FuzzPositive {
                    api: api.clone(),
                    operation: operation.clone(),
                    cases: p.cases,
                    own: p.own,
                    answered_2xx: p.answered_2xx,
                    live_ids: p.live_ids,
                    values: p.values.clone(),
                    refused: p.refused.clone(),
                })
                .collect(),
        }
    }
}

impl FuzzRun {
    /// Whether any check failed, or the run left work undone (saved cases of operations that
    /// were not selected aside).
    pub fn failed(&self) -> bool {
        !self.failures.is_empty() || self.gaps.iter().any(|g| g.kind != NOT_REPLAYED)
    }

    /// The run as test cases, in the shape of scenarios: feature `fuzz <api>` (file
    /// `fuzz/<api>`), one case `<operation> <check>` per tally row and `<operation> gap
    /// <kind>` per gap, each with one step saying what was checked, and a failed case's
    /// failure the check's findings (detail, case, curl, sequence).
    pub fn records(&self) -> Vec<ScenarioRecord> {
        let mut out = Vec::new();
        for t in &self.tally {
            let found: Vec<String> = self
                .failures
                .iter()
                .filter(|f| f.api == t.api && f.operation == t.operation && f.check == t.check)
                .map(FuzzFailure::describe)
                .collect();
            let failed = t.failures > 0 || !found.is_empty();
            let failure = failed.then(|| match found.is_empty() {
                true => format!("{} of {} cases failed", t.failures, t.cases),
                false => found.join("\n"),
            });
            let text = format!("{} holds for {} case(s)", t.check, t.cases);
            out.push(record(
                t,
                format!("{} {}", t.operation, t.check),
                text,
                failure,
            ));
        }
        for g in &self.gaps {
            let place = FuzzTally {
                api: g.api.clone(),
                operation: g.operation.clone(),
                ..Default::default()
            };
            let mut r = record(
                &place,
                format!("{} gap {}", g.operation, g.kind),
                format!("the run does its work ({})", g.kind),
                Some(g.detail.clone()),
            );
            if g.kind == NOT_REPLAYED {
                r.status = Status::Skipped;
                r.steps[0].status = Status::Skipped;
            }
            out.push(r);
        }
        for (i, r) in out.iter_mut().enumerate() {
            r.line = i + 1;
            r.steps[0].line = i + 1;
        }
        out
    }

    /// Another shard's or run's fuzz results joined to these: counts added, failures and gaps
    /// kept once each, the duration the longest (shards run at once).
    pub fn merge(&mut self, other: &FuzzRun) {
        self.cases += other.cases;
        self.duration_ms = self.duration_ms.max(other.duration_ms);
        for t in &other.tally {
            let same = |m: &&mut FuzzTally| {
                m.api == t.api && m.operation == t.operation && m.check == t.check
            };
            match self.tally.iter_mut().find(same) {
                Some(mine) => {
                    mine.cases += t.cases;
                    mine.failures += t.failures;
                }
                None => self.tally.push(t.clone()),
            }
        }
        for f in &other.failures {
            if !self.failures.contains(f) {
                self.failures.push(f.clone());
            }
        }
        for l in &other.links {
            let same = |m: &&mut FuzzLink| {
                m.api == l.api && m.operation == l.operation && m.link == l.link
            };
            match self.links.iter_mut().find(same) {
                Some(mine) => {
                    mine.followed += l.followed;
                    for (why, n) in &l.skipped {
                        *mine.skipped.entry(why.clone()).or_default() += n;
                    }
                }
                None => self.links.push(l.clone()),
            }
        }
        self.gaps.extend(other.gaps.iter().cloned());
        self.gaps.sort();
        self.gaps.dedup();
        self.unsupported.extend(other.unsupported.iter().cloned());
        self.unsupported.sort();
        self.unsupported.dedup();
        self.unconfirmed.extend(other.unconfirmed.iter().cloned());
        self.unconfirmed.sort();
        self.unconfirmed.dedup();
        for p in &other.positive {
            let same = |m: &&mut FuzzPositive| m.api == p.api && m.operation == p.operation;
            match self.positive.iter_mut().find(same) {
                Some(mine) => {
                    mine.cases += p.cases;
                    mine.own += p.own;
                    mine.answered_2xx += p.answered_2xx;
                    mine.live_ids += p.live_ids;
                    for (value, n) in &p.values {
                        *mine.values.entry(value.clone()).or_default() += n;
                    }
                    for (status, n) in &p.refused {
                        *mine.refused.entry(*status).or_default() += n;
                    }
                }
                None => self.positive.push(p.clone()),
            }
        }
    }
}

impl FuzzFailure {
    /// The operations of the failing sequence, each with the link that led to it
    /// (`a → b (link L)`); `None` for a single case.
    pub fn sequence_text(&self) -> Option<String> {
        if self.sequence.is_empty() {
            return None;
        }
        let steps: Vec<String> = self
            .sequence
            .iter()
            .map(|s| match &s.link {
                None => s.operation.clone(),
                Some(link) => format!("{} (link {link})", s.operation),
            })
            .collect();
        Some(steps.join(" → "))
    }

    /// The failure as the reports show it: the detail, the case, the sequence and the curl.
    pub fn describe(&self) -> String {
        let mut text = format!("{}\ncase: {}", self.detail, self.case.label);
        if let Some(sequence) = self.sequence_text() {
            text.push_str(&format!("\nsequence: {sequence}"));
        }
        text.push('\n');
        text.push_str(&self.curl);
        text
    }
}

/// One case of the fuzz run in the shape of a scenario with one step.
fn record(
    place: &FuzzTally,
    name: String,
    text: String,
    failure: Option<String>,
) -> ScenarioRecord {
    let status = match failure {
        Some(_) => Status::Failed,
        None => Status::Passed,
    };
    ScenarioRecord {
        feature: format!("fuzz {}", place.api),
        path: format!("fuzz/{}", place.api),
        rule: None,
        scenario: name,
        line: 0,
        tags: vec!["fuzz".into()],
        status,
        duration_ms: 0,
        failure: failure.clone(),
        steps: vec![StepRecord {
            keyword: "Then".into(),
            text,
            status,
            failure,
            ..Default::default()
        }],
    }
}
