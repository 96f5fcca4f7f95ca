//! No panic reaches a client. An API's code runs under [`guarded`]: a panic there is answered
//! with the vendor's own 500 shape (the API's `error_response`), and anything else that panics
//! while answering (the pipeline, an `error_response` itself, the admin API) is caught around
//! the whole request by [`catch_all`], which answers vouch's plain 500. Either way the panic
//! is kept as a finding (`GET /__admin/violations`, rule `panic`), and the server goes on
//! serving: every lock in the mock recovers from poisoning.

use super::state::MockState;
use crate::contract::{Direction, Violation};
use axum::response::Response;
use futures::FutureExt;
use http::StatusCode;
use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The most of a panic's message kept in the finding.
const MESSAGE_CHARS: usize = 200;

/// The text of a panic's payload (`panic!("...")` gives a `&str` or a `String`).
fn message(payload: &(dyn Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into());
    let first = text.lines().next().unwrap_or_default();
    first.chars().take(MESSAGE_CHARS).collect()
}

/// Keeps a panic as a finding of the self-check (kept whether self-check is on or not).
fn record(state: &MockState, api: &str, operation: Option<&str>, payload: &(dyn Any + Send)) {
    state.record_finding(Violation {
        api: api.to_string(),
        operation: operation.map(str::to_string),
        direction: Direction::Response,
        pointer: String::new(),
        rule: "panic".into(),
        expected: "an answer from the mock".into(),
        actual: format!("the mock panicked: {}", message(payload)),
        provenance: Default::default(),
    });
}

/// Runs an API's code; `Err(())` when it panicked (and the panic is recorded).
pub(crate) fn guarded<T>(
    state: &MockState,
    api: &str,
    operation: Option<&str>,
    code: impl FnOnce() -> T,
) -> Result<T, ()> {
    catch_unwind(AssertUnwindSafe(code)).map_err(|payload| {
        record(state, api, operation, payload.as_ref());
    })
}

/// Answers a request, or a plain 500 `{"error": ...}` if answering panicked.
///
/// A function returning the wrapped future rather than an `async fn`: an `async fn` keeps its
/// arguments apart from its locals, so `answer` (the pipeline's future) was held twice in every
/// request's future (issue #24: 3 040 bytes, 1 760 without the copy).
pub(crate) fn catch_all<'a>(
    state: &'a MockState,
    path: &'a str,
    answer: impl Future<Output = Response> + 'a,
) -> impl Future<Output = Response> + 'a {
    AssertUnwindSafe(answer)
        .catch_unwind()
        .map(move |caught| match caught {
            Ok(response) => response,
            Err(payload) => {
                let api = crate::redact::url::split_api_prefix(path).0;
                record(state, api, None, payload.as_ref());
                super::answer::plain_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the mock failed to answer (a defect of vouch; see GET /__admin/violations)",
                )
            }
        })
}
