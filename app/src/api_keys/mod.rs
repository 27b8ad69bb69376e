//! Administration → API manager: the keys an account's scripts call `/api/v1` with.
pub mod api;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
mod reveal;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod store;
