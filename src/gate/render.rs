//! The diff as text for a terminal or a CI log, and as Markdown for a pull-request comment.

use super::Diff;

impl Diff {
    /// The diff as text for a terminal or a CI log.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for w in &self.warnings {
            out.push_str(&format!("warning: {w}\n"));
        }
        if self.is_empty() {
            out.push_str("no change\n");
            return out;
        }
        let mut section = |title: &str, items: &[String]| {
            if !items.is_empty() {
                out.push_str(&format!("{title} ({}):\n", items.len()));
                for i in items {
                    out.push_str(&format!("  {i}\n"));
                    if let Some(v) = self.violations.get(i) {
                        out.push_str(&format!("      violation: {v}\n"));
                    }
                }
            }
        };
        for (title, items) in self.sections() {
            section(title, items);
        }
        if !self.shape_changes.is_empty() {
            out.push_str(&format!(
                "response shape changes ({}):\n",
                self.shape_changes.len()
            ));
            for (name, diff) in &self.shape_changes {
                out.push_str(&format!("  {name}\n"));
                for line in diff.lines() {
                    out.push_str(&format!("    {line}\n"));
                }
            }
        }
        out
    }

    /// The diff as Markdown, for a pull-request comment: a verdict, the warnings, each list
    /// with its violations, and the shape changes as `diff` blocks.
    pub fn render_markdown(&self, strict: bool) -> String {
        let verdict = if self.fails_strict(strict) {
            "❌ regression"
        } else {
            "✅ no regression"
        };
        let mut out = format!("## vouch diff: {verdict}\n\n");
        for w in &self.warnings {
            out.push_str(&format!("> ⚠️ {}\n", md(w)));
        }
        if !self.warnings.is_empty() {
            out.push('\n');
        }
        if self.is_empty() {
            out.push_str("No change.\n");
            return out;
        }
        for (title, items) in self.sections() {
            if items.is_empty() {
                continue;
            }
            out.push_str(&format!("### {} ({})\n\n", title, items.len()));
            for i in items {
                out.push_str(&format!("- `{}`", code(i)));
                if let Some(v) = self.violations.get(i) {
                    out.push_str(&format!(": `{}`", code(v)));
                }
                out.push('\n');
            }
            out.push('\n');
        }
        if !self.shape_changes.is_empty() {
            out.push_str(&format!(
                "### response shape changes ({})\n\n",
                self.shape_changes.len()
            ));
            for (name, diff) in &self.shape_changes {
                out.push_str(&format!(
                    "<details><summary><code>{}</code></summary>\n\n```diff\n{}```\n\n</details>\n\n",
                    crate::report::escape_xml(name),
                    diff.replace("```", "'''")
                ));
            }
        }
        out
    }

    /// The lists, titled, in the order they are shown (what fails the gate first).
    fn sections(&self) -> [(&'static str, &[String]); 10] {
        [
            ("regressions (passed → failed)", &self.regressions),
            ("lost coverage", &self.lost_coverage),
            ("contract changes", &self.contract_changes),
            ("new failures", &self.new_failures),
            ("fixed", &self.fixed),
            ("newly covered", &self.newly_covered),
            ("vendor evidence", &self.evidence_changes),
            ("allowed", &self.allowed),
            (
                "new unconfirmed findings (our choices; information, a failure only with --strict)",
                &self.new_unconfirmed,
            ),
            ("not compared (outside one run's selection)", &self.left_out),
        ]
    }
}

/// Text inside a Markdown code span: a backtick would end it.
fn code(text: &str) -> String {
    text.replace('`', "'").replace('\n', " ")
}

/// Text in Markdown prose: no HTML, no line breaks.
fn md(text: &str) -> String {
    crate::report::escape_xml(&text.replace('\n', " "))
}
