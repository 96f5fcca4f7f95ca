//! `vouch steps [--api A]`: the step library for people writing features, every registered
//! step with its pattern and an example line, grouped by module: the generic steps, then each
//! API's domain steps (`src/steps/<api>_<concept>.rs`).

use super::Outcome;
use anyhow::Context;
use std::io::Write;
use vouch::contract::ContractSet;
use vouch::step_library::{self, StepDef};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Only the generic steps and this API's domain steps (repeatable).
    #[arg(long = "api", value_name = "API")]
    apis: Vec<String>,
}

/// The API whose domain a step module belongs to (`verified_wallet`: `verified`), `None` for
/// the generic steps every API uses.
fn domain<'a>(module: &str, contracts: &'a ContractSet) -> Option<&'a str> {
    let (prefix, _) = module.split_once('_')?;
    contracts
        .iter()
        .map(|c| c.api.as_str())
        .find(|api| *api == prefix)
}

pub(crate) fn run(contracts: &ContractSet, args: &Args) -> anyhow::Result<Outcome> {
    for api in &args.apis {
        contracts.get(api).context("--api")?;
    }
    let library = step_library::library();
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(render(&library, contracts, &args.apis).as_bytes());
    Ok(Outcome::Passed)
}

/// The listing: a heading per domain, a paragraph per module, and per step its pattern and,
/// indented below it, its example.
fn render(library: &[StepDef], contracts: &ContractSet, apis: &[String]) -> String {
    let mut domains: Vec<Option<&str>> = vec![None];
    domains.extend(
        contracts
            .iter()
            .map(|c| Some(c.api.as_str()))
            .filter(|d| apis.is_empty() || apis.iter().any(|a| Some(a.as_str()) == *d)),
    );
    let mut text = String::new();
    for domain_name in domains {
        let steps: Vec<&StepDef> = library
            .iter()
            .filter(|d| domain(&d.module, contracts) == domain_name)
            .collect();
        if steps.is_empty() {
            continue;
        }
        text.push_str(&match domain_name {
            None => "# Generic steps (every API)\n".to_string(),
            Some(api) => format!("\n# {api} steps (features/{api}/README.md)\n"),
        });
        let mut module = "";
        for def in steps {
            if def.module != module {
                module = &def.module;
                text.push_str(&format!(
                    "\n## {module}: {} (src/steps/{module}.rs)\n",
                    step_library::module_summary(module)
                ));
            }
            text.push_str(&format!("  {} {}\n", def.keyword, def.shown_pattern()));
            if let Some(example) = &def.example {
                text.push_str(&format!("      {example}\n"));
            }
        }
    }
    text
}
