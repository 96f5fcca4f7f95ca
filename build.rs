//! Embeds every `contracts/*.yaml` into the binary, so `vouch` works from any directory and a
//! new API needs only a new contract file.
//!
//! The generated list names files relative to `CARGO_MANIFEST_DIR` (resolved when the crate
//! compiles), never by absolute path, so a moved checkout or a copied `target/` directory
//! cannot embed another checkout's contracts.

use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=contracts");
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("contracts");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.retain(|n| n.ends_with(".yaml"));
    names.sort();
    let mut out = String::from("&[\n");
    for name in names {
        println!("cargo:rerun-if-changed=contracts/{name}");
        let api = name.trim_end_matches(".yaml");
        out.push_str(&format!("    ({api:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/contracts/{name}\"))),\n"));
    }
    out.push(']');
    let target = Path::new(&env::var("OUT_DIR").unwrap()).join("embedded_contracts.rs");
    fs::write(target, out).unwrap();
}
