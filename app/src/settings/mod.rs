//! The owner's account settings (who may ask for access, log-in notices) and the admin tools.
pub mod admin_tools;
pub mod api;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod store;
