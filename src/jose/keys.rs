//! Key pairs the steps generate (RSA, P-256, X25519), and their public JWKs.

use super::*;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use rand_core::OsRng;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, RsaPrivateKey};
use serde_json::{Value, json};

/// The kinds of key pair vouch generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// RSA with a 2048-bit modulus (`RSA` in steps).
    Rsa,
    /// EC on P-256 (`EC P-256` or `P-256` in steps).
    P256,
    /// X25519 (`X25519` in steps).
    X25519,
}

/// Why a key pair cannot be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// A key type vouch does not make (the name as given).
    #[error("unknown key type `{0}` (RSA, EC P-256 or X25519)")]
    UnknownKind(String),
    /// The RSA key generation failed (the `rsa` crate's message).
    #[error("RSA key generation failed: {0}")]
    Generation(String),
}

impl std::str::FromStr for KeyKind {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, KeyError> {
        match s {
            "RSA" => Ok(KeyKind::Rsa),
            "EC P-256" | "P-256" => Ok(KeyKind::P256),
            "X25519" => Ok(KeyKind::X25519),
            other => Err(KeyError::UnknownKind(other.into())),
        }
    }
}

/// A private key, for decrypting.
pub enum PrivateKey {
    /// An RSA private key.
    Rsa(Box<RsaPrivateKey>),
    /// A P-256 private key.
    P256(p256::SecretKey),
    /// An X25519 private key.
    X25519(x25519_dalek::StaticSecret),
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            PrivateKey::Rsa(_) => "RSA",
            PrivateKey::P256(_) => "EC P-256",
            PrivateKey::X25519(_) => "X25519",
        };
        write!(f, "PrivateKey({kind}, <redacted>)")
    }
}

/// A generated key pair with a key id.
#[derive(Debug)]
pub struct KeyPair {
    /// The private key (its `Debug` output never shows the key material).
    pub private: PrivateKey,
    /// The key id, written as `kid` in the public and private JWKs.
    pub kid: String,
}

fn b64_uint(n: &BigUint) -> String {
    B64.encode(n.to_bytes_be())
}

impl KeyPair {
    /// A fresh key pair (RSA keys have a 2048-bit modulus).
    pub fn generate(kind: KeyKind, kid: &str) -> Result<Self, KeyError> {
        let private = match kind {
            KeyKind::Rsa => PrivateKey::Rsa(Box::new(
                RsaPrivateKey::new(&mut OsRng, MIN_RSA_BITS)
                    .map_err(|e| KeyError::Generation(e.to_string()))?,
            )),
            KeyKind::P256 => PrivateKey::P256(p256::SecretKey::random(&mut OsRng)),
            KeyKind::X25519 => {
                PrivateKey::X25519(x25519_dalek::StaticSecret::random_from_rng(OsRng))
            }
        };
        Ok(Self {
            private,
            kid: kid.to_string(),
        })
    }

    /// The public JWK (with `kid` and `use: enc`).
    pub fn public_jwk(&self) -> Value {
        let mut jwk = match &self.private {
            PrivateKey::Rsa(key) => {
                json!({"kty": "RSA", "n": b64_uint(key.n()), "e": b64_uint(key.e())})
            }
            PrivateKey::P256(key) => {
                let point = key.public_key().to_encoded_point(false);
                json!({"kty": "EC", "crv": "P-256",
                       "x": B64.encode(point.x().map(|x| x.as_slice()).unwrap_or_default()),
                       "y": B64.encode(point.y().map(|y| y.as_slice()).unwrap_or_default())})
            }
            PrivateKey::X25519(key) => {
                let public = x25519_dalek::PublicKey::from(key);
                json!({"kty": "OKP", "crv": "X25519", "x": B64.encode(public.as_bytes())})
            }
        };
        jwk["kid"] = json!(self.kid);
        jwk["use"] = json!("enc");
        jwk
    }

    /// The private JWK (RFC 7518 § 6.2.2, § 6.3.2; RFC 8037 § 2), e.g. for another JOSE
    /// implementation to decrypt with. Never print it.
    pub fn private_jwk(&self) -> Value {
        let mut jwk = self.public_jwk();
        match &self.private {
            PrivateKey::Rsa(key) => {
                let primes = key.primes();
                let (p, q) = (&primes[0], &primes[1]);
                let one = BigUint::from(1u8);
                let d = key.d();
                let dp = d % (p - &one);
                let dq = d % (q - &one);
                let qi = key.qinv().and_then(|v| v.to_biguint()).unwrap_or_default();
                for (name, value) in [("d", d), ("p", p), ("q", q), ("dp", &dp), ("dq", &dq)] {
                    jwk[name] = json!(b64_uint(value));
                }
                jwk["qi"] = json!(b64_uint(&qi));
            }
            PrivateKey::P256(key) => jwk["d"] = json!(B64.encode(key.to_bytes())),
            PrivateKey::X25519(key) => jwk["d"] = json!(B64.encode(key.to_bytes())),
        }
        jwk
    }
}
