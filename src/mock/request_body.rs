//! A request's body, read whole before the mock answers (pipeline step 1), up to
//! [`MAX_BODY`]; one declared larger is refused before any of it is read.

use axum::body::{Body, HttpBody};
use bytes::{Bytes, BytesMut};
use std::pin::Pin;

/// Largest request body the mock reads.
pub(crate) const MAX_BODY: usize = 1024 * 1024;

/// The whole body, or `Err` when it is larger than [`MAX_BODY`] or breaks off. A body that
/// comes in one piece (every small JSON body) is that piece, shared, not gathered into a list
/// of pieces and copied out as `axum::body::to_bytes` does (issue #24); one whose end hyper
/// already knows (its `Content-Length` read) is not asked for a next piece only to say there
/// is none. Past the limit (a chunked body has no length to refuse it by) the rest is drained
/// beside the answer, as a body refused for its declared length is ([`drain_in_background`]).
async fn read_whole(mut body: Body) -> Result<Bytes, ()> {
    let mut first: Option<Bytes> = None;
    let mut gathered: Option<BytesMut> = None;
    while !body.is_end_stream() {
        let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await
        else {
            break;
        };
        // Trailers (of a chunked body) are not the body.
        let Ok(piece) = frame.map_err(drop)?.into_data() else {
            continue;
        };
        let read = first
            .as_ref()
            .map_or(0, Bytes::len)
            .saturating_add(gathered.as_ref().map_or(0, BytesMut::len));
        if read.saturating_add(piece.len()) > MAX_BODY {
            drain_in_background(body);
            return Err(());
        }
        match (&mut gathered, first.take()) {
            (Some(all), _) => all.extend_from_slice(&piece),
            (None, None) => first = Some(piece),
            (None, Some(one)) => {
                let mut all = BytesMut::with_capacity(one.len().saturating_add(piece.len()));
                all.extend_from_slice(&one);
                all.extend_from_slice(&piece);
                gathered = Some(all);
            }
        }
    }
    Ok(gathered.map_or_else(|| first.unwrap_or_default(), BytesMut::freeze))
}

/// The body, read whole ([`read_whole`]), or `Err` when it is larger than [`MAX_BODY`] or
/// breaks off. One declared larger is refused before any of it is read
/// ([`drain_in_background`]), so a client that declares 10 GB and sends nothing gets its 413
/// at once (issue #23 point 4).
pub(crate) async fn read_limited(body: Body) -> Result<Bytes, ()> {
    if declared_too_large(&body) {
        drain_in_background(body);
        return Err(());
    }
    read_whole(body).await
}

/// `request` with its body read as [`read_limited`] reads it (the admin API's requests).
pub(crate) async fn read_request(request: http::Request<Body>) -> Result<http::Request<Body>, ()> {
    let (parts, body) = request.into_parts();
    let bytes = read_limited(body).await?;
    Ok(http::Request::from_parts(parts, Body::from(bytes)))
}

/// Whether the request's `Content-Length` declares a body over [`MAX_BODY`]: hyper read the
/// header (a length that is not a number it refuses before the mock sees the request) and
/// gives it as the body's exact size; a chunked body's size is not known (its lower bound 0).
fn declared_too_large(body: &Body) -> bool {
    body.size_hint().lower() > MAX_BODY as u64
}

/// The most of a refused body [`drain_in_background`] reads, and how long it waits for each
/// piece of it.
const DRAIN_MAX: usize = 16 * MAX_BODY;
const DRAIN_IDLE: std::time::Duration = std::time::Duration::from_millis(500);

/// A body refused for its declared length is still read, and thrown away, beside the answer
/// while the client keeps sending it (up to [`DRAIN_MAX`], each piece within [`DRAIN_IDLE`]).
/// Most HTTP clients write the whole body before they read the answer: without this the mock
/// closed the connection under them and they saw a broken pipe, not the 413 (one run in ~30 of
/// `bad_input.feature`'s 1.1 MB body). A client that declares more than it sends is let go
/// after the idle time, so its 413 still comes at once (tests/mock_door.rs).
fn drain_in_background(body: Body) {
    use futures::StreamExt;
    let mut pieces = body.into_data_stream();
    tokio::spawn(async move {
        let mut read = 0usize;
        while read <= DRAIN_MAX {
            match tokio::time::timeout(DRAIN_IDLE, pieces.next()).await {
                Ok(Some(Ok(piece))) => read = read.saturating_add(piece.len()),
                _ => break,
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::{Body, Bytes, MAX_BODY, declared_too_large, read_whole};

    fn in_pieces(pieces: Vec<Vec<u8>>) -> Body {
        let pieces = pieces
            .into_iter()
            .map(|p| Ok::<_, std::io::Error>(Bytes::from(p)));
        Body::from_stream(futures::stream::iter(pieces))
    }

    #[tokio::test]
    async fn a_body_is_read_whole_in_one_piece_or_many() {
        let one = read_whole(Body::from("{\"a\": 1}")).await;
        assert_eq!(one.as_deref(), Ok(&b"{\"a\": 1}"[..]));
        let many = read_whole(in_pieces(vec![
            b"{\"a\"".to_vec(),
            b": ".to_vec(),
            b"1}".to_vec(),
        ]));
        assert_eq!(many.await.as_deref(), Ok(&b"{\"a\": 1}"[..]));
        assert_eq!(read_whole(Body::empty()).await.as_deref(), Ok(&b""[..]));
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_refused_whether_in_one_piece_or_many() {
        let exactly = read_whole(in_pieces(vec![vec![b' '; MAX_BODY - 1], vec![b' ']])).await;
        assert_eq!(exactly.map(|b| b.len()), Ok(MAX_BODY));
        assert!(
            read_whole(Body::from(vec![b' '; MAX_BODY + 1]))
                .await
                .is_err()
        );
        let split = in_pieces(vec![vec![b' '; MAX_BODY], vec![b' ']]);
        assert!(read_whole(split).await.is_err());
    }

    #[test]
    fn a_body_is_too_large_by_its_known_length_and_a_chunked_one_never_is() {
        assert!(declared_too_large(&Body::from(vec![b' '; MAX_BODY + 1])));
        assert!(!declared_too_large(&Body::from(vec![b' '; MAX_BODY])));
        assert!(!declared_too_large(&in_pieces(vec![vec![
            b' ';
            MAX_BODY + 1
        ]])));
    }
}
