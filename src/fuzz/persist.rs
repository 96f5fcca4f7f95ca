//! Failures kept between runs, so a defect once found is tried first the next time: the last
//! run's failures (`.vouch/fuzz-failures.json`, rewritten every run) and the committed
//! regression cases (`tests/fuzz-regressions/*.json`, replayed every run). Both hold a JSON
//! list of [`SavedCase`]s. A file that cannot be read as one, or a case naming an API or
//! operation the contracts lack, is an error naming the file: a regression case that silently
//! stops replaying protects nothing.

use super::cases::Case;
use super::report::FuzzFailure;
use super::sequence::Step;
use crate::contract::ContractSet;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A saved case: what to replay.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SavedCase {
    /// The API id the case is for.
    pub api: String,
    /// The `operationId` the case is sent to (for a sequence, the operation whose answer
    /// failed: its last step).
    pub operation: String,
    /// The request to replay (for a sequence, the failing request as it was sent).
    pub case: Case,
    /// Free text on why the case is kept: for saved failures, the failure's detail; empty
    /// (and left out of the file) when there is none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// For a failure inside a link sequence, every step of it: the replay sends them all,
    /// filling in the linked values from the new answers. Empty for a single request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sequence: Vec<Step>,
}

/// The cases to replay before generating any: the regression cases in `regressions` (a
/// directory; absent is none), then the failures saved in `failures_file` (absent is none).
pub(crate) fn load(
    contracts: &ContractSet,
    regressions: Option<&PathBuf>,
    failures_file: Option<&PathBuf>,
) -> Result<Vec<SavedCase>, crate::Error> {
    let mut files = Vec::new();
    if let Some(dir) = regressions.filter(|d| d.exists()) {
        let entries = std::fs::read_dir(dir).map_err(|source| crate::Error::Io {
            path: dir.display().to_string(),
            error: source,
        })?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        files.extend(paths);
    }
    files.extend(failures_file.filter(|f| f.exists()).cloned());
    let mut saved = Vec::new();
    for path in files {
        saved.extend(load_file(contracts, &path)?);
    }
    Ok(saved)
}

fn load_file(contracts: &ContractSet, path: &Path) -> Result<Vec<SavedCase>, crate::Error> {
    let bad = |message: String| crate::Error::Config {
        path: path.display().to_string(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|source| crate::Error::Io {
        path: path.display().to_string(),
        error: source,
    })?;
    let cases: Vec<SavedCase> = serde_json::from_str(&text)
        .map_err(|e| bad(format!("not a list of saved fuzz cases: {e}")))?;
    for (i, case) in cases.iter().enumerate() {
        let contract = contracts
            .get(&case.api)
            .map_err(|_| bad(format!("case {i}: no API `{}`", case.api)))?;
        let operations =
            std::iter::once(&case.operation).chain(case.sequence.iter().map(|s| &s.operation));
        for operation in operations {
            contract.operation(operation).map_err(|_| {
                bad(format!(
                    "case {i}: no operation `{operation}` in {}",
                    case.api
                ))
            })?;
        }
    }
    Ok(cases)
}

/// Replaces the saved failures at `path` with this run's, each with its detail as the note.
pub(crate) fn save_failures(path: &Path, failures: &[FuzzFailure]) -> Result<(), crate::Error> {
    let cases: Vec<SavedCase> = failures
        .iter()
        .map(|f| SavedCase {
            api: f.api.clone(),
            operation: f.operation.clone(),
            case: f.case.clone(),
            note: format!("{}: {}", f.check.name(), f.detail),
            sequence: f.sequence.clone(),
        })
        .collect();
    let io = |source| crate::Error::Io {
        path: path.display().to_string(),
        error: source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let text = serde_json::to_string_pretty(&cases).map_err(|e| crate::Error::Config {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    std::fs::write(path, text).map_err(io)
}
