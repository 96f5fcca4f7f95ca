//! What to run and where: a plain struct, so the library does not depend on how a program
//! takes its flags. `vouch run` and `cargo test --test conformance --` both fill it from the
//! same flags (`src/cli/run_flags.rs`).

use crate::targets::TargetKind;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// What to run and where.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Where requests go: the embedded mock, a running vouch mock ([`mock_url`](Self::mock_url)),
    /// or the vendors' sandboxes (credentials from `VOUCH_<API>_TOKEN` / `_API_KEY`).
    pub target: TargetKind,
    /// The running mock's root URL, for the `url` target.
    pub mock_url: Option<String>,
    /// Only these APIs (empty: all).
    pub apis: Vec<String>,
    /// A cucumber tag expression, e.g. `@peach and not @mock-only`.
    pub tags: Option<String>,
    /// Only scenarios whose name contains this text.
    pub name: Option<String>,
    /// A feature file or a directory of them: part of the built-in suite
    /// (`builtin:features/...`, the default being all of it, or a path below vouch's own
    /// checkout's `features/`), which runs alone, or the user's own, which [`suite`](Self::suite)
    /// adds to the built-ins or runs alone (`super::features`).
    pub features: PathBuf,
    /// Built-ins, the user's `features`, or both; `None`: `[run] suite` in the config file,
    /// else both.
    pub suite: Option<Suite>,
    /// Sandbox settings file (`[sandbox]` and `[sandbox.<api>]`).
    pub config: PathBuf,
    /// Run only the `@must-fail` scenarios (vouch's own self-test of its checks).
    pub must_fail: bool,
    /// Keep secrets and PII found in the run in the report (step text, messages); headers and
    /// bodies stay masked by member name. For local debugging only.
    pub no_redact: bool,
    /// A vendor-evidence corpus (`tests/vendor-evidence`) whose acceptance by each contract
    /// the report shows beside the conformance score; `None`: not checked.
    pub evidence: Option<PathBuf>,
    /// How many scenarios run at once. `None`: one per CPU on the embedded mock (each with a
    /// mock of its own) and on a `url` target (each in a namespace of its own on the running
    /// mock), `VOUCH_CONCURRENCY` on a sandbox.
    pub jobs: Option<usize>,
    /// A wait before each answer of the embedded mock, to see what a remote sandbox's round
    /// trips cost and what `jobs` saves.
    pub mock_latency: Option<crate::mock::Latency>,
    /// Only this slice of the selected scenarios (`--shard I/N`; see `vouch merge`).
    pub shard: Option<Shard>,
    /// With a shard: the key (`VOUCH_SCRUB_KEY`) under which the report keeps fingerprints of
    /// the values it scrubbed, so `vouch merge` scrubs them from every shard.
    pub scrub_key: Option<crate::redact::Secret>,
    /// Fail a step on a violation of our choice (an unconfirmed finding, `x-vouch-choice`) as
    /// on a vendor rule's, and the run on a vendor payload rejected only by a choice.
    pub strict: bool,
    /// With `--features path:line`: only the scenario (or Examples row) at that line.
    pub line: Option<usize>,
    /// How the run shows itself on standard output (see [`Output`]).
    pub output: Output,
    /// How many skipped scenarios fail the run (`--max-skipped`); `None`: only a run in which
    /// every selected scenario was skipped fails.
    pub max_skipped: Option<MaxSkipped>,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            target: TargetKind::Mock,
            mock_url: None,
            apis: Vec::new(),
            tags: None,
            name: None,
            features: PathBuf::from(BUILTIN),
            suite: None,
            config: PathBuf::from("vouch.toml"),
            must_fail: false,
            no_redact: false,
            evidence: None,
            jobs: None,
            mock_latency: None,
            shard: None,
            scrub_key: None,
            strict: false,
            line: None,
            output: Output::Ci,
            max_skipped: None,
        }
    }
}

/// How the built-in suite is named where it is not read from disk (`runner::features`), and
/// `--features`'s default.
pub const BUILTIN: &str = "builtin:features";

/// Which feature files a run takes (`--suite`, `VOUCH_SUITE`, `[run] suite` in `vouch.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suite {
    /// The built-in suite, plus the user's `--features` (the default).
    All,
    /// The built-in suite only.
    Builtin,
    /// The user's `--features` only.
    Mine,
}

impl Suite {
    /// The flag's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Suite::All => "all",
            Suite::Builtin => "builtin",
            Suite::Mine => "mine",
        }
    }
}

/// A `--suite` value that names no suite.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}`: expected builtin, mine or all")]
pub struct SuiteError(String);

impl FromStr for Suite {
    type Err = SuiteError;

    fn from_str(text: &str) -> Result<Self, SuiteError> {
        match text {
            "all" => Ok(Suite::All),
            "builtin" => Ok(Suite::Builtin),
            "mine" => Ok(Suite::Mine),
            _ => Err(SuiteError(text.into())),
        }
    }
}

/// How a run shows itself: cucumber's pretty output (every step), for a person at a terminal,
/// or for CI a line per feature, each failure once and the failed scenarios' `path:line`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Every feature, scenario and step as it runs (cucumber's own writer).
    Pretty,
    /// A progress line per feature, then the failures, grouped.
    Ci,
}

/// The most skipped scenarios a run may have (`--max-skipped N|P%`): a count, or a percentage
/// of the selected scenarios.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MaxSkipped {
    /// At most this many.
    Count(usize),
    /// At most this percentage (0 to 100) of the selected scenarios.
    Percent(f64),
}

impl MaxSkipped {
    /// Whether `skipped` of `selected` scenarios is more than this allows.
    pub fn exceeded(&self, skipped: usize, selected: usize) -> bool {
        match *self {
            MaxSkipped::Count(n) => skipped > n,
            MaxSkipped::Percent(p) => selected > 0 && skipped as f64 * 100.0 > p * selected as f64,
        }
    }
}

/// A `--output` or `--max-skipped` value that names nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OptionError {
    /// Not `pretty` or `ci`.
    #[error("`{0}`: expected pretty or ci")]
    Output(String),
    /// Neither a count nor a percentage from 0 to 100.
    #[error("`{0}`: expected a count or a percentage, e.g. 10 or 5%")]
    MaxSkipped(String),
}

impl FromStr for Output {
    type Err = OptionError;

    fn from_str(text: &str) -> Result<Self, OptionError> {
        match text {
            "pretty" => Ok(Output::Pretty),
            "ci" => Ok(Output::Ci),
            _ => Err(OptionError::Output(text.into())),
        }
    }
}

impl fmt::Display for MaxSkipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MaxSkipped::Count(n) => write!(f, "{n}"),
            MaxSkipped::Percent(p) => write!(f, "{p}%"),
        }
    }
}

impl FromStr for MaxSkipped {
    type Err = OptionError;

    fn from_str(text: &str) -> Result<Self, OptionError> {
        let bad = || OptionError::MaxSkipped(text.into());
        match text.trim().strip_suffix('%') {
            Some(p) => match p.trim().parse::<f64>() {
                Ok(p) if (0.0..=100.0).contains(&p) => Ok(MaxSkipped::Percent(p)),
                _ => Err(bad()),
            },
            None => text
                .trim()
                .parse()
                .map(MaxSkipped::Count)
                .map_err(|_| bad()),
        }
    }
}

/// `--features` as given: a path, or `path:line` naming one scenario (or Examples row) of a
/// feature file, as the failure list prints it. A path that exists as given is a path, even
/// when it ends in `:digits`.
pub fn features_at(text: &str) -> (PathBuf, Option<usize>) {
    if !std::path::Path::new(text).exists()
        && let Some((path, line)) = text.rsplit_once(':')
        && let Ok(line) = line.parse::<usize>()
    {
        return (PathBuf::from(path), Some(line));
    }
    (PathBuf::from(text), None)
}

// `--shard I/N` is parsed here, with the other options; which scenarios a shard takes is
// `shard`'s (which names this type, so the type lives below it).
/// One slice of a run: the `index`-th (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: usize,
    count: usize,
}

/// A `--shard` that names no slice of a run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShardError {
    /// An index outside 1..=count.
    #[error("{index}/{count}: expected I/N with 1 <= I <= N, e.g. 1/4")]
    OutOfRange {
        /// The index given.
        index: usize,
        /// The count given.
        count: usize,
    },
    /// Text that is not `I/N`.
    #[error("`{0}`: expected I/N, e.g. 1/4")]
    NotAShard(String),
}

impl Shard {
    /// The `index`-th (1-based) of `count` shards; `1 <= index <= count`.
    pub fn new(index: usize, count: usize) -> Result<Self, ShardError> {
        if count == 0 || index == 0 || index > count {
            return Err(ShardError::OutOfRange { index, count });
        }
        Ok(Self { index, count })
    }

    /// Which shard this is, from 1.
    pub fn index(&self) -> usize {
        self.index
    }

    /// How many shards there are.
    pub fn count(&self) -> usize {
        self.count
    }
}

impl FromStr for Shard {
    type Err = ShardError;

    fn from_str(text: &str) -> Result<Self, ShardError> {
        let parsed = text
            .split_once('/')
            .and_then(|(i, n)| Some((i.trim().parse().ok()?, n.trim().parse().ok()?)));
        match parsed {
            Some((index, count)) => Self::new(index, count),
            None => Err(ShardError::NotAShard(text.into())),
        }
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_skipped_takes_a_count_or_a_percentage() {
        assert_eq!("3".parse(), Ok(MaxSkipped::Count(3)));
        assert_eq!("5%".parse(), Ok(MaxSkipped::Percent(5.0)));
        for bad in ["", "x", "-1", "101%", "five%"] {
            let err = bad.parse::<MaxSkipped>().unwrap_err().to_string();
            assert!(err.contains("e.g. 10 or 5%"), "{bad}: {err}");
        }
        assert!(MaxSkipped::Count(2).exceeded(3, 10));
        assert!(!MaxSkipped::Count(3).exceeded(3, 10));
        assert!(MaxSkipped::Percent(10.0).exceeded(2, 10));
        assert!(!MaxSkipped::Percent(20.0).exceeded(2, 10));
    }

    #[test]
    fn features_may_name_a_line() {
        assert_eq!(
            features_at("no/such.feature:12"),
            (PathBuf::from("no/such.feature"), Some(12))
        );
        assert_eq!(features_at("features"), (PathBuf::from("features"), None));
        assert_eq!(features_at("a:b"), (PathBuf::from("a:b"), None));
    }
}
