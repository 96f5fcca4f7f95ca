//! `report.json`: the [`Report`] model as JSON, vouch's own stable format. Its JSON Schema is
//! [`SCHEMA`] (`src/report/report.schema.json`); `format` names the version.

use super::{Format, Report};

/// The `report.json` format: the whole [`Report`], pretty-printed, matching [`SCHEMA`].
pub const FORMAT: Format = Format {
    file_name: "report.json",
    render,
};

/// The JSON Schema of `report.json`.
pub const SCHEMA: &str = include_str!("report.schema.json");

fn render(report: &Report, _history: &[Report]) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_else(|e| {
        // Serialising plain data cannot fail; say so in the file rather than panic.
        format!("{{\"error\": \"report could not be serialised: {e}\"}}")
    });
    text.push('\n');
    text
}
