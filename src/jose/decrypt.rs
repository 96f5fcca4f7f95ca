//! Decrypting a compact JWE with a private key: how vouch checks a live sandbox's encryption.

use super::kdf::agreed_key;
use super::*;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use rsa::Oaep;
use serde_json::Value;
use sha2::Sha256;

/// A decrypted JWE: its protected header and plaintext.
#[derive(Debug)]
pub struct Decrypted {
    /// The JWE protected header, decoded from base64url JSON (`alg`, `enc`, `kid`, `epk`, ...).
    pub header: Value,
    /// The decrypted content, authenticated by AES-GCM against the protected header.
    pub plaintext: Vec<u8>,
}

/// Decrypts a compact JWE with `key`. Accepts `RSA-OAEP-256`, `ECDH-ES` and `ECDH-ES+A256KW`
/// with `A256GCM`; anything else is an error naming what was found.
pub fn decrypt(key: &PrivateKey, compact: &str) -> Result<Decrypted, String> {
    let parts: Vec<&str> = compact.split('.').collect();
    let [protected, encrypted_key, iv, ciphertext, tag] = parts.as_slice() else {
        return Err(format!(
            "a compact JWE has 5 parts separated by `.`, this has {}",
            parts.len()
        ));
    };
    let decode = |name: &str, part: &str| {
        B64.decode(part)
            .map_err(|_| format!("the {name} is not base64url"))
    };
    let header: Value = serde_json::from_slice(&decode("protected header", protected)?)
        .map_err(|e| format!("the protected header is not JSON: {e}"))?;
    let enc = header["enc"].as_str().unwrap_or_default();
    if enc != ENC {
        return Err(format!("`enc` is {}, expected {ENC}", header["enc"]));
    }
    let alg_name = header["alg"].as_str().unwrap_or_default();
    let alg = KeyAlg::from_name(alg_name)
        .ok_or_else(|| format!("unsupported `alg` {}", header["alg"]))?;
    let encrypted_key = decode("encrypted key", encrypted_key)?;
    // RFC 7518 § 4.6.1.2-3: optional agreement PartyUInfo / PartyVInfo, used by the Concat KDF.
    let party = |name: &str| match &header[name] {
        Value::Null => Ok(Vec::new()),
        Value::String(text) => B64
            .decode(text)
            .map_err(|_| format!("`{name}` is not base64url")),
        other => Err(format!("`{name}` is {other}, not a base64url string")),
    };
    let (apu, apv) = (party("apu")?, party("apv")?);
    let agreed = |z: &[u8]| -> Result<[u8; 32], String> {
        let derived = agreed_key(z, alg, &apu, &apv);
        if alg == KeyAlg::EcdhEs {
            if !encrypted_key.is_empty() {
                return Err("ECDH-ES (direct) must have an empty encrypted key".into());
            }
            return Ok(derived);
        }
        let mut cek = [0u8; 32];
        aes_kw::KekAes256::from(derived)
            .unwrap(&encrypted_key, &mut cek)
            .map_err(|_| "the AES key unwrap failed (wrong key?)".to_string())?;
        Ok(cek)
    };
    let epk = &header["epk"];
    let cek: [u8; 32] = match (key, alg) {
        (PrivateKey::Rsa(key), KeyAlg::RsaOaep256) => key
            .decrypt(Oaep::new::<Sha256>(), &encrypted_key)
            .map_err(|_| "RSA-OAEP decryption failed (wrong key?)".to_string())?
            .try_into()
            .map_err(|_| "the CEK is not 32 bytes".to_string())?,
        (PrivateKey::P256(key), KeyAlg::EcdhEs | KeyAlg::EcdhEsA256Kw) => {
            if epk["kty"] != "EC" || epk["crv"] != "P-256" {
                return Err(format!("`epk` is not a P-256 key: {epk}"));
            }
            let peer = parse_public_jwk(epk).map_err(|e| format!("`epk`: {e}"))?;
            let PublicKey::P256(peer) = peer.key else {
                return Err("`epk` is not a P-256 key".into());
            };
            let shared = p256::ecdh::diffie_hellman(key.to_nonzero_scalar(), peer.as_affine());
            agreed(shared.raw_secret_bytes())?
        }
        (PrivateKey::X25519(key), KeyAlg::EcdhEs | KeyAlg::EcdhEsA256Kw) => {
            if epk["kty"] != "OKP" || epk["crv"] != "X25519" {
                return Err(format!("`epk` is not an X25519 key: {epk}"));
            }
            let x: [u8; 32] = epk["x"]
                .as_str()
                .and_then(|x| B64.decode(x).ok())
                .and_then(|x| x.try_into().ok())
                .ok_or("`epk.x` is not 32 base64url bytes")?;
            let shared = key.diffie_hellman(&x25519_dalek::PublicKey::from(x));
            if !shared.was_contributory() {
                return Err("`epk` is a low-order X25519 point".into());
            }
            agreed(shared.as_bytes())?
        }
        _ => {
            return Err(format!("`alg` {alg_name} does not fit this key ({key:?})"));
        }
    };
    let iv = decode("IV", iv)?;
    if iv.len() != 12 {
        return Err(format!("the IV is {} bytes, A256GCM needs 12", iv.len()));
    }
    let mut sealed = decode("ciphertext", ciphertext)?;
    let tag = decode("authentication tag", tag)?;
    if tag.len() != 16 {
        return Err(format!("the tag is {} bytes, A256GCM needs 16", tag.len()));
    }
    sealed.extend_from_slice(&tag);
    let plaintext = Aes256Gcm::new(&cek.into())
        .decrypt(
            Nonce::from_slice(&iv),
            Payload {
                msg: &sealed,
                aad: protected.as_bytes(),
            },
        )
        .map_err(|_| "AES-GCM authentication failed".to_string())?;
    Ok(Decrypted { header, plaintext })
}
