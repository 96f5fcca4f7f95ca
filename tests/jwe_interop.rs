//! vouch's JOSE checked by implementations no one here wrote, both ways:
//!
//! - Python `jwcrypto` (PyPI) decrypts an encrypted verification of the mock for each key type
//!   and algorithm the mock produces, and the plaintext must be the verification the plain API
//!   returns (`tests/jwe/decrypt.py`);
//! - `jwcrypto` encrypts, for each algorithm and curve vouch accepts, to keys vouch generated,
//!   and vouch's decryptor (`vouch::jose::decrypt`, which checks a live sandbox's JWEs) must
//!   open every one (`tests/jwe/encrypt.py`);
//! - the RFCs' published vectors (`tests/jwe/rfc-vectors.json`, checked in `tests/jwe/rfc.rs`).
//!
//! The Python interpreter comes from `VOUCH_PYTHON` (`.ci/run` sets it to a venv with
//! jwcrypto). Without it, the test makes that venv itself (`target/ci-venv`, jwcrypto from
//! PyPI) so a plain `cargo test` works on a fresh clone; if that cannot be done it fails,
//! saying how to set it up: it is never skipped.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use vouch::jose::{KeyKind, KeyPair, decrypt};
use vouch::mock::MockServer;
use vouch::mock::trusona::TEST_TOKEN;

#[path = "jwe/rfc.rs"]
mod rfc;
#[path = "support/tools.rs"]
mod tools;

const SETUP: &str = "VOUCH_PYTHON is not set. This test decrypts the mock's JWEs with Python's \
jwcrypto; set it up once with\n\n    python3 -m venv target/ci-venv\n    \
target/ci-venv/bin/python -m pip install 'jwcrypto==1.6.1'\n\nand run\n\n    \
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
    static PYTHON: std::sync::OnceLock<Result<String, String>> = std::sync::OnceLock::new();
    PYTHON
        .get_or_init(|| tools::python_with("jwcrypto", "1.6.1"))
        .clone()
        .unwrap_or_else(|e| panic!("{e}\n\n{SETUP}"))
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

/// jwcrypto's compact JWEs for `cases` (see `tests/jwe/encrypt.py`), by case name.
fn jwcrypto_encrypts(python: &str, cases: &Value) -> Value {
    use std::io::Write;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/jwe/encrypt.py");
    let mut child = Command::new(python)
        .arg(&script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run VOUCH_PYTHON={python}: {e}\n\n{SETUP}"));
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(cases.to_string().as_bytes())
        .expect("the cases reach encrypt.py");
    let out = child.wait_with_output().expect("encrypt.py ends");
    assert!(
        out.status.success(),
        "jwcrypto could not encrypt ({}):\n{}\n(is jwcrypto installed in {python}? {SETUP})",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("encrypt.py prints JSON")
}

#[test]
fn vouch_decrypts_what_jwcrypto_encrypts() {
    let python = python();
    // Not ASCII, to catch an encoding slip (RFC 7520's plaintext has en dashes).
    let plaintext =
        "You can trust us to stick with you through thick and thin\u{2013}to the bitter end.";
    let party = json!({"apu": "QWxpY2U", "apv": "Qm9i"});
    let cases = [
        ("rsa_oaep_256", KeyKind::Rsa, "RSA-OAEP-256", json!({})),
        ("p256_ecdh_es", KeyKind::P256, "ECDH-ES", json!({})),
        (
            "p256_ecdh_es_a256kw",
            KeyKind::P256,
            "ECDH-ES+A256KW",
            json!({}),
        ),
        ("x25519_ecdh_es", KeyKind::X25519, "ECDH-ES", json!({})),
        (
            "x25519_ecdh_es_a256kw",
            KeyKind::X25519,
            "ECDH-ES+A256KW",
            json!({}),
        ),
        // RFC 7518 § 4.6.1.2-3: PartyUInfo and PartyVInfo enter the key derivation.
        (
            "p256_ecdh_es_party_info",
            KeyKind::P256,
            "ECDH-ES",
            party.clone(),
        ),
        (
            "x25519_ecdh_es_a256kw_party_info",
            KeyKind::X25519,
            "ECDH-ES+A256KW",
            party,
        ),
    ];
    let mut keys = Vec::new();
    let mut specs = Vec::new();
    for (name, kind, alg, header) in &cases {
        let pair = KeyPair::generate(*kind, name).expect("a key pair");
        specs.push(json!({"name": name, "jwk": pair.public_jwk(), "alg": alg,
                          "enc": "A256GCM", "plaintext": plaintext, "header": header}));
        keys.push(pair);
    }
    let encrypted = jwcrypto_encrypts(&python, &Value::Array(specs));
    for ((name, _, alg, header), pair) in cases.iter().zip(&keys) {
        let jwe = encrypted[name]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: no JWE"));
        let opened = decrypt(&pair.private, jwe)
            .unwrap_or_else(|e| panic!("{name}: vouch cannot decrypt jwcrypto's JWE: {e}"));
        assert_eq!(opened.plaintext, plaintext.as_bytes(), "{name}");
        assert_eq!(opened.header["alg"], *alg, "{name}");
        assert_eq!(opened.header["enc"], "A256GCM", "{name}");
        for (member, value) in header.as_object().expect("an object") {
            assert_eq!(&opened.header[member], value, "{name}: {member}");
        }
        // Another key of the same kind does not open it.
        let other = KeyPair::generate(pair_kind(&cases, name), "other").expect("a key pair");
        assert!(
            decrypt(&other.private, jwe).is_err(),
            "{name}: opened with another key"
        );
    }
}

fn pair_kind(cases: &[(&str, KeyKind, &str, Value)], name: &str) -> KeyKind {
    cases
        .iter()
        .find(|c| c.0 == name)
        .map(|c| c.1)
        .expect("a case")
}
