//! Verification types (§ Create / Get / Update verification type, § Get verification types).

use super::super::api::{MockError, MockRequest, MockResponse};
use super::envelope;
use super::questions::question_ids;
use serde_json::{Map, Value, json};

/// The documented defaults of a new verification type (§ Create verification type).
const DEFAULTS: [(&str, i64); 4] = [
    ("expirationInSecs", 900),
    ("maxSessionsRecentPast", 2),
    ("recentPastSecs", 3600),
    ("maxAttemptsPerSession", 3),
];

/// § Get verification types: `limit` defaults to 25 (1..100 is the contract's to enforce).
const DEFAULT_LIMIT: usize = 25;

/// One company's verification types, oldest first (the list order).
#[derive(Debug, Default)]
pub struct VerificationTypes {
    items: Vec<Map<String, Value>>,
}

/// `VT-XXXX-XXXX`, as in the page's example `VT-7RKX-OKQZ`.
fn new_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let chars: String = bytes[..8]
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    format!("VT-{}-{}", &chars[..4], &chars[4..])
}

fn bad(field: &str, message: String) -> MockError {
    MockError::new(400, "Invalid request")
        .detail("errors", json!([{"field": field, "message": message}]))
}

fn not_found(id: &str) -> MockError {
    MockError::new(404, format!("Verification type {id} not found"))
}

/// Applies the members of a create/update body to `target`, checking the rules the schema
/// cannot: question ids must exist in the bank, and each selection criterion may only draw on
/// enabled questions and cannot ask for more than it names.
fn apply(target: &mut Map<String, Value>, body: &Map<String, Value>) -> Result<(), MockError> {
    for (key, value) in body {
        target.insert(key.clone(), value.clone());
    }
    let bank: Vec<&str> = question_ids().collect();
    let enabled: Vec<String> = match target.get("enabledQuestionIds") {
        Some(Value::Array(ids)) => ids
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        // "if null then all available questions will be considered"
        _ => bank.iter().map(|s| s.to_string()).collect(),
    };
    for (i, id) in enabled.iter().enumerate() {
        if !bank.contains(&id.as_str()) {
            return Err(bad(
                &format!("enabledQuestionIds.{i}"),
                format!("unknown question id `{id}`"),
            ));
        }
    }
    let criteria = target
        .get("questionSelectionCriteria")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (i, criterion) in criteria.iter().enumerate() {
        let ids: Vec<&str> = criterion["questionIds"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        // "Only questions with IDs present in enabledQuestionIds will be considered."
        if let Some(id) = ids.iter().find(|id| !enabled.iter().any(|e| e == *id)) {
            return Err(bad(
                &format!("questionSelectionCriteria.{i}.questionIds"),
                format!("question `{id}` is not enabled"),
            ));
        }
        let minimum = criterion["minimumCount"].as_u64().unwrap_or(0) as usize;
        if minimum > ids.len() {
            return Err(bad(
                &format!("questionSelectionCriteria.{i}.minimumCount"),
                format!("asks for {minimum} questions but names {}", ids.len()),
            ));
        }
    }
    Ok(())
}

impl VerificationTypes {
    fn find(&self, id: &str) -> Option<usize> {
        self.items.iter().position(|t| t["id"] == id)
    }

    pub fn create(&mut self, request: &MockRequest) -> Result<MockResponse, MockError> {
        let mut item = Map::new();
        item.insert("id".into(), Value::String(new_id()));
        for (key, default) in DEFAULTS {
            item.insert(key.into(), json!(default));
        }
        item.insert("enabledQuestionIds".into(), Value::Null);
        item.insert("questionSelectionCriteria".into(), json!([]));
        item.insert("createdAt".into(), json!(request.now.rfc3339()));
        item.insert("updatedAt".into(), json!(request.now.rfc3339()));
        let body = request
            .body
            .as_ref()
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        apply(&mut item, &body)?;
        self.items.push(item.clone());
        Ok(envelope(200, Value::Object(item)))
    }

    pub fn get(&self, request: &MockRequest) -> Result<MockResponse, MockError> {
        let id = &request.path_params["verificationTypeId"];
        let index = self.find(id).ok_or_else(|| not_found(id))?;
        Ok(envelope(200, Value::Object(self.items[index].clone())))
    }

    /// Members left out of the body keep their values (contracts/NOTES.md § Peach: PUT).
    pub fn update(&mut self, request: &MockRequest) -> Result<MockResponse, MockError> {
        let id = &request.path_params["verificationTypeId"];
        let index = self.find(id).ok_or_else(|| not_found(id))?;
        let mut updated = self.items[index].clone();
        let mut body = request
            .body
            .as_ref()
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        body.remove("id");
        apply(&mut updated, &body)?;
        updated.insert("updatedAt".into(), json!(request.now.rfc3339()));
        self.items[index] = updated.clone();
        Ok(envelope(200, Value::Object(updated)))
    }

    /// Cursor pagination: `startingAfter` pages forwards, `endingBefore` backwards and wins
    /// when both are given (SUPPLEMENT.md); `nextUrl` / `previousUrl` continue the walk.
    pub fn list(&self, request: &MockRequest) -> Result<MockResponse, MockError> {
        let limit = request
            .query
            .get("limit")
            .and_then(|l| l.parse::<usize>().ok())
            .unwrap_or(DEFAULT_LIMIT);
        let cursor = |name: &str| -> Result<Option<usize>, MockError> {
            match request.query.get(name) {
                None => Ok(None),
                Some(id) => self
                    .find(id)
                    .map(Some)
                    .ok_or_else(|| bad(name, format!("unknown verification type `{id}`"))),
            }
        };
        let (start, end) = match (cursor("endingBefore")?, cursor("startingAfter")?) {
            (Some(before), _) => (before.saturating_sub(limit), before),
            (None, Some(after)) => (after + 1, (after + 1 + limit).min(self.items.len())),
            (None, None) => (0, limit.min(self.items.len())),
        };
        let page: Vec<Value> = self.items[start..end]
            .iter()
            .cloned()
            .map(Value::Object)
            .collect();
        let url = |cursor: &str, id: &Value| {
            json!(format!(
                "{}/verification-types?limit={limit}&{cursor}={}",
                request.base_url,
                id.as_str().unwrap_or_default()
            ))
        };
        let next = if end < self.items.len() && end > 0 {
            url("startingAfter", &self.items[end - 1]["id"])
        } else {
            Value::Null
        };
        let previous = if start > 0 {
            url("endingBefore", &self.items[start]["id"])
        } else {
            Value::Null
        };
        Ok(MockResponse::json(
            200,
            json!({"status": 200, "total": self.items.len(), "count": page.len(), "nextUrl": next, "previousUrl": previous, "data": page}),
        ))
    }
}
