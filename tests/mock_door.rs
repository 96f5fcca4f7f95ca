//! Bad input at the mock's door (issue #23 point 4): a body declared over the limit is refused
//! with 413, in the API's error shape, before any of it is read; a connection that sends no
//! complete request header within the header timeout is closed. Raw TCP, because an HTTP
//! client neither declares a length it does not send nor stops half-way through a header.

use serde_json::Value;
use std::io::ErrorKind;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use vouch::mock::{Latency, MockConfig, MockServer};

/// How long a test waits before calling the mock stuck: long against the header timeout the
/// tests set, short against a test run.
const PATIENCE: Duration = Duration::from_secs(10);

async fn connect(server: &MockServer) -> TcpStream {
    TcpStream::connect(server.url().trim_start_matches("http://"))
        .await
        .unwrap()
}

/// Everything the mock sends until it closes the connection; `None` if it is still open after
/// [`PATIENCE`] (the mock is waiting for the client).
async fn read_until_closed(stream: &mut TcpStream) -> Option<String> {
    let mut answer = Vec::new();
    match tokio::time::timeout(PATIENCE, stream.read_to_end(&mut answer)).await {
        Err(_) => None,
        Ok(Ok(_)) => Some(String::from_utf8_lossy(&answer).into_owned()),
        // A reset after the answer (closed with the unsent body unread) is a close too.
        Ok(Err(e)) if e.kind() == ErrorKind::ConnectionReset => {
            Some(String::from_utf8_lossy(&answer).into_owned())
        }
        Ok(Err(e)) => panic!("reading the answer: {e}"),
    }
}

/// `POST path` declaring 10 GB and sending none of it: the status line and the JSON body.
async fn declare_ten_gigabytes(server: &MockServer, path: &str) -> (String, Value) {
    let mut stream = connect(server).await;
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Content-Length: 10000000000\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = read_until_closed(&mut stream)
        .await
        .unwrap_or_else(|| panic!("{path}: no answer in {PATIENCE:?}: it awaits the body"));
    let status = answer.lines().next().unwrap_or_default().to_string();
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_declared_body_over_the_limit_answers_413_before_it_is_read() {
    let server = MockServer::start().await.unwrap();
    // Verified's 413 is FeathersJS's `PayloadTooLarge` ([verified-types] § Error, the shape
    // of every Verified error; src/mock/verified/errors.rs).
    let (status, body) = declare_ten_gigabytes(&server, "/verified/1-click").await;
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");
    assert_eq!(body["name"], "PayloadTooLarge", "{body}");
    assert_eq!(body["code"], 413, "{body}");
    // Every API, in its own shape.
    for api in vouch::mock::all_apis() {
        let (status, body) = declare_ten_gigabytes(&server, &format!("/{}/x", api.id())).await;
        assert!(status.starts_with("HTTP/1.1 413"), "{}: {status}", api.id());
        assert!(body.is_object(), "{}: {body}", api.id());
    }
    // A namespace's API and the admin API (vouch's own `{"error"}`).
    let (status, _) = declare_ten_gigabytes(&server, "/__ns/door/peach/people").await;
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");
    let (status, body) = declare_ten_gigabytes(&server, "/__admin/tenants").await;
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");
    assert!(body["error"].is_string(), "{body}");
    // The mock still answers, and a body within the limit is read as before.
    let client = reqwest::Client::new();
    let ok = client
        .post(format!("{}/__admin/clock/advance", server.url()))
        .body(r#"{"seconds": 1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(server.violations(), vec![], "the 413s break no contract");
}

/// A client that writes its whole (too large) body before it reads the answer, as most HTTP
/// clients do, gets the 413 rather than a broken pipe: the refused body is read and thrown
/// away beside the answer (`mock::request_body`). The pause puts the body after the
/// answer, where the race of a real client (one run in ~30) lost it every time.
#[tokio::test]
async fn a_client_that_sends_its_too_large_body_anyway_reads_the_413() {
    let server = MockServer::start().await.unwrap();
    for path in ["/peach/verification-types", "/__admin/tenants"] {
        let body = vec![b'a'; 1_100_000];
        let mut stream = connect(&server).await;
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
             Connection: close\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        stream
            .write_all(&body)
            .await
            .unwrap_or_else(|e| panic!("{path}: the mock hung up on the body: {e}"));
        let answer = read_until_closed(&mut stream)
            .await
            .unwrap_or_else(|| panic!("{path}: no answer in {PATIENCE:?}"));
        assert!(answer.starts_with("HTTP/1.1 413"), "{path}: {answer}");
    }
}

/// The same for a body sent in chunks (no length to refuse it by): the mock stops reading at
/// the limit and answers 413, and the rest of the body is read and thrown away beside the
/// answer, so the client that goes on writing it still reads the 413 (it used to be cut
/// mid-read: the connection closed under the client's writes).
#[tokio::test]
async fn a_chunked_body_over_the_limit_is_refused_and_the_client_reads_the_413() {
    let server = MockServer::start().await.unwrap();
    for path in [
        "/peach/verification-types",
        "/verified/1-click",
        "/__admin/tenants",
    ] {
        let mut stream = connect(&server).await;
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
             Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let chunk = vec![b' '; 64 * 1024];
        // 16 MiB in 256 chunks, more than the sockets' buffers hold: the mock has answered
        // long before the last.
        for _ in 0..256 {
            let mut piece = format!("{:x}\r\n", chunk.len()).into_bytes();
            piece.extend_from_slice(&chunk);
            piece.extend_from_slice(b"\r\n");
            stream
                .write_all(&piece)
                .await
                .unwrap_or_else(|e| panic!("{path}: the mock hung up on the body: {e}"));
        }
        stream.write_all(b"0\r\n\r\n").await.unwrap();
        let answer = read_until_closed(&mut stream)
            .await
            .unwrap_or_else(|| panic!("{path}: no answer in {PATIENCE:?}"));
        assert!(answer.starts_with("HTTP/1.1 413"), "{path}: {answer:.200}");
    }
}

fn with_header_timeout(timeout: Duration) -> MockConfig {
    MockConfig {
        header_timeout: timeout,
        ..MockConfig::default()
    }
}

/// A client that connects and sends nothing, or half a header, is hung up on once the header
/// timeout has passed; one that sends its header in time is answered.
#[tokio::test]
async fn a_connection_without_a_complete_header_is_closed_after_the_timeout() {
    let timeout = Duration::from_millis(300);
    let server = MockServer::start_with(with_header_timeout(timeout))
        .await
        .unwrap();
    for sent in ["", "GET /__admin HTTP/1.1\r\nHost: local"] {
        let mut stream = connect(&server).await;
        stream.write_all(sent.as_bytes()).await.unwrap();
        let started = Instant::now();
        let answer = read_until_closed(&mut stream).await;
        let waited = started.elapsed();
        assert!(answer.is_some(), "{sent:?}: still open after {PATIENCE:?}");
        assert!(
            waited >= timeout / 2,
            "{sent:?}: closed before the timeout ({waited:?})"
        );
    }
    // A client that sends its header in time is answered, though it sent it in two parts.
    let mut stream = connect(&server).await;
    stream
        .write_all(b"GET /__admin HTTP/1.1\r\n")
        .await
        .unwrap();
    tokio::time::sleep(timeout / 3).await;
    stream
        .write_all(b"Host: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let answer = read_until_closed(&mut stream).await.expect("answered");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// On a kept-alive connection the timeout runs from each answer: an answer slower than the
/// timeout is still sent, and a next header that does not come in time closes the connection.
#[tokio::test]
async fn a_kept_alive_connection_awaits_each_next_header_from_its_answer() {
    let timeout = Duration::from_millis(300);
    let slow = Latency::fixed(timeout * 2).unwrap();
    let server = MockServer::start_with(MockConfig {
        latency: Some(slow),
        ..with_header_timeout(timeout)
    })
    .await
    .unwrap();
    let mut stream = connect(&server).await;
    let started = Instant::now();
    // A whole request, answered after twice the timeout, then half of the next header.
    stream
        .write_all(b"GET /verified/credentials/some-id HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    stream
        .write_all(b"GET /__admin HTTP/1.1\r\nHo")
        .await
        .unwrap();
    let answer = read_until_closed(&mut stream)
        .await
        .expect("still open after the second header's timeout");
    let waited = started.elapsed();
    assert_eq!(answer.matches("HTTP/1.1 ").count(), 1, "{answer}");
    assert!(
        waited >= timeout * 2 + timeout / 2,
        "closed {waited:?} after the request: before its answer's timeout"
    );
}
