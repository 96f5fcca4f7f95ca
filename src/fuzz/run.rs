//! Running the fuzzer: per operation, proptest generates cases (positive, negative, without
//! credentials), sends them through the target, applies the checks, and shrinks a failing case
//! to the smallest one. Operations run in parallel on blocking threads (generation stays off
//! the async path); requests share the target's keep-alive client.
//!
//! This file drives and tallies; the link sequences are in `links`, the checks' rules in
//! `checks`, saved and regression cases in `persist`, the curl of a failure in `reproduce`.

use super::cases::{self, Case, Credentials, Parts};
use super::checks::{Check, CheckInput, FollowedLink, evaluate};
use super::links;
use super::persist::{self, SavedCase};
use super::reproduce::curl;
use super::strategy::Generator;
use crate::contract::{ContractSet, HttpResponse, Operation};
use crate::exchange::SentRequest;
use crate::targets::{Target, Which, credential_header};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What to fuzz and how.
#[derive(Debug, Clone)]
pub struct FuzzOptions {
    /// Only these API ids (empty: all).
    pub apis: Vec<String>,
    /// Only these `operationId`s (empty: all of the selected APIs); each must exist in them.
    pub operations: Vec<String>,
    /// Cases per operation and kind (positive, negative, unauthenticated).
    pub cases: u32,
    /// The checks that are tallied and can fail a case (default: every [`Check`]).
    pub checks: Vec<Check>,
    /// `VOUCH_FUZZ_SEED`: the same seed generates the same cases.
    pub seed: Option<u64>,
    /// Failures are saved here and replayed first by the next run.
    pub failures_file: Option<PathBuf>,
    /// Committed regression cases, replayed every run.
    pub regressions: Option<PathBuf>,
    /// Operations fuzzed at once.
    pub parallel: usize,
}

impl Default for FuzzOptions {
    fn default() -> Self {
        Self {
            apis: Vec::new(),
            operations: Vec::new(),
            cases: 50,
            checks: Check::ALL.to_vec(),
            seed: None,
            failures_file: None,
            regressions: None,
            parallel: 4,
        }
    }
}

/// A check that failed, with the smallest case found.
#[derive(Debug, Clone, Serialize)]
pub struct FuzzFailure {
    /// The API id.
    pub api: String,
    /// The `operationId` the case was sent to.
    pub operation: String,
    /// The check that failed (the first failing one, in [`Check::ALL`] order).
    pub check: Check,
    /// The failing request: for a generated case, the smallest one proptest shrank it to.
    pub case: Case,
    /// What the check found, in words.
    pub detail: String,
    /// A curl command that repeats the request (credentials as an environment variable).
    pub curl: String,
}

/// What a fuzz run found.
#[derive(Debug, Default)]
pub struct FuzzReport {
    /// (api, operation, check) -> (cases checked, failures)
    pub tally: BTreeMap<(String, String, Check), (u64, u64)>,
    /// Every failure found: saved cases that failed again, and for each operation and kind
    /// of generated case (positive, negative, unauthenticated, link sequence) the smallest
    /// failing case.
    pub failures: Vec<FuzzFailure>,
    /// Schema constructs the generator could not translate, as `api: keyword at #/pointer`,
    /// sorted, each once (cases there may be less varied than the schema allows).
    pub unsupported: Vec<String>,
    /// Cases sent in all, replays and link sequences included.
    pub cases: u64,
    /// How long the whole fuzz run took.
    pub elapsed: Duration,
}

impl FuzzReport {
    /// Whether any check failed.
    pub fn failed(&self) -> bool {
        !self.failures.is_empty()
    }

    /// The `fuzz` member of `report.json`: totals, operation × check counts, and each failure with
    /// its case (bodies redacted by member name) and curl (credentials as environment variables).
    pub fn to_json(&self) -> serde_json::Value {
        let fuzz = self;
        use serde_json::json;
        let tally: Vec<serde_json::Value> = fuzz
            .tally
            .iter()
            .map(|((api, operation, check), (cases, failures))| {
                json!({"api": api, "operation": operation, "check": check.name(), "cases": cases, "failures": failures})
            })
            .collect();
        let failures: Vec<serde_json::Value> = fuzz
            .failures
            .iter()
            .map(|f| {
                let body = f.case.body.as_deref().map(|b| match serde_json::from_str::<serde_json::Value>(b) {
                    Ok(v) => crate::redact::redact_value(&v).to_string(),
                    Err(_) => b.to_string(),
                });
                json!({"api": f.api, "operation": f.operation, "check": f.check.name(), "detail": f.detail,
                       "case": {"label": f.case.label, "method": f.case.method, "path": f.case.path, "body": body},
                       "curl": f.curl})
            })
            .collect();
        json!({
            "cases": fuzz.cases,
            "durationMs": fuzz.elapsed.as_millis() as u64,
            "tally": tally,
            "failures": failures,
            "unsupported": fuzz.unsupported,
        })
    }
}

/// What every operation's blocking thread shares: the contracts, the target, and the report
/// being tallied.
pub(crate) struct Shared {
    pub(crate) contracts: Arc<ContractSet>,
    pub(crate) target: Arc<dyn Target>,
    pub(crate) options: FuzzOptions,
    pub(crate) report: Mutex<FuzzReport>,
    pub(crate) progress: Option<indicatif::ProgressBar>,
}

/// Fuzzes every selected operation; `progress` is advanced once per case.
pub async fn fuzz(
    contracts: Arc<ContractSet>,
    target: Arc<dyn Target>,
    options: FuzzOptions,
    progress: Option<indicatif::ProgressBar>,
) -> Result<FuzzReport, crate::Error> {
    let mut work = Vec::new();
    for contract in contracts
        .iter()
        .filter(|c| options.apis.is_empty() || options.apis.contains(&c.api))
    {
        for op in contract.operations() {
            if options.operations.is_empty() || options.operations.contains(&op.id) {
                work.push((contract.api.clone(), op.id.clone()));
            }
        }
    }
    for id in &options.operations {
        if !work.iter().any(|(_, o)| o == id) {
            return Err(crate::Error::Config {
                path: "--operation".into(),
                message: format!("no operation `{id}` in the selected APIs"),
            });
        }
    }
    let saved = persist::load(options.regressions.as_ref(), options.failures_file.as_ref());
    if let Some(p) = &progress {
        p.set_length(work.len() as u64 * 3 * u64::from(options.cases) + saved.len() as u64);
    }
    let started = Instant::now();
    let shared = Arc::new(Shared {
        contracts,
        target,
        options: options.clone(),
        report: Mutex::new(FuzzReport::default()),
        progress,
    });
    let handle = tokio::runtime::Handle::current();
    let permits = Arc::new(tokio::sync::Semaphore::new(options.parallel.max(1)));
    let mut tasks = Vec::new();
    for (api, operation) in work {
        let (shared, handle, permits) = (shared.clone(), handle.clone(), permits.clone());
        let replays: Vec<SavedCase> = saved
            .iter()
            .filter(|s| s.api == api && s.operation == operation)
            .cloned()
            .collect();
        tasks.push(tokio::spawn(async move {
            let _permit = permits.acquire_owned().await;
            tokio::task::spawn_blocking(move || {
                fuzz_operation(&shared, &handle, &api, &operation, &replays)
            })
            .await
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let shared = Arc::try_unwrap(shared).map_err(|_| crate::Error::Config {
        path: "fuzz".into(),
        message: "a fuzz task outlived the run".into(),
    })?;
    let mut report = shared
        .report
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    report.elapsed = started.elapsed();
    report.unsupported.sort();
    report.unsupported.dedup();
    if let Some(path) = &options.failures_file {
        persist::save_failures(path, &report.failures)?;
    }
    Ok(report)
}

/// Seeds differ per operation and kind, so one seed reproduces the whole run.
fn rng(seed: Option<u64>, api: &str, operation: &str, kind: u8) -> TestRng {
    let mut bytes = [0u8; 32];
    let seed = seed.unwrap_or_else(rand_seed);
    let mix = seed ^ fnv(&format!("{api}/{operation}/{kind}"));
    bytes[..8].copy_from_slice(&mix.to_le_bytes());
    bytes[8..16].copy_from_slice(&seed.to_le_bytes());
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

fn rand_seed() -> u64 {
    let id = uuid::Uuid::new_v4().as_u128();
    (id as u64) ^ ((id >> 64) as u64)
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

/// What a sent case came to: its status and body, or the first failed check.
pub(crate) type Checked = Result<(u16, bytes::Bytes), String>;

/// Sends a case to `operation`, applies the checks (with `link` when the case follows a
/// contract link), and tallies the selected ones.
pub(crate) fn check_case(
    shared: &Shared,
    handle: &tokio::runtime::Handle,
    api: &str,
    operation: &str,
    case: &Case,
    link: Option<&FollowedLink>,
) -> Checked {
    let Ok(contract) = shared.contracts.get(api) else {
        return Err("unknown API".into());
    };
    let Ok(op) = contract.operation(operation) else {
        return Err("unknown operation".into());
    };
    let outcome = handle.block_on(send(shared, api, case));
    let results = match &outcome {
        Ok((status, headers, body)) => {
            let response = HttpResponse {
                status: *status,
                headers,
                body,
            };
            evaluate(&CheckInput::new(contract, op, case, Ok(&response), link))
        }
        Err(e) => evaluate(&CheckInput::new(contract, op, case, Err(e.as_str()), link)),
    };
    let mut failure = None;
    {
        let mut report = shared.report.lock().unwrap_or_else(|e| e.into_inner());
        report.cases += 1;
        for (check, result) in &results {
            if !shared.options.checks.contains(check) {
                continue;
            }
            report
                .tally
                .entry((api.to_string(), operation.to_string(), *check))
                .or_default()
                .0 += 1;
            if let Err(detail) = result {
                failure.get_or_insert_with(|| format!("{}: {detail}", check.name()));
            }
        }
    }
    if let Some(p) = &shared.progress {
        p.inc(1);
    }
    match (failure, outcome) {
        (Some(f), _) => Err(f),
        (None, Ok((status, _, body))) => Ok((status, body)),
        (None, Err(e)) => Err(format!("not_a_server_error: {e}")),
    }
}

/// Records the smallest failing case of `operation`; `message` is `check_name: detail`, as
/// [`check_case`] fails.
pub(crate) fn record(shared: &Shared, api: &str, operation: &str, case: Case, message: &str) {
    let (check, detail) = message.split_once(": ").unwrap_or((message, ""));
    let check = Check::ALL
        .into_iter()
        .find(|c| c.name() == check)
        .unwrap_or(Check::NotAServerError);
    let curl = curl(shared, api, &case);
    let mut report = shared.report.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(entry) = report
        .tally
        .get_mut(&(api.to_string(), operation.to_string(), check))
    {
        entry.1 += 1;
    }
    report.failures.push(FuzzFailure {
        api: api.into(),
        operation: operation.into(),
        check,
        case,
        detail: detail.to_string(),
        curl,
    });
}

/// A strategy for valid parts of `op` (the positive request built from them passes the contract).
pub(crate) fn valid_parts(
    shared: &Shared,
    generator: &Generator<'_>,
    api: &str,
    op: &Operation,
) -> BoxedStrategy<Parts> {
    let Ok(contract) = shared.contracts.get(api) else {
        return Just(Parts::default()).boxed();
    };
    let contracts = shared.contracts.clone();
    let (api, operation) = (api.to_string(), op.id.clone());
    // A generator slip must never pass for a mock that rejects valid input.
    cases::parts(generator, contract, op)
        .prop_filter("valid by the contract", move |parts| {
            let Ok(contract) = contracts.get(&api) else {
                return false;
            };
            let Ok(op) = contract.operation(&operation) else {
                return false;
            };
            cases::is_valid(contract, op, &cases::positive(op, parts))
        })
        .boxed()
}

/// A proptest runner for one operation and kind of case, seeded from the run's seed.
pub(crate) fn runner(shared: &Shared, api: &str, operation: &str, kind: u8) -> TestRunner {
    let config = Config {
        cases: shared.options.cases,
        max_shrink_iters: 200,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, rng(shared.options.seed, api, operation, kind))
}

/// Builds one kind of case from generated parts and a choice among that kind's variants.
type CaseBuilder<'a> = dyn Fn(&Parts, u32) -> Option<Case> + 'a;

/// Everything for one operation: its saved cases first, then each kind of generated case,
/// then the link sequences that start at it.
fn fuzz_operation(
    shared: &Shared,
    handle: &tokio::runtime::Handle,
    api: &str,
    operation: &str,
    replays: &[SavedCase],
) {
    let Ok(contract) = shared.contracts.get(api) else {
        return;
    };
    let Ok(op) = contract.operation(operation) else {
        return;
    };
    let generator = Generator::new(contract);
    for saved in replays {
        if let Err(message) = check_case(shared, handle, api, operation, &saved.case, None) {
            record(shared, api, operation, saved.case.clone(), &message);
        }
    }
    let strategy = valid_parts(shared, &generator, api, op);
    // The kind numbers seed each kind's runner (`links` uses 3): changing them changes the
    // cases a seed generates.
    let kinds: [(u8, &CaseBuilder); 3] = [
        (0, &|parts: &Parts, _| Some(cases::positive(op, parts))),
        (1, &|parts: &Parts, choice| {
            cases::negative(contract, op, parts, choice as usize)
        }),
        (2, &|parts: &Parts, choice| {
            Some(cases::unauthenticated(op, parts, choice % 2 == 1))
        }),
    ];
    for (kind, build) in kinds {
        let result = runner(shared, api, operation, kind).run(
            &(strategy.clone(), any::<u32>()),
            |(parts, choice)| match build(&parts, choice) {
                None => Ok(()),
                Some(case) => check_case(shared, handle, api, operation, &case, None)
                    .map(|_| ())
                    .map_err(TestCaseError::fail),
            },
        );
        if let Err(TestError::Fail(message, (parts, choice))) = result
            && let Some(case) = build(&parts, choice)
        {
            record(shared, api, operation, case, message.message());
        }
    }
    links::sequences(shared, handle, &generator, api, op, strategy);
    let unsupported = generator.unsupported();
    shared
        .report
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .unsupported
        .extend(unsupported.into_iter().map(|u| format!("{api}: {u}")));
}

/// The request a case makes of the target: its base URL, the credential the case calls for,
/// and the case's content type.
pub(crate) fn request(shared: &Shared, api: &str, case: &Case) -> Result<SentRequest, String> {
    let contract = shared.contracts.get(api).map_err(|e| e.to_string())?;
    let base = shared.target.base_url(api)?;
    let mut headers = case.headers.clone();
    match case.credentials {
        Credentials::Valid => {
            let secret = shared.target.credential(api, Which::Default)?;
            headers.push(credential_header(contract, &secret.value));
        }
        Credentials::Wrong => headers.push(credential_header(contract, "vouch-wrong-credential")),
        Credentials::Missing => {}
    }
    if let Some(ct) = &case.content_type {
        headers.push(("content-type".into(), ct.clone()));
    }
    Ok(SentRequest {
        method: case
            .method
            .parse()
            .map_err(|_| format!("bad method {}", case.method))?,
        url: format!("{}{}", base.trim_end_matches('/'), case.path),
        headers,
        body: case
            .body
            .clone()
            .map(String::into_bytes)
            .unwrap_or_default(),
    })
}

async fn send(
    shared: &Shared,
    api: &str,
    case: &Case,
) -> Result<(u16, http::HeaderMap, bytes::Bytes), String> {
    let request = request(shared, api, case)?;
    let exchange = shared.target.client().send(&request).await?;
    Ok((exchange.status, exchange.headers, exchange.body))
}
