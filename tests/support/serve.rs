//! `vouch mock serve`, the real binary, on a free loopback port, as a user starts it; stopped
//! when dropped. For tests that must talk to the mock exactly as a separate program would.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub(crate) struct Serve {
    child: Child,
    /// Where it listens, e.g. `http://127.0.0.1:40123`.
    pub(crate) url: String,
}

impl Serve {
    /// Starts `vouch mock serve --addr 127.0.0.1:0 --self-check` and waits for its first line.
    pub(crate) fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vouch"))
            .args(["mock", "serve", "--addr", "127.0.0.1:0", "--self-check"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("vouch mock serve starts");
        let stdout = child.stdout.take().expect("its stdout");
        let mut lines = BufReader::new(stdout);
        let mut first = String::new();
        lines
            .read_line(&mut first)
            .expect("it prints where it listens");
        // Keep reading what it prints, so it never writes to a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
        let url = first
            .trim()
            .strip_prefix("vouch mock listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {first:?}"))
            .to_string();
        Self { child, url }
    }

    /// An API's base URL on this server, `<url>/<api>`.
    #[allow(dead_code)] // not every test that includes this file needs it
    pub(crate) fn base_url(&self, api: &str) -> String {
        format!("{}/{api}", self.url)
    }

    /// `GET /__admin<path>` as JSON.
    pub(crate) async fn admin(&self, path: &str) -> serde_json::Value {
        reqwest::get(format!("{}/__admin{path}", self.url))
            .await
            .and_then(|r| r.error_for_status())
            .expect("the admin API answers")
            .json()
            .await
            .expect("JSON")
    }

    /// The mock's self-check violations and caught panics (`GET /__admin/violations`).
    pub(crate) async fn violations(&self) -> Vec<serde_json::Value> {
        self.admin("/violations").await["violations"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Whether the server is still running, or how it ended.
    #[allow(dead_code)] // not every test that includes this file needs it
    pub(crate) fn state(&mut self) -> String {
        match self.child.try_wait() {
            Ok(None) => "the server is running".into(),
            Ok(Some(status)) => format!("the server exited: {status}"),
            Err(e) => format!("the server's state is unknown: {e}"),
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
