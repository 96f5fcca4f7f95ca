//! `vouch contracts` and `vouch contracts lint`.

use super::Outcome;
use std::path::Path;
use vouch::contract::{ContractSet, lint};

/// Every API's operations and statuses; with a vendor-evidence corpus, also how many of its
/// payloads each contract accepts (`vouch evidence` lists them).
pub(crate) fn list(contracts: &ContractSet, evidence: Option<&Path>) -> anyhow::Result<Outcome> {
    let evidence = match evidence {
        Some(dir) => Some((dir, super::evidence::check(contracts, dir, &[])?)),
        None => None,
    };
    for contract in contracts.iter() {
        let ops = contract.operations();
        println!(
            "{} — {} {} ({} operations)",
            contract.api,
            contract.title,
            contract.version,
            ops.len()
        );
        if let Some((dir, check)) = &evidence
            && let Some(s) = check.summary(&contract.api)
        {
            println!(
                "  vendor evidence ({}): {}/{} accepted, {} rejected only as expected{}, {} rejected",
                dir.display(),
                s.accepted,
                s.total,
                s.expected_failures,
                vouch::evidence::unconfirmed(&s),
                s.rejected
            );
        }
        let rows: Vec<[String; 4]> = ops
            .iter()
            .map(|op| {
                let statuses: Vec<String> = op.statuses().iter().map(ToString::to_string).collect();
                let id = if op.deprecated {
                    format!("{} (deprecated)", op.id)
                } else {
                    op.id.clone()
                };
                [
                    id,
                    op.method.to_string(),
                    op.path.as_str().to_string(),
                    statuses.join(" "),
                ]
            })
            .collect();
        print!(
            "{}",
            table(["operationId", "method", "path", "statuses"], &rows)
        );
        println!();
    }
    Ok(Outcome::Passed)
}

pub(crate) fn lint(contracts: &ContractSet) -> anyhow::Result<Outcome> {
    let mut failed = 0;
    for contract in contracts.iter() {
        let report = lint::lint(contract);
        for failure in &report.failures {
            print!("{failure}");
        }
        let status = if report.failures.is_empty() {
            "ok"
        } else {
            "FAILED"
        };
        println!(
            "{}: {} examples checked, {} failed: {status}",
            contract.api,
            report.checked,
            report.failures.len()
        );
        failed += report.failures.len();
    }
    Ok(if failed == 0 {
        Outcome::Passed
    } else {
        Outcome::Failed
    })
}

/// A plain text table with left-aligned, space-padded columns.
pub(crate) fn table<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> String {
    let mut widths = header.map(str::len);
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        format!("  {}\n", padded.join("  ").trim_end())
    };
    let mut out = line(header.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}
