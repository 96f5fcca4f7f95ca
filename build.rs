//! Discovers the APIs vouch ships, so adding one means adding its files and nothing else:
//!
//! - every `contracts/*.yaml` is embedded into the binary (`embedded_contracts.rs`), so
//!   `vouch` works from any directory;
//! - every `src/mock/<api>/mod.rs` becomes the module `crate::mock::<api>`, and its
//!   `REGISTRATION` an entry of the API registry (`mock_apis.rs`);
//! - every `src/steps/<api>_*.rs` becomes a step module (`domain_steps.rs`).
//!
//! Contracts are named relative to `CARGO_MANIFEST_DIR` (resolved when the crate compiles).
//! Module files need a literal path, so those are absolute, and the generated file checks at
//! compile time that it was generated for this checkout: a `target/` directory copied from
//! another checkout fails to compile with a message instead of building the other one's code.

use std::{env, fs, path::Path};

fn main() {
    let root_text = env::var("CARGO_MANIFEST_DIR").unwrap();
    let root = Path::new(&root_text);
    let out = Path::new(&env::var("OUT_DIR").unwrap()).to_path_buf();
    println!("cargo:rerun-if-changed=contracts");
    println!("cargo:rerun-if-changed=src/mock");
    println!("cargo:rerun-if-changed=src/steps");

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

    let guard = format!(
        "const _: () = assert!(crate::mock::registration::same_text({root_text:?}, env!(\"CARGO_MANIFEST_DIR\")), \
         \"generated for another checkout: run `cargo clean -p vouch`\");\n"
    );
    let mock_dir = root.join("src/mock");
    let apis: Vec<String> = names(&mock_dir, |n| Some(n.to_string()))
        .into_iter()
        .filter(|n| mock_dir.join(n).join("mod.rs").is_file())
        .collect();
    let mut mocks = guard.clone();
    for api in &apis {
        let file = mock_dir.join(api).join("mod.rs");
        mocks.push_str(&format!(
            "#[path = {:?}]\npub mod {api};\n",
            file.display().to_string()
        ));
    }
    mocks.push_str("/// Every API this build ships, in name order.\npub(crate) static BUILTIN: &[&registration::Registration] = &[\n");
    for api in &apis {
        mocks.push_str(&format!("    &{api}::REGISTRATION,\n"));
    }
    mocks.push_str("];\n");
    fs::write(out.join("mock_apis.rs"), mocks).unwrap();

    let steps_dir = root.join("src/steps");
    let mut steps = guard;
    for module in names(&steps_dir, |n| n.strip_suffix(".rs").map(str::to_string)) {
        let domain = apis
            .iter()
            .any(|api| module.starts_with(&format!("{api}_")));
        if domain {
            let file = steps_dir.join(format!("{module}.rs"));
            steps.push_str(&format!(
                "#[path = {:?}]\npub(crate) mod {module};\n",
                file.display().to_string()
            ));
        }
    }
    fs::write(out.join("domain_steps.rs"), steps).unwrap();
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
