//! Acme Widgets (tests/example-api/README.md): an invented API, written the way a vendor's
//! mock is, to show that an API is added with its own files only.
//!
//! Widgets belong to the tenant (the key) that created them; another tenant's widget answers
//! as an unknown one.

use super::api::{
    Credential, ErrorContext, Handler, MockApi, MockError, MockRequest, MockResponse, Operations,
    Tenant,
};
use crate::contract::Violation;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Mutex;

/// Every widget, by tenant, then by id.
type Widgets = HashMap<String, HashMap<String, Value>>;

/// The mock's state.
#[derive(Debug, Default)]
pub struct Acme {
    widgets: Mutex<Widgets>,
}

/// One row per operation of `contracts/widgets.yaml`.
const OPERATIONS: Operations<Handler<Widgets>> =
    Operations::new(&[("createWidget", create), ("getWidget", get)]);

/// `POST /widgets`: the body is valid (the pipeline checked it); the widget gets an id.
fn create(widgets: &mut Widgets, request: &MockRequest) -> Result<MockResponse, MockError> {
    let id = format!(
        "WG-{}",
        uuid::Uuid::new_v4()
            .simple()
            .to_string()
            .to_ascii_uppercase()
            .chars()
            .take(6)
            .collect::<String>()
    );
    let mut widget = request.body_object();
    widget.insert("id".into(), json!(id));
    let widget = Value::Object(widget);
    widgets
        .entry(request.tenant.name.clone())
        .or_default()
        .insert(id, widget.clone());
    Ok(MockResponse::json(201, widget))
}

/// `GET /widgets/{id}`: the tenant's own widget, else 404 `W404`.
fn get(widgets: &mut Widgets, request: &MockRequest) -> Result<MockResponse, MockError> {
    let id = request.path_params.get("id").cloned().unwrap_or_default();
    widgets
        .get(&request.tenant.name)
        .and_then(|own| own.get(&id))
        .map(|w| MockResponse::json(200, w.clone()))
        .ok_or_else(|| MockError::new(404, "no such widget").detail("code", json!("W404")))
}

impl MockApi for Acme {
    fn id(&self) -> &'static str {
        "widgets"
    }

    fn default_credentials(&self) -> Vec<Credential> {
        vec![
            Credential {
                secret: "acme-test-key".into(),
                tenant: Tenant::new("acme-one"),
            },
            Credential {
                secret: "acme-second-key".into(),
                tenant: Tenant::new("acme-two"),
            },
        ]
    }

    /// `{"error": {"code", "message"}}`; the code is `W` and the status unless a rule set one.
    fn error_response(&self, error: &MockError, _at: &ErrorContext<'_>) -> MockResponse {
        let code = error
            .details
            .get("code")
            .and_then(Value::as_str)
            .map_or_else(|| format!("W{}", error.status), str::to_string);
        MockResponse::json(
            error.status,
            json!({"error": {"code": code, "message": error.message}}),
        )
    }

    fn invalid_request(&self, _request: &MockRequest, violations: &[Violation]) -> MockError {
        let first = violations
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        MockError::new(400, format!("invalid request: {first}")).detail("code", json!("W400"))
    }

    fn operations(&self) -> Vec<&'static str> {
        OPERATIONS.ids()
    }

    fn handle(&self, request: MockRequest) -> Result<MockResponse, MockError> {
        let handler = OPERATIONS.handler(&request.operation)?;
        let mut widgets = self.widgets.lock().unwrap_or_else(|e| e.into_inner());
        handler(&mut widgets, &request)
    }

    fn reset(&self) {
        self.widgets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

/// Acme Widgets in the API registry.
pub const REGISTRATION: super::Registration = super::Registration {
    id: "widgets",
    mock: || std::sync::Arc::new(Acme::default()),
    public_test_credentials: &[],
    snapshot_filters: &[(r"\bWG-[A-Z0-9]{6}\b", "[widget-id]")],
    error_code_pointers: &["/error/code"],
    pii_names: &["ownerNationalId"],
};
