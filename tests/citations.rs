//! Vendor citations a clone can follow (issue #20, point 7; contracts/CONVENTIONS.md
//! § Citations). A citation names a public page: `[key] § <section>` with `key` a row of the
//! sources table in contracts/NOTES.md § Sources, or, in `x-vouch-source`, the page's URL. No
//! tracked file outside `contracts/research/` and that table may cite a local copy of a page:
//! a path under `shared/vendor-docs`, or a `*.txt` name that is no file of the repository.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The directory the local copies lived in, spelled so this file does not cite it.
fn copies_dir() -> String {
    ["vendor", "-docs/"].concat()
}

/// Every tracked file (`git ls-files`), relative to the root; without git, every file under
/// the root except what `.gitignore` leaves out (`target/`, generated reports, `.vouch/`).
fn tracked() -> Vec<String> {
    let out = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root())
        .output();
    if let Some(out) = out.ok().filter(|o| o.status.success()) {
        let names = String::from_utf8(out.stdout).expect("git ls-files: UTF-8 names");
        return names
            .split('\0')
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect();
    }
    let mut found = Vec::new();
    walk(&root(), "", &mut found);
    found
}

fn walk(dir: &Path, rel: &str, found: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = format!("{rel}{name}");
        if [".git", "target", ".vouch"].contains(&name.as_str())
            || (rel == "reports/" && name != "README.md")
        {
            continue;
        }
        if entry.path().is_dir() {
            walk(&entry.path(), &format!("{path}/"), found);
        } else {
            found.push(path);
        }
    }
}

/// The sources table: its keys (the first column, in backticks) and every URL in its rows.
struct Sources {
    keys: BTreeSet<String>,
    urls: BTreeSet<String>,
}

/// The lines of contracts/NOTES.md § Sources (from its heading to the next `## `), 0-based.
fn sources_section(notes: &str) -> std::ops::Range<usize> {
    let lines: Vec<&str> = notes.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim_end() == "## Sources")
        .expect("contracts/NOTES.md has a `## Sources` section");
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.starts_with("## "))
        .map_or(lines.len(), |i| start + 1 + i);
    start..end
}

fn sources(notes: &str) -> Sources {
    let mut keys = BTreeSet::new();
    let mut urls = BTreeSet::new();
    for line in notes
        .lines()
        .take(sources_section(notes).end)
        .skip(sources_section(notes).start)
    {
        let Some(row) = line.strip_prefix("| `") else {
            continue;
        };
        if let Some(key) = row.split('`').next() {
            keys.insert(key.to_string());
        }
        for word in line.split_whitespace() {
            if word.starts_with("https://") {
                urls.insert(word.trim_end_matches(['|', ',', ')']).to_string());
            }
        }
    }
    Sources { keys, urls }
}

/// Words of a line ending in `.txt` (letters, digits, `-`, `_`, `.` before it).
fn txt_names(line: &str) -> Vec<&str> {
    line.split(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| w.len() > 4 && w.ends_with(".txt"))
        .collect()
}

/// The keys of `[key] §` citations in a line. A key is lower-case words joined by `-`
/// (`verified-api-ref`), so a placeholder such as `[key]` in prose is not one.
fn cited_keys(line: &str) -> Vec<&str> {
    let is_key = |k: &str| {
        k.contains('-')
            && k.split('-').all(|w| {
                !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            })
    };
    let mut out = Vec::new();
    for (i, _) in line.match_indices("] §") {
        if let Some(open) = line[..i].rfind('[') {
            let key = &line[open + 1..i];
            if is_key(key) {
                out.push(key);
            }
        }
    }
    out
}

/// The problems of one line of `file`: `repo_txt` holds the `.txt` file names the repository
/// has (allow-lists, manifests), which may be named.
fn line_problems(
    file: &str,
    line: &str,
    sources: &Sources,
    repo_txt: &BTreeSet<String>,
) -> Vec<String> {
    let mut out = Vec::new();
    if line.contains(&copies_dir()) {
        out.push(format!("cites a local copy ({}): {line}", copies_dir()));
    }
    for name in txt_names(line) {
        if !repo_txt.contains(name) {
            out.push(format!("cites `{name}`, no file of the repository: {line}"));
        }
    }
    for key in cited_keys(line) {
        if !sources.keys.contains(key) {
            out.push(format!(
                "cites [{key}], not a key of NOTES.md § Sources: {line}"
            ));
        }
    }
    if file.starts_with("contracts/") && line.trim_start().starts_with("x-vouch-source:") {
        for part in line.split('(').skip(1) {
            let url = part.split(')').next().unwrap_or_default();
            if url.starts_with("http") && !sources.urls.contains(url) {
                out.push(format!(
                    "x-vouch-source URL {url} is not in NOTES.md § Sources"
                ));
            }
        }
    }
    out.into_iter().map(|p| format!("{file}: {p}")).collect()
}

#[test]
fn every_vendor_citation_names_a_public_page() {
    let notes = std::fs::read_to_string(root().join("contracts/NOTES.md")).unwrap();
    let sources = sources(&notes);
    assert!(
        sources.keys.len() >= 5,
        "the sources table lists the vendor pages"
    );
    let files = tracked();
    let repo_txt: BTreeSet<String> = files
        .iter()
        .filter_map(|f| f.rsplit('/').next())
        .filter(|n| n.ends_with(".txt"))
        .map(str::to_string)
        .collect();
    let table = sources_section(&notes);
    let mut problems = Vec::new();
    for file in files
        .iter()
        .filter(|f| !f.starts_with("contracts/research/"))
    {
        let Ok(text) = std::fs::read_to_string(root().join(file)) else {
            continue; // binary, or deleted in the work tree
        };
        for (i, line) in text.lines().enumerate() {
            if file == "contracts/NOTES.md" && table.contains(&i) {
                continue;
            }
            problems.extend(line_problems(file, line, &sources, &repo_txt));
        }
    }
    assert!(
        problems.is_empty(),
        "{} citation(s) a clone cannot follow (contracts/CONVENTIONS.md § Citations):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_checker_sees_each_kind_of_bad_citation() {
    let notes = std::fs::read_to_string(root().join("contracts/NOTES.md")).unwrap();
    let sources = sources(&notes);
    let repo_txt: BTreeSet<String> = ["expected-failures.txt".to_string()].into();
    // Spelled in pieces so that this file itself cites nothing.
    let copy = format!("// from shared/{}verified-types{}", copies_dir(), ".txt");
    let bare = format!("// verified-api-reference{} § 1-Click", ".txt");
    let typo = format!("  Source: [{}] § 1-Click", "verfied-api-ref");
    let bad = [
        ("src/a.rs", copy.as_str()),
        ("src/a.rs", bare.as_str()),
        ("features/a.feature", typo.as_str()),
        (
            "contracts/a.yaml",
            "      x-vouch-source: Verified API reference § 1-Click (https://example.com/old)",
        ),
    ];
    for (file, line) in bad {
        assert!(
            !line_problems(file, line, &sources, &repo_txt).is_empty(),
            "not flagged: {line}"
        );
    }
    let good = [
        (
            "src/a.rs",
            "// [verified-api-ref] § 1-Click; see expected-failures.txt.",
        ),
        (
            "contracts/a.yaml",
            "      x-vouch-source: Verified API reference § 1-Click (https://docs.verified.inc/api-reference)",
        ),
        ("snapshots/a.snap", "  \"id\": \"[peach-id]\""),
    ];
    for (file, line) in good {
        let problems = line_problems(file, line, &sources, &repo_txt);
        assert!(problems.is_empty(), "flagged: {problems:?}");
    }
}
