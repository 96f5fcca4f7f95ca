//! The targets a run's scenarios share (`vouch run --jobs N`).
//!
//! On a mock, every scenario starts from the seeded state: the runner resets the mock, and the
//! mock's clock and faults are global to it. So scenarios that run at once each need a mock of
//! their own: the pool holds one mock per job (an embedded mock, or a namespace of a running
//! one), and a scenario leases one for its whole life (reset, steps, and its exchanges) and
//! gives it back when it ends. With one mock (a test's own) scenarios take turns. On a sandbox
//! nothing is reset: every scenario shares the one target, as many at once as there are jobs.

use crate::targets::Target;
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The run's targets.
pub(super) struct Pool {
    /// Each scenario needs a target of its own (a mock it resets).
    exclusive: bool,
    all: Vec<Arc<dyn Target>>,
    free: Mutex<Vec<Arc<dyn Target>>>,
    permits: Arc<Semaphore>,
}

/// A target one scenario uses; an exclusive one goes back to the pool when this is dropped.
pub(super) struct Lease {
    target: Arc<dyn Target>,
    returns_to: Option<(Arc<Pool>, OwnedSemaphorePermit)>,
}

impl Lease {
    pub(super) fn target(&self) -> Arc<dyn Target> {
        self.target.clone()
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some((pool, _permit)) = &self.returns_to {
            pool.free
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(self.target.clone());
        }
    }
}

impl Pool {
    /// `targets` is never empty; the first one is the run's main target (its credentials
    /// scrub the report). Targets with an admin API (mocks) are leased one scenario at a time.
    pub(super) fn new(targets: Vec<Arc<dyn Target>>) -> Arc<Self> {
        let exclusive = targets.iter().any(|t| t.admin_url().is_some());
        Arc::new(Self {
            exclusive,
            permits: Arc::new(Semaphore::new(targets.len())),
            free: Mutex::new(targets.iter().rev().cloned().collect()),
            all: targets,
        })
    }

    /// How many scenarios can run at once: one per mock; on a shared target (a sandbox),
    /// `jobs` or else as many as its client lets through (`VOUCH_CONCURRENCY`).
    pub(super) fn jobs(&self, jobs: Option<usize>) -> usize {
        if self.exclusive {
            self.all.len()
        } else {
            jobs.unwrap_or_else(|| self.main().client().concurrency())
        }
        .max(1)
    }

    pub(super) fn main(&self) -> &Arc<dyn Target> {
        // `new` is never given an empty list (see `super::targets`).
        &self.all[0]
    }

    pub(super) fn all(&self) -> &[Arc<dyn Target>] {
        &self.all
    }

    /// A target for one scenario, waiting for a free one if need be.
    pub(super) async fn lease(self: &Arc<Self>) -> Lease {
        if !self.exclusive {
            return Lease {
                target: self.main().clone(),
                returns_to: None,
            };
        }
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .expect("the pool's semaphore is never closed");
        let target = self
            .free
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .expect("a permit means a free target");
        Lease {
            target,
            returns_to: Some((self.clone(), permit)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::MockTarget;

    #[tokio::test]
    async fn each_scenario_has_a_mock_of_its_own_until_it_gives_it_back() {
        let mocks: Vec<Arc<dyn Target>> = vec![
            Arc::new(MockTarget::start().await.unwrap()),
            Arc::new(MockTarget::start().await.unwrap()),
        ];
        let pool = Pool::new(mocks);
        assert_eq!(pool.jobs(Some(8)), 2);
        let a = pool.lease().await;
        let b = pool.lease().await;
        assert_ne!(a.target().admin_url(), b.target().admin_url());
        // a third waits until one is given back
        let waiting = tokio::spawn({
            let pool = pool.clone();
            async move { pool.lease().await.target().admin_url() }
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(!waiting.is_finished());
        let given_back = a.target().admin_url();
        drop(a);
        assert_eq!(waiting.await.unwrap(), given_back);
        drop(b);
    }
}
