//! `junit.xml`: one `<testsuite>` per feature, one `<testcase>` per scenario (and per fuzz
//! operation × check and gap, in a suite per API: `Report::cases`); a failed case's
//! `<failure>` carries the failing step's message.

use super::{Format, Report, Status, escape_xml};
use std::collections::BTreeMap;

/// The `junit.xml` format: one `<testsuite>` per feature file, one `<testcase>` per scenario.
pub const FORMAT: Format = Format {
    file_name: "junit.xml",
    render,
};

fn render(report: &Report, _history: &[Report]) -> String {
    // A fuzz run's operation × check pairs and gaps are cases too, one suite per API.
    let cases = report.cases();
    let mut suites: BTreeMap<&str, Vec<&super::ScenarioRecord>> = BTreeMap::new();
    for s in &cases {
        suites.entry(s.path.as_str()).or_default().push(s);
    }
    let secs = |ms: u64| format!("{:.3}", ms as f64 / 1000.0);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // The root counts the `<testcase>`s below it: scenarios not run at all (`Report::skipped`)
    // have no case, so they are not in its `skipped` either (a reader computing passed = tests
    // - failures - skipped would otherwise go negative).
    let count = |status| cases.iter().filter(|s| s.status == status).count();
    out.push_str(&format!(
        "<testsuites name=\"vouch\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{}\">\n",
        cases.len(),
        count(Status::Failed),
        count(Status::Skipped),
        secs(report.run.duration_ms)
    ));
    for (path, scenarios) in suites {
        let count = |status| scenarios.iter().filter(|s| s.status == status).count();
        // Both counts match the `<failure>` and `<skipped/>` cases below: junitparser and CI
        // plugins read the suite's attributes, not the cases, for their totals.
        let (failures, skipped) = (count(Status::Failed), count(Status::Skipped));
        let time: u64 = scenarios.iter().map(|s| s.duration_ms).sum();
        let name = scenarios.first().map(|s| s.feature.as_str()).unwrap_or("");
        out.push_str(&format!(
            "  <testsuite name=\"{}\" file=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"{}\">\n",
            escape_xml(name),
            escape_xml(path),
            scenarios.len(),
            secs(time)
        ));
        for s in scenarios {
            out.push_str(&format!(
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\" time=\"{}\"",
                escape_xml(&s.scenario),
                escape_xml(name),
                escape_xml(&s.path),
                s.line,
                secs(s.duration_ms)
            ));
            // Unconfirmed findings (our choices, not vendor rules) are information, never a
            // <failure>: one `unconfirmed:` line each in <system-out>.
            let unconfirmed = super::unconfirmed(s);
            let system_out = if unconfirmed.is_empty() {
                String::new()
            } else {
                let lines: Vec<String> = unconfirmed
                    .iter()
                    .map(|l| format!("unconfirmed: {}", escape_xml(l)))
                    .collect();
                format!("      <system-out>{}</system-out>\n", lines.join("\n"))
            };
            match (s.status, &s.failure) {
                (Status::Failed, failure) => {
                    let message = failure.as_deref().unwrap_or("failed");
                    let first = message.lines().next().unwrap_or_default();
                    out.push_str(&format!(
                        ">\n      <failure message=\"{}\">{}</failure>\n{system_out}    </testcase>\n",
                        escape_xml(first),
                        escape_xml(message)
                    ));
                }
                (Status::Skipped, _) => out.push_str(">\n      <skipped/>\n    </testcase>\n"),
                _ if !system_out.is_empty() => {
                    out.push_str(&format!(">\n{system_out}    </testcase>\n"))
                }
                _ => out.push_str("/>\n"),
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
