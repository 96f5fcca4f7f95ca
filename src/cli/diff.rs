//! `vouch diff BASELINE CURRENT`: the regression gate between two runs' reports (report.json
//! files or report directories). Exit 1 on a regression or lost coverage not `--allow`ed.

use super::Outcome;
use std::path::PathBuf;
use vouch::report;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The baseline report (a report.json or a report directory).
    pub baseline: PathBuf,
    /// The current report (a report.json or a report directory).
    pub current: PathBuf,
    /// An expected change, by the name `vouch diff` prints (a scenario `path: name` or
    /// coverage `api operation status`); repeatable.
    #[arg(long = "allow", value_name = "NAME")]
    pub allow: Vec<String>,
    /// A new unconfirmed finding (a violation of our choice) fails the gate too.
    #[arg(long)]
    pub strict: bool,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Outcome> {
    let baseline = report::read(&args.baseline).map_err(anyhow::Error::msg)?;
    let current = report::read(&args.current).map_err(anyhow::Error::msg)?;
    let diff = vouch::gate::diff(&baseline, &current, &args.allow);
    print!("{}", diff.render());
    Ok(if diff.fails_strict(args.strict) {
        println!("vouch diff: regression (exit 1)");
        Outcome::Failed
    } else {
        Outcome::Passed
    })
}
