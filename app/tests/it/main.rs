//! The integration tests: one binary (one link step), each module a feature's use cases driven
//! against a fresh `mem://` SurrealDB.
#![cfg(feature = "ssr")]

mod common;

mod api_keys;
mod audit;
mod billing;
mod concurrency;
mod contacts_csv;
mod dashboard;
mod delegation;
mod foundation;
mod grants;
mod live;
mod log_in_limits;
mod managed;
mod password_reset;
mod quotas;
mod restart;
mod roles;
mod session_cache;
mod templates;
mod two_factor;
mod two_servers;
mod users;
mod users_list;
mod webhooks;
