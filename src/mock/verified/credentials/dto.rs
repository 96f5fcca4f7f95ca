//! A credential as the answers write it, straight from the network's own record: CredentialDto
//! (§ Issue Credentials, § Patch Credential, § Get Credential, the user credentials) and
//! Credential (§ Get Shared Credentials). One writer for both the JSON tree other answers
//! embed ([`NetCredential::dto`]) and the bytes a GET sends (issue #24: reading a credential
//! no longer builds a tree only to write it).

use super::NetCredential;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// CredentialDto: as recorded, a composite's children are CredentialDtos themselves, and the
/// answers other than the also carry `createdAt` / `updatedAt` (`stamped`).
pub(crate) struct Dto<'a> {
    pub credential: &'a NetCredential,
    pub stamped: bool,
}

/// Credential (§ Get Shared Credentials): "plaintext user data"; a composite's data is its
/// child Credentials (those asked for). The page's `issuer` and, as recorded, `issuerUuid`
/// (both the issuing brand's uuid), the recorded members and `createdAt` / `updatedAt`.
pub(crate) struct Shared<'a> {
    pub credential: &'a NetCredential,
    pub children: &'a [&'a NetCredential],
}

/// A time as the recordings write it: milliseconds as a digit string.
struct Millis(i64);

impl Serialize for Millis {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Digits from a stack buffer, not through the formatter: three per credential answered
        // (issue #24).
        s.serialize_str(itoa::Buffer::new().format(self.0))
    }
}

/// The members every recorded credential carries besides its data (contracts/NOTES.md §
/// Vendor evidence: the Postman export's recordings of 2023): the issuing brand as
/// `issuerUuid`, `status`, `verificationMethod`, and the times as digit strings of
/// milliseconds, `expirationDate` null when the credential does not expire.
fn recorded_members<M: SerializeMap>(map: &mut M, c: &NetCredential) -> Result<(), M::Error> {
    map.serialize_entry("id", &c.id)?;
    map.serialize_entry("type", &c.ty)?;
    map.serialize_entry("issuanceDate", &Millis(c.issued_at))?;
    map.serialize_entry("expirationDate", &c.expires_at.map(Millis))?;
    map.serialize_entry("issuerUuid", &c.issuer)?;
    map.serialize_entry("status", c.status.as_str())?;
    map.serialize_entry("verificationMethod", &c.method)
}

impl Serialize for Dto<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (c, stamped) = (self.credential, self.stamped);
        let mut map = s.serialize_map(None)?;
        recorded_members(&mut map, c)?;
        // A composite's data as it was issued: the package's data map when it came as one,
        // else its children as a list.
        if c.is_composite() && c.data.is_empty() {
            let children: Vec<Dto<'_>> = c
                .children
                .iter()
                .map(|credential| Dto {
                    credential,
                    stamped,
                })
                .collect();
            map.serialize_entry("data", &children)?;
        } else {
            map.serialize_entry("data", &c.data)?;
        }
        if stamped {
            map.serialize_entry("createdAt", &Millis(c.issued_at))?;
            map.serialize_entry("updatedAt", &Millis(c.updated_at))?;
        }
        map.end()
    }
}

impl Serialize for Shared<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.credential;
        let mut map = s.serialize_map(None)?;
        recorded_members(&mut map, c)?;
        map.serialize_entry("issuer", &c.issuer)?;
        map.serialize_entry("createdAt", &Millis(c.issued_at))?;
        map.serialize_entry("updatedAt", &Millis(c.updated_at))?;
        if c.is_composite() && c.data.is_empty() {
            let children: Vec<Shared<'_>> = self
                .children
                .iter()
                .map(|credential| Shared {
                    credential,
                    children: &[],
                })
                .collect();
            map.serialize_entry("data", &children)?;
        } else {
            map.serialize_entry("data", &c.data)?;
        }
        map.end()
    }
}
