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
    /// A feature file or a directory of them.
    pub features: PathBuf,
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
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            target: TargetKind::Mock,
            mock_url: None,
            apis: Vec::new(),
            tags: None,
            name: None,
            features: PathBuf::from("features"),
            config: PathBuf::from("vouch.toml"),
            must_fail: false,
            no_redact: false,
            evidence: None,
            jobs: None,
            mock_latency: None,
            shard: None,
            scrub_key: None,
            strict: false,
        }
    }
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
