//! Which scenarios a run runs, and why the others are skipped:
//! `@must-fail` only in the self-test, `--tags`, `--name` and `--api`, `--shard`, and on the
//! target at hand `@mock-only`, `@second-tenant` and APIs without a credential (the reason
//! names the variable to set). What each filter selected is counted, so a filter that selects
//! nothing can be named (`nothing_selected`).

use super::{RunOptions, shown_path};
use crate::contract::ContractSet;
use crate::targets::{Target, Which};
use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::gherkin::{Feature, Rule, Scenario};
use cucumber::tag::Ext as _;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// A scenario's place: its feature file and its position (an outline's examples each have
/// their own). It lives here, below `shard` (which deals the places out), so the two files
/// do not name each other.
pub(super) type Place = (Option<PathBuf>, usize, usize);

pub(super) fn place(feature: &Feature, scenario: &Scenario) -> Place {
    (
        feature.path.clone(),
        scenario.position.line,
        scenario.position.col,
    )
}

/// The name a scenario is reported by: an outline row's is the outline's name followed by the
/// row's example values, `Malformed JSON gets the vendor's 400 (api=peach, path=/x)`, so every
/// report format (JUnit above all, whose consumers merge test cases of one name) tells the rows
/// apart; an outline whose name has placeholders (`<operation> without a credential is 401`)
/// already names each row by its values, as cucumber substitutes them, and keeps its name.
/// Values under a sensitive column, and sensitive members of a JSON value, are redacted; a long
/// value is cut; then the row's line is added, so two rows never share a name.
pub(super) fn scenario_name(feature: &Feature, scenario: &Scenario) -> String {
    let Some((header, row)) = example_row(scenario) else {
        return scenario.name.clone();
    };
    if name_has_placeholders(feature, scenario) {
        return scenario.name.clone();
    }
    let mut whole = true;
    let mut values: Vec<String> = header
        .iter()
        .zip(row)
        .map(|(key, value)| {
            let (shown, exact) = shown_example_value(key, value);
            whole &= exact;
            format!("{key}={shown}")
        })
        .collect();
    // Rows that differ only in what is cut or redacted stay apart by their line.
    if !whole {
        values.push(format!("line {}", scenario.position.line));
    }
    format!("{} ({})", scenario.name, values.join(", "))
}

/// Whether the outline's name, as written, has a `<placeholder>`: the expanded scenario's name
/// has them substituted, so the feature file's own line is read (the scenario's span keeps the
/// outline's place). Unreadable: no.
fn name_has_placeholders(feature: &Feature, scenario: &Scenario) -> bool {
    let Some(text) = feature.path.as_deref().and_then(super::features::text) else {
        return false;
    };
    let line = text
        .get(scenario.span.start..)
        .and_then(|rest| rest.lines().next())
        .unwrap_or_default();
    line.split('<').skip(1).any(|after| {
        after
            .split_once('>')
            .is_some_and(|(name, _)| !name.is_empty() && !name.contains(char::is_whitespace))
    })
}

/// The header and the row of the Examples table an expanded outline scenario came from:
/// cucumber gives the row's scenario the position of its `Examples:` keyword, `row + 2` lines
/// down (cucumber-0.21 `feature::expand_scenario`), and keeps every table.
fn example_row(scenario: &Scenario) -> Option<(&[String], &[String])> {
    scenario.examples.iter().find_map(|examples| {
        let (header, rows) = examples.table.as_ref()?.rows.split_first()?;
        if examples.position.col != scenario.position.col {
            return None;
        }
        let row = scenario
            .position
            .line
            .checked_sub(examples.position.line + 2)?;
        rows.get(row).map(|r| (header.as_slice(), r.as_slice()))
    })
}

/// A value as an outline row's name shows it, and whether it is shown whole (not redacted,
/// not cut).
fn shown_example_value(key: &str, value: &str) -> (String, bool) {
    if crate::redact::is_sensitive_name(key) {
        return (crate::redact::REDACTED.to_string(), false);
    }
    let value = value.trim();
    let shown = match serde_json::from_str::<serde_json::Value>(value) {
        Ok(json @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) => {
            crate::redact::redact_value(&json).to_string()
        }
        _ if value.is_empty() => "\"\"".to_string(),
        _ => value.to_string(),
    };
    let redacted = shown.contains(crate::redact::REDACTED);
    if shown.chars().count() > 60 {
        (
            format!("{}…", shown.chars().take(59).collect::<String>()),
            false,
        )
    } else {
        (shown, !redacted)
    }
}

/// The scenario filter of one run; it collects the skipped scenarios with their reasons, and
/// counts what each filter selected (so a filter that selects nothing can be named).
pub(super) struct Selection {
    options: RunOptions,
    tags: Option<TagOperation>,
    contracts: Arc<ContractSet>,
    target: Arc<dyn Target>,
    /// `place: scenario: reason`, and the reason alone (for the run's grouped count).
    skipped: Arc<Mutex<Vec<(String, String)>>>,
    /// With `--shard`, the places of the shard's scenarios.
    shard: Option<HashSet<Place>>,
    counts: Arc<Mutex<Counts>>,
}

/// How many scenarios each filter admitted, each on its own and all together.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Counts {
    /// Scenarios of the run's kind (`@must-fail` or not) under the features path.
    pub(super) found: usize,
    pub(super) tags: usize,
    pub(super) name: usize,
    pub(super) apis: usize,
    /// Admitted by every filter (then run, or skipped for the target's reason).
    pub(super) selected: usize,
}

impl Selection {
    pub(super) fn new(
        options: &RunOptions,
        tags: Option<TagOperation>,
        contracts: Arc<ContractSet>,
        target: Arc<dyn Target>,
    ) -> Self {
        Self {
            options: options.clone(),
            tags,
            contracts,
            target,
            skipped: Arc::default(),
            counts: Arc::default(),
            shard: None,
        }
    }

    /// What each filter selected, filled while the run filters.
    pub(super) fn counts(&self) -> Arc<Mutex<Counts>> {
        self.counts.clone()
    }

    /// The skipped scenarios, filled while the run filters (`place: scenario: reason`).
    pub(super) fn skipped(&self) -> Arc<Mutex<Vec<(String, String)>>> {
        self.skipped.clone()
    }

    /// Limits the run to one shard's scenarios (`super::shard::members`).
    pub(super) fn set_shard(&mut self, members: HashSet<Place>) {
        self.shard = Some(members);
    }

    /// Whether the scenario runs; a scenario the target cannot run is recorded as skipped.
    pub(super) fn admits(
        &self,
        feature: &Feature,
        rule: Option<&Rule>,
        scenario: &Scenario,
    ) -> bool {
        if !self.selects(feature, rule, scenario) {
            return false;
        }
        if let Some(members) = &self.shard
            && !members.contains(&place(feature, scenario))
        {
            return false;
        }
        let all_tags = tags_of(feature, rule, scenario);
        let has = |t: &str| all_tags.iter().any(|x| x.trim_start_matches('@') == t);
        let apis = scenario_apis(feature, rule, scenario, &all_tags, &self.contracts);
        let reason = skip_reason(&*self.target, &apis, has("mock-only"), has("second-tenant"))
            .or_else(|| tenant_skip_reason(&*self.target, &apis, &all_tags));
        if let Some(reason) = reason {
            let place = feature.path.as_deref().map(shown_path).unwrap_or_default();
            self.skipped
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((format!("{place}: {}: {reason}", scenario.name), reason));
            return false;
        }
        true
    }

    /// The APIs a scenario calls (its tags, folder and `Given the <api> API` steps).
    pub(super) fn apis(
        &self,
        feature: &Feature,
        rule: Option<&Rule>,
        scenario: &Scenario,
    ) -> Vec<String> {
        let all_tags = tags_of(feature, rule, scenario);
        scenario_apis(feature, rule, scenario, &all_tags, &self.contracts)
    }

    /// Whether the options select the scenario, whatever the target (`@must-fail`, `--tags`,
    /// `--name`, `--api`).
    pub(super) fn selects(
        &self,
        feature: &Feature,
        rule: Option<&Rule>,
        scenario: &Scenario,
    ) -> bool {
        let options = &self.options;
        let all_tags = tags_of(feature, rule, scenario);
        let has = |t: &str| all_tags.iter().any(|x| x.trim_start_matches('@') == t);
        if has("must-fail") != options.must_fail {
            return false;
        }
        let by_tags = self
            .tags
            .as_ref()
            .is_none_or(|t| t.eval(all_tags.iter().map(|s| s.trim_start_matches('@'))));
        let by_name = options
            .name
            .as_ref()
            // The name as reported, so an outline row's values select it too.
            .is_none_or(|n| scenario_name(feature, scenario).contains(n.as_str()));
        let apis = scenario_apis(feature, rule, scenario, &all_tags, &self.contracts);
        let by_api = options.apis.is_empty() || apis.iter().any(|a| options.apis.contains(a));
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts.found += 1;
        counts.tags += usize::from(by_tags);
        counts.name += usize::from(by_name);
        counts.apis += usize::from(by_api);
        counts.selected += usize::from(by_tags && by_name && by_api);
        by_tags && by_name && by_api
    }
}

/// The tags of the feature, the rule and the scenario.
fn tags_of<'a>(
    feature: &'a Feature,
    rule: Option<&'a Rule>,
    scenario: &'a Scenario,
) -> Vec<&'a String> {
    feature
        .tags
        .iter()
        .chain(rule.iter().flat_map(|r| &r.tags))
        .chain(&scenario.tags)
        .collect()
}

/// A scenario's APIs: API-named tags, the APIs its steps choose (`Given the peach API`, in the
/// scenario or a background), and the feature's directory when it names an API.
fn scenario_apis(
    feature: &Feature,
    rule: Option<&Rule>,
    scenario: &Scenario,
    tags: &[&String],
    contracts: &ContractSet,
) -> Vec<String> {
    let mut apis: Vec<String> = tags
        .iter()
        .map(|t| t.trim_start_matches('@').to_string())
        .filter(|t| contracts.get(t).is_ok())
        .collect();
    let mut add = |api: &str| {
        if contracts.get(api).is_ok() && !apis.iter().any(|a| a == api) {
            apis.push(api.to_string());
        }
    };
    let steps = feature
        .background
        .iter()
        .chain(rule.and_then(|r| r.background.as_ref()))
        .flat_map(|b| &b.steps)
        .chain(&scenario.steps);
    for step in steps {
        if let Some(api) = chosen_api(&step.value) {
            add(api);
        }
    }
    if let Some(dir) = feature
        .path
        .as_deref()
        .and_then(|p| p.parent())
        .and_then(|d| d.file_name())
        .and_then(|d| d.to_str())
    {
        add(dir);
    }
    apis
}

/// The API a step chooses: `the peach API` (the step `steps::api` registers as
/// `^the (\w+) API$`).
fn chosen_api(step: &str) -> Option<&str> {
    step.strip_prefix("the ")?
        .strip_suffix(" API")
        .filter(|api| !api.is_empty() && api.chars().all(|c| c.is_alphanumeric() || c == '_'))
}

fn skip_reason(
    target: &dyn Target,
    apis: &[String],
    mock_only: bool,
    second_tenant: bool,
) -> Option<String> {
    if mock_only && target.admin_url().is_none() {
        return Some(format!(
            "@mock-only: needs the mock's admin API, not available on the {} target",
            target.kind().as_str()
        ));
    }
    for api in apis {
        if let Err(why) = target
            .base_url(api)
            .and_then(|_| target.credential(api, Which::Default))
        {
            return Some(why.to_string());
        }
        if second_tenant && let Err(why) = target.credential(api, Which::Second) {
            return Some(format!("@second-tenant: {why}"));
        }
    }
    None
}

/// Why a scenario tagged with an API version (`@v2`) or with a capability flag the API's mock
/// seeds for a tenant (`@semi-hosted`) cannot run on this target.
fn tenant_skip_reason(target: &dyn Target, apis: &[String], tags: &[&String]) -> Option<String> {
    let tags: Vec<&str> = tags.iter().map(|t| t.trim_start_matches('@')).collect();
    for api in apis {
        for tag in &tags {
            if crate::contract::is_version(tag)
                && let Err(why) = target.runs_version(api, tag)
            {
                return Some(format!("@{tag}: {why}"));
            }
        }
        let flags = crate::targets::seeded_flags(api);
        for tag in tags.iter().filter(|t| flags.iter().any(|f| f == *t)) {
            if let Err(why) = target.flagged_credential(api, tag) {
                return Some(format!("@{tag}: {why}"));
            }
        }
    }
    None
}

/// Why a run selected no scenario, naming the filters that selected nothing (each on its own),
/// or all of them when only their combination is empty; `None` when something was selected.
pub(super) fn nothing_selected(options: &RunOptions, counts: Counts) -> Option<crate::Error> {
    if counts.selected > 0 {
        return None;
    }
    // The working directory itself shows as an empty path; name it.
    let place = match shown_path(&options.features) {
        shown if shown.is_empty() => ".".to_string(),
        shown => shown,
    };
    let kind = if options.must_fail { "@must-fail " } else { "" };
    if counts.found == 0 {
        return Some(crate::Error::Config {
            path: format!("--features {place}"),
            message: format!("holds no {kind}scenario"),
        });
    }
    let mut given = Vec::new();
    if let Some(tags) = &options.tags {
        given.push((format!("--tags '{tags}'"), counts.tags));
    }
    if let Some(name) = &options.name {
        given.push((format!("--name '{name}'"), counts.name));
    }
    if !options.apis.is_empty() {
        let apis: Vec<String> = options.apis.iter().map(|a| format!("--api {a}")).collect();
        given.push((apis.join(" "), counts.apis));
    }
    let empty: Vec<&str> = given
        .iter()
        .filter(|(_, n)| *n == 0)
        .map(|(flag, _)| flag.as_str())
        .collect();
    let (flags, verb) = if empty.is_empty() {
        let all: Vec<&str> = given.iter().map(|(flag, _)| flag.as_str()).collect();
        (all.join(" and "), "together select")
    } else {
        (
            empty.join(" and "),
            if empty.len() == 1 {
                "selects"
            } else {
                "each select"
            },
        )
    };
    Some(crate::Error::Config {
        path: flags,
        message: format!(
            "{verb} none of the {} {kind}scenarios in {place}",
            counts.found
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::{SandboxSettings, SandboxTarget};

    fn sandbox(vars: &'static [(&'static str, &'static str)]) -> SandboxTarget {
        let contracts = ContractSet::embedded().unwrap();
        let env = move |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        };
        SandboxTarget::new(SandboxSettings::load(&contracts, None, env).unwrap())
    }

    fn skip(target: &SandboxTarget, tags: &[&str]) -> Option<String> {
        let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        let tags: Vec<&String> = tags.iter().collect();
        tenant_skip_reason(target, &["verified".to_string()], &tags)
    }

    #[test]
    fn the_base_url_selects_the_version_a_sandbox_runs() {
        let v2 = sandbox(&[("VOUCH_VERIFIED_BASE_URL", "https://h/v2")]);
        assert_eq!(skip(&v2, &["@verified", "@v2"]), None);
        let why = skip(&v2, &["@v1"]).expect("v1 is skipped on a /v2 base URL");
        assert!(
            why.starts_with("@v1: VOUCH_VERIFIED_BASE_URL selects v2"),
            "{why}"
        );
        let v1 = sandbox(&[("VOUCH_VERIFIED_BASE_URL", "https://h")]);
        assert_eq!(skip(&v1, &["@v1"]), None);
        let why = skip(&v1, &["@v2"]).expect("v2 is skipped on an unversioned base URL");
        assert!(why.contains("ending in /v2"), "{why}");
        // Untagged scenarios run on both.
        assert_eq!(skip(&v1, &["@verified"]), None);
        assert_eq!(skip(&v2, &[]), None);
    }

    #[test]
    fn a_flagged_tenant_scenario_needs_that_tenant_s_credential() {
        let without = sandbox(&[]);
        let why = skip(&without, &["@semi-hosted"]).expect("skipped without the key");
        assert!(why.contains("VOUCH_VERIFIED_SEMI_HOSTED_TOKEN"), "{why}");
        let with = sandbox(&[("VOUCH_VERIFIED_SEMI_HOSTED_API_KEY", "k")]);
        assert_eq!(skip(&with, &["@semi-hosted"]), None);
        // A tag that is no seeded flag is not a requirement.
        assert_eq!(skip(&without, &["@piedpiper"]), None);
    }
}
