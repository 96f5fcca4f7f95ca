//! Every message a user meets says what is wrong in one line, naming the thing at fault (the
//! flag, the file, the member), and reads the right way round (issue #25, point 7).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn vouch_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(args)
        .current_dir(dir)
        .env_remove("VOUCH_CONTRACTS")
        .env_remove("VOUCH_FEATURES")
        .output()
        .unwrap()
}

fn vouch(args: &[&str]) -> Output {
    vouch_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A scratch directory unique to this test, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("messages-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `vouch validate` of one JSON body against an operation's request; the violation lines.
fn violations(api: &str, operation: &str, body: &str) -> String {
    let dir = scratch(&format!("validate-{operation}"));
    let file = dir.join("body.json");
    std::fs::write(&file, body).unwrap();
    let o = vouch(&[
        "validate",
        "--api",
        api,
        "--operation",
        operation,
        "--request",
        file.to_str().unwrap(),
        "--strict",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    text(&o.stdout)
}

fn line_at<'a>(out: &'a str, pointer: &str) -> &'a str {
    out.lines()
        .find(|l| l.contains(&format!(" {pointer}: ")))
        .unwrap_or_else(|| panic!("no violation at {pointer}:\n{out}"))
}

#[test]
fn a_bound_reads_as_what_the_contract_expects() {
    let out = violations(
        "peach",
        "createVerificationType",
        r#"{"expirationInSecs": 0, "name": "x"}"#,
    );
    let line = line_at(&out, "/body/expirationInSecs");
    assert!(
        line.ends_with("minimum: expected at least 1, got 0"),
        "{line}"
    );
    assert!(!out.contains("less than the minimum"), "{out}");

    // A length: the limit in characters, and the value's own length.
    let out = violations(
        "truework",
        "createCredentialsSession",
        r#"{"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
            "target": {"first_name": "", "last_name": "Lee"}}"#,
    );
    let line = line_at(&out, "/body/target/first_name");
    assert!(
        line.ends_with(r#"minLength: expected at least 1 character, got "" (0 characters)"#),
        "{line}"
    );
}

#[test]
fn a_long_enum_is_cut_between_values_and_says_how_many_more() {
    let out = violations(
        "trusona",
        "createVerification",
        r#"{"documentType": "NOPE"}"#,
    );
    let line = line_at(&out, "/body/documentType");
    let listed = line
        .split_once("expected one of ")
        .and_then(|(_, rest)| rest.split_once(", … ("))
        .unwrap_or_else(|| panic!("no cut list: {line}"));
    // Each value shown whole, and the count of the others.
    for value in listed.0.split(", ") {
        assert!(
            value.len() > 2 && value.starts_with('"') && value.ends_with('"'),
            "a value cut: {value} in {line}"
        );
    }
    let shown = listed.0.split(", ").count();
    assert!(
        listed
            .1
            .starts_with(&format!("{} more), got \"NOPE\"", 26 - shown)),
        "{line}"
    );
}

#[test]
fn features_naming_the_working_directory_is_named() {
    let dir = scratch("empty-features");
    let o = vouch_in(&dir, &["run", "--features", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("--features .: holds no scenario"),
        "the flag and the directory: {err}"
    );
}

#[test]
fn a_missing_argument_is_named_on_the_one_line() {
    // clap's own message, joined onto one line with the usage (src/main.rs).
    let o = vouch(&["replay"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("were not provided: <DIR> (usage: vouch replay <DIR>)"),
        "{err}"
    );
    // `vouch diff` takes one or two paths (a directory may hold both runs' groups), so it
    // names what it needs itself.
    let o = vouch(&["diff", "A"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("needs two runs, BASELINE and CURRENT"),
        "{err}"
    );
}

#[test]
fn a_credential_for_an_unknown_api_names_the_flag_and_the_known_apis() {
    let o = vouch(&["mock", "serve", "--credential", "pech:x=y"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--credential `pech:x`"), "{err}");
    assert!(
        err.contains("unknown API `pech` (known: peach, truework, trusona, verified)"),
        "{err}"
    );
    assert!(!err.contains("--addr"), "{err}");
    // The secret is not echoed.
    assert!(!err.contains("=y"), "{err}");
}
