//! `vouch bench`: the mock at this machine's limit, measured against a bare axum reference in
//! the same run (issue #24), so its figures mean the same on a laptop and on a CI runner.
//!
//! In one process and on one runtime run the mock as `vouch mock serve` runs it (state, auth,
//! contract validation and the journal on, self-check off), the same mock with `--self-check`
//! (every answer checked against its contract), and the reference (`reference`: the same
//! routes answering the mock's own status and body, fixed). A `wrk`-like load generator
//! (`load`) drives each from one more thread over the same number of loopback keep-alive
//! connections, in alternating rounds (`rounds`: vouch, reference, vouch --self-check,
//! vouch, ...), for
//! - a read (Verified GET /credentials/{id}) and a write that keeps state (Verified POST
//!   /hasMatchingCredentials, each answer a wallet request): req/s, p50 and p99, statuses, as
//!   medians of the rounds and as ratios to the reference's;
//! - memory: what each server added to the process's RSS, ready and warmed up, and its ratio
//!   to the reference's;
//! - the soak (`soak`): `--soak` writes on a mock in a process of its own (`vouch bench
//!   --soak-only`, so its RSS holds nothing of the other servers), RSS after each batch of 10⁵;
//! - fuzz (`fuzz_rate`): cases per second per API, and the engine's own share of the run.
//!
//! While the writes run, time passes: the mock clock moves `--clock-step` seconds every 100 ms
//! (default 301: each wallet request's 5-minute window), so requests expire and are forgotten
//! as they would be over a day of use, and the writes keep being answered 201. With
//! `--clock-step 0` the clock stands still, the tenant's cap fills with requests still waiting
//! for the user, and the rest are answered 429 (bounded state's other path).
//!
//! Goals (issue #24): GET and POST ≥ 0.8 of the reference; RSS after 10⁶ POSTs ≤ 100 MB with
//! the last 10⁵ within 10 % of the first 10⁵'s throughput. Measured, never asserted: a timed
//! test would fail on a busy machine for no fault of the code. `output` prints the figures as
//! a table or, with `--json`, as one JSON document.

mod fuzz_rate;
mod load;
mod output;
mod reference;
mod rounds;
mod soak;

use super::Outcome;
use anyhow::Context;
use rounds::{Contender, REFERENCE};
use std::net::SocketAddr;
use vouch::mock::verified::SANDBOX_API_KEY;
use vouch::mock::{MockConfig, MockServer};

/// The seeded test user's phone (features/verified/README.md: Richard Hendricks).
const TEST_PHONE: &str = "+10123456789";

/// The servers' names in the figures.
const VOUCH: &str = "vouch";
const VOUCH_SELF_CHECK: &str = "vouch_self_check";

/// The benchmarked routes, as the figures name them.
const GET_CASE: &str = "GET /verified/credentials/{id}";
const POST_CASE: &str = "POST /verified/hasMatchingCredentials";

#[derive(Debug, clap::Args)]
pub(crate) struct BenchArgs {
    /// Requests per round of each case (the GET and the POST) and server.
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    requests: u64,
    /// Rounds per server and case; each figure is the median of its rounds.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(3..=99))]
    rounds: u32,
    /// Connections kept open at once (each sends its next request when answered).
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=1024))]
    connections: u16,
    /// Writes for the soak, in batches of 100 000 (0: no soak).
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(0..=100_000_000))]
    soak: u64,
    /// The mock's cap on entities of one kind per tenant (as `vouch mock serve --max-entities`).
    #[arg(long, value_name = "N", default_value_t = vouch::mock::DEFAULT_MAX_ENTITIES as u32,
          value_parser = clap::value_parser!(u32).range(1..))]
    max_entities: u32,
    /// Fuzz cases per operation and kind for the fuzz figures (0: none).
    #[arg(long, default_value_t = 200)]
    fuzz_cases: u32,
    /// Seconds the mock clock moves every 100 ms while the writes run (0: it stands still).
    #[arg(long, value_name = "SECONDS", default_value_t = 301)]
    clock_step: u32,
    /// One JSON document on standard output instead of the table.
    #[arg(long)]
    json: bool,
    /// Runs only the soak, on a mock of its own, and prints its figures as JSON: how
    /// `vouch bench` runs the soak in a process of its own, so its RSS is the mock's alone.
    #[arg(long, hide = true)]
    soak_only: bool,
}

impl BenchArgs {
    /// Requests of each case sent to a server before it is measured: its connections, caches
    /// and the allocator's pages warm, few enough that the writes stay under the tenant's cap
    /// while the clock stands still.
    fn warm_up(&self) -> u64 {
        (self.requests / 10).clamp(1, 1_000)
    }
}

/// The write: a matching request for the seeded test user (SUPPLEMENT.md § Verified), which
/// the mock keeps as a wallet request until it expires.
fn matching_body() -> String {
    format!(
        r#"{{"phone": "{TEST_PHONE}", "credentialRequests": [{{"type": "FullNameCredential", "mandatory": "yes"}}]}}"#
    )
}

/// A mock ready to be measured: where it listens and the two requests it is sent.
struct Served {
    addr: SocketAddr,
    get: Vec<u8>,
    post: Vec<u8>,
}

/// Starts a mock on `runtime` and issues the credential its GET reads back.
fn start_mock(
    runtime: &tokio::runtime::Runtime,
    local: &Local,
    args: &BenchArgs,
    self_check: bool,
) -> anyhow::Result<(MockServer, Served)> {
    let server = runtime.block_on(MockServer::start_with(MockConfig {
        self_check,
        max_entities: args.max_entities as usize,
        ..MockConfig::default()
    }))?;
    let addr: SocketAddr = server.url().trim_start_matches("http://").parse()?;
    let issue = format!(
        r#"{{"phone": "{TEST_PHONE}", "credentials": [{{"type": "EmailCredential", "data": {{"email": "bench@example.com"}}}}]}}"#
    );
    let issued = load::request(
        "POST",
        "/verified/credentials",
        SANDBOX_API_KEY,
        Some(&issue),
    );
    let (status, body) = local
        .run(load::once(addr, &issued))
        .context("issuing the credential to read back: no answer")?;
    let id = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|json| Some(json.pointer("/credentials/0/id")?.as_str()?.to_string()))
        .with_context(|| {
            format!("issuing the credential to read back answered {status} and no id")
        })?;
    let get = load::request(
        "GET",
        &format!("/verified/credentials/{id}"),
        SANDBOX_API_KEY,
        None,
    );
    let body = matching_body();
    let post = load::request(
        "POST",
        "/verified/hasMatchingCredentials",
        SANDBOX_API_KEY,
        Some(&body),
    );
    Ok((server, Served { addr, get, post }))
}

/// The load generator's thread: a current-thread runtime and its local tasks (`wrk -t1`).
struct Local {
    runtime: tokio::runtime::Runtime,
    tasks: tokio::task::LocalSet,
}

impl Local {
    fn run<F: std::future::Future>(&self, future: F) -> F::Output {
        self.tasks.block_on(&self.runtime, future)
    }
}

/// The mock's answer to `request`, fixed, for the reference to give.
fn probe(
    local: &Local,
    addr: SocketAddr,
    request: &[u8],
    case: &str,
) -> anyhow::Result<reference::Fixed> {
    let (status, body) = local
        .run(load::once(addr, request))
        .with_context(|| format!("{case}: the mock gave no answer"))?;
    serde_json::from_slice::<serde_json::Value>(&body)
        .with_context(|| format!("{case}: the mock answered {status} without a JSON body"))?;
    Ok(reference::Fixed {
        status,
        body: body.into(),
    })
}

/// Warms a server up with both requests and returns the process's RSS afterwards.
fn warm(local: &Local, args: &BenchArgs, addr: SocketAddr, served: &Served) -> Option<f64> {
    local.run(async {
        load::run(addr, &served.get, args.warm_up(), args.connections).await;
        load::run(addr, &served.post, args.warm_up(), args.connections).await;
    });
    load::rss_mib()
}

/// Moves a mock's clock `step` seconds every 100 ms until aborted.
fn tick(
    runtime: &tokio::runtime::Runtime,
    server: &MockServer,
    step: u64,
) -> tokio::task::JoinHandle<()> {
    let state = server.state().clone();
    runtime.spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(100));
        loop {
            tick.tick().await;
            if step > 0 {
                let _ = state.clock.advance(step);
            }
        }
    })
}

/// A line on standard error while the bench runs (none with `--json`: a machine reads it).
fn progress(args: &BenchArgs, what: &str) {
    if !args.json {
        eprintln!("vouch bench: {what} ...");
    }
}

/// One server thread per core.
fn server_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// The servers' runtime (`threads` workers, as a separate `vouch mock serve` would run) and
/// the load generator's thread.
fn runtimes(threads: usize) -> anyhow::Result<(tokio::runtime::Runtime, Local)> {
    let servers = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .context("starting the servers' runtime")?;
    let local = Local {
        runtime: tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("starting the load generator's runtime")?,
        tasks: tokio::task::LocalSet::new(),
    };
    Ok((servers, local))
}

/// `--soak-only`: the soak on a fresh mock with its clock moving, its figures as JSON.
fn soak_only(args: &BenchArgs) -> anyhow::Result<Outcome> {
    let (runtime, local) = runtimes(server_threads())?;
    let (server, served) = start_mock(&runtime, &local, args, false)?;
    let step = u64::from(args.clock_step);
    let clock = tick(&runtime, &server, step);
    let soak = local.run(soak::run(
        served.addr,
        &served.post,
        args.soak,
        args.connections,
        step,
    ));
    clock.abort();
    println!("{}", serde_json::to_string(&soak)?);
    Ok(Outcome::Passed)
}

/// The three servers, each started and warmed up in turn, and the answers the reference
/// copies from the mock.
struct Servers {
    vouch: MockServer,
    plain: Served,
    reference: reference::Reference,
    checking: MockServer,
    checked: Served,
    read: reference::Fixed,
    write: reference::Fixed,
}

impl Servers {
    /// The three servers in the order of each round, with the request `pick` takes.
    fn contenders(&self, pick: fn(&Served) -> &Vec<u8>) -> Vec<Contender> {
        vec![
            Contender {
                name: VOUCH,
                addr: self.plain.addr,
                request: pick(&self.plain).clone(),
            },
            Contender {
                name: REFERENCE,
                addr: self.reference.addr,
                request: pick(&self.plain).clone(),
            },
            Contender {
                name: VOUCH_SELF_CHECK,
                addr: self.checked.addr,
                request: pick(&self.checked).clone(),
            },
        ]
    }
}

/// Starts vouch, the reference and vouch `--self-check` in turn on `runtime`, noting what each
/// added to the process's RSS from before it started to after its warm-up (the load
/// generator's first buffers count in vouch's, which starts first: the reference's answers
/// are the mock's).
fn start_servers(
    runtime: &tokio::runtime::Runtime,
    local: &Local,
    args: &BenchArgs,
    memory: &mut output::Memory,
) -> anyhow::Result<Servers> {
    let before = load::rss_mib();
    memory.base_mib = before;
    let (vouch, plain) = start_mock(runtime, local, args, false)?;
    let read = probe(local, plain.addr, &plain.get, GET_CASE)?;
    let write = probe(local, plain.addr, &plain.post, POST_CASE)?;
    let after = warm(local, args, plain.addr, &plain);
    memory.add(VOUCH, before, after);
    let reference = runtime.block_on(reference::start(read.clone(), write.clone()))?;
    let after_reference = warm(local, args, reference.addr, &plain);
    memory.add(REFERENCE, after, after_reference);
    let (checking, checked) = start_mock(runtime, local, args, true)?;
    let after_checking = warm(local, args, checked.addr, &checked);
    memory.add(VOUCH_SELF_CHECK, after_reference, after_checking);
    Ok(Servers {
        vouch,
        plain,
        reference,
        checking,
        checked,
        read,
        write,
    })
}

pub(crate) fn run(args: &BenchArgs) -> anyhow::Result<Outcome> {
    if args.soak_only {
        return soak_only(args);
    }
    let mut memory = output::Memory {
        at_start_mib: load::rss_mib(),
        ..Default::default()
    };
    // The servers on their own threads, as a separate `vouch mock serve` would be.
    let server_threads = server_threads();
    let (server_runtime, local) = runtimes(server_threads)?;
    progress(args, "starting the servers and warming them up");
    let servers = start_servers(&server_runtime, &local, args, &mut memory)?;
    progress(
        args,
        &format!(
            "{} rounds of {} requests per case and server",
            args.rounds, args.requests
        ),
    );
    let reads = local.run(rounds::alternate(
        &servers.contenders(|s| &s.get),
        args.requests,
        args.rounds,
        args.connections,
    ));
    // Time passes while the writes run (see the module's docs).
    let step = u64::from(args.clock_step);
    let clocks = [
        tick(&server_runtime, &servers.vouch, step),
        tick(&server_runtime, &servers.checking, step),
    ];
    let writes = local.run(rounds::alternate(
        &servers.contenders(|s| &s.post),
        args.requests,
        args.rounds,
        args.connections,
    ));
    memory.after_rounds_mib = load::rss_mib();
    let cases = vec![
        output::Case::new(GET_CASE, &servers.read, reads),
        output::Case::new(POST_CASE, &servers.write, writes),
    ];
    for clock in clocks {
        clock.abort();
    }
    drop(servers);
    if args.soak > 0 {
        progress(
            args,
            &format!("the soak, {} writes, in a process of its own", args.soak),
        );
    }
    let soak = soak::in_own_process(args)?;
    let fuzz = if args.fuzz_cases > 0 {
        let cases = args.fuzz_cases;
        progress(
            args,
            &format!("fuzzing each API, {cases} cases per operation and kind"),
        );
        fuzz_rate::per_api(&server_runtime, args.fuzz_cases)?
    } else {
        Vec::new()
    };
    let bench = output::Bench::new(args, server_threads, cases, memory, soak, fuzz);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&bench)?);
    } else {
        bench.print();
    }
    Ok(Outcome::Passed)
}
