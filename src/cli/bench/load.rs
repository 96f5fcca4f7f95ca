//! A lean HTTP/1.1 load generator for `vouch bench`, in the manner of `wrk`: a fixed number of
//! keep-alive connections on one thread, each sending a prebuilt request and reading the
//! answer (by `Content-Length`) before the next. Latencies go into a histogram, not a list, so
//! a million requests cost the bench no memory worth measuring.

use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Histogram resolution and range: 10 µs buckets up to 200 ms (slower answers count as 200 ms).
const BUCKET_US: u64 = 10;
const BUCKETS: usize = 20_000;

/// What one batch of requests did.
#[derive(Debug, Clone)]
pub(super) struct Load {
    pub requests: u64,
    pub elapsed: Duration,
    /// Answers by status (index: status / 100; 0 counts requests that got no answer).
    pub classes: [u64; 6],
    /// Answers by exact status, for the statuses seen.
    pub statuses: std::collections::BTreeMap<u16, u64>,
    histogram: Vec<u64>,
}

impl Load {
    fn new() -> Self {
        Self {
            requests: 0,
            elapsed: Duration::ZERO,
            classes: [0; 6],
            statuses: Default::default(),
            histogram: vec![0; BUCKETS],
        }
    }

    fn add(&mut self, other: &Load) {
        self.requests += other.requests;
        for (a, b) in self.classes.iter_mut().zip(other.classes) {
            *a += b;
        }
        for (status, n) in &other.statuses {
            *self.statuses.entry(*status).or_default() += n;
        }
        for (a, b) in self.histogram.iter_mut().zip(&other.histogram) {
            *a += b;
        }
    }

    fn record(&mut self, status: Option<u16>, took: Duration) {
        self.requests += 1;
        match status {
            Some(s) => {
                self.classes[usize::from(s / 100).min(5)] += 1;
                *self.statuses.entry(s).or_default() += 1;
            }
            None => self.classes[0] += 1,
        }
        let bucket = (took.as_micros() as u64 / BUCKET_US).min(BUCKETS as u64 - 1);
        self.histogram[bucket as usize] += 1;
    }

    /// Requests per second.
    pub(super) fn rate(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The latency at quantile `q` (0–1), in milliseconds.
    pub(super) fn quantile_ms(&self, q: f64) -> f64 {
        let wanted = ((self.requests as f64) * q).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (i, n) in self.histogram.iter().enumerate() {
            seen += n;
            if seen >= wanted {
                return ((i as u64 + 1) * BUCKET_US) as f64 / 1000.0;
            }
        }
        (BUCKETS as u64 * BUCKET_US) as f64 / 1000.0
    }
}

/// A request as bytes on the wire.
pub(super) fn request(
    method: &str,
    path: &str,
    authorization: &str,
    body: Option<&str>,
) -> Vec<u8> {
    let mut text = format!(
        "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: {authorization}\r\n"
    );
    if let Some(body) = body {
        text.push_str(&format!(
            "content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        ));
    } else {
        text.push_str("\r\n");
    }
    text.into_bytes()
}

/// Sends `requests` copies of `request` over `connections` keep-alive connections at once.
pub(super) async fn run(addr: SocketAddr, request: &[u8], requests: u64, connections: u16) -> Load {
    let connections = u64::from(connections.max(1));
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|i| {
            let share = requests / connections + u64::from(i < requests % connections);
            let request = request.to_vec();
            tokio::task::spawn_local(async move { connection(addr, &request, share).await })
        })
        .collect();
    let mut load = Load::new();
    for worker in workers {
        if let Ok(part) = worker.await {
            load.add(&part);
        }
    }
    load.elapsed = started.elapsed();
    load
}

async fn connection(addr: SocketAddr, request: &[u8], count: u64) -> Load {
    let mut load = Load::new();
    let mut stream = None;
    let mut buffer = Vec::with_capacity(16 * 1024);
    for _ in 0..count {
        let started = Instant::now();
        if stream.is_none() {
            stream = TcpStream::connect(addr).await.ok();
            if let Some(s) = &stream {
                let _ = s.set_nodelay(true);
            }
        }
        let status = match &mut stream {
            Some(s) => exchange(s, request, &mut buffer).await,
            None => None,
        };
        if status.is_none() {
            stream = None;
        }
        load.record(status, started.elapsed());
    }
    load
}

/// One request and its answer on a kept-alive connection: the status, or `None` when the
/// connection failed (it is then reopened).
async fn exchange(stream: &mut TcpStream, request: &[u8], buffer: &mut Vec<u8>) -> Option<u16> {
    stream.write_all(request).await.ok()?;
    buffer.clear();
    let mut chunk = [0u8; 8192];
    let (head_end, length) = loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(end) = find(buffer, b"\r\n\r\n") {
            let head = std::str::from_utf8(&buffer[..end]).ok()?;
            let length = head
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            break (end + 4, length);
        }
    };
    while buffer.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    // `HTTP/1.1 200 OK`
    std::str::from_utf8(buffer.get(9..12)?).ok()?.parse().ok()
}

/// One request on a connection of its own: the status and the body (`None` when there was
/// no answer). The bench reads the id it benchmarks and the answers the reference copies so.
pub(super) async fn once(addr: SocketAddr, request: &[u8]) -> Option<(u16, Vec<u8>)> {
    let mut stream = TcpStream::connect(addr).await.ok()?;
    let mut buffer = Vec::new();
    let status = exchange(&mut stream, request, &mut buffer).await?;
    let body = find(&buffer, b"\r\n\r\n")? + 4;
    Some((status, buffer.split_off(body)))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// This process's resident memory, in MiB (Linux); `None` elsewhere.
pub(super) fn rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_from_the_histogram() {
        let mut load = Load::new();
        for ms in 1..=100u64 {
            load.record(Some(200), Duration::from_millis(ms));
        }
        load.record(None, Duration::from_secs(5));
        assert_eq!(load.requests, 101);
        assert!(
            (load.quantile_ms(0.5) - 51.0).abs() < 0.02,
            "{}",
            load.quantile_ms(0.5)
        );
        assert_eq!(load.quantile_ms(1.0), 200.0);
        assert_eq!(load.statuses.get(&200), Some(&100));
        assert_eq!(load.classes[0], 1);
    }
}
