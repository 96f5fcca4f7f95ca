//! The `vouch` command line. Exit status: 0 success, 1 a check failed (violations, lint
//! failures), 2 the command could not run (bad arguments, unreadable files).

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) if !e.use_stderr() => {
            // --help and --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // One line, naming the flag; `vouch --help` has the rest.
            let text = e.to_string();
            let first = text.lines().next().unwrap_or_default();
            eprintln!("vouch: {first}");
            return ExitCode::from(2);
        }
    };
    match cli::run(args) {
        Ok(outcome) => outcome.into(),
        Err(e) => {
            eprintln!("vouch: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
