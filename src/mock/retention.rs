//! Bounded state (issue #16): the mock forgets what the vendors forget.
//!
//! Every entity an API creates for a client is kept in a [`Retained`] list, which
//! - forgets it on the mock clock once it is past its documented lifetime plus a grace in which
//!   it still answers as expired (a 410 rather than a 404), and
//! - holds at most `max_entities` (`vouch mock serve --max-entities`) per tenant: over the cap,
//!   the tenant's oldest entity that has run its course (expired or finished) makes room; when
//!   none has, the caller answers the vendor's 429 or another documented error ([`Full`]).
//!
//! Each kind's lifetime, and what "finished" means for it, is in its API's `retention.rs` with
//! the vendor section it comes from; where the docs are silent the choice is in
//! contracts/NOTES.md § Across all APIs › Bounded state. Forgetting is lazy: a list sweeps
//! itself when something is added to it, so a mock nobody writes to costs nothing.

use super::clock::Instant;
use std::collections::{HashMap, VecDeque};

/// How many entities of one kind one tenant may hold, unless configured
/// ([`MockConfig::max_entities`](super::MockConfig::max_entities)).
pub const DEFAULT_MAX_ENTITIES: usize = 10_000;

/// A list sweeps at least this often (on the mock clock, when something is added), so that a
/// change that brings an entity's [`Lifetime::forget_at`] forward takes effect soon.
const SWEEP_EVERY_SECONDS: i64 = 60;

/// How long one kind of entity lives, as its API's docs say.
pub(crate) trait Lifetime {
    /// The tenant whose cap it counts against.
    fn owner(&self) -> &str;
    /// From when it may make room for a newer one: it has expired or finished. `None`: not yet
    /// (it waits for the user, the subject, or the client).
    fn finished_at(&self) -> Option<Instant>;
    /// From when it is forgotten in any case: its documented lifetime plus the grace. `None`:
    /// only to make room.
    fn forget_at(&self) -> Option<Instant>;
}

/// A boxed entity lives as long as the entity (a large one is kept boxed, so that keeping it
/// and making room move a pointer, not its bytes).
impl<T: Lifetime + ?Sized> Lifetime for Box<T> {
    fn owner(&self) -> &str {
        (**self).owner()
    }

    fn finished_at(&self) -> Option<Instant> {
        (**self).finished_at()
    }

    fn forget_at(&self) -> Option<Instant> {
        (**self).forget_at()
    }
}

/// The tenant's cap is full of entities still running their course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Full {
    /// When the first of them will have finished, if time alone will finish one.
    pub(crate) room_at: Option<Instant>,
}

/// Per owner (tenant), hashed with foldhash rather than SipHash: asked four times on every
/// kept entity (issue #24), and the owners are the server's tenants, not a client's to choose.
type Owners<V> = HashMap<String, V, foldhash::fast::RandomState>;

/// An entity with its lifetime as last read from it. An entity changes only through
/// [`Retained::get_mut`] and [`Retained::iter_mut`], which mark what they hand out to be read
/// again; so the sweep and the search for room read these, side by side in the list, and not
/// the entity: for a boxed one that was a cache miss per entity, the sweep reading every kept
/// request each time the clock moved (issue #24).
#[derive(Debug)]
pub(crate) struct Slot<T> {
    item: T,
    finished_at: Option<Instant>,
    forget_at: Option<Instant>,
    /// Handed out to be changed since its lifetime was read.
    changed: bool,
}

impl<T: Lifetime> Slot<T> {
    fn new(item: T) -> Self {
        Self {
            finished_at: item.finished_at(),
            forget_at: item.forget_at(),
            item,
            changed: false,
        }
    }

    /// The entity's lifetime, read again if it may have changed: (finished at, forget at).
    fn lifetime(&mut self) -> (Option<Instant>, Option<Instant>) {
        if self.changed {
            self.finished_at = self.item.finished_at();
            self.forget_at = self.item.forget_at();
            self.changed = false;
        }
        (self.finished_at, self.forget_at)
    }
}

/// The entity of a slot, to read.
fn item<T>(slot: &Slot<T>) -> &T {
    &slot.item
}

/// The entity of a slot, to change: its lifetime is read again before it is next used.
fn changing<T>(slot: &mut Slot<T>) -> &mut T {
    slot.changed = true;
    &mut slot.item
}

/// [`Retained::iter`]'s iterator.
pub(crate) type Iter<'a, T> =
    std::iter::Map<std::collections::vec_deque::Iter<'a, Slot<T>>, fn(&'a Slot<T>) -> &'a T>;

/// [`Retained::iter_mut`]'s iterator.
pub(crate) type IterMut<'a, T> = std::iter::Map<
    std::collections::vec_deque::IterMut<'a, Slot<T>>,
    fn(&'a mut Slot<T>) -> &'a mut T,
>;

/// A list of entities, oldest first, bounded per tenant and forgotten on the mock clock.
#[derive(Debug)]
pub(crate) struct Retained<T> {
    items: VecDeque<Slot<T>>,
    /// The first `seeded` items are seeded data: never forgotten, never counted.
    seeded: usize,
    /// Stored (unseeded) entities per owner.
    counts: Owners<usize>,
    /// No entity is to be forgotten before this moment (a lower bound; see [`Lifetime`]).
    next_sweep: Option<Instant>,
    /// Owners found full at a cap, so that a client hammering a full cap costs no scan per
    /// request. Any change clears it (a change may finish an entity).
    full: Owners<(usize, Full)>,
}

impl<T> Default for Retained<T> {
    fn default() -> Self {
        Self {
            items: VecDeque::new(),
            seeded: 0,
            counts: Owners::default(),
            next_sweep: None,
            full: Owners::default(),
        }
    }
}

impl<T: Lifetime> Retained<T> {
    /// Adds seeded data: kept for the list's life, outside every cap. Only before any
    /// [`push`](Self::push).
    pub(crate) fn seed(&mut self, items: impl IntoIterator<Item = T>) {
        for item in items {
            self.items.push_back(Slot::new(item));
            self.seeded = self.seeded.saturating_add(1);
        }
    }

    /// Stores a new entity, after forgetting what has lived its time and, at the owner's cap,
    /// dropping the owner's oldest finished entity. Nothing is stored when the cap is full.
    pub(crate) fn push(&mut self, item: T, now: Instant, cap: usize) -> Result<(), Full> {
        self.push_making_room(item, now, cap).map(drop)
    }

    /// [`push`](Self::push), handing back the entity that made room, if one did, for the
    /// caller to drop once it has let go of its lock (issue #24: freeing an old request was
    /// most of a kept /hasMatchingCredentials's time under the network's write lock).
    pub(crate) fn push_making_room(
        &mut self,
        item: T,
        now: Instant,
        cap: usize,
    ) -> Result<Option<T>, Full> {
        let made_room = self.room_for(item.owner(), now, cap)?;
        if let Some(at) = item.forget_at() {
            let at = at.min(now.plus_seconds(SWEEP_EVERY_SECONDS));
            self.next_sweep = Some(self.next_sweep.map_or(at, |t| t.min(at)));
        }
        // The owner's name is copied only for its first entity (a push per kept request).
        match self.counts.get_mut(item.owner()) {
            Some(count) => *count = count.saturating_add(1),
            None => {
                self.counts.insert(item.owner().to_string(), 1);
            }
        }
        self.items.push_back(Slot::new(item));
        self.touched();
        Ok(made_room)
    }

    /// Whether `owner` may store one more entity now (making room as [`push`](Self::push)
    /// would), for a caller that must know before it changes anything else.
    pub(crate) fn make_room(&mut self, owner: &str, now: Instant, cap: usize) -> Result<(), Full> {
        self.room_for(owner, now, cap).map(drop)
    }

    /// [`make_room`](Self::make_room), giving back the first entity it dropped (there is at
    /// most one unless the cap was lowered).
    fn room_for(&mut self, owner: &str, now: Instant, cap: usize) -> Result<Option<T>, Full> {
        let mut made_room = None;
        self.forget_expired(now);
        while self.counts.get(owner).copied().unwrap_or(0) >= cap {
            if let Some((at_cap, full)) = self.full.get(owner)
                && *at_cap == cap
                && full.room_at.is_none_or(|at| now < at)
            {
                return Err(*full);
            }
            let mut room_at: Option<Instant> = None;
            let mut finished = None;
            for (index, slot) in self.items.iter_mut().enumerate().skip(self.seeded) {
                // The lifetime first: it is beside the others in the list, the owner is read
                // from the entity.
                let (finished_at, _) = slot.lifetime();
                if finished_at.is_none() || slot.item.owner() != owner {
                    continue;
                }
                match finished_at {
                    Some(at) if at <= now => {
                        finished = Some(index);
                        break;
                    }
                    Some(at) => room_at = Some(room_at.map_or(at, |t| t.min(at))),
                    None => {}
                }
            }
            match finished {
                Some(index) => {
                    let removed = self.remove(index);
                    if made_room.is_none() {
                        made_room = removed;
                    }
                }
                None => {
                    let full = Full { room_at };
                    self.full.insert(owner.to_string(), (cap, full));
                    return Err(full);
                }
            }
        }
        Ok(made_room)
    }

    /// Forgets every entity past its lifetime and grace (a no-op until the first one is due).
    pub(crate) fn forget_expired(&mut self, now: Instant) {
        if self.next_sweep.is_none_or(|at| now < at) {
            return;
        }
        // Sweep again when the next entity is due, or within a minute if any may be. One pass
        // over the list, however many are forgotten (not one shift of the list for each).
        let mut next: Option<Instant> = None;
        let soon = now.plus_seconds(SWEEP_EVERY_SECONDS);
        let (seeded, counts) = (self.seeded, &mut self.counts);
        let mut index = 0usize;
        let mut forgot = false;
        self.items.retain_mut(|slot| {
            index = index.saturating_add(1);
            if index <= seeded {
                return true;
            }
            match slot.lifetime().1 {
                Some(at) if at <= now => {
                    uncount(counts, slot.item.owner());
                    forgot = true;
                    false
                }
                Some(at) => {
                    next = Some(next.map_or(at, |t| t.min(at)).min(soon));
                    true
                }
                None => true,
            }
        });
        if forgot {
            self.full.clear();
        }
        self.next_sweep = next;
    }

    fn remove(&mut self, index: usize) -> Option<T> {
        let item = self.items.remove(index).map(|slot| slot.item);
        if let Some(item) = &item {
            uncount(&mut self.counts, item.owner());
        }
        self.full.clear();
        item
    }
}

impl<T> Retained<T> {
    /// Every entity, seeded first, then oldest first.
    pub(crate) fn iter(&self) -> Iter<'_, T> {
        self.items.iter().map(item)
    }

    /// Every entity, to change (which may finish one: the full-cap memo is dropped).
    pub(crate) fn iter_mut(&mut self) -> IterMut<'_, T> {
        self.touched();
        self.items.iter_mut().map(changing)
    }

    /// The entity at `index` (in [`iter`](Self::iter) order).
    pub(crate) fn get(&self, index: usize) -> Option<&T> {
        self.items.get(index).map(item)
    }

    /// The entity at `index`, to change.
    pub(crate) fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        self.touched();
        self.items.get_mut(index).map(changing)
    }

    fn touched(&mut self) {
        if !self.full.is_empty() {
            self.full.clear();
        }
    }
}

impl<'a, T> IntoIterator for &'a Retained<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, T> IntoIterator for &'a mut Retained<T> {
    type Item = &'a mut T;
    type IntoIter = IterMut<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

/// One entity of `owner` fewer; an owner with none is no longer counted.
fn uncount(counts: &mut Owners<usize>, owner: &str) {
    if let Some(count) = counts.get_mut(owner) {
        *count = count.saturating_sub(1);
        if *count == 0 {
            counts.remove(owner);
        }
    }
}

/// Appends a record that is finished once made (a sent message, a device seen), keeping at most
/// `cap`: the oldest go first.
pub(crate) fn push_capped<T>(list: &mut Vec<T>, item: T, cap: usize) {
    let keep = cap.saturating_sub(1);
    if list.len() > keep {
        let excess = list.len().saturating_sub(keep);
        list.drain(..excess);
    }
    if cap > 0 {
        list.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A test entity: owner, finished at, forgotten at.
    #[derive(Debug, Clone, PartialEq)]
    struct E(&'static str, Option<i64>, Option<i64>, u32);

    impl Lifetime for E {
        fn owner(&self) -> &str {
            self.0
        }
        fn finished_at(&self) -> Option<Instant> {
            self.1.map(Instant)
        }
        fn forget_at(&self) -> Option<Instant> {
            self.2.map(Instant)
        }
    }

    fn ids(list: &Retained<E>) -> Vec<u32> {
        list.iter().map(|e| e.3).collect()
    }

    #[test]
    fn the_entity_that_makes_room_is_handed_back() {
        let mut list = Retained::default();
        list.push(E("a", Some(5), None, 1), Instant(0), 2).unwrap();
        list.push(E("b", Some(5), None, 2), Instant(0), 2).unwrap();
        list.push(E("a", None, None, 3), Instant(0), 2).unwrap();
        // Under the cap nothing is dropped; at it, the owner's oldest finished entity is.
        assert_eq!(
            list.push_making_room(E("b", None, None, 4), Instant(9), 2),
            Ok(None)
        );
        assert_eq!(
            list.push_making_room(E("a", None, None, 5), Instant(9), 2),
            Ok(Some(E("a", Some(5), None, 1)))
        );
        assert_eq!(ids(&list), [2, 3, 4, 5]);
        assert_eq!(list.counts.get("a"), Some(&2));
    }

    #[test]
    fn forgotten_on_the_clock_and_seeded_data_stays() {
        let mut list = Retained::default();
        list.seed([E("a", Some(0), Some(0), 0)]);
        list.push(E("a", Some(10), Some(20), 1), Instant(0), 5)
            .unwrap();
        list.push(E("a", None, None, 2), Instant(0), 5).unwrap();
        list.push(E("b", Some(10), Some(30), 3), Instant(0), 5)
            .unwrap();
        list.forget_expired(Instant(19));
        assert_eq!(ids(&list), [0, 1, 2, 3]);
        list.forget_expired(Instant(20));
        assert_eq!(ids(&list), [0, 2, 3]);
        list.forget_expired(Instant(1_000));
        assert_eq!(ids(&list), [0, 2]);
        assert_eq!(list.counts.get("a"), Some(&1));
        assert_eq!(list.counts.get("b"), None);
    }

    #[test]
    fn over_the_cap_the_oldest_finished_goes_first_per_owner() {
        let mut list = Retained::default();
        list.push(E("a", None, None, 1), Instant(0), 3).unwrap();
        list.push(E("a", Some(50), None, 2), Instant(0), 3).unwrap();
        list.push(E("a", Some(5), None, 3), Instant(0), 3).unwrap();
        // another tenant's cap is its own
        list.push(E("b", None, None, 4), Instant(0), 3).unwrap();
        // nothing of a's has finished at 1: full, and says when room comes
        assert_eq!(
            list.push(E("a", None, None, 5), Instant(1), 3),
            Err(Full {
                room_at: Some(Instant(5))
            })
        );
        assert_eq!(ids(&list), [1, 2, 3, 4]);
        // at 10, #3 has finished (though #2 is older, it has not)
        list.push(E("a", None, None, 6), Instant(10), 3).unwrap();
        assert_eq!(ids(&list), [1, 2, 4, 6]);
        // at 60, #2 has
        list.push(E("a", None, None, 7), Instant(60), 3).unwrap();
        assert_eq!(ids(&list), [1, 4, 6, 7]);
        // none will finish by time alone
        assert_eq!(
            list.push(E("a", None, None, 8), Instant(60), 3),
            Err(Full { room_at: None })
        );
    }

    #[test]
    fn a_change_lifts_the_full_memo() {
        let mut list = Retained::default();
        list.push(E("a", None, None, 1), Instant(0), 1).unwrap();
        assert!(list.push(E("a", None, None, 2), Instant(0), 1).is_err());
        // the memo answers without looking; a change (here: finishing #1) clears it
        for e in &mut list {
            e.1 = Some(0);
        }
        list.push(E("a", None, None, 3), Instant(0), 1).unwrap();
        assert_eq!(ids(&list), [3]);
        // a memo holds for the cap it was made at only, and an addition clears it
        assert!(list.push(E("b", None, None, 4), Instant(0), 0).is_err());
        list.push(E("b", None, None, 5), Instant(0), 1).unwrap();
        assert!(list.push(E("b", None, None, 6), Instant(0), 1).is_err());
        assert_eq!(ids(&list), [3, 5]);
    }

    #[test]
    fn a_change_through_get_mut_is_read_at_the_next_sweep_and_search_for_room() {
        let mut list = Retained::default();
        list.push(E("a", None, Some(1_000_000), 1), Instant(0), 2)
            .unwrap();
        list.push(E("a", None, None, 2), Instant(0), 2).unwrap();
        // #1 is made to be forgotten at 20: the sweep a minute on (60 000 ms) forgets it
        if let Some(e) = list.get_mut(0) {
            e.2 = Some(20);
        }
        list.forget_expired(Instant(60_000));
        assert_eq!(ids(&list), [2]);
        list.push(E("a", None, None, 3), Instant(60_000), 2)
            .unwrap();
        // full; #2 is made to have finished at 0, so it makes room
        assert!(
            list.push(E("a", None, None, 4), Instant(60_000), 2)
                .is_err()
        );
        if let Some(e) = list.get_mut(0) {
            e.1 = Some(0);
        }
        list.push(E("a", None, None, 5), Instant(60_000), 2)
            .unwrap();
        assert_eq!(ids(&list), [3, 5]);
        // only what an iterator handed out is read again; the rest keeps its lifetime
        if let Some(e) = list.iter_mut().next() {
            e.1 = Some(50);
        }
        list.push(E("a", None, None, 6), Instant(60_000), 2)
            .unwrap();
        assert_eq!(ids(&list), [5, 6]);
    }

    #[test]
    fn capped_records_drop_the_oldest() {
        let mut list = vec![1, 2, 3];
        push_capped(&mut list, 4, 3);
        assert_eq!(list, [2, 3, 4]);
        push_capped(&mut list, 5, 2);
        assert_eq!(list, [4, 5]);
        push_capped(&mut list, 6, 0);
        assert!(list.is_empty());
    }
}

/// An in-process mock with a small cap, and a client, for the APIs' bounded-state tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::super::{MockConfig, MockServer};
    use serde_json::Value;

    /// A running mock keeping `max_entities` per tenant and kind.
    pub(crate) struct Capped {
        pub(crate) server: MockServer,
        client: reqwest::Client,
    }

    impl Capped {
        pub(crate) async fn start(max_entities: usize) -> Self {
            let server = MockServer::start_with(MockConfig {
                max_entities,
                ..MockConfig::default()
            })
            .await
            .unwrap();
            Self {
                server,
                client: reqwest::Client::new(),
            }
        }

        /// `method url` with `authorization` and an optional JSON body: status and JSON body
        /// (`Null` when empty). A url without a scheme is below the mock's root.
        pub(crate) async fn send(
            &self,
            method: &str,
            url: &str,
            authorization: &str,
            body: Option<Value>,
        ) -> (u16, Value) {
            let url = if url.starts_with("http") {
                url.to_string()
            } else {
                format!("{}{url}", self.server.url())
            };
            let mut request = self
                .client
                .request(method.parse().unwrap(), url)
                .header("authorization", authorization);
            if let Some(body) = body {
                request = request.json(&body);
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let bytes = response.bytes().await.unwrap();
            (
                status,
                serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            )
        }

        /// Moves the mock clock forward.
        pub(crate) fn advance(&self, seconds: u64) {
            self.server.state().clock.advance(seconds).unwrap();
        }

        /// The mock's self-check found nothing wrong in its own answers.
        pub(crate) fn assert_conforming(&self) {
            assert_eq!(self.server.violations(), vec![]);
        }
    }
}
