//! The house plan, enforced: which top-level module of the library may use which. The layers
//! (lowest first) are
//!
//! ```text
//! redact, jose, error  <-  contract  <-  evidence, exchange  <-  mock  <-  apis  <-  targets
//!     <-  steps, fuzz, proxy  <-  report  <-  gate, runner  <-  cli (the binary)
//! ```
//!
//! A module may use modules of lower layers only (and none of its own layer), so no cycle
//! between folders can form. The test reads `use crate::…` and `crate::…` paths in code (not
//! in comments) of every file of each module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module and its layer.
const LAYERS: &[(&str, u8)] = &[
    ("redact", 0),
    ("jose", 0),
    ("error", 0),
    ("contract", 1),
    ("evidence", 2),
    ("exchange", 2),
    ("mock", 3),
    ("apis", 4),
    ("targets", 5),
    ("steps", 6),
    ("fuzz", 6),
    ("proxy", 6),
    ("report", 7),
    ("gate", 8),
    ("runner", 8),
];

fn files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(path).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
    out
}

/// The top-level modules a module's code names through `crate::`.
fn uses(module: &str) -> BTreeSet<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let dir = src.join(module);
    let root = if dir.is_dir() {
        dir
    } else {
        src.join(format!("{module}.rs"))
    };
    let mut out = BTreeSet::new();
    for file in files(&root) {
        let text = std::fs::read_to_string(&file).unwrap();
        for line in text.lines() {
            // Doc links and comments count too: a doc that names a module is a dependency
            // for a reader, and rustdoc resolves its links.
            let mut rest = line.replace("vouch::", "crate::");
            let mut rest = rest.as_mut_str();
            while let Some(at) = rest.find("crate::") {
                let name: String = rest[at + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                // `crate::Error` is the error module's re-export.
                let name = if name == "Error" {
                    "error".to_string()
                } else {
                    name
                };
                if !name.is_empty() && name != module {
                    out.insert(name);
                }
                rest = &mut rest[at + 7..];
            }
        }
    }
    out
}

#[test]
fn every_module_uses_only_lower_layers() {
    let layer: BTreeMap<&str, u8> = LAYERS.iter().copied().collect();
    let mut wrong = Vec::new();
    for (module, level) in LAYERS {
        for used in uses(module) {
            match layer.get(used.as_str()) {
                Some(l) if l < level => {}
                Some(l) => wrong.push(format!("{module} (layer {level}) uses {used} (layer {l})")),
                None => wrong.push(format!("{module} uses {used}, which has no layer here")),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_top_level_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let declared: Vec<String> = lib
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            l.strip_prefix("mod ")?
                .strip_suffix(';')
                .map(str::to_string)
        })
        .collect();
    assert!(declared.len() > 5, "{declared:?}");
    for module in declared {
        assert!(
            LAYERS.iter().any(|(m, _)| *m == module),
            "src/lib.rs declares `{module}`, which has no layer in tests/architecture.rs"
        );
    }
}

#[test]
fn the_reader_sees_a_violation() {
    // The scan itself: `steps` names `targets`, so a layering that put targets above steps
    // would fail.
    assert!(uses("steps").contains("targets"));
    assert!(!uses("redact").contains("contract"));
}

/// Lines of code a file may have before its unit tests.
const MAX_LINES: usize = 520;

#[test]
fn no_source_file_is_too_long_to_read_in_one_sitting() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let long: Vec<String> = files(&src)
        .into_iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(&f).unwrap();
            let n = text
                .lines()
                .take_while(|l| l.trim() != "#[cfg(test)]")
                .count();
            (n > MAX_LINES).then(|| format!("{} ({n} lines)", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these: {}", long.join(", "));
}

/// The `mod` names a module file declares (`mod x;`, `pub mod x;`, `pub(crate) mod x;`).
fn declared_modules(file: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            let at = l.find("mod ")?;
            let before = &l[..at];
            let visibility = before.is_empty() || before.starts_with("pub");
            let name = l[at + 4..].strip_suffix(';')?;
            (visibility && !name.contains(' ')).then(|| name.to_string())
        })
        .collect()
}

#[test]
fn every_source_file_is_declared_by_a_mod_line() {
    // No generated `#[path]` modules: `cargo fmt`, IDEs and newcomers find every file through
    // the `mod` lines of its parent.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut missing = Vec::new();
    for file in files(&src) {
        let text = std::fs::read_to_string(&file).unwrap();
        if text.contains("#[path") {
            missing.push(format!("{} uses #[path]", file.display()));
        }
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        let dir = file.parent().unwrap();
        let (name, parent) = if stem == "mod" {
            let name = dir.file_name().unwrap().to_string_lossy().to_string();
            let up = dir.parent().unwrap();
            let parent = if up == src && name == "cli" {
                src.join("main.rs")
            } else if up == src {
                src.join("lib.rs")
            } else if up.join("mod.rs").is_file() {
                up.join("mod.rs")
            } else {
                up.with_extension("rs")
            };
            (name, parent)
        } else if dir == src {
            if stem == "lib" || stem == "main" {
                continue;
            }
            (stem, src.join("lib.rs"))
        } else if dir.join("mod.rs").is_file() {
            (stem, dir.join("mod.rs"))
        } else {
            (stem, dir.with_extension("rs"))
        };
        if !declared_modules(&parent).contains(&name) {
            missing.push(format!(
                "{} (no `mod {name};` in {})",
                file.display(),
                parent.display()
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_api_is_registered_in_the_lists() {
    // README § Adding an API: a new API is its own files plus one line per list.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mock = root.join("src/mock");
    let lists = std::fs::read_to_string(mock.join("mod.rs")).unwrap();
    let modules = declared_modules(&mock.join("mod.rs"));
    let mut wrong = Vec::new();
    let apis: BTreeSet<String> = std::fs::read_dir(&mock)
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("mod.rs").is_file())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    for api in &apis {
        if !modules.contains(api) {
            wrong.push(format!(
                "src/mock/{api}/ has no `pub mod {api};` in src/mock/mod.rs"
            ));
        }
        if !lists.contains(&format!("&{api}::REGISTRATION,")) {
            wrong.push(format!(
                "src/mock/{api}/ is not in BUILTIN (src/mock/mod.rs)"
            ));
        }
    }
    for entry in std::fs::read_dir(root.join("contracts")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if let Some(api) = name.strip_suffix(".yaml")
            && !apis.contains(api)
        {
            wrong.push(format!(
                "contracts/{name} has no mock folder src/mock/{api}/"
            ));
        }
    }
    let steps = declared_modules(&root.join("src/steps/mod.rs"));
    for entry in std::fs::read_dir(root.join("src/steps")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if let Some(module) = name.strip_suffix(".rs")
            && module != "mod"
            && !steps.contains(module)
        {
            wrong.push(format!(
                "src/steps/{name} has no `mod {module};` in src/steps/mod.rs"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Sibling pairs allowed to name each other, each with the reason; the test fails once a pair
/// no longer does (so the list only shrinks).
const ALLOWED_CIRCLES: &[(&str, &str, &str)] = &[];

/// One folder's import graph: for each node (a file `x.rs` of the folder, `mod.rs` included,
/// or a subfolder `x/`, which stands for every file below it), the siblings it names.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// The module path (`["fuzz", "run"]`) of a file below `src/`.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().to_string())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.strip_suffix(".rs").unwrap_or(&last);
    if stem != "mod" && stem != "lib" && stem != "main" {
        parts.push(stem.to_string());
    }
    parts
}

/// The code of a file before its unit tests, comments and string literals' `//` left aside
/// only as far as a line comment goes: doc comments and `//` comments are dropped.
fn code(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    text.lines()
        .take_while(|l| l.trim() != "#[cfg(test)]")
        .map(|l| match l.find("//") {
            Some(at) => &l[..at],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path a file's code names, written out: `use a::{b, c::d}` gives `a::b` and `a::c::d`;
/// any other `x::y` in code is taken as written.
fn named_paths(code: &str, reexports: bool) -> Vec<String> {
    fn expand(tree: &str, prefix: &str, out: &mut Vec<String>) {
        let tree = tree.trim();
        if let Some(open) = tree.find('{') {
            let head = tree[..open].trim().trim_end_matches("::");
            let close = tree.rfind('}').filter(|c| *c > open).unwrap_or(tree.len());
            let inner = &tree[open + 1..close];
            let prefix = join(prefix, head);
            let (mut depth, mut start) = (0, 0);
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(&inner[start..i], &prefix, out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            expand(&inner[start..], &prefix, out);
        } else if !tree.is_empty() {
            let tree = tree.split(" as ").next().unwrap_or(tree).trim();
            out.push(join(prefix, tree));
        }
    }
    fn join(prefix: &str, rest: &str) -> String {
        match (prefix.is_empty(), rest.is_empty() || rest == "self") {
            (true, _) => rest.to_string(),
            (false, true) => prefix.to_string(),
            (false, false) => format!("{prefix}::{rest}"),
        }
    }
    let mut out = Vec::new();
    let mut rest = code;
    // `use` trees first (they may span lines and group names in braces) ...
    let mut others = String::new();
    while let Some(at) = rest.find("use ") {
        // A `use` statement starts its line, after at most a visibility.
        let line_start = rest[..at].rfind('\n').map_or(0, |n| n + 1);
        let boundary = matches!(
            rest[line_start..at].trim(),
            "" | "pub" | "pub(crate)" | "pub(super)"
        );
        others.push_str(&rest[..at]);
        let Some(end) = rest[at..].find(';') else {
            break;
        };
        let reexport = rest[line_start..at].trim().starts_with("pub");
        if boundary && (reexports || !reexport) {
            expand(&rest[at + 4..at + end], "", &mut out);
        } else {
            others.push_str(&rest[at..at + end]);
        }
        rest = &rest[at + end..];
    }
    others.push_str(rest);
    // ... then every `a::b::c` elsewhere.
    let chars: Vec<char> = others.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let ident = |c: char| c.is_alphanumeric() || c == '_';
        if ident(chars[i]) && (i == 0 || !(ident(chars[i - 1]) || chars[i - 1] == ':')) {
            let mut j = i;
            while j < chars.len()
                && (ident(chars[j]) || (chars[j] == ':' && chars.get(j + 1) == Some(&':')))
            {
                j += if chars[j] == ':' { 2 } else { 1 };
            }
            let path: String = chars[i..j].iter().collect();
            if path.contains("::") {
                out.push(path.trim_end_matches("::").to_string());
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// A named path made absolute from the module `at` (whose own child modules are `children`):
/// `crate::`, `super::`, `self::` and a leading child module name resolve; anything else
/// (`std::`, a crate, a local item) is `None`.
fn absolute(path: &str, at: &[String], children: &BTreeSet<String>) -> Option<Vec<String>> {
    let mut parts = path.split("::").map(str::to_string).peekable();
    let mut base: Vec<String> = match parts.peek()?.as_str() {
        "crate" | "vouch" => {
            parts.next();
            Vec::new()
        }
        "self" | "super" => at.to_vec(),
        first if children.contains(first) => at.to_vec(),
        _ => return None,
    };
    while let Some(p) = parts.peek() {
        match p.as_str() {
            "self" => {}
            "super" => {
                base.pop()?;
            }
            _ => break,
        }
        parts.next();
    }
    base.extend(parts);
    Some(base)
}

/// The import graph of the folder `dir` below `src`: its nodes are the folder's files and
/// subfolders, `mod.rs` aside. What counts as "A names sibling B":
///
/// - a path in A's code (not its comments, not its `#[cfg(test)]` module) that resolves to the
///   sibling module B or an item inside it: `super::b::X`, `crate::fuzz::b::X`, `self::b`,
///   `use super::{b::X, c}` (groups are expanded, `as` renames dropped);
/// - a path to an item `mod.rs` re-exports from B (`super::X` where `mod.rs` has
///   `pub use b::X`): an edge to B, the item's real home;
/// - a path to an item `mod.rs` defines itself is no edge, and `mod.rs` is no node: it is the
///   folder's front door (its `mod b;` lines and `pub use b::X` re-exports declare the folder,
///   its own types sit below every child). So a `mod.rs` naming its children's items only
///   makes a circle when a child names another child back through it: that is the edge above.
///
/// A subfolder `b/` is one node: every file below it names siblings as `b/`, and a path into
/// it is an edge to `b/`.
fn folder_graph(src: &Path, dir: &Path) -> Graph {
    let here = module_path(src, &dir.join("mod.rs"));
    let mut nodes = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if p.is_dir() && p.join("mod.rs").is_file() {
            nodes.insert(name);
        } else if let Some(stem) = name.strip_suffix(".rs") {
            nodes.insert(stem.to_string());
        }
    }
    // `pub use b::X` / `pub use b::{X, Y}` in mod.rs: X's home is b.
    let mod_rs = dir.join("mod.rs");
    let mut home: BTreeMap<String, String> = BTreeMap::new();
    let children = declared_modules(&mod_rs);
    if mod_rs.is_file() {
        for path in named_paths(&code(&mod_rs), true) {
            if let Some(abs) = absolute(&path, &here, &children)
                && abs.len() == here.len() + 2
                && abs.starts_with(&here)
                && nodes.contains(&abs[here.len()])
            {
                home.insert(abs[here.len() + 1].clone(), abs[here.len()].clone());
            }
        }
    }
    let label = |n: &str| {
        if dir.join(n).is_dir() {
            format!("{n}/")
        } else {
            format!("{n}.rs")
        }
    };
    let mut graph = Graph::new();
    for node in &nodes {
        let from = label(node);
        graph.entry(from.clone()).or_default();
        for file in files(&dir.join(if dir.join(node).is_dir() {
            node.clone()
        } else {
            format!("{node}.rs")
        })) {
            let at = module_path(src, &file);
            let mine = declared_modules(&file);
            // A folder's `mod.rs` re-exporting a child's items is its front door, not a use.
            let front_door = file == mod_rs;
            for path in named_paths(&code(&file), !front_door) {
                let Some(abs) = absolute(&path, &at, &mine) else {
                    continue;
                };
                if abs.len() <= here.len() || !abs.starts_with(&here) {
                    continue;
                }
                let name = &abs[here.len()];
                let to = if nodes.contains(name) && name != "mod" {
                    label(name)
                } else if let Some(b) = home.get(name) {
                    label(b)
                } else {
                    "mod.rs".to_string()
                };
                if to != from && to != "mod.rs" && from != "mod.rs" {
                    graph.get_mut(&from).unwrap().insert(to);
                }
            }
        }
    }
    graph
}

/// The strongly connected groups of more than one node (Tarjan), each sorted.
fn circles(graph: &Graph) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, v: &'a str) {
        let n = w.index.len();
        w.index.insert(v, n);
        w.low.insert(v, n);
        w.stack.push(v);
        for u in w.graph.get(v).into_iter().flatten() {
            let u = u.as_str();
            if !w.index.contains_key(u) {
                visit(w, u);
                let low = w.low[v].min(w.low[u]);
                w.low.insert(v, low);
            } else if w.stack.contains(&u) {
                let low = w.low[v].min(w.index[u]);
                w.low.insert(v, low);
            }
        }
        if w.low[v] == w.index[v] {
            let mut group = Vec::new();
            while let Some(u) = w.stack.pop() {
                group.push(u.to_string());
                if u == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                w.out.push(group);
            }
        }
    }
    let mut w = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !w.index.contains_key(v.as_str()) {
            visit(&mut w, v);
        }
    }
    w.out.sort();
    w.out
}

/// Every folder below `dir` that is a module (has a `mod.rs`).
fn module_folders(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            if p.join("mod.rs").is_file() {
                out.push(p.clone());
            }
            out.extend(module_folders(&p));
        }
    }
    out.sort();
    out
}

/// The circles of one folder, as `folder: a.rs -> b.rs, b.rs -> a.rs` lines (each edge inside
/// the group), allowed pairs left out.
fn folder_circles(src: &Path, dir: &Path) -> Vec<String> {
    let rel = dir
        .strip_prefix(src.parent().unwrap())
        .unwrap()
        .to_string_lossy()
        .to_string();
    let mut graph = folder_graph(src, dir);
    for (folder, a, b) in ALLOWED_CIRCLES {
        if *folder == rel {
            for (x, y) in [(a, b), (b, a)] {
                if let Some(edges) = graph.get_mut(*x) {
                    edges.remove(*y);
                }
            }
        }
    }
    circles(&graph)
        .into_iter()
        .map(|group| {
            let edges: Vec<String> = group
                .iter()
                .flat_map(|a| {
                    graph[a]
                        .iter()
                        .filter(|b| group.contains(b))
                        .map(move |b| format!("{a} -> {b}"))
                })
                .collect();
            format!("{rel}: {{{}}}: {}", group.join(", "), edges.join(", "))
        })
        .collect()
}

/// No import circle among the files of any folder below `src/` (issue #20, point 2): a file's
/// siblings form a graph ("A names B", as [`folder_graph`] defines it) and it must have no
/// cycle, so each folder reads bottom-up. Run it alone with
/// `cargo test --test architecture no_import_circle`; it lists each circle with its edges.
#[test]
fn no_import_circle_inside_a_folder() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found: Vec<String> = module_folders(&src)
        .iter()
        .flat_map(|dir| folder_circles(&src, dir))
        .collect();
    assert!(found.is_empty(), "import circles:\n{}", found.join("\n"));
    for (folder, a, b) in ALLOWED_CIRCLES {
        let graph = folder_graph(&src, &src.parent().unwrap().join(folder));
        let named = |x: &str, y: &str| graph.get(x).is_some_and(|e| e.contains(y));
        assert!(
            named(a, b) && named(b, a),
            "{folder}: {a} and {b} no longer name each other: drop them from ALLOWED_CIRCLES"
        );
    }
}

#[test]
fn the_circle_reader_sees_each_kind_of_edge() {
    // A scratch folder: a.rs -> b.rs through `super::`, b.rs -> c/ and e.rs through a grouped
    // `use`, c/ -> a.rs through `crate::`, e.rs -> d.rs through mod.rs's re-export; d.rs
    // names mod.rs's own item, which is no edge.
    let src = Path::new(env!("CARGO_TARGET_TMPDIR")).join("circle-reader/src");
    let _ = std::fs::remove_dir_all(&src);
    let dir = src.join("room");
    std::fs::create_dir_all(dir.join("c")).unwrap();
    let write = |p: &str, text: &str| std::fs::write(dir.join(p), text).unwrap();
    write(
        "mod.rs",
        "mod a;\nmod b;\nmod c;\nmod d;\nmod e;\npub use d::Thing;\npub struct Own;\n",
    );
    write(
        "a.rs",
        "// super::e::X in a comment is no edge\nfn f() { super::b::g() }\n",
    );
    write("b.rs", "use super::{c::{self, H}, e as _};\n");
    write("c/mod.rs", "use crate::room::a::f;\n");
    write("d.rs", "pub struct Thing(super::Own);\n");
    write("e.rs", "use super::Thing;\n");
    let graph = folder_graph(&src, &dir);
    let edges = |n: &str| graph[n].iter().cloned().collect::<Vec<_>>();
    assert_eq!(edges("a.rs"), ["b.rs"]);
    assert_eq!(edges("b.rs"), ["c/", "e.rs"]);
    assert_eq!(edges("c/"), ["a.rs"]);
    assert_eq!(
        edges("e.rs"),
        ["d.rs"],
        "a re-exported item's home is its file"
    );
    assert!(edges("d.rs").is_empty(), "mod.rs's own items are no edge");
    assert_eq!(circles(&graph), [vec!["a.rs", "b.rs", "c/"]]);
}

#[test]
fn every_fuzz_check_file_is_in_the_list() {
    // README § Fuzzing › Adding a check: a check is its file plus its line in `ALL`; a file
    // with a `CHECK` descriptor the list lacks would never run.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/fuzz/checks");
    let list = std::fs::read_to_string(dir.join("mod.rs")).unwrap();
    let mut checks = 0;
    let mut missing = Vec::new();
    for file in files(&dir) {
        let text = std::fs::read_to_string(&file).unwrap();
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        if !text.contains("pub(super) const CHECK: Check") {
            continue;
        }
        checks += 1;
        if !list.contains(&format!("    {stem}::CHECK,")) {
            missing.push(format!("src/fuzz/checks/{stem}.rs is not in ALL"));
        }
    }
    assert!(
        checks >= 15,
        "the check files declare CHECK ({checks} found)"
    );
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// Lines a function may have (its signature to its closing brace) outside seed data and tests.
const MAX_FN_LINES: usize = 120;

/// Functions that only build seed data (a table of vendor records), so their length is the
/// data's, not logic's: `file:fn` and why.
const SEED_DATA: &[(&str, &str)] = &[(
    "src/mock/verified/network_users.rs:seed_richard",
    "the sandbox test user Richard Hendricks and his credentials, as the vendor's 1ClickEntity \
     Example lists them: one record, no logic",
)];

/// Long functions waiting to be split, each `file:fn`; the test fails when one of them is short
/// already, so the list only shrinks. Empty: every long function has been split.
const SPLIT_ELSEWHERE: &[&str] = &[];

/// A line's code with comments, string and char literals blanked, so braces in them do not
/// count. `in_str` carries a string literal that spans lines (`"...\n..."`).
fn code_of(line: &str, in_str: &mut bool) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if *in_str {
            if c == '\\' {
                i += 2;
                continue;
            }
            if c == '"' {
                *in_str = false;
            }
            i += 1;
            continue;
        }
        match c {
            '/' if chars.get(i + 1) == Some(&'/') => break,
            '"' => *in_str = true,
            // A raw string `r"…"` / `r#"…"#`: skip to its closing quote and hashes.
            'r' if matches!(chars.get(i + 1), Some('"' | '#'))
                && (i == 0 || !chars[i - 1].is_alphanumeric() && chars[i - 1] != '_') =>
            {
                let hashes = chars[i + 1..].iter().take_while(|c| **c == '#').count();
                if chars.get(i + 1 + hashes) == Some(&'"') {
                    let close: String = std::iter::once('"')
                        .chain("#".repeat(hashes).chars())
                        .collect();
                    let rest: String = chars[i + 2 + hashes..].iter().collect();
                    match rest.find(&close) {
                        Some(at) => i += 2 + hashes + rest[..at].chars().count() + close.len(),
                        None => i = chars.len(),
                    }
                    continue;
                }
                out.push(c);
            }
            // A char literal such as '{' or '\''; a lifetime ('a) has no closing quote.
            '\'' => {
                if chars.get(i + 1) == Some(&'\\') {
                    let end = chars[i + 2..].iter().position(|c| *c == '\'');
                    i += end.map_or(1, |e| e + 3);
                    continue;
                }
                if chars.get(i + 2) == Some(&'\'') {
                    i += 3;
                    continue;
                }
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Every `fn` of a file's code before its unit tests with its length in lines.
fn function_lengths(text: &str) -> Vec<(String, usize)> {
    let mut in_str = false;
    let code: Vec<String> = text
        .lines()
        .take_while(|l| l.trim() != "#[cfg(test)]")
        .map(|l| code_of(l, &mut in_str))
        .collect();
    let mut out = Vec::new();
    for (start, line) in code.iter().enumerate() {
        let Some(at) = line.find("fn ").filter(|at| {
            *at == 0 || !line[..*at].ends_with(|c: char| c.is_alphanumeric() || c == '_')
        }) else {
            continue;
        };
        let name: String = line[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        let mut depth = 0i32;
        let mut opened = false;
        'scan: for (n, l) in code.iter().enumerate().skip(start) {
            let from = if n == start { at } else { 0 };
            for c in l[from..].chars() {
                match c {
                    ';' if !opened && depth == 0 => break 'scan,
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => {
                        depth -= 1;
                        if opened && depth == 0 {
                            out.push((name.clone(), n - start + 1));
                            break 'scan;
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

/// Functions of `src/` longer than [`MAX_FN_LINES`], as `file:fn (N lines)`, seed data aside.
fn long_functions() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut long = Vec::new();
    for file in files(&root.join("src")) {
        let rel = file.strip_prefix(root).unwrap().display().to_string();
        let text = std::fs::read_to_string(&file).unwrap();
        for (name, n) in function_lengths(&text) {
            let key = format!("{rel}:{name}");
            if n > MAX_FN_LINES && !SEED_DATA.iter().any(|(k, _)| *k == key) {
                long.push(format!("{key} ({n} lines)"));
            }
        }
    }
    long.sort();
    long
}

#[test]
fn no_function_is_longer_than_120_lines() {
    let long = long_functions();
    let named = |key: &str| long.iter().any(|l| l.starts_with(&format!("{key} (")));
    let short: Vec<&&str> = SPLIT_ELSEWHERE.iter().filter(|k| !named(k)).collect();
    assert!(
        short.is_empty(),
        "short now, remove from SPLIT_ELSEWHERE: {short:?}"
    );
    let long: Vec<&String> = long
        .iter()
        .filter(|l| {
            !SPLIT_ELSEWHERE
                .iter()
                .any(|k| l.starts_with(&format!("{k} (")))
        })
        .collect();
    assert!(
        long.is_empty(),
        "split these (or list seed data in SEED_DATA, with why):\n{}",
        long.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_function_scan_measures_bodies() {
    // Braces in strings, chars and comments do not count; a trait method without a body is
    // no function to measure; a nested fn is measured on its own too.
    let text = "fn a() {\n    let s = \"}\"; // }\n    let c = '}';\n    fn b() {\n    }\n}\ntrait T {\n    fn c(&self);\n}\nfn d<'a>(x: &'a str) -> &'a str {\n    x\n}\n";
    assert_eq!(
        function_lengths(text),
        vec![("a".into(), 6), ("b".into(), 2), ("d".into(), 3)]
    );
    let long = "fn e() {\n".to_string() + &"    x();\n".repeat(MAX_FN_LINES) + "}\n";
    assert_eq!(
        function_lengths(&long),
        vec![("e".into(), MAX_FN_LINES + 2)]
    );
}

/// `Result<_, String>` signatures the library may keep: each at a boundary where the string is
/// the message the user sees (a clap value parser), with a comment saying so.
const MAX_STRING_ERRORS: usize = 2;

/// The `Result<T, String>` types written in a line of code (comments aside): the error type is
/// the last top-level argument of `Result<...>`.
fn string_results(code: &str) -> usize {
    let mut count = 0;
    let mut rest = code;
    while let Some(at) = rest.find("Result<") {
        let after = &rest[at + 7..];
        let (mut depth, mut last_arg) = (1, 0);
        for (i, c) in after.char_indices() {
            match c {
                '<' | '(' | '[' => depth += 1,
                '>' | ')' | ']' => {
                    depth -= 1;
                    if depth == 0 {
                        if last_arg > 0 && after[last_arg..i].trim() == "String" {
                            count += 1;
                        }
                        break;
                    }
                }
                ',' if depth == 1 => last_arg = i + 1,
                _ => {}
            }
        }
        rest = after;
    }
    count
}

#[test]
fn string_errors_stay_at_user_boundaries() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for file in files(&root.join("src")) {
        let rel = file.strip_prefix(root).unwrap().display().to_string();
        let text = std::fs::read_to_string(&file).unwrap();
        let mut in_str = false;
        for (n, line) in text
            .lines()
            .take_while(|l| l.trim() != "#[cfg(test)]")
            .enumerate()
        {
            for _ in 0..string_results(&code_of(line, &mut in_str)) {
                found.push(format!("{rel}:{}", n + 1));
            }
        }
    }
    assert!(
        found.len() <= MAX_STRING_ERRORS,
        "{} `Result<_, String>` (at most {MAX_STRING_ERRORS}: give the others a typed error):\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_string_error_count_reads_types() {
    assert_eq!(string_results("fn f() -> Result<Vec<String>, Error> {"), 0);
    assert_eq!(string_results("fn f() -> Result<(), String> {"), 1);
    assert_eq!(
        string_results("fn f(a: Result<Vec<u8>, String>) -> Result<(u8, String), String>"),
        2
    );
    assert_eq!(string_results("fn f() -> anyhow::Result<String> {"), 0);
}
