//! Failures kept between runs, so a defect once found is tried first the next time: the last
//! run's failures (`.vouch/fuzz-failures.json`, rewritten every run) and the committed
//! regression cases (`tests/fuzz-regressions/*.json`, replayed every run). Both hold a JSON
//! list of [`SavedCase`]s.

use super::cases::Case;
use super::run::FuzzFailure;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A saved case: what to replay.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SavedCase {
    /// The API id the case is for.
    pub api: String,
    /// The `operationId` the case is sent to.
    pub operation: String,
    /// The request to replay.
    pub case: Case,
    /// Free text on why the case is kept: for saved failures, the failure's detail; empty
    /// (and left out of the file) when there is none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The cases to replay before generating any: the regression cases in `regressions` (a
/// directory), then the failures saved in `failures_file`.
pub(crate) fn load(
    regressions: Option<&PathBuf>,
    failures_file: Option<&PathBuf>,
) -> Vec<SavedCase> {
    let mut saved = load_dir(regressions);
    saved.extend(load_file(failures_file));
    saved
}

fn load_file(path: Option<&PathBuf>) -> Vec<SavedCase> {
    path.and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// Every `*.json` file of saved cases in a directory.
fn load_dir(dir: Option<&PathBuf>) -> Vec<SavedCase> {
    let Some(entries) = dir.and_then(|d| std::fs::read_dir(d).ok()) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths.iter().flat_map(|p| load_file(Some(p))).collect()
}

/// Replaces the saved failures at `path` with this run's, each with its detail as the note.
pub(crate) fn save_failures(path: &Path, failures: &[FuzzFailure]) -> Result<(), crate::Error> {
    let cases: Vec<SavedCase> = failures
        .iter()
        .map(|f| SavedCase {
            api: f.api.clone(),
            operation: f.operation.clone(),
            case: f.case.clone(),
            note: f.detail.clone(),
        })
        .collect();
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    std::fs::write(
        path,
        serde_json::to_string_pretty(&cases).unwrap_or_default(),
    )
    .map_err(|source| crate::Error::Io {
        path: path.display().to_string(),
        source,
    })
}
