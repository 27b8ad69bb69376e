//! The audit log: who did what, and through which agency; a hash chain per account.
pub mod api;
#[cfg(feature = "ssr")]
pub mod chain;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod store;
