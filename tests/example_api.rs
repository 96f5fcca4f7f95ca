//! Adding an API, for real. The files of an invented fifth API (`tests/example-api/`: a
//! contract, a mock with its registry entry, a feature and fixtures) are dropped into a copy of
//! this repository at the paths a new API's files go, plus one line in each list of
//! `src/mock/mod.rs` (the module and its registry entry); nothing else is edited. The copy must
//! build, and the API must take part in everything: `vouch contracts` and its lint, the mock's
//! handler check, the fixture suite with its mutations, the Gherkin suite, the report's
//! coverage and error codes, and redaction of the PII member it registers.
//!
//! It builds a second copy of vouch, which takes minutes on a cold cache, so it is ignored by
//! a plain `cargo test`; `.ci/run` runs it (`cargo test --test example_api -- --ignored`). The
//! copy and its build cache live under `target/example-api/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn copy_tree(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if skip.contains(&name.as_str()) {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if src.is_dir() {
            copy_tree(&src, &dst, &[]);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

fn run(dir: &Path, target: &Path, program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("VOUCH_CONTRACTS")
        .env_remove("VOUCH_TARGET")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
#[ignore = "builds a copy of vouch (minutes on a cold cache); .ci/run runs it"]
fn an_api_added_with_its_own_files_takes_part_in_everything() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = root.join("target/example-api");
    let checkout = work.join("checkout");
    let target = work.join("target");
    let _ = std::fs::remove_dir_all(&checkout);
    copy_tree(root, &checkout, &["target", ".git", "reports", ".vouch"]);
    let example = root.join("tests/example-api");
    let added = ["contracts", "src", "features", "tests"];
    for part in added {
        copy_tree(&example.join(part), &checkout.join(part), &[]);
    }
    // Plus one line per list (README § Adding an API): the module and its registry entry.
    let lists = checkout.join("src/mock/mod.rs");
    let declared = std::fs::read_to_string(&lists).unwrap();
    let declared = declared
        .replacen(
            "pub mod verified;\n",
            "pub mod verified;\npub mod widgets;\n",
            1,
        )
        .replacen(
            "    &verified::REGISTRATION,\n",
            "    &verified::REGISTRATION,\n    &widgets::REGISTRATION,\n",
            1,
        );
    assert!(
        declared.contains("&widgets::REGISTRATION,"),
        "src/mock/mod.rs changed shape"
    );
    std::fs::write(&lists, declared).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());

    let build = run(&checkout, &target, &cargo, &["build", "--bin", "vouch"]);
    assert!(
        build.status.success(),
        "the copy does not build:\n{}",
        text(&build)
    );
    let vouch: PathBuf = target.join("debug/vouch");
    let vouch = vouch.to_str().unwrap();

    // The contract is embedded and listed, and its examples lint.
    let o = run(&checkout, &target, vouch, &["contracts"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("widgets — Acme Widgets API 1 (2 operations)"),
        "{}",
        text(&o)
    );
    let o = run(&checkout, &target, vouch, &["contracts", "lint"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("widgets"), "{}", text(&o));

    // The Gherkin suite runs its feature against its mock (which starts only if every
    // operation has a handler) and the report covers it.
    let reports = work.join("reports");
    let _ = std::fs::remove_dir_all(&reports);
    let o = run(
        &checkout,
        &target,
        vouch,
        &[
            "run",
            "--api",
            "widgets",
            "--reports",
            reports.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("5 passed, 0 failed"), "{}", text(&o));
    let dir = std::fs::read_dir(&reports)
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap();
    let coverage = report["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["api"] == "widgets")
        .expect("the report covers the new API");
    assert_eq!(coverage["documented"], 6, "{coverage}");
    assert_eq!(coverage["passing"], 6, "{coverage}");
    let get = coverage["operations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["operation"] == "getWidget")
        .unwrap();
    // Where Acme puts its error code comes from the registry entry.
    assert_eq!(
        get["error_codes"],
        serde_json::json!(["W401", "W404"]),
        "{get}"
    );
    // The PII member it registers is redacted in every report file.
    for file in std::fs::read_dir(&dir).unwrap().flatten() {
        let body = std::fs::read_to_string(file.path()).unwrap();
        for national_id in ["987654321", "555443333"] {
            assert!(
                !body.contains(national_id),
                "{} shows an ownerNationalId",
                file.path().display()
            );
        }
    }

    // The fixture suite finds its fixtures and mutations, and the handler check sees its mock.
    let o = run(
        &checkout,
        &target,
        &cargo,
        &["test", "--test", "fixtures", "--", "widgets/"],
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    let passed = |name: &str| {
        out.lines()
            .any(|l| l.starts_with(&format!("test {name} ")) && l.ends_with("... ok"))
    };
    assert!(passed("widgets/createWidget.request"), "{out}");
    assert!(passed("widgets/getWidget.response-404"), "{out}");
    assert!(
        passed("widgets/createWidget.request :: drop /ownerNationalId"),
        "{out}"
    );
    let o = run(
        &checkout,
        &target,
        &cargo,
        &[
            "test",
            "--test",
            "mock_server",
            "every_operation_of_every_contract",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("1 passed"), "{}", text(&o));
}
