//! `vouch run`: the nightly / CI entry point. The feature runner, targets and reports arrive
//! with their own issues; until then `run` checks what exists: every contract loads, compiles
//! and its examples validate.

use super::Outcome;
use vouch::contract::{ContractSet, lint};

pub fn run(contracts: &ContractSet) -> anyhow::Result<Outcome> {
    println!("vouch run: checking contracts (features, targets and reports are not built yet)");
    let (mut passed, mut failed) = (0, 0);
    for contract in contracts.iter() {
        let report = lint::lint(contract);
        for failure in &report.failures {
            print!("{failure}");
        }
        println!(
            "  {:<10} {:>3} operations, {:>3} schemas compiled, {:>3} examples valid, {} invalid",
            contract.api,
            contract.operations().len(),
            contract.schemas().compiled(),
            report.checked - report.failures.len(),
            report.failures.len()
        );
        if report.failures.is_empty() {
            passed += 1;
        } else {
            failed += 1;
        }
    }
    println!("contracts: {passed} passed, {failed} failed");
    Ok(if failed == 0 {
        Outcome::Passed
    } else {
        Outcome::Failed
    })
}
