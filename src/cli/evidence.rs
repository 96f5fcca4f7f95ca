//! `vouch evidence`: every vendor-published payload of the corpus against the contracts, with
//! per API `accepted/total` and every rejection (see [`vouch::evidence`]).

use super::Outcome;
use anyhow::Context;
use std::path::{Path, PathBuf};
use vouch::contract::ContractSet;
use vouch::evidence::{self, Check, Corpus};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The corpus directory (with manifest.json and expected-failures.txt).
    #[arg(long, value_name = "DIR", default_value = evidence::DEFAULT_DIR)]
    dir: PathBuf,
    /// Only this API's payloads (repeatable).
    #[arg(long = "api")]
    apis: Vec<String>,
    /// Fail on a payload rejected only by our choices (unconfirmed findings) too.
    #[arg(long, env = "VOUCH_STRICT")]
    strict: bool,
}

/// Exit 0 when every payload is accepted or rejected only as expected and no expected failure
/// is stale; 1 otherwise; 2 (an error) for a corpus that cannot be read.
pub(super) fn run(contracts: &ContractSet, args: &Args) -> anyhow::Result<Outcome> {
    let result = check(contracts, &args.dir, &args.apis)?;
    print!("{}", evidence::render(&result));
    Ok(if result.passed_strict(args.strict) {
        Outcome::Passed
    } else {
        Outcome::Failed
    })
}

/// Loads and checks a corpus; errors name the file and field at fault.
pub(super) fn check(contracts: &ContractSet, dir: &Path, apis: &[String]) -> anyhow::Result<Check> {
    for api in apis {
        contracts.get(api).context("--api")?;
    }
    let corpus = Corpus::load(dir)?;
    Ok(evidence::check(contracts, &corpus, apis)?)
}

/// The corpus `vouch contracts` and `vouch run` report on when not told: the repository's own,
/// when the working directory has one.
pub(super) fn default_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(evidence::DEFAULT_DIR);
    dir.join(evidence::MANIFEST).is_file().then_some(dir)
}
