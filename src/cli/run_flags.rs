//! The flags that choose what a run runs and where, shared by `vouch run`, `vouch fuzz`,
//! `vouch proxy` and `cargo test --test conformance --` (which includes this file), so they
//! cannot drift apart. They fill the library's plain [`RunOptions`].

use std::path::PathBuf;
use vouch::runner::RunOptions;
use vouch::targets::TargetKind;

/// What to run and where.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct RunFlags {
    /// Where requests go: the embedded mock, a running vouch mock (`VOUCH_MOCK_URL`), or the
    /// vendors' sandboxes (credentials from `VOUCH_<API>_TOKEN` / `_API_KEY`).
    #[arg(long, env = "VOUCH_TARGET", default_value = "mock")]
    pub target: TargetKind,
    /// The running mock's root URL, for `--target url`.
    #[arg(long, env = "VOUCH_MOCK_URL")]
    pub mock_url: Option<String>,
    /// Only these APIs (repeatable).
    #[arg(long = "api")]
    pub apis: Vec<String>,
    /// A cucumber tag expression, e.g. `@peach and not @mock-only`.
    #[arg(long)]
    pub tags: Option<String>,
    /// Only scenarios whose name contains this text.
    #[arg(long)]
    pub name: Option<String>,
    /// Your feature files (a file or a directory), run beside the built-in suite (see
    /// `--suite`); a part of the built-in suite (`builtin:features/peach`, or in vouch's own
    /// checkout `features/peach`) runs alone. `path:line` runs only the scenario (or the
    /// Examples row of an outline) at that line, as a run's failure list prints it
    /// [default: builtin:features, the built-in suite; or `[run] features` in vouch.toml].
    #[arg(long, value_name = "PATH[:LINE]")]
    pub features: Option<String>,
    /// Which feature files run: `all` (the built-in suite and your `--features`), `builtin`
    /// (the built-in suite only) or `mine` (your `--features` only) [default: `[run] suite`
    /// in vouch.toml, else all].
    #[arg(long, env = "VOUCH_SUITE", value_name = "builtin|mine|all")]
    pub suite: Option<vouch::runner::Suite>,
    /// Settings file: `[run]` (`suite`, `features`), `[sandbox]` and `[sandbox.<api>]`.
    #[arg(long, default_value = "vouch.toml")]
    pub config: PathBuf,
    /// Run only the `@must-fail` scenarios (vouch's own self-test of its checks).
    #[arg(long, hide = true)]
    pub must_fail: bool,
    /// Keep secrets and PII found in the run in the report (step text, messages); headers and
    /// bodies stay masked by member name. For local debugging only.
    #[arg(long)]
    pub no_redact: bool,
    /// The vendor-evidence corpus whose acceptance the report shows per API (default:
    /// tests/vendor-evidence when the working directory has one).
    #[arg(long, value_name = "DIR", env = "VOUCH_EVIDENCE")]
    pub evidence: Option<PathBuf>,
    /// How many scenarios run at once [default: one per CPU on the embedded mock, each with a
    /// mock of its own, and on a `url` target, each in a namespace of its own on the running
    /// mock; `VOUCH_CONCURRENCY` on a sandbox].
    /// `@serial` scenarios run alone.
    #[arg(long, env = "VOUCH_JOBS", value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
    /// A wait before each answer of the embedded mock, fixed (`200ms`) or uniform in a range
    /// (`100ms..300ms`): what a remote sandbox's round trips cost, and what `--jobs` saves.
    #[arg(long, value_name = "DURATION|MIN..MAX", value_parser = parse_latency)]
    pub mock_latency: Option<vouch::mock::Latency>,
    /// Fail on unconfirmed findings too: violations of a rule that is our choice
    /// (`x-vouch-choice`, contracts/NOTES.md § Choices), not a vendor's.
    #[arg(long, env = "VOUCH_STRICT")]
    pub strict: bool,
    /// Run only the I-th of N balanced, deterministic slices of the selected scenarios (e.g.
    /// one CI job each); `vouch merge` joins the shards' reports into one.
    #[arg(long, env = "VOUCH_SHARD", value_name = "I/N")]
    pub shard: Option<vouch::runner::Shard>,
    /// How the run shows itself: `pretty` (every step, cucumber's writer) or `ci` (a line per
    /// feature, then each failure once and the failed scenarios' `path:line`) [default:
    /// pretty when standard output is a terminal, else ci].
    #[arg(long, env = "VOUCH_OUTPUT", value_name = "pretty|ci")]
    pub output: Option<vouch::runner::Output>,
    /// Fail the run when more scenarios than this were skipped: a count (`0`) or a share of
    /// the selected scenarios (`5%`). Without it, only a run that skipped every selected
    /// scenario fails.
    #[arg(long, env = "VOUCH_MAX_SKIPPED", value_name = "N|P%")]
    pub max_skipped: Option<vouch::runner::MaxSkipped>,
}

/// `--latency` / `--mock-latency` for clap. A user boundary: the `String` is the message clap
/// shows after the flag's name, so it says what a valid value looks like.
pub(crate) fn parse_latency(text: &str) -> Result<vouch::mock::Latency, String> {
    text.parse()
        .map_err(|e| format!("{e} (expected e.g. 200ms or 100ms..300ms)"))
}

/// The key shards fingerprint scrubbed values under: from the environment only, as secrets are.
pub(crate) fn scrub_key() -> Option<vouch::redact::Secret> {
    let variable = vouch::report::SCRUB_KEY_VARIABLE;
    std::env::var(variable)
        .ok()
        .filter(|k| !k.is_empty())
        .map(|value| vouch::redact::Secret {
            value,
            hint: format!("${variable}"),
        })
}

impl RunFlags {
    /// The library's options.
    pub(crate) fn options(&self) -> RunOptions {
        use std::io::IsTerminal as _;
        let given = self.features.as_deref().unwrap_or(vouch::runner::BUILTIN);
        let (features, line) = vouch::runner::features_at(given);
        let output = self.output.unwrap_or(if std::io::stdout().is_terminal() {
            vouch::runner::Output::Pretty
        } else {
            vouch::runner::Output::Ci
        });
        RunOptions {
            target: self.target,
            mock_url: self.mock_url.clone(),
            apis: self.apis.clone(),
            tags: self.tags.clone(),
            name: self.name.clone(),
            features,
            suite: self.suite,
            line,
            output,
            max_skipped: self.max_skipped,
            config: self.config.clone(),
            must_fail: self.must_fail,
            no_redact: self.no_redact,
            evidence: self.evidence.clone().or_else(|| {
                let dir = PathBuf::from(vouch::evidence::DEFAULT_DIR);
                dir.join(vouch::evidence::MANIFEST).is_file().then_some(dir)
            }),
            jobs: self.jobs.map(usize::from),
            mock_latency: self.mock_latency,
            shard: self.shard,
            scrub_key: scrub_key(),
            strict: self.strict,
        }
    }
}
