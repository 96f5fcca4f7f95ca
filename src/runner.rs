//! Running the Gherkin suite against a target: the one entry point that `cargo test`
//! (`tests/conformance.rs`) and `vouch run` share.
//!
//! Which scenarios run: every scenario under the features path, except
//! - `@must-fail` scenarios (they prove a check can fail; `tests/must_fail.rs` runs them alone);
//! - on a sandbox, `@mock-only` scenarios (they drive the mock's clock, faults or pages);
//! - scenarios of an API the target cannot reach (no credential: the variable to set is named);
//! - `@second-tenant` scenarios where the target has no second credential for their API;
//! - scenarios outside `--api`, `--tags` or `--name`.
//!
//! A scenario's APIs are its tags that name an API (`@peach`) and the directory of its feature
//! file when that names one (`features/peach/...`). Skipped scenarios are listed with the reason.

use crate::contract::ContractSet;
use crate::report::{self, Recorder};
use crate::steps::{Context, VouchWorld};
use crate::target::{
    MockTarget, SandboxSettings, SandboxTarget, Target, TargetKind, UrlTarget, Which,
};
use cucumber::World as _;
use cucumber::WriterExt as _;
use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::tag::Ext as _;
use cucumber::writer;
use cucumber::writer::Stats as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What to run and where. The same flags for `vouch run` and `cargo test --test conformance --`.
#[derive(Debug, Clone, clap::Args)]
pub struct RunOptions {
    /// Where requests go: the embedded mock, a running vouch mock (`VOUCH_MOCK_URL`), or the
    /// vendors' sandboxes (credentials from `VOUCH_<API>_TOKEN` / `_API_KEY`).
    #[arg(long, env = "VOUCH_TARGET", default_value = "mock")]
    pub target: TargetKind,
    /// The running mock's root URL, for `--target url`.
    #[arg(long, env = "VOUCH_MOCK_URL")]
    pub mock_url: Option<String>,
    /// Only these APIs (repeatable).
    #[arg(long = "api")]
    pub apis: Vec<String>,
    /// A cucumber tag expression, e.g. `@peach and not @mock-only`.
    #[arg(long)]
    pub tags: Option<String>,
    /// Only scenarios whose name contains this text.
    #[arg(long)]
    pub name: Option<String>,
    /// A feature file or a directory of them.
    #[arg(long, default_value = "features")]
    pub features: PathBuf,
    /// Sandbox settings file (`[sandbox]` and `[sandbox.<api>]`).
    #[arg(long, default_value = "vouch.toml")]
    pub config: PathBuf,
    /// Run only the `@must-fail` scenarios (vouch's own self-test of its checks).
    #[arg(long, hide = true)]
    pub must_fail: bool,
    /// Keep secrets and PII found in the run in the report (step text, messages); headers and
    /// bodies stay masked by member name. For local debugging only.
    #[arg(long)]
    pub no_redact: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            target: TargetKind::Mock,
            mock_url: None,
            apis: Vec::new(),
            tags: None,
            name: None,
            features: PathBuf::from("features"),
            config: PathBuf::from("vouch.toml"),
            must_fail: false,
            no_redact: false,
        }
    }
}

/// How a run went.
#[derive(Debug, Clone, Default)]
pub struct RunSummary {
    /// Everything the run did, for the report files (see [`crate::report`]).
    pub report: crate::report::Report,
    pub passed: usize,
    pub failed: usize,
    /// Scenarios not run, with the reason.
    pub skipped: Vec<String>,
    /// Parsing or hook errors, and (on the mock) contract violations in the mock's own answers.
    pub errors: Vec<String>,
}

impl RunSummary {
    pub fn succeeded(&self) -> bool {
        self.failed == 0 && self.errors.is_empty()
    }
}

/// Builds the target the options name.
pub async fn target(
    options: &RunOptions,
    contracts: &ContractSet,
) -> Result<Arc<dyn Target>, crate::Error> {
    Ok(match options.target {
        TargetKind::Mock => Arc::new(MockTarget::start().await?),
        TargetKind::Url => {
            let url = options
                .mock_url
                .clone()
                .ok_or_else(|| crate::Error::Config {
                    path: "--target url".into(),
                    message: "needs --mock-url or VOUCH_MOCK_URL (e.g. http://127.0.0.1:8080)"
                        .into(),
                })?;
            Arc::new(UrlTarget::new(&url)?)
        }
        TargetKind::Sandbox => {
            let settings =
                SandboxSettings::load(contracts, Some(&options.config), |k| std::env::var(k).ok())?;
            Arc::new(SandboxTarget::new(settings))
        }
    })
}

/// Runs the features and reports what happened.
pub async fn run(
    options: &RunOptions,
    contracts: Arc<ContractSet>,
    target: Arc<dyn Target>,
) -> Result<RunSummary, crate::Error> {
    let tags = match &options.tags {
        Some(t) => Some(
            t.parse::<TagOperation>()
                .map_err(|e| crate::Error::Config {
                    path: "--tags".into(),
                    message: format!("{e:?}"),
                })?,
        ),
        None => None,
    };
    for api in &options.apis {
        contracts.get(api)?;
    }
    if !options.features.exists() {
        return Err(crate::Error::Config {
            path: format!("--features {}", options.features.display()),
            message: "no such feature file or directory".into(),
        });
    }
    // Scenarios find the target through one process-wide context, so runs in one process
    // (tests) take turns.
    static ONE_RUN_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _turn = ONE_RUN_AT_A_TIME.lock().await;
    let run_id = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
    crate::steps::set_context(Arc::new(Context {
        target: target.clone(),
        contracts: contracts.clone(),
        run_id: run_id.clone(),
    }));
    let skipped = Arc::new(Mutex::new(Vec::new()));
    let filter = {
        let (skipped, contracts, target, options) = (
            skipped.clone(),
            contracts.clone(),
            target.clone(),
            options.clone(),
        );
        move |feature: &cucumber::gherkin::Feature,
              rule: Option<&cucumber::gherkin::Rule>,
              scenario: &cucumber::gherkin::Scenario| {
            let all_tags: Vec<&String> = feature
                .tags
                .iter()
                .chain(rule.iter().flat_map(|r| &r.tags))
                .chain(&scenario.tags)
                .collect();
            let has = |t: &str| all_tags.iter().any(|x| x.trim_start_matches('@') == t);
            if has("must-fail") != options.must_fail {
                return false;
            }
            if tags
                .as_ref()
                .is_some_and(|t| !t.eval(all_tags.iter().map(|s| s.trim_start_matches('@'))))
            {
                return false;
            }
            if options
                .name
                .as_ref()
                .is_some_and(|n| !scenario.name.contains(n.as_str()))
            {
                return false;
            }
            let apis = scenario_apis(feature.path.as_deref(), &all_tags, &contracts);
            if !options.apis.is_empty() && !apis.iter().any(|a| options.apis.contains(a)) {
                return false;
            }
            let reason = skip_reason(&*target, &apis, has("mock-only"), has("second-tenant"));
            if let Some(reason) = reason {
                let place = feature.path.as_deref().map(shown_path).unwrap_or_default();
                skipped
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(format!("{place}: {}: {reason}", scenario.name));
                return false;
            }
            true
        }
    };
    let concurrency = if target.admin_url().is_some() { 1 } else { 4 };
    let started_at = chrono::Utc::now();
    let started = std::time::Instant::now();
    let recorder = Recorder::new();
    let sink = recorder.clone();
    let writer = VouchWorld::cucumber::<PathBuf>()
        .with_writer(
            writer::Basic::stdout().summarized().tee(
                recorder
                    .clone()
                    .discard_arbitrary_writes()
                    .discard_stats_writes(),
            ),
        )
        .with_default_cli()
        .max_concurrent_scenarios(concurrency)
        .fail_on_skipped()
        .before(|_, _, _, world| {
            Box::pin(async move {
                // Each scenario starts from the mock's seeded state.
                world.reset_mock().await;
            })
        })
        .after(move |feature, _, scenario, _, world| {
            let key = report::scenario_key(feature, scenario);
            let exchanges = world.map(|w| std::mem::take(&mut w.exchanges));
            let sink = sink.clone();
            Box::pin(async move {
                if let Some(exchanges) = exchanges {
                    sink.add_exchanges(key, exchanges);
                }
            })
        })
        .filter_run(options.features.clone(), filter)
        .await;
    let scenarios = recorder.scenarios();
    let passed = scenarios
        .iter()
        .filter(|s| s.status == report::Status::Passed)
        .count();
    let mut summary = RunSummary {
        report: Default::default(),
        passed,
        failed: scenarios.len() - passed,
        skipped: skipped.lock().unwrap_or_else(|e| e.into_inner()).clone(),
        errors: Vec::new(),
    };
    if writer.parsing_errors() > 0 {
        summary.errors.push(format!(
            "{} feature file(s) could not be parsed",
            writer.parsing_errors()
        ));
    }
    if writer.hook_errors() > 0 {
        summary
            .errors
            .push(format!("{} hook(s) failed", writer.hook_errors()));
    }
    for v in target.self_check_violations() {
        summary
            .errors
            .push(format!("the mock's own answer breaks its contract: {v}"));
    }
    let mut report = report::Report {
        format: report::FORMAT.into(),
        run: report::RunInfo {
            vouch_version: env!("CARGO_PKG_VERSION").into(),
            run_id: run_id.clone(),
            started_at: started_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            duration_ms: started.elapsed().as_millis() as u64,
            target: target.kind().as_str().into(),
            apis: options.apis.clone(),
            tags: options.tags.clone(),
            contracts: contracts
                .iter()
                .filter(|c| options.apis.is_empty() || options.apis.contains(&c.api))
                .map(|c| report::ContractInfo {
                    api: c.api.clone(),
                    title: c.title.clone(),
                    version: c.version.clone(),
                })
                .collect(),
            redacted: !options.no_redact,
        },
        coverage: report::coverage(&contracts, &options.apis, &scenarios),
        scenarios,
        skipped: summary.skipped.clone(),
        errors: summary.errors.clone(),
        ..Default::default()
    };
    report::total(&mut report);
    if !options.no_redact {
        let secrets: Vec<String> = contracts
            .iter()
            .flat_map(|c| {
                [Which::Default, Which::Second]
                    .into_iter()
                    .filter_map(|w| target.credential(&c.api, w).ok())
                    .map(|s| s.value)
            })
            .collect();
        report::scrub(&mut report, &secrets);
    }
    summary.report = report;
    Ok(summary)
}

/// A scenario's APIs: API-named tags, and the feature's directory when it names an API.
fn scenario_apis(path: Option<&Path>, tags: &[&String], contracts: &ContractSet) -> Vec<String> {
    let mut apis: Vec<String> = tags
        .iter()
        .map(|t| t.trim_start_matches('@').to_string())
        .filter(|t| contracts.get(t).is_ok())
        .collect();
    if let Some(dir) = path
        .and_then(|p| p.parent())
        .and_then(|d| d.file_name())
        .and_then(|d| d.to_str())
        && contracts.get(dir).is_ok()
        && !apis.iter().any(|a| a == dir)
    {
        apis.push(dir.to_string());
    }
    apis
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
            return Some(why);
        }
        if second_tenant && let Err(why) = target.credential(api, Which::Second) {
            return Some(format!("@second-tenant: {why}"));
        }
    }
    None
}

/// A path relative to the working directory when it lies below it.
pub(crate) fn shown_path(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}
