//! vouch's JWE decryptor against the RFCs' published vectors (`tests/jwe/rfc-vectors.json`,
//! each with its source and what it checks). No RFC 7520 § 5 example uses a combination vouch
//! implements, so each applicable example is checked for what it shares with vouch, and the
//! rest through JWEs built here from the RFC's own keys and secrets (never from values vouch
//! computed): the RFC fixes the key agreement, vouch's `decrypt` has to reach it.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::{Value, json};
use vouch::jose::{PrivateKey, concat_kdf, decrypt};

fn vectors() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/jwe/rfc-vectors.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("the vectors")).expect("JSON")
}

fn b64(v: &Value) -> Vec<u8> {
    B64.decode(v.as_str().expect("a base64url string"))
        .expect("base64url")
}

fn hex(v: &Value) -> Vec<u8> {
    let text = v.as_str().expect("a hex string");
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

fn plaintext(all: &Value) -> Vec<u8> {
    all["plaintext"]["text"]
        .as_str()
        .expect("the plaintext")
        .as_bytes()
        .to_vec()
}

/// AES-256-GCM as JWE uses it (RFC 7516 § 5.1): returns (ciphertext, tag).
fn seal(cek: &[u8], iv: &[u8], plaintext: &[u8], protected_b64u: &str) -> (Vec<u8>, Vec<u8>) {
    let mut sealed = Aes256Gcm::new_from_slice(cek)
        .expect("a 256-bit key")
        .encrypt(
            Nonce::from_slice(iv),
            Payload {
                msg: plaintext,
                aad: protected_b64u.as_bytes(),
            },
        )
        .expect("encrypts");
    let tag = sealed.split_off(sealed.len() - 16);
    (sealed, tag)
}

/// A compact JWE from its parts.
fn compact(header: &Value, encrypted_key: &[u8], iv: &[u8], cek: &[u8], plain: &[u8]) -> String {
    let protected = B64.encode(header.to_string());
    let (ciphertext, tag) = seal(cek, iv, plain, &protected);
    [
        protected,
        B64.encode(encrypted_key),
        B64.encode(iv),
        B64.encode(ciphertext),
        B64.encode(tag),
    ]
    .join(".")
}

fn p256_key(jwk: &Value) -> p256::SecretKey {
    p256::SecretKey::from_slice(&b64(&jwk["d"])).expect("a P-256 private key")
}

fn p256_public(jwk: &Value) -> p256::PublicKey {
    let mut sec1 = vec![4u8];
    sec1.extend(b64(&jwk["x"]));
    sec1.extend(b64(&jwk["y"]));
    p256::PublicKey::from_sec1_bytes(&sec1).expect("a point on P-256")
}

fn p256_z(private: &Value, public: &Value) -> Vec<u8> {
    p256::ecdh::diffie_hellman(
        p256_key(private).to_nonzero_scalar(),
        p256_public(public).as_affine(),
    )
    .raw_secret_bytes()
    .to_vec()
}

/// The public half of an EC JWK.
fn public_half(jwk: &Value) -> Value {
    json!({"kty": jwk["kty"], "crv": jwk["crv"], "x": jwk["x"], "y": jwk["y"]})
}

#[test]
fn rfc7520_5_2_rsa_oaep_with_a256gcm() {
    use rsa::{BigUint, Oaep, RsaPrivateKey};
    let all = vectors();
    let v = &all["rfc7520_5_2"];
    let plain = plaintext(&all);
    let jwk = &v["key"];
    let uint = |m: &str| BigUint::from_bytes_be(&b64(&jwk[m]));
    let key =
        RsaPrivateKey::from_components(uint("n"), uint("e"), uint("d"), vec![uint("p"), uint("q")])
            .expect("the RFC's RSA key");
    let private = PrivateKey::Rsa(Box::new(key.clone()));

    // RSA-OAEP is SHA-1 OAEP: refused by name, not misread as RSA-OAEP-256.
    let refused = decrypt(&private, v["compact"].as_str().unwrap())
        .unwrap_err()
        .to_string();
    assert!(refused.contains("\"RSA-OAEP\""), "{refused}");

    // The content layer: first reproduce the RFC's ciphertext and tag, so the parts are right...
    let (cek, iv) = (b64(&v["cek"]), b64(&v["iv"]));
    let rfc_protected = v["protected_b64u"].as_str().unwrap();
    let (ciphertext, tag) = seal(&cek, &iv, &plain, rfc_protected);
    assert_eq!(
        ciphertext,
        b64(&v["ciphertext"]),
        "RFC 7520 § 5.2 ciphertext"
    );
    assert_eq!(tag, b64(&v["tag"]), "RFC 7520 § 5.2 tag");
    // ... then the same CEK and IV wrapped with RSA-OAEP-256 to the RFC's key.
    let wrapped = key
        .to_public_key()
        .encrypt(&mut rand_core::OsRng, Oaep::new::<sha2::Sha256>(), &cek)
        .expect("wraps");
    let header = json!({"alg": "RSA-OAEP-256", "kid": jwk["kid"], "enc": "A256GCM"});
    let jwe = compact(&header, &wrapped, &iv, &cek, &plain);
    assert_eq!(
        jwe.split('.').nth(3),
        v["ciphertext"].as_str(),
        "GCM's ciphertext does not depend on the header"
    );
    let opened = decrypt(&private, &jwe).expect("vouch decrypts it");
    assert_eq!(opened.plaintext, plain);
    assert_eq!(opened.header["kid"], jwk["kid"]);
}

#[test]
fn rfc7520_5_4_ecdh_es_a128kw_on_p384_is_refused_by_name() {
    let all = vectors();
    let v = &all["rfc7520_5_4"];
    let key = PrivateKey::P256(p256::SecretKey::random(&mut rand_core::OsRng));
    let refused = decrypt(&key, v["compact"].as_str().unwrap())
        .unwrap_err()
        .to_string();
    assert!(refused.contains("\"A128GCM\""), "{refused}");
}

#[test]
fn rfc7520_5_5_ecdh_es_on_p256() {
    let all = vectors();
    let v = &all["rfc7520_5_5"];
    let plain = plaintext(&all);
    let (key, epk) = (&v["key"], &v["epk"]);
    let private = PrivateKey::P256(p256_key(key));

    // The JWE itself: its enc is not vouch's, and is named.
    let refused = decrypt(&private, v["compact"].as_str().unwrap())
        .unwrap_err()
        .to_string();
    assert!(refused.contains("\"A128CBC-HS256\""), "{refused}");

    // The key agreement: both sides reach one Z, and vouch's Concat KDF makes the RFC's CEK.
    let z = p256_z(key, epk);
    assert_eq!(z, p256_z(epk, key), "ECDH of the RFC's two keys");
    let cek = concat_kdf(&z, "A128CBC-HS256", 256, b"", b"");
    assert_eq!(cek, b64(&v["cek"]), "RFC 7520 § 5.5 CEK");

    // vouch's decrypt reaches the same agreement from the RFC's ephemeral key, with A256GCM
    // (the RFC's 16-byte CBC IV cut to GCM's 12).
    let header =
        json!({"alg": "ECDH-ES", "kid": key["kid"], "epk": public_half(epk), "enc": "A256GCM"});
    let cek = concat_kdf(&z, "A256GCM", 256, b"", b"");
    let jwe = compact(&header, &[], &b64(&v["iv"])[..12], &cek, &plain);
    assert_eq!(decrypt(&private, &jwe).expect("decrypts").plaintext, plain);
}

#[test]
fn rfc7518_appendix_c_concat_kdf_with_party_info() {
    let all = vectors();
    let v = &all["rfc7518_appendix_c"];
    let plain = plaintext(&all);
    let (alice, bob) = (&v["alice_ephemeral"], &v["bob"]);
    let z: Vec<u8> = v["z"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap() as u8)
        .collect();
    assert_eq!(p256_z(bob, alice), z, "RFC 7518 Appendix C Z");
    let (apu, apv) = (b64(&v["apu"]), b64(&v["apv"]));
    assert_eq!(
        (apu.as_slice(), apv.as_slice()),
        (&b"Alice"[..], &b"Bob"[..])
    );
    let derived = concat_kdf(&z, v["enc"].as_str().unwrap(), 128, &apu, &apv);
    assert_eq!(derived, b64(&v["derived_key"]), "RFC 7518 Appendix C key");

    // A JWE whose header carries apu and apv: decrypt must feed them to the KDF.
    let header = json!({"alg": "ECDH-ES", "enc": "A256GCM", "apu": v["apu"], "apv": v["apv"],
                        "epk": public_half(alice)});
    let cek = concat_kdf(&z, "A256GCM", 256, &apu, &apv);
    let jwe = compact(&header, &[], &[7u8; 12], &cek, &plain);
    let private = PrivateKey::P256(p256_key(bob));
    assert_eq!(decrypt(&private, &jwe).expect("decrypts").plaintext, plain);
}

#[test]
fn rfc7748_x25519_agreement_in_ecdh_es_and_ecdh_es_a256kw() {
    let all = vectors();
    let v = &all["rfc7748_6_1"];
    let plain = plaintext(&all);
    let shared = hex(&v["shared"]);
    assert_eq!(
        B64.encode(hex(&v["alice_public"])),
        v["epk_x"].as_str().unwrap()
    );
    let bob: [u8; 32] = hex(&v["bob_private"]).try_into().unwrap();
    let bob = x25519_dalek::StaticSecret::from(bob);
    assert_eq!(
        x25519_dalek::PublicKey::from(&bob).as_bytes().to_vec(),
        hex(&v["bob_public"]),
        "RFC 7748 § 6.1 Bob's public key"
    );
    let private = PrivateKey::X25519(bob);
    let epk = json!({"kty": "OKP", "crv": "X25519", "x": v["epk_x"]});

    let header = json!({"alg": "ECDH-ES", "enc": "A256GCM", "epk": epk});
    let cek = concat_kdf(&shared, "A256GCM", 256, b"", b"");
    let jwe = compact(&header, &[], &[1u8; 12], &cek, &plain);
    assert_eq!(decrypt(&private, &jwe).expect("ECDH-ES").plaintext, plain);

    let header = json!({"alg": "ECDH-ES+A256KW", "enc": "A256GCM", "epk": epk});
    let kek: [u8; 32] = concat_kdf(&shared, "ECDH-ES+A256KW", 256, b"", b"")
        .try_into()
        .unwrap();
    let cek = [9u8; 32];
    let mut wrapped = [0u8; 40];
    aes_kw::KekAes256::from(kek)
        .wrap(&cek, &mut wrapped)
        .expect("wraps");
    let jwe = compact(&header, &wrapped, &[2u8; 12], &cek, &plain);
    assert_eq!(
        decrypt(&private, &jwe).expect("ECDH-ES+A256KW").plaintext,
        plain
    );
}
