//! The Concat KDF (NIST SP 800-56A, as RFC 7518 § 4.6.2 profiles it) and the keys ECDH-ES derives.

use super::*;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

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

pub(super) fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// The key an ECDH-ES variant derives (RFC 7518 § 4.6.2): for direct agreement the CEK itself
/// (AlgorithmID = `enc`), for key wrapping the KEK (AlgorithmID = `alg`). PartyUInfo and
/// PartyVInfo are the header's `apu` and `apv`, decoded (empty when absent).
pub(super) fn agreed_key(z: &[u8], alg: KeyAlg, apu: &[u8], apv: &[u8]) -> [u8; 32] {
    let id = match alg {
        KeyAlg::EcdhEs => ENC,
        _ => alg.name(),
    };
    let mut key = [0u8; 32];
    key.copy_from_slice(&concat_kdf(z, id, 256, apu, apv));
    key
}
