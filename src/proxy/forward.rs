//! Forwarding one exchange: route by API prefix, validate the request, pass it upstream without
//! hop-by-hop headers, and answer 502/504 itself when the upstream fails.

use super::rewrite::{Rewrite, StreamRewrite};
use super::stream::{Pending, Tee, describe};
use super::*;
use crate::contract::HttpRequest;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, StatusCode};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Headers that belong to one connection and are not forwarded (RFC 9110 § 7.6.1), plus
/// `host` and `content-length`, which the forwarding client sets itself.
pub(super) const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
];

pub(super) fn is_hop_by_hop(name: &HeaderName, connection: &HeaderMap) -> bool {
    if HOP_BY_HOP.contains(&name.as_str()) {
        return true;
    }
    // Headers the `Connection` header names are hop-by-hop too.
    connection
        .get_all(http::header::CONNECTION)
        .iter()
        .any(|v| {
            v.to_str()
                .unwrap_or_default()
                .split(',')
                .any(|n| n.trim().eq_ignore_ascii_case(name.as_str()))
        })
}

/// A JSON answer of the proxy itself.
fn own_answer(status: StatusCode, error: &str, message: &str, api: &str) -> Response {
    let body = serde_json::json!({
        "error": error,
        "message": message,
        "api": api,
        "source": "vouch proxy",
    });
    Response::builder()
        .status(status)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap_or_default()
}

/// One exchange through the proxy, as the module doc lists: route by API prefix, validate the
/// request, forward it, and pass the answer back (or answer 502/504 when the upstream fails).
pub(super) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    let (api, upstream, path) = match route(&shared, &parts) {
        Ok(routed) => routed,
        Err(refused) => return *refused,
    };
    let Ok(request_body) = axum::body::to_bytes(body, MAX_BODY).await else {
        return own_answer(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request_too_large",
            "the request body is larger than the proxy buffers",
            &api,
        );
    };
    let contract = match shared.contracts.get(&api) {
        Ok(c) => c,
        Err(e) => {
            return own_answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                "no_contract",
                &e.to_string(),
                &api,
            );
        }
    };
    let check = contract.check_request(&HttpRequest {
        method: &parts.method,
        path: &path,
        headers: &parts.headers,
        body: &request_body,
    });
    let forward = forward_request(&shared, &parts, &upstream, &path, &request_body);
    let rewrite = shared
        .config
        .rewrite
        .then(|| Rewrite::new(&upstream, &own_base(&shared, &parts, &api)))
        .flatten();
    // What is known of the exchange before the answer; the answer's status and headers (or the
    // upstream's failure) complete it.
    let exchange = ProxyExchange {
        seq: 0,
        api,
        operation: check.matched.as_ref().ok().map(|m| m.operation.id.clone()),
        method: parts.method.clone(),
        path,
        request_headers: parts.headers.clone(),
        request_body,
        status: 0,
        response_headers: HeaderMap::new(),
        response_body: Bytes::new(),
        upstream_error: None,
        undocumented: check.matched.is_err(),
        violations: check.violations,
        elapsed: Duration::ZERO,
        rewritten: Vec::new(),
    };
    match forward.send().await {
        Err(e) => upstream_failed(&shared, &e, exchange, started),
        Ok(response) => pass_back(&shared, response, exchange, started, rewrite).await,
    }
}

/// The API's base URL as the client reached the proxy: the authority it named (HTTP/2's
/// `:authority`, else `Host`, else the listening address) and the API's prefix. The proxy
/// serves plain HTTP.
fn own_base(shared: &Shared, parts: &http::request::Parts, api: &str) -> String {
    let host = parts
        .uri
        .authority()
        .map(|a| a.as_str().to_string())
        .or_else(|| {
            let host = parts.headers.get(http::header::HOST)?.to_str().ok()?;
            Some(host.to_string())
        })
        .unwrap_or_else(|| shared.addr.to_string());
    format!("http://{host}/{api}")
}

/// The API a request's path prefix names, its upstream, and the path below the prefix; an
/// unknown prefix is the proxy's own 404 (and an error of the run).
fn route(
    shared: &Shared,
    parts: &http::request::Parts,
) -> Result<(String, String, String), Box<Response>> {
    let full = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let (prefix, rest) = crate::redact::url::split_api_prefix(&full);
    let Some((api, upstream)) = shared
        .config
        .upstreams
        .iter()
        .find(|(api, _)| api == prefix)
        .cloned()
    else {
        let known: Vec<&str> = shared
            .config
            .upstreams
            .iter()
            .map(|(a, _)| a.as_str())
            .collect();
        let message = format!(
            "no API is proxied under `/{prefix}` (proxied: {})",
            known.join(", ")
        );
        if let Ok(mut errors) = shared.errors.lock() {
            errors.push(format!("{} {}: {message}", parts.method, parts.uri.path()));
        }
        return Err(Box::new(own_answer(
            StatusCode::NOT_FOUND,
            "unknown_api",
            &message,
            prefix,
        )));
    };
    let path = if rest.is_empty() || rest.starts_with('?') {
        format!("/{rest}")
    } else {
        rest.to_string()
    };
    Ok((api, upstream, path))
}

/// The request upstream: same method, path, query, headers (but hop-by-hop) and body.
fn forward_request(
    shared: &Shared,
    parts: &http::request::Parts,
    upstream: &str,
    path: &str,
    body: &Bytes,
) -> reqwest::RequestBuilder {
    let url = format!("{}{}", upstream.trim_end_matches('/'), path);
    let mut forward = shared.client.request(parts.method.clone(), &url);
    for (name, value) in &parts.headers {
        if !is_hop_by_hop(name, &parts.headers) {
            forward = forward.header(name, value);
        }
    }
    if !body.is_empty() {
        forward = forward.body(body.clone());
    }
    forward
}

/// The upstream gave no answer: the proxy's own 504 (timeout) or 502, kept on record.
fn upstream_failed(
    shared: &Arc<Shared>,
    e: &reqwest::Error,
    mut exchange: ProxyExchange,
    started: Instant,
) -> Response {
    let (status, error) = if e.is_timeout() {
        (StatusCode::GATEWAY_TIMEOUT, "upstream_timeout")
    } else {
        (StatusCode::BAD_GATEWAY, "upstream_failed")
    };
    let message = if e.is_timeout() {
        format!(
            "the upstream did not answer within {} ms",
            shared.config.timeout.as_millis()
        )
    } else {
        format!("the upstream gave no usable answer: {}", describe(e))
    };
    let api = exchange.api.clone();
    let body = serde_json::json!({
        "error": error,
        "message": message,
        "api": api,
        "source": "vouch proxy",
    })
    .to_string();
    exchange.status = status.as_u16();
    exchange.response_headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    exchange.upstream_error = Some(describe(e));
    let pending = Pending {
        shared: shared.clone(),
        exchange,
        started,
        rewrite: None,
    };
    pending.finish(Bytes::from(body), false, None);
    own_answer(status, error, &message, &api)
}

/// Passes the answer back (but hop-by-hop headers; `content-length` is kept so the client sees
/// the upstream's framing, unless the body is rewritten), streamed through as it arrives and
/// kept to validate once complete. With `rewrite`, the upstream's URLs in headers and in a JSON
/// body are the proxy's in what is forwarded (the `rewrite` module).
async fn pass_back(
    shared: &Arc<Shared>,
    response: reqwest::Response,
    mut exchange: ProxyExchange,
    started: Instant,
    rewrite: Option<Rewrite>,
) -> Response {
    let status = response.status();
    let response_headers = response.headers().clone();
    let head = exchange.method == http::Method::HEAD;
    let api = exchange.api.clone();
    exchange.status = status.as_u16();
    exchange.response_headers = response_headers.clone();
    let expected = response_headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let bodiless = head
        || status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED
        || expected == Some(0);
    let json_rewrite = rewrite
        .clone()
        .filter(|_| !bodiless && rewritable_body(&response_headers));
    let mut builder = Response::builder().status(status);
    for (name, value) in &response_headers {
        if name == http::header::CONTENT_LENGTH {
            // A rewritten body has a length of its own (set below, or chunked when streamed).
            if json_rewrite.is_none() {
                builder = builder.header(name, value);
            }
            continue;
        }
        if is_hop_by_hop(name, &response_headers) {
            continue;
        }
        match rewrite
            .as_ref()
            .and_then(|r| r.text(value.to_str().ok()?))
            .and_then(|v| http::HeaderValue::from_str(&v).ok())
        {
            Some(rewritten) => {
                exchange.rewritten.push(format!("/headers/{name}"));
                builder = builder.header(name, rewritten);
            }
            None => builder = builder.header(name, value),
        }
    }
    let pending = Pending {
        shared: shared.clone(),
        exchange,
        started,
        rewrite: json_rewrite.clone(),
    };
    let body = if bodiless {
        // Nothing to stream: complete the exchange before answering, so it is on record by the
        // time the client has its answer.
        let (body, error) = match response.bytes().await {
            Ok(b) => (b, None),
            Err(e) => (Bytes::new(), Some(describe(&e))),
        };
        pending.finish(body.clone(), false, error);
        Body::from(body)
    } else if let Some(rewrite) = json_rewrite {
        match expected.filter(|&n| n <= MAX_BODY as u64) {
            // A declared length: the whole body first, to declare the rewritten one's.
            Some(_) => {
                let (body, length) = rewritten_whole(pending, response, &rewrite).await;
                builder = builder.header(http::header::CONTENT_LENGTH, length);
                body
            }
            // Chunked (or too large to hold): rewritten as it streams, sent chunked.
            None => Body::from_stream(rewritten_stream(tee(pending, response, expected), rewrite)),
        }
    } else {
        // Streamed through as it arrives, and kept to validate once complete.
        Body::from_stream(tee(pending, response, expected))
    };
    builder.body(body).unwrap_or_else(|_| {
        own_answer(
            StatusCode::BAD_GATEWAY,
            "upstream_failed",
            "the upstream's answer could not be passed on",
            &api,
        )
    })
}

/// A JSON body sent as is (no `Content-Encoding` other than `identity`): one the proxy can
/// rewrite as text. Other bodies are passed on byte for byte.
fn rewritable_body(headers: &HeaderMap) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    let media = text(http::header::CONTENT_TYPE);
    let media = media.split(';').next().unwrap_or_default().trim();
    let encoding = text(http::header::CONTENT_ENCODING);
    (media == "application/json" || media.ends_with("+json"))
        && (encoding.is_empty() || encoding == "identity")
}

/// The upstream's body on its way to the client, kept to validate once complete.
fn tee(pending: Pending, response: reqwest::Response, expected: Option<u64>) -> Tee {
    Tee {
        inner: Box::pin(futures::stream::unfold(Some(response), |r| async move {
            let mut r = r?;
            match r.chunk().await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(r))),
                Ok(None) => None,
                // One error ends the stream.
                Err(e) => Some((Err(e), None)),
            }
        })),
        buf: Vec::new(),
        truncated: false,
        expected,
        seen: 0,
        pending: Some(pending),
    }
}

/// The whole body read, validated and recorded as the upstream gave it, then rewritten: the
/// body to forward and its length. A body that breaks off is recorded so and forwarded as a
/// broken stream.
async fn rewritten_whole(
    pending: Pending,
    response: reqwest::Response,
    rewrite: &Rewrite,
) -> (Body, usize) {
    match response.bytes().await {
        Ok(original) => {
            let forwarded = rewrite
                .json(&original)
                .map_or_else(|| original.clone(), Bytes::from);
            pending.finish(original, false, None);
            let length = forwarded.len();
            (Body::from(forwarded), length)
        }
        Err(e) => {
            let reason = describe(&e);
            pending.finish(
                Bytes::new(),
                false,
                Some(format!("the response body broke off: {reason}")),
            );
            let broken =
                futures::stream::once(
                    async move { Err::<Bytes, _>(std::io::Error::other(reason)) },
                );
            (Body::from_stream(broken), 0)
        }
    }
}

/// A streamed JSON body rewritten chunk by chunk on its way out of the [`Tee`] (which keeps the
/// upstream's bytes to validate).
fn rewritten_stream(
    tee: Tee,
    rewrite: Rewrite,
) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> {
    use futures::StreamExt;
    let state = (tee, Some(StreamRewrite::new(rewrite)));
    futures::stream::unfold(state, |(mut tee, rewriter)| async move {
        let mut rewriter = rewriter?;
        loop {
            match tee.next().await {
                Some(Ok(chunk)) => {
                    let out = rewriter.feed(&chunk);
                    if !out.is_empty() {
                        return Some((Ok(Bytes::from(out)), (tee, Some(rewriter))));
                    }
                }
                Some(Err(e)) => return Some((Err(e), (tee, None))),
                None => {
                    let tail = rewriter.finish();
                    return (!tail.is_empty()).then(|| (Ok(Bytes::from(tail)), (tee, None)));
                }
            }
        }
    })
}
