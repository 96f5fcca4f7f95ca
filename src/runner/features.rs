//! Where a run's feature files come from: the **built-in suite** (the `features/` vouch was
//! built with, embedded by `build.rs`, so an installed `vouch run` works from any directory)
//! and the user's own (`--features PATH`), as [`Suite`] chooses.
//!
//! - The built-in suite is read from disk when the working directory is the crate the binary
//!   was built from (vouch's own checkout: developers edit `features/` and a run must see the
//!   edits), and from the embedded copy everywhere else. Embedded features are named
//!   `builtin:features/<api>/<file>.feature`, which `--features` accepts (with `:line`), so a
//!   report's `path:line` and a failure's rerun command work from any directory.
//! - `--features PATH` outside the built-in suite *adds* the user's files to it (`--suite all`,
//!   the default); `--suite mine` runs only theirs, `--suite builtin` only the built-ins.
//! - `--features` naming part of the built-in suite (`builtin:features/peach`, or a path below
//!   the checkout's `features/`) runs that part only, and `path:line` exactly one scenario,
//!   whatever the suite: a narrowing, never a second copy.
//! - `vouch.toml` may say the same (`[run] suite = "mine"`, `features = "my-features"`); the
//!   flags (and `VOUCH_SUITE`) win.

use super::RunOptions;
use super::options::{BUILTIN, Suite, SuiteError};
use crate::Error;
use cucumber::feature::Ext as _;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The built-in feature files: their paths below `features/` and their text (`build.rs`).
const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_features.rs"));

/// One place feature files are read from: a file or directory on disk, or a part of the
/// embedded suite (a path below `features/`; empty for all of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Root {
    Disk(PathBuf),
    Embedded(String),
}

/// `vouch.toml`'s `[run]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunConfig {
    suite: Option<String>,
    features: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
struct ConfigFile {
    #[serde(default)]
    run: RunConfig,
}

/// Reads `[run]` from the config file, if there is one (its other tables are the sandbox's).
fn run_config(path: &Path) -> Result<RunConfig, Error> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(RunConfig::default());
    };
    let file: ConfigFile = toml::from_str(&text).map_err(|e| Error::Config {
        path: format!("{} [run]", path.display()),
        message: e.message().to_string(),
    })?;
    Ok(file.run)
}

/// The crate the binary was built from: its `features/` is the built-in suite on disk.
fn crate_features() -> Option<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("features")
        .canonicalize()
        .ok()
}

/// The whole built-in suite: on disk when the working directory is vouch's own checkout,
/// else embedded.
fn builtin_whole() -> Root {
    let here = std::env::current_dir().and_then(|d| d.join("features").canonicalize());
    match (crate_features(), here) {
        (Some(built), Ok(here)) if built == here => Root::Disk(built),
        _ => Root::Embedded(String::new()),
    }
}

/// The part of the built-in suite `path` names (`builtin:features/...`, or on disk below the
/// checkout's `features/`), or `None` for a path of the user's.
fn builtin_part(path: &Path) -> Option<Root> {
    let text = path.to_str().unwrap_or_default();
    if let Some(rest) = text.strip_prefix(BUILTIN) {
        if !(rest.is_empty() || rest.starts_with('/')) {
            return None;
        }
        let rest = rest.trim_matches('/');
        return Some(match builtin_whole() {
            Root::Disk(root) => Root::Disk(root.join(rest)),
            Root::Embedded(_) => Root::Embedded(rest.to_string()),
        });
    }
    let (built, given) = (crate_features()?, path.canonicalize().ok()?);
    given.starts_with(&built).then_some(Root::Disk(given))
}

/// Whether `path` names (part of) the built-in suite.
pub fn is_builtin(path: &Path) -> bool {
    builtin_part(path).is_some()
}

/// The feature paths (embedded ones relative to `features/`) below `rel`.
fn embedded_below(rel: &str) -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    EMBEDDED.iter().filter(move |(path, _)| {
        rel.is_empty() || *path == rel || path.starts_with(&format!("{rel}/"))
    })
}

/// The places the run reads feature files from, in order (built-ins first), with the
/// `--features` path recorded for the report (`features` for the whole built-in suite).
pub(super) fn roots(options: &RunOptions) -> Result<(Vec<Root>, String), Error> {
    let config = run_config(&options.config)?;
    let suite = match (options.suite, &config.suite) {
        (Some(suite), _) => suite,
        (None, Some(text)) => text.parse().map_err(|e: SuiteError| Error::Config {
            path: format!("{} [run] suite", options.config.display()),
            message: e.to_string(),
        })?,
        (None, None) => Suite::All,
    };
    let given = match (&options.features, config.features) {
        // `--suite builtin` leaves out the features vouch.toml names (`--features` with it
        // is an error below: the flag says one thing and the suite another).
        (f, Some(theirs)) if f.as_os_str() == BUILTIN && suite != Suite::Builtin => options
            .config
            .parent()
            .unwrap_or(Path::new(""))
            .join(theirs),
        (f, _) => f.clone(),
    };
    let flag = |path: &Path| format!("--features {}", super::shown_path(path));
    if let Some(part) = builtin_part(&given) {
        if suite == Suite::Mine && given.as_os_str() == BUILTIN {
            return Err(Error::Config {
                path: "--suite mine".into(),
                message: "runs only your feature files: name them with --features PATH \
                          (or [run] features in vouch.toml)"
                    .into(),
            });
        }
        let exists = match &part {
            Root::Disk(path) => path.exists(),
            Root::Embedded(rel) => embedded_below(rel).next().is_some(),
        };
        if !exists {
            return Err(Error::Config {
                path: flag(&given),
                message: "no such built-in feature file or directory".into(),
            });
        }
        let whole = part == builtin_whole() || given.as_os_str() == BUILTIN;
        let recorded = if whole {
            "features".to_string()
        } else {
            super::shown_path(&given)
        };
        return Ok((vec![part], recorded));
    }
    if !given.exists() {
        return Err(Error::Config {
            path: format!("--features {}", given.display()),
            message: "no such feature file or directory".into(),
        });
    }
    if given.is_dir() && disk_files(&given).is_empty() {
        let shown = match super::shown_path(&given) {
            shown if shown.is_empty() => ".".to_string(),
            shown => shown,
        };
        return Err(Error::Config {
            path: format!("--features {shown}"),
            message: "holds no scenario (no .feature file)".into(),
        });
    }
    let recorded = super::shown_path(&given);
    let theirs = Root::Disk(given);
    Ok(match suite {
        // `path:line` reruns exactly one scenario of theirs.
        _ if options.line.is_some() => (vec![theirs], recorded),
        Suite::Mine => (vec![theirs], recorded),
        Suite::All => (vec![builtin_whole(), theirs], recorded),
        Suite::Builtin => {
            return Err(Error::Config {
                path: "--suite builtin".into(),
                message: format!(
                    "runs only the built-in suite, and --features {recorded} is not part of it \
                     (--suite all adds it)"
                ),
            });
        }
    })
}

/// What a run reads its features from, for its first line: `the built-in suite
/// (builtin:features) and my-features`; `--features` as given when it is not understood (the
/// run itself then names the problem).
pub fn describe(options: &RunOptions) -> String {
    let Ok((roots, _)) = roots(options) else {
        return options.features.display().to_string();
    };
    let shown: Vec<String> = roots
        .iter()
        .map(|root| match root {
            Root::Embedded(rel) if rel.is_empty() => format!("the built-in suite ({BUILTIN})"),
            Root::Embedded(rel) => format!("{BUILTIN}/{rel}"),
            Root::Disk(path) => match super::shown_path(path) {
                shown if shown.is_empty() => ".".to_string(),
                shown => shown,
            },
        })
        .collect();
    shown.join(" and ")
}

/// Every `*.feature` file at or below `path`, sorted (cucumber's own parser sorts too).
fn disk_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut found = Vec::new();
    let mut dirs = vec![path.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("feature"))
            {
                found.push(p);
            }
        }
    }
    found.sort();
    found
}

/// The text of a feature file a run read: an embedded one by its `builtin:features/...` name.
pub(super) fn text(path: &Path) -> Option<String> {
    let name = path.to_str()?;
    match name.strip_prefix(BUILTIN).and_then(|r| r.strip_prefix('/')) {
        Some(rel) => EMBEDDED
            .iter()
            .find(|(p, _)| *p == rel)
            .map(|(_, t)| t.to_string()),
        None => std::fs::read_to_string(path).ok(),
    }
}

/// Parses one feature file, its outlines expanded (as cucumber's own parser does).
fn parse(root: &Root) -> Vec<cucumber::parser::Result<cucumber::gherkin::Feature>> {
    use cucumber::gherkin::{Feature, GherkinEnv, ParseFileError};
    use cucumber::parser::Error as ParseError;
    use std::sync::Arc;
    let expand = |f: Feature| f.expand_examples().map_err(ParseError::from);
    match root {
        Root::Disk(path) => disk_files(path)
            .into_iter()
            .map(|file| {
                // Absolute, as cucumber's parser names files, so `shown_path` can shorten them.
                let file = file.canonicalize().unwrap_or(file);
                Feature::parse_path(&file, GherkinEnv::default())
                    .map_err(ParseError::from)
                    .and_then(expand)
            })
            .collect(),
        Root::Embedded(rel) => embedded_below(rel)
            .map(|(file, text)| {
                let name = PathBuf::from(format!("{BUILTIN}/{file}"));
                match Feature::parse(text, GherkinEnv::default()) {
                    Ok(mut feature) => {
                        feature.path = Some(name);
                        expand(feature)
                    }
                    Err(source) => Err(ParseError::Parsing(Arc::new(ParseFileError::Parsing {
                        path: name,
                        error: None,
                        source,
                    }))),
                }
            })
            .collect(),
    }
}

/// cucumber's [`Parser`](cucumber::Parser) over a run's [`Root`]s.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct SuiteParser;

impl cucumber::Parser<Vec<Root>> for SuiteParser {
    type Cli = cucumber::cli::Empty;
    type Output = futures::stream::Iter<
        std::vec::IntoIter<cucumber::parser::Result<cucumber::gherkin::Feature>>,
    >;

    fn parse(self, roots: Vec<Root>, _: Self::Cli) -> Self::Output {
        futures::stream::iter(roots.iter().flat_map(parse).collect::<Vec<_>>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_feature_file_is_embedded() {
        let on_disk = disk_files(&crate_features().unwrap()).len();
        assert!(on_disk > 40, "{on_disk}");
        assert_eq!(EMBEDDED.len(), on_disk);
        assert!(
            EMBEDDED
                .iter()
                .any(|(p, _)| *p == "peach/verification_types.feature")
        );
    }

    #[test]
    fn built_in_names_are_recognised_and_others_are_not() {
        assert!(is_builtin(Path::new("builtin:features")));
        assert!(is_builtin(Path::new("builtin:features/peach/x.feature")));
        assert!(!is_builtin(Path::new("builtin:featuresx")));
        assert!(is_builtin(&crate_features().unwrap().join("peach")));
        assert!(!is_builtin(Path::new("/tmp")));
        assert!(
            text(Path::new(
                "builtin:features/peach/verification_types.feature"
            ))
            .is_some()
        );
        assert_eq!("mine".parse::<Suite>(), Ok(Suite::Mine));
        assert!("theirs".parse::<Suite>().is_err());
    }
}
