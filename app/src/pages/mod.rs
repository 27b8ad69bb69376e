//! One file per page.
pub mod contacts;
pub mod dashboard;
pub mod login;
pub mod mailbox;
pub mod not_found;
pub mod signup;
