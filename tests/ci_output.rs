//! `vouch run` in a team's CI (issue #25): no silent green, output people read, failures
//! that rerun, and one error for a target it cannot reach. Run as CI runs it: standard output
//! is a pipe, not a terminal.

#[path = "support/serve.rs"]
mod serve;

use serve::Serve;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `vouch ARGS` from the repository root, with none of the user's vouch settings.
fn vouch_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vouch"));
    command.args(args).current_dir(ROOT);
    for (name, _) in std::env::vars() {
        if name.starts_with("VOUCH_") {
            command.env_remove(name);
        }
    }
    command.envs(env.iter().copied()).output().unwrap()
}

fn vouch(args: &[&str]) -> Output {
    vouch_with(args, &[])
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A scratch directory unique to this test process and name.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("ci-output-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A copy of the shipped contracts with one text of peach's replaced.
fn edited_contracts(name: &str, from: &str, to: &str) -> String {
    let dir = scratch(name);
    let shipped = Path::new(ROOT).join("contracts");
    for entry in std::fs::read_dir(&shipped).unwrap().flatten() {
        if entry.path().extension().is_some_and(|e| e == "yaml") {
            std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
    }
    let source = std::fs::read_to_string(shipped.join("peach.yaml")).unwrap();
    let edited = source.replacen(from, to, 1);
    assert_ne!(edited, source, "peach.yaml no longer has `{from}`");
    std::fs::write(dir.join("peach.yaml"), edited).unwrap();
    dir.display().to_string()
}

/// Peach's `limit` on listing verification types at most 5 (the shipped contract: 100).
fn tightened_limit(name: &str) -> String {
    let rule = "- name: limit\n          in: query\n          required: false\n          \
                description: The maximum count of results to retrieve.\n          schema:\n            \
                type: integer\n            minimum: 1\n            maximum: ";
    edited_contracts(name, &format!("{rule}100"), &format!("{rule}5"))
}

/// A progress line: `path  feature name: N passed, M failed`.
fn is_progress(line: &str) -> bool {
    line.starts_with("features/")
        && line.contains("  ")
        && line.ends_with(" failed")
        && line.contains(" passed, ")
}

/// The mock's default peach token, as `vouch mock serve` prints it.
fn peach_token() -> String {
    let api = vouch::mock::all_apis()
        .into_iter()
        .find(|a| a.id() == "peach")
        .unwrap();
    api.default_credentials()[0].secret.clone()
}

#[test]
fn a_sandbox_run_without_credentials_fails_and_names_the_variables_to_set() {
    let reports = scratch("no-credentials");
    let o = vouch(&[
        "run",
        "--target",
        "sandbox",
        "--api",
        "peach",
        "--reports",
        reports.to_str().unwrap(),
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    let error = out
        .lines()
        .find(|l| l.starts_with("error: every selected scenario ("))
        .unwrap_or_else(|| panic!("no all-skipped error in:\n{out}"));
    assert!(
        error.contains("no peach credential: set VOUCH_PEACH_TOKEN or VOUCH_PEACH_API_KEY: "),
        "{error}"
    );
    let counts = out.lines().find(|l| l.starts_with("scenarios: ")).unwrap();
    assert!(
        counts.starts_with("scenarios: 0 passed, 0 failed, ") && counts.ends_with(" skipped"),
        "{counts}"
    );
    assert!(!counts.ends_with(" 0 skipped"), "{counts}");
}

/// `--max-skipped` on a sandbox (a served mock) where 2 of the feature's 4 scenarios are
/// `@mock-only`.
#[test]
fn max_skipped_fails_a_run_that_skipped_more() {
    let server = Serve::start();
    let reports = scratch("max-skipped");
    let base = server.base_url("peach");
    let token = peach_token();
    let env = [
        ("VOUCH_PEACH_BASE_URL", base.as_str()),
        ("VOUCH_PEACH_TOKEN", token.as_str()),
    ];
    let run = |extra: &[&str], env: &[(&str, &str)]| {
        let mut args = vec![
            "run",
            "--target",
            "sandbox",
            "--features",
            "features/peach/vendor_evidence.feature",
            "--reports",
            reports.to_str().unwrap(),
        ];
        args.extend(extra);
        vouch_with(&args, env)
    };
    let o = run(&[], &env);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("scenarios: 2 passed, 0 failed, 2 skipped"),
        "{}",
        stdout(&o)
    );
    let o = run(&["--max-skipped", "1"], &env);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(
            "error: 2 of 4 selected scenarios were skipped, more than --max-skipped 1: @mock-only: "
        ),
        "{}",
        stdout(&o)
    );
    let o = run(&["--max-skipped", "50%"], &env);
    assert!(o.status.success(), "{}", stdout(&o));
    let mut with_variable = env.to_vec();
    with_variable.push(("VOUCH_MAX_SKIPPED", "25%"));
    let o = run(&[], &with_variable);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    // A bad value: one line naming the flag, exit 2.
    let o = run(&["--max-skipped", "lots"], &env);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).trim_end().lines().count(), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("--max-skipped"), "{}", stderr(&o));
}

#[test]
fn a_passing_run_without_a_terminal_prints_a_line_per_feature() {
    let reports = scratch("passing");
    let o = vouch(&[
        "run",
        "--features",
        "features/peach",
        "--reports",
        reports.to_str().unwrap(),
    ]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}{}", stderr(&o));
    let features = std::fs::read_dir(Path::new(ROOT).join("features/peach"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "feature"))
        .count();
    let progress = out.lines().filter(|l| is_progress(l)).count();
    assert!(
        progress > 0 && progress <= features,
        "{progress} of {features}:\n{out}"
    );
    // The contracts' lines (a heading and one per API), the vendor evidence (one per API),
    // the unconfirmed findings, the counts and the reports: a few lines.
    let others = out.lines().count() - progress;
    assert!(
        others <= 6 + 2 * vouch::mock::all_apis().len(),
        "{others} other lines:\n{out}"
    );
    assert!(out.contains("scenarios: "), "{out}");
    // cucumber's pretty output, every step, on request.
    let o = vouch(&[
        "run",
        "--output",
        "pretty",
        "--features",
        "features/peach/verification_questions.feature",
        "--reports",
        reports.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("Scenario: "), "{}", stdout(&o));
    assert!(!stdout(&o).lines().any(is_progress), "{}", stdout(&o));
}

/// A run that fails (the contract given with `--contracts` refuses limits above 5) ends with
/// the failed scenarios' `path:line`; the rerun it prints runs that one scenario, which fails
/// the same way.
#[test]
fn a_failing_run_ends_with_the_failed_scenarios_and_its_rerun_reproduces_one() {
    let contracts = tightened_limit("failing-contracts");
    let reports = scratch("failing");
    let reports = reports.to_str().unwrap();
    let o = vouch(&[
        "--contracts",
        &contracts,
        "run",
        "--features",
        "features/peach/verification_types_pagination.feature",
        "--reports",
        reports,
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    let lines: Vec<&str> = out.lines().collect();
    let start = lines
        .iter()
        .position(|l| *l == "failed scenarios:")
        .unwrap_or_else(|| panic!("no failed list:\n{out}"));
    let failed: Vec<&str> = lines[start + 1..]
        .iter()
        .take_while(|l| l.starts_with("  features/"))
        .copied()
        .collect();
    assert!(failed.len() > 1, "{out}");
    for line in &failed {
        let (place, name) = line.trim().split_once("  ").expect("path:line  name");
        assert!(place.contains(".feature:") && !name.is_empty(), "{line}");
    }
    // Then only the counts and where the reports went.
    let after: Vec<&str> = lines[start + 1 + failed.len()..].to_vec();
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(
        after[0].starts_with("scenarios: ") && after[1].starts_with("reports: "),
        "{after:?}"
    );
    // Each distinct failure once, with its rerun; identical violations grouped.
    let groups = lines.iter().filter(|l| l.starts_with("FAILED x")).count();
    assert!(groups < failed.len(), "not grouped:\n{out}");
    let first = lines
        .iter()
        .position(|l| l.starts_with("FAILED x"))
        .unwrap();
    let rerun = lines[first..]
        .iter()
        .find_map(|l| l.trim().strip_prefix("rerun: "))
        .unwrap();
    // The embedded mock is gone: its curl points at a mock the person starts.
    assert!(
        out.contains(&format!(
            "`vouch --contracts {contracts} mock serve --addr 127.0.0.1:8080`"
        )),
        "{out}"
    );
    assert!(out.contains("curl -sS -X GET 'http://127.0.0.1:8080/peach/verification-types?limit="));
    assert!(out.contains("set VOUCH_PEACH_TOKEN first"), "{out}");
    let args: Vec<&str> = rerun.split_whitespace().collect();
    assert_eq!(args[0], "vouch", "{rerun}");
    let place = args.iter().find(|a| a.contains(".feature:")).unwrap();
    let mut again = args[1..].to_vec();
    again.extend(["--reports", reports]);
    let o = vouch(&again);
    let out2 = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{rerun}:\n{out2}{}", stderr(&o));
    assert!(
        out2.contains("scenarios: 0 passed, 1 failed, 0 skipped"),
        "{out2}"
    );
    assert!(
        out2.contains(&format!("failed scenarios:\n  {place}  ")),
        "{out2}"
    );
    assert!(
        out2.contains(lines[first].split_once(": ").unwrap().1),
        "{out2}"
    );
}

/// The mock's answers break a contract given with `--contracts` (a member it never sends is
/// required): the run blames the given contract, once per rule, not the mock per answer.
#[test]
fn a_violation_of_a_given_contract_blames_it_once() {
    let contracts = edited_contracts(
        "blame-contracts",
        "        - questionSelectionCriteria\n      properties:",
        "        - questionSelectionCriteria\n        - reviewedBy\n      properties:",
    );
    let reports = scratch("blame");
    let o = vouch(&[
        "--contracts",
        &contracts,
        "run",
        "--features",
        "features/peach/verification_types.feature",
        "--reports",
        reports.to_str().unwrap(),
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    let blamed: Vec<&str> = out
        .lines()
        .filter(|l| {
            l.contains("the contract given with --contracts disagrees with the mock's answer")
        })
        .collect();
    assert!(!blamed.is_empty() && blamed.len() <= 4, "{out}");
    assert!(blamed.iter().any(|l| l.contains(" times): ")), "{blamed:?}");
    assert!(!out.contains("the mock's own answer"), "{out}");
}

#[test]
fn a_line_with_no_scenario_is_one_error() {
    let reports = scratch("no-line");
    let o = vouch(&[
        "run",
        "--features",
        "features/peach/verification_types_pagination.feature:2",
        "--reports",
        reports.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("--features features/peach/verification_types_pagination.feature:2: no scenario or Examples row starts at line 2"),
        "{err}"
    );
}

#[test]
fn an_unreachable_url_target_is_one_error_before_the_run() {
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let reports = scratch("unreachable");
    let o = vouch(&[
        "run",
        "--target",
        "url",
        "--mock-url",
        &url,
        "--features",
        "features/peach",
        "--reports",
        reports.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!("--target url: cannot reach {url}: ")),
        "{err}"
    );
    assert!(!stdout(&o).contains("hook"), "{}", stdout(&o));
    assert_eq!(std::fs::read_dir(&reports).unwrap().count(), 0);
}

/// A sandbox with a credential whose base URL answers nothing is one error before the run,
/// naming the API, the URL and the variable that sets it; scenarios of the APIs without a
/// credential do not make it fail (they are skipped, as without the check).
#[test]
fn an_unreachable_sandbox_is_one_error_before_the_run() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let reports = scratch("unreachable-sandbox");
    let token = peach_token();
    let o = vouch_with(
        &[
            "run",
            "--target",
            "sandbox",
            "--api",
            "peach",
            "--reports",
            reports.to_str().unwrap(),
        ],
        &[
            ("VOUCH_PEACH_TOKEN", &token),
            ("VOUCH_PEACH_BASE_URL", &url),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!(
            "--target sandbox: cannot reach the peach sandbox at {url}"
        )),
        "{err}"
    );
    assert!(err.contains("VOUCH_PEACH_BASE_URL"), "{err}");
    assert!(!err.contains(&token), "{err}");
    assert!(!stdout(&o).contains("hook"), "{}", stdout(&o));
}

/// On a remote target the curl reads the credential from its variable, which a line says to
/// set; the rerun names the target.
#[test]
fn a_remote_failure_s_curl_names_the_variable_to_set() {
    let server = Serve::start();
    let work = scratch("remote");
    let feature = work.join("teapot.feature");
    std::fs::write(
        &feature,
        "@peach\nFeature: teapot\n  Scenario: not a teapot\n    Given the peach API\n    \
         When I send GET /verification-types\n    Then the response status is 418\n",
    )
    .unwrap();
    let base = server.base_url("peach");
    let token = peach_token();
    let o = vouch_with(
        &[
            "run",
            "--target",
            "sandbox",
            "--suite",
            "mine",
            "--features",
            feature.to_str().unwrap(),
            "--reports",
            work.join("reports").to_str().unwrap(),
        ],
        &[
            ("VOUCH_PEACH_BASE_URL", base.as_str()),
            ("VOUCH_PEACH_TOKEN", token.as_str()),
        ],
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    assert!(
        out.contains(&format!("curl -sS -X GET '{base}/verification-types'")),
        "{out}"
    );
    assert!(out.contains("'\"$VOUCH_PEACH_TOKEN\""), "{out}");
    assert!(
        out.contains("set VOUCH_PEACH_TOKEN first (the credential the run used)"),
        "{out}"
    );
    assert!(out.contains("teapot.feature:3 --target sandbox"), "{out}");
    assert!(!out.contains(&token), "the token was printed:\n{out}");
}
