//! Compact JWE (RFC 7516) with the algorithms Trusona's encrypted verifications use, written on
//! pure-Rust RustCrypto crates (no OpenSSL):
//!
//! - key management `RSA-OAEP-256` (RSAES-OAEP with SHA-256 and MGF1-SHA-256, RFC 7518 § 4.3),
//!   `ECDH-ES` (direct key agreement) and `ECDH-ES+A256KW` (key agreement, then AES-256 key
//!   wrap) on P-256 (RFC 7518 § 4.6) and X25519 (RFC 8037 § 3.2), with the Concat KDF of
//!   NIST SP 800-56A as RFC 7518 § 4.6.2 profiles it;
//! - content encryption `A256GCM` (RFC 7518 § 5.3), the protected header as AAD.
//!
//! The mock encrypts with [`encrypt`]; vouch's steps generate key pairs ([`KeyPair`]) and
//! decrypt with [`decrypt`], which is how vouch checks a live sandbox's encryption too. An
//! independent JOSE implementation (Python `jwcrypto`, `tests/jwe_interop.rs`) decrypts what
//! [`encrypt`] produces, so the two cannot agree on a shared mistake.
//!
//! Errors never carry key material.

mod decrypt;
mod encrypt;
mod jwk;
mod kdf;
mod keys;

pub use decrypt::{DecryptError, Decrypted, decrypt};
pub use encrypt::encrypt;
pub use jwk::parse_public_jwk;
pub use kdf::concat_kdf;
pub use keys::{KeyError, KeyKind, KeyPair, PrivateKey};

use rsa::RsaPublicKey;

/// The only content encryption vouch produces and accepts.
pub const ENC: &str = "A256GCM";
/// The smallest RSA modulus accepted, in bits (RFC 7518 § 4.3 requires at least 2048).
pub const MIN_RSA_BITS: usize = 2048;

/// A JWE key-management algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAlg {
    /// `RSA-OAEP-256`: the content key encrypted with RSAES-OAEP (SHA-256, MGF1-SHA-256).
    RsaOaep256,
    /// `ECDH-ES`: the content key is the Concat KDF output of an ephemeral-static key
    /// agreement (no encrypted key).
    EcdhEs,
    /// `ECDH-ES+A256KW`: a key agreement as for `ECDH-ES`, whose output AES-256-wraps a random
    /// content key.
    EcdhEsA256Kw,
}

impl KeyAlg {
    /// The `alg` header value (`RSA-OAEP-256`, `ECDH-ES`, `ECDH-ES+A256KW`).
    pub fn name(self) -> &'static str {
        match self {
            KeyAlg::RsaOaep256 => "RSA-OAEP-256",
            KeyAlg::EcdhEs => "ECDH-ES",
            KeyAlg::EcdhEsA256Kw => "ECDH-ES+A256KW",
        }
    }

    /// The algorithm an `alg` value names (exact, case-sensitive); `None` for any other.
    pub fn from_name(name: &str) -> Option<Self> {
        [KeyAlg::RsaOaep256, KeyAlg::EcdhEs, KeyAlg::EcdhEsA256Kw]
            .into_iter()
            .find(|a| a.name() == name)
    }
}

/// Why a JWK cannot be used to encrypt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwkError {
    /// Not an RSA, EC or OKP/X25519 key (e.g. `oct`, `OKP` Ed25519, no `kty`).
    UnsupportedType(String),
    /// The JWK carries private key members.
    Private,
    /// A member is missing or malformed, or the key material is invalid (a point off the curve).
    Malformed(String),
    /// A well-formed key of an accepted type that this implementation cannot use (a curve other
    /// than P-256, an RSA modulus under 2048 bits, an `alg` it does not implement, `use` other
    /// than `enc`).
    Unusable(String),
}

impl std::fmt::Display for JwkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JwkError::UnsupportedType(why) => write!(f, "unsupported key type: {why}"),
            JwkError::Private => write!(f, "the JWK contains private key members"),
            JwkError::Malformed(why) => write!(f, "malformed JWK: {why}"),
            JwkError::Unusable(why) => write!(f, "unusable key: {why}"),
        }
    }
}

/// A recipient's public key.
#[derive(Debug, Clone)]
pub enum PublicKey {
    /// An RSA key (`kty: RSA`); [`parse_public_jwk`] accepts only moduli of at least
    /// [`MIN_RSA_BITS`] bits.
    Rsa(RsaPublicKey),
    /// An EC key on P-256 (`kty: EC`, `crv: P-256`).
    P256(p256::PublicKey),
    /// An X25519 key (`kty: OKP`, `crv: X25519`).
    X25519(x25519_dalek::PublicKey),
}

/// A parsed public JWK with the members that matter for encryption.
#[derive(Debug, Clone)]
pub struct PublicJwk {
    /// The key itself.
    pub key: PublicKey,
    /// The JWK's `kid` (key id), echoed in the JWE header; `None` when it has none.
    pub kid: Option<String>,
    /// The JWK's `alg`, when it names one.
    pub alg: Option<String>,
}

impl PublicJwk {
    /// The key-management algorithm for this key: the JWK's own `alg` if it names one this
    /// module implements for the key type, else `RSA-OAEP-256` for RSA and `ECDH-ES` for EC and
    /// X25519.
    pub fn key_alg(&self) -> Result<KeyAlg, JwkError> {
        let default = match self.key {
            PublicKey::Rsa(_) => KeyAlg::RsaOaep256,
            PublicKey::P256(_) | PublicKey::X25519(_) => KeyAlg::EcdhEs,
        };
        let Some(name) = &self.alg else {
            return Ok(default);
        };
        let alg = KeyAlg::from_name(name)
            .ok_or_else(|| JwkError::Unusable(format!("alg `{name}` is not supported")))?;
        let fits = matches!(
            (&self.key, alg),
            (PublicKey::Rsa(_), KeyAlg::RsaOaep256)
                | (
                    PublicKey::P256(_) | PublicKey::X25519(_),
                    KeyAlg::EcdhEs | KeyAlg::EcdhEsA256Kw
                )
        );
        if fits {
            Ok(alg)
        } else {
            Err(JwkError::Unusable(format!(
                "alg `{name}` does not fit the key type"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
    use serde_json::{Value, json};

    /// RFC 7518 Appendix C: ECDH-ES with apu "Alice", apv "Bob", A128GCM.
    #[test]
    fn concat_kdf_matches_rfc7518_appendix_c() {
        let z = [
            158, 86, 217, 29, 129, 113, 53, 211, 114, 131, 66, 131, 191, 132, 38, 156, 251, 49,
            110, 163, 218, 128, 106, 72, 246, 218, 167, 121, 140, 254, 144, 196,
        ];
        let key = concat_kdf(&z, "A128GCM", 128, b"Alice", b"Bob");
        assert_eq!(B64.encode(key), "VqqN6vgjbSBcIijNcacQGg");
    }

    fn round_trip(kind: KeyKind, alg: Option<&str>) -> Value {
        let pair = KeyPair::generate(kind, "k1").unwrap();
        let mut public = pair.public_jwk();
        if let Some(alg) = alg {
            public["alg"] = json!(alg);
        }
        let jwk = parse_public_jwk(&public).unwrap();
        let alg = jwk.key_alg().unwrap();
        let jwe = encrypt(&jwk, alg, br#"{"hello":"world"}"#).unwrap();
        let out = decrypt(&pair.private, &jwe).unwrap();
        assert_eq!(out.plaintext, br#"{"hello":"world"}"#);
        assert_eq!(out.header["kid"], "k1");
        // A different key of the same kind cannot decrypt it.
        let other = KeyPair::generate(kind, "k2").unwrap();
        assert!(decrypt(&other.private, &jwe).is_err());
        // Tampering with the protected header breaks the tag (the header is the AAD).
        let mut parts: Vec<String> = jwe.split('.').map(str::to_string).collect();
        let mut header: Value = serde_json::from_slice(&B64.decode(&parts[0]).unwrap()).unwrap();
        header["kid"] = json!("tampered");
        parts[0] = B64.encode(header.to_string());
        assert!(decrypt(&pair.private, &parts.join(".")).is_err());
        out.header
    }

    #[test]
    fn rsa_oaep_256_round_trip() {
        let header = round_trip(KeyKind::Rsa, None);
        assert_eq!(header["alg"], "RSA-OAEP-256");
        assert_eq!(header["enc"], "A256GCM");
    }

    #[test]
    fn ecdh_es_round_trips() {
        for kind in [KeyKind::P256, KeyKind::X25519] {
            let header = round_trip(kind, None);
            assert_eq!(header["alg"], "ECDH-ES");
            assert!(header["epk"]["x"].is_string());
            let header = round_trip(kind, Some("ECDH-ES+A256KW"));
            assert_eq!(header["alg"], "ECDH-ES+A256KW");
        }
    }

    #[test]
    fn refuses_keys_that_do_not_fit() {
        let err = |v: Value| parse_public_jwk(&v).unwrap_err();
        assert!(matches!(
            err(json!({"kty": "oct", "k": "AAAA"})),
            JwkError::UnsupportedType(_)
        ));
        assert!(matches!(
            err(json!({"kty": "OKP", "crv": "Ed25519", "x": B64.encode([9u8; 32])})),
            JwkError::UnsupportedType(_)
        ));
        assert!(matches!(
            err(json!({"n": "AQAB"})),
            JwkError::UnsupportedType(_)
        ));
        assert!(matches!(err(json!("RSA")), JwkError::Malformed(_)));
        let private = KeyPair::generate(KeyKind::P256, "k").unwrap().private_jwk();
        assert_eq!(err(private), JwkError::Private);
        assert!(matches!(
            err(
                json!({"kty": "EC", "crv": "P-256", "x": B64.encode([1u8; 32]), "y": B64.encode([2u8; 32])})
            ),
            JwkError::Malformed(_)
        ));
        assert!(matches!(
            err(json!({"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA"})),
            JwkError::Unusable(_)
        ));
        assert!(matches!(
            err(json!({"kty": "RSA", "n": B64.encode([0xffu8; 128]), "e": "AQAB"})),
            JwkError::Unusable(_)
        ));
        assert!(matches!(
            err(json!({"kty": "OKP", "crv": "X25519", "x": "not base64!"})),
            JwkError::Malformed(_)
        ));
        let mut sig = KeyPair::generate(KeyKind::X25519, "k")
            .unwrap()
            .public_jwk();
        sig["use"] = json!("sig");
        assert!(matches!(err(sig), JwkError::Unusable(_)));
    }

    #[test]
    fn alg_must_fit_the_key() {
        let mut public = KeyPair::generate(KeyKind::X25519, "k")
            .unwrap()
            .public_jwk();
        public["alg"] = json!("RSA-OAEP-256");
        let jwk = parse_public_jwk(&public).unwrap();
        assert!(matches!(jwk.key_alg(), Err(JwkError::Unusable(_))));
        public["alg"] = json!("RSA1_5");
        let jwk = parse_public_jwk(&public).unwrap();
        assert!(matches!(jwk.key_alg(), Err(JwkError::Unusable(_))));
    }

    #[test]
    fn low_order_x25519_keys_are_refused() {
        let jwk =
            parse_public_jwk(&json!({"kty": "OKP", "crv": "X25519", "x": B64.encode([0u8; 32])}))
                .unwrap();
        assert!(matches!(
            encrypt(&jwk, KeyAlg::EcdhEs, b"x"),
            Err(JwkError::Malformed(_))
        ));
    }

    #[test]
    fn rsa_private_jwk_has_crt_members() {
        let pair = KeyPair::generate(KeyKind::Rsa, "k").unwrap();
        let jwk = pair.private_jwk();
        for m in ["n", "e", "d", "p", "q", "dp", "dq", "qi"] {
            assert!(jwk[m].as_str().is_some_and(|s| !s.is_empty()), "{m}");
        }
        assert!(!format!("{:?}", pair.private).contains(jwk["d"].as_str().unwrap()));
    }
}
