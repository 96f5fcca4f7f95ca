//! The `vouch` binary as a user runs it: output, exit statuses, one-line errors.

#[path = "support/serve.rs"]
mod serve;

use serve::Serve;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn vouch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(args)
        .env_remove("VOUCH_CONTRACTS")
        .output()
        .unwrap()
}

/// Runs `vouch` with a command line split on white space (test paths have none).
fn vouch_line(line: &str) -> Output {
    vouch(&line.split_whitespace().collect::<Vec<_>>())
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
        .display()
        .to_string()
}

/// A scratch directory unique to this test process and name.
fn scratch(name: &str) -> PathBuf {
    // Under target/ (cargo's per-project test scratch space), replaced on every run, so
    // repeated runs never pile up files in the system's temp directory.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn contracts_lists_every_api_with_its_operation_count() {
    let o = vouch(&["contracts"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // Every contract, with the number of operations it documents.
    let contracts = vouch::contract::ContractSet::embedded().unwrap();
    for contract in contracts.iter() {
        let head = format!("{} — {} ", contract.api, contract.title);
        let count = format!("({} operations)", contract.operations().len());
        assert!(
            out.lines()
                .any(|l| l.starts_with(&head) && l.ends_with(&count)),
            "missing `{head}… {count}` in:\n{out}"
        );
    }
    for line in [
        "getVerifications",
        "createCredentialsSession (deprecated)",
        "201 400 401 403 406 429 451 500 501",
    ] {
        assert!(out.contains(line), "missing `{line}` in:\n{out}");
    }
}

/// `vouch contracts | head -1`: a reader that stops early is not an error. The reader here has
/// gone before vouch writes (it is `true`, and vouch starts a moment later), so every write
/// meets a closed pipe.
#[cfg(unix)]
#[test]
fn a_reader_that_leaves_early_is_not_an_error() {
    let o = Command::new("bash")
        .args([
            "-c",
            r#"{ sleep 0.3; "$0" contracts; } | true; echo "exit ${PIPESTATUS[0]}""#,
            env!("CARGO_BIN_EXE_vouch"),
        ])
        .env_remove("VOUCH_CONTRACTS")
        .output()
        .unwrap();
    assert_eq!(stdout(&o).trim(), "exit 0", "stderr: {}", stderr(&o));
    assert_eq!(stderr(&o), "", "nothing on stderr");
}

#[test]
fn lint_passes_on_the_shipped_contracts() {
    let o = vouch(&["contracts", "lint"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(
        stdout(&o).matches(": ok").count(),
        vouch::apis::all().len(),
        "{}",
        stdout(&o)
    );
}

#[test]
fn lint_fails_on_an_example_that_breaks_its_schema() {
    let dir = scratch("lint");
    let source =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts/peach.yaml"))
            .unwrap();
    // the request sample's expirationInSecs becomes a string
    let broken = source.replacen("expirationInSecs: 900", "expirationInSecs: 'soon'", 1);
    assert_ne!(
        broken, source,
        "the peach contract no longer has the sample this test breaks"
    );
    std::fs::write(dir.join("peach.yaml"), broken).unwrap();
    let o = vouch(&["--contracts", dir.to_str().unwrap(), "contracts", "lint"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("expirationInSecs: type"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn validate_accepts_a_vendor_example_and_rejects_a_broken_one() {
    let dir = scratch("validate");
    let envelope: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("verified/hasMatchingCredentials.request.json")).unwrap(),
    )
    .unwrap();
    let example = dir.join("request.json");
    std::fs::write(&example, envelope["example"].to_string()).unwrap();
    let o = vouch_line(&format!(
        "validate --api verified --operation hasMatchingCredentials --request {}",
        example.display()
    ));
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));

    let file = dir.join("error.json");
    std::fs::write(&file, r#"{"name": "BadRequest", "message": "m", "code": 400, "className": "bad-request", "data": {"errorCode": "OCE0011"}}"#).unwrap();
    let o = vouch_line(&format!(
        "validate --api verified --operation createOneClick --response 400 {}",
        file.display()
    ));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("/body/data/errorCode: enum"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn bad_arguments_get_one_line_and_exit_2() {
    let validate = "validate --api peach --operation createVerificationType";
    let cases = [
        (
            "validate --api nope --operation x --request f.json".to_string(),
            "--api: unknown API `nope`",
        ),
        (
            "validate --api peach --operation nope --request f.json".to_string(),
            "--operation: peach: unknown operation `nope`",
        ),
        (
            format!("{validate} --request /no/such/file.json"),
            "/no/such/file.json",
        ),
        (
            format!("{validate} --response 299 /no/such/file.json"),
            "/no/such/file.json",
        ),
        (format!("{validate} --response 999 f.json"), "--response"),
        (
            "--contracts /no/such/dir contracts".to_string(),
            "--contracts /no/such/dir",
        ),
    ];
    for (line, needle) in cases {
        let o = vouch_line(&line);
        assert_eq!(o.status.code(), Some(2), "{line}: {}", stderr(&o));
        let err = stderr(&o);
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{line}: not one line:\n{err}"
        );
        assert!(err.contains(needle), "{line}: `{needle}` not in {err}");
    }
}

#[test]
fn validate_names_an_undocumented_status_and_invalid_json() {
    let dir = scratch("status");
    let file = dir.join("x.json");
    std::fs::write(&file, "{}").unwrap();
    let o = vouch_line(&format!(
        "validate --api peach --operation createVerificationType --response 418 {}",
        file.display()
    ));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("status 418 is not documented (documented: 200, 400, 401)"),
        "{}",
        stderr(&o)
    );
    std::fs::write(&file, "{oops").unwrap();
    let o = vouch_line(&format!(
        "validate --api peach --operation createVerificationType --request {}",
        file.display()
    ));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("x.json: not valid JSON"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn run_checks_the_contracts_then_runs_the_features_on_the_mock() {
    let o = vouch(&["run"]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}{}", stderr(&o));
    assert_eq!(
        out.matches("examples valid, 0 invalid").count(),
        vouch::apis::all().len(),
        "{out}"
    );
    assert!(out.contains("against the mock target"), "{out}");
    let summary = out
        .lines()
        .find(|l| l.starts_with("scenarios: "))
        .expect("a summary line");
    assert!(
        summary.ends_with(" passed, 0 failed, 0 skipped") && !summary.starts_with("scenarios: 0 "),
        "{summary}"
    );
}

#[test]
fn run_names_a_missing_features_path() {
    let o = vouch_line("run --features /no/such/features");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--features /no/such/features: no such feature file or directory"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn run_refuses_filters_that_select_nothing() {
    let reports = scratch("nothing-selected");
    let reports = reports.to_str().unwrap();
    let cases = [
        (
            format!("run --tags @typo --reports {reports}"),
            "--tags '@typo': selects none of the",
        ),
        (
            format!("run --tags @peach --name no-such-scenario --reports {reports}"),
            "--name 'no-such-scenario': selects none of the",
        ),
        // each selects scenarios, together none: both are named
        (
            format!("run --tags @peach --api verified --reports {reports}"),
            "--tags '@peach' and --api verified: together select none of the",
        ),
    ];
    for (line, needle) in cases {
        let o = vouch_line(&line);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{line}: {err}{}", stdout(&o));
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{line}: not one line:\n{err}"
        );
        assert!(err.contains(needle), "{line}: `{needle}` not in {err}");
    }
    assert_eq!(
        std::fs::read_dir(reports).unwrap().count(),
        0,
        "a run that selected nothing wrote a report"
    );
}

/// A copy of the shipped contracts with peach's `limit` on listing verification types
/// tightened from at most 100 to at most 5.
fn tightened_contracts(name: &str) -> PathBuf {
    let dir = scratch(name);
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts");
    for entry in std::fs::read_dir(&shipped).unwrap().flatten() {
        if entry.path().extension().is_some_and(|e| e == "yaml") {
            std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
    }
    let source = std::fs::read_to_string(shipped.join("peach.yaml")).unwrap();
    let rule = "- name: limit\n          in: query\n          required: false\n          \
                description: The maximum count of results to retrieve.\n          schema:\n            \
                type: integer\n            minimum: 1\n            maximum: ";
    let tightened = source.replacen(&format!("{rule}100"), &format!("{rule}5"), 1);
    assert_ne!(
        tightened, source,
        "the peach contract no longer has the `limit` rule this test tightens"
    );
    std::fs::write(dir.join("peach.yaml"), tightened).unwrap();
    dir
}

#[test]
fn run_with_contracts_dir_makes_the_mock_use_them() {
    let contracts = tightened_contracts("contracts-run");
    let work = scratch("contracts-run-work");
    let feature = work.join("limit.feature");
    std::fs::write(
        &feature,
        "@peach\nFeature: limit\n  Scenario: ten at a time\n    Given the peach API\n    \
         When I send GET /verification-types?limit=10\n    Then the response status is 400\n",
    )
    .unwrap();
    let (feature, reports) = (feature.to_str().unwrap(), work.join("reports"));
    let reports = reports.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = extra.to_vec();
        // Only this feature, not the built-in suite beside it.
        args.extend([
            "run",
            "--suite",
            "mine",
            "--features",
            feature,
            "--reports",
            reports,
        ]);
        vouch(&args)
    };
    // The mock of the tightened contracts refuses limit=10 with Peach's 400 ...
    let o = run(&["--contracts", contracts.to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("scenarios: 1 passed, 0 failed"),
        "{}",
        stdout(&o)
    );
    // ... and the mock of the shipped ones accepts it.
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("expected status 400, got 200"),
        "{}",
        stdout(&o)
    );
}

/// The status a `vouch mock serve` started with `args` answers to GET `path` with Peach's
/// default test token.
fn served_status(args: &[&str], path: &str) -> String {
    use std::io::{Read, Write};
    let (server, _) = Serve::start_with(args, &[]);
    let addr = server.url.trim_start_matches("http://").to_string();
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer vouch-test-token\r\n\
         Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.lines().next().unwrap_or_default().to_string()
}

#[test]
fn mock_serve_with_contracts_dir_routes_and_validates_by_them() {
    let contracts = tightened_contracts("contracts-serve");
    let path = "/peach/verification-types?limit=10";
    let tightened = served_status(&["--contracts", contracts.to_str().unwrap()], path);
    assert!(tightened.starts_with("HTTP/1.1 400"), "{tightened}");
    let shipped = served_status(&[], path);
    assert!(shipped.starts_with("HTTP/1.1 200"), "{shipped}");
}

/// `vouch mock serve` prints, per API, its base URL, one per version of its contract
/// (Verified `/v2`), and every accepted credential with its tenant's flags (a Verified brand's
/// integration type), so a user picks the key for the flow they test.
#[test]
fn mock_serve_lists_versions_and_each_tenants_flags() {
    let first = vouch::mock::all_apis()[0].id();
    let credential = format!("{first}:flagged-tenant,one,two=flagged-secret");
    let (_server, lines) = Serve::start_with(&[], &["--credential", &credential]);
    let text = lines.join("\n");
    let contracts = vouch::contract::ContractSet::embedded().unwrap();
    for api in vouch::mock::all_apis() {
        for version in contracts.get(api.id()).unwrap().versions() {
            let url = format!("/{}/{version}", api.id());
            assert!(
                lines.iter().any(|l| l.trim_end().ends_with(&url)),
                "{url}:\n{text}"
            );
        }
        for c in api.default_credentials() {
            let line = lines
                .iter()
                .find(|l| l.contains(&format!("credential {}", c.secret)))
                .unwrap_or_else(|| panic!("{} not listed:\n{text}", c.tenant.name));
            for flag in &c.tenant.flags {
                assert!(line.contains(flag.as_str()), "{flag}: {line}");
            }
        }
    }
    assert!(
        text.contains("credential flagged-secret [one, two]"),
        "{text}"
    );
}

/// Issue #23 point 3: the banner says which Verified URL is v1 and which v2 (a v2 app pointed
/// at the v1 URL gets no `code` and texts `undefined`), and prints the test users and codes.
#[test]
fn mock_serve_labels_v1_and_v2_and_prints_the_test_users() {
    let (_server, lines) = Serve::start_with(&[], &[]);
    let text = lines.join("\n");
    let line_of = |url_end: &str| {
        lines
            .iter()
            .find(|l| l.trim_end().ends_with(url_end))
            .unwrap_or_else(|| panic!("no {url_end}:\n{text}"))
            .clone()
    };
    let v1 = line_of("/verified");
    assert!(v1.contains("v1") && !v1.contains("v2"), "{v1}");
    let v2 = line_of("/verified/v2");
    assert!(v2.contains("v2") && !v2.contains("v1"), "{v2}");
    assert!(line_of("/trusona").contains("2.2.0"), "{text}");
    // Verified's sandbox user and code, the birth-date users, Trusona's test licence.
    for shown in [
        "+10123456789",
        "111111",
        "+10019999997",
        "+10019999999",
        "DL000001",
    ] {
        assert!(
            lines
                .iter()
                .any(|l| l.contains("test:") && l.contains(shown)),
            "{shown}:\n{text}"
        );
    }
    // Named, never printed: a birth date, an SSN.
    for secret in ["1989", "000-00-0000", "987654321"] {
        assert!(!text.contains(secret), "{secret}:\n{text}");
    }
}

/// `--credential` settings: an unknown one is refused naming the flag and the settings there
/// are; `--header-timeout` must be a positive duration.
#[test]
fn mock_serve_refuses_an_unknown_setting_and_a_zero_header_timeout() {
    let o = vouch(&[
        "mock",
        "serve",
        "--credential",
        "verified:app,colour:red=key",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("--credential") && err.contains("colour") && err.contains("redirect-url"),
        "{err}"
    );
    assert!(!err.contains("key"), "the secret is not repeated: {err}");
    // vouch.toml names a tenant, never a key: one no credential stands for is refused.
    let dir = scratch("mock-config");
    let config = dir.join("vouch.toml");
    std::fs::write(
        &config,
        "[mock.verified.nobody]\nredirect-url = \"http://l/cb\"\n",
    )
    .unwrap();
    let o = vouch(&["mock", "serve", "--config", config.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("vouch.toml") && stderr(&o).contains("[mock.verified.nobody]"),
        "{}",
        stderr(&o)
    );
    let o = vouch(&["mock", "serve", "--header-timeout", "0s"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--header-timeout"), "{}", stderr(&o));
}

/// A `--contracts` directory without every API's contract cannot start the mock: one line,
/// exit 2, naming a missing API and what to do, never a half-served mock.
#[test]
fn mock_serve_with_a_partial_contracts_directory_says_what_is_missing() {
    let dir = scratch("partial-contracts");
    let contracts = vouch::contract::ContractSet::embedded().unwrap();
    let apis: Vec<String> = contracts.iter().map(|c| c.api.clone()).collect();
    let kept = &apis[0];
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("contracts/{kept}.yaml")),
        dir.join(format!("{kept}.yaml")),
    )
    .unwrap();
    let o = vouch(&[
        "--contracts",
        dir.to_str().unwrap(),
        "mock",
        "serve",
        "--addr",
        "127.0.0.1:0",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--contracts"), "{err}");
    assert!(
        apis[1..]
            .iter()
            .any(|missing| err.contains(&format!("`{missing}`"))),
        "{err}"
    );
}
