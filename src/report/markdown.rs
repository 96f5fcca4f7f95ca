//! `summary.md`: a short Markdown summary for a CI job summary or a PR comment: totals,
//! conformance per API, and the failed scenarios with their first line of failure.

use super::coverage::gaps;
use super::{Format, Reach, Report, Status};

/// The `summary.md` format: totals, conformance per API and the failed scenarios.
pub const FORMAT: Format = Format {
    file_name: "summary.md",
    render,
};

const MAX_FAILURES: usize = 30;

/// `19/26, 7 expected failures` (and the unexpected rejections in bold), or `—` when the run
/// checked no vendor evidence.
fn evidence(e: Option<&crate::evidence::Summary>) -> String {
    let Some(e) = e else {
        return "—".into();
    };
    let mut text = format!("{}/{}", e.accepted, e.total);
    if e.expected_failures > 0 {
        let noun = if e.expected_failures == 1 {
            "failure"
        } else {
            "failures"
        };
        text.push_str(&format!(", {} expected {noun}", e.expected_failures));
    }
    if e.rejected > 0 {
        text.push_str(&format!(", **{} rejected**", e.rejected));
    }
    text
}

fn render(report: &Report, _history: &[Report]) -> String {
    let t = &report.totals;
    // A fuzz run that failed (or left work undone) fails the run, as `vouch run` exits 1.
    let fuzz_failed = report.fuzz.as_ref().is_some_and(super::FuzzRun::failed);
    let verdict = if t.failed == 0 && report.errors.is_empty() && !fuzz_failed {
        "✅ passed"
    } else {
        "❌ failed"
    };
    let mut out = format!(
        "# {}: {verdict}\n\n{} scenarios against the `{}` target: **{} passed**, **{} failed**, {} skipped; {} exchanges, {} contract violations in requests and responses, each expected by its scenario when the run passes ({:.1} s, vouch {}).\n\n",
        report.command(),
        t.scenarios,
        report.run.target,
        t.passed,
        t.failed,
        t.skipped,
        t.exchanges,
        t.violations,
        report.run.duration_ms as f64 / 1000.0,
        report.run.vouch_version
    );
    out.push_str(&format!("{}\n\n", super::selection_line(report)));
    if !report.coverage.is_empty() {
        out.push_str("| API | operations exercised | documented statuses reached natively | only through injected faults | never reached | conformance | vendor evidence accepted |\n|---|---|---|---|---|---|---|\n");
        for api in &report.coverage {
            let exercised = api.operations.iter().filter(|o| o.exercised).count();
            out.push_str(&format!(
                "| {} | {}/{} | {}/{} ({:.0}%) | {} | {} | {:.0}% ({}/{} passing{}) | {} |\n",
                api.api,
                exercised,
                api.operations.len(),
                api.reached_natively,
                api.documented,
                api.native_share() * 100.0,
                api.reached_by_faults_only,
                api.never_reached,
                api.score * 100.0,
                api.passing,
                api.documented,
                match api.failing_scenarios {
                    0 => String::new(),
                    n => format!("; **{n} failing scenario(s)**"),
                },
                evidence(api.evidence.as_ref())
            ));
        }
        out.push('\n');
        out.push_str(&not_reached(report));
    } else {
        out.push_str("No API was sent a request: nothing to cover.\n\n");
    }
    // Fuzz failures are listed as failed scenarios are (`Report::cases`).
    let cases = report.cases();
    let failed: Vec<_> = cases
        .iter()
        .filter(|s| s.status == Status::Failed)
        .collect();
    if !failed.is_empty() {
        out.push_str("## Failures\n\n");
        for s in failed.iter().take(MAX_FAILURES) {
            let first = s
                .failure
                .as_deref()
                .and_then(|f| f.lines().next())
                .unwrap_or("failed")
                .replace('`', "'");
            out.push_str(&format!(
                "- `{}:{}` {}: `{first}`\n",
                s.path, s.line, s.scenario
            ));
        }
        if failed.len() > MAX_FAILURES {
            out.push_str(&format!("- … and {} more\n", failed.len() - MAX_FAILURES));
        }
        out.push('\n');
    }
    out.push_str(&unconfirmed(report));
    for e in &report.errors {
        out.push_str(&format!("- error: {e}\n"));
    }
    out
}

/// Unconfirmed findings: violations of our choices, each with its reason and NOTES anchor.
fn unconfirmed(report: &Report) -> String {
    let lines: Vec<String> = report
        .scenarios
        .iter()
        .flat_map(|s| {
            super::unconfirmed(s)
                .into_iter()
                .map(move |l| format!("- `{}:{}` {}\n", s.path, s.line, l.replace('`', "'")))
        })
        .collect();
    if lines.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "## Unconfirmed findings ({})\n\nViolations of rules no vendor source states (our choices, contracts/NOTES.md § Choices); they fail only with `--strict`.\n\n",
        lines.len()
    );
    for l in lines.iter().take(MAX_FAILURES) {
        out.push_str(l);
    }
    if lines.len() > MAX_FAILURES {
        out.push_str(&format!("- … and {} more\n", lines.len() - MAX_FAILURES));
    }
    out.push('\n');
    out
}

/// Documented statuses not reached natively, per API, grouped by status and reason; those
/// without a reason are gaps in the suite and come first.
fn not_reached(report: &Report) -> String {
    let mut out = String::new();
    for api in &report.coverage {
        let gaps = gaps(api);
        if gaps.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "<details><summary>{}: {} documented status(es) not reached natively ({} without a reason)</summary>\n\n",
            api.api,
            api.reached_by_faults_only + api.never_reached,
            api.unexplained
        ));
        for g in gaps {
            let how = match g.reached {
                Reach::FaultOnly => "only through injected faults",
                _ => "never reached",
            };
            out.push_str(&format!(
                "- **{}** {how} on {}: {}\n",
                g.status,
                g.operations.join(", "),
                g.reason
                    .as_deref()
                    .map_or_else(
                        || format!("**{}**", super::no_reason(report)),
                        str::to_string
                    )
                    .replace('\n', " ")
            ));
        }
        out.push_str("\n</details>\n\n");
    }
    out
}
