//! The Users list and the acting user's own sessions.
pub mod sessions;
pub mod users;
