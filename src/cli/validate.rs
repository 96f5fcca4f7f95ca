//! `vouch validate`: one payload from a file against one operation's request or response.

use super::Outcome;
use anyhow::{Context, bail};
use std::path::PathBuf;
use vouch::contract::{ContractSet, violation};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The API: a contract name (`vouch contracts` lists them).
    #[arg(long)]
    api: String,
    /// The operation's operationId (see `vouch contracts`).
    #[arg(long)]
    operation: String,
    /// Validate the file as the request body.
    #[arg(
        long,
        conflicts_with = "response",
        required_unless_present = "response"
    )]
    request: bool,
    /// Validate the file as the body of a response with this status.
    #[arg(long, value_name = "STATUS", value_parser = clap::value_parser!(u16).range(100..=599))]
    response: Option<u16>,
    /// The JSON file to validate (`-` for standard input).
    file: PathBuf,
    /// Fail on a violation of our choice (an unconfirmed finding) too.
    #[arg(long, env = "VOUCH_STRICT")]
    strict: bool,
}

pub(crate) fn run(contracts: &ContractSet, args: &Args) -> anyhow::Result<Outcome> {
    let contract = contracts.get(&args.api).context("--api")?;
    let op = contract.operation(&args.operation).context("--operation")?;
    let text = if args.file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).context("reading standard input")?
    } else {
        std::fs::read_to_string(&args.file).with_context(|| format!("{}", args.file.display()))?
    };
    let value: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => bail!("{}: not valid JSON: {e}", args.file.display()),
    };
    let violations = contract.check_body(op, args.response, &value)?;
    let what = match args.response {
        Some(s) => format!("response {s}"),
        None => "request".to_string(),
    };
    if violations.is_empty() {
        println!(
            "{}: valid {} {} {what}",
            args.file.display(),
            contract.api,
            op.id
        );
        Ok(Outcome::Passed)
    } else {
        println!(
            "{}: {} violation(s) of {} {} {what}:",
            args.file.display(),
            violations.len(),
            contract.api,
            op.id
        );
        print!("{}", violation::render_sourced(&violations));
        let unconfirmed = violations.iter().filter(|v| v.is_unconfirmed()).count();
        if violation::fails(&violations, args.strict) {
            Ok(Outcome::Failed)
        } else {
            println!(
                "{unconfirmed} unconfirmed: only our choices are broken, no vendor rule (--strict fails on them)"
            );
            Ok(Outcome::Passed)
        }
    }
}
