//! `--shard I/N`: one of N slices of a run, for CI jobs that run at once on different machines
//! (`vouch merge` joins their reports). The slices are deterministic and balanced: the
//! scenarios the run selects (by `--tags`, `--name`, `--api`; before any target-dependent skip,
//! so every machine computes the same list) are sorted by feature path and position, and dealt
//! round-robin: shard I takes the I-th, the (I+N)-th, ... Together the N shards run exactly
//! the scenarios of one whole run.

use super::options::Shard;
use super::select::{Place, Selection, place};
use cucumber::Parser as _;
use futures::StreamExt as _;
use std::collections::HashSet;

/// The places of this shard's scenarios, read with the run's own parser (so outlines expand
/// as they do in the run).
pub(super) async fn members(
    shard: Shard,
    roots: Vec<super::features::Root>,
    selection: &Selection,
) -> HashSet<Place> {
    let parsed: Vec<_> = super::features::SuiteParser
        .parse(roots, Default::default())
        .collect()
        .await;
    let mut selected: Vec<Place> = Vec::new();
    for feature in parsed.iter().flatten() {
        for scenario in &feature.scenarios {
            if selection.selects(feature, None, scenario) {
                selected.push(place(feature, scenario));
            }
        }
        for rule in &feature.rules {
            for scenario in &rule.scenarios {
                if selection.selects(feature, Some(rule), scenario) {
                    selected.push(place(feature, scenario));
                }
            }
        }
    }
    selected.sort();
    selected
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % shard.count() == shard.index() - 1)
        .map(|(_, p)| p)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_bad_ones_are_explained() {
        let s: Shard = "2/4".parse().unwrap();
        assert_eq!((s.index(), s.count(), s.to_string()), (2, 4, "2/4".into()));
        for bad in ["0/4", "5/4", "1/0", "1", "a/b", "1/4/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
