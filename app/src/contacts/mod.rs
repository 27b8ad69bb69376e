//! Contacts: the account's business data, with custom fields, tags, notes and CSV import/export.
pub mod api;
#[cfg(feature = "ssr")]
pub mod csv;
pub mod fields;
pub mod model;
pub mod notes;
pub mod page;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod store;
