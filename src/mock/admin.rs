//! The admin API under `/__admin` (the WireMock convention). Its errors are vouch's own
//! `{"error": "..."}`, naming the member that is wrong.

use super::faults::FaultSpec;
use super::state::MockState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use bytes::Bytes;
use http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

pub(crate) fn routes() -> Router<Arc<MockState>> {
    Router::new()
        .route("/__admin", get(index))
        .route("/__admin/reset", post(reset))
        .route("/__admin/clock", get(clock))
        .route("/__admin/clock/advance", post(advance))
        .route("/__admin/requests", get(requests).delete(clear_requests))
        .route(
            "/__admin/faults",
            get(faults).post(add_fault).delete(clear_faults),
        )
        .route("/__admin/violations", get(violations))
        .route("/__admin/tenants", post(set_tenant))
        .route("/__admin/namespaces", get(namespaces))
}

fn bad(message: impl Into<String>) -> Response {
    super::answer::plain_error(StatusCode::BAD_REQUEST, &message.into())
}

/// An admin request's body, or why it is not one (answered 400 as `request body: ...`).
fn parse<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, BadBody> {
    serde_json::from_slice(body).map_err(BadBody)
}

/// An admin request body that is not the JSON the endpoint takes.
#[derive(Debug, thiserror::Error)]
#[error("request body: {0}")]
struct BadBody(serde_json::Error);

async fn index(State(state): State<Arc<MockState>>) -> Json<Value> {
    let apis: Vec<Value> = state
        .api_ids()
        .into_iter()
        .map(|id| {
            let tenants: Vec<Value> = state
                .credentials(id)
                .iter()
                .map(|c| {
                    json!({"tenant": c.tenant.name, "flags": c.tenant.flags,
                           "settings": c.tenant.settings})
                })
                .collect();
            json!({"api": id, "prefix": format!("/{id}"), "tenants": tenants})
        })
        .collect();
    Json(json!({
        "apis": apis,
        "now": state.clock.now().rfc3339(),
        "maxNamespaces": state.namespaces.max(),
    }))
}

/// The namespaces kept (`/__ns/<name>/...`) and how long each has been idle.
async fn namespaces(State(state): State<Arc<MockState>>) -> Json<Value> {
    let list: Vec<Value> = state
        .namespaces
        .list()
        .into_iter()
        .map(|(name, idle)| json!({"name": name, "idleSeconds": idle.as_secs()}))
        .collect();
    Json(json!({
        "namespaces": list,
        "max": state.namespaces.max(),
        "idleLimitSeconds": super::IDLE_NAMESPACE.as_secs(),
    }))
}

async fn reset(State(state): State<Arc<MockState>>) -> Json<Value> {
    state.reset();
    Json(json!({"reset": true}))
}

async fn clock(State(state): State<Arc<MockState>>) -> Json<Value> {
    let now = state.clock.now();
    Json(json!({"now": now.rfc3339(), "epochMilliseconds": now.epoch_millis()}))
}

async fn advance(State(state): State<Arc<MockState>>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Advance {
        seconds: u64,
    }
    match parse::<Advance>(&body) {
        Ok(a) => match state.clock.advance(a.seconds) {
            Ok(()) => clock(State(state)).await.into_response(),
            Err(e) => bad(e.to_string()),
        },
        Err(e) => bad(e.to_string()),
    }
}

async fn requests(
    State(state): State<Arc<MockState>>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Json<Value> {
    let entries = state.journal.entries(q.get("api").map(String::as_str));
    Json(json!({"requests": entries}))
}

async fn clear_requests(State(state): State<Arc<MockState>>) -> StatusCode {
    state.journal.clear();
    StatusCode::NO_CONTENT
}

async fn faults(State(state): State<Arc<MockState>>) -> Json<Value> {
    let list: Vec<Value> = state
        .faults
        .list()
        .into_iter()
        .map(|f| {
            json!({"api": f.api, "operationId": f.operation_id, "path": f.path, "status": f.status,
                   "delay_ms": f.delay_ms, "times": f.times, "fault": f.fault.map(|k| k.as_str())})
        })
        .collect();
    Json(json!({"faults": list}))
}

async fn add_fault(State(state): State<Arc<MockState>>, body: Bytes) -> Response {
    let spec: FaultSpec = match parse(&body) {
        Ok(s) => s,
        Err(e) => return bad(e.to_string()),
    };
    if let Err(e) = spec.validate() {
        return bad(e.to_string());
    }
    let Ok(contract) = state.contracts.get(&spec.api) else {
        return bad(format!(
            "`api`: unknown API `{}` (the mock serves: {})",
            spec.api,
            state.api_ids().join(", ")
        ));
    };
    if state.api_ids().iter().all(|id| *id != spec.api) {
        return bad(format!("`api`: the mock does not serve `{}`", spec.api));
    }
    if let Some(id) = &spec.operation_id
        && let Err(e) = contract.operation(id)
    {
        return bad(format!("`operationId`: {e}"));
    }
    state.faults.add(spec);
    (StatusCode::CREATED, Json(json!({"added": true}))).into_response()
}

async fn clear_faults(State(state): State<Arc<MockState>>) -> StatusCode {
    state.faults.clear();
    StatusCode::NO_CONTENT
}

/// `POST /__admin/tenants {"api", "tenant", "secret", "flags"?, "settings"?}`: accept a
/// credential for a tenant with these capability flags (a Verified brand's integration type:
/// `semi-hosted`, `non-hosted`) and settings (a Verified brand's Dashboard settings:
/// `{"redirect-url": "...", "brand-name": "..."}`), or change the tenant of a secret already
/// accepted. An unknown setting is refused naming it and the ones the API has.
async fn set_tenant(State(state): State<Arc<MockState>>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct SetTenant {
        api: String,
        tenant: String,
        secret: String,
        #[serde(default)]
        flags: Vec<String>,
        #[serde(default)]
        settings: BTreeMap<String, String>,
    }
    let spec: SetTenant = match parse(&body) {
        Ok(s) => s,
        Err(e) => return bad(e.to_string()),
    };
    for (name, value) in [("tenant", &spec.tenant), ("secret", &spec.secret)] {
        if value.trim().is_empty() {
            return bad(format!("`{name}` must not be empty"));
        }
    }
    let with_flags = spec
        .flags
        .iter()
        .fold(super::Tenant::new(&spec.tenant), |t, f| t.with_flag(f));
    let tenant = spec
        .settings
        .iter()
        .fold(with_flags, |t, (name, value)| t.with_setting(name, value));
    let credential = super::Credential {
        secret: spec.secret,
        tenant,
    };
    match state.set_credential(&spec.api, credential) {
        Ok(()) => (
            StatusCode::CREATED,
            Json(
                json!({"api": spec.api, "tenant": spec.tenant, "flags": spec.flags,
                        "settings": spec.settings}),
            ),
        )
            .into_response(),
        Err(e @ super::SetupError::UnknownSetting { .. }) => bad(format!("`settings`: {e}")),
        Err(e) => bad(format!("`api`: {e}")),
    }
}

async fn violations(State(state): State<Arc<MockState>>) -> Json<Value> {
    Json(json!({"violations": state.violations()}))
}
