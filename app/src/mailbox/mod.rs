//! The development Mailbox: the outbox, readable in the browser.
pub mod api;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod service;
