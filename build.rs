//! Embeds every `contracts/*.yaml` into the binary, so `vouch` works from any directory and a
//! new API needs only a new contract file.

use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut entries: Vec<_> = fs::read_dir(&dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.retain(|p| p.extension().and_then(|e| e.to_str()) == Some("yaml"));
    entries.sort();
    let mut out = String::from("&[\n");
    for path in entries {
        println!("cargo:rerun-if-changed={}", path.display());
        let api = path.file_stem().unwrap().to_string_lossy();
        out.push_str(&format!(
            "    ({api:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push(']');
    let target = Path::new(&env::var("OUT_DIR").unwrap()).join("embedded_contracts.rs");
    fs::write(target, out).unwrap();
}
