//! Embeds every `contracts/*.yaml` into the binary, so `vouch` works from any directory and a
//! new API needs only a new contract file.

use std::{env, fs, path::Path};

fn main() {
    // Read at run time, not `env!` (compile time): a build script compiled in another checkout
    // sharing this target directory would otherwise embed that checkout's contracts.
    let manifest_dir = env::var("CARGO_MANIFEST_DIR").unwrap();
    let dir = Path::new(&manifest_dir).join("contracts");
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
