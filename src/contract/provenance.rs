//! Where a contract rule comes from: a vendor source, or our own choice.
//!
//! A rule that no vendor source states is marked where it sits with `x-vouch-choice`
//! (contracts/CONVENTIONS.md § Provenance); every other rule is the vendor's, and its source is
//! the nearest `x-vouch-source` on the way from the failing keyword up to the operation. The
//! `Index` reads every mark, source and `$ref` of a document once, at load time; resolving a
//! violation is then a few map look-ups along the validator's evaluation path, memoised per
//! (compiled schema, evaluation path, member), so the mock's per-request validation stays fast.

use super::ContractError;
use super::document::{join, local_ref};
use super::{Contract, Direction, Operation, ParamIn, Provenance, ResponseSpec, Violation};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::RwLock;

impl Contract {
    /// Gives each violation of an HTTP rule (`parameter-required`, `security`, `body-required`,
    /// `status`, `header-required`, `content-type`, `json`, `unexpected-body`) the provenance
    /// of the object its keyword sits on: the parameter, the operation, the `requestBody`, the
    /// response (`response`, when the status is documented). Schema findings keep theirs.
    pub(super) fn attributed(
        &self,
        op: &Operation,
        response: Option<&ResponseSpec>,
        mut violations: Vec<Violation>,
    ) -> Vec<Violation> {
        let body = op.request_body.as_ref().map(|b| b.pointer.as_str());
        for v in &mut violations {
            let member = v.pointer.rsplit('/').next().map(super::document::unescape);
            let (object, keyword) = match (v.rule.as_str(), v.direction) {
                ("parameter-required", _) => {
                    let Some(p) = op.parameters.iter().find(|p| {
                        let name = match p.location {
                            ParamIn::Header => p.name.to_ascii_lowercase(),
                            _ => p.name.clone(),
                        };
                        v.pointer == join(&format!("/{}", p.location.as_str()), &name)
                    }) else {
                        continue;
                    };
                    (p.pointer.clone(), "required")
                }
                ("security", _) => (op.pointer.clone(), "security"),
                ("status", _) => (join(&op.pointer, "responses"), "status"),
                ("body-required", _) => (body.unwrap_or(&op.pointer).to_string(), "required"),
                ("header-required", _) => match response {
                    Some(r) => (r.pointer.clone(), "headers"),
                    None => continue,
                },
                ("content-type" | "json" | "unexpected-body", Direction::Request) => {
                    (body.unwrap_or(&op.pointer).to_string(), "content")
                }
                ("content-type" | "json" | "unexpected-body", Direction::Response) => {
                    match response {
                        Some(r) => (r.pointer.clone(), "content"),
                        None => continue,
                    }
                }
                _ => continue,
            };
            let member = (keyword == "headers").then_some(member).flatten();
            v.provenance = self.schemas().provenance().for_object(
                &object,
                keyword,
                member.as_deref(),
                &op.pointer,
            );
        }
        violations
    }
}

/// One `x-vouch-choice` mark.
#[derive(Debug, Clone)]
struct Mark {
    /// The keywords it covers; empty for every keyword of its object.
    keywords: Vec<String>,
    /// With `required`: the member names it covers; empty for all.
    members: Vec<String>,
    reason: String,
    notes: String,
}

impl Mark {
    fn covers(&self, keyword: &str, member: Option<&str>) -> bool {
        (self.keywords.is_empty() || self.keywords.iter().any(|k| k == keyword))
            && (self.members.is_empty()
                || keyword != "required"
                || member.is_some_and(|m| self.members.iter().any(|x| x == m)))
    }
}

/// Every mark, source and `$ref` of one contract document, by JSON pointer.
#[derive(Debug, Default)]
pub(crate) struct Index {
    marks: HashMap<String, Vec<Mark>>,
    sources: HashMap<String, String>,
    refs: HashMap<String, String>,
    memo: RwLock<HashMap<(String, String, String), Provenance>>,
}

impl Index {
    /// Reads the document. A malformed mark is an error naming its pointer and field.
    pub(crate) fn new(doc: &Value) -> Result<Self, ContractError> {
        let mut index = Self::default();
        index.walk(doc, "")?;
        Ok(index)
    }

    fn walk(&mut self, value: &Value, at: &str) -> Result<(), ContractError> {
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str)
                    && let Ok(target) = local_ref(reference)
                {
                    self.refs.insert(at.to_string(), target);
                }
                if let Some(source) = map.get("x-vouch-source").and_then(Value::as_str) {
                    self.sources.insert(at.to_string(), source.to_string());
                }
                if let Some(choice) = map.get("x-vouch-choice") {
                    let marks = parse_marks(choice, at)?;
                    // A parameter's mark also covers the keywords of its schema
                    // (CONVENTIONS.md § Provenance).
                    if map.contains_key("in") && map.contains_key("schema") {
                        self.marks
                            .entry(join(at, "schema"))
                            .or_default()
                            .extend(marks.iter().cloned());
                    }
                    self.marks.entry(at.to_string()).or_default().extend(marks);
                }
                for (key, child) in map {
                    // Examples are payloads, not rules (unless a schema names a member so).
                    let payload =
                        (key == "example" || key == "examples") && !at.ends_with("/properties");
                    if key != "x-vouch-choice" && !payload {
                        self.walk(child, &join(at, key))?;
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    self.walk(child, &format!("{at}/{i}"))?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The provenance of an HTTP rule (`body-required`, `parameter-required`, `header-required`,
    /// `content-type`, ...) whose keyword sits on the object at `object` (a `requestBody`, a
    /// parameter, a response): its mark, else the nearest source from it up through the
    /// document, else `fallback` (the operation's pointer).
    pub(crate) fn for_object(
        &self,
        object: &str,
        keyword: &str,
        member: Option<&str>,
        fallback: &str,
    ) -> Provenance {
        if let Some(choice) = self.choice_at(object, keyword, member) {
            return choice;
        }
        Provenance::Vendor {
            source: self
                .nearest_source(ancestors(object))
                .or_else(|| self.nearest_source(ancestors(fallback))),
        }
    }

    /// The provenance of a schema keyword that failed. `root` is the pointer of the compiled
    /// schema; `evaluation` the validator's evaluation path (through `$ref`s) from the wrapper
    /// `{"$ref": root}`; `location` the keyword's canonical location in the document;
    /// `member` the missing member for `required`.
    pub(crate) fn for_keyword(
        &self,
        root: &str,
        evaluation: &str,
        location: &str,
        member: Option<&str>,
    ) -> Provenance {
        let key = (
            root.to_string(),
            evaluation.to_string(),
            member.unwrap_or_default().to_string(),
        );
        if let Some(p) = self
            .memo
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return p.clone();
        }
        let resolved = self.resolve(root, evaluation, location, member);
        self.memo
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, resolved.clone());
        resolved
    }

    fn resolve(
        &self,
        root: &str,
        evaluation: &str,
        location: &str,
        member: Option<&str>,
    ) -> Provenance {
        let (object, keyword) = location.rsplit_once('/').unwrap_or(("", location));
        if let Some(choice) = self.choice_at(object, keyword, member) {
            return choice;
        }
        // The route the validator took, as document pointers: the wrapper's `$ref` lands on
        // `root`, every further `$ref` jumps to its target, every other token descends.
        let mut route: Vec<String> = Vec::new();
        let mut tokens = evaluation.split('/').skip(1).peekable();
        let mut current: Option<String> = None;
        while let Some(token) = tokens.next() {
            if tokens.peek().is_none() {
                break; // the keyword itself
            }
            let next = match (token, &current) {
                ("$ref", None) => Some(root.to_string()),
                ("$ref", Some(at)) => self.refs.get(at).cloned(),
                (t, Some(at)) => Some(format!("{at}/{t}")),
                (_, None) => None,
            };
            let Some(next) = next else {
                route.clear();
                break;
            };
            route.push(next.clone());
            current = Some(next);
        }
        if route.is_empty() {
            route.extend(ancestors(object).map(str::to_string));
            route.reverse();
        }
        let source = self
            .nearest_source(route.iter().rev().map(String::as_str))
            .or_else(|| self.nearest_source(ancestors(root)));
        Provenance::Vendor { source }
    }

    /// The nearest `x-vouch-source` at or above `pointer` (for a rule with no nearer one).
    pub(crate) fn source_at(&self, pointer: &str) -> Provenance {
        Provenance::Vendor {
            source: self.nearest_source(ancestors(pointer)),
        }
    }

    fn choice_at(&self, object: &str, keyword: &str, member: Option<&str>) -> Option<Provenance> {
        self.marks
            .get(object)?
            .iter()
            .find(|m| m.covers(keyword, member))
            .map(|m| Provenance::Choice {
                reason: m.reason.clone(),
                notes: m.notes.clone(),
            })
    }

    fn nearest_source<'a>(&self, mut pointers: impl Iterator<Item = &'a str>) -> Option<String> {
        pointers.find_map(|p| self.sources.get(p).cloned())
    }
}

/// `pointer` and every pointer above it, nearest first, the document root last.
fn ancestors(pointer: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(pointer);
    std::iter::from_fn(move || {
        let at = next?;
        next = at.rsplit_once('/').map(|(up, _)| up);
        Some(at)
    })
}

fn parse_marks(value: &Value, at: &str) -> Result<Vec<Mark>, ContractError> {
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    items
        .into_iter()
        .map(|item| {
            let field = |name: &str| {
                item.get(name)
                    .and_then(Value::as_str)
                    .filter(|s| !s.trim().is_empty())
                    .map(str::to_string)
                    .ok_or_else(|| ContractError::BadMark {
                        at: at.to_string(),
                        problem: format!("`{name}` must be a non-empty string"),
                    })
            };
            let list = |name: &str| -> Result<Vec<String>, ContractError> {
                match item.get(name) {
                    None => Ok(Vec::new()),
                    Some(Value::Array(xs)) => xs
                        .iter()
                        .map(|x| {
                            x.as_str()
                                .map(str::to_string)
                                .ok_or_else(|| ContractError::BadMark {
                                    at: at.to_string(),
                                    problem: format!("`{name}` must list strings"),
                                })
                        })
                        .collect(),
                    Some(_) => Err(ContractError::BadMark {
                        at: at.to_string(),
                        problem: format!("`{name}` must be a list"),
                    }),
                }
            };
            if !item.is_object() {
                return Err(ContractError::BadMark {
                    at: at.to_string(),
                    problem: "must be a mapping or a list of mappings".into(),
                });
            }
            Ok(Mark {
                keywords: list("keywords")?,
                members: list("members")?,
                reason: field("reason")?,
                notes: field("notes")?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "paths": {"/t": {"post": {
                "x-vouch-source": "Example page § Create",
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 5},
                    "x-vouch-choice": {"keywords": ["maximum"], "reason": "assumed a page size", "notes": "choice-limit"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Target"}}}}
            }}},
            "components": {"schemas": {
                "Target": {"type": "object", "required": ["name", "company"],
                    "x-vouch-choice": {"keywords": ["required"], "members": ["company"],
                        "reason": "the vendor's examples always send it", "notes": "choice-target"},
                    "properties": {"inner": {"$ref": "#/components/schemas/Inner"}}},
                "Inner": {"type": "string", "x-vouch-source": "schema-sdk@abc src/inner.json"}
            }}
        })
    }

    #[test]
    fn marks_sources_and_refs_resolve() {
        let ix = Index::new(&doc()).unwrap();
        let root = "/paths/~1t/post/requestBody/content/application~1json/schema";
        let t = "/components/schemas/Target";
        assert!(
            ix.for_keyword(
                root,
                "/$ref/$ref/required",
                &format!("{t}/required"),
                Some("company")
            )
            .is_choice()
        );
        assert_eq!(
            ix.for_keyword(
                root,
                "/$ref/$ref/required",
                &format!("{t}/required"),
                Some("name")
            ),
            Provenance::Vendor {
                source: Some("Example page § Create".into())
            }
        );
        assert_eq!(
            ix.for_keyword(
                root,
                "/$ref/$ref/properties/inner/$ref/type",
                "/components/schemas/Inner/type",
                None
            ),
            Provenance::Vendor {
                source: Some("schema-sdk@abc src/inner.json".into())
            }
        );
        let param = "/paths/~1t/post/parameters/0";
        assert!(
            ix.for_keyword(
                &format!("{param}/schema"),
                "/$ref/maximum",
                &format!("{param}/schema/maximum"),
                None
            )
            .is_choice()
        );
        assert!(
            !ix.for_object(param, "required", None, "/paths/~1t/post")
                .is_choice()
        );
    }

    #[test]
    fn http_rules_take_the_mark_of_their_object() {
        let doc = json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/t": {"post": {
                "operationId": "make", "x-vouch-source": "Example page § Make",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object"}}},
                    "x-vouch-choice": {"reason": "assumed a body is needed", "notes": "choice-body"}},
                "responses": {"200": {"description": "ok",
                    "headers": {"X-Id": {"required": true, "schema": {"type": "string"}}},
                    "content": {"application/json": {"schema": {"type": "object"}}}}}
            }}}
        });
        let contract = Contract::from_value("t", doc, "test").unwrap();
        let op = contract.operation("make").unwrap();
        let m = contract.find(&http::Method::POST, "/t").unwrap();
        let headers = http::HeaderMap::new();
        let request = super::super::HttpRequest {
            method: &http::Method::POST,
            path: "/t",
            headers: &headers,
            body: b"",
        };
        let v = contract.validate_request(&m, &request);
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0].rule, "body-required");
        assert!(v[0].is_unconfirmed());
        let mut json = http::HeaderMap::new();
        json.insert("content-type", "application/json".parse().unwrap());
        let response = super::super::HttpResponse {
            status: 200,
            headers: &json,
            body: b"{}",
        };
        let v = contract.validate_response(op, &response);
        assert_eq!(v[0].rule, "header-required");
        assert_eq!(
            v[0].provenance,
            Provenance::Vendor {
                source: Some("Example page § Make".into())
            }
        );
    }

    #[test]
    fn a_malformed_mark_names_its_field() {
        let bad = json!({"components": {"schemas": {"A": {"x-vouch-choice": {"reason": "r"}}}}});
        let e = Index::new(&bad).unwrap_err().to_string();
        assert!(
            e.contains("/components/schemas/A/x-vouch-choice") && e.contains("`notes`"),
            "{e}"
        );
    }
}
