//! Admin tools: business information and localization.
pub mod api;
pub mod page;
#[cfg(feature = "ssr")]
pub mod service;
