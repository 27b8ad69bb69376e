//! Managed accounts: the agency's side of grants — request access, create client accounts, log in and back.
pub mod api;
pub mod model;
pub mod pages;
pub mod plans;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub(crate) mod store;
