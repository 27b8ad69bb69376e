//! Grants: an owner lets an agency's users manage the account, with a role, until revoked or expired.
#[cfg(feature = "ssr")]
pub mod agency;
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod refusal;
#[cfg(feature = "ssr")]
pub mod service;
pub mod state;
#[cfg(feature = "ssr")]
pub(crate) mod store;
