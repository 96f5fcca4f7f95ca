//! Namespaces: isolated copies of the whole mock behind one listener, so that clients sharing
//! one `vouch mock serve` (the scenarios of `vouch run --target url --jobs N`) do not see each
//! other's data, clock, faults or journal.
//!
//! A request under `/__ns/<name>/` is served by the namespace `<name>` exactly as the mock
//! serves it at its root: `/__ns/run-1/peach/...` is the Peach API and `/__ns/run-1/__admin/reset`
//! resets that namespace only. A namespace is made on its first request, in the seeded state,
//! with the root's credentials and limits, and the links the mock answers with keep its prefix.
//! Its self-check findings and caught panics are the server's (`GET /__admin/violations` at the
//! root lists them all). Namespaces are state, so they are bounded: one idle for
//! [`IDLE_NAMESPACE`] is forgotten, and past `--max-namespaces` the least recently used goes
//! (its next request starts it afresh). `GET /__admin/namespaces` lists them.

use super::error::{NamespaceError, SetupError};
use axum::Router;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The path prefix that selects a namespace: `/__ns/<name>/...`.
pub(crate) const PREFIX: &str = "/__ns/";

/// How many namespaces a mock keeps unless configured
/// ([`MockConfig::max_namespaces`](super::MockConfig::max_namespaces)).
pub const DEFAULT_MAX_NAMESPACES: usize = 64;

/// How long a namespace may go without a request before it is forgotten.
pub const IDLE_NAMESPACE: Duration = Duration::from_secs(600);

/// The longest namespace name (letters, digits, `-`, `_`).
const MAX_NAME: usize = 64;

struct Space<S> {
    state: Arc<S>,
    app: Router,
    used: Instant,
}

/// The namespaces of one server, each a state `S` (the mock's `MockState`; generic so this
/// file sits below the state that holds it, and names no type of it).
pub(crate) struct Namespaces<S> {
    max: usize,
    spaces: Mutex<HashMap<String, Space<S>>>,
}

impl<S> Namespaces<S> {
    /// At most `max` namespaces at once (0: none are served).
    pub(crate) fn new(max: usize) -> Self {
        Self {
            max,
            spaces: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn max(&self) -> usize {
        self.max
    }

    /// The names of the namespaces kept, and how long each has been idle, by name.
    pub(crate) fn list(&self) -> Vec<(String, Duration)> {
        let spaces = self.spaces.lock().unwrap_or_else(|e| e.into_inner());
        let mut list: Vec<(String, Duration)> = spaces
            .iter()
            .map(|(name, s)| (name.clone(), s.used.elapsed()))
            .collect();
        list.sort();
        list
    }

    /// The state and router of namespace `name`, made by `make` from its path prefix
    /// (`/__ns/<name>`; the root state's `namespace`) with `app` routing it, if it is not kept;
    /// the error says why there can be no such namespace.
    pub(crate) fn get(
        &self,
        name: &str,
        make: impl FnOnce(&str) -> Result<S, SetupError>,
        app: impl FnOnce(Arc<S>) -> Router,
    ) -> Result<(Arc<S>, Router), NamespaceError> {
        check_name(name)?;
        if self.max == 0 {
            return Err(NamespaceError::NoneServed);
        }
        let now = Instant::now();
        {
            let mut spaces = self.spaces.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(space) = spaces.get_mut(name) {
                space.used = now;
                return Ok((space.state.clone(), space.app.clone()));
            }
        }
        // Made outside the lock: seeding every API takes a while, and other namespaces go on.
        let state = Arc::new(make(&format!("{PREFIX}{name}"))?);
        let app = app(state.clone());
        let mut spaces = self.spaces.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(space) = spaces.get_mut(name) {
            // Another request made it meanwhile: one namespace, whoever came first.
            space.used = now;
            return Ok((space.state.clone(), space.app.clone()));
        }
        spaces.retain(|_, s| now.saturating_duration_since(s.used) < IDLE_NAMESPACE);
        while spaces.len() >= self.max {
            let oldest = spaces
                .iter()
                .min_by_key(|(_, s)| s.used)
                .map(|(n, _)| n.clone());
            match oldest {
                Some(n) => spaces.remove(&n),
                None => break,
            };
        }
        spaces.insert(
            name.to_string(),
            Space {
                state: state.clone(),
                app: app.clone(),
                used: now,
            },
        );
        Ok((state, app))
    }
}

/// A name is 1 to 64 letters, digits, `-` or `_` (it is a path segment, and reaches the
/// journal and the links the mock answers with).
fn check_name(name: &str) -> Result<(), NamespaceError> {
    let fits = !name.is_empty()
        && name.len() <= MAX_NAME
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if fits {
        Ok(())
    } else {
        Err(NamespaceError::BadName { max: MAX_NAME })
    }
}

/// `/__ns/run-1/peach/x?y` is namespace `run-1` and `/peach/x?y`; `None` outside `/__ns/`.
pub(crate) fn split(path_and_query: &str) -> Option<(&str, &str)> {
    let rest = path_and_query.strip_prefix(PREFIX)?;
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (name, tail) = rest.split_at(end);
    Some((name, tail))
}

#[cfg(test)]
mod tests {
    use super::super::state::MockState;
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(
            split("/__ns/run-1/peach/x?y=1"),
            Some(("run-1", "/peach/x?y=1"))
        );
        assert_eq!(split("/__ns/a"), Some(("a", "")));
        assert_eq!(split("/__ns/a?x"), Some(("a", "?x")));
        assert_eq!(split("/peach/x"), None);
        assert!(check_name("run-ab12_3").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name("a.b").is_err());
        assert!(check_name(&"a".repeat(65)).is_err());
    }

    fn root() -> MockState {
        let contracts = Arc::new(crate::contract::ContractSet::embedded().unwrap());
        MockState::new(contracts, super::super::all_apis(), &[], true).unwrap()
    }

    #[test]
    fn a_namespace_is_kept_until_the_least_recently_used_must_go() {
        let root = root();
        let spaces = Namespaces::new(2);
        let app = |_| Router::new();
        let (a, _) = spaces.get("a", |p| root.namespace(p), app).unwrap();
        let (again, _) = spaces.get("a", |p| root.namespace(p), app).unwrap();
        assert!(Arc::ptr_eq(&a, &again), "the same namespace, not a new one");
        a.clock.advance(60).unwrap();
        let ahead = a.clock.now().epoch_millis() - root.clock.now().epoch_millis();
        assert!(
            ahead > 50_000,
            "a namespace has a clock of its own: {ahead} ms"
        );
        let _ = spaces.get("b", |p| root.namespace(p), app).unwrap();
        let _ = spaces.get("a", |p| root.namespace(p), app).unwrap();
        // over the cap: `b` is the least recently used
        let _ = spaces.get("c", |p| root.namespace(p), app).unwrap();
        let names: Vec<String> = spaces.list().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["a", "c"]);
        let (b, _) = spaces.get("b", |p| root.namespace(p), app).unwrap();
        assert_eq!(b.prefix(), "/__ns/b");
        assert!(spaces.get("no/slash", |p| root.namespace(p), app).is_err());
        assert!(
            Namespaces::new(0)
                .get("a", |p| root.namespace(p), app)
                .is_err()
        );
    }
}
