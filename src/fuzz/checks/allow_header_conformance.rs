//! `allow_header_conformance`: an `Allow` header, wherever one is sent (a 405, an `OPTIONS`
//! answer), lists exactly the methods the contract documents for the path (`HEAD` and
//! `OPTIONS` aside, which servers add on their own), as Schemathesis' check of the same name.
//!
//! A client that reads `Allow` to find what it can do must not be sent to an undocumented
//! method, nor miss a documented one.

use super::{Check, CheckInput, Descriptor, FuzzCheck, Linked, Outcome};
use crate::fuzz::cases::documented_methods;

pub(crate) struct AllowHeaderConformance;

/// `--checks allow_header_conformance`.
pub(super) const CHECK: Check = Check(&Descriptor {
    name: "allow_header_conformance",
    short: "allow",
    help: "An Allow header lists exactly the methods documented for the path.",
    linked: Linked::AnyCase,
    rule: &AllowHeaderConformance,
});

impl FuzzCheck for AllowHeaderConformance {
    fn check(&self, input: &CheckInput<'_>) -> Option<Outcome> {
        let response = input.answer.ok()?;
        let allow: Vec<String> = response
            .headers
            .get_all(http::header::ALLOW)
            .iter()
            .flat_map(|v| {
                String::from_utf8_lossy(v.as_bytes())
                    .split(',')
                    .map(|m| m.trim().to_ascii_uppercase())
                    .collect::<Vec<_>>()
            })
            .filter(|m| !m.is_empty())
            .collect();
        if allow.is_empty() {
            return None;
        }
        let implicit = |m: &String| m == "HEAD" || m == "OPTIONS";
        let documented = documented_methods(input.contract, input.op);
        let missing: Vec<&String> = documented
            .iter()
            .filter(|m| !implicit(m) && !allow.contains(m))
            .collect();
        let undocumented: Vec<&String> = allow
            .iter()
            .filter(|m| !implicit(m) && !documented.contains(m))
            .collect();
        Some(if missing.is_empty() && undocumented.is_empty() {
            Ok(())
        } else {
            let list =
                |ms: &[&String]| ms.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ");
            let mut parts = Vec::new();
            if !missing.is_empty() {
                parts.push(format!("missing documented {}", list(&missing)));
            }
            if !undocumented.is_empty() {
                parts.push(format!("undocumented {} advertised", list(&undocumented)));
            }
            Err(format!(
                "{} {} answered `Allow: {}`, but {} documents {}: {}",
                input.case.method,
                input.op.path.as_str(),
                allow.join(", "),
                input.op.path.as_str(),
                documented.join(", "),
                parts.join("; ")
            )
            .into())
        })
    }
}
