//! The mock's JWEs, opened by an implementation no one here wrote: Python `jwcrypto` (PyPI)
//! decrypts an encrypted verification for each key type and algorithm the mock produces, and
//! the plaintext must be the verification the plain API returns.
//!
//! The Python interpreter comes from `VOUCH_PYTHON` (`.ci/run` sets it to a venv with
//! jwcrypto). Without it, the test makes that venv itself (`target/ci-venv`, jwcrypto from
//! PyPI) so a plain `cargo test` works on a fresh clone; if that cannot be done it fails,
//! saying how to set it up: it is never skipped.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use vouch::jose::{KeyKind, KeyPair};
use vouch::mock::MockServer;
use vouch::mock::trusona::TEST_TOKEN;

const SETUP: &str = "VOUCH_PYTHON is not set. This test decrypts the mock's JWEs with Python's \
jwcrypto; set it up once with\n\n    python3 -m venv target/ci-venv\n    \
target/ci-venv/bin/pip install 'jwcrypto==1.6.1'\n\nand run\n\n    \
VOUCH_PYTHON=$PWD/target/ci-venv/bin/python cargo test --test jwe_interop\n\n\
(.ci/run does this; see features/trusona/README.md)";

/// A temporary directory holding private keys, removed however the test ends.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn python() -> String {
    if let Ok(p) = std::env::var("VOUCH_PYTHON")
        && !p.trim().is_empty()
    {
        return p;
    }
    static BOOTSTRAPPED: std::sync::OnceLock<Result<String, String>> = std::sync::OnceLock::new();
    BOOTSTRAPPED
        .get_or_init(bootstrap)
        .clone()
        .unwrap_or_else(|e| panic!("{e}\n\n{SETUP}"))
}

/// The venv `.ci/run` uses, made here when missing: `python3 -m venv` and `pip install jwcrypto`.
fn bootstrap() -> Result<String, String> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ci-venv");
    let python = venv.join("bin/python");
    let has_jwcrypto = || {
        Command::new(&python)
            .args([
                "-c",
                "import importlib.metadata as m; assert m.version('jwcrypto') == '1.6.1'",
            ])
            .status()
            .is_ok_and(|s| s.success())
    };
    if !has_jwcrypto() {
        if !python.exists() {
            let made = Command::new("python3")
                .arg("-m")
                .arg("venv")
                .arg(&venv)
                .status()
                .map_err(|e| format!("python3 -m venv: {e}"))?;
            if !made.success() {
                return Err(format!("python3 -m venv {} failed", venv.display()));
            }
        }
        let pip = venv.join("bin/pip");
        let installed = Command::new(&pip)
            .args([
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "jwcrypto==1.6.1",
            ])
            .status()
            .map_err(|e| format!("{}: {e}", pip.display()))?;
        if !installed.success() || !has_jwcrypto() {
            return Err("pip install jwcrypto==1.6.1 failed".into());
        }
    }
    Ok(python.display().to_string())
}

fn run_jwcrypto(python: &str, dir: &Path) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/jwe/decrypt.py");
    let out = Command::new(python)
        .arg(&script)
        .arg(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run VOUCH_PYTHON={python}: {e}\n\n{SETUP}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "jwcrypto could not decrypt the mock's JWE ({}):\n{stderr}\n(is jwcrypto installed in {python}? {SETUP})",
        out.status
    );
    serde_json::from_slice(&out.stdout).expect("decrypt.py prints JSON")
}

#[tokio::test]
async fn jwcrypto_decrypts_every_kind_of_encrypted_verification() {
    let python = python();
    let server = MockServer::start().await.expect("the mock starts");
    let base = server.base_url("trusona");
    let client = reqwest::Client::new();
    let dir = TempDir(std::env::temp_dir().join(format!("vouch-jwe-{}", uuid::Uuid::new_v4())));
    std::fs::create_dir_all(&dir.0).expect("a temp dir");

    let cases = [
        ("rsa_oaep_256", KeyKind::Rsa, None, "RSA-OAEP-256"),
        ("p256_ecdh_es", KeyKind::P256, None, "ECDH-ES"),
        (
            "p256_ecdh_es_a256kw",
            KeyKind::P256,
            Some("ECDH-ES+A256KW"),
            "ECDH-ES+A256KW",
        ),
        ("x25519_ecdh_es", KeyKind::X25519, None, "ECDH-ES"),
        (
            "x25519_ecdh_es_a256kw",
            KeyKind::X25519,
            Some("ECDH-ES+A256KW"),
            "ECDH-ES+A256KW",
        ),
    ];
    let mut expected = serde_json::Map::new();
    for (name, kind, alg, _) in &cases {
        let pair = KeyPair::generate(*kind, name).expect("a key pair");
        let mut public = pair.public_jwk();
        if let Some(alg) = alg {
            public["alg"] = json!(alg);
        }
        let created = client
            .post(format!("{base}/api/v1/encrypted/verifications"))
            .bearer_auth(TEST_TOKEN)
            .json(&json!({
                "documentType": "US_CA_DL",
                "requestedVerifiers": [{"verifier": "DMV"}],
                "requestedMessages": [{"channel": "COPY"}],
                "publicWebKey": public,
            }))
            .send()
            .await
            .expect("the mock answers");
        assert_eq!(created.status(), 201, "{name}");
        let created: Value = created.json().await.expect("JSON");
        let id = created["id"].as_str().expect("an id").to_string();
        let jwe = created["encryptedVerification"].as_str().expect("a JWE");
        std::fs::write(dir.0.join(format!("{name}.jwe")), jwe).expect("write the JWE");
        std::fs::write(
            dir.0.join(format!("{name}.jwk")),
            pair.private_jwk().to_string(),
        )
        .expect("write the key");
        let plain: Value = client
            .get(format!("{base}/api/v1/verifications/{id}"))
            .bearer_auth(TEST_TOKEN)
            .send()
            .await
            .expect("the mock answers")
            .json()
            .await
            .expect("JSON");
        expected.insert(name.to_string(), plain);
    }

    let decrypted = run_jwcrypto(&python, &dir.0);
    for (name, _, _, alg) in &cases {
        let got = &decrypted[name];
        assert_eq!(got["header"]["alg"], *alg, "{name}");
        assert_eq!(got["header"]["enc"], "A256GCM", "{name}");
        assert_eq!(
            got["payload"], expected[*name],
            "{name}: jwcrypto's plaintext differs from the verification"
        );
    }
    assert!(server.violations().is_empty(), "{:?}", server.violations());
}
