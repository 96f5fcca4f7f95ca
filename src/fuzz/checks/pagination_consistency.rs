//! `pagination_consistency`: a page requested along a link from an earlier page (a cursor taken
//! from it) neither repeats what the earlier page listed up to the cursor nor skips what it
//! listed after it.
//!
//! Each page alone matches its schema; only the pair shows an item served twice or never. The
//! link that turns the page is marked (contracts/CONVENTIONS.md):
//!
//! ```yaml
//! NextPage:
//!   operationId: listWidgets
//!   parameters: {after: $response.body#/next, limit: $request.query.limit}
//!   x-vouch-page: {items: /data, key: /id, cursor: after}
//! ```
//!
//! `items` points at the page's array, `key` at an item's identity (the whole item without
//! it), `cursor` names the link parameter that carries the cursor. When the cursor is the key
//! of an item of the earlier page, the new page starts with the items listed after it there
//! (a link from the first item checks for skips; one from the last item, for repeats);
//! otherwise (an opaque cursor) it shares no item with the earlier page. Schemathesis has no
//! such check.

use super::{Check, CheckInput, ContractMark, Descriptor, FuzzCheck, Linked, Outcome};
use crate::contract::{Contract, Link, Operation, StatusKey};
use serde_json::Value;

pub(crate) struct PaginationConsistency;

/// The mark on a link that turns a page.
pub(crate) const PAGE_MARK: &str = "x-vouch-page";

/// `--checks pagination_consistency`.
pub(super) const CHECK: Check = Check(&Descriptor {
    name: "pagination_consistency",
    short: "pages",
    help: "A page along a cursor link neither repeats nor skips the items of the page it follows.",
    linked: Linked::Only,
    rule: &PaginationConsistency,
});

/// An `x-vouch-page` mark, read.
struct Page<'m> {
    items: &'m str,
    key: &'m str,
    cursor: &'m str,
}

impl<'m> Page<'m> {
    fn read(at: &str, mark: &'m Value) -> Result<Self, ContractMark> {
        let field = |name| mark.get(name).and_then(Value::as_str);
        match (field("items"), field("key"), field("cursor")) {
            (Some(items), Some(key), Some(cursor)) => Ok(Self { items, key, cursor }),
            _ => Err(ContractMark::new(at, "needs items, key and cursor")),
        }
    }

    /// The identities of a page's items, in order; `None` when it has no array at `items`.
    fn keys(&self, page: &Value) -> Option<Vec<Value>> {
        let items = page.pointer(self.items)?.as_array()?;
        Some(
            items
                .iter()
                .map(|item| item.pointer(self.key).unwrap_or(item).clone())
                .collect(),
        )
    }
}

/// The successful responses' links of `op` named `name`.
fn link_named<'c>(op: &'c Operation, name: &str) -> Option<&'c Link> {
    op.responses
        .iter()
        .filter(|r| matches!(r.status, StatusKey::Code(200..=299)))
        .flat_map(|r| &r.links)
        .find(|l| l.name == name)
}

impl FuzzCheck for PaginationConsistency {
    fn check(&self, input: &CheckInput<'_>) -> Option<Outcome> {
        let followed = input.link?;
        let (at, mark) = followed.mark(input.contract, PAGE_MARK)?;
        let response = input.answer.ok()?;
        if !(200..300).contains(&response.status) {
            return None;
        }
        let page = match Page::read(&at, mark) {
            Ok(page) => page,
            Err(mistake) => return Some(Err(mistake.into())),
        };
        let earlier = page.keys(&followed.earlier)?;
        // A page without its array is `response_schema_conformance`'s.
        let current = page.keys(&serde_json::from_slice(response.body).ok()?)?;
        let from = input.contract.operation(&followed.from).ok()?;
        let cursor = link_named(from, &followed.name)
            .and_then(|l| l.parameters.get(page.cursor))
            .and_then(Value::as_str)
            .and_then(|e| e.strip_prefix("$response.body#"))
            .and_then(|p| followed.earlier.pointer(p));
        let at_cursor = cursor.and_then(|c| earlier.iter().position(|k| k == c));
        let (before, after) = match at_cursor {
            Some(i) => earlier.split_at(i + 1),
            None => (earlier.as_slice(), &[][..]),
        };
        let cursor = cursor.map_or("an opaque cursor".to_string(), ToString::to_string);
        if let Some(again) = current.iter().find(|k| before.contains(k)) {
            return Some(Err(format!(
                "the page along link {} (after {cursor}) repeats {again}, which the page it \
                 follows listed up to the cursor",
                followed.name
            )
            .into()));
        }
        let skipped = after.iter().zip(&current).find(|(want, got)| want != got);
        Some(match skipped {
            Some((want, got)) => Err(format!(
                "the page along link {} (after {cursor}) skips {want}: the page it follows \
                 listed it next, this page has {got} there",
                followed.name
            )
            .into()),
            None => Ok(()),
        })
    }

    fn applies_to(&self, contract: &Contract, op: &Operation) -> bool {
        contract.operations().iter().any(|from| {
            from.responses
                .iter()
                .filter(|r| matches!(r.status, StatusKey::Code(200..=299)))
                .any(|spec| {
                    spec.links.iter().any(|l| {
                        l.operation_id == op.id
                            && super::link_mark(contract, spec, &l.name, PAGE_MARK).is_some()
                    })
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::HttpResponse;
    use crate::fuzz::cases::{Case, Credentials};
    use crate::fuzz::checks::{CheckFailure, FollowedLink};
    use serde_json::json;

    /// A list whose `Next` link carries `cursor` (an expression) and the page mark `mark`.
    fn contract(cursor: &str, mark: Value) -> Contract {
        let doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/things": {"get": {
                "operationId": "listThings",
                "parameters": [{"name": "cursor", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "a page", "links": {"Next": {
                    "operationId": "listThings",
                    "parameters": {"cursor": cursor},
                    "x-vouch-page": mark
                }}}}
            }}}
        });
        Contract::from_value("things", doc, "test").unwrap()
    }

    fn judged(contract: &Contract, earlier: Value, page: Value) -> Option<Outcome> {
        let op = contract.operation("listThings").unwrap();
        let link = &op.responses[0].links[0];
        let followed = FollowedLink::new(link, op, 200, &earlier);
        let case = Case {
            label: "listThings (link Next of step 1)".into(),
            positive: true,
            method: "GET".into(),
            path: "/things".into(),
            headers: Vec::new(),
            body: None,
            content_type: None,
            credentials: Credentials::Valid,
            probe: None,
            namespace: None,
            tenant: None,
        };
        let headers = http::HeaderMap::new();
        let body = page.to_string();
        let answer = HttpResponse {
            status: 200,
            headers: &headers,
            body: body.as_bytes(),
        };
        let input = CheckInput::new(contract, op, &case, Ok(&answer), Some(&followed), false);
        PaginationConsistency.check(&input)
    }

    #[test]
    fn an_opaque_cursor_shares_no_item_with_the_page_it_follows() {
        let mark = json!({"items": "/items", "key": "/n", "cursor": "cursor"});
        let contract = contract("$response.body#/token", mark);
        let earlier = json!({"items": [{"n": 1}, {"n": 2}], "token": "opaque"});
        let fine = judged(&contract, earlier.clone(), json!({"items": [{"n": 3}]}));
        assert_eq!(fine, Some(Ok(())));
        let again = judged(&contract, earlier, json!({"items": [{"n": 2}, {"n": 3}]}));
        let Some(Err(failure)) = again else {
            panic!("{again:?}")
        };
        assert!(failure.to_string().contains("repeats 2"), "{failure}");
    }

    #[test]
    fn a_cursor_on_an_item_is_followed_by_the_items_after_it() {
        let mark = json!({"items": "/items", "key": "/n", "cursor": "cursor"});
        let contract = contract("$response.body#/items/0/n", mark);
        let earlier = json!({"items": [{"n": 1}, {"n": 2}, {"n": 3}]});
        let fine = judged(
            &contract,
            earlier.clone(),
            json!({"items": [{"n": 2}, {"n": 3}]}),
        );
        assert_eq!(fine, Some(Ok(())));
        let skipped = judged(&contract, earlier, json!({"items": [{"n": 3}, {"n": 4}]}));
        let Some(Err(failure)) = skipped else {
            panic!("{skipped:?}")
        };
        assert!(failure.to_string().contains("skips 2"), "{failure}");
    }

    #[test]
    fn a_malformed_mark_is_the_contracts_mistake() {
        let contract = contract("$response.body#/token", json!({"items": "/items"}));
        let earlier = json!({"items": [], "token": "t"});
        let outcome = judged(&contract, earlier, json!({"items": []}));
        assert!(
            matches!(outcome, Some(Err(CheckFailure::Mark(_)))),
            "{outcome:?}"
        );
    }
}
