//! Encrypted verifications (§ EncryptedVerifications > createEncryptedVerification,
//! getEncryptedVerification; § Models > EncryptedVerificationRequest, EncryptedVerificationResponse)
//! and the encrypted document (getEncryptedDocument, EncryptedDocumentResponse: only in the
//! vendor's OpenAPI, contracts/NOTES.md § Vendor evidence (issue #14) › Trusona).
//!
//! `publicWebKey` "Must be one of RSA, EC or OKP (crv=X25519) type in JWK format"; the answer's
//! `encryptedVerification` is a compact JWE of the VerificationResponse JSON, `enc` A256GCM and
//! `alg` RSA-OAEP-256 for RSA keys (the page's example header
//! `{"alg":"RSA-OAEP-256","enc":"A256GCM"}`), ECDH-ES for EC P-256 and X25519 keys, or
//! ECDH-ES+A256KW when the JWK's `alg` asks for it (the crypto is in [`crate::jose`]).

use super::super::api::{MockError, MockRequest, MockResponse};
use super::super::clock::Instant;
use super::documents;
use super::entities::Verification;
use super::verifications;
use super::{Account, not_found};
use crate::jose::{self, JwkError, KeyAlg, PublicJwk};
use serde_json::{Value, json};

/// § EncryptedVerifications > createEncryptedVerification 400.
pub(super) const KEY_TYPE_MESSAGE: &str =
    "Must be one of RSA, EC or OKP (crv=X25519) type in JWK format";

/// The recipient key and algorithm. Wrong key types, private keys and malformed JWKs get the
/// documented 400; a well-formed key of an accepted type the mock cannot use (another EC
/// curve, a short RSA modulus, `use` other than `enc`, an `alg` it does not implement) gets
/// 422 "Unprocessable entity - validation failed".
fn recipient(jwk: Option<&Value>) -> Result<(PublicJwk, KeyAlg), MockError> {
    let refuse = |e: JwkError| match e {
        JwkError::Unusable(why) => MockError::new(422, format!("Validation failed: {why}")),
        _ => MockError::new(400, KEY_TYPE_MESSAGE),
    };
    let jwk = jwk.ok_or_else(|| MockError::new(400, KEY_TYPE_MESSAGE))?;
    let key = jose::parse_public_jwk(jwk).map_err(refuse)?;
    let alg = key.key_alg().map_err(refuse)?;
    // A trial agreement catches keys that parse but cannot agree a secret (a low-order X25519
    // point), before anything is stored.
    jose::encrypt(&key, alg, b"{}").map_err(refuse)?;
    Ok((key, alg))
}

/// A compact JWE of `plaintext` to the key `verification` was created with.
fn seal(verification: &Verification, plaintext: &Value) -> Result<String, MockError> {
    let (key, alg) = recipient(verification.public_web_key.as_ref())?;
    jose::encrypt(&key, alg, plaintext.to_string().as_bytes())
        .map_err(|e| MockError::new(422, format!("Validation failed: {e}")))
}

fn encrypted(verification: &Verification, now: Instant) -> Result<MockResponse, MockError> {
    let jwe = seal(verification, &verification.to_json(now))?;
    Ok(MockResponse::json(
        200,
        json!({
            "id": verification.id,
            "overallRisk": verification.overall_risk(),
            "encryptedVerification": jwe,
        }),
    ))
}

/// § EncryptedVerifications > createEncryptedVerification: 201 with `{id, overallRisk,
/// encryptedVerification}`. The verification is an ordinary one besides (its link, messages,
/// document and the plain reads all work).
pub(super) fn create(
    account: &mut Account,
    request: &MockRequest,
) -> Result<MockResponse, MockError> {
    let key = request
        .body
        .json()
        .and_then(|b| b.get("publicWebKey"))
        .cloned();
    recipient(key.as_ref())?;
    verifications::open(
        account,
        request,
        |v| {
            v.public_web_key = key;
            Ok(())
        },
        |v| {
            let mut response = encrypted(v, request.now)?;
            response.status = http::StatusCode::CREATED;
            Ok(response)
        },
    )
}

/// § EncryptedVerifications > getEncryptedVerification: the verification's current state,
/// encrypted afresh to the key it was created with. A verification created without a key is
/// "Verification not found" here.
pub(super) fn get(account: &mut Account, request: &MockRequest) -> Result<MockResponse, MockError> {
    let v = encrypted_verification(account, request)?;
    encrypted(v, request.now)
}

/// The verification named by the path, if it is an encrypted one: a verification created
/// without a key is "Verification not found" on the encrypted paths.
fn encrypted_verification<'a>(
    account: &'a mut Account,
    request: &MockRequest,
) -> Result<&'a mut Verification, MockError> {
    let v = account.verification(request)?;
    if v.public_web_key.is_none() {
        return Err(not_found());
    }
    Ok(v)
}

/// getEncryptedDocument (vendor OpenAPI `/api/v1/encrypted/verifications/{verificationId}/document`:
/// "Get the verification's document and return it encrypted with the same public key provided
/// when the verification was created"): 200 `{verificationId, encryptedDocument}`, the JWE of the
/// `{UNMASKED, MASKED}` document getDocument answers; its 404 (not an encrypted verification,
/// or no document yet) and 410 (review access expired) as getDocument's.
pub(super) fn document(
    account: &mut Account,
    request: &MockRequest,
) -> Result<MockResponse, MockError> {
    let v = encrypted_verification(account, request)?;
    let scan = documents::available(v, request.now, "document")?;
    let jwe = seal(v, &scan.document())?;
    Ok(MockResponse::json(
        200,
        json!({"verificationId": v.id, "encryptedDocument": jwe}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::{KeyKind, KeyPair};

    #[test]
    fn key_refusals_have_the_documented_status() {
        let status = |jwk: Value| recipient(Some(&jwk)).err().map(|e| e.status);
        assert_eq!(status(json!({"kty": "oct", "k": "AAAA"})), Some(400));
        assert_eq!(
            status(
                KeyPair::generate(KeyKind::X25519, "k")
                    .unwrap()
                    .private_jwk()
            ),
            Some(400)
        );
        assert_eq!(
            status(json!({"kty": "EC", "crv": "P-521", "x": "AA", "y": "AA"})),
            Some(422)
        );
        assert_eq!(
            status(
                json!({"kty": "OKP", "crv": "X25519", "x": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
            ),
            Some(400)
        );
        assert_eq!(recipient(None).unwrap_err().message, KEY_TYPE_MESSAGE);
        assert_eq!(
            status(KeyPair::generate(KeyKind::P256, "k").unwrap().public_jwk()),
            None
        );
    }
}
