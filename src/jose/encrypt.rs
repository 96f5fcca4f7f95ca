//! Encrypting to a recipient's public JWK: the mock's side of Trusona's encrypted verifications.

use super::kdf::{agreed_key, random};
use super::*;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use rand_core::OsRng;
use rsa::Oaep;
use serde_json::{Map, Value, json};
use sha2::Sha256;

/// Encrypts `plaintext` to `recipient` as a compact JWE with `alg` and `A256GCM`.
pub fn encrypt(recipient: &PublicJwk, alg: KeyAlg, plaintext: &[u8]) -> Result<String, JwkError> {
    let mut header = Map::new();
    header.insert("alg".into(), json!(alg.name()));
    header.insert("enc".into(), json!(ENC));
    if let Some(kid) = &recipient.kid {
        header.insert("kid".into(), json!(kid));
    }
    let (cek, encrypted_key): ([u8; 32], Vec<u8>) = match (&recipient.key, alg) {
        (PublicKey::Rsa(key), KeyAlg::RsaOaep256) => {
            let cek = random::<32>();
            let wrapped = key
                .encrypt(&mut OsRng, Oaep::new::<Sha256>(), &cek)
                .map_err(|_| JwkError::Unusable("RSA-OAEP encryption failed".into()))?;
            (cek, wrapped)
        }
        (PublicKey::P256(peer), KeyAlg::EcdhEs | KeyAlg::EcdhEsA256Kw) => {
            let ephemeral = p256::ecdh::EphemeralSecret::random(&mut OsRng);
            let point = ephemeral.public_key().to_encoded_point(false);
            let (Some(x), Some(y)) = (point.x(), point.y()) else {
                return Err(JwkError::Malformed("ephemeral point at infinity".into()));
            };
            header.insert(
                "epk".into(),
                json!({"kty": "EC", "crv": "P-256", "x": B64.encode(x), "y": B64.encode(y)}),
            );
            let shared = ephemeral.diffie_hellman(peer);
            wrap_agreed(shared.raw_secret_bytes(), alg)?
        }
        (PublicKey::X25519(peer), KeyAlg::EcdhEs | KeyAlg::EcdhEsA256Kw) => {
            let ephemeral = x25519_dalek::EphemeralSecret::random_from_rng(OsRng);
            let public = x25519_dalek::PublicKey::from(&ephemeral);
            header.insert(
                "epk".into(),
                json!({"kty": "OKP", "crv": "X25519", "x": B64.encode(public.as_bytes())}),
            );
            let shared = ephemeral.diffie_hellman(peer);
            // RFC 8037 § 3.2 / RFC 7748 § 6.1: an all-zero shared secret means a low-order key.
            if !shared.was_contributory() {
                return Err(JwkError::Malformed(
                    "the X25519 key is a low-order point".into(),
                ));
            }
            wrap_agreed(shared.as_bytes(), alg)?
        }
        _ => {
            return Err(JwkError::Unusable(format!(
                "alg `{}` does not fit the key type",
                alg.name()
            )));
        }
    };
    let protected = B64.encode(Value::Object(header).to_string());
    let iv = random::<12>();
    let sealed = Aes256Gcm::new(&cek.into())
        .encrypt(
            Nonce::from_slice(&iv),
            Payload {
                msg: plaintext,
                aad: protected.as_bytes(),
            },
        )
        .map_err(|_| JwkError::Unusable("AES-GCM encryption failed".into()))?;
    let (ciphertext, tag) = sealed.split_at(sealed.len() - 16);
    Ok(format!(
        "{protected}.{}.{}.{}.{}",
        B64.encode(encrypted_key),
        B64.encode(iv),
        B64.encode(ciphertext),
        B64.encode(tag)
    ))
}

/// From an agreed secret Z to (CEK, JWE Encrypted Key).
fn wrap_agreed(z: &[u8], alg: KeyAlg) -> Result<([u8; 32], Vec<u8>), JwkError> {
    // The mock sends no `apu` / `apv`: both are empty.
    let derived = agreed_key(z, alg, b"", b"");
    if alg == KeyAlg::EcdhEs {
        return Ok((derived, Vec::new()));
    }
    let cek = random::<32>();
    let mut wrapped = [0u8; 40];
    aes_kw::KekAes256::from(derived)
        .wrap(&cek, &mut wrapped)
        .map_err(|_| JwkError::Unusable("AES key wrap failed".into()))?;
    Ok((cek, wrapped.to_vec()))
}
