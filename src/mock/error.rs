//! Why the mock cannot be set up, or refuses an admin request: typed, each with the message the
//! mock has always given (the admin API answers it in `{"error": ...}` with a 400; setting up,
//! it becomes [`crate::Error::Contract`] with origin `mock`).

use std::time::Duration;

/// Why the mock cannot be set up from its contracts and APIs, or add to them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SetupError {
    /// An API without a contract (a `--contracts` directory missing one).
    #[error(
        "no contract for `{api}`: the mock serves every API, so a --contracts directory needs \
         each API's contract (copy the others from contracts/)"
    )]
    NoContract {
        /// The API id.
        api: String,
    },
    /// APIs whose dispatch table is not their contract's operations.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Tables(Vec<TableMismatch>),
    /// A `--credential` for an API the mock does not serve.
    #[error("credential for unknown API `{api}`")]
    CredentialForUnknownApi {
        /// The API id given.
        api: String,
    },
    /// A tenant setting the API does not have ([`super::MockApi::tenant_settings`]).
    #[error("`{api}` tenants have no setting `{setting}` (they have: {known})")]
    UnknownSetting {
        /// The API id.
        api: String,
        /// The setting given.
        setting: String,
        /// The settings the API takes, comma-separated (`none` when it takes none).
        known: String,
    },
    /// A tenant (`POST /__admin/tenants`) for an API the mock does not serve.
    #[error("the mock does not serve `{api}`")]
    NotServed {
        /// The API id given.
        api: String,
    },
    /// A namespace of a mock whose API is not registered (a test's own mock).
    #[error("the mock of `{api}` is not a registered API, so it has no namespaces")]
    NotRegistered {
        /// The API id.
        api: String,
    },
}

/// An API's dispatch table against its contract.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the mock for `{api}` does not match its contract ({origin}): {}",
    self.problems().join("; ")
)]
pub struct TableMismatch {
    /// The API id.
    pub api: String,
    /// Where its contract came from.
    pub origin: String,
    /// Operations of the contract without a handler.
    pub missing: Vec<String>,
    /// Handlers for operations the contract does not have.
    pub stray: Vec<String>,
    /// Handlers listed twice.
    pub twice: Vec<String>,
}

impl TableMismatch {
    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !self.missing.is_empty() {
            problems.push(format!("no handler for {}", self.missing.join(", ")));
        }
        if !self.stray.is_empty() {
            problems.push(format!(
                "handlers for operations the contract does not have: {}",
                self.stray.join(", ")
            ));
        }
        if !self.twice.is_empty() {
            problems.push(format!("handlers listed twice: {}", self.twice.join(", ")));
        }
        problems
    }
}

/// Why there can be no namespace `/__ns/<name>/...` (answered 400).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NamespaceError {
    /// A name that is not 1 to `max` letters, digits, `-` or `_`.
    #[error("namespace name: 1 to {max} letters, digits, `-` or `_` (in /__ns/<name>/...)")]
    BadName {
        /// The longest name.
        max: usize,
    },
    /// The path below `/__ns/<name>` is not a valid path.
    #[error("the path below the namespace is not a valid path")]
    BadPath,
    /// The request's URI with the namespace taken off is not valid.
    #[error("the namespace's URI is not valid")]
    BadUri,
    /// `--max-namespaces 0`.
    #[error("this mock serves no namespaces (--max-namespaces 0)")]
    NoneServed,
    /// The namespace's copy of the mock cannot be made.
    #[error(transparent)]
    Setup(#[from] SetupError),
}

/// Why an injected fault's spec (`POST /__admin/faults`) is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FaultError {
    /// Both `operationId` and `path`.
    #[error("give `operationId` or `path`, not both")]
    Both,
    /// Neither `operationId` nor `path`.
    #[error("`operationId` or `path` is required")]
    Neither,
    /// A `path` that does not start with `/`.
    #[error("`path` must start with `/`")]
    RelativePath,
    /// No `status`, `delay_ms` or `fault`: the fault would do nothing.
    #[error("a fault needs at least one of `status`, `delay_ms`, `fault`")]
    NoEffect,
    /// A `status` outside 100..=599.
    #[error("`status` {0} is not an HTTP status")]
    NotAStatus(u16),
    /// `times: 0`.
    #[error("`times` must be at least 1")]
    NoTimes,
    /// A `delay_ms` over a minute.
    #[error("`delay_ms` is at most 60000")]
    TooLong,
}

/// Why the mock clock cannot advance (`POST /__admin/clock/advance`): it would pass the latest
/// date it can show.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`seconds`: {seconds} is out of range: the clock is at {now} and may advance at most \
     {left} seconds more (to {latest})"
)]
pub struct ClockError {
    /// The seconds asked for.
    pub seconds: u64,
    /// The clock's time (RFC 3339).
    pub now: String,
    /// The seconds it may still advance.
    pub left: i64,
    /// The latest time it can show (RFC 3339).
    pub latest: String,
}

/// Why a `--latency` is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LatencyError {
    /// A range whose start is after its end.
    #[error("the range starts after it ends ({}ms > {}ms)", .min.as_millis(), .max.as_millis())]
    Backwards {
        /// The range's start.
        min: Duration,
        /// Its end.
        max: Duration,
    },
    /// Longer than the most the mock waits (`MAX_LATENCY`).
    #[error("{}ms is longer than the most the mock waits, {}ms", .max.as_millis(), .limit.as_millis())]
    TooLong {
        /// The longest wait asked for.
        max: Duration,
        /// The most the mock waits.
        limit: Duration,
    },
    /// A duration without unit.
    #[error("`{0}` has no unit (ms, s or us)")]
    NoUnit(String),
    /// A duration that does not start with a whole number.
    #[error("`{0}` does not start with a whole number")]
    NotANumber(String),
    /// A unit other than ms, s, us.
    #[error("`{text}`: unit `{unit}` is not ms, s or us")]
    BadUnit {
        /// The duration as given.
        text: String,
        /// Its unit.
        unit: String,
    },
}
