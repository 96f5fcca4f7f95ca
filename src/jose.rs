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

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use rand_core::{OsRng, RngCore};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, Oaep, RsaPrivateKey, RsaPublicKey};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// The only content encryption vouch produces and accepts.
pub const ENC: &str = "A256GCM";
/// The smallest RSA modulus accepted, in bits (RFC 7518 § 4.3 requires at least 2048).
pub const MIN_RSA_BITS: usize = 2048;

/// A JWE key-management algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAlg {
    RsaOaep256,
    EcdhEs,
    EcdhEsA256Kw,
}

impl KeyAlg {
    pub fn name(self) -> &'static str {
        match self {
            KeyAlg::RsaOaep256 => "RSA-OAEP-256",
            KeyAlg::EcdhEs => "ECDH-ES",
            KeyAlg::EcdhEsA256Kw => "ECDH-ES+A256KW",
        }
    }

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
    Rsa(RsaPublicKey),
    P256(p256::PublicKey),
    X25519(x25519_dalek::PublicKey),
}

/// A parsed public JWK with the members that matter for encryption.
#[derive(Debug, Clone)]
pub struct PublicJwk {
    pub key: PublicKey,
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

fn member<'a>(jwk: &'a Map<String, Value>, name: &str) -> Result<&'a str, JwkError> {
    match jwk.get(name) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(JwkError::Malformed(format!("`{name}` is not a string"))),
        None => Err(JwkError::Malformed(format!("`{name}` is missing"))),
    }
}

fn b64_member(jwk: &Map<String, Value>, name: &str) -> Result<Vec<u8>, JwkError> {
    B64.decode(member(jwk, name)?)
        .map_err(|_| JwkError::Malformed(format!("`{name}` is not base64url")))
}

fn fixed<const N: usize>(jwk: &Map<String, Value>, name: &str) -> Result<[u8; N], JwkError> {
    b64_member(jwk, name)?
        .try_into()
        .map_err(|_| JwkError::Malformed(format!("`{name}` is not {N} bytes")))
}

/// Parses a public JWK (RFC 7517) of type RSA, EC (P-256) or OKP (X25519).
pub fn parse_public_jwk(value: &Value) -> Result<PublicJwk, JwkError> {
    let Some(jwk) = value.as_object() else {
        return Err(JwkError::Malformed("not a JSON object".into()));
    };
    let kty = match jwk.get("kty") {
        Some(Value::String(k)) => k.as_str(),
        Some(_) => return Err(JwkError::UnsupportedType("`kty` is not a string".into())),
        None => return Err(JwkError::UnsupportedType("`kty` is missing".into())),
    };
    let crv = jwk.get("crv").and_then(Value::as_str);
    // The type first: an `oct` or Ed25519 key is refused for what it is, whatever else it has.
    match (kty, crv) {
        ("RSA", _) | ("EC", _) | ("OKP", Some("X25519")) => {}
        ("OKP", Some(other)) => {
            return Err(JwkError::UnsupportedType(format!("OKP with crv `{other}`")));
        }
        ("OKP", None) => return Err(JwkError::UnsupportedType("OKP without `crv`".into())),
        (other, _) => return Err(JwkError::UnsupportedType(format!("kty `{other}`"))),
    }
    // RFC 7518 § 6.2.2 / § 6.3.2 / RFC 8037 § 2: private members.
    const PRIVATE: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "oth"];
    if PRIVATE.iter().any(|m| jwk.contains_key(*m)) {
        return Err(JwkError::Private);
    }
    if let Some(u) = jwk.get("use")
        && u != "enc"
    {
        return Err(JwkError::Unusable(format!("`use` is {u}, not \"enc\"")));
    }
    let key = match kty {
        "RSA" => {
            let n = BigUint::from_bytes_be(&b64_member(jwk, "n")?);
            let e = BigUint::from_bytes_be(&b64_member(jwk, "e")?);
            if n.bits() < MIN_RSA_BITS {
                return Err(JwkError::Unusable(format!(
                    "an RSA modulus of {} bits (at least {MIN_RSA_BITS} needed)",
                    n.bits()
                )));
            }
            PublicKey::Rsa(
                RsaPublicKey::new(n, e)
                    .map_err(|_| JwkError::Malformed("not a valid RSA public key".into()))?,
            )
        }
        "EC" => {
            let crv = member(jwk, "crv")?;
            if crv != "P-256" {
                return Err(JwkError::Unusable(format!("EC curve `{crv}` (only P-256)")));
            }
            let x: [u8; 32] = fixed(jwk, "x")?;
            let y: [u8; 32] = fixed(jwk, "y")?;
            let mut sec1 = vec![4u8];
            sec1.extend_from_slice(&x);
            sec1.extend_from_slice(&y);
            PublicKey::P256(
                p256::PublicKey::from_sec1_bytes(&sec1)
                    .map_err(|_| JwkError::Malformed("the point is not on P-256".into()))?,
            )
        }
        _ => {
            let x: [u8; 32] = fixed(jwk, "x")?;
            PublicKey::X25519(x25519_dalek::PublicKey::from(x))
        }
    };
    let text = |name: &str| jwk.get(name).and_then(Value::as_str).map(str::to_string);
    Ok(PublicJwk {
        key,
        kid: text("kid"),
        alg: text("alg"),
    })
}

/// The Concat KDF (NIST SP 800-56A § 5.8.1) as RFC 7518 § 4.6.2 uses it: SHA-256 rounds of
/// `counter || Z || OtherInfo`, where OtherInfo is AlgorithmID, PartyUInfo and PartyVInfo (each
/// length-prefixed) and SuppPubInfo (the key length in bits).
pub fn concat_kdf(z: &[u8], algorithm_id: &str, key_bits: u32, apu: &[u8], apv: &[u8]) -> Vec<u8> {
    let mut other = Vec::new();
    for part in [algorithm_id.as_bytes(), apu, apv] {
        other.extend_from_slice(&(part.len() as u32).to_be_bytes());
        other.extend_from_slice(part);
    }
    other.extend_from_slice(&key_bits.to_be_bytes());
    let len = (key_bits / 8) as usize;
    let mut out = Vec::with_capacity(len + 32);
    let mut counter: u32 = 1;
    while out.len() < len {
        let mut hash = Sha256::new();
        hash.update(counter.to_be_bytes());
        hash.update(z);
        hash.update(&other);
        out.extend_from_slice(&hash.finalize());
        counter += 1;
    }
    out.truncate(len);
    out
}

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// The key an ECDH-ES variant derives (RFC 7518 § 4.6.2): for direct agreement the CEK itself
/// (AlgorithmID = `enc`), for key wrapping the KEK (AlgorithmID = `alg`).
fn agreed_key(z: &[u8], alg: KeyAlg) -> [u8; 32] {
    let id = match alg {
        KeyAlg::EcdhEs => ENC,
        _ => alg.name(),
    };
    let mut key = [0u8; 32];
    key.copy_from_slice(&concat_kdf(z, id, 256, b"", b""));
    key
}

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
    let derived = agreed_key(z, alg);
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

/// The kinds of key pair vouch generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Rsa,
    P256,
    X25519,
}

impl std::str::FromStr for KeyKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "RSA" => Ok(KeyKind::Rsa),
            "EC P-256" | "P-256" => Ok(KeyKind::P256),
            "X25519" => Ok(KeyKind::X25519),
            other => Err(format!(
                "unknown key type `{other}` (RSA, EC P-256 or X25519)"
            )),
        }
    }
}

/// A private key, for decrypting.
pub enum PrivateKey {
    Rsa(Box<RsaPrivateKey>),
    P256(p256::SecretKey),
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
    pub private: PrivateKey,
    pub kid: String,
}

fn b64_uint(n: &BigUint) -> String {
    B64.encode(n.to_bytes_be())
}

impl KeyPair {
    /// A fresh key pair (RSA keys have a 2048-bit modulus).
    pub fn generate(kind: KeyKind, kid: &str) -> Result<Self, String> {
        let private = match kind {
            KeyKind::Rsa => PrivateKey::Rsa(Box::new(
                RsaPrivateKey::new(&mut OsRng, MIN_RSA_BITS)
                    .map_err(|e| format!("RSA key generation failed: {e}"))?,
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

/// A decrypted JWE: its protected header and plaintext.
#[derive(Debug)]
pub struct Decrypted {
    pub header: Value,
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
    let agreed = |z: &[u8]| -> Result<[u8; 32], String> {
        let derived = agreed_key(z, alg);
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

#[cfg(test)]
mod tests {
    use super::*;

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
