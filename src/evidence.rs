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
//! A check [`passes`](Check::passed) when nothing is rejected and nothing is stale.
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

use crate::contract::{ContractSet, Direction};
use crate::error::Error;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Where this repository keeps its corpus, relative to the repository root.
pub const DEFAULT_DIR: &str = "tests/vendor-evidence";
/// The corpus's list of payloads.
pub const MANIFEST: &str = "manifest.json";
/// The corpus's list of violations kept on purpose.
pub const EXPECTED_FAILURES: &str = "expected-failures.txt";

/// One payload of the corpus: one entry of `manifest.json`.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The payload file, relative to the corpus directory (`verified/012-issue-201.json`).
    pub file: String,
    /// The API (a contract name).
    pub api: String,
    /// The operation's operationId.
    pub operation: String,
    /// Whether the payload is a request body or a response body.
    pub direction: Direction,
    /// The response status (responses only).
    pub status: Option<u16>,
    /// Where the vendor published it: `{repository, path, commit, pointer}` or `{url, date,
    /// pointer}`.
    pub source: Value,
    /// The payload itself.
    pub payload: Value,
}

impl Entry {
    /// `createOneClick request` or `createOneClick response 201`.
    pub fn what(&self) -> String {
        match self.status {
            Some(s) => format!("{} response {s}", self.operation),
            None => format!("{} request", self.operation),
        }
    }
}

/// One line of `expected-failures.txt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedFailure {
    /// The payload file, as in the manifest.
    pub file: String,
    /// A JSON pointer into the payload (`/` for the payload itself).
    pub pointer: String,
    /// Why the contract keeps rejecting it.
    pub reason: String,
    /// The line number in `expected-failures.txt` (from 1).
    pub line: usize,
}

/// A loaded corpus.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The corpus directory.
    pub dir: PathBuf,
    /// Every payload, in manifest order.
    pub entries: Vec<Entry>,
    /// Every expected failure, in file order.
    pub expected: Vec<ExpectedFailure>,
}

/// A corpus problem as the one-line error it becomes: the file, then what is wrong.
fn bad(path: &Path, message: impl Into<String>) -> Error {
    Error::Config {
        path: path.display().to_string(),
        message: message.into(),
    }
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })
}

/// A file name in the manifest must stay inside the corpus: relative, no `..`.
fn inside(file: &str) -> bool {
    let path = Path::new(file);
    !file.is_empty()
        && path.is_relative()
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

impl Corpus {
    /// Reads `dir/manifest.json`, every payload it lists and `dir/expected-failures.txt`
    /// (optional). Errors name the file, the manifest entry and the field: a missing or
    /// mistyped member, a payload that is missing or not JSON, a payload file the manifest
    /// does not list, an expected failure without a reason or naming no listed file.
    pub fn load(dir: &Path) -> Result<Self, Error> {
        let manifest_path = dir.join(MANIFEST);
        let text = read(&manifest_path)?;
        let manifest: Value = serde_json::from_str(&text).map_err(|e| Error::Json {
            path: manifest_path.display().to_string(),
            message: e.to_string(),
        })?;
        let items = manifest
            .as_array()
            .ok_or_else(|| bad(&manifest_path, "expected an array of entries"))?;
        let mut entries: Vec<Entry> = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let entry = parse_entry(dir, &manifest_path, index, item)?;
            if entries.iter().any(|e| e.file == entry.file) {
                return Err(bad(
                    &manifest_path,
                    format!("entry {index} ({}): `file`: listed twice", entry.file),
                ));
            }
            entries.push(entry);
        }
        let listed: BTreeSet<&str> = entries.iter().map(|e| e.file.as_str()).collect();
        for file in payload_files(dir)? {
            if !listed.contains(file.as_str()) {
                return Err(bad(
                    &dir.join(&file),
                    format!("not listed in {MANIFEST}: add an entry or remove the file"),
                ));
            }
        }
        let expected_path = dir.join(EXPECTED_FAILURES);
        let expected = if expected_path.is_file() {
            parse_expected(&expected_path, &read(&expected_path)?, &listed)?
        } else {
            Vec::new()
        };
        Ok(Self {
            dir: dir.to_path_buf(),
            entries,
            expected,
        })
    }
}

/// The `.json` files in the corpus's subdirectories (the payloads), relative to `dir`, with
/// `/` separators.
fn payload_files(dir: &Path) -> Result<Vec<String>, Error> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| Error::Io { path, source }
    };
    let mut out = Vec::new();
    for sub in std::fs::read_dir(dir).map_err(io(dir))? {
        let sub = sub.map_err(io(dir))?.path();
        if !sub.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&sub).map_err(io(&sub))? {
            let file = file.map_err(io(&sub))?.path();
            if file.extension().is_some_and(|e| e == "json")
                && let Ok(relative) = file.strip_prefix(dir)
            {
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn parse_entry(dir: &Path, manifest: &Path, index: usize, item: &Value) -> Result<Entry, Error> {
    let label = item.get("file").and_then(Value::as_str).map_or_else(
        || format!("entry {index}"),
        |f| format!("entry {index} ({f})"),
    );
    let field_error =
        |field: &str, message: &str| bad(manifest, format!("{label}: `{field}`: {message}"));
    if !item.is_object() {
        return Err(field_error("(entry)", "expected an object"));
    }
    let text = |field: &str| -> Result<String, Error> {
        match item.get(field) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
            Some(Value::String(_)) => Err(field_error(field, "is empty")),
            Some(_) => Err(field_error(field, "expected a string")),
            None => Err(field_error(field, "missing")),
        }
    };
    let file = text("file")?;
    if !inside(&file) {
        return Err(field_error(
            "file",
            "must be a path inside the corpus directory, without `..`",
        ));
    }
    let api = text("api")?;
    let operation = text("operation")?;
    let direction = match text("direction")?.as_str() {
        "request" => Direction::Request,
        "response" => Direction::Response,
        _ => return Err(field_error("direction", "expected `request` or `response`")),
    };
    let status = match (direction, item.get("status")) {
        (Direction::Request, None) => None,
        (Direction::Request, Some(_)) => {
            return Err(field_error("status", "a request has no status"));
        }
        (Direction::Response, Some(s)) => Some(
            s.as_u64()
                .and_then(|s| u16::try_from(s).ok())
                .filter(|s| (100..=599).contains(s))
                .ok_or_else(|| field_error("status", "expected an HTTP status, 100 to 599"))?,
        ),
        (Direction::Response, None) => {
            return Err(field_error(
                "status",
                "missing (a response needs its status)",
            ));
        }
    };
    let source = item.get("source").cloned().unwrap_or(Value::Null);
    let names_origin = ["repository", "url"].iter().any(|k| {
        source
            .get(k)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    });
    if !names_origin {
        return Err(field_error(
            "source",
            "expected an object naming the `repository` or the `url` it was published at",
        ));
    }
    let path = dir.join(&file);
    let payload_text = read(&path)?;
    let payload = serde_json::from_str(&payload_text).map_err(|e| Error::Json {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    Ok(Entry {
        file,
        api,
        operation,
        direction,
        status,
        source,
        payload,
    })
}

/// Parses `expected-failures.txt`: blank lines and `#` comments are skipped; every other line
/// is `<file> <pointer> # reason`.
fn parse_expected(
    path: &Path,
    text: &str,
    listed: &BTreeSet<&str>,
) -> Result<Vec<ExpectedFailure>, Error> {
    let mut out: Vec<ExpectedFailure> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = n.saturating_add(1);
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let at = |message: &str| bad(path, format!("line {line}: {message}"));
        let (spec, reason) = trimmed
            .split_once(" # ")
            .ok_or_else(|| at("expected `<file> <pointer> # reason`: the reason is missing"))?;
        let reason = reason.trim();
        let parts: Vec<&str> = spec.split_whitespace().collect();
        let [file, pointer] = parts.as_slice() else {
            return Err(at("expected `<file> <pointer> # reason`"));
        };
        if reason.is_empty() {
            return Err(at("the reason after `#` is empty"));
        }
        if !pointer.starts_with('/') {
            return Err(at(
                "the pointer must start with `/` (`/` alone is the payload)",
            ));
        }
        if !listed.contains(file) {
            return Err(at(&format!("`{file}` is not listed in {MANIFEST}")));
        }
        if out.iter().any(|e| e.file == *file && e.pointer == *pointer) {
            return Err(at(&format!("`{file} {pointer}` is listed twice")));
        }
        out.push(ExpectedFailure {
            file: (*file).to_string(),
            pointer: (*pointer).to_string(),
            reason: reason.to_string(),
            line,
        });
    }
    Ok(out)
}

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
}

/// How a payload fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// No violation.
    Accepted,
    /// Violations, every one of them listed in `expected-failures.txt`.
    ExpectedFailure,
    /// At least one violation that is not listed.
    Rejected,
}

/// One payload's result.
#[derive(Debug, Clone)]
pub struct PayloadResult {
    /// The payload's manifest entry (without the payload itself).
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
    /// Nothing rejected unexpectedly and no stale expected failure.
    pub fn passed(&self) -> bool {
        self.stale.is_empty()
            && self
                .apis
                .iter()
                .all(|a| a.payloads.iter().all(|p| p.verdict() != Verdict::Rejected))
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
            "{}: {}/{} accepted, {} rejected only as expected, {} rejected\n",
            api.api, s.accepted, s.total, s.expected_failures, s.rejected
        ));
        for p in api.payloads.iter().filter(|p| !p.findings.is_empty()) {
            let label = match p.verdict() {
                Verdict::Rejected => "REJECTED",
                _ => "expected",
            };
            out.push_str(&format!("  {label} {} ({})\n", p.file, p.what));
            for f in &p.findings {
                out.push_str(&format!(
                    "    {}: {}: expected {}, got {}\n",
                    f.pointer, f.rule, f.expected, f.actual
                ));
                match &f.kept_because {
                    Some(reason) => out.push_str(&format!("      kept: {reason}\n")),
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
        "all: {}/{} accepted, {} rejected only as expected, {} rejected, {} stale\n",
        t.accepted,
        t.total,
        t.expected_failures,
        t.rejected,
        check.stale.len()
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed() -> BTreeSet<&'static str> {
        ["a/1.json"].into_iter().collect()
    }

    #[test]
    fn expected_failure_lines_need_file_pointer_and_reason() {
        let path = Path::new("expected-failures.txt");
        let ok = parse_expected(path, "# c\n\na/1.json /x # why\n", &listed()).unwrap();
        assert_eq!(ok.len(), 1);
        assert_eq!((ok[0].pointer.as_str(), ok[0].line), ("/x", 3));
        for (text, says) in [
            (
                "a/1.json /x\n",
                "line 1: expected `<file> <pointer> # reason`: the reason",
            ),
            (
                "a/1.json x # why\n",
                "line 1: the pointer must start with `/`",
            ),
            ("b/2.json /x # why\n", "line 1: `b/2.json` is not listed"),
            (
                "a/1.json /x /y # why\n",
                "line 1: expected `<file> <pointer> # reason`",
            ),
            (
                "a/1.json /x # why\na/1.json /x # again\n",
                "line 2: `a/1.json /x` is listed twice",
            ),
        ] {
            let e = parse_expected(path, text, &listed())
                .unwrap_err()
                .to_string();
            assert!(e.contains(says), "{text:?}: {e}");
            assert!(!e.contains('\n'), "{e}");
        }
    }

    #[test]
    fn files_stay_inside_the_corpus() {
        assert!(inside("verified/001.json"));
        assert!(!inside("../x.json"));
        assert!(!inside("/etc/passwd"));
        assert!(!inside("a/../../b.json"));
        assert!(!inside(""));
    }

    #[test]
    fn a_verdict_follows_its_findings() {
        let finding = |kept: bool| Finding {
            pointer: "/".into(),
            rule: "type".into(),
            expected: String::new(),
            actual: String::new(),
            kept_because: kept.then(|| "why".to_string()),
        };
        let mut p = PayloadResult {
            file: "a/1.json".into(),
            what: "op request".into(),
            findings: vec![],
        };
        assert_eq!(p.verdict(), Verdict::Accepted);
        p.findings.push(finding(true));
        assert_eq!(p.verdict(), Verdict::ExpectedFailure);
        p.findings.push(finding(false));
        assert_eq!(p.verdict(), Verdict::Rejected);
    }
}
