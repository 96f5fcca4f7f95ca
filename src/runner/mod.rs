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
//! Filters that select no scenario at all (`--tags @typo`) are an error naming the filter, not
//! an empty green run.
//!
//! Scenarios run at once (`--jobs`): on the embedded mock each job has a mock of its own, and
//! on a `url` target a namespace of its own on the running mock, so a scenario's reset, clock
//! and faults touch no other (`pool`); cucumber's `@serial` tag makes a scenario run alone. The report lists scenarios in feature and line order whatever order
//! they finished in, so a run's report does not depend on its jobs.
//!
//! The pieces: [`RunOptions`] (what to run, a plain struct), `select` (which scenarios and
//! why others are skipped), `pool` (the targets scenarios lease), the context the steps read,
//! `Recorder` (the cucumber writer that records the run for the report), and here the run
//! itself and the report it assembles.

mod console;
mod features;
mod options;
mod pool;
mod reach;
mod recorder;
mod select;
mod shard;
mod summary;

pub use console::{Rerun, closing};
pub use features::{describe as describe_features, is_builtin};
pub use options::RunOptions;
pub use options::{
    BUILTIN, MaxSkipped, OptionError, Output, Shard, ShardError, Suite, SuiteError, features_at,
};
use recorder::{Recorder, scenario_key};
pub use summary::RunSummary;
use summary::{group, summarize, too_many_skipped};

use crate::contract::ContractSet;
use crate::mock::MockConfig;
use crate::report;
use crate::steps::{Context, VouchWorld};
use crate::targets::{MockTarget, SandboxSettings, SandboxTarget, Target, TargetKind, UrlTarget};
use cucumber::World as _;
use cucumber::WriterExt as _;
use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::writer;
use cucumber::writer::Stats as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Builds the target the options name. The embedded mock routes and validates by `contracts`
/// (so `--contracts DIR` reaches it), not by the copies built into the binary.
pub async fn target(
    options: &RunOptions,
    contracts: &Arc<ContractSet>,
) -> Result<Arc<dyn Target>, crate::Error> {
    Ok(match options.target {
        TargetKind::Mock => Arc::new(
            MockTarget::start_with(MockConfig {
                contracts: Some(contracts.clone()),
                latency: options.mock_latency,
                ..MockConfig::default()
            })
            .await?,
        ),
        TargetKind::Url => Arc::new(UrlTarget::new(&mock_url(options)?)?),
        TargetKind::Sandbox => {
            let settings =
                SandboxSettings::load(contracts, Some(&options.config), |k| std::env::var(k).ok())?;
            Arc::new(SandboxTarget::new(settings))
        }
    })
}

/// How many jobs a run on a mock (embedded or `url`) has by default: one per CPU.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The targets the options name, one per job (`jobs`, default [`default_jobs`]): on the
/// embedded mock, that many mocks sharing the contracts; on a `url` target, that many
/// namespaces of the one running mock (`/__ns/<run>-<k>/...`, each an isolated copy of it,
/// so a scenario's reset, clock and faults touch no other); on a sandbox, its one target.
/// More jobs than the running mock keeps namespaces is an error naming `--jobs`.
pub async fn targets(
    options: &RunOptions,
    contracts: &Arc<ContractSet>,
) -> Result<Vec<Arc<dyn Target>>, crate::Error> {
    let jobs = options.jobs.unwrap_or_else(default_jobs).max(1);
    match options.target {
        TargetKind::Sandbox => Ok(vec![target(options, contracts).await?]),
        TargetKind::Url => {
            let url = mock_url(options)?;
            reach::mock(&url).await?;
            let root = UrlTarget::new(&url)?;
            if let Some(max) = root.max_namespaces().await
                && jobs > max
            {
                return Err(crate::Error::Config {
                    path: format!("--jobs {jobs}"),
                    message: format!(
                        "the mock at {url} keeps at most {max} namespaces, one per job \
                         (vouch mock serve --max-namespaces)"
                    ),
                });
            }
            // Names no other run against the same mock uses.
            let run = uuid::Uuid::new_v4().simple().to_string();
            let run = run.get(..8).unwrap_or(&run);
            Ok((1..=jobs)
                .map(|k| Arc::new(root.in_namespace(&format!("run-{run}-{k}"))) as Arc<dyn Target>)
                .collect())
        }
        TargetKind::Mock => {
            let mut mocks: Vec<Arc<dyn Target>> = Vec::new();
            for _ in 0..jobs {
                mocks.push(Arc::new(
                    MockTarget::start_with(MockConfig {
                        contracts: Some(contracts.clone()),
                        latency: options.mock_latency,
                        ..MockConfig::default()
                    })
                    .await?,
                ));
            }
            Ok(mocks)
        }
    }
}

/// The running mock's URL of a `url` target.
fn mock_url(options: &RunOptions) -> Result<String, crate::Error> {
    options
        .mock_url
        .clone()
        .ok_or_else(|| crate::Error::Config {
            path: "--target url".into(),
            message: "needs --mock-url or VOUCH_MOCK_URL (e.g. http://127.0.0.1:8080)".into(),
        })
}

/// Runs the features against one target and reports what happened (scenarios take turns on
/// a mock; see [`run_on`]).
pub async fn run(
    options: &RunOptions,
    contracts: Arc<ContractSet>,
    target: Arc<dyn Target>,
) -> Result<RunSummary, crate::Error> {
    run_on(options, contracts, vec![target]).await
}

/// Runs the features on a run's [`targets`] and reports what happened: as many scenarios at
/// once as there are mocks (each leases one), or on a sandbox `options.jobs` (default: its
/// `VOUCH_CONCURRENCY`). An empty `targets` is a configuration error.
///
/// The steps: the settings are checked (`check_options`); the scenarios are selected (and,
/// with `--shard`, sliced); they run (`run_scenarios`); the outcome is counted
/// (`summarize`) and written up as the report (`build_report`), scrubbed of secrets.
pub async fn run_on(
    options: &RunOptions,
    contracts: Arc<ContractSet>,
    targets: Vec<Arc<dyn Target>>,
) -> Result<RunSummary, crate::Error> {
    let mut checked = check_options(options, &contracts, targets.is_empty())?;
    let pool = pool::Pool::new(targets);
    let target = pool.main().clone();
    // Scenarios find the target through one process-wide context, so runs in one process
    // (tests) take turns.
    static ONE_RUN_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _turn = ONE_RUN_AT_A_TIME.lock().await;
    let run_id = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
    let context = Arc::new(Context {
        target: target.clone(),
        contracts: contracts.clone(),
        run_id: run_id.clone(),
        strict: options.strict,
        _lease: None,
    });
    crate::steps::set_context(context.clone());
    crate::steps::set_echo(options.output == Output::Pretty);
    let mut selection =
        select::Selection::new(options, checked.tags, contracts.clone(), target.clone());
    if let Some(shard) = options.shard {
        let members = shard::members(shard, checked.roots.clone(), &selection).await;
        selection.set_shard(members);
    }
    if options.target == TargetKind::Sandbox {
        reach::sandboxes(checked.roots.clone(), &selection, target.as_ref()).await?;
    }
    let (skipped, counts) = (selection.skipped(), selection.counts());
    let started_at = chrono::Utc::now();
    let started = std::time::Instant::now();
    let ran = run_scenarios(options, checked.roots, &pool, &context, selection).await;
    let counts = *counts.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(line) = options.line
        && ran.at_line == 0
    {
        return Err(crate::Error::Config {
            path: format!("--features {}:{line}", shown_path(&options.features)),
            message: format!("no scenario or Examples row starts at line {line}"),
        });
    }
    if let Some(nothing) = select::nothing_selected(options, counts) {
        return Err(nothing);
    }
    // Sorted, so a run's (and merged shards') list does not depend on the jobs.
    let mut skipped = skipped.lock().unwrap_or_else(|e| e.into_inner()).clone();
    skipped.sort();
    let (skipped, reasons): (Vec<String>, Vec<String>) = skipped.into_iter().unzip();
    let mut summary = summarize(&ran, skipped, checked.evidence.take(), &pool, &contracts);
    summary.skip_reasons = group(reasons);
    if let Some(problem) = too_many_skipped(options, &summary) {
        summary.errors.push(problem);
    }
    let info = report::RunInfo {
        vouch_version: env!("CARGO_PKG_VERSION").into(),
        run_id,
        started_at: started_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        duration_ms: started.elapsed().as_millis() as u64,
        target: target.kind().as_str().into(),
        apis: options.apis.clone(),
        tags: options.tags.clone(),
        contracts: Vec::new(),
        redacted: !options.no_redact,
    };
    summary.report = build_report(
        options,
        (&contracts, &context),
        &summary,
        (info, checked.recorded),
        ran.scenarios,
    );
    Ok(summary)
}

/// What the run's settings name, checked before any scenario runs.
struct Checked {
    tags: Option<TagOperation>,
    evidence: Option<crate::evidence::Check>,
    /// Where the feature files are read from (`features::roots`).
    roots: Vec<features::Root>,
    /// `--features` as the report records it.
    recorded: String,
}

/// The run's settings name something: a target, tags that parse, loaded APIs, a readable
/// evidence corpus, an existing features path.
fn check_options(
    options: &RunOptions,
    contracts: &ContractSet,
    no_target: bool,
) -> Result<Checked, crate::Error> {
    if no_target {
        return Err(crate::Error::Config {
            path: "--jobs".into(),
            message: "a run needs at least one target".into(),
        });
    }
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
    // Before any scenario, so a corpus that cannot be read stops the run (a usage error).
    let evidence = match &options.evidence {
        Some(dir) => {
            let corpus = crate::evidence::Corpus::load(dir)?;
            Some(crate::evidence::check(contracts, &corpus, &options.apis)?)
        }
        None => None,
    };
    let (roots, recorded) = features::roots(options)?;
    Ok(Checked {
        tags,
        evidence,
        roots,
        recorded,
    })
}

/// What cucumber ran: the scenarios in feature and line order, and its own errors.
struct Ran {
    scenarios: Vec<report::ScenarioRecord>,
    /// With `--features path:line`, how many scenarios start at that line.
    at_line: usize,
    parsing_errors: usize,
    hook_errors: usize,
}

/// Runs the selected scenarios, each on a target leased from the pool and from the mock's
/// seeded state, and records them (steps, exchanges) for the report.
async fn run_scenarios(
    options: &RunOptions,
    roots: Vec<features::Root>,
    pool: &Arc<pool::Pool>,
    context: &Arc<Context>,
    selection: select::Selection,
) -> Ran {
    let concurrency = pool.jobs(options.jobs);
    let (leasing, returning) = (pool.clone(), context.clone());
    let recorder = Recorder::new();
    let sink = recorder.clone();
    // cucumber's own writer shows every step on a terminal (`--output pretty`); for CI it
    // writes nowhere (it still counts, for the parsing and hook errors) and `Progress` shows a
    // line per feature.
    let pretty: Box<dyn std::io::Write + Send + Sync> = match options.output {
        Output::Pretty => Box::new(std::io::stdout()),
        Output::Ci => Box::new(std::io::sink()),
    };
    let at_line = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = at_line.clone();
    let line = options.line;
    let writer = VouchWorld::cucumber::<PathBuf>()
        // The built-in suite may be embedded, and the user's files beside it (`features`).
        .with_parser(features::SuiteParser)
        .with_writer(
            writer::Basic::new(pretty, writer::Coloring::Auto, writer::Verbosity::Default)
                .summarized()
                .tee(
                    recorder
                        .clone()
                        .discard_arbitrary_writes()
                        .discard_stats_writes(),
                )
                .tee(
                    console::Progress::new(options.output)
                        .discard_arbitrary_writes()
                        .discard_stats_writes(),
                ),
        )
        .with_default_cli()
        .max_concurrent_scenarios(concurrency)
        .fail_on_skipped()
        .before(move |_, _, _, world| {
            let pool = leasing.clone();
            Box::pin(async move {
                // A target of the scenario's own (on a mock), for as long as the World holds it.
                let lease = pool.lease().await;
                world.ctx = Arc::new(Context {
                    target: lease.target(),
                    contracts: world.ctx.contracts.clone(),
                    run_id: world.ctx.run_id.clone(),
                    strict: world.ctx.strict,
                    _lease: Some(Box::new(lease)),
                });
                // Each scenario starts from the mock's seeded state.
                world.reset_mock().await;
            })
        })
        .after(move |feature, _, scenario, _, world| {
            let key = scenario_key(feature, scenario);
            let exchanges = world.map(|w| {
                // The scenario is over: its mock goes back to the pool.
                w.ctx = returning.clone();
                std::mem::take(&mut w.exchanges)
            });
            let sink = sink.clone();
            Box::pin(async move {
                if let Some(exchanges) = exchanges {
                    sink.add_exchanges(key, exchanges);
                }
            })
        })
        .filter_run(roots, move |f, r, sc| {
            // `--features path:line`: the scenario, or the outline's Examples row, there.
            if line.is_some_and(|l| sc.position.line != l) {
                return false;
            }
            counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            selection.admits(f, r, sc)
        })
        .await;
    let mut scenarios = recorder.scenarios();
    // Feature and line order, whatever order the jobs finished them in.
    scenarios.sort_by(|a, b| (&a.path, a.line, &a.scenario).cmp(&(&b.path, b.line, &b.scenario)));
    Ran {
        scenarios,
        at_line: at_line.load(std::sync::atomic::Ordering::Relaxed),
        parsing_errors: writer.parsing_errors(),
        hook_errors: writer.hook_errors(),
    }
}

/// The run's report: its contracts, coverage (with the vendor evidence each contract accepts)
/// and scenarios, totalled, and unless `--no-redact` scrubbed of every credential the run used.
fn build_report(
    options: &RunOptions,
    (contracts, context): (&ContractSet, &Context),
    summary: &RunSummary,
    (mut run, features): (report::RunInfo, String),
    scenarios: Vec<report::ScenarioRecord>,
) -> report::Report {
    run.contracts = contracts
        .iter()
        .filter(|c| options.apis.is_empty() || options.apis.contains(&c.api))
        .map(|c| report::ContractInfo {
            api: c.api.clone(),
            title: c.title.clone(),
            version: c.version.clone(),
        })
        .collect();
    let selection = report::Selection {
        apis: options.apis.clone(),
        tags: options.tags.clone(),
        name: options.name.clone(),
        features,
        shard: options
            .shard
            .map(|s| format!("{}/{}", s.index(), s.count())),
    };
    let mut report = report::Report {
        format: report::FORMAT.into(),
        run,
        contract_set: Some(report::contract_set_record(contracts, &options.apis)),
        // Coverage of what the selection touched: a `--name` run is not a gap in every API.
        coverage: report::coverage_of_selection(contracts, &selection, &scenarios)
            .into_iter()
            .map(|api| report::ApiCoverage {
                // The vendor evidence each contract accepts, beside its conformance score.
                evidence: summary.evidence.as_ref().and_then(|e| e.summary(&api.api)),
                ..api
            })
            .collect(),
        scenarios,
        skipped: summary.skipped.clone(),
        errors: summary.errors.clone(),
        selection: Some(selection),
        ..Default::default()
    };
    report::total(&mut report);
    if !options.no_redact {
        let secrets: Vec<String> = contracts
            .iter()
            .flat_map(|c| context.secrets(&c.api))
            .map(|s| s.value)
            .collect();
        match (&options.scrub_key, options.shard) {
            // A shard's fingerprints let the merge scrub what it saw from the other shards.
            (Some(key), Some(_)) => {
                report::scrub_with_fingerprints(&mut report, &secrets, &key.value)
            }
            _ => report::scrub(&mut report, &secrets),
        }
    }
    report
}

/// A path relative to the working directory when it lies below it.
pub(crate) fn shown_path(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}
