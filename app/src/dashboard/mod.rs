//! The Dashboard: where a user starts the day. What waits for them (invitations to manage an
//! account, agencies asking to manage this one), the agency's managed accounts at a glance, and
//! the latest entries of the audit log, each leading to its page.
pub mod api;
pub mod model;
pub mod page;
#[cfg(feature = "ssr")]
pub mod service;
