//! Reports of a run: one model ([`Report`], built while the suite runs by the runner) and one
//! module per format, each a [`Format`] rendering the model to one file:
//!
//! - [`json`]: `report.json`, vouch's own documented format (schema: `report.schema.json`);
//! - [`junit`]: `junit.xml` for CI systems;
//! - [`cucumber_json`]: cucumber's standard `cucumber.json`;
//! - [`markdown`]: `summary.md`, for a CI job summary or a PR comment;
//! - [`html`]: `report.html`, one self-contained page with a trend across earlier runs.
//!
//! Secrets and PII: bodies and headers are redacted by member name when recorded, and unless
//! `--no-redact` every value seen under a sensitive name anywhere in the run (and every
//! credential of the target) is scrubbed from the whole report, step text included.

mod contracts;
mod coverage;
pub mod cucumber_json;
mod fuzz_run;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
mod merge;
mod model;
pub mod proxy_run;
mod scenario_list;
mod scrub;
mod trend;

pub use contracts::contract_set_record;
pub use coverage::{coverage, coverage_of_selection};
pub use fuzz_run::{FuzzCase, FuzzFailure, FuzzGap, FuzzLink, FuzzRun, FuzzStep, FuzzTally};
pub use merge::{MergeError, merge};
pub use model::*;
pub use scrub::{SCRUB_KEY_VARIABLE, scrub, scrub_with_fingerprints};

use std::path::{Path, PathBuf};

/// One report format: the file it writes and how it renders a run. `history` holds the
/// earlier runs' reports found beside the new one, oldest first.
pub struct Format {
    /// The file written in the run's report directory (`report.json`, `junit.xml`, ...).
    pub file_name: &'static str,
    /// Renders the run (with the earlier runs, for formats that show a trend) to the file's
    /// whole text.
    pub render: fn(report: &Report, history: &[Report]) -> String,
}

/// Every format `vouch run` writes.
pub const FORMATS: &[Format] = &[
    json::FORMAT,
    junit::FORMAT,
    cucumber_json::FORMAT,
    markdown::FORMAT,
    html::FORMAT,
];

/// Writes every format to a new `<root>/<timestamp>/` directory and returns it.
pub fn write_report(root: &Path, report: &Report) -> std::io::Result<PathBuf> {
    let history = history(root);
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let mut dir = root.join(&stamp);
    let mut n = 1;
    while dir.exists() {
        n += 1;
        dir = root.join(format!("{stamp}-{n}"));
    }
    write_report_to(&dir, report, &history)?;
    Ok(dir)
}

/// Writes every format into `dir` (created if need be), `history` being the earlier runs'
/// reports, oldest first (for the trend).
pub fn write_report_to(dir: &Path, report: &Report, history: &[Report]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for format in FORMATS {
        std::fs::write(dir.join(format.file_name), (format.render)(report, history))?;
    }
    Ok(())
}

/// The `report.json`s of earlier runs under `root`, oldest first (by directory name).
pub fn history(root: &Path) -> Vec<Report> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("report.json").is_file())
        .collect();
    dirs.sort();
    dirs.iter()
        .filter_map(|d| read(&d.join("report.json")).ok())
        .collect()
}

/// A `report.json` that cannot be read, naming the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportReadError {
    /// The file cannot be read.
    #[error("{}: {source}", file.display())]
    Io {
        /// The file.
        file: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a vouch report.
    #[error("{}: {source}", file.display())]
    Json {
        /// The file.
        file: std::path::PathBuf,
        /// Why.
        source: serde_json::Error,
    },
}

/// Reads a `report.json`, or the one in a report directory.
pub fn read(path: &Path) -> Result<Report, ReportReadError> {
    let file = if path.is_dir() {
        path.join("report.json")
    } else {
        path.to_path_buf()
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(source) => return Err(ReportReadError::Io { file, source }),
    };
    serde_json::from_str(&text).map_err(|source| ReportReadError::Json { file, source })
}

/// Fills the totals from the scenarios, and each API's confirmed and unconfirmed findings.
pub fn total(report: &mut Report) {
    for api in &mut report.coverage {
        let mine = report
            .scenarios
            .iter()
            .flat_map(ScenarioRecord::exchanges)
            .filter(|e| e.api == api.api)
            .flat_map(|e| e.request_violations.iter().chain(&e.response_violations));
        let (unconfirmed, confirmed): (Vec<_>, Vec<_>) = mine.partition(|v| v.is_unconfirmed());
        api.confirmed_findings = confirmed.len();
        api.unconfirmed_findings = unconfirmed.len();
    }
    let t = &mut report.totals;
    *t = Totals::default();
    for s in &report.scenarios {
        t.scenarios += 1;
        match s.status {
            Status::Passed => t.passed += 1,
            Status::Failed => t.failed += 1,
            Status::Skipped => t.skipped += 1,
        }
        t.steps += s.steps.len();
        for e in s.exchanges() {
            t.exchanges += 1;
            t.violations += e.request_violations.len() + e.response_violations.len();
            t.unconfirmed += e
                .request_violations
                .iter()
                .chain(&e.response_violations)
                .filter(|v| v.is_unconfirmed())
                .count();
        }
    }
    t.skipped += report.skipped.len();
}

/// Why a documented status the contract gives no reason for was not reached: in a run of part
/// of the suite, its selection did not reach it (not a gap in the suite); in a whole run, no
/// scenario reaches it.
pub(crate) fn no_reason(report: &Report) -> &'static str {
    if report.selection.as_ref().is_some_and(Selection::is_partial) {
        "not reached by the selected scenarios"
    } else {
        "no reason given: no scenario reaches it"
    }
}

/// The run's selection and contracts, as one line for the top of `summary.md` and
/// `report.html`: what the coverage and the score below are of.
pub fn selection_line(report: &Report) -> String {
    let selection = match &report.selection {
        Some(s) if s.is_partial() => format!(
            "{} (part of the suite: coverage and score of the operations it exercised only)",
            s.describe()
        ),
        Some(s) => s.describe(),
        None => "not recorded (a report from an older vouch)".into(),
    };
    let contracts = match &report.contract_set {
        Some(c) => format!("{}, sha256 {}", c.source, c.sha256.get(..12).unwrap_or("")),
        None => "not recorded".into(),
    };
    format!("Selection: {selection}; contracts: {contracts}")
}

/// Every unconfirmed finding of a scenario (a violation of our choice), as one line with its
/// reason and NOTES anchor, for the formats that show them beside a passing verdict.
pub fn unconfirmed(s: &ScenarioRecord) -> Vec<String> {
    s.exchanges()
        .flat_map(|e| {
            e.request_violations
                .iter()
                .chain(&e.response_violations)
                .filter(|v| v.is_unconfirmed())
                .map(move |v| format!("{} {}: {v}", e.method, e.url))
        })
        .collect()
}

/// Escapes text for XML and HTML.
pub(crate) fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // characters XML 1.0 does not allow
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escaping_drops_control_characters() {
        assert_eq!(escape_xml("a<b&\u{1}\"c'"), "a&lt;b&amp;&quot;c&#39;");
    }
}
