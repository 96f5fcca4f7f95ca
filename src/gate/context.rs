//! What the gate says before it compares: whether the two runs selected the same scenarios and
//! were checked against the same contracts (`report.json`'s `selection` and `contract_set`),
//! and each contract whose hash changed, reached by a scenario or not.

use super::Diff;
use crate::report::Report;
use std::collections::BTreeMap;

/// How the two runs compare.
pub(super) struct Compared {
    /// Both recorded their selection and it is the same, or one did not record it (an older
    /// report: compared as before, with a warning).
    pub(super) same_selection: bool,
}

/// Fills the diff's warnings and contract changes.
pub(super) fn compare(baseline: &Report, current: &Report, d: &mut Diff) -> Compared {
    let same_selection = match (&baseline.selection, &current.selection) {
        (Some(b), Some(c)) if b != c => {
            d.warnings.push(format!(
                "the runs selected different scenarios (baseline: {}; current: {}): only what both ran is compared",
                b.describe(),
                c.describe()
            ));
            false
        }
        (Some(_), Some(_)) => true,
        (b, c) => {
            for (which, missing) in [("baseline", b.is_none()), ("current", c.is_none())] {
                if missing {
                    d.warnings.push(format!(
                        "the {which} report records no selection (written by an older vouch): compared as if both runs selected the same scenarios"
                    ));
                }
            }
            true
        }
    };
    match (&baseline.contract_set, &current.contract_set) {
        (Some(b), Some(c)) => {
            if b.source != c.source {
                d.warnings.push(format!(
                    "the runs used different contracts (baseline: {}; current: {})",
                    b.source, c.source
                ));
            }
            let hashes = |r: &crate::report::ContractSetRecord| -> BTreeMap<String, String> {
                r.contracts
                    .iter()
                    .map(|h| (h.api.clone(), h.sha256.clone()))
                    .collect()
            };
            let (before, after) = (hashes(b), hashes(c));
            for (api, now) in &after {
                if let Some(was) = before.get(api).filter(|was| *was != now) {
                    d.contract_changes.push(format!(
                        "{api} contract changed (sha256 {} → {})",
                        short(was),
                        short(now)
                    ));
                }
            }
            if !d.contract_changes.is_empty() {
                d.warnings.push(format!(
                    "{} contract(s) changed between the runs: a difference below may come from the contract, not the target",
                    d.contract_changes.len()
                ));
            }
        }
        (b, c) => {
            for (which, missing) in [("baseline", b.is_none()), ("current", c.is_none())] {
                if missing {
                    d.warnings.push(format!(
                        "the {which} report records no contract hashes (written by an older vouch): a changed contract cannot be told"
                    ));
                }
            }
        }
    }
    Compared { same_selection }
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}
