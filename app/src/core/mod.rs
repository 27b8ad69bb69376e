//! What every feature builds on: the wire error, the acting identity, the services, the database
//! and its migrations, transactions, accounts and memberships, and the outgoing mail.
#[cfg(feature = "ssr")]
pub mod accounts;
#[cfg(feature = "ssr")]
pub mod actor;
#[cfg(feature = "ssr")]
pub mod api_error;
#[cfg(feature = "ssr")]
pub mod csv_cell;
#[cfg(feature = "ssr")]
pub mod db;
pub mod domain;
pub mod error;
pub mod ids;
#[cfg(feature = "ssr")]
pub mod mailer;
pub mod model;
#[cfg(feature = "ssr")]
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod quota;
#[cfg(feature = "ssr")]
pub mod services;
#[cfg(feature = "ssr")]
pub mod session_cache;
#[cfg(feature = "ssr")]
pub mod tx;
