//! The list of every scenario a run ran (and skipped) in `report.html`, with its status and
//! API, filterable by both with a few lines of inline script (no external asset; without
//! script the whole list shows).

use super::{Report, ScenarioRecord, escape_xml as esc};
use std::collections::BTreeSet;

/// Filters the list's rows by the two selects. No `<` in it: the page stays well-formed XML
/// for the tests' checker, and nothing in it is a URL.
const SCRIPT: &str = "function vouchFilter(){\
var s=document.getElementById('vouch-status').value,a=document.getElementById('vouch-api').value,n=0;\
document.querySelectorAll('#vouch-scenarios tbody tr').forEach(function(r){\
var ok=(s===''||r.dataset.status===s)&&(a===''||r.dataset.api.split(' ').indexOf(a)!==-1);\
r.hidden=!ok;if(ok){n+=1;}});\
document.getElementById('vouch-shown').textContent=n;}";

/// The APIs a scenario concerns: those it sent requests to; else its API tag; else the
/// `features/<api>/` folder it sits in.
pub(crate) fn scenario_apis(s: &ScenarioRecord) -> Vec<String> {
    let sent: BTreeSet<String> = s.exchanges().map(|e| e.api.clone()).collect();
    if !sent.is_empty() {
        return sent.into_iter().collect();
    }
    let ids: Vec<&str> = crate::apis::all().iter().map(|a| a.id).collect();
    if let Some(tag) = s.tags.iter().find(|t| ids.contains(&t.as_str())) {
        return vec![tag.clone()];
    }
    api_in_path(&s.path, &ids).into_iter().collect()
}

/// The API whose `features/<api>/` folder a path (or a skipped scenario's line) names.
fn api_in_path(text: &str, ids: &[&str]) -> Option<String> {
    ids.iter()
        .find(|id| text.contains(&format!("features/{id}/")))
        .map(|id| id.to_string())
}

/// The section: two filters and a table of every scenario, skipped ones included.
pub(crate) fn html(report: &Report) -> String {
    let ids: Vec<&str> = crate::apis::all().iter().map(|a| a.id).collect();
    let mut rows = Vec::new();
    let mut apis = BTreeSet::new();
    for s in &report.scenarios {
        let mine = scenario_apis(s);
        apis.extend(mine.iter().cloned());
        let failure = s
            .failure
            .as_deref()
            .and_then(|f| f.lines().next())
            .unwrap_or_default();
        rows.push(format!(
            "<tr data-status=\"{0}\" data-api=\"{1}\"><td class=\"{2}\">{0}</td><td>{1}</td><td>{3}:{4}</td><td>{5}</td><td>{6}</td></tr>\n",
            s.status.as_str(),
            esc(&mine.join(" ")),
            match s.status {
                super::Status::Passed => "pass",
                super::Status::Failed => "fail",
                super::Status::Skipped => "none",
            },
            esc(&s.path),
            s.line,
            esc(&s.scenario),
            esc(failure)
        ));
    }
    for line in &report.skipped {
        let api = api_in_path(line, &ids).unwrap_or_default();
        if !api.is_empty() {
            apis.insert(api.clone());
        }
        rows.push(format!(
            "<tr data-status=\"skipped\" data-api=\"{0}\"><td class=\"none\">skipped</td><td>{0}</td><td colspan=\"3\">{1}</td></tr>\n",
            esc(&api),
            esc(line)
        ));
    }
    let option = |value: &str, label: &str| format!("<option value=\"{value}\">{label}</option>");
    let statuses: String = ["passed", "failed", "skipped"]
        .iter()
        .map(|s| option(s, s))
        .collect();
    let api_options: String = apis.iter().map(|a| option(&esc(a), &esc(a))).collect();
    format!(
        "<h2 id=\"scenarios\">Scenarios ({total})</h2>\n<p><label>status <select id=\"vouch-status\" onchange=\"vouchFilter()\">{all}{statuses}</select></label> <label>API <select id=\"vouch-api\" onchange=\"vouchFilter()\">{all}{api_options}</select></label> showing <span id=\"vouch-shown\">{total}</span> of {total}</p>\n<table id=\"vouch-scenarios\">\n<thead><tr><th>status</th><th>API</th><th>where</th><th>scenario</th><th>why it failed</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n<script>{SCRIPT}</script>\n",
        total = rows.len(),
        all = option("", "all"),
        rows = rows.concat()
    )
}
