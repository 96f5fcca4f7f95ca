//! Key pairs and Trusona's encrypted verifications and documents (§ EncryptedVerifications;
//! getEncryptedDocument from the vendor's OpenAPI): generate a key pair, send its public JWK,
//! decrypt the JWE that comes back and check the plaintext against the contract's schema
//! (`VerificationResponse` for `encryptedVerification`, `VerificationDocument` for
//! `encryptedDocument`). This is how vouch checks a live sandbox's encryption as well as the mock's.
//!
//! ```gherkin
//! Given I generate an RSA key pair as rsa_key        # also "an EC P-256" / "an X25519"
//! When I send POST /api/v1/encrypted/verifications   # with "publicWebKey": {rsa_key}
//! And I decrypt "$.encryptedVerification" with the key rsa_key
//! Then "$.header.alg" is "RSA-OAEP-256"              # the JWE's protected header
//! And "$.verification.status" is "WAITING"           # its plaintext
//! And I decrypt "$.encryptedDocument" with the key rsa_key
//! Then "$.document.UNMASKED.firstName" is "Alex"      # an encrypted document's plaintext
//! Then decrypting "$.encryptedVerification" with the key other_key fails
//! ```

use super::world::VouchWorld;
use crate::exchange::Outcome;
use crate::jose::{KeyKind, KeyPair, decrypt};
use cucumber::{given, then, when};
use serde_json::{Value, json};

/// `Given I generate an RSA key pair as rsa_key` (RSA 2048, EC P-256 or X25519): the private
/// half stays in the scenario; `{rsa_key}` is the public JWK (with `kid` `vouch-rsa_key` and
/// `use: enc`). `... as ec_key for "ECDH-ES+A256KW"` also sets the JWK's `alg`.
#[given(regex = r#"^I generate an? (RSA|EC P-256|X25519) key pair as (\w+)(?: for "([^"]+)")?$"#)]
fn generate(world: &mut VouchWorld, kind: String, name: String, alg: String) {
    let kind: KeyKind = kind.parse().unwrap_or_else(|e| panic!("{e}"));
    let pair = KeyPair::generate(kind, &format!("vouch-{name}")).unwrap_or_else(|e| panic!("{e}"));
    let mut public = pair.public_jwk();
    if !alg.is_empty() {
        public["alg"] = json!(alg);
    }
    world.vars.insert(name.clone(), public.to_string());
    world.keys.insert(name, pair);
}

fn key<'a>(world: &'a VouchWorld, name: &str) -> &'a KeyPair {
    world.keys.get(name).unwrap_or_else(|| {
        panic!("no key pair named {name}: generate one with `Given I generate an RSA key pair as {name}`")
    })
}

fn jwe_at(world: &VouchWorld, path: &str) -> String {
    let found = super::response::one(world, path);
    found
        .as_str()
        .unwrap_or_else(|| panic!("{path} is {found}, not a compact JWE\n{}", world.explain()))
        .to_string()
}

/// What an encrypted member holds: the contract schema of its plaintext and the name the
/// plaintext stands under once decrypted.
fn plaintext_of(path: &str) -> (&'static str, &'static str) {
    if path.ends_with("encryptedDocument") {
        ("VerificationDocument", "document")
    } else {
        ("VerificationResponse", "verification")
    }
}

/// `When I decrypt "$.encryptedVerification" with the key rsa_key`: the JWE must decrypt with
/// the key, and its plaintext must be a VerificationResponse (the contract's schema; for
/// `$.encryptedDocument`, a VerificationDocument). The decrypted JWE then stands as the last
/// response: `$.header` is its protected header, `$.verification` (`$.document`) its plaintext.
#[when(regex = r#"^I decrypt "([^"]+)" with the key (\w+)$"#)]
fn decrypt_step(world: &mut VouchWorld, path: String, name: String) {
    let jwe = jwe_at(world, &path);
    let (schema, member) = plaintext_of(&path);
    let decrypted = decrypt(&key(world, &name).private, &jwe).unwrap_or_else(|e| {
        panic!(
            "{path} does not decrypt with the key {name}: {e}\n{}",
            world.explain()
        )
    });
    let verification: Value = serde_json::from_slice(&decrypted.plaintext).unwrap_or_else(|e| {
        panic!(
            "the plaintext of {path} is not JSON ({e})\n{}",
            world.explain()
        )
    });
    let contract = world
        .ctx
        .contracts
        .get("trusona")
        .unwrap_or_else(|e| panic!("{e}"));
    let violations = contract
        .check_schema(schema, &verification)
        .unwrap_or_else(|e| panic!("{e}"));
    if !violations.is_empty() {
        panic!(
            "the plaintext of {path} is not a {schema}:\n{}\n{}",
            crate::contract::violation::render(&violations),
            world.explain()
        );
    }
    let body = json!({"header": decrypted.header, member: verification});
    let (exchange, _, _) = world.exchange();
    let mut exchange = exchange.clone();
    exchange.body = bytes::Bytes::from(body.to_string());
    world.last = Some(Outcome::Answered {
        exchange,
        operation: None,
        request_violations: Vec::new(),
        response_violations: Vec::new(),
    });
}

/// `Then decrypting "$.encryptedVerification" with the key other_key fails`: the JWE is for
/// another key.
#[then(regex = r#"^decrypting "([^"]+)" with the key (\w+) fails$"#)]
fn decrypt_fails(world: &mut VouchWorld, path: String, name: String) {
    let jwe = jwe_at(world, &path);
    if decrypt(&key(world, &name).private, &jwe).is_ok() {
        panic!(
            "{path} decrypts with the key {name}, expected it not to\n{}",
            world.explain()
        );
    }
}
