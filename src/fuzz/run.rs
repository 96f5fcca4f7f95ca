//! Running the fuzzer: per operation, proptest generates cases (positive, negative, without
//! credentials), sends them through the target, applies the checks, and shrinks a failing case
//! to the smallest one. Operations run in parallel on blocking threads (generation stays off
//! the async path); requests share the target's keep-alive client.

use super::cases::{self, Case, Credentials, Parts};
use super::checks::{Check, evaluate};
use super::strategy::Generator;
use crate::contract::{ContractSet, HttpResponse};
use crate::exchange::SentRequest;
use crate::targets::{Target, Which, credential_header};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct FuzzOptions {
    pub apis: Vec<String>,
    pub operations: Vec<String>,
    /// Cases per operation and kind (positive, negative, unauthenticated).
    pub cases: u32,
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

/// A saved case: what to replay.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SavedCase {
    pub api: String,
    pub operation: String,
    pub case: Case,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A check that failed, with the smallest case found.
#[derive(Debug, Clone, Serialize)]
pub struct FuzzFailure {
    pub api: String,
    pub operation: String,
    pub check: Check,
    pub case: Case,
    pub detail: String,
    /// A curl command that repeats the request (credentials as an environment variable).
    pub curl: String,
}

#[derive(Debug, Default)]
pub struct FuzzReport {
    /// (api, operation, check) -> (cases checked, failures)
    pub tally: BTreeMap<(String, String, Check), (u64, u64)>,
    pub failures: Vec<FuzzFailure>,
    pub unsupported: Vec<String>,
    pub cases: u64,
    pub elapsed: Duration,
}

impl FuzzReport {
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

struct Shared {
    contracts: Arc<ContractSet>,
    target: Arc<dyn Target>,
    options: FuzzOptions,
    report: Mutex<FuzzReport>,
    progress: Option<indicatif::ProgressBar>,
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
    let mut saved = load(options.regressions.as_ref());
    saved.extend(load_file(options.failures_file.as_ref()));
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
        let cases: Vec<SavedCase> = report
            .failures
            .iter()
            .map(|f| SavedCase {
                api: f.api.clone(),
                operation: f.operation.clone(),
                case: f.case.clone(),
                note: f.detail.clone(),
            })
            .collect();
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        std::fs::write(
            path,
            serde_json::to_string_pretty(&cases).unwrap_or_default(),
        )
        .map_err(|source| crate::Error::Io {
            path: path.display().to_string(),
            source,
        })?;
    }
    Ok(report)
}

fn load_file(path: Option<&PathBuf>) -> Vec<SavedCase> {
    path.and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// Every `*.json` file of saved cases in a directory.
fn load(dir: Option<&PathBuf>) -> Vec<SavedCase> {
    let Some(entries) = dir.and_then(|d| std::fs::read_dir(d).ok()) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths.iter().flat_map(|p| load_file(Some(p))).collect()
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

/// Checks that need context beyond one case (a link's read-back), given status and body.
type ExtraChecks<'a> = dyn Fn(u16, &[u8]) -> Vec<(Check, Result<(), String>)> + 'a;

/// What a sent case came to: its status and body, or the first failed check.
type Checked = Result<(u16, bytes::Bytes), String>;

/// Sends a case to `operation`, applies the selected checks (plus `extra`, given the answer's
/// status and body), and tallies them.
fn check_case(
    shared: &Shared,
    handle: &tokio::runtime::Handle,
    api: &str,
    operation: &str,
    case: &Case,
    extra: &ExtraChecks,
) -> Checked {
    let (Ok(contract), true) = (shared.contracts.get(api), true) else {
        return Err("unknown API".into());
    };
    let Ok(op) = contract.operation(operation) else {
        return Err("unknown operation".into());
    };
    let outcome = handle.block_on(send(shared, api, case));
    let mut results = match &outcome {
        Ok((status, headers, body)) => evaluate(
            contract,
            op,
            case,
            Ok(&HttpResponse {
                status: *status,
                headers,
                body,
            }),
        ),
        Err(e) => evaluate(contract, op, case, Err(e.as_str())),
    };
    if let Ok((status, _, body)) = &outcome {
        results.extend(extra(*status, body));
    }
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

/// Records the smallest failing case of `operation`.
fn record(shared: &Shared, api: &str, operation: &str, case: Case, message: &str) {
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
fn valid_parts(
    shared: &Shared,
    generator: &Generator<'_>,
    api: &str,
    op: &crate::contract::Operation,
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

fn runner(shared: &Shared, api: &str, operation: &str, kind: u8) -> TestRunner {
    let config = Config {
        cases: shared.options.cases,
        max_shrink_iters: 200,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, rng(shared.options.seed, api, operation, kind))
}

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
    let none = |_: u16, _: &[u8]| Vec::new();
    for saved in replays {
        if let Err(message) = check_case(shared, handle, api, operation, &saved.case, &none) {
            record(shared, api, operation, saved.case.clone(), &message);
        }
    }
    let strategy = valid_parts(shared, &generator, api, op);
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
                Some(case) => check_case(shared, handle, api, operation, &case, &none)
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
    links(shared, handle, &generator, api, op, strategy);
    let unsupported = generator.unsupported();
    shared
        .report
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .unsupported
        .extend(unsupported.into_iter().map(|u| format!("{api}: {u}")));
}

/// Stateful sequences: a valid request to `op`, then each link its successful answer declares,
/// with the linked parameters taken from the answer (`$response.body#/data/id`).
fn links(
    shared: &Shared,
    handle: &tokio::runtime::Handle,
    generator: &Generator<'_>,
    api: &str,
    op: &crate::contract::Operation,
    strategy: BoxedStrategy<Parts>,
) {
    let Ok(contract) = shared.contracts.get(api) else {
        return;
    };
    let links: Vec<&crate::contract::Link> = op
        .responses
        .iter()
        .filter(|r| matches!(r.status, crate::contract::StatusKey::Code(200..=299)))
        .flat_map(|r| &r.links)
        .collect();
    if links.is_empty() {
        return;
    }
    let consumers: Vec<BoxedStrategy<Parts>> = links
        .iter()
        .filter_map(|l| contract.operation(&l.operation_id).ok())
        .map(|target| valid_parts(shared, generator, api, target))
        .collect();
    let none = |_: u16, _: &[u8]| Vec::new();
    let result =
        runner(shared, api, &op.id, 3).run(&(strategy, consumers), |(parts, consumer_parts)| {
            let producer = cases::positive(op, &parts);
            let (status, body) = check_case(shared, handle, api, &op.id, &producer, &none)
                .map_err(TestCaseError::fail)?;
            let Ok(answer) = serde_json::from_slice::<serde_json::Value>(&body) else {
                return Ok(());
            };
            if !(200..300).contains(&status) {
                return Ok(());
            }
            for (link, mut consumer) in links.iter().zip(consumer_parts) {
                let Ok(target) = contract.operation(&link.operation_id) else {
                    continue;
                };
                // Following a link sends what the link names and what the target requires,
                // nothing random besides: a random optional cursor or body would answer a
                // business error.
                let required = |name: &String| {
                    target
                        .parameters
                        .iter()
                        .any(|p| p.name == *name && p.required)
                };
                consumer.query.retain(|k, _| required(k));
                consumer.headers.retain(|k, _| required(k));
                if !target.request_body.as_ref().is_some_and(|b| b.required) {
                    consumer.body = None;
                }
                let mut resolved = true;
                for (name, expression) in &link.parameters {
                    match resolve(expression, &answer, &parts) {
                        Some(value) => {
                            let text = match &value {
                                serde_json::Value::String(s) => s.clone(),
                                other => other.to_string(),
                            };
                            if consumer.path.contains_key(name)
                                || target.parameters.iter().any(|p| {
                                    p.name == *name && p.location == crate::contract::ParamIn::Path
                                })
                            {
                                consumer.path.insert(name.clone(), text);
                            } else {
                                consumer.query.insert(name.clone(), value);
                            }
                        }
                        None => resolved = false,
                    }
                }
                if let Some(body) = &link.request_body {
                    consumer.body = resolve(body, &answer, &parts);
                }
                if !resolved {
                    continue;
                }
                let mut case = cases::positive(target, &consumer);
                case.label = format!("{} after {} (link {})", target.id, op.id, link.name);
                let expected = link
                    .reads_back
                    .as_ref()
                    .and_then(|(from, _)| answer.pointer(from).cloned());
                let pointer = link.reads_back.as_ref().map(|(_, to)| to.clone());
                // What was written must be found (not 404/410) and, when the answer succeeds,
                // read back unchanged; a documented business refusal is the other checks' call.
                let read_back = move |status: u16, body: &[u8]| {
                    let ok = if status == 404 || status == 410 || status >= 500 {
                        Err(format!("following the link answered {status}"))
                    } else if !(200..300).contains(&status) {
                        Ok(())
                    } else {
                        match (&pointer, &expected) {
                            (Some(p), Some(want)) => {
                                let got = serde_json::from_slice::<serde_json::Value>(body)
                                    .ok()
                                    .and_then(|v| v.pointer(p).cloned());
                                if got.as_ref() == Some(want) {
                                    Ok(())
                                } else {
                                    Err(format!("{p} did not read back unchanged"))
                                }
                            }
                            _ => Ok(()),
                        }
                    };
                    vec![(Check::StatefulReadBack, ok)]
                };
                check_case(shared, handle, api, &target.id, &case, &read_back)
                    .map_err(|m| TestCaseError::fail(format!("{m} [{}]", case.label)))?;
            }
            Ok(())
        });
    if let Err(TestError::Fail(message, (parts, _))) = result {
        record(
            shared,
            api,
            &op.id,
            cases::positive(op, &parts),
            message.message(),
        );
    }
}

/// A link's runtime expression (`$response.body#/data/id`, `$request.path.id`) or constant;
/// objects and arrays are resolved member by member.
fn resolve(
    expression: &serde_json::Value,
    answer: &serde_json::Value,
    request: &Parts,
) -> Option<serde_json::Value> {
    use serde_json::Value;
    match expression {
        Value::String(e) if e.starts_with('$') => {
            if let Some(pointer) = e.strip_prefix("$response.body#") {
                answer.pointer(pointer).cloned()
            } else if let Some(name) = e.strip_prefix("$request.path.") {
                request.path.get(name).map(|v| Value::String(v.clone()))
            } else if let Some(name) = e.strip_prefix("$request.query.") {
                request.query.get(name).cloned()
            } else if let Some(pointer) = e.strip_prefix("$request.body#") {
                request.body.as_ref()?.pointer(pointer).cloned()
            } else {
                None
            }
        }
        Value::Object(map) => Some(Value::Object(
            map.iter()
                .map(|(k, v)| Some((k.clone(), resolve(v, answer, request)?)))
                .collect::<Option<_>>()?,
        )),
        other => Some(other.clone()),
    }
}

/// Builds one kind of case from generated parts and a choice among that kind's variants.
type CaseBuilder<'a> = dyn Fn(&Parts, u32) -> Option<Case> + 'a;

fn request(shared: &Shared, api: &str, case: &Case) -> Result<SentRequest, String> {
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

fn curl(shared: &Shared, api: &str, case: &Case) -> String {
    let Ok(request) = request(shared, api, case) else {
        return String::new();
    };
    let secrets: Vec<crate::redact::Secret> = [Which::Default, Which::Second]
        .into_iter()
        .filter_map(|w| shared.target.credential(api, w).ok())
        .collect();
    crate::exchange::curl::curl(&request, &secrets)
}
