//! Schemathesis is a floor (#22 point 5): each defective variant of the widgets API
//! (`tests/widgets/mod.rs`, the variants `tests/fuzz.rs` proves each check on) is served on a
//! loopback port and fuzzed by pinned Schemathesis and by `vouch fuzz`; every variant on which
//! Schemathesis reports a defect, vouch must report one too. The table of who found what is
//! printed.
//!
//! `#[ignore]`d: it needs Schemathesis, in the venv `scripts/schemathesis.sh` sets up
//! (`target/ci-venv`, or `VOUCH_ST=path/to/st`); `.ci/run` runs it after that script:
//!
//!     cargo test --test fuzz_floor -- --ignored --nocapture
//!
//! Budget (about two minutes on 2 cores, five when the machine is loaded): Schemathesis runs every phase with `--max-examples`
//! `ST_FLOOR_EXAMPLES` (default 10) per operation, seed 1, one worker, two variants at a time;
//! vouch runs its default kinds with 10 cases per operation and kind (as `tests/fuzz.rs`).
//! A finding Schemathesis also reports on the honest server (`Defect::None`) is not a defect
//! of the variant and is left out (it is printed).

mod widgets;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use vouch::fuzz::{FuzzOptions, fuzz};
use widgets::{AFTER_MERGE, Defect, KEY, WIDGETS, widgets, widgets_contracts};

/// The pinned Schemathesis (`scripts/schemathesis.sh` installs the same).
const ST_VERSION: &str = "4.32.5";

fn st_binary() -> PathBuf {
    let st = std::env::var_os("VOUCH_ST").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ci-venv/bin/st"),
        PathBuf::from,
    );
    let version = std::process::Command::new(&st)
        .arg("--version")
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (run scripts/schemathesis.sh once: it sets up the venv; or set VOUCH_ST)",
                st.display()
            )
        });
    let version = String::from_utf8_lossy(&version.stdout).to_string();
    assert!(
        version.contains(ST_VERSION),
        "{} is not Schemathesis {ST_VERSION}: {version}",
        st.display()
    );
    st
}

fn examples() -> u32 {
    std::env::var("ST_FLOOR_EXAMPLES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10)
}

/// The operationId of Schemathesis' label `GET /widgets/{id}`.
fn operation_id(label: &str) -> String {
    let contracts = widgets_contracts();
    let contract = contracts.iter().next().unwrap();
    contract
        .operations()
        .iter()
        .find(|op| format!("{} {}", op.method, op.path.as_str()) == label)
        .map_or_else(|| label.to_string(), |op| op.id.clone())
}

/// What Schemathesis reported in its NDJSON events: `check operationId` per failed check, and
/// `error:<type> <label>` where it could not test an operation.
fn st_findings(events: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in events.lines() {
        let Ok(event) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let Some((kind, data)) = event.as_object().and_then(|o| o.iter().next()) else {
            continue;
        };
        if kind == "NonFatalError" {
            let kind = data["value"]["type"].as_str().unwrap_or("Error");
            let label = data["label"].as_str().unwrap_or("?");
            found.insert(format!("error:{kind} {}", operation_id(label)));
        }
        if kind != "ScenarioFinished" {
            continue;
        }
        let recorder = &data["recorder"];
        let Some(checks) = recorder["checks"].as_object() else {
            continue;
        };
        for check in checks
            .values()
            .flat_map(|c| c.as_array().into_iter().flatten())
        {
            if check["status"] != "failure" {
                continue;
            }
            let failure = &check["failure_info"]["failure"];
            let label = failure["operation"]
                .as_str()
                .or(recorder["label"].as_str())
                .unwrap_or("?");
            let name = check["name"].as_str().unwrap_or("?");
            found.insert(format!("{name} {}", operation_id(label)));
        }
    }
    found
}

/// Schemathesis against the widgets server with `defect`; its findings.
async fn schemathesis(st: &Path, defect: Defect, dir: &Path) -> BTreeSet<String> {
    let target = widgets(defect).await;
    let dir = dir.join(format!("{defect:?}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let contract = dir.join("widgets.yaml");
    std::fs::write(&contract, WIDGETS).unwrap();
    let mut command = std::process::Command::new(st);
    command
        .current_dir(&dir)
        .arg("run")
        .arg(&contract)
        .args(["--url", &target.url, "-H", &format!("X-Key: {KEY}")])
        .args(["--checks", "all", "--continue-on-failure", "--seed", "1"])
        .args(["--max-examples", &examples().to_string(), "--workers", "1"])
        .args(["--generation-database", "none", "--no-color"])
        .args(["--report", "ndjson", "--report-dir"])
        .arg(&dir);
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("{}: {e}", st.display()));
    let events = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "ndjson"))
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default();
    assert!(
        events.contains("\"EngineFinished\""),
        "Schemathesis did not finish on {defect:?}:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    st_findings(&events)
}

/// `vouch fuzz` against the widgets server with `defect` (the budget of `tests/fuzz.rs`); its
/// findings as `check operationId`.
async fn vouch(defect: Defect) -> BTreeSet<String> {
    let options = FuzzOptions {
        cases: 10,
        seed: Some(1),
        ..FuzzOptions::default()
    };
    let report = fuzz(widgets_contracts(), widgets(defect).await, options, None)
        .await
        .unwrap();
    report
        .failures
        .iter()
        .map(|f| format!("{} {}", f.check.name(), f.operation))
        .collect()
}

/// One variant's findings: Schemathesis' (less the honest server's), then vouch's.
type Row = (Defect, BTreeSet<String>, BTreeSet<String>);

async fn row(st: Arc<PathBuf>, dir: Arc<PathBuf>, defect: Defect) -> Row {
    let st_found = schemathesis(&st, defect, &dir).await;
    (defect, st_found, vouch(defect).await)
}

fn table(rows: &[Row]) -> String {
    let mut out = format!(
        "{:<22} {:<10} {:<6} findings (S: Schemathesis, V: vouch)\n",
        "variant", "Schemath.", "vouch"
    );
    for (defect, st, v) in rows {
        let mark = |found: &BTreeSet<String>| if found.is_empty() { "-" } else { "found" };
        out += &format!(
            "{:<22} {:<10} {:<6}",
            format!("{defect:?}"),
            mark(st),
            mark(v)
        );
        let list = |tag: &str, found: &BTreeSet<String>| {
            found
                .iter()
                .map(|f| format!("{tag} {f}"))
                .collect::<Vec<_>>()
                .join("; ")
        };
        out += &format!(" {}", list("S", st));
        if !st.is_empty() && !v.is_empty() {
            out += " | ";
        }
        out += &format!("{}\n", list("V", v));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Schemathesis (scripts/schemathesis.sh sets it up); .ci/run runs it"]
async fn vouch_finds_every_defect_schemathesis_finds() {
    let st = Arc::new(st_binary());
    let dir = Arc::new(Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-floor"));
    let started = std::time::Instant::now();
    let honest = schemathesis(&st, Defect::None, &dir).await;
    let honest_vouch = vouch(Defect::None).await;
    assert!(
        honest_vouch.is_empty(),
        "vouch on the honest server: {honest_vouch:?}"
    );
    let only = std::env::var("FLOOR_ONLY").ok();
    let defects: Vec<Defect> = Defect::ALL
        .into_iter()
        .filter(|d| only.as_ref().is_none_or(|o| format!("{d:?}") == *o))
        .collect();
    let mut rows = Vec::new();
    // Two variants at a time: Schemathesis is one Python process each.
    for pair in defects.chunks(2) {
        let tasks: Vec<_> = pair
            .iter()
            .map(|&d| tokio::spawn(row(st.clone(), dir.clone(), d)))
            .collect();
        for task in tasks {
            let (defect, st_found, v) = task.await.unwrap();
            rows.push((defect, &st_found - &honest, v));
        }
    }
    println!(
        "Schemathesis {ST_VERSION} (--max-examples {}) and vouch fuzz on each variant of the \
         widgets API, {}s:\n{}",
        examples(),
        started.elapsed().as_secs(),
        table(&rows)
    );
    if !honest.is_empty() {
        println!("left out, as Schemathesis reports them on the honest server too: {honest:?}");
    }
    let mut below = Vec::new();
    for (defect, st, v) in &rows {
        let pending = AFTER_MERGE.iter().find(|(d, _)| d == defect);
        match (st.is_empty() || !v.is_empty(), pending) {
            (true, None) => {}
            (false, None) => below.push(format!(
                "{defect:?}: Schemathesis found {st:?}, vouch nothing"
            )),
            (false, Some((_, why))) => println!("{defect:?}: below the floor until merged: {why}"),
            (true, Some(_)) if !v.is_empty() => below.push(format!(
                "{defect:?} is caught now: remove it from AFTER_MERGE (tests/widgets/mod.rs)"
            )),
            (true, Some(_)) => {}
        }
    }
    assert!(
        below.is_empty(),
        "vouch fuzz below the floor:\n{}",
        below.join("\n")
    );
}
