//! A contract violation: what was checked, where, which rule, expected versus actual.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Whether a violation concerns the request a client sent or the response a server gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The request a client sent (serialised `request`).
    Request,
    /// The response a server gave (serialised `response`).
    Response,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Request => "request",
            Direction::Response => "response",
        })
    }
}

/// One way an HTTP exchange departs from the contract.
///
/// `pointer` is a JSON pointer over the whole exchange: `/status`, `/headers/content-type`,
/// `/query/limit`, `/path/uuid`, `/body`, `/body/data/errorCode`. `rule` names the rule broken:
/// a JSON Schema keyword (`required`, `type`, `enum`, `format`, `pattern`, ...) for body and
/// parameter values, or one of vouch's HTTP rules (`unknown-operation`, `method`, `status`,
/// `content-type`, `json`, `body-required`, `parameter-required`, `header-required`,
/// `security`, `unexpected-body`, and `schema` when the contract's schema does not compile).
/// `actual` never carries a secret or PII value: see [`crate::redact`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The API id whose contract was broken (`verified`, `trusona`, ...).
    pub api: String,
    /// The operation's `operationId`, when the exchange matched one.
    pub operation: Option<String>,
    /// Whether the request or the response broke the contract.
    pub direction: Direction,
    /// Where, as a JSON pointer over the whole exchange (see above). For a contract example
    /// checked by [`crate::contract::lint`] it points into the example itself, empty for its
    /// root.
    pub pointer: String,
    /// The rule broken: a JSON Schema keyword or one of vouch's HTTP rules (see above).
    pub rule: String,
    /// What the contract asks for, in words (`one of 200, 4XX`, `a request body`).
    pub expected: String,
    /// What the exchange had instead, secret and PII values redacted (`missing`, `"OCE0010"`).
    pub actual: String,
    /// Where the rule comes from: a vendor source, or our choice (then the violation is
    /// *unconfirmed*: it fails a command only under `--strict`).
    pub provenance: Provenance,
}

impl Violation {
    /// Whether the rule broken is our choice, not a vendor's (`x-vouch-choice`).
    pub fn is_unconfirmed(&self) -> bool {
        self.provenance.is_choice()
    }

    /// The pointer inside the body (`/data/errorCode`), when the violation is in the body.
    pub fn body_pointer(&self) -> Option<&str> {
        self.pointer
            .strip_prefix("/body")
            .filter(|p| p.is_empty() || p.starts_with('/'))
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ", self.api)?;
        if let Some(op) = &self.operation {
            write!(f, "{op} ")?;
        }
        write!(
            f,
            "{} {}: {}: expected {}, got {}",
            self.direction,
            if self.pointer.is_empty() {
                "/"
            } else {
                &self.pointer
            },
            self.rule,
            self.expected,
            self.actual
        )
    }
}

/// Renders a list of violations, one per line, for a terminal; an unconfirmed one (a violation
/// of our choice) is flagged with its reason and NOTES anchor on the line after it.
pub fn render(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| match &v.provenance {
            Provenance::Choice { .. } => {
                format!("  - {v}\n      {}\n", v.provenance.describe())
            }
            Provenance::Vendor { .. } => format!("  - {v}\n"),
        })
        .collect()
}

/// Renders violations with the source of every rule (`vouch validate`, `vouch evidence`): each
/// line followed by `vendor rule: <source>` or `unconfirmed (our choice, ...): <reason>`.
pub fn render_sourced(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| format!("  - {v}\n      {}\n", v.provenance.describe()))
        .collect()
}

/// Whether violations fail a check: any confirmed one, or under `strict` any at all.
pub fn fails(violations: &[Violation], strict: bool) -> bool {
    violations.iter().any(|v| strict || !v.is_unconfirmed())
}

/// Where the rule a violation breaks comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Provenance {
    /// A rule a vendor source states: the nearest `x-vouch-source` (none when the contract
    /// names none on the way up to the operation).
    Vendor {
        /// The `x-vouch-source` text: a reference-page section, a vendor file, a recording.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<String>,
    },
    /// Our inference where the vendor sources are silent or disagree (`x-vouch-choice`): a
    /// violation of it is *unconfirmed* and fails only under `--strict`.
    Choice {
        /// What we assumed and why.
        reason: String,
        /// The anchor of its row in contracts/NOTES.md § Choices (`choice-...`).
        notes: String,
    },
}

impl Default for Provenance {
    /// A vendor rule without a named source (violations made outside a contract's rules).
    fn default() -> Self {
        Provenance::Vendor { source: None }
    }
}

impl Provenance {
    /// Whether the rule is our choice (a violation of it is unconfirmed).
    pub fn is_choice(&self) -> bool {
        matches!(self, Provenance::Choice { .. })
    }

    /// One line for a terminal or a report: `vendor rule: <source>` or
    /// `unconfirmed (our choice, NOTES.md#<anchor>): <reason>`.
    pub fn describe(&self) -> String {
        match self {
            Provenance::Vendor { source: Some(s) } => format!("vendor rule: {s}"),
            Provenance::Vendor { source: None } => "vendor rule: no source named".into(),
            Provenance::Choice { reason, notes } => {
                format!("unconfirmed (our choice, NOTES.md#{notes}): {reason}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_reads_as_one_line() {
        let v = Violation {
            api: "verified".into(),
            operation: Some("createOneClick".into()),
            direction: Direction::Response,
            pointer: "/body/data/errorCode".into(),
            rule: "enum".into(),
            expected: "one of \"ERR001\", \"OCE001\"".into(),
            actual: "\"OCE0010\"".into(),
            provenance: Provenance::default(),
        };
        assert_eq!(
            v.to_string(),
            "verified createOneClick response /body/data/errorCode: enum: expected one of \"ERR001\", \"OCE001\", got \"OCE0010\""
        );
        assert_eq!(v.body_pointer(), Some("/data/errorCode"));
    }

    #[test]
    fn body_pointer_only_for_body_locations() {
        let mut v = Violation {
            api: "a".into(),
            operation: None,
            direction: Direction::Request,
            pointer: "/bodyguard".into(),
            rule: "x".into(),
            expected: String::new(),
            actual: String::new(),
            provenance: Provenance::default(),
        };
        assert_eq!(v.body_pointer(), None);
        v.pointer = "/body".into();
        assert_eq!(v.body_pointer(), Some(""));
    }
}
