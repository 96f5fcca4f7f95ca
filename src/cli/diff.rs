//! `vouch diff BASELINE CURRENT`: the regression gate between two runs' reports. Each side is a
//! report.json, a run's report directory, or a reports directory holding runs (its latest run
//! is taken); `vouch diff base/* current/*` (each side's runs, as a shell expands them) takes
//! the latest run of each side. Exit 1 on a regression or lost coverage not `--allow`ed.

use super::Outcome;
use std::path::{Path, PathBuf};
use vouch::report;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The baseline, then the current run: each a report.json, a run's report directory or a
    /// reports directory (its latest run); or each side's runs (`base/* current/*`), two
    /// parent directories, the latest of each taken.
    #[arg(value_name = "RUN")]
    pub runs: Vec<PathBuf>,
    /// An expected change, by the name `vouch diff` prints (a scenario `path: name` or
    /// coverage `api operation status`); repeatable.
    #[arg(long = "allow", value_name = "NAME")]
    pub allow: Vec<String>,
    /// A new unconfirmed finding (a violation of our choice) fails the gate too.
    #[arg(long)]
    pub strict: bool,
    /// `text` for a terminal or CI log, `markdown` for a pull-request comment.
    #[arg(long, value_enum, default_value_t = Style::Text)]
    pub format: Style,
}

/// How `vouch diff` prints the diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Style {
    /// Plain text.
    Text,
    /// Markdown, for a pull-request comment.
    Markdown,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Outcome> {
    let (baseline_path, current_path) = sides(&args.runs)?;
    let baseline = report::read(&baseline_path).map_err(anyhow::Error::msg)?;
    let current = report::read(&current_path).map_err(anyhow::Error::msg)?;
    let diff = vouch::gate::diff(&baseline, &current, &args.allow);
    let fails = diff.fails_strict(args.strict);
    match args.format {
        Style::Markdown => {
            print!("{}", diff.render_markdown(args.strict));
            println!(
                "\n<sub>baseline `{}`, current `{}`</sub>",
                baseline_path.display(),
                current_path.display()
            );
        }
        Style::Text => {
            if args.runs.len() > 2 || baseline_path != args.runs[0] {
                println!(
                    "vouch diff: baseline {}, current {}",
                    baseline_path.display(),
                    current_path.display()
                );
            }
            print!("{}", diff.render());
            if fails {
                println!("vouch diff: regression (exit 1)");
            }
        }
    }
    Ok(if fails {
        Outcome::Failed
    } else {
        Outcome::Passed
    })
}

/// The baseline's and the current run's report.json (or run directory) from the arguments.
fn sides(runs: &[PathBuf]) -> anyhow::Result<(PathBuf, PathBuf)> {
    match runs {
        [] | [_] => anyhow::bail!(
            "`vouch diff` needs two runs, BASELINE and CURRENT (each a report.json, a run's directory or a reports directory)"
        ),
        [baseline, current] => Ok((latest(baseline)?, latest(current)?)),
        _ => {
            // `base/* current/*`: group the runs by the directory holding them.
            let mut groups: Vec<(PathBuf, Vec<&PathBuf>)> = Vec::new();
            for run in runs {
                let parent = run.parent().unwrap_or(Path::new("")).to_path_buf();
                match groups.iter_mut().find(|(p, _)| *p == parent) {
                    Some((_, members)) => members.push(run),
                    None => groups.push((parent, vec![run])),
                }
            }
            let [(_, baseline), (_, current)] = groups.as_slice() else {
                anyhow::bail!(
                    "`vouch diff`: {} runs in {} directories: give BASELINE and CURRENT, or each side's runs from one directory each (base/* current/*)",
                    runs.len(),
                    groups.len()
                );
            };
            Ok((newest(baseline)?, newest(current)?))
        }
    }
}

/// A report.json or run directory as given; a reports directory's latest run.
fn latest(path: &Path) -> anyhow::Result<PathBuf> {
    if path.is_file() || path.join("report.json").is_file() || !path.is_dir() {
        // A missing path is reported by `report::read`, naming it.
        return Ok(path.to_path_buf());
    }
    let runs: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    let refs: Vec<&PathBuf> = runs.iter().collect();
    newest(&refs).map_err(|_| {
        anyhow::anyhow!(
            "{}: no report.json in it nor in a run directory below it",
            path.display()
        )
    })
}

/// The latest of several runs: run directories are named by their start time
/// (`20261206T221500Z`), so the greatest name holding a report.json.
fn newest(runs: &[&PathBuf]) -> anyhow::Result<PathBuf> {
    runs.iter()
        .filter(|p| p.join("report.json").is_file() || p.is_file())
        .max_by_key(|p| p.file_name().map(|n| n.to_os_string()))
        .map(|p| p.to_path_buf())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "{}: no report.json in these runs",
                runs.first()
                    .map_or(String::new(), |p| p.display().to_string())
            )
        })
}
