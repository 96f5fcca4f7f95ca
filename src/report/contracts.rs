//! What a report records of the contracts it was checked against: their source (`built-in`,
//! or the `--contracts` directory) and a SHA-256 of each, so `vouch diff` can tell that a
//! contract changed even where no scenario reached the change (issue #25).

use super::model::{ContractHash, ContractSetRecord};
use crate::contract::ContractSet;
use sha2::{Digest, Sha256};

/// The origin prefix of the contracts compiled into vouch (`embedded:contracts/<api>.yaml`).
const EMBEDDED_ORIGIN: &str = "embedded:";

/// The record of the contracts of `apis` (every contract when empty).
pub fn contract_set_record(contracts: &ContractSet, apis: &[String]) -> ContractSetRecord {
    let selected: Vec<_> = contracts
        .iter()
        .filter(|c| apis.is_empty() || apis.contains(&c.api))
        .collect();
    let source = match selected.first() {
        Some(c) if !c.origin.starts_with(EMBEDDED_ORIGIN) => std::path::Path::new(&c.origin)
            .parent()
            .map_or(c.origin.clone(), |d| d.display().to_string()),
        _ => "built-in".to_string(),
    };
    let hashes: Vec<ContractHash> = selected
        .iter()
        .map(|c| ContractHash {
            api: c.api.clone(),
            // The parsed document, so a comment or re-indentation is no change; serde_json
            // writes object members in one order for one document.
            sha256: hex(&Sha256::digest(c.document().to_string().as_bytes())),
        })
        .collect();
    let mut all = Sha256::new();
    for h in &hashes {
        all.update(format!("{} {}\n", h.api, h.sha256).as_bytes());
    }
    ContractSetRecord {
        source,
        sha256: hex(&all.finalize()),
        contracts: hashes,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::Contract;

    const DOC: &str = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n";

    #[test]
    fn a_changed_contract_changes_its_hash_and_the_sets() {
        let set = |text: &str, origin: &str| {
            ContractSet::new(vec![Contract::from_yaml("t", text, origin).unwrap()])
        };
        let built_in = contract_set_record(&set(DOC, "embedded:contracts/t.yaml"), &[]);
        assert_eq!(built_in.source, "built-in");
        assert_eq!(built_in.contracts[0].sha256.len(), 64);
        let commented = contract_set_record(&set(&format!("# a note\n{DOC}"), "/x/t.yaml"), &[]);
        assert_eq!(commented.source, "/x");
        assert_eq!(
            commented.sha256, built_in.sha256,
            "a comment changes no rule"
        );
        let edited = contract_set_record(&set(&DOC.replace("'1'", "'2'"), "/x/t.yaml"), &[]);
        assert_ne!(edited.contracts[0].sha256, built_in.contracts[0].sha256);
        assert_ne!(edited.sha256, built_in.sha256);
    }
}
