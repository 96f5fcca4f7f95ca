//! Vendor evidence: payloads the vendors published themselves (recorded responses, examples in
//! their own API descriptions, SDK fixtures, doc samples), checked against vouch's contracts.
//!
//! A corpus is a directory (`tests/vendor-evidence/` in this repository) with
//! - `manifest.json`: one entry per payload file, naming its `api`, `operation` (operationId),
//!   `direction` (`request` / `response`), `status` (responses only) and `source`;
//! - `expected-failures.txt`: the violations the contracts keep on purpose, one per line,
//!   `<file> <pointer> # reason` (the pointer is into the payload, `/` for the payload itself);
//! - the payload files, `<api>/NNN-<name>.json`.
//!
//! [`Corpus::load`] reads it and refuses a malformed one with an error naming the file, the
//! entry and the field. [`check`] validates every payload against its operation's request or
//! response body schema and sorts each into accepted, rejected only as expected, or rejected;
//! an expected failure that no longer occurs is *stale*, so the list cannot outlive its reason.
//! A check [`passes`](Check::passed) when nothing is rejected and nothing is stale. A payload
//! rejected only by our choices (`x-vouch-choice`, not a vendor's rule) is *unconfirmed*: shown
//! with each rule's reason, it fails the check only under `--strict` ([`Check::passed_strict`]).
//!
//! ```
//! use std::path::Path;
//! use vouch::contract::ContractSet;
//! use vouch::evidence::{Corpus, check};
//!
//! let contracts = ContractSet::embedded().unwrap();
//! let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vendor-evidence");
//! let corpus = Corpus::load(&dir).unwrap();
//! let result = check(&contracts, &corpus, &[]).unwrap();
//! assert!(result.passed());
//! ```

mod corpus;

pub use corpus::{Corpus, Entry, ExpectedFailure};

use crate::contract::{ContractSet, Provenance};
use crate::error::Error;
use corpus::bad;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Where this repository keeps its corpus, relative to the repository root.
pub const DEFAULT_DIR: &str = "tests/vendor-evidence";
/// The corpus's list of payloads.
pub const MANIFEST: &str = "manifest.json";
/// The corpus's list of violations kept on purpose.
pub const EXPECTED_FAILURES: &str = "expected-failures.txt";

/// One violation of a payload.
#[derive(Debug, Clone)]
pub struct Finding {
    /// A JSON pointer into the payload (`/` for the payload itself).
    pub pointer: String,
    /// The rule broken (`format`, `required`, ...).
    pub rule: String,
    /// What the contract expected.
    pub expected: String,
    /// What the payload has (secrets and PII redacted by the contract engine).
    pub actual: String,
    /// The reason from `expected-failures.txt`, when the violation is kept on purpose.
    pub kept_because: Option<String>,
    /// The rule's source, or our choice (then the finding is unconfirmed).
    pub provenance: Provenance,
}

/// How a payload fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// No violation.
    Accepted,
    /// Violations, every one of them listed in `expected-failures.txt`.
    ExpectedFailure,
    /// Violations not listed, every one of them of our choice (unconfirmed: fails only under
    /// `--strict`).
    Unconfirmed,
    /// At least one violation of a vendor rule that is not listed.
    Rejected,
}

/// One payload's result.
#[derive(Debug, Clone)]
pub struct PayloadResult {
    /// The payload file, as in the manifest.
    pub file: String,
    /// `operation request` or `operation response 201`.
    pub what: String,
    /// Its violations.
    pub findings: Vec<Finding>,
}

impl PayloadResult {
    /// Accepted, rejected only as expected, or rejected.
    pub fn verdict(&self) -> Verdict {
        if self.findings.is_empty() {
            Verdict::Accepted
        } else if self.findings.iter().all(|f| f.kept_because.is_some()) {
            Verdict::ExpectedFailure
        } else if self
            .findings
            .iter()
            .all(|f| f.kept_because.is_some() || f.provenance.is_choice())
        {
            Verdict::Unconfirmed
        } else {
            Verdict::Rejected
        }
    }
}

/// How much of an API's vendor evidence its contract accepts: the `evidence` member of each
/// API's coverage in `report.json`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Payloads the contract accepts as they are.
    pub accepted: usize,
    /// Payloads in the corpus for this API.
    pub total: usize,
    /// Payloads rejected only at pointers listed in `expected-failures.txt`.
    pub expected_failures: usize,
    /// Payloads rejected at a pointer that is not listed (a contract or corpus defect).
    pub rejected: usize,
    /// Payloads rejected, where not listed, only by our choices (unconfirmed).
    #[serde(default)]
    pub unconfirmed: usize,
}

/// One API's results.
#[derive(Debug, Clone)]
pub struct ApiEvidence {
    /// The API.
    pub api: String,
    /// Its payloads, in manifest order.
    pub payloads: Vec<PayloadResult>,
}

impl ApiEvidence {
    /// The counts.
    pub fn summary(&self) -> Summary {
        let count = |v: Verdict| self.payloads.iter().filter(|p| p.verdict() == v).count();
        Summary {
            accepted: count(Verdict::Accepted),
            total: self.payloads.len(),
            expected_failures: count(Verdict::ExpectedFailure),
            rejected: count(Verdict::Rejected),
            unconfirmed: count(Verdict::Unconfirmed),
        }
    }
}

/// The result of checking a corpus.
#[derive(Debug, Clone)]
pub struct Check {
    /// One entry per API checked, in contract order (APIs without payloads included).
    pub apis: Vec<ApiEvidence>,
    /// Expected failures that no longer occur.
    pub stale: Vec<ExpectedFailure>,
}

impl Check {
    /// Nothing rejected unexpectedly by a vendor rule and no stale expected failure.
    pub fn passed(&self) -> bool {
        self.passed_strict(false)
    }

    /// As [`Check::passed`]; with `strict`, a payload rejected only by our choices fails too.
    pub fn passed_strict(&self, strict: bool) -> bool {
        self.stale.is_empty()
            && self.apis.iter().all(|a| {
                a.payloads.iter().all(|p| match p.verdict() {
                    Verdict::Rejected => false,
                    Verdict::Unconfirmed => !strict,
                    _ => true,
                })
            })
    }

    /// The counts for one API (`None` when it was not checked).
    pub fn summary(&self, api: &str) -> Option<Summary> {
        self.apis
            .iter()
            .find(|a| a.api == api)
            .map(ApiEvidence::summary)
    }

    /// The counts over every API checked.
    pub fn total(&self) -> Summary {
        self.apis
            .iter()
            .map(ApiEvidence::summary)
            .fold(Summary::default(), |a, b| Summary {
                accepted: a.accepted.saturating_add(b.accepted),
                total: a.total.saturating_add(b.total),
                expected_failures: a.expected_failures.saturating_add(b.expected_failures),
                rejected: a.rejected.saturating_add(b.rejected),
                unconfirmed: a.unconfirmed.saturating_add(b.unconfirmed),
            })
    }
}

/// Validates every payload of `corpus` for the APIs in `apis` (every contract when empty)
/// against its operation's body schema. A manifest entry naming an unknown API or operation,
/// an undocumented status or an operation without a JSON body there is an error naming the
/// entry and field; so is an unknown API in `apis`.
pub fn check(contracts: &ContractSet, corpus: &Corpus, apis: &[String]) -> Result<Check, Error> {
    for api in apis {
        contracts.get(api)?;
    }
    let manifest = corpus.dir.join(MANIFEST);
    let selected = |api: &str| apis.is_empty() || apis.iter().any(|a| a == api);
    let expected: BTreeMap<(&str, &str), &ExpectedFailure> = corpus
        .expected
        .iter()
        .map(|e| ((e.file.as_str(), e.pointer.as_str()), e))
        .collect();
    let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut by_api: BTreeMap<&str, Vec<PayloadResult>> = BTreeMap::new();
    for (index, entry) in corpus.entries.iter().enumerate() {
        let field_error = |field: &str, e: &dyn std::fmt::Display| {
            bad(
                &manifest,
                format!("entry {index} ({}): `{field}`: {e}", entry.file),
            )
        };
        let contract = contracts
            .get(&entry.api)
            .map_err(|e| field_error("api", &e))?;
        let op = contract
            .operation(&entry.operation)
            .map_err(|e| field_error("operation", &e))?;
        if !selected(&entry.api) {
            continue;
        }
        let violations = contract
            .check_body(op, entry.status, &entry.payload)
            .map_err(|e| match e {
                Error::UndocumentedStatus { .. } => field_error("status", &e),
                _ => field_error("direction", &e),
            })?;
        let findings = violations
            .iter()
            .map(|v| {
                let pointer = match v.body_pointer() {
                    Some("") | None => "/".to_string(),
                    Some(p) => p.to_string(),
                };
                let key = (entry.file.as_str(), pointer.as_str());
                let kept_because = expected.get(&key).map(|e| {
                    seen.insert((e.file.as_str(), e.pointer.as_str()));
                    e.reason.clone()
                });
                Finding {
                    rule: v.rule.clone(),
                    expected: v.expected.clone(),
                    actual: v.actual.clone(),
                    kept_because,
                    pointer,
                    provenance: v.provenance.clone(),
                }
            })
            .collect();
        by_api
            .entry(entry.api.as_str())
            .or_default()
            .push(PayloadResult {
                file: entry.file.clone(),
                what: entry.what(),
                findings,
            });
    }
    let api_of = |file: &str| {
        corpus
            .entries
            .iter()
            .find(|e| e.file == file)
            .map(|e| e.api.as_str())
    };
    let stale = corpus
        .expected
        .iter()
        .filter(|e| api_of(&e.file).is_some_and(selected))
        .filter(|e| !seen.contains(&(e.file.as_str(), e.pointer.as_str())))
        .cloned()
        .collect();
    let apis = contracts
        .iter()
        .filter(|c| selected(&c.api))
        .map(|c| ApiEvidence {
            api: c.api.clone(),
            payloads: by_api.remove(c.api.as_str()).unwrap_or_default(),
        })
        .collect();
    Ok(Check { apis, stale })
}

/// The check as text for a terminal: per API `accepted/total` and every rejection (pointer,
/// rule, expected, actual), expected ones with their reason, then stale expected failures and
/// the totals.
pub fn render(check: &Check) -> String {
    let mut out = String::new();
    for api in &check.apis {
        let s = api.summary();
        out.push_str(&format!(
            "{}: {}/{} accepted, {} rejected only as expected{}, {} rejected\n",
            api.api,
            s.accepted,
            s.total,
            s.expected_failures,
            unconfirmed(&s),
            s.rejected
        ));
        for p in api.payloads.iter().filter(|p| !p.findings.is_empty()) {
            let label = match p.verdict() {
                Verdict::Rejected => "REJECTED",
                Verdict::Unconfirmed => "unconfirmed",
                _ => "expected",
            };
            out.push_str(&format!("  {label} {} ({})\n", p.file, p.what));
            for f in &p.findings {
                out.push_str(&format!(
                    "    {}: {}: expected {}, got {}\n",
                    f.pointer, f.rule, f.expected, f.actual
                ));
                out.push_str(&format!("      {}\n", f.provenance.describe()));
                match &f.kept_because {
                    Some(reason) => out.push_str(&format!("      kept: {reason}\n")),
                    None if f.provenance.is_choice() => out.push_str(
                        "      unconfirmed: no vendor source states this rule; fails only with --strict\n",
                    ),
                    None => out.push_str(
                        "      not expected: fix the contract, or list it in expected-failures.txt with its reason\n",
                    ),
                }
            }
        }
    }
    for e in &check.stale {
        out.push_str(&format!(
            "STALE {EXPECTED_FAILURES}:{}: {} {} no longer fails: remove the line\n",
            e.line, e.file, e.pointer
        ));
    }
    let t = check.total();
    out.push_str(&format!(
        "all: {}/{} accepted, {} rejected only as expected{}, {} rejected, {} stale\n",
        t.accepted,
        t.total,
        t.expected_failures,
        unconfirmed(&t),
        t.rejected,
        check.stale.len()
    ));
    out
}

/// `, N unconfirmed (our choices)` when some payloads are rejected only by our choices.
pub fn unconfirmed(s: &Summary) -> String {
    if s.unconfirmed == 0 {
        String::new()
    } else {
        format!(", {} unconfirmed (our choices)", s.unconfirmed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verdict_follows_its_findings() {
        let finding = |kept: bool| Finding {
            pointer: "/".into(),
            rule: "type".into(),
            expected: String::new(),
            actual: String::new(),
            kept_because: kept.then(|| "why".to_string()),
            provenance: Provenance::default(),
        };
        let mut p = PayloadResult {
            file: "a/1.json".into(),
            what: "op request".into(),
            findings: vec![],
        };
        assert_eq!(p.verdict(), Verdict::Accepted);
        p.findings.push(finding(true));
        assert_eq!(p.verdict(), Verdict::ExpectedFailure);
        let mut choice = finding(false);
        choice.provenance = Provenance::Choice {
            reason: "assumed".into(),
            notes: "choice-x".into(),
        };
        p.findings.push(choice);
        assert_eq!(p.verdict(), Verdict::Unconfirmed);
        let check = Check {
            apis: vec![ApiEvidence {
                api: "a".into(),
                payloads: vec![p.clone()],
            }],
            stale: vec![],
        };
        assert!(check.passed() && !check.passed_strict(true));
        assert_eq!(check.total().unconfirmed, 1);
        p.findings.push(finding(false));
        assert_eq!(p.verdict(), Verdict::Rejected);
    }
}
