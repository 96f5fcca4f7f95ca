//! Embeds the data files the binary carries, so `vouch` works from any directory: every
//! `contracts/*.yaml` becomes an entry of `embedded_contracts.rs`, and every
//! `features/**/*.feature` (the built-in suite `vouch run` runs) an entry of
//! `embedded_features.rs` (its path below `features/` and its text).
//! Modules are declared by `mod` lines in the source, never here.

use std::{env, fs, path::Path};

fn main() {
    let root_text = env::var("CARGO_MANIFEST_DIR").unwrap();
    let root = Path::new(&root_text);
    let out = Path::new(&env::var("OUT_DIR").unwrap()).to_path_buf();
    println!("cargo:rerun-if-changed=contracts");
    println!("cargo:rerun-if-changed=features");

    let contracts = names(&root.join("contracts"), |n| {
        n.strip_suffix(".yaml").map(str::to_string)
    });
    let mut embedded = String::from("&[\n");
    for api in &contracts {
        println!("cargo:rerun-if-changed=contracts/{api}.yaml");
        embedded.push_str(&format!(
            "    ({api:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/contracts/{api}.yaml\"))),\n"
        ));
    }
    embedded.push(']');
    fs::write(out.join("embedded_contracts.rs"), embedded).unwrap();

    let mut features = Vec::new();
    feature_files(&root.join("features"), "", &mut features);
    features.sort();
    let mut embedded = String::from("&[\n");
    for path in &features {
        println!("cargo:rerun-if-changed=features/{path}");
        embedded.push_str(&format!(
            "    ({path:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/features/{path}\"))),\n"
        ));
    }
    embedded.push(']');
    fs::write(out.join("embedded_features.rs"), embedded).unwrap();
}

/// The names in `dir` that `keep` maps to something, sorted.
fn names(dir: &Path, keep: impl Fn(&str) -> Option<String>) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| keep(&e.file_name().to_string_lossy()))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Every `*.feature` below `dir`, as `/`-separated paths relative to the features root
/// (`prefix` is `dir`'s own); each directory is watched, so a new feature file re-embeds.
fn feature_files(dir: &Path, prefix: &str, found: &mut Vec<String>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = format!("{prefix}{name}");
        if entry.path().is_dir() {
            feature_files(&entry.path(), &format!("{path}/"), found);
        } else if name.ends_with(".feature") {
            found.push(path);
        }
    }
}
