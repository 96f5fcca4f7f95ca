//! The `vouch` command line. Exit status: 0 success, 1 a check failed (violations, lint
//! failures), 2 the command could not run (bad arguments, unreadable files).

mod cli;

/// mimalloc rather than the system allocator: the mock allocates a little on every request from
/// two threads, and glibc's malloc and its consolidation were a seventh of the mock's time under
/// `vouch bench` (issue #16's throughput goals).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    quiet_on_closed_stdout();
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

/// `vouch contracts | head`: once the reader has gone, `println!` panics ("failed printing to
/// stdout: Broken pipe"). A closed stdout means the reader has all it wanted, so vouch ends
/// there, quietly and successfully, as `cat` or `grep` would. (Rust ignores SIGPIPE, and the
/// crate forbids the `unsafe` it takes to restore it.) Every other panic is reported as usual.
fn quiet_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}
