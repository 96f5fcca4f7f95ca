//! `vouch mock serve`, the real binary, on a free loopback port, as a user starts it; stopped
//! when dropped. For tests that must talk to the mock exactly as a separate program would.

// Each test binary that includes this file uses part of it.
#![allow(dead_code)]

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
        Self::start_with(&[], &["--self-check"]).0
    }

    /// Starts `vouch <global> mock serve --addr 127.0.0.1:0 <extra>`; also gives what it
    /// printed before its `admin` line (the APIs, base URLs and credentials).
    pub(crate) fn start_with(global: &[&str], extra: &[&str]) -> (Self, Vec<String>) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vouch"))
            .args(global)
            .args(["mock", "serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .env_remove("VOUCH_CONTRACTS")
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
        let url = first
            .trim()
            .strip_prefix("vouch mock listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {first:?}"))
            .to_string();
        let mut banner = Vec::new();
        let mut line = String::new();
        while lines.read_line(&mut line).is_ok_and(|n| n > 0)
            && !line.trim_start().starts_with("admin")
        {
            banner.push(std::mem::take(&mut line).trim_end().to_string());
        }
        // Keep reading what it prints, so it never writes to a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
        (Self { child, url }, banner)
    }

    /// An API's base URL on this server, `<url>/<api>`.
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

    /// Fails the test if the mock's self-check found a violation in its own answers, or caught
    /// a panic (`GET /__admin/violations`).
    pub(crate) async fn assert_no_violations(&self) {
        let found = self.admin("/violations").await["violations"].clone();
        assert_eq!(
            found,
            serde_json::json!([]),
            "the server's answers broke their contracts"
        );
    }

    /// Whether the server is still running, or how it ended.
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
