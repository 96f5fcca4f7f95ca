//! The step library as data, for people writing features: every step registered with
//! cucumber's `given` / `when` / `then` attributes (read from the same registry the runner
//! matches steps against, so a step cannot exist without being listed), its module, its
//! pattern and an example line taken from its doc comment; and, for a step no definition
//! matches, the closest ones ([`closest`]).

use super::VouchWorld;
use cucumber::codegen::inventory;
use cucumber::codegen::{StepConstructor, WorldInventory};

/// One registered step; a step registered under several keywords is listed once per keyword,
/// as cucumber matches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepDef {
    /// `Given`, `When` or `Then` (`And` and `But` take the keyword before them).
    pub keyword: &'static str,
    /// The regex as registered (anchors included).
    pub pattern: String,
    /// The module that registers it (`api`, `verified_wallet`): the file's stem.
    pub module: String,
    /// The registration's line in `src/steps/<module>.rs`.
    pub line: u32,
    /// A line a feature could use (keyword included), from the step's doc comment: the first
    /// backticked step there that the pattern matches; `None` when the doc gives none.
    pub example: Option<String>,
}

impl StepDef {
    /// The pattern without its anchors, as a person reads it.
    pub fn shown_pattern(&self) -> &str {
        let p = self.pattern.strip_prefix('^').unwrap_or(&self.pattern);
        p.strip_suffix('$').unwrap_or(p)
    }

    /// Whether the step text (without its keyword) matches this step.
    pub fn matches(&self, text: &str) -> bool {
        regex::Regex::new(&self.pattern).is_ok_and(|re| re.is_match(text))
    }
}

/// The source of each step module, for the doc comments (examples) and module summaries. A
/// module missing here still has its steps listed, without examples (a test requires one).
const SOURCES: &[(&str, &str)] = &[
    ("api", include_str!("api.rs")),
    ("fresh", include_str!("fresh.rs")),
    ("http", include_str!("http.rs")),
    ("response", include_str!("response.rs")),
    ("mock_admin", include_str!("mock_admin.rs")),
    ("explain", include_str!("explain.rs")),
    ("world", include_str!("world.rs")),
    (
        "peach_verification_types",
        include_str!("peach_verification_types.rs"),
    ),
    ("trusona_encryption", include_str!("trusona_encryption.rs")),
    ("trusona_subject", include_str!("trusona_subject.rs")),
    (
        "verified_credentials",
        include_str!("verified_credentials.rs"),
    ),
    ("verified_wallet", include_str!("verified_wallet.rs")),
];

fn source(module: &str) -> Option<&'static str> {
    SOURCES.iter().find(|(m, _)| *m == module).map(|(_, s)| *s)
}

/// A module's summary: the first sentence of its `//!` doc.
pub fn module_summary(module: &str) -> String {
    let Some(source) = source(module) else {
        return String::new();
    };
    let paragraph: Vec<&str> = source
        .lines()
        .map_while(|l| l.strip_prefix("//!").map(str::trim))
        .take_while(|l| !l.is_empty())
        .collect();
    let text = paragraph.join(" ");
    let end = text
        .find(". ")
        .or_else(|| text.find(": "))
        .unwrap_or(text.len());
    text[..end].trim_end_matches(['.', ':']).to_string()
}

/// Every registered step, by module (generic ones first, then by API) and line.
pub fn library() -> Vec<StepDef> {
    let mut out = Vec::new();
    collect::<<VouchWorld as WorldInventory>::Given>("Given", &mut out);
    collect::<<VouchWorld as WorldInventory>::When>("When", &mut out);
    collect::<<VouchWorld as WorldInventory>::Then>("Then", &mut out);
    let rank = |m: &str| {
        SOURCES
            .iter()
            .position(|(s, _)| *s == m)
            .unwrap_or(usize::MAX)
    };
    out.sort_by(|a, b| {
        (rank(&a.module), &a.module, a.line, keyword_rank(a.keyword)).cmp(&(
            rank(&b.module),
            &b.module,
            b.line,
            keyword_rank(b.keyword),
        ))
    });
    out
}

fn keyword_rank(keyword: &str) -> u8 {
    match keyword {
        "Given" => 0,
        "When" => 1,
        _ => 2,
    }
}

fn collect<S>(keyword: &'static str, out: &mut Vec<StepDef>)
where
    S: inventory::Collect + StepConstructor<VouchWorld> + 'static,
{
    for step in inventory::iter::<S> {
        let (location, regex, _) = step.inner();
        let module = std::path::Path::new(location.path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let mut def = StepDef {
            keyword,
            pattern: regex().as_str().to_string(),
            module,
            line: location.line,
            example: None,
        };
        def.example = source(&def.module).and_then(|s| example(&def, s));
        out.push(def);
    }
}

/// The step's example: the backticked steps of the doc comment above its registration, the
/// first of its own keyword that its pattern matches, else the first of another keyword
/// (a step registered as both `Given` and `When` documents one of them).
fn example(def: &StepDef, source: &str) -> Option<String> {
    let lines: Vec<&str> = source.lines().collect();
    let at = (def.line as usize).checked_sub(1)?;
    // Above the registration: its other attributes, then the doc comment.
    let mut doc = Vec::new();
    for line in lines[..at.min(lines.len())].iter().rev() {
        let line = line.trim();
        if let Some(text) = line.strip_prefix("///") {
            doc.push(text);
        } else if !doc.is_empty() || line.is_empty() || line == "}" {
            break;
        }
    }
    doc.reverse();
    let doc = doc.join(" ");
    let spans: Vec<&str> = doc.split('`').skip(1).step_by(2).collect();
    let candidates: Vec<(&str, &str)> = spans
        .iter()
        .filter_map(|s| {
            let (keyword, text) = s.split_once(' ')?;
            ["Given", "When", "Then"]
                .contains(&keyword)
                .then(|| (keyword, text.trim_end()))
        })
        .collect();
    let fits = |text: &str| def.matches(text) || def.matches(text.trim_end_matches(':'));
    let text = |t: &str| {
        if def.matches(t) {
            t.to_string()
        } else {
            t.trim_end_matches(':').to_string()
        }
    };
    candidates
        .iter()
        .find(|(k, t)| *k == def.keyword && fits(t))
        .or_else(|| candidates.iter().find(|(_, t)| fits(t)))
        .map(|(_, t)| format!("{} {}", def.keyword, text(t)))
}

/// The library's examples closest to an undefined step (`keyword` and `text` as written in the
/// feature), best first, at most `n`: by the edit distance of the whole line and by the words
/// the two share (a word with a typo counts), so a step with other arguments or the wrong
/// keyword still finds its definition.
pub fn closest(keyword: &str, text: &str, n: usize) -> Vec<String> {
    let line = format!("{} {}", keyword.trim(), text.trim());
    let mut scored: Vec<(f64, String)> = library()
        .into_iter()
        .filter_map(|d| d.example)
        .map(|example| (similarity(&line, &example), example))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    // Only the near misses: alike enough, and about as alike as the best.
    let best = scored.first().map_or(0.0, |(score, _)| *score);
    scored
        .into_iter()
        .take_while(|(score, _)| *score >= 0.45 && *score >= best - 0.15)
        .take(n)
        .map(|(_, e)| e)
        .collect()
}

/// What a run says about a step no definition matches: the step and the closest definitions.
pub fn undefined_step_text(keyword: &str, text: &str) -> String {
    let line = format!("{} {}", keyword.trim(), text.trim());
    let close = closest(keyword, text, 3);
    if close.is_empty() {
        format!("no step definition matches `{line}` (`vouch steps` lists them all)")
    } else {
        let quoted: Vec<String> = close.iter().map(|c| format!("`{c}`")).collect();
        format!(
            "no step definition matches `{line}`; did you mean: {}? (`vouch steps` lists them all)",
            quoted.join(", ")
        )
    }
}

fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    let longest = a.chars().count().max(b.chars().count()).max(1);
    let chars = 1.0 - levenshtein(&a, &b) as f64 / longest as f64;
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (wa, wb) = (words(&a), words(&b));
    let alike = |x: &String, y: &String| x == y || (x.len() >= 4 && levenshtein(x, y) <= 2);
    let shared = wa.iter().filter(|x| wb.iter().any(|y| alike(x, y))).count();
    let dice = 2.0 * shared as f64 / (wa.len() + wb.len()).max(1) as f64;
    chars.max(dice)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            previous = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_has_an_example_that_matches_it_and_no_other() {
        let library = library();
        assert!(library.len() > 40, "{}", library.len());
        let mut wrong = Vec::new();
        for def in &library {
            let Some(example) = &def.example else {
                wrong.push(format!("{}:{} has no example", def.module, def.line));
                continue;
            };
            let (keyword, text) = example.split_once(' ').unwrap();
            let matching: Vec<&StepDef> = library
                .iter()
                .filter(|d| d.keyword == keyword && d.matches(text))
                .collect();
            if matching != [def] {
                wrong.push(format!("`{example}` matches {} steps", matching.len()));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn an_undefined_step_gets_the_closest_definitions() {
        assert_eq!(closest("Given", "the pech API", 1), ["Given the peach API"]);
        // Another keyword and other arguments.
        let close = closest("Then", "I send POST /x with contnet type \"text/html\"", 3);
        assert!(
            close[0].starts_with("When I send POST /verification-types with content type"),
            "{close:?}"
        );
        let text = undefined_step_text("Then ", "the respons status is 200");
        assert!(
            text.contains("did you mean: `Then the response status is 201`"),
            "{text}"
        );
        // Nothing alike: no guess.
        assert!(closest("Given", "zzzz qqqq", 3).is_empty());
    }

    #[test]
    fn levenshtein_counts_edits() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("peach", "peach"), 0);
    }
}
