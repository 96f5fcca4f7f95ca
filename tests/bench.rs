//! `vouch bench` as a user and a machine read it (issue #24): the JSON document has every
//! figure, the reference was measured in the same run and the ratios are to it, fuzz figures
//! per API. No timing is asserted: the machine may be busy.

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn vouch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(args)
        .env_remove("VOUCH_CONTRACTS")
        .output()
        .unwrap()
}

/// A positive, finite number at `pointer`.
fn positive(doc: &Value, pointer: &str) -> f64 {
    let v = doc
        .pointer(pointer)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("{pointer}: not a number in {doc:#}"));
    assert!(v.is_finite() && v > 0.0, "{pointer}: {v} is not positive");
    v
}

/// Strict JSON for an independent consumer: Python's `json`, refusing NaN and Infinity
/// (which it would otherwise accept) and anything after the one document.
fn python_reads(text: &str) {
    let mut python = Command::new("python3")
        .args([
            "-c",
            "import json, sys\n\
             def no(c): raise ValueError('not JSON: ' + c)\n\
             doc = json.loads(sys.stdin.read(), parse_constant=no)\n\
             assert isinstance(doc, dict) and doc['cases'], 'no cases'\n\
             print('ok')",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 (README § On a fresh machine)");
    python
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = python.wait_with_output().unwrap();
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "ok",
        "python3 refused the document: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every round of `server` in `case` sent `requests` requests, all answered with `status`.
fn all_answered(case: &Value, server: &Value, requests: u64, status: u64) {
    let rounds = server["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 3, "{}: rounds", server["server"]);
    for r in rounds {
        assert_eq!(r["requests"], requests, "{}: {r}", case["name"]);
        assert_eq!(r["no_answer"], 0, "{}: {r}", case["name"]);
        assert_eq!(
            r["statuses"][status.to_string()],
            requests,
            "{} {}: {r}",
            case["name"],
            server["server"]
        );
    }
}

/// One case: the three servers measured, the reference's figures, and the ratios computed
/// from the medians of this run's rounds.
fn check_case(case: &Value) {
    let status = case["status"].as_u64().unwrap();
    assert!(positive(case, "/body_bytes") > 1.0);
    let servers = case["servers"].as_array().unwrap();
    let names: Vec<&str> = servers
        .iter()
        .map(|s| s["server"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["vouch", "reference", "vouch_self_check"]);
    for s in servers {
        all_answered(case, s, 2000, status);
        for figure in ["req_per_s", "p50_ms", "p99_ms"] {
            positive(s, &format!("/median/{figure}"));
        }
    }
    let reference = &servers[1]["median"];
    let ratios = case["ratios"].as_array().unwrap();
    assert_eq!(ratios.len(), 2, "{case:#}");
    for (ratio, server) in ratios.iter().zip([&servers[0], &servers[2]]) {
        assert_eq!(ratio["server"], server["server"]);
        for (r, figure) in [
            ("req_per_s", "req_per_s"),
            ("p50", "p50_ms"),
            ("p99", "p99_ms"),
        ] {
            let got = positive(ratio, &format!("/{r}"));
            let want =
                server["median"][figure].as_f64().unwrap() / reference[figure].as_f64().unwrap();
            assert!((got - want).abs() < 1e-9 * want, "{r}: {got} != {want}");
        }
        // The lowest and highest turn: each round over the reference's round of its turn.
        let turns: Vec<f64> = server["rounds"]
            .as_array()
            .unwrap()
            .iter()
            .zip(servers[1]["rounds"].as_array().unwrap())
            .map(|(r, b)| r["req_per_s"].as_f64().unwrap() / b["req_per_s"].as_f64().unwrap())
            .collect();
        let range = ratio["req_per_s_rounds"].as_array().unwrap();
        let (low, high) = (range[0].as_f64().unwrap(), range[1].as_f64().unwrap());
        assert!(low <= high, "{ratio}");
        assert!(
            turns.iter().any(|t| (t - low).abs() < 1e-9),
            "{ratio}: {turns:?}"
        );
        assert!(
            turns.iter().any(|t| (t - high).abs() < 1e-9),
            "{ratio}: {turns:?}"
        );
        assert!(
            turns.iter().all(|t| low <= *t && *t <= high),
            "{ratio}: {turns:?}"
        );
        // The median turn: as many turns above it as below.
        let middle = ratio["req_per_s_turn_median"].as_f64().unwrap();
        let above = turns.iter().filter(|t| **t > middle + 1e-9).count();
        let below = turns.iter().filter(|t| **t < middle - 1e-9).count();
        assert_eq!(above, below, "{ratio}: {turns:?}");
        assert!(low <= middle && middle <= high, "{ratio}");
    }
}

#[test]
fn json_has_every_figure_measured_against_the_reference() {
    let out = vouch(&[
        "bench",
        "--requests",
        "2000",
        "--soak",
        "0",
        "--fuzz-cases",
        "2",
        "--json",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    python_reads(&text);
    let doc: Value = serde_json::from_str(&text).expect("one JSON document on stdout");
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    assert_eq!(doc["machine"]["build_profile"], profile);
    assert_eq!(
        doc["warning"].is_string(),
        cfg!(debug_assertions),
        "{doc:#}"
    );
    positive(&doc, "/machine/cores");
    assert_eq!(doc["settings"]["requests_per_round"], 2000);
    assert_eq!(doc["settings"]["rounds"], 3);
    assert!(doc["date"].as_str().is_some_and(|d| d.ends_with('Z')));
    let cases = doc["cases"].as_array().unwrap();
    let names: Vec<&str> = cases.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "GET /verified/credentials/{id}",
            "POST /verified/hasMatchingCredentials"
        ]
    );
    assert_eq!(cases[0]["status"], 200);
    assert_eq!(cases[1]["status"], 201);
    cases.iter().for_each(check_case);
    // Memory: each server's share, and the ratio of vouch's process to the reference's.
    let added = doc["memory"]["added"].as_array().unwrap();
    assert_eq!(added.len(), 3);
    for a in added {
        if a["server"] == "reference" {
            assert!(a["ratio"].is_null());
        } else {
            positive(a, "/ratio");
        }
    }
    positive(&doc, "/memory/after_rounds_mib");
    assert!(doc["soak"].is_null(), "--soak 0 runs no soak");
    // Fuzz: cases/s per API, and the engine's own share of its threads' time.
    let fuzz = doc["fuzz"].as_array().unwrap();
    let apis: Vec<&str> = fuzz.iter().map(|f| f["api"].as_str().unwrap()).collect();
    assert_eq!(apis, ["peach", "truework", "trusona", "verified"]);
    for f in fuzz {
        positive(f, "/cases");
        positive(f, "/cases_per_s");
        let waiting = positive(f, "/waiting_s");
        let busy = positive(f, "/busy_s");
        assert!(waiting < busy, "{f}: waited longer than it ran");
        let share = positive(f, "/engine_share");
        assert!(share < 1.0, "{f}");
        assert!((share - (busy - waiting) / busy).abs() < 1e-9, "{f}");
    }
}

#[test]
fn the_table_names_the_reference_and_the_build() {
    let out = vouch(&[
        "bench",
        "--requests",
        "100",
        "--soak",
        "100",
        "--fuzz-cases",
        "0",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for line in [
        "ratios are vouch over the bare axum reference",
        "\n  reference ",
        "\n  vouch --self-check ",
        "×reference",
        "soak: 100 POSTs",
        "×req/s turn by turn, median (lowest–highest): vouch ",
    ] {
        assert!(text.contains(line), "no `{line}` in\n{text}");
    }
    assert_eq!(
        text.contains("WARNING: a debug build"),
        cfg!(debug_assertions),
        "{text}"
    );
    assert!(!text.contains("\nfuzz "), "--fuzz-cases 0 fuzzes nothing");
}

#[test]
fn fewer_than_three_rounds_is_refused_naming_the_flag() {
    let out = vouch(&["bench", "--rounds", "2"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--rounds") && err.lines().count() == 1,
        "{err}"
    );
}
