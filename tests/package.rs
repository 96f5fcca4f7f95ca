//! vouch as its users install it (issue #23 point 1): the crate `cargo package` makes holds
//! what it needs (the licences, the contracts and the built-in features, not the test suite),
//! and the binary built from that crate alone, run from a directory that has none of vouch's
//! files, runs the built-in suite green; a user's own feature runs beside the built-ins
//! (`--features my-features/`), alone (`--suite mine`), and a built-in scenario's
//! `builtin:features/...:line` from a report reruns it.
//!
//! It builds a second copy of vouch, so it is ignored by a plain `cargo test`; `.ci/run` runs
//! it (`cargo test --test package -- --ignored`). The build is offline and `--locked` (the
//! packaged Cargo.lock is the workspace's), in `target/example-api/target`, the target
//! directory `tests/example_api.rs` builds its copy in: the dependencies are the same, so they
//! are compiled once for both.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// `vouch` run in `dir`, with nothing from the environment choosing contracts, target or suite.
fn vouch(binary: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new(binary)
        .args(args)
        .current_dir(dir)
        .env_remove("VOUCH_CONTRACTS")
        .env_remove("VOUCH_TARGET")
        .env_remove("VOUCH_SUITE")
        .env_remove("VOUCH_EVIDENCE")
        .output()
        .unwrap()
}

/// The last `scenarios: ...` line of a run.
fn counts(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .rfind(|l| l.starts_with("scenarios: "))
        .unwrap_or_default()
        .to_string()
}

const MY_FEATURE: &str = "@truework\nFeature: My own check\n\n  \
    Scenario: my client sends no credential\n    Given the truework API\n    \
    And I use no credentials\n    When I send POST /credentials/session\n      \"\"\"\n      \
    {}\n      \"\"\"\n    Then the response status is 401\n";

/// `cargo package --no-verify --allow-dirty`, then the crate unpacked under `work`.
fn packaged_crate(root: &Path, work: &Path) -> PathBuf {
    let out = work.join("package-out");
    let o = Command::new(cargo())
        .args(["package", "--no-verify", "--allow-dirty", "--offline"])
        .arg("--target-dir")
        .arg(&out)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(o.status.success(), "cargo package failed:\n{}", text(&o));
    let version = env!("CARGO_PKG_VERSION");
    let archive = out.join(format!("package/vouch-{version}.crate"));
    let unpacked = work.join("unpacked");
    let _ = std::fs::remove_dir_all(&unpacked);
    std::fs::create_dir_all(&unpacked).unwrap();
    let o = Command::new("tar")
        .arg("xzf")
        .arg(&archive)
        .arg("-C")
        .arg(&unpacked)
        .output()
        .unwrap();
    assert!(o.status.success(), "tar: {}", text(&o));
    unpacked.join(format!("vouch-{version}"))
}

#[test]
#[ignore = "builds the packaged crate (minutes on a cold cache); .ci/run runs it"]
fn the_packaged_crate_runs_the_built_in_suite_from_any_directory() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = root.join("target/package-test");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let krate = packaged_crate(root, &work);

    // What the package holds: the licences Cargo.toml's `license` names, what build.rs embeds,
    // and none of the test suite's megabytes.
    for needed in [
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "Cargo.lock",
        "build.rs",
        "contracts/peach.yaml",
        "features/peach/verification_types.feature",
    ] {
        assert!(krate.join(needed).is_file(), "the package lacks {needed}");
    }
    for left_out in ["tests", "snapshots", "contracts/vendor", "scripts"] {
        assert!(
            !krate.join(left_out).exists(),
            "the package ships {left_out}"
        );
    }
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("license = \"MIT OR Apache-2.0\""),
        "{manifest}"
    );

    // The packaged crate alone builds (offline, the workspace's lock file).
    let target = root.join("target/example-api/target");
    let o = Command::new(cargo())
        .args(["build", "--offline", "--locked", "--bin", "vouch"])
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "the packaged crate does not build:\n{}",
        text(&o)
    );
    // Copied out at once: tests/example_api.rs builds its own `vouch` in the same directory.
    let binary = work.join("vouch");
    std::fs::copy(target.join("debug/vouch"), &binary).unwrap();
    // Nothing of vouch's there: the source of the package is gone too.
    std::fs::remove_dir_all(work.join("unpacked")).unwrap();
    let here = work.join("elsewhere");
    std::fs::create_dir_all(here.join("my-features")).unwrap();

    // The built-in suite, green, read from the binary.
    let o = vouch(&binary, &here, &["run", "--reports", "reports"]);
    assert!(
        o.status.success(),
        "vouch run from elsewhere:\n{}",
        text(&o)
    );
    let all = counts(&o);
    assert!(all.contains(" 0 failed, 0 skipped"), "{all}");
    assert!(
        text(&o).contains("builtin:features/peach/verification_types.feature"),
        "built-in features are named builtin:features/...:\n{}",
        text(&o)
    );

    // A built-in scenario's place from the report reruns exactly that scenario.
    let report = std::fs::read_dir(here.join("reports"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .max()
        .unwrap();
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report.join("report.json")).unwrap())
            .unwrap();
    let first = &report["scenarios"][0];
    let place = format!("{}:{}", first["path"].as_str().unwrap(), first["line"]);
    assert!(place.starts_with("builtin:features/"), "{place}");
    let o = vouch(
        &binary,
        &here,
        &["run", "--features", &place, "--reports", "reports"],
    );
    assert!(o.status.success(), "{place}:\n{}", text(&o));
    assert!(
        counts(&o).starts_with("scenarios: 1 passed, 0 failed"),
        "{}",
        text(&o)
    );

    // A user's feature runs beside the built-ins, and alone with --suite mine.
    std::fs::write(here.join("my-features/mine.feature"), MY_FEATURE).unwrap();
    let truework = |extra: &[&str]| {
        let mut args = vec!["run", "--api", "truework", "--reports", "reports"];
        args.extend(extra);
        vouch(&binary, &here, &args)
    };
    let builtins = truework(&[]);
    assert!(builtins.status.success(), "{}", text(&builtins));
    let passed = |o: &Output| -> usize {
        let line = counts(o);
        line.trim_start_matches("scenarios: ")
            .split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no count in {line:?}"))
    };
    let beside = truework(&["--features", "my-features/"]);
    assert!(beside.status.success(), "{}", text(&beside));
    assert_eq!(passed(&beside), passed(&builtins) + 1, "{}", text(&beside));
    assert!(
        text(&beside).contains("my-features/mine.feature  My own check: 1 passed, 0 failed"),
        "{}",
        text(&beside)
    );
    let mine = truework(&["--features", "my-features/", "--suite", "mine"]);
    assert!(mine.status.success(), "{}", text(&mine));
    assert_eq!(passed(&mine), 1, "{}", text(&mine));
}
