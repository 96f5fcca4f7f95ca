//! Embeds the data files the binary carries, so `vouch` works from any directory: every
//! `contracts/*.yaml` becomes an entry of `embedded_contracts.rs` (its name and its text).
//! Modules are declared by `mod` lines in the source, never here.

use std::{env, fs, path::Path};

fn main() {
    let root_text = env::var("CARGO_MANIFEST_DIR").unwrap();
    let root = Path::new(&root_text);
    let out = Path::new(&env::var("OUT_DIR").unwrap()).to_path_buf();
    println!("cargo:rerun-if-changed=contracts");

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
