//! Every vendor example transcribed under `tests/fixtures/<api>/` must validate against its
//! target schema, and every mutation of it (a required member dropped, a wrong type, a value
//! outside an enum) must be rejected with a violation at the mutated JSON pointer.
//!
//! Like the JSON-Schema-Test-Suite runners, cases are generated (one test per fixture and per
//! mutation, named `<api>/<fixture>` and `<api>/<fixture> :: <mutation>`) and cases that are
//! known not to hold are listed, with the reason, in `tests/fixtures/expected-failures.txt`.
//! A listed case that starts to pass fails the run, so the list cannot go stale.

use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use vouch::contract::mutate::mutations;
use vouch::contract::{Contract, ContractSet, violation};

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let contracts =
        Arc::new(ContractSet::load_dir(&root.join("contracts")).expect("contracts load"));
    let expected = Arc::new(expected_failures(
        &root.join("tests/fixtures/expected-failures.txt"),
    ));
    let mut trials = Vec::new();
    let mut seen = Vec::new();
    for contract in contracts.iter() {
        let dir = root.join("tests/fixtures").join(&contract.api);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        assert!(
            !files.is_empty(),
            "{}: no fixtures for API {}",
            dir.display(),
            contract.api
        );
        for file in files {
            let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
            let name = format!("{}/{stem}", contract.api);
            let fixture = match Fixture::load(contract, &file) {
                Ok(f) => Arc::new(f),
                Err(e) => {
                    trials.push(Trial::test(name, move || Err(e.into())));
                    continue;
                }
            };
            seen.push(name.clone());
            trials.push(case(&name, &expected, {
                let (contracts, fixture) = (contracts.clone(), fixture.clone());
                move || fixture.check_valid(contracts.get(&fixture.api).unwrap())
            }));
            for m in mutations(contract, &fixture.schema, &fixture.example) {
                let mname = format!("{name} :: {}", m.name());
                seen.push(mname.clone());
                let (contracts, fixture) = (contracts.clone(), fixture.clone());
                trials.push(case(&mname, &expected, move || {
                    let contract = contracts.get(&fixture.api).unwrap();
                    let findings = contract.schemas().check(&fixture.schema, &m.instance)?;
                    if findings
                        .iter()
                        .any(|f| f.pointer == m.pointer && f.rule == m.kind.rule())
                    {
                        return Ok(());
                    }
                    let got: Vec<String> = findings
                        .iter()
                        .map(|f| format!("{} {}", f.pointer, f.rule))
                        .collect();
                    Err(format!(
                        "expected a `{}` violation at {}, got [{}]",
                        m.kind.rule(),
                        m.pointer,
                        got.join("; ")
                    )
                    .into())
                }));
            }
        }
    }
    for listed in expected.keys().filter(|k| !seen.contains(k)) {
        let listed = listed.clone();
        trials.push(Trial::test(
            format!("expected-failures.txt lists {listed}"),
            move || {
                Err(format!(
                    "no case named `{listed}` exists any more: remove it from expected-failures.txt"
                )
                .into())
            },
        ));
    }
    libtest_mimic::run(&args, trials).exit();
}

/// A case; when listed as an expected failure, it must fail (and passes the run when it does).
fn case(
    name: &str,
    expected: &Arc<BTreeMap<String, String>>,
    check: impl FnOnce() -> Result<(), Failed> + Send + 'static,
) -> Trial {
    match expected.get(name).cloned() {
        None => Trial::test(name, check),
        Some(reason) => Trial::test(format!("{name} (expected failure)"), move || {
            match check() {
            Err(_) => Ok(()),
            Ok(()) => Err(format!("listed as an expected failure ({reason}) but it passes: remove it from expected-failures.txt").into()),
        }
        }),
    }
}

struct Fixture {
    api: String,
    operation: Option<String>,
    status: Option<u16>,
    schema: String,
    example: Value,
}

impl Fixture {
    fn load(contract: &Contract, file: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let envelope: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        let source = envelope
            .get("source")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if source.trim().is_empty() {
            return Err(format!(
                "{}: `source` must name the vendor page and section",
                file.display()
            ));
        }
        let example = envelope
            .get("example")
            .cloned()
            .ok_or_else(|| format!("{}: no `example`", file.display()))?;
        let target = envelope
            .get("target")
            .ok_or_else(|| format!("{}: no `target`", file.display()))?;
        let (operation, status, schema) =
            if let Some(name) = target.get("schema").and_then(Value::as_str) {
                let schema = contract
                    .schema_pointer(name)
                    .ok_or_else(|| format!("{}: no schema `{name}`", file.display()))?;
                (None, None, schema)
            } else {
                let id = target
                    .get("operation")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        format!("{}: target names no operation or schema", file.display())
                    })?;
                let op = contract
                    .operation(id)
                    .map_err(|e| format!("{}: {e}", file.display()))?;
                let status = match (
                    target.get("request"),
                    target.get("response").and_then(Value::as_u64),
                ) {
                    (Some(Value::Bool(true)), None) => None,
                    (None, Some(s)) => Some(s as u16),
                    _ => {
                        return Err(format!(
                            "{}: target needs exactly one of `request: true` or `response: STATUS`",
                            file.display()
                        ));
                    }
                };
                let schema = contract
                    .body_schema(op, status)
                    .map_err(|e| format!("{}: {e}", file.display()))?;
                (Some(id.to_string()), status, schema)
            };
        Ok(Self {
            api: contract.api.clone(),
            operation,
            status,
            schema,
            example,
        })
    }

    fn check_valid(&self, contract: &Contract) -> Result<(), Failed> {
        let violations = match &self.operation {
            Some(id) => contract.check_body(contract.operation(id)?, self.status, &self.example)?,
            None => contract.check_schema(
                self.schema.rsplit('/').next().unwrap_or_default(),
                &self.example,
            )?,
        };
        if violations.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "the example does not validate:\n{}",
                violation::render(&violations)
            )
            .into())
        }
    }
}

/// `case name # reason` lines; blank lines and lines starting with `#` are ignored.
fn expected_failures(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(" # ") {
            Some((name, reason)) => (name.trim().to_string(), reason.trim().to_string()),
            None => panic!("{}: `{l}` has no ` # reason`", path.display()),
        })
        .collect()
}
