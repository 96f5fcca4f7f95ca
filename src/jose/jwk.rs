//! Recipients' public keys as JWKs (RFC 7517): parsing and checking what a client sends.

use super::*;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use rsa::{BigUint, RsaPublicKey};
use serde_json::{Map, Value};

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
