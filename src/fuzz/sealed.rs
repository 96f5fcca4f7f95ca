//! Encrypted exchanges (issue #22): a request member marked `x-vouch-recipient-key` is a public
//! JWK whose private key the caller holds, and a response member marked `x-vouch-sealed` is a
//! compact JWE of the plaintext the mark names, encrypted to that key (Trusona's
//! createEncryptedVerification: [trusona-api] § Models > EncryptedVerificationRequest
//! `publicWebKey`, EncryptedVerificationResponse `encryptedVerification`).
//!
//! A generated JWK would be refused (400 "Must be one of RSA, EC or OKP"): the fuzzer puts one
//! of its own public keys there instead, and opens the sealed members of the answers with the
//! private keys, so a link can take a value from inside them
//! (`{$response.body#/encryptedVerification/linkUrl}`). Contract marks: contracts/CONVENTIONS.md
//! § Links and fuzzing marks. Key material is never printed (`jose::PrivateKey`'s `Debug`).

use crate::jose::{self, KeyKind, KeyPair};
use serde_json::Value;
use std::sync::OnceLock;

/// On a request schema: a public JWK the caller holds the private key of
/// (`{kinds: [RSA, EC P-256, X25519], reason}`).
pub(crate) const RECIPIENT_KEY: &str = "x-vouch-recipient-key";
/// On a response member: a compact JWE of `{plaintext: <schema ref>, reason}`.
pub(crate) const SEALED: &str = "x-vouch-sealed";

/// The fuzzer's key pairs, one per kind, made once per process (an RSA key takes a while).
fn keys() -> &'static [(KeyKind, KeyPair)] {
    static KEYS: OnceLock<Vec<(KeyKind, KeyPair)>> = OnceLock::new();
    KEYS.get_or_init(|| {
        [
            (KeyKind::Rsa, "rsa"),
            (KeyKind::P256, "p256"),
            (KeyKind::X25519, "x25519"),
        ]
        .into_iter()
        .filter_map(|(kind, name)| {
            let pair = KeyPair::generate(kind, &format!("vouch-fuzz-{name}")).ok()?;
            Some((kind, pair))
        })
        .collect()
    })
}

/// The key kinds a `x-vouch-recipient-key` mark names (every kind the fuzzer has when it
/// names none it knows).
pub(crate) fn kinds(mark: &Value) -> Vec<KeyKind> {
    let named: Vec<KeyKind> = mark
        .get("kinds")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|k| k.as_str()?.parse().ok())
        .collect();
    if named.is_empty() {
        keys().iter().map(|(kind, _)| *kind).collect()
    } else {
        named
    }
}

/// The fuzzer's public JWK of one of `kinds`, picked by `pick`.
pub(crate) fn public_jwk(kinds: &[KeyKind], pick: u64) -> Option<Value> {
    let usable: Vec<&KeyPair> = keys()
        .iter()
        .filter(|(kind, _)| kinds.contains(kind))
        .map(|(_, pair)| pair)
        .collect();
    let n = usable.len() as u64;
    (n > 0).then(|| usable[(pick % n) as usize].public_jwk())
}

/// The answer with each sealed member that one of the fuzzer's keys opens replaced by its
/// plaintext (JSON), for the links that read inside it; other members as they were.
pub(crate) fn open(pointers: &[String], answer: Value) -> Value {
    if pointers.is_empty() {
        return answer;
    }
    let mut answer = answer;
    for at in pointers {
        let Some(slot) = answer.pointer_mut(at) else {
            continue;
        };
        let Some(compact) = slot.as_str() else {
            continue;
        };
        let plaintext = keys().iter().find_map(|(_, pair)| {
            let opened = jose::decrypt(&pair.private, compact).ok()?;
            serde_json::from_slice::<Value>(&opened.plaintext).ok()
        });
        if let Some(plaintext) = plaintext {
            *slot = plaintext;
        }
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_key_of_each_named_kind_and_what_is_sealed_to_it_opens() {
        let ec = kinds(&json!({"kinds": ["EC P-256"]}));
        assert_eq!(ec, [KeyKind::P256]);
        assert_eq!(kinds(&json!({})).len(), 3);
        let jwk = public_jwk(&ec, 7).unwrap();
        assert_eq!(jwk["crv"], "P-256");
        assert!(
            jwk.get("d").is_none(),
            "a public JWK carries no private part"
        );
        let key = jose::parse_public_jwk(&jwk).unwrap();
        let jwe =
            jose::encrypt(&key, key.key_alg().unwrap(), br#"{"linkUrl":"http://x/s"}"#).unwrap();
        let opened = keys()
            .iter()
            .find_map(|(_, p)| jose::decrypt(&p.private, &jwe).ok());
        assert!(opened.is_some());
    }
}
