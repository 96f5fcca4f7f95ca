//! Checking an exchange against its contract: the request's route and rules, and the response
//! against the operation the request matched.

use super::{Exchange, Outcome};
use crate::contract::{Contract, HttpRequest, HttpResponse, RouteError, relative_to_base};

/// Checks `exchange`, sent to an API whose base URL is `base`, against `contract`. A request
/// that matches no operation has no response violations (there is nothing to check against).
pub fn check(contract: &Contract, base: &str, exchange: Exchange) -> Outcome {
    let relative = relative_to_base(&exchange.request.url, base).unwrap_or_default();
    let query = exchange
        .request
        .url
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    let path = format!("{relative}{query}");
    let headers: http::HeaderMap = exchange
        .request
        .headers
        .iter()
        .filter_map(|(k, v)| {
            Some((
                http::HeaderName::try_from(k.as_str()).ok()?,
                http::HeaderValue::try_from(v.as_str()).ok()?,
            ))
        })
        .collect();
    let request = HttpRequest {
        method: &exchange.request.method,
        path: &path,
        headers: &headers,
        body: &exchange.request.body,
    };
    let checked = contract.check_request(&request);
    let (operation, response_violations) = match &checked.matched {
        Ok(m) => {
            let response = HttpResponse {
                status: exchange.status,
                headers: &exchange.headers,
                body: &exchange.body,
            };
            (
                Some(m.operation.id.clone()),
                contract.validate_response(m.operation, &response),
            )
        }
        Err(RouteError::NotFound | RouteError::MethodNotAllowed { .. }) => (None, Vec::new()),
    };
    Outcome::Answered {
        exchange,
        operation,
        request_violations: checked.violations,
        response_violations,
    }
}
