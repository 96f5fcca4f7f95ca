//! The API registry: which APIs vouch knows, and everything it knows about each besides its
//! contract (its mock, the vendor's public test credentials, snapshot filters, where its error
//! code lives, its PII member names). Each API declares its entry as `REGISTRATION` in
//! `src/mock/<api>/mod.rs`, listed in `src/mock/mod.rs`. Code that differs per API reads it
//! from here, and tests iterate it instead of naming APIs.
//!
//! ```
//! let ids: Vec<&str> = vouch::apis::all().iter().map(|api| api.id).collect();
//! assert!(ids.contains(&"verified"));
//! for api in vouch::apis::all() {
//!     // every registered API has a contract of the same name
//!     assert!(vouch::contract::ContractSet::embedded().unwrap().get(api.id).is_ok());
//! }
//! ```

pub use crate::mock::registration::{Registration, register};

/// Every registered API: the built-in ones in name order, then any added with [`register`].
pub fn all() -> Vec<&'static Registration> {
    crate::mock::registration::registered()
}

/// The registered API named `id`.
pub fn get(id: &str) -> Option<&'static Registration> {
    crate::mock::registration::registration(id)
}
