//! `report.html`: one self-contained page (inline CSS, SVG and a few lines of inline script to
//! filter the scenario list; no external assets): the summary and the selection the run made,
//! a trend chart across earlier runs of that selection in the same reports directory, a
//! coverage matrix per API touched (operations × documented statuses, coloured), every
//! scenario that ran (filterable by status and API), and every failure with its requests,
//! responses, violations and curl commands.

use super::coverage::gaps;
use super::{Format, Reach, Report, Status, escape_xml as esc};

/// The `report.html` format: one self-contained page, with a trend across the earlier runs.
pub const FORMAT: Format = Format {
    file_name: "report.html",
    render,
};

const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}\
h1{margin-top:0}table{border-collapse:collapse;margin:.5em 0 1.5em}\
td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}\
.pass{background:#c8f0c8}.fail{background:#f6c6c6}.seen{background:#f8e7a8}.none{background:#eee;color:#888}\
.fault{background:#dcd0f4}.gap{background:#f6c6c6;color:#b01919}\
.ok{color:#197019}.bad{color:#b01919}pre{background:#f5f5f5;padding:.5em;overflow-x:auto;white-space:pre-wrap}\
details{margin:.3em 0}summary{cursor:pointer}.legend span{padding:0 .5em;margin-right:.5em}";

fn render(report: &Report, history: &[Report]) -> String {
    let mut out = head(report);
    out.push_str(&unconfirmed_findings(report));
    out.push_str("<h2>Trend</h2>\n");
    out.push_str(&super::trend::chart(report, history));
    out.push_str("<h2>Coverage</h2>\n<p class=\"legend\"><span class=\"pass\">✓ reached natively, passing</span><span class=\"seen\">! reached natively, failing or breaking the contract</span><span class=\"fault\">F only through injected faults (not counted)</span><span class=\"none\">— never reached, with the contract's reason</span><span class=\"gap\">· never reached, no reason</span></p>\n");
    if report.coverage.is_empty() {
        out.push_str("<p>No API was sent a request: nothing to cover.</p>\n");
    }
    for api in &report.coverage {
        out.push_str(&api_coverage(api, super::no_reason(report)));
    }
    out.push_str(&super::scenario_list::html(report));
    out.push_str(&failures(report));
    out.push_str("</body>\n</html>\n");
    out
}

/// The unconfirmed findings (violations of our choices, contracts/NOTES.md § Choices), each
/// with its scenario; they fail only with `--strict`.
fn unconfirmed_findings(report: &Report) -> String {
    let items: Vec<String> = report
        .scenarios
        .iter()
        .flat_map(|s| {
            super::unconfirmed(s)
                .into_iter()
                .map(move |l| format!("<li>{}:{} {}</li>\n", esc(&s.path), s.line, esc(&l)))
        })
        .collect();
    if items.is_empty() {
        return String::new();
    }
    format!(
        "<h2>Unconfirmed findings ({})</h2>\n<p>Violations of rules no vendor source states (our choices, contracts/NOTES.md § Choices); they fail only with <code>--strict</code>.</p>\n<ul>\n{}</ul>\n",
        items.len(),
        items.concat()
    )
}

/// The page's head, the verdict with the run's totals, and the run's errors.
fn head(report: &Report) -> String {
    let t = &report.totals;
    let mut out =
        String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!(
        "<title>{} report {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        report.command(),
        esc(&report.run.started_at)
    ));
    // A fuzz run that failed (or left work undone) fails the run, as `vouch run` exits 1.
    let fuzz_failed = report.fuzz.as_ref().is_some_and(super::FuzzRun::failed);
    let verdict = if t.failed == 0 && report.errors.is_empty() && !fuzz_failed {
        "<span class=\"ok\">passed</span>"
    } else {
        "<span class=\"bad\">failed</span>"
    };
    out.push_str(&format!(
        "<h1>{}: {verdict}</h1>\n<p>{} against the <b>{}</b> target, vouch {}: {} scenarios, <b class=\"ok\">{} passed</b>, <b class=\"bad\">{} failed</b>, {} skipped; {} exchanges, {} contract violations in requests and responses (a passing run has only those its scenarios expect, e.g. deliberately bad input); {:.1} s.</p>\n",
        report.command(),
        esc(&report.run.started_at),
        esc(&report.run.target),
        esc(&report.run.vouch_version),
        t.scenarios, t.passed, t.failed, t.skipped, t.exchanges, t.violations,
        report.run.duration_ms as f64 / 1000.0
    ));
    out.push_str(&format!("<p>{}</p>\n", esc(&super::selection_line(report))));
    if !report.errors.is_empty() {
        out.push_str("<h2>Errors</h2>\n<ul>\n");
        for e in &report.errors {
            out.push_str(&format!("<li>{}</li>\n", esc(e)));
        }
        out.push_str("</ul>\n");
    }
    out
}

/// One API's coverage: its score, the operation × status table, and why statuses were not
/// reached natively.
fn api_coverage(api: &super::ApiCoverage, no_reason: &str) -> String {
    let mut out = String::new();
    let evidence = api.evidence.map_or(String::new(), |e| {
        let rejected = if e.rejected > 0 {
            format!(", <span class=\"bad\">{} rejected</span>", e.rejected)
        } else {
            String::new()
        };
        let noun = if e.expected_failures == 1 {
            "failure"
        } else {
            "failures"
        };
        format!(
            "; vendor evidence accepted {}/{} ({} expected {noun}{rejected})",
            e.accepted, e.total, e.expected_failures
        )
    });
    let failing = match api.failing_scenarios {
        0 => String::new(),
        n => format!(", <span class=\"bad\">{n} failing scenario(s) count against it</span>"),
    };
    out.push_str(&format!(
        "<h3>{} — conformance {:.0}% ({}/{} documented statuses passing{failing}); reached natively {}/{} ({:.0}%), only through faults {}, never {}{evidence}</h3>\n",
        esc(&api.api),
        api.score * 100.0,
        api.passing,
        api.documented,
        api.reached_natively,
        api.documented,
        api.native_share() * 100.0,
        api.reached_by_faults_only,
        api.never_reached
    ));
    let mut columns: Vec<String> = Vec::new();
    for op in &api.operations {
        for s in &op.statuses {
            if !columns.contains(&s.status) {
                columns.push(s.status.clone());
            }
        }
    }
    columns.sort();
    out.push_str("<table>\n<tr><th>operation</th>");
    for c in &columns {
        out.push_str(&format!("<th>{}</th>", esc(c)));
    }
    out.push_str("<th>error codes seen</th><th>answered by injected faults</th></tr>\n");
    for op in &api.operations {
        out.push_str(&format!(
            "<tr><td class=\"{}\" title=\"{} {}\">{}</td>",
            if op.exercised { "pass" } else { "none" },
            esc(&op.method),
            esc(&op.path),
            esc(&op.operation)
        ));
        for c in &columns {
            let reason =
                |s: &super::StatusCoverage| esc(s.unreachable.as_deref().unwrap_or(no_reason));
            match op.statuses.iter().find(|s| &s.status == c) {
                None => out.push_str("<td></td>"),
                Some(s) if s.passing => out.push_str("<td class=\"pass\">✓</td>"),
                Some(s) if s.reached == Reach::Native => out.push_str("<td class=\"seen\">!</td>"),
                Some(s) if s.reached == Reach::FaultOnly => out.push_str(&format!(
                    "<td class=\"fault\" title=\"{}\">F</td>",
                    reason(s)
                )),
                Some(s) if s.unreachable.is_some() => out.push_str(&format!(
                    "<td class=\"none\" title=\"{}\">—</td>",
                    reason(s)
                )),
                Some(_) => out.push_str(&format!(
                    "<td class=\"gap\" title=\"{}\">·</td>",
                    esc(no_reason)
                )),
            }
        }
        let faults: Vec<String> = op.fault_statuses.iter().map(u16::to_string).collect();
        out.push_str(&format!(
            "<td>{}</td><td>{}</td></tr>\n",
            esc(&op.error_codes.join(", ")),
            faults.join(", ")
        ));
    }
    out.push_str("</table>\n");
    let gaps = gaps(api);
    if !gaps.is_empty() {
        out.push_str("<details><summary>not reached natively, and why</summary>\n<ul>\n");
        for g in gaps {
            out.push_str(&format!(
                "<li><b>{}</b> {} on {}: {}</li>\n",
                esc(&g.status),
                if g.reached == Reach::FaultOnly {
                    "only through injected faults"
                } else {
                    "never reached"
                },
                esc(&g.operations.join(", ")),
                esc(g.reason.as_deref().unwrap_or(no_reason))
            ));
        }
        out.push_str("</ul>\n</details>\n");
    }
    out
}

/// The failed cases (scenarios, and fuzz checks: `Report::cases`), each with its exchanges.
fn failures(report: &Report) -> String {
    let mut out = String::new();
    // Fuzz failures are listed as failed scenarios are (`Report::cases`).
    let cases = report.cases();
    let failed: Vec<_> = cases
        .iter()
        .filter(|s| s.status == Status::Failed)
        .collect();
    out.push_str(&format!("<h2>Failures ({})</h2>\n", failed.len()));
    for s in failed {
        out.push_str(&format!(
            "<details open><summary><b>{}</b> — {}:{}</summary>\n<pre>{}</pre>\n",
            esc(&s.scenario),
            esc(&s.path),
            s.line,
            esc(s.failure.as_deref().unwrap_or("failed"))
        ));
        for step in &s.steps {
            for e in &step.exchanges {
                out.push_str(&exchange(e));
            }
        }
        out.push_str("</details>\n");
    }
    out
}

/// One exchange of a failed case: request, response, violations and the curl that repeats it.
fn exchange(e: &super::ExchangeRecord) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "<details><summary>{} {} → {}{}</summary>\n<pre>",
        esc(&e.method),
        esc(&e.url),
        e.status.map_or("no response".into(), |s| s.to_string()),
        e.fault
            .as_deref()
            .map(|f| format!(" (injected fault: {})", esc(f)))
            .unwrap_or_default()
    ));
    for h in &e.request_headers {
        out.push_str(&format!("{}: {}\n", esc(&h.name), esc(&h.value)));
    }
    if let Some(b) = &e.request_body {
        out.push_str(&format!("\n{}\n", esc(b)));
    }
    out.push_str("</pre>\n");
    if let Some(b) = &e.response_body {
        out.push_str(&format!("<p>response</p><pre>{}</pre>\n", esc(b)));
    }
    let violations: Vec<String> = e
        .response_violations
        .iter()
        .chain(&e.request_violations)
        .map(|v| esc(&v.to_string()))
        .collect();
    if !violations.is_empty() {
        out.push_str(&format!(
            "<p>violations</p><pre>{}</pre>\n",
            violations.join("\n")
        ));
    }
    out.push_str(&format!(
        "<p>reproduce</p><pre>{}</pre>\n</details>\n",
        esc(&e.curl)
    ));
    out
}
