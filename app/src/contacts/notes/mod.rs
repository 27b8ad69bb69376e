//! Notes on a contact.
pub mod api;
pub mod dialog;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod store;
