//! Templates: a sandbox becomes a template that new client accounts are copied from.
pub mod api;
pub mod built_in;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod store;
