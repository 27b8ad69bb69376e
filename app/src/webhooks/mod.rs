//! Administration → Webhooks: an account's HTTPS endpoints hear of its grants, managed accounts,
//! users and managers' visits, signed, retried, and shown with their attempts.
#[cfg(feature = "ssr")]
pub mod address;
pub mod api;
#[cfg(feature = "ssr")]
pub mod delivery;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod store;
