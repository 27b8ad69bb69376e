//! Who is calling: sign up, log in and out, sessions and their cache.
pub mod api;
#[cfg(feature = "ssr")]
pub mod context;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod store;
