//! What `vouch bench` measured, as one document: a small table for a person, or with
//! `--json` one JSON document for machines (the same figures, every round, the machine).

use super::fuzz_rate::FuzzRate;
use super::reference::Fixed;
use super::rounds::{self, Measured, REFERENCE, Ratio};
use super::soak::Soak;
use super::{BenchArgs, VOUCH_SELF_CHECK};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the bench ran on.
#[derive(Debug, Serialize)]
pub(super) struct Machine {
    /// Cores this process may use (`available_parallelism`).
    pub cores: usize,
    /// The CPU's model name (Linux), for comparing figures across machines.
    pub cpu: Option<String>,
    pub os: &'static str,
    pub arch: &'static str,
    /// `debug` or `release`: only a release build's figures say anything.
    pub build_profile: &'static str,
    /// Worker threads of the servers' runtime (the mocks' and the reference's).
    pub server_threads: usize,
    /// Threads of the load generator.
    pub load_threads: usize,
}

/// How the bench was run.
#[derive(Debug, Serialize)]
pub(super) struct Settings {
    pub requests_per_round: u64,
    pub rounds: u32,
    pub connections: u16,
    pub warm_up_requests: u64,
    pub clock_step_secs: u32,
    pub max_entities: u32,
    pub fuzz_cases: u32,
}

/// One benchmarked route: the answer the reference gives (the mock's own), every server's
/// rounds and medians, and the ratios to the reference.
#[derive(Debug, Serialize)]
pub(super) struct Case {
    pub name: &'static str,
    pub status: u16,
    pub body_bytes: usize,
    pub servers: Vec<Measured>,
    pub ratios: Vec<Ratio>,
}

impl Case {
    pub(super) fn new(name: &'static str, answer: &Fixed, servers: Vec<Measured>) -> Self {
        Self {
            name,
            status: answer.status,
            body_bytes: answer.body.len(),
            ratios: rounds::ratios(&servers),
            servers,
        }
    }
}

/// What one server added to the process's RSS, ready and warmed up.
#[derive(Debug, Serialize)]
pub(super) struct Added {
    pub server: &'static str,
    pub mib: Option<f64>,
    /// The process with this server over the same process with the reference instead:
    /// `(base + mib) / (base + the reference's mib)` (`None` for the reference, and where RSS
    /// is not known). Not `mib` over the reference's: a bare server adds a few hundred KiB,
    /// and a ratio to that is noise.
    pub ratio: Option<f64>,
}

/// The process's memory (RSS, MiB; `None` where it cannot be read, off Linux).
#[derive(Debug, Default, Serialize)]
pub(super) struct Memory {
    pub at_start_mib: Option<f64>,
    /// With the runtimes ready and no server started.
    pub base_mib: Option<f64>,
    pub added: Vec<Added>,
    /// After every round of both cases (the mocks' state included).
    pub after_rounds_mib: Option<f64>,
}

impl Memory {
    /// Notes what `server` added between the RSS `before` it started and `after` its warm-up.
    pub(super) fn add(&mut self, server: &'static str, before: Option<f64>, after: Option<f64>) {
        let mib = before.zip(after).map(|(b, a)| a - b);
        self.added.push(Added {
            server,
            mib,
            ratio: None,
        });
        let base = self.base_mib;
        let reference = self
            .added
            .iter()
            .find(|a| a.server == REFERENCE)
            .and_then(|a| a.mib.zip(base).map(|(m, b)| b + m));
        for a in self.added.iter_mut().filter(|a| a.server != REFERENCE) {
            a.ratio = a
                .mib
                .zip(base)
                .zip(reference)
                .map(|((m, b), r)| (b + m) / r);
        }
    }
}

/// Everything `vouch bench` measured.
#[derive(Debug, Serialize)]
pub(super) struct Bench {
    pub vouch_version: &'static str,
    /// When it ran (UTC, RFC 3339).
    pub date: String,
    pub machine: Machine,
    pub settings: Settings,
    /// Set when the figures say little (a debug build).
    pub warning: Option<String>,
    pub cases: Vec<Case>,
    pub memory: Memory,
    pub soak: Option<Soak>,
    pub fuzz: Vec<FuzzRate>,
}

/// `cfg!(debug_assertions)`: a debug build runs the mock many times slower than a release
/// build, and not by the same factor as the bare reference, so even its ratios say little.
const DEBUG_WARNING: &str = "a debug build: these figures say little about the mock; \
     measure a release build (`cargo run --release -- bench`)";

impl Bench {
    pub(super) fn new(
        args: &BenchArgs,
        server_threads: usize,
        cases: Vec<Case>,
        memory: Memory,
        soak: Option<Soak>,
        fuzz: Vec<FuzzRate>,
    ) -> Self {
        let debug = cfg!(debug_assertions);
        Self {
            vouch_version: env!("CARGO_PKG_VERSION"),
            date: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            machine: Machine {
                cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
                cpu: cpu_model(),
                os: std::env::consts::OS,
                arch: std::env::consts::ARCH,
                build_profile: if debug { "debug" } else { "release" },
                server_threads,
                load_threads: 1,
            },
            settings: Settings {
                requests_per_round: args.requests,
                rounds: args.rounds,
                connections: args.connections,
                warm_up_requests: args.warm_up(),
                clock_step_secs: args.clock_step,
                max_entities: args.max_entities,
                fuzz_cases: args.fuzz_cases,
            },
            warning: debug.then(|| DEBUG_WARNING.to_string()),
            cases,
            memory,
            soak,
            fuzz,
        }
    }

    /// The table a person reads.
    pub(super) fn print(&self) {
        let m = &self.machine;
        println!(
            "vouch bench {} on {} cores ({}), {} build, {}",
            self.vouch_version,
            m.cores,
            m.cpu.as_deref().unwrap_or("cpu unknown"),
            m.build_profile,
            self.date
        );
        if let Some(warning) = &self.warning {
            println!("WARNING: {warning}");
        }
        let s = &self.settings;
        println!(
            "servers on one runtime ({} threads), load from {} thread over {} connections; \
             medians of {} alternating rounds of {} requests",
            m.server_threads, m.load_threads, s.connections, s.rounds, s.requests_per_round
        );
        println!(
            "ratios are vouch over the bare axum reference: req/s 1.0 = at the machine's limit \
             (higher is better), latency 1.0 = as fast (lower is better)\n"
        );
        println!(
            "  {:<22} {:>9} {:>8} {:>8} {:>7} {:>6} {:>6}  statuses",
            "server", "req/s", "p50 ms", "p99 ms", "×req/s", "×p50", "×p99"
        );
        for case in &self.cases {
            print_case(case);
        }
        self.print_memory();
        if let Some(soak) = &self.soak {
            print_soak(soak);
        }
        if !self.fuzz.is_empty() {
            print_fuzz(&self.fuzz);
        }
    }

    fn print_memory(&self) {
        let mem = &self.memory;
        println!(
            "\n  {:<22} {:>9} {:>9} {:>10}   (RSS, MiB: what the server added, ready and warm; \
             the process with it, over the process with the reference)",
            "memory", "added", "process", "×reference"
        );
        let cell =
            |v: Option<f64>, digits: usize| v.map_or("n/a".into(), |v| format!("{v:.digits$}"));
        for a in &mem.added {
            println!(
                "  {:<22} {:>9} {:>9} {:>10}",
                label(a.server),
                cell(a.mib, 1),
                cell(a.mib.zip(mem.base_mib).map(|(m, b)| m + b), 1),
                a.ratio.map_or(String::new(), |r| format!("{r:.2}"))
            );
        }
        println!(
            "  the process: {} at start, {} before the servers, {} after the rounds",
            mib(mem.at_start_mib),
            mib(mem.base_mib),
            mib(mem.after_rounds_mib)
        );
    }
}

fn label(server: &str) -> &str {
    if server == VOUCH_SELF_CHECK {
        "vouch --self-check"
    } else {
        server
    }
}

fn mib(rss: Option<f64>) -> String {
    rss.map_or("n/a".into(), |m| format!("{m:.1} MiB"))
}

/// `200: 300000, 429: 3`.
fn mix(statuses: &BTreeMap<u16, u64>, no_answer: u64) -> String {
    let mut parts: Vec<String> = statuses.iter().map(|(s, n)| format!("{s}: {n}")).collect();
    if no_answer > 0 {
        parts.push(format!("no answer: {no_answer}"));
    }
    parts.join(", ")
}

/// A server's statuses over every round.
fn statuses(m: &Measured) -> String {
    let mut all: BTreeMap<u16, u64> = BTreeMap::new();
    for r in &m.rounds {
        for (s, n) in &r.statuses {
            *all.entry(*s).or_default() += n;
        }
    }
    mix(&all, m.rounds.iter().map(|r| r.no_answer).sum())
}

fn print_case(case: &Case) {
    println!(
        "{} (the reference answers {}, {} bytes)",
        case.name, case.status, case.body_bytes
    );
    for m in &case.servers {
        let ratio = case.ratios.iter().find(|r| r.server == m.server);
        let ratios = ratio.map_or(String::new(), |r| {
            format!("{:>7.2} {:>6.2} {:>6.2}", r.req_per_s, r.p50, r.p99)
        });
        println!(
            "  {:<22} {:>9.0} {:>8.2} {:>8.2} {:>21}  {}",
            label(m.server),
            m.median.req_per_s,
            m.median.p50_ms,
            m.median.p99_ms,
            ratios,
            statuses(m)
        );
    }
    let spread: Vec<String> = case
        .ratios
        .iter()
        .map(|r| {
            let [low, high] = r.req_per_s_rounds;
            let middle = r.req_per_s_turn_median;
            format!("{} {middle:.2} ({low:.2}–{high:.2})", label(r.server))
        })
        .collect();
    println!(
        "  ×req/s turn by turn, median (lowest–highest): {}",
        spread.join(", ")
    );
}

fn print_soak(soak: &Soak) {
    println!(
        "\nsoak: {} POSTs on the mock in batches of up to {}, the mock clock {}",
        soak.posts,
        super::soak::BATCH,
        if soak.clock_step_secs > 0 {
            format!("moving {} s every 100 ms", soak.clock_step_secs)
        } else {
            "standing still".into()
        }
    );
    for (i, b) in soak.batches.iter().enumerate() {
        let f = &b.figures;
        println!(
            "  batch {:>3}: {:>8.0} req/s  p99 {:>6.2} ms  RSS {:>10}  {}",
            i + 1,
            f.req_per_s,
            f.p99_ms,
            mib(b.rss_mib),
            mix(&f.statuses, f.no_answer)
        );
    }
    println!(
        "  last batch at {:.0} % of the first's throughput; RSS {} before the soak, {} after",
        100.0 * soak.last_vs_first,
        mib(soak.rss_before_mib),
        mib(soak.rss_after_mib)
    );
}

fn print_fuzz(fuzz: &[FuzzRate]) {
    println!(
        "\nfuzz against the mock (every check, shrinking on; engine share: time not waiting on the mock)"
    );
    println!(
        "  {:<10} {:>8} {:>10} {:>8} {:>13}",
        "api", "cases", "cases/s", "seconds", "engine share"
    );
    for f in fuzz {
        println!(
            "  {:<10} {:>8} {:>10.0} {:>8.2} {:>12.0} %",
            f.api,
            f.cases,
            f.cases_per_s,
            f.seconds,
            100.0 * f.engine_share
        );
    }
}

/// The CPU's model name, from `/proc/cpuinfo` (Linux).
fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map(|(_, name)| name.trim().to_string())
}
