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

/// Why a compact JWE cannot be decrypted, in words that name what was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecryptError {
    /// The JWE is not well formed: its parts, their base64url, its header or the sizes of its
    /// IV, tag, key or ephemeral key.
    #[error("{0}")]
    Malformed(String),
    /// An `alg` or `enc` vouch does not decrypt, or one that does not fit the key.
    #[error("{0}")]
    UnsupportedAlg(String),
    /// The key does not open it (key unwrap, RSA-OAEP or AES-GCM authentication failed).
    #[error("{0}")]
    WrongKey(&'static str),
}

/// Decrypts a compact JWE with `key`. Accepts `RSA-OAEP-256`, `ECDH-ES` and `ECDH-ES+A256KW`
/// with `A256GCM`; anything else is an error naming what was found.
pub fn decrypt(key: &PrivateKey, compact: &str) -> Result<Decrypted, DecryptError> {
    let parts: Vec<&str> = compact.split('.').collect();
    let [protected, encrypted_key, iv, ciphertext, tag] = parts.as_slice() else {
        return Err(DecryptError::Malformed(format!(
            "a compact JWE has 5 parts separated by `.`, this has {}",
            parts.len()
        )));
    };
    let decode = |name: &str, part: &str| {
        B64.decode(part)
            .map_err(|_| DecryptError::Malformed(format!("the {name} is not base64url")))
    };
    let header: Value = serde_json::from_slice(&decode("protected header", protected)?)
        .map_err(|e| DecryptError::Malformed(format!("the protected header is not JSON: {e}")))?;
    let enc = header["enc"].as_str().unwrap_or_default();
    if enc != ENC {
        return Err(DecryptError::UnsupportedAlg(format!(
            "`enc` is {}, expected {ENC}",
            header["enc"]
        )));
    }
    let alg_name = header["alg"].as_str().unwrap_or_default();
    let alg = KeyAlg::from_name(alg_name).ok_or_else(|| {
        DecryptError::UnsupportedAlg(format!("unsupported `alg` {}", header["alg"]))
    })?;
    let encrypted_key = decode("encrypted key", encrypted_key)?;
    // RFC 7518 § 4.6.1.2-3: optional agreement PartyUInfo / PartyVInfo, used by the Concat KDF.
    let party = |name: &str| match &header[name] {
        Value::Null => Ok(Vec::new()),
        Value::String(text) => B64
            .decode(text)
            .map_err(|_| DecryptError::Malformed(format!("`{name}` is not base64url"))),
        other => Err(DecryptError::Malformed(format!(
            "`{name}` is {other}, not a base64url string"
        ))),
    };
    let (apu, apv) = (party("apu")?, party("apv")?);
    let agreed = |z: &[u8]| -> Result<[u8; 32], DecryptError> {
        let derived = agreed_key(z, alg, &apu, &apv);
        if alg == KeyAlg::EcdhEs {
            if !encrypted_key.is_empty() {
                return Err(DecryptError::Malformed(
                    "ECDH-ES (direct) must have an empty encrypted key".into(),
                ));
            }
            return Ok(derived);
        }
        let mut cek = [0u8; 32];
        aes_kw::KekAes256::from(derived)
            .unwrap(&encrypted_key, &mut cek)
            .map_err(|_| DecryptError::WrongKey("the AES key unwrap failed (wrong key?)"))?;
        Ok(cek)
    };
    let epk = &header["epk"];
    let cek: [u8; 32] = match (key, alg) {
        (PrivateKey::Rsa(key), KeyAlg::RsaOaep256) => key
            .decrypt(Oaep::new::<Sha256>(), &encrypted_key)
            .map_err(|_| DecryptError::WrongKey("RSA-OAEP decryption failed (wrong key?)"))?
            .try_into()
            .map_err(|_| DecryptError::Malformed("the CEK is not 32 bytes".into()))?,
        (PrivateKey::P256(key), KeyAlg::EcdhEs | KeyAlg::EcdhEsA256Kw) => {
            if epk["kty"] != "EC" || epk["crv"] != "P-256" {
                return Err(DecryptError::Malformed(format!(
                    "`epk` is not a P-256 key: {epk}"
                )));
            }
            let peer = parse_public_jwk(epk)
                .map_err(|e| DecryptError::Malformed(format!("`epk`: {e}")))?;
            let PublicKey::P256(peer) = peer.key else {
                return Err(DecryptError::Malformed("`epk` is not a P-256 key".into()));
            };
            let shared = p256::ecdh::diffie_hellman(key.to_nonzero_scalar(), peer.as_affine());
            agreed(shared.raw_secret_bytes())?
        }
        (PrivateKey::X25519(key), KeyAlg::EcdhEs | KeyAlg::EcdhEsA256Kw) => {
            if epk["kty"] != "OKP" || epk["crv"] != "X25519" {
                return Err(DecryptError::Malformed(format!(
                    "`epk` is not an X25519 key: {epk}"
                )));
            }
            let x: [u8; 32] = epk["x"]
                .as_str()
                .and_then(|x| B64.decode(x).ok())
                .and_then(|x| x.try_into().ok())
                .ok_or_else(|| {
                    DecryptError::Malformed("`epk.x` is not 32 base64url bytes".into())
                })?;
            let shared = key.diffie_hellman(&x25519_dalek::PublicKey::from(x));
            if !shared.was_contributory() {
                return Err(DecryptError::Malformed(
                    "`epk` is a low-order X25519 point".into(),
                ));
            }
            agreed(shared.as_bytes())?
        }
        _ => {
            return Err(DecryptError::UnsupportedAlg(format!(
                "`alg` {alg_name} does not fit this key ({key:?})"
            )));
        }
    };
    let iv = decode("IV", iv)?;
    // The IV's size is told before the ciphertext's base64url is, as it always was.
    check_iv(&iv)?;
    let sealed = decode("ciphertext", ciphertext)?;
    let tag = decode("authentication tag", tag)?;
    let plaintext = open(&cek, &iv, sealed, &tag, protected)?;
    Ok(Decrypted { header, plaintext })
}

/// A256GCM's IV is 96 bits (RFC 7518 § 5.3).
fn check_iv(iv: &[u8]) -> Result<(), DecryptError> {
    if iv.len() != 12 {
        return Err(DecryptError::Malformed(format!(
            "the IV is {} bytes, A256GCM needs 12",
            iv.len()
        )));
    }
    Ok(())
}

/// A256GCM (RFC 7518 § 5.3): the ciphertext opened with the content key, the protected
/// header's text as additional data; a 12-byte IV and a 16-byte tag.
fn open(
    cek: &[u8; 32],
    iv: &[u8],
    mut sealed: Vec<u8>,
    tag: &[u8],
    protected: &str,
) -> Result<Vec<u8>, DecryptError> {
    check_iv(iv)?;
    if tag.len() != 16 {
        return Err(DecryptError::Malformed(format!(
            "the tag is {} bytes, A256GCM needs 16",
            tag.len()
        )));
    }
    sealed.extend_from_slice(tag);
    Aes256Gcm::new(&(*cek).into())
        .decrypt(
            Nonce::from_slice(iv),
            Payload {
                msg: &sealed,
                aad: protected.as_bytes(),
            },
        )
        .map_err(|_| DecryptError::WrongKey("AES-GCM authentication failed"))
}
