//! Reading a corpus: `manifest.json`, the payloads it lists and `expected-failures.txt`, each
//! malformed part refused with an error naming the file, the entry and the field.

use super::{EXPECTED_FAILURES, MANIFEST};
use crate::contract::Direction;
use crate::error::Error;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

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
pub(super) fn bad(path: &Path, message: impl Into<String>) -> Error {
    Error::Config {
        path: path.display().to_string(),
        message: message.into(),
    }
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        error: source,
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
        move |source| Error::Io {
            path,
            error: source,
        }
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
}
