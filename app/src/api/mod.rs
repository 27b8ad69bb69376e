//! Server functions: thin, each one parses, finds the actor, and calls a service.
//! All of them are public HTTP endpoints under `/api/`, so none trusts the browser.
pub mod admin_tools;
pub mod audit;
pub mod auth;
pub mod contacts;
pub mod grants;
pub mod mailbox;
pub mod managed;
pub mod messages;
pub mod notes;
pub mod roles;
pub mod settings;
pub mod templates;
pub mod users;

#[cfg(feature = "ssr")]
pub mod context;
