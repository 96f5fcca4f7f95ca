//! The built-in suite travels in the binary (issue #23 point 1): `vouch run` from a directory
//! with none of vouch's files runs the embedded features, named `builtin:features/...`; a
//! user's `--features DIR` runs beside them, `--suite mine|builtin` (or `vouch.toml`'s
//! `[run]`) chooses one side, and a misuse is one line naming the flag or the file.
//! (`tests/package.rs` does the same with the binary built from `cargo package`'s crate.)

use std::path::{Path, PathBuf};
use std::process::Output;

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("suite-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("my-features")).unwrap();
    std::fs::write(dir.join("my-features/mine.feature"), MY_FEATURE).unwrap();
    dir
}

/// `vouch` in `dir`, nothing from the environment choosing the suite, target or contracts.
fn vouch_in(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(args)
        .current_dir(dir)
        .env_remove("VOUCH_SUITE")
        .env_remove("VOUCH_TARGET")
        .env_remove("VOUCH_CONTRACTS")
        .env("VOUCH_OUTPUT", "ci")
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

/// The number of passed scenarios of a run (its `scenarios: N passed, ...` line).
fn passed(o: &Output) -> usize {
    let out = String::from_utf8_lossy(&o.stdout);
    let line = out
        .lines()
        .rfind(|l| l.starts_with("scenarios: "))
        .unwrap_or_else(|| panic!("no counts in {}", text(o)));
    line["scenarios: ".len()..]
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap()
}

const MY_FEATURE: &str = "@truework\nFeature: My own check\n\n  \
    Scenario: my client sends no credential\n    Given the truework API\n    \
    And I use no credentials\n    When I send POST /credentials/session\n      \"\"\"\n      \
    {}\n      \"\"\"\n    Then the response status is 401\n";

#[test]
fn elsewhere_the_built_ins_run_from_the_binary_and_the_user_s_run_beside_them() {
    let dir = scratch("beside");
    let builtins = vouch_in(&dir, &["run", "--api", "truework", "--reports", "r"]);
    assert!(builtins.status.success(), "{}", text(&builtins));
    let out = text(&builtins);
    assert!(
        out.contains("features in the built-in suite (builtin:features) against"),
        "{out}"
    );
    assert!(
        out.contains("builtin:features/truework/rate_limit.feature  "),
        "{out}"
    );
    assert!(!out.contains("my-features"), "{out}");
    let beside = vouch_in(
        &dir,
        &[
            "run",
            "--api",
            "truework",
            "--features",
            "my-features/",
            "--reports",
            "r",
        ],
    );
    assert!(beside.status.success(), "{}", text(&beside));
    assert_eq!(passed(&beside), passed(&builtins) + 1, "{}", text(&beside));
    assert!(
        text(&beside).contains("my-features/mine.feature  My own check: 1 passed, 0 failed"),
        "{}",
        text(&beside)
    );
}

#[test]
fn a_built_in_place_reruns_from_anywhere_and_the_suite_flag_picks_a_side() {
    let dir = scratch("sides");
    // The place a report gives a built-in scenario: exactly that scenario runs.
    let o = vouch_in(
        &dir,
        &[
            "run",
            "--features",
            "builtin:features/truework/rate_limit.feature",
            "--reports",
            "r",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(passed(&o), 3, "{}", text(&o));
    let o = vouch_in(
        &dir,
        &[
            "run",
            "--features",
            "builtin:features/truework/rate_limit.feature:15",
            "--reports",
            "r",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(passed(&o), 1, "{}", text(&o));
    assert!(
        text(&o).contains("scenarios: 1 passed, 0 failed, 0 skipped"),
        "{}",
        text(&o)
    );

    // Theirs only, by flag and by vouch.toml.
    let o = vouch_in(
        &dir,
        &[
            "run",
            "--suite",
            "mine",
            "--features",
            "my-features",
            "--reports",
            "r",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(passed(&o), 1, "{}", text(&o));
    std::fs::write(
        dir.join("vouch.toml"),
        "[run]\nsuite = \"mine\"\nfeatures = \"my-features\"\n",
    )
    .unwrap();
    let o = vouch_in(&dir, &["run", "--reports", "r"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(passed(&o), 1, "{}", text(&o));
    // The flag wins over the file.
    let o = vouch_in(
        &dir,
        &[
            "run",
            "--suite",
            "builtin",
            "--api",
            "peach",
            "--reports",
            "r",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(passed(&o) > 20, "{}", text(&o));
}

#[test]
fn a_misused_suite_is_one_line_naming_the_flag_or_the_file() {
    let dir = scratch("misuse");
    let cases: &[(&[&str], &str)] = &[
        (
            &["run", "--suite", "builtin", "--features", "my-features"],
            "--suite builtin: runs only the built-in suite, and --features my-features is not part of it",
        ),
        (
            &["run", "--suite", "mine"],
            "--suite mine: runs only your feature files",
        ),
        (
            &["run", "--features", "builtin:features/nope"],
            "--features builtin:features/nope: no such built-in feature file or directory",
        ),
        (&["run", "--suite", "theirs"], "--suite"),
    ];
    for (args, expected) in cases {
        let o = vouch_in(&dir, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    std::fs::write(dir.join("vouch.toml"), "[run]\nsuite = \"theirs\"\n").unwrap();
    let o = vouch_in(&dir, &["run"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("vouch.toml [run] suite: `theirs`: expected builtin, mine or all"),
        "{err}"
    );
}
