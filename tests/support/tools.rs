//! Independent tools the tests check vouch with, pinned, installed on first use from the
//! package registries into `target/` (the same places `.ci/run` uses), so a plain `cargo test`
//! works on a fresh clone. When a tool cannot be had, the test that needs it fails, saying how to
//! set it up: it is never skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target")
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let status = command.status().map_err(|e| format!("{what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// A Python interpreter with `package==version` installed: `VOUCH_PYTHON` if set (`.ci/run`
/// sets it to its venv), else the venv `target/ci-venv`, made when missing. The package is
/// installed with `python -m pip` (a venv copied from another checkout has a `bin/pip` whose
/// first line names the other checkout's interpreter).
pub(crate) fn python_with(package: &str, version: &str) -> Result<String, String> {
    let python = match std::env::var("VOUCH_PYTHON") {
        Ok(p) if !p.trim().is_empty() => PathBuf::from(p),
        _ => {
            let venv = target_dir().join("ci-venv");
            let python = venv.join("bin/python");
            if !python.exists() {
                run(
                    Command::new("python3").arg("-m").arg("venv").arg(&venv),
                    &format!("python3 -m venv {}", venv.display()),
                )?;
            }
            python
        }
    };
    let has_it = || {
        Command::new(&python)
            .arg("-c")
            .arg(format!(
                "import importlib.metadata as m; assert m.version('{package}') == '{version}'"
            ))
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !has_it() {
        let pin = format!("{package}=={version}");
        run(
            Command::new(&python).args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                &pin,
            ]),
            &format!("{} -m pip install {pin}", python.display()),
        )?;
        if !has_it() {
            return Err(format!("{pin} is not importable after installing it"));
        }
    }
    Ok(python.display().to_string())
}

/// The directory of the npm package `name@version`, installed with the machine's npm into
/// `target/ci-node` when missing. Node's `require` takes the returned path.
#[allow(dead_code)] // not every test binary that includes this file installs an npm package
pub(crate) fn node_package(name: &str, version: &str) -> Result<PathBuf, String> {
    let prefix = target_dir().join("ci-node");
    let dir = prefix.join("node_modules").join(name);
    let installed = std::fs::read_to_string(dir.join("package.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .is_some_and(|p| p["version"] == version);
    if !installed {
        std::fs::create_dir_all(&prefix).map_err(|e| format!("{}: {e}", prefix.display()))?;
        let pin = format!("{name}@{version}");
        run(
            Command::new("npm")
                .args(["install", "--no-audit", "--no-fund", "--silent", "--prefix"])
                .arg(&prefix)
                .arg(&pin),
            &format!("npm install --prefix {} {pin}", prefix.display()),
        )?;
    }
    Ok(dir)
}
