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
            eprintln!("vouch: {}", one_line(&e.to_string()));
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

/// clap's error as one line, naming the flag; `vouch --help` has the rest. A first line that
/// ends in a colon (`the following required arguments were not provided:`) is followed by
/// what it announces, the indented lines after it, and then by the command's usage.
fn one_line(text: &str) -> String {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default().to_string();
    if !first.ends_with(':') {
        return first;
    }
    let listed: Vec<&str> = lines
        .by_ref()
        .take_while(|l| l.starts_with(char::is_whitespace) && !l.trim().is_empty())
        .map(str::trim)
        .collect();
    let usage = lines
        .find_map(|l| l.strip_prefix("Usage: "))
        .map(|u| format!(" (usage: {u})"))
        .unwrap_or_default();
    format!("{first} {}{usage}", listed.join(", "))
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
